import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Tests import the workspace packages' TypeScript sources through the `ttpay-source` export
// condition, so `vitest` needs no build step; the built `dist/` is what Node and users load.
const conditions = ['ttpay-source', 'module', 'node', 'development|production'];

// .ci/run sets TTPAY_RESULTS_FILE to read the pass/fail counts back from vitest's JSON report.
const resultsFile = process.env.TTPAY_RESULTS_FILE;

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: false },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one worker on the 2-core CI machines, where two
    // run the suite in ~205 s instead of ~310–370 s (the tests wait on sockets, processes and databases as
    // much as on the CPU). Every test file uses its own ports, keys, schemas and temp dirs, so files may overlap.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: resultsFile ? ['default', ['json', { outputFile: resultsFile }]] : ['default'],
    // Every worker's output is copied and, at the end, scanned for the configured secrets (SECURITY.md).
    globalSetup: ['test/security/scan-output-for-secrets.global.ts'],
    setupFiles: ['test/security/tee-worker-output.setup.ts'],
  },
});
