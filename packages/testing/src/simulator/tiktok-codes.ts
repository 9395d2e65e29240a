import { randomBytes } from 'node:crypto';

/**
 * TikTok Shop result codes the simulator answers, always with HTTP 200 and
 * `{code, message, request_id, data}`; success only when `code: 0` (PROTOCOLS.md §3).
 * 106001 and 36009004 are documented in PROTOCOLS.md; the others are ASSUMPTIONS (plausible values, not
 * verified against the platform) — clients must treat any non-zero code as failure.
 */
export const TIKTOK_CODE = {
  OK: 0,
  /** `sign` missing or not the HMAC of the path, query and exact body received (§3). */
  INVALID_SIGN: 106001,
  /** `timestamp` outside −5 min/+30 s of the platform clock (§3). */
  TIMESTAMP_OUT_OF_WINDOW: 36009004,
  /** Assumption: `x-tts-access-token` missing, unknown or expired. */
  INVALID_ACCESS_TOKEN: 105002,
  /** Assumption: `app_key` missing or unknown. */
  INVALID_APP_KEY: 106002,
  /** Assumption: `shop_cipher` missing or not the authorised shop's. */
  INVALID_SHOP_CIPHER: 36009003,
  /** Assumption: a parameter or body field is missing or invalid, or names no such order/package. */
  INVALID_PARAMS: 36009001,
  /** Assumption: /api/v2/token/* credentials, auth_code or refresh_token rejected. */
  INVALID_GRANT: 36004004,
} as const;

export interface TikTokReply {
  code: number;
  message: string;
  request_id: string;
  data: unknown;
}

export function tiktokReply(code: number, message: string, data: unknown = {}): TikTokReply {
  return { code, message, request_id: randomBytes(16).toString('hex').toUpperCase(), data };
}
