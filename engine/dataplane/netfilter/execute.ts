/**
 * Runs a packet through a node's *current* netfilter rules, the way the kernel's
 * ip_tables/nf_tables core does: rules in order, matches all-or-nothing, a jump pushes
 * the calling chain, RETURN (or the end of a user chain) pops, the end of a built-in
 * chain applies its policy. Counters move on every rule that matched.
 */
import type { TraceHop } from '../../types';
import type { Protocol } from '../packet';
import { addrMatches, addrMatches6, formatIPv4, type Match, type Rule, type TableName } from './rule';
import type { NodeNetfilter } from './tables';
import { saveRuleBody } from './save-form';
import { formatIPv6, parseIPv6 } from '../../cluster/ipv6';

export interface PacketState {
  /** IPv4 addresses (0 for an IPv6 packet). */
  src: number;
  dst: number;
  /** An IPv6 packet's addresses (ip6tables' tables): present only on family-6 packets, so IPv4 matching reads one absent field. */
  src6?: bigint;
  dst6?: bigint;
  sport: number;
  dport: number;
  proto: Protocol;
  mark: number;
  /** Conntrack states the packet is in (NEW, plus DNAT once it was destination-NATed). */
  ctstate: Set<string>;
  inIface?: string;
  outIface?: string;
  bytes: number;
}

export interface ExecEnv {
  nf: NodeNetfilter;
  /** addrtype LOCAL: is this address one of the node's own? */
  isLocal(ip: number): boolean;
  /** addrtype LOCAL for an IPv6 address (ip6tables' tables). */
  isLocal6?(ip: bigint): boolean;
  /** Uniform [0,1) from the simulation's seeded RNG. */
  random(): number;
  now: number;
  /** ipset membership; undefined if no such set. */
  ipset?(name: string, pkt: PacketState, flags: string[]): boolean | undefined;
  /**
   * Called when a jump or goto enters a chain whose rules an agent decides for us (Felix's
   * per-workload policy chain, whose policy rules are not rendered yet); 'DROP' ends the
   * packet there, undefined goes on with the chain's rules.
   */
  enterChain?(table: TableName, chain: string, pkt: PacketState, hops: TraceHop[]): 'DROP' | undefined;
  /**
   * `-m rpfilter`'s reverse-path lookup (xt_rpfilter.c rpfilter_lookup_reverse): does the
   * node's route back to the packet's source leave by the interface it came in on (any
   * interface with --loose)? Undefined passes, as does a packet without an input interface.
   */
  reversePath?(pkt: PacketState, loose: boolean): boolean;
  /** Sees every rule the packet matched, before its target acts (an agent reading which of its rules decided). */
  observe?(table: TableName, chain: string, rule: Rule, pkt: PacketState): void;
}

export interface ChainResult {
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  rejectWith?: string;
  dnat?: { ip: string; port: number };
  masquerade?: boolean;
  /** The source NAT drew its port at random (`--random-fully`, nft's `fully-random`). */
  randomFully?: boolean;
  snat?: string;
}

const PROTO_NUM: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, sctp: 132 };

function ifaceMatches(spec: { name: string; inv: boolean }, iface: string | undefined): boolean {
  let m = false;
  if (iface !== undefined) {
    m = spec.name.endsWith('+') ? iface.startsWith(spec.name.slice(0, -1)) : iface === spec.name;
  }
  return m !== spec.inv;
}

function addrType6(ip: bigint, env: ExecEnv): Set<string> {
  // ipv6_addr_type: ff00::/8 multicast; IPv6 has no broadcast
  const types = new Set<string>();
  if (ip === 1n || env.isLocal6?.(ip)) types.add('LOCAL');
  if (ip >> 120n === 0xffn) types.add('MULTICAST');
  else types.add('UNICAST');
  return types;
}

function addrType(ip: number, env: ExecEnv): Set<string> {
  const types = new Set<string>();
  if (env.isLocal(ip)) types.add('LOCAL');
  if (ip >>> 28 === 14) types.add('MULTICAST');
  else if (ip === 0xffffffff) types.add('BROADCAST');
  else if (!types.has('LOCAL')) types.add('UNICAST');
  if (types.has('LOCAL')) types.add('UNICAST');
  return types;
}

