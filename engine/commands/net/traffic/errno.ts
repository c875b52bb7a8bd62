/**
 * strerror() as the client's C library words an errno. Alpine-based images (curl, netshoot,
 * agnhost) carry musl (src/errno/__strerror.h); Debian and Ubuntu ones glibc; busybox:1.36 is
 * docker-library's default variant, built on glibc (uClibc words these errnos the same way).
 */
import type { ClusterRuntime } from '../../../controllers/runtime';
import type { HostRef } from '../../../types';
import { defaultResolver } from '../../../controllers/dns/resolver';
import { hostImage } from '../../../hosts/hosts';

export type Libc = 'musl' | 'glibc';

export function libcOf(cluster: ClusterRuntime, host: HostRef): Libc {
  const image = (hostImage(cluster, host) ?? '').split('@')[0];
  if (image.split('/').pop()!.split(':')[0] === 'busybox') return 'glibc';
  return defaultResolver(cluster, host) === 'musl' ? 'musl' : 'glibc';
}

/** ENETUNREACH: glibc "Network is unreachable", musl "Network unreachable". */
export function netUnreachText(cluster: ClusterRuntime, host: HostRef): string {
  return libcOf(cluster, host) === 'musl' ? 'Network unreachable' : 'Network is unreachable';
}

/** ETIMEDOUT: glibc "Connection timed out", musl "Operation timed out" (src/errno/__strerror.h). */
export function timedOutText(cluster: ClusterRuntime, host: HostRef): string {
  return libcOf(cluster, host) === 'musl' ? 'Operation timed out' : 'Connection timed out';
}

/** EHOSTUNREACH: glibc "No route to host", musl "Host is unreachable". */
export function hostUnreachText(cluster: ClusterRuntime, host: HostRef): string {
  return libcOf(cluster, host) === 'musl' ? 'Host is unreachable' : 'No route to host';
}
