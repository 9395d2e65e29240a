/**
 * The API report: every published entry point's public surface, as its built `.d.ts` declares it, in
 * one checked-in file per package (`packages/<name>/api-report.api.md`, in the manner of API Extractor). `test/api-report.test.ts` fails
 * when a report is stale, so any change to what users can import is a visible diff in review.
 *
 *   pnpm build && pnpm api-report           # rewrite the reports
 *   pnpm build && pnpm api-report --check   # exit 1 when a report is stale (what the test runs)
 *   pnpm build && pnpm api-report --count   # exports per entry point, against the budget
 *
 * Each entry point lists its exports by name, then the deprecated ones (kept one release for migration,
 * not counted), and each report ends with the package's declarations that no entry exports by name but
 * that users reach through the exported ones (a method's answer type, an event's `msg`): a change to any
 * of them is a change users see, so it is in the report too.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface EntryPoint {
  /** `@ttpay/koa/global-context` */
  specifier: string;
  /** Absolute path of the built declaration file. */
  types: string;
}

/**
 * The most names the main entry points (`@ttpay/core`, `@ttpay/koa`, … — not their subpaths) may export
 * together, deprecated aliases not counted. `test/api-report.test.ts` fails above it: a name added to a
 * main entry is a decision, made by raising this number in review or by keeping the name off the main
 * entries (a subpath, `@ttpay/core/internal`, or reached through a signature). Set with issue #26: 121
 * names then (from 279), 129 once the refund and settlement reconcilers (issue #23) landed.
 */
export const MAIN_ENTRY_BUDGET = 130;

export interface EntrySurface {
  specifier: string;
  /** True for a package's main entry (`@ttpay/core`), false for a subpath (`@ttpay/core/store`). */
  main: boolean;
  /** Every exported name, deprecated ones included. */
  exports: string[];
  /** The exported names every declaration of which is `@deprecated`: kept one release, not counted. */
  deprecated: string[];
  /** The exported names that are values (not deprecated). */
  values: string[];
  text: string;
}

export interface PackageSurface {
  name: string;
  dir: string;
  reportPath: string;
  entries: EntrySurface[];
  /** The package's own declarations users reach through the entries' exports without a name to import. */
  reachable: string;
}

interface PackageJson {
  name: string;
  private?: boolean;
  exports?: Record<string, string | { types?: string }>;
}

