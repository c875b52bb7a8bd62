/**
 * The kube-api-access-* projected volume as the kubelet fills it
 * (/var/run/secrets/kubernetes.io/serviceaccount): `token` (the bound ServiceAccount token,
 * cluster/satoken.ts), `ca.crt` (the namespace's kube-root-ca.crt ConfigMap) and `namespace`
 * (the downward API's metadata.namespace). Only in containers that mount it: a Pod with
 * automountServiceAccountToken: false has no such volume, and no such files.
 */
import type { ClusterRuntime } from './runtime';
import type { HostRef } from '../types';
import type { Pod } from '../cluster/types';
import { SA_TOKEN_DIR, serviceAccountToken } from '../cluster/satoken';
import { ROOT_CA_CONFIGMAP } from './serviceaccounts';

/** The Pod behind `h` when its container mounts the token volume. */
function mountingPod(cluster: ClusterRuntime, h: HostRef): Pod | undefined {
  if (h.kind !== 'pod') return undefined;
  const pod = cluster.store.get('Pod', h.namespace, h.pod) as Pod | undefined;
  if (!pod) return undefined;
  type C = { name?: string; volumeMounts?: { mountPath?: string; name?: string }[] };
  const all: C[] = [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? []), ...((pod.spec.ephemeralContainers ?? []) as C[])];
  const c = all.find((x) => x.name === h.container) ?? (pod.spec.containers ?? [])[0];
  const mount = c?.volumeMounts?.find((m: { mountPath?: string }) => m.mountPath === SA_TOKEN_DIR);
  return mount?.name?.startsWith('kube-api-access-') ? pod : undefined;
}

export function registerServiceAccountFiles(cluster: ClusterRuntime): void {
  const has = (h: HostRef) => mountingPod(cluster, h) !== undefined;
  cluster.fs.provide(has, `${SA_TOKEN_DIR}/namespace`, (h) => mountingPod(cluster, h)?.metadata.namespace);
  cluster.fs.provide(has, `${SA_TOKEN_DIR}/ca.crt`, (h) => {
    const pod = mountingPod(cluster, h);
    const data = pod ? (cluster.store.get('ConfigMap', pod.metadata.namespace, ROOT_CA_CONFIGMAP)?.data as Record<string, string> | undefined) : undefined;
    return data?.['ca.crt'];
  });
  cluster.fs.provide(has, `${SA_TOKEN_DIR}/token`, (h) => {
    const pod = mountingPod(cluster, h);
    if (!pod?.status?.startTime) return undefined;
    const saName = pod.spec.serviceAccountName ?? 'default';
    const sa = cluster.store.get('ServiceAccount', pod.metadata.namespace, saName);
    const node = cluster.store.get('Node', undefined, pod.spec.nodeName ?? '');
    if (!sa || !node) return undefined;
    return serviceAccountToken(
      {
        namespace: pod.metadata.namespace ?? '',
        pod: { name: pod.metadata.name, uid: pod.metadata.uid ?? '' },
        serviceAccount: { name: saName, uid: sa.metadata.uid ?? '' },
        node: { name: node.metadata.name, uid: node.metadata.uid ?? '' },
        mountedAt: Date.parse(pod.status.startTime),
      },
      cluster.settings.clusterDomain,
      cluster.clock.now(),
    );
  });
}
