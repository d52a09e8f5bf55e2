// Address policy for live capture: every address class, shared vs local mode, allow-lists.
import { describe, expect, it } from 'vitest';
import { checkAddress, classifyAddress, makePolicy, parseAddress } from '../../server/src/live/address-policy.js';
import { parseTargetUrl } from '../../server/src/live/target-url.js';

const local = makePolicy(false, []);
const sharedNone = makePolicy(true, []);

function cls(a: string): string {
  const p = parseAddress(a);
  if (!p) throw new Error(`unparsable ${a}`);
  return classifyAddress(p);
}

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'multicast'],
    ['ff02::1', 'multicast'],
    ['::7f00:1', 'reserved'], // IPv4-compatible ::127.0.0.1
    ['64:ff9b::a9fe:a9fe', 'reserved'], // NAT64 of 169.254.169.254
    ['2002:7f00:1::', 'reserved'], // 6to4 of 127.0.0.1
    ['192.0.2.1', 'reserved'],
    ['8.8.8.8', 'public'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', (a, c) => {
    expect(cls(a)).toBe(c);
  });

  it('does not accept non-standard notations directly (the URL parser normalises them first)', () => {
    expect(parseAddress('2130706433')).toBeNull();
    expect(parseAddress('localhost')).toBeNull();
    // ...and the URL parser turns decimal, hex and short forms into dotted quads:
    expect(parseTargetUrl('http://2130706433:6060/').hostname).toBe('127.0.0.1');
    expect(parseTargetUrl('http://0x7f.1/').hostname).toBe('127.0.0.1');
    expect(parseTargetUrl('http://017700000001/').hostname).toBe('127.0.0.1');
    expect(parseTargetUrl('http://0/').hostname).toBe('0.0.0.0');
    expect(parseTargetUrl('http://[::ffff:169.254.169.254]/').hostname).toBe('[::ffff:a9fe:a9fe]');
  });
});

describe('checkAddress in local mode', () => {
  it.each(['127.0.0.1', '::1', '10.0.0.5', '192.168.0.2', 'fd12::1', '8.8.8.8', '::ffff:127.0.0.1'])('allows %s', (a) => {
    expect(checkAddress(local, a, a).allowed).toBe(true);
  });
  it.each([
    ['169.254.169.254', /cloud metadata/],
    ['::ffff:a9fe:a9fe', /cloud metadata/],
    ['fd00:ec2::254', /cloud metadata/],
    ['169.254.10.10', /link-local/],
    ['fe80::1', /link-local/],
    ['0.0.0.0', /unspecified/],
    ['::', /unspecified/],
    ['239.1.1.1', /multicast/],
    ['::7f00:1', /reserved/],
  ])('refuses %s', (a, why) => {
    const d = checkAddress(local, a, a);
    expect(d.allowed).toBe(false);
    expect(d.reason).toMatch(why);
  });
  it('refuses a host name that resolves to a metadata address (DNS rebinding)', () => {
    const d = checkAddress(local, 'innocent.example', '169.254.169.254');
    expect(d.allowed).toBe(false);
    expect(d.cls).toBe('metadata');
  });
  it('allows link-local and metadata only through an explicit CIDR, not through a host name or /0', () => {
    expect(checkAddress(makePolicy(false, ['169.254.169.254/32']), '169.254.169.254', '169.254.169.254').allowed).toBe(true);
    expect(checkAddress(makePolicy(false, ['169.254.0.0/16']), 'x', '169.254.3.3').allowed).toBe(true);
    expect(checkAddress(makePolicy(false, ['fd00:ec2::254']), 'x', 'fd00:ec2::254').allowed).toBe(true);
    expect(checkAddress(makePolicy(false, ['metadata.internal']), 'metadata.internal', '169.254.169.254').allowed).toBe(false);
    expect(checkAddress(makePolicy(true, ['0.0.0.0/0']), 'x', '169.254.169.254').allowed).toBe(false);
    expect(checkAddress(makePolicy(true, ['0.0.0.0/0']), 'x', '0.0.0.0').allowed).toBe(false);
  });
});

