import { PostgresStoreError } from './errors.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A validated table name: `name` or `schema.name`, each part quoted for SQL. */
export interface TableName {
  /** `"schema"."name"` or `"name"`: safe to put into SQL text. */
  readonly sql: string;
  /** The unqualified name, for naming the table's index. */
  readonly name: string;
}

/**
 * Parses the `table` option. Only plain identifiers (letters, digits, `_`, at most 63 each): the name
 * goes into SQL text, so nothing that needs escaping is accepted.
 */
export function parseTableName(table: string): TableName {
  const parts = typeof table === 'string' ? table.split('.') : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new PostgresStoreError(
      'INVALID_ARGUMENT',
      'PostgresStore: `table` must be `name` or `schema.name`, each a plain identifier ([A-Za-z_][A-Za-z0-9_]*, at most 63 characters)',
    );
  }
  const name = parts[parts.length - 1] as string;
  return { sql: parts.map((part) => `"${part}"`).join('.'), name };
}
