import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { ALL_TESTS, E2E_TESTS, INTEGRATION_TESTS } from './test/tiers.js';

// Tests import the workspace packages' TypeScript sources through the `ttpay-source` export
// condition, so `vitest` needs no build step; the built `dist/` is what Node and users load.
const conditions = ['ttpay-source', 'module', 'node', 'development|production'];

// .ci/run sets TTPAY_RESULTS_FILE to read the pass/fail counts back from vitest's JSON report.
const resultsFile = process.env.TTPAY_RESULTS_FILE;

const exclude = [...configDefaults.exclude, '**/dist/**', 'test/packaging/scratch-app/**'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    typecheck: { enabled: false },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one worker on the 2-core CI machines, where two
    // run the suite in about two thirds of the time (the tests wait on sockets, processes and databases as
    // much as on the CPU). Every test file uses its own ports, keys, schemas and temp dirs, so files may overlap.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: resultsFile ? ['default', ['json', { outputFile: resultsFile }]] : ['default'],
    // Every worker's output is copied and, at the end, scanned for the configured secrets (SECURITY.md).
    globalSetup: ['test/security/scan-output-for-secrets.global.ts'],
    setupFiles: ['test/security/tee-worker-output.setup.ts'],
    // Three tiers (test/tiers.ts): `pnpm test:unit` runs one, `pnpm test` all three.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [...ALL_TESTS],
          exclude: [...exclude, ...E2E_TESTS, ...INTEGRATION_TESTS],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [...INTEGRATION_TESTS],
          exclude: [...exclude, ...E2E_TESTS],
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: [...E2E_TESTS], exclude },
      },
    ],
  },
});
