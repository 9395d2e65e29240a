import { parseCommandArgs } from './args.js';
import { type CliIo, helpHint, parseJsonObject, readInput, UsageError } from './io.js';
import { JsonInput } from './json-input.js';
import { isSchemeName, SCHEME_NAMES, SCHEMES, type SchemeStep } from './schemes.js';

type Direction = 'sign' | 'verify';

/** What `sign` and `verify` share: `<scheme> [--file <path>]`, then one JSON object as input. */
export async function loadSchemeInput(
  command: Direction,
  argv: string[],
  io: CliIo,
): Promise<'help' | { step: SchemeStep; input: JsonInput }> {
  const { values, positionals } = parseCommandArgs(command, argv, {
    file: { type: 'string', short: 'f' },
  });
  if (values.help) return 'help';
  const [name, ...rest] = positionals;
  if (name === undefined) {
    throw new UsageError(`'ttpay ${command}' needs a scheme: ${SCHEME_NAMES.join(', ')}.`, helpHint(command));
  }
  if (!isSchemeName(name)) {
    throw new UsageError(`unknown scheme "${name}". Schemes: ${SCHEME_NAMES.join(', ')}.`, helpHint(command));
  }
  if (rest.length > 0) {
    throw new UsageError(
      `'ttpay ${command}' takes one scheme, got ${positionals.length} arguments.`,
      helpHint(command),
    );
  }
  const step = SCHEMES[name][command];
  const where =
    values.file === undefined || values.file === '-' ? 'the input on stdin' : `--file ${values.file}`;
  const fields = parseJsonObject(await readInput(io, values.file, command), where, command);
  const cwd = io.cwd ?? process.cwd();
  return { step, input: new JsonInput(fields, { command, scheme: name, shape: step.shape, cwd }) };
}

/** The scheme table of `ttpay sign --help` / `ttpay verify --help`. */
export function schemeList(command: Direction): string {
  const lines: string[] = [];
  for (const name of SCHEME_NAMES) {
    const scheme = SCHEMES[name];
    lines.push(`  ${name.padEnd(17)}${scheme.summary}`, `  ${''.padEnd(17)}${scheme[command].shape}`);
  }
  return lines.join('\n');
}
