import { TtpayError } from '@ttpay/core';

/** Why a simulator control call (`sim.douyin.pay`, `sim.algovoi.pay`, …) refused to act, or the simulator to start. */
export type SimulatorErrorCode =
  | 'UNKNOWN_ORDER'
  | 'UNKNOWN_REFUND'
  | 'UNKNOWN_SETTLEMENT'
  | 'UNKNOWN_CHECKOUT'
  | 'UNKNOWN_DELIVERY'
  | 'INVALID_STATE'
  | 'NO_DELIVERY_URL'
  | 'INVALID_ARGUMENT'
  | 'CLOSED'
  /** startSimulator: a non-loopback `host` without `unsafeAllowNetworkAccess`. */
  | 'UNSAFE_HOST'
  /** startSimulator: NODE_ENV=production without `unsafeAllowProduction`. */
  | 'PRODUCTION_ENV';

export class SimulatorError extends TtpayError<SimulatorErrorCode> {
  override readonly name: string = 'SimulatorError';
}

/** The HTTP status a control route or the dashboard answers a refusal with. */
export const SIMULATOR_ERROR_STATUS: Readonly<Record<SimulatorErrorCode, number>> = {
  UNKNOWN_ORDER: 404,
  UNKNOWN_REFUND: 404,
  UNKNOWN_SETTLEMENT: 404,
  UNKNOWN_CHECKOUT: 404,
  UNKNOWN_DELIVERY: 404,
  INVALID_STATE: 409,
  NO_DELIVERY_URL: 400,
  INVALID_ARGUMENT: 400,
  CLOSED: 503,
  UNSAFE_HOST: 400,
  PRODUCTION_ENV: 400,
};
