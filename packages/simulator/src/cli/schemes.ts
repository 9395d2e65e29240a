import {
  buildByteAuthorization,
  signAlgoVoiWebhook,
  signEcpayCallback,
  signEcpayRequest,
  signTikTokRequest,
  signTikTokWebhook,
  signTradeCallback,
  TtpayError,
  verifyAlgoVoiWebhook,
  verifyEcpayCallback,
  verifyTikTokWebhook,
  verifyTradeCallback,
} from '@ttpay/core';
import {
  constantTimeEqual,
  type HeaderMap,
  parseByteAuthorization,
  type TikTokQuery,
  verifyByteAuthorization,
} from '@ttpay/core/internal';
import { nowSeconds as nowNumber, randomNonce } from '../simulator/random-ids.js';
import type { JsonInput } from './json-input.js';

/** One direction of a scheme: the input fields it takes, and what it prints on success. */
export interface SchemeStep {
  /** The input object's fields, for help and error messages; `?` marks optional ones. */
  shape: string;
  /** Throws `TtpayError` (from @ttpay/core) or `UsageError` (from the input). */
  run(input: JsonInput): Record<string, unknown>;
}

export interface Scheme {
  summary: string;
  sign: SchemeStep;
  /** On success returns what to print beside `valid: true` (the verified `event`, if there is one). */
  verify: SchemeStep;
}

/**
 * Every signature the CLI signs and verifies — one table for both commands. All the cryptography is
 * @ttpay/core's; this only maps JSON fields to its arguments. Nothing here returns an input secret.
 */
