/**
 * How iptables prints a rule back. Two forms, both from the iptables 1.8.9 sources:
 *  - save form (`iptables-save`, `iptables -S`): the rule model's own text
 *    (dataplane/netfilter/save-form.ts), re-exported here for the printers;
 *  - list form (`iptables -L`): nft_ipv4_print_rule → print_rule_details, print_fragment,
 *    print_ifaces, print_ipv4_addresses, each extension's print().
 */
import {
  formatIPv4, targetName, CT_STATES, SERVICE_NAMES,
  type AddrSpec, type Match, type PortRange, type Rule, type Target,
} from '../../dataplane/netfilter/rule';
import { hex, markText, portsList, probText, recentFlags, rpfilterFlags, saveString } from '../../dataplane/netfilter/save-form';

export { saveString, saveMatch, saveTarget, saveRuleBody } from '../../dataplane/netfilter/save-form';

// ---- list form (iptables -L) ----------------------------------------------------------

export interface ListFormat {
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
  /** ip6tables -L: no fragment column (print_fragment's fake form) and IPv6 addresses (::/0). */
  ipv6?: boolean;
}

function printPort(p: number, numeric: boolean): string {
  return !numeric && SERVICE_NAMES[p] ? SERVICE_NAMES[p] : String(p);
}

function printPorts(name: string, r: PortRange | undefined, numeric: boolean): string {
  if (!r || (r.lo === 0 && r.hi === 65535 && !r.inv)) return '';
  const inv = r.inv ? '!' : '';
  if (r.lo === r.hi) return ` ${name}:${inv}${printPort(r.lo, numeric)}`;
  return ` ${name}s:${inv}${printPort(r.lo, numeric)}:${printPort(r.hi, numeric)}`;
}

export function printMatch(m: Match, numeric: boolean): string {
  switch (m.kind) {
    case 'comment': return ` /* ${m.comment} */`;
    case 'tcp': case 'udp': case 'sctp': return ` ${m.kind}` + printPorts('spt', m.sport, numeric) + printPorts('dpt', m.dport, numeric);
    case 'icmp': return m.type === undefined || m.type < 0 ? ' icmp any' : ` icmp${m.inv ? ' !' : ''}type ${m.type}`;
    case 'multiport': return ` multiport ${m.dir}${m.inv ? ' !' : ''} ${portsList(m.ports)}`;
    case 'mark': return ' mark match' + (m.inv ? ' !' : '') + markText(m.mark, m.mask);
    case 'statistic':
      if (m.mode === 'random') return `${m.inv ? ' !' : ''} statistic mode random probability ${probText(m.probability)}`;
      return `${m.inv ? ' !' : ''} statistic mode nth every ${m.every} packet ${m.packet}`;
    case 'recent': return recentFlags(m, false);
    case 'addrtype': {
      let out = ' ADDRTYPE match';
      if (m.src) out += ` src-type ${m.src.inv ? '!' : ''}${m.src.types.join(',')}`;
      if (m.dst) out += ` dst-type ${m.dst.inv ? '!' : ''}${m.dst.types.join(',')}`;
      if (m.limitIn) out += ' limit-in';
      if (m.limitOut) out += ' limit-out';
      return out;
    }
    case 'conntrack': return `${m.inv ? ' !' : ''} ctstate ${m.states.join(',')}`;
    case 'state': return `${m.inv ? ' !' : ''} state ${m.states.join(',')}`;
    case 'set': return `${m.inv ? ' !' : ''} match-set ${m.name} ${m.flags.join(',')}`;
    case 'nfacct': return ' nfacct-name ' + saveString(m.name);
    case 'physdev': return ` PHYSDEV match${m.inv ? ' !' : ''} --physdev-${m.flag}`;
    case 'rpfilter': return ' rpfilter' + rpfilterFlags(m, '');
    case 'owner': return (m.uid ? `${m.uid.inv ? ' !' : ''} owner UID match ${m.uid.id}` : '') + (m.gid ? `${m.gid.inv ? ' !' : ''} owner GID match ${m.gid.id}` : '');
  }
}

export function printTarget(t: Target | undefined): string {
  if (!t) return '';
  switch (t.kind) {
    case 'REJECT': return ` reject-with ${t.with}`;
    case 'DNAT': return ` to:${t.to}`;
    case 'SNAT': return ` to:${t.to}${t.randomFully ? ' random-fully' : ''}`;
    case 'MASQUERADE': return (t.toPorts ? ` masq ports: ${t.toPorts}` : '') + (t.randomFully ? ' random-fully' : '');
    case 'REDIRECT': return t.toPorts ? ` redir ports ${t.toPorts}` : '';
    case 'MARK':
      if (t.mark === 0) return ` MARK and ${hex(~t.mask >>> 0)}`;
      if (t.mark === t.mask) return ` MARK or ${hex(t.mark)}`;
      if (t.mask === 0) return ` MARK xor ${hex(t.mark)}`;
      if (t.mask === 0xffffffff) return ` MARK set ${hex(t.mark)}`;
      return ` MARK xset ${hex(t.mark)}/${hex(t.mask)}`;
    case 'LOG': return ` LOG flags 0 level ${t.level}${t.prefix !== undefined ? ` prefix "${t.prefix}"` : ''}`;
    default: return '';
  }
}

