/**
 * How `nft list` shows a rule that iptables-nft (1.8.9) wrote. iptables-nft encodes the
 * address, interface and protocol parts, tcp/udp ports and the mark match as native
 * nftables expressions (iptables/nft.c add_match: limit, among, tcp, udp, mark), a
 * counter, and every other match or target as an xtables compat expression
 * (`xt match`/`xt target`). nft 1.0.6 prints the native ones itself and the compat ones
 * through their extension's xlate function (src/xt.c xt_stmt_xlate; extensions/libxt_*.c
 * of iptables 1.8.9), which drops comments (they go to a buffer nft does not print: an
 * empty statement, hence the double spaces) and falls back to `xt match NAME` for
 * extensions without one (recent, set, nfacct, physdev). A table holding compat
 * expressions gets nft's "managed by iptables-nft" warning.
 */
import { formatIPv4, prefixMask } from '../../cluster/ipv4';
import type { AddrSpec, Match, Rule, Target } from '../../dataplane/netfilter/rule';

/** xtables' rtn_lnames, by bit. */
const ADDR_TYPES: Record<string, string> = {
  UNSPEC: 'unspec', UNICAST: 'unicast', LOCAL: 'local', BROADCAST: 'broadcast', ANYCAST: 'anycast', MULTICAST: 'multicast',
  BLACKHOLE: 'blackhole', UNREACHABLE: 'unreachable', PROHIBIT: 'prohibit', THROW: 'throw', NAT: 'nat', XRESOLVE: 'xresolve',
};
const ADDR_ORDER = Object.keys(ADDR_TYPES);

const ICMP_TYPES: Record<number, string> = {
  0: 'echo-reply', 3: 'destination-unreachable', 4: 'source-quench', 5: 'redirect', 8: 'echo-request',
  9: 'router-advertisement', 10: 'router-solicitation', 11: 'time-exceeded', 12: 'parameter-problem',
  13: 'timestamp-request', 14: 'timestamp-reply', 15: 'info-request', 16: 'info-reply',
  17: 'address-mask-request', 18: 'address-mask-reply',
};

const REJECT_XLATE: Record<string, string> = {
  'icmp-net-unreachable': 'net-unreach', 'icmp-host-unreachable': 'host-unreach', 'icmp-proto-unreachable': 'proto-unreach',
  'icmp-net-prohibited': 'net-prohib', 'icmp-host-prohibited': 'host-prohib', 'icmp-admin-prohibited': 'admin-prohib',
};

const hex8 = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');
const hex = (n: number) => '0x' + (n >>> 0).toString(16);

function addrText(a: AddrSpec): string {
  if (a.prefix === 32) return formatIPv4(a.ip);
  if (a.prefix >= 0) return `${formatIPv4((a.ip & prefixMask(a.prefix)) >>> 0)}/${a.prefix}`;
  return `& ${formatIPv4(a.mask)} == ${formatIPv4(a.ip)}`;
}

function ports(proto: string, dir: string, r: { lo: number; hi: number; inv: boolean } | undefined): string | undefined {
  if (!r || (r.lo === 0 && r.hi === 65535)) return undefined;
  return `${proto} ${dir} ${r.inv ? '!= ' : ''}${r.lo === r.hi ? r.lo : `${r.lo}-${r.hi}`}`;
}

/** A native tcp/udp match (ports given); the others are compat. */
function nativePorts(m: Match): boolean {
  return (m.kind === 'tcp' || m.kind === 'udp') && (!!m.dport || !!m.sport) &&
    !(m.sport && m.sport.lo === 0 && m.sport.hi === 65535 && !m.dport);
}

/** One match as nft prints it; `xt` tells a compat expression. */
function matchText(m: Match, rule: Rule): { text: string; xt: boolean } {
  switch (m.kind) {
    case 'tcp': case 'udp': {
      const parts = [ports(m.kind, 'sport', m.sport), ports(m.kind, 'dport', m.dport)].filter(Boolean);
      return { text: parts.join(' '), xt: !nativePorts(m) };
    }
    case 'sctp': return { text: [ports('sctp', 'sport', m.sport), ports('sctp', 'dport', m.dport)].filter(Boolean).join(' '), xt: true };
    case 'comment': return { text: '', xt: true };
    case 'mark':
      if (m.mask === 0xffffffff) return { text: `meta mark ${m.inv ? '!= ' : ''}${hex8(m.mark)}`, xt: false };
      return { text: `meta mark & ${hex8(m.mask)} ${m.inv ? '!=' : '=='} ${hex8(m.mark)}`, xt: false };
    case 'conntrack': case 'state': {
      if (m.states.includes('DNAT') || m.states.includes('SNAT')) return { text: `ct status ${m.states.includes('SNAT') ? 'snat' : 'dnat'}`, xt: true };
      const order = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED'];
      const s = order.filter((x) => m.states.includes(x)).map((x) => x.toLowerCase()).join(',');
      return { text: `ct state ${m.inv ? '! ' : ''}${s}`, xt: true };
    }
    case 'statistic':
      if (m.mode === 'random') return { text: `meta random & 2147483647 ${m.inv ? '>=' : '<'} ${m.probability}`, xt: true };
      return { text: `numgen inc mod ${m.every + 1} ${m.inv ? '!= ' : ''}${m.packet}`, xt: true };
    case 'addrtype': {
      const side = m.src ?? m.dst!;
      const types = ADDR_ORDER.filter((t) => side.types.includes(t)).map((t) => ADDR_TYPES[t]);
      const set = types.length > 1 ? `{ ${types.join(', ')} }` : types[0];
      const iface = m.limitIn ? '. iif ' : m.limitOut ? '. oif ' : '';
      return { text: `fib ${m.src ? 'saddr' : 'daddr'} ${iface}type ${side.inv ? '!= ' : ''}${set}`, xt: true };
    }
    case 'multiport': {
      const proto = rule.proto?.name ?? 'tcp';
      if (m.dir === 'ports') {
        return { text: `${proto} sport . ${proto} dport { ${m.ports.map((p) => `0-65535 . ${p.lo}, ${p.lo} . 0-65535`).join(', ')} }`, xt: true };
      }
      const list = m.ports.map((p) => (p.lo === p.hi ? String(p.lo) : `${p.lo}-${p.hi}`));
      const v = list.length > 1 ? `{ ${list.join(', ')} }` : list[0];
      return { text: `${proto} ${m.dir === 'sports' ? 'sport' : 'dport'} ${v}`, xt: true };
    }
    case 'icmp':
      if (m.type === undefined || m.type < 0) return { text: 'ip protocol icmp', xt: true };
      return { text: `icmp type${m.inv ? ' !=' : ''} ${ICMP_TYPES[m.type] ?? m.type}`, xt: true };
    case 'recent': return { text: 'xt match recent', xt: true };
    case 'set': return { text: 'xt match set', xt: true };
    case 'nfacct': return { text: 'xt match nfacct', xt: true };
    case 'physdev': return { text: 'xt match physdev', xt: true };
    case 'rpfilter': return { text: 'xt match rpfilter', xt: true };
    // nft's native form (iptables-nft nft-shared's owner translation): meta skuid / skgid
    case 'owner': return { text: [m.uid ? `meta skuid${m.uid.inv ? ' !=' : ''} ${m.uid.id}` : '', m.gid ? `meta skgid${m.gid.inv ? ' !=' : ''} ${m.gid.id}` : ''].filter(Boolean).join(' '), xt: false };
  }
}

