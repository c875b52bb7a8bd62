/**
 * The netfilter rule model and the iptables rule-spec parser. A rule is stored the way
 * the kernel keeps it (address & mask, a list of matches in the order they were loaded,
 * one target), so it prints back the way iptables-save and iptables -L print it no
 * matter how it was typed (see engine/printers/netfilter). Parsing follows
 * iptables/xshared.c do_parse: -s/-d/-p/-i/-o go to the IP header part, `-m NAME` loads a
 * match whose own options follow, an option a loaded match does not own loads the
 * protocol's implicit match (`-p tcp --dport 80` → `-p tcp -m tcp --dport 80`).
 */
import { formatIPv4, parseIPv4, prefixMask } from '../../cluster/ipv4';
import { formatIPv6, parseCidr6, prefixMask6 } from '../../cluster/ipv6';

export type TableName = 'filter' | 'nat' | 'mangle' | 'raw' | 'security';

export const BUILTIN_CHAINS: Record<TableName, string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** iptables-nft-save's table order (nft_table_type: mangle, security, raw, filter, nat). */
export const TABLE_ORDER: TableName[] = ['mangle', 'security', 'raw', 'filter', 'nat'];

export interface AddrSpec {
  ip: number;
  mask: number;
  prefix: number;
  inv: boolean;
  /**
   * An ip6tables address: its network in RFC 5952 text (the prefix is `prefix`); `ip`/`mask`
   * are then 0/0xffffffff and never match an IPv4 packet (the IPv6 tables are not walked).
   */
  v6?: string;
}

export interface PortRange {
  lo: number;
  hi: number;
  inv: boolean;
}

export type Match =
  | { kind: 'comment'; comment: string; /** Cached save form (` -m comment --comment …`): shared comment matches print once. */ saved?: string }
  | { kind: 'tcp' | 'udp' | 'sctp'; sport?: PortRange; dport?: PortRange }
  | { kind: 'icmp'; type?: number; inv: boolean }
  | { kind: 'multiport'; dir: 'dports' | 'sports' | 'ports'; ports: PortRange[]; inv: boolean }
  | { kind: 'mark'; mark: number; mask: number; inv: boolean }
  | { kind: 'statistic'; mode: 'random'; probability: number; inv: boolean }
  | { kind: 'statistic'; mode: 'nth'; every: number; packet: number; inv: boolean }
  | {
      kind: 'recent';
      op: 'set' | 'rcheck' | 'update' | 'remove';
      seconds: number;
      reap: boolean;
      hitcount: number;
      rttl: boolean;
      name: string;
      mask: number;
      side: 'source' | 'dest';
      inv: boolean;
      /** Loaded by ip6tables: the mask is the IPv6 all-ones mask (libxt_recent prints it as an IPv6 address). */
      v6?: boolean;
    }
  | { kind: 'addrtype'; src?: { types: string[]; inv: boolean }; dst?: { types: string[]; inv: boolean }; limitIn?: boolean; limitOut?: boolean }
  | { kind: 'conntrack' | 'state'; states: string[]; inv: boolean }
  | { kind: 'set'; name: string; flags: string[]; inv: boolean }
  | { kind: 'nfacct'; name: string }
  | { kind: 'physdev'; flag: 'is-bridged' | 'is-in' | 'is-out'; inv: boolean }
  /** xt_rpfilter: the reverse-path lookup of the source (libxt_rpfilter.c; --invert, not `!`, inverts it). */
  | { kind: 'rpfilter'; loose: boolean; validmark: boolean; acceptLocal: boolean; invert: boolean }
  /** xt_owner: the sending socket's uid/gid (OUTPUT only); Istio's istio-iptables keys its sidecar on uid 1337. */
  | { kind: 'owner'; uid?: { id: number; inv: boolean }; gid?: { id: number; inv: boolean } };

