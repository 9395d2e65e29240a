import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertBinaryBuilt, BIN } from './cli-binary.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The text of one `## <title>` section of the README. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('packages/simulator/README.md: the CLI examples run', () => {
  it('the sign/verify shell example prints what its "# =>" lines say', () => {
    assertBinaryBuilt();
    const block = /```sh\n([\s\S]*?)```/.exec(
      section('CLI').slice(section('CLI').indexOf('### sign and verify')),
    )?.[1];
    expect(block).toContain('| ttpay sign ');
    const script = `set -euo pipefail\nttpay() { "${process.execPath}" "${BIN}" "$@"; }\n${block}`;
    const stdout = execFileSync('bash', ['-c', script], { encoding: 'utf8' });
    const expected = (block ?? '')
      .split('\n')
      .filter((line) => line.startsWith('# => '))
      .map((line) => line.slice('# => '.length));
    expect(expected.length).toBeGreaterThanOrEqual(3);
    for (const line of expected) expect(stdout).toContain(line);
  });
});
