import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { connectRedis, deleteKeys } from './helpers/redis.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');

beforeAll(async () => {
  (await connectRedis()).disconnect(); // fails with how to start Redis when there is none
});

afterAll(async () => {
  // the example writes under the default prefix with a week-long ttl: do not leave it on a shared server
  const raw = await connectRedis();
  await deleteKeys(raw, 'ttpay:idem:douyin:payment:example-');
  raw.disconnect();
});

afterEach(() => {
  vi.restoreAllMocks();
});

it('the README shows test/readme-example.ts verbatim', () => {
  expect(readme).toContain(['```ts', example.trimEnd(), '```'].join('\n'));
});

it('the README example runs against Redis and applies a duplicate once', async () => {
  const lines: unknown[] = [];
  vi.spyOn(console, 'log').mockImplementation((value: unknown) => {
    lines.push(value);
  });
  await import('./readme-example.js');
  expect(lines).toEqual(['ack', 'ack', 1]);
});