export type Target =
  | { kind: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { kind: 'jump'; chain: string }
  | { kind: 'REJECT'; with: string }
  | { kind: 'DNAT'; to: string }
  | { kind: 'SNAT'; to: string; randomFully: boolean }
  | { kind: 'MASQUERADE'; randomFully: boolean; toPorts?: string }
  | { kind: 'MARK'; mark: number; mask: number }
  | { kind: 'LOG'; prefix?: string; level: number }
  | { kind: 'REDIRECT'; toPorts?: string };

export interface Rule {
  src?: AddrSpec;
  dst?: AddrSpec;
  proto?: { num: number; name: string; inv: boolean };
  inIface?: { name: string; inv: boolean };
  outIface?: { name: string; inv: boolean };
  matches: Match[];
  target?: Target;
  goto?: boolean;
  /** Cached iptables-save text of the rule body (everything after `-A CHAIN`). */
  saved?: string;
}

export const PROTOCOLS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, sctp: 132, all: 0, icmpv6: 58, esp: 50, ah: 51, udplite: 136, ipencap: 4, gre: 47 };
export const PROTO_NAMES: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 132: 'sctp', 58: 'icmpv6', 50: 'esp', 51: 'ah', 136: 'udplite', 4: 'ipencap', 47: 'gre' };

// ---- addresses ------------------------------------------------------------------------

export { parseIPv4, formatIPv4, prefixMask };

function maskPrefix(mask: number): number {
  let p = 0;
  while (p < 32 && (mask & (0x80000000 >>> p)) !== 0) p++;
  return prefixMask(p) === mask ? p : -1;
}

/**
 * `10.0.0.1`, `10.0.0.0/8`, `10.0.0.0/255.0.0.0` → address & mask, as the kernel stores it;
 * with `ipv6`, ip6tables' `fd00::1`, `fd00:10:244::/56` (host bits cleared, a bare address a /128).
 */
export function parseAddr(s: string, inv: boolean, ipv6 = false): AddrSpec | undefined {
  if (ipv6) {
    const c = parseCidr6(s);
    if (!c) return undefined;
    return { ip: 0, mask: c.prefix === 0 ? 0 : 0xffffffff, prefix: c.prefix, inv, v6: formatIPv6(c.network) };
  }
  const [host, maskText] = s.split('/', 2);
  const ip = parseIPv4(host);
  if (ip === undefined) return undefined;
  let mask = 0xffffffff;
  if (maskText !== undefined) {
    if (/^\d{1,2}$/.test(maskText) && Number(maskText) <= 32) mask = prefixMask(Number(maskText));
    else {
      const m = parseIPv4(maskText);
      if (m === undefined) return undefined;
      mask = m;
    }
  }
  return { ip: (ip & mask) >>> 0, mask, prefix: maskPrefix(mask), inv };
}

export function addrMatches(a: AddrSpec, ip: number): boolean {
  if (a.v6 !== undefined) return a.inv;
  return (((ip & a.mask) >>> 0) === a.ip) !== a.inv;
}

/** An IPv6 packet's address against a rule's: ip6tables' addresses match, iptables' never do. */
export function addrMatches6(a: AddrSpec, ip: bigint): boolean {
  if (a.v6 === undefined) return a.inv;
  // the network as a number, parsed once per rule (rules stay plain data: snapshots JSON them)
  let n = net6Of.get(a);
  if (!n) net6Of.set(a, (n = { net: parseCidr6(`${a.v6}/${a.prefix}`)?.network ?? -1n, mask: prefixMask6(a.prefix) }));
  return ((ip & n.mask) === n.net) !== a.inv;
}

const net6Of = new WeakMap<AddrSpec, { net: bigint; mask: bigint }>();

export function cidrText(a: AddrSpec): string {
  if (a.v6 !== undefined) return `${a.v6}/${a.prefix}`;
  return formatIPv4(a.ip) + '/' + (a.prefix >= 0 ? String(a.prefix) : formatIPv4(a.mask));
}

// ---- errors ---------------------------------------------------------------------------

/** An iptables error: `message` is the whole stderr line(s), `code` the exit status. */
export class IptablesError extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
  }
}

export const IPT_VERSION = 'v1.8.9 (nf_tables)';

