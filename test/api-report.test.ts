import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectSurfaces, publishedPackages, renderReport } from '../scripts/api-report.js';
import { assertPackagesBuilt } from './support/built-packages.js';

/**
 * The API report (scripts/api-report.ts): each published package's public surface — every entry point,
 * as its built .d.ts declares it — checked in as packages/<name>/api-report.api.md. A change to what users
 * can import must show up as a diff of that file, reviewed and committed with the change.
 */
describe('the API report', () => {
  const surfaces = (() => {
    assertPackagesBuilt(...publishedPackages().map((p) => p.dir.split('/').pop() as string));
    return collectSurfaces();
  })();

  for (const surface of surfaces) {
    it(`${surface.name}: packages/${surface.dir.split('/').pop()}/api-report.api.md matches the built .d.ts`, () => {
      const report = relative(process.cwd(), surface.reportPath);
      let current = '';
      try {
        current = readFileSync(surface.reportPath, 'utf8');
      } catch {
        // Missing: reported as stale below.
      }
      const fresh = renderReport(surface);
      if (current !== fresh) {
        expect.fail(
          `${report} is stale: the public surface of ${surface.name} changed. Review the change, then run ` +
            '`pnpm build && pnpm api-report` and commit the updated report.',
        );
      }
    });
  }
});
