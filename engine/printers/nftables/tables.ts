/**
 * A node's nftables ruleset as `nft` sees it: the tables iptables-nft manages (kubelet's,
 * the CNI agent's, and in iptables/IPVS mode kube-proxy's KUBE-* chains) next to
 * nftables' own tables (kube-proxy's `ip kube-proxy` / `ip6 kube-proxy` in nftables mode),
 * in the order the kernel created them, each with its handle. iptables-nft creates a
 * built-in chain only when it first gets a rule or a policy, so empty built-in chains
 * are not there; its chains and rules get handles the first time nft looks at them
 * (the engine keeps no kernel handles for iptables rules), numbered per table from then on.
 */
import type { NftTable, NftBaseChain, NftHook } from '../../dataplane/nftables/ruleset';
import type { NftRuleset } from '../../dataplane/nftables/ruleset';
import { ruleText } from '../../dataplane/nftables/text';
import { BUILTIN_CHAINS, type Rule, type TableName } from '../../dataplane/netfilter/rule';
import type { NodeNetfilter } from '../../dataplane/netfilter/tables';
import { iptablesRuleText } from './iptables-nft';
import type { PrintChain, PrintTable } from './ruleset';

/** A table of the node: nftables' own, or one iptables-nft manages. */
export interface TableRef {
  family: 'ip' | 'ip6';
  name: string;
  handle: number;
  nft?: NftTable;
  ipt?: { nf: NodeNetfilter; table: TableName };
}

/** iptables-nft's built-in chains: type, hook and priority (iptables/nft.c xtables_ipv4). */
const BUILTIN_BASE: Record<string, [NftBaseChain['type'] | 'route', NftHook, number]> = {
  'raw PREROUTING': ['filter', 'prerouting', -300], 'raw OUTPUT': ['filter', 'output', -300],
  'mangle PREROUTING': ['filter', 'prerouting', -150], 'mangle INPUT': ['filter', 'input', -150],
  'mangle FORWARD': ['filter', 'forward', -150], 'mangle OUTPUT': ['route', 'output', -150],
  'mangle POSTROUTING': ['filter', 'postrouting', -150],
  'filter INPUT': ['filter', 'input', 0], 'filter FORWARD': ['filter', 'forward', 0], 'filter OUTPUT': ['filter', 'output', 0],
  'nat PREROUTING': ['nat', 'prerouting', -100], 'nat INPUT': ['nat', 'input', 100],
  'nat OUTPUT': ['nat', 'output', -100], 'nat POSTROUTING': ['nat', 'postrouting', 100],
  'security INPUT': ['filter', 'input', 50], 'security FORWARD': ['filter', 'forward', 50], 'security OUTPUT': ['filter', 'output', 50],
};

/** Per node and table: the handles nft has seen, and the built-in chains that exist in the kernel. */
interface Handles {
  last: number;
  chains: Map<string, number>;
  rules: WeakMap<Rule, number>;
  builtins: Set<string>;
}
const registry = new WeakMap<NodeNetfilter, Map<string, Handles>>();

function handlesOf(nf: NodeNetfilter, key: string): Handles {
  let m = registry.get(nf);
  if (!m) registry.set(nf, (m = new Map()));
  let h = m.get(key);
  if (!h) m.set(key, (h = { last: 0, chains: new Map(), rules: new WeakMap(), builtins: new Set() }));
  return h;
}

/** kubelet's table creation order on boot (mangle hint, filter firewall, then the canary in nat), IPv4 then IPv6. */
const BOOT_ORDER: ['ip' | 'ip6', TableName][] = [['ip', 'mangle'], ['ip', 'filter'], ['ip', 'nat'], ['ip6', 'mangle'], ['ip6', 'nat'], ['ip6', 'filter']];

