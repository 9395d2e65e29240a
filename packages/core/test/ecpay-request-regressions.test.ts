import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecpayRequestSigningString, signEcpayRequest, TtpayError } from '../src/index.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('ecpay request signature: the bugs other SDKs ship', () => {
  it('keeps 0 values (JS `0 == ""` and PHP empty() drop disable_msg: 0)', () => {
    const s = ecpayRequestSigningString({ out_order_no: 'A1', disable_msg: 0 }, 'salt');
    expect(s.split('&')).toContain('0');
    expect(signEcpayRequest({ out_order_no: 'A1', disable_msg: 0 }, 'salt')).not.toBe(
      signEcpayRequest({ out_order_no: 'A1' }, 'salt'),
    );
  });

  it('sorts by UTF-8 bytes like Go, not by UTF-16 units like Array.prototype.sort', () => {
    // U+1F600 (emoji, surrogate pair D83D…) vs U+FF01 (fullwidth !): UTF-16 puts the emoji first, Go puts it last.
    const values = ['😀', '！'];
    expect([...values].sort()).toEqual(['😀', '！']);
    expect(ecpayRequestSigningString({ a: '😀', b: '！' }, 'salt')).toBe('salt&！&😀');
    expect(signEcpayRequest({ a: '😀', b: '！' }, 'salt')).toBe(md5('salt&！&😀'));
  });

  it('skips identity keys, "", "null" and top-level null/undefined', () => {
    const s = ecpayRequestSigningString(
      {
        app_id: 'tt1',
        thirdparty_id: 'tp',
        sign: 'x',
        other_settle_params: 'y',
        a: '',
        b: 'null',
        c: null,
        d: undefined,
        e: 'v',
      },
      'salt',
    );
    expect(s).toBe('salt&v');
  });

  it('strips one pair of surrounding quotes and trims with Go whitespace rules', () => {
    expect(ecpayRequestSigningString({ a: ' "quoted" ', b: '""x""' }, 'S')).toBe('"x"&S&quoted');
    // Go's TrimSpace removes U+0085 but keeps U+FEFF; String.prototype.trim does the opposite.
    expect(ecpayRequestSigningString({ a: '\u0085v\u0085', b: '\uFEFFw' }, 'S')).toBe('S&v&\uFEFFw');
  });

  it('renders nested objects and arrays like Go %v', () => {
    expect(
      ecpayRequestSigningString(
        {
          expand_order_info: { original_delivery_fee: 15, actual_delivery_fee: 10 },
          list: ['a', 1, true, null, { z: 1, a: [2] }],
        },
        'S',
      ),
    ).toBe('S&[a 1 true <nil> map[a:[2] z:1]]&map[actual_delivery_fee:10 original_delivery_fee:15]');
  });

  it('renders integer amounts as decimal, not Go float64 `1e+06`', () => {
    expect(ecpayRequestSigningString({ total_amount: 1_000_000 }, 'S')).toBe('1000000&S');
    expect(ecpayRequestSigningString({ x: 0.00001 }, 'S')).toBe('1e-05&S');
  });

  it.each([
    ['NaN', { total_amount: Number.NaN }],
    ['Infinity', { total_amount: Number.POSITIVE_INFINITY }],
    ['a function', { f: () => 1 }],
    ['a Date', { d: new Date(0) }],
    ['a symbol', { s: Symbol('x') }],
  ])('rejects %s with INVALID_ARGUMENT', (_name, params) => {
    expect(() => signEcpayRequest(params as Record<string, unknown>, 'S')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('refuses an empty salt', () => {
    expect(() => signEcpayRequest({ a: 'b' }, '')).toThrow(TtpayError);
  });
});

describe('the unrolled identity-key switch', () => {
  it('skips exactly ECPAY_UNSIGNED_KEYS', async () => {
    const { ECPAY_UNSIGNED_KEYS } = await import('../src/ecpay/sign-request.js');
    for (const key of ECPAY_UNSIGNED_KEYS) {
      expect(ecpayRequestSigningString({ [key]: 'v' }, 'S')).toBe('S');
    }
    expect([...ECPAY_UNSIGNED_KEYS].sort()).toEqual([
      'app_id',
      'other_settle_params',
      'sign',
      'thirdparty_id',
    ]);
    expect(ecpayRequestSigningString({ prod_id: 'v' }, 'S')).toBe('S&v');
  });
});
