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
  for (const t of r.targets.filter((k) => !k.retired)) {
    lines.push(`| ${t.target} | ${t.measured}${t.note ? ` — ${t.note}` : ''} | ${status(t.pass)} |`);
  }
  return lines;
}

function retiredTable(r: BenchResults): string[] {
  const lines = ['| retired target | measured now | why it is retired |', '| --- | --- | --- |'];
  for (const t of r.targets.filter((k) => k.retired))
    lines.push(`| ${t.target} | ${t.measured} | ${t.retired} |`);
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
  checked: 'koa-bodyparser + hand-written verification with the same checks (baseline)',
  naive: 'koa-bodyparser + hand-written verification, `===`, no de-duplication (context)',
};

function httpTable(r: BenchResults): string[] {
  const head = [
    'deliveries',
    'server',
    'req/s',
    'req/s ÷ same checks',
    'req/s ÷ plain',
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
      x(versus(r.http.cases, c, 'checked').requestsPerSec),
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

function scaleCpuTable(r: BenchResults): string[] {
  const row = r.scale.rows.find((k) => k.store === 'PostgresStore' && k.cpu);
  if (!row?.cpu) return ['(not measured: /proc or the PostgreSQL backends were not readable)'];
  const lines = [
    '| PostgreSQL, full stack | app CPU per delivery | PostgreSQL CPU per delivery | load generator CPU per delivery | cores busy (of ' +
      `${r.machine.cores}) |`,
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const [label, c] of [
    ['1 app process', row.cpu.one],
    ['2 app processes', row.cpu.two],
  ] as const) {
    lines.push(
      `| ${label} | ${c.appMicros.toFixed(0)} µs | ${c.postgresMicros.toFixed(0)} µs | ${c.loadMicros.toFixed(0)} µs | ${c.coresBusy.toFixed(2)} |`,
    );
  }
  return lines;
}

function pathsTable(r: BenchResults): string[] {
  if (!r.paths.measured) return [`(not measured: ${r.paths.reason})`];
  const lines = [
    '| path | deliveries/s | ÷ floor | commits per delivery | statements (round trips) per delivery |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const row of r.paths.rows) {
    lines.push(
      `| ${row.label} | ${Math.round(row.deliveriesPerSecond).toLocaleString('en')} | ${x(row.ratio)} | ${row.commitsPerDelivery.toFixed(2)} | ${row.statementsPerDelivery.toFixed(2)} |`,
    );
  }
  return lines;
}

const int = (n: number): string => Math.ceil(n).toLocaleString('en');

/**
 * Capacity on paper, from this run's figures: CPU per delivery (app, PostgreSQL) from the scale run with
 * one app process, the store work alone from the path run, Redis claims from the store run. Scaled
 * linearly to N deliveries per second at 60 % of each core, which is what a paper estimate can do.
 */
function capacity(r: BenchResults): string[] {
  const pgScale = r.scale.rows.find((k) => k.store === 'PostgresStore');
  const redisScale = r.scale.rows.find((k) => k.store === 'RedisStore');
  const atomic = r.paths.rows.find((k) => k.path === 'atomic');
  const redisClaims = r.stores.rows.find((k) => k.store === 'RedisStore');
  const cpu = pgScale?.cpu?.one;
  if (!pgScale?.measured || !cpu || !atomic)
    return ['(not enough was measured in this run for a capacity estimate)'];
  const util = 0.6;
  // In flight per delivery under the path run's load (Little's law): claim to commit, no handler.
  const storeSeconds = r.paths.settings.concurrency / atomic.deliveriesPerSecond;
  const lines = [
    'Measured in this run (one 2-core machine that also ran PostgreSQL, Redis and the load generator):',
    '',
    '| figure | value | from |',
    '| --- | ---: | --- |',
    `| deliveries/s, one app process, PostgresStore (full stack, no-op handler) | ${int(pgScale.oneProcess)} | Scale |`,
    `| deliveries/s, one app process, RedisStore | ${redisScale?.measured ? int(redisScale.oneProcess) : '—'} | Scale |`,
    `| app CPU per delivery (HTTP, verification, pipeline, pg client) | ${cpu.appMicros.toFixed(0)} µs | Scale, CPU |`,
    `| PostgreSQL CPU per delivery (its backends: BEGIN, claim, COMMIT) | ${cpu.postgresMicros.toFixed(0)} µs | Scale, CPU |`,
    `| store work alone through \`processOnce\`, ${r.paths.settings.concurrency} in flight | ${int(atomic.deliveriesPerSecond)}/s, ${(storeSeconds * 1000).toFixed(1)} ms each | Deliveries by path |`,
    `| RedisStore first claims, ${r.stores.settings.concurrency} in flight | ${redisClaims?.measured ? `${int(redisClaims.claimsPerSecond)}/s` : '—'} | Stores |`,
    '',
    `On paper: one app core takes about ${int((1e6 / cpu.appMicros) * util)} deliveries/s and one PostgreSQL core about ${int((1e6 / cpu.postgresMicros) * util)}`,
    `at ${util * 100} % busy (1 s ÷ the CPU per delivery × ${util}). For a flash sale of N payments per second — each payment one`,
    "delivery, plus the platform's duplicates and retries (count those in N) — and a handler that spends H ms in",
    'its transaction:',
    '',
    '| N payments/s | app cores | PostgreSQL cores (CPU only) | pool connections in all (H = 20 ms) | the same on Redis |',
    '| ---: | ---: | ---: | ---: | --- |',
  ];
  for (const n of [500, 2_000, 10_000]) {
    const appCores = (n * cpu.appMicros) / 1e6 / util;
    const pgCores = (n * cpu.postgresMicros) / 1e6 / util;
    const connections = n * (storeSeconds + 0.02);
    const redis =
      redisClaims?.measured && redisScale?.measured
        ? `${(n / redisClaims.claimsPerSecond).toFixed(2)} of this Redis's measured claim rate; app instances as for PostgreSQL`
        : '—';
    lines.push(
      `| ${n.toLocaleString('en')} | ${int(appCores)} | ${int(pgCores)} | ${int(connections)} | ${redis} |`,
    );
  }
  lines.push(
    '',
    'Read it as: instances = app cores ÷ cores per instance (one Node process uses about one core); each',
    "instance's pool `max` ≥ its share of the connections (N ÷ instances × (claim-to-commit time + H)); instances ×",
    'pool `max` under PostgreSQL\'s `max_connections`, else a pooler (store-postgres README, "Sizing the pool").',
    'What paper leaves out: each commit is a WAL flush (one disk, group commit: measure yours), network round',
    'trips between machines (three per delivery through `processOnce`, each 0.1–0.5 ms on a LAN, which add to',
    "H for pool sizing, not to CPU), the handler's own queries (its CPU on both sides), and autovacuum on the",
    'idempotency table (run `purgeExpired` hourly). Redis takes the claims off PostgreSQL but not the order',
    'writes, and loses the one-transaction guarantee (the lease path): where orders live in PostgreSQL, size',
    'PostgreSQL for both.',
  );
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
    'Retired targets (still measured; the reasons at length: [PROFILE.md §5](PROFILE.md#5-targets-retired-issue-25)):',
    '',
    ...retiredTable(r),
    '',
    '## Capacity',
    '',
    ...capacity(r),
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
    `${http.rounds} rounds in ABBA order (servers in order, then reversed, …). "÷ same checks" and "÷ plain" are`,
    'the medians over rounds of the ratio to the two hand-written routes in the same round: the one with',
    'the checks ttpay makes (signature compared with `timingSafeEqual`; de-duplication around the awaited',
    'handler: 503 while a key is in flight, acknowledged without the handler once done, 48 h, 100 000 keys)',
    'and the plain one (`===`, no de-duplication). req/s, p50 and p99 are over all rounds',
    '(autocannon percentiles have 1 ms resolution; averaged over rounds, weighted by requests). "Server CPU',
    'per request" is the server process\'s CPU time (all threads) divided by the requests it answered;',
    '"CPU − floor" is that minus the same for bare Koa that reads the body, in the same mode.',
    `First deliveries: every request a different payment (${r.http.bodies.toLocaleString('en')} pre-signed`,
    'bodies; ttpay verifies, claims, runs the handler and completes each key). Replayed: one body every',
    'time, so after the first request ttpay (and the same-checks route) acknowledges duplicates without',
    'calling the handler; the plain route has no de-duplication and runs its handler every time.',
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
    'PostgresStore here runs through `processOnce` (what @ttpay/koa takes for it): one transaction, one',
    'connection per delivery; each server has a pool of 16.',
    '',
    'Where the CPU went (PostgreSQL rows; the app processes report their own CPU time, the PostgreSQL',
    'backends serving them are found by application_name and read from /proc, the load generator is this',
    "process; PostgreSQL's background writers and other users of the machine are not counted):",
    '',
    ...scaleCpuTable(r),
    '',
    'Two app processes can only beat one where one leaves a core idle. When the cores busy with one process',
    'are already about all the machine has, a second process adds a second event loop and more context',
    "switches, not CPU: that is this machine's limit, not the store's. On separate machines the app and",
    'PostgreSQL columns are what each side needs per delivery (Capacity, above).',
    '',
    '## Deliveries by path on PostgreSQL',
    '',
    ...pathsTable(r),
    '',
    `Method (bench/delivery-paths.ts): a no-op handler, so only the store's work is measured; every delivery`,
    `a key never seen, ${r.paths.settings.concurrency} in flight on one pool of as many connections, ${r.paths.settings.rounds} rounds of ${r.paths.settings.roundMs} ms with the paths in a`,
    'rotated order; medians over rounds, the ratio the median of per-round ratios. Commits and statements',
    'are counted by a `SqlDatabase` wrapper around the pool as the store uses it, not assumed. The lease',
    "path commits twice per delivery (the claim on its own, then the handler's transaction) and holds two",
    'checkouts in turn; `processOnce` commits once on one connection.',
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
    'ours and the floor alternating in ABBA order; medians over rounds, the ratio the median of per-round ratios.',
    'RedisStore: its Lua claim (`SET NX PX`, or the state of the key) vs a bare `SET key v NX PX`;',
    'PostgresStore: its `INSERT … ON CONFLICT DO UPDATE … WHERE expired RETURNING` (a named, prepared',
    'statement; the second row with `preparedStatements: false`) vs a bare `INSERT … ON CONFLICT DO NOTHING`',
    'into a table of the same shape (unnamed, as most code sends it), on one pool; MemoryStore: claim +',
    'complete vs a `Map` get + set (claims alone would fill it with live claims, which it then refuses).',
    'The servers are the ones the tests use (127.0.0.1, shared with whatever else the machine runs).',
    '',
  ].join('\n');
}
