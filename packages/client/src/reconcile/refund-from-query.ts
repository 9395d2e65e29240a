import type { EcpayRefundEvent, TradeRefundEvent } from '@ttpay/core';
import { ecpayRefundKey, tradeRefundKey } from '@ttpay/core/internal';
import type { EcpayQueryRefundResult } from '../ecpay/types.js';
import type { TradeRefund } from '../trade/types.js';

/**
 * A refund query's answer as the refund callback it stands for — same type, same `key` — so a refund whose
 * every notification was lost goes through the callback's handler and store, and a notification that does
 * come later is a duplicate (docs/PROTOCOLS.md §1.3, §2.3). Only the statuses the callbacks carry make an
 * event: `SUCCESS` and `FAIL`; anything else (`PROCESSING`) is `undefined`, still open. Fields the query
 * does not answer are left out; `reconciled: true`, `nonce` empty, `rawMsg` the JSON of the `msg` built here.
 */

const FINAL: ReadonlySet<unknown> = new Set(['SUCCESS', 'FAIL']);

/**
 * ecpay `query_refund` (`refundInfo`) → the refund callback. `appId` fills `msg.appid` and `orderId` the
 * platform's `order_id`, which the callback carries and the query does not echo. `is_all_settled` is left
 * out: the query answers it as it is now, the callback as it was when the refund completed.
 */
export function ecpayRefundEventFromQuery(
  outRefundNo: string,
  result: EcpayQueryRefundResult,
  options: { appId: string; orderId?: string | undefined; now?: () => number },
): EcpayRefundEvent | undefined {
  const info = result.refundInfo;
  if (!FINAL.has(info.refund_status)) return undefined;
  const msg: EcpayRefundEvent['msg'] = {
    appid: options.appId,
    cp_refundno: outRefundNo,
    cp_extra: info.cp_extra ?? '',
    status: info.refund_status as 'SUCCESS' | 'FAIL',
    refund_amount: info.refund_amount,
    ...(info.refunded_at ? { refunded_at: info.refunded_at } : {}),
    ...(options.orderId ? { order_id: options.orderId } : {}),
    ...(info.refund_no ? { refund_no: info.refund_no } : {}),
  };
  return {
    platform: 'douyin',
    system: 'ecpay',
    type: 'refund',
    key: ecpayRefundKey(outRefundNo),
    msg,
    rawMsg: JSON.stringify(msg),
    timestamp: seconds(options.now),
    nonce: '',
    reconciled: true,
  };
}

/** One refund of trade `refund_query/` (`refund_list[]`) → the refund result callback. */
export function tradeRefundEventFromQuery(
  refund: TradeRefund,
  options: { appId: string; now?: () => number },
): TradeRefundEvent | undefined {
  if (!FINAL.has(refund.refund_status)) return undefined;
  const now = (options.now ?? Date.now)();
  const msg: TradeRefundEvent['msg'] = {
    app_id: options.appId,
    status: refund.refund_status as 'SUCCESS' | 'FAIL',
    order_id: refund.order_id,
    refund_id: refund.refund_id,
    out_refund_no: refund.out_refund_no,
    refund_total_amount: refund.refund_total_amount,
    message: refund.message ?? '',
    event_time: refund.refund_at ?? now,
  };
  return {
    platform: 'douyin',
    system: 'trade',
    type: 'refund',
    // The callback's key: out_refund_no, or refund_id when it is empty (packages/core trade/callback.ts).
    key: tradeRefundKey(refund.out_refund_no || refund.refund_id),
    msg,
    rawMsg: JSON.stringify(msg),
    version: '3.0',
    timestamp: String(Math.floor(now / 1000)),
    nonce: '',
    reconciled: true,
  };
}

function seconds(now: (() => number) | undefined): string {
  return String(Math.floor((now ?? Date.now)() / 1000));
}
