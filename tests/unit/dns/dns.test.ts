import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { corednsAnswer, resolve, parseCorefile, defaultCorefile } from '../../../engine/controllers/dns';
import { scenario } from './scenario';
import { on, pod } from './run';

const client = pod('default', 'client');
const tools = pod('default', 'tools');

/** A headless Service over three pods; `notReady` pins one of them not Ready (the kubelet honours the pin). */
const peers = (notReady?: number) => `
  - apiVersion: v1
    kind: Service
    metadata: { name: peers, namespace: default }
    spec: { clusterIP: None, selector: { app: peers }, ports: [{ name: gossip, port: 7946, protocol: TCP }] }
${[1, 2, 3].map((i) => `  - apiVersion: v1
    kind: Pod
    metadata: { name: peer-${i}, namespace: default, labels: { app: peers } }
    spec: { nodeName: node-1, containers: [{ name: c, image: busybox:1.36, command: [sleep, '3600'] }] }
    status: { phase: Running, podIP: 10.244.0.${40 + i}, conditions: [{ type: Ready, status: "${i === notReady ? 'False' : 'True'}" }] }
`).join('')}`;
const headless3 = peers();

describe('CoreDNS kubernetes plugin', () => {
  it('SRV weights split 100 across the records (backend_lookup.go), targets named by dashed IP', () => {
    const sim = createSimulation(scenario('calico', headless3));
    const m = corednsAnswer(sim.cluster, '_gossip._tcp.peers.default.svc.cluster.local.', 'SRV', 0);
    expect(m.answer.map((r) => r.data)).toEqual([
      '0 33 7946 10-244-0-41.peers.default.svc.cluster.local.',
      '0 33 7946 10-244-0-42.peers.default.svc.cluster.local.',
      '0 33 7946 10-244-0-43.peers.default.svc.cluster.local.',
    ]);
    expect(m.additional.map((r) => `${r.name} ${r.data}`)).toEqual([
      '10-244-0-41.peers.default.svc.cluster.local. 10.244.0.41',
      '10-244-0-42.peers.default.svc.cluster.local. 10.244.0.42',
      '10-244-0-43.peers.default.svc.cluster.local. 10.244.0.43',
    ]);
  });
  it('a not-ready endpoint leaves the headless answer; an unknown namespace is NXDOMAIN; a known one NODATA', () => {
    const sim = createSimulation(scenario('calico', peers(2)));
    expect(corednsAnswer(sim.cluster, 'peers.default.svc.cluster.local.', 'A', 0).answer.map((r) => r.data)).toEqual(['10.244.0.41', '10.244.0.43']);
    expect(corednsAnswer(sim.cluster, 'web.nowhere.svc.cluster.local.', 'A', 0).rcode).toBe('NXDOMAIN');
    const nodata = corednsAnswer(sim.cluster, 'default.svc.cluster.local.', 'A', 0);
    expect([nodata.rcode, nodata.answer.length, nodata.authority[0].type]).toEqual(['NOERROR', 0, 'SOA']);
    expect(corednsAnswer(sim.cluster, 'x.y.web.default.svc.cluster.local.', 'A', 0).rcode).toBe('NXDOMAIN');
  });
  it('the Corefile in kube-system/coredns sets the ttl and the pods mode', () => {
    const sim = createSimulation(scenario('calico'));
    const text = defaultCorefile('cluster.local').replace('ttl 30', 'ttl 5').replace('pods insecure', 'pods disabled');
    sim.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: text } });
    expect(corednsAnswer(sim.cluster, 'web.default.svc.cluster.local.', 'A', 0).answer[0].ttl).toBe(5);
    expect(corednsAnswer(sim.cluster, '10-244-1-4.default.pod.cluster.local.', 'A', 0).rcode).toBe('NXDOMAIN');
    expect(parseCorefile(text).blocks[0].kubernetes).toEqual({ zones: ['cluster.local.', 'in-addr.arpa.', 'ip6.arpa.'], pods: 'disabled', ttl: 5, fallthrough: ['in-addr.arpa.', 'ip6.arpa.'], endpointPodNames: false });
  });
  it('answers follow the Service: a new ClusterIP is served at once', () => {
    const sim = createSimulation(scenario('calico'));
    sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'default' }, spec: { clusterIP: '10.96.44.44', ports: [{ port: 8080 }] } });
    expect(resolve(sim.cluster, client, 'api').addresses).toEqual(['10.96.44.44']);
    sim.api.delete('Service', 'default', 'api');
    expect(resolve(sim.cluster, client, 'api').rcode).toBe('NXDOMAIN');
  });
});

