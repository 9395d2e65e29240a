import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBinaryBuilt, BIN, type BinaryResult, exitOf, runBinary, startBinary } from './cli-binary.js';

// The real `ttpay` process for each case: what a shell does to it (a closed pipe, /dev/zero, 600 MB on
// stdin, bytes that are not UTF-8) and what it answers.

let dir: string;
beforeAll(() => {
  assertBinaryBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ttpay-cli-input-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves once the child exited and its output streams closed; attach before anything can happen. */
function closeOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
}

const ECPAY_INPUT = JSON.stringify({ params: { out_order_no: 'o1', total_amount: 100 }, salt: 'my_salt' });

/** Refused as bad input: exit 2, nothing on stdout, one message line (plus a usage hint when asked). */
function expectRefused(r: BinaryResult, message: RegExp, opts: { oneLine?: boolean } = {}): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
  if (opts.oneLine) expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('a closed output pipe (ttpay … | head -c1)', () => {
  it('ends a one-shot command quietly with 141 (128 + SIGPIPE), not an EPIPE stack', async () => {
    const child = spawn(process.execPath, [BIN, 'sign', 'ecpay-request'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const closed = closeOf(child);
    // The reader goes away before the command writes (it is still waiting for its input).
    child.stdout.destroy();
    child.stdin.end(ECPAY_INPUT);
    expect(await closed).toEqual({ code: 141, signal: null });
    expect(stderr).toBe('');
  });

  it('ends a running simulator quietly with 141 once its log line finds no reader', async () => {
    const { child, match, output } = await startBinary(
      ['simulate', '--port', '0'],
      /listening on (http:\S+)/,
    );
    child.stdout?.destroy();
    // A request makes it print a log line into the closed pipe.
    await fetch(`${match[1]}/_sim/log`).catch(() => undefined);
    expect(await exitOf(child)).toEqual({ code: 141, signal: null });
    expect(output().stderr).toBe('');
  });

  it('through a shell pipeline into head -c1: one byte out, no stack on stderr', async () => {
    const result = await new Promise<{ out: string; err: string; code: number | null }>((resolve) => {
      const sh = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" send --help | head -c1; echo " $?"`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      sh.stdout.setEncoding('utf8').on('data', (c: string) => {
        out += c;
      });
      sh.stderr.setEncoding('utf8').on('data', (c: string) => {
        err += c;
      });
      sh.on('close', (code) => resolve({ out, err, code }));
    });
    expect(result.out).toBe('U 0\n');
    expect(result.err).toBe('');
  });
});

describe('key files are read bounded, regular files only', () => {
  it('sign: {"privateKey":"/dev/zero"} is refused at once, not read without end', async () => {
    const input = JSON.stringify({
      method: 'POST',
      uri: '/requestOrder',
      body: '{}',
      appId: 'tt1',
      keyVersion: '1',
      privateKey: '/dev/zero',
    });
    const r = await runBinary(['sign', 'trade-request'], { input });
    expectRefused(r, /^ttpay: sign trade-request: the "privateKey" file is not a regular file\./);
  });

  it('verify: a directory and a file over 64 KiB as publicKey are refused', async () => {
    const big = join(dir, 'big.pem');
    writeFileSync(big, `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(70 * 1024)}\n-----END PUBLIC KEY-----\n`);
    for (const [path, message] of [
      [dir, /the "publicKey" file is not a regular file/],
      [big, /the "publicKey" file is larger than 64 KiB/],
    ] as const) {
      const input = JSON.stringify({
        method: 'POST',
        uri: '/x',
        body: '',
        byteAuthorization: 'x',
        publicKey: path,
      });
      expectRefused(await runBinary(['verify', 'trade-request'], { input }), message);
    }
  });

  it('send: --private-key /dev/zero is refused at once', async () => {
    const r = await runBinary([
      'send',
      'trade.payment',
      '--to',
      'http://127.0.0.1:9/notify',
      '--private-key',
      '/dev/zero',
    ]);
    expectRefused(r, /^ttpay: --private-key file is not a regular file\./);
  });
});

describe('the input is bounded', () => {
  it('600 MB on stdin: exit 2 with a one-line message, after reading little more than 1 MiB', async () => {
    const child = spawn(process.execPath, [BIN, 'sign', 'ecpay-request'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const closed = closeOf(child);
    const mib = Buffer.alloc(1024 * 1024, 0x20);
    let written = 0;
    const feed = pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < 600; i++) {
            written += mib.length;
            yield mib;
          }
        })(),
      ),
      child.stdin,
    ).catch((error: NodeJS.ErrnoException) => error.code);
    expect(await closed).toEqual({ code: 2, signal: null });
    expect(stdout).toBe('');
    expect(stderr).toBe('ttpay: the input on stdin is larger than 1 MiB.\n');
    // The writer was cut off (EPIPE) long before 600 MB went through.
    expect(await feed).toBe('EPIPE');
    expect(written).toBeLessThan(600 * 1024 * 1024);
  });

  it('--file: /dev/zero and a file over 1 MiB are refused', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, `{"salt":"${'s'.repeat(1024 * 1024)}"}`);
    expectRefused(
      await runBinary(['sign', 'ecpay-request', '--file', '/dev/zero']),
      /^ttpay: --file \/dev\/zero is not a regular file\.\n$/,
      {
        oneLine: true,
      },
    );
    expectRefused(await runBinary(['sign', 'ecpay-request', '--file', big]), /is larger than 1 MiB\.\n$/, {
      oneLine: true,
    });
  });
});

