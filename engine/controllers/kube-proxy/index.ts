/**
 * kube-proxy, one per node, as a simulation module. Like the real one
 * (pkg/proxy/iptables/proxier.go) it tracks Service and EndpointSlice changes, and each
 * sync rewrites the top-level chains plus only the per-service chains of Services that
 * changed (a partial sync); every syncPeriod (30 s of virtual time) it does a full sync
 * that rewrites everything and puts back what a learner deleted by hand.
 *
 * translate() executes a node's *current* rules for one packet: the traffic room's packet
 * walk calls it for every hop that crosses a node's netfilter.
 */
import type { Simulation } from '../../simulation';
import type { SimModule } from '../../modules';
import type { KubeObject } from '../../cluster/types';
import type { Change } from '../../cluster/store';
import type { NatDecision, Packet, PacketOrigin } from '../../dataplane/packet';
import type { TraceHop } from '../../types';
import { NodeNetfilter, type Chain } from '../../dataplane/netfilter/tables';
import { parseIPv4, parseRuleSpec, formatIPv4, type Rule, type TableName } from '../../dataplane/netfilter/rule';
import { traverse, type ExecEnv, type PacketState } from '../../dataplane/netfilter/execute';
import { saveRuleBody } from '../../printers/netfilter/rules';
import { endpointsFor, type EndpointInfo } from './endpoint';
import { nodeDependent, servicePorts, type ServicePortInfo } from './serviceport';
import {
  constantChains, generateServicePort, nodePortsTailRule, JUMP_CHAINS,
  KUBE_SERVICES, KUBE_NODEPORTS, KUBE_EXTERNAL_SERVICES, KUBE_PROXY_FIREWALL,
  type PortGen,
} from './iptables/rules';
import { jumpRule, KUBE_FIREWALL, KUBE_PROXY_CANARY } from './netfilter';
import { isServiceChainName } from './hash';
import { ConntrackTable, CT_TIMEOUTS, type ConntrackEntry } from './conntrack';
import { calicoWorkloadChains, cniChains } from './cni-chains';
import { IpvsProxier } from './ipvs/proxier';
import { nodeInterfaces } from '../cni';

export type { ConntrackEntry } from './conntrack';

export const SYNC_PERIOD_MS = 30_000;

export interface NodeInfo {
  name: string;
  ip: string;
  podCIDR: string;
  index: number;
}

interface SvcGen {
  ports: ServicePortInfo[];
  endpoints: EndpointInfo[][];
  perNode: boolean;
  generic?: PortGen[];
  byNode?: Map<string, PortGen[]>;
}

interface NodeSnapshot {
  dirty: { table: TableName; chain: string; policy?: 'ACCEPT' | 'DROP'; rules: string[] }[];
  removed: string[];
  counters: [TableName, string, number, number, number][];
  policy: [string, number, number][];
  recent: [string, [string, number[]][]][];
  conntrack: ConntrackEntry[];
}

interface KubeProxySnapshot {
  sinceFullMs: number;
  nodes: Record<string, NodeSnapshot>;
  ipvs?: unknown;
}

export class KubeProxy implements SimModule {
  readonly name = 'kube-proxy';
  readonly nodes = new Map<string, NodeNetfilter>();
  readonly conntrack = new Map<string, ConntrackTable>();
  nodeInfo: NodeInfo[] = [];
  private pending = new Set<string>();
  private needFull = true;
  private sinceFullMs = 0;
  private gens = new Map<string, SvcGen>();
  private sortedKeys: string[] = [];
  private slicesBySvc = new Map<string, Set<string>>();
  private nodeDepCount = 0;
  private constants = constantChains();
  private restoreData?: KubeProxySnapshot;
  private unsubscribe?: () => void;
  readonly ipvs: IpvsProxier;
  /** How many syncs ran, and how many were full (for tests and the bench). */
  stats = { syncs: 0, fullSyncs: 0, lastChanged: 0 };

