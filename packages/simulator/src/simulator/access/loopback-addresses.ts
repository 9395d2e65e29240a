/** An IP address (as a socket reports it, or as given to `listen`) on this machine's loopback interface. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  // An IPv4 peer of a server listening on `::` shows as `::ffff:127.0.0.1`.
  const ip = address.toLowerCase().replace(/^::ffff:(?=\d)/, '');
  return ip === '::1' || /^127(?:\.\d{1,3}){3}$/.test(ip);
}

/** A `listen` host that stays on this machine: a loopback address, or `localhost`. */
export function isLoopbackListenHost(host: string): boolean {
  return host.toLowerCase() === 'localhost' || isLoopbackAddress(host.replace(/^\[|\]$/g, ''));
}

/** The host names the developer's own browser and tools use for this machine (`URL#hostname` form). */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];
