import { createHmac, hkdfSync } from 'node:crypto';
import { TtpayError } from '../errors.js';
import { ALGOVOI_EVENT_TYPES, type AlgoVoiEvent, type AlgoVoiEventType } from '../events.js';
import { constantTimeEqual } from '../shared/constant-time.js';
import { type HeaderMap, headerValue } from '../shared/headers.js';
import { parseJsonObject } from '../shared/json.js';
import { nonNegativeSeconds } from '../shared/option-checks.js';
import { type RawBody, rawBodyToBuffer, utf8Text } from '../shared/raw-body.js';
import { requireSecret, secretList } from '../shared/secrets.js';
import type { ParsedBody, SignedRequest } from '../shared/signed-request.js';

/** The header AlgoVoi signs its webhooks in (docs/PROTOCOLS.md §4.3). */
export const ALGOVOI_SIGNATURE_HEADER = 'X-AlgoVoi-Signature';

/** How far the header's `t=` may be from this server's clock, either way (the published verifier's 300 s). */
export const DEFAULT_ALGOVOI_TOLERANCE_SECONDS = 300;

/**
 * `t=<unix seconds>,v1=<64 lowercase hex>[,v2=<96 lowercase hex>]`, as the published verifier parses it
 * (docs/PROTOCOLS.md §4.3). The timestamp is taken in its canonical spelling only (no leading zero, at
 * most 12 digits): the gateway signs `"{t}."` with the integer printed, so no other spelling is genuine.
 */
const SIGNATURE_HEADER = /^t=([1-9]\d{0,11}),v1=([0-9a-f]{64})(?:,v2=([0-9a-f]{96}))?$/;

/** The v2 key: HKDF-SHA256(secret, salt, info) → 48 bytes, as the published verifier derives it. */
const V2_SALT = Buffer.from('algovoi-webhook-v2-pqc');
const V2_INFO = Buffer.from('hmac-sha384-outbound');

export interface SignAlgoVoiWebhookOptions {
  /** The `t=` value, Unix seconds. Default: now. Tests pin it. */
  timestamp?: number;
  /** Add the `v2=` (HKDF-SHA256 + HMAC-SHA384) part. Default true, as the gateway sends it. */
  v2?: boolean;
}

/**
 * The `X-AlgoVoi-Signature` header value for `rawBody`, as the gateway makes it:
 * `t=<unix>,v1=<hex HMAC-SHA256(secret, "{t}." + body)>,v2=<hex HMAC-SHA384(HKDF(secret), "{t}." + body)>`
 * (docs/PROTOCOLS.md §4.3). For tests and the simulator; the gateway holds the real secret.
 */
export function signAlgoVoiWebhook(
  rawBody: RawBody,
  secret: string,
  options: SignAlgoVoiWebhookOptions = {},
): string {
  const key = requireSecret(secret, 'secret');
  const t = options.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(t) || t < 1 || t > 999_999_999_999) {
    throw new TtpayError('INVALID_ARGUMENT', 'timestamp must be whole Unix seconds (1 to 12 digits).');
  }
  const signed = signedPayload(String(t), rawBodyToBuffer(rawBody));
  const v1 = v1Signature(key, signed);
  return options.v2 === false ? `t=${t},v1=${v1}` : `t=${t},v1=${v1},v2=${v2Signature(key, signed)}`;
}

/**
 * The seed adapter's scheme: base64 HMAC-SHA256(secret, raw body) in the same header, with no timestamp
 * (docs/PROTOCOLS.md §4.1). Only for gateways still configured that way; see `seedBodySignature`.
 */
export function signAlgoVoiSeedWebhook(rawBody: RawBody, secret: string): string {
  return seedSignature(requireSecret(secret, 'secret'), rawBodyToBuffer(rawBody));
}

