import { beforeAll, describe, expect, it } from 'vitest';
import { assertBinaryBuilt, exitOf, startBinary } from './cli-binary.js';

beforeAll(() => assertBinaryBuilt());

describe('ttpay simulate: the dashboard', () => {
  it('prints its URL and serves the page and its files from the built package', async () => {
    const { child, match, output } = await startBinary(
      ['simulate', '--port', '0'],
      /Dashboard: (http:\/\/127\.0\.0\.1:\d+\/_sim\/)[\s\S]*pnpm start\n/,
    );
    const dashboard = match[1] as string;
    try {
      const page = await fetch(dashboard);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('LOCAL SIMULATOR');
      for (const asset of ['assets/dashboard.js', 'assets/dashboard.css']) {
        expect((await fetch(`${dashboard}${asset}`)).status, asset).toBe(200);
      }
      const state = (await (await fetch(`${dashboard}api/state`)).json()) as {
        simulator: { deliverTo: unknown };
      };
      expect(state.simulator.deliverTo).toEqual({
        douyin: 'http://127.0.0.1:3000/douyin/notify',
        tiktok: 'http://127.0.0.1:3000/tiktok/webhook',
        algovoi: 'http://127.0.0.1:3000/algovoi/webhook',
      });
      // Its button presses are logged like every control call; its own reads are not.
      await fetch(`${dashboard}api/outages/douyin`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '{"on":true}',
      });
      await expect
        .poll(() => output().stdout, { timeout: 5_000 })
        .toMatch(/PUT \/_sim\/api\/outages\/douyin 200/);
      expect(output().stdout).not.toMatch(/<- control GET \/_sim\//);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
  });
});