function targetText(t: Target | undefined, goto: boolean | undefined): { text?: string; xt: boolean } {
  if (!t) return { xt: false };
  switch (t.kind) {
    case 'ACCEPT': return { text: 'accept', xt: false };
    case 'DROP': return { text: 'drop', xt: false };
    case 'RETURN': return { text: 'return', xt: false };
    case 'jump': return { text: `${goto ? 'goto' : 'jump'} ${t.chain}`, xt: false };
    case 'REJECT':
      if (t.with === 'icmp-port-unreachable') return { text: 'reject', xt: true };
      if (t.with === 'tcp-reset') return { text: 'reject with tcp reset', xt: true };
      return { text: `reject with icmp type ${REJECT_XLATE[t.with] ?? t.with}`, xt: true };
    case 'DNAT': return { text: `dnat to ${t.to}`, xt: true };
    case 'SNAT': return { text: `snat to ${t.to}${t.randomFully ? ' fully-random' : ''}`, xt: true };
    case 'MASQUERADE': return { text: `masquerade${t.toPorts ? ` to :${t.toPorts.replace(':', '-')}` : ''}${t.randomFully ? ' fully-random' : ''}`, xt: true };
    case 'REDIRECT': return { text: `redirect${t.toPorts ? ` to :${t.toPorts.replace(':', '-')}` : ''}`, xt: true };
    case 'MARK': {
      const { mark, mask } = t;
      let v: string;
      if (mask === 0xffffffff) v = hex(mark);
      else if (mark === 0) v = `mark and ${hex(~mask)}`;
      else if (mark === mask) v = `mark or ${hex(mark)}`;
      else if (mask === 0) v = `mark xor ${hex(mark)}`;
      else v = `mark and ${hex(~mask)} xor ${hex(mark)}`;
      return { text: `meta mark set ${v}`, xt: true };
    }
    case 'LOG': {
      const levels = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
      let v = 'log';
      if (t.prefix) v += ` prefix "${t.prefix}"`;
      if (t.level !== 4) v += ` level ${levels[t.level] ?? t.level}`;
      return { text: v, xt: true };
    }
  }
}

/**
 * The rule as nft 1.0.6 lists it (iptables-nft's expression order: addresses,
 * interfaces, protocol, matches, counter, target), and whether it holds compat expressions.
 */
export function iptablesRuleText(r: Rule, counters: [number, number], stateless: boolean): { text: string; xt: boolean } {
  const stmts: string[] = [];
  let xt = false;
  if (r.src && !(r.src.mask === 0 && !r.src.inv)) stmts.push(`ip saddr ${r.src.inv ? '!= ' : ''}${addrText(r.src)}`);
  if (r.dst && !(r.dst.mask === 0 && !r.dst.inv)) stmts.push(`ip daddr ${r.dst.inv ? '!= ' : ''}${addrText(r.dst)}`);
  if (r.inIface) stmts.push(`iifname ${r.inIface.inv ? '!= ' : ''}"${r.inIface.name.replace(/\+$/, '*')}"`);
  if (r.outIface) stmts.push(`oifname ${r.outIface.inv ? '!= ' : ''}"${r.outIface.name.replace(/\+$/, '*')}"`);
  // `ip protocol tcp` is a dependency nft leaves out before a native tcp/udp port match
  if (r.proto && r.proto.num !== 0 && (r.proto.inv || !r.matches.some(nativePorts))) stmts.push(`ip protocol ${r.proto.inv ? '!= ' : ''}${r.proto.name}`);
  for (const m of r.matches) {
    const t = matchText(m, r);
    stmts.push(t.text);
    xt ||= t.xt;
  }
  stmts.push(stateless ? 'counter' : `counter packets ${counters[0]} bytes ${counters[1]}`);
  const t = targetText(r.target, r.goto);
  if (t.text !== undefined) stmts.push(t.text);
  xt ||= t.xt;
  return { text: stmts.join(' '), xt };
}
