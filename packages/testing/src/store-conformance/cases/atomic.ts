import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AtomicRun } from '@ttpay/core/store';
import type { ConformanceCase } from '../conformance-case.js';
import { expectStatus } from '../expectations.js';
import { HOLD_MS } from '../options.js';
import { printableKey } from '../printable-key.js';
import { settleWithin, sleep } from '../settle-within.js';
import type { AtomicUnderTest } from '../store-under-test.js';

// The cases of `AtomicIdempotencyStore.processOnce` (@ttpay/core): claim, work and done-record in one
// transaction, the claim taken without waiting and held by the transaction itself.

const ONE_TRANSACTION =
  'processOnce runs the work inside the transaction it opened and writes the done-record in that same transaction, so both commit or neither';

/** A marker no other run of the kit writes: the probe's rows may live in a table shared by cases. */
const newMarker = (label: string): string => `conformance:${label}:${randomBytes(6).toString('hex')}`;

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** The settled value of `pending` within `ms`; fails the case, saying `what`, when it rejects or hangs. */
async function settled<T>(pending: Promise<T>, ms: number, what: string): Promise<T> {
  const outcome = await settleWithin(() => pending, ms);
  if (outcome.kind === 'resolved') return outcome.value;
  if (outcome.kind === 'pending') assert.fail(`${what} did not settle within ${ms} ms.`);
  const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  assert.fail(`${what} rejected: ${reason}`);
}

/** A run that must not have run its work: `in-flight` or `done`, as `status` says. */
function expectNotRun(
  run: AtomicRun<unknown>,
  ran: boolean,
  status: 'in-flight' | 'done',
  what: string,
  why: string,
): void {
  if (run.status === 'processed' || ran) {
    assert.fail(
      `${what} ran its work (answered '${run.status}'), expected '${status}': ${why}. The event would be applied twice.`,
    );
  }
  if (run.status !== status) {
    const danger =
      run.status === 'done'
        ? ' Answering done acknowledges an event whose work has not committed: a crash now loses it.'
        : '';
    assert.fail(`${what} answered '${run.status}', expected '${status}': ${why}.${danger}`);
  }
}

/** A processOnce whose work only notes that it ran. */
async function processWithoutWrites(
  store: AtomicUnderTest,
  key: string,
): Promise<{ run: AtomicRun<string>; ran: boolean }> {
  let ran = false;
  const run = await store.processOnce(key, HOLD_MS, async () => {
    ran = true;
    return 'ran';
  });
  return { run, ran };
}