  constructor(readonly sim: Simulation) {
    this.ipvs = new IpvsProxier(this);
  }

  get mode(): 'iptables' | 'ipvs' {
    return this.sim.settings.proxyMode;
  }

  get clusterCIDR(): string {
    return this.sim.settings.podCIDR;
  }

  // ---- module lifecycle ---------------------------------------------------------------

  init(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.sim.store.subscribe((c) => this.onChange(c));
    for (const s of this.sim.store.iterate('EndpointSlice')) this.indexSlice(s, true);
    for (const s of this.sim.store.iterate('Service')) this.pending.add(`${s.metadata.namespace}/${s.metadata.name}`);
    this.needFull = true;
    if (this.restoreData) {
      this.sync();
      this.applySnapshot(this.restoreData);
      this.restoreData = undefined;
    }
  }

  /**
   * Changes are only recorded here; the sync runs when the node's rules are next looked
   * at (a command, a packet, a snapshot). Like kube-proxy's BoundedFrequencyRunner this
   * batches a burst of changes into one partial sync.
   */
  reconcile(): boolean {
    return false;
  }

  /** Runs the pending partial sync, or the due full sync, now. */
  ensureSynced(): void {
    if (this.needFull || this.pending.size > 0) this.sync();
    if (this.podsChanged) {
      this.podsChanged = false;
      const before = new Map([...this.localCache].map(([n, set]) => [n, [...set].sort().join(',')]));
      this.localCache.clear();
      // NodePort virtual servers follow the node's addresses (cni0 appears with the first pod).
      if (this.mode === 'ipvs') {
        for (const name of this.nodes.keys()) {
          if (before.has(name) && before.get(name) !== [...this.nodeAddresses(name)].sort().join(',')) this.ipvs.markAllStale(name);
        }
      }
      for (const nf of this.nodes.values()) calicoWorkloadChains(this.sim, nf, nf.node);
    }
  }

  tick(ms: number): void {
    this.sinceFullMs += ms;
    if (this.sinceFullMs >= SYNC_PERIOD_MS) this.needFull = true;
    const now = this.sim.clock.now();
    for (const ct of this.conntrack.values()) ct.expire(now);
    this.ipvs.tick(now);
  }

  private onChange(c: Change): void {
    const o = c.object;
    if (o.kind === 'Service') this.pending.add(`${o.metadata.namespace}/${o.metadata.name}`);
    else if (o.kind === 'EndpointSlice') {
      if (c.old) this.indexSlice(c.old, false);
      if (c.type !== 'DELETED') this.indexSlice(o, true);
    } else if (o.kind === 'Node') this.needFull = true;
    else if (o.kind === 'Pod') this.podsChanged = true;
  }

  private podsChanged = true;

