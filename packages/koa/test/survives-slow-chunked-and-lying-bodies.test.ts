import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import {
  demoCredentials,
  type SignedDelivery,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
  withBadSignature,
} from '@ttpay/testing';
import fc from 'fast-check';
import Koa from 'koa';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveryError, douyinCallbacks, tikTokWebhooks } from '../src/index.js';
import { captureLogger, DOUYIN_ACK, sleep } from './helpers.js';

// The middleware behind a real Node HTTP server on loopback, fed what supertest cannot send: bodies
// that trickle in, stop, lie about their length, or come in odd chunks, and header lines an attacker
// crafts by hand. Never a crash, never a handler without a valid signature, never a request held
// forever — given the server timeouts SECURITY.md tells users to set.

const { douyin, tiktok } = demoCredentials;
const REQUEST_TIMEOUT_MS = 500;
const TIKTOK_LIMIT = 16 * 1024;

const handled: string[] = [];
const rejected: string[] = [];
const koaErrors: unknown[] = [];
const onRejected = (error: DeliveryError) => {
  rejected.push(error.code);
};
const app = new Koa();
app.on('error', (error) => koaErrors.push(error)); // client aborts surface here; they must not crash
app.use(
  douyinCallbacks({
    path: '/douyin',
    token: douyin.token,
    platformPublicKey: douyin.platformPublicKey,
    logger: captureLogger(),
    onRejected,
    onEvent: (event) => {
      handled.push(event.key);
    },
  }),
);
app.use(
  tikTokWebhooks({
    path: '/tiktok',
    ...tiktok,
    limit: TIKTOK_LIMIT,
    logger: captureLogger(),
    onRejected,
    onEvent: (event) => {
      handled.push(event.key);
    },
  }),
);

// What SECURITY.md recommends, scaled down: bound the whole request (headers and body) so a client
// that trickles bytes is cut off. Node's defaults are 300 s (requestTimeout) and 60 s (headersTimeout).
let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer(
    {
      requestTimeout: REQUEST_TIMEOUT_MS,
      headersTimeout: REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: 50,
    },
    app.callback(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Exchange {
  /** Everything the server sent back. */
  response: string;
  /** When the server closed the connection, ms after the first byte was written. */
  closedAfterMs: number;
}

/**
 * Writes `parts` to a raw TCP connection, one after the other with `gapMs` between them; then ends
 * the connection ('end'), drops it ('destroy'), or leaves it open until the server closes it ('wait').
 */
function exchange(
  parts: (string | Buffer)[],
  finish: 'end' | 'destroy' | 'wait',
  gapMs = 0,
): Promise<Exchange> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => {});
    socket.on('close', () =>
      resolve({ response: Buffer.concat(chunks).toString('latin1'), closedAfterMs: Date.now() - started }),
    );
    void (async () => {
      for (const part of parts) {
        if (socket.destroyed) return;
        socket.write(part);
        if (gapMs > 0) await sleep(gapMs);
      }
      if (finish === 'end') socket.end();
      if (finish === 'destroy') socket.destroy();
    })();
  });
}

const head = (path: string, headers: Record<string, string | string[]>, extra = ''): string =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${Object.entries(headers)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}: ${x}\r\n`))
    .join('')}${extra}\r\n`;
const statusLine = (e: Exchange) => e.response.split('\r\n')[0] ?? '';
const bodyOf = (e: Exchange) => e.response.slice(e.response.indexOf('\r\n\r\n') + 4);

/** Resets the records, runs `fn`, and waits for the middleware to settle after the connection ended. */
async function observed<T>(
  fn: () => Promise<T>,
  settleMs = 50,
): Promise<{ result: T; handled: string[]; rejected: string[] }> {
  handled.length = 0;
  rejected.length = 0;
  const result = await fn();
  await sleep(settleMs);
  return { result, handled: [...handled], rejected: [...rejected] };
}

describe('slow clients are cut off by the server timeouts, and the middleware settles', () => {
  it('a body trickling one byte every 40 ms (slowloris): 408 at requestTimeout, no handler', async () => {
    const d = signedTikTokWebhook();
    const bytes = [...d.body].map((b) => Buffer.from([b]));
    const {
      result,
      handled: ran,
      rejected: refused,
    } = await observed(() =>
      exchange(
        [head('/tiktok', { ...d.headers, 'Content-Length': String(d.body.length) }), ...bytes],
        'wait',
        40,
      ),
    );
    expect(statusLine(result)).toBe('HTTP/1.1 408 Request Timeout');
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(result.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 1_000);
    expect(ran).toEqual([]);
    expect(refused).toEqual(['MALFORMED_BODY']); // the read ended when the server dropped the request
  });

  it('headers that never end: 408 at headersTimeout, the middleware is never reached', async () => {
    const { result, rejected: refused } = await observed(() =>
      exchange(
        ['POST /tiktok HTTP/1.1\r\n', 'Host: 127.0.0.1\r\n', 'X-Slow: 1\r\n', 'X-Slow: 2\r\n'],
        'wait',
        100,
      ),
    );
    expect(statusLine(result)).toBe('HTTP/1.1 408 Request Timeout');
    expect(refused).toEqual([]);
  });

  it('a Content-Length larger than the body, then the client half-closes: 400, nothing handled', async () => {
    const d = signedTikTokWebhook();
    const {
      result,
      handled: ran,
      rejected: refused,
    } = await observed(() =>
      exchange(
        [head('/tiktok', { ...d.headers, 'Content-Length': String(d.body.length + 10) }), d.body],
        'end',
      ),
    );
    expect(statusLine(result)).toBe('HTTP/1.1 400 Bad Request');
    expect(ran).toEqual([]);
    expect(refused).toEqual(['MALFORMED_BODY']);
  });

  it('a Content-Length larger than the body, then the client vanishes: nothing handled, no crash', async () => {
    const d = signedEcpayCallback({ type: 'payment' });
    const { handled: ran, rejected: refused } = await observed(async () => {
      const done = exchange(
        [head('/douyin', { ...d.headers, 'Content-Length': String(d.body.length + 10) }), d.body],
        'destroy',
        20,
      );
      return done;
    });
    expect(ran).toEqual([]);
    expect(refused).toEqual(['MALFORMED_BODY']); // raw-body reports the abort; the reply goes nowhere
  });
});

