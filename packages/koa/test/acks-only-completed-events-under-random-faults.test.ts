import { DEFAULT_CLAIM_TTL_MS } from '@ttpay/core/delivery';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  FAST_TIMING,
  FAULTS,
  FaultyStore,
  faultyApp,
  modelEvents,
  runModel,
  schedule,
} from '../../../test/support/fault-model.js';
import { MemoryStore } from '../src/index.js';

// Random schedules of deliveries and injected faults (handler throws or outlives the deadline, the
// store's claim throws, hangs or answers late, complete/release throw or hang, onVerified throws):
// every acknowledged event's handler has completed exactly once, none completes twice, and once the
// faults stop and leases run out every event is acknowledged. See test/support/fault-model.ts.

it('acks only completed events, never completes one twice, loses none (30 runs)', async () => {
  let deliveries = 0;
  let acks = 0;
  await fc.assert(
    fc.asyncProperty(schedule(FAULTS), async (batches) => {
      let now = 1_700_000_000_000;
      const store = new FaultyStore(new MemoryStore({ now: () => now }));
      const completions = new Map<string, number>();
      const counts = await runModel(
        {
          apps: [faultyApp(store, completions)],
          timing: FAST_TIMING,
          events: modelEvents(),
          completions,
          expireLeases: async () => {
            now += DEFAULT_CLAIM_TTL_MS + 1;
          },
        },
        batches,
      );
      deliveries += counts.deliveries;
      acks += counts.acks;
    }),
    { numRuns: 30 },
  );
  // Not vacuous: faults refused many deliveries, and every event was still acknowledged in the end.
  expect(acks).toBeGreaterThanOrEqual(30 * 5);
  expect(deliveries).toBeGreaterThan(acks);
});
