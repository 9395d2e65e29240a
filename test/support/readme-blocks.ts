import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Extracts the ```ts code blocks of a README so a test can run them exactly as a user would paste them
 * (STYLE.md: every package README has a copy-paste example that is also run as a test).
 * Blocks whose first line is `// not run` are skipped (e.g. shell-dependent snippets).
 */
export function readmeBlocks(readmePath: string): string[] {
  const text = readFileSync(readmePath, 'utf8');
  const blocks: string[] = [];
  const fence = /```ts\n([\s\S]*?)```/g;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    const code = m[1] as string;
    if (!code.startsWith('// not run')) blocks.push(code);
  }
  return blocks;
}

/**
 * Writes each block to a module beside the README (so package resolution is the user's) and imports it.
 * Returns the imported modules in order; the files are removed afterwards.
 */
export async function runReadmeBlocks(readmePath: string): Promise<Record<string, unknown>[]> {
  const dir = join(dirname(readmePath), '.readme-run');
  mkdirSync(dir, { recursive: true });
  const modules: Record<string, unknown>[] = [];
  try {
    const blocks = readmeBlocks(readmePath);
    for (const [i, code] of blocks.entries()) {
      const file = join(dir, `block-${i}-${process.pid}-${Date.now()}.ts`);
      writeFileSync(file, code);
      modules.push((await import(/* @vite-ignore */ file)) as Record<string, unknown>);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return modules;
}
