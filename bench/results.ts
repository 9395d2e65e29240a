import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { DOCUMENTED_GO_NS, type GoResult } from './go-benchmark.js';
import type { DeliveryMode, HttpCaseResult, LoadSettings } from './http/load.js';
import type { MemoryResult } from './memory.js';
import { caseOf, type GroupTiming, type MicroSettings, pairedRatio } from './micro/measure.js';
import type { StoreBenchRow, StoreBenchSettings } from './stores.js';

/** What `pnpm bench` writes to bench/results.json; bench/report.ts renders it. */
export interface BenchResults {
  generatedAt: string;
  quick: boolean;
  /** Wall time of the whole run (after the build), s. */
  durationSeconds: number;
  machine: Machine;
  targets: TargetResult[];
  micro: { settings: MicroSettings; groups: GroupTiming[] };
  go: GoResult;
  http: { settings: LoadSettings; bodies: number; cases: HttpCaseResult[] };
  memory: MemoryResult;
  /** First claims per second of each store against its bare command (bench/stores.ts). */
  stores: { settings: StoreBenchSettings; rows: StoreBenchRow[] };
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started and when it ended: how busy the machine was. */
  loadAverageStart: number;
  loadAverageEnd: number;
}

export interface TargetResult {
  target: string;
  measured: string;
  pass: boolean;
  note?: string;
}

export function describeMachine(loadAverageStart: number): Machine {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${type()} ${release()}`,
    loadAverageStart,
    loadAverageEnd: loadavg()[0] ?? 0,
  };
}

export function httpCase(
  cases: readonly HttpCaseResult[],
  mode: DeliveryMode,
  variant: string,
): HttpCaseResult {
  const found = cases.find((c) => c.mode === mode && c.variant === variant);
  if (!found) throw new Error(`no HTTP result for ${variant} in ${mode} mode`);
  return found;
}

/** A server against bare Koa: the median over rounds of the ratio between the two in that round. */
export function versusBare(
  cases: readonly HttpCaseResult[],
  c: HttpCaseResult,
): { requestsPerSec: number; latencyP50: number; latencyP99: number } {
  const bare = httpCase(cases, c.mode, 'bare').rounds;
  const mine = c.rounds;
  return {
    requestsPerSec: pairedRatio(
      mine.map((r) => r.requestsPerSec),
      bare.map((r) => r.requestsPerSec),
    ),
    latencyP50: pairedRatio(
      mine.map((r) => r.latencyP50Ms),
      bare.map((r) => r.latencyP50Ms),
    ),
    latencyP99: pairedRatio(
      mine.map((r) => r.latencyP99Ms),
      bare.map((r) => r.latencyP99Ms),
    ),
  };
}

export function groupOf(groups: readonly GroupTiming[], fn: string): GroupTiming {
  const found = groups.find((g) => g.fn === fn);
  if (!found) throw new Error(`no micro benchmark for ${fn}`);
  return found;
}

const pct = (ratio: number): string => `${ratio >= 1 ? '+' : '−'}${Math.abs((ratio - 1) * 100).toFixed(1)} %`;

/** The targets of issue #8, each PASS or MISS; a MISS is reported, never a failed run. */
export function evaluateTargets(r: Omit<BenchResults, 'targets'>): TargetResult[] {
  const targets: TargetResult[] = [];
  for (const mode of ['unique', 'replayed'] as const) {
    const ours = httpCase(r.http.cases, mode, 'ttpay');
    const bare = httpCase(r.http.cases, mode, 'bare');
    const ratio = versusBare(r.http.cases, ours).requestsPerSec;
    const clean = ours.non2xx === 0 && ours.errors === 0 && ours.reusedBodies === 0;
    targets.push({
      target: `full-stack throughput ≥ 0.85× bare Koa, ${mode === 'unique' ? 'first' : 'replayed'} deliveries`,
      measured: `${ratio.toFixed(2)}× (${ours.requestsPerSec.toFixed(0)} vs ${bare.requestsPerSec.toFixed(0)} req/s; median of per-round ratios)`,
      pass: ratio >= 0.85 && clean,
      ...(clean ? {} : { note: 'some requests failed or were not first deliveries: the run is not valid' }),
    });
  }
  const ecpay = groupOf(r.micro.groups, 'signEcpayRequest');
  const ours = caseOf(ecpay, 'ours').nsPerOp;
  const floor = caseOf(ecpay, 'floor').nsPerOp;
  targets.push({
    target:
      "ecpay request signing (canonicalise + sort + MD5) ≤ one bare createHash('md5') over the joined string",
    measured: `${ecpay.oursOverFloor.toFixed(2)}× the floor (${ours.toFixed(0)} vs ${floor.toFixed(0)} ns; median of per-round ratios)`,
    pass: ecpay.oursOverFloor <= 1,
  });
  targets.push({
    target: "ecpay request signing ≥ 2× faster than the seed's Go demo",
    measured:
      `${r.go.speedup.toFixed(2)}× (Go ${(r.go.nsPerOp / 1000).toFixed(2)} µs${r.go.measured ? '' : ' documented'}, ` +
      `ours ${(r.go.oursNsPerOp / 1000).toFixed(2)} µs${r.go.measured ? ', measured alternately' : ''})`,
    pass: r.go.speedup >= 2,
    note: r.go.measured
      ? `the issue documents the demo at 6–8 µs: against 6 µs ours is ${(DOCUMENTED_GO_NS / r.go.oursNsPerOp).toFixed(1)}× faster`
      : `Go not measured (${r.go.reason}): compared with the documented 6 µs (the fast end of 6–8 µs)`,
  });
  const first = r.memory.checkpoints[0];
  const last = r.memory.checkpoints.at(-1);
  if (first && last) {
    const heap = last.retainedHeapBytes / first.retainedHeapBytes;
    const rss = last.rssBytes / first.rssBytes;
    targets.push({
      target: `MemoryStore memory flat (±10 %) from ${first.keys.toLocaleString('en')} to ${last.keys.toLocaleString('en')} distinct keys (retained heap)`,
      measured: `heap ${pct(heap)} (${mb(first.retainedHeapBytes)} → ${mb(last.retainedHeapBytes)}), RSS ${pct(rss)}`,
      pass: Math.abs(heap - 1) <= 0.1,
      ...(heap < 0.9 ? { note: droppedNote(r.memory) } : {}),
    });
  }
  return targets;
}

/** Why memory can be lower, not higher, after more keys: say where it dropped and where it stayed. */
function droppedNote(memory: MemoryResult): string {
  const points = memory.checkpoints;
  const after = points.slice(1);
  const low = Math.min(...after.map((c) => c.retainedHeapBytes));
  const high = Math.max(...after.map((c) => c.retainedHeapBytes));
  const drop = points.find(
    (c, i) => i > 0 && c.retainedHeapBytes < 0.9 * (points[0]?.retainedHeapBytes ?? 0),
  );
  return (
    `lower, not higher: it dropped at ${drop?.keys.toLocaleString('en') ?? '?'} keys, the store's first ` +
    'eviction, when its long-lived Map iterator advances and stops holding the hash tables the Map had ' +
    `outgrown while filling up; then it stayed ${mb(low) === mb(high) ? `at ${mb(low)}` : `within ${mb(low)}–${mb(high)}`} up to ` +
    `${points.at(-1)?.keys.toLocaleString('en')} keys`
  );
}

export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
