/**
 * BASELINE, NOT PRODUCT CODE. The ecpay signatures as the other npm SDKs write them: a line-by-line
 * JavaScript transliteration of the seed's PHP/Go demos. It agrees with @ttpay/core on ordinary input
 * (test/bench-baselines.test.ts) and differs where PROTOCOLS.md §1.2 warns: JSON instead of Go's `%v`
 * for objects, UTF-16 sort order, `String.prototype.trim`'s space set. Only its speed is of interest.
 */
import { createHash } from 'node:crypto';

const SKIPPED = ['other_settle_params', 'app_id', 'sign', 'thirdparty_id'];

/** The PHP demo's `sign($map)` in JavaScript. */
export function naiveSignEcpayRequest(params: Record<string, unknown>, salt: string): string {
  const rList: string[] = [];
  Object.keys(params).forEach((k) => {
    if (SKIPPED.indexOf(k) !== -1) return;
    const v = params[k];
    let value = typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v).trim();
    if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) {
      value = value.substring(1, value.length - 1);
    }
    value = value.trim();
    if (value === '' || value === 'null') return;
    rList.push(value);
  });
  rList.push(salt);
  rList.sort();
  return createHash('md5').update(rList.join('&')).digest('hex');
}

/** The seed's Node.js (Koa) callback example. */
export function naiveSignEcpayCallback(f: {
  token: string;
  timestamp: string;
  nonce: string;
  msg: string;
}): string {
  const strArr = [f.token, f.timestamp, f.nonce, f.msg].sort();
  const str = strArr.join('');
  return createHash('sha1').update(str).digest('hex');
}

/** What a hand-written callback handler does: parse, re-sign, compare with `===`, parse `msg`. */
export function naiveVerifyEcpayCallback(rawBody: Buffer, token: string): Record<string, unknown> {
  const body = JSON.parse(rawBody.toString()) as Record<string, string>;
  const { timestamp, nonce, msg, msg_signature } = body;
  if (!timestamp || !nonce || !msg) throw new Error('bad callback');
  if (naiveSignEcpayCallback({ token, timestamp, nonce, msg }) !== msg_signature) {
    throw new Error('bad signature');
  }
  return { ...body, msg: JSON.parse(msg) as Record<string, unknown> };
}
