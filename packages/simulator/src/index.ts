export * from './deprecated.js';
export { SimulatorError, type SimulatorErrorCode } from './simulator/simulator-error.js';
export { startSimulator } from './simulator/start-simulator.js';
export type {
  DeliveryResult,
  FaultRule,
  Simulator,
  SimulatorOptions,
  UserRefundResult,
} from './simulator/types.js';
