import { parseJsonObject } from '../read-body.js';

/** A code is short and plain: anything else in those fields is not one. */
const CODE_SHAPE = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * The code an app put in its reply, for the attempt row: `{"error":"SIGNATURE_MISMATCH"}` (@ttpay/koa's
 * TikTok and AlgoVoi refusals, most JSON APIs), `{"err_no":400,"err_tips":"SIGNATURE_MISMATCH"}` (the
 * Douyin reply shape; `err_no: 0` is the acknowledgement, no code), `{"code":"…"}`. Undefined when the
 * reply has none (an empty 200, a text body).
 */
export function replyCode(body: string): string | undefined {
  const reply = parseJsonObject(body);
  if (!reply) return undefined;
  const candidates: unknown[] = [reply.error, reply.code];
  if (typeof reply.err_no === 'number' && reply.err_no !== 0)
    candidates.unshift(reply.err_tips, reply.err_no);
  for (const value of candidates) {
    const text =
      typeof value === 'number' && value !== 0 ? String(value) : typeof value === 'string' ? value : '';
    if (CODE_SHAPE.test(text)) return text;
  }
  return undefined;
}
