/**
 * Reachability and DNS checks through the real packet walk and resolver: the verdicts
 * and the reasons a learner reads.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../engine';
import { derive, evaluate } from '../../engine/grading';

const SCENARIO = `
cluster: { cni: calico }
objects:
  - apiVersion: v1
    kind: Namespace
    metadata: { name: shop }
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: backend, namespace: shop }
    spec:
      replicas: 2
      selector: { matchLabels: { app: backend } }
      template:
        metadata: { labels: { app: backend } }
        spec:
          containers:
            - name: backend
              image: hashicorp/http-echo:1.0
              args: ["-listen=:8080", "-text=ok"]
              ports: [{ containerPort: 8080 }]
  - apiVersion: v1
    kind: Service
    metadata: { name: backend, namespace: shop }
    spec:
      clusterIP: 10.96.0.50
      selector: { app: backend }
      ports: [{ port: 8080 }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: client, namespace: shop, labels: { app: client } }
    spec:
      containers: [{ name: client, image: "busybox:1.36", command: [sleep, infinity] }]
`;

const ctx = { taskId: 't' };

function lab() {
  const sim = createSimulation(SCENARIO, { seed: 1 });
  sim.advance(5000);
  return sim;
}

const reachBackend = (expect: 'allowed' | 'blocked', port = 8080) =>
  ({ reach: { from: { pod: 'client', namespace: 'shop' }, to: { service: 'backend', namespace: 'shop' }, port, expect } }) as const;

describe('reach', () => {
  it('follows NetworkPolicy enforcement and explains a blocked path', () => {
    const sim = lab();
    expect(evaluate(sim, reachBackend('allowed'), ctx)).toEqual({ ok: true });
    expect(evaluate(sim, reachBackend('blocked'), ctx)).toEqual({ ok: false, reason: 'Pod client → the Service backend.shop port 8080 still connects: nothing blocks it yet' });
    sim.api.create({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    expect(evaluate(sim, reachBackend('blocked'), ctx)).toEqual({ ok: true });
    const v = evaluate(sim, reachBackend('allowed'), ctx);
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/^Pod client → the Service backend\.shop port 8080 does not connect \(it times out\)/);
  });

  it('says when the Service has no endpoints, or the probe has nowhere to start', () => {
    const sim = lab();
    sim.run('kubectl scale deployment backend -n shop --replicas=0');
    sim.advance(5000);
    expect(evaluate(sim, reachBackend('allowed'), ctx)).toEqual({
      ok: false,
      reason: 'Pod client → the Service backend.shop port 8080 does not connect: the Service backend (namespace shop) has no endpoints: its selector app=backend matches no Pod (Pods in shop have app=client)',
    });
    expect(evaluate(sim, { reach: { from: { pod: 'nobody', namespace: 'shop' }, to: { ip: '10.96.0.50' }, port: 8080, expect: 'allowed' } }, ctx)).toEqual({ ok: false, reason: 'there is no Pod nobody in namespace shop' });
  });

  it('never changes what the learner sees next', () => {
    const a = lab();
    const b = lab();
    for (let i = 0; i < 3; i++) evaluate(a, reachBackend('allowed'), ctx);
    const cmd = 'kubectl exec -n shop client -- wget -qO- -T 3 http://backend:8080/';
    expect(a.run(cmd)).toEqual(b.run(cmd));
    expect(a.traceCounter).toBe(b.traceCounter);
  });

  it('in IPVS mode leaves no connection, round-robin turn or counter behind', () => {
    const ipvs = () => {
      const sim = createSimulation(SCENARIO.replace('cluster: { cni: calico }', 'cluster: { cni: calico, proxyMode: ipvs }'), { seed: 1 });
      sim.advance(5000);
      return sim;
    };
    const a = ipvs();
    const b = ipvs();
    const curl = 'kubectl exec -n shop client -- wget -qO- -T 3 http://backend:8080/';
    const node = (sim: ReturnType<typeof ipvs>) => sim.store.get('Pod', 'shop', 'client')!.spec!.nodeName as string;
    for (const sim of [a, b]) sim.run(curl);
    for (let i = 0; i < 3; i++) expect(evaluate(a, reachBackend('allowed'), ctx)).toEqual({ ok: true });
    for (const sim of [a, b]) sim.run(`ssh ${node(sim)}`);
    expect(a.run('ipvsadm -Ln --stats')).toEqual(b.run('ipvsadm -Ln --stats'));
    expect(a.run('ipvsadm -Lnc')).toEqual(b.run('ipvsadm -Lnc'));
    for (const sim of [a, b]) sim.run('exit');
    expect(a.run(curl)).toEqual(b.run(curl));
    for (const sim of [a, b]) sim.run(`ssh ${node(sim)}`);
    expect(a.run('ipvsadm -Ln')).toEqual(b.run('ipvsadm -Ln'));
  });
});

describe('dns', () => {
  it('expects what the cluster says a name resolves to', () => {
    const sim = lab();
    const from = { pod: 'client', namespace: 'shop' };
    expect(evaluate(sim, { dns: { from, name: 'backend' } }, ctx)).toEqual({ ok: true });
    expect(evaluate(sim, { dns: { from, name: 'backend.shop.svc.cluster.local' } }, ctx)).toEqual({ ok: true });
    expect(evaluate(sim, { dns: { from, name: 'nothing-here', expect: 'nxdomain' } }, ctx)).toEqual({ ok: true });
    expect(evaluate(sim, { dns: { from, name: 'nothing-here' } }, ctx)).toEqual({ ok: false, reason: 'nothing-here does not resolve from Pod client (NXDOMAIN)' });
    expect(evaluate(sim, { dns: { from, name: 'backend', expect: { addresses: ['10.96.0.99'] } } }, ctx)).toEqual({ ok: false, reason: 'backend resolves to 10.96.0.50 from Pod client, not 10.96.0.99' });
    expect(derive(sim, { resolve: { name: 'kube-dns.kube-system', from } })).toEqual({ value: '10.96.0.10', raw: ['10.96.0.10'] });
  });
});

describe('dns with derived addresses', () => {
  it('compares a headless Service\'s answer with its endpoints\' IPs', () => {
    const sim = lab();
    sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend-pods', namespace: 'shop' }, spec: { clusterIP: 'None', selector: { app: 'backend' }, ports: [{ port: 8080 }] } });
    sim.advance(5000);
    const from = { pod: 'client', namespace: 'shop' };
    expect(evaluate(sim, { dns: { from, name: 'backend-pods' } }, ctx)).toEqual({ ok: true });
    expect(evaluate(sim, { dns: { from, name: 'backend-pods', expect: { addresses: { endpoint: { service: 'backend-pods', namespace: 'shop' } } } } }, ctx)).toEqual({ ok: true });
    expect(evaluate(sim, { dns: { from, name: 'backend', expect: { addresses: { endpoint: { service: 'backend-pods', namespace: 'shop' } } } } }, ctx).ok).toBe(false);
  });
});

describe('dns checks leave no mark', () => {
  it('the next nslookup prints what it would have printed (CoreDNS round-robin included)', () => {
    const make = () => {
      const sim = lab();
      sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend-pods', namespace: 'shop' }, spec: { clusterIP: 'None', selector: { app: 'backend' }, ports: [{ port: 8080 }] } });
      sim.advance(5000);
      return sim;
    };
    const a = make();
    const b = make();
    for (let i = 0; i < 3; i++) evaluate(a, { dns: { from: { pod: 'client', namespace: 'shop' }, name: 'backend-pods' } }, ctx);
    const cmd = 'kubectl exec -n shop client -- nslookup backend-pods.shop.svc.cluster.local';
    expect(a.run(cmd)).toEqual(b.run(cmd));
    expect(a.run(cmd)).toEqual(b.run(cmd));
  });
});

describe('derived pod wiring: veth, gateway, route', () => {
  const WIRED = (cni: string) => `
cluster: { cni: ${cni} }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: client }
    spec:
      nodeName: node-1
      containers: [{ name: client, image: "nicolaka/netshoot:v0.13", command: [sleep, infinity] }]
  - apiVersion: v1
    kind: Pod
    metadata: { name: far }
    spec:
      nodeName: node-2
      containers: [{ name: far, image: "nginx:1.27" }]
`;

  it('reads what ip link, ip route and ip route get print (Calico)', () => {
    const sim = createSimulation(WIRED('calico'), { seed: 1 });
    const ip = sim.get('Pod', 'default', 'client')!.status.podIP;
    const veth = derive(sim, { veth: { pod: 'client' } });
    // the peer of the pod's eth0@ifN, as the node lists it
    const link = sim.run('ssh node-1 ip -br link').stdout.split('\n').find((l) => l.startsWith(`${veth.value}@`));
    expect(link).toMatch(/^cali[0-9a-f]{11}@if4 +UP +ee:ee:ee:ee:ee:ee /);
    expect(veth.alternatives).toEqual([`${veth.value}@if4`]);
    expect(derive(sim, { gateway: { pod: 'client' } })).toEqual({ value: '169.254.1.1', raw: '169.254.1.1' });
    // the host side answers ARP for the gateway (proxy ARP) with the one MAC every cali veth has
    expect(sim.run('kubectl exec client -- ip neigh').stdout).toBe('169.254.1.1 dev eth0 lladdr ee:ee:ee:ee:ee:ee REACHABLE\n');
    expect(derive(sim, { neighbor: { pod: 'client' } })).toEqual({ value: 'ee:ee:ee:ee:ee:ee', raw: 'ee:ee:ee:ee:ee:ee' });
    expect(derive(sim, { neighbor: { pod: 'client', ip: '10.9.9.9' } })).toEqual({ reason: 'the Pod client has no neighbour entry for 10.9.9.9' });
    expect(sim.run(`ssh node-1 ip route get ${ip}`).stdout).toBe(`${ip} dev ${veth.value} src 192.168.49.3 uid 0 \n    cache \n`);
    expect(derive(sim, { route: { node: 'node-1', pod: 'client' } })).toEqual({ value: veth.value, raw: veth.value });
    // from node-1, a pod on node-2 is behind the IPIP tunnel
    expect(derive(sim, { route: { node: 'node-1', pod: 'far' } }).value).toBe('tunl0');
    expect(derive(sim, { veth: { pod: 'nobody' } })).toEqual({ reason: 'the Pod nobody does not exist' });
  });

  it('reads the bridge as the route and the gateway (flannel)', () => {
    const sim = createSimulation(WIRED('flannel'), { seed: 1 });
    expect(derive(sim, { route: { node: 'node-1', pod: 'client' } }).value).toBe('cni0');
    expect(derive(sim, { route: { node: 'node-1', pod: 'far' } }).value).toBe('flannel.1');
    expect(derive(sim, { gateway: { pod: 'client' } }).value).toBe('10.244.1.1');
    expect(derive(sim, { veth: { pod: 'client' } }).value).toMatch(/^veth[0-9a-f]{8}$/);
  });

  it('part: src is the src ip route get prints there, the address a NodePort connection that node forwards is masqueraded to', () => {
    for (const [cni, dev] of [['calico', 'tunl0'], ['flannel', 'flannel.1']] as const) {
      const sim = createSimulation(WIRED(cni), { seed: 1 });
      const far = sim.get('Pod', 'default', 'far')!.status.podIP;
      const route = sim.run(`ssh node-1 ip route get ${far}`).stdout;
      const src = / src (\S+) /.exec(route)![1];
      expect(route).toContain(` dev ${dev} src ${src} `);
      expect(sim.run(`ssh node-1 ip -4 -o addr show dev ${dev}`).stdout).toContain(` inet ${src}/32 `);
      expect(derive(sim, { route: { node: 'node-1', pod: 'far', part: 'src' } })).toEqual({ value: src, raw: src });
    }
    const sim = createSimulation(WIRED('calico'), { seed: 1 });
    // toward its own Pod's address-less cali veth, the node's main address
    expect(derive(sim, { route: { node: 'node-1', pod: 'client', part: 'src' } }).value).toBe('192.168.49.3');
  });
});

describe('derived READY column and port holder', () => {
  it('reads 1/2 and the container that won the port when two servers share a Pod', () => {
    const sim = createSimulation(`
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: shop }
    spec:
      containers:
        - { name: docs, image: "httpd:2.4" }
        - { name: web, image: "nginx:1.27", ports: [{ containerPort: 80 }] }
`, { seed: 1 });
    expect(sim.run('kubectl get pod shop --no-headers').stdout).toMatch(/^shop +1\/2 +CrashLoopBackOff /);
    expect(derive(sim, { ready: { pod: 'shop' } })).toEqual({ value: '1/2', raw: '1/2' });
    expect(derive(sim, { listener: { pod: 'shop', port: 80 } })).toEqual({ value: 'docs', raw: 'docs' });
    expect(derive(sim, { listener: { pod: 'shop', port: 8080 } })).toEqual({ reason: 'nothing in the Pod shop listens on tcp port 8080' });
    expect(derive(sim, { ready: { pod: 'gone' } })).toEqual({ reason: 'the Pod gone does not exist' });
  });
});
