/**
 * Container image names, as the traffic room reads them: `docker.io/library/nginx:1.27@sha256:…`
 * → name `nginx`, tag `1.27`.
 */
import type { Cluster } from '../cluster/cluster';
import type { HostRef } from '../types';
import { imageName } from './hosts';

export { imageName };

export function imageTag(image: string): string {
  let s = image.trim();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  return colon > slash ? s.slice(colon + 1) : 'latest';
}

/** The image of the container a pod host runs in (by name, else the pod's first container). */
export function hostImage(sim: Cluster, host: HostRef): string | undefined {
  if (host.kind !== 'pod') return undefined;
  const pod = sim.store.get('Pod', host.namespace, host.pod);
  type C = { name?: string; image?: string };
  const all: C[] = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.ephemeralContainers ?? [])];
  return (all.find((c) => c.name === host.container) ?? all[0])?.image;
}

/** Busybox-based images (busybox, alpine, curlimages/curl, agnhost) carry busybox's applets. */
export function isBusyboxHost(sim: Cluster, host: HostRef): boolean {
  const image = hostImage(sim, host);
  if (!image) return false;
  const name = imageName(image);
  const last = name.split('/').pop() ?? '';
  return last === 'busybox' || last === 'alpine' || name === 'curlimages/curl' || last === 'agnhost';
}
