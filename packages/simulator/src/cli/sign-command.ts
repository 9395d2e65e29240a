import { isTtpayError } from '@ttpay/core';
import type { Command } from './command.js';
import { EXIT_OK, type ExitCode, helpHint, reportError, UsageError, writeJson } from './io.js';
import { loadSchemeInput, schemeList } from './scheme-command.js';

export const signCommand: Command = {
  name: 'sign',
  summary: 'sign a request or delivery with @ttpay/core (JSON in, {"signature": …} out)',
  help: `Usage: ttpay sign <scheme> [--file <path>]

Signs with @ttpay/core. Reads one JSON object from stdin (or --file) and prints
{"signature": "…"} as JSON, with the headers to send for header-signed schemes.
Secrets in the input are never printed.

Schemes and their input:
${schemeList('sign')}

Options:
  -f, --file <path>   read the input from a file instead of stdin ("-" means stdin)
  -h, --help          show this help

Exit codes: 0 signed; 2 bad input (invalid JSON, unknown scheme, missing field, unreadable key).

Examples:
  echo '{"params":{"out_order_no":"o1","total_amount":100},"salt":"my_salt"}' | ttpay sign ecpay-request
  ttpay sign trade-request --file request.json    # {"method":"POST","uri":"/requestOrder",…,"privateKey":"app.pem"}
`,
  async run(argv, io): Promise<ExitCode> {
    try {
      const loaded = await loadSchemeInput('sign', argv, io);
      if (loaded === 'help') {
        io.stdout.write(signCommand.help);
        return EXIT_OK;
      }
      writeJson(
        io.stdout,
        signWith(() => loaded.step.run(loaded.input)),
      );
      return EXIT_OK;
    } catch (error) {
      return reportError(io, error);
    }
  },
};

function signWith(sign: () => Record<string, unknown>): Record<string, unknown> {
  try {
    return sign();
  } catch (error) {
    // Whatever core refuses to sign is a problem with the input (a missing secret, a bad key, a uri
    // without "/"): exit 2, with core's message, which never quotes a secret.
    if (isTtpayError(error) && !(error instanceof UsageError)) {
      throw new UsageError(`sign: ${error.message} (${error.code})`, helpHint('sign'));
    }
    throw error;
  }
}
