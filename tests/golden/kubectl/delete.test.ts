/**
 * kubectl delete's lines and grace-period rules as kubectl v1.34 prints and checks them.
 *
 * Sources: k8s.io/kubectl v0.34.2 pkg/cmd/delete/delete.go — Complete (--now is a grace
 * period of 1, --grace-period=0 without --force becomes 1, --force alone becomes 0),
 * Validate (the Immediate-deletion warning at 0 with --force; "--force and --grace-period
 * greater than 0 cannot be specified together"; "--now and --grace-period cannot be
 * specified together") and PrintObj ("force deleted" at 0, " from NS namespace" for
 * namespaced objects — #126619, new in v1.34 —, -o name).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

const SCENARIO = `
cluster:
  systemLayer: false
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
objects:
  - { apiVersion: v1, kind: Namespace, metadata: { name: shop } }
  - { apiVersion: v1, kind: ConfigMap, metadata: { name: a }, data: { k: v } }
  - { apiVersion: v1, kind: ConfigMap, metadata: { name: b }, data: { k: v } }
  - { apiVersion: v1, kind: ConfigMap, metadata: { name: c, namespace: shop }, data: { k: v } }
  - apiVersion: v1
    kind: Pod
    metadata: { name: p1 }
    spec: { nodeName: node-1, containers: [{ name: c, image: nginx }] }
`;

function transcript(lines: string[]): string {
  return transcriptOf(createSimulation(SCENARIO, { seed: 4 }), lines);
}

describe('kubectl delete', () => {
  it('names the namespace, says force deleted, checks --force/--now/--grace-period', () => {
    golden(
      'verbs-delete',
      '# upstream: k8s.io/kubectl v0.34.2 pkg/cmd/delete/delete.go (Complete, Validate, PrintObj)\n' +
        transcript([
          'kubectl delete configmap a',
          'kubectl delete configmap b -o name',
          'kubectl delete configmap c -n shop --dry-run=client',
          'kubectl delete pod p1 --force --grace-period=5',
          'kubectl delete pod p1 --now --grace-period=3',
          'kubectl delete pod p1 --force',
          'kubectl get pods',
          'kubectl delete namespace shop',
        ]),
    );
  });

  // busybox's sleep as PID 1 ignores SIGTERM: the Pod stays Terminating for its 30 s grace period.
  it('waits for the object to be gone (--wait, default true), or returns at once with --wait=false', () => {
    const sim = createSimulation(SCENARIO + `  - apiVersion: v1
    kind: Pod
    metadata: { name: p2 }
    spec: { nodeName: node-1, containers: [{ name: c, image: 'busybox:1.36', command: [sleep, infinity] }] }
`, { seed: 4 });
    sim.advance(60_000);
    const t0 = sim.cluster.clock.now();
    expect(sim.run('kubectl delete pod p1').stdout).toBe('pod "p1" deleted from default namespace\n');
    // kubectl returns after the kubelet finished the Pod: the clock moved, the Pod is gone
    expect(sim.cluster.clock.now()).toBeGreaterThan(t0);
    expect(sim.run('kubectl get pod p1').stderr).toBe('Error from server (NotFound): pods "p1" not found\n');
    expect(sim.run('kubectl delete pod p2 --wait=false').stdout).toBe('pod "p2" deleted from default namespace\n');
    expect(sim.run('kubectl get pod p2 --no-headers').stdout).toMatch(/^p2\s+1\/1\s+Terminating\s/);
  });
});

