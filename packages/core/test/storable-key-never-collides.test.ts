// Regression: a key with a lone surrogate ("a\uD800") and one with another ("a\uDC00") both reached a
// text store as "a\uFFFD": the second event would have been acknowledged as done without running.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storableKey } from '../src/store.js';

describe('storableKey', () => {
  it('keeps ordinary keys as they are', () => {
    for (const key of [
      'douyin:ecpay:payment:order_1:SUCCESS',
      'tiktok:7321',
      'algovoi:tok:paid',
      '订单：１２３🎉',
    ]) {
      expect(storableKey(key)).toBe(key);
    }
  });

  it('digests keys a text store would mangle or refuse: lone surrogates, NUL, long keys, digest look-alikes', () => {
    const odd = ['a\uD800', 'a\uDC00', 'nul\u0000byte', 'x'.repeat(201), `sha256:${'0'.repeat(64)}`];
    const stored = odd.map(storableKey);
    for (const s of stored) {
      expect(s).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(s.isWellFormed()).toBe(true);
    }
    expect(new Set(stored).size).toBe(odd.length);
    expect(storableKey('x'.repeat(200))).toBe('x'.repeat(200));
  });

  it('never maps two different keys to one stored key', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 260 }),
        fc.string({ unit: 'binary', maxLength: 260 }),
        (a, b) => {
          fc.pre(a !== b);
          expect(storableKey(a)).not.toBe(storableKey(b));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is stable: the same key always gives the same stored key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (key) => {
        expect(storableKey(key)).toBe(storableKey(String(key)));
      }),
    );
  });
});