/** xtables_error(PARAMETER_PROBLEM, …): the message, then the "Try" line, exit 2. */
export function parameterProblem(prog: string, msg: string): IptablesError {
  return new IptablesError(`${prog} ${IPT_VERSION}: ${msg}\nTry \`${prog} -h' or '${prog} --help' for more information.\n`, 2);
}

export function otherProblem(prog: string, msg: string): IptablesError {
  return new IptablesError(`${prog} ${IPT_VERSION}: ${msg}\n`, 1);
}

// ---- numbers --------------------------------------------------------------------------

function parseUint(s: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16) >>> 0;
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n <= 0xffffffff ? n : undefined;
  }
  return undefined;
}

function parseMarkMask(s: string): { mark: number; mask: number } | undefined {
  const [a, b] = s.split('/', 2);
  const mark = parseUint(a);
  const mask = b === undefined ? 0xffffffff : parseUint(b);
  if (mark === undefined || mask === undefined) return undefined;
  return { mark, mask };
}

const SERVICES: Record<string, number> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, www: 80, pop3: 110, ntp: 123, imap2: 143, snmp: 161,
  bgp: 179, ldap: 389, https: 443, ldaps: 636, mysql: 3306, postgresql: 5432, 'http-alt': 8080,
};
export const SERVICE_NAMES: Record<number, string> = {
  20: 'ftp-data', 21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'domain', 67: 'bootps', 68: 'bootpc', 80: 'http',
  110: 'pop3', 123: 'ntp', 143: 'imap2', 161: 'snmp', 179: 'bgp', 389: 'ldap', 443: 'https', 636: 'ldaps', 993: 'imaps',
  995: 'pop3s', 3306: 'mysql', 5432: 'postgresql', 8080: 'http-alt',
};

function parsePort(s: string): number | undefined {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n <= 65535 ? n : undefined;
  }
  return SERVICES[s];
}

function parsePortRange(s: string, inv: boolean): PortRange | undefined {
  const [a, b] = s.split(':', 2);
  const lo = a === '' ? 0 : parsePort(a);
  const hi = b === undefined ? lo : b === '' ? 65535 : parsePort(b);
  if (lo === undefined || hi === undefined) return undefined;
  return lo <= hi ? { lo, hi, inv } : { lo: hi, hi: lo, inv };
}

// ---- reject types and conntrack states --------------------------------------------------

export const REJECT_TYPES: Record<string, string> = {
  'icmp-net-unreachable': 'icmp-net-unreachable', 'net-unreach': 'icmp-net-unreachable',
  'icmp-host-unreachable': 'icmp-host-unreachable', 'host-unreach': 'icmp-host-unreachable',
  'icmp-proto-unreachable': 'icmp-proto-unreachable', 'proto-unreach': 'icmp-proto-unreachable',
  'icmp-port-unreachable': 'icmp-port-unreachable', 'port-unreach': 'icmp-port-unreachable',
  'icmp-net-prohibited': 'icmp-net-prohibited', 'net-prohib': 'icmp-net-prohibited',
  'icmp-host-prohibited': 'icmp-host-prohibited', 'host-prohib': 'icmp-host-prohibited',
  'tcp-reset': 'tcp-reset', 'tcp-rst': 'tcp-reset',
  'icmp-admin-prohibited': 'icmp-admin-prohibited', 'admin-prohib': 'icmp-admin-prohibited',
};

/** ip6tables' REJECT types (libip6t_REJECT.c reject_table: name, alias); icmp6-port-unreachable is its default. */
export const REJECT_TYPES6: Record<string, string> = {
  'icmp6-no-route': 'icmp6-no-route', 'no-route': 'icmp6-no-route',
  'icmp6-adm-prohibited': 'icmp6-adm-prohibited', 'adm-prohibited': 'icmp6-adm-prohibited',
  'icmp6-addr-unreachable': 'icmp6-addr-unreachable', 'addr-unreach': 'icmp6-addr-unreachable',
  'icmp6-port-unreachable': 'icmp6-port-unreachable', 'port-unreach': 'icmp6-port-unreachable',
  'tcp-reset': 'tcp-reset',
  'icmp6-policy-fail': 'icmp6-policy-fail', 'policy-fail': 'icmp6-policy-fail',
  'icmp6-reject-route': 'icmp6-reject-route', 'reject-route': 'icmp6-reject-route',
};

