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

/**
 * `error_code` 10020: the token endpoint's rate limit — "5 分钟内超过 500 次接口调用,接口报错,错误码 10020"
 * (docs/PROTOCOLS.md §5.2). The client backs off instead of asking again.
 */
export const TOKEN_RATE_LIMITED_CODE = 10020;

export function isTokenRateLimited(error: unknown): boolean {
  return error instanceof TtpayApiError && Number(error.platformCode) === TOKEN_RATE_LIMITED_CODE;
}
