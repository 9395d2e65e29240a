import { TtpayApiError } from '../api-error.js';

/**
 * `err_no` values with which open.douyin.com refuses an `access-token`: 28001008 "access_token过期，请刷新
 * 或重新授权" (the Open Platform's general status codes) and 28001003 "access_token无效" (Douyin API pages
 * and SDKs that refresh on it). Which of the two trade_basic answers for a token superseded by another
 * instance's refresh is not documented, so both count (docs/PROTOCOLS.md §5.2, open question Q3).
 */
export const TOKEN_REJECTED_CODES: ReadonlySet<number> = new Set([28001003, 28001008]);

export function isTokenRejection(error: unknown): boolean {
  return error instanceof TtpayApiError && TOKEN_REJECTED_CODES.has(Number(error.platformCode));
}
