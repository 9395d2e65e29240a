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
      args: negativeNumbersAsValues(argv, options),
      options: { ...options, ...HELP_OPTION },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw toUsageError(command, error);
  }
}

/**
 * `--timeout -5` → `--timeout=-5`: parseArgs would take "-5" for an option, and the user would hear
 * about ambiguity instead of the honest answer (below the minimum). No option name starts with a digit.
 */
function negativeNumbersAsValues(argv: string[], options: OptionsConfig): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    if (
      Object.hasOwn(options, name) &&
      options[name]?.type === 'string' &&
      next !== undefined &&
      /^-\d/.test(next)
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function toUsageError(command: string, error: unknown): UsageError {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  const option = /'(-[^'=\s]*)/.exec(message)?.[1] ?? 'an option';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new UsageError(`unknown option ${option} for 'ttpay ${command}'.`, helpHint(command));
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /(--[\w-]+)/.exec(message)?.[1] ?? option;
    if (/argument is ambiguous/.test(message)) {
      // `--timeout -5`: parseArgs takes "-5" for an option, not for the value.
      return new UsageError(
        `option ${name} needs a value, and the next argument starts with "-": write ${name}=<value> to pass one that does.`,
        helpHint(command),
      );
    }
    const missing = /argument missing/.test(message);
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

/**
 * A whole number option within bounds. The message quotes what was given (a count or a duration, never a
 * secret) and names the unit.
 */
export function integerOption(
  command: string,
  name: string,
  value: string | undefined,
  bounds: { min: number; max: number; fallback: number; unit?: string },
): number {
  if (value === undefined) return bounds.fallback;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < bounds.min || n > bounds.max) {
    const given = value.length > 20 ? `${value.slice(0, 20)}…` : value;
    const why = /^\d+$/.test(value)
      ? n < bounds.min
        ? `below ${bounds.min}`
        : `above ${bounds.max}`
      : /^-\d+$/.test(value)
        ? `below ${bounds.min}`
        : 'not a whole number';
    const unit = bounds.unit ? ` (${bounds.unit})` : '';
    throw new UsageError(
      `--${name} must be a whole number from ${bounds.min} to ${bounds.max}${unit}; "${given}" is ${why}.`,
      helpHint(command),
    );
  }
  return n;
}

/**
 * Refuses an option value holding U+FFFD: an argument with invalid UTF-8 bytes reaches Node so, and
 * would be signed as the replacement character rather than as what was meant.
 */
export function refuseReplacementCharacters(command: string, values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.includes('\uFFFD')) {
      throw new UsageError(
        `--${name} is not valid UTF-8 (it holds U+FFFD, what an invalid byte becomes).`,
        helpHint(command),
      );
    }
  }
}
