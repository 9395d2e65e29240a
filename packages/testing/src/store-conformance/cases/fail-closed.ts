import assert from 'node:assert/strict';
import { type IdempotencyStore, newLeaseToken } from '@ttpay/core/store';
import type { CaseContext } from '../case-context.js';
import type { ConformanceCase } from '../conformance-case.js';
import { HOLD_MS } from '../options.js';
import { settleWithin } from '../settle-within.js';

export const claimFailsClosed: ConformanceCase = {
  name: 'fail closed: claim rejects when the backend does not answer',
  needsUnavailableStore: true,
  async run(ctx) {
    const store = await unavailable(ctx);
    for (const key of ['conformance:unavailable:1', 'conformance:unavailable:2']) {
      await expectRejection(
        ctx,
        `claim("${key}", ${HOLD_MS})`,
        () => store.claim(key, HOLD_MS),
        (answer) => {
          const status = (answer as { status?: unknown } | null)?.status;
          if (status === 'claimed') return "'claimed' runs the handler with no de-duplication at all";
          if (status === 'done')
            return "'done' acknowledges an event nobody processed: the platform never sends it again";
          return `${JSON.stringify(answer)} hides the outage (reject, and @ttpay/koa answers 503 and logs it)`;
        },
      );
    }
  },
};

export const completeAndReleaseFailClosed: ConformanceCase = {
  name: 'fail closed: complete and release reject when the backend does not answer',
  needsUnavailableStore: true,
  async run(ctx) {
    const store = await unavailable(ctx);
    // A lease taken before the backend went away.
    const lease = { key: 'conformance:unavailable:lease', token: newLeaseToken() };
    await expectRejection(
      ctx,
      `complete({key, token}, ${HOLD_MS})`,
      () => store.complete(lease, HOLD_MS),
      () =>
        'resolving says the key is recorded done when it is not: a duplicate would run the handler again, and the caller has no reason to retry',
    );
    await expectRejection(
      ctx,
      'release({key, token})',
      () => store.release(lease),
      () => 'resolving says the claim was handed back when the key stays held until its lease runs out',
    );
  },
};

async function unavailable(ctx: CaseContext): Promise<IdempotencyStore> {
  const store = await ctx.unavailableStore();
  if (!store) throw new Error('this case needs createUnavailableStore');
  return store;
}

/** The call must reject within `failClosedWithinMs`; `whyNot` says what resolving with `answer` would do. */
async function expectRejection(
  ctx: CaseContext,
  what: string,
  call: () => unknown,
  whyNot: (answer: unknown) => string,
): Promise<void> {
  const { failClosedWithinMs } = ctx.settings;
  const outcome = await settleWithin(call, failClosedWithinMs);
  if (outcome.kind === 'rejected') return;
  if (outcome.kind === 'pending') {
    assert.fail(
      `${what} on a store whose backend does not answer neither answered nor rejected within ${failClosedWithinMs} ms (failClosedWithinMs): give every backend call a timeout well under the platform's callback timeout (TikTok Shop waits 3 s), then reject.`,
    );
  }
  assert.fail(
    `${what} on a store whose backend does not answer resolved${outcome.value === undefined ? '' : ` with ${JSON.stringify(outcome.value)}`}: it must reject. ${whyNot(outcome.value)}.`,
  );
}
