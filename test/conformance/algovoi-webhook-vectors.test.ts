import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { signAlgoVoiWebhook, TtpayError, verifyAlgoVoiWebhook } from '@ttpay/core';
import { algoVoiEndpoint, webHandler } from '@ttpay/core/delivery';
import { silentLogger } from '@ttpay/core/internal';
import { describe, expect, it } from 'vitest';

/**
 * The AlgoVoi gateway's published webhook vectors (chopmob-cloud/algovoi-webhook-verifier, copied byte
 * for byte into test/vectors/algovoi-webhook with their source; docs/PROTOCOLS.md §4.3), every one.
 */
const dir = fileURLToPath(new URL('../vectors/algovoi-webhook/', import.meta.url));

interface Vector {
  description: string;
  secret: string;
  timestamp: number;
  body: string;
  signature_header: string;
  expected: 'ok' | 'error';
  error_code?: string;
  tolerance?: number;
  fake_now?: number;
}

function load(kind: 'valid' | 'invalid'): [string, Vector, Buffer][] {
  return readdirSync(`${dir}${kind}`)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const bytes = readFileSync(`${dir}${kind}/${f}`);
      return [`${kind}/${f}`, JSON.parse(bytes.toString('utf8')) as Vector, bytes];
    });
}

const valid = load('valid');
const invalid = load('invalid');

/** The published error codes and ttpay's (test/vectors/algovoi-webhook/README.md). */
const TTPAY_CODE: Record<string, string> = {
  MISSING_SIGNATURE: 'MISSING_SIGNATURE',
  MALFORMED_SIGNATURE: 'MALFORMED_HEADER',
  STALE_SIGNATURE: 'TIMESTAMP_OUT_OF_RANGE',
  INVALID_SIGNATURE: 'SIGNATURE_MISMATCH',
  INVALID_PAYLOAD: 'MALFORMED_BODY',
  UNKNOWN_EVENT_TYPE: 'UNKNOWN_EVENT_TYPE',
};

/** The vector as it arrives: the body's UTF-8 bytes and the header, at the vector's clock. */
function verify(v: Vector, extra: { secret?: string | string[] } = {}) {
  return verifyAlgoVoiWebhook(
    { rawBody: Buffer.from(v.body, 'utf8'), headers: { 'x-algovoi-signature': v.signature_header } },
    {
      secret: extra.secret ?? v.secret,
      now: () => (v.fake_now ?? v.timestamp) * 1000,
      ...(v.tolerance === undefined ? {} : { toleranceSeconds: v.tolerance }),
    },
  );
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof TtpayError) return error.code;
    throw error;
  }
  return 'ok';
}

describe('the copied vectors are the published files, unchanged', () => {
  const readme = readFileSync(`${dir}README.md`, 'utf8');
  it.each([...valid, ...invalid].map(([name, , bytes]) => [name, bytes] as const))(
    '%s has the SHA-256 the README records',
    (name, bytes) => {
      const sha = createHash('sha256').update(bytes).digest('hex');
      expect(readme).toContain(`${sha}  ${name}`);
    },
  );

  it('5 valid and 8 invalid, as published', () => {
    expect(valid).toHaveLength(5);
    expect(invalid).toHaveLength(8);
  });
});

describe('valid vectors verify, and the event is the published body', () => {
  it.each(valid.map(([name, v]) => [name, v] as const))('%s', (_name, v) => {
    const event = verify(v);
    const body = JSON.parse(v.body) as Record<string, unknown>;
    expect(event).toMatchObject({
      platform: 'algovoi',
      id: body.id,
      key: `algovoi:${String(body.id)}`,
      type: 'payment.confirmed',
      data: body.data,
    });
  });

  it('v01: data carries tx_id, payment_link_token and payment_link_label', () => {
    const v = valid.find(([name]) => name.includes('v01'))![1];
    expect(verify(v).data).toMatchObject({
      tx_id: '0xdeadbeef',
      payment_link_token: 'tok_test',
      payment_link_label: 'Test Payment',
    });
  });

  it('ttpay signs the same bytes to the same header (v1+v2 and v1 only)', () => {
    for (const [name, v] of valid) {
      const v2 = v.signature_header.includes(',v2=');
      expect(
        signAlgoVoiWebhook(Buffer.from(v.body, 'utf8'), v.secret, { timestamp: v.timestamp, v2 }),
        name,
      ).toBe(v.signature_header);
    }
  });
});

describe('invalid vectors are refused with the published reason', () => {
  it.each(invalid.map(([name, v]) => [name, v] as const))('%s', (_name, v) => {
    expect(codeOf(() => verify(v))).toBe(TTPAY_CODE[v.error_code as string]);
  });
});

