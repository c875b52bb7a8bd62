/**
 * kube-proxy, one per node, as a simulation module: what every proxy mode shares. It
 * watches Services and EndpointSlices into the change tracker (./changetracker.ts),
 * keeps the node list, each node's netfilter tables and conntrack table, runs the sync
 * (a partial one for the Services that changed, a full one every syncPeriod of virtual
 * time, which puts back what a learner deleted by hand), and hands the work to the
 * proxier of `settings.proxyMode`, picked from the registry (./modes.ts).
 *
 * translate() executes a node's *current* rules for one packet: the traffic room's packet
 * walk calls it for every hop that crosses a node's netfilter.
 */
import type { ClusterRuntime } from '../runtime';
import type { SimModule } from '../../cluster/module';
import type { Change } from '../../cluster/store';
import type { ProxyMode } from '../../cluster/types';
import type { NatDecision, Packet, PacketOrigin } from '../../dataplane/packet';
import type { ExecEnv } from '../../dataplane/netfilter/execute';
import { NodeNetfilter } from '../../dataplane/netfilter/tables';
import { formatIPv4, parseIPv4, type TableName } from '../../dataplane/netfilter/rule';
import { cniEnforcesPolicy, cniPlugin, nodeInterfaces, nodeNamespace, podInterface } from '../cni';
import { lookupRoute, masqueradeSource } from '../../dataplane/netns';
import { podByIp } from '../../dataplane/topology';
import type { PolicyVerdict } from '../../dataplane/policy';
import type { TraceHop } from '../../types';
import { traverse, type PacketState } from '../../dataplane/netfilter/execute';
import { chainVerdict, chainVerdictHop, WorkloadChainWatch } from './workload-policy';
import { ChangeTracker, type ServiceView } from './changetracker';
import { calicoWorkloadChains, cniChains, cniIpset } from './cni-chains';
import { hostPortChains } from '../cni/portmap';
import { ConntrackTable, CT_TIMEOUTS, type ConntrackEntry } from './conntrack';
import { cleanStaleEntries } from './cleanup';
import { backgroundConntrack, randomFullyPort } from '../../dataplane/background';
import { PROXIERS } from './modes';
import { jumpRule, kubeletFirewallChain, KUBE_FIREWALL, KUBE_PROXY_CANARY } from './netfilter';
import type { NodeInfo, Proxier, ProxierDeps, ProxierHost } from './proxier';
import { CiliumServiceLb } from '../cilium/proxier';
import type { SourceWorkload } from './walk';
import { restoreNode, snapshotNode, type NodeSnapshot } from './snapshot';
import { IpvsProxier } from './ipvs/proxier';
import { NftablesProxier } from './nftables/proxier';
import { Ip6tablesProxier, nodeInfo6, type NodeInfo6 } from './iptables/ipv6';
import { cniChains6 } from './cni-chains';
import { parseIPv6 } from '../../cluster/ipv6';
import type { ServiceHealthServer } from '../../dataplane/ports';
import { serviceHealthServers } from './healthcheck';

export const SYNC_PERIOD_MS = 30_000;

/** The module's snapshot: the shared node state, and the mode's own state under the mode's name. */
type KubeProxySnapshot = {
  sinceFullMs: number;
  nodes: Record<string, NodeSnapshot>;
  /** A dual-stack cluster's IPv6 tables, those looked at (hand edits, counters). */
  nodes6?: Record<string, NodeSnapshot>;
} & Partial<Record<ProxyMode, unknown>>;

export class KubeProxy implements SimModule, ProxierHost {
  readonly name = 'kube-proxy';
  readonly nodes = new Map<string, NodeNetfilter>();
  readonly conntrack = new Map<string, ConntrackTable>();
  nodeInfo: NodeInfo[] = [];
  /** Service and EndpointSlice changes, and the views of the Services as last synced. */
  readonly tracker: ChangeTracker;
  /** The proxier of `settings.proxyMode`. */
  readonly proxier: Proxier;
  private needFull = true;
  private sinceFullMs = 0;
  private podsChanged = true;
  private localCache = new Map<string, Set<number>>();
  private localCache6 = new Map<string, Set<bigint>>();
  /** kubelet's KUBE-FIREWALL, one chain shared (read-only) by every node. */
  private kubeletFirewall = kubeletFirewallChain();
  private restoreData?: KubeProxySnapshot;
  private unsubscribe?: () => void;
  /** A dual-stack cluster's IPv6 iptables proxier (iptables mode: the meta-proxier's second half). */
  readonly ip6?: Ip6tablesProxier;
  /** How many syncs ran, and how many were full (for tests and the bench). */
  stats = { syncs: 0, fullSyncs: 0, lastChanged: 0 };

