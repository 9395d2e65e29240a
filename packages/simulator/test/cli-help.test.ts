import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBinaryBuilt, runBinary } from './cli-binary.js';

const COMMANDS = ['sign', 'verify', 'send', 'simulate'];

beforeAll(() => assertBinaryBuilt());

describe('ttpay help and version', () => {
  it.each([[[]], [['--help']], [['-h']], [['help']]])('ttpay %j lists every command', async (args) => {
    const r = await runBinary(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ttpay <command>/);
    for (const command of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it.each(COMMANDS)('%s: --help, -h and ttpay help <command> print the same usage', async (command) => {
    const long = await runBinary([command, '--help']);
    expect(long.code).toBe(0);
    expect(long.stdout).toMatch(new RegExp(`^Usage: ttpay ${command}`));
    expect(long.stdout).toMatch(/Exit codes:/);
    const short = await runBinary([command, '-h']);
    const viaHelp = await runBinary(['help', command]);
    expect(short.stdout).toBe(long.stdout);
    expect(viaHelp.stdout).toBe(long.stdout);
  });

  it('sign and verify --help list every scheme with its input', async () => {
    for (const command of ['sign', 'verify']) {
      const r = await runBinary([command, '--help']);
      for (const scheme of [
        'ecpay-request',
        'ecpay-callback',
        'trade-request',
        'trade-callback',
        'tiktok-webhook',
        'tiktok-request',
        'algovoi-webhook',
      ]) {
        expect(r.stdout).toContain(`  ${scheme} `);
      }
    }
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-v']) {
      const r = await runBinary([flag]);
      expect([r.code, r.stdout]).toEqual([0, `${pkg.version}\n`]);
    }
  });
});

describe('usage errors exit 2 with a hint', () => {
  it.each([
    [['deploy'], /unknown command "deploy"/, "Run 'ttpay --help' for usage."],
    [['--verbose'], /unknown option --verbose/, "Run 'ttpay --help' for usage."],
    [['help', 'deploy'], /no help for "deploy"/, "Run 'ttpay --help' for usage."],
    [
      ['sign', 'ecpay-request', '--pretty'],
      /unknown option --pretty for 'ttpay sign'/,
      "Run 'ttpay sign --help'",
    ],
    [['verify', '--file'], /option --file needs a value/, "Run 'ttpay verify --help'"],
    [
      ['send', 'ecpay.payment', '--app-secret=s3cret', '--nope=s3cret'],
      /unknown option --nope/,
      "Run 'ttpay send --help'",
    ],
    [['simulate', '--port', 'eighty'], /--port must be a whole number/, "Run 'ttpay simulate --help'"],
    [['simulate', 'now'], /takes no arguments/, "Run 'ttpay simulate --help'"],
  ])('ttpay %j', async (args, message, hint) => {
    const r = await runBinary(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(hint);
    expect(r.stderr).not.toContain('s3cret');
  });
});
