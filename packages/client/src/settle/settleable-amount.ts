import { TtpayError } from '@ttpay/core';
import { checkInteger, invalid } from '../argument-checks.js';
import { TtpayClientError } from '../client-error.js';
import { MAX_AMOUNT_FEN } from '../ecpay/request-checks.js';
import type { EcpayQueryOrderResult } from '../ecpay/types.js';
import type { CallOptions } from '../http/options.js';

/** Call options of the settle calls (ecpay `settle`, trade `settleCreate`). */
export interface SettleCallOptions extends CallOptions {
  /**
   * What this order can still settle, in fen — {@link settleableAmount}: paid, minus refunds, minus the
   * influencer commission (CPS), which the platform deducts first. When given, `settle_params` splitting
   * more than this is refused before anything is sent (`INVALID_ARGUMENT`). Pass it: the platform's own
   * refusal comes only after the call, and a split computed from the paid amount is wrong for every CPS
   * order (docs/PROTOCOLS.md §1.4).
   */
  settleable?: number;
}

/**
 * What an order can still settle, in integer fen: `paid − refunded − commission`. The commission is the
 * influencer's (达人分佣): ecpay `query_order`'s `cps_info.share_amount` ({@link ecpayCpsCommission}),
 * the trade system's `query_cps/` `total_commission_amount` — "可分账金额应扣除达人分佣金额"
 * (docs/PROTOCOLS.md §1.4). Throws `INVALID_ARGUMENT` for amounts that are not whole fen, or when the
 * refunds and commission exceed what was paid.
 */
export function settleableAmount(amounts: { paid: number; refunded?: number; commission?: number }): number {
  const paid = checkInteger(amounts?.paid, 'paid (fen)', 0, MAX_AMOUNT_FEN);
  const refunded = checkInteger(amounts.refunded ?? 0, 'refunded (fen)', 0, MAX_AMOUNT_FEN);
  const commission = checkInteger(amounts.commission ?? 0, 'commission (fen)', 0, MAX_AMOUNT_FEN);
  if (refunded + commission > paid) {
    throw invalid(`Refunded (${refunded}) plus commission (${commission}) exceed the ${paid} fen paid.`);
  }
  return paid - refunded - commission;
}

/**
 * The influencer commission of an ecpay order, in integer fen, from `query_order`'s `cps_info` (0 when
 * the order is not a CPS order). The platform documents `cps_info` as a string and its `share_amount` as
 * "达人分佣金额，单位为分" in a string; both an object and its JSON text are read (docs/PROTOCOLS.md §1.4).
 * The commission may be computed late: query it before settling, not right after payment.
 */
export function ecpayCpsCommission(result: Pick<EcpayQueryOrderResult, 'cps_info'>): number {
  const raw = result?.cps_info;
  if (raw === undefined || raw === null || raw === '') return 0;
  let info: unknown = raw;
  if (typeof raw === 'string') {
    try {
      info = JSON.parse(raw);
    } catch {
      throw unreadable('cps_info is a string that is not JSON');
    }
  }
  if (typeof info !== 'object' || info === null) throw unreadable('cps_info is not an object');
  const share = (info as { share_amount?: unknown }).share_amount;
  if (share === undefined || share === null || share === '') return 0;
  const amount = typeof share === 'string' && /^\d+$/.test(share) ? Number(share) : share;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
    throw unreadable('cps_info.share_amount is not a whole number of fen');
  }
  return amount;
}

/**
 * Refuses `settle_params` (a list or its JSON text) whose amounts add up to more than `settleable`. Runs
 * only when the caller passed `settleable`.
 */
export function checkSplitWithin(settleParams: unknown, settleable: number | undefined): void {
  if (settleable === undefined) return;
  const limit = checkInteger(settleable, 'settleable (fen)', 0, MAX_AMOUNT_FEN);
  let params = settleParams;
  if (typeof params === 'string') {
    try {
      params = JSON.parse(params);
    } catch {
      throw invalid('settle_params is a string that is not JSON: cannot check it against settleable.');
    }
  }
  if (params === undefined) return;
  if (!Array.isArray(params)) throw invalid('settle_params must list {merchant_uid, amount}.');
  const split = params.reduce<number>((sum, p: { amount?: unknown }, i) => {
    return sum + checkInteger(p?.amount, `settle_params[${i}].amount (fen)`, 1, MAX_AMOUNT_FEN);
  }, 0);
  if (split > limit) {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      `settle_params split ${split} fen, more than the ${limit} fen this order can settle (paid − refunded − CPS commission): nothing was sent.`,
    );
  }
}

function unreadable(what: string): TtpayClientError {
  return new TtpayClientError('MALFORMED_RESPONSE', `The query_order answer's ${what}.`);
}
