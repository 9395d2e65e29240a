import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signEcpayRequest, signTikTokRequest } from '@ttpay/core';
import { demoCredentials } from '@ttpay/testing';
import type { Simulator } from '../src/index.js';

/** Shared by the simulator-*.test.ts files: a local receiver and raw, core-signed platform calls. */

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Reply {
  status: number;
  body?: string;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export const DOUYIN_ACK: Reply = { status: 200, body: '{"err_no":0,"err_tips":"success"}' };

/**
 * A tiny node:http app on port 0 that records every request and answers `reply(n)` (n = 1 for the first
 * request), standing in for the developer's server.
 */
export async function startReceiver(reply: (n: number) => Reply = () => DOUYIN_ACK): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      const r = reply(requests.length);
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(r.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface JsonResponse {
  status: number;
  json: Record<string, unknown>;
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** An ecpay API call signed by @ttpay/core, as a correct client makes it. */
export async function ecpayCall(
  sim: Simulator,
  endpoint: string,
  params: Record<string, unknown>,
  salt: string = demoCredentials.douyin.salt,
): Promise<JsonResponse> {
  const signed = { app_id: demoCredentials.douyin.appId, ...params };
  return postJson(`${sim.url}/api/apps/ecpay/v1/${endpoint}`, {
    ...signed,
    sign: signEcpayRequest(signed, salt),
  });
}

export interface TikTokCallOptions {
  method?: 'GET' | 'POST';
  query?: Record<string, string>;
  /** The exact body text to send (and, unless `signedBody` is given, to sign). */
  body?: string;
  /** Sign these bytes instead of `body` (to model a client that signs something else than it sends). */
  signedBody?: string;
  appSecret?: string;
  accessToken?: string;
  timestamp?: number;
  /** Leave shop_cipher out. */
  noShopCipher?: boolean;
}

/** A TikTok Shop Open API call signed by @ttpay/core over the path, query and exact body. */
export async function tiktokCall(
  sim: Simulator,
  path: string,
  opts: TikTokCallOptions = {},
): Promise<JsonResponse> {
  const { tiktok } = demoCredentials;
  const query: Record<string, string> = {
    app_key: tiktok.appKey,
    timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
    ...(opts.noShopCipher ? {} : { shop_cipher: tiktok.shopCipher }),
    ...opts.query,
  };
  const signedBody = opts.signedBody ?? opts.body;
  query.sign = signTikTokRequest(
    { path, query, ...(signedBody === undefined ? {} : { body: signedBody }) },
    opts.appSecret ?? tiktok.appSecret,
  );
  const res = await fetch(`${sim.url}${path}?${new URLSearchParams(query)}`, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers: {
      'content-type': 'application/json',
      'x-tts-access-token': opts.accessToken ?? tiktok.accessToken,
    },
    ...(opts.body === undefined ? {} : { body: opts.body }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