/** xtables_print_num. */
export function printNum(n: number, fmt: ListFormat, notable = false): string {
  if (fmt.exact) return notable ? `${n} ` : `${String(n).padStart(8)} `;
  if (n <= 99999) return notable ? `${n} ` : `${String(n).padStart(5)} `;
  let v = Math.floor((n + 500) / 1000);
  for (const unit of ['K', 'M', 'G', 'T']) {
    if (v <= 9999 || unit === 'T') return notable ? `${v}${unit} ` : `${String(v).padStart(4)}${unit} `;
    v = Math.floor((v + 500) / 1000);
  }
  return `${v}T `;
}

const NET_NAMES: Record<string, string> = { '127.0.0.0': 'loopback', '169.254.0.0': 'link-local' };
const HOST_NAMES: Record<string, string> = { '127.0.0.1': 'localhost' };

/** print_ipv6_addresses: `anywhere` or `::/0`, else the address and its prefix unless /128. */
function listAddr6(a: AddrSpec | undefined, numeric: boolean): string {
  const inv = a?.inv ? '!' : ' ';
  if (!a || a.v6 === undefined || (a.prefix === 0 && !numeric)) return inv + (numeric ? '::/0' : 'anywhere').padEnd(19) + ' ';
  const name = !numeric && a.v6 === '::1' && a.prefix === 128 ? 'localhost' : a.v6;
  return inv + (name + (a.prefix === 128 ? '' : `/${a.prefix}`)).padEnd(19) + ' ';
}

function listAddr(a: AddrSpec | undefined, numeric: boolean): string {
  const inv = a?.inv ? '!' : ' ';
  if (!a || a.mask === 0) return inv + (numeric ? '0.0.0.0/0' : 'anywhere').padEnd(19) + ' ';
  const ip = formatIPv4(a.ip);
  const mask = a.mask === 0xffffffff ? '' : a.prefix >= 0 ? `/${a.prefix}` : `/${formatIPv4(a.mask)}`;
  let name = ip;
  if (!numeric) name = (a.mask === 0xffffffff ? HOST_NAMES[ip] : NET_NAMES[ip]) ?? ip;
  return inv + (name + mask).padEnd(19) + ' ';
}

/** One row of `iptables -L` (print_rule_details + addresses + matches + target). */
export function listRule(rule: Rule, num: number, counters: [number, number], fmt: ListFormat): string {
  let out = '';
  if (fmt.lineNumbers) out += String(num).padEnd(4) + ' ';
  if (fmt.verbose) out += printNum(counters[0], fmt) + printNum(counters[1], fmt);
  out += targetName(rule).padEnd(9) + ' ';
  out += rule.proto?.inv ? '!' : ' ';
  out += (rule.proto ? rule.proto.name : 'all').padEnd(5);
  out += fmt.ipv6 ? '   ' : '-- ';
  if (fmt.verbose) {
    const wild = fmt.numeric ? '*' : 'any';
    const i = rule.inIface ? (rule.inIface.inv ? '!' : '') + rule.inIface.name : wild;
    const o = rule.outIface ? (rule.outIface.inv ? '!' : '') + rule.outIface.name : wild;
    out += ' ' + i.padEnd(6) + ' ' + o.padEnd(6) + ' ';
  }
  out += fmt.ipv6 ? listAddr6(rule.src, fmt.numeric) + listAddr6(rule.dst, fmt.numeric) : listAddr(rule.src, fmt.numeric) + listAddr(rule.dst, fmt.numeric);
  if (rule.goto) out += '[goto] ';
  for (const m of rule.matches) out += printMatch(m, fmt.numeric);
  out += printTarget(rule.target);
  return out + '\n';
}

/** print_header. */
export function listHeader(chain: string, policy: string | undefined, policyCounters: [number, number], refs: number, fmt: ListFormat): string {
  let out = `Chain ${chain}`;
  if (policy) {
    out += ` (policy ${policy}`;
    if (fmt.verbose) out += ' ' + printNum(policyCounters[0], fmt, true) + 'packets, ' + printNum(policyCounters[1], fmt, true) + 'bytes';
    out += ')\n';
  } else out += ` (${refs} references)\n`;
  if (fmt.lineNumbers) out += 'num  ';
  if (fmt.verbose) out += fmt.exact ? `${'pkts'.padStart(8)} ${'bytes'.padStart(10)} ` : `${'pkts'.padStart(5)} ${'bytes'.padStart(5)} `;
  out += 'target'.padEnd(9) + ' ';
  out += ' prot opt';
  if (fmt.verbose) out += ' ' + 'in'.padEnd(6) + ' ' + 'out'.padEnd(6) + ' ';
  out += ' ' + 'source'.padEnd(19) + ' ';
  out += ' ' + 'destination'.padEnd(19) + ' ';
  return out + '\n';
}

export { CT_STATES };
