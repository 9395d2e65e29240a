import { readFileSync } from 'node:fs';
import type { Command } from './command.js';
import { type CliIo, EXIT_OK, EXIT_USAGE, type ExitCode, helpHint, writeLine } from './io.js';
import { sendCommand } from './send-command.js';
import { signCommand } from './sign-command.js';
import { simulateCommand } from './simulate-command.js';
import { verifyCommand } from './verify-command.js';

const COMMANDS: readonly Command[] = [signCommand, verifyCommand, sendCommand, simulateCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `Usage: ttpay <command> [options]

Sign, verify, send and simulate Douyin (ecpay, trade system), TikTok Shop and AlgoVoi payments
traffic, with the same code as @ttpay/core and @ttpay/koa.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}
  ${'help'.padEnd(width)}show help for a command: ttpay help <command>

Options:
  -h, --help       show help (also after any command: ttpay sign --help)
  -v, --version    print the version

Exit codes: 0 success; 1 invalid signature / not acknowledged / runtime failure; 2 bad input.
`;
}

/**
 * Runs `ttpay` with `argv` (without `node` and the script) and returns the exit code; the binary is
 * a thin wrapper around this, and tests can call it with strings for stdin and sinks for the output.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') {
    io.stdout.write(usage());
    return EXIT_OK;
  }
  if (first === '-v' || first === '--version') {
    writeLine(io.stdout, version());
    return EXIT_OK;
  }
  if (first === 'help') return help(rest, io);
  if (first.startsWith('-')) return usageError(io, `unknown option ${first.split('=')[0]}.`);
  const command = findCommand(first);
  if (!command) {
    return usageError(io, `unknown command "${first}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}.`);
  }
  return command.run([...rest], io);
}

function help(args: string[], io: CliIo): ExitCode {
  const [name, ...extra] = args;
  if (name === undefined) {
    io.stdout.write(usage());
    return EXIT_OK;
  }
  const command = findCommand(name);
  if (!command || extra.length > 0) {
    return usageError(
      io,
      `no help for "${args.join(' ')}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}.`,
    );
  }
  io.stdout.write(command.help);
  return EXIT_OK;
}

function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function usageError(io: CliIo, message: string): ExitCode {
  writeLine(io.stderr, `ttpay: ${message}`);
  writeLine(io.stderr, helpHint());
  return EXIT_USAGE;
}

function version(): string {
  // src/cli/ and dist/cli/ both sit two levels below the package root.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
