// webHandler only moves bytes and headers between a Web Request/Response and the engine. What is its
// own: reading the body stream with the limit, and refusing a Request whose body was read already.
import { describe, expect, it } from 'vitest';
import { douyinEndpoint, webHandler } from '../src/delivery/index.js';
import { captureLogger } from './support/capture-logger.js';
import { ecpayDelivery, TOKEN } from './support/signed-deliveries.js';

const failure = (status: number, code: string) => JSON.stringify({ err_no: status, err_tips: code });

function handler(limit = 1024) {
  const seen: string[] = [];
  const handle = webHandler(
    douyinEndpoint({
      token: TOKEN,
      limit,
      logger: captureLogger(),
      onPayment: (event, { request, rawBody }) =>
        void seen.push(`${event.key} ${request.url} ${rawBody.length}`),
    }),
  );
  return { handle, seen };
}

const signed = (ecpayDelivery().body as Buffer).toString();
const request = (body: string | ReadableStream<Uint8Array>, init: RequestInit = {}) =>
  new Request('http://shop.test/douyin/notify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    ...init,
    // A stream body needs it (Node's fetch).
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);

describe('webHandler', () => {
  it('answers a signed delivery with the engine’s reply; the handler gets the Request and the bytes', async () => {
    const { handle, seen } = handler();
    const res = await handle(request(signed));
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([
      200,
      'application/json; charset=utf-8',
      '{"err_no":0,"err_tips":"success"}',
    ]);
    expect(seen).toEqual([
      `douyin:ecpay:payment:order_1:SUCCESS http://shop.test/douyin/notify ${signed.length}`,
    ]);
  });

  it('a Request whose body was read already: 500 RAW_BODY_UNAVAILABLE, never a re-serialisation', async () => {
    const { handle, seen } = handler();
    const req = request(signed);
    await req.json();
    const res = await handle(req);
    expect([res.status, await res.text(), seen]).toEqual([500, failure(500, 'RAW_BODY_UNAVAILABLE'), []]);
  });

  it('a streamed body growing past the limit: 413, and the stream is cancelled without reading the rest', async () => {
    const { handle } = handler(100);
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(60).fill(0x20));
      },
      cancel() {
        cancelled = true;
      },
    });
    const res = await handle(request(stream));
    expect([res.status, await res.text()]).toEqual([413, failure(413, 'BODY_TOO_LARGE')]);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThanOrEqual(3);
  });

  it('a stream that errors (the client went away): 400 MALFORMED_BODY, no handler', async () => {
    const { handle, seen } = handler();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"msg":'));
        controller.error(new Error('socket hang up'));
      },
    });
    const res = await handle(request(stream));
    expect([res.status, await res.text(), seen]).toEqual([400, failure(400, 'MALFORMED_BODY'), []]);
  });

  it('a wrong method: 405 with Allow: POST, carried into the Response', async () => {
    const { handle } = handler();
    const res = await handle(new Request('http://shop.test/douyin/notify', { method: 'PUT', body: '{}' }));
    expect([res.status, res.headers.get('allow')]).toEqual([405, 'POST']);
  });
});
