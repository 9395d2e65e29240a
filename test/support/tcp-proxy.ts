import net from 'node:net';

/**
 * A TCP proxy in front of a shared server (Redis, PostgreSQL), so a test can take it "down" and bring it
 * back (or stall it) without touching the server other people use.
 */
export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  /** Stops listening and cuts every connection: the server is "down". */
  stop(): Promise<void>;
  /** Listens again on the same port: the server is "back". */
  start(): Promise<void>;
  /** Holds client → server bytes back until `resume()`: the server "hangs". */
  stall(): void;
  resume(): void;
  readonly connections: number;
}

/** `url` is `<scheme>://127.0.0.1:<proxy port>` (`scheme` default `redis`). */
export async function startTcpProxy(target: {
  host: string;
  port: number;
  scheme?: string;
}): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const held: Array<() => void> = [];
  let stalled = false;
  let accepted = 0;

  const onConnection = (client: net.Socket): void => {
    accepted += 1;
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (chunk) => {
      if (stalled) held.push(() => upstream.write(chunk));
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  };

  let server = net.createServer(onConnection);
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const port = await listen(0);

  return {
    port,
    url: `${target.scheme ?? 'redis'}://127.0.0.1:${port}`,
    get connections() {
      return accepted;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await closed;
    },
    async start() {
      server = net.createServer(onConnection);
      await listen(port);
    },
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      for (const write of held.splice(0)) write();
    },
  };
}
