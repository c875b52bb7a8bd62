/**
 * A NetworkPolicy isolates the app's Pods for ingress and admits only Pods labelled
 * `role: frontend`, which no Pod is: neither the client nor the Ingress controller gets
 * in, and connections time out (the packet is dropped, not refused).
 */
import { findManifest } from './manifests';
import type { Fault, FaultContext } from './types';
import type { Manifest } from '../../cluster/types';

export const APP_POLICY_NAME = 'shop-ingress';

function labelsYaml(l: Record<string, string>, pad: string): string {
  return Object.entries(l).map(([k, v]) => `${pad}${k}: ${v}\n`).join('');
}

function appLabels(ctx: FaultContext): Record<string, string> {
  return findManifest(ctx.original, 'Deployment', ctx.target.deployment, ctx.target.namespace).spec?.selector?.matchLabels ?? {};
}

export const appIngressPolicy: Fault = {
  id: 'app-ingress-policy',
  layer: 'policy',
  description: `a NetworkPolicy (${APP_POLICY_NAME}) admits only Pods labelled role=frontend to the app, which no Pod is`,
  breaks: ['in-cluster', 'public'],
  manifests(objects, ctx) {
    const m: Manifest = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: APP_POLICY_NAME, namespace: ctx.target.namespace },
      spec: { podSelector: { matchLabels: appLabels(ctx) }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }] }] },
    };
    objects.push(m);
  },
  fix(ctx) {
    const client = findManifest(ctx.original, 'Pod', ctx.target.client, ctx.target.namespace);
    // Allow the client Pod and the Ingress controller's namespace: the two ways in.
    const text =
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${APP_POLICY_NAME}\n  namespace: ${ctx.target.namespace}\nspec:\n  podSelector:\n    matchLabels:\n${labelsYaml(appLabels(ctx), '      ')}` +
      `  policyTypes:\n    - Ingress\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n${labelsYaml(client.metadata?.labels ?? {}, '              ')}` +
      `        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: ingress-nginx\n`;
    return { files: { [`${APP_POLICY_NAME}.yaml`]: text }, commands: [`kubectl apply -f ${APP_POLICY_NAME}.yaml`] };
  },
};
