import { TtpayClientError } from '../client-error.js';

/**
 * Where requests physically go. The default sends each request to the real, allow-listed platform
 * origin. The only other transport is the loopback one from `@ttpay/client/testing`, for the local
 * simulator. A transport is opaque: an object that did not come from one of those factories is refused,
 * so a configuration value can never point a client somewhere else.
 */
export interface Transport {
  readonly kind: 'platform' | 'loopback-test';
}

type OriginMap = (realOrigin: string) => string;

const trusted = new WeakMap<Transport, OriginMap>();

function register(transport: Transport, map: OriginMap): Transport {
  Object.freeze(transport);
  trusted.set(transport, map);
  return transport;
}

export const platformTransport: Transport = register({ kind: 'platform' }, (origin) => origin);

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Internal: the implementation behind `unsafeLoopbackTransportForTests` (see `../testing.ts`). */
export function createLoopbackTransport(baseUrl: string): Transport {
  refuseInProduction();
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    // reported below
  }
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    !LOOPBACK_HOSTS.has(url.hostname) ||
    url.username !== '' ||
    url.password !== '' ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new TtpayClientError(
      'HOST_NOT_ALLOWED',
      'The loopback test transport takes only http(s)://127.0.0.1, localhost or [::1] with a port and no path.',
    );
  }
  const origin = url.origin;
  return register({ kind: 'loopback-test' }, () => origin);
}

/** Refuses a transport that no factory here made (checked when a client is built). */
export function checkTransport(transport: Transport): void {
  mapOf(transport);
}

/** The origin to connect to for a request meant for `realOrigin`. */
export function physicalOrigin(transport: Transport, realOrigin: string): string {
  return mapOf(transport)(realOrigin);
}

function mapOf(transport: Transport): OriginMap {
  const map = trusted.get(transport);
  if (map === undefined) {
    throw new TtpayClientError(
      'HOST_NOT_ALLOWED',
      'transport must be omitted (the real platform hosts) or come from unsafeLoopbackTransportForTests().',
    );
  }
  if (transport.kind === 'loopback-test') refuseInProduction();
  return map;
}

function refuseInProduction(): void {
  if (process.env.NODE_ENV === 'production') {
    throw new TtpayClientError(
      'HOST_NOT_ALLOWED',
      'The loopback test transport refuses to work with NODE_ENV=production.',
    );
  }
}
