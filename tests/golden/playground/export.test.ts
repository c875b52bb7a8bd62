/**
 * The playground's export, pinned whole: only what a scenario author writes. Left out, as
 * the API server or a controller puts them back: metadata.uid, resourceVersion,
 * creationTimestamp, generation, managedFields, ownerReferences; status (but a bare Pod's
 * pinned podIP); the annotations kubectl and the Deployment controller write
 * (last-applied-configuration, deployment.kubernetes.io/revision); fields at their
 * defaults — kubernetes/kubernetes pkg/apis/core/v1/defaults.go (SetDefaults_Pod,
 * _PodSpec, _Container, _Probe, _Service, _ServicePort), pkg/apis/apps/v1/defaults.go
 * (SetDefaults_Deployment), pkg/apis/networking/v1/defaults.go (SetDefaults_NetworkPolicy:
 * policyTypes from the rules, NetworkPolicyPort protocol TCP), pkg/apis/discovery/v1/
 * defaults.go (SetDefaults_EndpointPort); and every object the cluster made — the system
 * layer, ReplicaSets, Pods, EndpointSlices of a selector Service, Events, Leases.
 * What a real cluster allocated stays pinned (clusterIP, nodePort, a bare Pod's node and
 * address), so the export rebuilds the same cluster.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { checkScenario, exportScenario, rebuildOn } from '../../../engine/grading';
import { isAuthored, userObjects } from '../../../engine/scenario/export';
import { golden } from '../../unit/dns/golden';
import { SESSION } from './session';

function session(scenario = '') {
  const sim = createSimulation(scenario, { seed: 1 });
  for (const c of SESSION) {
    const r = sim.run(c);
    expect(r.stderr, c).toBe('');
  }
  sim.advance(20_000);
  return sim;
}

describe('the playground export', () => {
  const sim = session();
  const text = exportScenario(sim, { 'web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-file\n' });

  it('writes only what an author would', () => {
    golden('playground/export.yaml', text);
    for (const word of ['uid:', 'resourceVersion', 'creationTimestamp', 'managedFields', 'ownerReferences', 'last-applied', 'revision', 'kube-system', 'ReplicaSet', 'Endpoints\n', 'terminationMessagePath', 'dnsPolicy', 'sessionAffinity', 'ipFamilies']) {
      expect(text, word).not.toContain(word);
    }
  });

  it('is a fixed point: the export builds a cluster whose export is the same text', () => {
    const again = createSimulation(text, { seed: 7 });
    again.advance(20_000);
    expect(exportScenario(again, { 'web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-file\n' })).toBe(text);
    expect(again.get('Service', 'shop', 'api')!.spec.ports[0].nodePort).toBe(sim.get('Service', 'shop', 'api')!.spec.ports[0].nodePort);
    expect(again.get('Pod', 'default', 'client')!.status.podIP).toBe(sim.get('Pod', 'default', 'client')!.status.podIP);
    expect(again.fs.read({ kind: 'workstation' }, '/home/learner/web.yaml')).toContain('name: from-file');
  });

  it('has one rule for what a person created: the derived objects are there, and not authored', () => {
    const derived = sim.store.all().filter((o) => !isAuthored(sim, o));
    const kinds = new Set(derived.filter((o) => o.metadata.namespace === 'shop').map((o) => o.kind));
    // kube-root-ca.crt and the default ServiceAccount are the controllers' in every namespace
    expect([...kinds].sort()).toEqual(['ConfigMap', 'EndpointSlice', 'Endpoints', 'Event', 'Pod', 'ReplicaSet', 'ServiceAccount']);
    expect(userObjects(sim).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/shop',
      'ConfigMap/settings',
      'Secret/db-pass',
      'Deployment/api',
      'Deployment/web',
      'Pod/client',
      'Service/api',
      'Service/db',
      'Service/web',
      'EndpointSlice/db-1',
      'NetworkPolicy/web-from-client',
    ]);
  });
});

describe('rebuilding on another dataplane', () => {
  it('keeps every object and every address on another kube-proxy mode', () => {
    const sim = session();
    const r = rebuildOn(sim, { cni: 'calico', proxyMode: 'nftables' });
    if (!r.ok) throw new Error(r.message);
    expect(r.dropped).toEqual([]);
    expect(r.readdressed).toBe(false);
    expect(r.kept).toHaveLength(11);
    const next = createSimulation(r.scenario, { seed: 1 });
    expect(next.settings.proxyMode).toBe('nftables');
    expect(next.get('Pod', 'default', 'client')!.status.podIP).toBe(sim.get('Pod', 'default', 'client')!.status.podIP);
    expect(next.get('Service', 'shop', 'web')!.spec.clusterIP).toBe(sim.get('Service', 'shop', 'web')!.spec.clusterIP);
    // the same Services, addresses and ports; the new cluster's clock goes on from the old one's
    expect(next.clock.now()).toBeGreaterThanOrEqual(sim.clock.now() - 1000);
    const noAge = (t: string) => t.replace(/ +\S+\n/g, '\n');
    expect(noAge(next.run('kubectl get svc -n shop').stdout)).toBe(noAge(sim.run('kubectl get svc -n shop').stdout));
  });

  it('on Flannel keeps the objects, gives bare Pods new addresses, and says the NetworkPolicy is no longer enforced', () => {
    const sim = session();
    const r = rebuildOn(sim, { cni: 'flannel', proxyMode: 'iptables' });
    if (!r.ok) throw new Error(r.message);
    expect(r.dropped).toEqual([]);
    expect(r.readdressed).toBe(true);
    expect(r.notes).toEqual(['Flannel does not enforce NetworkPolicy: your NetworkPolicy is kept, but every Pod can reach every other.']);
    const next = createSimulation(r.scenario, { seed: 1 });
    next.advance(20_000);
    expect(userObjects(next).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(userObjects(sim).map((o) => `${o.kind}/${o.metadata.name}`));
    expect(next.get('Pod', 'default', 'client')!.status.phase).toBe('Running');
    expect(next.list('Pod', 'shop')).toHaveLength(4);
  });

  it('leaving Cilium drops its CiliumNetworkPolicy with the API server\'s reason', () => {
    const sim = createSimulation('cluster: { cni: cilium }\n', { seed: 1 });
    const cnp = `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: l7\nspec:\n  endpointSelector:\n    matchLabels:\n      app: web\n  ingress:\n  - toPorts:\n    - ports:\n      - port: "80"\n`;
    expect(sim.run(`kubectl apply -f - <<'EOF'\n${cnp}EOF`).stdout).toBe('ciliumnetworkpolicy.cilium.io/l7 created\n');
    sim.run('kubectl create deployment web --image=nginx:1.27');
    const r = rebuildOn(sim, { cni: 'calico', proxyMode: 'iptables' });
    if (!r.ok) throw new Error(r.message);
    expect(r.dropped).toEqual([
      { kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'l7', reason: 'no matches for kind "CiliumNetworkPolicy" in version "cilium.io/v2": its CRD ciliumnetworkpolicies.cilium.io comes with Cilium, and Calico does not install it' },
    ]);
    expect(r.kept).toEqual([{ kind: 'Deployment', namespace: 'default', name: 'web' }]);
    // Cilium with or without kube-proxy keeps it
    const kpr = rebuildOn(sim, { cni: 'cilium', proxyMode: 'iptables', kubeProxyReplacement: true });
    if (!kpr.ok) throw new Error(kpr.message);
    expect(kpr.dropped).toEqual([]);
    expect(createSimulation(kpr.scenario, { seed: 1 }).settings.kubeProxyReplacement).toBe(true);
  });
});

describe('checking a scenario from elsewhere (an import, a share link)', () => {
  it('answers with the loader\'s or the API server\'s error and its line, never a throw', () => {
    expect(checkScenario('cluster:\n  cni: calico\nobjects:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: ok\n')).toMatchObject({ ok: true, objects: 1 });
    expect(checkScenario('cluster:\n  cni: bridge\n')).toEqual({ ok: false, message: 'cluster.cni "bridge" is not one of calico, flannel, cilium, weave, aws-vpc-cni', line: 2 });
    expect(checkScenario('objects:\n  - apiVersion: v1\n    kind: Service\n    metadata:\n      name: Web\n    spec:\n      ports:\n        - port: 80\n')).toEqual({
      ok: false,
      message: expect.stringMatching(/^objects\[0\] \(Service Web\): Service "Web" is invalid: metadata.name: Invalid value: "Web"/),
      line: 5,
    });
    expect(checkScenario('objects: [\n')).toMatchObject({ ok: false, line: 2 });
    expect(checkScenario('- just\n- a list\n')).toEqual({ ok: false, message: 'a scenario must be a mapping with cluster: and objects:', line: 1 });
  });
});