/** The published packages of the workspace (`packages/*`, not private) and their entry points. */
export function publishedPackages(): { name: string; dir: string; entries: EntryPoint[] }[] {
  const dirs = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'package.json')))
    .map((d) => join(root, 'packages', d.name))
    .sort();
  return dirs.flatMap((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    if (pkg.private) return [];
    const entries: EntryPoint[] = [];
    for (const [key, target] of Object.entries(pkg.exports ?? {})) {
      if (typeof target === 'string' || !target.types) continue;
      entries.push({
        specifier: key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`,
        types: join(dir, target.types),
      });
    }
    return [{ name: pkg.name, dir, entries }];
  });
}

export function collectSurfaces(): PackageSurface[] {
  const packages = publishedPackages();
  const roots = packages.flatMap((p) => p.entries.map((e) => e.types));
  const missing = roots.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `No build output (${missing.map((f) => relative(root, f)).join(', ')}): run \`pnpm build\` first.`,
    );
  }
  const program = ts.createProgram(roots, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: ['node'],
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

  // Where each exported declaration is imported from, for the reports of packages that re-export it:
  // the first entry point that exports it by name (`@ttpay/core/delivery`, not the package's directory).
  const exportedFrom = new Map<ts.Symbol, string>();
  for (const p of packages) {
    for (const entry of p.entries) {
      const source = program.getSourceFile(entry.types);
      const moduleSymbol = source && checker.getSymbolAtLocation(source);
      if (!moduleSymbol) continue;
      for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        if (!exportedFrom.has(target)) exportedFrom.set(target, entry.specifier);
      }
    }
  }

  return packages.map((p) => {
    const exportedTargets = new Set<ts.Symbol>();
    const entries = p.entries.map((entry): EntrySurface & { roots: ts.Declaration[] } => {
      const source = program.getSourceFile(entry.types);
      const moduleSymbol = source && checker.getSymbolAtLocation(source);
      if (!source || !moduleSymbol) throw new Error(`Cannot read ${entry.types}`);
      const exported = checker.getExportsOfModule(moduleSymbol).sort((a, b) => compare(a.name, b.name));
      const current: string[] = [];
      const deprecatedBlocks: string[] = [];
      const deprecated: string[] = [];
      const values: string[] = [];
      const roots: ts.Declaration[] = [];
      for (const symbol of exported) {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        exportedTargets.add(target);
        const isValue = (target.flags & ts.SymbolFlags.Value) !== 0;
        const declarations = target.declarations ?? [];
        const isDeprecated = declarations.length > 0 && declarations.every(isDeprecatedDeclaration);
        if (isDeprecated) deprecated.push(symbol.name);
        else if (isValue) values.push(symbol.name);
        const blocks = isDeprecated ? deprecatedBlocks : current;
        const outside = declarations.find((d) => !d.getSourceFile().fileName.startsWith(`${p.dir}/`));
        if (outside) {
          // Re-exported from another package: name where it comes from, its shape is in that report.
          const from = exportedFrom.get(target) ?? packageOf(outside.getSourceFile().fileName);
          blocks.push(
            deprecationNote(declarations) +
              `export ${isValue ? '' : 'type '}{ ${renamed(target.name, symbol.name)} } from '${from}';`,
          );
          continue;
        }
        // What users reach from the surface that stays (not through a deprecated alias).
        if (!isDeprecated) roots.push(...declarations);
        const texts = declarations.map((d) => printDeclaration(printer, d));
        const header = target.name === symbol.name ? '' : `// exported as ${symbol.name}\n`;
        blocks.push((isDeprecated ? deprecationNote(declarations) : '') + header + texts.join('\n'));
      }
      const counted = exported.length - deprecated.length;
      const header =
        `// ${entry.specifier} (${counted} exports` +
        (deprecated.length > 0 ? `; ${deprecated.length} deprecated, kept one release)` : ')');
      const sections = [header, ...current];
      if (deprecatedBlocks.length > 0) {
        sections.push('// Deprecated: kept one release so that code written against 0.1 still compiles.');
        sections.push(...deprecatedBlocks);
      }
      return {
        specifier: entry.specifier,
        main: entry.specifier === p.name,
        exports: exported.map((s) => s.name),
        deprecated,
        values,
        text: `${sections.join('\n\n')}\n`,
        roots,
      };
    });
    const reachable = reachableDeclarations(
      checker,
      p.dir,
      entries.flatMap((e) => e.roots),
      exportedTargets,
    );
    return {
      name: p.name,
      dir: p.dir,
      reportPath: join(p.dir, 'api-report.api.md'),
      entries: entries.map(({ roots: _, ...entry }) => entry),
      reachable: reachable.map((d) => printDeclaration(printer, d)).join('\n\n'),
    };
  });
}

/** A line comment that says what to use instead of a deprecated export (its deprecation tag's text). */
function deprecationNote(declarations: readonly ts.Declaration[]): string {
  const tag = declarations
    .flatMap((d) => ts.getJSDocTags(d))
    .find((t) => t.tagName.text === 'deprecated' && t.comment !== undefined);
  if (!tag) return '';
  const text = ts.getTextOfJSDocComment(tag.comment)?.replace(/\s+/g, ' ').trim();
  return text ? `// @deprecated ${text}\n` : '';
}

/** True when the declaration's JSDoc (or its variable statement's) carries `@deprecated`. */
function isDeprecatedDeclaration(declaration: ts.Declaration): boolean {
  return ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'deprecated');
}

/**
 * The package's own top-level declarations that the exported ones refer to, directly or through each
 * other, and that no entry exports by name (API Extractor calls them "forgotten exports"): what users
 * reach through a signature. Sorted by name.
 */
function reachableDeclarations(
  checker: ts.TypeChecker,
  dir: string,
  roots: readonly ts.Declaration[],
  exported: ReadonlySet<ts.Symbol>,
): ts.Declaration[] {
  const found = new Map<ts.Symbol, ts.Declaration[]>();
  const queue: ts.Node[] = [...roots];
  const consider = (node: ts.Node) => {
    let symbol = checker.getSymbolAtLocation(node);
    if (!symbol) return;
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    if (exported.has(symbol) || found.has(symbol)) return;
    if (symbol.flags & ts.SymbolFlags.TypeParameter) return;
    const declarations = (symbol.declarations ?? []).filter(
      (d) => d.getSourceFile().fileName.startsWith(`${dir}/`) && isTopLevel(d),
    );
    if (declarations.length === 0) return;
    found.set(symbol, declarations);
    queue.push(...declarations);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node)) consider(rightmost(node.typeName));
    else if (ts.isExpressionWithTypeArguments(node)) consider(node.expression);
    else if (ts.isTypeQueryNode(node)) consider(rightmost(node.exprName));
    else if (ts.isComputedPropertyName(node)) consider(node.expression);
    ts.forEachChild(node, visit);
  };
  for (let node = queue.shift(); node; node = queue.shift()) ts.forEachChild(node, visit);
  return [...found.entries()]
    .sort(([a], [b]) => compare(a.name, b.name))
    .flatMap(([, declarations]) => declarations);
}