/** libxt_conntrack prints states in this order, whatever order they were typed in. */
export const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

const ADDR_TYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];

// ---- the parser -----------------------------------------------------------------------

/** Options each match extension owns (long names, as in the extension's option table). */
const MATCH_OPTIONS: Record<string, string[]> = {
  comment: ['--comment'],
  tcp: ['--dport', '--destination-port', '--sport', '--source-port', '--syn', '--tcp-flags'],
  udp: ['--dport', '--destination-port', '--sport', '--source-port'],
  sctp: ['--dport', '--destination-port', '--sport', '--source-port'],
  icmp: ['--icmp-type'],
  multiport: ['--dports', '--destination-ports', '--sports', '--source-ports', '--ports'],
  mark: ['--mark'],
  statistic: ['--mode', '--probability', '--every', '--packet'],
  recent: ['--set', '--rcheck', '--update', '--remove', '--seconds', '--reap', '--hitcount', '--rttl', '--name', '--mask', '--rsource', '--rdest'],
  addrtype: ['--src-type', '--dst-type', '--limit-iface-in', '--limit-iface-out'],
  conntrack: ['--ctstate'],
  state: ['--state'],
  set: ['--match-set'],
  nfacct: ['--nfacct-name'],
  physdev: ['--physdev-is-bridged', '--physdev-is-in', '--physdev-is-out'],
  owner: ['--uid-owner', '--gid-owner'],
  rpfilter: ['--loose', '--validmark', '--accept-local', '--invert'],
};

const TARGET_OPTIONS: Record<string, string[]> = {
  REJECT: ['--reject-with'],
  DNAT: ['--to-destination', '--to'],
  SNAT: ['--to-source', '--to', '--random', '--random-fully', '--persistent'],
  MASQUERADE: ['--to-ports', '--random', '--random-fully'],
  MARK: ['--set-mark', '--set-xmark', '--or-mark', '--and-mark', '--xor-mark'],
  LOG: ['--log-prefix', '--log-level'],
  REDIRECT: ['--to-ports', '--random'],
};

const STANDARD_TARGETS = new Set(['ACCEPT', 'DROP', 'RETURN']);
const NAT_ONLY = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT']);

export function isExtensionTarget(name: string): boolean {
  return name in TARGET_OPTIONS;
}

interface MatchBuilder {
  name: string;
  state: Record<string, unknown>;
}

/**
 * The address family a rule's addresses are parsed in: ip6tables' IPv6, iptables' IPv4;
 * an agent's own argument lists (prog AGENT_PROG: kube-proxy, whose proxiers are one per
 * family, and the CNI agents) take either, by the address's form.
 */
export const AGENT_PROG = 'agent';

function v6Family(prog: string, value: string): boolean {
  return prog.startsWith('ip6tables') || (prog === AGENT_PROG && value.includes(':') && !/^\d+\.\d+\.\d+\.\d+:/.test(value));
}

/**
 * Parses the part of an iptables command line that describes a rule (everything but the
 * command and its chain). `args` is argv after the shell split it. Throws IptablesError.
 */
