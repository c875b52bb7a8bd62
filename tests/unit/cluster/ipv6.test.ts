/**
 * IPv6 text and arithmetic (engine/cluster/ipv6.ts). Text follows RFC 5952 section 4 (the
 * examples there), which Go's netip.Addr.String(), iproute2 and kubectl all print; reverse
 * names follow RFC 3596 section 2.5; the route order is fib6's tree walk (net/ipv6/ip6_fib.c
 * fib6_walk_continue: left, right, then the node's own routes).
 */
import { describe, expect, it } from 'vitest';
import { canonicalIPv6, cidr6Contains, cidr6Text, formatIPv6, ipFamilyOf, isIPv6, parseCidr6, parseIPv6, reverseName6 } from '../../../engine/cluster/ipv6';
import { sortRoutes6 } from '../../../engine/controllers/cni/netdev';

describe('RFC 5952 text', () => {
  it('compresses the longest run of zero groups, lowercases, drops leading zeros', () => {
    expect(canonicalIPv6('2001:db8:0:0:0:0:2:1')).toBe('2001:db8::2:1');
    expect(canonicalIPv6('2001:0db8::0001')).toBe('2001:db8::1');
    expect(canonicalIPv6('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1'); // one zero group is not compressed
    expect(canonicalIPv6('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1'); // the longer run
    expect(canonicalIPv6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1'); // the first of equal runs
    expect(canonicalIPv6('2001:DB8::AAAA')).toBe('2001:db8::aaaa');
    expect(canonicalIPv6('fd00:10:96:0:0:0:0:a')).toBe('fd00:10:96::a');
  });

  it('round-trips through 128-bit numbers', () => {
    const n = parseIPv6('fd00:10:244:1::3')!;
    expect(formatIPv6(n + 1n)).toBe('fd00:10:244:1::4');
    expect(formatIPv6(0n)).toBe('::');
    expect(formatIPv6(1n)).toBe('::1');
  });

  it('tells addresses from non-addresses', () => {
    expect(isIPv6('fd00::1')).toBe(true);
    expect(isIPv6('fe80::1%eth0')).toBe(false);
    expect(isIPv6('10.0.0.1')).toBe(false);
    expect(isIPv6('fd00::1::2')).toBe(false);
    expect(ipFamilyOf('fd00::1')).toBe('IPv6');
    expect(ipFamilyOf('10.0.0.1')).toBe('IPv4');
  });
});

describe('blocks', () => {
  it('clears host bits and checks membership', () => {
    expect(cidr6Text(parseCidr6('fd00:10:244:1::7/64')!)).toBe('fd00:10:244:1::/64');
    expect(cidr6Contains('fd00:10:244::/56', 'fd00:10:244:ff::1')).toBe(true);
    expect(cidr6Contains('fd00:10:244::/56', 'fd00:10:244:100::1')).toBe(false);
    expect(parseCidr6('fd00::/129')).toBeUndefined();
  });

  it('names an address under ip6.arpa, one nibble per label', () => {
    expect(reverseName6('fd00:10:96::a')).toBe('a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa');
  });
});

describe('the IPv6 main table in dump order', () => {
  it('lists a covering prefix after the routes inside it and the default route last', () => {
    const dsts = ['default', 'fe80::/64', 'fd00:10:244::/56', 'fd00:10:244:1::/64', '::1', 'fd00:10:244:1::', 'fd00:10:244::/64'];
    expect(sortRoutes6(dsts.map((dst) => ({ dst }))).map((r) => r.dst)).toEqual(['::1', 'fd00:10:244::/64', 'fd00:10:244:1::', 'fd00:10:244:1::/64', 'fd00:10:244::/56', 'fe80::/64', 'default']);
  });
});
