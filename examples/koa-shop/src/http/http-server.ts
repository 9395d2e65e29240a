import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  server: Server;
  port: number;
  /** `http://<host>:<port>`, with 127.0.0.1 when listening on every interface. */
  url: string;
}

export function listen(handler: RequestListener, port: number, host?: string): Promise<Listening> {
  const server = createServer(handler);
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
