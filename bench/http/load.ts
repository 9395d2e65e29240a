import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { CALLBACK_PATH, type Variant } from './apps.js';
import type { ServerMessage } from './server.js';

/** `unique`: every request a different signed delivery; `replayed`: the same delivery every time. */
export type DeliveryMode = 'unique' | 'replayed';

export interface LoadSettings {
  connections: number;
  /** Warm-up per server, before any measurement. */
  warmupSeconds: number;
  /** Measured time per server, split evenly over `rounds`. */
  durationSeconds: number;
  /**
   * Rounds in ABBA order (servers in order, then reversed, …): a slow spell on the machine hits every
   * server, and ratios are taken between servers measured in the same round.
   */
  rounds: number;
  /** Write a CPU profile of each server process into `<profileDir>/<mode>-<variant>/` (`node --cpu-prof`). */
  profileDir?: string;
}

export interface HttpRound {
  requestsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

export interface HttpCaseResult {
  variant: Variant;
  mode: DeliveryMode;
  /** Over all rounds: requests ÷ seconds. */
  requestsPerSec: number;
  /** Request-weighted mean over rounds of autocannon's percentile (ms, 1 ms resolution). */
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  requests: number;
  /** Requests including the warm-up: the unit of work for a CPU profile of the whole server process. */
  requestsWithWarmup: number;
  non2xx: number;
  errors: number;
  /** Server CPU time (user + system, all threads) per answered request, µs. */
  serverCpuMicrosPerRequest: number;
  /** Server main-thread busy time (event-loop utilisation) per answered request, µs. */
  serverLoopMicrosPerRequest: number;
  /** Deliveries sent again in `unique` mode because the pre-signed bodies ran out (should be 0). */
  reusedBodies: number;
  rounds: HttpRound[];
}

type Usage = Extract<ServerMessage, { type: 'usage' }>;

/** One server process, and the deliveries it is sent (shared by all of its connections). */
export interface RunningServer {
  variant: Variant;
  child: ChildProcess;
  port: number;
  nextBody: () => Buffer;
  /** Times the bodies ran out and started again (a first delivery sent twice). */
  reusedBodies: number;
  warmupRequests: number;
  rounds: HttpRound[];
  totals: {
    requests: number;
    seconds: number;
    p50: number;
    p99: number;
    mean: number;
    non2xx: number;
    errors: number;
    answered: number;
    cpuMicros: number;
    loopMicros: number;
  };
}

const SERVER_ENTRY = fileURLToPath(new URL('server.ts', import.meta.url));

/** Forks `server.ts <variant>` (with `env` added) and waits for its port. */
export async function startServer(
  variant: Variant,
  bodies: readonly Buffer[],
  options: { profileDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningServer> {
  const profile = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
  const child = fork(SERVER_ENTRY, [variant], {
    execArgv: [...profile, '--import', 'tsx'],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await once(child, 'message')) as [ServerMessage];
  if (message.type !== 'ready') throw new Error(`the ${variant} server did not start`);
  let next = 0;
  const server: RunningServer = {
    variant,
    child,
    port: message.port,
    reusedBodies: 0,
    warmupRequests: 0,
    rounds: [],
    nextBody: () => {
      if (next === bodies.length) {
        next = 0;
        server.reusedBodies++;
      }
      return bodies[next++] as Buffer;
    },
    totals: {
      requests: 0,
      seconds: 0,
      p50: 0,
      p99: 0,
      mean: 0,
      non2xx: 0,
      errors: 0,
      answered: 0,
      cpuMicros: 0,
      loopMicros: 0,
    },
  };
  return server;
}

/** The server's CPU time (all threads) and main-thread busy time so far. */
export async function serverUsage(child: ChildProcess): Promise<Usage> {
  child.send('usage');
  for (;;) {
    const [message] = (await once(child, 'message')) as [ServerMessage];
    if (message.type === 'usage') return message;
  }
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Every request takes the next body (shared by all connections of that server). */
export function load(
  server: RunningServer,
  connections: number,
  seconds: number,
): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${server.port}${CALLBACK_PATH}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections,
    duration: seconds,
    requests: [{ setupRequest: (request) => ({ ...request, body: server.nextBody() }) }],
  });
}

/** Loads the server for `seconds` and adds what it answered, and the CPU it took, to its totals. */
export async function measure(server: RunningServer, connections: number, seconds: number): Promise<void> {
  const before = await serverUsage(server.child);
  const result = await load(server, connections, seconds);
  const after = await serverUsage(server.child);
  const t = server.totals;
  const n = result.requests.total;
  server.rounds.push({
    requestsPerSec: n / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  });
  t.requests += n;
  t.seconds += result.duration;
  t.p50 += result.latency.p50 * n;
  t.p99 += result.latency.p99 * n;
  t.mean += result.latency.average * n;
  t.non2xx += result.non2xx;
  t.errors += result.errors;
  t.answered += result['2xx'] + result.non2xx;
  t.cpuMicros += after.cpuMicros - before.cpuMicros;
  t.loopMicros += after.loopBusyMicros - before.loopBusyMicros;
}

/**
 * One delivery mode: a fresh server process per variant (the load generator stays in this process, so
 * the two share the machine's cores but not an event loop), each warmed up, then measured in ABBA rounds.
 */
export async function runHttpMode(
  mode: DeliveryMode,
  variants: readonly Variant[],
  bodies: readonly Buffer[],
  settings: LoadSettings,
  log: (line: string) => void,
): Promise<HttpCaseResult[]> {
  const servers: RunningServer[] = [];
  try {
    for (const variant of variants) {
      const profileDir = settings.profileDir && `${settings.profileDir}/${mode}-${variant}`;
      servers.push(await startServer(variant, bodies, profileDir ? { profileDir } : {}));
    }
    for (const server of servers) {
      server.warmupRequests = (
        await load(server, settings.connections, settings.warmupSeconds)
      ).requests.total;
    }
    const perRound = settings.durationSeconds / settings.rounds;
    for (let round = 0; round < settings.rounds; round++) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) await measure(server, settings.connections, perRound);
    }
  } finally {
    await Promise.all(servers.map((s) => stopServer(s.child)));
  }
  return servers.map((server): HttpCaseResult => {
    const t = server.totals;
    const perRequest = (micros: number): number => (t.answered > 0 ? micros / t.answered : 0);
    const weighted = (sum: number): number => (t.requests > 0 ? sum / t.requests : 0);
    const result: HttpCaseResult = {
      variant: server.variant,
      mode,
      requestsPerSec: t.seconds > 0 ? t.requests / t.seconds : 0,
      latencyP50Ms: weighted(t.p50),
      latencyP99Ms: weighted(t.p99),
      latencyMeanMs: weighted(t.mean),
      requests: t.requests,
      requestsWithWarmup: t.requests + server.warmupRequests,
      non2xx: t.non2xx,
      errors: t.errors,
      serverCpuMicrosPerRequest: perRequest(t.cpuMicros),
      serverLoopMicrosPerRequest: perRequest(t.loopMicros),
      // Replaying one body is the point of `replayed` mode.
      reusedBodies: mode === 'unique' ? server.reusedBodies : 0,
      rounds: server.rounds,
    };
    log(
      `  ${mode.padEnd(8)} ${server.variant.padEnd(9)} ${result.requestsPerSec.toFixed(0).padStart(6)} req/s  ` +
        `p50 ${result.latencyP50Ms.toFixed(1)} ms  p99 ${result.latencyP99Ms.toFixed(1)} ms  ` +
        `server CPU ${result.serverCpuMicrosPerRequest.toFixed(0)} µs/req` +
        (result.non2xx || result.errors ? `  (non-2xx ${result.non2xx}, errors ${result.errors})` : ''),
    );
    return result;
  });
}
