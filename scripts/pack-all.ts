/**
 * `pnpm pack:all [--out <dir>]`: packs every publishable package (`packages/*`, not the private example
 * or apps) exactly as `pnpm publish` would — workspace ranges rewritten, `publishConfig` applied — into
 * one folder (default `tarballs/`, git-ignored), to install into an app outside this repository:
 *
 *   pnpm pack:all && cd ../my-app && npm install ../ttpay/tarballs/*.tgz
 *
 * The root script builds first. test/packaging installs these same tarballs.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publishedPackages } from './api-report.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Packs the publishable packages into `outDir` (created; earlier ttpay tarballs in it removed) and
 * resolves with the tarballs' paths, one per package.
 */
export async function packPublishedPackages(outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  for (const file of readdirSync(outDir)) {
    if (/^ttpay-.+\.tgz$/.test(file)) rmSync(join(outDir, file));
  }
  await Promise.all(
    publishedPackages().map((p) => run('pnpm', ['pack', '--pack-destination', outDir], { cwd: p.dir })),
  );
  return readdirSync(outDir)
    .filter((file) => /^ttpay-.+\.tgz$/.test(file))
    .sort()
    .map((file) => join(outDir, file));
}

async function main(args: string[]): Promise<number> {
  const at = args.indexOf('--out');
  if (at >= 0 && args[at + 1] === undefined) {
    console.error('pnpm pack:all: --out needs a folder.');
    return 2;
  }
  const out = resolve(at >= 0 ? (args[at + 1] as string) : join(root, 'tarballs'));
  const tarballs = await packPublishedPackages(out);
  for (const file of tarballs) console.log(file);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
