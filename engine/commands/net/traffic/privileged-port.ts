/**
 * May a hand-started server bind a port below 1024? The kernel (net/ipv4/af_inet.c
 * __inet_bind, 5.15): `if (snum && inet_port_requires_bind_service(net, snum) &&
 * !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE)) return -EACCES` — checked before the port
 * is looked up, so EACCES wins over EADDRINUSE. The threshold is the network namespace's
 * net.ipv4.ip_unprivileged_port_start (PROT_SOCK, 1024, by default).
 *
 * Who sets it in a Pod: containerd's CRI plugin writes `net.ipv4.ip_unprivileged_port_start=0`
 * into a non-hostNetwork sandbox only when `enable_unprivileged_ports` is on
 * (internal/cri/server/podsandbox/sandbox_run_linux.go). That option defaults to true only
 * from containerd 2.0 (containerd/containerd#9348, closing #6924; the 2.0 release notes missed
 * it, #11502); the simulated nodes run containerd v1.7.22 (cluster/release.ts), whose default
 * is false — so a Pod's namespace keeps 1024 unless the Pod's securityContext.sysctls sets the
 * key (a "safe" sysctl since Kubernetes v1.22).
 *
 * Who has CAP_NET_BIND_SERVICE: containerd's default capability set includes it
 * (pkg/oci/spec.go defaultUnixCaps) for a root process; securityContext.capabilities.drop
 * (ALL or NET_BIND_SERVICE) removes it unless `add` gives it back; `privileged: true` gives
 * every capability to root. A non-root process loses its capabilities at execve (containerd
 * 1.7 sets no ambient capabilities: kubernetes/kubernetes#56374), whatever `add` says.
 */
import type { ClusterRuntime } from '../../../controllers/runtime';
import type { HostRef } from '../../../types';
import { containerIdentity, hostPod } from '../../../hosts/hosts';

/** PROT_SOCK (include/net/sock.h): the kernel's default ip_unprivileged_port_start. */
const PROT_SOCK = 1024;

interface Caps {
  add?: string[];
  drop?: string[];
}

function capName(c: unknown): string {
  return String(c).toUpperCase().replace(/^CAP_/, '');
}

/** net.ipv4.ip_unprivileged_port_start in the namespace the server binds in. */
export function unprivilegedPortStart(cluster: ClusterRuntime, host: HostRef): number {
  if (host.kind !== 'pod') return PROT_SOCK;
  const pod = hostPod(cluster, host);
  if (pod?.spec?.hostNetwork) return PROT_SOCK;
  const sysctls = (pod?.spec?.securityContext as { sysctls?: { name?: string; value?: string }[] } | undefined)?.sysctls ?? [];
  const s = sysctls.find((x) => x?.name === 'net.ipv4.ip_unprivileged_port_start' || x?.name === 'net/ipv4/ip_unprivileged_port_start');
  const v = s && /^\d+$/.test(String(s.value)) ? Number(s.value) : undefined;
  return v ?? PROT_SOCK;
}

/** Whether the process has CAP_NET_BIND_SERVICE in its network namespace's user namespace. */
function canBindService(cluster: ClusterRuntime, host: HostRef): boolean {
  if (host.kind === 'node') return true;
  if (host.kind !== 'pod') return false;
  const id = containerIdentity(cluster, host);
  if (id.user.uid !== 0) return false;
  const pod = hostPod(cluster, host);
  type C = { name?: string; securityContext?: { privileged?: boolean; capabilities?: Caps } };
  const all: C[] = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.ephemeralContainers ?? [])];
  const sc = all.find((c) => c?.name === host.container)?.securityContext;
  if (sc?.privileged === true) return true;
  const add = (sc?.capabilities?.add ?? []).map(capName);
  const drop = (sc?.capabilities?.drop ?? []).map(capName);
  if (add.includes('ALL') || add.includes('NET_BIND_SERVICE')) return true;
  return !(drop.includes('ALL') || drop.includes('NET_BIND_SERVICE'));
}

/** bind(2) of `port` fails with EACCES for this host's process. */
export function bindNeedsPrivilege(cluster: ClusterRuntime, host: HostRef, port: number): boolean {
  return port > 0 && port < unprivilegedPortStart(cluster, host) && !canBindService(cluster, host);
}
