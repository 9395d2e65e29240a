import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeBlocks } from '../../../test/support/readme-blocks.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function simulatorSection(): string {
  const start = README.indexOf('\n## Simulator\n');
  if (start < 0) throw new Error('README.md has no "## Simulator" section');
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('packages/simulator/README.md: the Simulator example', () => {
  it('runs as pasted, with its assertions passing', async () => {
    // Only this section's blocks, in a directory of its own, so other sections' tests cannot interfere.
    const dir = fileURLToPath(new URL(`../.simulator-readme-${process.pid}/`, import.meta.url));
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(`${dir}README.md`, simulatorSection());
      const modules = await runReadmeBlocks(`${dir}README.md`);
      expect(modules).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
