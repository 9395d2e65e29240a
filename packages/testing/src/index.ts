export { type DemoCredentials, demoCredentials } from './demo-credentials.js';
export * from './fixtures/index.js';
export { DEMO_DOUYIN_APP_SECRET } from './simulator/resolve-options.js';
export { isSimulatorError, SimulatorError, type SimulatorErrorCode } from './simulator/simulator-error.js';
export { startSimulator } from './simulator/start-simulator.js';
export type {
  DeliveryResult,
  FaultRule,
  SimLogEntry,
  SimTikTokOrderInput,
  Simulator,
  SimulatorOptions,
} from './simulator/types.js';