/** The node's tables in creation order; `v6` is the IPv6 iptables state (kubelet's hint and canary chains). */
export function nodeTables(nf: NodeNetfilter, v6: NodeNetfilter, rs: NftRuleset | undefined): TableRef[] {
  const out: TableRef[] = [];
  let handle = 0;
  for (const [family, table] of BOOT_ORDER) {
    const src = family === 'ip' ? nf : v6;
    handle++;
    if (src.hasTable(table)) out.push({ family, name: table, handle, ipt: { nf: src, table } });
  }
  for (const t of rs?.tables ?? []) {
    out.push({ family: t.family, name: t.name, handle: t.handle, nft: t });
    handle = Math.max(handle, t.handle);
  }
  for (const table of nf.tableNames()) {
    if (BOOT_ORDER.some(([f, t]) => f === 'ip' && t === table)) continue;
    out.push({ family: 'ip', name: table, handle: ++handle, ipt: { nf, table } });
  }
  return out;
}

/** The chains of an iptables-nft table that exist in the kernel (user chains; built-ins once given a rule or policy). */
export function iptablesChains(nf: NodeNetfilter, table: TableName, family: string): { name: string; builtin: boolean; rules: Rule[] }[] {
  const h = handlesOf(nf, `${family} ${table}`);
  const out: { name: string; builtin: boolean; rules: Rule[] }[] = [];
  for (const name of nf.chainNames(table)) {
    const c = nf.chain(table, name)!;
    const builtin = BUILTIN_CHAINS[table].includes(name);
    if (builtin && (c.rules.length > 0 || c.policy === 'DROP')) h.builtins.add(name);
    if (builtin && !h.builtins.has(name)) continue;
    out.push({ name, builtin, rules: c.rules });
  }
  return out;
}

/** The handle nft shows for an iptables-nft chain or rule (given on first sight). */
export function iptablesHandle(nf: NodeNetfilter, key: string, what: { chain: string } | { rule: Rule }): number {
  const h = handlesOf(nf, key);
  if ('chain' in what) {
    let n = h.chains.get(what.chain);
    if (n === undefined) h.chains.set(what.chain, (n = ++h.last));
    return n;
  }
  let n = h.rules.get(what.rule);
  if (n === undefined) h.rules.set(what.rule, (n = ++h.last));
  return n;
}

export interface Printable extends PrintTable {
  /** Holds xtables compat expressions (nft warns the table is managed by iptables-nft). */
  xt: boolean;
}

/** The table in printable shape; `onlyChain` limits the rules looked at (as `nft list chain` fetches only those). */
export function printable(t: TableRef, stateless: boolean, onlyChain?: string): Printable {
  if (t.nft) {
    const chains: PrintChain[] = [...t.nft.chains.values()].map((c) => {
      const pc: PrintChain = { name: c.name, handle: c.handle, rules: c.rules.map((r) => ({ text: ruleText(r.rule), handle: r.handle })) };
      if (c.base) pc.base = c.base;
      if (c.comment !== undefined) pc.comment = c.comment;
      return pc;
    });
    const p: Printable = { family: t.family, name: t.name, handle: t.handle, sets: [...t.nft.sets.values()], chains, xt: false };
    if (t.nft.comment !== undefined) p.comment = t.nft.comment;
    return p;
  }
  const { nf, table } = t.ipt!;
  const key = `${t.family} ${table}`;
  let xt = false;
  const chains: PrintChain[] = iptablesChains(nf, table, t.family).map(({ name, builtin, rules }) => {
    const pc: PrintChain = { name, handle: iptablesHandle(nf, key, { chain: name }), rules: [] };
    if (builtin) {
      const [type, hook, prio] = BUILTIN_BASE[`${table} ${name}`];
      pc.base = { type: type as NftBaseChain['type'], hook, prio, policy: nf.chain(table, name)!.policy === 'DROP' ? 'drop' : 'accept' };
    }
    pc.rules = rules.map((r) => {
      const { text, xt: compat } = iptablesRuleText(r, nf.countersOf(r), stateless);
      if (onlyChain === undefined || onlyChain === name) xt ||= compat;
      return { text, handle: iptablesHandle(nf, key, { rule: r }) };
    });
    return pc;
  });
  return { family: t.family, name: t.name, handle: t.handle, sets: [], chains, xt };
}
