import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { beforeAll, beforeEach } from 'vitest';

/**
 * The Redis the multi-instance tests share: a real server, never a mock. They FAIL (never skip) without
 * one, saying how to start it. Keys are under a unique prefix per test file and run, deleted at the end
 * with SCAN (never KEYS or FLUSH: other people use this server too).
 */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const START_HINT =
  "Start one with `redis-server --port 6379 --save '' --appendonly no`, or set REDIS_URL to a Redis you may write test keys to.";

/**
 * `beforeAll(setup)`, except that a failing setup (no Redis, no redis-server) fails every test of the
 * file with its error instead of leaving them "skipped": a missing Redis must never look like a pass.
 */
export function setUpOrFailEveryTest(setup: () => Promise<void>): void {
  let failure: unknown;
  beforeAll(async () => {
    try {
      await setup();
    } catch (error) {
      failure = error;
    }
  });
  beforeEach(() => {
    if (failure !== undefined) throw failure;
  });
}

/** `koa-shop-test:<label>:<time>-<random>:` — what the shop takes as REDIS_PREFIX. */
export function uniquePrefix(label: string): string {
  return `koa-shop-test:${label}:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`;
}

/** A plain client for assertions and cleanup; rejects with the start hint when Redis is not there. */
export async function connectRedis(url = REDIS_URL): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 50, 500),
  });
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    const where = url.replace(/\/\/[^@/]*@/, '//***@');
    throw new Error(
      `These examples/koa-shop tests need a real Redis at ${where} (${(lastError ?? (error as Error)).message}). ${START_HINT}`,
    );
  }
  return client;
}

/** Deletes every key under `prefix` (SCAN + DEL). */
export async function deleteKeys(client: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await client.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** A free TCP port on 127.0.0.1 (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A `redis-server` of this test's own, on a free port, that the test may kill and restart (the shared
 * server is never stopped). No persistence: a restart comes back empty, as a cache-only Redis would.
 */
export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** Starts the server (again) on the same port; resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGKILL — a crash, not a shutdown; resolves once the process is gone. */
  kill(): Promise<void>;
}

const livePrivateServers = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of livePrivateServers) child.kill('SIGKILL');
});

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await exited;
    livePrivateServers.delete(running);
  };

  const start = async (): Promise<void> => {
    if (child) throw new Error('The private redis-server is running already.');
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const spawned = spawn('redis-server', [...args, '--dir', tmpdir()], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = spawned;
    livePrivateServers.add(spawned);
    let stderr = '';
    spawned.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const failed = new Promise<never>((_, reject) => {
      spawned.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          new Error(
            error.code === 'ENOENT'
              ? 'This test starts (and kills) a redis-server of its own, and `redis-server` is not on PATH. Install Redis (Debian/Ubuntu: `apt-get install redis-server`; macOS: `brew install redis`).'
              : `redis-server could not be started: ${error.message}`,
          ),
        );
      });
      spawned.once('exit', (code, signal) =>
        reject(new Error(`redis-server on port ${port} exited (${code ?? signal}): ${stderr.trim()}`)),
      );
    });
    failed.catch(() => {}); // only observed while waiting below
    try {
      await Promise.race([answersPing(port, 5_000), failed]);
    } catch (error) {
      await kill();
      throw error;
    }
  };

  await start();
  return { port, url: `redis://127.0.0.1:${port}`, start, kill };
}

/** Resolves once something on `port` answers `+PONG`. */
async function answersPing(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pong = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.setTimeout(200);
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (pong) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
