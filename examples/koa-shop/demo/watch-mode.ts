import { createInterface } from 'node:readline';
import type { DemoOptions } from './run-demo.js';

/**
 * `TTPAY_DEMO_SIM_PORT=4010 pnpm demo`: the demo to watch in the simulator's dashboard. The simulator
 * listens on that port (so an open dashboard tab reconnects to each new run), the flows wait for Enter
 * when the demo runs in a terminal, and afterwards the shop and the simulator keep running until Ctrl-C,
 * for the dashboard's buttons. Unset: the demo runs straight through and exits.
 */
export function watchMode(
  env: NodeJS.ProcessEnv,
  write: (line: string) => void,
): Pick<DemoOptions, 'simulatorPort' | 'beforeFlows' | 'afterFlows'> {
  const raw = env.TTPAY_DEMO_SIM_PORT;
  if (raw === undefined || raw === '') return {};
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`TTPAY_DEMO_SIM_PORT must be a port number such as 4010, not "${raw}".`);
  }
  return {
    simulatorPort: port,
    async beforeFlows({ dashboard }) {
      if (!process.stdin.isTTY) return;
      write(`\nOpen ${dashboard} in a browser, then press Enter to run the flows (Ctrl-C to quit).`);
      await enterPressed();
    },
    async afterFlows({ dashboard, shop }) {
      write(`\nThe shop (${shop}) and the simulator keep running: try the buttons on ${dashboard}`);
      write('Ctrl-C stops both.');
      await stopSignal();
    },
  };
}

function enterPressed(): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin });
    lines.once('line', () => {
      lines.close();
      resolve();
    });
    lines.once('SIGINT', () => {
      lines.close();
      reject(new Error('interrupted before the flows ran'));
    });
  });
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