export function parseRuleSpec(args: string[], prog = 'iptables'): Rule {
  const rule: Rule = { matches: [] };
  const builders: MatchBuilder[] = [];
  let targetName: string | undefined;
  const targetState: Record<string, unknown> = {};
  let invert = false;
  const need = (i: number, opt: string): string => {
    if (i >= args.length) throw parameterProblem(prog, `option "${opt}" requires an argument`);
    return args[i];
  };
  const loadMatch = (name: string): MatchBuilder => {
    if (!(name in MATCH_OPTIONS)) throw parameterProblem(prog, `Couldn't load match \`${name}':No such file or directory\n`);
    const b = { name, state: {} as Record<string, unknown> };
    builders.push(b);
    return b;
  };

  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '!') {
      if (invert) throw parameterProblem(prog, 'multiple `!\' flags not allowed');
      invert = true;
      continue;
    }
    const inv = invert;
    invert = false;
    switch (a) {
      case '-s': case '--source': case '--src': case '-d': case '--destination': case '--dst': {
        const v = need(++i, a);
        const spec = parseAddr(v, inv, v6Family(prog, v));
        if (!spec) throw parameterProblem(prog, `host/network \`${v}' not found`);
        if (a === '-s' || a === '--source' || a === '--src') rule.src = spec;
        else rule.dst = spec;
        continue;
      }
      case '-p': case '--protocol': {
        const v = need(++i, a).toLowerCase();
        let num = PROTOCOLS[v];
        if (num === undefined && /^\d+$/.test(v) && Number(v) < 256) num = Number(v);
        if (num === undefined) throw parameterProblem(prog, `unknown protocol "${v}" specified`);
        if (num !== 0 || inv) rule.proto = { num, name: PROTO_NAMES[num] ?? String(num), inv };
        continue;
      }
      case '-i': case '--in-interface': rule.inIface = { name: need(++i, a), inv }; continue;
      case '-o': case '--out-interface': rule.outIface = { name: need(++i, a), inv }; continue;
      case '-m': case '--match': {
        if (inv) throw parameterProblem(prog, 'unexpected ! flag before --match');
        loadMatch(need(++i, a));
        continue;
      }
      case '-j': case '--jump': case '-g': case '--goto': {
        if (targetName !== undefined) throw parameterProblem(prog, 'multiple -j flags not allowed');
        targetName = need(++i, a);
        if (a === '-g' || a === '--goto') rule.goto = true;
        continue;
      }
    }
    if (!a.startsWith('-')) throw parameterProblem(prog, `Bad argument \`${a}'`);
    // The target's own options first, then the loaded matches (latest first), then the protocol's implicit match.
    if (targetName && TARGET_OPTIONS[targetName]?.includes(a)) {
      i = parseTargetOption(targetName, targetState, a, args, i, inv, prog);
      continue;
    }
    let owner = [...builders].reverse().find((b) => MATCH_OPTIONS[b.name].includes(a));
    if (!owner && rule.proto && ['tcp', 'udp', 'sctp', 'icmp'].includes(rule.proto.name) && MATCH_OPTIONS[rule.proto.name].includes(a)) {
      owner = loadMatch(rule.proto.name);
    }
    if (!owner) throw parameterProblem(prog, `unknown option "${a}"`);
    i = parseMatchOption(owner, a, args, i, inv, prog, rule);
  }
  if (invert) throw parameterProblem(prog, "no argument following `!'");

  for (const b of builders) rule.matches.push(finishMatch(b, prog));
  if (targetName !== undefined) rule.target = finishTarget(targetName, targetState as Record<string, never>, prog);
  return rule;
}

