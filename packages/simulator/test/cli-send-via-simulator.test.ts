import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBinaryBuilt, parseJson, runBinary } from './cli-binary.js';
import { deliveryOf, type Rig, startRig } from './dashboard-test-helpers.js';

// `ttpay send --via-simulator`: the real binary hands its signed delivery to a running simulator, which
// sends the same bytes to the app and journals them, so they show on the dashboard.

let rig: Rig;
beforeAll(async () => {
  assertBinaryBuilt();
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

describe('ttpay send --via-simulator', () => {
  it('delivers through the simulator: same output and exit code, and the delivery in its journal', async () => {
    const r = await runBinary([
      'send',
      'ecpay.payment',
      '--to',
      `${rig.app.url}/douyin/notify`,
      '--data',
      '{"cp_orderno":"order_9201"}',
      '--times',
      '2',
      '--via-simulator',
      rig.sim.url,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`ecpay.payment cp_orderno=order_9201 -> POST ${rig.app.url}/douyin/notify`);
    expect(lines.slice(1, 3)).toEqual([
      '  [1] 200 {"err_no":0,"err_tips":"success"}  acknowledged',
      '  [2] 200 {"err_no":0,"err_tips":"success"}  acknowledged',
    ]);
    const journaled = await deliveryOf(rig.sim, 'order_9201');
    expect(r.stdout).toContain(`journaled as delivery #${journaled.id} on ${rig.sim.url}/_sim/`);
    expect(journaled.attempts.map((a) => [a.kind, a.reply?.status])).toEqual([
      ['cli', 200],
      ['cli', 200],
    ]);
    expect(rig.app.payments.get('order_9201')).toBe(1);
  });

  it('a broken delivery: exit 1, and the journal shows what the app answered', async () => {
    const r = await runBinary([
      'send',
      'tiktok.order-status-change',
      '--to',
      `${rig.app.url}/tiktok/webhook`,
      '--data',
      '{"order_id":"576461413038789201"}',
      '--broken',
      'bad-signature',
      '--via-simulator',
      rig.sim.url,
      '--json',
    ]);
    expect(r.code).toBe(1);
    const out = parseJson(r.stdout);
    expect(out).toMatchObject({ acknowledged: false, journal: { simulator: `${rig.sim.url}/_sim/` } });
    const journaled = await deliveryOf(rig.sim, '576461413038789201');
    expect(journaled.state).toBe('not-acknowledged');
    // TikTok's guide lists 401 with an empty body for a signature failure: there is no code to show.
    expect(journaled.attempts[0]?.reply).toMatchObject({ status: 401 });
    expect(journaled.attempts[0]?.reply).not.toHaveProperty('code');
  });

  it('a simulator that is not there, or refuses: exit 1 with what to check', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const absent = await runBinary([
      'send',
      'ecpay.payment',
      '--to',
      `${rig.app.url}/douyin/notify`,
      '--via-simulator',
      `http://127.0.0.1:${port}`,
    ]);
    expect(absent.code).toBe(1);
    expect(absent.stderr).toBe(
      `ttpay: could not reach the simulator at http://127.0.0.1:${port} (ECONNREFUSED): is \`ttpay simulate\` running there?\n`,
    );
    // A simulator that refuses (its guard, say) is quoted.
    const refusing = createServer((_, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        '{"error":"FORBIDDEN","message":"The simulator takes control requests from this machine only."}',
      );
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const at = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
      const refused = await runBinary([
        'send',
        'ecpay.payment',
        '--to',
        `${rig.app.url}/n`,
        '--via-simulator',
        at,
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `ttpay: the simulator at ${at} refused the delivery: 403 FORBIDDEN: The simulator takes control requests from this machine only.\n`,
      );
    } finally {
      refusing.close();
    }
    const bad = await runBinary([
      'send',
      'ecpay.payment',
      '--to',
      `${rig.app.url}/n`,
      '--via-simulator',
      'nope',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--via-simulator must be the simulator's URL/);
  });
});
