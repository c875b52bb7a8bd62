/**
 * The IPv6 half of a dual-stack kube-proxy in iptables mode. Upstream runs one iptables
 * proxier per family behind the meta-proxier (pkg/proxy/iptables/proxier.go
 * NewDualStackProxier, pkg/proxy/metaproxier): the IPv6 one sees the Services' IPv6
 * ClusterIPs and the IPv6 EndpointSlices, and writes the same chains through ip6tables.
 * Its differences from the IPv4 proxier, all from proxier.go:
 *  - localhostNodePorts is false (NewDualStackProxier passes false), so the NodePort rules
 *    have no 127.0.0.0/8 rule and KUBE-FIREWALL gets no "block incoming localnet" rule
 *    (`if !isIPv6 && proxier.localhostNodePorts`); kubelet creates no IPv6 KUBE-FIREWALL
 *    either (kubelet_network_linux.go: `if !iptClient.IsIPv6()`), only kube-proxy's
 *    iptablesKubeletJumpChains ensure the (empty) chain and its jumps;
 *  - the KUBE-SERVICES tail rule to KUBE-NODEPORTS (nodePortAddresses unset: MatchAll)
 *    excludes `! -d ::1/128`;
 *  - the local-traffic detector is the cluster's IPv6 Pod range, the node IP the node's IPv6 one;
 *  - chain names: KUBE-SVC/SVL/EXT/FW hash only "servicePortName + protocol"
 *    (portProtoHash), so they are the same in both families; KUBE-SEP hashes the endpoint
 *    too, written `[addr]:port` (net.JoinHostPort), so it differs.
 * Both proxiers sync together (the module's sync), so hand edits to the IPv6 tables last
 * until the next sync that rewrites what was edited, exactly as on the IPv4 side.
 */
import type { Cluster } from '../../../cluster/cluster';
import type { KubeObject } from '../../../cluster/types';
import type { Rule } from '../../../dataplane/netfilter/rule';
import { saveRuleBody } from '../../../dataplane/netfilter/save-form';
import { NodeNetfilter, type Chain } from '../../../dataplane/netfilter/tables';
import type { TableName } from '../../../dataplane/netfilter/rule';
import type { ChangeTracker } from '../changetracker';
import { endpointsFor, type EndpointInfo } from '../endpoint';
import { isServiceChainName } from '../hash';
import { KUBE_PROXY_CANARY } from '../netfilter';
import type { NodeInfo } from '../proxier';
import { servicePorts, type ServicePortInfo } from '../serviceport';
import {
  constantChains, generateServicePort, jumpRule, nodePortsTailRule, JUMP_CHAINS,
  KUBE_SERVICES, KUBE_NODEPORTS, KUBE_EXTERNAL_SERVICES, KUBE_PROXY_FIREWALL, KUBE_FORWARD,
  type PortGen,
} from './rules';

interface View6 {
  ports: ServicePortInfo[];
  endpoints: EndpointInfo[][];
}

/** A node as the IPv6 proxier sees it: its IPv6 InternalIP and IPv6 Pod range (NodeInfo's fields, IPv6). */
export type NodeInfo6 = NodeInfo;

/** A dual-stack node's IPv6 address and Pod range, from its Node object; undefined if it has none. */
export function nodeInfo6(node: KubeObject | undefined, info: NodeInfo): NodeInfo6 | undefined {
  if (!node) return undefined;
  const ip = ((node.status?.addresses ?? []) as { type: string; address: string }[]).find((a) => a.type === 'InternalIP' && a.address.includes(':'))?.address;
  const podCIDR = ((node.spec?.podCIDRs ?? []) as string[]).find((c) => c.includes(':'));
  if (!ip || !podCIDR) return undefined;
  return { ...info, ip, podCIDR };
}

export interface Ip6Host {
  /** The nodes of the cluster with their IPv6 address and range. */
  nodeInfo6(): NodeInfo6[];
  /** The CNI agent's IPv6 chains (flanneld's FLANNEL-POSTRTG/FLANNEL-FWD). */
  cniChains6(nf: NodeNetfilter, info: NodeInfo6): void;
}

export class Ip6tablesProxier {
  /** The nodes' IPv6 tables, those looked at so far (the others are written when first used). */
  readonly nodes = new Map<string, NodeNetfilter>();
  private views = new Map<string, View6>();
  /** Per node, the per-service chains last written for each Service (what a partial sync replaces). */
  private written = new Map<string, Map<string, string[]>>();

  constructor(private readonly cluster: Cluster, private readonly tracker: ChangeTracker, private readonly host: Ip6Host) {}

  /** One sync of the IPv6 proxier, alongside the IPv4 one: `changed` as the module checked it out. */
  sync(full: boolean, changed: readonly string[]): void {
    const keys = full ? this.tracker.sourceKeys() : changed;
    if (full) this.views.clear();
    for (const key of keys) this.derive(key);
    const infos = this.host.nodeInfo6();
    for (const name of [...this.nodes.keys()]) if (!infos.some((n) => n.name === name)) { this.nodes.delete(name); this.written.delete(name); }
    for (const info of infos) {
      const nf = this.nodes.get(info.name);
      if (nf) {
        this.writeNode(nf, info, full, keys);
        if (full) this.host.cniChains6(nf, info);
      }
    }
  }

