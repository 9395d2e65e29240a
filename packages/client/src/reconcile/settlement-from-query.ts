import type { EcpaySettleEvent, TradeSettleEvent } from '@ttpay/core';
import { ecpaySettleKey, tradeSettleKey } from '@ttpay/core/internal';
import type { EcpayQuerySettleResult } from '../ecpay/types.js';
import type { TradeSettlement } from '../trade/types.js';

/**
 * A settlement query's answer as the settlement callback it stands for — same type, same `key` — so a
 * settlement whose every notification was lost goes through the callback's handler and store, and a
 * notification that comes later is a duplicate. Only the statuses the settlement notification documents
 * make an event: `SUCCESS` and `FAIL` (docs/PROTOCOLS.md §2.3); anything else is `undefined`, still open.
 * Fields the query does not answer are left out; `reconciled: true`, `nonce` empty.
 */

const FINAL: ReadonlySet<unknown> = new Set(['SUCCESS', 'FAIL']);

/**
 * ecpay `query_settle` (`settle_info`) → the settlement callback. `orderId` and `outOrderNo` fill
 * `order_id` and `out_order_no`, which the callback carries and the query does not echo.
 */
export function ecpaySettleEventFromQuery(
  outSettleNo: string,
  result: EcpayQuerySettleResult,
  options: {
    appId: string;
    orderId?: string | undefined;
    outOrderNo?: string | undefined;
    now?: () => number;
  },
): EcpaySettleEvent | undefined {
  const info = result.settle_info;
  if (!FINAL.has(info.settle_status)) return undefined;
  const msg: EcpaySettleEvent['msg'] = {
    app_id: options.appId,
    cp_settle_no: outSettleNo,
    cp_extra: typeof info.cp_extra === 'string' ? info.cp_extra : '',
    status: info.settle_status,
    settle_amount: info.settle_amount,
    ...(info.settle_no ? { settle_no: info.settle_no } : {}),
    ...(options.orderId ? { order_id: options.orderId } : {}),
    ...(options.outOrderNo ? { out_order_no: options.outOrderNo } : {}),
  };
  return {
    platform: 'douyin',
    system: 'ecpay',
    type: 'settle',
    key: ecpaySettleKey(outSettleNo),
    msg,
    rawMsg: JSON.stringify(msg),
    timestamp: String(Math.floor((options.now ?? Date.now)() / 1000)),
    nonce: '',
    reconciled: true,
  };
}

/** One settlement of trade `settle_query/` → the settlement result callback. */
export function tradeSettleEventFromQuery(
  settlement: TradeSettlement,
  options: { appId: string; now?: () => number },
): TradeSettleEvent | undefined {
  if (!FINAL.has(settlement.settle_status)) return undefined;
  const now = (options.now ?? Date.now)();
  const msg: TradeSettleEvent['msg'] = {
    app_id: options.appId,
    status: settlement.settle_status,
    order_id: settlement.order_id,
    settle_id: settlement.settle_id,
    out_settle_no: settlement.out_settle_no,
    settle_amount: settlement.settle_amount,
    message: '',
    event_time: settlement.settle_at ?? now,
    // The query answers the pass-through as cp_extra, as the callback does (docs/PROTOCOLS.md §2.2).
    ...(settlement.cp_extra === undefined ? {} : { cp_extra: settlement.cp_extra }),
    ...(settlement.rake === undefined ? {} : { rake: settlement.rake }),
    ...(settlement.commission === undefined ? {} : { commission: settlement.commission }),
    ...(settlement.settle_detail === undefined ? {} : { settle_detail: settlement.settle_detail }),
  };
  return {
    platform: 'douyin',
    system: 'trade',
    type: 'settle',
    key: tradeSettleKey(settlement.out_settle_no || settlement.settle_id),
    msg,
    rawMsg: JSON.stringify(msg),
    version: '3.0',
    timestamp: String(Math.floor(now / 1000)),
    nonce: '',
    reconciled: true,
  };
}
