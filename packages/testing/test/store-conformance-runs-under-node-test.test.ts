import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { STORE_CONFORMANCE_CASES } from '@ttpay/testing/store-conformance';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPackagesBuilt } from '../../../test/support/built-packages.js';
import { connectRedis, deleteKeys, uniquePrefix } from '../../store-redis/test/helpers/redis.js';

/**
 * The kit under `node:test`, as a store author with no other framework runs it: plain `node --test` on
 * a JavaScript file that imports the built `@ttpay/testing/store-conformance` (through the package's
 * `exports`), with node's TAP reporter.
 */

const FAIL_CLOSED = STORE_CONFORMANCE_CASES.filter((name) => name.startsWith('fail closed'));
/** None of these stores has processOnce: the atomic cases are skipped. */
const ATOMIC = STORE_CONFORMANCE_CASES.filter((name) => name.startsWith('processOnce'));
const STALE_RELEASE = "a stale holder's release does not free the new holder's claim";

interface NodeTestRun {
  code: number | null;
  tap: string;
  /** Each test's outcome by name, from the TAP lines `ok 3 - name`, `not ok 3 - name`, `ok 3 - name # SKIP`. */
  outcomes: Map<string, 'ok' | 'not ok' | 'skipped'>;
}

function nodeTest(file: string, env: Record<string, string> = {}): Promise<NodeTestRun> {
  const path = fileURLToPath(new URL(`./node-test/${file}`, import.meta.url));
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=tap', path], {
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tap = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      tap += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      tap += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const outcomes = new Map<string, 'ok' | 'not ok' | 'skipped'>();
      for (const m of tap.matchAll(/^\s*(ok|not ok) \d+ - (.*?)( # SKIP.*)?$/gm)) {
        outcomes.set(m[2] as string, m[3] ? 'skipped' : (m[1] as 'ok' | 'not ok'));
      }
      resolve({ code, tap, outcomes });
    });
  });
}

const expectOutcomes = (run: NodeTestRun, expected: (name: string) => string): void => {
  expect(Object.fromEntries(STORE_CONFORMANCE_CASES.map((name) => [name, run.outcomes.get(name)]))).toEqual(
    Object.fromEntries(STORE_CONFORMANCE_CASES.map((name) => [name, expected(name)])),
  );
};

beforeAll(() => assertPackagesBuilt('core', 'koa', 'store-redis', 'testing'));

describe('defineStoreConformance under node:test', () => {
  it('MemoryStore: every case passes, the fail-closed ones are reported skipped', async () => {
    const run = await nodeTest('memory-store.mjs');
    expect(run.code, run.tap).toBe(0);
    expectOutcomes(run, (name) => (FAIL_CLOSED.includes(name) || ATOMIC.includes(name) ? 'skipped' : 'ok'));
    expect(run.tap).toMatch(/^# pass 18$/m);
    expect(run.tap).toMatch(/^# fail 0$/m);
  }, 60_000);

  describe('RedisStore', () => {
    const prefix = uniquePrefix('conforms-node-test');
    let raw: Redis | undefined;
    beforeAll(async () => {
      raw = await connectRedis(); // fails with how to start Redis when there is none
    });
    afterAll(async () => {
      if (raw) await deleteKeys(raw, prefix);
      raw?.disconnect();
    });

    it('every case passes, the fail-closed ones included', async () => {
      const run = await nodeTest('redis-store.mjs', { TTPAY_CONFORMANCE_PREFIX: prefix });
      expect(run.code, run.tap).toBe(0);
      expectOutcomes(run, (name) => (ATOMIC.includes(name) ? 'skipped' : 'ok'));
      expect(run.tap).toMatch(/^# pass 20$/m);
    }, 90_000);
  });

  it('a store whose release ignores the token: that case fails, the run exits 1, the TAP says why', async () => {
    const run = await nodeTest('token-blind-release-store.mjs');
    expect(run.code).toBe(1);
    expectOutcomes(run, (name) =>
      name === STALE_RELEASE
        ? 'not ok'
        : FAIL_CLOSED.includes(name) || ATOMIC.includes(name)
          ? 'skipped'
          : 'ok',
    );
    expect(run.tap).toContain("the stale holder's release must be a no-op");
    expect(run.tap).toMatch(/^# fail 1$/m);
  }, 60_000);
});