describe('bodies that lie about their size', () => {
  it('a Content-Length shorter than the body: the signed bytes are cut, 400, and the rest is not a request', async () => {
    const d = signedTikTokWebhook();
    const {
      result,
      handled: ran,
      rejected: refused,
    } = await observed(() =>
      exchange([head('/tiktok', { ...d.headers, 'Content-Length': '20' }), d.body], 'end'),
    );
    expect(statusLine(result)).toMatch(/^HTTP\/1\.1 (400|401) /);
    expect(ran).toEqual([]);
    expect(refused).toHaveLength(1);
  });

  it('a Content-Length over the limit: 413 before the body is read', async () => {
    const d = signedTikTokWebhook();
    const { result, handled: ran } = await observed(() =>
      exchange(
        [head('/tiktok', { ...d.headers, 'Content-Length': String(TIKTOK_LIMIT + 1) }), d.body],
        'wait',
      ),
    );
    expect(statusLine(result)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(bodyOf(result)).toBe('{"error":"BODY_TOO_LARGE"}');
    expect(result.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS);
    expect(ran).toEqual([]);
  });

  it('a chunked body without Content-Length growing past the limit: 413 while it is still being sent', async () => {
    const d = signedTikTokWebhook();
    const chunk = Buffer.alloc(4096, 0x20);
    const { result, handled: ran } = await observed(
      () =>
        new Promise<{ status: number; body: string; sentBeforeReply: number }>((resolve, reject) => {
          let sent = 0;
          const req = httpRequest({
            port,
            host: '127.0.0.1',
            method: 'POST',
            path: '/tiktok',
            headers: d.headers,
          });
          req.on('response', (res) => {
            const parts: Buffer[] = [];
            res.on('data', (p: Buffer) => parts.push(p));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(parts).toString(),
                sentBeforeReply: sent,
              }),
            );
          });
          req.on('error', reject);
          // 10 MB would follow if the server kept reading; it answers after about the limit.
          const pump = (): void => {
            while (sent < 10 * 1024 * 1024 && !req.destroyed) {
              sent += chunk.length;
              if (!req.write(chunk)) {
                req.once('drain', pump);
                return;
              }
            }
            req.end();
          };
          pump();
        }),
    );
    expect(result.status).toBe(413);
    expect(result.body).toBe('{"error":"BODY_TOO_LARGE"}');
    expect(ran).toEqual([]);
  });

  it.each([
    ['Content-Length beyond 2^53', { 'Content-Length': '99999999999999999999' }, 'HTTP/1.1 400 Bad Request'],
    [
      'Content-Length 2^32 + 2 (no 32-bit wrap)',
      { 'Content-Length': '4294967298' },
      'HTTP/1.1 413 Payload Too Large',
    ],
    [
      'Content-Length and Transfer-Encoding (smuggling)',
      { 'Content-Length': '2', 'Transfer-Encoding': 'chunked' },
      'HTTP/1.1 400 Bad Request',
    ],
    ['two different Content-Lengths', { 'Content-Length': ['2', '3'] }, 'HTTP/1.1 400 Bad Request'],
    ['a negative Content-Length', { 'Content-Length': '-1' }, 'HTTP/1.1 400 Bad Request'],
  ])('%s → %s', async (_, headers, status) => {
    const { result, handled: ran } = await observed(() =>
      exchange([head('/tiktok', { 'Content-Type': 'application/json', ...headers }), '{}'], 'end'),
    );
    expect(statusLine(result)).toBe(status);
    expect(ran).toEqual([]);
  });
});

