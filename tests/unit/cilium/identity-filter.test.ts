/**
 * One identity and one endpoint ID per pod, whoever prints it.
 *  - The label filter: cilium v1.18 pkg/labelsfilter/filter.go defaultLabelPrefixCfg and
 *    filterLabels (a prefix regexp must match at the key's start; a label is kept when no ignore
 *    matches, or the longest include match is longer than the shortest ignore match).
 *  - Endpoint IDs: `cilium-dbg endpoint list`, the CiliumEndpoint's status.id and Hubble's flow
 *    `source.ID` name the same endpoint with the same number.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { securityRelevant } from '../../../engine/dataplane/cilium/identity';
import { endpointFor } from '../../../engine/dataplane/flows';
import { KPR_SCENARIO } from './scenario';

describe('the default label filter', () => {
  it('keeps what the upstream prefixes keep', () => {
    const kept = ['app', 'tier', 'job-name', 'batch.kubernetes.io/job-name', 'app.kubernetes.io/name', 'io.kubernetes.pod.namespace', 'io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name', 'io.cilium.k8s.policy.serviceaccount'];
    const dropped = [
      'pod-template-hash',
      'controller-revision-hash',
      'pod-template-generation',
      'controller-uid',
      'batch.kubernetes.io/controller-uid',
      'batch.kubernetes.io/job-completion-index',
      'statefulset.kubernetes.io/pod-name',
      'apps.kubernetes.io/pod-index',
      'kubernetes.io/hostname',
      'io.kubernetes.container.name',
      'topology.beta.kubernetes.io/zone',
      'k8s.io/anything',
      'annotation.foo',
      'etcd_node',
    ];
    expect(kept.filter((k) => !securityRelevant(k))).toEqual([]);
    expect(dropped.filter((k) => securityRelevant(k))).toEqual([]);
  });
});

describe('endpoint IDs', () => {
  it('are the same in cilium-dbg endpoint list, the CiliumEndpoint and Hubble', () => {
    const sim = createSimulation(KPR_SCENARIO, { seed: 3 });
    sim.run('sleep 30');
    const pods = sim.store.list('Pod').filter((p) => p.metadata.namespace === 'default' && p.status?.podIP);
    expect(pods.length).toBeGreaterThan(1);
    for (const pod of pods) {
      const node = pod.spec!.nodeName as string;
      const cep = sim.run(`kubectl get cep ${pod.metadata.name} -o jsonpath={.status.id}`).stdout;
      const agentPod = sim.run(`kubectl -n kube-system get pods -l k8s-app=cilium --field-selector spec.nodeName=${node} -o name`).stdout.trim();
      const list = sim.run(`kubectl -n kube-system exec ${agentPod} -- cilium-dbg endpoint list`).stdout;
      const row = list.split('\n').find((l) => l.split(/\s+/).includes(pod.status!.podIP as string));
      const hubble = endpointFor(sim.cluster, pod.status!.podIP as string, node).id;
      expect(cep, pod.metadata.name).toMatch(/^\d+$/);
      expect(row?.split(/\s+/)[0], pod.metadata.name).toBe(cep);
      expect(String(hubble)).toBe(cep);
    }
  });
});