function parseMatchOption(b: MatchBuilder, opt: string, args: string[], i: number, inv: boolean, prog: string, rule: Rule): number {
  const s = b.state;
  const need = (): string => {
    if (i + 1 >= args.length) throw parameterProblem(prog, `option "${opt}" requires an argument`);
    return args[++i];
  };
  switch (b.name) {
    case 'comment': {
      const v = need();
      if (v.length > 255) throw parameterProblem(prog, 'comment may not exceed 256 characters');
      s.comment = v;
      break;
    }
    case 'tcp': case 'udp': case 'sctp': {
      if (!rule.proto || rule.proto.name !== b.name) {
        throw parameterProblem(prog, `${b.name} match: only valid for protocol ${b.name === 'tcp' ? 6 : b.name === 'udp' ? 17 : 132}`);
      }
      if (opt === '--syn' || opt === '--tcp-flags') throw parameterProblem(prog, `unknown option "${opt}"`);
      const v = need();
      const r = parsePortRange(v, inv);
      if (!r) throw parameterProblem(prog, `invalid port/service \`${v}' specified`);
      if (opt === '--dport' || opt === '--destination-port') s.dport = r;
      else s.sport = r;
      break;
    }
    case 'icmp': {
      const v = need();
      const types: Record<string, number> = { 'echo-reply': 0, 'destination-unreachable': 3, 'echo-request': 8, 'time-exceeded': 11, any: -1 };
      const t = /^\d+$/.test(v) ? Number(v) : types[v];
      if (t === undefined) throw parameterProblem(prog, `Invalid ICMP type \`${v}'`);
      s.type = t;
      s.inv = inv;
      break;
    }
    case 'multiport': {
      const v = need();
      const ports = v.split(',').map((p) => parsePortRange(p, false));
      if (ports.some((p) => !p)) throw parameterProblem(prog, `invalid port/service \`${v}' specified`);
      s.dir = opt === '--dports' || opt === '--destination-ports' ? 'dports' : opt === '--ports' ? 'ports' : 'sports';
      s.ports = ports;
      s.inv = inv;
      break;
    }
    case 'mark': {
      const v = need();
      const mm = parseMarkMask(v);
      if (!mm) throw parameterProblem(prog, `Bad MARK value "${v}"`);
      Object.assign(s, mm, { inv, set: true });
      break;
    }
    case 'statistic': {
      if (opt === '--mode') {
        const v = need();
        if (v !== 'random' && v !== 'nth') throw parameterProblem(prog, `Bad mode "${v}"`);
        s.mode = v;
      } else if (opt === '--probability') {
        const v = need();
        const p = Number(v);
        if (!/^[0-9.]+$/.test(v) || Number.isNaN(p) || p < 0 || p > 1) throw parameterProblem(prog, `--probability must be between 0 and 1`);
        // libxt_statistic stores lround(0x80000000 * p) and prints it back with %.11f.
        s.probability = Math.round(0x80000000 * p);
      } else if (opt === '--every') s.every = Number(need());
      else if (opt === '--packet') s.packet = Number(need());
      if (inv) s.inv = true;
      break;
    }
    case 'recent': {
      switch (opt) {
        case '--set': case '--rcheck': case '--update': case '--remove':
          if (s.op) throw parameterProblem(prog, 'recent: only one of `--set\', `--rcheck\' `--update\' or `--remove\' may be set');
          s.op = opt.slice(2);
          if (inv) s.inv = true;
          break;
        case '--seconds': s.seconds = Number(need()); break;
        case '--hitcount': s.hitcount = Number(need()); break;
        case '--reap': s.reap = true; break;
        case '--rttl': s.rttl = true; break;
        case '--name': s.name = need(); break;
        case '--mask': {
          const v = need();
          const m = parseIPv4(v);
          if (m === undefined) throw parameterProblem(prog, `Bad mask \`${v}'`);
          s.mask = m;
          break;
        }
        case '--rsource': s.side = 'source'; break;
        case '--rdest': s.side = 'dest'; break;
      }
      break;
    }
    case 'addrtype': {
      if (opt === '--limit-iface-in') { s.limitIn = true; break; }
      if (opt === '--limit-iface-out') { s.limitOut = true; break; }
      const v = need();
      const types = v.split(',');
      for (const t of types) if (!ADDR_TYPES.includes(t.toUpperCase())) throw parameterProblem(prog, `addrtype: bad type "${t}"`);
      const spec = { types: types.map((t) => t.toUpperCase()), inv };
      if (opt === '--src-type') s.src = spec;
      else s.dst = spec;
      break;
    }
    case 'conntrack': case 'state': {
      const v = need();
      const states = v.split(',').map((x) => x.toUpperCase());
      for (const st of states) if (!CT_STATES.includes(st)) throw parameterProblem(prog, `Bad ctstate "${st}"`);
      s.states = states;
      s.inv = inv;
      break;
    }
    case 'set': {
      const name = need();
      const flags = need();
      s.name = name;
      s.flags = flags.split(',');
      s.inv = inv;
      break;
    }
    case 'nfacct': s.name = need(); break;
    case 'physdev': s.flag = opt.slice('--physdev-'.length); s.inv = inv; break;
    case 'rpfilter':
      // its options have no XTOPT_INVERT: `!` before one is refused (xtables_option_parse)
      if (inv) throw parameterProblem(prog, `rpfilter: option "${opt}" cannot be inverted.\n`);
      s[opt === '--accept-local' ? 'acceptLocal' : opt.slice(2)] = true;
      break;
    case 'owner': {
      const v = need();
      if (!/^\d+$/.test(v)) throw parameterProblem(prog, `owner: Bad value for "${opt}" option: "${v}"`);
      s[opt === '--uid-owner' ? 'uid' : 'gid'] = { id: Number(v), inv };
      break;
    }
  }
  return i;
}

