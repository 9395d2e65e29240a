import { type CaseTiming, caseOf } from './micro/measure.js';
import { fmtNs } from './micro/run-micro.js';
import { type BenchResults, mb, versus } from './results.js';

/** Markdown of a run: bench/RESULTS.md (the root README links to it). */

const ops = (c: CaseTiming): string => Math.round(c.opsPerSec).toLocaleString('en');
const x = (ratio: number): string => `${ratio.toFixed(2)}×`;
const status = (pass: boolean): string => (pass ? '**PASS**' : '**MISS**');

function machineLine(r: BenchResults): string {
  const m = r.machine;
  return (
    `${r.generatedAt.slice(0, 10)} on ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ` +
    `${m.os}; 1-minute load average ${m.loadAverageStart.toFixed(1)} at the start, ` +
    `${m.loadAverageEnd.toFixed(1)} at the end${r.quick ? ' (`--quick` run: short, for smoke tests)' : ''}`
  );
}

function targetsTable(r: BenchResults): string[] {
  const lines = ['| target | measured | result |', '| --- | --- | --- |'];
  for (const t of r.targets) {
    lines.push(`| ${t.target} | ${t.measured}${t.note ? ` — ${t.note}` : ''} | ${status(t.pass)} |`);
  }
  return lines;
}

function microTable(r: BenchResults): string[] {
  const lines = [
    '| function | ours | ours ops/s | floor | naive | ours ÷ floor (time) | naive ÷ ours (speed-up) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const g of r.micro.groups) {
    const ours = caseOf(g, 'ours');
    lines.push(
      `| \`${g.fn}\` | ${fmtNs(ours.nsPerOp)} | ${ops(ours)} | ${fmtNs(caseOf(g, 'floor').nsPerOp)} | ` +
        `${fmtNs(caseOf(g, 'naive').nsPerOp)} | ${x(g.oursOverFloor)} | ${x(g.naiveOverOurs)} |`,
    );
  }
  return lines;
}

function microDetail(r: BenchResults): string[] {
  const lines = [
    '| function | case | time per call | ops/s | fastest–slowest round |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const g of r.micro.groups) {
    for (const c of g.cases) {
      lines.push(
        `| \`${g.fn}\` | ${c.label} | ${fmtNs(c.nsPerOp)} | ${ops(c)} | ${fmtNs(c.minNs)}–${fmtNs(c.maxNs)} |`,
      );
    }
  }
  return lines;
}

const VARIANT_LABEL: Record<string, string> = {
  bare: 'bare Koa, same reply, reads nothing (context)',
  'bare-read': 'bare Koa that reads the body (floor)',
  ttpay: '**ttpay**: `douyinCallbacks` + MemoryStore + no-op handler',
  naive: 'koa-bodyparser + hand-written verification (baseline)',
};

function httpTable(r: BenchResults): string[] {
  const head = [
    'deliveries',
    'server',
    'req/s',
    'req/s ÷ naive',
    'p50',
    'p99',
    'server CPU per request',
    'CPU − floor',
  ];
  const lines = [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`,
  ];
  for (const c of r.http.cases) {
    const floor = r.http.cases.find((k) => k.mode === c.mode && k.variant === 'bare-read');
    const cells = [
      c.mode === 'unique' ? 'first (each unique)' : 'replayed (one body)',
      VARIANT_LABEL[c.variant] ?? c.variant,
      c.requestsPerSec.toFixed(0),
      x(versus(r.http.cases, c).requestsPerSec),
      `${c.latencyP50Ms.toFixed(1)} ms`,
      `${c.latencyP99Ms.toFixed(1)} ms`,
      `${c.serverCpuMicrosPerRequest.toFixed(1)} µs`,
      floor ? `${(c.serverCpuMicrosPerRequest - floor.serverCpuMicrosPerRequest).toFixed(1)} µs` : '—',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

function scaleTable(r: BenchResults): string[] {
  const lines = [
    '| store | 1 app process | 2 app processes | 2 ÷ 1 | failed or repeated deliveries |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const row of r.scale.rows) {
    lines.push(
      row.measured
        ? `| \`${row.store}\` | ${Math.round(row.oneProcess).toLocaleString('en')}/s | ${Math.round(row.twoProcesses).toLocaleString('en')}/s | ${x(row.ratio)} | ${row.failures + row.reusedBodies} |`
        : `| \`${row.store}\` | not measured: ${row.reason} | — | — | — |`,
    );
  }
  return lines;
}

