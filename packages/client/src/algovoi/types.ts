/** Networks the gateway settles on (docs/PROTOCOLS.md §4). */
export const ALGOVOI_NETWORKS = [
  'algorand_mainnet',
  'voi_mainnet',
  'hedera_mainnet',
  'stellar_mainnet',
] as const;
export type AlgoVoiNetwork = (typeof ALGOVOI_NETWORKS)[number];

export interface CreatePaymentLinkRequest {
  /** Major units: a number, or a decimal string such as TikTok's `"12.34"`; > 0, at most 2 decimals. */
  amount: number | string;
  /** ISO 4217, from the client's `currencies` allow-list. */
  currency: string;
  label: string;
  preferred_network: AlgoVoiNetwork;
  /** https only. */
  redirect_url?: string;
  expires_in_seconds?: number;
}

export interface PaymentLink {
  checkout_url: string;
  chain: string;
  amount_microunits: number | string;
  /** The last path segment of `checkout_url`: the key for `verifyPayment` and the gateway webhook. */
  token: string;
}

/** Statuses of `GET /checkout/{token}` that mean paid (docs/PROTOCOLS.md §4). */
export const ALGOVOI_PAID_STATUSES = ['paid', 'completed', 'confirmed'] as const;

export interface PaymentVerification {
  token: string;
  /** `status` is one of paid, completed, confirmed. */
  paid: boolean;
  status: string;
  /** The transaction id, when the checkout answer names one as `tx_id` (undocumented). */
  tx_id?: string;
  /** The whole answer (its other fields are not documented). */
  checkout: Record<string, unknown>;
}
