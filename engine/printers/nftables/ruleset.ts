/**
 * `nft list …` output, ported from nftables 1.0.6 (Debian 12's nft, beside its iptables 1.8.9): src/rule.c
 * (table_print, chain_print_declaration with prio2str, set_print_declaration, do_list_*),
 * src/expression.c (set_expr_print and its calculate_delim: two addresses or five ports a
 * line, one concatenated key a line), src/mergesort.c (elements sorted by the value of
 * their key bytes, read as one host-endian number) and src/datatype.c (time_print).
 * Tables are given in a printable shape so that nftables' own tables and the tables
 * iptables-nft manages print alike.
 */
import type { NftBaseChain, NftKeyType, NftSet } from '../../dataplane/nftables/ruleset';
import { verdictText } from '../../dataplane/nftables/rule';
import { parseIPv4 } from '../../cluster/ipv4';

export interface PrintRule {
  text: string;
  handle: number;
}

export interface PrintChain {
  name: string;
  handle: number;
  base?: NftBaseChain;
  comment?: string;
  rules: PrintRule[];
}

export interface PrintTable {
  family: string;
  name: string;
  handle: number;
  comment?: string;
  sets: NftSet[];
  chains: PrintChain[];
}

export interface NftListOptions {
  /** -a: `# handle N` after tables, chains, sets and rules. */
  handles: boolean;
  /** -s: no stateful information (element expiry). */
  stateless: boolean;
  /** -t: sets without their elements. */
  terse: boolean;
  /** -y (or -n): priorities as numbers. */
  numericPrio: boolean;
  /** -T: times in seconds. */
  numericTime: boolean;
  /** Virtual clock, ms (what is left of an element's timeout). */
  now: number;
}

// ---- priorities -------------------------------------------------------------------------

const STD_PRIOS: [number, string][] = [[-300, 'raw'], [-150, 'mangle'], [-100, 'dstnat'], [0, 'filter'], [50, 'security'], [100, 'srcnat']];

/** std_prio_family_hook_compat for ip/ip6: dstnat only at prerouting, srcnat only at postrouting. */
function compat(prio: number, hook: string): boolean {
  if (prio === -100) return hook === 'prerouting';
  if (prio === 100) return hook === 'postrouting';
  return true;
}

/** prio2str: the nearest standard priority within 10 (if it fits the hook), plus or minus the offset. */
export function prioText(prio: number, hook: string, numeric: boolean): string {
  if (!numeric) {
    for (const [std, name] of STD_PRIOS) {
      if (Math.abs(prio - std) > 10) continue;
      if (!compat(std, hook)) break;
      const off = prio - std;
      return off > 0 ? `${name} + ${off}` : off < 0 ? `${name} - ${-off}` : name;
    }
  }
  return String(prio);
}

// ---- times --------------------------------------------------------------------------------

/** time_print: 1d2h3m4s5ms, or whole seconds with -T. */
export function timeText(ms: number, numeric: boolean): string {
  ms = Math.max(0, Math.floor(ms));
  if (numeric) return `${Math.floor(ms / 1000)}s`;
  const d = Math.floor(ms / 86400000); ms %= 86400000;
  const h = Math.floor(ms / 3600000); ms %= 3600000;
  const m = Math.floor(ms / 60000); ms %= 60000;
  const s = Math.floor(ms / 1000); ms %= 1000;
  return (d ? `${d}d` : '') + (h ? `${h}h` : '') + (m ? `${m}m` : '') + (s ? `${s}s` : '') + (ms ? `${ms}ms` : '');
}

// ---- elements -----------------------------------------------------------------------------

const PROTO_NUM: Record<string, number> = { tcp: 6, udp: 17, sctp: 132, icmp: 1 };

function fieldBytes(type: NftKeyType, v: string): number[] {
  switch (type) {
    case 'ipv4_addr': {
      const n = parseIPv4(v) ?? 0;
      return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    }
    case 'inet_proto': return [PROTO_NUM[v] ?? Number(v)];
    case 'inet_service': return [(Number(v) >>> 8) & 255, Number(v) & 255];
    default: return [...v].map((c) => c.charCodeAt(0) & 255);
  }
}

/**
 * The value src/mergesort.c sorts elements by: a single address or port is its number; a
 * concatenation is its fields' bytes (each in network order) read as one little-endian
 * number, so the last field's last byte weighs most.
 */
