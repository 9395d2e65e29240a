import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortUtf8AndJoin } from '../src/internal.js';
import { compareUtf8 } from '../src/shared/utf8-order.js';

const chars = fc.constantFrom(
  'a',
  'Z',
  '0',
  '😀',
  '𠀀',
  '！',
  '\uE000',
  '\uFFFD',
  '中',
  'é',
  '\u007f',
  '\u0080',
);
const str = fc.string({
  unit: fc.oneof(chars, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
  maxLength: 6,
});
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('UTF-8 byte order (Go sort.Strings), not UTF-16 order', () => {
  it('compareUtf8 has the sign of a byte comparison', () => {
    fc.assert(
      fc.property(str, str, (a, b) => {
        expect(Math.sign(compareUtf8(a, b))).toBe(Math.sign(byBytes(a, b)));
      }),
      { numRuns: 3000 },
    );
  });

  it('sortUtf8AndJoin equals sorting the UTF-8 encodings, for small and large arrays', () => {
    fc.assert(
      fc.property(fc.array(str, { maxLength: 40 }), (values) => {
        const expected = [...values].sort(byBytes).join('&');
        expect(sortUtf8AndJoin([...values], '&')).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('puts an emoji after fullwidth punctuation, where Array.prototype.sort puts it before', () => {
    expect(['！', '😀'].sort()).toEqual(['😀', '！']);
    expect(sortUtf8AndJoin(['😀', '！'], ',')).toBe('！,😀');
  });
});
