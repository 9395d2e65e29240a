import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../processes/deliver-on-request.ts', import.meta.url));

/**
 * `processes/deliver-on-request.ts` as a real process, driven as a platform drives an app: deliveries
 * are sent (each key twice, as platforms duplicate), and sent again after a retry-later answer until
 * acknowledged.
 */
export interface DeliveringChild {
  readonly child: ChildProcess;
  /** Starts delivering `key` (twice), and again after every retry-later, until it is acknowledged. */
  send(key: string): void;
  /** Resolves once every key sent so far is acknowledged and nothing is outstanding. */
  drained(): Promise<void>;
  /** Resolves with true when the process answers a ping. */
  ping(): Promise<boolean>;
  /** Retry-later answers by reason (`STORE_UNAVAILABLE`, `in-flight`, …). */
  readonly retries: ReadonlyMap<string, number>;
  readonly acknowledged: ReadonlySet<string>;
  /** Set once the process exited: its code or signal and the tail of its stderr. */
  readonly died: string | undefined;
  stop(): Promise<void>;
}

export interface ChildSettings {
  url: string;
  table: string;
  ledger: string;
  pool: 'bare' | 'readme' | 'owned';
  /** claim + completeWithin, or processOnce. */
  path: 'lease' | 'atomic';
  applicationName: string;
  /** Deliveries outstanding at once. */
  concurrency: number;
}

export async function startDeliveringChild(settings: ChildSettings): Promise<DeliveringChild> {
  const { url, table, ledger, pool, applicationName, concurrency, path } = settings;
  const child = spawn(
    process.execPath,
    ['--conditions=ttpay-source', '--import', 'tsx', CHILD, url, table, ledger, pool, applicationName, path],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 20_000) stderr += chunk.toString();
  });
  let died: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      // The first lines say what ended it ("Unhandled 'error' event", the error's message).
      const lines = stderr.split('\n');
      const at = lines.findIndex((l) => /Unhandled|uncaught|^\w*Error/i.test(l));
      died = `exited with ${signal ?? code}: ${(at >= 0 ? lines.slice(at, at + 4) : lines.slice(-6)).join(' | ')}`;
      resolve();
    });
  });

  const queue: string[] = [];
  const acknowledged = new Set<string>();
  const retries = new Map<string, number>();
  let outstanding = 0;
  let pongs: Array<() => void> = [];
  let onProgress: () => void = () => {};

  const pump = (): void => {
    while (outstanding < concurrency && queue.length > 0 && died === undefined) {
      const key = queue.shift() as string;
      if (acknowledged.has(key)) continue;
      outstanding++;
      child.stdin?.write(`deliver ${key}\n`);
    }
    onProgress();
  };
  let ready!: () => void;
  const started = new Promise<void>((resolve) => {
    ready = resolve;
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const [answer, key, why] = line.split(' ');
    if (answer === 'ready') return ready();
    if (answer === 'pong') {
      for (const resolve of pongs.splice(0)) resolve();
      return;
    }
    if (!key) return;
    outstanding--;
    if (answer === 'ack') {
      acknowledged.add(key);
    } else {
      const reason = why ?? 'unknown';
      retries.set(reason, (retries.get(reason) ?? 0) + 1);
      // The platform tries again a little later.
      setTimeout(() => {
        queue.push(key);
        pump();
      }, 20);
    }
    pump();
  });
  await Promise.race([
    started,
    exited.then(() => {
      throw new Error(`the child ${died}`);
    }),
  ]);

  const sent = new Set<string>();
  return {
    child,
    send(key) {
      sent.add(key);
      queue.push(key, key);
      pump();
    },
    async drained() {
      await new Promise<void>((resolve, reject) => {
        onProgress = () => {
          if (died !== undefined) reject(new Error(`the child ${died}`));
          else if (outstanding === 0 && acknowledged.size === sent.size) resolve();
        };
        void exited.then(() => onProgress());
        onProgress();
      });
    },
    async ping() {
      if (died !== undefined) return false;
      const pong = new Promise<boolean>((resolve) => {
        pongs.push(() => resolve(true));
        void exited.then(() => resolve(false));
      });
      child.stdin?.write('ping\n');
      return pong;
    },
    retries,
    acknowledged,
    get died() {
      return died;
    },
    async stop() {
      if (died === undefined) {
        child.stdin?.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      pongs = [];
    },
  };
}
