export { SimulatorError, type SimulatorErrorCode } from './simulator/simulator-error.js';
export { startSimulator } from './simulator/start-simulator.js';
export type {
  DeliveryResult,
  FaultRule,
  SimLogEntry,
  SimTikTokOrderInput,
  Simulator,
  SimulatorOptions,
  UserRefundOptions,
  UserRefundResult,
} from './simulator/types.js';
