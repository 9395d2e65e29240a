import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * One code table for every error ttpay throws (the root README, "Error codes"): each code any error
 * class can carry — read from the classes' `code` types by the compiler — has a row, and each row is a
 * code some class can carry.
 */
const root = fileURLToPath(new URL('../', import.meta.url));
const CLASSES_FILE = join(root, 'test/support/error-classes.ts');

function codesByClass(): Map<string, string[]> {
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram([CLASSES_FILE], options);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(CLASSES_FILE);
  if (!source) throw new Error('test/support/error-classes.ts not found');
  const codes = new Map<string, string[]>();
  ts.forEachChild(source, (node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'ErrorCodes') return;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const type = checker.getTypeAtLocation(member.type);
      const literals = (type.isUnion() ? type.types : [type]).map((t) =>
        t.isStringLiteral() ? t.value : `<not a literal: ${checker.typeToString(t)}>`,
      );
      codes.set((member.name as ts.Identifier).text, literals);
    }
  });
  return codes;
}

function readmeCodes(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Error codes\n')) ?? '';
  return [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1] as string);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory())
      return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('the error code table (root README, "Error codes")', () => {
  const byClass = codesByClass();
  const thrown = new Set([...byClass.values()].flat());
  const table = readmeCodes();

  it('reads every error class and its codes', () => {
    expect([...byClass.keys()]).toEqual(
      expect.arrayContaining(['TtpayError', 'DeliveryError', 'SimulatorError']),
    );
    expect([...thrown].filter((c) => c.startsWith('<'))).toEqual([]);
    expect(thrown.size).toBeGreaterThan(30);
  });

  it('has one row for each code an error can carry, and no other', () => {
    expect(table.filter((code, i) => table.indexOf(code) !== i)).toEqual([]);
    expect([...thrown].filter((code) => !table.includes(code)).sort()).toEqual([]);
    expect(table.filter((code) => !thrown.has(code))).toEqual([]);
  });

  it('knows every class that extends TtpayError in the packages', () => {
    const declared = sourceFiles(join(root, 'packages'))
      .filter((f) => f.includes('/src/'))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/class (\w+) extends (TtpayError|TtpayClientError)\b/g)].map(
          (m) => `${m[1]} (${relative(root, file)})`,
        ),
      );
    expect(declared.length).toBeGreaterThanOrEqual(7);
    expect(declared.filter((d) => !byClass.has(d.split(' ')[0] as string))).toEqual([]);
  });
});
