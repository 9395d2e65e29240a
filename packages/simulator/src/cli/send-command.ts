import { resolve } from 'node:path';
import { TIKTOK_WEBHOOK_TYPES } from '@ttpay/core/internal';
import {
  demoCredentials,
  type ecpayMsg,
  reserialised,
  type SignedDelivery,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
  tampered,
  truncated,
  withBadSignature,
  withoutSignature,
} from '@ttpay/testing';
import { describeFetchFailure } from '../simulator/fetch-failure.js';
import { integerOption, onePositional, parseCommandArgs, refuseReplacementCharacters } from './args.js';
import { InputProblem, MAX_KEY_FILE_BYTES, readRegularFile } from './bounded-input.js';
import type { Command } from './command.js';
import {
  type CliIo,
  EXIT_FAILED,
  EXIT_OK,
  type ExitCode,
  errorCode,
  helpHint,
  parseJsonObject,
  reportError,
  UsageError,
  writeJson,
  writeLine,
} from './io.js';

type Platform = 'douyin' | 'tiktok' | 'algovoi';
type DouyinCallbackType = Parameters<typeof ecpayMsg>[0];

const DOUYIN_TYPES: readonly DouyinCallbackType[] = ['payment', 'refund', 'settle'];

/** The business id a delivery carries, per event family, so the output can be matched to the app's log. */
const REF_FIELDS = {
  ecpay: { payment: 'cp_orderno', refund: 'cp_refundno', settle: 'cp_settle_no' },
  trade: { payment: 'out_order_no', refund: 'out_refund_no', settle: 'out_settle_no' },
} as const;

const BROKEN: Record<string, (d: SignedDelivery) => SignedDelivery> = {
  'bad-signature': withBadSignature,
  'no-signature': withoutSignature,
  truncated: (d) => truncated(d),
  tampered: (d) => tampered(d),
  reserialised,
};

const TIKTOK_NAMES = Object.entries(TIKTOK_WEBHOOK_TYPES).map(
  ([type, name]) => [Number(type), name.toLowerCase().replaceAll('_', '-')] as const,
);

const MAX_PRINTED_BODY = 2000;

interface SendOptions {
  data: Record<string, unknown> | undefined;
  token: string | undefined;
  appKey: string | undefined;
  appSecret: string | undefined;
  secret: string | undefined;
  privateKey: string | undefined;
}

interface BuiltDelivery {
  platform: Platform;
  delivery: SignedDelivery;
  /** `cp_orderno=…`, `tts_notification_id=…`: what the app will record. */
  ref: string;
}

interface Attempt {
  status: number;
  body: string;
  acknowledged: boolean;
  /** Set when no HTTP reply came back (connection refused, timeout). */
  error?: string;
}