function growthTable(r: BenchResults): string[] {
  const keys = r.growth.checkpoints;
  const last = keys.at(-1);
  const lines = [
    `| store | ${keys.map((k) => `${k.toLocaleString('en')} keys`).join(' | ')} | claim cost, ${keys[0]?.toLocaleString('en')} → ${last?.toLocaleString('en')} keys |`,
    `| --- | ${keys.map(() => '---:').join(' | ')} | ---: |`,
  ];
  for (const row of r.growth.rows) {
    if (!row.measured) {
      lines.push(`| \`${row.store}\` | not measured: ${row.reason} | ${keys.map(() => '—').join(' | ')} |`);
      continue;
    }
    const first = row.points[0]?.claimsPerSecond ?? Number.NaN;
    const end = row.points.at(-1)?.claimsPerSecond ?? Number.NaN;
    const cells = row.points.map((p) => `${Math.round(p.claimsPerSecond).toLocaleString('en')}/s`);
    lines.push(`| \`${row.store}\` | ${cells.join(' | ')} | ${x(first / end)} |`);
  }
  return lines;
}

function memoryTable(r: BenchResults): string[] {
  const lines = [
    '| distinct keys | keys held | retained heap | per held key | RSS | claim + complete |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  r.memory.checkpoints.forEach((c, i) => {
    // A step of a few keys is no measure of speed (it is mostly the gc() before it).
    const step = c.keys - (r.memory.checkpoints[i - 1]?.keys ?? 0);
    lines.push(
      `| ${c.keys.toLocaleString('en')} | ${c.storeSize.toLocaleString('en')} | ${mb(c.retainedHeapBytes)} | ` +
        `${Math.round(c.retainedHeapBytes / c.storeSize)} B | ${mb(c.rssBytes)} | ` +
        `${step >= 1000 ? fmtNs(c.nsPerKey) : '—'} |`,
    );
  });
  return lines;
}

function storesTable(r: BenchResults): string[] {
  const lines = [
    '| store | first claims/s | floor | floor ops/s | claims ÷ floor |',
    '| --- | ---: | --- | ---: | ---: |',
  ];
  for (const row of r.stores?.rows ?? []) {
    lines.push(
      row.measured
        ? `| \`${row.store}\` | ${Math.round(row.claimsPerSecond).toLocaleString('en')} | ${row.floor} | ` +
            `${Math.round(row.floorPerSecond).toLocaleString('en')} | ${x(row.ratio)} |`
        : `| \`${row.store}\` | not measured: ${row.reason} | ${row.floor} | — | — |`,
    );
  }
  return lines;
}

function goLine(r: BenchResults): string {
  const g = r.go;
  return g.measured
    ? `The seed's Go demo (\`bench/go-demo\`, ${g.goVersion}, \`go test -bench\`): ${fmtNs(g.nsPerOp)} per ` +
        `signature (median of ${g.runs.length} runs${g.allocsPerOp === undefined ? '' : `, ${g.allocsPerOp} allocations`}), ` +
        `ours ${fmtNs(g.oursNsPerOp)} measured between those runs: ours is ${x(g.speedup)} faster (median of the paired ratios).`
    : `The seed's Go demo was not measured (${g.reason}); compared with its documented 6–8 µs (6 µs taken): ` +
        `ours ${fmtNs(g.oursNsPerOp)}, ${x(g.speedup)} faster.`;
}

