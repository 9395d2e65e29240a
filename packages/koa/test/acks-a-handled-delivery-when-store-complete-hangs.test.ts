// Regression: when the handler had finished but the store's complete() never answered, the delivery
// was answered 503 HANDLER_TIMEOUT. The work was done: the platform's redelivery then found the key in
// flight until claimTtlMs ran out and ran the handler a second time. A complete() that throws was
// already acknowledged; one that hangs now is too.
import type { Claim, IdempotencyStore, Lease } from '@ttpay/core';
import { demoCredentials, tikTokWebhook } from '@ttpay/testing';
import Koa from 'koa';
import { expect, it } from 'vitest';
import { MemoryStore, tiktokWebhooks } from '../src/index.js';
import { captureLogger, post, webhookFailure } from './helpers.js';

class HangingCompleteStore implements IdempotencyStore {
  readonly inner = new MemoryStore();
  claim(key: string, ttlMs: number): Claim {
    return this.inner.claim(key, ttlMs);
  }
  complete(): Promise<void> {
    return new Promise<void>(() => {});
  }
  release(lease: Lease): void {
    this.inner.release(lease);
  }
}

it('a handled delivery whose complete() hangs is acknowledged at the deadline, logged as an error', async () => {
  const logger = captureLogger();
  let handled = 0;
  const app = new Koa().use(
    tiktokWebhooks({
      ...demoCredentials.tiktok,
      store: new HangingCompleteStore(),
      logger,
      handlerTimeoutMs: 30,
      onEvent: () => {
        handled++;
      },
    }),
  );
  await post(app, '/', tikTokWebhook()).expect(200, '');
  expect(handled).toBe(1);
  const error = logger.records.find((r) => r.level === 'error');
  expect(error?.msg).toMatch(/complete\(\) within handlerTimeoutMs; acknowledged anyway/);

  // A handler still running at the deadline is not acknowledged (unchanged).
  const slow = new Koa().use(
    tiktokWebhooks({
      ...demoCredentials.tiktok,
      store: new HangingCompleteStore(),
      logger: captureLogger(),
      handlerTimeoutMs: 30,
      onEvent: () => new Promise<void>((resolve) => setTimeout(resolve, 80)),
    }),
  );
  await post(slow, '/', tikTokWebhook()).expect(503, webhookFailure('HANDLER_TIMEOUT'));
});