export const SCHEMES = {
  'ecpay-request': {
    summary: 'MD5 `sign` of a Douyin ecpay API request (create_order, create_refund, …)',
    sign: {
      shape: '{params, salt}',
      run: (input) => ({ signature: signEcpayRequest(input.object('params'), input.string('salt')) }),
    },
    verify: {
      shape: '{params, salt, sign?} (sign defaults to params.sign)',
      run: (input) => {
        const params = input.object('params');
        const given = input.optionalString('sign') ?? (typeof params.sign === 'string' ? params.sign : '');
        if (!given) throw new TtpayError('MISSING_SIGNATURE', 'The ecpay request has no sign.');
        if (!constantTimeEqual(signEcpayRequest(params, input.string('salt')), given)) {
          throw new TtpayError(
            'SIGNATURE_MISMATCH',
            'The ecpay request sign does not match: check the SALT, and that params are the fields sent (app_id, thirdparty_id, sign and other_settle_params take no part).',
          );
        }
        return {};
      },
    },
  },

  'ecpay-callback': {
    summary: 'SHA-1 `msg_signature` of a Douyin ecpay callback',
    sign: {
      shape: '{token, timestamp, nonce, msg} (msg: the JSON string exactly as in the body)',
      run: (input) => ({
        signature: signEcpayCallback({
          token: input.string('token'),
          timestamp: input.stringish('timestamp'),
          nonce: input.stringish('nonce'),
          msg: input.text('msg'),
        }),
      }),
    },
    verify: {
      shape: '{body, token, maxAgeSeconds?} (body: the raw callback body as a string)',
      run: (input) => {
        const maxAgeSeconds = input.optionalNumber('maxAgeSeconds');
        const event = verifyEcpayCallback(
          { rawBody: input.text('body') },
          {
            token: input.secrets('token'),
            ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
          },
        );
        return { event };
      },
    },
  },

  'trade-request': {
    summary: 'RSA `Byte-Authorization` of a Douyin trade-system request (and tt.requestOrder)',
    sign: {
      shape:
        '{method, uri, timestamp?, nonce?, body?, appId, keyVersion, privateKey} (privateKey: PEM text or a file path)',
      run: (input) => {
        const body = input.optionalText('body');
        const header = buildByteAuthorization(
          {
            method: input.string('method'),
            uri: input.string('uri'),
            timestamp: input.optionalStringish('timestamp') ?? nowSeconds(),
            nonce: input.optionalString('nonce') ?? randomNonce(),
            ...(body === undefined ? {} : { body }),
            appId: input.string('appId'),
            keyVersion: input.stringish('keyVersion'),
          },
          input.key('privateKey'),
        );
        return {
          signature: parseByteAuthorization(header).signature,
          headers: { 'Byte-Authorization': header },
        };
      },
    },
    verify: {
      shape:
        '{method, uri, body?, byteAuthorization, publicKey} (publicKey: the app public key, PEM text or a file path)',
      run: (input) => {
        const body = input.optionalText('body');
        const { signature: _signature, ...authorization } = verifyByteAuthorization(
          {
            method: input.string('method'),
            uri: input.string('uri'),
            header: input.text('byteAuthorization'),
            ...(body === undefined ? {} : { body }),
          },
          input.keys('publicKey'),
        );
        return { authorization };
      },
    },
  },

  'trade-callback': {
    summary: 'RSA `Byte-Signature` of a Douyin trade-system callback (signed by the platform)',
    sign: {
      shape:
        '{timestamp?, nonce?, rawBody, privateKey} (privateKey: the platform private key, PEM text or a file path)',
      run: (input) => {
        const timestamp = input.optionalStringish('timestamp') ?? nowSeconds();
        const nonce = input.optionalString('nonce') ?? randomNonce();
        const signature = signTradeCallback(
          { timestamp, nonce, rawBody: input.text('rawBody') },
          input.key('privateKey'),
        );
        return {
          signature,
          headers: { 'Byte-Timestamp': timestamp, 'Byte-Nonce-Str': nonce, 'Byte-Signature': signature },
        };
      },
    },
    verify: {
      shape:
        '{headers, rawBody, publicKey, now?, toleranceSeconds?} (now: Unix seconds; publicKey: PEM text or a file path)',
      run: (input) => {
        const now = input.optionalNumber('now');
        const toleranceSeconds = input.optionalNumber('toleranceSeconds');
        const event = verifyTradeCallback(
          { headers: headerMap(input.object('headers')), rawBody: input.text('rawBody') },
          {
            publicKey: input.keys('publicKey'),
            ...(now === undefined ? {} : { now: () => (now > 1e11 ? now : now * 1000) }),
            ...(toleranceSeconds === undefined ? {} : { toleranceSeconds }),
          },
        );
        return { event };
      },
    },
  },

  'tiktok-webhook': {
    summary: 'HMAC `Authorization` of a TikTok Shop webhook',
    sign: {
      shape: '{rawBody, appKey, appSecret}',
      run: (input) => {
        const signature = signTikTokWebhook(input.text('rawBody'), {
          appKey: input.string('appKey'),
          appSecret: input.string('appSecret'),
        });
        return { signature, headers: { Authorization: signature } };
      },
    },
    verify: {
      shape: '{rawBody, signature, appKey, appSecret} (signature: the Authorization header)',
      run: (input) => {
        const event = verifyTikTokWebhook(
          { rawBody: input.text('rawBody'), headers: { authorization: input.text('signature') } },
          { appKey: input.string('appKey'), appSecret: input.secrets('appSecret') },
        );
        return { event };
      },
    },
  },

  'tiktok-request': {
    summary: 'HMAC `sign` query parameter of a TikTok Shop Open API request',
    sign: {
      shape: '{path, query, body?, appSecret} (body: the exact JSON text sent)',
      run: (input) => ({ signature: signTikTokRequest(tikTokRequest(input), input.string('appSecret')) }),
    },
    verify: {
      shape: '{path, query, body?, appSecret, signature?} (signature defaults to query.sign)',
      run: (input) => {
        const request = tikTokRequest(input);
        const given = input.optionalString('signature') ?? String(request.query.sign ?? '');
        if (!given) throw new TtpayError('MISSING_SIGNATURE', 'The TikTok Shop request has no sign.');
        if (!constantTimeEqual(signTikTokRequest(request, input.string('appSecret')), given)) {
          throw new TtpayError(
            'SIGNATURE_MISMATCH',
            'The TikTok Shop request sign does not match: check the app secret, the path, every query parameter and the exact body bytes.',
          );
        }
        return {};
      },
    },
  },

  'algovoi-webhook': {
    summary: '`X-AlgoVoi-Signature: t=,v1=,v2=` of an AlgoVoi gateway webhook (its published verifier)',
    sign: {
      shape: '{rawBody, secret, timestamp?} (timestamp: Unix seconds, default now)',
      run: (input) => {
        const timestamp = input.optionalNumber('timestamp');
        const signature = signAlgoVoiWebhook(
          input.text('rawBody'),
          input.string('secret'),
          timestamp === undefined ? {} : { timestamp },
        );
        return { signature, headers: { 'X-AlgoVoi-Signature': signature } };
      },
    },
    verify: {
      shape:
        '{rawBody, signature, secret, now?, toleranceSeconds?} (signature: the X-AlgoVoi-Signature header; now: Unix seconds)',
      run: (input) => {
        const now = input.optionalNumber('now');
        const toleranceSeconds = input.optionalNumber('toleranceSeconds');
        const event = verifyAlgoVoiWebhook(
          { rawBody: input.text('rawBody'), headers: { 'x-algovoi-signature': input.text('signature') } },
          {
            secret: input.secrets('secret'),
            ...(now === undefined ? {} : { now: () => (now > 1e11 ? now : now * 1000) }),
            ...(toleranceSeconds === undefined ? {} : { toleranceSeconds }),
          },
        );
        return { event };
      },
    },
  },
} as const satisfies Record<string, Scheme>;

export type SchemeName = keyof typeof SCHEMES;

export const SCHEME_NAMES = Object.keys(SCHEMES) as SchemeName[];

export function isSchemeName(name: string): name is SchemeName {
  return Object.hasOwn(SCHEMES, name);
}

/**
 * Core errors that are about the CLI's input (a missing secret, an unparsable key) rather than about
 * the thing being verified: those are exit 2, not "invalid signature".
 */
export function isInputProblem(error: TtpayError<string>): boolean {
  return error.code === 'INVALID_ARGUMENT' || error.code === 'INVALID_KEY';
}

function tikTokRequest(input: JsonInput): { path: string; query: TikTokQuery; body?: string } {
  const query: TikTokQuery = {};
  for (const [key, value] of Object.entries(input.object('query'))) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new TtpayError('INVALID_ARGUMENT', `query.${key} must be a string or a number.`);
    }
    query[key] = value;
  }
  const body = input.optionalText('body');
  return { path: input.string('path'), query, ...(body === undefined ? {} : { body }) };
}

function headerMap(headers: Record<string, unknown>): HeaderMap {
  const map: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
      map[name] = value as string | string[];
    } else if (typeof value === 'number') {
      map[name] = String(value);
    } else {
      throw new TtpayError('INVALID_ARGUMENT', `headers["${name}"] must be a string.`);
    }
  }
  return map;
}

function nowSeconds(): string {
  return String(nowNumber());
}