  constructor(readonly cluster: ClusterRuntime) {
    this.tracker = new ChangeTracker(cluster.store);
    // Cilium's kube-proxy replacement: no kube-proxy runs; cilium-agent's service maps take its place.
    const make = cluster.settings.kubeProxyReplacement ? (deps: ProxierDeps) => new CiliumServiceLb(deps) : PROXIERS[cluster.settings.proxyMode];
    if (!make) throw new Error(`kube-proxy: unknown proxy mode "${cluster.settings.proxyMode}"`);
    this.proxier = make({ cluster: cluster, services: this.tracker, host: this });
    if (cluster.settings.podCIDRv6 && this.proxier.mode === 'iptables' && !cluster.settings.kubeProxyReplacement) {
      this.ip6 = new Ip6tablesProxier(cluster, this.tracker, {
        nodeInfo6: () => this.nodeInfo.map((n) => nodeInfo6(this.cluster.store.get('Node', undefined, n.name), n)).filter((n): n is NodeInfo6 => !!n),
        cniChains6: (nf, info) => cniChains6(this.cluster, nf, info),
      });
    }
  }

  /** A dual-stack node's IPv6 tables (what ip6tables shows), synced; undefined on a single-stack cluster. */
  node6(name: string): NodeNetfilter | undefined {
    this.ensureSynced();
    return this.ip6?.node(name);
  }

  get mode(): ProxyMode {
    return this.proxier.mode;
  }

  get clusterCIDR(): string {
    return this.cluster.settings.podCIDR;
  }

  /** The IPVS proxier, whose tables ipvsadm and ipset print; only in IPVS mode. */
  get ipvs(): IpvsProxier {
    if (this.proxier instanceof IpvsProxier) return this.proxier;
    throw new Error(`kube-proxy is in ${this.mode} mode: there are no IPVS tables`);
  }

  /** The nftables proxier, whose tables `nft` lists; only in nftables mode. */
  get nftables(): NftablesProxier {
    if (this.proxier instanceof NftablesProxier) return this.proxier;
    throw new Error(`kube-proxy is in ${this.mode} mode: it has no nftables tables`);
  }

  // ---- module lifecycle ---------------------------------------------------------------

  init(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.cluster.store.subscribe((c) => this.onChange(c));
    this.tracker.start();
    this.needFull = true;
    if (this.restoreData) {
      this.sync();
      this.applySnapshot(this.restoreData);
      this.restoreData = undefined;
    }
  }

  /**
   * Changes are only recorded here; the sync runs when the node's rules are next looked
   * at (a command, a packet, a snapshot) or the clock next moves (tick). Like kube-proxy's
   * BoundedFrequencyRunner this batches a burst of changes into one partial sync.
   */
  reconcile(): boolean {
    return false;
  }

  /** Runs the pending partial sync, or the due full sync, now. */
  ensureSynced(): void {
    if (this.needFull || this.tracker.hasPending) this.sync();
    if (this.podsChanged) {
      this.podsChanged = false;
      const before = new Map([...this.localCache].map(([n, set]) => [n, [...set].sort().join(',')]));
      this.localCache.clear();
      this.localCache6.clear();
      // IPVS's NodePort virtual servers follow the node's addresses (cni0 appears with the first pod).
      const moved = this.proxier.nodeAddressesChanged?.bind(this.proxier);
      if (moved) {
        for (const name of this.nodes.keys()) {
          if (before.has(name) && before.get(name) !== [...this.nodeAddresses(name)].sort().join(',')) moved(name);
        }
      }
      for (const nf of this.nodes.values()) {
        calicoWorkloadChains(this.cluster, nf, nf.node);
        hostPortChains(this.cluster, nf, nf.node);
      }
    }
  }

