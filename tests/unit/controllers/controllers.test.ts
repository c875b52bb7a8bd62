/**
 * The control plane's controllers, driven through the API and the virtual clock.
 * Names follow kubernetes: ReplicaSets `<deploy>-<pod-template-hash>` (ComputeHash +
 * rand.SafeEncodeString, pkg/controller/controller_utils.go), pods `<rs>-<5 chars of
 * rand.String>`, StatefulSet pods `<sts>-<ordinal>`, EndpointSlices `<svc>-<5 chars>`.
 */
import { cidrContains } from '../../../engine/cluster/ipv4';
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../../engine';
import type { KubeObject, Manifest } from '../../../engine/cluster/types';

const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';

function deployment(name: string, replicas: number, image = 'nginx:1.27', extra: Record<string, unknown> = {}): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image, ports: [{ name: 'http', containerPort: 80 }], ...extra }] } },
    },
  };
}

function pods(sim: Simulation, prefix: string): KubeObject[] {
  return sim.list('Pod', 'default').filter((p) => p.metadata.name.startsWith(prefix));
}

function fresh(seed = 11): Simulation {
  return createSimulation(null, { seed });
}

describe('system layer', () => {
  it('builds the cluster kubeadm and the CNI would', () => {
    const sim = fresh();
    expect(sim.list('Namespace').map((n) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const cp = sim.get('Node', undefined, 'control-plane')!;
    expect(cp.spec).toEqual({ podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] });
    expect(cp.status.addresses).toEqual([{ address: '192.168.49.2', type: 'InternalIP' }, { address: 'control-plane', type: 'Hostname' }]);
    expect(cp.status.nodeInfo.kubeletVersion).toBe('v1.34.2');
    expect(cp.status.nodeInfo.kubeProxyVersion).toBe('');
    expect(cp.status.nodeInfo.containerRuntimeVersion).toBe('containerd://1.7.22');
    expect(sim.get('Node', undefined, 'node-2')!.spec.podCIDR).toBe('10.244.2.0/24');
    expect(sim.get('Service', 'default', 'kubernetes')!.spec.clusterIP).toBe('10.96.0.1');
    expect(sim.get('Service', 'kube-system', 'kube-dns')!.spec.clusterIP).toBe('10.96.0.10');
    expect(sim.get('Endpoints', 'default', 'kubernetes')!.subsets).toEqual([{ addresses: [{ ip: '192.168.49.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
    const names = sim.list('Pod', 'kube-system').map((p) => p.metadata.name);
    expect(names.filter((n) => /^coredns-/.test(n))).toHaveLength(2);
    expect(names.filter((n) => new RegExp(`^kube-proxy-${SAFE}{5}$`).test(n))).toHaveLength(3);
    expect(names.filter((n) => new RegExp(`^calico-node-${SAFE}{5}$`).test(n))).toHaveLength(3);
    expect(names).toContain('etcd-control-plane');
    expect(names).toContain('kube-apiserver-control-plane');
    // every system pod is Running and Ready; hostNetwork pods carry the node IP
    for (const p of sim.list('Pod', 'kube-system')) {
      expect(p.status.phase).toBe('Running');
      expect(p.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
      if (p.spec.hostNetwork) expect(p.status.podIP).toBe(p.status.hostIP);
    }
    // coredns pods do not land on the tainted control plane and spread over the workers
    const dnsNodes = sim.list('Pod', 'kube-system').filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns').map((p) => p.spec.nodeName).sort();
    expect(dnsNodes).toEqual(['node-1', 'node-2']);
    const cm = sim.get('ConfigMap', 'kube-system', 'kube-proxy')!;
    expect(cm.data['config.conf']).toMatch(/^mode: ""$/m); // kubeadm leaves the default mode empty: kube-proxy picks iptables
    expect(cm.data['config.conf']).toMatch(/^  scheduler: ""$/m);
    expect(cm.data['config.conf']).toContain('clusterCIDR: 10.244.0.0/16');
    expect(sim.get('ConfigMap', 'kube-system', 'coredns')!.data.Corefile).toContain('kubernetes cluster.local in-addr.arpa ip6.arpa {');
    // the cluster is days old when the scenario starts
    expect(sim.get('Namespace', undefined, 'default')!.metadata.creationTimestamp).toBe('2025-01-10T06:00:00Z');
    expect(sim.clock.iso()).toBe('2025-01-15T09:00:00Z');
  });

  it("writes kube-proxy's mode and IPVS scheduler as plain YAML strings", () => {
    const conf = (c: string) => createSimulation(`cluster: ${c}\nobjects: []\n`, { seed: 1 }).get('ConfigMap', 'kube-system', 'kube-proxy')!.data['config.conf'] as string;
    expect(conf('{ proxyMode: nftables }')).toMatch(/^mode: nftables$/m);
    const ipvs = conf('{ proxyMode: ipvs, ipvsScheduler: lc }');
    expect(ipvs).toMatch(/^mode: ipvs$/m);
    expect(ipvs).toMatch(/^  scheduler: lc$/m);
    expect(conf('{ proxyMode: ipvs }')).toMatch(/^  scheduler: rr$/m);
  });

  it('names each CNI plugin\'s pods as the plugin does', () => {
    const names = (cni: string) => createSimulation({ cluster: { cni } } as never, { seed: 1 }).list('Pod').map((p) => `${p.metadata.namespace}/${p.metadata.name.replace(/-[a-z0-9]{5}$/, '-*').replace(/-[a-z0-9]{8,10}-\*$/, '-*-*')}`);
    const mk = (cni: string) => createSimulation(`cluster:\n  cni: ${cni}\n`, { seed: 1 });
    void names;
    expect(mk('flannel').list('Pod', 'kube-flannel').map((p) => p.metadata.name.slice(0, -6))).toEqual(['kube-flannel-ds', 'kube-flannel-ds', 'kube-flannel-ds']);
    expect(mk('cilium').list('Pod', 'kube-system').filter((p) => p.metadata.name.startsWith('cilium')).map((p) => p.metadata.name.replace(/-[a-z0-9]{5}$/, '')).sort()).toEqual(['cilium', 'cilium', 'cilium', 'cilium-operator-' + mk('cilium').list('ReplicaSet', 'kube-system').find((r) => r.metadata.name.startsWith('cilium-operator'))!.metadata.labels!['pod-template-hash']].sort());
    expect(mk('weave').list('Pod', 'kube-system').filter((p) => p.metadata.name.startsWith('weave-net-'))).toHaveLength(3);
    expect(mk('aws-vpc-cni').list('Pod', 'kube-system').filter((p) => p.metadata.name.startsWith('aws-node-'))).toHaveLength(3);
  });
});

describe('Deployment → ReplicaSet → Pods', () => {
  it('creates the ReplicaSet and pods with real names, schedules and starts them', () => {
    const sim = fresh();
    sim.api.create(deployment('web', 3));
    const rs = sim.list('ReplicaSet', 'default');
    expect(rs).toHaveLength(1);
    const hash = rs[0].metadata.labels!['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(rs[0].metadata.name).toBe(`web-${hash}`);
    expect(rs[0].metadata.annotations).toEqual({ 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', 'deployment.kubernetes.io/revision': '1' });
    const ps = pods(sim, 'web-');
    expect(ps).toHaveLength(3);
    for (const p of ps) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-${SAFE}{5}$`));
      expect(p.spec.nodeName).toMatch(/^node-[12]$/);
      expect(p.status.phase).toBe('Pending');
      expect(p.status.containerStatuses[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    }
    sim.advance(5000);
    for (const p of pods(sim, 'web-')) {
      expect(p.status.phase).toBe('Running');
      // calico-ipam: node-1 and node-2 hold the pool's second and third /26 (the control plane the first)
      expect(cidrContains(p.spec.nodeName === 'node-1' ? '10.244.0.64/26' : '10.244.0.128/26', p.status.podIP)).toBe(true);
      expect(p.status.containerStatuses[0]).toMatchObject({ image: 'docker.io/library/nginx:1.27', ready: true, restartCount: 0, started: true });
      expect(p.status.containerStatuses[0].containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
      expect(p.status.containerStatuses[0].imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
      expect(p.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    }
    const d = sim.get('Deployment', 'default', 'web')!;
    expect(d.status).toMatchObject({ availableReplicas: 3, readyReplicas: 3, replicas: 3, updatedReplicas: 3, observedGeneration: 1 });
    expect(d.status.conditions.map((c: { type: string; reason: string }) => `${c.type}/${c.reason}`)).toEqual(['Available/MinimumReplicasAvailable', 'Progressing/NewReplicaSetAvailable']);
    expect(d.status.conditions[1].message).toBe(`ReplicaSet "web-${hash}" has successfully progressed.`);
  });

  it('scales, rolls out a new template, restarts, and collects garbage', () => {
    const sim = fresh();
    sim.api.create(deployment('web', 2));
    sim.advance(5000);
    const d = structuredClone(sim.get('Deployment', 'default', 'web')!);
    d.spec.replicas = 4;
    sim.api.update(d);
    sim.advance(5000);
    expect(pods(sim, 'web-').filter((p) => p.status.phase === 'Running')).toHaveLength(4);
    // new image: a second ReplicaSet takes over step by step
    const d2 = structuredClone(sim.get('Deployment', 'default', 'web')!);
    d2.spec.template.spec.containers[0].image = 'nginx:1.26';
    sim.api.update(d2);
    const rsNow = sim.list('ReplicaSet', 'default');
    expect(rsNow).toHaveLength(2);
    // maxSurge 25% of 4 = 1 extra pod, maxUnavailable 1: never fewer than 3 available
    for (let i = 0; i < 20; i++) {
      sim.advance(1000);
      const avail = pods(sim, 'web-').filter((p) => p.status.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') && !p.metadata.deletionTimestamp).length;
      expect(avail).toBeGreaterThanOrEqual(3);
      expect(pods(sim, 'web-').filter((p) => !p.metadata.deletionTimestamp).length).toBeLessThanOrEqual(5);
    }
    const rs = sim.list('ReplicaSet', 'default').sort((a, b) => Number(a.metadata.annotations!['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations!['deployment.kubernetes.io/revision']));
    expect(rs.map((r) => r.spec.replicas)).toEqual([0, 4]);
    expect(sim.get('Deployment', 'default', 'web')!.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    expect(pods(sim, 'web-').every((p) => p.spec.containers[0].image === 'nginx:1.26')).toBe(true);
    // kubectl rollout restart: the template annotation
    const d3 = structuredClone(sim.get('Deployment', 'default', 'web')!);
    d3.spec.template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': sim.clock.iso() };
    sim.api.update(d3);
    sim.advance(30000);
    expect(sim.list('ReplicaSet', 'default')).toHaveLength(3);
    expect(sim.get('Deployment', 'default', 'web')!.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('3');
    // delete: ReplicaSets and pods follow
    sim.api.delete('Deployment', 'default', 'web');
    expect(sim.list('ReplicaSet', 'default')).toHaveLength(0);
    expect(pods(sim, 'web-').every((p) => p.metadata.deletionTimestamp)).toBe(true);
    sim.advance(5000);
    expect(pods(sim, 'web-')).toHaveLength(0);
  });

  it('reports images that cannot be pulled', () => {
    const sim = fresh();
    sim.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: [{ name: 'web', image: 'nginx:doesnotexist' }] } });
    sim.advance(3000);
    let st = sim.get('Pod', 'default', 'bad')!.status.containerStatuses[0].state.waiting;
    expect(st.reason).toBe('ErrImagePull');
    expect(st.message).toBe('rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:doesnotexist": failed to resolve reference "docker.io/library/nginx:doesnotexist": docker.io/library/nginx:doesnotexist: not found');
    sim.advance(1000);
    st = sim.get('Pod', 'default', 'bad')!.status.containerStatuses[0].state.waiting;
    // v1.33+ image_manager.go pullImage: the back-off message carries the last pull's error (prevPullErrMsg, "%s: %s" of ErrImagePull and it)
    expect(st).toEqual({
      message:
        'Back-off pulling image "nginx:doesnotexist": ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:doesnotexist": failed to resolve reference "docker.io/library/nginx:doesnotexist": docker.io/library/nginx:doesnotexist: not found',
      reason: 'ImagePullBackOff',
    });
    expect(sim.get('Pod', 'default', 'bad')!.status.phase).toBe('Pending');
  });

  it('marks a stuck rollout ProgressDeadlineExceeded after progressDeadlineSeconds', () => {
    const sim = fresh();
    sim.api.create(deployment('web', 2, 'nginx:doesnotexist'));
    sim.advance(599_000);
    let p = sim.get('Deployment', 'default', 'web')!.status.conditions.find((c: { type: string }) => c.type === 'Progressing');
    expect(p.status).toBe('True');
    sim.advance(2000);
    p = sim.get('Deployment', 'default', 'web')!.status.conditions.find((c: { type: string }) => c.type === 'Progressing');
    const rs = sim.list('ReplicaSet', 'default')[0].metadata.name;
    expect(p).toEqual({ lastTransitionTime: '2025-01-15T09:10:00Z', lastUpdateTime: '2025-01-15T09:10:00Z', message: `ReplicaSet "${rs}" has timed out progressing.`, reason: 'ProgressDeadlineExceeded', status: 'False', type: 'Progressing' });
  });

  it('completes one-shot pods and crash-loops them under restartPolicy Always', () => {
    const sim = fresh();
    sim.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'once' }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'echo hi'] }] } });
    sim.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'loop' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } });
    sim.advance(4000);
    expect(sim.get('Pod', 'default', 'once')!.status.phase).toBe('Succeeded');
    expect(sim.get('Pod', 'default', 'once')!.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    sim.advance(30000);
    const loop = sim.get('Pod', 'default', 'loop')!.status.containerStatuses[0];
    expect(loop.restartCount).toBeGreaterThanOrEqual(2);
    expect(['CrashLoopBackOff', undefined]).toContain(loop.state.waiting?.reason);
  });
});

describe('StatefulSet and DaemonSet', () => {
  it('creates ordinal pods one at a time and scales down from the top', () => {
    const sim = fresh();
    sim.api.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { serviceName: 'db', replicas: 3, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'redis:7' }] } } },
    });
    expect(pods(sim, 'db-').map((p) => p.metadata.name)).toEqual(['db-0']);
    sim.advance(20000);
    const ps = pods(sim, 'db-');
    expect(ps.map((p) => p.metadata.name)).toEqual(['db-0', 'db-1', 'db-2']);
    expect(ps[1].spec.hostname).toBe('db-1');
    expect(ps[1].spec.subdomain).toBe('db');
    expect(ps[1].metadata.labels).toMatchObject({ 'statefulset.kubernetes.io/pod-name': 'db-1', 'apps.kubernetes.io/pod-index': '1' });
    const sts = structuredClone(sim.get('StatefulSet', 'default', 'db')!);
    sts.spec.replicas = 1;
    sim.api.update(sts);
    sim.advance(20000);
    expect(pods(sim, 'db-').map((p) => p.metadata.name)).toEqual(['db-0']);
  });

  it('runs one pod per eligible node', () => {
    const sim = fresh();
    sim.api.create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox:1.36', command: ['sleep', 'infinity'] }] } } },
    });
    sim.advance(5000);
    // the control plane's NoSchedule taint is not tolerated
    expect(pods(sim, 'agent-').map((p) => p.spec.nodeName).sort()).toEqual(['node-1', 'node-2']);
    expect(sim.get('DaemonSet', 'default', 'agent')!.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2 });
  });
});

describe('Services, Endpoints and EndpointSlices', () => {
  it('publishes ready and not-ready addresses with named target ports resolved', () => {
    const sim = fresh();
    sim.api.create(deployment('web', 2, 'nginx:1.27', { readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 10 } }));
    sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    sim.advance(4000);
    let ep = sim.get('Endpoints', 'default', 'web')!;
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets[0].addresses).toBeUndefined();
    expect(ep.subsets[0].notReadyAddresses).toHaveLength(2);
    expect(ep.subsets[0].ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
    sim.advance(10000);
    ep = sim.get('Endpoints', 'default', 'web')!;
    expect(ep.subsets[0].addresses).toHaveLength(2);
    const slices = sim.list('EndpointSlice', 'default').filter((s) => s.metadata.labels!['kubernetes.io/service-name'] === 'web');
    expect(slices).toHaveLength(1);
    const s = slices[0];
    expect(s.metadata.name).toMatch(new RegExp(`^web-${SAFE}{5}$`));
    expect(s.metadata.labels!['endpointslice.kubernetes.io/managed-by']).toBe('endpointslice-controller.k8s.io');
    expect(s.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
    const podsByName = new Map(pods(sim, 'web-').map((p) => [p.metadata.name, p]));
    for (const e of s.endpoints) {
      const p = podsByName.get(e.targetRef.name)!;
      expect(e).toEqual({ addresses: [p.status.podIP], conditions: { ready: true, serving: true, terminating: false }, nodeName: p.spec.nodeName, targetRef: { kind: 'Pod', name: p.metadata.name, namespace: 'default', uid: p.metadata.uid } });
    }
    // a terminating pod: not ready, still serving, terminating
    const victim = pods(sim, 'web-')[0];
    sim.api.delete('Pod', 'default', victim.metadata.name);
    const e = sim.list('EndpointSlice', 'default').find((x) => x.metadata.labels!['kubernetes.io/service-name'] === 'web')!.endpoints.find((x: { targetRef: { name: string } }) => x.targetRef.name === victim.metadata.name);
    expect(e.conditions).toEqual({ ready: false, serving: true, terminating: true });
  });

  it('leaves Services without a selector alone and allocates LoadBalancer IPs from the pool', () => {
    const sim = fresh();
    sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { ports: [{ port: 80 }] } });
    expect(sim.get('Endpoints', 'default', 'ext')).toBeUndefined();
    expect(sim.list('EndpointSlice', 'default').filter((s) => s.metadata.labels!['kubernetes.io/service-name'] === 'ext')).toHaveLength(0);
    const lb = sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] } });
    expect(lb.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(sim.get('Service', 'default', 'lb')!.status).toEqual({ loadBalancer: { ingress: [{ ip: '203.0.113.9', ipMode: 'VIP' }] } });
    const none = createSimulation('cluster:\n  loadBalancerPool: []\n', { seed: 1 });
    none.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] } });
    expect(none.get('Service', 'default', 'lb')!.status).toEqual({ loadBalancer: {} });
  });
});

describe('scenario pins and logs', () => {
  it('honours pinned nodeName, podIP, clusterIP, nodePort and readiness', () => {
    const sim = createSimulation(`
objects:
  - apiVersion: v1
    kind: Pod
    metadata: {name: pinned, labels: {app: pin}}
    spec:
      nodeName: node-2
      containers: [{name: web, image: nginx}]
    status:
      podIP: 10.244.2.50
  - apiVersion: v1
    kind: Pod
    metadata: {name: sick, labels: {app: pin}}
    spec:
      containers: [{name: web, image: nginx}]
    status:
      conditions: [{type: Ready, status: "False"}]
  - apiVersion: v1
    kind: Service
    metadata: {name: pin}
    spec:
      type: NodePort
      clusterIP: 10.100.0.50
      selector: {app: pin}
      ports: [{port: 80, nodePort: 30080}]
`, { seed: 5 });
    const p = sim.get('Pod', 'default', 'pinned')!;
    expect(p.spec.nodeName).toBe('node-2');
    expect(p.status.podIP).toBe('10.244.2.50');
    expect(p.status.phase).toBe('Running');
    expect(p.metadata.creationTimestamp).toBe('2025-01-15T08:55:00Z');
    const sick = sim.get('Pod', 'default', 'sick')!;
    expect(sick.status.phase).toBe('Running');
    expect(sick.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('False');
    const svc = sim.get('Service', 'default', 'pin')!;
    expect(svc.spec.clusterIP).toBe('10.100.0.50');
    expect(svc.spec.ports[0].nodePort).toBe(30080);
    const ep = sim.get('Endpoints', 'default', 'pin')!;
    expect(ep.subsets[0].addresses.map((a: { ip: string }) => a.ip)).toEqual(['10.244.2.50']);
    expect(ep.subsets[0].notReadyAddresses.map((a: { targetRef: { name: string } }) => a.targetRef.name)).toEqual(['sick']);
    sim.advance(60000);
    expect(sim.get('Pod', 'default', 'sick')!.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('False');
  });

  it('derives startup log lines from the image and keeps appended lines', () => {
    const sim = createSimulation(null, { seed: 2 });
    const logs = sim.cluster.logs;
    const dns = sim.list('Pod', 'kube-system').find((p) => p.metadata.name.startsWith('coredns-'))!;
    const lines = logs.read('kube-system', dns.metadata.name, 'coredns');
    expect(lines[0]).toBe('.:53');
    expect(lines[1]).toMatch(/^\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}$/);
    expect(lines.slice(2)).toEqual(['CoreDNS-1.12.1', 'linux/amd64, go1.24.1, 707c7c1']);
    sim.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27.3' }] } });
    expect(logs.read('default', 'web', 'web')).toEqual([]);
    sim.advance(5000);
    const nginx = logs.read('default', 'web', 'web');
    expect(nginx[0]).toBe('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
    expect(nginx).toContain('2025/01/15 09:00:02 [notice] 1#1: nginx/1.27.3');
    logs.append('default', 'web', 'web', '10.244.1.7 - - [15/Jan/2025:09:00:10 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"');
    expect(logs.read('default', 'web', 'web').at(-1)).toContain('"GET / HTTP/1.1" 200 615');
  });
});

describe('ownership and deletion', () => {
  it('releases a relabelled pod, replaces it, and drops it from the Service', () => {
    const sim = fresh();
    sim.api.create(deployment('web', 2));
    sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    sim.advance(5000);
    const victim = structuredClone(pods(sim, 'web-')[0]);
    victim.metadata.labels = { ...victim.metadata.labels, app: 'debug' };
    sim.api.update(victim);
    const released = sim.get('Pod', 'default', victim.metadata.name)!;
    expect(released.metadata.ownerReferences).toBeUndefined();
    sim.advance(5000);
    const owned = sim.list('Pod', 'default').filter((p) => p.metadata.labels?.app === 'web');
    expect(owned).toHaveLength(2);
    expect(owned.map((p) => p.metadata.name)).not.toContain(victim.metadata.name);
    const ips = sim.get('Endpoints', 'default', 'web')!.subsets[0].addresses.map((a: { ip: string }) => a.ip).sort();
    expect(ips).toEqual(owned.map((p) => p.status.podIP).sort());
  });

  it('orphans dependants on request and empties a deleted namespace', () => {
    const sim = fresh();
    sim.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    sim.api.create({ ...deployment('web', 2), metadata: { name: 'web', namespace: 'shop' } });
    sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    sim.advance(5000);
    sim.api.delete('Deployment', 'shop', 'web', { propagationPolicy: 'Orphan' });
    const rs = sim.list('ReplicaSet', 'shop');
    expect(rs).toHaveLength(1);
    expect(rs[0].metadata.ownerReferences).toBeUndefined();
    sim.api.delete('Namespace', undefined, 'shop');
    expect(sim.get('Namespace', undefined, 'shop')!.status.phase).toBe('Terminating');
    sim.advance(10_000);
    expect(sim.get('Namespace', undefined, 'shop')).toBeUndefined();
    for (const kind of ['Pod', 'Service', 'ReplicaSet', 'Endpoints', 'EndpointSlice']) expect(sim.list(kind, 'shop')).toHaveLength(0);
  });

  it('allocates a podCIDR for a node that joins without one', () => {
    const sim = fresh();
    const n = sim.api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-3' } });
    expect(n.spec.podCIDR).toBe('10.244.3.0/24');
  });
});

describe('events', () => {
  it('records what the scheduler, kubelet and controllers did, and expires them after an hour', () => {
    const sim = fresh();
    // the system layer's own events are days old: expired
    expect(sim.list('Event', 'kube-system')).toHaveLength(0);
    sim.api.create(deployment('web', 1));
    sim.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: [{ name: 'web', image: 'nginx:doesnotexist' }] } });
    sim.advance(5000);
    const pod = pods(sim, 'web-')[0];
    const about = (name: string) =>
      sim.list('Event', 'default').filter((e) => e.involvedObject.name === name).sort((a, b) => (a.firstTimestamp < b.firstTimestamp ? -1 : a.firstTimestamp > b.firstTimestamp ? 1 : a.metadata.name < b.metadata.name ? -1 : 1)).map((e) => `${e.type} ${e.reason} ${e.source.component} ${e.message}`);
    expect(about(pod.metadata.name)).toEqual([
      `Normal Scheduled default-scheduler Successfully assigned default/${pod.metadata.name} to ${pod.spec.nodeName}`,
      'Normal Pulling kubelet Pulling image "nginx:1.27"',
      expect.stringMatching(/^Normal Pulled kubelet Successfully pulled image "nginx:1\.27" in 2\.5s \(2\.5s including waiting\)\. Image size: \d+ bytes\.$/),
      'Normal Created kubelet Created container web',
      'Normal Started kubelet Started container web',
    ]);
    const rs = sim.list('ReplicaSet', 'default')[0].metadata.name;
    expect(about('web')).toEqual([`Normal ScalingReplicaSet deployment-controller Scaled up replica set ${rs} to 1 from 0`]);
    expect(about(rs)).toEqual([`Normal SuccessfulCreate replicaset-controller Created pod: ${pod.metadata.name}`]);
    expect(about('bad')).toContain('Warning Failed kubelet Error: ErrImagePull');
    expect(about('bad')).toContain('Warning Failed kubelet Error: ImagePullBackOff');
    const e = sim.list('Event', 'default').find((x) => x.involvedObject.name === pod.metadata.name && x.reason === 'Started')!;
    expect(e.metadata.name).toMatch(new RegExp(`^${pod.metadata.name}\\.[0-9a-f]{16}$`));
    expect(e.involvedObject.fieldPath).toBe('spec.containers{web}');
    sim.advance(3_700_000);
    expect(sim.list('Event', 'default').filter((x) => x.involvedObject.name === pod.metadata.name)).toHaveLength(0);
  });
});

describe('systemLayer: false', () => {
  it('keeps the namespaces and nodes but runs nothing in kube-system', () => {
    const sim = createSimulation('cluster:\n  systemLayer: false\n', { seed: 1 });
    expect(sim.list('Namespace').map((n) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(sim.list('Node').map((n) => n.metadata.name)).toEqual(['control-plane', 'node-1', 'node-2']);
    expect(sim.list('Pod')).toHaveLength(0);
    expect(sim.list('Service')).toHaveLength(0);
    sim.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    sim.advance(5000);
    expect(sim.get('Pod', 'default', 'p')!.status.podIP).toMatch(/^10\.244\.[12]\.2$/);
  });
});

describe('scheduler', () => {
  it('explains why a pod cannot be scheduled, as FitError does', () => {
    const sim = createSimulation(null, { seed: 1 });
    sim.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeSelector: { disktype: 'ssd' }, containers: [{ name: 'c', image: 'nginx' }] } });
    sim.advance(2000);
    const p = sim.get('Pod', 'default', 'p')!;
    expect(p.status.phase).toBe('Pending');
    expect(p.spec.nodeName).toBeUndefined();
    expect(p.status.conditions).toEqual([
      {
        lastProbeTime: null,
        lastTransitionTime: '2025-01-15T09:00:00Z',
        message: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..",
        // the scheduler records the pod generation it saw (PodObservedGenerationTracking, v1.34)
        observedGeneration: 1,
        reason: 'Unschedulable',
        status: 'False',
        type: 'PodScheduled',
      },
    ]);
    // labelling a node lets it through
    const n = structuredClone(sim.get('Node', undefined, 'node-2')!);
    n.metadata.labels = { ...n.metadata.labels, disktype: 'ssd' };
    sim.api.update(n);
    sim.advance(5000);
    expect(sim.get('Pod', 'default', 'p')!.spec.nodeName).toBe('node-2');
    expect(sim.get('Pod', 'default', 'p')!.status.phase).toBe('Running');
  });
});

describe('failing readiness probes', () => {
  it('keep the pod unready and record Unhealthy each period', () => {
    const sim = createSimulation(null, { seed: 1 });
    sim.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx', readinessProbe: { exec: { command: ['false'] }, periodSeconds: 5 } }] } });
    sim.advance(33_000);
    const p = sim.get('Pod', 'default', 'p')!;
    expect(p.status.phase).toBe('Running');
    expect(p.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('False');
    const ev = sim.list('Event', 'default').filter((e) => e.involvedObject.name === 'p' && e.reason === 'Unhealthy');
    expect(ev).toHaveLength(1);
    expect(ev[0].message).toBe('Readiness probe failed: ');
    expect(ev[0].type).toBe('Warning');
    // the container starts at 09:00:02.5; probes at 03.5, 08.5 … 28.5
    expect(ev[0].count).toBe(6);
  });
});
