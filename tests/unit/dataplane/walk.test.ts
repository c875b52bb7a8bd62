/**
 * Properties of the packet's walk that a learner can observe: who answers, with which
 * source address the server saw, how it fails, and the TTL/trace it leaves.
 */
import { describe, expect, it } from 'vitest';
import { dnsLayer, ns, pod, sim, svc } from './fixtures';
import type { HostRef } from '../../../engine/types';
import { connect, reach, sendPacket } from '../../../engine/dataplane/walk';

const echo = (name: string, node: string, ip: string) =>
  pod('default', name, node, ip, 'registry.k8s.io/e2e-test-images/agnhost:2.52', { app: 'echo' }, {
    containers: [{ name: 'agnhost', image: 'registry.k8s.io/e2e-test-images/agnhost:2.52', args: ['netexec', '--http-port=8080'] }],
  });

function objects(etp: 'Cluster' | 'Local') {
  return [
    ...dnsLayer(),
    ns('apps'),
    echo('echo-a', 'node-1', '10.244.0.70'),
    pod('default', 'client', 'node-2', '10.244.1.80', 'busybox:1.36'),
    pod('default', 'leaving', 'node-2', '10.244.1.81', 'nginx:1.27'),
    ...svc('default', 'echo', '10.96.30.1', [['10.244.0.70', 'node-1', 'echo-a']], [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }], {
      type: 'LoadBalancer',
      externalTrafficPolicy: etp,
      ...(etp === 'Local' ? { healthCheckNodePort: 32000 } : {}),
    }),
    ...svc('default', 'empty', '10.96.30.2', [], [{ port: 80, targetPort: 80 }]),
  ];
}

const ws: HostRef = { kind: 'workstation' };
const client: HostRef = { kind: 'pod', namespace: 'default', pod: 'client', container: 'main' };

describe('NodePort and LoadBalancer, externalTrafficPolicy', () => {
  it('Cluster: any node forwards, and the server sees that node (masquerade)', () => {
    const s = sim({ cni: 'calico' }, objects('Cluster'));
    const r = connect(s.cluster, ws, '192.168.49.3', 30080, 'tcp', { record: false });
    expect(r.outcome).toBe('delivered');
    expect(r.server?.ip).toBe('10.244.0.70');
    // The Pod is on node-1: node-2 sends it out of tunl0 (`ip route get 10.244.0.70` there),
    // so MASQUERADE takes tunl0's address (nf_nat_masquerade.c: inet_select_addr(out, …)).
    expect(r.seenSource).toBe('10.244.0.64');
    expect(s.run('ssh node-2 ip route get 10.244.0.70').stdout).toMatch(/ dev tunl0 src 10\.244\.0\.64 /);
  });
  it('Local: the node without an endpoint drops; the one with it keeps the client address', () => {
    const s = sim({ cni: 'calico' }, objects('Local'));
    expect(reach(s.cluster, ws, '192.168.49.3', 30080).outcome).toBe('timeout');
    const r = connect(s.cluster, ws, '192.168.49.2', 30080, 'tcp', { record: false });
    expect(r.outcome).toBe('delivered');
    expect(r.seenSource).toBe('192.168.49.1');
  });
  it('the cloud load balancer sends Local traffic only to nodes passing the health check', () => {
    const s = sim({ cni: 'calico' }, objects('Local'));
    // The address the cluster's load-balancer controller handed out from the pool.
    const lbIp: string = s.get('Service', 'default', 'echo')!.status.loadBalancer.ingress[0].ip;
    for (let i = 0; i < 8; i++) {
      const r = connect(s.cluster, ws, lbIp, 80, 'tcp', { record: false });
      expect(r.outcome).toBe('delivered');
      expect(r.seenSource).toBe('192.168.49.1');
      expect(r.hops.find((h) => h.where === 'cloud load balancer')?.what).toContain('forwarded to node-1 192.168.49.2:30080');
    }
  });
});