  /**
   * Time, not a look, drives the syncs once a node's tables exist: what changed since the
   * last look is synced as the clock moves on (kube-proxy syncs within minSyncPeriod of a
   * change), and the full sync runs when its period is up whether or not anyone looks. A
   * look between two commands (a grading check, an `nft`) then never changes how many syncs
   * ran, so the tables — nftables' rule handles included — come out the same without it.
   */
  tick(ms: number): void {
    if (this.nodes.size > 0) this.ensureSynced();
    // nobody has looked yet: derive (and generate) what changed now, not at the first look
    else if (this.tracker.hasPending) this.proxier.prepare?.(this.tracker.prepare());
    this.sinceFullMs += ms;
    if (this.sinceFullMs >= SYNC_PERIOD_MS) this.needFull = true;
    if (this.nodes.size > 0 && this.needFull) this.ensureSynced();
    const now = this.cluster.clock.now();
    for (const ct of this.conntrack.values()) ct.expire(now);
    this.proxier.tick(now);
  }

  private onChange(c: Change): void {
    const o = c.object;
    if (o.kind === 'Service') this.tracker.serviceChanged(o);
    else if (o.kind === 'EndpointSlice') this.tracker.endpointSliceChanged(c.old, c.type === 'DELETED' ? undefined : o);
    else if (o.kind === 'Node') this.needFull = true;
    else if (o.kind === 'Pod' || o.kind === 'NetworkPolicy' || o.kind === 'Namespace' || o.kind === 'HostEndpoint') this.podsChanged = true; // Felix's workload, policy and host endpoint chains
  }

  // ---- nodes --------------------------------------------------------------------------

