import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpLimits } from '../config.js';

export interface Listening {
  server: Server;
  port: number;
  /** `http://<host>:<port>`, with 127.0.0.1 when listening on every interface. */
  url: string;
}

/**
 * How often Node looks for requests past their headers/request timeout (its default is 30 s, which
 * would let a timeout run up to 30 s late). Checking a few hundred connections once a second is cheap.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * Listens with the limits set: Node answers `408` and closes a connection that has not sent its headers
 * within `headersTimeoutMs` (an idle connection that sends nothing included) or its whole request
 * within `requestTimeoutMs` (a body trickled a byte at a time), closes idle keep-alive connections
 * after `keepAliveTimeoutMs`, and closes connections beyond `maxConnections` as soon as they are
 * accepted (the server's `drop` event).
 */
export function listen(
  handler: RequestListener,
  port: number,
  host: string | undefined,
  limits: HttpLimits,
): Promise<Listening> {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    handler,
  );
  server.maxConnections = limits.maxConnections;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = host === undefined || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      resolve({
        server,
        port: address.port,
        url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`,
      });
    });
  });
}

/**
 * Stops accepting connections at once, closes idle keep-alive connections, and resolves when every
 * in-flight request has been answered — or after `timeoutMs`, when the remaining connections are cut.
 */
export function closeGracefully(server: Server, timeoutMs: number): Promise<{ timedOut: boolean }> {
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      server.closeAllConnections();
    }, timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve({ timedOut });
    });
    server.closeIdleConnections();
  });
}
