/** Which node's kernel a command on this host talks to. */
import type { CommandContext } from '../../../shell/command';

/** The node for a node shell, or for a hostNetwork pod (kube-proxy's own pod sees the node's tables). */
export function nodeOf(ctx: CommandContext): string | undefined {
  const h = ctx.host;
  if (h.kind === 'node') return h.node;
  if (h.kind === 'pod') {
    const pod = ctx.cluster.store.get('Pod', h.namespace, h.pod);
    if (pod?.spec?.hostNetwork && pod.spec.nodeName) return pod.spec.nodeName;
  }
  return undefined;
}

/** ctime(3) of the virtual clock, as iptables-save prints it: `Wed Jan 15 09:00:00 2025`. */
export function ctime(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}
