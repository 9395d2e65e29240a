import { SimulatorError } from '../simulator-error.js';
import { isLoopbackListenHost } from './loopback-addresses.js';

/**
 * Refuses a start that would let someone other than the developer drive the simulator: its controls pay
 * orders and send correctly signed callbacks with the published demo credentials, so anyone who can
 * reach it can make an app under test believe money moved. Each refusal names the option that overrides it.
 */
export function refuseUnsafeStart(opts: {
  host: string;
  unsafeAllowNetworkAccess: boolean;
  unsafeAllowProduction: boolean;
  nodeEnv: string | undefined;
}): void {
  if (opts.nodeEnv === 'production' && !opts.unsafeAllowProduction) {
    throw new SimulatorError(
      'PRODUCTION_ENV',
      'The simulator refuses to start with NODE_ENV=production: it fakes payments with public demo ' +
        'credentials. Unset NODE_ENV, or pass unsafeAllowProduction: true in a test harness that must set it.',
    );
  }
  if (!isLoopbackListenHost(opts.host) && !opts.unsafeAllowNetworkAccess) {
    throw new SimulatorError(
      'UNSAFE_HOST',
      `The simulator listens on loopback addresses only (127.0.0.1, ::1, localhost), not "${opts.host}": ` +
        'anyone who can reach it could pay orders and send signed callbacks. Pass ' +
        'unsafeAllowNetworkAccess: true (ttpay simulate --unsafe-allow-network-access) to accept that.',
    );
  }
}
