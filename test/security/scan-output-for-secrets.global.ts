import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { knownSecrets } from './known-secrets.js';
import { OUTPUT_DIR_KEY } from './output-dir.js';
import { describeFindings, scanDirectory } from './secret-scan.js';

/**
 * Global setup: a fresh directory for the workers' output copies (`tee-worker-output.setup.ts`); at
 * the end of the run, every line is scanned for every configured secret. A finding fails the run (exit
 * code 1) with the first offending line's location — never the secret — and keeps the directory.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'ttpay-test-output-'));
  project.provide(OUTPUT_DIR_KEY, dir);
  return function scanTestOutputForSecrets() {
    const findings = scanDirectory(dir, knownSecrets());
    if (findings.length > 0) {
      // vitest only logs what a teardown throws ("error during close"): the exit code is set here.
      process.exitCode = 1;
      throw new Error(describeFindings(findings));
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