describe('checkAddress in shared mode', () => {
  it('refuses everything without an allow-list, loopback and private included', () => {
    for (const a of ['127.0.0.1', '::1', '10.0.0.1', '8.8.8.8']) {
      const d = checkAddress(sharedNone, a, a);
      expect(d.allowed).toBe(false);
      expect(d.reason).toMatch(/not an allowed target/);
    }
  });
  it('allows addresses inside an allowed CIDR or IP, in both families', () => {
    const p = makePolicy(true, ['10.0.0.0/8', '127.0.0.1', 'fd12::/16']);
    expect(checkAddress(p, 'svc', '10.9.8.7').allowed).toBe(true);
    expect(checkAddress(p, '127.0.0.1', '127.0.0.1').allowed).toBe(true);
    expect(checkAddress(p, '::ffff:127.0.0.1', '::ffff:127.0.0.1').allowed).toBe(true);
    expect(checkAddress(p, 'fd12::9', 'fd12::9').allowed).toBe(true);
    // A v6 address against v4 ranges must not throw (ipaddr.js does for mixed families).
    expect(checkAddress(p, '::1', '::1').allowed).toBe(false);
    expect(checkAddress(p, '127.0.0.2', '127.0.0.2').allowed).toBe(false);
    expect(checkAddress(p, '11.0.0.1', '11.0.0.1').allowed).toBe(false);
  });
  it('allows named hosts and *.suffix patterns, whatever private address they resolve to', () => {
    const p = makePolicy(true, ['pprof.internal', '*.svc.cluster.local']);
    expect(checkAddress(p, 'PPROF.internal', '10.0.0.3').allowed).toBe(true);
    expect(checkAddress(p, 'api.svc.cluster.local', '10.0.0.4').allowed).toBe(true);
    expect(checkAddress(p, 'svc.cluster.local', '10.0.0.4').allowed).toBe(false);
    expect(checkAddress(p, 'evil.internal', '10.0.0.3').allowed).toBe(false);
    // ...but a named host still cannot reach metadata/link-local addresses.
    expect(checkAddress(p, 'pprof.internal', '169.254.169.254').allowed).toBe(false);
  });
  it('an IPv4-mapped IPv6 CIDR matches plain IPv4 addresses', () => {
    const p = makePolicy(true, ['::ffff:10.0.0.0/104']);
    expect(checkAddress(p, 'x', '10.1.1.1').allowed).toBe(true);
  });
});

describe('makePolicy', () => {
  it('rejects bad entries with a message naming them', () => {
    expect(() => makePolicy(true, ['10.0.0.0/99'])).toThrow(/10\.0\.0\.0\/99/);
    expect(() => makePolicy(true, ['http://x'])).toThrow(/http:\/\/x/);
    expect(() => makePolicy(true, ['bad host'])).toThrow(/not a host name/);
  });
});

describe('refusal messages', () => {
  it('name the resolved address in local mode but not on a shared server', () => {
    expect(checkAddress(local, 'meta.example', '169.254.169.254').reason).toMatch(
      /^meta\.example \(169\.254\.169\.254\) is a cloud metadata address/,
    );
    const shared = makePolicy(true, []);
    expect(checkAddress(shared, 'meta.example', '169.254.169.254').reason).toMatch(
      /^meta\.example \(resolved\) is a cloud metadata address/,
    );
    expect(checkAddress(shared, 'db.internal', '10.0.0.7').reason).toBe(
      'db.internal is not an allowed target on this shared server; an admin can add it with --allow-target',
    );
  });
});

describe('--allow-target with ports', () => {
  it('host:port, IP:port, CIDR:port and [IPv6]:port allow only that port; entries without one allow any', () => {
    const p = makePolicy(true, [
      'pprof.internal:6060',
      '10.1.2.3:6060',
      '10.9.0.0/16:7070',
      '[fd00::/8]:6061',
      '[fd12::9]:6062',
      'any.internal',
    ]);
    expect(checkAddress(p, 'pprof.internal', '10.0.0.3', 6060).allowed).toBe(true);
    expect(checkAddress(p, 'pprof.internal', '10.0.0.3', 22).allowed).toBe(false);
    expect(checkAddress(p, 'pprof.internal', '10.0.0.3', 22).reason).toMatch(/pprof\.internal port 22 is not an allowed target/);
    expect(checkAddress(p, '10.1.2.3', '10.1.2.3', 6060).allowed).toBe(true);
    expect(checkAddress(p, '10.1.2.3', '10.1.2.3', 6061).allowed).toBe(false);
    expect(checkAddress(p, 'x', '10.9.8.7', 7070).allowed).toBe(true);
    expect(checkAddress(p, 'x', '10.9.8.7', 6060).allowed).toBe(false);
    expect(checkAddress(p, 'x', 'fd00::1', 6061).allowed).toBe(true);
    expect(checkAddress(p, 'x', 'fd00::1', 80).allowed).toBe(false);
    expect(checkAddress(p, 'fd12::9', 'fd12::9', 6062).allowed).toBe(true);
    expect(checkAddress(p, 'any.internal', '10.0.0.5', 1234).allowed).toBe(true);
  });

  it('a bare IPv6 address has no port; bad ports are refused naming the entry', () => {
    const p = makePolicy(true, ['fd12::9']);
    expect(checkAddress(p, 'fd12::9', 'fd12::9', 6060).allowed).toBe(true);
    expect(() => makePolicy(true, ['host:0'])).toThrow(/"host:0": the port must be a number from 1 to 65535/);
    expect(() => makePolicy(true, ['host:99999'])).toThrow(/port must be/);
    expect(() => makePolicy(true, ['[::1]:x'])).toThrow(/port must be/);
  });
});
