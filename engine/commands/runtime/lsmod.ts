/**
 * lsmod (kmod 29, Ubuntu 22.04; tools/lsmod.c): the kernel modules a node has loaded,
 * derived from what runs on it. kubeadm's prerequisites load overlay and br_netfilter (and
 * bridge under it); iptables 1.8.7's nf_tables backend brings nf_tables, nft_compat and the
 * xt_ matches kube-proxy's and the CNI's rules use, with nf_conntrack and nf_nat under
 * them; kube-proxy in IPVS mode loads ip_vs with the rr/wrr/sh schedulers, ip_set's hash
 * types and the kube-ipvs0 dummy device, in nftables mode nft_ct, nft_numgen, nft_masq and
 * nft_reject_inet; the node's links bring their drivers (veth pairs, tunl0's ipip, a VXLAN
 * device's vxlan, cni0's bridge); Calico's Felix adds ip_set and xt_set for its ipsets,
 * Cilium cls_bpf and sch_ingress for its tc programs.
 *
 * Format: `Module                  Size  Used by`, then `%-19s %8ld  %d` and the holders
 * comma-separated, newest module first as /proc/modules lists them. Sizes are 5.15's x86_64
 * builds' order of magnitude; a module's count is its holders (overlay's, its mounts: one
 * per container root and sandbox), not every reference a real kernel counts (nf_tables'
 * per-rule expressions).
 */
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { RunResult } from '../../types';
import type { ClusterRuntime } from '../../controllers/runtime';
import { nodeNamespace } from '../../controllers/cni';
import { unmodelledCommand } from '../net/catalog/unmodelled';
import { sandboxesOn, containersOf } from './sandboxes';

interface Mod {
  size: number;
  deps: string[];
}

/** Sizes and dependencies (modules.dep) of the modules a Kubernetes node loads. */
const MODULES: Record<string, Mod> = {
  llc: { size: 16384, deps: [] },
  stp: { size: 16384, deps: ['llc'] },
  bridge: { size: 307200, deps: ['stp', 'llc'] },
  br_netfilter: { size: 32768, deps: ['bridge'] },
  overlay: { size: 151552, deps: [] },
  x_tables: { size: 53248, deps: [] },
  nfnetlink: { size: 20480, deps: [] },
  libcrc32c: { size: 16384, deps: [] },
  nf_defrag_ipv4: { size: 16384, deps: [] },
  nf_defrag_ipv6: { size: 24576, deps: [] },
  nf_conntrack: { size: 172032, deps: ['nf_defrag_ipv6', 'nf_defrag_ipv4', 'libcrc32c'] },
  nf_nat: { size: 49152, deps: ['nf_conntrack', 'libcrc32c'] },
  nf_tables: { size: 249856, deps: ['nfnetlink'] },
  nft_compat: { size: 20480, deps: ['nf_tables', 'x_tables', 'nfnetlink'] },
  nft_chain_nat: { size: 16384, deps: ['nf_tables', 'nf_nat'] },
  nf_conntrack_netlink: { size: 53248, deps: ['nf_conntrack', 'nfnetlink'] },
  xt_conntrack: { size: 16384, deps: ['nf_conntrack', 'x_tables'] },
  xt_MASQUERADE: { size: 20480, deps: ['nf_nat', 'x_tables'] },
  xt_addrtype: { size: 16384, deps: ['x_tables'] },
  xt_comment: { size: 16384, deps: ['x_tables'] },
  xt_mark: { size: 16384, deps: ['x_tables'] },
  xt_nat: { size: 16384, deps: ['nf_nat', 'x_tables'] },
  xt_tcpudp: { size: 20480, deps: ['x_tables'] },
  xt_statistic: { size: 16384, deps: ['x_tables'] },
  xt_multiport: { size: 20480, deps: ['x_tables'] },
  ip_set: { size: 57344, deps: ['nfnetlink'] },
  xt_set: { size: 20480, deps: ['ip_set', 'x_tables'] },
  ip_set_hash_ip: { size: 45056, deps: ['ip_set'] },
  ip_set_hash_net: { size: 49152, deps: ['ip_set'] },
  ip_set_hash_ipport: { size: 40960, deps: ['ip_set'] },
  ip_set_hash_ipportip: { size: 36864, deps: ['ip_set'] },
  ip_set_hash_ipportnet: { size: 45056, deps: ['ip_set'] },
  ip_set_bitmap_port: { size: 20480, deps: ['ip_set'] },
  ip_vs: { size: 176128, deps: ['nf_conntrack', 'nf_defrag_ipv6', 'libcrc32c'] },
  ip_vs_rr: { size: 16384, deps: ['ip_vs'] },
  ip_vs_wrr: { size: 16384, deps: ['ip_vs'] },
  ip_vs_sh: { size: 16384, deps: ['ip_vs'] },
  ip_vs_lc: { size: 16384, deps: ['ip_vs'] },
  ip_vs_wlc: { size: 16384, deps: ['ip_vs'] },
  ip_vs_lblc: { size: 16384, deps: ['ip_vs'] },
  ip_vs_lblcr: { size: 16384, deps: ['ip_vs'] },
  ip_vs_dh: { size: 16384, deps: ['ip_vs'] },
  ip_vs_sed: { size: 16384, deps: ['ip_vs'] },
  ip_vs_nq: { size: 16384, deps: ['ip_vs'] },
  ip_vs_mh: { size: 16384, deps: ['ip_vs'] },
  dummy: { size: 16384, deps: [] },
  nft_ct: { size: 24576, deps: ['nf_tables', 'nf_conntrack'] },
  nft_numgen: { size: 16384, deps: ['nf_tables'] },
  nft_masq: { size: 16384, deps: ['nf_tables', 'nf_nat'] },
  nf_reject_ipv4: { size: 16384, deps: [] },
  nf_reject_ipv6: { size: 20480, deps: [] },
  nft_reject: { size: 16384, deps: ['nf_tables'] },
  nft_reject_inet: { size: 16384, deps: ['nf_reject_ipv4', 'nf_reject_ipv6', 'nft_reject', 'nf_tables'] },
  veth: { size: 32768, deps: [] },
  tunnel4: { size: 16384, deps: [] },
  ip_tunnel: { size: 32768, deps: [] },
  ipip: { size: 20480, deps: ['tunnel4', 'ip_tunnel'] },
  udp_tunnel: { size: 28672, deps: [] },
  ip6_udp_tunnel: { size: 16384, deps: [] },
  vxlan: { size: 94208, deps: ['udp_tunnel', 'ip6_udp_tunnel'] },
  cls_bpf: { size: 24576, deps: [] },
  sch_ingress: { size: 16384, deps: [] },
};

