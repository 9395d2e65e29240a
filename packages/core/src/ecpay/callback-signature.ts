import { hash } from 'node:crypto';
import { TtpayError } from '../errors.js';
import { sortUtf8AndJoin } from '../shared/utf8-order.js';

export interface EcpayCallbackFields {
  token: string;
  timestamp: string;
  nonce: string;
  msg: string;
}

/**
 * SHA-1 over the byte-sorted, concatenated `[token, timestamp, nonce, msg]` (PROTOCOLS.md §1.3);
 * `msg` is the JSON string exactly as received, never a re-serialisation.
 */
export function signEcpayCallback(fields: EcpayCallbackFields): string {
  const { token, timestamp, nonce, msg } = fields ?? ({} as EcpayCallbackFields);
  const values = [
    stringField(token, 'token'),
    stringField(timestamp, 'timestamp'),
    stringField(nonce, 'nonce'),
    stringField(msg, 'msg'),
  ];
  return hash('sha1', sortUtf8AndJoin(values, ''), 'hex');
}

function stringField(value: unknown, name: string): string {
  if (typeof value !== 'string') {
    throw new TtpayError('INVALID_ARGUMENT', `${name} must be a string, got ${typeof value}.`);
  }
  return value;
}