  private computeNodes(): NodeInfo[] {
    const out: NodeInfo[] = [];
    const seen = new Set<string>();
    const base = this.cluster.settings.podCIDR.split('/')[0].split('.').map(Number);
    const add = (name: string, ip: string, podCIDR: string | undefined, labels: Record<string, string>) => {
      if (seen.has(name) || !ip) return;
      seen.add(name);
      const index = out.length;
      out.push({ name, ip, podCIDR: podCIDR ?? `${base[0]}.${base[1]}.${index}.0/24`, index, labels });
    };
    for (const n of this.cluster.settings.nodes) {
      const obj = this.cluster.store.get('Node', undefined, n.name);
      add(n.name, n.ip, obj?.spec?.podCIDR ?? n.podCIDR, obj?.metadata.labels ?? n.labels ?? {});
    }
    for (const n of this.cluster.store.list('Node')) {
      const ip = (n.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address;
      add(n.metadata.name, ip, n.spec?.podCIDR, n.metadata.labels ?? {});
    }
    return out;
  }

  node(name: string): NodeNetfilter | undefined {
    this.ensureSynced();
    const nf = this.nodes.get(name);
    if (nf) return nf;
    const info = this.nodeInfo.find((n) => n.name === name);
    return info ? this.materialize(info) : undefined;
  }

  nodeIP(name: string): string | undefined {
    return this.nodeInfo.find((n) => n.name === name)?.ip;
  }

  /** MASQUERADE's address for a packet leaving `node` toward `dst`, from the node's routes and interfaces as the CNI wired them. */
  masqueradeSource(node: string, dst: string): string | undefined {
    const ns = nodeNamespace(this.cluster, node);
    return ns ? masqueradeSource(ns, dst) : undefined;
  }

  /**
   * `-m rpfilter` on the node (xt_rpfilter.c rpfilter_lookup_reverse): the main table's route
   * to the packet's source must be a unicast route (not Calico's blackhole for a block) and,
   * unless --loose, leave by the interface the packet came in on.
   */
  reversePath(node: string, pkt: PacketState, loose: boolean): boolean {
    const ns = nodeNamespace(this.cluster, node);
    if (!ns || pkt.dst6 !== undefined) return true;
    const route = lookupRoute(ns, formatIPv4(pkt.src));
    if (!route || route.type === 'blackhole') return false;
    return loose || route.dev === pkt.inIface;
  }

  /** `--random-fully`'s port for a connection: drawn from the seed, the tuple and the moment (a new connection on the same tuple draws again). */
  natPort(node: string, pkt: Packet): number {
    return randomFullyPort(this.cluster.seed, `${node}/${pkt.proto}/${pkt.src}:${pkt.sport}/${pkt.dst}:${pkt.dport}/${this.cluster.clock.now()}`, pkt.sport);
  }

  /**
   * The node's own IPv4 addresses, as the CNI room configured its interfaces (eth0,
   * cni0, flannel.1, tunl0, vxlan.calico, …), without kube-ipvs0's Service addresses.
   */
  nodeAddresses(node: string): Set<number> {
    let set = this.localCache.get(node);
    if (set) return set;
    set = new Set<number>();
    const info = this.nodeInfo.find((n) => n.name === node);
    if (info) set.add(parseIPv4(info.ip)!);
    try {
      for (const link of nodeInterfaces(this.cluster, node)) {
        if (link.name === 'kube-ipvs0') continue;
        for (const a of link.addrs) if (a.family === 'inet') { const n = parseIPv4(a.local); if (n !== undefined) set.add(n); }
      }
    } catch {
      // the CNI room has not wired this node (yet): its primary address is all we know
    }
    this.localCache.set(node, set);
    return set;
  }

  /** addrtype LOCAL: loopback, the node's own addresses, and addresses the proxier binds (IPVS: the VIPs on kube-ipvs0). */
  isLocal(node: string, ip: number): boolean {
    if (ip >>> 24 === 127) return true;
    if (this.nodeAddresses(node).has(ip)) return true;
    return this.proxier.hasLocalAddress?.(ip) ?? false;
  }

  /** A fresh node: the tables kubelet and kube-proxy's canary create, before any sync. */
  private setupNode(info: NodeInfo): NodeNetfilter {
    const nf = new NodeNetfilter(info.name);
    // kubelet (pkg/kubelet/kubelet_network_linux.go): the hint and canary chains, KUBE-FIREWALL.
    nf.table('mangle').set('KUBE-IPTABLES-HINT', { name: 'KUBE-IPTABLES-HINT', rules: [] });
    for (const t of ['mangle', 'nat', 'filter'] as TableName[]) nf.table(t).set('KUBE-KUBELET-CANARY', { name: 'KUBE-KUBELET-CANARY', rules: [] });
    nf.table('filter').set(KUBE_FIREWALL, this.kubeletFirewall);
    for (const c of ['INPUT', 'OUTPUT']) nf.table('filter').get(c)!.rules.unshift(jumpRule('', [], KUBE_FIREWALL));
    // kube-proxy's canary chains (ipt.Monitor), in the modes that write iptables rules.
    if (this.proxier.iptablesCanary) for (const t of ['mangle', 'nat', 'filter'] as TableName[]) nf.table(t).set(KUBE_PROXY_CANARY, { name: KUBE_PROXY_CANARY, rules: [] });
    this.nodes.set(info.name, nf);
    // The node's conntrack table (seeded with its background flows) is made when first
    // used — recordConnection, or a reader's syncBackground — not for a ruleset listing.
    return nf;
  }

  private addCniChains(nf: NodeNetfilter, info: NodeInfo): void {
    cniChains(this.cluster, nf, info);
    calicoWorkloadChains(this.cluster, nf, info.name);
    hostPortChains(this.cluster, nf, info.name);
  }

  /** A node's tables as kubelet, the CNI plugin and kube-proxy's first (full) sync leave them. */
  private materialize(info: NodeInfo): NodeNetfilter {
    const nf = this.setupNode(info);
    this.proxier.materializeNode(nf, info);
    this.addCniChains(nf, info);
    return nf;
  }

  // ---- sync ---------------------------------------------------------------------------

  /** A sync: the node list, the tracker's changes, then the proxier's syncProxyRules (partial, or full when due). */
  sync(): void {
    const full = this.needFull;
    this.stats.syncs++;
    if (full) this.stats.fullSyncs++;
    const newNodes = this.computeNodes();
    const nodesChanged = newNodes.length !== this.nodeInfo.length || newNodes.some((n, i) => n.name !== this.nodeInfo[i]?.name || n.ip !== this.nodeInfo[i]?.ip);
    // Node-dependent rules must be regenerated for the new node list.
    const perNode = nodesChanged || full ? this.tracker.nodeDependentKeys() : [];
    this.nodeInfo = newNodes;
    if (nodesChanged) { this.localCache.clear(); this.localCache6.clear(); }
    for (const name of [...this.nodes.keys()]) if (!newNodes.some((n) => n.name === name)) this.nodes.delete(name);
    const changed = this.tracker.checkout();
    for (const k of perNode) if (!changed.includes(k)) changed.push(k);
    this.stats.lastChanged = changed.length;
    this.proxier.syncProxyRules({ full, changed });
    this.ip6?.sync(full, changed);
    // conntrack.CleanStaleEntries: UDP flows bound to an endpoint that no longer serves
    if (!this.cluster.settings.kubeProxyReplacement) cleanStaleEntries(this.conntrack.values(), this.tracker);
    // The CNI agents (flanneld, Felix, weave-npc, cilium-agent) resync their own chains too.
    if (full) for (const info of this.nodeInfo) { const nf = this.nodes.get(info.name); if (nf) this.addCniChains(nf, info); }
    if (full) {
      this.needFull = false;
      this.sinceFullMs = 0;
    }
  }

  /** The service health servers on a node (healthCheckNodePorts), as of the last sync; Cilium's replacement runs none of kube-proxy's. */
  healthServers(node: string): ServiceHealthServer[] {
    if (this.cluster.settings.kubeProxyReplacement) return [];
    this.ensureSynced();
    return serviceHealthServers(this.tracker, node);
  }

  /** Service keys in rule order (by namespace/name). */
  serviceKeys(): readonly string[] {
    return this.tracker.serviceKeys();
  }

  /** A Service's ports and their endpoints, as last synced. */
  serviceGen(key: string): ServiceView | undefined {
    return this.tracker.view(key);
  }

  // ---- snapshot ------------------------------------------------------------------------

  snapshot(): KubeProxySnapshot {
    this.ensureSynced();
    const nodes: Record<string, NodeSnapshot> = {};
    for (const [name, nf] of this.nodes) nodes[name] = snapshotNode(nf, this.conntrack.get(name));
    const s: KubeProxySnapshot = { sinceFullMs: this.sinceFullMs, nodes };
    if (this.ip6 && this.ip6.nodes.size > 0) {
      s.nodes6 = {};
      for (const [name, nf] of this.ip6.nodes) s.nodes6[name] = snapshotNode(nf, undefined);
    }
    const own = this.proxier.snapshot();
    if (own !== undefined) s[this.mode] = own;
    return s;
  }

  restore(data: unknown): void {
    if (data && typeof data === 'object') this.restoreData = data as KubeProxySnapshot;
  }

  private applySnapshot(s: KubeProxySnapshot): void {
    this.sinceFullMs = s.sinceFullMs ?? 0;
    for (const [name, ns] of Object.entries(s.nodes ?? {})) {
      const nf = this.node(name);
      if (!nf) continue;
      restoreNode(nf, ns);
      const ct = this.conntrack.get(name) ?? new ConntrackTable();
      ct.entries = ns.conntrack.map((e) => ({ ...e }));
      this.conntrack.set(name, ct);
    }
    for (const [name, ns] of Object.entries(s.nodes6 ?? {})) {
      const nf = this.ip6?.node(name);
      if (nf) restoreNode(nf, ns, 'ip6tables');
    }
    const own = s[this.mode];
    if (own) this.proxier.restore(own);
  }

  // ---- packets ------------------------------------------------------------------------

  env(node: string, nf: NodeNetfilter): ExecEnv {
    return {
      nf,
      isLocal: (ip) => this.isLocal(node, ip),
      isLocal6: (ip) => this.nodeAddresses6(node).has(ip),
      random: () => this.cluster.rng.next(),
      now: this.cluster.clock.now(),
      reversePath: (pkt, loose) => this.reversePath(node, pkt, loose),
      ipset: (name, pkt, flags) =>
        this.proxier.ipsetMatch?.(node, name, pkt, flags) ??
        cniIpset(this.cluster, node, name)?.test({ src: formatIPv4(pkt.src), dst: formatIPv4(pkt.dst), sport: pkt.sport, dport: pkt.dport, proto: pkt.proto }, flags),
    };
  }

  translate(node: string, pkt: Packet, origin: PacketOrigin): NatDecision {
    this.ensureSynced();
    // an IPv6 packet meets the IPv6 proxier's ip6tables rules (the dual-stack meta-proxier's second half)
    if (pkt.dst.includes(':')) return this.translate6(node, pkt, origin);
    const nf = this.node(node);
    if (!nf) return { packet: { ...pkt }, masquerade: false, verdict: 'ACCEPT', via: this.mode, hops: [] };
    return this.proxier.translate(node, nf, pkt, origin, origin === 'pod' ? this.sourceWorkload(node, pkt) : undefined);
  }

  /**
   * An IPv6 packet through the node's ip6tables tables (what `ip6tables-save` lists), executed
   * like the IPv4 ones. Conntrack keeps both families in one table (`conntrack -L -f ipv6`).
   */
  private translate6(node: string, pkt: Packet, origin: PacketOrigin): NatDecision {
    const nf = this.ip6?.node(node);
    if (!nf) return { packet: { ...pkt }, masquerade: false, verdict: 'ACCEPT', via: this.mode, hops: [] };
    return this.proxier.translate(node, nf, pkt, origin);
  }

  /** The node's own IPv6 addresses (its InternalIP and the CNI's global inet6 addresses: cni0's, flannel-v6.1's). */
  nodeAddresses6(node: string): Set<bigint> {
    const key = `${node}/6`;
    let set = this.localCache6.get(key);
    if (set) return set;
    set = new Set<bigint>();
    const addrs = (this.cluster.store.get('Node', undefined, node)?.status?.addresses ?? []) as { type: string; address: string }[];
    for (const a of addrs) if (a.type === 'InternalIP') { const n = parseIPv6(a.address); if (n !== undefined) set.add(n); }
    try {
      for (const link of nodeInterfaces(this.cluster, node)) for (const a of link.addrs) if (a.family === 'inet6' && a.scope === 'global') { const n = parseIPv6(a.local); if (n !== undefined) set.add(n); }
    } catch {
      // not wired yet
    }
    this.localCache6.set(key, set);
    if (this.localCache6.size > 4096) this.localCache6.clear();
    return set;
  }

  /**
   * The local pod a pod's packet comes from, when the CNI agent enforces its egress policy in
   * the node's chains (Calico: the cali… veth and cali-fw-<veth>); undefined otherwise.
   */
  private sourceWorkload(node: string, pkt: Packet): SourceWorkload | undefined {
    const plugin = cniPlugin(this.cluster.settings);
    if (!plugin.workloadEgressChain || !cniEnforcesPolicy(this.cluster.settings, this.cluster)) return undefined;
    const src = podByIp(this.cluster, pkt.src);
    if (!src || src.node !== node || src.hostNetwork) return undefined;
    const iface = podInterface(this.cluster, src.obj)?.hostVeth;
    if (!iface) return undefined;
    const chain = plugin.workloadEgressChain(iface);
    const policyOf = (c: string) => plugin.policyOfChain?.(this.cluster, c);
    const watch = new WorkloadChainWatch(chain, policyOf);
    return {
      iface,
      egressChain: chain,
      watch,
      decide: (st, hops) => {
        // The hooks ran without reaching the workload's chain (a jump deleted by hand, a packet
        // dropped before it): nothing policed it, and the walk must not police it either.
        if (!watch.entered) return { allowed: true, reason: `not policed: the packet never reached filter/${chain}` };
        const dst = formatIPv4(st.dst);
        const v = chainVerdict(this.cluster, this.node(node)!, watch, policyOf, 'egress', src, podByIp(this.cluster, dst) ?? dst, st.dport, st.proto);
        if (!v) return { allowed: true, reason: `allowed: no NetworkPolicy selects ${src.namespace}/${src.name} for egress` };
        chainVerdictHop(this.cluster, plugin.displayName, node, watch, v, src, hops);
        return { allowed: v.allowed, reason: v.reason };
      },
    };
  }

  /**
   * NetworkPolicy for a packet at a local pod's veth, decided by the CNI agent's chains on the
   * node: `ingress`, a packet about to leave by the destination pod's veth (Calico:
   * cali-to-wl-dispatch → cali-tw-<veth>, the part of filter FORWARD Felix's cali-FORWARD
   * reaches for it); `egress`, a packet from the source pod after IPVS picked its real server
   * (Felix with KubeIPVSSupport applies cali-fw-<veth> then, from cali-OUTPUT). Undefined when
   * the plugin decides policy elsewhere (the walk evaluates the NetworkPolicies itself).
   */
  workloadPolicy(node: string, pkt: Packet, dir: 'ingress' | 'egress'): { verdict?: PolicyVerdict; hops: TraceHop[] } | undefined {
    const plugin = cniPlugin(this.cluster.settings);
    const chainOf = dir === 'ingress' ? plugin.workloadIngressChain : plugin.workloadEgressChain;
    if (!chainOf || !cniEnforcesPolicy(this.cluster.settings, this.cluster)) return undefined;
    this.ensureSynced();
    const nf = this.node(node);
    const pod = podByIp(this.cluster, dir === 'ingress' ? pkt.dst : pkt.src);
    if (!nf || !pod || pod.node !== node || pod.hostNetwork) return undefined;
    const iface = podInterface(this.cluster, pod.obj)?.hostVeth;
    if (!iface) return undefined;
    const policyOf = (c: string) => plugin.policyOfChain?.(this.cluster, c);
    const chain = chainOf(iface);
    const watch = new WorkloadChainWatch(chain, policyOf);
    const env: ExecEnv = {
      ...this.env(node, nf),
      enterChain: (table, c) => {
        watch.enter(table, c);
        return undefined;
      },
      observe: (table, c, rule) => watch.rule(table, c, rule),
    };
    const st: PacketState = {
      src: parseIPv4(pkt.src) ?? 0, dst: parseIPv4(pkt.dst) ?? 0, sport: pkt.sport, dport: pkt.dport, proto: pkt.proto,
      mark: 0, ctstate: new Set(['NEW']), bytes: 60, ...(dir === 'ingress' ? { outIface: iface } : { inIface: iface }),
    };
    const hops: TraceHop[] = [];
    const start = dir === 'ingress' ? plugin.workloadIngressDispatch ?? chain : chain;
    if (start === chain) watch.enter('filter', chain);
    traverse(env, 'filter', start, st, hops);
    const peerIp = dir === 'ingress' ? pkt.src : pkt.dst;
    const v = chainVerdict(this.cluster, nf, watch, policyOf, dir, pod, podByIp(this.cluster, peerIp) ?? peerIp, pkt.dport, pkt.proto);
    if (v) chainVerdictHop(this.cluster, plugin.displayName, node, watch, v, pod, hops);
    for (const h of hops) h.node ??= node;
    return { verdict: v, hops };
  }

  /**
   * The cluster's own long-lived connections in a node's table (dataplane/background.ts), as
   * of now. Their ESTABLISHED timeout is the node's nf_conntrack_tcp_timeout_established:
   * kube-proxy sets it to conntrack.tcpEstablishedTimeout (24 h by default,
   * pkg/proxy/apis/config/v1alpha1/defaults.go); the kernel's 5 days where none runs.
   */
  syncBackground(node: string): void {
    let ct = this.conntrack.get(node);
    if (!ct) {
      if (!this.cluster.store.get('Node', undefined, node)) return;
      this.conntrack.set(node, (ct = new ConntrackTable()));
    }
    ct.syncBackground(backgroundConntrack(this.cluster, node, this.cluster.clock.now()), this.cluster.settings.kubeProxyReplacement ? CT_TIMEOUTS.tcpEstablished : 86400, this.cluster.clock.now());
  }

  /**
   * A connection another node translated (or let through) entering this node for one of its
   * Pods: netfilter tracks every packet it sees, so this node's conntrack lists the flow as it
   * arrived — already DNAT'd (and masqueraded) upstream, no translation here, reply mirrored.
   */
  recordArrival(node: string, pkt: Packet): void {
    if (pkt.proto !== 'tcp' && pkt.proto !== 'udp' && pkt.proto !== 'icmp') return;
    const tcp = pkt.proto === 'tcp';
    this.recordConnection(node, {
      proto: pkt.proto,
      src: pkt.src,
      dst: pkt.dst,
      sport: pkt.sport,
      dport: pkt.dport,
      replySrc: pkt.dst,
      replyDst: pkt.src,
      replySport: pkt.dport,
      replyDport: pkt.sport,
      state: tcp ? 'TIME_WAIT' : undefined,
      timeout: tcp ? CT_TIMEOUTS.tcpTimeWait : pkt.proto === 'udp' ? CT_TIMEOUTS.udp : CT_TIMEOUTS.icmp,
      assured: tcp,
      mark: 0,
    });
  }

  /** The entry the packet's original tuple finds in the node's table, expired ones gone first. */
  trackedConnection(node: string, pkt: Packet): ConntrackEntry | undefined {
    const ct = this.conntrack.get(node);
    if (!ct) return undefined;
    ct.expire(this.cluster.clock.now());
    return ct.find(pkt.proto, pkt.src, pkt.sport, pkt.dst, pkt.dport);
  }

  recordConnection(node: string, entry: ConntrackEntry): void {
    if (!this.conntrack.has(node)) this.syncBackground(node);
    let ct = this.conntrack.get(node);
    if (!ct) {
      ct = new ConntrackTable();
      this.conntrack.set(node, ct);
    }
    ct.add(entry, this.cluster.clock.now());
  }
}
