import { isTtpayError } from '@ttpay/core';
import type { Command } from './command.js';
import { EXIT_FAILED, EXIT_OK, type ExitCode, helpHint, reportError, UsageError, writeJson } from './io.js';
import { loadSchemeInput, schemeList } from './scheme-command.js';
import { isInputProblem } from './schemes.js';

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify a request or delivery with @ttpay/core (prints the typed event)',
  help: `Usage: ttpay verify <scheme> [--file <path>]

Verifies with @ttpay/core, exactly as @ttpay/koa does. Reads one JSON object from stdin
(or --file); raw bodies are JSON strings holding the exact text received. Prints
{"valid": true, "event": {…}} (the verified, typed event), or
{"valid": false, "code": "SIGNATURE_MISMATCH", "message": "…"} and exits 1.
Secrets in the input are never printed.

Schemes and their input:
${schemeList('verify')}

Options:
  -f, --file <path>   read the input from a file instead of stdin ("-" means stdin)
  -h, --help          show this help

Exit codes: 0 valid; 1 invalid (code: SIGNATURE_MISMATCH, MISSING_SIGNATURE, MALFORMED_BODY,
TIMESTAMP_OUT_OF_RANGE, …); 2 bad input (invalid JSON, unknown scheme, missing field, unreadable key).

Example:
  jq -n --rawfile body body.json '{body: $body, token: "my_token"}' | ttpay verify ecpay-callback
`,
  async run(argv, io): Promise<ExitCode> {
    try {
      const loaded = await loadSchemeInput('verify', argv, io);
      if (loaded === 'help') {
        io.stdout.write(verifyCommand.help);
        return EXIT_OK;
      }
      try {
        writeJson(io.stdout, { valid: true, ...loaded.step.run(loaded.input) });
        return EXIT_OK;
      } catch (error) {
        if (!isTtpayError(error) || error instanceof UsageError) throw error;
        if (isInputProblem(error)) {
          throw new UsageError(`verify: ${error.message} (${error.code})`, helpHint('verify'));
        }
        writeJson(io.stdout, { valid: false, code: error.code, message: error.message });
        return EXIT_FAILED;
      }
    } catch (error) {
      return reportError(io, error);
    }
  },
};
