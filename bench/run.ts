/**
 * `pnpm bench [--quick] [--profile]`: measures @ttpay/core's signatures, the seed's Go demo, the full
 * Koa stack over HTTP, the stores (first claims, deliveries by path on PostgreSQL, their growth with
 * remembered keys, one and two app processes on one store) and the default store's memory, each against
 * baselines run in the same run, then writes bench/results.json and bench/RESULTS.md (which the root
 * README links to), with a capacity estimate drawn from those figures.
 *
 * --quick    short runs for smoke tests; writes bench/.tmp/results-quick.{json,md}
 * --profile  every HTTP server process writes a CPU profile to bench/.tmp/prof/ (see bench/profile-summary.ts);
 *            profiling slows the servers, so results go to bench/.tmp/results-profile.{json,md}
 *
 * It exits 0 when a target is missed (the results say MISS); only a broken run exits non-zero.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { signEcpayRequest } from '@ttpay/core';
import type { DeliveryPathSettings } from './delivery-paths.js';
import { runGoComparison } from './go-benchmark.js';
import { BENCH_TOKEN, COMPARED } from './http/apps.js';
import { signedCallbackBodies } from './http/bodies.js';
import { type HttpCaseResult, type LoadSettings, runHttpMode } from './http/load.js';
import type { ScaleSettings } from './http/scale.js';
import { measureStoreMemory } from './memory.js';
import { type MicroSettings, measureCases } from './micro/measure.js';
import { fmtNs, runMicroBenchmarks } from './micro/run-micro.js';
import { renderResults } from './report.js';
import { type BenchResults, describeMachine, evaluateTargets } from './results.js';
import { ecpayRequest } from './sample-inputs.js';
import type { StoreBenchSettings } from './stores.js';

interface Plan {
  micro: MicroSettings;
  /** Go runs alternate with ours (`ours` settings, about as long as one Go run). */
  go: { benchtime: string; rounds: number; ours: MicroSettings };
  http: LoadSettings;
  /** The replayed mode (one body, duplicates): context, so shorter. */
  replayed: LoadSettings;
  bodies: number;
  memory: { maxEntries: number; checkpoints: number[] };
  stores: StoreBenchSettings;
  growth: { checkpoints: number[]; settings: StoreBenchSettings };
  paths: DeliveryPathSettings;
  scale: ScaleSettings & { bodiesPerServer: number };
}

// About 3 minutes on the 2-core bench machine.
const FULL: Plan = {
  // Many short rounds: a ratio is a median of per-round ratios, and more rounds ride out busy spells.
  micro: { rounds: 24, timeMs: 15, warmupMs: 5 },
  go: { benchtime: '500ms', rounds: 5, ours: { rounds: 5, timeMs: 100, warmupMs: 5 } },
  http: { connections: 50, warmupSeconds: 1, durationSeconds: 6, rounds: 12 },
  replayed: { connections: 50, warmupSeconds: 0.5, durationSeconds: 1.5, rounds: 4 },
  // Enough that ttpay never sees a delivery twice in `unique` mode (warm-up included).
  bodies: 250_000,
  memory: { maxEntries: 100_000, checkpoints: [100_000, 1_000_000] },
  // Many short rounds: on a shared machine a busy spell then skews a few per-round ratios, not the median.
  stores: { roundMs: 250, rounds: 12, concurrency: 32 },
  paths: { roundMs: 250, rounds: 12, concurrency: 32 },
  growth: {
    checkpoints: [10_000, 100_000, 1_000_000],
    settings: { roundMs: 500, rounds: 2, concurrency: 32 },
  },
  scale: { connections: 50, warmupSeconds: 1, roundSeconds: 1, rounds: 4, bodiesPerServer: 40_000 },
};

