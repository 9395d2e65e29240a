#!/usr/bin/env node
// The `ttpay` binary: wires the process's streams to runCli and exits with its code.
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