function finishMatch(b: MatchBuilder, prog: string): Match {
  const s = b.state as Record<string, never>;
  switch (b.name) {
    case 'comment':
      if (s.comment === undefined) throw parameterProblem(prog, 'comment: option "--comment" must be specified');
      return { kind: 'comment', comment: s.comment };
    case 'tcp': case 'udp': case 'sctp':
      return { kind: b.name, sport: s.sport, dport: s.dport };
    case 'icmp':
      return { kind: 'icmp', type: s.type, inv: !!s.inv };
    case 'multiport':
      if (!s.ports) throw parameterProblem(prog, 'multiport needs an option (--sports, --dports or --ports)');
      return { kind: 'multiport', dir: s.dir, ports: s.ports, inv: !!s.inv };
    case 'mark':
      if (!s.set) throw parameterProblem(prog, 'mark: option "--mark" must be specified');
      return { kind: 'mark', mark: s.mark, mask: s.mask, inv: !!s.inv };
    case 'statistic':
      if (s.mode === 'nth') return { kind: 'statistic', mode: 'nth', every: s.every ?? 0, packet: s.packet ?? 0, inv: !!s.inv };
      if (s.mode !== 'random') throw parameterProblem(prog, 'statistic: no mode specified');
      if (s.probability === undefined) throw parameterProblem(prog, 'statistic: --probability must be specified');
      return { kind: 'statistic', mode: 'random', probability: s.probability, inv: !!s.inv };
    case 'recent':
      return {
        kind: 'recent',
        op: s.op ?? 'set',
        seconds: s.seconds ?? 0,
        reap: !!s.reap,
        hitcount: s.hitcount ?? 0,
        rttl: !!s.rttl,
        name: s.name ?? 'DEFAULT',
        mask: s.mask ?? 0xffffffff,
        side: s.side ?? 'source',
        inv: !!s.inv,
      };
    case 'addrtype':
      return { kind: 'addrtype', src: s.src, dst: s.dst, limitIn: s.limitIn, limitOut: s.limitOut };
    case 'conntrack': case 'state':
      if (!s.states) throw parameterProblem(prog, `${b.name}: option "--${b.name === 'state' ? 'state' : 'ctstate'}" must be specified`);
      return { kind: b.name, states: CT_STATES.filter((x) => (s.states as string[]).includes(x)), inv: !!s.inv };
    case 'set':
      if (!s.name) throw parameterProblem(prog, 'You must specify `--match-set\' with proper arguments');
      return { kind: 'set', name: s.name, flags: s.flags, inv: !!s.inv };
    case 'nfacct':
      return { kind: 'nfacct', name: s.name ?? '' };
    case 'physdev':
      return { kind: 'physdev', flag: s.flag ?? 'is-bridged', inv: !!s.inv };
    case 'owner':
      return { kind: 'owner', uid: s.uid, gid: s.gid };
    case 'rpfilter':
      return { kind: 'rpfilter', loose: !!s.loose, validmark: !!s.validmark, acceptLocal: !!s.acceptLocal, invert: !!s.invert };
  }
  throw parameterProblem(prog, `Couldn't load match \`${b.name}':No such file or directory\n`);
}

