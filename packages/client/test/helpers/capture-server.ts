import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers one request; may write the response or destroy the socket. */
export type Responder = (req: CapturedRequest, res: ServerResponse) => void | Promise<void>;

export interface CaptureServer {
  url: string;
  requests: CapturedRequest[];
  /** Responders used in order; the last one repeats. */
  respond(...responders: Responder[]): void;
  close(): Promise<void>;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Responder {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

export function delay(ms: number, then: Responder): Responder {
  return async (req, res) => {
    await new Promise((r) => setTimeout(r, ms));
    if (!res.destroyed) await then(req, res);
  };
}

export const resetConnection: Responder = (_req, res) => {
  res.socket?.destroy();
};

/** A tiny loopback HTTP server that records every request, for checking what a client sends. */
export async function startCaptureServer(...initial: Responder[]): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  let responders: Responder[] = initial.length > 0 ? initial : [json(200, {})];
  let served = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const captured: CapturedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(captured);
      const responder = responders[Math.min(served, responders.length - 1)] as Responder;
      served++;
      void Promise.resolve(responder(captured, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond(...next) {
      responders = next;
      served = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
