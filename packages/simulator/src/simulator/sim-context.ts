import type { AlgoVoiStore } from './algovoi-store.js';
import type { Deliverer } from './deliver-with-retries.js';
import type { DouyinStore } from './douyin-store.js';
import type { ResolvedOptions } from './resolve-options.js';
import type { SimLog } from './sim-log.js';
import type { TikTokStore } from './tiktok-store.js';

/** What every part of one simulator instance shares: its settings, state and delivery machinery. */
export interface SimContext {
  readonly options: ResolvedOptions;
  readonly log: SimLog;
  readonly deliverer: Deliverer;
  readonly douyin: DouyinStore;
  readonly tiktok: TikTokStore;
  readonly algovoi: AlgoVoiStore;
  /** Aborts when the simulator closes: long waits (a refund's audit window) end with it. */
  readonly closing: AbortSignal;
  /** `http://127.0.0.1:PORT`, known once the server listens. */
  baseUrl(): string;
}
