import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';

/**
 * `Authorization: Bearer <token>` for the shop's own API, checked against every configured token
 * (`SHOP_API_TOKEN`, comma-separated during a rotation). Both sides are hashed first, so the comparison
 * is constant-time and of equal length whatever was sent, and every token is tried with no early exit.
 * No tokens (outside production only: config.ts requires one there) means the routes are open.
 */
export function requireApiToken(tokens: readonly string[]): Middleware {
  const expected = tokens.map(digest);
  return async function requireApiToken(ctx, next) {
    if (expected.length === 0) return next();
    const match = /^Bearer +([^\s]+) *$/i.exec(ctx.get('authorization'));
    const given = digest(match?.[1] ?? '');
    let ok = false;
    for (const e of expected) ok = timingSafeEqual(e, given) || ok;
    if (!match || !ok) {
      ctx.throw(401, 'Send Authorization: Bearer <SHOP_API_TOKEN>.', {
        code: 'UNAUTHORIZED',
        headers: { 'WWW-Authenticate': 'Bearer realm="koa-shop"' },
      });
    }
    return next();
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
