import {
  checkInteger,
  checkJsonValue,
  checkOptionalHttpsUrl,
  checkOptionalInteger,
  checkOptionalString,
  checkPlainObject,
  checkString,
  invalid,
} from '../argument-checks.js';
import { MAX_AMOUNT_FEN } from '../ecpay/request-checks.js';
import type { TradeOrderData } from './types.js';

/**
 * Checks what docs/PROTOCOLS.md §2 implies about `tt.requestOrder` data (amounts are integer fen). §2 gives no
 * amount bounds: ecpay's 1..10000000000 fen (§1.1) is assumed for `totalAmount`.
 */
export function checkTradeOrderData(order: TradeOrderData): void {
  checkPlainObject(order, 'order');
  checkJsonValue(order, 'order');
  checkString(order.outOrderNo, 'outOrderNo');
  checkInteger(order.totalAmount, 'totalAmount (fen)', 1, MAX_AMOUNT_FEN);
  if (!Array.isArray(order.skuList) || order.skuList.length === 0) {
    throw invalid('skuList must list at least one sku.');
  }
  order.skuList.forEach((sku, i) => {
    checkPlainObject(sku, `skuList[${i}]`);
    checkString(sku.skuId, `skuList[${i}].skuId`);
    checkInteger(sku.price, `skuList[${i}].price (fen)`, 0, MAX_AMOUNT_FEN);
    checkInteger(sku.quantity, `skuList[${i}].quantity`, 1, Number.MAX_SAFE_INTEGER);
    checkString(sku.title, `skuList[${i}].title`);
    if (!Array.isArray(sku.imageList)) throw invalid(`skuList[${i}].imageList must be a list of image URLs.`);
    checkInteger(sku.type, `skuList[${i}].type`, 0, Number.MAX_SAFE_INTEGER);
    checkOptionalString(sku.tagGroupId, `skuList[${i}].tagGroupId`);
  });
  checkOptionalInteger(order.payExpireSeconds, 'payExpireSeconds', 1, Number.MAX_SAFE_INTEGER);
  checkOptionalHttpsUrl(order.payNotifyUrl, 'payNotifyUrl');
  checkOptionalString(order.merchantUid, 'merchantUid');
  // Required by tt.requestOrder (docs/PROTOCOLS.md §2.1): the page the buyer's order links back to.
  checkPlainObject(order.orderEntrySchema, 'orderEntrySchema');
  checkString(order.orderEntrySchema.path, 'orderEntrySchema.path');
  checkOptionalString(order.orderEntrySchema.params, 'orderEntrySchema.params', { minLength: 0 });
}
