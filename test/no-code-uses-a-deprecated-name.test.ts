import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The names kept one release as `@deprecated` aliases (each package's `src/deprecated.ts`, the old verifier
 * forms) are for users' code written against 0.1: nothing in this repository uses them — not the packages,
 * the examples, the benchmarks, the scripts nor the tests — so removing them next release deletes only the
 * aliases and their one test each (`deprecated-names-still-work-for-one-release.test.ts` in each package).
 * The compiler's own "is deprecated" diagnostics find every use, as an editor's strikethrough would — in
 * the READMEs' ts blocks too (each read as a module beside its README, as test/readme-examples-compile does).
 */
const root = fileURLToPath(new URL('../', import.meta.url));

/** Where a deprecated name may appear: the aliases themselves, their tests, and what core still fills in. */
const ALLOWED = [
  /\/src\/deprecated\.ts$/,
  /\/test\/deprecated-names-still-work-for-one-release\.test\.ts$/,
  // The AlgoVoi event's 0.x fields (`status`, `token`, `tx_id`), deprecated on the event, are still set.
  /^packages\/core\/src\/algovoi\/webhook\.ts$/,
];

/**
 * Every top-level name declared under a `@deprecated` tag in the packages' sources (an alias, an overload):
 * only the files that mention one need the compiler's look (about 200 of 480).
 */
function deprecatedNames(): Set<string> {
  const names = new Set<string>();
  const sources = readdirSync(join(root, 'packages'), { recursive: true, encoding: 'utf8' }).filter(
    (f) => /^[^/]+\/src\/.+\.ts$/.test(f) && !f.includes('node_modules'),
  );
  for (const file of sources) {
    const text = readFileSync(join(root, 'packages', file), 'utf8');
    // Top-level declarations only (the comment's end is followed by an unindented line): a deprecated
    // field of a type, such as the AlgoVoi event's `token`, is not a name anyone imports.
    for (const tag of text.matchAll(/@deprecated[\s\S]*?\*\/\n(?=\S)/g)) {
      const after = text.slice((tag.index ?? 0) + tag[0].length);
      const name =
        /^(?:export\s+)?(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|type|interface|class|readonly)?\s*(\w+)/.exec(
          after,
        )?.[1];
      if (name) names.add(name);
    }
  }
  return names;
}

/** Every ```ts block of every README in the repository, as a module beside its README. */
function readmeBlocks(): Map<string, string> {
  const readmes = ts.sys
    .readDirectory(root, ['.md'], ['**/node_modules', '**/dist'], ['**/README*.md'], 4)
    .map((f) => relative(root, f));
  const blocks = new Map<string, string>();
  for (const readme of readmes) {
    const text = readFileSync(join(root, readme), 'utf8');
    for (const [i, m] of [...text.matchAll(/```ts\n([\s\S]*?)```/g)].entries()) {
      const name = readme.split('/').pop()?.replace(/\.md$/, '') ?? 'README';
      blocks.set(join(root, dirname(readme), `${name}.block-${i}.deprecation-check.ts`), m[1] as string);
    }
  }
  return blocks;
}

describe('no code in the repository uses a deprecated ttpay name', () => {
  it('finds none outside the aliases and their tests, README examples included', () => {
    const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
    const blocks = readmeBlocks();
    expect(blocks.size).toBeGreaterThan(20);
    const service = ts.createLanguageService({
      getScriptFileNames: () => [...parsed.fileNames, ...blocks.keys()],
      getScriptVersion: () => '0',
      getScriptSnapshot: (file) => {
        const text = blocks.get(file) ?? ts.sys.readFile(file);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => root,
      getCompilationSettings: () => parsed.options,
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      fileExists: (file) => blocks.has(file) || ts.sys.fileExists(file),
      readFile: (file) => blocks.get(file) ?? ts.sys.readFile(file),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    });
    const names = deprecatedNames();
    // The aliases, the 0.1 verifier forms and CodedError are among them.
    expect([...names]).toEqual(
      expect.arrayContaining([
        'tiktokWebhooks',
        'ecpayCallback',
        'TradeOrderQueryResult',
        'verifyEcpayCallback',
        'CodedError',
      ]),
    );
    const mentions = new RegExp(`\\b(${[...names].join('|')})\\b`);
    const files = [
      ...parsed.fileNames.filter(
        (f) =>
          !f.includes('/node_modules/') && !f.includes('/dist/') && mentions.test(readFileSync(f, 'utf8')),
      ),
      ...[...blocks].filter(([, code]) => mentions.test(code)).map(([file]) => file),
    ];
    expect(files.length).toBeGreaterThan(50);
    const uses: string[] = [];
    let allowedUses = 0;
    for (const file of files) {
      const path = relative(root, file);
      for (const d of service.getSuggestionDiagnostics(file)) {
        if (!d.reportsDeprecated || !d.file || d.start === undefined) continue;
        if (ALLOWED.some((pattern) => pattern.test(path))) {
          allowedUses += 1;
          continue;
        }
        const { line } = d.file.getLineAndCharacterOfPosition(d.start);
        uses.push(`${path}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      }
    }
    // The check sees deprecations at all: the alias tests use every alias.
    expect(allowedUses).toBeGreaterThan(50);
    expect(uses).toEqual([]);
  }, 120_000);
});
