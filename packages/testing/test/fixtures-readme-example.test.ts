import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeBlocks } from '../../../test/support/readme-blocks.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The text of the README's `## Fixtures` section. */
function fixturesSection(): string {
  const start = README.indexOf('\n## Fixtures\n');
  if (start < 0) throw new Error('README.md has no "## Fixtures" section');
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('packages/testing/README.md: the Fixtures example', () => {
  it('runs with its assertions passing', async () => {
    // Only this section's blocks, in a directory of its own, so other sections' tests cannot interfere.
    const dir = fileURLToPath(new URL(`../.fixtures-readme-${process.pid}/`, import.meta.url));
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(`${dir}README.md`, fixturesSection());
      const modules = await runReadmeBlocks(`${dir}README.md`);
      expect(modules).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
