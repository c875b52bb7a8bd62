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
import { describe, it } from 'vitest';
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
});
