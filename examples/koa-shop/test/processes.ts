import { type ChildProcess, spawn } from 'node:child_process';

/** Runs a compiled entry as its own process, collecting its output. */
export function runNode(
  file: string,
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

/** The environment of the test process, without anything that configures the shop. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      !/^(DOUYIN|TIKTOK|ALGOVOI|HTTP|SHOP|ORDERS|RECONCILE|IDEMPOTENCY)_|^(PORT|REDIS_URL|DATABASE_URL|DATA_DIR|LOG_LEVEL|NODE_ENV)$/.test(
        k,
      )
    )
      env[k] = v;
  }
  return { ...env, ...extra };
}

/** A shop running as `pnpm start` runs it (dist/main.js), on a free port. */
export interface ShopProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM and wait: a graceful stop. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait: a crash. */
  kill(): Promise<void>;
}

/** Starts dist/main.js with `env` (over a clean environment) and resolves once it listens. */
export async function startShopProcess(main: string, env: Record<string, string>): Promise<ShopProcess> {
  const { child, done } = runNode(main, cleanEnv({ PORT: '0', LOG_LEVEL: 'info', ...env }));
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (c: Buffer) => {
      seen += c.toString();
      const match = /"url":"(http:[^"]+)"/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('close', () => reject(new Error(`the shop exited before listening: ${seen.slice(-2_000)}`)));
  });
  return {
    url,
    child,
    async stop() {
      child.kill('SIGTERM');
      return (await done).code;
    },
    async kill() {
      child.kill('SIGKILL');
      await done;
    },
  };
}
