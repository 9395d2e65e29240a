export { isRedisStoreError, RedisStoreError, type RedisStoreErrorCode } from './errors.js';
export { OWNED_CLIENT_DEFAULTS } from './owned-client.js';
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_PREFIX,
  RedisStore,
  type RedisStoreLogger,
  type RedisStoreOptions,
} from './redis-store.js';
