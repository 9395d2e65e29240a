import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One recorded platform shape (see README.md beside this file). */
export interface RecordedShape {
  source: string;
  note?: string;
  /** HTTP status the platform answers with; default 200. */
  http?: number;
  body: Record<string, unknown>;
  /** Dotted paths (array items share their array's path) an answer may leave out. */
  optional?: string[];
}

export type PlatformShapeFile =
  | 'douyin-trade'
  | 'douyin-ecpay'
  | 'tiktok-api'
  | 'tiktok-webhooks'
  | 'algovoi';

export function loadShapes(file: PlatformShapeFile): Record<string, RecordedShape> {
  const path = fileURLToPath(new URL(`${file}.json`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, RecordedShape>;
}

export function shape(file: PlatformShapeFile, name: string): RecordedShape {
  const found = loadShapes(file)[name];
  if (!found) throw new Error(`No recorded shape ${name} in ${file}.json`);
  return found;
}

/**
 * Where `actual` differs from the recorded body's shape: a key the record has that `actual` lacks (unless
 * optional), a key `actual` has that the record does not (the simulator must not invent fields), or a
 * value of another JSON type. Arrays are compared item-wise against the record's first item.
 */
export function shapeDifferences(recorded: RecordedShape, actual: unknown): string[] {
  const optional = new Set(recorded.optional ?? []);
  const out: string[] = [];
  compare(recorded.body, actual, '', optional, out);
  return out;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function compare(
  expected: unknown,
  actual: unknown,
  path: string,
  optional: Set<string>,
  out: string[],
): void {
  const where = path === '' ? '(root)' : path;
  if (kind(expected) !== kind(actual)) {
    out.push(`${where}: expected ${kind(expected)}, got ${kind(actual)}`);
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length === 0) return;
    for (const item of actual) compare(expected[0], item, path, optional, out);
    return;
  }
  if (kind(expected) !== 'object') return;
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  for (const key of Object.keys(e)) {
    const sub = path === '' ? key : `${path}.${key}`;
    if (!(key in a)) {
      if (!optional.has(sub)) out.push(`${sub}: missing`);
      continue;
    }
    compare(e[key], a[key], sub, optional, out);
  }
  for (const key of Object.keys(a)) {
    const sub = path === '' ? key : `${path}.${key}`;
    if (!(key in e) && !optional.has(sub)) out.push(`${sub}: not in the recorded shape`);
  }
}
