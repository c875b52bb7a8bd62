/**
 * Which build of a tool a host carries: busybox applets in busybox/alpine/curl images,
 * iproute2 and bind-utils on nodes, the workstation, netshoot and debian-based images.
 * (agnhost is alpine plus `apk add bind-tools curl netcat-openbsd iproute2 iperf bash`
 * — test/images/agnhost/Dockerfile: iproute2's `ip` replaces busybox's, bind `nslookup`.)
 */
import type { ClusterRuntime } from '../../../controllers/runtime';
import type { HostRef } from '../../../types';
import { hostImage, imageName, imageTag } from '../../../hosts/hosts';

function family(cluster: ClusterRuntime, host: HostRef): string {
  if (host.kind !== 'pod') return '';
  const name = imageName(hostImage(cluster, host) ?? '');
  if (name === 'curlimages/curl') return 'curl';
  return name.split('/').pop() ?? '';
}

export function ipFlavour(cluster: ClusterRuntime, host: HostRef): 'iproute2' | 'busybox' {
  return ['busybox', 'busyboxplus', 'alpine', 'curl'].includes(family(cluster, host)) ? 'busybox' : 'iproute2';
}

/**
 * busybox up to 1.28 built the small nslookup (libc's getaddrinfo, `Address 1: ip name`);
 * 1.29 switched to the LEDE resolver — the reason the Kubernetes docs pin busybox:1.28.
 */
export function nslookupKind(cluster: ClusterRuntime, host: HostRef): 'busybox' | 'busybox-old' | 'bind' {
  const fam = family(cluster, host);
  // radial/busyboxplus (2015) is buildroot's busybox 1.22: the small nslookup
  if (fam === 'busyboxplus') return 'busybox-old';
  if (fam === 'busybox') {
    const m = imageTag(hostImage(cluster, host) ?? '').match(/^(\d+)\.(\d+)/);
    if (m && (Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) <= 28))) return 'busybox-old';
  }
  return ['busybox', 'alpine', 'curl'].includes(fam) ? 'busybox' : 'bind';
}
