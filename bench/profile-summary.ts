/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time and inclusive ("total") time per
 * function, as a share of the profile. How the findings in bench/RESULTS.md were obtained:
 *
 *   pnpm bench --profile            # every HTTP server process writes bench/.tmp/prof/<case>/*.cpuprofile
 *   node --import tsx bench/profile-summary.ts <file.cpuprofile> [--top 25] [--filter packages/] [--per N] [--buckets]
 *
 * `--filter` keeps functions whose location contains the text (inclusive table only); `--per N` also
 * prints the time per unit of work (e.g. N = requests answered while profiling), in µs. `--buckets`
 * instead splits the busy time of an HTTP server into where each sample was (see `bucketOf`).
 * (`--import tsx` makes two profiles per process: the larger one is the main thread.)
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionShare {
  name: string;
  selfShare: number;
  totalShare: number;
}

export interface ProfileSummary {
  /** Sampled time, µs. */
  totalMicros: number;
  functions: FunctionShare[];
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|packages)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

export function summarise(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const leaf = byId.get(id);
    if (!leaf) return;
    const leafName = label(leaf);
    self.set(leafName, (self.get(leafName) ?? 0) + dt);
    // Inclusive time: count each function once per sample, however deep the recursion.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (!node) break;
      const name = label(node);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + dt);
    }
  });
  const functions = [...total.keys()].map((name) => ({
    name,
    selfShare: (self.get(name) ?? 0) / all,
    totalShare: (total.get(name) ?? 0) / all,
  }));
  return { totalMicros: all, functions };
}

/**
 * The part of a server's work a sample belongs to, by its stack (innermost first): startup (module
 * loading, not part of any request), the kernel send, GC, ttpay's code with everything it calls, a
 * body parser, the bench's own route, Node's HTTP parsing up to Koa's dispatch, Koa's reply, the rest.
 */
export function bucketOf(stack: readonly ProfileNode['callFrame'][]): string {
  const leaf = stack[0]?.functionName ?? '';
  const any = (test: (f: ProfileNode['callFrame']) => boolean): boolean => stack.some(test);
  if (any((f) => f.functionName === 'evaluate' || /modules\/(esm|cjs)/.test(f.url)))
    return 'startup (not per request)';
  if (leaf === '(garbage collector)') return 'garbage collector';
  if (leaf === 'writev' || leaf === 'writeUtf8String' || leaf === 'writeBuffer')
    return 'socket write (the kernel send)';
  if (any((f) => f.url.includes('/packages/'))) return 'ttpay (packages/, with what it calls)';
  if (any((f) => /koa-bodyparser|co-body|raw-body|bourne|inflation|type-is/.test(f.url)))
    return 'body parser';
  if (any((f) => f.url.includes('bench/http/apps'))) return "the bench's route";
  if (any((f) => f.functionName === 'parserOnHeadersComplete' || f.functionName === 'parserOnIncoming'))
    return 'HTTP parse + Koa dispatch';
  if (any((f) => f.url.includes('koa/lib'))) return "Koa's reply (respond)";
  if (leaf === '(program)') return '(program)';
  return 'other Node';
}

/** Busy time per bucket (idle left out), µs. */
export function buckets(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const stack: ProfileNode['callFrame'][] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (node) stack.push(node.callFrame);
    }
    if (stack[0]?.functionName === '(idle)') return;
    const bucket = bucketOf(stack);
    totals.set(bucket, (totals.get(bucket) ?? 0) + dt);
  });
  return totals;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args[0];
  if (!file || file.startsWith('--')) {
    console.error('usage: profile-summary.ts <file.cpuprofile> [--top 25] [--filter text] [--per N]');
    process.exit(2);
  }
  const top = Number(option(args, '--top') ?? 25);
  const filter = option(args, '--filter');
  const per = Number(option(args, '--per') ?? 0);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  if (args.includes('--buckets')) {
    const unit = per > 0 ? per : 1;
    console.log(`busy time${per > 0 ? ` per unit of work (${per} units)` : ''}, µs`);
    const all = [...buckets(profile)].sort((a, b) => b[1] - a[1]);
    for (const [bucket, micros] of all) console.log(`  ${(micros / unit).toFixed(1).padStart(8)}  ${bucket}`);
    return;
  }
  const { totalMicros, functions } = summarise(profile);
  const show = (share: number): string => {
    const pct = `${(share * 100).toFixed(1).padStart(5)} %`;
    return per > 0 ? `${pct} ${((share * totalMicros) / per).toFixed(2).padStart(7)} µs` : pct;
  };
  console.log(`sampled ${(totalMicros / 1e6).toFixed(2)} s${per > 0 ? `, ${per} units of work` : ''}`);
  console.log('self time');
  for (const f of [...functions].sort((a, b) => b.selfShare - a.selfShare).slice(0, top)) {
    console.log(`  ${show(f.selfShare)}  ${f.name}`);
  }
  console.log(`inclusive time${filter ? ` (${filter})` : ''}`);
  for (const f of [...functions]
    .filter((f) => !filter || f.name.includes(filter))
    .sort((a, b) => b.totalShare - a.totalShare)
    .slice(0, top)) {
    console.log(`  ${show(f.totalShare)}  ${f.name}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Piped into `head`: stop quietly when the reader goes away.
  process.stdout.on('error', () => process.exit(0));
  main();
}
