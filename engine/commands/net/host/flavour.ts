/**
 * Which build of a tool a host carries: busybox applets in busybox/alpine/curl images,
 * iproute2 and bind-utils on nodes, the workstation, netshoot and debian-based images.
 * (agnhost is alpine with bind-tools installed: busybox `ip`, bind `nslookup`.)
 */
import type { Simulation } from '../../../simulation';
import type { HostRef } from '../../../types';
import { hostImage, imageName } from '../../../dataplane/image';

function family(sim: Simulation, host: HostRef): string {
  if (host.kind !== 'pod') return '';
  const name = imageName(hostImage(sim, host) ?? '');
  if (name === 'curlimages/curl') return 'curl';
  return name.split('/').pop() ?? '';
}

export function ipFlavour(sim: Simulation, host: HostRef): 'iproute2' | 'busybox' {
  return ['busybox', 'alpine', 'curl', 'agnhost'].includes(family(sim, host)) ? 'busybox' : 'iproute2';
}

export function nslookupKind(sim: Simulation, host: HostRef): 'busybox' | 'bind' {
  return ['busybox', 'alpine', 'curl'].includes(family(sim, host)) ? 'busybox' : 'bind';
}
