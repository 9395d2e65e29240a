import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Fails with a clear message unless each workspace package's `dist/` is built and newer than its `src/`:
 * tests that run plain `node` load what users load, the built code (the root `pnpm test` builds first).
 */
export function assertPackagesBuilt(...packages: string[]): void {
  for (const name of packages) {
    const src = fileURLToPath(new URL(`../../packages/${name}/src/`, import.meta.url));
    // `tsc -b` touches this on every build, while it re-emits only the files whose source changed.
    const buildInfo = fileURLToPath(new URL(`../../packages/${name}/tsconfig.tsbuildinfo`, import.meta.url));
    if (!existsSync(buildInfo)) {
      throw new Error(
        `packages/${name}/dist does not exist: run \`pnpm build\` first (the root \`pnpm test\` does).`,
      );
    }
    const built = statSync(buildInfo).mtimeMs;
    const stale = readdirSync(src, { recursive: true, encoding: 'utf8' }).find(
      (file) => file.endsWith('.ts') && statSync(`${src}${file}`).mtimeMs > built,
    );
    if (stale) throw new Error(`packages/${name}/dist is older than src/${stale}: run \`pnpm build\` first.`);
  }
}
