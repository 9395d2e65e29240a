import fc from 'fast-check';

/**
 * What an attacker or a broken proxy sends instead of a platform's callback: arbitraries shared by the
 * hostile-input property tests of @ttpay/core and @ttpay/koa.
 */

/** Numbers JSON can spell but a double cannot hold: overflow to Infinity, lose precision, underflow. */
export const hugeNumberText = fc.constantFrom(
  '1e309',
  '-1e309',
  '18446744073709551616', // 2^64
  '18446744073709551617', // 2^64 + 1: the same double as 2^64
  '9007199254740993', // 2^53 + 1
  '-9223372036854775809',
  '1e-400',
  '-0',
  '0.1e1',
  '123456789012345678901234567890',
);

/** Field names the verifiers read, plus the ones that trouble JavaScript objects. */
const interestingKey = fc.constantFrom(
  'msg',
  'type',
  'version',
  'timestamp',
  'nonce',
  'msg_signature',
  'total_amount',
  'cp_orderno',
  'cp_refundno',
  'cp_settle_no',
  'out_order_no',
  'status',
  'tts_notification_id',
  'data',
  'order_id',
  'token',
  'checkout_url',
  '__proto__',
  'constructor',
  // A signed TikTok body with `"timestamp":{"toString":1}` once made verifyTikTokWebhook throw a
  // TypeError (see packages/core/test/hostile-argument-regressions.test.ts).
  'toString',
  'valueOf',
);

const oddString = fc.constantFrom(
  '"\\ud800"', // lone surrogates, escaped
  '"\\udfff\\ud800"',
  '"\\u0000"',
  '"\u2028\u2029"',
  '"\ufeff"',
  '""',
  '"null"',
  '"SUCCESS"',
  '"payment"',
  '"3.0"',
);

const { value: hostileJsonValueText } = fc.letrec<{ value: string; object: string; array: string }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      fc.json({ maxDepth: 2 }),
      hugeNumberText,
      oddString,
      fc.string({ unit: 'binary', maxLength: 20 }).map((s) => JSON.stringify(s)),
      tie('object'),
      tie('array'),
    ),
    // Built as text so that keys can repeat ("msg" twice): JSON.stringify could never produce that.
    object: fc
      .array(fc.tuple(fc.oneof(interestingKey, fc.string({ maxLength: 8 })), tie('value')), {
        maxLength: 6,
      })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
    array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  }),
);

/** Any JSON text, with huge numbers, odd strings and repeated keys. */
export const hostileJsonText: fc.Arbitrary<string> = hostileJsonValueText;

/** A JSON object's text (top level), keys possibly repeated, values hostile. */
export const hostileJsonObjectText: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.oneof(interestingKey, fc.string({ maxLength: 8 })), hostileJsonText), {
    maxLength: 8,
  })
  .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);

/** Byte sequences that are not UTF-8: a lone continuation, overlongs, a surrogate, beyond U+10FFFF, cut short. */
export const invalidUtf8 = fc.constantFrom(
  [0xff],
  [0x80],
  [0xc0, 0x80],
  [0xe0, 0x80, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0xfe, 0xfe, 0xff, 0xff],
);

/** `text` as UTF-8 with an invalid sequence inserted somewhere. */
export const withInvalidUtf8 = (text: fc.Arbitrary<string>): fc.Arbitrary<Buffer> =>
  fc.tuple(text, fc.nat(), invalidUtf8).map(([t, at, bad]) => {
    const bytes = Buffer.from(t, 'utf8');
    const i = bytes.length === 0 ? 0 : at % bytes.length;
    return Buffer.concat([bytes.subarray(0, i), Buffer.from(bad), bytes.subarray(i)]);
  });

/** `depth` nested arrays (`[[[…]]]`) or objects (`{"a":{"a":…}}`) around `inner`. */
export function deeplyNested(depth: number, kind: 'array' | 'object', inner = '1'): string {
  return kind === 'array'
    ? '['.repeat(depth) + inner + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
}

/** A body anything could send: random bytes, hostile JSON, invalid UTF-8, deep nesting, a BOM. */
export const hostileBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  hostileJsonText.map((t) => Buffer.from(t)),
  hostileJsonObjectText.map((t) => Buffer.from(t)),
  withInvalidUtf8(hostileJsonObjectText),
  fc
    .tuple(
      fc.integer({ min: 1, max: 5_000 }),
      fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>,
    )
    .map(([depth, kind]) => Buffer.from(deeplyNested(depth, kind))),
  hostileJsonObjectText.map((t) => Buffer.from(`\ufeff${t}`)),
);

/**
 * An object's text with hostile entries first and `fields` (`"k":v,…`) last: JSON.parse keeps the last
 * of a repeated key, so `fields` win while everything else around them is hostile.
 */
export const withFieldsLast = (fields: string): fc.Arbitrary<string> =>
  hostileJsonObjectText.map((extra) => (extra === '{}' ? `{${fields}}` : `${extra.slice(0, -1)},${fields}}`));
