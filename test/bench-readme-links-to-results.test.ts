import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The README's "## Performance" section, up to the next "## " heading. */
function performanceSection(text: string): string {
  const start = text.indexOf('\n## Performance\n');
  if (start < 0) return '';
  const next = text.indexOf('\n## ', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

describe('the README points to the benchmark results instead of carrying them', () => {
  it('has a Performance section that links to bench/RESULTS.md', () => {
    expect(performanceSection(readme)).toContain('](bench/RESULTS.md)');
  });

  it('carries no results table of its own (pnpm bench writes bench/RESULTS.md only)', () => {
    expect(performanceSection(readme)).not.toMatch(/^\|/m);
  });
});
