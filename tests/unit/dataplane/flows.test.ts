/**
 * Properties of Hubble's flow rings (engine/dataplane/flows.ts): bounded like the agent's
 * ring (hubble-event-buffer-capacity 4095), silent during grading's dry runs and on other
 * CNIs, kept through a snapshot, deterministic, and followed by `hubble observe -f`.
 * The exact text is pinned in tests/golden/hubble.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../engine';
import { FLOW_BUFFER_CAPACITY, HubbleFlows, identityOf, podSecurityLabels } from '../../../engine/dataplane/flows';
import { reach, sendPacket } from '../../../engine/dataplane/walk';
import { hubbleCommand } from '../../../engine/commands/net/hubble';
import { isStreaming, type HostRef } from '../../../engine/types';
import { agent, cluster } from '../../golden/hubble/scenario';

const client: HostRef = { kind: 'pod', namespace: 'shop', pod: 'client', container: 'curl' };
const frontend: HostRef = { kind: 'pod', namespace: 'shop', pod: 'frontend', container: 'curl' };

function ring(sim: ReturnType<typeof cluster>): HubbleFlows {
  const f = sim.cluster.flows;
  if (!(f instanceof HubbleFlows)) throw new Error('no Hubble observer');
  return f;
}

describe('the flow rings', () => {
  it('keep at most 4095 flows per node, dropping the oldest', () => {
    const sim = cluster();
    // a CoreDNS pod on node-2 (no policy selects it): an echo request and its reply, to-overlay + to-endpoint each way, two flows per node
    const dns = sim.store.list('Pod', 'kube-system').find((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns' && p.spec?.nodeName === 'node-2')!;
    for (let i = 0; i < 2100; i++) sendPacket(sim.cluster, frontend, { ip: dns.status!.podIP as string, port: 0, proto: 'icmp' }, { record: false });
    const node2 = ring(sim).flows('node-2');
    expect(node2.length).toBe(FLOW_BUFFER_CAPACITY);
    expect(ring(sim).seenOn('node-2')).toBe(4200);
    // per echo: node-1 to-overlay, node-2 to-endpoint, node-2 to-overlay (reply), node-1 to-endpoint (reply);
    // node-2's 106th flow (the 53rd echo's reply, the 211th flow of all) is the oldest it still holds
    expect([node2[0].seq, node2[0].summary]).toEqual([211, 'ICMPv4 EchoReply']);
    expect(node2.map((f) => f.summary).slice(-2)).toEqual(['ICMPv4 EchoRequest', 'ICMPv4 EchoReply']);
    expect(ring(sim).sizes()).toEqual({ flows: 2 * FLOW_BUFFER_CAPACITY, dnsWalks: 0 });
  });

  it('hear nothing of a grading check (reach is a dry run)', () => {
    const sim = cluster();
    expect(reach(sim.cluster, client, 'api.shop', 80).allowed).toBe(false);
    expect(reach(sim.cluster, frontend, 'api.shop', 80).allowed).toBe(true);
    expect(ring(sim).flows()).toEqual([]);
    sim.run('kubectl -n shop exec frontend -- curl -s -m 1 api');
    expect(ring(sim).flows().length).toBeGreaterThan(0);
  });

  it('stay empty on a CNI that is not Cilium', () => {
    const sim = cluster('calico');
    sim.run('kubectl -n shop exec frontend -- curl -s -m 1 api');
    expect(ring(sim).flows()).toEqual([]);
  });

  it('survive a snapshot and restore, and the same commands give the same bytes', () => {
    const a = cluster();
    const b = cluster();
    for (const s of [a, b]) {
      s.run('kubectl -n shop exec client -- curl -s -m 1 api');
      s.run('kubectl -n shop exec frontend -- curl -s -m 1 api');
    }
    const line = `kubectl -n kube-system exec ${agent(a, 'node-2')} -- hubble observe -o json`;
    const before = a.run(line).stdout;
    expect(b.run(line).stdout).toBe(before);
    const restored = Simulation.restore(JSON.parse(JSON.stringify(a.snapshot())));
    expect(restored.run(line).stdout).toBe(before);
  });
});

describe('what the agents report', () => {
  it('an egress policy drops at the source node, as EGRESS', () => {
    const sim = cluster();
    sim.run(`kubectl apply -f - <<'EOF'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: frontend-egress, namespace: shop }
spec:
  podSelector: { matchLabels: { app: frontend } }
  policyTypes: [Egress]
  egress:
    - ports: [{ protocol: UDP, port: 53 }]
EOF`);
    expect(sim.run('kubectl -n shop exec frontend -- curl -s -m 1 api').exitCode).toBe(28);
    const out = sim.run(`kubectl -n kube-system exec ${agent(sim, 'node-1')} -- hubble observe --from-pod shop/frontend --type policy-verdict --type drop`).stdout;
    expect(out.split('\n').filter(Boolean).map((l) => l.replace(/^.*?: /, '').replace(/:\d{5} /, ':PORT '))).toEqual([
      expect.stringMatching(/^shop\/frontend:PORT \(ID:\d+\) -> kube-system\/coredns-[a-z0-9-]+:53 \(ID:\d+\) policy-verdict:L4-Only EGRESS ALLOWED \(UDP\)$/),
      expect.stringMatching(/^shop\/frontend:PORT \(ID:\d+\) <> shop\/api:80 \(ID:\d+\) policy-verdict:none EGRESS DENIED \(TCP Flags: SYN\)$/),
      expect.stringMatching(/^shop\/frontend:PORT \(ID:\d+\) <> shop\/api:80 \(ID:\d+\) Policy denied DROPPED \(TCP Flags: SYN\)$/),
    ]);
    // the SYN never left node-1
    expect(sim.run(`kubectl -n kube-system exec ${agent(sim, 'node-2')} -- hubble observe --from-pod shop/frontend --to-pod shop/api`).stdout).toBe('');
  });

  it('a pod on the same node: one to-endpoint per packet, no tunnel', () => {
    const sim = cluster();
    const clientIp = sim.store.get('Pod', 'shop', 'client')!.status!.podIP as string;
    sendPacket(sim.cluster, frontend, { ip: clientIp, port: 0, proto: 'icmp' }, { record: false });
    const flows = ring(sim).flows('node-1');
    expect(flows.map((f) => [f.traceObservationPoint, f.isReply, f.trafficDirection, f.summary])).toEqual([
      ['TO_ENDPOINT', false, 'INGRESS', 'ICMPv4 EchoRequest'],
      ['TO_ENDPOINT', true, 'EGRESS', 'ICMPv4 EchoReply'],
    ]);
    expect(ring(sim).flows('node-2')).toEqual([]);
  });

  it('identities follow the security labels: same labels, same identity; pod-template-hash left out', () => {
    const sim = cluster();
    const pod = sim.store.get('Pod', 'shop', 'client')!;
    const labels = podSecurityLabels(sim.cluster, { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, 'pod-template-hash': 'abc' } } });
    expect(labels).toEqual(podSecurityLabels(sim.cluster, pod));
    expect(identityOf(labels)).toBeGreaterThanOrEqual(256);
    expect(identityOf(labels)).toBeLessThanOrEqual(65535);
  });
});

describe('hubble observe -f', () => {
  it('prints what the agent sees after it started, step by step, and exits 0 on Ctrl+C', () => {
    const sim = cluster();
    sim.run('kubectl -n shop exec frontend -- curl -s -m 1 api');
    const a2 = agent(sim, 'node-2');
    const host: HostRef = { kind: 'pod', namespace: 'kube-system', pod: a2, container: 'cilium-agent' };
    const out = hubbleCommand.run(['observe', '-f', '--verdict', 'DROPPED'], sim.shell.contextFor(host, 'hubble', { cwd: '/', interactive: true }));
    if (!isStreaming(out)) throw new Error('not streaming');
    expect(out.stdout).toBe('');
    expect(out.step()).toEqual({ stdout: '' });
    sim.run('kubectl -n shop exec client -- curl -s -m 1 api');
    const s = out.step().stdout ?? '';
    expect(s.split('\n').filter(Boolean).map((l) => l.split(' (ID:')[2]?.slice(l.split(' (ID:')[2].indexOf(') ') + 2))).toEqual([
      'policy-verdict:none INGRESS DENIED (TCP Flags: SYN)',
      'Policy denied DROPPED (TCP Flags: SYN)',
    ]);
    expect(out.step()).toEqual({ stdout: '' });
    expect(out.interrupt()).toEqual({ exitCode: 0 });
  });
});
