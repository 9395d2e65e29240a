import { storableKey } from '@ttpay/core/store';
import type { LabelledKey } from './event-keys.js';

const k = (label: string, key: string): LabelledKey => ({ label, key });

/** Keys a case-insensitive or normalising store (collation, `lower()`, NFC/NFKC) would merge. */
export function caseAndNormalisationKeys(): LabelledKey[] {
  return [
    k('lower case', 'tiktok:order_abc'),
    k('upper case', 'TIKTOK:ORDER_ABC'),
    k('mixed case', 'tiktok:Order_Abc'),
    k('sharp s', 'tiktok:straße'),
    k('"SS" for sharp s', 'tiktok:STRASSE'),
    k('"ss" for sharp s', 'tiktok:strasse'),
    k('Kelvin sign', 'tiktok:\u212A'),
    k('Latin K', 'tiktok:K'),
    k('e-acute, composed (NFC)', 'tiktok:caf\u00E9'),
    k('e + combining acute (NFD)', 'tiktok:cafe\u0301'),
    k('A-ring, composed', 'tiktok:\u00C5'),
    k('Angstrom sign', 'tiktok:\u212B'),
    k('A + combining ring', 'tiktok:A\u030A'),
    k('Hangul syllable', 'tiktok:\uD55C'),
    k('Hangul jamo', 'tiktok:\u1112\u1161\u11AB'),
    k('fullwidth letters', 'tiktok:\uFF41\uFF42\uFF43'),
    k('ASCII letters', 'tiktok:abc'),
    k('fi ligature', 'tiktok:\uFB01'),
    k('f + i', 'tiktok:fi'),
  ];
}

/** Keys a store would merge by encoding text lossily (UTF-8 turns lone surrogates into U+FFFD) or by NUL. */
export function nulAndSurrogateKeys(): LabelledKey[] {
  const loneHigh = 'a\uD800';
  return [
    k('plain', 'a'),
    k('trailing NUL', 'a\0'),
    k('inner NUL', 'a\0b'),
    k('NUL only', '\0'),
    k('two NULs', '\0\0'),
    k('lone high surrogate', loneHigh),
    k('lone low surrogate', 'a\uDC00'),
    k('U+FFFD (what UTF-8 encoders make of a lone surrogate)', 'a\uFFFD'),
    k('question mark (what some encoders make of it)', 'a?'),
    k('surrogate pair (U+10000)', 'a\uD800\uDC00'),
    k('reversed surrogates', 'a\uDC00\uD800'),
    k('"sha256:" form of the lone-high-surrogate key, as a key of its own', storableKey(loneHigh)),
    k('"sha256:" prefix alone', 'sha256:'),
  ];
}

/** Keys a store would merge by truncating, or reject for length (index limits). */
export function longKeys(): LabelledKey[] {
  const long = 'x'.repeat(10_000);
  return [
    k('10 000 characters', long),
    k('10 000 characters, the last one different', `${long.slice(1)}y`),
    k('10 000 characters, the first one different', `y${long.slice(1)}`),
    k('10 001 characters', `${long}x`),
    k('200 characters', 'x'.repeat(200)),
    k('201 characters', 'x'.repeat(201)),
    k('255 characters', 'x'.repeat(255)),
    k('256 characters', 'x'.repeat(256)),
    k('5 000 emoji (20 000 UTF-8 bytes)', '💳'.repeat(5_000)),
    k('5 000 emoji, the last one different', `${'💳'.repeat(4_999)}💰`),
    k('"sha256:" form of the 10 000-character key, as a key of its own', storableKey(long)),
  ];
}

/** Emoji, fullwidth punctuation, whitespace, and characters with a meaning in patterns, SQL or paths. */
export function symbolKeys(): LabelledKey[] {
  return [
    k('emoji', 'order:💳'),
    k('ZWJ family emoji', 'order:👨\u200D👩\u200D👧'),
    k('the same emoji without ZWJ', 'order:👨👩👧'),
    k('ASCII colon', 'order:1'),
    k('fullwidth colon', 'order：1'),
    k('fullwidth digit', 'order:１'),
    k('ideographic comma', 'order、1'),
    k('fullwidth comma', 'order，1'),
    k('space', 'order 1'),
    k('two spaces', 'order  1'),
    k('tab', 'order\t1'),
    k('newline', 'order\n1'),
    k('CRLF', 'order\r\n1'),
    k('no-break space', 'order\u00A01'),
    k('ideographic space', 'order\u30001'),
    k('zero-width space', 'order\u200B1'),
    k('no separator', 'order1'),
    k('leading space', ' order1'),
    k('trailing space', 'order1 '),
    k('glob star', 'order*'),
    k('glob question mark', 'order?'),
    k('glob class', 'order[1]'),
    k('SQL LIKE percent', 'order%'),
    k('SQL LIKE underscore', 'order_'),
    k('backslash', 'order\\1'),
    k('quotes', `order'"1`),
    k('SQL comment', "order'; --"),
    k('path traversal', '../order/1'),
    k('Redis-style prefix', 'ttpay:idem:order1'),
  ];
}
