import { sign, verify } from 'node:crypto';
import { TtpayError } from '../errors.js';
import { tradePaymentKey, tradeRefundKey, tradeSettleKey } from '../event-keys.js';
import type {
  TradeEvent,
  TradePaymentMsg,
  TradeRefundApplicationMsg,
  TradeRefundMsg,
  TradeSettleMsg,
} from '../events.js';
import { digestKey } from '../idempotency.js';
import { decodeCanonicalBase64 } from '../shared/base64.js';
import { type HeaderMap, headerValue } from '../shared/headers.js';
import { firstString, parseJsonObject, requireInteger, requireString } from '../shared/json.js';
import { type KeyLike, toPrivateKey, toPublicKey } from '../shared/key-like.js';
import { type RawBody, rawBodyToBuffer, utf8Text } from '../shared/raw-body.js';
import type { ParsedBody, SignedRequest } from '../shared/signed-request.js';

export interface VerifyTradeCallbackOptions {
  /** The platform public key(s) from the console; several during rotation. */
  publicKey: KeyLike | readonly KeyLike[];
  /**
   * How far `Byte-Timestamp` may be from this server's clock, either way, in seconds. Default
   * {@link DEFAULT_TRADE_TOLERANCE_SECONDS} (73 hours): wide enough for every documented retry.
   */
  toleranceSeconds?: number;
  /** Clock in milliseconds. Default `Date.now`. */
  now?: () => number;
}

/**
 * The default `Byte-Timestamp` window: 73 hours. Whether a retried trade callback carries a fresh
 * timestamp is undocumented, and the longest documented retry span of a trade callback is the refund
 * application's — every 10 minutes for 72 hours (docs/PROTOCOLS.md §2.3, §2.5) — so a narrower default
 * could refuse a documented retry and lose it. The trade-off, as for ecpay (no age limit by default): the
 * window is not what makes a replay harmless — the RSA signature proves the platform sent exactly these
 * bytes, and the idempotency store answers a replay of a handled callback as a duplicate. The window only
 * bounds how old a captured callback may be; keep handled keys (`doneTtlMs`) at least as long (the Douyin
 * endpoint does by default). A narrower `toleranceSeconds` is an opt-in for shops that reconcile.
 */
export const DEFAULT_TRADE_TOLERANCE_SECONDS = 73 * 3600;

/** `<Byte-Timestamp>\n<Byte-Nonce-Str>\n<raw body>\n` (PROTOCOLS.md §2). */
export function tradeCallbackSigningBytes(timestamp: string, nonce: string, rawBody: RawBody): Buffer {
  return Buffer.concat([
    Buffer.from(`${timestamp}\n${nonce}\n`),
    rawBodyToBuffer(rawBody),
    Buffer.from('\n'),
  ]);
}

/**
 * Signs a trade-system callback as the platform does, with the platform private key — for tests and
 * the local simulator (real platform keys never leave ByteDance).
 */
export function signTradeCallback(
  r: { timestamp: string | number; nonce: string; rawBody: RawBody },
  platformPrivateKey: KeyLike,
): string {
  const data = tradeCallbackSigningBytes(String(r.timestamp), r.nonce, r.rawBody);
  return sign('sha256', data, toPrivateKey(platformPrivateKey)).toString('base64');
}

/** Does this body belong to the trade system? It carries `version` (PROTOCOLS.md §2, mixed systems). */
export function isTradeCallbackBody(body: Record<string, unknown>): boolean {
  return typeof body.version === 'string' && body.version.length > 0;
}

/**
 * Verifies a trade-system callback: RSA SHA-256 over `timestamp\nnonce\nraw body\n` with the platform
 * public key(s), then the timestamp window, then parses the event.
 */
export function verifyTradeCallback(request: SignedRequest, opts: VerifyTradeCallbackOptions): TradeEvent {
  const raw = rawBodyToBuffer(request?.rawBody);
  const headers = request?.headers ?? {};
  const signed = checkSignature(raw, headers, opts);
  const body = parseJsonObject(utf8Text(raw, 'The trade callback body'), 'The trade callback body');
  return tradeEventOf(body, signed, headers);
}

/** The engine's entry: the same checks on a body it has parsed from `body.raw` already. */
export function verifyTradeCallbackParsed(
  body: ParsedBody,
  headers: HeaderMap,
  opts: VerifyTradeCallbackOptions,
): TradeEvent {
  return tradeEventOf(body.json, checkSignature(body.raw, headers, opts), headers);
}

