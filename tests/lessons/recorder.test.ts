/**
 * The authoring recorder: the playground's history becomes a reference solution, and its
 * cluster becomes a scenario that recreates what the author made (and nothing derived).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createSimulation } from '../../engine';
import { exportScenario, recordSolution } from '../../engine/grading';

describe('recorder', () => {
  it('exports the authored objects as a scenario that recreates them', () => {
    const sim = createSimulation('cluster: { cni: cilium, proxyMode: ipvs }\nobjects: []\n', { seed: 5 });
    for (const c of [
      'kubectl create namespace shop',
      'kubectl create deployment web --image=nginx:1.27 --replicas=2 -n shop',
      'kubectl expose deployment web --port=80 --target-port=80 -n shop',
      'kubectl get pods -n shop',
      'kubectl get nothing',
    ]) sim.run(c);
    sim.advance(5000);

    const sol = recordSolution(sim.history);
    expect(sol.commands).toEqual([
      'kubectl create namespace shop',
      'kubectl create deployment web --image=nginx:1.27 --replicas=2 -n shop',
      'kubectl expose deployment web --port=80 --target-port=80 -n shop',
      'kubectl get pods -n shop',
    ]);
    expect(sol.skipped).toEqual(['kubectl get nothing']);
    expect(parse(sol.yaml)).toEqual({ solution: { commands: sol.commands } });

    const text = exportScenario(sim, { 'notes.txt': 'hello\n' });
    const doc = parse(text);
    expect(doc.cluster).toEqual({ cni: 'cilium', proxyMode: 'ipvs' });
    expect(doc.files).toEqual({ 'notes.txt': 'hello\n' });
    // Only what the author made: no Pods, ReplicaSets, EndpointSlices or system objects.
    expect(doc.objects.map((o: { kind: string; metadata: { name: string; namespace?: string } }) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace//shop',
      'Deployment/shop/web',
      'Service/shop/web',
    ]);
    for (const o of doc.objects) {
      expect(o.status).toBeUndefined();
      expect(o.metadata.uid).toBeUndefined();
      expect(o.metadata.resourceVersion).toBeUndefined();
    }

    // The exported scenario builds the same cluster.
    const again = createSimulation(text, { seed: 9 });
    again.advance(5000);
    expect(again.list('Pod', 'shop')).toHaveLength(2);
    expect(again.get('Service', 'shop', 'web')?.spec.clusterIP).toBe(sim.get('Service', 'shop', 'web')?.spec.clusterIP);
    expect(again.run('kubectl get endpoints web -n shop').exitCode).toBe(0);
  });
});