export interface VerifyAlgoVoiWebhookOptions {
  /** The webhook signing secret(s) (`algvw_…`); several during a rotation — any one verifies. */
  secret: string | readonly string[];
  /** How far `t=` may be from this server's clock, either way. Default 300. */
  toleranceSeconds?: number;
  /** Clock in milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Refuse a header without the `v2=` part. Default false: `v2` is checked when present. */
  requireV2?: boolean;
  /**
   * ALSO accept the seed adapter's scheme — base64 HMAC-SHA256(secret, raw body), no timestamp — for a
   * gateway still configured that way. Off by default: that scheme has no timestamp, so a captured
   * webhook can be replayed for as long as the secret lives (only the event id de-duplication stops it).
   * The body must still be the published event (`{id, type, data}`).
   */
  seedBodySignature?: boolean;
}

/**
 * Verifies an AlgoVoi gateway webhook against the published verifier's rules (chopmob-cloud/
 * algovoi-webhook-verifier; docs/PROTOCOLS.md §4.3) and returns the typed event, keyed on its `id`.
 * Headers as Node gives them (`req.headersDistinct`): a repeated signature header is refused.
 * A verified event says the gateway saw a payment; read the checkout's state back
 * (`AlgoVoiClient.verifyPayment`) before acting on money. Throws `TtpayError`: `MISSING_SIGNATURE`,
 * `MALFORMED_HEADER`, `SIGNATURE_MISMATCH`, `TIMESTAMP_OUT_OF_RANGE`, `MALFORMED_BODY`, `MISSING_FIELD`,
 * `UNKNOWN_EVENT_TYPE`.
 */
export function verifyAlgoVoiWebhook(
  request: SignedRequest,
  options: VerifyAlgoVoiWebhookOptions,
): AlgoVoiEvent {
  requireOptions(options);
  const raw = rawBodyToBuffer(request?.rawBody);
  checkSignature(raw, headersOf(request), options);
  return algoVoiEventOf(parseJsonObject(utf8Text(raw, WHAT), WHAT));
}

/** The engine's entry: the same checks on a body it has parsed from `body.raw` already. */
export function verifyAlgoVoiWebhookParsed(
  body: ParsedBody,
  headers: HeaderMap,
  options: VerifyAlgoVoiWebhookOptions,
): AlgoVoiEvent {
  checkSignature(body.raw, headers, options);
  return algoVoiEventOf(body.json);
}

const WHAT = 'The AlgoVoi webhook body';

function requireOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      'verifyAlgoVoiWebhook takes ({ rawBody, headers }, { secret }): pass the secret(s) as options.secret.',
    );
  }
}

function headersOf(request: SignedRequest): HeaderMap {
  const headers = (request as { headers?: unknown } | null)?.headers;
  if (typeof headers !== 'object' || headers === null) {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      'headers is missing: pass the request headers (Node: req.headersDistinct), not a signature string.',
    );
  }
  return headers as HeaderMap;
}

/** The signature header against the exact bytes, with every secret; then the clock. */
function checkSignature(raw: Buffer, headers: HeaderMap, options: VerifyAlgoVoiWebhookOptions): void {
  requireOptions(options);
  const secrets = secretList(options.secret, 'secret');
  const tolerance = nonNegativeSeconds(
    options.toleranceSeconds ?? DEFAULT_ALGOVOI_TOLERANCE_SECONDS,
    'toleranceSeconds',
  );
  const header = (headerValue(headers, ALGOVOI_SIGNATURE_HEADER) ?? '').trim();
  if (header === '') {
    throw new TtpayError('MISSING_SIGNATURE', 'The AlgoVoi webhook has no X-AlgoVoi-Signature header.');
  }
  const parts = SIGNATURE_HEADER.exec(header);
  if (parts) {
    const [, t, v1, v2] = parts as unknown as [string, string, string, string | undefined];
    if (v2 === undefined && options.requireV2 === true) {
      throw new TtpayError('MALFORMED_HEADER', 'X-AlgoVoi-Signature has no v2= part, and requireV2 is set.');
    }
    const signed = signedPayload(t, raw);
    let verified = false;
    for (const secret of secrets) {
      // Both parts must match for the same secret; no early exit, so every secret costs the same.
      const v1Ok = constantTimeEqual(v1Signature(secret, signed), v1);
      const v2Ok = v2 === undefined || constantTimeEqual(v2Signature(secret, signed), v2);
      if (v1Ok && v2Ok) verified = true;
    }
    if (!verified) throw mismatch();
    const skew = Math.abs((options.now ?? Date.now)() / 1000 - Number(t));
    if (!(skew <= tolerance)) {
      throw new TtpayError(
        'TIMESTAMP_OUT_OF_RANGE',
        `X-AlgoVoi-Signature's t= is more than ${tolerance}s away from this server's clock.`,
      );
    }
  } else if (options.seedBodySignature === true && isSeedSignature(header)) {
    let verified = false;
    for (const secret of secrets) {
      if (constantTimeEqual(seedSignature(secret, raw), header)) verified = true;
    }
    if (!verified) throw mismatch();
  } else {
    throw new TtpayError(
      'MALFORMED_HEADER',
      'X-AlgoVoi-Signature must be t=<unix seconds>,v1=<64 hex>[,v2=<96 hex>].',
    );
  }
}

