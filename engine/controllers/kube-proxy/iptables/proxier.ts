/**
 * kube-proxy's iptables mode (pkg/proxy/iptables/proxier.go): each sync rewrites the
 * top-level chains (KUBE-SERVICES, KUBE-NODEPORTS, the filter chains) plus only the
 * per-service chains of the Services that changed (a partial sync); a full sync rewrites
 * everything, deletes stale service chains and puts back the jumps from the built-in
 * chains. Rules are generated once per Service (./rules.ts) and shared, read-only, by
 * every node whose rules are identical.
 */
import type { NatDecision, Packet, PacketOrigin } from '../../../dataplane/packet';
import type { Rule } from '../../../dataplane/netfilter/rule';
import type { Chain, NodeNetfilter } from '../../../dataplane/netfilter/tables';
import { chainSaveLines, saveRuleBody } from '../../../dataplane/netfilter/save-form';
import type { Cluster } from '../../../cluster/cluster';
import type { ServiceView, ServiceViews } from '../changetracker';
import { isServiceChainName } from '../hash';
import type { NodeInfo, Proxier, ProxierDeps, ProxierHost, SyncRequest } from '../proxier';
import { walkNode, type SourceWorkload } from '../walk';
import {
  constantChains, generateServicePort, jumpRule, nodePortsTailRule, JUMP_CHAINS,
  KUBE_SERVICES, KUBE_NODEPORTS, KUBE_EXTERNAL_SERVICES, KUBE_PROXY_FIREWALL,
  type PortGen,
} from './rules';

/** One Service's generated rules: shared by all nodes, or per node when they differ. */
interface SvcRules {
  generic?: PortGen[];
  byNode?: Map<string, PortGen[]>;
}

interface TopLists {
  lists: Rule[][];
  owners: string[][];
}

const TOP_FIELDS = ['natServices', 'natNodePorts', 'filterServices', 'filterExternal', 'filterFirewall', 'filterNodePorts'] as const;

export class IptablesProxier implements Proxier {
  readonly mode = 'iptables' as const;
  readonly iptablesCanary = true;
  private readonly cluster: Cluster;
  private readonly services: ServiceViews;
  private readonly host: ProxierHost;
  private rules = new Map<string, SvcRules>();
  /** Rules generated ahead of the sync that applies their view (prepare). */
  private early = new WeakMap<ServiceView, PortGen[]>();
  private constants = constantChains();
  private tailRule = nodePortsTailRule();
  private topCache?: { nat: Chain[]; filter: Chain[] };
  /**
   * The rules each Service contributes to the six top-level chains, kept in Service order
   * with the owning Service beside each rule, so that a partial sync replaces just the
   * changed Services' runs (binary search + splice) instead of walking every Service.
   * Only used while no Service has node-specific rules.
   */
  private top?: TopLists;

  constructor(deps: ProxierDeps) {
    this.cluster = deps.cluster;
    this.services = deps.services;
    this.host = deps.host;
  }

  syncProxyRules({ full, changed }: SyncRequest): void {
    const oldChains = new Map<string, Set<string>>();
    for (const key of changed) {
      const old = this.rules.get(key);
      if (old) oldChains.set(key, chainNamesOf(old));
      this.generate(key);
    }
    this.topCache = undefined;
    if (this.services.nodeDependentCount > 0 || full) this.top = undefined;
    else if (this.top) this.updateTop(changed);
    // Only nodes whose tables have been looked at exist as tables; the others are, by
    // construction, exactly what a full sync would write, and get written when first used.
    for (const info of this.host.nodeInfo) {
      const nf = this.host.nodes.get(info.name);
      if (nf) this.writeNode(nf, info, full, changed, oldChains);
    }
  }

  materializeNode(nf: NodeNetfilter, info: NodeInfo): void {
    this.writeNode(nf, info, true, [], new Map(), true);
  }

