import { resolve } from 'node:path';
import { TtpayError } from '@ttpay/core';
import {
  decodeUtf8,
  InputProblem,
  MAX_INPUT_BYTES,
  readBoundedStream,
  readRegularFile,
} from './bounded-input.js';

/** Exit codes, as in most Unix tools: 1 is "the answer is no", 2 is "you asked wrongly". */
export const EXIT_OK = 0;
/** A signature did not verify, or an app did not acknowledge a delivery. */
export const EXIT_FAILED = 1;
/** Bad input: unknown command/option/scheme, invalid JSON, a missing field. */
export const EXIT_USAGE = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILED | typeof EXIT_USAGE;

/** The output's reader went away (EPIPE): 128 + SIGPIPE, the status of a Unix tool stopped by it. */
export const EXIT_BROKEN_PIPE = 141;

export interface TextSink {
  write(text: string): unknown;
}

/** Where a command reads and writes: the process's streams, or strings and buffers in tests. */
export interface CliIo {
  /** The text piped in, or a stream of it. */
  stdin: string | (AsyncIterable<string | Uint8Array> & { isTTY?: boolean });
  stdout: TextSink;
  stderr: TextSink;
  /** Relative `--file` and key paths resolve against this. Default `process.cwd()`. */
  cwd?: string;
  /** `simulate` serves until this aborts (main.ts wires it to SIGINT/SIGTERM). */
  stop?: AbortSignal;
}

/** Bad input: printed on stderr with a hint, exit code 2. Messages never contain input values. */
export class UsageError extends TtpayError<'USAGE'> {
  override readonly name: string = 'UsageError';
  /** e.g. "Run 'ttpay sign --help' for usage." */
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super('USAGE', message);
    this.hint = hint;
  }
}

export function helpHint(command?: string): string {
  return command ? `Run 'ttpay ${command} --help' for usage.` : "Run 'ttpay --help' for usage.";
}

/**
 * Reads the whole input: `--file <path>`, or stdin when there is no file (or it is `-`). At most
 * MAX_INPUT_BYTES, strict UTF-8: anything else is a usage error (exit 2), never read without end nor
 * signed after a silent replacement of invalid bytes.
 */
export async function readInput(io: CliIo, file: string | undefined, command: string): Promise<string> {
  try {
    if (file !== undefined && file !== '-') {
      const path = resolve(io.cwd ?? process.cwd(), file);
      return decodeUtf8(readRegularFile(path, MAX_INPUT_BYTES, `--file ${file}`), `--file ${file}`);
    }
    if (typeof io.stdin === 'string') return io.stdin;
    if (io.stdin.isTTY) {
      // Waiting on a terminal for JSON nobody is going to type looks like a hang.
      throw new UsageError('no input: pipe a JSON object on stdin or pass --file <path>.', helpHint(command));
    }
    const bytes = await readBoundedStream(io.stdin, MAX_INPUT_BYTES, 'the input on stdin');
    return decodeUtf8(bytes, 'the input on stdin');
  } catch (error) {
    // One line: the input, not the command line, is at fault, so no usage hint.
    if (error instanceof InputProblem) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Parses a JSON object. V8's JSON.parse messages quote the input, which may hold a secret, so the
 * error keeps only the position.
 */
export function parseJsonObject(text: string, what: string, command: string): Record<string, unknown> {
  if (text.trim() === '')
    throw new UsageError(`${what} is empty: expected a JSON object.`, helpHint(command));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const position = /position (\d+)/.exec(cause instanceof Error ? cause.message : '')?.[1];
    throw new UsageError(
      `${what} is not valid JSON${position === undefined ? '' : ` (at position ${position})`}.`,
      helpHint(command),
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${what} must be a JSON object.`, helpHint(command));
  }
  return value as Record<string, unknown>;
}

export function writeJson(sink: TextSink, value: unknown): void {
  sink.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function writeLine(sink: TextSink, line = ''): void {
  sink.write(`${line}\n`);
}

/** Prints a UsageError (exit 2); anything else is a bug or an I/O failure (exit 1). */
export function reportError(io: CliIo, error: unknown): ExitCode {
  if (error instanceof UsageError) {
    writeLine(io.stderr, `ttpay: ${error.message}`);
    if (error.hint) writeLine(io.stderr, error.hint);
    return EXIT_USAGE;
  }
  writeLine(io.stderr, `ttpay: ${error instanceof Error ? error.message : String(error)}`);
  return EXIT_FAILED;
}

/** `ENOENT`-style code of a file-system error, without the path or message. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unreadable';
}