export const sendCommand: Command = {
  name: 'send',
  summary: 'fire a signed callback/webhook at a running app and print its reply',
  help: `Usage: ttpay send <event> --to <url> [options]

Builds a correctly signed delivery with the @ttpay/testing fixtures (demo credentials unless
given), POSTs it to your app, and prints each reply's status and body.

Events:
  ecpay.payment  ecpay.refund  ecpay.settle      Douyin ecpay callbacks (SHA-1 msg_signature)
  trade.payment  trade.refund  trade.settle      Douyin trade-system callbacks (RSA Byte-Signature)
  tiktok.<type>                                  TikTok Shop webhook, by number or name:
${tikTokTypeList()}
  algovoi.paid                                   AlgoVoi gateway payment.confirmed webhook

Options:
  --to <url>              where to POST (required), e.g. http://127.0.0.1:3000/douyin/notify
  --data <json>           JSON object merged over the fixture's msg (Douyin) or data (TikTok, AlgoVoi)
  --times <n>             send the same bytes n times, one after another, to test de-duplication (default 1)
  --concurrency <n>       send n copies of the same bytes at once, to reproduce in-flight races (default 1);
                          with --times, n at once, that many times over
  --broken <variant>      send a broken variant: bad-signature, no-signature, truncated, tampered, reserialised
  --token <token>         ecpay callback token (default: the demo token)
  --private-key <file>    platform private key (PEM file) for trade.* (default: the demo platform key)
  --app-key <key>         TikTok Shop app key (default: the demo app key)
  --app-secret <secret>   TikTok Shop app secret (default: the demo app secret)
  --secret <secret>       AlgoVoi webhook secret (default: the demo secret)
  --timeout <ms>          milliseconds to wait for each reply, 1 to 600000 (default 10000)
  --via-simulator <url>   have the running simulator (e.g. http://127.0.0.1:4010) send these exact bytes,
                          so the delivery and its replies show in its dashboard's journal
  --json                  print one JSON object instead of text
  -h, --help              show this help

Exit codes: 0 every reply acknowledged (Douyin: HTTP 200 with err_no 0; TikTok, AlgoVoi: 2xx);
1 some reply did not (or the app could not be reached); 2 bad input.
With --concurrency above 1, duplicates in flight are expected to be told to retry later: 0 when every
copy got a reply, at least one of each burst was acknowledged and the others were acknowledged or
answered 409, 429 or 503; 1 otherwise (a copy got no reply, none was acknowledged, or one failed).
Note: a re-serialised ecpay callback still verifies (its signature covers the msg string, not the
body bytes), so "--broken reserialised" is expected to be acknowledged for ecpay.* events.

Examples:
  ttpay send ecpay.payment --to http://127.0.0.1:3000/douyin/notify --data '{"cp_orderno":"order_1"}'
  ttpay send tiktok.order-status-change --to http://127.0.0.1:3000/tiktok/webhook --times 3
  ttpay send trade.payment --to http://127.0.0.1:3000/douyin/notify --concurrency 10
  ttpay send algovoi.paid --to http://127.0.0.1:3000/algovoi/webhook --broken bad-signature
`,
  async run(argv, io): Promise<ExitCode> {
    try {
      const { values, positionals } = parseCommandArgs('send', argv, {
        to: { type: 'string' },
        data: { type: 'string' },
        times: { type: 'string' },
        concurrency: { type: 'string' },
        broken: { type: 'string' },
        token: { type: 'string' },
        'private-key': { type: 'string' },
        'app-key': { type: 'string' },
        'app-secret': { type: 'string' },
        secret: { type: 'string' },
        timeout: { type: 'string' },
        'via-simulator': { type: 'string' },
        json: { type: 'boolean' },
      });
      if (values.help) {
        io.stdout.write(sendCommand.help);
        return EXIT_OK;
      }
      refuseReplacementCharacters('send', values);
      const event = onePositional('send', positionals, 'event');
      if (event === undefined)
        throw new UsageError("'ttpay send' needs an event, e.g. ecpay.payment.", helpHint('send'));
      const url = targetUrl(values.to);
      const times = integerOption('send', 'times', values.times, { min: 1, max: 1000, fallback: 1 });
      const concurrency = integerOption('send', 'concurrency', values.concurrency, {
        min: 1,
        max: 1000,
        fallback: 1,
      });
      const timeoutMs = integerOption('send', 'timeout', values.timeout, {
        min: 1,
        max: 600_000,
        fallback: 10_000,
        unit: 'milliseconds',
      });
      const broken = brokenVariant(values.broken);
      const simulator = simulatorUrl(values['via-simulator']);
      const built = buildDelivery(
        event,
        {
          data: values.data === undefined ? undefined : parseJsonObject(values.data, '--data', 'send'),
          token: values.token,
          appKey: values['app-key'],
          appSecret: values['app-secret'],
          secret: values.secret,
          privateKey: values['private-key'],
        },
        io,
      );
      const delivery = broken ? broken(built.delivery) : built.delivery;

      if (!values.json) {
        const variant = values.broken ? ` (broken: ${values.broken})` : '';
        const copies = concurrency > 1 ? ` (${concurrency} copies at once)` : '';
        writeLine(io.stdout, `${event} ${built.ref}${variant} -> POST ${url}${copies}`);
      }
      const bursts: Attempt[][] = [];
      const print = (burst: Attempt[]) => {
        if (!values.json) {
          for (const [j, attempt] of burst.entries()) {
            writeLine(io.stdout, describeAttempt(bursts.length * concurrency + j + 1, attempt));
          }
        }
        bursts.push(burst);
      };
      let journal: { simulator: string; delivery: number } | undefined;
      if (simulator !== undefined) {
        // The simulator sends the same bytes and journals them: they show on its dashboard.
        const sent = await sendViaSimulator(simulator, url, built.platform, delivery, {
          copies: concurrency,
          times,
          timeoutMs,
        });
        for (const burst of sent.bursts) print(burst);
        journal = { simulator: sent.dashboard, delivery: sent.id };
      } else {
        for (let i = 1; i <= times; i++) {
          // Every copy's request is started before any reply is awaited: they race in the app.
          print(
            await Promise.all(
              Array.from({ length: concurrency }, () => post(url, delivery, built.platform, timeoutMs)),
            ),
          );
        }
      }
      const attempts = bursts.flat();
      const acknowledged = attempts.every((a) => a.acknowledged);
      const problem = concurrency > 1 ? raceProblem(bursts) : undefined;
      const ok = concurrency > 1 ? problem === undefined : acknowledged;
      if (values.json) {
        writeJson(io.stdout, {
          event,
          ref: built.ref,
          url,
          acknowledged,
          ...(attempts.length > 1 ? { statuses: statusCounts(attempts) } : {}),
          ...(concurrency > 1 ? { concurrency, ok } : {}),
          ...(journal ? { journal } : {}),
          responses: attempts,
        });
      } else {
        if (journal)
          writeLine(io.stdout, `journaled as delivery #${journal.delivery} on ${journal.simulator}`);
        if (attempts.length > 1) writeLine(io.stdout, `replies: ${statusSummary(attempts)}`);
        if (problem !== undefined) writeLine(io.stdout, problem);
        else if (concurrency === 1 && !acknowledged) {
          const failed = attempts.filter((a) => !a.acknowledged).length;
          writeLine(io.stdout, `${failed} of ${attempts.length} not acknowledged`);
        }
      }
      return ok ? EXIT_OK : EXIT_FAILED;
    } catch (error) {
      return reportError(io, error);
    }
  },
};

