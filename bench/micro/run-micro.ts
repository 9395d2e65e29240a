import { algovoiGroups } from './algovoi.js';
import { ecpayGroups } from './ecpay.js';
import { type GroupTiming, type MicroSettings, measureGroup } from './measure.js';
import { tiktokGroups } from './tiktok.js';
import { tradeGroups } from './trade.js';

/** Every sign/verify function of @ttpay/core against its floor and its naive port. */
export function runMicroBenchmarks(settings: MicroSettings, log: (line: string) => void): GroupTiming[] {
  const groups = [...ecpayGroups(), ...tradeGroups(), ...tiktokGroups(), ...algovoiGroups()];
  return groups.map((group) => {
    const timing = measureGroup(group, settings);
    log(
      `  ${timing.fn.padEnd(24)} ours ${fmtNs(timing.cases[0]?.nsPerOp ?? 0)}  ` +
        `ours/floor ${timing.oursOverFloor.toFixed(2)}×  naive/ours ${timing.naiveOverOurs.toFixed(2)}×`,
    );
    return timing;
  });
}

export function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}
