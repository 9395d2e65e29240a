import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildByteAuthorization,
  isTtpayError,
  signAlgoVoiWebhook,
  signEcpayCallback,
  signEcpayRequest,
  signTikTokRequest,
  signTikTokWebhook,
  signTradeRequest,
  type TtpayErrorCode,
} from '../src/index.js';
import { signAlgoVoiSeedWebhook } from '../src/internal.js';

// A signer given anything returns a signature of its documented shape, or throws TtpayError
// INVALID_ARGUMENT (INVALID_KEY for a key that does not parse) — never a TypeError, RangeError or
// anything else a caller would not expect from a documented API.

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** Runs a signer; returns the signature, or the TtpayError code; any other throw fails the property. */
function signOrCode(sign: () => string): { signature: string } | { code: TtpayErrorCode } {
  try {
    return { signature: sign() };
  } catch (error) {
    if (isTtpayError(error)) return { code: error.code as TtpayErrorCode };
    throw new Error(`not a TtpayError: ${String(error)}`, { cause: error });
  }
}

function expectShape(result: ReturnType<typeof signOrCode>, shape: RegExp, codes: TtpayErrorCode[]): void {
  if ('signature' in result) expect(result.signature).toMatch(shape);
  else expect(codes).toContain(result.code);
}

/**
 * Every kind of value fast-check makes: nested objects and arrays, null-prototype objects, Maps,
 * Sets, Dates, typed and sparse arrays, boxed primitives, bigints, symbols-free strings of any unit.
 * (Depth stays bounded: 100k-deep or cyclic params are a known @ttpay/core issue, see the report.)
 */
const anything = fc.anything({
  maxDepth: 4,
  maxKeys: 5,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});
const ecpayValue = fc.oneof(
  anything,
  fc.constantFrom(
    0,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 64,
    1e21,
    1e-7,
    2n ** 64n,
    '',
    ' "x" ',
    '"',
    'null',
  ),
);

describe('signEcpayRequest (500 runs)', () => {
  it('random nested params and salts: an MD5 hex signature or INVALID_ARGUMENT', () => {
    const params = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.dictionary(fc.string({ unit: 'binary', maxLength: 10 }), ecpayValue, { maxKeys: 8 }),
      },
      { weight: 1, arbitrary: anything },
    );
    const salt = fc.oneof(
      { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) },
      { weight: 1, arbitrary: anything },
    );
    fc.assert(
      fc.property(params, salt, (p, s) => {
        expectShape(
          signOrCode(() => signEcpayRequest(p as Record<string, unknown>, s as string)),
          /^[0-9a-f]{32}$/,
          ['INVALID_ARGUMENT'],
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('the other signers (200 runs each)', () => {
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('', 'a\nb', '/p?q=1'));
  /** Mostly what the types allow, sometimes what they do not (JavaScript callers, parsed config). */
  const loosely = <T>(typed: fc.Arbitrary<T>) =>
    fc.oneof(
      { weight: 4, arbitrary: typed },
      {
        weight: 1,
        arbitrary: fc.oneof(
          fc.constant(undefined),
          fc.constant(null),
          fc.integer(),
          fc.boolean(),
          fc.object(),
        ),
      },
    );
  const body = loosely(fc.oneof(text, fc.uint8Array({ maxLength: 40 })));

  it('signEcpayCallback', () => {
    const fields = loosely(
      fc.record({ token: loosely(text), timestamp: loosely(text), nonce: loosely(text), msg: loosely(text) }),
    );
    fc.assert(
      fc.property(fields, (f) => {
        expectShape(
          signOrCode(() => signEcpayCallback(f as never)),
          /^[0-9a-f]{40}$/,
          ['INVALID_ARGUMENT'],
        );
      }),
      { numRuns: 200 },
    );
  });

  it('signTikTokWebhook and signAlgoVoiWebhook', () => {
    fc.assert(
      fc.property(body, loosely(text), loosely(text), (raw, appKey, secret) => {
        expectShape(
          signOrCode(() => signTikTokWebhook(raw as never, { appKey, appSecret: secret } as never)),
          /^[0-9a-f]{64}$/,
          ['INVALID_ARGUMENT'],
        );
        expectShape(
          signOrCode(() => signAlgoVoiWebhook(raw as never, secret as never)),
          /^t=\d{1,12},v1=[0-9a-f]{64},v2=[0-9a-f]{96}$/,
          ['INVALID_ARGUMENT'],
        );
        expectShape(
          signOrCode(() => signAlgoVoiSeedWebhook(raw as never, secret as never)),
          /^[A-Za-z0-9+/]{43}=$/,
          ['INVALID_ARGUMENT'],
        );
      }),
      { numRuns: 200 },
    );
  });

  it('signTikTokRequest: query values of any scalar, NaN and Infinity included', () => {
    const scalar = fc.oneof(text, fc.double(), fc.integer(), fc.constant(undefined));
    const query = loosely(fc.dictionary(fc.string({ maxLength: 8 }), loosely(scalar), { maxKeys: 6 }));
    fc.assert(
      fc.property(loosely(text), query, body, loosely(text), (path, q, b, secret) => {
        expectShape(
          signOrCode(() => signTikTokRequest({ path, query: q, body: b } as never, secret as never)),
          /^[0-9a-f]{64}$/,
          ['INVALID_ARGUMENT'],
        );
      }),
      { numRuns: 200 },
    );
  });

  it('signTradeRequest and buildByteAuthorization', () => {
    const request = fc.record(
      {
        method: loosely(fc.oneof(text, fc.constantFrom('POST', 'get'))),
        uri: loosely(fc.oneof(text, fc.constantFrom('/requestOrder', '/a?b=c'))),
        timestamp: loosely(
          fc.oneof(
            text,
            fc.nat(),
            fc.constantFrom(Number.NaN, -1, 1.5, 1700000000),
            fc.stringMatching(/^\d{1,12}$/),
          ),
        ),
        nonce: loosely(text),
        body,
        appId: loosely(text),
        keyVersion: loosely(fc.oneof(text, fc.integer())),
      },
      { requiredKeys: [] },
    );
    const key = fc.oneof(
      { weight: 4, arbitrary: fc.constant(privateKey) },
      {
        weight: 1,
        arbitrary: loosely(
          fc.oneof(
            text,
            fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
          ),
        ),
      },
    );
    fc.assert(
      fc.property(request, key, (r, k) => {
        expectShape(
          signOrCode(() => signTradeRequest(r as never, k as never)),
          /^[A-Za-z0-9+/]+=*$/,
          ['INVALID_ARGUMENT', 'INVALID_KEY'],
        );
        expectShape(
          signOrCode(() => buildByteAuthorization(r as never, k as never)),
          /^SHA256-RSA2048 appid=/,
          ['INVALID_ARGUMENT', 'INVALID_KEY'],
        );
      }),
      { numRuns: 200 },
    );
  });
});
