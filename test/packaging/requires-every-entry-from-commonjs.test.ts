import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { publishedPackages } from '../../scripts/api-report.js';
import { assertPackagesBuilt } from '../support/built-packages.js';

/**
 * The packages are ES modules, and the READMEs say `require()` works too from Node 20.19: a CommonJS
 * program loads every entry point of every publishable package (on whichever Node runs the suite — CI
 * runs it on 20, 22 and 24), and TypeScript in CommonJS mode compiles such a program against the built
 * declarations.
 */
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./commonjs/', import.meta.url));

beforeAll(() => {
  assertPackagesBuilt(...publishedPackages().map((p) => p.dir.split('/').pop() as string));
});

describe('require() from CommonJS', () => {
  it('loads every entry point of every publishable package, with its exports', async () => {
    const { stdout } = await run(process.execPath, [join(FIXTURES, 'require-every-entry.cjs')], {
      cwd: ROOT,
    });
    const loaded = JSON.parse(stdout) as Record<string, string[]>;
    const entries = publishedPackages().flatMap((p) => p.entries.map((e) => e.specifier));
    expect(Object.keys(loaded).sort()).toEqual(entries.sort());
    expect(loaded['@ttpay/core']).toEqual(expect.arrayContaining(['verifyEcpayCallback', 'TtpayError']));
    expect(loaded['@ttpay/koa']).toEqual(
      expect.arrayContaining(['douyinCallbacks', 'tikTokWebhooks', 'algoVoiWebhooks', 'MemoryStore']),
    );
    expect(loaded['@ttpay/client']).toContain('DouyinEcpayClient');
    expect(loaded['@ttpay/client/testing']).toEqual(['unsafeLoopbackTransportForTests']);
    expect(loaded['@ttpay/simulator']).toContain('startSimulator');
    expect(loaded['@ttpay/store-postgres']).toContain('PostgresStore');
    expect(loaded['@ttpay/store-redis']).toContain('RedisStore');
    expect(loaded['@ttpay/testing']).toEqual(
      expect.arrayContaining(['demoCredentials', 'signedEcpayCallback']),
    );
    // The framework-neutral engine and its Web adapter, for apps without Koa.
    expect(loaded['@ttpay/core/delivery']).toEqual(expect.arrayContaining(['douyinEndpoint', 'webHandler']));
    // What a store author needs at run time; the rest of the contract is types.
    expect(loaded['@ttpay/core/store']).toEqual(['newLeaseToken', 'storableKey']);
  });

  it('type-checks a CommonJS TypeScript file (module nodenext) against the built declarations', async () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', join(FIXTURES, 'tsconfig.json')], {
      cwd: ROOT,
    }).then(
      () => 'ok',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('ok');
  }, 60_000);
});