  /** A node's IPv6 tables, as kube-proxy's first (full) sync and the CNI agent leave them when first looked at. */
  node(name: string): NodeNetfilter | undefined {
    const existing = this.nodes.get(name);
    if (existing) return existing;
    const info = this.host.nodeInfo6().find((n) => n.name === name);
    if (!info) return undefined;
    const nf = ipv6KubeletTables(name);
    // kube-proxy's canary chains: ipt.Monitor runs per proxier, so per family
    for (const t of ['mangle', 'nat', 'filter'] as TableName[]) nf.table(t).set(KUBE_PROXY_CANARY, { name: KUBE_PROXY_CANARY, rules: [] });
    this.nodes.set(name, nf);
    this.writeNode(nf, info, true, this.tracker.sourceKeys(), true);
    this.host.cniChains6(nf, info);
    return nf;
  }

  /** The IPv6 proxier's view of one Service (its IPv6 ClusterIP, its IPv6 EndpointSlices). */
  private derive(key: string): void {
    const src = this.tracker.sourceObjects(key);
    const ports = src?.svc ? servicePorts(src.svc, 'IPv6') : [];
    if (!src || ports.length === 0) {
      this.views.delete(key);
      return;
    }
    this.views.set(key, { ports, endpoints: ports.map((p) => endpointsFor(p, src.slices, 'IPv6')) });
  }

  private gens(key: string, info: NodeInfo6): PortGen[] {
    const v = this.views.get(key);
    if (!v) return [];
    const ctx = { node: info.name, nodeLabels: info.labels, nodeIP: info.ip, clusterCIDR: this.cluster.settings.podCIDRv6 ?? '', localhostNodePorts: false };
    const out = v.ports.map((p, i) => generateServicePort(p, v.endpoints[i], ctx));
    // ip6tables loads -m recent with the IPv6 all-ones mask (ClientIP affinity)
    for (const pg of out) for (const c of pg.chains) for (const r of c.rules) for (const m of r.matches) if (m.kind === 'recent') m.v6 = true;
    // kube-proxy writes a bare `-j REJECT`: ip6tables' default is icmp6-port-unreachable (libip6t_REJECT.c)
    for (const pg of out) {
      for (const rules of [pg.filterServices, pg.filterExternal, pg.filterFirewall, pg.filterNodePorts, pg.natServices, pg.natNodePorts]) {
        for (const r of rules) if (r.target?.kind === 'REJECT') { r.target = { kind: 'REJECT', with: 'icmp6-port-unreachable' }; delete r.saved; }
      }
    }
    return out;
  }

  private writeNode(nf: NodeNetfilter, info: NodeInfo6, full: boolean, keys: readonly string[], fresh = false): void {
    const sorted = [...this.views.keys()].sort();
    const all = new Map<string, PortGen[]>();
    for (const key of sorted) all.set(key, this.gens(key, info));
    // the top-level chains, rewritten by every sync
    const ns: Rule[] = [], np: Rule[] = [], fs: Rule[] = [], fe: Rule[] = [], ff: Rule[] = [], fn: Rule[] = [];
    for (const pgs of all.values()) {
      for (const pg of pgs) {
        ns.push(...pg.natServices); np.push(...pg.natNodePorts);
        fs.push(...pg.filterServices); fe.push(...pg.filterExternal); ff.push(...pg.filterFirewall); fn.push(...pg.filterNodePorts);
      }
    }
    const constants = constantChains();
    nf.writeChain('nat', { name: KUBE_SERVICES, rules: [...ns, nodePortsTailRule(true)] });
    nf.writeChain('nat', { name: KUBE_NODEPORTS, rules: np });
    for (const c of constants.nat) nf.writeChain('nat', c);
    nf.writeChain('filter', { name: KUBE_SERVICES, rules: fs });
    nf.writeChain('filter', { name: KUBE_EXTERNAL_SERVICES, rules: fe });
    nf.writeChain('filter', { name: KUBE_PROXY_FIREWALL, rules: ff });
    nf.writeChain('filter', { name: KUBE_NODEPORTS, rules: fn });
    // KUBE-FORWARD only: the IPv6 proxier writes no KUBE-FIREWALL rule
    for (const c of constants.filter) if (c.name === KUBE_FORWARD) nf.writeChain('filter', c);

    let written = this.written.get(nf.node);
    if (!written) this.written.set(nf.node, (written = new Map()));
    const active = new Set<string>();
    for (const key of full ? sorted : keys) {
      const names: string[] = [];
      for (const pg of all.get(key) ?? []) for (const c of pg.chains) { nf.writeChain('nat', c as Chain); names.push(c.name); active.add(c.name); }
      if (!full) for (const old of written.get(key) ?? []) if (!active.has(old)) nf.deleteChain('nat', old);
      if (names.length) written.set(key, names);
      else written.delete(key);
    }
    if (!full) return;
    const nat = nf.table('nat');
    if (!fresh) for (const name of [...nat.keys()]) if (isServiceChainName(name) && !active.has(name)) nat.delete(name);
    for (const [table, dst, src, comment, extra] of JUMP_CHAINS) {
      const tab = nf.table(table);
      if (!tab.has(dst)) tab.set(dst, { name: dst, rules: [] });
      const rule = jumpRule(comment, extra, dst);
      const body = saveRuleBody(rule);
      if (!tab.get(src)!.rules.some((r) => saveRuleBody(r) === body)) nf.own(table, src)!.rules.unshift(rule);
    }
  }
}

/** kubelet's IPv6 chains (pkg/kubelet/kubelet_network_linux.go): the hint chain and the canaries, for every family. */
export function ipv6KubeletTables(node: string): NodeNetfilter {
  const v6 = new NodeNetfilter(node);
  v6.table('mangle').set('KUBE-IPTABLES-HINT', { name: 'KUBE-IPTABLES-HINT', rules: [] });
  for (const t of ['mangle', 'nat', 'filter'] as TableName[]) v6.table(t).set('KUBE-KUBELET-CANARY', { name: 'KUBE-KUBELET-CANARY', rules: [] });
  return v6;
}
