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

/**
 * The agent's default label filter (pkg/labelsfilter/filter.go defaultLabelPrefixCfg, v1.18):
 * each prefix a regexp that must match at the key's start. A label is kept when no ignore
 * matches it, or when the longest include match is longer than the shortest ignore match
 * (`app.kubernetes.io/name` is kept, `kubernetes.io/…` and `batch.kubernetes.io/controller-uid`
 * are not; `job-name` and `batch.kubernetes.io/job-name` are kept).
 */
const INCLUDE = [/^io\.kubernetes\.pod\.namespace/, /^io\.cilium\.k8s\.namespace\.labels/, /^app\.kubernetes\.io/, /^io\.cilium\.k8s\.policy\.cluster/, /^io\.cilium\.k8s\.policy\.serviceaccount/];
const IGNORE = [
  /^io\.kubernetes/,
  /^kubernetes\.io/,
  /^statefulset\.kubernetes\.io\/pod-name/,
  /^apps\.kubernetes\.io\/pod-index/,
  /^batch\.kubernetes\.io\/job-completion-index/,
  /^batch\.kubernetes\.io\/controller-uid/,
  /^.*beta\.kubernetes\.io/,
  /^k8s\.io/,
  /^pod-template-generation/,
  /^pod-template-hash/,
  /^controller-revision-hash/,
  /^controller-uid/,
  /^annotation.*/,
  /^etcd_node/,
];

function longest(res: RegExp[], key: string, pick: (a: number, b: number) => number): number {
  let best = 0;
  for (const re of res) {
    const m = re.exec(key);
    if (m) best = best ? pick(best, m[0].length) : m[0].length;
  }
  return best;
}

/** Whether the default label filter keeps `key` in the identity. */
export function securityRelevant(key: string): boolean {
  const ignored = longest(IGNORE, key, Math.min);
  return ignored === 0 || longest(INCLUDE, key, Math.max) > ignored;
}

/** The pod's security-relevant labels as `key=value` without source (the selector view). */
export function identityLabelMap(cluster: Cluster, pod: Pick<PodInfo, 'obj' | 'namespace' | 'labels'>): Record<string, string> {
  const all: Record<string, string> = { ...pod.labels };
  const ns = cluster.store.get('Namespace', undefined, pod.namespace);
  const nsLabels = { ...(ns?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': pod.namespace };
  for (const [k, v] of Object.entries(nsLabels)) all[`io.cilium.k8s.namespace.labels.${k}`] = v;
  all['io.cilium.k8s.policy.cluster'] = 'default';
  all['io.cilium.k8s.policy.serviceaccount'] = (pod.obj.spec?.serviceAccountName as string | undefined) ?? 'default';
  all['io.kubernetes.pod.namespace'] = pod.namespace;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (securityRelevant(k)) out[k] = v;
  return out;
}

/** The pod's identity labels, sorted, with the `k8s:` source. */
export function identityLabels(cluster: Cluster, pod: Pick<PodInfo, 'obj' | 'namespace' | 'labels'>): string[] {
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
