import ipaddr from 'ipaddr.js';

/** `::a.b.c.d` (IPv4-compatible IPv6, deprecated by RFC 4291): ipaddr.js calls `::7f00:1` unicast. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/**
 * Whether `address` (an IP address as a resolver returns it) is a public unicast address — one a
 * platform can have. Refused: loopback, RFC 1918 private, CGNAT 100.64/10, link-local 169.254/16 (the
 * cloud metadata address 169.254.169.254) and fe80::/10, unique-local fc00::/7, unspecified (0.0.0.0/8,
 * ::), multicast, broadcast, documentation, benchmarking and reserved ranges, the IPv4-mapped and
 * IPv4-compatible IPv6 forms of any of these, and the IPv6 transition ranges that embed an IPv4 address
 * (NAT64 64:ff9b::/96, 6to4, Teredo). Anything that does not parse is refused too.
 *
 * The range table is ipaddr.js's (IANA's special-purpose registries): "unicast" is its name for an
 * address in none of them.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // ::ffff:127.0.0.1 → 127.0.0.1, so a mapped address is judged by its IPv4 range.
  const ip = ipaddr.process(address);
  if (ip.kind() === 'ipv6' && ip.match(IPV4_COMPATIBLE)) return false;
  return ip.range() === 'unicast';
}
