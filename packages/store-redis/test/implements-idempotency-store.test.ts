import type { Claim, IdempotencyStore } from '@ttpay/core/store';
import type { Cluster, Redis } from 'ioredis';
import { expect, expectTypeOf, it } from 'vitest';
import type { RedisStore, RedisStoreErrorCode, RedisStoreOptions } from '../src/index.js';

it('is an IdempotencyStore (what douyinCallbacks({ store }) takes)', () => {
  expectTypeOf<RedisStore>().toExtend<IdempotencyStore>();
  expectTypeOf<RedisStore['claim']>().returns.resolves.toEqualTypeOf<Claim>();
});

it('takes a Redis or Cluster client, or a URL / options', () => {
  expectTypeOf<Redis>().toExtend<NonNullable<RedisStoreOptions['client']>>();
  expectTypeOf<Cluster>().toExtend<NonNullable<RedisStoreOptions['client']>>();
  expectTypeOf<RedisStoreErrorCode>().toEqualTypeOf<
    | 'STORE_UNAVAILABLE'
    | 'STORE_BUSY'
    | 'STORE_REJECTED'
    | 'STORE_CLOSED'
    | 'UNEXPECTED_VALUE'
    | 'INVALID_ARGUMENT'
  >();
  // @ts-expect-error a port number is not a client
  const invalid: RedisStoreOptions = { client: 6379 };
  expect(invalid).toBeDefined();
});