export function renderResults(r: BenchResults): string {
  const http = r.http.settings;
  const micro = r.micro.settings;
  return [
    '# ttpay benchmark results',
    '',
    `Written by \`pnpm bench\`${r.quick ? ' --quick' : ''} (bench/run.ts) in ${r.durationSeconds.toFixed(0)} s: ${machineLine(r)}.`,
    'Numbers move with the machine (it is shared): read the ratios, which compare runs made minutes apart',
    'in the same process tree.',
    '',
    '## Targets',
    '',
    ...targetsTable(r),
    '',
    'Where the time goes, and the changes proposed for each MISS: [PROFILE.md](PROFILE.md).',
    '',
    '## Signatures (tinybench)',
    '',
    ...microTable(r),
    '',
    goLine(r),
    '',
    'Every case:',
    '',
    ...microDetail(r),
    '',
    "Method: each case is called in batches of about 20 µs (so the timer's resolution and the harness's",
    `own cost stay out of the numbers). ${micro.rounds} rounds of ${micro.timeMs} ms per case; in a round the`,
    'cases of a function run back to back in a rotated order. A time per call is the median over rounds of',
    "each round's median batch; a ratio is the median over rounds of the ratio within the round (the two",
    'cases ran milliseconds apart), which keeps a busy spell on the shared machine out of the ratios.',
    'Before timing, every signer and its baselines are checked to return the same signature',
    '(test/bench-baselines.test.ts checks the naive ports against @ttpay/core too). "ours" uses a parsed',
    '`KeyObject` for RSA keys, as @ttpay/core recommends; the naive ports pass the PEM text, as the SDKs do',
    '(the "ours with the PEM text" row shows that cost on our side). The Go demo runs alternate with runs',
    'of our signer, and the speed-up is the median of the paired ratios.',
    '',
    '## HTTP (autocannon)',
    '',
    ...httpTable(r),
    '',
    `Method: each server runs in its own process (\`node --import tsx bench/http/server.ts <variant>\`,`,
    'the built @ttpay/koa), autocannon runs in the parent process; on a 2-core machine the two compete',
    `for the cores, as they would for any client. ${http.connections} connections, one request in flight per`,
    `connection; every server warmed up for ${http.warmupSeconds} s, then measured ${http.durationSeconds} s in`,
    `${http.rounds} rounds in ABBA order (servers in order, then reversed, …). "÷ naive" is the median over`,
    'rounds of the ratio to the hand-written route in the same round; req/s, p50 and p99 are over all rounds',
    '(autocannon percentiles have 1 ms resolution; averaged over rounds, weighted by requests). "Server CPU',
    'per request" is the server process\'s CPU time (all threads) divided by the requests it answered;',
    '"CPU − floor" is that minus the same for bare Koa that reads the body, in the same mode.',
    `First deliveries: every request a different payment (${r.http.bodies.toLocaleString('en')} pre-signed`,
    'bodies; ttpay verifies, claims, runs the handler and completes each key). Replayed: one body every',
    'time, so after the first request ttpay acknowledges duplicates from its store without calling the',
    'handler; the naive route has no de-duplication and runs its handler every time.',
    '',
    '## Scale: one shared store, one and two app processes',
    '',
    ...scaleTable(r),
    '',
    `Method (bench/http/scale.ts): the full stack with RedisStore or PostgresStore (no-op handler), every`,
    'delivery a first one; two server processes on one Redis or one PostgreSQL, a "1 process" round loads one',
    `of them with ${r.scale.settings.connections} connections, a "2 processes" round loads both with half each, in ABBA order`,
    `(${r.scale.settings.rounds} rounds of ${r.scale.settings.roundSeconds} s after ${r.scale.settings.warmupSeconds} s of warm-up). Redis, PostgreSQL, the servers and autocannon`,
    'share the 2 cores, so this shows how the stores behave under two writers, not how far a cluster scales.',
    '',
    '## Claim cost as a store remembers more keys',
    '',
    ...growthTable(r),
    '',
    `Method (bench/stores.ts \`measureClaimGrowth\`): each store is filled with done keys up to each`,
    'checkpoint (MemoryStore through claim + complete, with room for them all; Redis by a server-side loop;',
    'PostgreSQL by `INSERT … SELECT generate_series`, then ANALYZE), then first claims of keys never seen',
    `are timed there, ${r.growth.settings.concurrency} in flight, ${r.growth.settings.rounds} rounds of ${r.growth.settings.roundMs} ms (median). The last column is`,
    'the cost of a claim at the last checkpoint over its cost at the first.',
    '',
    '## Memory',
    '',
    ...memoryTable(r),
    '',
    'Method: a separate process (`node --expose-gc`) puts distinct keys, shaped like the keys',
    '@ttpay/core gives ecpay payments, through `MemoryStore` with claim then complete (what @ttpay/koa does',
    'per first delivery), and measures after two `gc()` calls. "Retained heap" is heapUsed minus heapUsed',
    'before the store existed. RSS is shown for context: it also counts pages',
    'V8 has freed but not yet returned to the system.',
    '',
    '## Stores',
    '',
    ...storesTable(r),
    '',
    `Method (bench/stores.ts): ${r.stores?.settings.concurrency ?? '—'} operations in flight at once, every one a key`,
    `never seen (a first delivery); ${r.stores?.settings.rounds ?? '—'} rounds of ${r.stores?.settings.roundMs ?? '—'} ms,`,
    'ours and the floor alternating; medians over rounds, the ratio the median of per-round ratios.',
    'RedisStore: its Lua claim (`SET NX PX`, or the state of the key) vs a bare `SET key v NX PX`;',
    'PostgresStore: its `INSERT … ON CONFLICT DO UPDATE … WHERE expired RETURNING` vs a bare',
    '`INSERT … ON CONFLICT DO NOTHING` into a table of the same shape, on one pool; MemoryStore: claim +',
    'complete vs a `Map` get + set (claims alone would fill it with live claims, which it then refuses).',
    'The servers are the ones the tests use (127.0.0.1, shared with whatever else the machine runs).',
    '',
  ].join('\n');
}