  private indexSlice(s: KubeObject, add: boolean): void {
    const svc = s.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc) return;
    const key = `${s.metadata.namespace}/${svc}`;
    let set = this.slicesBySvc.get(key);
    if (!set) {
      set = new Set();
      this.slicesBySvc.set(key, set);
    }
    if (add) set.add(s.metadata.name);
    else set.delete(s.metadata.name);
    this.pending.add(key);
  }

  // ---- nodes --------------------------------------------------------------------------

  private computeNodes(): NodeInfo[] {
    const out: NodeInfo[] = [];
    const seen = new Set<string>();
    const base = this.sim.settings.podCIDR.split('/')[0].split('.').map(Number);
    const add = (name: string, ip: string, podCIDR?: string) => {
      if (seen.has(name) || !ip) return;
      seen.add(name);
      const index = out.length;
      out.push({ name, ip, podCIDR: podCIDR ?? `${base[0]}.${base[1]}.${index}.0/24`, index });
    };
    for (const n of this.sim.settings.nodes) {
      const obj = this.sim.store.get('Node', undefined, n.name);
      add(n.name, n.ip, obj?.spec?.podCIDR ?? n.podCIDR);
    }
    for (const n of this.sim.store.list('Node')) {
      const ip = (n.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address;
      add(n.metadata.name, ip, n.spec?.podCIDR);
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

  private localCache = new Map<string, Set<number>>();

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
      for (const link of nodeInterfaces(this.sim, node)) {
        if (link.name === 'kube-ipvs0') continue;
        for (const a of link.addrs) if (a.family === 'inet') { const n = parseIPv4(a.local); if (n !== undefined) set.add(n); }
      }
    } catch {
      // the CNI room has not wired this node (yet): its primary address is all we know
    }
    this.localCache.set(node, set);
    return set;
  }

  /** addrtype LOCAL: loopback, the node's own addresses, and in IPVS mode the VIPs on kube-ipvs0. */
  isLocal(node: string, ip: number): boolean {
    if (ip >>> 24 === 127) return true;
    if (this.nodeAddresses(node).has(ip)) return true;
    if (this.mode === 'ipvs' && this.ipvs.isVip(formatIPv4(ip))) return true;
    return false;
  }

  /** A fresh node: the tables kubelet, the CNI plugin and kube-proxy's first sync create. */
  private setupNode(info: NodeInfo): NodeNetfilter {
    const nf = new NodeNetfilter(info.name);
    // kubelet (pkg/kubelet/kubelet_network_linux.go): the hint and canary chains, KUBE-FIREWALL.
    nf.table('mangle').set('KUBE-IPTABLES-HINT', { name: 'KUBE-IPTABLES-HINT', rules: [] });
    for (const t of ['mangle', 'nat', 'filter'] as TableName[]) nf.table(t).set('KUBE-KUBELET-CANARY', { name: 'KUBE-KUBELET-CANARY', rules: [] });
    nf.table('filter').set(KUBE_FIREWALL, this.constants.filter.find((c) => c.name === KUBE_FIREWALL)!);
    for (const c of ['INPUT', 'OUTPUT']) nf.table('filter').get(c)!.rules.unshift(jumpRule('', [], KUBE_FIREWALL));
    // kube-proxy's canary chains (ipt.Monitor).
    for (const t of ['mangle', 'nat', 'filter'] as TableName[]) nf.table(t).set(KUBE_PROXY_CANARY, { name: KUBE_PROXY_CANARY, rules: [] });
    this.nodes.set(info.name, nf);
    this.conntrack.set(info.name, this.conntrack.get(info.name) ?? new ConntrackTable());
    return nf;
  }

  private addCniChains(nf: NodeNetfilter, info: NodeInfo): void {
    cniChains(this.sim, nf, info);
    calicoWorkloadChains(this.sim, nf, info.name);
  }

  // ---- sync ---------------------------------------------------------------------------

  /** syncProxyRules: a partial sync for pending Services, or a full one. */
  sync(): void {
    const full = this.needFull;
    this.stats.syncs++;
    if (full) this.stats.fullSyncs++;
    const newNodes = this.computeNodes();
    const nodesChanged = newNodes.length !== this.nodeInfo.length || newNodes.some((n, i) => n.name !== this.nodeInfo[i]?.name || n.ip !== this.nodeInfo[i]?.ip);
    this.nodeInfo = newNodes;
    if (nodesChanged) this.localCache.clear();
    for (const name of [...this.nodes.keys()]) if (!newNodes.some((n) => n.name === name)) this.nodes.delete(name);
    const changed = [...this.pending];
    this.pending.clear();
    if (nodesChanged || full) {
      // Node-dependent rules must be regenerated for the new node list.
      for (const [k, g] of this.gens) if (g.perNode && !changed.includes(k)) changed.push(k);
    }
    this.stats.lastChanged = changed.length;
    const oldChains = new Map<string, Set<string>>();
    for (const key of changed) {
      const old = this.gens.get(key);
      if (old) oldChains.set(key, this.chainNamesOf(old));
      this.regen(key);
    }
    this.topCache = undefined;
    if (this.nodeDepCount > 0 || full) this.top = undefined;
    else if (this.top) this.updateTop(changed);
    if (this.mode === 'ipvs') {
      this.ipvs.sync(full, changed);
    } else {
      // Only nodes whose tables have been looked at exist as tables; the others are, by
      // construction, exactly what a full sync would write, and get written when first used.
      for (const info of this.nodeInfo) {
        const nf = this.nodes.get(info.name);
        if (nf) this.writeNode(nf, info, full, changed, oldChains);
      }
    }
    // The CNI agents (flanneld, Felix, weave-npc, cilium-agent) resync their own chains too.
    if (full) for (const info of this.nodeInfo) { const nf = this.nodes.get(info.name); if (nf) this.addCniChains(nf, info); }
    if (full) {
      this.needFull = false;
      this.sinceFullMs = 0;
    }
  }

  /** A node's tables as kubelet, the CNI plugin and kube-proxy's first (full) sync leave them. */
  private materialize(info: NodeInfo): NodeNetfilter {
    const nf = this.setupNode(info);
    if (this.mode === 'ipvs') this.ipvs.materialize(info.name);
    else this.writeNode(nf, info, true, [], new Map(), true);
    this.addCniChains(nf, info);
    return nf;
  }

  private chainNamesOf(g: SvcGen): Set<string> {
    const out = new Set<string>();
    const add = (pgs: PortGen[]) => pgs.forEach((pg) => pg.chains.forEach((c) => out.add(c.name)));
    if (g.generic) add(g.generic);
    g.byNode?.forEach(add);
    return out;
  }

  private slicesOf(key: string): KubeObject[] {
    const names = this.slicesBySvc.get(key);
    if (!names || names.size === 0) return [];
    const ns = key.split('/')[0];
    const out: KubeObject[] = [];
    for (const n of names) {
      const s = this.sim.store.get('EndpointSlice', ns, n);
      if (s) out.push(s);
    }
    return out;
  }

  /** Re-derives one Service's ports, endpoints and rules. */
  private regen(key: string): void {
    const old = this.gens.get(key);
    if (old?.perNode) this.nodeDepCount--;
    const [ns, name] = key.split('/');
    const svc = this.sim.store.get('Service', ns, name);
    const ports = svc ? servicePorts(svc) : [];
    if (ports.length === 0) {
      if (old) {
        this.gens.delete(key);
        const i = this.sortedIndex(key);
        if (this.sortedKeys[i] === key) this.sortedKeys.splice(i, 1);
      }
      return;
    }
    const slices = this.slicesOf(key);
    const endpoints = ports.map((p) => endpointsFor(p, slices));
    const perNode = ports.some(nodeDependent);
    const g: SvcGen = { ports, endpoints, perNode };
    if (this.mode === 'iptables') {
      if (perNode) {
        g.byNode = new Map();
        for (const info of this.nodeInfo) g.byNode.set(info.name, ports.map((p, i) => generateServicePort(p, endpoints[i], this.genCtx(info))));
      } else {
        g.generic = ports.map((p, i) => generateServicePort(p, endpoints[i], this.genCtx(undefined)));
      }
    }
    if (perNode) this.nodeDepCount++;
    if (!old) {
      const i = this.sortedIndex(key);
      this.sortedKeys.splice(i, 0, key);
    }
    this.gens.set(key, g);
  }

  private genCtx(info: NodeInfo | undefined) {
    return { node: info?.name ?? '', nodeIP: info?.ip ?? '', clusterCIDR: this.clusterCIDR, localhostNodePorts: true };
  }

  private sortedIndex(key: string): number {
    let lo = 0, hi = this.sortedKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sortedKeys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Service keys in rule order (by namespace/name). */
  serviceKeys(): readonly string[] {
    return this.sortedKeys;
  }

  serviceGen(key: string): { ports: ServicePortInfo[]; endpoints: EndpointInfo[][] } | undefined {
    return this.gens.get(key);
  }

  private portGens(g: SvcGen, node: string): PortGen[] {
    return g.generic ?? g.byNode?.get(node) ?? [];
  }

  private topCache?: { nat: Chain[]; filter: Chain[] };

  /** The top-level chains (KUBE-SERVICES…) for a node; shared by all nodes when no rule is node-specific. */
  /**
   * The rules each Service contributes to the six top-level chains, kept in Service order
   * with the owning Service beside each rule, so that a partial sync replaces just the
   * changed Services' runs (binary search + splice) instead of walking every Service.
   * Only used while no Service has node-specific rules.
   */
  private top?: { lists: Rule[][]; owners: string[][] };

  private static readonly TOP_FIELDS = ['natServices', 'natNodePorts', 'filterServices', 'filterExternal', 'filterFirewall', 'filterNodePorts'] as const;

  private contribution(key: string, node: string): Rule[][] {
    const out: Rule[][] = KubeProxy.TOP_FIELDS.map(() => []);
    const g = this.gens.get(key);
    if (!g) return out;
    for (const pg of this.portGens(g, node)) KubeProxy.TOP_FIELDS.forEach((f, i) => { for (const r of pg[f]) out[i].push(r); });
    return out;
  }

  private buildTop(node: string): { lists: Rule[][]; owners: string[][] } {
    const lists: Rule[][] = KubeProxy.TOP_FIELDS.map(() => []);
    const owners: string[][] = KubeProxy.TOP_FIELDS.map(() => []);
    for (const key of this.sortedKeys) {
      const c = this.contribution(key, node);
      c.forEach((rules, i) => { for (const r of rules) { lists[i].push(r); owners[i].push(key); } });
    }
    return { lists, owners };
  }

  /** Partial sync of the shared top-level lists: replace the changed Services' runs. */
  private updateTop(changed: string[]): void {
    const top = this.top!;
    for (const key of changed) {
      const c = this.contribution(key, '');
      for (let i = 0; i < c.length; i++) {
        const owners = top.owners[i];
        let lo = 0, hi = owners.length;
        while (lo < hi) { const m = (lo + hi) >> 1; if (owners[m] < key) lo = m + 1; else hi = m; }
        let end = lo;
        while (end < owners.length && owners[end] === key) end++;
        top.lists[i].splice(lo, end - lo, ...c[i]);
        owners.splice(lo, end - lo, ...c[i].map(() => key));
      }
    }
  }

  /** The top-level chains (KUBE-SERVICES…) for a node; shared by all nodes when no rule is node-specific. */
  private topLevel(node: string, reuse: boolean): { nat: Chain[]; filter: Chain[] } {
    if (reuse && this.topCache) return this.topCache;
    let t: { lists: Rule[][]; owners: string[][] };
    if (reuse) {
      if (!this.top) this.top = this.buildTop('');
      t = this.top;
    } else t = this.buildTop(node);
    const [ns, np, fs, fe, ff, fn] = t.lists;
    const natServices: Chain = { name: KUBE_SERVICES, rules: [...ns, this.tailRule] };
    const out = {
      nat: [natServices, { name: KUBE_NODEPORTS, rules: np.slice() }, ...this.constants.nat],
      filter: [
        { name: KUBE_SERVICES, rules: fs.slice() }, { name: KUBE_EXTERNAL_SERVICES, rules: fe.slice() },
        { name: KUBE_PROXY_FIREWALL, rules: ff.slice() }, { name: KUBE_NODEPORTS, rules: fn.slice() }, ...this.constants.filter,
      ],
    };
    if (reuse) this.topCache = out;
    return out;
  }

  private tailRule = nodePortsTailRule();

  private writeNode(nf: NodeNetfilter, info: NodeInfo, full: boolean, changed: string[], oldChains: Map<string, Set<string>>, fresh = false): void {
    const shared = this.nodeDepCount === 0;
    const top = this.topLevel(info.name, shared);
    for (const c of top.nat) nf.writeChain('nat', c);
    for (const c of top.filter) nf.writeChain('filter', c);
    const active = new Set<string>();
    const keys = full ? this.sortedKeys : changed;
    for (const key of keys) {
      const g = this.gens.get(key);
      if (!g) continue;
      for (const pg of this.portGens(g, info.name)) {
        for (const c of pg.chains) {
          nf.writeChain('nat', c);
          active.add(c.name);
        }
      }
    }
    if (full) {
      // Full sync: flush and delete every service chain that is not active any more,
      // and make sure the jumps from the built-in chains are there.
      const nat = nf.table('nat');
      if (!fresh) for (const name of [...nat.keys()]) if (isServiceChainName(name) && !active.has(name)) nat.delete(name);
      for (const [table, dst, src, comment, extra] of JUMP_CHAINS) {
        const tab = nf.table(table);
        if (!tab.has(dst)) tab.set(dst, { name: dst, rules: [] });
        const rule = jumpRule(comment, extra, dst);
        const chain = tab.get(src)!;
        const body = saveRuleBody(rule);
        if (!chain.rules.some((r) => saveRuleBody(r) === body)) {
          const own = nf.own(table, src)!;
          own.rules.unshift(rule);
        }
      }
    } else {
      for (const [, names] of oldChains) for (const n of names) if (!active.has(n)) nf.deleteChain('nat', n);
    }
  }

  // ---- snapshot ------------------------------------------------------------------------

  snapshot(): KubeProxySnapshot {
    this.ensureSynced();
    const nodes: Record<string, NodeSnapshot> = {};
    for (const [name, nf] of this.nodes) {
      const dirty: NodeSnapshot['dirty'] = [];
      for (const key of nf.dirty) {
        const [table, chain] = key.split(' ') as [TableName, string];
        const c = nf.chain(table, chain);
        if (c) dirty.push({ table, chain, policy: c.policy, rules: c.rules.map((r) => saveRuleBody(r)) });
      }
      const counters: NodeSnapshot['counters'] = [];
      if (nf.counters.size > 0) {
        for (const t of nf.tableNames()) {
          for (const c of nf.tables.get(t)!.values()) {
            c.rules.forEach((r, i) => {
              const n = nf.counters.get(r);
              if (n) counters.push([t, c.name, i, n[0], n[1]]);
            });
          }
        }
      }
      nodes[name] = {
        dirty,
        removed: [...nf.removed],
        counters,
        policy: [...nf.policyCounters].map(([k, v]) => [k, v[0], v[1]]),
        recent: [...nf.recent].map(([n, m]) => [n, [...m].map(([ip, hits]) => [ip, [...hits]] as [string, number[]])]),
        conntrack: this.conntrack.get(name)?.entries.map((e) => ({ ...e })) ?? [],
      };
    }
    return { sinceFullMs: this.sinceFullMs, nodes, ipvs: this.ipvs.snapshot() };
  }

  restore(data: unknown): void {
    if (data && typeof data === 'object') this.restoreData = data as KubeProxySnapshot;
  }

  private applySnapshot(s: KubeProxySnapshot): void {
    this.sinceFullMs = s.sinceFullMs ?? 0;
    for (const [name, ns] of Object.entries(s.nodes ?? {})) {
      const nf = this.node(name);
      if (!nf) continue;
      for (const key of ns.removed) {
        const [t, c] = key.split(' ') as [TableName, string];
        nf.deleteChain(t, c);
        nf.removed.add(key);
      }
      for (const d of ns.dirty) {
        const tab = nf.table(d.table);
        tab.set(d.chain, { name: d.chain, policy: d.policy, rules: d.rules.map((r) => parseRuleSpec(splitSaved(r))) });
        nf.own(d.table, d.chain);
        nf.markDirty(d.table, d.chain);
      }
      for (const [t, c, i, p, b] of ns.counters) {
        const r = nf.chain(t, c)?.rules[i];
        if (r) nf.counters.set(r, [p, b]);
      }
      for (const [k, p, b] of ns.policy) nf.policyCounters.set(k, [p, b]);
      nf.recent = new Map(ns.recent.map(([n, m]) => [n, new Map(m)]));
      const ct = this.conntrack.get(name) ?? new ConntrackTable();
      ct.entries = ns.conntrack.map((e) => ({ ...e }));
      this.conntrack.set(name, ct);
    }
    if (s.ipvs) this.ipvs.restore(s.ipvs);
  }

  // ---- packets ------------------------------------------------------------------------

  env(node: string, nf: NodeNetfilter): ExecEnv {
    return {
      nf,
      isLocal: (ip) => this.isLocal(node, ip),
      random: () => this.sim.rng.next(),
      now: this.sim.clock.now(),
      ipset: (name, pkt, flags) => this.ipvs.ipsetMatch(node, name, pkt, flags),
    };
  }

  translate(node: string, pkt: Packet, origin: PacketOrigin): NatDecision {
    this.ensureSynced();
    const hops: TraceHop[] = [];
    const nf = this.node(node);
    const via = this.mode;
    if (!nf) return { packet: { ...pkt }, masquerade: false, verdict: 'ACCEPT', via, hops };
    const src = parseIPv4(pkt.src) ?? 0;
    const dst = parseIPv4(pkt.dst) ?? 0;
    const st: PacketState = {
      src, dst, sport: pkt.sport, dport: pkt.dport, proto: pkt.proto, mark: 0, ctstate: new Set(['NEW']), bytes: 60,
      // A pod's packet arrives on its host-side veth, whose name the CNI room owns: left unset,
      // so interface-specific CNI rules (Calico's per-workload dispatch) do not claim it.
      inIface: origin === 'external' ? 'eth0' : origin === 'pod' ? undefined : 'lo',
    };
    const env = this.env(node, nf);
    let masquerade = false;
    let dnatTo: { ip: string; port: number } | undefined;
    const done = (verdict: NatDecision['verdict'], rejectWith?: string): NatDecision => {
      const packet: Packet = { ...pkt, dst: dnatTo?.ip ?? pkt.dst, dport: dnatTo?.port ?? pkt.dport };
      const d: NatDecision = { packet, masquerade, verdict, via, hops };
      if (dnatTo) d.dnatTo = dnatTo;
      if (rejectWith) d.rejectWith = rejectWith;
      return d;
    };
    // nat PREROUTING (from a pod or the wire) or nat OUTPUT (from the host itself).
    const r1 = traverse(env, 'nat', origin === 'host' ? 'OUTPUT' : 'PREROUTING', st, hops);
    if (r1.verdict !== 'ACCEPT') return done(r1.verdict, r1.rejectWith);
    if (r1.dnat) dnatTo = r1.dnat;
    let local = this.isLocal(node, st.dst);
    if (this.mode === 'ipvs' && !dnatTo) {
      // IPVS: the VIP is local (kube-ipvs0); filter INPUT runs, then IPVS picks a real server at LOCAL_IN.
      if (local) {
        const rin = traverse(env, 'filter', origin === 'host' ? 'OUTPUT' : 'INPUT', st, hops);
        if (rin.verdict !== 'ACCEPT') return done(rin.verdict, rin.rejectWith);
      }
      const pick = this.ipvs.schedule(node, st, formatIPv4(st.src), hops);
      if (pick === 'no-destination') {
        hops.push({ where: `${node} ipvs`, what: `virtual service ${pkt.dst}:${pkt.dport} has no real servers`, verdict: 'reject' });
        return done('REJECT', 'tcp-reset');
      }
      if (pick) {
        dnatTo = pick;
        st.dst = parseIPv4(pick.ip)!;
        st.dport = pick.port;
        st.ctstate.add('DNAT');
        local = this.isLocal(node, st.dst);
        if (!local) {
          const rpost = traverse(env, 'nat', 'POSTROUTING', st, hops);
          if (rpost.masquerade) masquerade = true;
        }
        this.recordTranslated(node, pkt, dnatTo, masquerade);
        return done('ACCEPT');
      }
    }
    const filterChain = origin === 'host' ? 'OUTPUT' : local ? 'INPUT' : 'FORWARD';
    const r2 = traverse(env, 'filter', filterChain, st, hops);
    if (r2.verdict !== 'ACCEPT') return done(r2.verdict, r2.rejectWith);
    if (!local || origin === 'host') {
      const r3 = traverse(env, 'nat', 'POSTROUTING', st, hops);
      if (r3.masquerade) masquerade = true;
    }
    this.recordTranslated(node, pkt, dnatTo, masquerade);
    return done('ACCEPT');
  }

  private recordTranslated(node: string, pkt: Packet, dnat: { ip: string; port: number } | undefined, masq: boolean): void {
    const tcp = pkt.proto === 'tcp';
    if (pkt.proto !== 'tcp' && pkt.proto !== 'udp' && pkt.proto !== 'icmp') return;
    const entry: ConntrackEntry = {
      proto: pkt.proto,
      src: pkt.src,
      dst: pkt.dst,
      sport: pkt.sport,
      dport: pkt.dport,
      replySrc: dnat?.ip ?? pkt.dst,
      replyDst: masq ? this.nodeIP(node) ?? pkt.src : pkt.src,
      replySport: dnat?.port ?? pkt.dport,
      replyDport: pkt.sport,
      state: tcp ? 'TIME_WAIT' : undefined,
      timeout: tcp ? CT_TIMEOUTS.tcpTimeWait : pkt.proto === 'udp' ? CT_TIMEOUTS.udp : CT_TIMEOUTS.icmp,
      assured: tcp,
      mark: 0,
    };
    this.recordConnection(node, entry);
  }

  recordConnection(node: string, entry: ConntrackEntry): void {
    let ct = this.conntrack.get(node);
    if (!ct) {
      ct = new ConntrackTable();
      this.conntrack.set(node, ct);
    }
    ct.add(entry, this.sim.clock.now());
  }
}

/** Splits a saved rule body back into argv (handles iptables-save's double quotes). */
export function splitSaved(body: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < body.length) {
    while (body[i] === ' ') i++;
    if (i >= body.length) break;
    if (body[i] === '"') {
      let s = '';
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\' && i + 1 < body.length) i++;
        s += body[i++];
      }
      i++;
      out.push(s);
    } else {
      let s = '';
      while (i < body.length && body[i] !== ' ') s += body[i++];
      out.push(s);
    }
  }
  return out;
}

export function createKubeProxyModules(sim: Simulation): SimModule[] {
  return [new KubeProxy(sim)];
}

/** The kube-proxy module of a simulation. */
export function kubeProxyOf(sim: Simulation): KubeProxy {
  return sim.module<KubeProxy>('kube-proxy');
}

/**
 * What a node's netfilter (and, in IPVS mode, IPVS) does to a packet entering it from a
 * local pod, from the host itself, or from the wire. Executes the node's current rules.
 */
export function translate(sim: Simulation, node: string, pkt: Packet, origin: PacketOrigin): NatDecision {
  return kubeProxyOf(sim).translate(node, pkt, origin);
}

/** Adds (or refreshes) a conntrack entry on a node. */
export function recordConnection(sim: Simulation, node: string, entry: ConntrackEntry): void {
  kubeProxyOf(sim).recordConnection(node, entry);
}
