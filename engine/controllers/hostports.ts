/**
 * Host ports as the scheduler's NodePorts plugin and the kubelet's admission count them
 * (pkg/scheduler/framework/plugins/nodeports/node_ports.go getContainerPorts and
 * framework/types.go HostPortInfo.CheckConflict, v1.34): every container port with a
 * hostPort, keyed by host IP (empty is 0.0.0.0), protocol (empty is TCP) and port. A port
 * on 0.0.0.0 clashes with the same protocol and port on any address; one on a given
 * address clashes with that address's and 0.0.0.0's.
 */
import type { Pod } from '../cluster/types';

export const NODE_PORTS_REASON = "node(s) didn't have free ports for the requested pod ports";

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of (c.ports ?? []) as { hostPort?: number; hostIP?: string; protocol?: string }[]) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

/** Does any wanted port clash with one in use? */
export function hostPortsConflict(wanted: readonly HostPort[], used: readonly HostPort[]): boolean {
  for (const w of wanted) {
    for (const u of used) {
      if (u.protocol !== w.protocol || u.port !== w.port) continue;
      if (w.ip === '0.0.0.0' || u.ip === '0.0.0.0' || u.ip === w.ip) return true;
    }
  }
  return false;
}
