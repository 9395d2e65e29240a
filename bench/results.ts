import { cpus, loadavg, release, totalmem, type } from 'node:os';
import type { GoResult } from './go-benchmark.js';
import type { DeliveryMode, HttpCaseResult, LoadSettings } from './http/load.js';
import type { ScaleRow, ScaleSettings } from './http/scale.js';
import type { MemoryResult } from './memory.js';
import { caseOf, type GroupTiming, type MicroSettings, pairedRatio } from './micro/measure.js';
import type { ClaimGrowthRow, StoreBenchRow, StoreBenchSettings } from './stores.js';

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
  /** First claims per second as each store remembers more keys (bench/stores.ts). */
  growth: { settings: StoreBenchSettings; checkpoints: number[]; rows: ClaimGrowthRow[] };
  /** Deliveries per second with one and two app processes on one shared store (bench/http/scale.ts). */
  scale: { settings: ScaleSettings; bodies: number; rows: ScaleRow[] };
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

/** A server against another (`naive` by default): the median over rounds of their ratio in that round. */
export function versus(
  cases: readonly HttpCaseResult[],
  c: HttpCaseResult,
  baseline = 'naive',
): { requestsPerSec: number; latencyP50: number; latencyP99: number } {
  const base = httpCase(cases, c.mode, baseline).rounds;
  const mine = c.rounds;
  const paired = (pick: (r: HttpCaseResult['rounds'][number]) => number): number =>
    pairedRatio(mine.map(pick), base.map(pick));
  return {
    requestsPerSec: paired((r) => r.requestsPerSec),
    latencyP50: paired((r) => r.latencyP50Ms),
    latencyP99: paired((r) => r.latencyP99Ms),
  };
}

export function groupOf(groups: readonly GroupTiming[], fn: string): GroupTiming {
  const found = groups.find((g) => g.fn === fn);
  if (!found) throw new Error(`no micro benchmark for ${fn}`);
  return found;
}

/** The verifiers of target 2: each at least as fast as its naive port. */
const VERIFIERS = [
  'verifyEcpayCallback',
  'verifyTradeCallback',
  'verifyTikTokWebhook',
  'verifyAlgoVoiWebhook',
];

/** The targets of issue #17, each PASS or MISS; a MISS is reported, never a failed run. */
export function evaluateTargets(r: Omit<BenchResults, 'targets'>): TargetResult[] {
  const targets: TargetResult[] = [];
  const ours = httpCase(r.http.cases, 'unique', 'ttpay');
  const naive = httpCase(r.http.cases, 'unique', 'naive');
  const read = httpCase(r.http.cases, 'unique', 'bare-read');
  const clean = ours.non2xx === 0 && ours.errors === 0 && ours.reusedBodies === 0;
  const invalid = clean
    ? {}
    : { note: 'some requests failed or were not first deliveries: the run is not valid' };
  const ratio = versus(r.http.cases, ours).requestsPerSec;
  targets.push({
    target:
      '1a. full stack ≥ 1.15× the req/s of koa-bodyparser + hand-written verification, first deliveries',
    measured: `${ratio.toFixed(2)}× (${ours.requestsPerSec.toFixed(0)} vs ${naive.requestsPerSec.toFixed(0)} req/s; median of per-round ratios)`,
    pass: ratio >= 1.15 && clean,
    ...invalid,
  });
  const extra = ours.serverCpuMicrosPerRequest - read.serverCpuMicrosPerRequest;
  targets.push({
    target: '1b. full stack server CPU per request ≤ bare Koa that reads the body + 15 µs, first deliveries',
    measured: `+${extra.toFixed(1)} µs (${ours.serverCpuMicrosPerRequest.toFixed(1)} vs ${read.serverCpuMicrosPerRequest.toFixed(1)} µs; naive +${(naive.serverCpuMicrosPerRequest - read.serverCpuMicrosPerRequest).toFixed(1)} µs)`,
    pass: extra <= 15 && clean,
    ...invalid,
  });
  for (const fn of VERIFIERS) {
    const g = groupOf(r.micro.groups, fn);
    targets.push({
      target: `2. \`${fn}\` at least as fast as its naive port`,
      measured: `${g.naiveOverOurs.toFixed(2)}× (${fmt(caseOf(g, 'ours').nsPerOp)} vs naive ${fmt(caseOf(g, 'naive').nsPerOp)}; naive ÷ ours, median of per-round ratios)`,
      pass: g.naiveOverOurs >= 1,
    });
  }
  const ecpay = groupOf(r.micro.groups, 'signEcpayRequest');
  targets.push({
    target: "3a. ecpay request signing ≤ 2× one bare createHash('md5') over the joined string",
    measured: `${ecpay.oursOverFloor.toFixed(2)}× (${fmt(caseOf(ecpay, 'ours').nsPerOp)} vs ${fmt(caseOf(ecpay, 'floor').nsPerOp)}; median of per-round ratios)`,
    pass: ecpay.oursOverFloor <= 2,
  });
  targets.push({
    target: "3b. ecpay request signing ≥ 2× as fast as the seed's Go demo on this machine",
    measured: r.go.measured
      ? `${r.go.speedup.toFixed(2)}× (Go ${fmt(r.go.nsPerOp)}, ours ${fmt(r.go.oursNsPerOp)}, measured alternately)`
      : `not measured (${r.go.reason})`,
    pass: r.go.measured && r.go.speedup >= 2,
  });
  return targets;
}

const fmt = (ns: number): string => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);

export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