describe('leaving and failing', () => {
  const s = sim({ cni: 'calico' }, objects('Cluster'));
  it('egress to the internet is SNATed to the node address', () => {
    const r = connect(s.cluster, client, 'ifconfig.me', 80, 'tcp', { record: false });
    expect(r.outcome).toBe('delivered');
    expect(r.seenSource).toBe('192.168.49.3');
  });
  it('an unknown internet host times out; an unknown name is nxdomain', () => {
    expect(reach(s.cluster, client, '198.51.100.99', 80).outcome).toBe('timeout');
    expect(reach(s.cluster, client, 'no-such-service', 80).outcome).toBe('nxdomain');
  });
  it('a Service without endpoints is rejected (refused)', () => {
    expect(reach(s.cluster, client, '10.96.30.2', 80).outcome).toBe('refused');
  });
  it('a pod IP nobody holds: Calico\'s blackhole route for the block drops it; on a bridge CNI ARP fails (host unreachable)', () => {
    expect(reach(s.cluster, client, '10.244.0.40', 80).outcome).toBe('timeout');
    const f = sim({ cni: 'flannel' }, objects('Cluster'));
    expect(reach(f.cluster, client, '10.244.0.40', 80).outcome).toBe('unreachable');
  });
  it('a terminating pod keeps answering through its grace period, then its address is gone', () => {
    expect(reach(s.cluster, client, '10.244.1.81', 80).outcome).toBe('delivered');
    s.api.delete('Pod', 'default', 'leaving');
    expect(s.get('Pod', 'default', 'leaving')?.metadata.deletionTimestamp).toBeDefined();
    expect(reach(s.cluster, client, '10.244.1.81', 80).outcome).toBe('delivered');
    s.advance(60_000);
    expect(s.get('Pod', 'default', 'leaving')).toBeUndefined();
    // Calico: the address falls back to the node's blackhole block route.
    expect(reach(s.cluster, client, '10.244.1.81', 80).outcome).toBe('timeout');
  });
  it('a pod whose image cannot be pulled has an address but nothing listening: refused', () => {
    s.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'badimage', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx:no-such-tag-999' }] } });
    s.advance(30_000);
    const p = s.get('Pod', 'default', 'badimage')!;
    expect(p.status.containerStatuses[0].state.waiting).toBeDefined();
    expect(reach(s.cluster, client, p.status.podIP, 80).outcome).toBe('refused');
  });
  it('pods are not routable from the workstation', () => {
    expect(reach(s.cluster, ws, '10.244.0.70', 8080).outcome).toBe('timeout');
  });
});

describe('ICMP to a ClusterIP', () => {
  it('iptables mode: the ClusterIP is only a DNAT rule for its ports, no echo reply', () => {
    const s = sim({ cni: 'calico', proxyMode: 'iptables' }, objects('Cluster'));
    expect(sendPacket(s.cluster, client, { ip: '10.96.30.1', port: 0, proto: 'icmp' }, { record: false }).outcome).toBe('timeout');
  });
  it('IPVS mode: the address is local to the node (kube-ipvs0), so the node itself answers', () => {
    // Either an echo reply or — with kube-proxy's KUBE-IPVS-FILTER (k8s >= 1.26) — an ICMP
    // port unreachable for a NEW packet to an IPVS address that is not a virtual service.
    // Never the silence of iptables mode.
    const s = sim({ cni: 'calico', proxyMode: 'ipvs' }, objects('Cluster'));
    const r = sendPacket(s.cluster, client, { ip: '10.96.30.1', port: 0, proto: 'icmp' }, { record: false });
    expect(r.outcome).not.toBe('timeout');
    expect(r.hops[r.hops.length - 1].where).toContain('node-2');
  });
});

