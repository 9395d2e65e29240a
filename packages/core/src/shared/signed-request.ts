import type { HeaderMap } from './headers.js';
import type { RawBody } from './raw-body.js';

/**
 * What every verifier takes (one shape, as standard-webhooks' `verify(payload, headers)`): the exact
 * bytes received and the request's headers. The headers carry the signature where a platform puts it
 * there (trade system, TikTok Shop, AlgoVoi); ecpay signs fields of the body and reads no header.
 */
export interface SignedRequest {
  readonly rawBody: RawBody;
  readonly headers: HeaderMap;
}

/**
 * A body the delivery engine has already decoded and parsed from `raw` (strict UTF-8, `JSON.parse`):
 * the verifiers' internal entry takes it so that nothing is parsed twice. Never built any other way.
 */
export interface ParsedBody {
  readonly raw: Buffer;
  readonly json: Record<string, unknown>;
}