function buildDelivery(event: string, opts: SendOptions, io: CliIo): BuiltDelivery {
  const dot = event.indexOf('.');
  const family = dot < 0 ? event : event.slice(0, dot);
  const kind = dot < 0 ? '' : event.slice(dot + 1);
  const only = (allowed: (keyof SendOptions)[]) => rejectOtherCredentials(event, opts, allowed);

  if ((family === 'ecpay' || family === 'trade') && isDouyinType(kind)) {
    const refField = REF_FIELDS[family][kind];
    if (family === 'ecpay') {
      only(['token']);
      const delivery = signedEcpayCallback({
        type: kind,
        ...(opts.data ? { msg: opts.data } : {}),
        ...(opts.token === undefined ? {} : { token: opts.token }),
      });
      return { platform: 'douyin', delivery, ref: refOf(delivery, refField) };
    }
    only(['privateKey']);
    const delivery = signedTradeCallback({
      type: kind,
      ...(opts.data ? { msg: opts.data } : {}),
      ...(opts.privateKey !== undefined ? { platformPrivateKey: readKeyFile(opts.privateKey, io) } : {}),
    });
    return { platform: 'douyin', delivery, ref: refOf(delivery, refField) };
  }
  if (family === 'tiktok' && kind !== '') {
    only(['appKey', 'appSecret']);
    const type = tikTokType(kind);
    const delivery = signedTikTokWebhook({
      type,
      ...(opts.data ? { data: opts.data } : {}),
      appKey: opts.appKey ?? demoCredentials.tiktok.appKey,
      appSecret: opts.appSecret ?? demoCredentials.tiktok.appSecret,
    });
    return { platform: 'tiktok', delivery, ref: refOf(delivery, 'tts_notification_id') };
  }
  if (event === 'algovoi.paid') {
    only(['secret']);
    const delivery = signedAlgoVoiWebhook({
      ...(opts.data ? { data: opts.data } : {}),
      ...(opts.secret === undefined ? {} : { secret: opts.secret }),
    });
    const data = (JSON.parse(delivery.rawBody) as { data?: { payment_link_token?: unknown } }).data;
    return {
      platform: 'algovoi',
      delivery,
      ref: `payment_link_token=${String(data?.payment_link_token ?? '?')}`,
    };
  }
  throw new UsageError(
    `unknown event "${event}". Events: ecpay.{payment,refund,settle}, trade.{payment,refund,settle}, tiktok.<type number or name>, algovoi.paid.`,
    helpHint('send'),
  );
}

function isDouyinType(kind: string): kind is DouyinCallbackType {
  return (DOUYIN_TYPES as readonly string[]).includes(kind);
}

/** `1`, `order-status-change`, `ORDER_STATUS_CHANGE`; an unknown number is sent as it is. */
function tikTokType(kind: string): number {
  if (/^\d{1,6}$/.test(kind) && Number(kind) > 0) return Number(kind);
  const wanted = kind.toLowerCase().replaceAll('_', '-');
  const found = TIKTOK_NAMES.find(([, name]) => name === wanted);
  if (found) return found[0];
  throw new UsageError(
    `unknown TikTok Shop webhook type "${kind}": use a type number or one of ${TIKTOK_NAMES.map(([, n]) => n).join(', ')}.`,
    helpHint('send'),
  );
}

