/**
 * MASQUERADE takes the primary address of the interface the packet leaves by
 * (net/netfilter/nf_nat_masquerade.c: inet_select_addr(out, nexthop, RT_SCOPE_UNIVERSE)),
 * which is the device the node's own `ip route get <dst>` names. So NodePort `/clientip`
 * and `conntrack -L` agree with `ip route`: tunl0's address on Calico IPIP, flannel.1's on
 * Flannel VXLAN, cni0's toward a Pod on Flannel's bridge, and for a device without an
 * address (a cali… veth) the first global address of the node's devices, eth0's.
 */
import { describe, expect, it } from 'vitest';
import { pod, sim, svc } from './fixtures';
import type { HostRef } from '../../../engine/types';
import { connect } from '../../../engine/dataplane/walk';

const ws: HostRef = { kind: 'workstation' };
const agnhost = 'registry.k8s.io/e2e-test-images/agnhost:2.52';

function objects() {
  return [
    pod('default', 'echo-a', 'node-1', '10.244.0.70', agnhost, { app: 'echo' }, { containers: [{ name: 'agnhost', image: agnhost, args: ['netexec', '--http-port=8080'] }] }),
    ...svc('default', 'echo', '10.96.30.1', [['10.244.0.70', 'node-1', 'echo-a']], [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }], { type: 'NodePort' }),
  ];
}

function srcOf(route: string): string {
  return / src (\S+) /.exec(route)![1];
}

describe.each([
  ['calico', 'iptables', 'tunl0'],
  ['calico', 'nftables', 'tunl0'],
  ['flannel', 'iptables', 'flannel.1'],
  ['flannel', 'nftables', 'flannel.1'],
] as const)('%s, kube-proxy %s: a NodePort masqueraded toward a Pod', (cni, proxyMode, tunnel) => {
  it(`on the other node: the source is ${tunnel}'s address, as ip route get and conntrack show`, () => {
    const s = sim({ cni, proxyMode }, objects());
    const route = s.run('ssh node-2 ip route get 10.244.0.70').stdout;
    expect(route).toContain(` dev ${tunnel} `);
    const addr = s.run(`ssh node-2 ip -4 -o addr show ${tunnel}`).stdout;
    const tunnelIp = / inet (\S+)\//.exec(addr)![1];
    expect(srcOf(route)).toBe(tunnelIp);
    const r = connect(s.cluster, ws, '192.168.49.3', 30080, 'tcp', { record: false });
    expect(r.outcome).toBe('delivered');
    expect(r.seenSource).toBe(tunnelIp);
    expect(r.hops.find((h) => h.verdict === 'snat' && h.what.startsWith('MASQUERADE'))?.what).toBe(`MASQUERADE: source 192.168.49.1 → ${tunnelIp}`);
    expect(s.run('ssh node-2 conntrack -L -p tcp --dport 30080').stdout).toContain(`src=10.244.0.70 dst=${tunnelIp} sport=8080`);
  });

  it('on the same node: the address of the device toward the Pod, or eth0 for an address-less veth', () => {
    const s = sim({ cni, proxyMode }, objects());
    const r = connect(s.cluster, ws, '192.168.49.2', 30080, 'tcp', { record: false });
    expect(r.outcome).toBe('delivered');
    // Calico: a /32 route to the cali… veth, which has no address → eth0's. Flannel: cni0's.
    expect(r.seenSource).toBe(cni === 'calico' ? '192.168.49.2' : '10.244.0.1');
    if (cni === 'flannel') expect(s.run('ssh node-1 ip route get 10.244.0.70').stdout).toContain(' dev cni0 src 10.244.0.1 ');
  });
});

it('toward the world: eth0 (the default route)', () => {
  const s = sim({ cni: 'calico' }, [...objects(), pod('default', 'client', 'node-2', '10.244.1.80', 'busybox:1.36')]);
  const r = connect(s.cluster, { kind: 'pod', namespace: 'default', pod: 'client', container: 'main' }, 'ifconfig.me', 80, 'tcp', { record: false });
  expect(r.seenSource).toBe('192.168.49.3');
});
