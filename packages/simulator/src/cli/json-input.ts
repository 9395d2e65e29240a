import { resolve } from 'node:path';
import { InputProblem, MAX_KEY_FILE_BYTES, readRegularFile } from './bounded-input.js';
import { helpHint, UsageError } from './io.js';

export interface InputContext {
  /** `sign` or `verify`. */
  command: string;
  /** e.g. `ecpay-request`. */
  scheme: string;
  /** The fields the scheme takes, for messages: `{params, salt}`. */
  shape: string;
  cwd: string;
}

/**
 * Typed access to the fields of a JSON input object. Every complaint names the field and the shape the
 * scheme expects, never the value (inputs carry secrets).
 */
export class JsonInput {
  readonly #fields: Record<string, unknown>;
  readonly #ctx: InputContext;

  constructor(fields: Record<string, unknown>, ctx: InputContext) {
    this.#fields = fields;
    this.#ctx = ctx;
  }

  has(field: string): boolean {
    return this.#fields[field] !== undefined && this.#fields[field] !== null;
  }

  /** A non-empty string. */
  string(field: string): string {
    const value = this.#fields[field];
    if (typeof value === 'string' && value !== '') return value;
    throw this.#problem(field, value, 'a non-empty string');
  }

  optionalString(field: string): string | undefined {
    return this.has(field) ? this.string(field) : undefined;
  }

  /** Text that is signed as it is, so it may be empty (an empty GET body, an empty `msg`). */
  text(field: string): string {
    const value = this.#fields[field];
    if (typeof value === 'string') return value;
    if (typeof value === 'object' && value !== null) {
      throw this.#error(
        `"${field}" must be the raw text exactly as sent or received, not parsed JSON: signatures cover the exact bytes, so pass it as a JSON string.`,
      );
    }
    throw this.#problem(field, value, 'a string');
  }

  optionalText(field: string): string | undefined {
    return this.has(field) ? this.text(field) : undefined;
  }

  /** A string, or a whole number given unquoted (timestamps): returned as its decimal text. */
  stringish(field: string): string {
    const value = this.#fields[field];
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    return this.string(field);
  }

  optionalStringish(field: string): string | undefined {
    return this.has(field) ? this.stringish(field) : undefined;
  }

  /** One secret, or a list of them (rotation: any one verifies). */
  secrets(field: string): string | string[] {
    const value = this.#fields[field];
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '')) {
      return value as string[];
    }
    return this.string(field);
  }

  object(field: string): Record<string, unknown> {
    const value = this.#fields[field];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    throw this.#problem(field, value, 'a JSON object');
  }

  optionalNumber(field: string): number | undefined {
    const value = this.#fields[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    throw this.#problem(field, value, 'a number');
  }

  /**
   * A key given as PEM text, a path to a PEM/DER file (relative to the working directory), or the bare
   * base64 body a console shows.
   */
  key(field: string): string | Buffer {
    return this.#keyFrom(field, this.string(field));
  }

  /** One key or a list of them (rotation). */
  keys(field: string): (string | Buffer)[] {
    const value = this.#fields[field];
    if (Array.isArray(value) && value.length > 0) {
      return value.map((item, i) => {
        if (typeof item !== 'string' || item === '') throw this.#problem(`${field}[${i}]`, item, 'a string');
        return this.#keyFrom(`${field}[${i}]`, item);
      });
    }
    return [this.key(field)];
  }

  #keyFrom(field: string, value: string): string | Buffer {
    if (value.includes('-----BEGIN')) return value;
    try {
      // Bounded, regular files only: a path such as /dev/zero is refused, not read without end.
      return readRegularFile(resolve(this.#ctx.cwd, value), MAX_KEY_FILE_BYTES, `the "${field}" file`);
    } catch (error) {
      const missing = error instanceof InputProblem && error.message.startsWith('cannot read');
      if (missing && /^[A-Za-z0-9+/=\s]{64,}$/.test(value)) return value;
      if (!missing && error instanceof InputProblem) throw this.#error(error.message);
      throw this.#error(`"${field}" is neither PEM text nor a readable key file.`);
    }
  }

  #problem(field: string, value: unknown, expected: string): UsageError {
    if (value === undefined || value === null || value === '') {
      return this.#error(`the input has no "${field}".`);
    }
    const got = Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value;
    return this.#error(`"${field}" must be ${expected}, got ${got}.`);
  }

  #error(message: string): UsageError {
    const { command, scheme, shape } = this.#ctx;
    return new UsageError(`${command} ${scheme}: ${message} Expected ${shape}.`, helpHint(command));
  }
}
