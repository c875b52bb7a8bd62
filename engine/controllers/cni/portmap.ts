/**
 * hostPort: the portmap meta plugin the node's CNI config chains after the main plugin
 * (containernetworking/plugins v1.6.2 plugins/meta/portmap, iptables backend:
 * portmap_iptables.go, chain.go, utils.go). The kubelet hands it the Pod's port mappings
 * (each container port with a hostPort, protocol in lower case: containerd's CRI
 * `toCNIPortMappings`); with none it does nothing. For a Pod with some it writes, in the
 * nat table:
 *
 * - CNI-HOSTPORT-SETMARK (snat, the default): `-m comment --comment "CNI portfwd masquerade
 *   mark" -j MARK --set-xmark 0x2000/0x2000` (markMasqBit 13);
 * - CNI-HOSTPORT-MASQ: `-m mark --mark 0x2000/0x2000 -j MASQUERADE`, jumped to from the top
 *   of POSTROUTING (`-m comment --comment "CNI portfwd requiring masquerade"`);
 * - CNI-HOSTPORT-DNAT, jumped to from the end of PREROUTING and OUTPUT for local
 *   destinations (`-m addrtype --dst-type LOCAL`), with one rule per protocol (at most 15
 *   ports each, multiport) sending the Pod's host ports to its own chain;
 * - CNI-DN-<sha512(network name + container id)>, per mapping: mark what comes from the Pod
 *   itself (hairpin) and from 127.0.0.1, then DNAT to the Pod's address and container port.
 *
 * The per-Pod chain and its entry go with the Pod (teardown); the top-level chains stay.
 * Calico's Felix keeps its own jumps at the top of the built-in chains (felix/iptables
 * table.go re-inserts them ahead of anything inserted later), so POSTROUTING's portmap jump
 * sits right after Felix's.
 */
import type { ClusterRuntime } from '../runtime';
import type { KubeObject } from '../../cluster/types';
import type { NodeNetfilter } from '../../dataplane/netfilter/tables';
import { sha256, sha512 } from '../../cluster/hash';
import { ensureJump, rule, writeChains, type RuleSpec } from './netfilter';
import { podNamespace, podsOnNode } from './index';
import { cniConfigFiles } from './files';
import { findNode } from './topology';
import { sandboxSeed } from './netdev';

export const TOP_DNAT = 'CNI-HOSTPORT-DNAT';
export const SET_MARK = 'CNI-HOSTPORT-SETMARK';
export const MARK_MASQ = 'CNI-HOSTPORT-MASQ';

/** What portmap reads from its entry in the network's conflist. */
export interface PortMapConf {
  /** The network's name (the conflist's `name`): it goes into each Pod's chain name and comment. */
  network: string;
  snat: boolean;
  markMasqBit: number;
  externalSetMarkChain?: string;
}

/** One mapping as the kubelet passes it (runtimeConfig.portMappings). */
export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: string;
  hostIP: string;
}

/** portmap's entry in the node's CNI config (the first conflist in lexical order, as containerd loads it); undefined when the network has no portmap. */
export function portmapConf(cluster: ClusterRuntime, node: string): PortMapConf | undefined {
  const info = findNode(cluster, node);
  if (!info) return undefined;
  const files = cniConfigFiles(cluster, info);
  const path = Object.keys(files).filter((p) => p.startsWith('/etc/cni/net.d/') && /\.conflist$/.test(p)).sort()[0];
  if (!path) return undefined;
  try {
    const list = JSON.parse(files[path]) as { name?: string; plugins?: { type?: string; snat?: boolean; markMasqBit?: number; externalSetMarkChain?: string }[] };
    const pm = list.plugins?.find((p) => p.type === 'portmap');
    if (!pm) return undefined;
    return { network: String(list.name ?? ''), snat: pm.snat ?? true, markMasqBit: pm.markMasqBit ?? 13, ...(pm.externalSetMarkChain ? { externalSetMarkChain: pm.externalSetMarkChain } : {}) };
  } catch {
    return undefined;
  }
}

/** The Pod's port mappings: every container port with a hostPort, in container and port order. */
export function portMappings(pod: KubeObject): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of (pod.spec?.containers ?? []) as { ports?: { hostPort?: number; containerPort?: number; protocol?: string; hostIP?: string }[] }[]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || !(p.hostPort > 0) || !p.containerPort) continue;
      out.push({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: String(p.protocol ?? 'TCP').toLowerCase(), hostIP: p.hostIP ?? '' });
    }
  }
  return out;
}

/** utils.MustFormatChainNameWithPrefix(name, id, "DN-"): "CNI-DN-" and sha512's hex, 28 characters. */
export function dnatChainName(network: string, containerId: string): string {
  return `CNI-DN-${sha512(network + containerId)}`.slice(0, 28);
}

