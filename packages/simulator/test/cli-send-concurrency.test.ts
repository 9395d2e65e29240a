import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@ttpay/core/internal';
import { douyinCallbacks, MemoryStore, tikTokWebhooks } from '@ttpay/koa';
import { demoCredentials } from '@ttpay/testing';
import Koa from 'koa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBinaryBuilt, parseJson, runBinary } from './cli-binary.js';

const { douyin, tiktok } = demoCredentials;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Handler runs per route, and how many replies told a duplicate to retry later (503) so far. */
let runs: Record<string, number>;
let retryLaterReplies = 0;
/** The Douyin handler holds its claim until this many duplicates were answered 503 (or 5 s passed). */
let holdUntilRetryLater = 0;
let failHandler = false;

/** A shop on @ttpay/koa with its default in-process store, as `ttpay send` users run theirs. */
function shop(): Koa {
  const store = new MemoryStore();
  const douyinRoute = douyinCallbacks({
    token: douyin.token,
    platformPublicKey: douyin.platformPublicKey,
    store,
    logger: silentLogger,
    onPayment: async () => {
      runs.douyin = (runs.douyin ?? 0) + 1;
      if (failHandler) throw new Error('the database is down');
      const deadline = Date.now() + 5_000;
      while (retryLaterReplies < holdUntilRetryLater && Date.now() < deadline) await sleep(5);
    },
  });
  const tiktokRoute = tikTokWebhooks({
    appKey: tiktok.appKey,
    appSecret: tiktok.appSecret,
    store,
    logger: silentLogger,
    onEvent: async () => {
      runs.tiktok = (runs.tiktok ?? 0) + 1;
      await sleep(300);
    },
  });
  return new Koa().use(async (ctx, next) => {
    if (ctx.path === '/douyin/notify') await douyinRoute(ctx, next);
    else if (ctx.path === '/tiktok/webhook') await tiktokRoute(ctx, next);
    if (ctx.status === 503) retryLaterReplies++;
  });
}

let server: Server;
let base: string;

beforeAll(async () => {
  assertBinaryBuilt();
  server = shop().listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  runs = {};
  retryLaterReplies = 0;
  holdUntilRetryLater = 0;
  failHandler = false;
});

const send = (...args: string[]) => runBinary(['send', ...args]);

describe('ttpay send --concurrency: N copies of one delivery at once', () => {
  it('10 ecpay copies: the handler runs once, the 9 duplicates in flight are told to retry later, exit 0', async () => {
    // Held until all 9 duplicates were answered: copies sent one after another would never get there.
    holdUntilRetryLater = 9;
    const r = await send('ecpay.payment', '--to', `${base}/douyin/notify`, '--concurrency', '10');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(runs.douyin).toBe(1);
    expect(r.stdout).toMatch(/^ecpay\.payment cp_orderno=order_\d+ -> POST .* \(10 copies at once\)$/m);
    const lines = r.stdout.split('\n').filter((line) => /^ {2}\[\d+\] /.test(line));
    expect(lines).toHaveLength(10);
    expect(
      lines.filter((l) => /\] 200 \{"err_no":0,"err_tips":"success"\}\s+acknowledged$/.test(l)),
    ).toHaveLength(1);
    expect(
      lines.filter((l) => /\] 503 \{"err_no":503,"err_tips":"IN_FLIGHT"\}\s+NOT acknowledged$/.test(l)),
    ).toHaveLength(9);
    expect(r.stdout).toMatch(/^replies: 200 ×1, 503 ×9$/m);
  });

  it('--times 2 --concurrency 5 --json: the second burst finds the event done', async () => {
    const r = await send(
      'tiktok.1',
      '--to',
      `${base}/tiktok/webhook`,
      '--times',
      '2',
      '--concurrency',
      '5',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(runs.tiktok).toBe(1);
    const out = parseJson(r.stdout) as {
      statuses: Record<string, number>;
      concurrency: number;
      ok: boolean;
      acknowledged: boolean;
      responses: { status: number; body: string }[];
    };
    expect(out).toMatchObject({ concurrency: 5, ok: true, acknowledged: false });
    expect(out.responses).toHaveLength(10);
    // First burst: one run, the others in flight (or, if the run already finished, done); second: done.
    expect(out.responses.slice(5)).toEqual(Array(5).fill({ status: 200, body: '', acknowledged: true }));
    const firstBurst = out.responses.slice(0, 5);
    expect(firstBurst.filter((a) => a.status === 200)).not.toHaveLength(0);
    for (const a of firstBurst.filter((x) => x.status !== 200)) {
      expect(a).toEqual({ status: 503, body: '{"error":"IN_FLIGHT"}', acknowledged: false });
    }
    expect((out.statuses['200'] ?? 0) + (out.statuses['503'] ?? 0)).toBe(10);
  });

  it('a handler that fails: no copy acknowledged, exit 1', async () => {
    failHandler = true;
    const r = await send('trade.payment', '--to', `${base}/douyin/notify`, '--concurrency', '4');
    expect(r.code).toBe(1);
    expect(runs.douyin).toBeGreaterThanOrEqual(1);
    expect(r.stdout).toMatch(/\] 500 \{"err_no":500,/);
    expect(r.stdout).toMatch(/^none of the 4 copies was acknowledged$/m);
  });

  it('an app that is not running: every copy without a reply, exit 1', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const r = await send(
      'algovoi.paid',
      '--to',
      `http://127.0.0.1:${port}/algovoi/webhook`,
      '--concurrency',
      '3',
    );
    expect(r.code).toBe(1);
    expect(r.stdout.match(/could not reach the app \(ECONNREFUSED\)/g)).toHaveLength(3);
    expect(r.stdout).toMatch(/^replies: no reply ×3$/m);
    expect(r.stdout).toMatch(/^3 of 3 copies got no reply$/m);
  });

  it.each([['0'], ['1001'], ['two']])('--concurrency %s is bad input (exit 2)', async (value) => {
    const r = await send('ecpay.payment', '--to', 'http://127.0.0.1:1/', '--concurrency', value);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--concurrency must be a whole number from 1 to 1000/);
  });
});