function sortKey(types: NftKeyType[], key: string[]): number[] {
  if (types.length === 1) {
    const b = fieldBytes(types[0], key[0]);
    return b;
  }
  const bytes = types.flatMap((t, i) => fieldBytes(t, key[i] ?? ''));
  return bytes.reverse();
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** calculate_delim: how many elements share a line before ",\n\t\t\t     ". */
function perLine(types: NftKeyType[]): number {
  if (types.length !== 1) return 1;
  if (types[0] === 'ipv4_addr') return 2;
  if (types[0] === 'inet_proto' || types[0] === 'inet_service') return 5;
  return 1;
}

function elementsText(set: NftSet, o: NftListOptions): string {
  const live = [...set.elements.values()].filter((e) => e.expires === undefined || e.expires > o.now);
  if (live.length === 0) return '';
  const sorted = live.map((e) => ({ e, k: sortKey(set.keyType, e.key) })).sort((a, b) => compareKeys(a.k, b.k)).map((x) => x.e);
  const n = perLine(set.keyType);
  let out = '\t\telements = { ';
  sorted.forEach((e, i) => {
    if (i > 0) out += i % n === 0 ? ',\n\t\t\t     ' : ', ';
    out += e.key.join(' . ');
    if (e.timeout !== undefined) out += ` timeout ${timeText(e.timeout, o.numericTime)}`;
    if (!o.stateless && e.expires !== undefined) out += ` expires ${timeText(e.expires - o.now, o.numericTime)}`;
    if (e.comment !== undefined) out += ` comment "${e.comment}"`;
    if (e.value) out += ` : ${verdictText(e.value)}`;
  });
  return out + ' }\n';
}

// ---- declarations ---------------------------------------------------------------------------

/** set_print_declaration (with the tab and newline of `nft list`). */
export function setDeclaration(set: NftSet, o: NftListOptions): string {
  let out = `\t${set.map ? 'map' : 'set'} ${set.name} {`;
  if (o.handles) out += ` # handle ${set.handle}`;
  out += `\n\t\ttype ${set.keyType.join(' . ')}${set.map ? ' : verdict' : ''}\n`;
  // "timeout" alone is not printed when the set has a default timeout; with another flag it is
  if (set.flags.some((f) => f !== 'timeout' || !set.timeout)) out += `\t\tflags ${(['dynamic', 'timeout'] as const).filter((f) => set.flags.includes(f)).join(',')}\n`;
  if (set.timeout) out += `\t\ttimeout ${timeText(set.timeout, o.numericTime)}\n`;
  if (set.comment !== undefined) out += `\t\tcomment "${set.comment}"\n`;
  return out;
}

export function setText(set: NftSet, o: NftListOptions): string {
  return setDeclaration(set, o) + (o.terse ? '' : elementsText(set, o)) + '\t}\n';
}

/** chain_print_declaration: the chain line, its comment, and a base chain's type/hook/priority/policy. */
export function chainDeclaration(c: PrintChain, o: NftListOptions): string {
  let out = `\tchain ${c.name} {`;
  if (o.handles) out += ` # handle ${c.handle}`;
  if (c.comment !== undefined) out += `\n\t\tcomment "${c.comment}"`;
  out += '\n';
  if (c.base) out += `\t\ttype ${c.base.type} hook ${c.base.hook} priority ${prioText(c.base.prio, c.base.hook, o.numericPrio)}; policy ${c.base.policy};\n`;
  return out;
}

export function chainText(c: PrintChain, o: NftListOptions): string {
  let out = chainDeclaration(c, o);
  for (const r of c.rules) out += `\t\t${r.text}${o.handles ? ` # handle ${r.handle}` : ''}\n`;
  return out + '\t}\n';
}

/** table_print: the table, its comment, its sets, then its chains, a blank line between blocks. */
export function tableText(t: PrintTable, o: NftListOptions): string {
  let out = `table ${t.family} ${t.name} {${o.handles ? ` # handle ${t.handle}` : ''}\n`;
  if (t.comment !== undefined) out += `\tcomment "${t.comment}"\n`;
  let delim = '';
  for (const s of t.sets) {
    out += delim + setText(s, o);
    delim = '\n';
  }
  for (const c of t.chains) {
    out += delim + chainText(c, o);
    delim = '\n';
  }
  return out + '}\n';
}

/** `nft list chain FAMILY TABLE CHAIN`: the table line (no handle), the chain, the closing brace. */
export function listChain(t: PrintTable, c: PrintChain, o: NftListOptions): string {
  return `table ${t.family} ${t.name} {\n${chainText(c, o)}}\n`;
}

/** `nft list set|map FAMILY TABLE NAME`. */
export function listSet(t: PrintTable, s: NftSet, o: NftListOptions): string {
  return `table ${t.family} ${t.name} {\n${setText(s, o)}}\n`;
}

/** `nft list chains`: every table with its chains' declarations. */
export function listChains(tables: PrintTable[], o: NftListOptions): string {
  return tables.map((t) => `table ${t.family} ${t.name} {\n${t.chains.map((c) => chainDeclaration(c, o) + '\t}\n').join('')}}\n`).join('');
}

/** `nft list sets|maps`: every table with the declarations of its sets (or maps). */
export function listSets(tables: PrintTable[], kind: 'sets' | 'maps', o: NftListOptions): string {
  return tables.map((t) => `table ${t.family} ${t.name} {\n${t.sets.filter((s) => s.map === (kind === 'maps')).map((s) => setDeclaration(s, o) + '\t}\n').join('')}}\n`).join('');
}