  translate(node: string, nf: NodeNetfilter, pkt: Packet, origin: PacketOrigin, wl?: SourceWorkload): NatDecision {
    return walkNode(this.host, node, nf, pkt, origin, this.mode, undefined, wl);
  }

  prepare(views: readonly ServiceView[]): void {
    for (const v of views) {
      if (v.perNode) continue;
      const gens = this.generic(v);
      // the restore text of the Service's own chains, as kube-proxy writes it while generating
      for (const g of gens) for (const c of g.chains) chainSaveLines(c);
      this.early.set(v, gens);
    }
  }

  private generic(view: ServiceView): PortGen[] {
    return view.ports.map((p, i) => generateServicePort(p, view.endpoints[i], this.genCtx(undefined)));
  }

  tick(): void {
    // Nothing times out in iptables mode beyond conntrack, which the module ages.
  }

  snapshot(): unknown {
    return undefined;
  }

  restore(): void {
    // The node's tables are all the state this mode has (the module snapshots them).
  }

  /** Re-derives one Service's rules from its view. */
  private generate(key: string): void {
    const view = this.services.view(key);
    if (!view) {
      this.rules.delete(key);
      return;
    }
    const { ports, endpoints } = view;
    const r: SvcRules = {};
    if (view.perNode) {
      r.byNode = new Map();
      for (const info of this.host.nodeInfo) r.byNode.set(info.name, ports.map((p, i) => generateServicePort(p, endpoints[i], this.genCtx(info))));
    } else {
      r.generic = this.early.get(view) ?? this.generic(view);
    }
    this.rules.set(key, r);
  }

  private genCtx(info: NodeInfo | undefined) {
    return { node: info?.name ?? '', nodeLabels: info?.labels, nodeIP: info?.ip ?? '', clusterCIDR: this.cluster.settings.podCIDR, localhostNodePorts: true };
  }

  private portGens(r: SvcRules, node: string): PortGen[] {
    return r.generic ?? r.byNode?.get(node) ?? [];
  }

  private contribution(key: string, node: string): Rule[][] {
    const out: Rule[][] = TOP_FIELDS.map(() => []);
    const r = this.rules.get(key);
    if (!r) return out;
    for (const pg of this.portGens(r, node)) TOP_FIELDS.forEach((f, i) => { for (const rule of pg[f]) out[i].push(rule); });
    return out;
  }

  private buildTop(node: string): TopLists {
    const lists: Rule[][] = TOP_FIELDS.map(() => []);
    const owners: string[][] = TOP_FIELDS.map(() => []);
    for (const key of this.services.serviceKeys()) {
      const c = this.contribution(key, node);
      c.forEach((rules, i) => { for (const r of rules) { lists[i].push(r); owners[i].push(key); } });
    }
    return { lists, owners };
  }

  /** Partial sync of the shared top-level lists: replace the changed Services' runs. */
  private updateTop(changed: readonly string[]): void {
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
    let t: TopLists;
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

  private writeNode(nf: NodeNetfilter, info: NodeInfo, full: boolean, changed: readonly string[], oldChains: Map<string, Set<string>>, fresh = false): void {
    const shared = this.services.nodeDependentCount === 0;
    const top = this.topLevel(info.name, shared);
    for (const c of top.nat) nf.writeChain('nat', c);
    for (const c of top.filter) nf.writeChain('filter', c);
    const active = new Set<string>();
    const keys = full ? this.services.serviceKeys() : changed;
    for (const key of keys) {
      const r = this.rules.get(key);
      if (!r) continue;
      for (const pg of this.portGens(r, info.name)) {
        for (const c of pg.chains) {
          nf.writeChain('nat', c);
          // a fresh node has no stale chain to delete
          if (!fresh) active.add(c.name);
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
}

function chainNamesOf(r: SvcRules): Set<string> {
  const out = new Set<string>();
  const add = (pgs: PortGen[]) => pgs.forEach((pg) => pg.chains.forEach((c) => out.add(c.name)));
  if (r.generic) add(r.generic);
  r.byNode?.forEach(add);
  return out;
}
