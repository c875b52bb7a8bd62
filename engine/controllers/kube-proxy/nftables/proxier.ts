/**
 * kube-proxy's nftables mode (pkg/proxy/nftables/proxier.go, v1.34): one `ip kube-proxy`
 * table per node (and the `ip6 kube-proxy` table of the dual-stack proxier, with no IPv6
 * Services in an IPv4 cluster). A full sync re-runs setupNFTables, flushes the maps and
 * writes every Service; a partial sync rewrites the chains of the Services that changed
 * and adds or deletes only the elements whose key or value changed (nftElementStorage),
 * so a rule or element deleted by hand stays gone until a full sync or a change to its
 * Service. Chains nothing uses any more are flushed, and deleted by the first sync that
 * starts more than a second later (staleChains); unused affinity sets go at once.
 * Rules are generated once per Service (./rules.ts) and shared by every node whose rules
 * are identical; each node replays them (./tx.ts) to number handles as its kernel would.
 */
import type { NatDecision, Packet, PacketOrigin } from '../../../dataplane/packet';
import type { NodeNetfilter } from '../../../dataplane/netfilter/tables';
import { NftRuleset, elementKey, type NftTable } from '../../../dataplane/nftables/ruleset';
import { verdictText } from '../../../dataplane/nftables/rule';
import type { Cluster } from '../../../cluster/cluster';
import type { ServiceViews } from '../changetracker';
import type { NodeInfo, Proxier, ProxierDeps, ProxierHost, SyncRequest } from '../proxier';
import { KUBE_PROXY_TABLE, isAffinitySetName, isServiceChainName } from './naming';
import { generatePort, type ElementSpec, type NftGenContext, type PortContribution } from './rules';
import { STORED_CONTAINERS, setupTx } from './setup';
import { apply } from './tx';
import { walkNftNode } from './walk';
import type { SourceWorkload } from '../walk';
import { restoreNftNode, snapshotNftNode, type NftNodeSnapshot } from './snapshot';

/** Table handles are per network namespace, in creation order: iptables-nft's six tables (kubelet) come first. */
export const KUBE_PROXY_TABLE_HANDLES = { ip: 7, ip6: 8 } as const;

/** What a node's kube-proxy keeps between syncs. */
export interface NftNodeState {
  rs: NftRuleset;
  v4: NftTable;
  v6: NftTable;
  /** A first full sync has run (setupNFTables re-creates the base chains only then). */
  started: boolean;
  /** nftElementStorage: per container, element key → value, as kube-proxy believes the kernel has them. */
  storage: Map<string, Map<string, string>>;
  /** How many of this node's Service ports use each element (`set key`). */
  elementRefs: Map<string, number>;
  /** What each Service contributed to this node at its last write. */
  bySvc: Map<string, PortContribution[]>;
  /** How many Service ports use each chain / affinity set (activeChains, activeAffinitySets). */
  chainRefs: Map<string, number>;
  setRefs: Map<string, number>;
  /** staleChains: chain → virtual time it was last found unused. */
  stale: Map<string, number>;
}

interface SvcGen {
  generic?: PortContribution[];
  byNode?: Map<string, PortContribution[]>;
}

export class NftablesProxier implements Proxier {
  readonly mode = 'nftables' as const;
  readonly iptablesCanary = false;
  readonly nodes = new Map<string, NftNodeState>();
  private readonly cluster: Cluster;
  private readonly services: ServiceViews;
  private readonly host: ProxierHost;
  private gens = new Map<string, SvcGen>();

  constructor(deps: ProxierDeps) {
    this.cluster = deps.cluster;
    this.services = deps.services;
    this.host = deps.host;
  }

  /** The node's nftables tables (kube-proxy's), once its tables have been looked at. */
  ruleset(node: string): NftRuleset | undefined {
    return this.nodes.get(node)?.rs;
  }

  syncProxyRules({ full, changed }: SyncRequest): void {
    for (const key of changed) this.generate(key);
    for (const name of [...this.nodes.keys()]) if (!this.host.nodeInfo.some((n) => n.name === name)) this.nodes.delete(name);
    for (const info of this.host.nodeInfo) {
      const s = this.nodes.get(info.name);
      if (!s || !this.host.nodes.has(info.name)) continue;
      if (full) this.fullSync(s, info);
      else this.partialSync(s, info, changed);
    }
  }

