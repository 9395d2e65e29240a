import { randomDigits } from '../fixtures/delivery.js';
import { beijingTime } from './beijing-time.js';

/**
 * err_no values of the trade system's APIs (`{err_no, err_msg, log_id, data}`, HTTP 200). 10000 and
 * 13000 are on the platform's trade-system pages; the access-token code is an ASSUMPTION (the real number
 * is not in PROTOCOLS.md) — clients must treat any err_no != 0 as failure.
 */
export const TRADE_ERR_NO = {
  OK: 0,
  INVALID_PARAMS: 10000,
  SYSTEM: 13000,
  INVALID_ACCESS_TOKEN: 28001008,
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
