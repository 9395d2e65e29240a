import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, expect, inject, it } from 'vitest';
import { knownSecrets } from './known-secrets.js';
import { OUTPUT_DIR_KEY } from './output-dir.js';
import { describeFindings, scanDirectory, scanFile } from './secret-scan.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const LEAKY = fileURLToPath(new URL('./fixtures/leaky-process.ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ttpay-leak-proof-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('flags a secret printed in a child process by console, stdout.write and pino, at its line, without echoing it', async () => {
  const file = join(scratch, 'leaky.log');
  // The child's own stdout/stderr are captured here and never printed, so they cannot reach this
  // worker's output (which the suite scans).
  await run(process.execPath, ['--conditions=ttpay-source', '--import', 'tsx', LEAKY, file], {
    cwd: REPO,
  });

  const findings = scanDirectory(scratch, knownSecrets());
  const names = findings.map((f) => f.secret);
  expect(names).toContain('demoCredentials.douyin.salt');
  expect(names).toContain('demoCredentials.algovoi.apiKey');
  expect(names).toContain('demoCredentials.douyin.token');
  expect(names.some((n) => n.startsWith('demoCredentials.douyin.platformPrivateKey'))).toBe(true);

  // Each finding points at the line that holds the secret, and says what was running.
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const finding of findings) {
    const secret = knownSecrets().find((s) => s.name === finding.secret);
    expect(lines[finding.line - 1]?.indexOf(secret?.value ?? '\0')).toBe(finding.column - 1);
    expect(finding.during).toBe('leaky-process.ts');
  }
  const salt = findings.find((f) => f.secret === 'demoCredentials.douyin.salt');
  expect(lines[(salt?.line ?? 0) - 1]).toMatch(/^console\.error leaks the salt/);

  // The failure message names the first location and the secret by name — never its value.
  const message = describeFindings(findings);
  expect(message).toContain(`${file}:${findings[0]?.line}:${findings[0]?.column}`);
  expect(message).toContain('printed while running leaky-process.ts');
  for (const secret of knownSecrets()) expect(message).not.toContain(secret.value);
});

it('finds nothing in clean output', () => {
  const file = join(scratch, 'clean.log');
  writeFileSync(
    file,
    `### clean\nttpay: douyin delivery rejected: SIGNATURE_MISMATCH\n${demoCredentials.douyin.appId}\n`,
  );
  expect(scanFile(file, knownSecrets())).toEqual([]);
  expect(describeFindings([])).toBe('No secret found in the test output.');
});

it("this worker's own output is being copied for the end-of-run scan", () => {
  const dir = inject(OUTPUT_DIR_KEY);
  expect(dir).toBeTruthy();
  const marker = `tee-check-${process.pid}-${Date.now()}`;
  console.log(marker);
  process.stdout.write(`${marker}-stdout\n`);
  const copy = readFileSync(join(dir, `worker-${process.pid}.log`), 'utf8');
  expect(copy).toContain(marker);
  expect(copy).toContain(`${marker}-stdout`);
  expect(copy).toContain(`### ${fileURLToPath(import.meta.url)}`);
});
