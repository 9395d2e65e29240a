import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedPackages } from '../../scripts/api-report.js';
import { packPublishedPackages } from '../../scripts/pack-all.js';
import { assertPackagesBuilt } from '../support/built-packages.js';

/**
 * What a new user gets from npm: every publishable package packed with `pnpm pack` (workspace ranges
 * rewritten as on publish; `pnpm pack:all`, scripts/pack-all.ts), installed with ONE `npm install` into a plain npm app in a temp directory
 * outside the workspace (so nothing resolves from the monorepo), compiled with strict TypeScript and
 * `skipLibCheck: false` (the shipped .d.ts are checked too), then run. Koa, got, @types/* and the other
 * third-party packages come from the npm registry, through npm's ordinary shared cache.
 */
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const APP_SOURCES = fileURLToPath(new URL('./scratch-app/', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

let work: string;
let app: string;
let tarballs: string;

/** What the scratch app needs from the registry besides the tarballs: what a user would add. */
const THIRD_PARTY = {
  '@koa/router': '^15.7.0',
  '@types/koa': '^3.0.0',
  '@types/node': '^20.19.0',
  koa: '^3.3.0',
};

const COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  types: ['node'],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  skipLibCheck: false,
  outDir: 'dist',
};

beforeAll(async () => {
  assertPackagesBuilt(...publishedPackages().map((p) => p.dir.split('/').pop() as string));
  work = mkdtempSync(join(tmpdir(), 'ttpay-pack-'));
  tarballs = join(work, 'tarballs');
  app = join(work, 'app');
  mkdirSync(tarballs);
  mkdirSync(app);
  // What `pnpm pack:all` makes: one tarball per publishable package.
  await packPublishedPackages(tarballs);
  const dependencies: Record<string, string> = { ...THIRD_PARTY };
  for (const file of readdirSync(tarballs)) {
    // ttpay-koa-0.1.0.tgz → @ttpay/koa
    const name = `@ttpay/${file.replace(/^ttpay-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '')}`;
    dependencies[name] = `file:${join(tarballs, file)}`;
  }
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'ttpay-scratch-app', private: true, type: 'module', dependencies }, null, 2),
  );
  for (const file of readdirSync(APP_SOURCES)) copyFileSync(join(APP_SOURCES, file), join(app, file));
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: COMPILER_OPTIONS,
      files: ['main.ts', 'own-payment.ts', 'own-store.ts'],
    }),
  );
  // Its own program: the Web adapter needs no Koa (no koa import anywhere in it).
  writeFileSync(
    join(app, 'tsconfig.web.json'),
    JSON.stringify({
      compilerOptions: { ...COMPILER_OPTIONS, outDir: 'dist-web' },
      files: ['web-handler.ts'],
    }),
  );
  await npmInstall(app);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarballs', () => {
  it('ship only what users need: built .js and .d.ts, README (and the Chinese one), LICENSE (no src, maps or build info)', async () => {
    for (const file of readdirSync(tarballs)) {
      const { stdout } = await run('tar', ['-tzf', join(tarballs, file)]);
      const entries = stdout
        .trim()
        .split('\n')
        .map((line) => line.replace(/^package\//, ''));
      expect(entries, file).toEqual(
        expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js']),
      );
      const unexpected = entries.filter(
        (entry) =>
          !/^(LICENSE|README\.md|README\.zh-CN\.md|package\.json)$/.test(entry) &&
          !/^dist\/.+\.(js|d\.ts)$/.test(entry) &&
          !/^(dashboard|sql)\//.test(entry),
      );
      expect(unexpected, file).toEqual([]);
    }
  });

  it('pass publint --strict and @arethetypeswrong/cli (ESM-only profile)', async () => {
    const bin = (tool: string) => join(ROOT, 'node_modules/.bin', tool);
    const findings: string[] = [];
    await Promise.all(
      readdirSync(tarballs).flatMap((file) =>
        [
          [bin('publint'), ['run', join(tarballs, file), '--strict']] as const,
          [
            bin('attw'),
            [join(tarballs, file), '--profile', 'esm-only', '--format', 'ascii', '--no-emoji'],
          ] as const,
        ].map(async ([tool, args]) => {
          try {
            await run(tool, [...args]);
          } catch (error) {
            const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
            findings.push(`${tool.split('/').pop()} ${file}:\n${stdout}${stderr}`);
          }
        }),
      ),
    );
    expect(findings).toEqual([]);
  }, 120_000);
});

describe('the packed tarballs, installed into a plain npm app outside the workspace', () => {
  it('install every package with its own dependencies, and nothing from the workspace', () => {
    for (const p of publishedPackages()) {
      expect(existsSync(join(app, 'node_modules', p.name, 'package.json')), p.name).toBe(true);
    }
    expect(existsSync(join(app, 'node_modules/got/package.json'))).toBe(true);
    expect(work.startsWith(ROOT)).toBe(false);
  });

  it('compile strict (own ctx.payment, an own store on @ttpay/core/store, the Web adapter without Koa, shipped .d.ts checked) and the app acknowledges a signed fixture and a simulated payment', async () => {
    await Promise.all([tsc(['-p', 'tsconfig.json']), tsc(['-p', 'tsconfig.web.json'])]);
    const { stdout } = await run(process.execPath, ['dist/main.js'], { cwd: app, timeout: 60_000 });
    expect(JSON.parse(stdout.trim())).toEqual({ acknowledged: ['pack_fixture_1', 'pack_order_1'] });
    const web = await run(process.execPath, ['dist-web/web-handler.js'], { cwd: app, timeout: 60_000 });
    expect(web.stdout.trim()).toBe('web handler ok');
  }, 120_000);

  it('links the ttpay CLI into the app’s node_modules/.bin', async () => {
    const { stdout } = await run(join(app, 'node_modules/.bin/ttpay'), ['--version'], { cwd: app });
    expect(stdout.trim()).toBe('0.1.0');
  });
});

async function tsc(args: string[]): Promise<void> {
  try {
    await run(process.execPath, [TSC, ...args], { cwd: app });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc ${args.join(' ')} failed in the scratch app (${app}):\n${stdout}${stderr}`);
  }
}

async function npmInstall(dir: string): Promise<void> {
  await assertRegistryReachable(dir);
  try {
    await run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--fetch-retries=1',
        '--fetch-timeout=60000',
      ],
      { cwd: dir, timeout: 240_000, env: { ...process.env, npm_config_loglevel: 'error' } },
    );
  } catch (error) {
    const { stderr = '', message } = error as { stderr?: string; message: string };
    await assertRegistryReachable(dir); // the registry may have gone away meanwhile: say so, not ERESOLVE
    throw new Error(`npm install of the packed tarballs failed in ${dir}:\n${stderr || message}`);
  }
}

/** Fails at once, and says why, when npm cannot reach its registry (rather than after its retries). */
async function assertRegistryReachable(dir: string): Promise<void> {
  try {
    await run('npm', ['ping', '--fetch-retries=0', '--fetch-timeout=15000'], { cwd: dir, timeout: 30_000 });
  } catch (error) {
    const { stderr = '', message } = error as { stderr?: string; message: string };
    const registry = (await run('npm', ['config', 'get', 'registry'], { cwd: dir }).catch(() => undefined))
      ?.stdout;
    throw new Error(
      `npm cannot reach its registry (${registry?.trim() || 'unknown'}): the pack-and-install test installs koa, ` +
        "got and the @types packages of its scratch app from it. Check the network and npm's registry/proxy " +
        `settings (npm config get registry), then run the test again.\n${(stderr || message).split('\n').slice(0, 4).join('\n')}`,
    );
  }
}
