import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built `ttpay` binary: these tests run what users run (the root `pnpm test` builds first). */
export const BIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const SRC_DIR = fileURLToPath(new URL('../src/', import.meta.url));
/** `tsc -b` touches this on every build, while it re-emits only the .js files whose source changed. */
const BUILD_INFO = fileURLToPath(new URL('../tsconfig.tsbuildinfo', import.meta.url));

/** Fails with a clear message when dist/ is missing or older than src/. */
export function assertBinaryBuilt(): void {
  if (!existsSync(BIN) || !existsSync(BUILD_INFO)) {
    throw new Error(`${BIN} does not exist: run \`pnpm build\` first (the root \`pnpm test\` does).`);
  }
  const built = statSync(BUILD_INFO).mtimeMs;
  const stale = readdirSync(SRC_DIR, { recursive: true, encoding: 'utf8' }).find(
    (file) => file.endsWith('.ts') && statSync(`${SRC_DIR}${file}`).mtimeMs > built,
  );
  if (stale) throw new Error(`dist/ is older than src/${stale}: run \`pnpm build\` first.`);
}

export interface BinaryResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli/main.js ...args` with `input` on stdin and collects everything it prints. */
export function runBinary(
  args: string[],
  opts: { input?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<BinaryResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Starts the binary and resolves once its stdout matches `pattern` (for long-running commands). */
export function startBinary(
  args: string[],
  pattern: RegExp,
  timeoutMs = 15_000,
): Promise<{
  child: ChildProcess;
  match: RegExpMatchArray;
  output: () => { stdout: string; stderr: string };
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const output = () => ({ stdout, stderr });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ttpay ${args.join(' ')} printed nothing matching ${pattern}:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = stdout.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, output });
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ttpay ${args.join(' ')} exited (${code}) early:\n${stdout}\n${stderr}`));
    });
  });
}

/** Resolves with the exit code (or signal) of a started child. */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export function parseJson(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}
