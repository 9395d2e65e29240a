/**
 * The suite's three tiers (vitest projects, `vitest.config.ts`). A test file is in exactly one:
 * - **unit**: no services, no child processes, no browser, no registry — in-process code, fake timers
 *   where time matters, loopback HTTP to servers the test itself starts. `pnpm test:unit`.
 * - **integration**: a real PostgreSQL, Redis or embedded PGlite, real child processes (the CLI, crash
 *   tests), the example shops. `pnpm test:integration`.
 * - **e2e**: what a user meets end to end — headless Chromium, the packed tarballs installed from the npm
 *   registry, `pnpm start`/`pnpm demo` as processes, every README block type-checked. `pnpm test:e2e`.
 * Unit is everything that is not listed below; `test/tiers.test.ts` fails when a unit file imports a
 * database, Redis, PGlite, a process API or a browser (directly or through a test helper).
 */
export const E2E_TESTS: readonly string[] = [
  '**/*in-a-real-browser*.test.ts',
  'test/packaging/**/*.test.ts',
  'test/readme-examples-compile.test.ts',
  // Reads the whole repository with the compiler (every source, test and README block), as the one above.
  'test/no-code-uses-a-deprecated-name.test.ts',
  'examples/minimal/test/**/*.test.ts',
  'examples/koa-shop/test/start-commands-stop-gracefully.test.ts',
  'examples/koa-shop/test/runs-as-a-process.test.ts',
  'examples/koa-shop/test/demo-shows-in-the-dashboard.test.ts',
];

export const INTEGRATION_TESTS: readonly string[] = [
  'packages/store-postgres/test/**/*.test.ts',
  'packages/store-redis/test/**/*.test.ts',
  'packages/simulator/test/cli-*.test.ts',
  'packages/simulator/test/simulator-user-refund-asks-the-app-and-waits-for-its-audit.test.ts',
  'packages/testing/test/store-conformance-readme-example.test.ts',
  'packages/testing/test/store-conformance-runs-under-node-test.test.ts',
  'packages/core/test/readme-examples-run.test.ts',
  'test/security/no-event-processed-twice-across-instances-under-faults.test.ts',
  'test/security/secrets-stay-out-of-errors-and-logs.test.ts',
  'test/security/secret-scanner-flags-a-leak.test.ts',
  // The example shop's own unit tests sit in test/unit/.
  'examples/koa-shop/test/*.test.ts',
];

export const ALL_TESTS: readonly string[] = [
  'packages/*/test/**/*.test.ts',
  'examples/*/test/**/*.test.ts',
  'test/**/*.test.ts',
];
