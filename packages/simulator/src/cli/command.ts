import type { CliIo, ExitCode } from './io.js';

/** One `ttpay <name>` command. `run` never throws for bad input: it prints and returns the exit code. */
export interface Command {
  name: string;
  /** One line for `ttpay --help`. */
  summary: string;
  /** The full text of `ttpay <name> --help`. */
  help: string;
  run(argv: string[], io: CliIo): Promise<ExitCode>;
}
