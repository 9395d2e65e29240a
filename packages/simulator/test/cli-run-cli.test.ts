import { Readable } from 'node:stream';
import { signAlgoVoiWebhook } from '@ttpay/core';
import { demoCredentials, signedEcpayCallback, withBadSignature } from '@ttpay/testing';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.js';
import { runCli } from '../src/cli/run-cli.js';

/** runCli with captured output: the commands are plain async functions as well as a binary. */
function io(stdin: CliIo['stdin'] = '', extra: Partial<CliIo> = {}) {
  const out = { stdout: '', stderr: '' };
  const cli: CliIo = {
    stdin,
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    ...extra,
  };
  return { cli, out };
}

describe('runCli(argv, io) → exit code', () => {
  it('signs from a string stdin', async () => {
    const { cli, out } = io(JSON.stringify({ rawBody: '{"a":1}', secret: 's3cret' }));
    expect(await runCli(['sign', 'algovoi-webhook'], cli)).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ signature: signAlgoVoiWebhook('{"a":1}', 's3cret') });
    expect(out.stdout + out.stderr).not.toContain('s3cret');
  });

  it('reads a streamed stdin in chunks', async () => {
    const d = signedEcpayCallback({ type: 'payment' });
    const text = JSON.stringify({ body: d.rawBody, token: demoCredentials.douyin.token });
    const chunks = [text.slice(0, 10), Buffer.from(text.slice(10))];
    const { cli, out } = io(Readable.from(chunks));
    expect(await runCli(['verify', 'ecpay-callback'], cli)).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ valid: true, event: { type: 'payment' } });
  });

  it('verify failure is exit 1 with the core error code on stdout', async () => {
    const d = withBadSignature(signedEcpayCallback({ type: 'settle' }));
    const { cli, out } = io(JSON.stringify({ body: d.rawBody, token: demoCredentials.douyin.token }));
    expect(await runCli(['verify', 'ecpay-callback'], cli)).toBe(1);
    expect(JSON.parse(out.stdout)).toMatchObject({ valid: false, code: 'SIGNATURE_MISMATCH' });
    expect(out.stderr).toBe('');
  });

  it('a secret core refuses (empty) is bad input, exit 2 — not "invalid signature"', async () => {
    const { cli, out } = io(JSON.stringify({ rawBody: '{}', signature: 'x', secret: [] }));
    expect(await runCli(['verify', 'algovoi-webhook'], cli)).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/"secret"/);
  });

  it('refuses to wait for JSON on an interactive terminal', async () => {
    const tty = Object.assign(Readable.from([]), { isTTY: true });
    const { cli, out } = io(tty);
    expect(await runCli(['sign', 'ecpay-request'], cli)).toBe(2);
    expect(out.stderr).toMatch(/no input: pipe a JSON object on stdin or pass --file <path>/);
  });

  it('simulate serves until io.stop aborts, then closes and returns 0', async () => {
    const stop = new AbortController();
    const { cli, out } = io('', { stop: stop.signal });
    const running = runCli(['simulate', '--port', '0', '--time-scale', '0', '--quiet'], cli);
    await expect
      .poll(() => out.stdout, { timeout: 10_000 })
      .toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    const url = /listening on (\S+)/.exec(out.stdout)?.[1];
    const response = await fetch(`${url}/_sim/log`);
    expect(response.status).toBe(200);
    stop.abort();
    expect(await running).toBe(0);
    expect(out.stdout).toMatch(/stopped\.\n$/);
    await expect(fetch(`${url}/_sim/log`)).rejects.toThrow();
  });
});
