import type { ClaimResult } from '@ttpay/core';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { connectRedis, deleteKeys, uniquePrefix } from './helpers/redis.js';

/*
 * Random sequences of claim/complete/release from two instances, plus lease expiries, checked against
 * a model of the semantics in README.md. `expire` deletes an in-flight key the way PX expiry would, so
 * the owner still holds its (now stale) token: the cases where tokens matter.
 */
type Op =
  | { op: 'claim' | 'complete' | 'release'; instance: 0 | 1; key: number }
  | { op: 'expire'; key: number };

type KeyState = { kind: 'absent' } | { kind: 'inflight'; claim: number } | { kind: 'done' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constantFrom('claim' as const, 'complete' as const, 'release' as const),
    instance: fc.constantFrom(0 as const, 1 as const),
    key: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({ op: fc.constant('expire' as const), key: fc.integer({ min: 0, max: 2 }) }),
);

let connA: Redis;
let connB: Redis;
const prefix = uniquePrefix('model');
let run = 0;

beforeAll(async () => {
  connA = await connectRedis();
  connB = await connectRedis();
});

afterAll(async () => {
  if (connA) await deleteKeys(connA, prefix);
  connA?.disconnect();
  connB?.disconnect();
});

it('agrees with the model on every step and every Redis value', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
      const runPrefix = `${prefix}${run++}:`;
      const stores = [
        new RedisStore({ client: connA, prefix: runPrefix }),
        new RedisStore({ client: connB, prefix: runPrefix }),
      ] as const;
      const state = new Map<number, KeyState>();
      const held = [new Map<number, number[]>(), new Map<number, number[]>()] as const;
      const values = new Map<number, string>(); // claim id → the raw value Redis holds for it
      let nextClaim = 0;
      const stateOf = (key: number): KeyState => state.get(key) ?? { kind: 'absent' };

      for (const step of ops) {
        const redisKey = `${runPrefix}k${step.key}`;
        if (step.op === 'expire') {
          if (stateOf(step.key).kind === 'inflight') {
            await connA.del(redisKey);
            state.set(step.key, { kind: 'absent' });
          }
        } else {
          const store = stores[step.instance];
          const mine = held[step.instance].get(step.key) ?? [];
          held[step.instance].set(step.key, mine);
          const current = stateOf(step.key);
          if (step.op === 'claim') {
            const expected: ClaimResult =
              current.kind === 'absent' ? 'claimed' : current.kind === 'inflight' ? 'in-flight' : 'done';
            expect(await store.claim(`k${step.key}`, 60_000)).toBe(expected);
            if (expected === 'claimed') {
              const claim = nextClaim++;
              mine.push(claim);
              state.set(step.key, { kind: 'inflight', claim });
              values.set(claim, String(await connA.get(redisKey)));
            }
          } else if (step.op === 'complete') {
            await store.complete(`k${step.key}`, 60_000);
            mine.length = 0;
            state.set(step.key, { kind: 'done' });
          } else {
            await store.release(`k${step.key}`);
            const oldest = mine.shift();
            if (oldest !== undefined && current.kind === 'inflight' && current.claim === oldest) {
              state.set(step.key, { kind: 'absent' });
            }
          }
        }
        const now = stateOf(step.key);
        const value = await connA.get(redisKey);
        if (now.kind === 'absent') expect(value).toBeNull();
        else if (now.kind === 'done') expect(value).toMatch(/^done:/);
        else expect(value).toBe(values.get(now.claim));
      }
    }),
    { numRuns: 100 },
  );
});
