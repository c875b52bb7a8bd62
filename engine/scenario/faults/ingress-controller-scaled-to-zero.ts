/**
 * The Ingress controller's Deployment (the scenario's ingress-nginx controller) was scaled
 * to 0 replicas some minutes before the learner arrives: its LoadBalancer Service keeps
 * its address but has no endpoints, so kube-proxy rejects connections to it and the
 * public host answers nothing; inside the cluster nothing changes.
 */
import type { Manifest } from '../../cluster/types';
import type { Fault, FaultContext } from './types';

/** The controller's Deployment: the one running ingress-nginx's controller image. */
function controller(ctx: FaultContext): { namespace: string; name: string; replicas: number } {
  const d = ctx.original.find((m: Manifest) => m.kind === 'Deployment' && JSON.stringify((m.spec as { template?: unknown } | undefined)?.template ?? {}).includes('ingress-nginx/controller'));
  if (!d) throw new Error('the scenario runs no ingress-nginx controller Deployment');
  return { namespace: (d.metadata?.namespace as string | undefined) ?? 'default', name: String(d.metadata?.name), replicas: (d.spec as { replicas?: number }).replicas ?? 1 };
}

export const ingressControllerScaledToZero: Fault = {
  id: 'ingress-controller-scaled-to-zero',
  layer: 'ingress',
  description: "the Ingress controller's Deployment is scaled to 0 replicas",
  breaks: ['public'],
  needs: ['ingress'],
  beforeRunUp(cluster, ctx) {
    const c = controller(ctx);
    const d = cluster.store.get('Deployment', c.namespace, c.name);
    if (!d) throw new Error(`Deployment ${c.namespace}/${c.name} is not in the cluster`);
    const next = structuredClone(d);
    next.spec.replicas = 0;
    cluster.api.update(next);
  },
  fix(ctx) {
    const c = controller(ctx);
    return { commands: [`kubectl -n ${c.namespace} scale deployment ${c.name} --replicas=${c.replicas}`, `kubectl -n ${c.namespace} rollout status deployment ${c.name}`] };
  },
};
