/**
 * A rule's text as `nft list` prints it (nftables 1.0.2: src/rule.c rule_print, the
 * statements' print functions in src/statement.c, src/meta.c, src/ct.c, src/fib.c,
 * src/numgen.c, src/expression.c). Statements are joined by one space, the comment comes
 * last. It lives with the rule model because it is also what a packet trace shows.
 */
import { parseIPv4, formatIPv4, prefixMask } from '../../cluster/ipv4';
import { verdictText, type KeyField, type NftFamily, type NftRule, type NftStmt } from './rule';

const cache = new WeakMap<NftRule, string>();

/** 0x%08x, as nft prints a mark. */
export function markHex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/** An address or prefix as nft prints it: host bits cleared, /32 dropped. */
export function addrText(value: string): string {
  const [ip, len] = value.split('/');
  if (len === undefined) return ip;
  const n = parseIPv4(ip);
  const p = Number(len);
  if (n === undefined || !(p >= 0 && p <= 32)) return value;
  if (p === 32) return formatIPv4(n);
  return `${formatIPv4((n & prefixMask(p)) >>> 0)}/${p}`;
}

function addrKey(value: string): number {
  return parseIPv4(value.split('/')[0]) ?? 0;
}

export function keyFieldText(fam: NftFamily, f: KeyField): string {
  switch (f) {
    case 'saddr': return `${fam} saddr`;
    case 'daddr': return `${fam} daddr`;
    case 'l4proto': return 'meta l4proto';
    case 'dport': return 'th dport';
  }
}

export function stmtText(s: NftStmt): string {
  switch (s.t) {
    case 'addr': return `${s.fam} ${s.field}${s.neg ? ' !=' : ''} ${addrText(s.value)}`;
    case 'addrset': return `${s.fam} ${s.field}${s.neg ? ' !=' : ''} @${s.set}`;
    case 'addrlist': {
      // nft folds a one-element anonymous set into the element (evaluate.c expr_evaluate_set);
      // a larger one is an interval set, listed decomposed, lowest address first
      if (s.items.length === 1) return `${s.fam} ${s.field}${s.neg ? ' !=' : ''} ${addrText(s.items[0])}`;
      const items = s.items.map(addrText).sort((a, b) => addrKey(a) - addrKey(b));
      return `${s.fam} ${s.field}${s.neg ? ' !=' : ''} { ${items.join(', ')} }`;
    }
    case 'ctstate': return `ct state ${s.states.join(',')}`;
    case 'fib': return `fib ${s.field} type ${s.type}`;
    case 'l4proto': return `meta l4proto ${s.proto}`;
    case 'markcheck': return `meta mark & ${markHex(s.mask)} == ${markHex(s.value)}`;
    case 'vmap': return `${s.key.map((k) => keyFieldText(s.fam, k)).join(' . ')} vmap @${s.map}`;
    case 'numgen': return `numgen random mod ${s.targets.length} vmap { ${s.targets.map((v, i) => `${i} : ${verdictText(v)}`).join(', ')} }`;
    case 'markset': return `meta mark set meta mark ${s.op} ${markHex(s.value)}`;
    case 'masquerade': return s.fullyRandom ? 'masquerade fully-random' : 'masquerade';
    case 'dnat': return `dnat to ${s.addr}:${s.port}`;
    case 'update': return `update @${s.set} { ${s.fam} ${s.field} }`;
    case 'reject': return 'reject';
    case 'verdict': return verdictText(s.verdict);
  }
}

/** The rule as `nft list` prints it (without the `# handle N` that -a adds). */
export function ruleText(r: NftRule): string {
  let t = cache.get(r);
  if (t === undefined) {
    t = r.stmts.map(stmtText).join(' ');
    if (r.comment !== undefined) t += ` comment "${r.comment}"`;
    cache.set(r, t);
  }
  return t;
}
