import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { distEntry, getJson, until } from './helpers.js';

interface DashboardState {
  orders: { platform: string; id: string; status: string; actions: string[] }[];
  deliveries: { platform: string; scheme: string; type: string; state: string }[];
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('TTPAY_DEMO_SIM_PORT=<port> pnpm demo', () => {
  it("shows every flow's deliveries in the dashboard, keeps running for its buttons, stops on Ctrl-C", async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (!/^(DOUYIN|TIKTOK|ALGOVOI|TTPAY)_|^(PORT|REDIS_URL|LOG_LEVEL|NODE_ENV)$/.test(k)) env[k] = v;
    }
    const child = spawn(process.execPath, [distEntry('demo/dist/main.js')], {
      env: { ...env, TTPAY_DEMO_SIM_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      // The demo boots an embedded PostgreSQL (PGlite: seconds, more on a busy machine) before its flows.
      await until(() => stdout.includes('Ctrl-C stops both'), 60_000);
      const dashboard = `http://127.0.0.1:${port}/_sim/`;
      expect(stdout).toContain(`dashboard  ${dashboard}`);
      expect(stdout).toMatch(/✓ All 7 flows checked out/);

      const { json: state } = await getJson<DashboardState>(`${dashboard}api/state`);
      const kinds = new Set(state.deliveries.map((d) => `${d.scheme} ${d.type}`));
      for (const kind of ['ecpay payment', 'ecpay refund', 'trade payment', 'tiktok 1 order status change']) {
        expect(kinds).toContain(kind);
      }
      expect(kinds).toContain('algovoi payment.confirmed');
      expect(state.deliveries.every((d) => d.state === 'acknowledged')).toBe(true);

      // Flow 5's order was never paid (its callback was forged): the dashboard's Pay reaches the shop.
      const unpaid = state.orders.find((o) => o.platform === 'douyin' && o.status === 'PROCESSING');
      expect(unpaid?.actions).toContain('pay');
      const shopUrl = /shop {7}(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      expect((await getJson<{ status: string }>(`${shopUrl}/orders/${unpaid!.id}`)).json.status).toBe(
        'created',
      );
      const pressed = await fetch(`${dashboard}api/orders/douyin/${unpaid!.id}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(pressed.status).toBe(202);
      await until(
        async () =>
          (await getJson<{ status: string }>(`${shopUrl}/orders/${unpaid!.id}`)).json.status === 'paid',
      );
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  }, 90_000);
});
