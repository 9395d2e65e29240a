/**
 * The simulated shop's carriers, by delivery option. TikTok matches a seller's tracking number against
 * carriers and refuses one that matches none (11028006, docs/PROTOCOLS.md §5.6); HOW it matches is not
 * published. The simulator matches each carrier's public number format — its own assumption — which is
 * enough to refuse what no carrier issues, such as a 52-character Algorand transaction id.
 */
export interface SimCarrier {
  id: string;
  name: string;
  trackingNumber: RegExp;
}

/** A seller-shipped delivery option (its providers come from Get Shipping Providers). */
export const SELLER_DELIVERY_OPTION_ID = '7091146663229654785';
/** A TikTok-shipped delivery option: Get Shipping Providers refuses it (21008117). */
export const TIKTOK_DELIVERY_OPTION_ID = '7091146663229654786';

export const SIM_CARRIERS: readonly SimCarrier[] = [
  // The provider id of the Partner Center's Get Shipping Providers example.
  { id: '7117858858072016686', name: 'USPS', trackingNumber: /^(9\d{21}|9\d{25}|[A-Z]{2}\d{9}US)$/ },
  { id: '7117858858072016687', name: 'UPS', trackingNumber: /^1Z[0-9A-Z]{16}$/ },
  { id: '7117858858072016688', name: 'FedEx', trackingNumber: /^(\d{12}|\d{15})$/ },
];

export function carriersOf(deliveryOptionId: string): readonly SimCarrier[] | undefined {
  return deliveryOptionId === SELLER_DELIVERY_OPTION_ID ? SIM_CARRIERS : undefined;
}

/** Why TikTok would refuse this tracking number for this provider; undefined when it is accepted. */
export function trackingProblem(
  deliveryOptionId: string | undefined,
  trackingNumber: string,
  providerId: string,
): { code: 'no-carrier' | 'mismatch'; message: string } | undefined {
  if (!SIM_CARRIERS.some((c) => c.trackingNumber.test(trackingNumber))) {
    return {
      code: 'no-carrier',
      message:
        'This tracking number cannot be matched to any carrier, please check the tracking number and upload again.',
    };
  }
  const carrier = carriersOf(deliveryOptionId ?? '')?.find((c) => c.id === providerId);
  if (carrier === undefined || !carrier.trackingNumber.test(trackingNumber)) {
    return {
      code: 'mismatch',
      message: 'Invalid tracking number or provider ID. Please double check and try again.',
    };
  }
  return undefined;
}