function isTopLevel(declaration: ts.Declaration): boolean {
  if (ts.isVariableDeclaration(declaration)) return ts.isSourceFile(declaration.parent.parent.parent);
  return ts.isSourceFile(declaration.parent);
}

function rightmost(name: ts.EntityName): ts.Node {
  return ts.isQualifiedName(name) ? name.right : name;
}

export function renderReport(surface: PackageSurface): string {
  return [
    `# API report of ${surface.name}`,
    '',
    '> Generated from the built `.d.ts` by `pnpm api-report` (scripts/api-report.ts); do not edit. Every',
    '> entry point of the package, as users import it: a change here is a change users see.',
    '',
    ...surface.entries.flatMap((e) => ['```ts', e.text.trimEnd(), '```', '']),
    ...(surface.reachable
      ? [
          '## Reached through the entry points, not exported by name',
          '',
          'Types of parameters, answers and members that users get through the declarations above (e.g.',
          "`Parameters<typeof f>[0]`, `Event['msg']`). They are part of the surface: a change here is a change",
          'users see.',
          '',
          '```ts',
          surface.reachable,
          '```',
          '',
        ]
      : []),
  ].join('\n');
}

function printDeclaration(printer: ts.Printer, declaration: ts.Declaration): string {
  let node: ts.Node = declaration;
  // `export declare const x: T;` rather than the bare `x: T` of its declarator.
  if (ts.isVariableDeclaration(node) && ts.isVariableDeclarationList(node.parent)) node = node.parent.parent;
  return printer.printNode(ts.EmitHint.Unspecified, node, declaration.getSourceFile());
}

function renamed(name: string, as: string): string {
  return name === as ? name : `${name} as ${as}`;
}

function packageOf(file: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file) ?? /packages\/([^/]+)\//.exec(file);
  if (!match?.[1]) return relative(root, file);
  return match[1].startsWith('@') ? match[1] : `@ttpay/${match[1]}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The names the main entry points export together, deprecated aliases not counted (the budget's measure). */
export function mainEntryCount(surfaces: readonly PackageSurface[]): number {
  return surfaces
    .flatMap((s) => s.entries)
    .filter((e) => e.main)
    .reduce((n, e) => n + e.exports.length - e.deprecated.length, 0);
}

function main(args: string[]): number {
  const surfaces = collectSurfaces();
  if (args.includes('--count')) {
    const entries = surfaces.flatMap((s) => s.entries);
    for (const e of entries) {
      const deprecated = e.deprecated.length > 0 ? `, +${e.deprecated.length} deprecated` : '';
      console.log(
        `${e.specifier}: ${e.exports.length - e.deprecated.length} exports (${e.values.length} values${deprecated})`,
      );
    }
    const main = mainEntryCount(surfaces);
    const subpaths = entries
      .filter((e) => !e.main)
      .reduce((n, e) => n + e.exports.length - e.deprecated.length, 0);
    const deprecated = entries.reduce((n, e) => n + e.deprecated.length, 0);
    console.log(
      `main entries: ${main} exports (budget ${MAIN_ENTRY_BUDGET}); subpaths: ${subpaths}; deprecated, not counted: ${deprecated}`,
    );
    return 0;
  }
  const stale: string[] = [];
  for (const surface of surfaces) {
    const text = renderReport(surface);
    const current = existsSync(surface.reportPath) ? readFileSync(surface.reportPath, 'utf8') : '';
    if (current === text) continue;
    stale.push(relative(root, surface.reportPath));
    if (!args.includes('--check')) writeFileSync(surface.reportPath, text);
  }
  if (args.includes('--check') && stale.length > 0) {
    console.error(
      `The API report is stale: ${stale.join(', ')}. Review the change, then run \`pnpm build && pnpm api-report\` and commit the reports.`,
    );
    return 1;
  }
  console.log(stale.length === 0 ? 'API reports up to date.' : `Wrote ${stale.join(', ')}.`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
