/**
 * A rule's save form — what `iptables-save` and `iptables -S` print after `-A CHAIN`
 * (iptables 1.8.9: iptables/nft-ipv4.c nft_ipv4_save_rule → save_ipv4_addr,
 * save_rule_details, save_matches_and_target, each extension's save() in
 * extensions/libxt_*.c). It lives with the rule model because it is also the rule's
 * identity: `-C`/`-D` and the agents' "ensure this jump" compare rules by it.
 */
import type { Chain } from './tables';
import {
  cidrText, formatIPv4,
  type AddrSpec, type Match, type PortRange, type Rule, type Target,
} from './rule';

/** xtables_save_string: bare if only [A-Za-z0-9_-], else double-quoted with "\' escaped. */
export function saveString(value: string): string {
  // a scan instead of a regex and a cache: most strings are kube-proxy's one-off comments
  let bare = value.length > 0;
  let escapes = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45) continue;
    bare = false;
    if (c === 34 || c === 92 || c === 39) escapes = true;
  }
  if (bare) return ' ' + value;
  return ' "' + (escapes ? value.replace(/(["\\'])/g, '\\$1') : value) + '"';
}

function saveAddr(letter: string, a: AddrSpec | undefined): string {
  if (!a || (a.mask === 0 && !a.inv)) return '';
  return `${a.inv ? ' !' : ''} -${letter} ${cidrText(a)}`;
}

function savePorts(name: string, r: PortRange | undefined): string {
  if (!r || (r.lo === 0 && r.hi === 65535 && !r.inv)) return '';
  return `${r.inv ? ' !' : ''} --${name} ${r.lo === r.hi ? r.lo : `${r.lo}:${r.hi}`}`;
}

export function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16);
}

export function markText(mark: number, mask: number): string {
  return mask !== 0xffffffff ? ` ${hex(mark)}/${hex(mask)}` : ` ${hex(mark)}`;
}

export function probText(p: number): string {
  return (p / 0x80000000).toFixed(11);
}

export function recentFlags(m: Extract<Match, { kind: 'recent' }>, save: boolean): string {
  let out = m.inv ? ' !' : '';
  if (save) {
    out += ` --${m.op}`;
    if (m.seconds) out += ` --seconds ${m.seconds}`;
    if (m.reap) out += ' --reap';
    if (m.hitcount) out += ` --hitcount ${m.hitcount}`;
    if (m.rttl) out += ' --rttl';
    out += ` --name ${m.name} --mask ${m.v6 ? 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' : formatIPv4(m.mask)}`;
    out += m.side === 'source' ? ' --rsource' : ' --rdest';
    return out;
  }
  out += ' recent:';
  out += { set: ' SET', rcheck: ' CHECK', update: ' UPDATE', remove: ' REMOVE' }[m.op];
  if (m.seconds) out += ` seconds: ${m.seconds}`;
  if (m.reap) out += ' reap';
  if (m.hitcount) out += ` hit_count: ${m.hitcount}`;
  if (m.rttl) out += ' TTL-Match';
  out += ` name: ${m.name}`;
  out += m.side === 'source' ? ' side: source' : ' side: dest';
  out += ` mask: ${formatIPv4(m.mask)}`;
  return out;
}

/** libxt_rpfilter.c rpfilter_print_prefix: the flags in this order, `--` before each when saved. */
export function rpfilterFlags(m: Extract<Match, { kind: 'rpfilter' }>, prefix: '' | '--'): string {
  return (m.loose ? ` ${prefix}loose` : '') + (m.validmark ? ` ${prefix}validmark` : '') + (m.acceptLocal ? ` ${prefix}accept-local` : '') + (m.invert ? ` ${prefix}invert` : '');
}

export function portsList(ports: PortRange[]): string {
  return ports.map((p) => (p.lo === p.hi ? String(p.lo) : `${p.lo}:${p.hi}`)).join(',');
}

export function saveMatch(m: Match): string {
  switch (m.kind) {
    case 'comment': return (m.saved ??= ' -m comment --comment' + saveString(m.comment));
    case 'tcp': case 'udp': case 'sctp': return ` -m ${m.kind}` + savePorts('sport', m.sport) + savePorts('dport', m.dport);
    case 'icmp': return ' -m icmp' + (m.type === undefined || m.type < 0 ? ' --icmp-type any' : `${m.inv ? ' !' : ''} --icmp-type ${m.type}`);
    case 'multiport': return ` -m multiport${m.inv ? ' !' : ''} --${m.dir} ${portsList(m.ports)}`;
    case 'mark': return ` -m mark${m.inv ? ' !' : ''} --mark` + markText(m.mark, m.mask);
    case 'statistic':
      if (m.mode === 'random') return ` -m statistic${m.inv ? ' !' : ''} --mode random --probability ${probText(m.probability)}`;
      return ` -m statistic${m.inv ? ' !' : ''} --mode nth --every ${m.every} --packet ${m.packet}`;
    case 'recent': return ' -m recent' + recentFlags(m, true);
    case 'addrtype': {
      let out = ' -m addrtype';
      if (m.src) out += `${m.src.inv ? ' !' : ''} --src-type ${m.src.types.join(',')}`;
      if (m.dst) out += `${m.dst.inv ? ' !' : ''} --dst-type ${m.dst.types.join(',')}`;
      if (m.limitIn) out += ' --limit-iface-in';
      if (m.limitOut) out += ' --limit-iface-out';
      return out;
    }
    case 'conntrack': return ` -m conntrack${m.inv ? ' !' : ''} --ctstate ${m.states.join(',')}`;
    case 'state': return ` -m state${m.inv ? ' !' : ''} --state ${m.states.join(',')}`;
    case 'set': return ` -m set${m.inv ? ' !' : ''} --match-set ${m.name} ${m.flags.join(',')}`;
    case 'nfacct': return ' -m nfacct --nfacct-name ' + saveString(m.name);
    case 'physdev': return ` -m physdev${m.inv ? ' !' : ''} --physdev-${m.flag}`;
    case 'rpfilter': return ' -m rpfilter' + rpfilterFlags(m, '--');
    case 'owner': return ' -m owner' + (m.uid ? `${m.uid.inv ? ' !' : ''} --uid-owner ${m.uid.id}` : '') + (m.gid ? `${m.gid.inv ? ' !' : ''} --gid-owner ${m.gid.id}` : '');
  }
}

export function saveTarget(t: Target | undefined, goto = false): string {
  if (!t) return '';
  switch (t.kind) {
    case 'jump': return ` -${goto ? 'g' : 'j'} ${t.chain}`;
    case 'ACCEPT': case 'DROP': case 'RETURN': return ` -j ${t.kind}`;
    case 'REJECT': return ` -j REJECT --reject-with ${t.with}`;
    case 'DNAT': return ` -j DNAT --to-destination ${t.to}`;
    case 'SNAT': return ` -j SNAT --to-source ${t.to}${t.randomFully ? ' --random-fully' : ''}`;
    case 'MASQUERADE': return ' -j MASQUERADE' + (t.toPorts ? ` --to-ports ${t.toPorts}` : '') + (t.randomFully ? ' --random-fully' : '');
    case 'REDIRECT': return ' -j REDIRECT' + (t.toPorts ? ` --to-ports ${t.toPorts}` : '');
    case 'MARK': return ` -j MARK --set-xmark ${hex(t.mark)}/${hex(t.mask)}`;
    case 'LOG': return ' -j LOG' + (t.prefix !== undefined ? ' --log-prefix' + saveString(t.prefix) : '') + (t.level !== 4 ? ` --log-level ${t.level}` : '');
  }
}

/** The rule as iptables-save prints it after `-A CHAIN` (leading space included, or ''). */
export function saveRuleBody(rule: Rule): string {
  if (rule.saved !== undefined) return rule.saved;
  let out = saveAddr('s', rule.src) + saveAddr('d', rule.dst);
  if (rule.inIface) out += `${rule.inIface.inv ? ' !' : ''} -i ${rule.inIface.name}`;
  if (rule.outIface) out += `${rule.outIface.inv ? ' !' : ''} -o ${rule.outIface.name}`;
  if (rule.proto) out += `${rule.proto.inv ? ' !' : ''} -p ${rule.proto.name}`;
  for (const m of rule.matches) out += saveMatch(m);
  out += saveTarget(rule.target, rule.goto);
  rule.saved = out;
  return out;
}

/** The `-A` lines of a shared (read-only) chain, built once and reused by every node that has it. */
const chainText = new WeakMap<Chain, string>();

/**
 * A read-only chain's rules as iptables-save prints them (`-A NAME …` lines). kube-proxy
 * renders its chains when it generates them, as its syncProxyRules writes the restore text
 * while it builds the rules; a chain edited by hand is a node's own copy and not cached.
 */
export function chainSaveLines(chain: Chain): string {
  let text = chainText.get(chain);
  if (text === undefined) {
    const prefix = `-A ${chain.name}`;
    // joined, not concatenated: a flat string, not a rope the final output has to flatten
    text = chain.rules.map((r) => prefix + saveRuleBody(r) + '\n').join('');
    chainText.set(chain, text);
  }
  return text;
}
