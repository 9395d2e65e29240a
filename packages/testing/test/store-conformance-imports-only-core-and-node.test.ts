import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('../src/store-conformance/index.ts', import.meta.url));

/** Every module the entry reaches through relative imports, and every package specifier they import. */
function moduleGraph(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (files.includes(file)) continue;
    files.push(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(
      /(?:^|\s)(?:import|export)\s[^;]*?from\s+'([^']+)'|import\s*\(?\s*'([^']+)'/g,
    )) {
      const specifier = (m[1] ?? m[2]) as string;
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  }
  return { files, packages };
}

/** `@ttpay/core`, one of its entry points (`@ttpay/core/store`, …), or a `node:` module. */
function isCoreOrNode(specifier: string): boolean {
  return specifier === '@ttpay/core' || specifier.startsWith('@ttpay/core/') || specifier.startsWith('node:');
}

it('@ttpay/testing/store-conformance imports only @ttpay/core and node: modules (no vitest, no koa)', () => {
  const { files, packages } = moduleGraph(ENTRY);
  // It reaches the fixtures (for the event keys), which must stay this light too.
  expect(files.some((f) => f.includes('/src/fixtures/'))).toBe(true);
  const foreign = [...packages].filter((p) => !isCoreOrNode(p));
  expect(foreign).toEqual([]);
  // The store contract from where a store author imports it too.
  expect(packages).toContain('@ttpay/core/store');
});

it('@ttpay/testing (fixtures, demo credentials) imports only @ttpay/core and node: modules (no koa, no router)', () => {
  const { packages } = moduleGraph(fileURLToPath(new URL('../src/index.ts', import.meta.url)));
  const foreign = [...packages].filter((p) => !isCoreOrNode(p));
  expect(foreign).toEqual([]);
});

it('@ttpay/testing depends on @ttpay/core alone', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  expect(Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })).toEqual(['@ttpay/core']);
});
