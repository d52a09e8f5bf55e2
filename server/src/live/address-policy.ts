// Which network addresses live capture may connect to. Pure functions: the fetcher
// calls checkAddress() for every resolved address and every literal-IP host, so
// DNS rebinding and redirects meet the same rule as the URL the user typed.
//
// Rules
// - Never: unspecified (0.0.0.0, ::), multicast, broadcast.
// - Only when an --allow-target CIDR covers the address (a catch-all /0 does not
//   count): link-local (169.254/16, fe80::/10), cloud metadata endpoints,
//   reserved/translation ranges (NAT64, 6to4, Teredo, IPv4-compatible ::a.b.c.d).
// - Local mode: loopback, private and public addresses are fine.
// - Shared mode: only hosts named in --allow-target, or addresses inside an
//   allowed CIDR.
// - An entry with a port (host:6060, 10.0.0.0/8:6060, [fd00::/8]:6060) allows only
//   that port; without one, any port.
import ipaddr from 'ipaddr.js';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

export type AddressClass = 'loopback' | 'private' | 'public' | 'link-local' | 'metadata' | 'reserved' | 'unspecified' | 'multicast';

export interface TargetPolicy {
  /** `serve --shared`: only allow-listed targets. */
  shared: boolean;
  /** Lower-case host names; an entry starting with "*." matches any subdomain. */
  hosts: Array<{ name: string; port: number | null }>;
  cidrs: Array<{ text: string; range: [Addr, number]; port: number | null }>;
}

export interface AddressDecision {
  allowed: boolean;
  cls: AddressClass;
  /** Normalised address (IPv4-mapped IPv6 shown as IPv4). */
  address: string;
  /** Why it was refused ("" when allowed). */
  reason: string;
}

/** Known cloud metadata / host-agent endpoints (besides all of 169.254.0.0/16). */
const METADATA: Array<[Addr, number]> = [
  ipaddr.parseCIDR('169.254.169.254/32'),
  ipaddr.parseCIDR('169.254.170.2/32'),
  ipaddr.parseCIDR('fd00:ec2::254/128'),
  ipaddr.parseCIDR('100.100.100.200/32'),
  ipaddr.parseCIDR('168.63.129.16/32'),
];

/** ::/96 minus :: and ::1 -- deprecated IPv4-compatible addresses, reach IPv4 hosts on some stacks. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/**
 * Parses an address as it appears in a URL host, a DNS answer or a socket:
 * optional brackets, optional zone id, IPv4-mapped IPv6 unwrapped to IPv4.
 * Only standard notations; the URL parser has already normalised decimal/hex hosts.
 */
export function parseAddress(text: string): Addr | null {
  let t = text.trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  const zone = t.indexOf('%');
  if (zone >= 0) t = t.slice(0, zone);
  // Cheap shape tests first: ipaddr's validators throw and catch internally, which is slow for host names.
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) return ipaddr.IPv4.isValidFourPartDecimal(t) ? ipaddr.IPv4.parse(t) : null;
  if (t.includes(':') && ipaddr.IPv6.isValid(t)) {
    const a = ipaddr.IPv6.parse(t);
    return a.isIPv4MappedAddress() ? a.toIPv4Address() : a;
  }
  return null;
}

export function isIpLiteral(host: string): boolean {
  return parseAddress(host) !== null;
}

function inRange(a: Addr, range: [Addr, number]): boolean {
  // ipaddr throws when families differ; a v4 range never holds a v6 address.
  if (a.kind() !== range[0].kind()) return false;
  return a.match(range);
}

export function classifyAddress(a: Addr): AddressClass {
  if (METADATA.some((r) => inRange(a, r))) return 'metadata';
  const range = a.range();
  switch (range) {
    case 'unspecified':
      return 'unspecified';
    case 'loopback':
      return 'loopback';
    case 'private':
    case 'carrierGradeNat':
    case 'uniqueLocal':
      return 'private';
    case 'linkLocal':
      return 'link-local';
    case 'multicast':
    case 'broadcast':
      return 'multicast';
    case 'unicast':
      if (a.kind() === 'ipv6' && inRange(a, IPV4_COMPATIBLE)) return 'reserved';
      return 'public';
    default:
      // reserved, benchmarking, rfc6052 (NAT64), 6to4, teredo, rfc6145, ...
      return 'reserved';
  }
}

/**
 * Builds the policy from `--allow-target` entries: a host name, an IP, or a CIDR.
 * Throws an Error naming the first bad entry.
 */
