/**
 * `pnpm demo`: the whole product on its embedded defaults — the simulator and the shop on free ports,
 * every flow walked with a readable transcript. Exits 0 only if every check passed. The shop's own JSON
 * logs go to stderr when LOG_LEVEL is set (e.g. `LOG_LEVEL=info pnpm demo`). `TTPAY_DEMO_SIM_PORT=4010`
 * puts the simulator on that port and keeps everything running after the flows, for its dashboard.
 *
 * The demo is not part of the shop: it sits beside `src/`, imports the shop as any script of yours would
 * (`#shop/*`, the package's subpath imports: `dist/` at run time), and is the only code besides the tests
 * that needs the simulator and the signed fixtures — dev dependencies of the shop.
 */
import { pino } from 'pino';
import { runDemo } from './run-demo.js';
import { watchMode } from './watch-mode.js';

if (process.env.NODE_ENV === 'production') {
  console.error(
    'pnpm demo runs the shop against the local simulator with demo credentials: unset NODE_ENV=production.',
  );
  process.exit(1);
}

const write = (line: string) => process.stdout.write(`${line}\n`);
const ok = await Promise.resolve()
  .then(() =>
    runDemo({
      write,
      logLevel: process.env.LOG_LEVEL ?? 'silent',
      logDestination: pino.destination(2),
      // TTPAY_DEMO_SIM_PORT=4010: watch it in the simulator's dashboard (demo/watch-mode.ts).
      ...watchMode(process.env, write),
    }),
  )
  .catch((error: unknown) => {
    console.error('The demo could not run:', error);
    return false;
  });
process.exitCode = ok ? 0 : 1;
