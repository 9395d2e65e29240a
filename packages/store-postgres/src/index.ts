export { pgDatabase, type SqlDatabase, type SqlQuery, type SqlResult } from './database.js';
export { isPostgresStoreError, PostgresStoreError, type PostgresStoreErrorCode } from './errors.js';
export {
  DEFAULT_OPERATION_TIMEOUT_MS,
  DEFAULT_TABLE,
  PostgresStore,
  type PostgresStoreLogger,
  type PostgresStoreOptions,
} from './postgres-store.js';