/** fillDnatRules: the entry rules in CNI-HOSTPORT-DNAT and the Pod's own chain. */
function dnatRules(conf: PortMapConf, containerId: string, podCidr: string, podIP: string, maps: PortMapping[]): { entries: RuleSpec[]; rules: RuleSpec[] } {
  const raw = `dnat name: "${conf.network}" id: "${containerId}"`;
  const comment = raw.length <= 255 ? raw : raw.slice(0, 253) + '...';
  const byProto = new Map<string, number[]>();
  for (const m of maps) byProto.set(m.protocol, [...(byProto.get(m.protocol) ?? []), m.hostPort]);
  const chain = dnatChainName(conf.network, containerId);
  const entries: RuleSpec[] = [];
  for (const proto of [...byProto.keys()].sort()) {
    const ports = byProto.get(proto)!;
    for (let i = 0; i < ports.length; i += 15) {
      entries.push(['-m', 'comment', '--comment', comment, '-m', 'multiport', '-p', proto, '--destination-ports', ports.slice(i, i + 15).join(','), '-j', chain]);
    }
  }
  const setMark = conf.externalSetMarkChain ?? SET_MARK;
  const rules: RuleSpec[] = [];
  for (const m of maps) {
    // a hostIP of the other family skips the mapping; 0.0.0.0 means every address
    if (m.hostIP && m.hostIP.includes(':')) continue;
    const base = ['-p', m.protocol, '--dport', String(m.hostPort), ...(m.hostIP && m.hostIP !== '0.0.0.0' ? ['-d', m.hostIP] : [])];
    if (conf.snat) {
      rules.push([...base, '-s', podCidr, '-j', setMark]);
      rules.push([...base, '-s', '127.0.0.1', '-j', setMark]);
    }
    rules.push([...base, '-j', 'DNAT', '--to-destination', `${podIP}:${m.containerPort}`]);
  }
  return { entries, rules };
}

/** The Pod's eth0 address as the main plugin's result gives it to portmap (Calico's /32, the bridge plugin's /24). */
function podCidr(cluster: ClusterRuntime, pod: KubeObject): string {
  const eth0 = podNamespace(cluster, pod)?.links.find((l) => l.name === 'eth0');
  const a = eth0?.addrs.find((x) => x.family === 'inet');
  return a ? `${a.local}/${a.prefix}` : `${pod.status.podIP}/32`;
}

/**
 * The node's portmap chains as the Pods wired there leave them (in the order their
 * sandboxes were set up). Chains a learner edited by hand are left alone.
 */
export function hostPortChains(cluster: ClusterRuntime, nf: NodeNetfilter, node: string): void {
  const conf = portmapConf(cluster, node);
  if (!conf) return;
  const pods = podsOnNode(cluster, node)
    .filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && portMappings(p).length > 0)
    .sort((a, b) => (String(a.status?.startTime ?? '') < String(b.status?.startTime ?? '') ? -1 : String(a.status?.startTime ?? '') > String(b.status?.startTime ?? '') ? 1 : 0));
  const nat = nf.table('nat');
  const live = new Set<string>();
  const entries: RuleSpec[] = [];
  const chains: Record<string, RuleSpec[]> = {};
  for (const p of pods) {
    // the sandbox's container ID, as crictl pods shows it
    const id = sha256(`sandbox/${sandboxSeed(p)}`);
    const r = dnatRules(conf, id, podCidr(cluster, p), String(p.status.podIP), portMappings(p));
    const name = dnatChainName(conf.network, id);
    live.add(name);
    entries.push(...r.entries);
    if (!nf.dirty.has(`nat ${name}`)) chains[name] = r.rules;
  }
  // teardown: a Pod gone takes its chain with it
  for (const name of [...nat.keys()]) if (name.startsWith('CNI-DN-') && !live.has(name) && !nf.dirty.has(`nat ${name}`)) nat.delete(name);
  // the top-level chains appear with the first Pod that maps a port, and stay
  if (!pods.length && !nat.has(TOP_DNAT)) return;
  if (conf.snat && !conf.externalSetMarkChain) {
    const mark = `0x${(1 << conf.markMasqBit).toString(16)}`;
    if (!nf.dirty.has(`nat ${SET_MARK}`)) chains[SET_MARK] = [['-m', 'comment', '--comment', 'CNI portfwd masquerade mark', '-j', 'MARK', '--set-xmark', `${mark}/${mark}`]];
    if (!nf.dirty.has(`nat ${MARK_MASQ}`)) chains[MARK_MASQ] = [['-m', 'mark', '--mark', `${mark}/${mark}`, '-j', 'MASQUERADE']];
    const felix = nat.get('POSTROUTING')!.rules.findIndex((r) => !(r.target?.kind === 'jump' && r.target.chain.startsWith('cali-')));
    ensureJump(nf, 'nat', 'POSTROUTING', rule('-m', 'comment', '--comment', 'CNI portfwd requiring masquerade', '-j', MARK_MASQ), true, felix < 0 ? nat.get('POSTROUTING')!.rules.length : felix);
  }
  if (!nf.dirty.has(`nat ${TOP_DNAT}`)) chains[TOP_DNAT] = entries;
  writeChains(nf, 'nat', chains);
  for (const from of ['PREROUTING', 'OUTPUT']) ensureJump(nf, 'nat', from, rule('-m', 'addrtype', '--dst-type', 'LOCAL', '-j', TOP_DNAT), false);
}
