import type { EcpayPaymentEvent, TradePaymentEvent } from '@ttpay/core';
import { ecpayPaymentKey, tradePaymentKey } from '@ttpay/core/internal';
import type { EcpayQueryOrderResult } from '../ecpay/types.js';
import type { TradeOrderQueryResult } from '../trade/types.js';

/**
 * Reconciliation: when every callback of a payment is lost (the shop was down longer than the
 * platform retries, docs/PROTOCOLS.md §1.3), asking the platform is the only way to learn of it. These
 * turn a query's answer into the payment event its callback would have carried — same type, same
 * `key` — so it can go through the same handler and the same idempotency store: a callback that does
 * arrive afterwards is a duplicate, and a callback that never comes still marks the order paid.
 * `reconciled: true` tells the two apart where it matters; `nonce` is empty and `rawMsg` is the JSON of
 * the `msg` built here (nothing was signed).
 */

/**
 * ecpay `query_order` → the payment callback it stands for, or `undefined` while the platform says
 * anything but `SUCCESS` (ecpay notifies successful payments only; `TIMEOUT` and `FAIL` have no callback
 * to stand in for). `appId` fills `msg.appid`, which the query does not echo.
 */
export function ecpayPaymentEventFromQuery(
  outOrderNo: string,
  result: EcpayQueryOrderResult,
  options: { appId: string; now?: () => number },
): EcpayPaymentEvent | undefined {
  const info = result.payment_info;
  if (info.order_status !== 'SUCCESS') return undefined;
  const msg: EcpayPaymentEvent['msg'] = {
    appid: options.appId,
    cp_orderno: outOrderNo,
    cp_extra: info.cp_extra ?? '',
    // query_order answers `way` as a number (2), the callback as a string ("2"): the event carries the
    // callback's form, so a reconciled event equals a real one (docs/PROTOCOLS.md §1.1, §1.3).
    way: wayAsCallbackSends(info.way),
    total_amount: info.total_fee,
    status: 'SUCCESS',
    ...(info.channel_no ? { channel_no: info.channel_no } : {}),
    ...(info.seller_uid ? { seller_uid: info.seller_uid } : {}),
    ...(info.item_id ? { item_id: info.item_id } : {}),
    ...(result.order_id ? { order_id: result.order_id } : {}),
  };
  return {
    platform: 'douyin',
    system: 'ecpay',
    type: 'payment',
    key: ecpayPaymentKey(outOrderNo, 'SUCCESS'),
    msg,
    rawMsg: JSON.stringify(msg),
    timestamp: String(Math.floor((options.now ?? Date.now)() / 1000)),
    nonce: '',
    reconciled: true,
  };
}

/** `way` as the payment callback spells it: the decimal string; '' when the query names none (or 0). */
function wayAsCallbackSends(way: unknown): string {
  if (typeof way === 'number' && Number.isSafeInteger(way) && way > 0) return String(way);
  return typeof way === 'string' && way !== '0' ? way : '';
}

/**
 * Trade `order_query/` → the payment callback it stands for: `SUCCESS` when paid; `CANCEL` when the
 * payment window closed (`TIMEOUT`) or the payment failed (`FAIL`), as the platform's own callback says
 * then (docs/PROTOCOLS.md §5.5); `undefined` while it is still `PROCESS`ing.
 */
export function tradePaymentEventFromQuery(
  result: TradeOrderQueryResult,
  options: { now?: () => number } = {},
): TradePaymentEvent | undefined {
  const status =
    result.pay_status === 'SUCCESS'
      ? 'SUCCESS'
      : result.pay_status === 'TIMEOUT' || result.pay_status === 'FAIL'
        ? 'CANCEL'
        : undefined;
  if (status === undefined) return undefined;
  const now = (options.now ?? Date.now)();
  const msg: TradePaymentEvent['msg'] = {
    app_id: result.app_id,
    out_order_no: result.out_order_no,
    order_id: result.order_id,
    status,
    total_amount: result.total_amount,
    event_time: status === 'SUCCESS' && result.pay_time ? result.pay_time : now,
    ...(result.discount_amount === undefined ? {} : { discount_amount: result.discount_amount }),
    ...(result.pay_channel === undefined ? {} : { pay_channel: result.pay_channel }),
    ...(result.channel_pay_id ? { channel_pay_id: result.channel_pay_id } : {}),
    ...(result.merchant_uid ? { merchant_uid: result.merchant_uid } : {}),
    ...(result.cp_extra ? { cp_extra: result.cp_extra } : {}),
  };
  return {
    platform: 'douyin',
    system: 'trade',
    type: 'payment',
    key: tradePaymentKey(result.out_order_no, status),
    msg,
    rawMsg: JSON.stringify(msg),
    version: '3.0',
    timestamp: String(Math.floor(now / 1000)),
    nonce: '',
    reconciled: true,
  };
}
