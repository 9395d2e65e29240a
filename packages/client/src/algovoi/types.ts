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
  /**
   * Who pays for what, e.g. `Invoice 42 — Acme Fulfilment Ltd`. The gateway echoes it in its webhook as
   * `data.payment_link_label`: make it unique and deterministic, and a link whose creation answer was lost
   * (`OUTCOME_UNKNOWN`) is still recognised when its payment arrives (docs/PROTOCOLS.md §4.2).
   */
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
  /** The last path segment of `checkout_url`: the key for `verifyPayment`; webhooks name it `data.payment_link_token`. */
  token: string;
}

/** Statuses of `GET /checkout/{token}/status` that mean paid (docs/PROTOCOLS.md §4.4). */
export const ALGOVOI_PAID_STATUSES = ['paid', 'completed', 'confirmed'] as const;

export interface PaymentVerification {
  token: string;
  /** `status` is one of paid, completed, confirmed. */
  paid: boolean;
  status: string;
  /** The on-chain transaction id, when the status answer names one as `tx_id` (docs/PROTOCOLS.md §4.4). */
  tx_id?: string;
  /** The whole answer (its other fields are not documented). */
  checkout: Record<string, unknown>;
}
