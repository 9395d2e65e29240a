/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time and inclusive ("total") time per
 * function, as a share of the profile. How the findings in bench/RESULTS.md were obtained:
 *
 *   pnpm bench --profile            # every HTTP server process writes bench/.tmp/prof/<case>/*.cpuprofile
 *   node --import tsx bench/profile-summary.ts <file.cpuprofile> [--top 25] [--filter packages/] [--per N]
 *
 * `--filter` keeps functions whose location contains the text (inclusive table only); `--per N` also
 * prints the time per unit of work (e.g. N = requests answered while profiling), in µs.
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
  const { totalMicros, functions } = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
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
