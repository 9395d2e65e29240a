import {
  type DouyinEcpayClient,
  type DouyinTradeClient,
  ecpayCpsCommission,
  isTtpayApiError,
  settleableAmount,
} from '@ttpay/client';
import { douyinSystemOf } from '../handlers/douyin-events.js';
import type { Logger } from '../logger.js';
import type { OrderRepository } from '../orders/order-repository.js';
import type { JobContext, ShopJobs } from './shop-jobs.js';

export interface SettleDouyinOrderJobDeps {
  orders: OrderRepository;
  clients: {
    ecpay: Pick<DouyinEcpayClient, 'queryOrder' | 'settle' | 'querySettle'>;
    trade: Pick<DouyinTradeClient, 'queryCps' | 'settleCreate' | 'settleQuery'>;
  };
  logger: Logger;
}

/** ecpay's "not found" (docs/PROTOCOLS.md §5.3): no settlement of that number yet. */
const ECPAY_NOT_FOUND = 2000;

/**
 * Settles a paid Douyin order to the shop's merchant account (`POST /orders/:outOrderNo/douyin-settlement`
 * recorded the settlement `PROCESSING` and added this job in the same transaction): ecpay `settle`, trade
 * `settle_create/`, always with `{ settleable }` — paid − refunded − the influencer commission (CPS), which
 * the platform deducts first (docs/PROTOCOLS.md §1.4; the commission is asked for now, as it may be
 * computed late). Its result comes as the settlement callback, or reconciliation's query.
 *
 * The settle calls are never retried by the client; this job's retry first asks whether an earlier
 * attempt's settlement exists (its answer lost), and settles only if not.
 */
export function settleDouyinOrderJob(
  deps: SettleDouyinOrderJobDeps,
): (data: ShopJobs['settle-douyin-order'], context: JobContext) => Promise<void> {
  const { orders, clients } = deps;
  const log = deps.logger.child({ component: 'job', job: 'settle-douyin-order' });
  return async ({ outOrderNo, settleNo }, { attempt, signal }) => {
    const order = await orders.get(outOrderNo);
    const system = order && douyinSystemOf(order);
    const record = order?.settlements.find((s) => s.settleNo === settleNo);
    if (!order || !system || record?.status !== 'PROCESSING') return;
    const call = { signal };
    if (attempt > 1 && (await settlementExists(system, settleNo, call))) return;
    const commission =
      system === 'ecpay'
        ? ecpayCpsCommission(await clients.ecpay.queryOrder({ out_order_no: outOrderNo }, call))
        : (await clients.trade.queryCps({ out_order_no: outOrderNo }, call)).total_commission_amount;
    const settleable = settleableAmount({
      paid: order.amount ?? 0,
      refunded: order.refundedAmount,
      commission,
    });
    const request = { out_order_no: outOrderNo, out_settle_no: settleNo, settle_desc: 'Order delivered' };
    if (system === 'ecpay') await clients.ecpay.settle(request, { ...call, settleable });
    else await clients.trade.settleCreate(request, { ...call, settleable });
    log.info({ outOrderNo, settleNo, settleable, commission }, 'settlement requested');
  };

  async function settlementExists(
    system: 'ecpay' | 'trade',
    settleNo: string,
    call: { signal: AbortSignal },
  ): Promise<boolean> {
    if (system === 'trade')
      return (await clients.trade.settleQuery({ out_settle_no: settleNo }, call)).length > 0;
    try {
      await clients.ecpay.querySettle({ out_settle_no: settleNo }, call);
      return true;
    } catch (error) {
      if (isTtpayApiError(error) && Number(error.platformCode) === ECPAY_NOT_FOUND) return false;
      throw error;
    }
  }
}
