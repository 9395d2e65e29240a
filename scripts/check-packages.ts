/**
 * `pnpm check:packages`: packs every published package exactly as `pnpm publish` would (workspace
 * ranges rewritten, `publishConfig` applied) and runs `publint --strict` and `@arethetypeswrong/cli`
 * (the ESM-only profile: these packages ship no CommonJS) on each tarball. Exits 1 on any finding.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishedPackages } from './api-report.js';

const out = mkdtempSync(join(tmpdir(), 'ttpay-check-packages-'));
let failed = 0;
try {
  for (const pkg of publishedPackages()) {
    const before = new Set(readdirSync(out));
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: pkg.dir, stdio: 'ignore' });
    const tarball = join(out, readdirSync(out).find((f) => !before.has(f)) as string);
    for (const [tool, args] of [
      ['publint', ['run', tarball, '--strict']],
      ['attw', [tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-emoji']],
    ] as const) {
      const result = spawnSync('pnpm', ['exec', tool, ...args], { encoding: 'utf8' });
      const ok = result.status === 0;
      if (!ok) failed++;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${tool} ${pkg.name}`);
      if (!ok || process.argv.includes('--verbose')) console.log(`${result.stdout}${result.stderr}`.trim());
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exitCode = failed === 0 ? 0 : 1;
