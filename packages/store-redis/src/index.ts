export { isRedisStoreError, RedisStoreError, type RedisStoreErrorCode } from './errors.js';
export { OWNED_CLIENT_DEFAULTS } from './owned-client.js';
export { RedisStore, type RedisStoreOptions } from './redis-store.js';
