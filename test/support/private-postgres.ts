import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL server of a test's own (`initdb` + `pg_ctl` into a temp dir, on a free loopback port),
 * for the tests that restart or stop a database: the shared one at DATABASE_URL serves other engineers'
 * tests at the same time and must never be restarted. Trust auth, user `postgres`, database `postgres`.
 */
export interface PrivatePostgres {
  readonly url: string;
  readonly port: number;
  /** `pg_ctl restart -m fast`: every backend gets 57P01 ("terminating connection due to administrator command"). */
  restart(): Promise<void>;
  /** Stops the server at once and removes its directory. */
  destroy(): Promise<void>;
}

/** The newest server binaries installed under /usr/lib/postgresql (Debian's layout). */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) {
    throw new Error(
      'This test starts a private PostgreSQL and needs the server binaries (initdb, pg_ctl) under /usr/lib/postgresql/<version>/bin (Debian package postgresql).',
    );
  }
  return join(root, versions[0], 'bin');
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'ttpay-private-pg-'));
  const data = join(dir, 'data');
  // initdb refuses to run as root: run the server as the `postgres` account then.
  const asUser: { uid?: number; gid?: number } = {};
  if (process.getuid?.() === 0) {
    asUser.uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    asUser.gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    chownSync(dir, asUser.uid, asUser.gid);
  }
  const pg = (tool: string, args: string[]) =>
    run(join(bin, tool), args, { ...asUser, cwd: dir, timeout: 60_000 });
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-k ${dir}`,
    '-c fsync=off',
    '-c max_connections=60',
    '-c shared_buffers=16MB',
  ].join(' ');
  const ctl = (args: string[]) => pg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', ...args]);
  await ctl(['-o', options, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: async () => void (await ctl(['-m', 'fast', '-o', options, 'restart'])),
    async destroy() {
      await ctl(['-m', 'immediate', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
