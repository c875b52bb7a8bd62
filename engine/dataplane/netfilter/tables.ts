/**
 * One node's netfilter state: its tables, their chains and rules, per-rule counters and
 * the `recent` lists. Chains written by kube-proxy are shared, read-only, between nodes
 * whose rules are identical; a manual edit (`iptables -D/-I/-A/-F…`) copies the chain into
 * this node first, so editing one node never touches another (copy-on-write).
 */
import { BUILTIN_CHAINS, TABLE_ORDER, type Rule, type TableName } from './rule';

export interface Chain {
  name: string;
  /** Built-in chains have a policy; user chains do not. */
  policy?: 'ACCEPT' | 'DROP';
  rules: Rule[];
}

export type Table = Map<string, Chain>;

export class NodeNetfilter {
  readonly tables = new Map<TableName, Table>();
  /** Per-node counters: rules may be shared between nodes, counters never are. */
  counters = new Map<Rule, [number, number]>();
  policyCounters = new Map<string, [number, number]>();
  /** Chains this node owns a private copy of (safe to mutate in place). */
  private owned = new WeakSet<Chain>();
  /** `table chain` keys changed by hand since kube-proxy last wrote them. */
  readonly dirty = new Set<string>();
  /** `table chain` keys deleted by hand (-X) that a later sync may bring back. */
  readonly removed = new Set<string>();
  /** xt_recent lists: name → source address → last-seen times (ms, virtual clock). */
  recent = new Map<string, Map<string, number[]>>();

  constructor(readonly node: string) {}

  hasTable(t: TableName): boolean {
    return this.tables.has(t);
  }

  /** The table, created with its built-in chains (policy ACCEPT) if it did not exist. */
  table(t: TableName): Table {
    let tab = this.tables.get(t);
    if (!tab) {
      tab = new Map();
      for (const c of BUILTIN_CHAINS[t]) {
        const chain: Chain = { name: c, policy: 'ACCEPT', rules: [] };
        tab.set(c, chain);
        this.owned.add(chain);
      }
      this.tables.set(t, tab);
    }
    return tab;
  }

  chain(t: TableName, name: string): Chain | undefined {
    return this.tables.get(t)?.get(name);
  }

  /** kube-proxy (or the CNI, or kubelet) writes a whole chain, as iptables-restore does. */
  writeChain(t: TableName, chain: Chain): void {
    const tab = this.table(t);
    tab.set(chain.name, chain);
    if (this.dirty.size) this.dirty.delete(`${t} ${chain.name}`);
    if (this.removed.size) this.removed.delete(`${t} ${chain.name}`);
  }

  deleteChain(t: TableName, name: string): void {
    this.tables.get(t)?.delete(name);
  }

  /** A private, mutable copy of a chain for a manual edit. */
  own(t: TableName, name: string): Chain | undefined {
    const tab = this.tables.get(t);
    const c = tab?.get(name);
    if (!tab || !c) return undefined;
    if (this.owned.has(c)) return c;
    const copy: Chain = { name: c.name, policy: c.policy, rules: [...c.rules] };
    tab.set(name, copy);
    this.owned.add(copy);
    return copy;
  }

  /** True for chains this node has its own copy of (edited by hand, or built-in). */
  isOwned(c: Chain): boolean {
    return this.owned.has(c);
  }

  markDirty(t: TableName, name: string): void {
    this.dirty.add(`${t} ${name}`);
  }

  /** Tables that exist, in iptables-nft-save's order. */
  tableNames(): TableName[] {
    return TABLE_ORDER.filter((t) => this.tables.has(t));
  }

  /** Built-in chains first (in the kernel's hook order), then user chains sorted by name. */
  chainNames(t: TableName): string[] {
    const tab = this.tables.get(t);
    if (!tab) return [];
    const builtins = BUILTIN_CHAINS[t].filter((c) => tab.has(c));
    const users = [...tab.keys()].filter((c) => !BUILTIN_CHAINS[t].includes(c)).sort();
    return [...builtins, ...users];
  }

  /** How many rules in the table jump (or go) to each chain. */
  references(t: TableName): Map<string, number> {
    const refs = new Map<string, number>();
    const tab = this.tables.get(t);
    if (!tab) return refs;
    for (const c of tab.values()) {
      for (const r of c.rules) {
        if (r.target?.kind === 'jump') refs.set(r.target.chain, (refs.get(r.target.chain) ?? 0) + 1);
      }
    }
    return refs;
  }

  countersOf(rule: Rule): [number, number] {
    return this.counters.get(rule) ?? [0, 0];
  }

  bump(rule: Rule, bytes: number): void {
    const c = this.counters.get(rule);
    if (c) {
      c[0]++;
      c[1] += bytes;
    } else this.counters.set(rule, [1, bytes]);
  }

  bumpPolicy(t: TableName, chain: string, bytes: number): void {
    const key = `${t} ${chain}`;
    const c = this.policyCounters.get(key);
    if (c) {
      c[0]++;
      c[1] += bytes;
    } else this.policyCounters.set(key, [1, bytes]);
  }

  policyCountersOf(t: TableName, chain: string): [number, number] {
    return this.policyCounters.get(`${t} ${chain}`) ?? [0, 0];
  }

  zero(t: TableName, chain?: string): void {
    const tab = this.tables.get(t);
    if (!tab) return;
    for (const c of tab.values()) {
      if (chain && c.name !== chain) continue;
      for (const r of c.rules) this.counters.delete(r);
      this.policyCounters.delete(`${t} ${c.name}`);
    }
  }
}
