import { request } from 'node:http';
import { demoCredentials } from '@ttpay/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBinaryBuilt, exitOf, runBinary, startBinary } from './cli-binary.js';

beforeAll(() => assertBinaryBuilt());

describe('ttpay simulate', () => {
  it('prints its URL and what it serves, answers, and exits 0 on SIGTERM', async () => {
    const { child, match, output } = await startBinary(
      [
        'simulate',
        '--port',
        '0',
        '--time-scale',
        '0.001',
        '--tiktok-webhook-url',
        'http://127.0.0.1:9999/hooks',
      ],
      /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*pnpm start\n/,
    );
    const url = match[1] as string;
    try {
      const summary = output().stdout;
      for (const route of ['/api/apps/ecpay/v1/', '/api/trade_basic/v1/developer/', '/order/202309/orders']) {
        expect(summary).toContain(route);
      }
      expect(summary).toContain('/v1/payment-links');
      expect(summary).toContain('/_sim/log');
      expect(summary).toContain(`DOUYIN_API_BASE=${url} TIKTOK_API_BASE=${url} ALGOVOI_API_BASE=${url}`);
      expect(summary).toContain('http://127.0.0.1:9999/hooks');
      expect(summary).toContain(demoCredentials.douyin.appId);
      expect(summary).toContain(demoCredentials.tiktok.appKey);
      // Identifiers only: no secret of the demo credentials is printed.
      for (const secret of [
        demoCredentials.douyin.salt,
        demoCredentials.douyin.token,
        demoCredentials.tiktok.appSecret,
        demoCredentials.tiktok.accessToken,
        demoCredentials.algovoi.apiKey,
        demoCredentials.algovoi.webhookSecret,
      ]) {
        expect(summary).not.toContain(secret);
      }

      const response = await fetch(`${url}/_sim/log`);
      expect(response.status).toBe(200);
      expect(Array.isArray(await response.json())).toBe(true);
      // The request shows up in the running log.
      await expect.poll(() => output().stdout, { timeout: 5_000 }).toMatch(/<- control GET \/_sim\/log 200/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    expect(output().stdout).toMatch(/stopped\.\n$/);
    expect(output().stderr).toBe('');
    await expect(fetch(`${url}/_sim/log`)).rejects.toThrow();
  });

  it('refuses a non-loopback --host unless --unsafe-allow-network-access, and NODE_ENV=production: exit 2', async () => {
    const exposed = await runBinary(['simulate', '--port', '0', '--host', '0.0.0.0']);
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toMatch(
      /^ttpay: The simulator listens on loopback addresses only .*--unsafe-allow-network-access/,
    );
    expect(exposed.stdout).toBe('');
    const production = await runBinary(['simulate', '--port', '0'], {
      env: { ...process.env, NODE_ENV: 'production' },
    });
    expect(production.code).toBe(2);
    expect(production.stderr).toMatch(/^ttpay: The simulator refuses to start with NODE_ENV=production/);
  });

  it('with --unsafe-allow-network-access listens on --host, its controls answering --allowed-host names', async () => {
    const { child, match } = await startBinary(
      [
        'simulate',
        '--port',
        '0',
        '--quiet',
        '--host',
        '0.0.0.0',
        '--unsafe-allow-network-access',
        '--allowed-host',
        'sim.test',
      ],
      /listening on http:\/\/0\.0\.0\.0:(\d+)/,
    );
    try {
      const port = match[1];
      expect((await fetch(`http://127.0.0.1:${port}/_sim/log`)).status).toBe(200);
      const named = await new Promise<number>((resolve, reject) => {
        request(`http://127.0.0.1:${port}/_sim/log`, { headers: { host: `sim.test:${port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(named).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
  });

  it('SIGINT (Ctrl-C) stops it cleanly too', async () => {
    const { child, output } = await startBinary(['simulate', '--port', '0', '--quiet'], /listening on http/);
    child.kill('SIGINT');
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    expect(output().stdout).toMatch(/stopped\.\n$/);
  });

  it('a port in use is exit 1 with a hint', async () => {
    const { child, match } = await startBinary(
      ['simulate', '--port', '0', '--quiet'],
      /listening on http:\/\/127\.0\.0\.1:(\d+)/,
    );
    try {
      const r = await runBinary(['simulate', '--port', match[1] as string]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/port \d+ is in use: .*--port 0/);
    } finally {
      child.kill('SIGTERM');
      await exitOf(child);
    }
  });

  it.each([
    [['--time-scale', 'fast'], /--time-scale must be a number >= 0/],
    [['--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [
      ['--douyin-notify-url', 'localhost:3000/notify'],
      /--douyin-notify-url must be an absolute http\(s\) URL/,
    ],
  ])('bad options exit 2: %j', async (args, message) => {
    const r = await runBinary(['simulate', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