export const atomicInFlightThenDone: ConformanceCase = {
  name: 'processOnce: while the work runs a duplicate answers in-flight without running and sees none of its writes; once committed, every call answers done, claim too',
  needsAtomic: true,
  async run(ctx) {
    const [store, peer] = await ctx.atomicInstances();
    const { probe } = ctx;
    const { operationTimeoutMs } = ctx.settings;
    const key = 'conformance:atomic:in-flight-then-done';
    const marker = newMarker('in-flight-then-done');
    const started = deferred();
    const finish = deferred();
    const first = store.processOnce(key, HOLD_MS, async (tx) => {
      await probe.write(tx, marker);
      started.resolve();
      await finish.promise;
      return marker;
    });
    first.catch(() => {}); // awaited below; a rejection before then is reported there
    const firstWhat = `${store.label}.processOnce(${printableKey(key)}) on a fresh key`;
    const beginning = await settled(
      Promise.race([started.promise.then(() => 'started' as const), first]),
      operationTimeoutMs,
      `${firstWhat} (its work, started)`,
    );
    if (beginning !== 'started') {
      assert.fail(`${firstWhat} answered '${beginning.status}' without running its work: the key was free.`);
    }

    let duplicateRan = false;
    const duplicate = peer.processOnce(key, HOLD_MS, async () => {
      duplicateRan = true;
      return 'duplicate';
    });
    duplicate.catch(() => {});
    const duplicateWhat = `${peer.label}.processOnce(${printableKey(key)}) while the first one's work runs`;
    if (!probe.serialisesTransactions) {
      const early = await settleWithin(() => duplicate, operationTimeoutMs);
      if (early.kind === 'pending') {
        assert.fail(
          `${duplicateWhat} waited ${operationTimeoutMs} ms for it: claim without waiting (pg_try_advisory_xact_lock, FOR UPDATE NOWAIT or SKIP LOCKED) and answer in-flight, so the platform retries later instead of holding a connection. A database that runs one transaction at a time sets atomic.serialisesTransactions.`,
        );
      }
      if (early.kind === 'rejected') {
        const reason = early.error instanceof Error ? early.error.message : String(early.error);
        assert.fail(`${duplicateWhat} rejected: ${reason}`);
      }
      expectNotRun(
        early.value,
        duplicateRan,
        'in-flight',
        duplicateWhat,
        'another transaction holds the key',
      );
      const visible = await probe.count(marker);
      if (visible !== 0) {
        assert.fail(
          `the first work's write is visible before its processOnce committed (${visible} row): ${ONE_TRANSACTION}.`,
        );
      }
    }
    finish.resolve();
    const outcome = await settled(first, operationTimeoutMs, `${firstWhat} (after its work returned)`);
    if (outcome.status !== 'processed' || outcome.result !== marker) {
      assert.fail(
        `${firstWhat} answered ${JSON.stringify(outcome)} after its work returned ${JSON.stringify(marker)}: expected {status: 'processed', result} with the work's own result.`,
      );
    }
    if (probe.serialisesTransactions) {
      const late = await settled(duplicate, operationTimeoutMs, duplicateWhat);
      expectNotRun(late, duplicateRan, 'done', duplicateWhat, 'it ran once the first had committed');
    }
    assert.equal(
      await probe.count(marker),
      1,
      `the work's write is not committed after processOnce answered processed: ${ONE_TRANSACTION}.`,
    );
    // Duplicates of a handled event often arrive together: each must be acknowledged, not told to retry.
    const later = await Promise.all(
      Array.from({ length: 10 }, (_, i) => processWithoutWrites(i % 2 === 0 ? store : peer, key)),
    );
    for (const { run, ran } of later) {
      expectNotRun(
        run,
        ran,
        'done',
        `one of 10 concurrent processOnce(${printableKey(key)}) after it was processed`,
        'it was processed and recorded done for a minute; a lock taken only to find the key done must not make the others answer in-flight',
      );
    }
    expectStatus(
      await store.claim(key, HOLD_MS),
      'done',
      key,
      'processOnce recorded it done: claim must read that same record (instances on the lease path during a rolling deploy, or a job, would apply it again)',
    );
  },
};

export const atomicOnceAmongConcurrent: ConformanceCase = {
  name: 'processOnce: of concurrent calls on one key exactly one runs its work',
  needsAtomic: true,
  async run(ctx) {
    const [store, peer] = await ctx.atomicInstances();
    const { probe } = ctx;
    const key = 'conformance:atomic:concurrent';
    const marker = newMarker('concurrent');
    const n = Math.min(ctx.settings.concurrency, 20);
    let runs = 0;
    const calls = Array.from({ length: n }, (_, i) =>
      (i % 2 === 0 ? store : peer).processOnce(key, HOLD_MS, async (tx) => {
        runs++;
        await probe.write(tx, marker);
        await sleep(10); // the others arrive while this one is in flight
        return i;
      }),
    );
    const runsOf = await settled(
      Promise.all(calls),
      ctx.settings.operationTimeoutMs,
      `${n} concurrent processOnce(${printableKey(key)})`,
    );
    const processed = runsOf.filter((r) => r.status === 'processed').length;
    if (processed !== 1 || runs !== 1) {
      assert.fail(
        `${processed} of ${n} concurrent processOnce calls on ${printableKey(key)} answered processed and ${runs} ran their work: exactly one may. Claim inside the transaction, atomically, before the work.`,
      );
    }
    assert.equal(
      await probe.count(marker),
      1,
      `the one processed work's write is not committed once: ${ONE_TRANSACTION}.`,
    );
  },
};

