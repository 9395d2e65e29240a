import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distEntry } from './helpers.js';
import { cleanEnv, runNode } from './processes.js';

/** These run the compiled entries, as `pnpm start` and `pnpm demo` do (the root `pnpm test` builds first). */

describe('pnpm demo (demo/dist/main.js)', () => {
  it('walks every flow against the simulator and exits 0', async () => {
    const { done } = runNode(distEntry('demo/dist/main.js'), cleanEnv({}));
    const { code, stdout, stderr } = await done;
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^1\. Douyin ecpay/m);
    expect(stdout).toMatch(/^5\. A forged callback/m);
    expect(stdout).not.toContain('✗');
    expect(stdout).toMatch(/✓ All 7 flows checked out/);
    expect(code).toBe(0);
  }, 90_000); // an embedded PostgreSQL boots first: seconds, more on a busy machine
});

describe('pnpm start (dist/main.js)', () => {
  it('refuses to start in production without its settings: exit 1, naming the variables', async () => {
    const { done } = runNode(
      distEntry('dist/main.js'),
      cleanEnv({ NODE_ENV: 'production', DOUYIN_SALT: 'set' }),
    );
    const { code, stdout } = await done;
    expect(code).toBe(1);
    const line = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      level: number;
      msg: string;
      variables: string[];
    };
    expect(line.level).toBe(60);
    expect(line.msg).toContain('DOUYIN_TOKEN');
    expect(line.msg).not.toContain('DOUYIN_SALT');
    expect(line.variables).toEqual(
      expect.arrayContaining(['DOUYIN_TOKEN', 'TIKTOK_APP_SECRET', 'ALGOVOI_API_KEY']),
    );
  });

  it('listens on PORT, warns once about demo values, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'koa-shop-main-'));
    const { child, done } = runNode(
      distEntry('dist/main.js'),
      cleanEnv({ PORT: '0', LOG_LEVEL: 'info', DATA_DIR: dataDir }),
    );
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      child.stdout?.on('data', (c: Buffer) => {
        seen += c.toString();
        const match = /"url":"(http:[^"]+)"/.exec(seen);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('close', () => reject(new Error(`exited early: ${seen}`)));
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    const { code, stdout } = await done;
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines.filter((l) => l.level === 40)).toHaveLength(1);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    rmSync(dataDir, { recursive: true, force: true });
  }, 90_000); // a new DATA_DIR: the embedded PostgreSQL initialises its cluster first
});
