import type { Claim, Lease } from '@ttpay/core/store';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { connectRedis, deleteKeys, uniquePrefix } from './helpers/redis.js';

/*
 * Random sequences of claim/complete/release from two instances, plus lease expiries, checked against
 * a model of the semantics in README.md. complete/release act on any lease granted so far (`lease` picks
 * one), stale ones included. `expire` deletes an in-flight key the way PX expiry would, so its holder
 * still has its (now stale) lease: the cases where tokens matter.
 */
type Op =
  | { op: 'claim'; instance: 0 | 1; key: number }
  | { op: 'complete' | 'release'; instance: 0 | 1; lease: number }
  | { op: 'expire'; key: number };

type KeyState = { kind: 'absent' } | { kind: 'inflight'; claim: number } | { kind: 'done' };

const instanceArb = fc.constantFrom(0 as const, 1 as const);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('claim' as const),
    instance: instanceArb,
    key: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({
    op: fc.constantFrom('complete' as const, 'release' as const),
    instance: instanceArb,
    lease: fc.nat({ max: 20 }),
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
      const granted: Array<{ lease: Lease; key: number; claim: number }> = [];
      const values = new Map<number, string>(); // claim id → the raw value Redis holds for it
      let nextClaim = 0;
      const stateOf = (key: number): KeyState => state.get(key) ?? { kind: 'absent' };

      for (const step of ops) {
        let key: number;
        if (step.op === 'expire') {
          key = step.key;
          if (stateOf(key).kind === 'inflight') {
            await connA.del(`${runPrefix}k${key}`);
            state.set(key, { kind: 'absent' });
          }
        } else if (step.op === 'claim') {
          key = step.key;
          const current = stateOf(key);
          const expected: Claim['status'] =
            current.kind === 'absent' ? 'claimed' : current.kind === 'inflight' ? 'in-flight' : 'done';
          const answer = await stores[step.instance].claim(`k${key}`, 60_000);
          expect(answer.status).toBe(expected);
          if (answer.status === 'claimed') {
            const claim = nextClaim++;
            granted.push({ lease: answer.lease, key, claim });
            state.set(key, { kind: 'inflight', claim });
            values.set(claim, String(await connA.get(`${runPrefix}k${key}`)));
          }
        } else {
          const picked = granted[step.lease % Math.max(granted.length, 1)];
          if (picked === undefined) continue;
          key = picked.key;
          const current = stateOf(key);
          if (step.op === 'complete') {
            await stores[step.instance].complete(picked.lease, 60_000);
            if (current.kind !== 'done') {
              state.set(key, { kind: 'done' });
              values.set(-1 - key, `done:${picked.lease.token}`);
            }
          } else {
            await stores[step.instance].release(picked.lease);
            if (current.kind === 'inflight' && current.claim === picked.claim)
              state.set(key, { kind: 'absent' });
          }
        }
        const now = stateOf(key);
        const value = await connA.get(`${runPrefix}k${key}`);
        if (now.kind === 'absent') expect(value).toBeNull();
        else if (now.kind === 'done') expect(value).toBe(values.get(-1 - key));
        else expect(value).toBe(values.get(now.claim));
      }
    }),
    { numRuns: 100 },
  );
});