function mismatch(): TtpayError {
  return new TtpayError(
    'SIGNATURE_MISMATCH',
    'The AlgoVoi webhook signature does not match: check the webhook secret, and pass the raw bytes received.',
  );
}

function signedPayload(t: string, raw: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${t}.`), raw]);
}

function v1Signature(secret: string, signed: Buffer): string {
  return createHmac('sha256', secret).update(signed).digest('hex');
}

function v2Signature(secret: string, signed: Buffer): string {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), V2_SALT, V2_INFO, 48));
  return createHmac('sha384', key).update(signed).digest('hex');
}

function seedSignature(secret: string, raw: Buffer): string {
  return createHmac('sha256', secret).update(raw).digest('base64');
}

/** Canonical base64 of a 32-byte digest: 43 characters and one `=`. */
function isSeedSignature(value: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(value);
}

const STRING_DATA_FIELDS = ['tx_id', 'payment_link_token', 'payment_link_label'] as const;

/** `{id, type, created, api_version, data}` (docs/PROTOCOLS.md §4.3). */
function algoVoiEventOf(body: Record<string, unknown>): AlgoVoiEvent {
  const type = body.type;
  if (!(ALGOVOI_EVENT_TYPES as readonly unknown[]).includes(type)) {
    throw new TtpayError(
      'UNKNOWN_EVENT_TYPE',
      `The AlgoVoi webhook's type ${JSON.stringify(type) ?? 'undefined'} is not one ttpay knows (${ALGOVOI_EVENT_TYPES.join(', ')}).`,
    );
  }
  const id = body.id;
  if (typeof id !== 'string' || id === '') {
    throw new TtpayError('MISSING_FIELD', 'The AlgoVoi webhook has no "id" (a non-empty string).');
  }
  const data = body.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TtpayError('MALFORMED_BODY', 'The AlgoVoi webhook\'s "data" must be an object.');
  }
  const fields = data as Record<string, unknown>;
  for (const field of STRING_DATA_FIELDS) {
    const value = fields[field];
    if (value !== undefined && typeof value !== 'string') {
      throw new TtpayError('MALFORMED_BODY', `The AlgoVoi webhook's data.${field} must be a string.`);
    }
  }
  const event: AlgoVoiEvent = {
    platform: 'algovoi',
    key: `algovoi:${id}`,
    id,
    type: type as AlgoVoiEventType,
    data: fields,
    payload: body,
  };
  if (typeof body.created === 'number') event.created = body.created;
  if (typeof body.api_version === 'string') event.api_version = body.api_version;
  // Deprecated aliases of the 0.x event (one release): data.payment_link_token, data.tx_id, and the
  // payment's status (the only known type is payment.confirmed).
  event.status = 'confirmed';
  if (typeof fields.payment_link_token === 'string') event.token = fields.payment_link_token;
  if (typeof fields.tx_id === 'string') event.tx_id = fields.tx_id;
  return event;
}
