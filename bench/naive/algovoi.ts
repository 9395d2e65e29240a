/**
 * BASELINE, NOT PRODUCT CODE. The AlgoVoi webhook check written the plain way, step for step as the
 * gateway's published verifier describes it (chopmob-cloud/algovoi-webhook-verifier README, "Verification
 * steps"): parse `t=,v1=[,v2=]`, check the window, HMAC-SHA256 (and HMAC-SHA384 with the HKDF key) over
 * `"{t}." + body`, compare in constant time, JSON.parse.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

function v2Key(secret: string): Buffer {
  return Buffer.from(
    hkdfSync(
      'sha256',
      Buffer.from(secret),
      Buffer.from('algovoi-webhook-v2-pqc'),
      Buffer.from('hmac-sha384-outbound'),
      48,
    ),
  );
}

export function naiveSignAlgoVoiWebhook(rawBody: Buffer, secret: string, t: number): string {
  const signed = Buffer.concat([Buffer.from(`${t}.`), rawBody]);
  const v1 = createHmac('sha256', secret).update(signed).digest('hex');
  const v2 = createHmac('sha384', v2Key(secret)).update(signed).digest('hex');
  return `t=${t},v1=${v1},v2=${v2}`;
}

export function naiveVerifyAlgoVoiWebhook(
  rawBody: Buffer,
  header: string,
  secret: string,
  nowSeconds: number,
): Record<string, unknown> {
  const m = /^t=(\d+),v1=([0-9a-f]{64})(?:,v2=([0-9a-f]{96}))?$/.exec(header.trim());
  if (!m) throw new Error('malformed signature');
  const t = Number(m[1]);
  if (Math.abs(nowSeconds - t) > 300) throw new Error('stale signature');
  const expected = naiveSignAlgoVoiWebhook(rawBody, secret, t);
  const [, , v1, v2] = /^t=(\d+),v1=([0-9a-f]{64}),v2=([0-9a-f]{96})$/.exec(expected) as RegExpExecArray;
  const same = (a: string, b: string) =>
    a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  if (!same(m[2] as string, v1 as string) || (m[3] !== undefined && !same(m[3], v2 as string))) {
    throw new Error('bad signature');
  }
  return JSON.parse(rawBody.toString()) as Record<string, unknown>;
}