const CREDENTIAL_FLAGS: Record<Exclude<keyof SendOptions, 'data'>, string> = {
  token: '--token',
  privateKey: '--private-key',
  appKey: '--app-key',
  appSecret: '--app-secret',
  secret: '--secret',
};

/** A credential meant for another platform would be silently ignored: say so instead. */
function rejectOtherCredentials(event: string, opts: SendOptions, allowed: (keyof SendOptions)[]): void {
  for (const [field, flag] of Object.entries(CREDENTIAL_FLAGS)) {
    if (opts[field as keyof SendOptions] !== undefined && !allowed.includes(field as keyof SendOptions)) {
      throw new UsageError(`${flag} does not apply to ${event}.`, helpHint('send'));
    }
  }
}

function readKeyFile(path: string, io: CliIo): string | Buffer {
  if (path.includes('-----BEGIN')) return path;
  try {
    // Bounded, regular files only: a path such as /dev/zero is refused, not read without end.
    return readRegularFile(resolve(io.cwd ?? process.cwd(), path), MAX_KEY_FILE_BYTES, '--private-key file');
  } catch (error) {
    if (error instanceof InputProblem) throw new UsageError(error.message, helpHint('send'));
    throw error;
  }
}

function targetUrl(to: string | undefined): string {
  if (to === undefined) {
    throw new UsageError('--to <url> is required: where your app receives the delivery.', helpHint('send'));
  }
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new UsageError(
      `--to must be an absolute http(s) URL, e.g. http://127.0.0.1:3000/douyin/notify.`,
      helpHint('send'),
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError('--to must be an http(s) URL.', helpHint('send'));
  }
  return url.href;
}

function brokenVariant(name: string | undefined): ((d: SignedDelivery) => SignedDelivery) | undefined {
  if (name === undefined) return undefined;
  const variant = Object.hasOwn(BROKEN, name) ? BROKEN[name] : undefined;
  if (!variant) {
    throw new UsageError(
      `unknown --broken variant "${name}". Variants: ${Object.keys(BROKEN).join(', ')}.`,
      helpHint('send'),
    );
  }
  return variant;
}

/** `field=value` from the body (or the Douyin `msg` inside it). */
function refOf(delivery: SignedDelivery, field: string): string {
  try {
    const body = JSON.parse(delivery.rawBody) as Record<string, unknown>;
    const source = typeof body.msg === 'string' ? (JSON.parse(body.msg) as Record<string, unknown>) : body;
    const value = source[field];
    return typeof value === 'string' || typeof value === 'number' ? `${field}=${value}` : `${field}=?`;
  } catch {
    return `${field}=?`;
  }
}

/** `--via-simulator`: the simulator's base URL (its origin). */
function simulatorUrl(value: string | undefined): URL | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return new URL(url.origin);
  } catch {
    // reported below
  }
  throw new UsageError(
    "--via-simulator must be the simulator's URL, e.g. http://127.0.0.1:4010 (ttpay simulate prints it).",
    helpHint('send'),
  );
}

/**
 * Hands the delivery to the simulator (`POST /_sim/api/deliveries`), which sends the same bytes, journals
 * every request and reply, and answers them per burst. Failing to reach it is exit 1, with what to check.
 */
async function sendViaSimulator(
  simulator: URL,
  url: string,
  platform: Platform,
  delivery: SignedDelivery,
  opts: { copies: number; times: number; timeoutMs: number },
): Promise<{ id: number; dashboard: string; bursts: Attempt[][] }> {
  const where = simulator.origin;
  let response: Response;
  try {
    response = await fetch(new URL('/_sim/api/deliveries', simulator), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        platform,
        url,
        headers: delivery.headers,
        body_base64: delivery.body.toString('base64'),
        copies: opts.copies,
        times: opts.times,
        timeout_ms: opts.timeoutMs,
      }),
      redirect: 'manual',
    });
  } catch (error) {
    const { code } = describeFetchFailure(error, opts.timeoutMs);
    throw new Error(
      `could not reach the simulator at ${where} (${code}): is \`ttpay simulate\` running there?`,
    );
  }
  const text = await response.text();
  const reply = parseReply(text);
  if (response.status !== 200 || !reply) {
    const said =
      reply && typeof reply.error === 'string' ? ` ${reply.error}: ${String(reply.message ?? '')}` : '';
    throw new Error(`the simulator at ${where} refused the delivery: ${response.status}${said}`);
  }
  const bursts = (reply.bursts as { status: number; body: string; error?: string }[][]).map((burst) =>
    burst.map((r): Attempt => {
      if (r.status === 0) {
        const why =
          r.error === 'TIMEOUT'
            ? `no reply within ${opts.timeoutMs} ms`
            : `could not reach the app (${r.error ?? 'network error'})`;
        return { status: 0, body: '', acknowledged: false, error: why };
      }
      return { status: r.status, body: r.body, acknowledged: isAcknowledged(platform, r.status, r.body) };
    }),
  );
  return { id: Number(reply.id), dashboard: `${where}/_sim/`, bursts };
}

