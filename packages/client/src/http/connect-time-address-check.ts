import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { BeforeRequestHook } from 'got';
import { isPublicAddress } from './public-address.js';

/**
 * The stable code of a request refused because the address it would connect to is not public. got keeps
 * it as the error's `code`, and the sender reports it as `TtpayClientError.networkCode` (code `NETWORK`,
 * never retried): nothing was sent, no connection was opened.
 */
export const ADDRESS_NOT_ALLOWED = 'ADDRESS_NOT_ALLOWED';

class AddressNotAllowedError extends Error {
  override readonly name = 'AddressNotAllowedError';
  readonly code = ADDRESS_NOT_ALLOWED;
}

/**
 * SSRF at connect time: a public DNS name may resolve to 127.0.0.1 (`127.0.0.1.nip.io`), to a private
 * address, to the metadata service, or do so only on the second lookup (DNS rebinding). The allow-list
 * checks the name written; this checks the address actually connected to.
 *
 * Why a `lookup` function passed through got's `dnsLookup` option rather than `request-filtering-agent`:
 * both do the same thing — wrap the resolver that `net.connect` calls, and refuse before the socket
 * connects — and both take their range table from ipaddr.js. But request-filtering-agent refuses with
 * code-less errors whose text carries the address (got turns them into `ERR_GOT_REQUEST_ERROR`, so a
 * caller could only match the message), and it replaces got's agent. This lookup fails with the stable
 * code above, which flows through got into `TtpayClientError.networkCode` untouched, and leaves got's
 * agent and keep-alive as they are.
 *
 * Every address of the answer must be public, not only the first: with `autoSelectFamily` (Node's
 * default) `net` tries each of them in turn. `net` connects only to the addresses this returns, so what
 * is checked is what is connected to. IP literals never reach a lookup; `refuseNonPublicIpLiteral`
 * covers them (the allow-list already refuses them in configured URLs).
 */
export const addressCheckingLookup: LookupFunction = (hostname, options, callback) => {
  // `dns.lookup` is read at call time, not destructured: tests substitute the resolver through it.
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error, '');
      return;
    }
    const first = addresses[0];
    if (first === undefined || !addresses.every((a) => isPublicAddress(a.address))) {
      callback(notAllowed(`${hostname} resolves to an address that is not public`), '');
      return;
    }
    if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  });
};

/** got `beforeRequest` hook: an IP-literal host is connected to without a lookup, so check it here. */
export const refuseNonPublicIpLiteral: BeforeRequestHook = (options) => {
  const url = options.url;
  if (url === undefined) return;
  const host = (typeof url === 'string' ? new URL(url) : url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0 && !isPublicAddress(host)) {
    throw notAllowed('the request names an IP address that is not public');
  }
};

function notAllowed(what: string): AddressNotAllowedError {
  return new AddressNotAllowedError(`${what}: refused before connecting (${ADDRESS_NOT_ALLOWED}).`);
}
