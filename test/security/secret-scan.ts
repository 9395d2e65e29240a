import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KnownSecret } from './known-secrets.js';

/** Where a secret was printed. Deliberately no copy of the secret or of the line. */
export interface SecretFinding {
  file: string;
  line: number;
  column: number;
  secret: string;
  /** The last `### <test file>` marker above the line: what was running when it was printed. */
  during: string | undefined;
}

/** Scans one file line by line for every secret. */
export function scanFile(file: string, secrets: readonly KnownSecret[]): SecretFinding[] {
  const findings: SecretFinding[] = [];
  let during: string | undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const [i, text] of lines.entries()) {
    if (text.startsWith('### ')) during = text.slice(4);
    for (const secret of secrets) {
      const at = text.indexOf(secret.value);
      if (at >= 0) findings.push({ file, line: i + 1, column: at + 1, secret: secret.name, during });
    }
  }
  return findings;
}

/** Scans every file of a directory (the per-worker output copies), in name order. */
export function scanDirectory(dir: string, secrets: readonly KnownSecret[]): SecretFinding[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => scanFile(join(dir, name), secrets));
}

/** A failure message that says where, and which secret by name — never the secret itself. */
export function describeFindings(findings: readonly SecretFinding[]): string {
  const [first] = findings;
  if (first === undefined) return 'No secret found in the test output.';
  const where = `${first.file}:${first.line}:${first.column}`;
  const during = first.during ? ` (printed while running ${first.during})` : '';
  const more = findings.length > 1 ? ` ${findings.length - 1} more finding(s) after it.` : '';
  return (
    `A configured secret was printed by the test run: ${first.secret} at ${where}${during}.${more} ` +
    'Open that line to see what printed it; fix the code (or test) that logs it.'
  );
}
