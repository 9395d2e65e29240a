import { randomBytes } from 'node:crypto';
import { RedisStore } from '@ttpay/store-redis';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import {
  type Fault,
  FaultyStore,
  faultyApp,
  type ModelTiming,
  modelEvents,
  runModel,
  schedule,
} from '../support/fault-model.js';

// The fault model of test/support/fault-model.ts on the real Redis, with two app instances sharing it:
// deliveries of one event land on either instance, concurrently, while handlers throw or outlive the
// deadline, claims fail, hang or land late, releases fail and onVerified throws. Every acknowledged
// event's handler completed exactly once across both instances, and every event is acknowledged once
// the faults stop and the leases ran out.

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Redis answers over the network: a deadline with room for a slow round trip on a busy CI machine.
const TIMING: ModelTiming = { handlerTimeoutMs: 60, lateMs: 90 };
const CLAIM_TTL_MS = 250;
// Not complete()'s failures: with the lease this short, a duplicate arriving after it ran out would
// legitimately run the handler again (the limit SECURITY.md documents).
const REDIS_FAULTS: Fault[] = [
  'handler-throws',
  'handler-slow',
  'claim-throws',
  'claim-hangs',
  'claim-late',
  'release-throws',
  'verified-hook-throws',
];

const prefix = `ttpay-test:security-model:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`;
const stores: RedisStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  // Only this file's keys (SCAN + DEL; the Redis is shared with other people).
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
});

it('two instances on one Redis: acks only completed events, never twice, none lost (8 runs)', async () => {
  let run = 0;
  let acks = 0;
  await fc.assert(
    fc.asyncProperty(schedule(REDIS_FAULTS, 2), async (batches) => {
      run++;
      const completions = new Map<string, number>();
      const apps = [0, 1].map(() => {
        const store = new RedisStore({ url: REDIS_URL, prefix: `${prefix}${run}:`, commandTimeout: 1_000 });
        stores.push(store);
        return faultyApp(new FaultyStore(store, TIMING), completions, { claimTtlMs: CLAIM_TTL_MS }, TIMING);
      });
      const counts = await runModel(
        {
          apps,
          timing: TIMING,
          events: modelEvents(),
          completions,
          expireLeases: () => new Promise((resolve) => setTimeout(resolve, CLAIM_TTL_MS + 50)),
        },
        batches,
      );
      acks += counts.acks;
    }),
    { numRuns: 8 },
  );
  expect(acks).toBeGreaterThanOrEqual(8 * 5);
});
