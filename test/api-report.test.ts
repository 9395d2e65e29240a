import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  collectSurfaces,
  MAIN_ENTRY_BUDGET,
  mainEntryCount,
  publishedPackages,
  renderReport,
} from '../scripts/api-report.js';
import { assertPackagesBuilt } from './support/built-packages.js';

/**
 * The API report (scripts/api-report.ts): each published package's public surface — every entry point,
 * as its built .d.ts declares it — checked in as packages/<name>/api-report.api.md. A change to what users
 * can import must show up as a diff of that file, reviewed and committed with the change. The main entry
 * points together stay within a budget of names (MAIN_ENTRY_BUDGET in scripts/api-report.ts).
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

  it(`the main entry points export at most ${MAIN_ENTRY_BUDGET} names together (deprecated aliases not counted)`, () => {
    const main = surfaces.flatMap((s) => s.entries).filter((e) => e.main);
    // Every package has its main entry, and each is counted.
    expect(main.map((e) => e.specifier).sort()).toEqual(surfaces.map((s) => s.name).sort());
    const count = mainEntryCount(surfaces);
    if (count > MAIN_ENTRY_BUDGET) {
      const perEntry = main.map((e) => `${e.specifier} ${e.exports.length - e.deprecated.length}`).join(', ');
      expect.fail(
        `The main entry points export ${count} names (${perEntry}), over the budget of ${MAIN_ENTRY_BUDGET}. ` +
          'Keep what only ttpay itself, its tests or tools use off the main entries (a subpath, ' +
          '@ttpay/core/internal, or reached through a signature), or raise MAIN_ENTRY_BUDGET in ' +
          'scripts/api-report.ts as a reviewed decision.',
      );
    }
  });

  it('counts a name as deprecated only when every declaration of it is @deprecated', () => {
    const core = surfaces.find((s) => s.name === '@ttpay/core')?.entries.find((e) => e.main);
    // CodedError (a const and a type, both @deprecated) is; verifyEcpayCallback (one overload of two) is not.
    expect(core?.deprecated).toContain('CodedError');
    expect(core?.exports).toContain('verifyEcpayCallback');
    expect(core?.deprecated).not.toContain('verifyEcpayCallback');
  });

  it('tests every deprecated export in its package (deprecated-names-still-work-for-one-release.test.ts)', () => {
    const untested: string[] = [];
    for (const surface of surfaces) {
      const deprecated = surface.entries.flatMap((e) => e.deprecated);
      if (deprecated.length === 0) continue;
      const file = join(surface.dir, 'test/deprecated-names-still-work-for-one-release.test.ts');
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      for (const name of deprecated) {
        if (!new RegExp(`\\b${name}\\b`).test(text)) untested.push(`${surface.name} ${name}`);
      }
    }
    expect(untested).toEqual([]);
  });
});
