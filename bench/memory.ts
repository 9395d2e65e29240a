/**
 * Memory of the default idempotency store: distinct keys through `MemoryStore` (claim, then complete, as
 * @ttpay/koa does for every first delivery), measured after `gc()` at checkpoints. Runs in its own process
 * (`node --expose-gc --import tsx bench/memory.ts <maxEntries> <checkpoint>...`) so nothing else the
 * benchmark allocated is counted; `measureStoreMemory` spawns it and reads its JSON answer.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULT_CLAIM_TTL_MS, DEFAULT_DONE_TTL_MS } from '@ttpay/core/delivery';
import { MemoryStore } from '@ttpay/koa';

export interface MemoryCheckpoint {
  /** Distinct keys put through the store so far. */
  keys: number;
  /** Keys the store holds (at most maxEntries). */
  storeSize: number;
  /** heapUsed minus heapUsed before the store existed, bytes: what the store retains. */
  retainedHeapBytes: number;
  heapUsedBytes: number;
  rssBytes: number;
  /** Wall time of claim + complete per key since the previous checkpoint, ns. */
  nsPerKey: number;
}

export interface MemoryResult {
  maxEntries: number;
  baselineHeapBytes: number;
  baselineRssBytes: number;
  checkpoints: MemoryCheckpoint[];
}

/** The key @ttpay/core gives an ecpay payment event, built the same way (a template over parsed fields). */
function eventKey(serial: number): string {
  const cpOrderNo = `bench${String(serial).padStart(12, '0')}`;
  return `douyin:ecpay:payment:${cpOrderNo}:SUCCESS`;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  // Twice: the first pass may leave weak references and finalisers for the second.
  gc();
  gc();
}

function run(maxEntries: number, checkpoints: number[]): MemoryResult {
  collect();
  const baseline = process.memoryUsage();
  const store = new MemoryStore({ maxEntries });
  const result: MemoryResult = {
    maxEntries,
    baselineHeapBytes: baseline.heapUsed,
    baselineRssBytes: baseline.rss,
    checkpoints: [],
  };
  let done = 0;
  for (const target of [...checkpoints].sort((a, b) => a - b)) {
    const start = process.hrtime.bigint();
    const from = done;
    for (; done < target; done++) {
      const key = eventKey(done);
      const claim = store.claim(key, DEFAULT_CLAIM_TTL_MS);
      if (claim.status !== 'claimed') throw new Error(`${key} was not new`);
      store.complete(claim.lease, DEFAULT_DONE_TTL_MS);
    }
    const elapsed = Number(process.hrtime.bigint() - start);
    collect();
    const mem = process.memoryUsage();
    result.checkpoints.push({
      keys: done,
      storeSize: store.size,
      retainedHeapBytes: mem.heapUsed - baseline.heapUsed,
      heapUsedBytes: mem.heapUsed,
      rssBytes: mem.rss,
      nsPerKey: elapsed / Math.max(1, done - from),
    });
  }
  return result;
}

/** Spawns the measuring process (fresh heap, --expose-gc) and returns what it measured. */
export async function measureStoreMemory(maxEntries: number, checkpoints: number[]): Promise<MemoryResult> {
  const self = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', self, String(maxEntries), ...checkpoints.map(String)],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as MemoryResult;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [maxEntries, ...checkpoints] = process.argv.slice(2).map(Number);
  if (!maxEntries || checkpoints.length === 0) {
    console.error('usage: memory.ts <maxEntries> <checkpoint>...');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(run(maxEntries, checkpoints))}\n`);
}
