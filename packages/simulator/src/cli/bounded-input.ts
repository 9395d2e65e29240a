import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The most the CLI reads as one input (stdin or `--file`): the JSON of a request or delivery with its
 * keys is a few KiB, a platform body at most tens of KiB; the simulator takes bodies up to 1 MiB too.
 */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** The most the CLI reads as one key file: an RSA-4096 private key in PEM is about 3.3 KiB. */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Why an input could not be taken; the message names the input, never its content. */
export class InputProblem extends Error {}

/**
 * The bytes of a regular file of at most `maxBytes`. Anything else — a directory, `/dev/zero`, a FIFO, a
 * file that is or grows too large — is refused instead of read without end. `what` names it in messages.
 */
export function readRegularFile(path: string, maxBytes: number, what: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new InputProblem(`cannot read ${what}: ${codeOf(error)}.`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new InputProblem(`${what} is not a regular file.`);
    if (stat.size > maxBytes) throw new InputProblem(`${what} is larger than ${describeBytes(maxBytes)}.`);
    // Read one byte past the limit: a file that grew since fstat is refused too.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) throw new InputProblem(`${what} is larger than ${describeBytes(maxBytes)}.`);
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** Reads `stream` to its end, refusing it once it passes `maxBytes` (and reading no further). */
export async function readBoundedStream(
  stream: AsyncIterable<string | Uint8Array>,
  maxBytes: number,
  what: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  // Leaving the loop early (the throw) ends the stream: the writer gets EPIPE, not an endless wait.
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    length += bytes.length;
    if (length > maxBytes) throw new InputProblem(`${what} is larger than ${describeBytes(maxBytes)}.`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, length);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of `bytes`, which must be valid UTF-8: an invalid byte would otherwise become U+FFFD and be
 * signed as that, never as what the user meant.
 */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new InputProblem(`${what} is not valid UTF-8${firstInvalidByte(bytes)}.`);
  }
}

/** ` (near byte 12)`: where a streaming decoder first gives up (0-based). */
function firstInvalidByte(bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < bytes.length; i++) {
    try {
      decoder.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      return ` (near byte ${i})`;
    }
  }
  return ' (it ends inside a character)';
}

function describeBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n / 1024} KiB`;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unreadable';
}
