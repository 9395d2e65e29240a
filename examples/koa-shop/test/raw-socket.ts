import { connect, type Socket } from 'node:net';

/** A raw TCP connection to the shop, recording what the server sends and when it closes. */
export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far, as latin1 text. */
  received(): string;
  /** Resolves when the connection is closed, by either side. */
  closed: Promise<void>;
  /** Whether the server ended or reset the connection (rather than `close()`). */
  closedByServer(): boolean;
  /** Closes it from this side. */
  close(): void;
}

/** Opens a connection to `url`'s host and port and waits until it is established. */
export async function openRaw(url: string, options: { localAddress?: string } = {}): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port), ...options });
  const chunks: Buffer[] = [];
  let byServer = false;
  let byUs = false;
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('end', () => {
    if (!byUs) byServer = true;
  });
  // ECONNRESET and EPIPE are how a server cutting a connection looks from here.
  socket.on('error', () => {
    if (!byUs) byServer = true;
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    received: () => Buffer.concat(chunks).toString('latin1'),
    closed,
    closedByServer: () => byServer,
    close: () => {
      byUs = true;
      socket.destroy();
    },
  };
}

/** `POST <path>` request head for a JSON body of `length` bytes. */
export function postHead(path: string, length: number, headers: Record<string, string> = {}): string {
  const lines = [
    `POST ${path} HTTP/1.1`,
    'Host: shop.test',
    'Content-Type: application/json',
    `Content-Length: ${length}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** The status code of the first response in `text`, or undefined when none arrived. */
export function statusOf(text: string): number | undefined {
  const match = /^HTTP\/1\.1 (\d{3}) /.exec(text);
  return match ? Number(match[1]) : undefined;
}
