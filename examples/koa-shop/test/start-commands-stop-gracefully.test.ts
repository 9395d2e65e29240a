import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { distEntry } from './helpers.js';
import { cleanEnv } from './processes.js';

/**
 * The start commands of the root README's "The example shop" section, run exactly as written (pnpm
 * included) as real processes in a process group of their own, the way a terminal, systemd or Docker
 * runs them: SIGTERM to the started process, and Ctrl-C to its group, stop the shop gracefully.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MARKER = '<!-- start commands: examples/koa-shop/test/start-commands-stop-gracefully.test.ts -->';
/** The README promises a graceful stop within this long. */
const STOP_WITHIN_MS = 10_000;

/** The commands of the README's block, each with its comment. */
function readmeCommands(): Map<string, string> {
  const readme = readFileSync(new URL('README.md', `file://${ROOT}`), 'utf8');
  const at = readme.indexOf(MARKER);
  if (at < 0) throw new Error(`the root README lost its marker ${MARKER}`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))?.[1] ?? '';
  const commands = new Map<string, string>();
  for (const line of block.split('\n')) {
    const [command = '', comment = ''] = line.split(/\s+#\s/);
    if (command.trim() !== '') commands.set(command.trim(), comment.trim());
  }
  return commands;
}

interface Started {
  child: ChildProcess;
  /** Every JSON log line so far. */
  lines(): { level: number; msg: string; [k: string]: unknown }[];
  /** Resolves with the line once one with this message was logged. */
  logged(msg: string): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(command: string, env: Record<string, string>): Started {
  const [file = '', ...args] = command.split(/\s+/);
  const child = spawn(file, args, {
    cwd: ROOT,
    env: cleanEnv({ LOG_LEVEL: 'info', DATA_DIR: 'memory://', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as a terminal's foreground job or a service's cgroup.
    detached: true,
  });
  // A test that fails half-way leaves nothing behind: the whole group it started, by its id.
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  let stdout = '';
  const waiting = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const check of waiting) check();
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const lines = () =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string });
  return {
    child,
    lines,
    exited,
    logged: (msg) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const line = lines().find((l) => l.msg === msg);
          if (line) {
            waiting.delete(check);
            resolve(line);
          }
        };
        waiting.add(check);
        check();
        void exited.then(() => {
          if (waiting.delete(check)) {
            reject(new Error(`exited before logging "${msg}": ${stdout.slice(-2000)}${stderr.slice(-2000)}`));
          }
        });
      }),
  };
}

