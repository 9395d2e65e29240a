import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every ```ts block of every README compiles, against the packages as they are now, under the repository's
 * strict settings. The blocks that can run do so in each package's own README test; the others (they call
 * the real platforms with credentials from the environment) would otherwise drift unnoticed when an API
 * changes. `// not run` blocks are compiled too.
 *
 * Some blocks are fragments of a larger app: they use an `app`, a `db` or a `./my-clients.js` the reader
 * has. What only says so — a name, or a local module, not found, and the implicit `any` of a callback whose
 * function is such a name — is not a problem; every other diagnostic is (a wrong option or field, a
 * missing required one, an export that is gone, a type used as a value …).
 */
const FRAGMENT_CONTEXT = new Set([
  2304, // Cannot find name 'app'.
  2552, // Cannot find name 'event'. Did you mean 'Event'?
  18004, // No value exists in scope for the shorthand property 'token'.
  7006, // Parameter 'ctx' implicitly has an 'any' type (its function is a name not found).
  7031, // Binding element implicitly has an 'any' type (likewise).
]);

function isFragmentContext(d: ts.Diagnostic): boolean {
  if (FRAGMENT_CONTEXT.has(d.code)) return true;
  // Cannot find module './my-clients.js': the reader's own module.
  return d.code === 2307 && /'\.\.?\//.test(ts.flattenDiagnosticMessageText(d.messageText, ' '));
}
const root = fileURLToPath(new URL('../', import.meta.url));
const READMES = [
  'README.md',
  'README.zh-CN.md',
  ...ts.sys
    .readDirectory(join(root, 'packages'), ['.md'], undefined, ['*/README.md', '*/README.zh-CN.md'], 2)
    .map((f) => relative(root, f)),
  'examples/koa-shop/README.md',
  'examples/minimal/README.md',
].filter((f, i, all) => all.indexOf(f) === i);

function tsBlocks(readme: string): string[] {
  const text = ts.sys.readFile(join(root, readme)) ?? '';
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

describe('README examples compile (strict, exactOptionalPropertyTypes, NodeNext, the packages as they are)', () => {
  it('finds the READMEs and their blocks', () => {
    expect(READMES).toEqual(
      expect.arrayContaining([
        'README.md',
        'packages/client/README.md',
        // The Chinese READMEs of the Douyin path carry code too: it must compile as well.
        'README.zh-CN.md',
        'packages/core/README.zh-CN.md',
        'packages/koa/README.zh-CN.md',
        'packages/client/README.zh-CN.md',
      ]),
    );
    for (const zh of READMES.filter((r) => r.endsWith('.zh-CN.md'))) {
      expect(tsBlocks(zh).length, zh).toBeGreaterThan(0);
    }
    expect(READMES.reduce((n, r) => n + tsBlocks(r).length, 0)).toBeGreaterThanOrEqual(20);
  });

  it('every block type-checks', () => {
    const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
    // Users may compile with exactOptionalPropertyTypes: every example must too.
    const options = { ...parsed.options, exactOptionalPropertyTypes: true };
    // Each block beside its README, so imports resolve as they do for the README's readers.
    const files: { file: string; where: string }[] = [];
    const dirs: string[] = [];
    try {
      for (const readme of READMES) {
        const dir = join(root, dirname(readme), `.readme-compile-${process.pid}`);
        mkdirSync(dir, { recursive: true });
        dirs.push(dir);
        for (const [i, code] of tsBlocks(readme).entries()) {
          // Named after its README too: README.md and README.zh-CN.md share a directory.
          const file = join(dir, `${basename(readme, '.md')}-block-${i + 1}.ts`);
          // `export {}`: every block is a module of its own, as a user's file would be.
          writeFileSync(file, `${code}\nexport {};\n`);
          files.push({ file, where: `${readme} block ${i + 1}` });
        }
      }
      const program = ts.createProgram(
        files.map((f) => f.file),
        options,
      );
      const diagnostics = ts.getPreEmitDiagnostics(program);
      // The filter must not hide everything: the fragments do rely on names from their app.
      expect(diagnostics.filter(isFragmentContext).length).toBeGreaterThan(0);
      // Only the blocks' own diagnostics: the packages' sources (reached through `ttpay-source`) are
      // checked by `pnpm typecheck` under their own settings, and their shipped .d.ts by test/packaging.
      const blockFiles = new Set(files.map((f) => f.file));
      const problems = diagnostics
        .filter((d) => !isFragmentContext(d) && (d.file === undefined || blockFiles.has(d.file.fileName)))
        .map((d) => {
          const at = files.find((f) => f.file === d.file?.fileName);
          const line =
            d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
          return `${at?.where ?? d.file?.fileName ?? '?'} line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
        });
      expect(problems).toEqual([]);
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
