import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectSurfaces, publishedPackages } from '../scripts/api-report.js';
import { assertPackagesBuilt } from './support/built-packages.js';

/**
 * `@ttpay/core/internal` is what ttpay's own packages share, not covered by semver: nothing an app or a
 * store author needs may live only there. No public entry point re-exports from it, no published type
 * declaration refers to it (a user's type-check would depend on it), and `@ttpay/koa` does not import it
 * at all. A store author's needs are `@ttpay/core/store`'s.
 */
const root = fileURLToPath(new URL('../', import.meta.url));

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => join(dir, f));
}

describe('@ttpay/core/internal stays behind the public entry points', () => {
  const surfaces = (() => {
    assertPackagesBuilt(...publishedPackages().map((p) => p.dir.split('/').pop() as string));
    return collectSurfaces();
  })();
  const entries = surfaces.flatMap((s) => s.entries);

  it('no public entry point re-exports a name of @ttpay/core/internal', () => {
    const internal = entries.find((e) => e.specifier === '@ttpay/core/internal');
    expect(internal?.exports).toContain('positiveInteger');
    const reexporting = entries
      .filter((e) => e.specifier !== '@ttpay/core/internal' && e.text.includes("from '@ttpay/core/internal'"))
      .map((e) => e.specifier);
    expect(reexporting).toEqual([]);
  });

  it('no published .d.ts outside @ttpay/core refers to @ttpay/core/internal', () => {
    const declarations = publishedPackages()
      .filter((p) => p.name !== '@ttpay/core')
      .flatMap((p) => files(join(p.dir, 'dist'), '.d.ts'));
    expect(declarations.length).toBeGreaterThan(50);
    const referring = declarations
      .filter((f) => readFileSync(f, 'utf8').includes('@ttpay/core/internal'))
      .map((f) => relative(root, f));
    expect(referring).toEqual([]);
  });

  it('@ttpay/koa imports nothing from @ttpay/core/internal', () => {
    const sources = files(join(root, 'packages/koa/src'), '.ts');
    expect(sources.length).toBeGreaterThan(5);
    const importing = sources
      .filter((f) => readFileSync(f, 'utf8').includes('@ttpay/core/internal'))
      .map((f) => relative(root, f));
    expect(importing).toEqual([]);
  });

  it('@ttpay/core/store has what a store author needs: the contract, its codes and its two helpers', () => {
    const store = entries.find((e) => e.specifier === '@ttpay/core/store');
    expect(store?.exports.sort()).toEqual(
      [
        'AtomicIdempotencyStore',
        'AtomicRun',
        'Claim',
        'IdempotencyStore',
        'Lease',
        'StoreErrorCode',
        'TransactionalIdempotencyStore',
        'newLeaseToken',
        'storableKey',
      ].sort(),
    );
    expect(store?.values.sort()).toEqual(['newLeaseToken', 'storableKey']);
  });
});
