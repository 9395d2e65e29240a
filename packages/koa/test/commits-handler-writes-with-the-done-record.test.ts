// A TransactionalIdempotencyStore runs the handler inside its transaction: the handler's writes and the
// key's done-record commit together or not at all, and nothing is acknowledged before the commit.
// A small in-memory model of such a store (a staged "table" that commits or is dropped) pins the
// pipeline's side of the contract; @ttpay/store-postgres runs the same scenarios on a real PostgreSQL.
import { TtpayError } from '@ttpay/core';
import type { Claim, Lease, StoreErrorCode, TransactionalIdempotencyStore } from '@ttpay/core/store';
import { demoCredentials, signedEcpayCallback } from '@ttpay/testing';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { douyinCallbacks, MemoryStore } from '../src/index.js';
import { captureLogger, DOUYIN_ACK, douyinFailure, post, sleep } from './helpers.js';

/** What the handler writes through: rows staged until the transaction commits. */
interface ModelTx {
  write(row: string): void;
}

class ModelTransactionalStore implements TransactionalIdempotencyStore<ModelTx> {
  readonly inner = new MemoryStore();
  /** Committed rows. */
  readonly rows: string[] = [];
  released = 0;
  /** Make the next commit fail after the work ran (the connection dropped at COMMIT). */
  failNextCommit = false;
  /** Make the next transaction find its lease taken over by another claim. */
  loseNextLease = false;
  /** Delay before each commit. */
  commitDelayMs = 0;

  claim(key: string, leaseMs: number): Claim {
    return this.inner.claim(key, leaseMs);
  }
  complete(lease: Lease, ttlMs: number): void {
    this.inner.complete(lease, ttlMs);
  }
  release(lease: Lease): void {
    this.released++;
    this.inner.release(lease);
  }
  async completeWithin<R>(lease: Lease, ttlMs: number, work: (tx: ModelTx) => Promise<R>): Promise<R> {
    const staged: string[] = [];
    let open = true;
    const tx: ModelTx = {
      write: (row) => {
        if (!open) throw new Error('the transaction is over');
        staged.push(row);
      },
    };
    try {
      const result = await work(tx); // a throw here is a rollback: staged rows are dropped
      if (this.loseNextLease) {
        this.loseNextLease = false;
        throw new TtpayError('LEASE_LOST', 'another claim holds the key');
      }
      await sleep(this.commitDelayMs);
      if (this.failNextCommit) {
        this.failNextCommit = false;
        // What a real store throws when its connection drops at COMMIT (PostgresStore: toStoreError).
        throw new TtpayError<StoreErrorCode>('STORE_UNAVAILABLE', 'connection terminated during COMMIT');
      }
      this.rows.push(...staged);
      this.inner.complete(lease, ttlMs);
      return result;
    } finally {
      open = false;
    }
  }
}

function shop(
  store: ModelTransactionalStore,
  options: { handlerTimeoutMs?: number; fail?: () => boolean } = {},
) {
  const logger = captureLogger();
  let txSeenAfter: unknown = 'unset';
  const app = new Koa().use(
    douyinCallbacks({
      token: demoCredentials.douyin.token,
      store,
      logger,
      ...(options.handlerTimeoutMs ? { handlerTimeoutMs: options.handlerTimeoutMs } : {}),
      onPayment: async (event, ctx) => {
        ctx.payment.tx.write(`paid ${event.key}`);
        if (options.fail?.()) throw new Error('the shop refused it');
        setImmediate(() => {
          txSeenAfter = ctx.payment.tx;
        });
      },
    }),
  );
  return { app, logger, txSeenAfter: () => txSeenAfter };
}

describe('a transactional store', () => {
  it('commits the handler’s write with the done-record; a duplicate is acknowledged without a second write', async () => {
    const store = new ModelTransactionalStore();
    const { app, txSeenAfter } = shop(store);
    const d = signedEcpayCallback({ type: 'payment' });
    await post(app, '/', d).expect(200, DOUYIN_ACK);
    await post(app, '/', d).expect(200, DOUYIN_ACK);
    expect(store.rows).toHaveLength(1);
    await sleep(5);
    expect(txSeenAfter()).toBeUndefined(); // ctx.payment.tx is gone once the transaction is
  });

  it('a handler that throws rolls back its write, releases the claim, and the redelivery applies it once', async () => {
    const store = new ModelTransactionalStore();
    let fail = true;
    const { app } = shop(store, { fail: () => fail });
    const d = signedEcpayCallback({ type: 'payment' });
    await post(app, '/', d).expect(500, douyinFailure(500, 'HANDLER_FAILED'));
    expect(store.rows).toEqual([]);
    expect(store.released).toBe(1);
    fail = false;
    await post(app, '/', d).expect(200, DOUYIN_ACK);
    expect(store.rows).toHaveLength(1);
  });

  it('a commit that fails is not acknowledged: the claim goes back and the redelivery applies it once', async () => {
    const store = new ModelTransactionalStore();
    const { app, logger } = shop(store);
    const d = signedEcpayCallback({ type: 'payment' });
    store.failNextCommit = true;
    await post(app, '/', d).expect(503, douyinFailure(503, 'STORE_UNAVAILABLE'));
    expect(store.rows).toEqual([]);
    expect(store.released).toBe(1);
    expect(logger.records.find((r) => r.level === 'error')?.obj.code).toBe('STORE_UNAVAILABLE');
    await post(app, '/', d).expect(200, DOUYIN_ACK);
    expect(store.rows).toHaveLength(1);
  });

  it('a lease taken over by another claim commits nothing, releases nothing (not ours), and answers retry-later', async () => {
    const store = new ModelTransactionalStore();
    const { app, logger } = shop(store);
    store.loseNextLease = true;
    await post(app, '/', signedEcpayCallback({ type: 'payment' })).expect(
      503,
      douyinFailure(503, 'LEASE_LOST'),
    );
    expect(store.rows).toEqual([]);
    expect(store.released).toBe(0);
    expect(logger.records.find((r) => r.obj.code === 'LEASE_LOST')?.level).toBe('warn');
  });

  it('never acknowledges before the commit: a commit slower than the deadline is answered retry-later, then done', async () => {
    const store = new ModelTransactionalStore();
    store.commitDelayMs = 80;
    const { app } = shop(store, { handlerTimeoutMs: 20 });
    const d = signedEcpayCallback({ type: 'payment' });
    // The handler finished at once, but its transaction has not committed: not acknowledged.
    await post(app, '/', d).expect(503, douyinFailure(503, 'HANDLER_TIMEOUT'));
    expect(store.rows).toEqual([]);
    await post(app, '/', d).expect(503, douyinFailure(503, 'IN_FLIGHT'));
    await sleep(120);
    expect(store.rows).toHaveLength(1);
    await post(app, '/', d).expect(200, DOUYIN_ACK);
    expect(store.rows).toHaveLength(1);
  });
});