  materializeNode(_nf: NodeNetfilter, info: NodeInfo): void {
    const rs = new NftRuleset(info.name);
    const s: NftNodeState = {
      rs,
      v4: rs.addTable('ip', KUBE_PROXY_TABLE, KUBE_PROXY_TABLE_HANDLES.ip, 'rules for kube-proxy'),
      v6: rs.addTable('ip6', KUBE_PROXY_TABLE, KUBE_PROXY_TABLE_HANDLES.ip6, 'rules for kube-proxy'),
      started: false,
      storage: new Map(STORED_CONTAINERS.map((c) => [c, new Map()])),
      elementRefs: new Map(),
      bySvc: new Map(),
      chainRefs: new Map(),
      setRefs: new Map(),
      stale: new Map(),
    };
    this.nodes.set(info.name, s);
    this.fullSync(s, info);
  }

  translate(node: string, nf: NodeNetfilter, pkt: Packet, origin: PacketOrigin, wl?: SourceWorkload): NatDecision {
    const s = this.nodes.get(node);
    if (!s) return { packet: { ...pkt }, masquerade: false, verdict: 'ACCEPT', via: this.mode, hops: [] };
    return walkNftNode(this.host, node, nf, s.rs, pkt, origin, wl);
  }

  /** Affinity elements time out (the kernel's set GC). */
  tick(now: number): void {
    for (const s of this.nodes.values()) {
      for (const set of s.v4.sets.values()) {
        if (!set.flags.includes('dynamic')) continue;
        for (const [k, e] of set.elements) if (e.expires !== undefined && e.expires <= now) set.elements.delete(k);
      }
    }
  }

  snapshot(): unknown {
    const nodes: Record<string, NftNodeSnapshot> = {};
    for (const [name, s] of this.nodes) nodes[name] = snapshotNftNode(s);
    return { nodes };
  }

  restore(data: unknown): void {
    const d = data as { nodes?: Record<string, NftNodeSnapshot> } | undefined;
    for (const [name, ns] of Object.entries(d?.nodes ?? {})) {
      const s = this.nodes.get(name);
      if (s) restoreNftNode(s, ns);
    }
  }

  // ---- generation ---------------------------------------------------------------------

  private genCtx(info: NodeInfo | undefined): NftGenContext {
    return { family: 'ip', node: info?.name ?? '', nodeLabels: info?.labels, nodeIP: info?.ip ?? '', clusterCIDR: this.cluster.settings.podCIDR };
  }

  /** Re-derives one Service's contributions from its view. */
  private generate(key: string): void {
    const view = this.services.view(key);
    if (!view) {
      this.gens.delete(key);
      return;
    }
    const g: SvcGen = {};
    if (view.perNode) {
      g.byNode = new Map();
      for (const info of this.host.nodeInfo) g.byNode.set(info.name, view.ports.map((p, i) => generatePort(p, view.endpoints[i], this.genCtx(info))));
    } else {
      g.generic = view.ports.map((p, i) => generatePort(p, view.endpoints[i], this.genCtx(undefined)));
    }
    this.gens.set(key, g);
  }

  private contributions(key: string, node: string): PortContribution[] | undefined {
    const g = this.gens.get(key);
    return g?.generic ?? g?.byNode?.get(node);
  }

  // ---- writing a node -------------------------------------------------------------------

  /** The start of every sync: chains stale for more than a second are deleted. */
  private deleteStale(s: NftNodeState, now: number): void {
    for (const [chain, since] of s.stale) {
      if (since < now - 1000) {
        s.v4.deleteChain(chain);
        s.stale.delete(chain);
      }
    }
  }

  private fullSync(s: NftNodeState, info: NodeInfo): void {
    const now = this.cluster.clock.now();
    this.deleteStale(s, now);
    apply(s.v4, setupTx({ family: 'ip', nodePortIPs: [info.ip], serviceCIDRs: [this.cluster.settings.serviceCIDR], first: !s.started }).ops);
    for (const m of s.storage.values()) m.clear();
    s.elementRefs.clear();
    s.chainRefs.clear();
    s.setRefs.clear();
    s.bySvc.clear();
    for (const key of this.services.serviceKeys()) {
      const pcs = this.contributions(key, info.name);
      if (pcs) this.add(s, key, pcs);
    }
    this.finish(s, now, true);
    apply(s.v6, setupTx({ family: 'ip6', nodePortIPs: [], serviceCIDRs: [], first: !s.started }).ops);
    s.started = true;
  }

