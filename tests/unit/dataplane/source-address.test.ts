/**
 * The kernel's one rule for a source address, as dataplane/netns models it:
 * net/ipv4/devinet.c inet_select_addr(dev, dst, scope) — the device's primary addresses of at
 * most `scope`, the one whose subnet holds `dst` first, else the first; a device without one
 * falls back to the first such address of any device in order (lo's 127.0.0.1 is host-scoped,
 * secondaries never count). MASQUERADE asks it with the route's next hop and
 * RT_SCOPE_UNIVERSE (net/netfilter/nf_nat_masquerade.c); `ip route get` and ICMP errors take
 * the route's `src` first (net/ipv4/route.c fib_result_prefsrc).
 */
import { describe, expect, it } from 'vitest';
import { localSource, masqueradeSource, routeSource, selectAddress, type NetAddr, type NetLink, type NetNamespace } from '../../../engine/dataplane/netns';

function link(ifindex: number, name: string, addrs: Partial<NetAddr>[]): NetLink {
  return {
    ifindex, name, flags: ['UP'], mtu: 1500, qdisc: 'noqueue', state: 'UP', qlen: 0, linkType: 'ether', mac: '00:00:00:00:00:00', brd: 'ff:ff:ff:ff:ff:ff', kind: 'device',
    addrs: addrs.map((a) => ({ family: 'inet', prefix: 32, scope: 'global', local: '', ...a }) as NetAddr),
  };
}

const ns: NetNamespace = {
  id: 'node/node-2',
  links: [
    link(1, 'lo', [{ local: '127.0.0.1', prefix: 8, scope: 'host' }]),
    link(2, 'eth0', [{ local: '192.168.49.3', prefix: 24 }, { local: '192.168.50.3', prefix: 24 }, { local: '192.168.49.30', prefix: 24, flags: ['secondary'] }]),
    link(3, 'tunl0', [{ local: '10.244.1.0', prefix: 32 }]),
    link(4, 'cali0123456789a', []),
    link(5, 'dummy0', [{ local: '169.254.25.10', prefix: 32, scope: 'link' }]),
  ],
  routes: [
    { dst: 'default', via: '192.168.49.1', dev: 'eth0' },
    { dst: '192.168.49.0/24', dev: 'eth0', proto: 'kernel', scope: 'link', src: '192.168.49.3' },
    { dst: '192.168.50.0/24', dev: 'eth0', proto: 'kernel', scope: 'link', src: '192.168.50.3' },
    { dst: '10.244.0.0/24', via: '192.168.49.2', dev: 'tunl0', proto: 'bird', onlink: true },
    { dst: '10.244.1.7', dev: 'cali0123456789a', scope: 'link' },
    { dst: '10.244.2.0/24', via: '192.168.50.4', dev: 'eth0', proto: 'bird' },
    { dst: '10.244.9.0/24', dev: 'dummy0', scope: 'link' },
    { type: 'blackhole', dst: '10.244.1.0/24', proto: 'bird' },
  ],
  neighbors: [],
};

describe('inet_select_addr', () => {
  it('prefers the primary address in the next hop\'s subnet, skips secondaries', () => {
    expect(selectAddress(ns, 'eth0', '192.168.50.4', 'global')).toBe('192.168.50.3');
    expect(selectAddress(ns, 'eth0', '192.168.49.30', 'global')).toBe('192.168.49.3');
    expect(selectAddress(ns, 'eth0', '8.8.8.8', 'global')).toBe('192.168.49.3');
  });
  it('a device without an address: the first global one in device order (lo is host-scoped)', () => {
    expect(selectAddress(ns, 'cali0123456789a', '10.244.1.7', 'global')).toBe('192.168.49.3');
  });
  it('a link-scoped address serves a link-scoped route, never MASQUERADE (RT_SCOPE_UNIVERSE)', () => {
    expect(selectAddress(ns, 'dummy0', '10.244.9.9', 'link')).toBe('169.254.25.10');
    expect(masqueradeSource(ns, '10.244.9.9')).toBe('192.168.49.3');
  });
});

describe('MASQUERADE, ip route get and ICMP errors share it', () => {
  it('toward another node\'s Pods through the tunnel: tunl0\'s address', () => {
    expect(masqueradeSource(ns, '10.244.0.70')).toBe('10.244.1.0');
    expect(localSource(ns, '10.244.0.70')).toBe('10.244.1.0');
  });
  it('a route via a gateway on the second subnet: that subnet\'s address', () => {
    expect(masqueradeSource(ns, '10.244.2.5')).toBe('192.168.50.3');
  });
  it('the route\'s src wins for the host\'s own packets only', () => {
    const withSrc: NetNamespace = { ...ns, routes: ns.routes.map((r) => (r.dst === '10.244.0.0/24' ? { ...r, src: '192.168.49.3' } : r)) };
    const r = withSrc.routes.find((x) => x.dst === '10.244.0.0/24')!;
    expect(routeSource(withSrc, r, '10.244.0.70')).toBe('192.168.49.3');
    expect(localSource(withSrc, '10.244.0.70')).toBe('192.168.49.3');
    expect(masqueradeSource(withSrc, '10.244.0.70')).toBe('10.244.1.0');
  });
  it('a blackholed address has no device: the first global address', () => {
    expect(masqueradeSource(ns, '10.244.1.99')).toBe('192.168.49.3');
  });
});
