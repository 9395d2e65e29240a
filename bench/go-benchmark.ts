/**
 * Runs the seed's Go signing demo (bench/go-demo, a verbatim copy of its `getSign`) with `go test -bench`
 * when a Go toolchain is on PATH, alternating with our `signEcpayRequest` so both see the same machine.
 * Stdlib only, no module downloads: GOPROXY=off, GOFLAGS=-mod=mod, GOPATH/GOCACHE under bench/.tmp.
 * Without Go, the documented figure (6–8 µs per signature; 6 µs taken) stands in.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The seed demo's speed as documented in issue #8: 6–8 µs per signature. We compare with the fast end. */
export const DOCUMENTED_GO_NS = 6000;

interface Comparison {
  /** Go ns per signature: the median run, or the documented figure. */
  nsPerOp: number;
  /** Ours ns per signature, measured between the Go runs. */
  oursNsPerOp: number;
  /** Go time ÷ ours: the median of the paired ratios when measured. */
  speedup: number;
}

export type GoResult =
  | (Comparison & {
      measured: true;
      goVersion: string;
      runs: number[];
      oursRuns: number[];
      bytesPerOp?: number;
      allocsPerOp?: number;
    })
  | (Comparison & { measured: false; reason: string });

const exec = promisify(execFile);
const DEMO_DIR = fileURLToPath(new URL('go-demo/', import.meta.url));
const TMP = fileURLToPath(new URL('.tmp/go/', import.meta.url));
const TEST_BINARY = `${TMP}go-demo.test`;

/** `BenchmarkGetSign-2   367952   6198 ns/op   1341 B/op   21 allocs/op` */
const LINE = /^BenchmarkGetSign(?:-\d+)?\s+\d+\s+([\d.]+) ns\/op(?:\s+(\d+) B\/op\s+(\d+) allocs\/op)?/m;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function goEnv(): NodeJS.ProcessEnv {
  mkdirSync(`${TMP}path`, { recursive: true });
  mkdirSync(`${TMP}cache`, { recursive: true });
  return {
    ...process.env,
    GOFLAGS: '-mod=mod',
    GOPATH: `${TMP}path`,
    GOCACHE: `${TMP}cache`,
    GOPROXY: 'off',
    GOTOOLCHAIN: 'local',
    GO111MODULE: 'on',
    CGO_ENABLED: '0',
  };
}

/**
 * `rounds` times: one `go test -bench` run of `benchtime`, then `measureOurs()` (which should take
 * about as long). The test binary is built once; each run also checks the demo's signature of the sample.
 */
export async function runGoComparison(
  settings: { benchtime: string; rounds: number },
  measureOurs: () => number,
): Promise<GoResult> {
  let goVersion: string;
  try {
    goVersion = (await exec('go', ['version'])).stdout.trim();
  } catch {
    const oursNsPerOp = measureOurs();
    return {
      measured: false,
      reason: 'go is not on PATH (Debian: apt-get install -y golang-go)',
      nsPerOp: DOCUMENTED_GO_NS,
      oursNsPerOp,
      speedup: DOCUMENTED_GO_NS / oursNsPerOp,
    };
  }
  try {
    const env = goEnv();
    await exec('go', ['test', '-c', '-o', TEST_BINARY, '.'], { cwd: DEMO_DIR, env, timeout: 180_000 });
    const runs: number[] = [];
    const oursRuns: number[] = [];
    let bytesPerOp: number | undefined;
    let allocsPerOp: number | undefined;
    for (let round = 0; round < settings.rounds; round++) {
      const { stdout } = await exec(
        TEST_BINARY,
        [
          '-test.run',
          'TestGetSignMatchesSample',
          '-test.bench',
          'BenchmarkGetSign',
          '-test.benchmem',
          '-test.benchtime',
          settings.benchtime,
        ],
        { cwd: DEMO_DIR, env, timeout: 120_000 },
      );
      const match = LINE.exec(stdout);
      if (!match) throw new Error(`no benchmark line in:\n${stdout}`);
      runs.push(Number(match[1]));
      if (match[2] !== undefined) bytesPerOp = Number(match[2]);
      if (match[3] !== undefined) allocsPerOp = Number(match[3]);
      oursRuns.push(measureOurs());
    }
    return {
      measured: true,
      goVersion,
      nsPerOp: median(runs),
      oursNsPerOp: median(oursRuns),
      speedup: median(runs.map((go, i) => go / (oursRuns[i] as number))),
      runs,
      oursRuns,
      ...(bytesPerOp === undefined ? {} : { bytesPerOp }),
      ...(allocsPerOp === undefined ? {} : { allocsPerOp }),
    };
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n').slice(0, 6).join(' ') : String(error);
    const oursNsPerOp = measureOurs();
    return {
      measured: false,
      reason: `go test failed: ${detail}`,
      nsPerOp: DOCUMENTED_GO_NS,
      oursNsPerOp,
      speedup: DOCUMENTED_GO_NS / oursNsPerOp,
    };
  }
}
