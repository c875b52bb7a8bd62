/**
 * Runs a packet through one nftables base chain of a node's *current* rules, the way
 * nf_tables_core.c does: statements left to right, a failed match ends the rule, `jump`
 * pushes the calling chain and `goto` does not, `return` or the end of a regular chain
 * pops, the end of the base chain applies its policy. Verdict maps and `numgen` pick the
 * next chain; `update @set` adds or refreshes a dynamic element (session affinity); NAT
 * statements and `reject` are terminal. `accept` ends this base chain only: the hook goes
 * on with the next one (./hooks.ts).
 */
import type { TraceHop } from '../../types';
import { addrMatches, formatIPv4, parseAddr } from '../netfilter/rule';
import type { ChainResult, PacketState } from '../netfilter/execute';
import type { NftStmt, NftVerdict } from './rule';
import { elementKey, type NftSet, type NftTable } from './ruleset';
import { ruleText } from './text';

export interface NftEnv {
  /** fib … type local: is this one of the node's own addresses? */
  isLocal(ip: number): boolean;
  /** Uniform [0,1) from the simulation's seeded RNG (numgen random). */
  random(): number;
  /** Virtual clock, ms (dynamic set timeouts). */
  now: number;
}

const MAX_STEPS = 100_000;

function addrIn(value: string, ip: number): boolean {
  const a = parseAddr(value, false);
  return !!a && addrMatches(a, ip);
}

/** Looks a key up in a set or map; dynamic elements that expired are gone (and removed). */
export function lookup(set: NftSet, key: string[], now: number) {
  const k = elementKey(key);
  const e = set.elements.get(k);
  if (!e) return undefined;
  if (e.expires !== undefined && e.expires <= now) {
    set.elements.delete(k);
    return undefined;
  }
  return e;
}

function keyOf(field: string, pkt: PacketState): string {
  switch (field) {
    case 'saddr': return formatIPv4(pkt.src);
    case 'daddr': return formatIPv4(pkt.dst);
    case 'l4proto': return pkt.proto;
    default: return String(pkt.dport);
  }
}

/** What one statement does: continue (true), stop this rule (false), or end with a verdict/result. */
type Step = boolean | { verdict: NftVerdict } | { result: ChainResult };

function step(s: NftStmt, t: NftTable, pkt: PacketState, env: NftEnv): Step {
  switch (s.t) {
    case 'addr': return addrIn(s.value, s.field === 'saddr' ? pkt.src : pkt.dst) !== s.neg;
    case 'addrset': {
      const set = t.sets.get(s.set);
      const hit = !!set && !!lookup(set, [formatIPv4(s.field === 'saddr' ? pkt.src : pkt.dst)], env.now);
      return hit !== s.neg;
    }
    case 'addrlist': return s.items.some((i) => addrIn(i, s.field === 'saddr' ? pkt.src : pkt.dst)) !== s.neg;
    case 'ctstate': return s.states.some((x) => pkt.ctstate.has(x.toUpperCase()));
    case 'fib': return env.isLocal(s.field === 'saddr' ? pkt.src : pkt.dst);
    case 'l4proto': return pkt.proto === s.proto;
    case 'markcheck': return ((pkt.mark & s.mask) >>> 0) === s.value;
    case 'vmap': {
      const set = t.sets.get(s.map);
      const e = set && lookup(set, s.key.map((f) => keyOf(f, pkt)), env.now);
      return e?.value ? { verdict: e.value } : false;
    }
    case 'numgen': return { verdict: s.targets[Math.min(s.targets.length - 1, Math.floor(env.random() * s.targets.length))] };
    case 'markset':
      pkt.mark = (s.op === '|' ? pkt.mark | s.value : pkt.mark ^ s.value) >>> 0;
      return true;
    case 'masquerade': return { result: { verdict: 'ACCEPT', masquerade: true, ...(s.fullyRandom ? { randomFully: true } : {}) } };
    case 'dnat':
      pkt.dst = ipNum(s.addr);
      pkt.dport = s.port;
      pkt.ctstate.add('DNAT');
      return { result: { verdict: 'ACCEPT', dnat: { ip: s.addr, port: s.port } } };
    case 'update': {
      const set = t.sets.get(s.set);
      if (set) {
        const timeout = set.timeout ?? 0;
        set.elements.set(formatIPv4(pkt.src), { key: [formatIPv4(pkt.src)], timeout, expires: env.now + timeout });
      }
      return true;
    }
    case 'reject': return { result: { verdict: 'REJECT', rejectWith: 'icmp-port-unreachable' } };
    case 'verdict': return { verdict: s.verdict };
  }
}

function ipNum(ip: string): number {
  return ip.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
}

/** Runs base chain `chain` of table `t` for the packet (rewritten in place), appending a hop for each decision. */
export function nftTraverse(env: NftEnv, t: NftTable, chain: string, pkt: PacketState, hops: TraceHop[], node: string): ChainResult {
  const start = t.chains.get(chain);
  if (!start) return { verdict: 'ACCEPT' };
  const where = (c: string) => `${node} ${t.family} ${t.name}/${c}`;
  const stack: { chain: string; idx: number }[] = [];
  let cur = start.name;
  let idx = 0;
  for (let steps = 0; ; steps++) {
    if (steps > MAX_STEPS) return { verdict: 'DROP' };
    const rules = t.chains.get(cur)?.rules ?? [];
    if (idx >= rules.length) {
      const frame = stack.pop();
      if (frame) {
        cur = frame.chain;
        idx = frame.idx;
        continue;
      }
      const policy = start.base?.policy ?? 'accept';
      if (policy === 'drop') hops.push({ where: where(cur), what: 'policy drop', verdict: 'drop' });
      return { verdict: policy === 'drop' ? 'DROP' : 'ACCEPT' };
    }
    const { rule } = rules[idx++];
    let outcome: Step = true;
    for (const s of rule.stmts) {
      outcome = step(s, t, pkt, env);
      if (outcome !== true) break;
    }
    if (outcome === true || outcome === false) continue;
    const what = ruleText(rule);
    if ('result' in outcome) {
      const r = outcome.result;
      if (r.dnat) hops.push({ where: where(cur), what, detail: `→ ${r.dnat.ip}:${r.dnat.port}`, verdict: 'dnat' });
      else if (r.masquerade) hops.push({ where: where(cur), what, verdict: 'snat' });
      else hops.push({ where: where(cur), what, verdict: 'reject' });
      return r;
    }
    const v = outcome.verdict;
    switch (v.v) {
      case 'accept': return { verdict: 'ACCEPT' };
      case 'drop':
        hops.push({ where: where(cur), what, verdict: 'drop' });
        return { verdict: 'DROP' };
      case 'return': {
        const frame = stack.pop();
        if (!frame) return { verdict: start.base?.policy === 'drop' ? 'DROP' : 'ACCEPT' };
        cur = frame.chain;
        idx = frame.idx;
        continue;
      }
      case 'jump': case 'goto':
        if (!t.chains.has(v.chain)) continue;
        hops.push({ where: where(cur), what, detail: `${v.v} ${v.chain}`, verdict: 'pass' });
        if (v.v === 'jump') stack.push({ chain: cur, idx });
        cur = v.chain;
        idx = 0;
        continue;
    }
  }
}
