/**
 * One node's nftables tables, as the kernel keeps them (net/netfilter/nf_tables_api.c):
 * chains and sets in creation order, each chain's rules in order, and one handle counter
 * per table (table->hgenerator) that numbers chains, sets and rules alike — so a rule
 * flushed and added again gets a new handle, and `nft -a` shows what the kernel has now.
 * Rules are shared, read-only, between nodes; handles, elements and hand edits are the
 * node's own.
 */
import type { NftFamily, NftRule, NftVerdict } from './rule';

export type NftHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';

export interface NftBaseChain {
  type: 'filter' | 'nat';
  hook: NftHook;
  /** Numeric priority (dstnat is -100, filter 0, srcnat 100). */
  prio: number;
  policy: 'accept' | 'drop';
}

export interface NftRuleRef {
  handle: number;
  rule: NftRule;
}

export interface NftChain {
  name: string;
  handle: number;
  base?: NftBaseChain;
  comment?: string;
  rules: NftRuleRef[];
}

/** The data types kube-proxy's sets and maps are keyed by. */
export type NftKeyType = 'ipv4_addr' | 'ipv6_addr' | 'inet_proto' | 'inet_service';

export interface NftElement {
  /** One value per key field: `['10.96.0.1', 'tcp', '443']`. */
  key: string[];
  value?: NftVerdict;
  comment?: string;
  /** Dynamic elements: the timeout they were added with and when (virtual ms) they expire. */
  timeout?: number;
  expires?: number;
}

export interface NftSetSpec {
  name: string;
  map: boolean;
  keyType: NftKeyType[];
  /** `dynamic`, `timeout`. */
  flags?: ('dynamic' | 'timeout')[];
  /** Default element timeout, ms. */
  timeout?: number;
  comment?: string;
}

export interface NftSet extends NftSetSpec {
  handle: number;
  flags: ('dynamic' | 'timeout')[];
  elements: Map<string, NftElement>;
}

export const elementKey = (key: string[]): string => key.join(' . ');

export class NftTable {
  readonly chains = new Map<string, NftChain>();
  /** The base chains, in creation order (what a hook looks up for every packet). */
  readonly baseChains = new Map<string, NftChain>();
  readonly sets = new Map<string, NftSet>();
  /** Chains whose rules were changed by hand since the proxier last wrote them. */
  readonly dirtyChains = new Set<string>();
  /** Sets whose elements were changed by hand since the proxier last wrote them. */
  readonly dirtySets = new Set<string>();
  /** table->hgenerator: the last handle given to a chain, set or rule. */
  lastHandle = 0;

  constructor(readonly family: NftFamily, readonly name: string, readonly handle: number, public comment?: string) {}

  private nextHandle(): number {
    return ++this.lastHandle;
  }

  /** `add chain`: creates the chain (a new handle), or leaves an existing one as it is. */
  addChain(name: string, opts: { base?: NftBaseChain; comment?: string } = {}): NftChain {
    let c = this.chains.get(name);
    if (!c) {
      c = { name, handle: this.nextHandle(), rules: [] };
      if (opts.base) c.base = opts.base;
      if (opts.comment !== undefined) c.comment = opts.comment;
      this.chains.set(name, c);
      if (c.base) this.baseChains.set(name, c);
    }
    return c;
  }

  /** `flush chain`: every rule goes; the chain (and its handle) stays. */
  flushChain(name: string): void {
    const c = this.chains.get(name);
    if (c) c.rules = [];
    this.dirtyChains.delete(name);
  }

  /** `add rule`: appended with the next handle. */
  addRule(chain: string, r: NftRule): NftRuleRef {
    const ref = { handle: this.nextHandle(), rule: r };
    this.chains.get(chain)!.rules.push(ref);
    return ref;
  }

  deleteChain(name: string): void {
    this.chains.delete(name);
    this.baseChains.delete(name);
    this.dirtyChains.delete(name);
  }

  /** `add set` / `add map`: created with the next handle, or left as it is. */
  addSet(spec: NftSetSpec): NftSet {
    let s = this.sets.get(spec.name);
    if (!s) {
      s = { ...spec, flags: spec.flags ?? [], handle: this.nextHandle(), elements: new Map() };
      this.sets.set(spec.name, s);
    }
    return s;
  }

  deleteSet(name: string): void {
    this.sets.delete(name);
    this.dirtySets.delete(name);
  }

  /** `flush set` / `flush map`. */
  flushSet(name: string): void {
    this.sets.get(name)?.elements.clear();
    this.dirtySets.delete(name);
  }

  addElement(set: string, e: NftElement): void {
    this.sets.get(set)?.elements.set(elementKey(e.key), e);
  }

  deleteElement(set: string, key: string): void {
    this.sets.get(set)?.elements.delete(key);
  }

  /** How many rules of the table jump or go to each chain (a map's verdicts count too). */
  references(): Map<string, number> {
    const refs = new Map<string, number>();
    const add = (v: NftVerdict | undefined) => {
      if (v && (v.v === 'jump' || v.v === 'goto')) refs.set(v.chain, (refs.get(v.chain) ?? 0) + 1);
    };
    for (const c of this.chains.values()) {
      for (const { rule } of c.rules) {
        for (const s of rule.stmts) {
          if (s.t === 'verdict') add(s.verdict);
          else if (s.t === 'numgen') s.targets.forEach(add);
        }
      }
    }
    for (const s of this.sets.values()) if (s.map) for (const e of s.elements.values()) add(e.value);
    return refs;
  }
}

/**
 * The node's nftables tables that are nftables' own (kube-proxy's `ip kube-proxy` and
 * `ip6 kube-proxy`), in creation order. iptables-nft's tables are the node's
 * NodeNetfilter (dataplane/netfilter); `nft list ruleset` shows both.
 */
export class NftRuleset {
  readonly tables: NftTable[] = [];

  constructor(readonly node: string) {}

  table(family: NftFamily, name: string): NftTable | undefined {
    return this.tables.find((t) => t.family === family && t.name === name);
  }

  /** `add table`: the table keeps its handle (the netns-wide table counter) once created. */
  addTable(family: NftFamily, name: string, handle: number, comment?: string): NftTable {
    let t = this.table(family, name);
    if (!t) {
      t = new NftTable(family, name, handle, comment);
      this.tables.push(t);
    }
    return t;
  }
}