describe('header injection', () => {
  it('a client library refuses CR/LF in a header value (supertest/Node http): nothing can be sent', async () => {
    const d = signedTikTokWebhook();
    await expect(
      request(app.callback())
        .post('/tiktok')
        .set({ ...d.headers, authorization: `${d.headers.authorization}\r\nX-Injected: 1` })
        .send(d.body),
    ).rejects.toThrow(/Invalid character in header content/);
  });

  it.each([
    ['CRLF inside a value', 'Authorization: abc\rdef\r\n'],
    ['a bare LF inside a value', 'Authorization: abc\ndef: x\r\n'],
    ['NUL in a value', 'Authorization: abc\u0000def\r\n'],
    ['an obsolete folded line', 'Authorization: abc\r\n def\r\n'],
    ['a space before the colon', 'Authorization : abc\r\n'],
  ])('raw: %s → 400 from Node, the middleware is never reached', async (_, line) => {
    const d = signedTikTokWebhook();
    const { result, rejected: refused } = await observed(() =>
      exchange(
        [
          `POST /tiktok HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${d.body.length}\r\n${line}\r\n`,
          d.body,
        ],
        'end',
      ),
    );
    expect(statusLine(result)).toBe('HTTP/1.1 400 Bad Request');
    expect(refused).toEqual([]);
  });

  it.each([
    [
      'TikTok Authorization',
      () => signedTikTokWebhook(),
      'authorization',
      '/tiktok',
      '{"error":"MALFORMED_HEADER"}',
    ],
    [
      'trade Byte-Signature',
      () => signedTradeCallback({ type: 'payment' }),
      'byte-signature',
      '/douyin',
      '{"err_no":400,"err_tips":"MALFORMED_HEADER"}',
    ],
    [
      'trade Byte-Timestamp',
      () => signedTradeCallback({ type: 'payment' }),
      'byte-timestamp',
      '/douyin',
      '{"err_no":400,"err_tips":"MALFORMED_HEADER"}',
    ],
  ])(
    '%s repeated (the valid value twice, or valid + forged) → 400 MALFORMED_HEADER',
    async (_, make, header, path, reply) => {
      const d: SignedDelivery = make();
      const valid = String(d.headers[header]);
      for (const values of [
        [valid, valid],
        [valid, 'forged'],
        ['forged', valid],
      ]) {
        const { result, handled: ran } = await observed(() =>
          exchange(
            [head(path, { ...d.headers, [header]: values, 'Content-Length': String(d.body.length) }), d.body],
            'end',
          ),
        );
        expect(statusLine(result)).toBe('HTTP/1.1 400 Bad Request');
        expect(bodyOf(result)).toBe(reply);
        expect(ran).toEqual([]);
      }
    },
  );
});

describe('chunking never changes the verdict (40 runs)', () => {
  it('a delivery split at random points, sent with random pauses, gets the reply of the same bytes sent at once', async () => {
    const delivery = fc.constantFrom<() => SignedDelivery>(
      () => signedTikTokWebhook(),
      () => withBadSignature(signedTikTokWebhook()),
      () => signedEcpayCallback({ type: 'refund' }),
      () => signedTradeCallback({ type: 'settle' }),
    );
    await fc.assert(
      fc.asyncProperty(
        delivery,
        fc.uniqueArray(fc.nat(), { maxLength: 6 }),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        async (make, cuts, gapMs, chunked) => {
          const d = make();
          const path = 'authorization' in d.headers ? '/tiktok' : '/douyin';
          const points = [...new Set(cuts.map((c) => c % d.body.length))].sort((a, b) => a - b);
          const pieces = [0, ...points]
            .map((from, i) => d.body.subarray(from, points[i] ?? d.body.length))
            .filter((p) => p.length > 0);
          const framed = chunked
            ? [
                ...pieces.map((p) =>
                  Buffer.concat([Buffer.from(`${p.length.toString(16)}\r\n`), p, Buffer.from('\r\n')]),
                ),
                '0\r\n\r\n',
              ]
            : pieces;
          const lengthHeader: Record<string, string> = chunked
            ? { 'Transfer-Encoding': 'chunked' }
            : { 'Content-Length': String(d.body.length) };
          // The same delivery twice: the second answer (a duplicate) must be the same verdict.
          // The reply has arrived when the exchange ends: nothing left to settle.
          const { result, handled: ran } = await observed(
            () => exchange([head(path, { ...d.headers, ...lengthHeader }), ...framed], 'wait', gapMs),
            0,
          );
          const whole = await request(app.callback())
            .post(path)
            .set(d.headers)
            .serialize((b) => b)
            .send(d.body);
          expect(statusLine(result)).toMatch(new RegExp(`^HTTP/1\\.1 ${whole.status} `));
          expect(bodyOf(result)).toBe(whole.text);
          // Handled once, by the first (chunked) copy; the second is acknowledged as a duplicate.
          expect(ran.length).toBe(whole.status === 200 ? 1 : 0);
          if (whole.status === 200) expect(whole.text).toBe(path === '/douyin' ? DOUYIN_ACK : '');
        },
      ),
      { numRuns: 40 },
    );
  });
});

afterAll(() => {
  // Client aborts and timeouts reach Koa's 'error' event; they are expected and must be the only kind.
  for (const error of koaErrors)
    expect(String(error)).toMatch(
      /Parse Error|aborted|Request timeout|ECONNRESET|socket hang up|write after end|EPIPE/i,
    );
});
