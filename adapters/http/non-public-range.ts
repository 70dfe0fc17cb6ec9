import ipaddr from 'ipaddr.js';

// NAT64 (RFC 6052) and 6to4 (RFC 3056) addresses embed an IPv4 address that the gateway
// connects to, so 64:ff9b::7f00:1 reaches 127.0.0.1: classify the embedded address instead.
const NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const SIX_TO_FOUR = ipaddr.IPv6.parseCIDR('2002::/16');
// Deprecated IPv4-compatible addresses (RFC 4291 §2.5.5.1); ipaddr.js calls them 'unicast'.
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');

/**
 * The ipaddr.js range name ('loopback', 'private', 'linkLocal', …) when `address` is not a
 * public unicast address, else null. An unparseable address counts as non-public ('invalid').
 */
export function nonPublicRange(address: string): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return 'invalid';
  }
  if (ip instanceof ipaddr.IPv6) {
    const bytes = ip.toByteArray();
    if (ip.isIPv4MappedAddress()) ip = ip.toIPv4Address();
    else if (ip.match(NAT64)) ip = new ipaddr.IPv4(bytes.slice(12, 16));
    else if (ip.match(SIX_TO_FOUR)) ip = new ipaddr.IPv4(bytes.slice(2, 6));
  }
  const range = ip.range();
  if (range !== 'unicast') return range;
  return ip instanceof ipaddr.IPv6 && ip.match(IPV4_COMPATIBLE) ? 'ipv4Compatible' : null;
}