/** The exit, or an error once the README's promise is broken. */
async function stoppedWithin(
  started: Started,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`still running ${STOP_WITHIN_MS} ms after the signal`)),
      STOP_WITHIN_MS,
    );
  });
  try {
    return await Promise.race([started.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function refusesConnections(url: string): Promise<boolean> {
  return fetch(`${url}/healthz`).then(
    () => false,
    () => true,
  );
}

describe("the root README's start commands", () => {
  it('are these: pnpm dev, pnpm build, pnpm start, and node on the built entry for systemd and Docker', () => {
    const commands = readmeCommands();
    expect([...commands.keys()]).toEqual([
      'pnpm dev',
      'pnpm build',
      'pnpm start',
      'node examples/koa-shop/dist/main.js',
    ]);
    const scripts = (
      JSON.parse(readFileSync(new URL('package.json', `file://${ROOT}`), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    // No rebuild on the production path, and node in pnpm's place (exec), so it receives the signals.
    expect(scripts.start).toBe('exec node examples/koa-shop/dist/main.js');
    expect(scripts.dev).toMatch(/ && exec node examples\/koa-shop\/demo\/dist\/dev\.js$/);
    distEntry('dist/main.js');
  });

  it('pnpm start: SIGTERM to the started process stops the shop gracefully, exit 0', async () => {
    const shop = start('pnpm start', { PORT: '0' });
    const { url } = (await shop.logged('shop listening')) as { url: string };
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // Demo values against the real hosts: the one warning says where a first run should go instead.
    const warnings = shop.lines().filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toContain('run `pnpm dev`');
    expect(warnings[0]?.msg).toContain('DOUYIN_API_BASE, TIKTOK_API_BASE and ALGOVOI_API_BASE');

    shop.child.kill('SIGTERM'); // pnpm's own pid: what systemd, Docker or a process manager signals
    const { code } = await stoppedWithin(shop);
    expect(code).toBe(0);
    const messages = shop.lines().map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    expect(messages).not.toContain('second signal: exiting now');
    expect(await refusesConnections(url)).toBe(true);
  }, 120_000);

  it('pnpm start: Ctrl-C (SIGINT to the whole group, which pnpm passes on again) is one graceful stop', async () => {
    const shop = start('pnpm start', { PORT: '0' });
    const { url } = (await shop.logged('shop listening')) as { url: string };

    process.kill(-(shop.child.pid ?? 0), 'SIGINT');
    const { code } = await stoppedWithin(shop);
    expect(code).toBe(0);
    const messages = shop.lines().map((l) => l.msg);
    expect(messages.filter((m) => m === 'shutting down')).toHaveLength(1);
    expect(messages).toContain('stopped');
    expect(messages).not.toContain('second signal: exiting now');
    expect(await refusesConnections(url)).toBe(true);
  }, 120_000);

  it('node examples/koa-shop/dist/main.js (systemd, Docker): SIGTERM stops it gracefully, exit 0', async () => {
    const shop = start('node examples/koa-shop/dist/main.js', { PORT: '0' });
    const { url } = (await shop.logged('shop listening')) as { url: string };
    shop.child.kill('SIGTERM');
    const { code } = await stoppedWithin(shop);
    expect(code).toBe(0);
    expect(shop.lines().map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    expect(await refusesConnections(url)).toBe(true);
  }, 120_000);

  it('pnpm dev: the first order works (against the local simulator), paid through it; SIGTERM stops both', async () => {
    const [shopPort, simPort] = [await freePort(), await freePort()];
    const dev = start('pnpm dev', { PORT: String(shopPort), TTPAY_SIM_PORT: String(simPort) });
    const ready = (await dev.logged(
      `dev: the shop on http://127.0.0.1:${shopPort} runs against the local simulator on http://127.0.0.1:${simPort}; dashboard http://127.0.0.1:${simPort}/_sim/`,
    )) as { shop: string; simulator: string };
    // The start-up warning names the demo values, but no longer sends anyone to the real hosts.
    const warning = dev.lines().find((l) => l.level === 40);
    expect(warning?.msg).toContain('Using the published demo values');
    expect(warning?.msg).not.toContain('pnpm dev');

    const created = await fetch(`${ready.shop}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'Oolong tea', amount: 9900 }),
    });
    expect(created.status).toBe(201);
    const { outOrderNo } = (await created.json()) as { outOrderNo: string };
    const paid = await fetch(`${ready.simulator}/_sim/douyin/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ out_order_no: outOrderNo }),
    });
    expect(await paid.json()).toMatchObject({ acknowledged: true, attempts: 1 });
    const order = (await (await fetch(`${ready.shop}/orders/${outOrderNo}`)).json()) as { status: string };
    expect(order.status).toBe('paid');

    dev.child.kill('SIGTERM');
    const { code } = await stoppedWithin(dev);
    expect(code).toBe(0);
    expect(dev.lines().map((l) => l.msg)).toEqual(
      expect.arrayContaining(['shutting down', 'stopped', 'dev: the simulator stopped']),
    );
    expect(await refusesConnections(ready.shop)).toBe(true);
    expect(await refusesConnections(ready.simulator)).toBe(true);
  }, 180_000); // pnpm dev runs `pnpm build` first (up to date: a few seconds, more on a busy machine)
});
