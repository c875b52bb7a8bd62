/**
 * The walk follows netfilter's order on the node. A Pod calling a Service without endpoints
 * meets two verdicts in filter FORWARD: Calico Felix's policy (the cali-FORWARD jump that
 * Felix inserts first, then cali-from-wl-dispatch → cali-fw-<veth>) and kube-proxy's REJECT
 * (`-A KUBE-SERVICES … has no endpoints … -j REJECT`, reached by the jumps kube-proxy
 * adds after it). Whichever comes first in the node's own chains decides:
 *
 * - egress-isolated, the backend not allowed: Felix drops first → curl times out (28);
 * - not isolated: Felix's profile accepts and RETURNs (its "Policy explicitly accepted packet."
 *   ACCEPT is *appended* to FORWARD — felix/rules/static.go StaticFilterForwardAppendRules,
 *   felix/dataplane/linux/int_dataplane.go `t.AppendRules("FORWARD", …)`), so kube-proxy's
 *   REJECT answers → connection refused (7).
 *
 * In nftables mode the same holds between base chains: Felix's iptables-nft FORWARD and
 * kube-proxy's `filter-forward` both sit at priority filter (0), and the one registered last
 * (the CNI agent's, which starts after kube-proxy) runs first (nf_hook_entries_grow).
 */
import { describe, expect, it } from 'vitest';
import { netpol, pod, sim, svc } from './fixtures';
import type { HostRef } from '../../../engine/types';
import { connect } from '../../../engine/dataplane/walk';

const isolated: HostRef = { kind: 'pod', namespace: 'default', pod: 'client', container: 'main' };
const free: HostRef = { kind: 'pod', namespace: 'default', pod: 'free', container: 'main' };

function objects() {
  return [
    pod('default', 'client', 'node-1', '10.244.0.50', 'nicolaka/netshoot:v0.13', { app: 'client' }),
    pod('default', 'free', 'node-1', '10.244.0.51', 'nicolaka/netshoot:v0.13', { app: 'free' }),
    pod('default', 'orders-1', 'node-2', '10.244.1.50', 'nginx:1.27', { app: 'orders' }),
    // A Service without endpoints.
    ...svc('default', 'orders', '10.96.0.80', [], [{ name: 'http', port: 80, targetPort: 80 }]),
    // Egress to the orders Pods only (and DNS): the ClusterIP itself is not allowed.
    netpol('default', 'client-egress', {
      podSelector: { matchLabels: { app: 'client' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: { app: 'orders' } } }], ports: [{ protocol: 'TCP', port: 80 }] },
        { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] },
      ],
    }),
  ];
}

describe.each(['iptables', 'nftables'] as const)('Calico, kube-proxy %s mode: a Service without endpoints', (proxyMode) => {
  it('egress-isolated: Felix drops in cali-fw-<veth> before kube-proxy rejects → timeout', () => {
    const s = sim({ cni: 'calico', proxyMode }, objects());
    const r = connect(s.cluster, isolated, '10.96.0.80', 80, 'tcp', { record: false });
    expect(r.outcome).toBe('timeout');
    expect(r.reason).toMatch(/^denied: pod default\/client is selected by NetworkPolicy client-egress for egress/);
    const drop = r.hops.findIndex((h) => h.verdict === 'drop');
    // The chains decided: the hop names Felix's end-of-tier DROP in the workload's chain, as iptables-save prints it.
    expect(r.hops[drop]).toMatchObject({
      where: 'Calico on node-1',
      detail: expect.stringMatching(/^filter table: -A cali-fw-cali[0-9a-f]{11} -m comment --comment "cali:[\w-]{16}" -m comment --comment "Drop if no policies passed packet" -m mark --mark 0x0\/0x20000 -j DROP$/),
      policy: { kind: 'NetworkPolicy', name: 'client-egress', direction: 'egress', allowed: false },
    });
    // Before it, the jump into the policy's cali-po- chain (which set no accept bit), reached
    // through the dispatch on the Pod's veth; no kube-proxy reject came first.
    expect(r.hops[drop - 1].what).toMatch(/^-A cali-fw-cali[0-9a-f]{11} -m comment --comment "cali:[\w-]{16}" -m mark --mark 0x0\/0x20000 -j cali-po-_[\w-]{19}$/);
    expect(r.hops[drop - 2].what).toMatch(/^-A cali-from-wl-dispatch -i cali[0-9a-f]{11} .* -g cali-fw-cali[0-9a-f]{11}$/);
    expect(r.hops.some((h) => h.verdict === 'reject')).toBe(false);
  });

  it('not isolated: Felix accepts and returns, kube-proxy rejects → refused', () => {
    const s = sim({ cni: 'calico', proxyMode }, objects());
    const r = connect(s.cluster, free, '10.96.0.80', 80, 'tcp', { record: false });
    expect(r.outcome).toBe('refused');
    const reject = r.hops.find((h) => h.verdict === 'reject');
    expect(reject?.what).toMatch(proxyMode === 'iptables' ? /KUBE-SERVICES .*has no endpoints.* -j REJECT/ : /reject|no-endpoint/);
    // The workload's chain ran (its profile accepted) before kube-proxy's rule.
    expect(r.hops.some((h) => /-g cali-fw-cali/.test(h.what))).toBe(true);
  });

  it('an allowed destination still passes (the policy sees the DNATed Pod address)', () => {
    const withEndpoint = [
      ...objects().filter((o) => o.kind !== 'Service' && o.kind !== 'EndpointSlice'),
      ...svc('default', 'orders', '10.96.0.80', [['10.244.1.50', 'node-2', 'orders-1']], [{ name: 'http', port: 80, targetPort: 80 }]),
    ];
    const s = sim({ cni: 'calico', proxyMode }, withEndpoint);
    const r = connect(s.cluster, isolated, '10.96.0.80', 80, 'tcp', { record: false });
    expect(r.outcome).toBe('delivered');
    expect(r.hops.find((h) => h.where === 'Calico on node-1')?.what).toMatch(/^NetworkPolicy egress: allowed: NetworkPolicy client-egress/);
  });
});

describe('Flannel enforces no NetworkPolicy', () => {
  it.each(['iptables', 'nftables'] as const)('%s mode: the isolated Pod is refused at once, like any other', (proxyMode) => {
    const s = sim({ cni: 'flannel', proxyMode }, objects());
    expect(connect(s.cluster, isolated, '10.96.0.80', 80, 'tcp', { record: false }).outcome).toBe('refused');
    expect(connect(s.cluster, free, '10.96.0.80', 80, 'tcp', { record: false }).outcome).toBe('refused');
  });
});