/** Checks key, headers, signature and clock; answers the signed timestamp and nonce. */
function checkSignature(
  raw: Buffer,
  headers: HeaderMap,
  opts: VerifyTradeCallbackOptions,
): { timestamp: string; nonce: string } {
  const keys = (Array.isArray(opts?.publicKey) ? opts.publicKey : [opts?.publicKey]) as unknown[];
  if (keys.length === 0 || keys.some((k) => k === undefined || k === null || k === '')) {
    throw new TtpayError('INVALID_ARGUMENT', 'publicKey is missing: configure the platform public key.');
  }
  const signature = headerValue(headers, 'Byte-Signature');
  if (!signature)
    throw new TtpayError('MISSING_SIGNATURE', 'The trade callback has no Byte-Signature header.');
  const timestamp = headerValue(headers, 'Byte-Timestamp');
  const nonce = headerValue(headers, 'Byte-Nonce-Str');
  if (!timestamp) throw new TtpayError('MISSING_FIELD', 'The trade callback has no Byte-Timestamp header.');
  if (!nonce) throw new TtpayError('MISSING_FIELD', 'The trade callback has no Byte-Nonce-Str header.');
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new TtpayError('MALFORMED_HEADER', 'Byte-Timestamp must be whole seconds.');
  }
  if (nonce.includes('\n')) {
    // The signed string is newline-separated: a newline in the nonce would make it ambiguous.
    throw new TtpayError('MALFORMED_HEADER', 'Byte-Nonce-Str must not contain a newline.');
  }
  const tolerance = opts.toleranceSeconds ?? DEFAULT_TRADE_TOLERANCE_SECONDS;
  if (typeof tolerance !== 'number' || !(tolerance >= 0)) {
    throw new TtpayError('INVALID_ARGUMENT', 'toleranceSeconds must be a non-negative number of seconds.');
  }

  const data = tradeCallbackSigningBytes(timestamp, nonce, raw);
  const sigBytes = decodeCanonicalBase64(signature);
  let verified = false;
  for (const key of keys as KeyLike[]) {
    if (sigBytes && verify('sha256', data, toPublicKey(key), sigBytes)) verified = true;
  }
  if (!verified) {
    throw new TtpayError(
      'SIGNATURE_MISMATCH',
      'The trade callback signature does not match: check the platform public key, and that the body is the raw bytes received.',
    );
  }

  const skew = Math.abs((opts.now ?? Date.now)() / 1000 - Number(timestamp));
  if (!(skew <= tolerance)) {
    throw new TtpayError(
      'TIMESTAMP_OUT_OF_RANGE',
      `Byte-Timestamp is more than ${tolerance}s away from this server's clock.`,
    );
  }
  return { timestamp, nonce };
}

/** Statuses the platform documents per callback type (docs/PROTOCOLS.md §2.3, §5.5). */
const DOCUMENTED_STATUSES: ReadonlyMap<string, ReadonlySet<unknown>> = new Map([
  ['payment', new Set(['SUCCESS', 'CANCEL'])],
  ['refund', new Set(['SUCCESS', 'FAIL'])],
]);

/**
 * The callback's `type` when ttpay models it with the status it carries; anything else is 'other'. A
 * payment whose status is not exactly SUCCESS or CANCEL must change no order, so it is not a payment.
 */
function modelledType(callbackType: string, msg: Record<string, unknown>): string {
  const statuses = DOCUMENTED_STATUSES.get(callbackType);
  // A missing or non-string status is a malformed callback: its case refuses it (MISSING_FIELD, …).
  if (!statuses || typeof msg.status !== 'string' || msg.status === '') return callbackType;
  return statuses.has(msg.status) ? callbackType : 'other';
}

function tradeEventOf(
  body: Record<string, unknown>,
  { timestamp, nonce }: { timestamp: string; nonce: string },
  headers: HeaderMap,
): TradeEvent {
  const rawMsg = requireString(body, 'msg', 'The trade callback');
  const version = typeof body.version === 'string' ? body.version : '';
  if (!version) throw new TtpayError('MISSING_FIELD', 'The trade callback has no "version".');
  const msg = parseJsonObject(rawMsg, 'The trade callback msg');
  const callbackType = typeof body.type === 'string' ? body.type : '';
  const logId = headerValue(headers, 'Byte-Logid');
  const logged = logId ? { logId } : {};
  // Each event is one object literal, the optional field spread last: `{ ...base, type, … }` takes
  // V8's slow path (a fresh map per call, ~1–5 µs per event on Node 20; bench/PROFILE.md).
  switch (modelledType(callbackType, msg)) {
    case 'payment': {
      const outOrderNo = requireString(msg, 'out_order_no', 'The payment msg');
      const status = requireString(msg, 'status', 'The payment msg');
      requireInteger(msg, 'total_amount', 'The payment msg');
      const key = tradePaymentKey(outOrderNo, status);
      return {
        platform: 'douyin',
        system: 'trade',
        rawMsg,
        version,
        timestamp,
        nonce,
        type: 'payment',
        key,
        msg: msg as TradePaymentMsg,
        ...logged,
      };
    }
    case 'refund': {
      requireString(msg, 'status', 'The refund msg');
      // out_refund_no "may be empty" per the platform docs; refund_id is the platform's own id.
      const key = tradeRefundKey(firstString(msg, 'out_refund_no', 'refund_id') ?? digestKey(rawMsg));
      return {
        platform: 'douyin',
        system: 'trade',
        rawMsg,
        version,
        timestamp,
        nonce,
        type: 'refund',
        key,
        msg: msg as TradeRefundMsg,
        ...logged,
      };
    }
    case 'pre_create_refund': {
      // The platform's refund id is the application's identity: "相同的系统退款单号重复请求应当被视为相同的一次退款"
      // (docs/PROTOCOLS.md §2.5).
      const refundId = requireString(msg, 'refund_id', 'The refund application msg');
      requireString(msg, 'order_id', 'The refund application msg');
      return {
        platform: 'douyin',
        system: 'trade',
        rawMsg,
        version,
        timestamp,
        nonce,
        type: 'pre_create_refund',
        key: `douyin:trade:pre_create_refund:${refundId}`,
        msg: msg as TradeRefundApplicationMsg,
        ...logged,
      };
    }
    case 'settle': {
      const key = tradeSettleKey(firstString(msg, 'out_settle_no', 'settle_id') ?? digestKey(rawMsg));
      return {
        platform: 'douyin',
        system: 'trade',
        rawMsg,
        version,
        timestamp,
        nonce,
        type: 'settle',
        key,
        msg: msg as TradeSettleMsg,
        ...logged,
      };
    }
    default: {
      const key = `douyin:trade:${callbackType || 'untyped'}:${digestKey(rawMsg)}`;
      return {
        platform: 'douyin',
        system: 'trade',
        rawMsg,
        version,
        timestamp,
        nonce,
        type: 'other',
        callbackType,
        key,
        msg,
        ...logged,
      };
    }
  }
}
