import type { FaultStore } from '../faults.js';
import type { FaultRule } from '../types.js';

export type OutagePlatform = FaultRule['platform'];

export const OUTAGE_PLATFORMS: readonly OutagePlatform[] = ['douyin', 'tiktok', 'algovoi'];

export interface OutageSwitches {
  /** Every platform API request answers 503 until switched off (control routes keep working). */
  set(platform: OutagePlatform, on: boolean): void;
  isOn(platform: OutagePlatform): boolean;
  /** The fault rules were cleared underneath (`sim.clearFaults()`): every switch is off. */
  forget(): void;
}

/** A platform outage is one fault rule that never runs out (faults.ts answers 503 when it sets no status). */
export function createOutageSwitches(faults: FaultStore): OutageSwitches {
  const removers = new Map<OutagePlatform, () => void>();
  return {
    set(platform, on) {
      if (on && !removers.has(platform)) {
        removers.set(platform, faults.add({ platform, times: Number.MAX_SAFE_INTEGER, status: 503 }));
      } else if (!on) {
        removers.get(platform)?.();
        removers.delete(platform);
      }
    },
    isOn: (platform) => removers.has(platform),
    forget: () => removers.clear(),
  };
}
