/** The networks the gateway settles on (docs/PROTOCOLS.md §4). */
export const ALGOVOI_NETWORKS = [
  'algorand_mainnet',
  'voi_mainnet',
  'hedera_mainnet',
  'stellar_mainnet',
] as const;
export type AlgoVoiNetwork = (typeof ALGOVOI_NETWORKS)[number];

export type CheckoutStatus = 'pending' | 'paid' | 'expired';

export interface AlgoVoiCheckout {
  token: string;
  status: CheckoutStatus;
  amount: number;
  currency: string;
  label?: string;
  network: AlgoVoiNetwork;
  redirect_url?: string;
  checkout_url: string;
  amount_microunits: number;
  created_at: number;
  expires_at?: number;
  tx_id?: string;
  paid_at?: number;
}

/** Payment links created through the simulated gateway, by checkout token. */
export class AlgoVoiStore {
  readonly checkouts = new Map<string, AlgoVoiCheckout>();

  /** The checkout now: a pending link past `expires_in_seconds` has expired. */
  get(token: string, now = Date.now()): AlgoVoiCheckout | undefined {
    const checkout = this.checkouts.get(token);
    if (checkout?.status === 'pending' && checkout.expires_at !== undefined && now > checkout.expires_at) {
      checkout.status = 'expired';
    }
    return checkout;
  }
}
