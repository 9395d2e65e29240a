/**
 * The API report: every published entry point's public surface, as its built `.d.ts` declares it, in
 * one checked-in file per package (`packages/<name>/api-report.api.md`, in the manner of API Extractor). `test/api-report.test.ts` fails
 * when a report is stale, so any change to what users can import is a visible diff in review.
 *
 *   pnpm build && pnpm api-report           # rewrite the reports
 *   pnpm build && pnpm api-report --check   # exit 1 when a report is stale (what the test runs)
 *   pnpm build && pnpm api-report --count   # exports per entry point
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

export interface PackageSurface {
  name: string;
  dir: string;
  reportPath: string;
  entries: { specifier: string; exports: string[]; values: string[]; text: string }[];
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

  return packages.map((p) => ({
    name: p.name,
    dir: p.dir,
    reportPath: join(p.dir, 'api-report.api.md'),
    entries: p.entries.map((entry) => {
      const source = program.getSourceFile(entry.types);
      const moduleSymbol = source && checker.getSymbolAtLocation(source);
      if (!source || !moduleSymbol) throw new Error(`Cannot read ${entry.types}`);
      const exported = checker.getExportsOfModule(moduleSymbol).sort((a, b) => compare(a.name, b.name));
      const blocks: string[] = [];
      const values: string[] = [];
      for (const symbol of exported) {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        const isValue = (target.flags & ts.SymbolFlags.Value) !== 0;
        if (isValue) values.push(symbol.name);
        const declarations = target.declarations ?? [];
        const outside = declarations.find((d) => !d.getSourceFile().fileName.startsWith(`${p.dir}/`));
        if (outside) {
          // Re-exported from another package: name where it comes from, its shape is in that report.
          blocks.push(
            `export ${isValue ? '' : 'type '}{ ${renamed(target.name, symbol.name)} } from '${packageOf(outside.getSourceFile().fileName)}';`,
          );
          continue;
        }
        const texts = declarations.map((d) => printDeclaration(printer, d));
        const header = target.name === symbol.name ? '' : `// exported as ${symbol.name}\n`;
        blocks.push(header + texts.join('\n'));
      }
      const header = `// ${entry.specifier} (${exported.length} exports)`;
      return {
        specifier: entry.specifier,
        exports: exported.map((s) => s.name),
        values,
        text: `${header}\n\n${blocks.join('\n\n')}\n`,
      };
    }),
  }));
}

export function renderReport(surface: PackageSurface): string {
  return [
    `# API report of ${surface.name}`,
    '',
    '> Generated from the built `.d.ts` by `pnpm api-report` (scripts/api-report.ts); do not edit. Every',
    '> entry point of the package, as users import it: a change here is a change users see.',
    '',
    ...surface.entries.flatMap((e) => ['```ts', e.text.trimEnd(), '```', '']),
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

function main(args: string[]): number {
  const surfaces = collectSurfaces();
  if (args.includes('--count')) {
    let total = 0;
    let totalValues = 0;
    for (const s of surfaces) {
      for (const e of s.entries) {
        total += e.exports.length;
        totalValues += e.values.length;
        console.log(`${e.specifier}: ${e.exports.length} exports (${e.values.length} values)`);
      }
    }
    console.log(`total: ${total} exports (${totalValues} values)`);
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
