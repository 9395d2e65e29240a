/**
 * One benchmark server in its own process, so autocannon (in the parent) does not share its event loop:
 * `node --import tsx bench/http/server.ts <variant>` (bench/http/apps.ts). It reports its port over IPC and answers
 * `'usage'` with its CPU and event-loop busy time, so the parent can compute server cost per request.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createApp, isVariant, VARIANTS } from './apps.js';

export type ServerMessage =
  | { type: 'ready'; port: number }
  | { type: 'usage'; cpuMicros: number; loopBusyMicros: number; rssBytes: number };

const variant = process.argv[2];
if (!isVariant(variant)) {
  console.error(`usage: server.ts <${VARIANTS.join('|')}>, got ${String(variant)}`);
  process.exit(2);
}

const send = (message: ServerMessage): void => {
  process.send?.(message);
};

const http = createServer((await createApp(variant)).callback());
http.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', port: (http.address() as AddressInfo).port });
});

process.on('message', (message) => {
  if (message !== 'usage') return;
  // CPU time of every thread (GC helpers included), and the main thread's busy time alone.
  const cpu = process.cpuUsage();
  send({
    type: 'usage',
    cpuMicros: cpu.user + cpu.system,
    loopBusyMicros: performance.eventLoopUtilization().active * 1000,
    rssBytes: process.memoryUsage.rss(),
  });
});

// The parent closing the IPC channel (or dying) ends the server.
process.on('disconnect', () => {
  http.close();
  process.exit(0);
});
