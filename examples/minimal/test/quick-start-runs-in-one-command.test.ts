// The root README's quick start is examples/minimal/src/app.ts, verbatim, and it runs as the README says:
// `pnpm --filter minimal start`, a real process — on PostgreSQL (DATABASE_URL) and on the embedded
// PGlite (nothing set). A signed payment callback marks the order paid once; a forged one is refused.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { demoCredentials, signedEcpayCallback, signedTradeCallback, withBadSignature } from '@ttpay/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { connectPostgres, freshSchema, urlInSchema } from '../../../test/support/postgres.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const MARKER = '<!-- quick start: examples/minimal/src/app.ts -->';
const ACK = { err_no: 0, err_tips: 'success' };

it('the README quick start is examples/minimal/src/app.ts verbatim', () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const at = readme.indexOf(MARKER);
  expect(at, `README.md has no ${MARKER}`).toBeGreaterThan(-1);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at + MARKER.length))?.[1];
  expect(block).toBe(readFileSync(new URL('../src/app.ts', import.meta.url), 'utf8'));
  expect(readme.slice(at)).toContain('pnpm --filter minimal start');
});

const started: ChildProcess[] = [];
afterAll(() => {
  // pnpm → tsx → node: the whole process group this test started.
  for (const child of started) if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
});

/** `pnpm --filter minimal start`, as the README says, resolving with the URL it prints. */
async function start(env: Record<string, string>): Promise<string> {
  const child = spawn('pnpm', ['--filter', 'minimal', 'start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: '0',
      DOUYIN_TOKEN: demoCredentials.douyin.token,
      DOUYIN_PLATFORM_PUBLIC_KEY: demoCredentials.douyin.platformPublicKey,
      ...env,
    },
  });
  started.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    const read = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /minimal shop on (http:\S+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('close', () => reject(new Error(`the minimal shop exited: ${seen.slice(-2_000)}`)));
  });
}

const post = (url: string, d: { body: Buffer; headers: Record<string, string> }) =>
  fetch(url, { method: 'POST', headers: d.headers, body: d.body }).then(async (r) => ({
    status: r.status,
    json: (await r.json()) as unknown,
  }));

describe.each([
  ['PostgreSQL (DATABASE_URL)', true],
  ['the embedded PGlite (nothing set)', false],
])('on %s', (_engine, postgres) => {
  it('marks an order paid once per payment, refuses a forged callback and a wrong amount', async () => {
    let drop: (() => Promise<void>) | undefined;
    let env: Record<string, string> = {};
    if (postgres) {
      const admin = await connectPostgres();
      const schema = await freshSchema(admin, 'minimal');
      env = { DATABASE_URL: urlInSchema(schema.name) };
      drop = async () => {
        await schema.drop();
        await admin.end();
      };
    }
    try {
      const url = await start(env);
      const order = async (no: string) =>
        (await fetch(`${url}/orders/${no}`)).json() as Promise<{ status: string }>;
      for (const [no, amount] of [
        ['mq_1', 9900],
        ['mq_2', 4900],
        ['mq_3', 100],
      ] as const) {
        expect((await fetch(`${url}/orders/${no}?amount=${amount}`, { method: 'PUT' })).status).toBe(204);
      }

      const paid = signedEcpayCallback({ type: 'payment', msg: { cp_orderno: 'mq_1', total_amount: 9900 } });
      expect(await post(`${url}/douyin/notify`, paid)).toEqual({ status: 200, json: ACK });
      expect(await post(`${url}/douyin/notify`, paid)).toEqual({ status: 200, json: ACK }); // a duplicate
      expect(await order('mq_1')).toMatchObject({ status: 'paid' });

      const trade = signedTradeCallback({
        type: 'payment',
        msg: { out_order_no: 'mq_2', total_amount: 4900 },
      });
      expect((await post(`${url}/douyin/notify`, trade)).status).toBe(200);
      expect(await order('mq_2')).toMatchObject({ status: 'paid' });

      const forged = withBadSignature(
        signedEcpayCallback({ type: 'payment', msg: { cp_orderno: 'mq_3', total_amount: 100 } }),
      );
      expect((await post(`${url}/douyin/notify`, forged)).status).toBe(400);
      const wrongAmount = signedEcpayCallback({
        type: 'payment',
        msg: { cp_orderno: 'mq_3', total_amount: 1 },
      });
      expect((await post(`${url}/douyin/notify`, wrongAmount)).status).toBe(200);
      expect(await order('mq_3')).toMatchObject({ status: 'created' });
    } finally {
      await drop?.();
    }
  }, 60_000);
});
