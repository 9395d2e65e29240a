import { beijingTime } from './beijing-time.js';
import { randomDigits } from './random-ids.js';

/**
 * err_no values of the trade system's server APIs (`{err_no, err_msg, log_id, data}`), each with the
 * meaning the platform gives it (docs/PROTOCOLS.md §2.2, §5.2, §5.3):
 * - 10000 参数错误 and 13000 内部服务错误 ("retry"), 20000 订单不存在 — the trade system's error-code page;
 * - 28001003 access_token无效 and 28001008 access_token过期 — the Open Platform's status codes.
 * Which HTTP status accompanies a business error is not settled by any source (some come with 400): the
 * simulator answers 200, and clients must read err_no whatever the status.
 */
export const TRADE_ERR_NO = {
  OK: 0,
  INVALID_PARAMS: 10000,
  SYSTEM: 13000,
  NOT_FOUND: 20000,
  /**
   * 22006: the refund needs no audit, its application is not answered yet, or it was audited already —
   * the 同步退款审核结果 page's three meanings of one code (docs/PROTOCOLS.md §2.6).
   */
  AUDIT_REFUSED: 22006,
  /** A token this platform never issued. */
  INVALID_ACCESS_TOKEN: 28001003,
  /** A token past its life — or cut to 5 minutes by a newer one and past that (§5.2). */
  EXPIRED_ACCESS_TOKEN: 28001008,
} as const;

export interface TradeReply {
  err_no: number;
  err_msg: string;
  log_id: string;
  data?: unknown;
}

/** Like the platform's log ids: a Beijing-time stamp, then random digits. */
function logId(): string {
  return `${beijingTime(Date.now()).replace(/\D/g, '')}${randomDigits(17)}`;
}

export function tradeReply(err_no: number, err_msg: string, data?: unknown): TradeReply {
  return { err_no, err_msg, log_id: logId(), ...(data === undefined ? {} : { data }) };
}

export const tradeSuccess = (data: unknown): TradeReply => tradeReply(TRADE_ERR_NO.OK, 'success', data);
export const tradeInvalid = (message: string): TradeReply => tradeReply(TRADE_ERR_NO.INVALID_PARAMS, message);
export const tradeNotFound = (message: string): TradeReply => tradeReply(TRADE_ERR_NO.NOT_FOUND, message);