describe('beyond the vectors', () => {
  const v01 = valid.find(([name]) => name.includes('v01'))![1];
  const at = (v: Vector, seconds: number, toleranceSeconds?: number) =>
    codeOf(() =>
      verifyAlgoVoiWebhook(
        { rawBody: v.body, headers: { 'x-algovoi-signature': v.signature_header } },
        {
          secret: v.secret,
          now: () => seconds * 1000,
          ...(toleranceSeconds === undefined ? {} : { toleranceSeconds }),
        },
      ),
    );

  it('the tolerance holds both ways: 300 s either side verifies, 301 s does not', () => {
    expect(at(v01, v01.timestamp + 300)).toBe('ok');
    expect(at(v01, v01.timestamp - 300)).toBe('ok');
    expect(at(v01, v01.timestamp + 301)).toBe('TIMESTAMP_OUT_OF_RANGE');
    expect(at(v01, v01.timestamp - 301)).toBe('TIMESTAMP_OUT_OF_RANGE');
    expect(at(v01, v01.timestamp + 30, 10)).toBe('TIMESTAMP_OUT_OF_RANGE');
  });

  it('rotation: the vector verifies when its secret is one of several; with none of them it is refused', () => {
    expect(codeOf(() => verify(v01, { secret: ['algvw_old_secret', v01.secret] }))).toBe('ok');
    expect(codeOf(() => verify(v01, { secret: ['algvw_old_secret', 'algvw_other'] }))).toBe(
      'SIGNATURE_MISMATCH',
    );
  });

  it('v1 from one secret and v2 from another do not make a valid pair', () => {
    const v03 = valid.find(([name]) => name.includes('v03'))![1];
    const v1 = /v1=([0-9a-f]{64})/.exec(v01.signature_header)![1];
    const v2 = /v2=([0-9a-f]{96})/.exec(v03.signature_header)![1];
    const mixed = { ...v01, signature_header: `t=${v01.timestamp},v1=${v1},v2=${v2}` };
    expect(codeOf(() => verify(mixed, { secret: [v01.secret, v03.secret] }))).toBe('SIGNATURE_MISMATCH');
  });

  it.each([
    [
      'upper-case hex',
      (h: string) => h.toUpperCase().replace('T=', 't=').replace(',V1=', ',v1=').replace(',V2=', ',v2='),
    ],
    ['a leading zero in t', (h: string) => h.replace('t=', 't=0')],
    ['a space after the comma', (h: string) => h.replace(',v1=', ', v1=')],
    [
      'parts in another order',
      (h: string) => h.replace(/^(t=\d+),(v1=[0-9a-f]+),(v2=[0-9a-f]+)$/, '$2,$1,$3'),
    ],
    ['a truncated v1', (h: string) => h.replace(/v1=([0-9a-f]{63})[0-9a-f]/, 'v1=$1')],
    ['the seed base64 scheme', () => 'qXbH0X0cYb6bJgYk1M9M3n1m0xYbXk6gK7Q2u5z0H0E='],
  ])('a header with %s is MALFORMED_HEADER', (_what, change) => {
    expect(codeOf(() => verify({ ...v01, signature_header: change(v01.signature_header) }))).toBe(
      'MALFORMED_HEADER',
    );
  });

  it('a repeated X-AlgoVoi-Signature header is refused (which copy would we trust?)', () => {
    expect(
      codeOf(() =>
        verifyAlgoVoiWebhook(
          {
            rawBody: v01.body,
            headers: { 'x-algovoi-signature': [v01.signature_header, v01.signature_header] },
          },
          { secret: v01.secret, now: () => v01.timestamp * 1000 },
        ),
      ),
    ).toBe('MALFORMED_HEADER');
  });

  it('requireV2 refuses a v1-only header that otherwise verifies', () => {
    const v02 = valid.find(([name]) => name.includes('v02'))![1];
    const check = (requireV2: boolean) =>
      codeOf(() =>
        verifyAlgoVoiWebhook(
          { rawBody: v02.body, headers: { 'x-algovoi-signature': v02.signature_header } },
          { secret: v02.secret, now: () => v02.timestamp * 1000, requireV2 },
        ),
      );
    expect(check(false)).toBe('ok');
    expect(check(true)).toBe('MALFORMED_HEADER');
  });
});

describe('every vector through the delivery engine (algoVoiEndpoint, which verifies the body it parsed once)', () => {
  /** The engine's reply per ttpay code: 401 with an empty body for who is not the sender, or not now. */
  const REPLY: Record<string, { status: number; body: string }> = {
    MISSING_SIGNATURE: { status: 401, body: '' },
    SIGNATURE_MISMATCH: { status: 401, body: '' },
    TIMESTAMP_OUT_OF_RANGE: { status: 401, body: '' },
    MALFORMED_HEADER: { status: 400, body: '{"error":"MALFORMED_HEADER"}' },
    MALFORMED_BODY: { status: 400, body: '{"error":"MALFORMED_BODY"}' },
    UNKNOWN_EVENT_TYPE: { status: 501, body: '{"error":"UNKNOWN_EVENT_TYPE"}' },
  };

  async function deliver(v: Vector): Promise<{ status: number; body: string; handled: string[] }> {
    const handled: string[] = [];
    const handle = webHandler(
      algoVoiEndpoint({
        secret: v.secret,
        now: () => (v.fake_now ?? v.timestamp) * 1000,
        ...(v.tolerance === undefined ? {} : { toleranceSeconds: v.tolerance }),
        logger: silentLogger,
        onEvent: (event) => void handled.push(event.key),
      }),
    );
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (v.signature_header !== '') headers['x-algovoi-signature'] = v.signature_header;
    const res = await handle(
      new Request('http://127.0.0.1/algovoi/webhook', { method: 'POST', headers, body: v.body }),
    );
    return { status: res.status, body: await res.text(), handled };
  }

  it.each(valid.map(([name, v]) => [name, v] as const))(
    '%s: 200, empty body, handled once',
    async (_name, v) => {
      const id = (JSON.parse(v.body) as { id: string }).id;
      expect(await deliver(v)).toEqual({ status: 200, body: '', handled: [`algovoi:${id}`] });
    },
  );

  it.each(invalid.map(([name, v]) => [name, v] as const))(
    '%s: refused, nothing handled',
    async (_name, v) => {
      const code = TTPAY_CODE[v.error_code as string] as string;
      expect(await deliver(v)).toEqual({ ...REPLY[code], handled: [] });
    },
  );
});