function matchOne(m: Match, pkt: PacketState, env: ExecEnv): boolean {
  switch (m.kind) {
    case 'comment': case 'nfacct': return true;
    case 'tcp': case 'udp': case 'sctp':
      if (pkt.proto !== m.kind) return false;
      if (m.sport && ((pkt.sport >= m.sport.lo && pkt.sport <= m.sport.hi) === m.sport.inv)) return false;
      if (m.dport && ((pkt.dport >= m.dport.lo && pkt.dport <= m.dport.hi) === m.dport.inv)) return false;
      return true;
    case 'icmp': return pkt.proto === 'icmp' && pkt.dst6 === undefined;
    case 'multiport': {
      const hit = m.ports.some((p) => {
        const inR = (v: number) => v >= p.lo && v <= p.hi;
        return m.dir === 'dports' ? inR(pkt.dport) : m.dir === 'sports' ? inR(pkt.sport) : inR(pkt.dport) || inR(pkt.sport);
      });
      return hit !== m.inv;
    }
    case 'mark': return (((pkt.mark & m.mask) >>> 0) === m.mark) !== m.inv;
    case 'statistic':
      if (m.mode === 'random') return (Math.floor(env.random() * 0x80000000) < m.probability) !== m.inv;
      return !m.inv;
    case 'recent': return recentMatch(m, pkt, env) !== m.inv;
    case 'addrtype': {
      const six = pkt.dst6 !== undefined;
      if (m.src && ((m.src.types.some((t) => (six ? addrType6(pkt.src6!, env) : addrType(pkt.src, env)).has(t))) === m.src.inv)) return false;
      if (m.dst && ((m.dst.types.some((t) => (six ? addrType6(pkt.dst6!, env) : addrType(pkt.dst, env)).has(t))) === m.dst.inv)) return false;
      return true;
    }
    case 'conntrack': case 'state': return m.states.some((s) => pkt.ctstate.has(s)) !== m.inv;
    case 'set': {
      const r = env.ipset?.(m.name, pkt, m.flags);
      return (r === true) !== m.inv;
    }
    case 'physdev': return m.inv;
    // the loopback device always passes (rpfilter_is_loopback); --invert turns the result over
    case 'rpfilter': return (pkt.inIface === undefined || pkt.inIface === 'lo' || (env.reversePath?.(pkt, m.loose) ?? true)) !== m.invert;
    // the walk's packets are sent by root (uid/gid 0)
    case 'owner': return (!m.uid || (m.uid.id === 0) !== m.uid.inv) && (!m.gid || (m.gid.id === 0) !== m.gid.inv);
  }
}

function recentMatch(m: Extract<Match, { kind: 'recent' }>, pkt: PacketState, env: ExecEnv): boolean {
  // ip6tables' -m recent keys an IPv6 packet by its full address (kube-proxy's all-ones mask)
  const addr = pkt.dst6 !== undefined ? formatIPv6(m.side === 'source' ? pkt.src6! : pkt.dst6) : formatIPv4(((m.side === 'source' ? pkt.src : pkt.dst) & m.mask) >>> 0);
  let list = env.nf.recent.get(m.name);
  if (!list) {
    list = new Map();
    env.nf.recent.set(m.name, list);
  }
  const now = env.now;
  if (m.op === 'set') {
    const hits = list.get(addr) ?? [];
    hits.push(now);
    if (hits.length > 20) hits.shift();
    list.set(addr, hits);
    return true;
  }
  const hits = list.get(addr);
  if (!hits || hits.length === 0) return false;
  if (m.op === 'remove') {
    list.delete(addr);
    return true;
  }
  const within = m.seconds ? hits.filter((t) => now - t <= m.seconds * 1000) : hits;
  if (m.reap && m.seconds) {
    if (within.length === 0) list.delete(addr);
    else list.set(addr, within);
  }
  const ok = within.length > 0 && (!m.hitcount || within.length >= m.hitcount);
  if (ok && m.op === 'update') {
    const h = list.get(addr) ?? [];
    h.push(now);
    list.set(addr, h);
  }
  return ok;
}

export function ruleMatches(rule: Rule, pkt: PacketState, env: ExecEnv): boolean {
  if (pkt.dst6 !== undefined) return ruleMatches6(rule, pkt, env);
  if (rule.src && !addrMatches(rule.src, pkt.src)) return false;
  if (rule.dst && !addrMatches(rule.dst, pkt.dst)) return false;
  if (rule.proto && ((PROTO_NUM[pkt.proto] === rule.proto.num) === rule.proto.inv)) return false;
  if (rule.inIface && !ifaceMatches(rule.inIface, pkt.inIface)) return false;
  if (rule.outIface && !ifaceMatches(rule.outIface, pkt.outIface)) return false;
  for (const m of rule.matches) if (!matchOne(m, pkt, env)) return false;
  return true;
}

/** An IPv6 packet against an ip6tables rule: 128-bit addresses, ICMPv6 for an echo (protocol 58). */
function ruleMatches6(rule: Rule, pkt: PacketState, env: ExecEnv): boolean {
  if (rule.src && !addrMatches6(rule.src, pkt.src6!)) return false;
  if (rule.dst && !addrMatches6(rule.dst, pkt.dst6!)) return false;
  if (rule.proto && (((pkt.proto === 'icmp' ? 58 : PROTO_NUM[pkt.proto]) === rule.proto.num) === rule.proto.inv)) return false;
  if (rule.inIface && !ifaceMatches(rule.inIface, pkt.inIface)) return false;
  if (rule.outIface && !ifaceMatches(rule.outIface, pkt.outIface)) return false;
  for (const m of rule.matches) if (!matchOne(m, pkt, env)) return false;
  return true;
}

