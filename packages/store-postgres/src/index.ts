export { pgDatabase, type SqlDatabase, type SqlQuery, type SqlResult } from './database.js';
export { isPostgresStoreError, PostgresStoreError, type PostgresStoreErrorCode } from './errors.js';
export { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
