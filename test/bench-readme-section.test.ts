import { describe, expect, it } from 'vitest';
import { replaceReadmeSection } from '../bench/report.js';

describe('pnpm bench rewrites only the "## Performance" section of the README', () => {
  const section = '## Performance\n\nnew table\n';

  it('appends the section when there is none', () => {
    expect(replaceReadmeSection('# ttpay\n\n## Packages\n\ntext\n', section)).toBe(
      '# ttpay\n\n## Packages\n\ntext\n\n## Performance\n\nnew table\n',
    );
  });

  it('replaces the section at the end', () => {
    expect(replaceReadmeSection('# ttpay\n\n## Performance\n\nold\n', section)).toBe(
      '# ttpay\n\n## Performance\n\nnew table\n',
    );
  });

  it('replaces the section in the middle and keeps what follows', () => {
    const readme = '# ttpay\n\n## Performance\n\nold\n| a |\n\n## Licence\n\nMIT\n';
    expect(replaceReadmeSection(readme, section)).toBe(
      '# ttpay\n\n## Performance\n\nnew table\n\n## Licence\n\nMIT\n',
    );
  });
});
