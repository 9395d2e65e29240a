import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signEcpayRequest } from '../src/index.js';

/**
 * An independent, deliberately slow transcription of the platform's Go demo (seed 003, PROTOCOLS.md
 * §1.2): byte-wise sort with Buffer.compare, Go's unicode.IsSpace set checked per code point, `%v`
 * rendering written out recursively. It shares no code with the product.
 */
const GO_SPACES = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
  0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

function referenceTrimSpace(s: string): string {
  const cps = Array.from(s);
  let start = 0;
  let end = cps.length;
  while (start < end && GO_SPACES.has(cps[start]!.codePointAt(0)!)) start++;
  while (end > start && GO_SPACES.has(cps[end - 1]!.codePointAt(0)!)) end--;
  return cps.slice(start, end).join('');
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function referenceSprintV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return v.toFixed(0); // the generator only makes integers (amounts are fen)
  if (Array.isArray(v)) return `[${v.map(referenceSprintV).join(' ')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  entries.sort(([a], [b]) => byteCompare(a, b));
  return `map[${entries.map(([k, x]) => `${k}:${referenceSprintV(x)}`).join(' ')}]`;
}

function referenceSign(params: Record<string, unknown>, salt: string): string {
  const list: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (k === 'other_settle_params' || k === 'app_id' || k === 'thirdparty_id' || k === 'sign') continue;
    if (v === null || v === undefined) continue; // documented: a top-level null is an absent field
    let value = referenceTrimSpace(referenceSprintV(v));
    if (value.startsWith('"') && value.endsWith('"') && value.length > 1)
      value = value.slice(1, value.length - 1);
    value = referenceTrimSpace(value);
    if (value === '' || value === 'null') continue;
    list.push(value);
  }
  list.push(salt);
  list.sort(byteCompare);
  return createHash('md5')
    .update(Buffer.from(list.join('&'), 'utf8'))
    .digest('hex');
}

// Characters that break naive ports: astral vs U+E000–U+FFFF ordering, quotes, Go-vs-JS whitespace.
const TRICKY = [
  '😀',
  '🧧',
  '！',
  '（',
  '\uFF5E',
  '\uE000',
  '中',
  '抖',
  '"',
  ' ',
  '\t',
  '\n',
  '\u3000',
  '\u00a0',
  '\u0085',
  '\uFEFF',
  '&',
  '0',
  'a',
  'Z',
  ':',
  '[',
  ']',
  'null',
];
const trickyString = fc.string({
  unit: fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'grapheme', maxLength: 1, minLength: 1 })),
  maxLength: 12,
});
const scalar = fc.oneof(
  trickyString,
  fc.integer({ min: -1, max: 10_000_000_000 }),
  fc.boolean(),
  fc.constant(0),
  fc.constant(''),
  fc.constant(null),
);
const nested = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(trickyString, tie('value'), { maxKeys: 3 }),
})).value;
const keys = fc.oneof(
  fc.constantFrom(
    'app_id',
    'sign',
    'thirdparty_id',
    'other_settle_params',
    'disable_msg',
    'subject',
    'body',
    'total_amount',
    'cp_extra',
  ),
  trickyString,
);
const paramsArb = fc.dictionary(keys, fc.oneof(scalar, nested), { maxKeys: 8 });
const saltArb = fc.string({
  unit: fc.constantFrom(...TRICKY.filter((c) => c.trim() !== '')),
  minLength: 1,
  maxLength: 8,
});

describe('signEcpayRequest agrees with an independent slow Go-demo reference', () => {
  it('on random nested params with emoji, fullwidth punctuation, quotes and whitespace', () => {
    fc.assert(
      fc.property(paramsArb, saltArb, (params, salt) => {
        expect(signEcpayRequest(params, salt)).toBe(referenceSign(params, salt));
      }),
      { numRuns: 2000 },
    );
  });

  it('is independent of key order', () => {
    fc.assert(
      fc.property(paramsArb, saltArb, (params, salt) => {
        const reversed = Object.fromEntries(Object.entries(params).reverse());
        expect(signEcpayRequest(reversed, salt)).toBe(signEcpayRequest(params, salt));
      }),
      { numRuns: 300 },
    );
  });
});
