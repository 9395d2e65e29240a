import { type ParseArgsConfig, parseArgs } from 'node:util';
import { helpHint, UsageError } from './io.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/** What `parseArgs` returns for these options (written out so declarations can name it). */
export type ParsedCommandArgs<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{
    args: string[];
    options: O & typeof HELP_OPTION;
    allowPositionals: true;
    strict: true;
  }>
>;

/**
 * `util.parseArgs`, strict, with `-h/--help` on every command, and its errors rewritten as usage errors
 * that name the option only (never the value, which may be a secret).
 */
export function parseCommandArgs<const O extends OptionsConfig>(
  command: string,
  argv: string[],
  options: O,
): ParsedCommandArgs<O> {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, ...HELP_OPTION },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw toUsageError(command, error);
  }
}

function toUsageError(command: string, error: unknown): UsageError {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  const option = /'(-[^'=\s]*)/.exec(message)?.[1] ?? 'an option';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new UsageError(`unknown option ${option} for 'ttpay ${command}'.`, helpHint(command));
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const missing = /argument missing/.test(message);
    const name = /(--[\w-]+)/.exec(message)?.[1] ?? option;
    return new UsageError(
      missing ? `option ${name} needs a value.` : `option ${name} does not take a value.`,
      helpHint(command),
    );
  }
  return new UsageError(`invalid arguments for 'ttpay ${command}'.`, helpHint(command));
}

/** The one positional a command takes (`<scheme>`, `<event>`); more is an error. */
export function onePositional(command: string, positionals: string[], what: string): string | undefined {
  if (positionals.length > 1) {
    throw new UsageError(
      `'ttpay ${command}' takes one ${what}, got ${positionals.length} arguments.`,
      helpHint(command),
    );
  }
  return positionals[0];
}

export function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(`'ttpay ${command}' takes no arguments.`, helpHint(command));
  }
}

/** A whole number option within bounds. */
export function integerOption(
  command: string,
  name: string,
  value: string | undefined,
  bounds: { min: number; max: number; fallback: number },
): number {
  if (value === undefined) return bounds.fallback;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < bounds.min || n > bounds.max) {
    throw new UsageError(
      `--${name} must be a whole number from ${bounds.min} to ${bounds.max}.`,
      helpHint(command),
    );
  }
  return n;
}
