import { readFileSync } from 'node:fs';
import { STORE_CONFORMANCE_CASES } from '@ttpay/testing/store-conformance';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, deleteKeys } from '../../store-redis/test/helpers/redis.js';
// The README's vitest example, verbatim: importing it registers the kit's cases in this file.
import './store-conformance-readme-example.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const file = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8').trimEnd();

let raw: Redis | undefined;
beforeAll(async () => {
  raw = await connectRedis(); // fails with how to start Redis when there is none
});
afterAll(async () => {
  // The example's keys expire within a minute; a shared server gets them back now.
  if (raw) await deleteKeys(raw, `conformance-example:${process.pid}:`);
  raw?.disconnect();
});

describe('packages/testing/README.md: the Store conformance kit examples', () => {
  it('show test/store-conformance-readme-example.ts (run above) verbatim', () => {
    expect(README).toContain(['```ts', file('./store-conformance-readme-example.ts'), '```'].join('\n'));
  });

  it('list every case of the kit, by the name its test carries', () => {
    const rows = README.split('\n').filter((line) => line.startsWith('| '));
    for (const name of STORE_CONFORMANCE_CASES) {
      expect(rows.some((row) => row.startsWith(`| ${name} `))).toBe(true);
    }
  });

  it('show test/node-test/memory-store.mjs (run under node:test by another test) verbatim', () => {
    expect(README).toContain(['```js', file('./node-test/memory-store.mjs'), '```'].join('\n'));
  });
});
