import fs from 'node:fs';
import { format, inspect } from 'node:util';

/**
 * Copies everything a process prints into a file, so that the suite's output can be scanned for
 * secrets afterwards (`secret-scan.ts`). Three layers, because output takes three roads:
 * `console.*` (in a vitest worker that console reports to the main process, not to stdout),
 * `process.stdout/stderr.write`, and direct writes to file descriptors 1 and 2 (`pino` writes through
 * sonic-boom's `fs.write`/`fs.writeSync`). A line may be recorded twice; the scan does not mind.
 */

const INSTALLED = Symbol.for('ttpay.test.outputTee');
const WRAPPED = Symbol.for('ttpay.test.outputTee.wrapped');
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'] as const;

interface Tee {
  file: string;
  record(chunk: unknown): void;
}

type Holder = { [INSTALLED]?: Tee };

/**
 * Starts copying this process's output into `file` (appending). Once per process: later calls only
 * re-wrap the current `console` (vitest may give each test file its own) and add a marker line.
 */
export function teeOutputTo(file: string, marker?: string): Tee {
  const holder = globalThis as Holder;
  const tee = holder[INSTALLED] ?? install(file);
  holder[INSTALLED] = tee;
  wrapConsole(console, tee);
  if (marker !== undefined) tee.record(`\n### ${marker}\n`);
  return tee;
}

function install(file: string): Tee {
  const fd = fs.openSync(file, 'a');
  const writeSync = fs.writeSync;
  const write = fs.write;
  const writeTo = writeSync as (target: number, data: string | Uint8Array) => number;
  const record = (chunk: unknown): void => {
    try {
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) writeTo(fd, chunk);
    } catch {
      // the copy must never break the output it copies
    }
  };
  const tee: Tee = { file, record };

  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    stream.write = function (this: NodeJS.WriteStream, ...args: unknown[]): boolean {
      record(args[0]);
      return (original as (...a: unknown[]) => boolean).apply(this, args);
    } as typeof stream.write;
  }

  const slice = (data: unknown, offset: unknown, length: unknown): unknown =>
    data instanceof Uint8Array && typeof offset === 'number'
      ? data.subarray(offset, typeof length === 'number' ? offset + length : undefined)
      : data;
  const patchedWriteSync = function (this: unknown, target: number, ...args: unknown[]): number {
    if (target === 1 || target === 2) record(slice(args[0], args[1], args[2]));
    return (writeSync as (...a: unknown[]) => number).call(fs, target, ...args);
  };
  const patchedWrite = function (this: unknown, target: number, ...args: unknown[]): void {
    if (target === 1 || target === 2) record(slice(args[0], args[1], args[2]));
    (write as (...a: unknown[]) => void).call(fs, target, ...args);
  };
  fs.writeSync = patchedWriteSync as typeof fs.writeSync;
  fs.write = patchedWrite as unknown as typeof fs.write;
  return tee;
}

function wrapConsole(target: Console, tee: Tee): void {
  const methods = target as unknown as Record<string, ((...args: unknown[]) => void) & { [WRAPPED]?: true }>;
  for (const name of CONSOLE_METHODS) {
    const original = methods[name];
    if (typeof original !== 'function' || original[WRAPPED]) continue;
    const wrapped = Object.assign(
      function (this: unknown, ...args: unknown[]): void {
        tee.record(`${name === 'dir' ? inspect(args[0], { depth: 10 }) : format(...args)}\n`);
        original.apply(this, args);
      },
      { [WRAPPED]: true as const },
    );
    methods[name] = wrapped;
  }
}