/** The modules the node's configuration asks for, in the order they were loaded (what lsmod lists and dmesg logs). */
export function loadedModules(cluster: ClusterRuntime, node: string): string[] {
  const s = cluster.settings;
  const onNode = cluster.store.list('Pod').filter((p) => p.spec?.nodeName === node && p.status?.phase === 'Running');
  const proxy = onNode.some((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy');
  const links = nodeNamespace(cluster, node)?.links ?? [];
  const kinds = new Set(links.map((l) => l.kind));
  const out: string[] = [
    // boot, then /etc/modules-load.d/k8s.conf (kubeadm's prerequisites)
    'x_tables', 'overlay', 'llc', 'stp', 'bridge', 'br_netfilter',
    // iptables-nft's first rules (the kubelet's KUBE-FIREWALL, kube-proxy's chains)
    'nfnetlink', 'nf_tables', 'nft_compat', 'libcrc32c', 'nf_defrag_ipv4', 'nf_defrag_ipv6', 'nf_conntrack', 'nf_nat', 'nft_chain_nat',
    'xt_addrtype', 'xt_comment', 'xt_mark', 'xt_conntrack', 'xt_MASQUERADE', 'xt_nat', 'xt_tcpudp',
  ];
  if (proxy && s.proxyMode === 'iptables') out.push('xt_statistic', 'nf_conntrack_netlink');
  if (proxy && s.proxyMode === 'ipvs') {
    const sched = `ip_vs_${s.ipvsScheduler || 'rr'}`;
    out.push('ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh', ...(MODULES[sched] && !['ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh'].includes(sched) ? [sched] : []), 'nf_conntrack_netlink', 'ip_set', 'ip_set_hash_ip', 'ip_set_hash_ipport', 'ip_set_hash_ipportip', 'ip_set_hash_ipportnet', 'ip_set_hash_net', 'ip_set_bitmap_port', 'xt_set', 'dummy');
  }
  if (proxy && s.proxyMode === 'nftables') out.push('nft_ct', 'nft_numgen', 'nft_masq', 'nf_reject_ipv4', 'nf_reject_ipv6', 'nft_reject', 'nft_reject_inet', 'nf_conntrack_netlink');
  if (s.cni === 'calico') out.push('ip_set', 'ip_set_hash_ip', 'ip_set_hash_net', 'xt_set', 'xt_multiport');
  if (s.cni === 'cilium') out.push('sch_ingress', 'cls_bpf');
  if (kinds.has('ipip')) out.push('tunnel4', 'ip_tunnel', 'ipip');
  if (kinds.has('vxlan')) out.push('udp_tunnel', 'ip6_udp_tunnel', 'vxlan');
  if (kinds.has('veth')) out.push('veth');
  if (kinds.has('dummy')) out.push('dummy');
  return [...new Set(out)];
}

export function runLsmod(args: string[], ctx: CommandContext): RunResult {
  if (ctx.host.kind !== 'node') return unmodelledCommand('lsmod').run(args, ctx) as RunResult;
  if (args.length) return { stdout: '', stderr: 'Usage: lsmod\n', exitCode: 1 };
  const node = ctx.host.node;
  const loaded = loadedModules(ctx.cluster, node);
  const set = new Set(loaded);
  const holders = (m: string) => loaded.filter((x) => set.has(x) && MODULES[x].deps.includes(m)).sort();
  // overlay is held by its mounts: every running container's root and every sandbox's
  const mounts = sandboxesOn(ctx.cluster, node).filter((b) => b.sandbox.state === 'Ready').reduce((n, b) => n + 1 + containersOf(b.pod, b.sandbox).filter((c) => c.state === 'Running').length, 0);
  let out = 'Module                  Size  Used by\n';
  for (const m of [...loaded].reverse()) {
    const h = holders(m);
    const count = m === 'overlay' ? mounts : h.length;
    out += `${m.padEnd(19)} ${String(MODULES[m].size).padStart(8)}  ${count}${h.length ? ' ' + h.join(',') : ''}\n`;
  }
  return { stdout: out, stderr: '', exitCode: 0 };
}

export const lsmodCommand: CommandSpec = { name: 'lsmod', summary: 'show the status of modules in the Linux kernel', run: runLsmod };
