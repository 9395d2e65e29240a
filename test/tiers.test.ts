import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { E2E_TESTS, INTEGRATION_TESTS } from './tiers.js';

/**
 * The unit tier stays a unit tier: no unit test file — nor a test helper it imports, however deep —
 * imports a database driver, Redis, PGlite, a process API or a browser. A test that needs one belongs in
 * INTEGRATION_TESTS or E2E_TESTS (test/tiers.ts). Imports of the packages' own sources are not followed:
 * what a unit test runs of them is in-process.
 */
const ROOT = fileURLToPath(new URL('../', import.meta.url));

const FORBIDDEN: readonly RegExp[] = [
  /^pg$/,
  /^ioredis$/,
  /^@electric-sql\/pglite/,
  /^(node:)?child_process$/,
  /^playwright/,
  /^@ttpay\/store-(postgres|redis)/,
  /^@ttpay\/example-koa-shop/,
];

/** Every `import … from '…'`, `export … from '…'`, `import('…')` and `import '…'` specifier. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\1/g;
  for (const match of source.matchAll(pattern)) found.push(match[2] as string);
  return found;
}

function isTestFile(path: string): boolean {
  return /(^|\/)test\//.test(relative(ROOT, path));
}

/** The forbidden imports reachable from `file` through test files and helpers, as `importer → specifier`. */
function forbiddenImports(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const hits: string[] = [];
  for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
    if (FORBIDDEN.some((pattern) => pattern.test(specifier))) {
      hits.push(`${relative(ROOT, file)} → ${specifier}`);
      continue;
    }
    if (!specifier.startsWith('.')) continue;
    const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
    if (isTestFile(target) && existsSync(target)) hits.push(...forbiddenImports(target, seen));
  }
  return hits;
}

function matches(glob: string, path: string): boolean {
  // The few glob forms test/tiers.ts uses: `**/`, `*` within a segment, literal paths.
  const source = glob
    .split('**/')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('(?:.*/)?');
  return new RegExp(`^${source}$`).test(path);
}

/** Every test file in the packages', the examples' and the root test folders, as ALL_TESTS finds them. */
function allTestFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'scratch-app') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.ts')) found.push(relative(ROOT, path));
    }
  };
  for (const group of ['packages', 'examples']) {
    for (const pkg of readdirSync(join(ROOT, group))) {
      if (existsSync(join(ROOT, group, pkg, 'test'))) walk(join(ROOT, group, pkg, 'test'));
    }
  }
  walk(join(ROOT, 'test'));
  return found;
}

function unitFiles(): string[] {
  return allTestFiles().filter(
    (path) => ![...E2E_TESTS, ...INTEGRATION_TESTS].some((glob) => matches(glob, path)),
  );
}

describe('the unit tier', () => {
  it('imports no database, Redis, PGlite, process API or browser, directly or through a helper', () => {
    const files = unitFiles();
    // The same set vitest's unit project runs (vitest.config.ts builds it from the same globs).
    expect(files).toContain('test/tiers.test.ts');
    expect(files).not.toContain('test/packaging/requires-every-entry-from-commonjs.test.ts');
    expect(files.length).toBeGreaterThan(50);
    const hits = files.flatMap((path) => forbiddenImports(join(ROOT, path)));
    expect(hits).toEqual([]);
  });

  it('catches such an import through a helper (the check itself works)', () => {
    const hits = forbiddenImports(join(ROOT, 'examples/koa-shop/test/one-shop-across-processes.test.ts'));
    expect(hits.some((hit) => hit.includes('→ pg') || hit.includes('child_process'))).toBe(true);
  });
});
