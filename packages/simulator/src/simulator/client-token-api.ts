import type Router from '@koa/router';
import type { ClientTokens } from './client-tokens.js';
import { parseJsonObject, readRawBody } from './read-body.js';
import type { SimContext } from './sim-context.js';

/** `error_code` values of /oauth/client_token/, from the platform's client_token page. */
export const CLIENT_TOKEN_ERROR_CODE = {
  INVALID_PARAMS: 10002,
  UNKNOWN_CLIENT_KEY: 10003,
  BAD_CLIENT_SECRET: 10013,
  /** Over 500 grants in 5 minutes (docs/PROTOCOLS.md §5.2). */
  RATE_LIMITED: 10020,
} as const;

/**
 * `POST /oauth/client_token/` and `POST /oauth/stable_client_token/` (docs/PROTOCOLS.md §5.2): client_key =
 * the app id, client_secret = the app secret, grant_type client_credential; JSON or form body. Answer
 * `{data: {access_token: "clt.…", expires_in, error_code, description}, message}` with HTTP 200, failures
 * included. The plain one issues a new token each time; the stable one the same token while it lives.
 * Registered without the trailing slash, which then matches with or without it.
 */
export function registerClientTokenApi(router: Router, sim: SimContext, tokens: ClientTokens): void {
  grantRoute(router, sim, '/oauth/client_token', () => tokens.issue(), tokens);
  grantRoute(router, sim, '/oauth/stable_client_token', () => tokens.issueStable(), tokens);
}

function grantRoute(
  router: Router,
  sim: SimContext,
  path: string,
  issue: () => { token: string; expiresIn: number },
  tokens: ClientTokens,
): void {
  const { appId, appSecret } = sim.options.douyin;
  router.post(path, async (ctx) => {
    const raw = (await readRawBody(ctx)).toString('utf8');
    const params = ctx.is('application/x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(raw))
      : (parseJsonObject(raw) ?? {});
    const error = (error_code: number, description: string) => ({
      data: { description, error_code },
      message: 'error',
    });
    ctx.status = 200;
    if (!tokens.admitGrant()) {
      ctx.body = error(CLIENT_TOKEN_ERROR_CODE.RATE_LIMITED, '请求太频繁: over 500 calls in 5 minutes');
    } else if (
      params.grant_type !== 'client_credential' ||
      typeof params.client_key !== 'string' ||
      !params.client_secret
    ) {
      ctx.body = error(
        CLIENT_TOKEN_ERROR_CODE.INVALID_PARAMS,
        'client_key, client_secret and grant_type "client_credential" are required',
      );
    } else if (params.client_key !== appId) {
      ctx.body = error(CLIENT_TOKEN_ERROR_CODE.UNKNOWN_CLIENT_KEY, 'client_key does not exist');
    } else if (params.client_secret !== appSecret) {
      ctx.body = error(CLIENT_TOKEN_ERROR_CODE.BAD_CLIENT_SECRET, 'client_key or client_secret is wrong');
    } else {
      const { token, expiresIn } = issue();
      ctx.body = {
        data: { access_token: token, description: '', error_code: 0, expires_in: expiresIn },
        message: 'success',
      };
    }
  });
}