const QUICK: Plan = {
  micro: { rounds: 3, timeMs: 10, warmupMs: 5 },
  go: { benchtime: '200ms', rounds: 1, ours: { rounds: 2, timeMs: 100, warmupMs: 5 } },
  http: { connections: 50, warmupSeconds: 0.5, durationSeconds: 1, rounds: 2 },
  replayed: { connections: 50, warmupSeconds: 0.5, durationSeconds: 1, rounds: 2 },
  bodies: 40_000,
  memory: { maxEntries: 10_000, checkpoints: [10_000, 100_000] },
  stores: { roundMs: 200, rounds: 1, concurrency: 32 },
  paths: { roundMs: 200, rounds: 1, concurrency: 32 },
  growth: { checkpoints: [1_000, 10_000], settings: { roundMs: 200, rounds: 1, concurrency: 32 } },
  scale: { connections: 50, warmupSeconds: 0.5, roundSeconds: 0.5, rounds: 2, bodiesPerServer: 10_000 },
};

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const profile = args.includes('--profile');
  const plan = quick ? QUICK : FULL;
  if (profile) {
    const dir = here(`.tmp/prof/${new Date().toISOString().replace(/[:.]/g, '-')}`);
    plan.http.profileDir = dir;
    plan.replayed.profileDir = dir;
  }
  const started = performance.now();
  const loadAverageStart = loadavg()[0] ?? 0;
  // Section headers carry the time since the start: the run should stay near 3 minutes.
  const log = (line: string): void =>
    console.log(
      line.startsWith(' ')
        ? line
        : `[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`,
    );

  log(`ttpay bench${quick ? ' --quick' : ''}: signatures (tinybench, ours vs floor vs naive)`);
  const groups = runMicroBenchmarks(plan.micro, log);

  log("seed's Go demo (go test -bench), alternating with signEcpayRequest");
  const { params, salt } = ecpayRequest;
  const ours = {
    label: 'ours: signEcpayRequest',
    role: 'ours',
    fn: () => signEcpayRequest(params, salt),
  } as const;
  const go = await runGoComparison(plan.go, () => measureCases([ours], plan.go.ours)[0]?.nsPerOp ?? NaN);
  log(
    go.measured
      ? `  getSign ${fmtNs(go.nsPerOp)} (${go.goVersion}), ours ${fmtNs(go.oursNsPerOp)}: ${go.speedup.toFixed(2)}×`
      : `  not measured: ${go.reason}; documented ${fmtNs(go.nsPerOp)}, ours ${fmtNs(go.oursNsPerOp)}`,
  );

  log(`MemoryStore memory (maxEntries ${plan.memory.maxEntries})`);
  const memory = await measureStoreMemory(plan.memory.maxEntries, plan.memory.checkpoints);
  for (const c of memory.checkpoints) {
    log(
      `  ${String(c.keys).padStart(8)} keys: retained heap ${(c.retainedHeapBytes / 2 ** 20).toFixed(1)} MiB`,
    );
  }

  // Imported only now, after the signature timings: loading ioredis slows string-heavy JavaScript in
  // the same process on Node 20 (bench/PROFILE.md), which those timings must not include.
  const { measureClaimGrowth, measureStoreClaims } = await import('./stores.js');
  const { measureScale } = await import('./http/scale.js');
  log(`stores: first claims per second, ${plan.stores.concurrency} in flight (ours vs the bare command)`);
  const storeRows = await measureStoreClaims(plan.stores, log);
  const { measureDeliveryPaths } = await import('./delivery-paths.js');
  log(
    `PostgreSQL: deliveries per second by path, ${plan.paths.concurrency} in flight (processOnce and the lease path vs a bare one-commit transaction)`,
  );
  const paths = await measureDeliveryPaths(plan.paths, log);
  log(
    `stores: first claims per second with ${plan.growth.checkpoints.map((k) => k.toLocaleString('en')).join(' / ')} keys remembered`,
  );
  const growthRows = await measureClaimGrowth(plan.growth.checkpoints, plan.growth.settings, log);

  log(`HTTP (autocannon, ${plan.http.connections} connections, server in a child process)`);
  const bodies = signedCallbackBodies(plan.bodies, BENCH_TOKEN);
  const cases: HttpCaseResult[] = [
    ...(await runHttpMode('unique', COMPARED, bodies, plan.http, log)),
    ...(await runHttpMode('replayed', COMPARED, bodies.slice(0, 1), plan.replayed, log)),
  ];
  log(`scale: one shared store, 1 and 2 app processes (full stack, first deliveries)`);
  const { bodiesPerServer, ...scaleSettings } = plan.scale;
  const scaleBodies = signedCallbackBodies(2 * bodiesPerServer, BENCH_TOKEN);
  const scaleRows = await measureScale(
    scaleSettings,
    [scaleBodies.slice(0, bodiesPerServer), scaleBodies.slice(bodiesPerServer)],
    log,
  );
  if (plan.http.profileDir) {
    log(
      `  CPU profiles in ${plan.http.profileDir}/<mode>-<server>/ (the larger file is the main thread); e.g.`,
    );
    const c = cases.find((k) => k.variant === 'ttpay');
    log(
      `  node --import tsx bench/profile-summary.ts <file> --filter packages/ --per ${c?.requestsWithWarmup ?? 'N'}` +
        ` (requests ${c?.mode} ttpay answered)`,
    );
  }

  const partial: Omit<BenchResults, 'targets'> = {
    generatedAt: new Date().toISOString(),
    quick,
    durationSeconds: (performance.now() - started) / 1000,
    machine: describeMachine(loadAverageStart),
    micro: { settings: plan.micro, groups },
    go,
    http: { settings: plan.http, bodies: plan.bodies, cases },
    memory,
    stores: { settings: plan.stores, rows: storeRows },
    growth: { ...plan.growth, rows: growthRows },
    scale: { settings: scaleSettings, bodies: 2 * bodiesPerServer, rows: scaleRows },
    paths: { settings: plan.paths, ...paths },
  };
  const results: BenchResults = { ...partial, targets: evaluateTargets(partial) };

  log('targets');
  for (const t of results.targets) {
    log(`  ${t.retired ? 'RETIRED' : t.pass ? 'PASS' : 'MISS'}  ${t.target}: ${t.measured}`);
  }

  if (quick || profile) {
    const name = profile ? 'profile' : 'quick';
    mkdirSync(here('.tmp'), { recursive: true });
    writeFileSync(here(`.tmp/results-${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(here(`.tmp/RESULTS-${name}.md`), renderResults(results));
    log(`wrote bench/.tmp/results-${name}.json and bench/.tmp/RESULTS-${name}.md`);
  } else {
    writeFileSync(here('results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(here('RESULTS.md'), renderResults(results));
    log('wrote bench/results.json and bench/RESULTS.md');
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

await main();