export const atomicWorkErrorRollsBack: ConformanceCase = {
  name: 'processOnce: work that throws rejects with that error, its writes roll back, and the key is free at once',
  needsAtomic: true,
  async run(ctx) {
    const [store, peer] = await ctx.atomicInstances();
    const { probe } = ctx;
    const { operationTimeoutMs } = ctx.settings;
    const key = 'conformance:atomic:work-fails';
    const marker = newMarker('work-fails');
    const failure = new Error('conformance kit: this work fails on purpose');
    const what = `${store.label}.processOnce(${printableKey(key)}) whose work throws`;
    const outcome = await settleWithin(
      () =>
        store.processOnce(key, HOLD_MS, async (tx) => {
          await probe.write(tx, marker);
          throw failure;
        }),
      operationTimeoutMs,
    );
    if (outcome.kind === 'pending') assert.fail(`${what} did not settle within ${operationTimeoutMs} ms.`);
    if (outcome.kind === 'resolved') {
      assert.fail(
        `${what} resolved ${JSON.stringify(outcome.value)}: it must reject, the event was not processed.`,
      );
    }
    if (outcome.error !== failure) {
      const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      assert.fail(
        `${what} rejected with "${reason}" instead of the work's own error: processOnce passes on exactly what work threw, so a caller tells a failed handler from a failed store.`,
      );
    }
    assert.equal(
      await probe.count(marker),
      0,
      `the write of a work that threw was committed: ${ONE_TRANSACTION}, and roll back when the work throws.`,
    );
    const again = newMarker('work-fails-again');
    let ran = false;
    const retry = await peer.processOnce(key, HOLD_MS, async (tx) => {
      ran = true;
      await probe.write(tx, again);
      return again;
    });
    if (retry.status !== 'processed' || !ran) {
      assert.fail(
        `${peer.label}.processOnce(${printableKey(key)}) right after a work that threw answered '${retry.status}': the key must be free at once. ${retry.status === 'done' ? 'It was recorded done though its work failed: the done-record belongs in the work’s transaction.' : 'The claim must end with the transaction that rolled back, not wait out a lease.'}`,
      );
    }
    assert.equal(
      await probe.count(again),
      1,
      `the second work's write is not committed: ${ONE_TRANSACTION}.`,
    );
  },
};

export const atomicDroppedConnection: ConformanceCase = {
  name: 'processOnce: a connection dropped mid-work or after its last write commits neither the writes nor the done-record, and frees the key at once',
  needsAtomic: true,
  needsDropConnection: true,
  async run(ctx) {
    const [store, peer] = await ctx.atomicInstances();
    const { probe } = ctx;
    const drop = probe.dropConnection as (tx: unknown) => Promise<void>;
    const { operationTimeoutMs, expiryGraceMs } = ctx.settings;
    for (const when of ['after the work’s last write', 'in the middle of the work'] as const) {
      const key = `conformance:atomic:dropped:${when === 'after the work’s last write' ? 'after' : 'mid'}`;
      const marker = newMarker('dropped');
      const what = `${store.label}.processOnce(${printableKey(key)}) whose connection is dropped ${when}`;
      const outcome = await settleWithin(
        () =>
          store.processOnce(key, HOLD_MS, async (tx) => {
            await probe.write(tx, marker);
            await drop(tx);
            if (when === 'in the middle of the work') await probe.write(tx, `${marker}:after`);
            return marker;
          }),
        operationTimeoutMs,
      );
      if (outcome.kind === 'pending') assert.fail(`${what} did not settle within ${operationTimeoutMs} ms.`);
      if (outcome.kind === 'resolved') {
        assert.fail(
          `${what} resolved ${JSON.stringify(outcome.value)}: with the connection gone before the commit nothing can have committed; a caller acknowledging this loses the event. Reject.`,
        );
      }
      assert.equal(
        await probe.count(marker),
        0,
        `${what}: its write is committed although the connection of its transaction was gone before the commit: ${ONE_TRANSACTION}.`,
      );
      // The claim ends with the connection: the next delivery applies the event now, not after a lease.
      const since = Date.now();
      const again = newMarker('dropped-again');
      for (;;) {
        let ran = false;
        const retry = await peer.processOnce(key, HOLD_MS, async (tx) => {
          ran = true;
          await probe.write(tx, again);
          return again;
        });
        if (retry.status === 'processed' && ran) break;
        if (retry.status === 'done') {
          assert.fail(
            `${peer.label}.processOnce(${printableKey(key)}) after ${what} answered 'done', but that work's writes were lost with its connection: the done-record must be written in the work's transaction and commit with it, or the redelivery is acknowledged and the event never applied.`,
          );
        }
        const waited = Date.now() - since;
        if (waited > expiryGraceMs) {
          assert.fail(
            `${peer.label}.processOnce(${printableKey(key)}) still answers '${retry.status}' ${waited} ms after the connection that held it was dropped (${what}): the claim must be held by the transaction itself (a lock that ends with its connection), not a lease to wait out.`,
          );
        }
        await sleep(Math.max(5, Math.min(50, expiryGraceMs / 10)));
      }
      assert.equal(
        await probe.count(again),
        1,
        `the redelivery's write is not committed: ${ONE_TRANSACTION}.`,
      );
    }
  },
};
