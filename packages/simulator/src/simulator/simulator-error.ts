import { CodedError } from '@ttpay/core';

/** Why a simulator control call (`sim.douyin.pay`, `sim.algovoi.pay`, …) refused to act. */
export type SimulatorErrorCode =
  | 'UNKNOWN_ORDER'
  | 'UNKNOWN_REFUND'
  | 'UNKNOWN_SETTLEMENT'
  | 'UNKNOWN_CHECKOUT'
  | 'INVALID_STATE'
  | 'NO_DELIVERY_URL'
  | 'INVALID_ARGUMENT'
  | 'CLOSED';

export class SimulatorError extends CodedError<SimulatorErrorCode> {
  override readonly name: string = 'SimulatorError';
}