/** DNAT's --to-destination: `10.244.1.5:80`, or ip6tables' `[fd00:10:244:1::5]:80` (libxt_DNAT.c). */
function dnatTarget(to: string, dport: number): { ip: string; port: number } {
  const six = /^\[([^\]]+)\](?::(\d+))?/.exec(to);
  if (six) return { ip: six[1], port: six[2] ? Number(six[2]) : dport };
  const [ip, port] = to.split(':');
  return { ip, port: port ? Number(port.split('-')[0]) : dport };
}

/**
 * Traverses `table`/`chain` (a built-in chain) for the packet. Rewrites pkt in place
 * (mark, DNAT destination) and appends a hop for every jump and every verdict.
 */
export function traverse(env: ExecEnv, table: TableName, chain: string, pkt: PacketState, hops: TraceHop[]): ChainResult {
  const nf = env.nf;
  const tab = nf.tables.get(table);
  const start = tab?.get(chain);
  if (!tab || !start) return { verdict: 'ACCEPT' };
  const where = (c: string) => `${nf.node} ${table}/${c}`;
  const stack: { chain: string; idx: number }[] = [];
  let cur = start.name;
  let idx = 0;
  let steps = 0;
  for (;;) {
    if (++steps > 100000) return { verdict: 'DROP' };
    const c = tab.get(cur);
    const rules = c?.rules ?? [];
    if (idx >= rules.length) {
      // End of chain: a user chain returns, a built-in chain applies its policy.
      const frame = stack.pop();
      if (frame) {
        cur = frame.chain;
        idx = frame.idx;
        continue;
      }
      nf.bumpPolicy(table, cur, pkt.bytes);
      const policy = c?.policy ?? 'ACCEPT';
      if (policy === 'DROP') hops.push({ where: where(cur), what: `policy DROP`, verdict: 'drop' });
      return { verdict: policy };
    }
    const rule = rules[idx++];
    if (!ruleMatches(rule, pkt, env)) continue;
    nf.bump(rule, pkt.bytes);
    env.observe?.(table, cur, rule, pkt);
    const t = rule.target;
    if (!t) continue;
    const text = () => `-A ${cur}${saveRuleBody(rule)}`;
    switch (t.kind) {
      case 'jump': {
        if (!tab.has(t.chain)) continue;
        hops.push({ where: where(cur), what: text(), verdict: 'pass' });
        if (!rule.goto) stack.push({ chain: cur, idx });
        cur = t.chain;
        idx = 0;
        if (env.enterChain?.(table, cur, pkt, hops) === 'DROP') return { verdict: 'DROP' };
        continue;
      }
      case 'RETURN': {
        const frame = stack.pop();
        if (!frame) {
          nf.bumpPolicy(table, cur, pkt.bytes);
          return { verdict: c?.policy === 'DROP' ? 'DROP' : 'ACCEPT' };
        }
        cur = frame.chain;
        idx = frame.idx;
        continue;
      }
      case 'ACCEPT':
        return { verdict: 'ACCEPT' };
      case 'DROP':
        hops.push({ where: where(cur), what: text(), verdict: 'drop' });
        return { verdict: 'DROP' };
      case 'REJECT':
        hops.push({ where: where(cur), what: text(), verdict: 'reject' });
        return { verdict: 'REJECT', rejectWith: t.with };
      case 'MARK':
        pkt.mark = ((pkt.mark & ~t.mask) ^ t.mark) >>> 0;
        continue;
      case 'LOG':
        continue;
      case 'DNAT': {
        const { ip, port: dport } = dnatTarget(t.to, pkt.dport);
        if (pkt.dst6 !== undefined) {
          hops.push({ where: where(cur), what: text(), detail: `[${formatIPv6(pkt.dst6)}]:${pkt.dport} → [${ip}]:${dport}`, verdict: 'dnat' });
          pkt.dst6 = parseIPv6(ip) ?? pkt.dst6;
        } else {
          hops.push({ where: where(cur), what: text(), detail: `${formatIPv4(pkt.dst)}:${pkt.dport} → ${ip}:${dport}`, verdict: 'dnat' });
          pkt.dst = ip.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
        }
        pkt.dport = dport;
        pkt.ctstate.add('DNAT');
        return { verdict: 'ACCEPT', dnat: { ip, port: dport } };
      }
      case 'REDIRECT':
        return { verdict: 'ACCEPT' };
      case 'MASQUERADE':
        hops.push({ where: where(cur), what: text(), verdict: 'snat' });
        return { verdict: 'ACCEPT', masquerade: true, ...(t.randomFully ? { randomFully: true } : {}) };
      case 'SNAT':
        hops.push({ where: where(cur), what: text(), verdict: 'snat' });
        return { verdict: 'ACCEPT', snat: t.to, masquerade: true, ...(t.randomFully ? { randomFully: true } : {}) };
    }
  }
}
