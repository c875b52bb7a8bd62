/**
 * Cilium's kube-proxy replacement (cluster.kubeProxyReplacement): no kube-proxy, no KUBE-*
 * service rules on the nodes (kubelet's own chains stay), Services answered from the
 * agent's service maps (controllers/cilium), and the scenario setting's validation.
 * Behaviour follows Cilium's docs, Documentation/network/kubernetes/kubeproxy-free.rst:
 * externalTrafficPolicy Local keeps the client address and uses node-local backends for
 * traffic from outside only; sessionAffinity keeps a client on one backend.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { loadScenario, ScenarioError } from '../../../engine/scenario/load';
import { CiliumServiceLb } from '../../../engine/controllers/cilium/proxier';
import { KPR_SCENARIO } from './scenario';

function scenarioError(text: string): ScenarioError {
  try {
    loadScenario(text);
  } catch (e) {
    return e as ScenarioError;
  }
  throw new Error('no error');
}

describe('the kubeProxyReplacement setting', () => {
  it('needs cni: cilium, with the line of the setting', () => {
    const e = scenarioError('cluster:\n  cni: calico\n  kubeProxyReplacement: true\n');
    expect(e.message).toBe("cluster.kubeProxyReplacement is Cilium's kube-proxy replacement: it needs cni: cilium (this scenario has cni: calico)");
    expect(e.line).toBe(3);
  });
  it('is a boolean, and leaves no kube-proxy mode to set', () => {
    expect(scenarioError('cluster:\n  cni: cilium\n  kubeProxyReplacement: "yes"\n').message).toBe('cluster.kubeProxyReplacement "yes" must be true or false');
    const e = scenarioError('cluster:\n  cni: cilium\n  proxyMode: ipvs\n  kubeProxyReplacement: true\n');
    expect(e.message).toBe('cluster.proxyMode "ipvs" sets kube-proxy\'s mode, but with kubeProxyReplacement: true there is no kube-proxy');
    expect(e.line).toBe(3);
  });
});

describe('a cluster without kube-proxy', () => {
  const sim = createSimulation(KPR_SCENARIO, { seed: 1 });

  it('runs no kube-proxy DaemonSet, ConfigMap or Pods', () => {
    expect(sim.store.get('DaemonSet', 'kube-system', 'kube-proxy')).toBeUndefined();
    expect(sim.store.get('ConfigMap', 'kube-system', 'kube-proxy')).toBeUndefined();
    expect(sim.store.list('Pod', 'kube-system').filter((p) => p.metadata.name.startsWith('kube-proxy'))).toEqual([]);
    expect(sim.run('kubectl -n kube-system get ds').stdout.split('\n')[1]).toMatch(/^cilium\s+3\s+3\s+3\s+3\s+3\s/);
  });

  it('leaves only kubelet\'s KUBE-* chains in the nodes\' iptables', () => {
    const kube = sim.run('ssh node-1 iptables-save').stdout.split('\n').filter((l) => l.includes('KUBE'));
    expect(kube).toEqual([
      ':KUBE-IPTABLES-HINT - [0:0]',
      ':KUBE-KUBELET-CANARY - [0:0]',
      ':KUBE-FIREWALL - [0:0]',
      ':KUBE-KUBELET-CANARY - [0:0]',
      '-A INPUT -j KUBE-FIREWALL',
      '-A OUTPUT -j KUBE-FIREWALL',
      '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
      ':KUBE-KUBELET-CANARY - [0:0]',
    ]);
  });

  it('answers a ClusterIP from a pod through the eBPF service lookup, without conntrack entries', () => {
    const r = sim.run('kubectl exec client -- curl -s -o /dev/null -w "%{http_code}" web');
    expect(r.stdout).toBe('200');
    const trace = sim.traces.at(-1)!;
    expect(trace.hops.find((h) => h.verdict === 'dnat')?.what).toMatch(/^eBPF socket LB at connect\(\): 10\.\d+\.\d+\.\d+:80\/TCP → backend 10\.244\.[12]\.4:80\/TCP$/);
    expect(sim.run('ssh node-1 conntrack -L').stdout).not.toMatch(/dport=80 /);
  });

  it('keeps the client address for externalTrafficPolicy: Local, and uses node-local backends only from outside', () => {
    const lb = sim.cluster.kubeProxy.proxier as CiliumServiceLb;
    const web1 = sim.store.list('Pod', 'default').find((p) => p.metadata.labels?.app === 'web' && p.spec.nodeName === 'node-1')!.status.podIP;
    for (let i = 0; i < 8; i++) {
      const d = sim.cluster.kubeProxy.translate('node-1', { src: '192.168.49.1', dst: '192.168.49.3', proto: 'tcp', sport: 40000 + i, dport: 30080 }, 'external');
      expect(d.dnatTo?.ip).toBe(web1);
      expect(d.masquerade).toBe(false);
    }
    const seen = new Set<string>();
    for (let i = 0; i < 16; i++) seen.add(sim.cluster.kubeProxy.translate('node-1', { src: '10.244.1.3', dst: '192.168.49.3', proto: 'tcp', sport: 40000 + i, dport: 30080 }, 'pod').dnatTo!.ip);
    expect(seen.size).toBe(2);
    // a node with no local backend has none in the external scope: ICMP port unreachable
    const cp = sim.cluster.kubeProxy.translate('control-plane', { src: '192.168.49.1', dst: '192.168.49.2', proto: 'tcp', sport: 40000, dport: 30080 }, 'external');
    expect([cp.verdict, cp.rejectWith]).toEqual(['REJECT', 'icmp-port-unreachable']);
    expect(lb.lbMap('control-plane')!.frontends.filter((f) => f.port === 30080).map((f) => [f.ip, f.internal, f.slots.length])).toEqual([
      ['0.0.0.0', false, 0],
      ['0.0.0.0', true, 2],
      ['192.168.49.2', false, 0],
      ['192.168.49.2', true, 2],
    ]);
  });

  it('SNATs traffic from outside to a backend on another node (Cluster policy)', () => {
    const d = sim.cluster.kubeProxy.translate('control-plane', { src: '192.168.49.1', dst: '192.168.49.2', proto: 'tcp', sport: 41000, dport: 30081 }, 'external');
    expect(d.masquerade).toBe(true);
    expect(d.masqueradeTo).toBe('192.168.49.2');
    expect(sim.run('curl -s -o /dev/null -w "%{http_code}" 203.0.113.9').stdout).toBe('200');
  });

  it('keeps a client on one backend with sessionAffinity: ClientIP', () => {
    const ip = sim.store.get('Service', 'default', 'web-sticky')!.spec.clusterIP;
    const picks = new Set<string>();
    for (let i = 0; i < 12; i++) picks.add(sim.cluster.kubeProxy.translate('node-1', { src: '10.244.1.3', dst: ip, proto: 'tcp', sport: 42000 + i, dport: 80 }, 'pod').dnatTo!.ip);
    expect(picks.size).toBe(1);
  });

  it('follows the Service: scaled to zero, the frontend rejects; a new Service gets the next ID', () => {
    const s = createSimulation(KPR_SCENARIO, { seed: 2 });
    s.run('kubectl scale deploy web --replicas=0');
    s.advance(30_000);
    const r = s.run('kubectl exec client -- curl -s -o /dev/null -w "%{http_code}" web');
    expect(r.stdout).toBe('000');
    expect(r.exitCode).toBe(7);
    const lb = s.cluster.kubeProxy.proxier as CiliumServiceLb;
    const before = Math.max(...lb.lbMap('node-1')!.frontends.map((f) => f.id));
    s.run('kubectl create service clusterip extra --tcp=8080:80');
    s.advance(1000);
    expect(lb.lbMap('node-1')!.frontends.find((f) => f.svcKey === 'default/extra')!.id).toBe(before + 1);
  });
});

describe('a saved and restored kube-proxy-less cluster', () => {
  it('keeps the agents\' service and backend IDs and the affinity entries', async () => {
    const { Simulation } = await import('../../../engine/simulation');
    const sim = createSimulation(KPR_SCENARIO, { seed: 3 });
    const agent = sim.store.list('Pod', 'kube-system').find((p) => p.metadata.labels?.['k8s-app'] === 'cilium' && p.spec.nodeName === 'node-1')!.metadata.name;
    const list = (s: typeof sim) => s.run(`kubectl -n kube-system exec ${agent} -- cilium-dbg bpf lb list`).stdout;
    sim.run('kubectl delete service web-lb');
    sim.run('kubectl create service clusterip late --tcp=81:80');
    const before = list(sim);
    const back = Simulation.restore(JSON.parse(JSON.stringify(sim.snapshot())));
    expect(list(back)).toBe(before);
  });
});
