/**
 * Cilium security identities (pkg/identity, pkg/labels): a pod's identity is the set of
 * its security-relevant labels — its own labels (without the ones the default label filter
 * drops: pod-template-hash, controller-revision-hash, …) prefixed `k8s:`, plus its
 * namespace's labels as `k8s:io.cilium.k8s.namespace.labels.<key>`, its namespace, service
 * account and cluster. Pods with the same set share one numeric identity; policy matches
 * identities, not addresses.
 *
 * Reserved identities have fixed numbers (pkg/identity/numericidentity.go): host 1, world
 * 2, unmanaged 3, health 4, init 5, remote-node 6, kube-apiserver 7, ingress 8,
 * world-ipv4 9, world-ipv6 10. Cluster identities are allocated by the operator in CRD
 * mode from 256 to 65535; here the number is drawn from a hash of the label set, so it
 * is the same every run (the real allocator picks a random free one).
 */
import type { Cluster } from '../../cluster/cluster';
import { sha256 } from '../../cluster/hash';
import type { PodInfo } from '../topology';

export const MIN_IDENTITY = 256;
export const MAX_IDENTITY = 65535;

export interface Identity {
  id: number;
  /** Sorted `source:key=value` labels, as GetPrintableModel() prints them. */
  labels: string[];
}

export const RESERVED_IDENTITIES: readonly Identity[] = [
  { id: 1, labels: ['reserved:host'] },
  { id: 2, labels: ['reserved:world'] },
  { id: 3, labels: ['reserved:unmanaged'] },
  { id: 4, labels: ['reserved:health'] },
  { id: 5, labels: ['reserved:init'] },
  { id: 6, labels: ['reserved:remote-node'] },
  { id: 7, labels: ['reserved:kube-apiserver', 'reserved:remote-node'] },
  { id: 8, labels: ['reserved:ingress'] },
  { id: 9, labels: ['reserved:world-ipv4'] },
  { id: 10, labels: ['reserved:world-ipv6'] },
];

/** Labels the agent's default label filter leaves out of identities (pkg/labelsfilter defaultLabelPrefixCfg). */
const IGNORED = [/^pod-template-hash$/, /^controller-revision-hash$/, /^pod-template-generation$/, /^statefulset\.kubernetes\.io\/pod-name$/, /^batch\.kubernetes\.io\/(controller-uid|job-name)$/, /^controller-uid$/, /^job-name$/, /^io\.kubernetes\.pod\.namespace$/];

/** The pod's security-relevant labels as `key=value` without source (the selector view). */
export function identityLabelMap(cluster: Cluster, pod: PodInfo): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(pod.labels)) if (!IGNORED.some((re) => re.test(k))) out[k] = v;
  const ns = cluster.store.get('Namespace', undefined, pod.namespace);
  const nsLabels = { ...(ns?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': pod.namespace };
  for (const [k, v] of Object.entries(nsLabels)) out[`io.cilium.k8s.namespace.labels.${k}`] = v;
  out['io.cilium.k8s.policy.cluster'] = 'default';
  out['io.cilium.k8s.policy.serviceaccount'] = (pod.obj.spec?.serviceAccountName as string | undefined) ?? 'default';
  out['io.kubernetes.pod.namespace'] = pod.namespace;
  return out;
}

/** The pod's identity labels, sorted, with the `k8s:` source. */
export function identityLabels(cluster: Cluster, pod: PodInfo): string[] {
  return Object.entries(identityLabelMap(cluster, pod)).map(([k, v]) => `k8s:${k}=${v}`).sort();
}

/** The numeric identity of a label set (stable for the set). */
export function identityNumber(labels: string[]): number {
  const h = parseInt(sha256(labels.join(';')).slice(0, 8), 16);
  return MIN_IDENTITY + (h % (MAX_IDENTITY - MIN_IDENTITY + 1));
}

export function podIdentity(cluster: Cluster, pod: PodInfo): Identity {
  const labels = identityLabels(cluster, pod);
  return { id: identityNumber(labels), labels };
}