describe('DNS travels the network', () => {
  const denyEgress = `
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: deny-egress, namespace: default }
    spec: { podSelector: {}, policyTypes: [Egress] }
`;
  it('a default-deny egress policy makes lookups time out on calico (busybox and bind)', () => {
    const sim = createSimulation(scenario('calico', denyEgress));
    expect(on(sim, client, 'nslookup web')).toEqual({ stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', exitCode: 1 });
    const bind = on(sim, tools, 'nslookup web');
    expect(bind.exitCode).toBe(1);
    expect(bind.stdout).toBe(';; communications error to 10.96.0.10#53: timed out\n'.repeat(3) + ';; no servers could be reached\n\n');
    expect(on(sim, tools, 'dig web.default.svc.cluster.local').exitCode).toBe(9);
    expect(resolve(sim.cluster, client, 'web').rcode).toBe('TIMEOUT');
  });
  it('flannel does not enforce it: lookups still answer', () => {
    const sim = createSimulation(scenario('flannel', denyEgress));
    expect(on(sim, client, 'nslookup web.default.svc.cluster.local').exitCode).toBe(0);
  });
  it('allowing UDP 53 to kube-dns brings DNS back', () => {
    const allow = `${denyEgress}
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: allow-dns, namespace: default }
    spec:
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to: [{ namespaceSelector: {}, podSelector: { matchLabels: { k8s-app: kube-dns } } }]
          ports: [{ protocol: UDP, port: 53 }]
`;
    const sim = createSimulation(scenario('calico', allow));
    expect(resolve(sim.cluster, client, 'web').addresses).toEqual(['10.96.12.3']);
  });
});

describe('cost', () => {
  it('resolves in a 2,000-Service cluster well under a frame', () => {
    let extra = '';
    for (let i = 0; i < 2000; i++) extra += `  - { apiVersion: v1, kind: Service, metadata: { name: s${i}, namespace: default }, spec: { clusterIP: 10.97.${i >> 8}.${i & 255}, ports: [{ port: 80 }] } }\n`;
    const sim = createSimulation(scenario('calico', extra));
    resolve(sim.cluster, client, 's1');
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) resolve(sim.cluster, client, `s${i}`);
    const per = (performance.now() - t0) / 50;
    expect(per).toBeLessThan(16);
  });
});

describe('loadbalance', () => {
  it('rotates a headless answer from one query to the next (plugin/loadbalance round_robin)', () => {
    const sim = createSimulation(scenario('calico', headless3));
    const first = () => corednsAnswer(sim.cluster, 'peers.default.svc.cluster.local.', 'A', 0).answer.map((r) => r.data);
    expect(first()).toEqual(['10.244.0.41', '10.244.0.42', '10.244.0.43']);
    expect(first()).toEqual(['10.244.0.42', '10.244.0.43', '10.244.0.41']);
    expect(first()).toEqual(['10.244.0.43', '10.244.0.41', '10.244.0.42']);
  });
});

describe('Corefile customisations', () => {
  const withCorefile = (text: string) => {
    const sim = createSimulation(scenario('calico'));
    sim.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: text } });
    return sim;
  };
  it('a hosts block answers its names first and, with fallthrough, leaves the rest to kubernetes', () => {
    const sim = withCorefile(defaultCorefile('cluster.local').replace('    ready\n', '    ready\n    hosts {\n       192.0.2.10 legacy.corp.example legacy\n       fallthrough\n    }\n'));
    expect(resolve(sim.cluster, client, 'legacy.corp.example').addresses).toEqual(['192.0.2.10']);
    expect(corednsAnswer(sim.cluster, 'legacy.corp.example.', 'A', 0).answer[0]).toEqual({ name: 'legacy.corp.example.', type: 'A', ttl: 3600, data: '192.0.2.10' });
    expect(corednsAnswer(sim.cluster, '10.2.0.192.in-addr.arpa.', 'PTR', 0).answer.map((r) => r.data)).toEqual(['legacy.corp.example.', 'legacy.']);
    expect(resolve(sim.cluster, client, 'web').addresses).toEqual(['10.96.12.3']);
  });
  it('without fallthrough every other name gets SERVFAIL (plugin/hosts has no SOA to send)', () => {
    const sim = withCorefile(defaultCorefile('cluster.local').replace('    ready\n', '    ready\n    hosts {\n       192.0.2.10 legacy.corp.example\n    }\n'));
    expect(corednsAnswer(sim.cluster, 'web.default.svc.cluster.local.', 'A', 0).rcode).toBe('SERVFAIL');
    expect(on(sim, tools, 'nslookup web.default.svc.cluster.local')).toEqual({
      // 4 dots < ndots:5: the first search domain is tried first, and only NXDOMAIN moves bind on
      stdout: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can\'t find web.default.svc.cluster.local.default.svc.cluster.local: SERVFAIL\n\n',
      stderr: '',
      exitCode: 1,
    });
  });
  it('a stub domain block forwards its zone elsewhere; a server with no block for a zone refuses', () => {
    const sim = withCorefile(defaultCorefile('cluster.local') + 'example.com:53 {\n    errors\n    forward . 8.8.8.8\n}\n');
    expect(corednsAnswer(sim.cluster, 'www.example.com.', 'A', 0).answer.map((r) => r.data)).toEqual(['93.184.215.14']);
    const only = withCorefile('cluster.local:53 {\n    kubernetes cluster.local\n}\n');
    expect(corednsAnswer(only.cluster, 'example.com.', 'A', 0).rcode).toBe('REFUSED');
  });
});