function parseTargetOption(name: string, s: Record<string, unknown>, opt: string, args: string[], i: number, _inv: boolean, prog: string): number {
  const need = (): string => {
    if (i + 1 >= args.length) throw parameterProblem(prog, `option "${opt}" requires an argument`);
    return args[++i];
  };
  switch (name) {
    case 'REJECT': {
      const v = need();
      const t = (prog.startsWith('ip6tables') ? REJECT_TYPES6 : REJECT_TYPES)[v];
      if (!t) throw parameterProblem(prog, `unknown reject type "${v}"`);
      s.with = t;
      break;
    }
    case 'DNAT': case 'SNAT': {
      if (opt === '--random' || opt === '--persistent') break;
      if (opt === '--random-fully') { s.randomFully = true; break; }
      const v = need();
      // ip6tables writes an IPv6 address with a port in brackets: [fd00::1]:80 (libxt_DNAT.c parse_to)
      const six = v6Family(prog, v) ? /^\[([^\]]+)\](?::(.*))?$|^([^[\]]+)$/.exec(v) : null;
      const [ip, port] = six ? [six[1] ?? six[3], six[2]] : v.split(':');
      if ((six ? parseCidr6(ip) === undefined || ip.includes('/') : parseIPv4(ip) === undefined) || (port !== undefined && parsePortRange(port, false) === undefined)) {
        throw parameterProblem(prog, `Bad IP address "${v}"`);
      }
      s.to = v;
      break;
    }
    case 'MASQUERADE': case 'REDIRECT':
      if (opt === '--to-ports') s.toPorts = need();
      else if (opt === '--random-fully') s.randomFully = true;
      break;
    case 'MARK': {
      const v = need();
      const mm = parseMarkMask(v);
      if (!mm) throw parameterProblem(prog, `MARK: Bad value for option "${opt}", or out of range (0-4294967295).`);
      if (opt === '--set-xmark') Object.assign(s, mm);
      else if (opt === '--set-mark') Object.assign(s, { mark: mm.mark, mask: (mm.mask | mm.mark) >>> 0 });
      else if (opt === '--or-mark') Object.assign(s, { mark: mm.mark, mask: mm.mark });
      else if (opt === '--and-mark') Object.assign(s, { mark: 0, mask: ~mm.mark >>> 0 });
      else if (opt === '--xor-mark') Object.assign(s, { mark: mm.mark, mask: 0 });
      s.set = true;
      break;
    }
    case 'LOG':
      if (opt === '--log-prefix') s.prefix = need();
      else s.level = Number(need());
      break;
  }
  return i;
}

function finishTarget(name: string, s: Record<string, never>, prog: string): Target {
  if (STANDARD_TARGETS.has(name)) return { kind: name as 'ACCEPT' };
  switch (name) {
    case 'REJECT': return { kind: 'REJECT', with: s.with ?? (prog.startsWith('ip6tables') ? 'icmp6-port-unreachable' : 'icmp-port-unreachable') };
    case 'DNAT':
      if (!s.to) throw parameterProblem(prog, 'DNAT: option "--to-destination" must be specified');
      return { kind: 'DNAT', to: s.to };
    case 'SNAT':
      if (!s.to) throw parameterProblem(prog, 'SNAT: option "--to-source" must be specified');
      return { kind: 'SNAT', to: s.to, randomFully: !!s.randomFully };
    case 'MASQUERADE': return { kind: 'MASQUERADE', randomFully: !!s.randomFully, toPorts: s.toPorts };
    case 'REDIRECT': return { kind: 'REDIRECT', toPorts: s.toPorts };
    case 'MARK':
      if (!s.set) throw parameterProblem(prog, 'MARK target: Parameter --set/and/or/xor-mark is required');
      return { kind: 'MARK', mark: s.mark, mask: s.mask };
    case 'LOG': return { kind: 'LOG', prefix: s.prefix, level: s.level ?? 4 };
  }
  return { kind: 'jump', chain: name };
}

/**
 * What the kernel refuses in a table ("Invalid argument"): a nat-only target outside nat, and
 * `-m rpfilter` outside raw and mangle (xt_rpfilter.c rpfilter_check).
 */
export function targetAllowedIn(rule: Rule, table: TableName): boolean {
  if (table !== 'raw' && table !== 'mangle' && rule.matches.some((m) => m.kind === 'rpfilter')) return false;
  return !(rule.target && NAT_ONLY.has(rule.target.kind) && table !== 'nat');
}

export function targetName(rule: Rule): string {
  const t = rule.target;
  if (!t) return '';
  return t.kind === 'jump' ? t.chain : t.kind;
}