describe('the input must be UTF-8', () => {
  it('invalid bytes on stdin are refused (exit 2), never signed as U+FFFD', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"params":{"out_order_no":"o'),
      Buffer.from([0xff]),
      Buffer.from('","total_amount":100},"salt":"my_salt"}'),
    ]);
    expectRefused(
      await runBinary(['sign', 'ecpay-request'], { input: bytes }),
      /^ttpay: the input on stdin is not valid UTF-8 \(near byte 28\)\.\n$/,
      {
        oneLine: true,
      },
    );
    // The same text with a real U+FFFD is valid input, and is signed.
    const replaced = await runBinary(['sign', 'ecpay-request'], { input: bytes.toString('utf8') });
    expect(replaced.code).toBe(0);
  });

  it('a truncated character in --file is refused', async () => {
    const file = join(dir, 'truncated.json');
    writeFileSync(file, Buffer.concat([Buffer.from(ECPAY_INPUT.slice(0, -2)), Buffer.from([0xe4, 0xb8])]));
    expectRefused(await runBinary(['sign', 'ecpay-request', '--file', file]), /is not valid UTF-8/, {
      oneLine: true,
    });
  });

  it('an argument with invalid UTF-8 (send --data) is refused', async () => {
    const r = await new Promise<BinaryResult>((resolve) => {
      const sh = spawn(
        'sh',
        [
          '-c',
          `exec "${process.execPath}" "${BIN}" send ecpay.payment --to http://127.0.0.1:9/n --data "$(printf '{"cp_orderno":"o\\377"}')"`,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      sh.stdout.setEncoding('utf8').on('data', (c: string) => {
        stdout += c;
      });
      sh.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
      });
      sh.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    expectRefused(r, /^ttpay: --data is not valid UTF-8/);
  });
});

describe('--timeout says what is wrong with it', () => {
  it.each([
    [
      ['--timeout', '-5'],
      /^ttpay: --timeout must be a whole number from 1 to 600000 \(milliseconds\); "-5" is below 1\./,
    ],
    [['--timeout=-5'], /"-5" is below 1\./],
    [['--timeout', '0'], /"0" is below 1\./],
    [['--timeout', 'abc'], /"abc" is not a whole number\./],
    [['--timeout', '1.5'], /"1.5" is not a whole number\./],
    [['--timeout', '600001'], /"600001" is above 600000\./],
    [['--timeout'], /^ttpay: option --timeout needs a value\./],
  ])('send %j', async (args, message) => {
    const r = await runBinary(['send', 'ecpay.payment', '--to', 'http://127.0.0.1:9/n', ...args]);
    expectRefused(r, message);
  });

  it('a valid --timeout is used: an app that never answers is reported after it', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const r = await runBinary([
        'send',
        'ecpay.payment',
        '--to',
        `http://127.0.0.1:${port}/n`,
        '--timeout',
        '1000',
      ]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('no reply within 1000 ms');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe('help texts after the package split', () => {
  it('simulate --help names @ttpay/simulator as its home, and @ttpay/testing only for the credentials', async () => {
    const r = await runBinary(['simulate', '--help']);
    expect(r.stdout).toContain('simulator of @ttpay/simulator');
    expect(r.stdout).not.toMatch(/@ttpay\/testing simulator/);
    for (const line of r.stdout.split('\n').filter((l) => l.includes('@ttpay/testing'))) {
      expect(line).toMatch(/demoCredentials in @ttpay\/testing/);
    }
    // What it says of the credentials is true: @ttpay/testing exports them.
    expect(demoCredentials.douyin.appId).toBeTypeOf('string');
  });
});