function parseReply(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

async function post(
  url: string,
  delivery: SignedDelivery,
  platform: Platform,
  timeoutMs: number,
): Promise<Attempt> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    return { status: response.status, body, acknowledged: isAcknowledged(platform, response.status, body) };
  } catch (error) {
    return { status: 0, body: '', acknowledged: false, error: fetchFailure(error, timeoutMs) };
  }
}

/** What each platform takes as "delivered" (docs/PROTOCOLS.md §1.3, §3, §4). */
function isAcknowledged(platform: Platform, status: number, body: string): boolean {
  if (platform !== 'douyin') return status >= 200 && status < 300;
  if (status !== 200) return false;
  try {
    const reply = JSON.parse(body) as { err_no?: unknown } | null;
    return reply?.err_no === 0;
  } catch {
    return false;
  }
}

function fetchFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no reply within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? error.cause : undefined;
  const code = errorCode(cause);
  // undici's causes carry a code (ECONNREFUSED, ENOTFOUND) or a short reason ("bad port").
  const reason = code !== 'unreadable' ? code : cause instanceof Error ? cause.message : 'network error';
  return `could not reach the app (${reason})`;
}

/** The answers that tell a platform "a duplicate is being processed, retry later" (ttpay: 503 or 409). */
const RETRY_LATER = new Set([409, 429, 503]);

/**
 * What went wrong with copies fired at once, or undefined when the app behaved: each burst has an
 * acknowledgement and every other copy was acknowledged too or told to retry later.
 */
function raceProblem(bursts: readonly (readonly Attempt[])[]): string | undefined {
  const attempts = bursts.flat();
  const unanswered = attempts.filter((a) => a.error !== undefined).length;
  if (unanswered > 0) return `${unanswered} of ${attempts.length} copies got no reply`;
  const unacknowledged = bursts.filter((burst) => !burst.some((a) => a.acknowledged)).length;
  if (unacknowledged > 0) {
    return bursts.length === 1
      ? `none of the ${attempts.length} copies was acknowledged`
      : `${unacknowledged} of ${bursts.length} bursts had no acknowledged copy`;
  }
  const failed = attempts.filter((a) => !a.acknowledged && !RETRY_LATER.has(a.status)).length;
  if (failed > 0) {
    return `${failed} of ${attempts.length} copies were neither acknowledged nor told to retry later (409, 429 or 503)`;
  }
  return undefined;
}

/** `{"200": 1, "503": 9}`; copies with no reply count under "no reply". */
function statusCounts(attempts: readonly Attempt[]): Record<string, number> {
  const counts = new Map<number, number>();
  for (const a of attempts) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  return Object.fromEntries(
    [...counts.entries()]
      .sort(([x], [y]) => x - y)
      .map(([status, n]) => [status === 0 ? 'no reply' : String(status), n]),
  );
}

/** `200 ×1, 503 ×9` */
function statusSummary(attempts: readonly Attempt[]): string {
  return Object.entries(statusCounts(attempts))
    .map(([status, n]) => `${status} ×${n}`)
    .join(', ');
}

function describeAttempt(n: number, a: Attempt): string {
  if (a.error) return `  [${n}] ${a.error}  NOT acknowledged`;
  const body =
    a.body.length > MAX_PRINTED_BODY
      ? `${a.body.slice(0, MAX_PRINTED_BODY)}… (${a.body.length} chars)`
      : a.body;
  return `  [${n}] ${a.status} ${body || '(empty body)'}  ${a.acknowledged ? 'acknowledged' : 'NOT acknowledged'}`;
}

function tikTokTypeList(): string {
  return TIKTOK_NAMES.map(([type, name]) => `${''.padEnd(49)}${String(type).padStart(2)} ${name}`).join('\n');
}