  private partialSync(s: NftNodeState, info: NodeInfo, changed: readonly string[]): void {
    const now = this.cluster.clock.now();
    this.deleteStale(s, now);
    for (const key of changed) {
      const old = s.bySvc.get(key);
      const pcs = this.contributions(key, info.name);
      if (pcs) this.add(s, key, pcs);
      else s.bySvc.delete(key);
      if (old) this.remove(s, old);
    }
    this.finish(s, now, false);
  }

  /** Writes a Service's chains and sets, and ensures its elements. */
  private add(s: NftNodeState, key: string, pcs: PortContribution[]): void {
    for (const pc of pcs) {
      apply(s.v4, pc.ops);
      for (const c of pc.chains) {
        s.chainRefs.set(c, (s.chainRefs.get(c) ?? 0) + 1);
        s.stale.delete(c);
      }
      for (const a of pc.affinitySets) s.setRefs.set(a, (s.setRefs.get(a) ?? 0) + 1);
      for (const e of pc.elements) {
        const rk = `${e.set} ${elementKey(e.key)}`;
        s.elementRefs.set(rk, (s.elementRefs.get(rk) ?? 0) + 1);
        this.ensureElem(s, e);
      }
    }
    s.bySvc.set(key, pcs);
  }

  /** Drops what a Service contributed before; what no other Service uses goes (leftover keys, stale chains, unused sets). */
  private remove(s: NftNodeState, old: PortContribution[]): void {
    for (const pc of old) {
      for (const c of pc.chains) {
        const n = (s.chainRefs.get(c) ?? 1) - 1;
        if (n > 0) s.chainRefs.set(c, n);
        else {
          s.chainRefs.delete(c);
          if (s.v4.chains.has(c)) {
            s.v4.flushChain(c);
            s.stale.set(c, 0);
          }
        }
      }
      for (const a of pc.affinitySets) {
        const n = (s.setRefs.get(a) ?? 1) - 1;
        if (n > 0) s.setRefs.set(a, n);
        else {
          s.setRefs.delete(a);
          s.v4.deleteSet(a);
        }
      }
      for (const e of pc.elements) {
        const k = elementKey(e.key);
        const rk = `${e.set} ${k}`;
        const n = (s.elementRefs.get(rk) ?? 1) - 1;
        if (n > 0) {
          s.elementRefs.set(rk, n);
          continue;
        }
        s.elementRefs.delete(rk);
        const stored = s.storage.get(e.set);
        if (stored?.has(k)) {
          stored.delete(k);
          s.v4.deleteElement(e.set, k);
        }
      }
    }
  }

  /** ensureElem: added if kube-proxy does not know it, re-added if its value changed. */
  private ensureElem(s: NftNodeState, e: ElementSpec): void {
    const stored = s.storage.get(e.set)!;
    const k = elementKey(e.key);
    const value = e.value ? verdictText(e.value) : '';
    const have = stored.get(k);
    if (have === value) return;
    if (have !== undefined) s.v4.deleteElement(e.set, k);
    stored.set(k, value);
    const el: { key: string[]; value?: typeof e.value; comment?: string } = { key: e.key };
    if (e.value) el.value = e.value;
    if (e.comment !== undefined) el.comment = e.comment;
    s.v4.addElement(e.set, el);
  }

  /**
   * The end of a sync: every unused service chain is flushed and (again) marked stale now;
   * unused affinity sets are deleted. A full sync looks at every chain and set, as upstream
   * does on each sync; a partial one needs only the chains already stale, since remove()
   * has found the ones that just became unused.
   */
  private finish(s: NftNodeState, now: number, all: boolean): void {
    if (all) {
      for (const c of s.v4.chains.values()) {
        if (isServiceChainName(c.name) && !s.chainRefs.has(c.name) && !s.stale.has(c.name)) s.stale.set(c.name, now);
      }
      for (const name of [...s.v4.sets.keys()]) if (isAffinitySetName(name) && !s.setRefs.has(name)) s.v4.deleteSet(name);
    }
    for (const chain of s.stale.keys()) {
      const c = s.v4.chains.get(chain);
      if (!c) s.stale.delete(chain);
      else {
        if (c.rules.length) s.v4.flushChain(chain);
        s.stale.set(chain, now);
      }
    }
  }
}
