import { createLoopbackTransport, type Transport } from './http/transport.js';

export type { Transport } from './http/transport.js';

/**
 * FOR TESTS ONLY. A transport that sends every platform request to one loopback origin — the local
 * simulator from `@ttpay/testing` — under the real paths. It accepts only http(s)://127.0.0.1,
 * localhost or [::1], and refuses to be created or used when `NODE_ENV=production`. Clients still check
 * their configured base URLs against the allow-list; errors still name the real host.
 *
 * ```ts
 * const transport = unsafeLoopbackTransportForTests({ baseUrl: sim.url });
 * const ecpay = new DouyinEcpayClient({ appId, salt, transport });
 * ```
 */
export function unsafeLoopbackTransportForTests(options: { baseUrl: string }): Transport {
  return createLoopbackTransport(options?.baseUrl);
}
