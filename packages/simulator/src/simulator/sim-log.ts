import type { SimLogEntry } from './types.js';

type Platform = SimLogEntry['platform'];

/** Oldest entries are dropped beyond this, so a long-running `ttpay simulate` cannot grow without bound. */
export const MAX_LOG_ENTRIES = 10_000;

export interface SimLog {
  readonly entries: readonly SimLogEntry[];
  add(entry: SimLogEntry): void;
  /** Called after each `add` (the dashboard's live updates); returns the unsubscribe function. */
  subscribe(listener: (entry: SimLogEntry) => void): () => void;
}

export function createSimLog(max = MAX_LOG_ENTRIES): SimLog {
  const entries: SimLogEntry[] = [];
  const listeners = new Set<(entry: SimLogEntry) => void>();
  return {
    entries,
    add(entry) {
      entries.push(entry);
      if (entries.length > max) entries.splice(0, entries.length - max);
      for (const listener of listeners) listener(entry);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const PREFIXES: readonly [string, Platform][] = [
  ['/_sim/', 'control'],
  ['/api/apps/', 'douyin'],
  ['/api/trade_basic/', 'douyin'],
  ['/oauth/', 'douyin'],
  ['/requestOrder', 'douyin'],
  ['/api/v2/token/', 'tiktok'],
  ['/order/', 'tiktok'],
  ['/fulfillment/', 'tiktok'],
  ['/logistics/', 'tiktok'],
  ['/authorization/', 'tiktok'],
  ['/return_refund/', 'tiktok'],
  ['/v1/payment-links', 'algovoi'],
  ['/checkout/', 'algovoi'],
];

/** Which platform a request path belongs to; `undefined` for paths no platform serves. */
export function platformOf(path: string): Platform | undefined {
  for (const [prefix, platform] of PREFIXES) if (path.startsWith(prefix)) return platform;
  return undefined;
}

/** The platform result code of a JSON reply (`err_no`, `code`, or client_token's `data.error_code`). */
export function resultCode(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.err_no === 'number') return b.err_no;
  if (typeof b.code === 'number') return b.code;
  const data = b.data as Record<string, unknown> | undefined;
  if (typeof data === 'object' && data !== null && typeof data.error_code === 'number')
    return data.error_code;
  return undefined;
}
