#!/usr/bin/env node
// The `ttpay` binary: wires the process's streams to runCli and exits with its code.
import { EXIT_BROKEN_PIPE } from './io.js';
import { runCli } from './run-cli.js';

// A reader that went away (`ttpay … | head -c1`) is not an error to report: end at once, quietly, with
// the status of a Unix tool stopped by SIGPIPE (Node ignores the signal, so the write fails with EPIPE).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE);
    throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
