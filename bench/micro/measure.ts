import { Bench } from 'tinybench';

/**
 * `ours` is the @ttpay/core function; `floor` is one bare hash/HMAC/RSA call over the pre-joined input
 * (what no implementation can beat by much); `naive` is the port in bench/naive; `reference` rows are
 * shown for context and take no part in the ratios.
 */
export type Role = 'ours' | 'floor' | 'naive' | 'reference';

export interface MicroCase {
  label: string;
  role: Role;
  fn: () => unknown;
}

/** One function of @ttpay/core and its baselines, all over the same input. */
export interface MicroGroup {
  /** The @ttpay/core function measured, e.g. `signEcpayRequest`. */
  fn: string;
  /** Every case must return the same string (signers); checked once before timing. */
  sameOutput: boolean;
  cases: MicroCase[];
}

export interface MicroSettings {
  /**
   * Rounds per group. Each round runs every case once, back to back, in a rotated order; ratios are
   * taken within a round (the cases ran milliseconds apart) and the median over rounds is reported.
   */
  rounds: number;
  /** tinybench time budget per case and round, ms. */
  timeMs: number;
  warmupMs: number;
}

export interface CaseTiming {
  label: string;
  role: Role;
  /** Median over rounds of each round's median time per call, ns. */
  nsPerOp: number;
  opsPerSec: number;
  /** Calls per tinybench sample (a sample lasts about 20 µs, well above the timer's resolution). */
  batch: number;
  /** Fastest and slowest round, ns per call: how noisy the machine was. */
  minNs: number;
  maxNs: number;
  /** Every round's median time per call, ns. */
  rounds: number[];
}

export interface GroupTiming {
  fn: string;
  cases: CaseTiming[];
  /** ours ÷ floor in time per call, median over rounds (1.0 = as cheap as the bare primitive). */
  oursOverFloor: number;
  /** naive ÷ ours in time per call, median over rounds (> 1: ours is faster). */
  naiveOverOurs: number;
}

const TARGET_SAMPLE_NS = 20_000;
let sink: unknown;

export function caseOf(group: GroupTiming, role: Role): CaseTiming {
  const found = group.cases.find((c) => c.role === role);
  if (!found) throw new Error(`${group.fn} has no ${role} case`);
  return found;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The median over rounds of `a[i] / b[i]`: a ratio of two cases measured in the same round. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((value, i) => value / (b[i] as number)));
}

/**
 * Calls per sample so one sample lasts about TARGET_SAMPLE_NS. Estimated after ~20 ms of calls, once
 * the function is optimised: a cold estimate would give the cheap cases a batch of 1 and charge them
 * the per-sample overhead of the harness.
 */
function batchSize(fn: () => unknown): number {
  const warmUntil = performance.now() + 20;
  while (performance.now() < warmUntil) for (let i = 0; i < 10; i++) sink = fn();
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < 10) {
    for (let i = 0; i < 10; i++) sink = fn();
    calls += 10;
  }
  const perCallNs = ((performance.now() - start) * 1e6) / calls;
  return Math.max(1, Math.min(1000, Math.round(TARGET_SAMPLE_NS / perCallNs)));
}

function checkSameOutput(group: MicroGroup): void {
  const outputs = group.cases.map((c) => ({ label: c.label, out: c.fn() }));
  const first = outputs[0];
  for (const o of outputs) {
    if (typeof o.out !== 'string' || o.out !== first?.out) {
      throw new Error(
        `${group.fn}: "${o.label}" returned ${String(o.out)}, "${first?.label}" ${String(first?.out)}: ` +
          'the baselines must produce the same signature as ours',
      );
    }
  }
}

/** Times cases against each other in rounds (ABC, BCA, CAB, …); see MicroSettings. */
export function measureCases(cases: readonly MicroCase[], settings: MicroSettings): CaseTiming[] {
  const batches = cases.map((c) => batchSize(c.fn));
  const perRound: number[][] = cases.map(() => []);
  for (let round = 0; round < settings.rounds; round++) {
    const bench = new Bench({
      time: settings.timeMs,
      warmupTime: settings.warmupMs,
      iterations: 5,
      warmupIterations: 2,
      throws: true,
    });
    // Rotate the order so no case always runs first (right after a GC, or while the machine is busy).
    const order = cases.map((_, i) => (i + round) % cases.length);
    for (const i of order) {
      const c = cases[i] as MicroCase;
      const batch = batches[i] as number;
      bench.add(`${i}`, () => {
        for (let k = 0; k < batch; k++) sink = c.fn();
      });
    }
    for (const task of bench.runSync()) {
      const i = Number(task.name);
      const result = task.result;
      if (result.state !== 'completed') throw new Error(`${cases[i]?.label}: ${result.state}`);
      (perRound[i] as number[]).push((result.latency.p50 * 1e6) / (batches[i] as number));
    }
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return cases.map((c, i): CaseTiming => {
    const rounds = perRound[i] as number[];
    const nsPerOp = median(rounds);
    return {
      label: c.label,
      role: c.role,
      nsPerOp,
      opsPerSec: 1e9 / nsPerOp,
      batch: batches[i] as number,
      minNs: Math.min(...rounds),
      maxNs: Math.max(...rounds),
      rounds,
    };
  });
}

export function measureGroup(group: MicroGroup, settings: MicroSettings): GroupTiming {
  if (group.sameOutput) checkSameOutput(group);
  const timing: GroupTiming = {
    fn: group.fn,
    cases: measureCases(group.cases, settings),
    oursOverFloor: 0,
    naiveOverOurs: 0,
  };
  const ours = caseOf(timing, 'ours').rounds;
  timing.oursOverFloor = pairedRatio(ours, caseOf(timing, 'floor').rounds);
  timing.naiveOverOurs = pairedRatio(caseOf(timing, 'naive').rounds, ours);
  return timing;
}