export function makePolicy(shared: boolean, allowTargets: readonly string[]): TargetPolicy {
  const hosts: TargetPolicy['hosts'] = [];
  const cidrs: TargetPolicy['cidrs'] = [];
  for (const raw of allowTargets) {
    const split = splitPort(raw.trim(), raw);
    const entry = split.entry;
    const port = split.port;
    if (entry === '') continue;
    if (entry.includes('/')) {
      let range: [Addr, number];
      try {
        range = ipaddr.parseCIDR(entry);
      } catch {
        throw new Error(`--allow-target ${JSON.stringify(raw)}: not a valid CIDR`);
      }
      const [base, bits] = range;
      // Store mapped IPv6 ranges as IPv4 so they match unwrapped addresses.
      if (base.kind() === 'ipv6' && (base as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
        range = [(base as ipaddr.IPv6).toIPv4Address(), bits - 96];
      }
      cidrs.push({ text: entry, range, port });
      continue;
    }
    const ip = parseAddress(entry);
    if (ip) {
      cidrs.push({ text: entry, range: [ip, ip.kind() === 'ipv4' ? 32 : 128], port });
      continue;
    }
    const host = entry.toLowerCase().replace(/\.$/, '');
    if (!/^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(host)) {
      throw new Error(`--allow-target ${JSON.stringify(raw)}: not a host name, IP address or CIDR`);
    }
    hosts.push({ name: host, port });
  }
  return { shared, hosts, cidrs };
}

/** "entry:port" (IPv6 in brackets: "[::1]:6060", "[fd00::/8]:6060") -> entry and port. */
function splitPort(entry: string, raw: string): { entry: string; port: number | null } {
  let host = entry;
  let portText: string | null = null;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (bracket) {
    host = bracket[1];
    portText = bracket[2] ?? null;
  } else {
    const colon = entry.lastIndexOf(':');
    // A bare IPv6 address has several colons and no port.
    if (colon >= 0 && entry.indexOf(':') === colon) {
      host = entry.slice(0, colon);
      portText = entry.slice(colon + 1);
    }
  }
  if (portText === null) return { entry: host, port: null };
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new Error(`--allow-target ${JSON.stringify(raw)}: the port must be a number from 1 to 65535`);
  return { entry: host, port };
}

const portOk = (entry: { port: number | null }, port: number | undefined) =>
  entry.port === null || port === undefined || entry.port === port;

/** `port` undefined: any port an entry allows (the exact port is checked when connecting). */
export function hostAllowed(policy: TargetPolicy, hostname: string, port?: number): boolean {
  let h = hostname.toLowerCase().replace(/\.$/, '');
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return policy.hosts.some(
    (e) => portOk(e, port) && (e.name.startsWith('*.') ? h.endsWith(e.name.slice(1)) && h.length > e.name.length - 1 : h === e.name),
  );
}

/** Shared mode, before connecting to a host name: could any entry allow this port at all? */
export function portAllowed(policy: TargetPolicy, hostname: string, port: number): boolean {
  if (!policy.shared) return true;
  return hostAllowed(policy, hostname, port) || policy.cidrs.some((c) => portOk(c, port));
}

/**
 * Decides whether a connection to `address` (resolved for `hostname`, which may be
 * the address itself) is allowed.
 */
export function checkAddress(policy: TargetPolicy, hostname: string, address: string, port?: number): AddressDecision {
  const a = parseAddress(address);
  if (!a) return { allowed: false, cls: 'reserved', address, reason: `${address} is not an IP address` };
  const cls = classifyAddress(a);
  const shown = a.toString();
  const coveringCidr = policy.cidrs.find((c) => portOk(c, port) && inRange(a, c.range));
  const explicit = policy.cidrs.some((c) => portOk(c, port) && c.range[1] > 0 && inRange(a, c.range));
  // Name the address the user typed; on a shared server do not reveal what internal
  // names resolve to.
  const literal = parseAddress(hostname) !== null;
  const subject = literal ? shown : policy.shared ? `${hostname} (resolved)` : `${hostname} (${shown})`;
  const refuse = (reason: string): AddressDecision => ({ allowed: false, cls, address: shown, reason });
  const ok: AddressDecision = { allowed: true, cls, address: shown, reason: '' };

  if (cls === 'unspecified') return refuse(`${subject} is the unspecified address`);
  if (cls === 'multicast') return refuse(`${subject} is a multicast/broadcast address`);
  if (cls === 'link-local' || cls === 'metadata' || cls === 'reserved') {
    if (explicit) return ok;
    const what = cls === 'metadata' ? 'a cloud metadata address' : cls === 'link-local' ? 'a link-local address' : 'a reserved address';
    return refuse(`${subject} is ${what}; allow it explicitly with --allow-target if you really mean it`);
  }
  if (!policy.shared) return ok;
  if (coveringCidr || hostAllowed(policy, hostname, port)) return ok;
  const what = (literal ? shown : hostname) + (port === undefined ? '' : ` port ${port}`);
  return refuse(`${what} is not an allowed target on this shared server; an admin can add it with --allow-target`);
}