describe('TTL and traces', () => {
  it('crossing nodes costs the routers the CNI reports; every walk records its hops', () => {
    const s = sim({ cni: 'flannel' }, objects('Cluster'));
    const r = sendPacket(s.cluster, client, { ip: '10.244.0.70', port: 0, proto: 'icmp' }, { command: 'ping 10.244.0.70' });
    expect(r.outcome).toBe('delivered');
    expect(64 - (r.routers ?? 0)).toBe(62);
    const t = s.traces[s.traces.length - 1];
    expect(t).toMatchObject({ command: 'ping 10.244.0.70', from: 'pod/default/client', outcome: 'delivered' });
    expect(t.hops[0].where).toBe('pod default/client');
    expect(t.hops[t.hops.length - 1].verdict).toBe('deliver');
  });
});

describe('reach is a check, not traffic', () => {
  it('leaves the conntrack tables, the traces and the random stream as they were', () => {
    const s = sim({ cni: 'calico' }, objects('Cluster'));
    const kp = s.modules.find((m) => m.name === 'kube-proxy') as unknown as { conntrack: Map<string, { entries: { background?: boolean }[] }> };
    // the learner's entries: the cluster's own connections (background: true) are there whether or not anyone sent a packet
    const count = () => [...kp.conntrack.values()].reduce((n, t) => n + t.entries.filter((e) => !e.background).length, 0);
    const before = count();
    const rng = s.rng.state();
    expect(reach(s.cluster, client, 'echo', 80).allowed).toBe(true);
    expect(count()).toBe(before);
    expect(s.rng.state()).toEqual(rng);
    // The same connection made by a command is tracked: DNAT'd on the client's node, and as it
    // arrived (already translated) on the endpoint's node when that is another one.
    connect(s.cluster, client, '10.96.30.1', 80, 'tcp', { record: false });
    type E = { background?: boolean; dst: string; sport: number; replySrc: string; src: string };
    const mine = [...kp.conntrack.values()].flatMap((t) => (t.entries as E[]).filter((e) => !e.background));
    const translated = mine.filter((e) => e.dst === '10.96.30.1');
    expect(translated).toHaveLength(1);
    const arrived = mine.filter((e) => e.dst !== '10.96.30.1');
    expect(arrived.length).toBeLessThanOrEqual(1);
    for (const e of arrived) expect(e).toMatchObject({ dst: translated[0].replySrc, sport: translated[0].sport, src: translated[0].src });
    expect(count()).toBe(before + 1 + arrived.length);
  });
});

describe('externalIPs and loadBalancerSourceRanges', () => {
  it('an externalIP is routed to a node, where kube-proxy DNATs it like the ClusterIP', () => {
    const s = sim({ cni: 'calico' }, [
      echo('echo-a', 'node-1', '10.244.0.70'),
      ...svc('default', 'ext', '10.96.30.9', [['10.244.0.70', 'node-1', 'echo-a']], [{ port: 80, targetPort: 8080 }], { externalIPs: ['198.51.100.50'] }),
    ]);
    const r = connect(s.cluster, ws, '198.51.100.50', 80, 'tcp', { record: false });
    expect(r.outcome).toBe('delivered');
    expect(r.server?.ip).toBe('10.244.0.70');
  });
  it('the cloud load balancer drops clients outside loadBalancerSourceRanges, passes those inside', () => {
    const s = sim({ cni: 'calico' }, [
      echo('echo-a', 'node-1', '10.244.0.70'),
      ...svc('default', 'lb', '10.96.30.8', [['10.244.0.70', 'node-1', 'echo-a']], [{ port: 80, targetPort: 8080, nodePort: 30081 }], { type: 'LoadBalancer', loadBalancerSourceRanges: ['203.0.113.0/24'] }),
    ]);
    const lbIp: string = s.get('Service', 'default', 'lb')!.status.loadBalancer.ingress[0].ip;
    expect(reach(s.cluster, ws, lbIp, 80).outcome).toBe('timeout');
    // A client inside the range gets through, and (Cluster) the pod sees the node's address.
    const r = sendPacket(s.cluster, { kind: 'external', ip: '203.0.113.77' }, { ip: lbIp, port: 80, proto: 'tcp' }, { record: false });
    expect(r.outcome).toBe('delivered');
  });
});
