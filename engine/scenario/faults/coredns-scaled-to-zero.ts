/**
 * The coredns Deployment in kube-system was scaled to 0 replicas some minutes before the
 * learner arrives: the kube-dns Service has no endpoints, and every lookup in the cluster
 * goes unanswered (kube-proxy rejects UDP 53 to a Service without endpoints).
 */
import type { Fault } from './types';

export const COREDNS_REPLICAS = 2;

export const corednsScaledToZero: Fault = {
  id: 'coredns-scaled-to-zero',
  layer: 'dns',
  description: 'the coredns Deployment in kube-system is scaled to 0 replicas',
  breaks: ['in-cluster'],
  beforeRunUp(cluster) {
    const d = cluster.store.get('Deployment', 'kube-system', 'coredns');
    if (!d) throw new Error('coredns-scaled-to-zero needs the system layer (a coredns Deployment in kube-system)');
    const next = structuredClone(d);
    next.spec.replicas = 0;
    cluster.api.update(next);
  },
  fix() {
    return { commands: [`kubectl -n kube-system scale deployment coredns --replicas=${COREDNS_REPLICAS}`, 'kubectl -n kube-system rollout status deployment coredns'] };
  },
};
