/**
 * `conntrack` (conntrack-tools 1.4.6, Ubuntu 22.04's, over libnetfilter_conntrack 1.0.9) on
 * a node: the node's connection tracking table (controllers/kube-proxy/conntrack.ts).
 *
 * src/conntrack.c at tag conntrack-tools-1.4.6:
 *   - commands -L [conntrack|expect|dying|unconfirmed], -D, -G, -F, -C, -S, -E, -V, -h (at
 *     most one: add_command's "Invalid commands combination"); check_type's "unknown type";
 *   - filters -s/--src/--orig-src and -d/--dst/--orig-dst (CIDR allowed: the mask options),
 *     -r/--reply-src and -q/--reply-dst (no CIDR: "CIDR notation unavailable for `--reply-src'"),
 *     -p/--protonum (findproto: a name from the extensions or /etc/protocols, else atoi — so an
 *     unknown name is protocol 0), after -p tcp/udp the extension's --sport/--orig-port-src,
 *     --dport/--orig-port-dst, --reply-port-src, --reply-port-dst and (tcp) --state
 *     (extensions/libct_proto_tcp.c: "unknown TCP state"); -u/--status (parse_parameter:
 *     ASSURED, SEEN_REPLY, UNSET, FIXED_TIMEOUT, EXPECTED, OFFLOAD, a prefix is enough; every
 *     bit asked must be set, compare.c cmp_status with NFCT_CMP_MASK); -m/--mark VALUE[/MASK];
 *     -n/--src-nat, -g/--dst-nat, -j/--any-nat [IP[:PORT]] (filter_nat: SNAT seen as a reply
 *     destination other than the original source, DNAT as a reply source other than the
 *     original destination); -f ipv4|ipv6;
 *   - -o extended (NFCT_OF_SHOW_LAYER3: `ipv4     2 ` first), id (`id=N` last), timestamp
 *     (events: `[SEC.USEC]\t` first), ktimestamp (the kernel's start/stop stamps, sent only with
 *     net.netfilter.nf_conntrack_timestamp=1, off on these nodes: nothing added), xml
 *     (snprintf_xml.c), userspace (events only; every change here comes from the kernel);
 *   - generic_opt_check over commands_v_options: "Illegal option `--%s' with this command";
 *     exit_error's `conntrack v1.4.6 (conntrack-tools): MSG` and exit_tryhelp's line, status 2;
 *     the counters on stderr (exit_msg), status 1 when -D/-G found nothing.
 *
 *   - -I (CT_CREATE) and -U (CT_UPDATE, update_cb): see create() and update() below; the
 *     walk (controllers/kube-proxy/walk.ts existingConnection) finds what they leave.
 *
 * Lines are libnetfilter_conntrack's snprintf_default.c; -E prints them as ctnetlink's events
 * for each connection the walk records on this node (NEW, one UPDATE per state change, DESTROY
 * when it times out or is deleted), streaming like tcpdump; -S is ctnetlink's per-CPU stats.
 */
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { isStreaming, type CommandOutcome, type RunResult, type Streaming } from '../../../types';
import { kubeProxyOf } from '../../../controllers/kube-proxy';
import { CT_TIMEOUTS, type ConntrackEntry, type ConntrackEvent } from '../../../controllers/kube-proxy/conntrack';
import type { Protocol } from '../../../dataplane/packet';
import { sha1 } from '../../../cluster/hash';
import { nodeOf } from './node';

const VERSION = '1.4.6';
const V = `conntrack v${VERSION} (conntrack-tools)`;
const TRY = "Try `conntrack -h' or 'conntrack --help' for more information.\n";

/** The layer-4 protocols conntrack registers (register_tcp … register_gre) and /etc/protocols' others it may be given. */
const PNUM: Record<string, number> = { tcp: 6, udp: 17, udplite: 136, sctp: 132, dccp: 33, icmp: 1, icmpv6: 58, gre: 47 };
const ETC_PROTOCOLS: Record<string, number> = { ip: 0, igmp: 2, ipencap: 4, egp: 8, pup: 12, rdp: 27, rsvp: 46, esp: 50, ah: 51, 'ipv6-icmp': 58, ospf: 89, pim: 103, vrrp: 112, l2tp: 115, isis: 124, mptcp: 262 };

/** A parse error: exit_error(PARAMETER_PROBLEM, …) then exit_tryhelp, status 2. */
class Usage extends Error {}

type Command = 'L' | 'D' | 'G' | 'F' | 'E' | 'C' | 'S' | 'V' | 'h' | 'I' | 'U';
type Table = 'conntrack' | 'expect' | 'dying' | 'unconfirmed';

interface Net {
  addr: string;
  /** CIDR prefix length, for -s/-d. */
  bits?: number;
}

interface Opts {
  cmd?: Command;
  table: Table;
  family?: 'ipv4' | 'ipv6';
  /** Options given, by their optflags name (generic_opt_check). */
  given: Set<string>;
  src?: Net;
  dst?: Net;
  replySrc?: string;
  replyDst?: string;
  proto?: number;
  protoName?: string;
  sport?: number;
  dport?: number;
  replySport?: number;
  replyDport?: number;
  state?: string;
  status: string[];
  mark?: { value: number; mask: number };
  snat?: { ip?: string; port?: number };
  dnat?: { ip?: string; port?: number };
  anyNat?: { ip?: string; port?: number };
  /** -t: seconds (atol), for -I and -U. */
  timeout?: number;
  /** After -p icmp: --icmp-type, --icmp-code, --icmp-id (extensions/libct_proto_icmp.c, atoi). */
  icmpType?: number;
  icmpCode?: number;
  icmpId?: number;
  output: Set<string>;
  /** -e: the event types -E listens to (PARSE_EVENT: ALL, NEW, UPDATES, DESTROY). */
  eventMask?: Set<'NEW' | 'UPDATE' | 'DESTROY'>;
  /** do_parse_parameter's warnings on stderr (a SRC_NAT or DST_NAT status, ignored). */
  warnings: string;
}

/** The option letters of commands_v_options' columns, by optflags name. */
const OPTFLAGS = ['src', 'dst', 'reply-src', 'reply-dst', 'protonum', 'timeout', 'status', 'zero', 'event-mask', 'tuple-src', 'tuple-dst', 'mask-src', 'mask-dst', 'nat-range', 'mark', 'id', 'family', 'src-nat', 'dst-nat', 'output', 'secmark', 'buffer-size', 'any-nat', 'zone', 'label', 'label-add', 'label-del', 'orig-zone', 'reply-zone'];
/** commands_v_options rows (0 illegal, 1 compulsory, 2 optional, 3 in pairs). */
const LEGAL: Partial<Record<Command, number[]>> = {
  L: [2, 2, 2, 2, 2, 0, 2, 2, 0, 0, 0, 2, 2, 0, 2, 0, 2, 2, 2, 2, 2, 0, 2, 2, 2, 0, 0, 2, 2],
  D: [2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2, 2, 0, 2, 2, 2, 2, 2, 2, 0, 0, 0, 2, 2, 0, 0, 2, 2],
  G: [3, 3, 3, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0],
  I: [3, 3, 3, 3, 1, 1, 2, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 2, 2, 0, 0, 0, 0, 2, 0, 2, 0, 2, 2],
  U: [2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2, 2, 0, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2, 2, 2, 0, 0],
  E: [2, 2, 2, 2, 2, 0, 0, 0, 2, 0, 0, 2, 2, 0, 2, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 2, 2],
};
/** EXP_CREATE's row: the master's tuple, the expected tuple and its mask, all compulsory. */
const EXP_CREATE = [1, 1, 2, 2, 1, 1, 2, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/** The TCP extension's columns (sport dport reply-port-src reply-port-dst … state) for -L/-D/-G/-E. */
const TCP_LEGAL: Partial<Record<Command, number[]>> = { L: [2, 2, 2, 2, 0, 0, 2], I: [3, 3, 3, 3, 0, 0, 1], U: [2, 2, 2, 2, 0, 0, 2], D: [2, 2, 2, 2, 0, 0, 2], G: [3, 3, 3, 3, 0, 0, 2], E: [2, 2, 2, 2, 0, 0, 2] };
const TCP_FLAGS = ['sport', 'dport', 'reply-port-src', 'reply-port-dst', 'mask-port-src', 'mask-port-dst', 'state'];
/** extensions/libct_proto_udp.c udp_commands_v_options (the tuple-port columns are for expectations). */
const UDP_LEGAL: Partial<Record<Command, number[]>> = { L: [2, 2, 2, 2, 0, 0], I: [3, 3, 3, 3, 0, 0], U: [2, 2, 2, 2, 0, 0], D: [2, 2, 2, 2, 0, 0], G: [3, 3, 3, 3, 0, 0], E: [2, 2, 2, 2, 0, 0] };
/** extensions/libct_proto_icmp.c icmp_commands_v_options: type and code compulsory to create or get. */
const ICMP_LEGAL: Partial<Record<Command, number[]>> = { L: [2, 2, 2], I: [1, 1, 2], U: [2, 2, 2], D: [2, 2, 2], G: [1, 1, 2], E: [2, 2, 2] };
const ICMP_FLAGS = ['icmp-type', 'icmp-code', 'icmp-id'];
const ICMP_OPTS: Record<string, string> = { 'icmp-type': '8', 'icmp-code': '9', 'icmp-id': '0' };
const TCP_STATES = ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'];
const STATUS = ['ASSURED', 'SEEN_REPLY', 'UNSET', 'FIXED_TIMEOUT', 'EXPECTED', 'OFFLOAD'];
const OUTPUTS = ['xml', 'extended', 'timestamp', 'id', 'ktimestamp', 'labels', 'userspace'];
const LONG: Record<string, string> = {
  dump: 'L', create: 'I', delete: 'D', update: 'U', get: 'G', flush: 'F', event: 'E', counter: 'C', stats: 'S', version: 'V', help: 'h',
  'orig-src': 's', src: 's', 'orig-dst': 'd', dst: 'd', 'reply-src': 'r', 'reply-dst': 'q', protonum: 'p', timeout: 't', status: 'u',
  zero: 'z', 'event-mask': 'e', 'tuple-src': '[', 'tuple-dst': ']', 'mask-src': '{', 'mask-dst': '}', 'nat-range': 'a', mark: 'm',
  secmark: 'c', id: 'i', family: 'f', 'src-nat': 'n', 'dst-nat': 'g', output: 'o', 'buffer-size': 'b', 'any-nat': 'j', zone: 'w',
  label: 'l', 'label-add': '<', 'label-del': '>', 'orig-zone': '(', 'reply-zone': ')',
};
/** getopt_str ":L::I::U::D::G::E::F::hVs:d:r:q:p:t:u:e:a:z[:]:{:}:m:i:f:o:n::g::c:b:C::Sj::w:l:<:>::(:):" */
const TAKES_ARG = new Set('sdrqptueam[]{}ifocbwl<(');
const OPTIONAL_ARG = new Set('LIUDGEFCngj>');
/** The extensions' long options once -p names them (merge_options). */
const PORT_OPTS: Record<string, string> = { 'orig-port-src': '1', sport: '1', 'orig-port-dst': '2', dport: '2', 'reply-port-src': '3', 'reply-port-dst': '4', 'mask-port-src': '5', 'mask-port-dst': '6' };

function die(msg: string): never {
  throw new Usage(`${V}: ${msg}\n`);
}

function parseIp(s: string): 'ipv4' | 'ipv6' | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s) && s.split('.').every((o) => Number(o) <= 255)) return 'ipv4';
  if (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s) && (s.match(/::/g) ?? []).length <= 1) return 'ipv6';
  return undefined;
}

function parse(args: string[]): Opts {
  const o: Opts = { table: 'conntrack', given: new Set(), status: [], output: new Set(), warnings: '' };
  // do_parse_parameter: SRC_NAT and DST_NAT (a prefix, case aside) are refused before any list is searched
  const natWord = (part: string) => {
    const up = part.toUpperCase();
    if ('SRC_NAT'.startsWith(up)) o.warnings += 'WARNING: ignoring SRC_NAT, use --src-nat instead\n';
    else if ('DST_NAT'.startsWith(up)) o.warnings += 'WARNING: ignoring DST_NAT, use --dst-nat instead\n';
    else return false;
    return true;
  };
  // parse_parameter: comma-separated words, each a prefix of one of `list` (case aside);
  // a bad one is reported with the rest of the argument from it on
  const words = (arg: string, list: string[]): string[] => {
    const parts = arg.split(',');
    const out: string[] = [];
    parts.forEach((part, k) => {
      const rest = parts.slice(k).join(',');
      if (part === '') die(`Bad parameter \`${rest}'`);
      if (natWord(part)) return;
      const hit = list.find((w) => w.toUpperCase().startsWith(part.toUpperCase()));
      if (!hit) die(`Bad parameter \`${rest}'`);
      out.push(hit);
    });
    return out;
  };
  let protoExt: 'tcp' | 'udp' | 'icmp' | undefined;
  const setFamily = (f: 'ipv4' | 'ipv6') => {
    if (o.family && o.family !== f) die('mismatched address family');
    o.family = f;
  };
  const addr = (opt: string, v: string, long: string, cidr: boolean): Net => {
    const slash = v.indexOf('/');
    const a = slash >= 0 ? v.slice(0, slash) : v;
    const fam = parseIp(a);
    if (!fam) die(`Invalid IP address \`${v}'`);
    setFamily(fam);
    if (slash < 0) return { addr: a };
    if (!cidr) die(`CIDR notation unavailable for \`--${long}'`);
    const bits = /^\d+$/.test(v.slice(slash + 1)) ? Number(v.slice(slash + 1)) : -1;
    if (bits < 0 || bits > (fam === 'ipv4' ? 32 : 128)) die('Invalid netmask');
    return { addr: a, bits };
  };
  const natArg = (v: string | undefined): { ip?: string; port?: number } => {
    if (v === undefined) return {};
    // split_address_and_port: IPv4:PORT, [IPv6]:PORT, or an address alone
    let a = v;
    let port: string | undefined;
    const br = /^\[([^\]]*)\](?::(.*))?$/.exec(v);
    if (v.includes('[')) {
      if (!br) die("No closing ']' around IPv6 address");
      if (!br[1]) die('No IPv6 address specified');
      a = br[1];
      port = br[2];
    } else if (v.indexOf(':') >= 0 && v.indexOf(':') === v.lastIndexOf(':')) {
      a = v.slice(0, v.indexOf(':'));
      port = v.slice(v.indexOf(':') + 1);
    }
    if (port !== undefined) {
      if (port === '') die("No port specified after `:'");
      if (!/^\d+$/.test(port) || Number(port) > 65535) die(`Invalid port \`${port}'`);
    }
    const fam = parseIp(a);
    if (!fam) die(`Invalid IP address \`${a}'`);
    setFamily(fam);
    return { ip: a, port: port === undefined ? undefined : Number(port) };
  };
  const command = (c: Command) => {
    if (o.cmd) die('Invalid commands combination');
    o.cmd = c;
  };

  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let letter: string;
    let value: string | undefined;
    let display = a;
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      value = eq > 0 ? a.slice(eq + 1) : undefined;
      const ext = protoExt === 'icmp' ? ICMP_OPTS[name] : protoExt ? PORT_OPTS[name] ?? (protoExt === 'tcp' && name === 'state' ? '7' : undefined) : undefined;
      if (ext) letter = ext;
      else if (LONG[name]) letter = LONG[name];
      else die(`unknown option \`${a}'`);
      display = `--${name}`;
      if (ext || TAKES_ARG.has(letter)) {
        if (value === undefined) value = args[++i];
        if (value === undefined) die(`option \`${display}' requires an argument`);
      }
    } else if (a.startsWith('-') && a.length > 1) {
      letter = a[1];
      if (!TAKES_ARG.has(letter) && !OPTIONAL_ARG.has(letter) && !'hVzS'.includes(letter)) die(`unknown option \`${a}'`);
      const rest = a.slice(2);
      if (TAKES_ARG.has(letter)) {
        value = rest || args[++i];
        if (value === undefined) die(`option \`${a}' requires an argument`);
      } else if (rest) {
        if (OPTIONAL_ARG.has(letter)) value = rest;
        else die(`unknown option \`-${rest[0]}'`);
      }
    } else {
      // getopt_long moves operands to the end; conntrack reads none
      continue;
    }
    // get_optional_arg: an optional argument may also be the next word when it is not an option
    const optional = () => {
      if (value !== undefined) return value;
      const n = args[i + 1];
      if (n !== undefined && !n.startsWith('-') && !n.startsWith('!')) {
        i++;
        return n;
      }
      return undefined;
    };
    switch (letter) {
      case 'L': case 'I': case 'U': case 'D': case 'G': case 'E': case 'F': case 'C': case 'S': case 'V': case 'h': {
        const t = 'LIUDGEFC'.includes(letter) ? optional() : undefined;
        if (t !== undefined) {
          const hit = (['expect', 'conntrack', 'dying', 'unconfirmed'] as Table[]).find((x) => x.startsWith(t));
          if (!hit) die(`unknown type \`${t}'`);
          o.table = hit;
        }
        if (letter !== 'L' && (o.table === 'dying' || o.table === 'unconfirmed')) die("Can't do that command with tables `dying' and `unconfirmed'");
        if (letter === 'U' && o.table === 'expect') die("Can't update expectations");
        command(letter as Command);
        break;
      }
      case 's': o.given.add('src'); o.src = addr('s', value!, 'src', true); if (o.src.bits !== undefined) o.given.add('mask-src'); break;
      case 'd': o.given.add('dst'); o.dst = addr('d', value!, 'dst', true); if (o.dst.bits !== undefined) o.given.add('mask-dst'); break;
      case 'r': o.given.add('reply-src'); o.replySrc = addr('r', value!, 'reply-src', false).addr; break;
      case 'q': o.given.add('reply-dst'); o.replyDst = addr('q', value!, 'reply-dst', false).addr; break;
      case 'p': {
        o.given.add('protonum');
        const v = value!.toLowerCase();
        const n = PNUM[v] ?? ETC_PROTOCOLS[v] ?? Number.parseInt(v, 10);
        const num = Number.isNaN(n) ? 0 : n;
        if (num < 0 || num > 256) die(`\`${value}' unsupported protocol`);
        o.proto = num;
        o.protoName = Object.keys(PNUM).find((k) => PNUM[k] === num);
        protoExt = num === 6 ? 'tcp' : num === 17 ? 'udp' : num === 1 ? 'icmp' : undefined;
        break;
      }
      case 'u':
        o.given.add('status');
        for (const hit of words(value!, STATUS)) if (hit !== 'UNSET') o.status.push(hit);
        break;
      case 'e': {
        o.given.add('event-mask');
        const mask = new Set<'NEW' | 'UPDATE' | 'DESTROY'>(o.eventMask);
        for (const hit of words(value!, ['ALL', 'NEW', 'UPDATES', 'DESTROY'])) {
          if (hit === 'ALL' || hit === 'NEW') mask.add('NEW');
          if (hit === 'ALL' || hit === 'UPDATES') mask.add('UPDATE');
          if (hit === 'ALL' || hit === 'DESTROY') mask.add('DESTROY');
        }
        o.eventMask = mask;
        break;
      }
      case 'o':
        o.given.add('output');
        for (const hit of words(value!, OUTPUTS)) o.output.add(hit);
        break;
      case 'm': {
        o.given.add('mark');
        const [v, m] = value!.split('/');
        o.mark = { value: cUlong(v) >>> 0, mask: m === undefined ? 0xffffffff : cUlong(m) >>> 0 };
        break;
      }
      case 'n': o.given.add('src-nat'); o.snat = natArg(optional()); break;
      case 'g': o.given.add('dst-nat'); o.dnat = natArg(optional()); break;
      case 'j': o.given.add('any-nat'); o.anyNat = natArg(optional()); break;
      case 'f':
        o.given.add('family');
        if (value!.startsWith('ipv4')) setFamily('ipv4');
        else if (value!.startsWith('ipv6')) setFamily('ipv6');
        else die(`\`${value}' unsupported protocol`);
        break;
      case 'z': o.given.add('zero'); break;
      case 't': o.given.add('timeout'); o.timeout = cAtol(value!); break;
      case '8': o.icmpType = cAtoi(value!) & 0xff; o.given.add('icmp-type'); break;
      case '9': o.icmpCode = cAtoi(value!) & 0xff; o.given.add('icmp-code'); break;
      case '0': o.icmpId = cAtoi(value!); o.given.add('icmp-id'); break;
      case 'a': break;
      case '1': o.sport = cAtoi(value!); o.given.add('sport'); break;
      case '2': o.dport = cAtoi(value!); o.given.add('dport'); break;
      case '3': o.replySport = cAtoi(value!); o.given.add('reply-port-src'); break;
      case '4': o.replyDport = cAtoi(value!); o.given.add('reply-port-dst'); break;
      case '5': o.given.add('mask-port-src'); break;
      case '6': o.given.add('mask-port-dst'); break;
      case '7':
        if (!TCP_STATES.includes(value!) && value !== 'LISTEN') die(`unknown TCP state \`${value}'`);
        o.state = value === 'LISTEN' ? 'SYN_SENT2' : value;
        o.given.add('state');
        break;
      default: {
        // the options that take a value the simulation keeps no state for (zones, labels, secmark, timeout)
        const name = Object.keys(LONG).find((k) => LONG[k] === letter);
        if (name) o.given.add(name === 'orig-src' ? 'src' : name);
      }
    }
  }
  if (o.anyNat && (o.snat || o.dnat)) die("cannot specify `--src-nat' or `--dst-nat' with `--any-nat'");
  const expCreate = o.cmd === 'I' && o.table === 'expect';
  const legal = expCreate ? EXP_CREATE : o.cmd ? LEGAL[o.cmd] : undefined;
  const check = (row: number[] | undefined, names: string[]) => {
    if (!row) return;
    for (let k = 0; k < names.length; k++) {
      const has = o.given.has(names[k]);
      if (!has && row[k] === 1) die(`You need to supply the \`--${names[k]}' option for this command`);
      if (has && row[k] === 0) die(`Illegal option \`--${names[k]}' with this command`);
    }
  };
  if (o.cmd && ['F', 'C', 'S', 'V'].includes(o.cmd)) check(Array(OPTFLAGS.length).fill(0), OPTFLAGS);
  check(legal, OPTFLAGS);
  if ((o.cmd === 'G' || (o.cmd === 'I' && !expCreate)) && !((o.given.has('src') && o.given.has('dst')) || (o.given.has('reply-src') && o.given.has('reply-dst')))) {
    die(o.given.has('reply-src') || o.given.has('reply-dst') ? "you have to specify `--reply-src' and `--reply-dst'" : "you have to specify `--src' and `--dst'");
  }
  if (protoExt === 'tcp' && o.cmd) check(TCP_LEGAL[o.cmd], TCP_FLAGS);
  if (protoExt === 'udp' && o.cmd) check(UDP_LEGAL[o.cmd], TCP_FLAGS.slice(0, 6));
  if (protoExt === 'icmp' && o.cmd) check(ICMP_LEGAL[o.cmd], ICMP_FLAGS);
  if ((o.cmd === 'G' || o.cmd === 'I') && (protoExt === 'tcp' || protoExt === 'udp') && !(o.sport !== undefined && o.dport !== undefined) && !(o.replySport !== undefined && o.replyDport !== undefined)) {
    die(o.replySport !== undefined || o.replyDport !== undefined ? "you have to specify `--reply-src-port' and `--reply-dst-port'" : "you have to specify `--sport' and `--dport'");
  }
  return o;
}

/** atoi(3): leading digits, 0 when none. */
function cAtoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) & 0xffff : 0;
}

/** atol(3): leading digits (a sign allowed), 0 when none; the kernel reads CTA_TIMEOUT as a u32. */
function cAtol(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number(BigInt.asUintN(32, BigInt(m[1]))) : 0;
}

/** strtoul(s, NULL, 0): hex with 0x, octal with 0, else decimal; 0 when none. */
function cUlong(s: string): number {
  const t = s.trim();
  if (/^0x[0-9a-f]+/i.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[0-7]+/.test(t)) return parseInt(t, 8);
  const m = /^\d+/.exec(t);
  return m ? Number(m[0]) : 0;
}

function ipv4Int(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

function inNet(ip: string, n: Net): boolean {
  if (n.bits === undefined) return ip === n.addr;
  if (ip.includes(':') || n.addr.includes(':')) return ip === n.addr || n.bits === 0;
  const mask = n.bits === 0 ? 0 : (0xffffffff << (32 - n.bits)) >>> 0;
  return ((ipv4Int(ip) & mask) >>> 0) === ((ipv4Int(n.addr) & mask) >>> 0);
}

function pnumOf(e: ConntrackEntry): number {
  return e.dst.includes(':') && e.proto === 'icmp' ? 58 : PNUM[e.proto] ?? 0;
}

/** filter_nat: NFCT_GOPT_IS_SNAT/SPAT/DNAT/DPAT read off the two tuples. */
function natMatch(o: Opts, e: ConntrackEntry): boolean {
  const snat = (want: { ip?: string; port?: number }) => {
    const isSnat = e.replyDst !== e.src;
    const isSpat = e.replyDport !== e.sport;
    if (want.ip === undefined && want.port === undefined) return isSnat || isSpat;
    const ipOk = want.ip === undefined || (isSnat && want.ip === e.replyDst);
    const portOk = want.port === undefined || (isSpat && want.port === e.replyDport);
    return ipOk && portOk;
  };
  const dnat = (want: { ip?: string; port?: number }) => {
    const isDnat = e.replySrc !== e.dst;
    const isDpat = e.replySport !== e.dport;
    if (want.ip === undefined && want.port === undefined) return isDnat || isDpat;
    const ipOk = want.ip === undefined || (isDnat && want.ip === e.replySrc);
    const portOk = want.port === undefined || (isDpat && want.port === e.replySport);
    return ipOk && portOk;
  };
  if (o.anyNat) return snat(o.anyNat) || dnat(o.anyNat);
  if (o.snat && o.dnat) return snat(o.snat) && dnat(o.dnat);
  if (o.snat) return snat(o.snat);
  if (o.dnat) return dnat(o.dnat);
  return true;
}

function matches(o: Opts, e: ConntrackEntry): boolean {
  if (!natMatch(o, e)) return false;
  if (o.mark && ((e.mark & o.mark.mask) >>> 0) !== o.mark.value) return false;
  if (o.src && !inNet(e.src, o.src)) return false;
  if (o.dst && !inNet(e.dst, o.dst)) return false;
  if (o.replySrc && e.replySrc !== o.replySrc) return false;
  if (o.replyDst && e.replyDst !== o.replyDst) return false;
  if (o.proto !== undefined && pnumOf(e) !== o.proto) return false;
  if (o.sport !== undefined && e.sport !== o.sport) return false;
  if (o.dport !== undefined && e.dport !== o.dport) return false;
  if (o.replySport !== undefined && e.replySport !== o.replySport) return false;
  if (o.replyDport !== undefined && e.replyDport !== o.replyDport) return false;
  if (o.state && e.state !== o.state) return false;
  if (o.icmpType !== undefined && (e.proto !== 'icmp' || o.icmpType !== 8)) return false;
  if (o.icmpCode !== undefined && (e.proto !== 'icmp' || o.icmpCode !== 0)) return false;
  if (o.icmpId !== undefined && (e.proto !== 'icmp' || e.sport !== o.icmpId)) return false;
  for (const s of o.status) {
    if (s === 'ASSURED' && !e.assured) return false;
    if (s === 'SEEN_REPLY' && e.unreplied) return false;
    if (s === 'FIXED_TIMEOUT' || s === 'EXPECTED' || s === 'OFFLOAD') return false;
  }
  return true;
}

/** The conntrack id (nf_ct_get_id: a keyed hash of the entry), stable for the entry's life. */
function entryId(e: ConntrackEntry): number {
  if (e.ctId !== undefined) return e.ctId;
  const born = (e.expires ?? 0) - e.timeout * 1000;
  return parseInt(sha1(`${e.proto} ${e.src}:${e.sport} ${e.dst}:${e.dport} ${born}`).slice(0, 8), 16) >>> 0;
}

/** What one line shows of an entry: a dump's (every attribute) or an event's (ctnetlink_conntrack_event's). */
interface Shown {
  entry: ConntrackEntry;
  /** Seconds left; none in a DESTROY event. */
  timeout?: number;
  state?: string;
  unreplied: boolean;
  assured: boolean;
  /** Dumps carry `use`; events do not, and carry the mark only when set. */
  dump: boolean;
}

/** snprintf_default.c __snprintf_conntrack_default. */
function formatShown(s: Shown, type: 'NEW' | 'UPDATE' | 'DESTROY' | undefined, out: Set<string>): string {
  const e = s.entry;
  const six = e.dst.includes(':');
  const icmp6 = six && e.proto === 'icmp';
  let line = type ? `${`[${type}]`.padStart(9)} ` : '';
  if (out.has('extended')) line += six ? 'ipv6     10 ' : 'ipv4     2 ';
  line += icmp6 ? 'icmpv6   58 ' : `${e.proto.padEnd(8)} ${PNUM[e.proto] ?? 0} `;
  if (s.timeout !== undefined) line += `${s.timeout} `;
  if (s.state) line += `${s.state} `;
  const ports = (sp: number, dp: number, reply: boolean) => (e.proto === 'icmp' ? `type=${icmp6 ? (reply ? 129 : 128) : reply ? 0 : 8} code=0 id=${sp} ` : `sport=${sp} dport=${dp} `);
  line += `src=${e.src} dst=${e.dst} ${ports(e.sport, e.dport, false)}`;
  if (s.unreplied) line += '[UNREPLIED] ';
  line += `src=${e.replySrc} dst=${e.replyDst} ${e.proto === 'icmp' ? ports(e.replyDport, 0, true) : ports(e.replySport, e.replyDport, true)}`;
  if (s.assured) line += '[ASSURED] ';
  if (s.dump || e.mark !== 0) line += `mark=${e.mark} `;
  if (s.dump) line += 'use=1 ';
  if (out.has('id')) line += `id=${entryId(e)} `;
  return line.slice(0, -1);
}

function dumpShown(e: ConntrackEntry, now: number): Shown {
  return { entry: e, timeout: Math.max(0, Math.floor(((e.expires ?? now) - now) / 1000)), state: e.state, unreplied: !!e.unreplied, assured: e.assured, dump: true };
}

export function formatEntry(e: ConntrackEntry, now: number): string {
  return formatShown(dumpShown(e, now), undefined, new Set()) + '\n';
}

/**
 * snprintf_xml.c __snprintf_conntrack_xml: the original and reply `<meta>` (ports only for
 * the port protocols: ICMP's layer4 is empty), then the independent one — state, timeout,
 * mark, use, id (always: the kernel sends CTA_ID), `<assured/>`, `<unreplied/>` — and, for
 * an event under -o timestamp, `<when>` from localtime (the nodes run in UTC).
 */
function formatXml(s: Shown, type: 'NEW' | 'UPDATE' | 'DESTROY' | undefined, when?: number): string {
  const e = s.entry;
  const six = e.dst.includes(':');
  const l3 = six ? '<layer3 protonum="10" protoname="ipv6">' : '<layer3 protonum="2" protoname="ipv4">';
  const pnum = pnumOf(e);
  const l4 = (sp: number, dp: number) => `<layer4 protonum="${pnum}" protoname="${pnum === 58 ? 'icmpv6' : e.proto}">${e.proto === 'icmp' ? '' : `<sport>${sp}</sport><dport>${dp}</dport>`}</layer4>`;
  let x = `<flow${type ? ` type="${type.toLowerCase()}"` : ''}>`;
  x += `<meta direction="original">${l3}<src>${e.src}</src><dst>${e.dst}</dst></layer3>${l4(e.sport, e.dport)}</meta>`;
  x += `<meta direction="reply">${l3}<src>${e.replySrc}</src><dst>${e.replyDst}</dst></layer3>${l4(e.replySport, e.replyDport)}</meta>`;
  x += '<meta direction="independent">';
  if (s.state) x += `<state>${s.state}</state>`;
  if (s.timeout !== undefined) x += `<timeout>${s.timeout}</timeout>`;
  if (s.dump || e.mark !== 0) x += `<mark>${e.mark}</mark>`;
  if (s.dump) x += '<use>1</use>';
  x += `<id>${entryId(e)}</id>`;
  if (s.assured) x += '<assured/>';
  if (s.unreplied) x += '<unreplied/>';
  x += '</meta>';
  if (when !== undefined) {
    const d = new Date(when);
    const p = (n: number) => String(n).padStart(2, '0');
    x += `<when><hour>${d.getUTCHours()}</hour><min>${p(d.getUTCMinutes())}</min><sec>${p(d.getUTCSeconds())}</sec><wday>${d.getUTCDay() + 1}</wday><day>${d.getUTCDate()}</day><month>${d.getUTCMonth() + 1}</month><year>${d.getUTCFullYear()}</year></when>`;
  }
  return x + '</flow>';
}

const XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<conntrack>\n';

function usageText(): string {
  return (
    `Command line interface for the connection tracking system. Version ${VERSION}\n` +
    'Usage: conntrack [commands] [options]\n\n' +
    'Commands:\n  -L [table] [options]\t\tList conntrack or expectation table\n  -G [table] parameters\t\tGet conntrack or expectation\n' +
    '  -D [table] parameters\t\tDelete conntrack or expectation\n  -I [table] parameters\t\tCreate a conntrack or expectation\n' +
    '  -U [table] parameters\t\tUpdate a conntrack\n  -E [table] [options]\t\tShow events\n  -F [table]\t\t\tFlush table\n' +
    '  -C [table]\t\t\tShow counter\n  -S\t\t\t\tShow statistics\n\n' +
    'Tables: conntrack, expect, dying, unconfirmed\n\n' +
    'Conntrack parameters and options:\n  -n, --src-nat ip\t\t\tsource NAT ip\n  -g, --dst-nat ip\t\t\tdestination NAT ip\n' +
    '  -j, --any-nat ip\t\t\tsource or destination NAT ip\n  -m, --mark mark\t\t\tSet mark\n  -c, --secmark secmark\t\t\tSet selinux secmark\n' +
    '  -e, --event-mask eventmask\t\tEvent mask, eg. NEW,DESTROY\n  -z, --zero \t\t\t\tZero counters while listing\n' +
    '  -o, --output type[,...]\t\tOutput format, eg. xml\n  -l, --label label[,...]\t\tconntrack labels\n\n' +
    'Expectation parameters and options:\n  --tuple-src ip\tSource address in expect tuple\n  --tuple-dst ip\tDestination address in expect tuple\n\n' +
    'Updating parameters and options:\n  --label-add label\tAdd label\n  --label-del label\tDelete label\n\n' +
    'Common parameters and options:\n  -s, --src, --orig-src ip\t\tSource address from original direction\n' +
    '  -d, --dst, --orig-dst ip\t\tDestination address from original direction\n  -r, --reply-src ip\t\tSource addres from reply direction\n' +
    "  -q, --reply-dst ip\t\tDestination address from reply direction\n  -p, --protonum proto\t\tLayer 4 Protocol, eg. 'tcp'\n" +
    "  -f, --family proto\t\tLayer 3 Protocol, eg. 'ipv6'\n  -t, --timeout timeout\t\tSet timeout\n  -u, --status status\t\tSet status, eg. ASSURED\n" +
    '  -w, --zone value\t\tSet conntrack zone\n  --orig-zone value\t\tSet zone for original direction\n  --reply-zone value\t\tSet zone for reply direction\n' +
    '  -b, --buffer-size\t\tNetlink socket buffer size\n  --mask-src ip\t\t\tSource mask address\n  --mask-dst ip\t\t\tDestination mask address\n\n'
  );
}

/** The node's CPUs (its Node's capacity), one line each in -S. */
function cpusOf(ctx: CommandContext, node: string): number {
  const v = Number.parseInt(String(ctx.cluster.store.get('Node', undefined, node)?.status?.capacity?.cpu ?? '2'), 10);
  return Number.isFinite(v) && v > 0 ? v : 2;
}

/**
 * The states a connection the walk recorded went through, as ctnetlink announced them: one
 * NEW, then an UPDATE at each change of TCP state (tcp_conntracks) or status (the first reply,
 * ASSURED). A curl's connection: SYN_SENT (120 s, unreplied), SYN_RECV on the SYN-ACK (60 s),
 * ESTABLISHED and ASSURED on the client's ACK, FIN_WAIT on its FIN (120 s), LAST_ACK on the
 * server's FIN (30 s), TIME_WAIT on the last ACK (120 s). UDP and ICMP: NEW unreplied, UPDATE
 * on the reply (30 s each).
 */
function lifecycle(e: ConntrackEntry, established: number): { type: 'NEW' | 'UPDATE'; shown: Shown }[] {
  const at = (type: 'NEW' | 'UPDATE', timeout: number, state: string | undefined, unreplied: boolean, assured: boolean) => ({ type, shown: { entry: e, timeout, state, unreplied, assured, dump: false } });
  if (e.proto === 'tcp') {
    const out = [at('NEW', 120, 'SYN_SENT', true, false)];
    if (e.unreplied) return out;
    out.push(at('UPDATE', 60, 'SYN_RECV', false, false), at('UPDATE', established, 'ESTABLISHED', false, true));
    if (e.state === 'ESTABLISHED') return out;
    out.push(at('UPDATE', 120, 'FIN_WAIT', false, true), at('UPDATE', 30, 'LAST_ACK', false, true), at('UPDATE', CT_TIMEOUTS.tcpTimeWait, 'TIME_WAIT', false, true));
    return out;
  }
  const t = e.proto === 'udp' ? CT_TIMEOUTS.udp : CT_TIMEOUTS.icmp;
  const out = [at('NEW', t, undefined, true, false)];
  if (!e.unreplied) out.push(at('UPDATE', t, undefined, false, e.assured));
  return out;
}

/** `-E expect`: exp_event_sighandler's count when interrupted; no helper makes expectations here. */
function quietEvents(bye: string): Streaming {
  return { streaming: true, stdout: '', stderr: '', intervalMs: 1000, step: () => ({}), interrupt: () => ({ stderr: bye, exitCode: 0 }) };
}

function events(ctx: CommandContext, node: string, o: Opts, eventMask: Set<string>): Streaming {
  const kp = kubeProxyOf(ctx.cluster);
  kp.syncBackground(node);
  const table = kp.conntrack.get(node);
  const established = ctx.cluster.settings.kubeProxyReplacement ? CT_TIMEOUTS.tcpEstablished : 86400;
  const queue: string[] = [];
  let counter = 0;
  let xmlOpen = false;
  const show = (type: 'NEW' | 'UPDATE' | 'DESTROY', s: Shown) => {
    if (!eventMask.has(type)) return;
    let text = '';
    if (o.output.has('xml')) {
      if (!xmlOpen) text += XML_HEAD;
      xmlOpen = true;
      text += formatXml(s, type, o.output.has('timestamp') ? ctx.cluster.clock.now() : undefined);
    } else {
      if (o.output.has('timestamp')) {
        const ms = ctx.cluster.clock.now();
        text += `[${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}]\t`;
      }
      text += formatShown(s, type, o.output);
    }
    queue.push(text + '\n');
    counter++;
  };
  const heard = (ev: ConntrackEvent) => {
    const e = ev.entry;
    // no family filter here: -f only narrows a dump (NFCT_FILTER_DUMP_L3NUM); events pass nfct_filter alone
    if (e.background || !matches(o, e)) return;
    if (ev.kind === 'destroy') show('DESTROY', { entry: e, unreplied: !!e.unreplied, assured: e.assured, dump: false });
    else if (ev.kind === 'update' || (ev.created && e.manual)) show(ev.kind === 'update' ? 'UPDATE' : 'NEW', { ...dumpShown(e, ctx.cluster.clock.now()), dump: false });
    else if (ev.created) for (const step of lifecycle(e, established)) show(step.type, step.shown);
  };
  const stop = table?.listen(heard);
  const drain = () => {
    table?.expire(ctx.cluster.clock.now());
    return queue.splice(0).join('');
  };
  const end = () => {
    stop?.();
    const text = drain() + (xmlOpen ? '</conntrack>\n' : '');
    return { stdout: text, stderr: `${V}: ${counter} flow events have been shown.\n`, exitCode: 0 };
  };
  return {
    streaming: true,
    stdout: '',
    stderr: '',
    intervalMs: 1000,
    step: () => ({ stdout: drain() }),
    interrupt: end,
  };
}

export function runConntrack(args: string[], ctx: CommandContext): CommandOutcome {
  const node = nodeOf(ctx);
  let o: Opts;
  try {
    o = parse(args);
  } catch (e) {
    if (e instanceof Usage) return { stdout: '', stderr: e.message + TRY, exitCode: 2 };
    throw e;
  }
  const out = runParsed(ctx, node, o);
  if (!o.warnings) return out;
  return isStreaming(out) ? { ...out, stderr: o.warnings + out.stderr } : { ...out, stderr: o.warnings + (out as RunResult).stderr };
}

function runParsed(ctx: CommandContext, node: string | undefined, o: Opts): CommandOutcome {
  if (o.cmd === 'V') return { stdout: `${V}\n`, stderr: '', exitCode: 0 };
  if (!o.cmd || o.cmd === 'h') return { stdout: usageText(), stderr: '', exitCode: 0 };
  // ctnetlink answers EPERM without CAP_NET_ADMIN (a Pod's container): err2str's message for it
  if (!node) return fail(`${V}: Operation failed: sorry, you must be root or get CAP_NET_ADMIN capability to do this\n`);
  const kp = kubeProxyOf(ctx.cluster);
  const now = ctx.cluster.clock.now();
  const family = o.family ?? 'ipv4';
  if (o.table === 'expect' && o.cmd === 'I') {
    // EXP_CREATE needs a master connection a helper tracks: none is loaded on these nodes
    return fail(`${V}: Operation failed: master conntrack not found\n`);
  }
  if (o.table === 'expect') {
    // no helper (ftp, sip…) is loaded on these nodes: the expectation table is empty
    if (o.cmd === 'L' || o.cmd === 'D') return { stdout: '', stderr: `${V}: 0 expectations have been shown.\n`, exitCode: o.cmd === 'D' ? 1 : 0 };
    if (o.cmd === 'C') return { stdout: '0\n', stderr: '', exitCode: 0 };
    if (o.cmd === 'F') return { stdout: '', stderr: `${V}: expectation table has been emptied.\n`, exitCode: 0 };
    if (o.cmd === 'E') return quietEvents(`${V}: 0 expectation events have been shown.\n`);
    return fail(`${V}: Operation failed: such conntrack doesn't exist\n`);
  }
  if (o.cmd === 'E') {
    return events(ctx, node, o, o.eventMask ?? new Set(['NEW', 'UPDATE', 'DESTROY']));
  }
  if (o.cmd === 'S') {
    // ctnetlink's per-CPU statistics (nfct_stats_cb): conntrack 1.4.6 names the attributes up
    // to search_restart; the 5.15 kernel also sends clash_resolve and chaintoolong, which the
    // 1.0.9 headers it is built with count in CTA_STATS_MAX, so glibc prints their NULL name
    // as "(null)". The simulation drops, clashes or rejects nothing as invalid: all zero.
    const cpus = cpusOf(ctx, node);
    let s = '';
    for (let c = 0; c < cpus; c++) s += `cpu=${String(c).padEnd(4)}\tfound=0 invalid=0 insert=0 insert_failed=0 drop=0 early_drop=0 error=0 search_restart=0 (null)=0 (null)=0 \n`;
    return { stdout: s, stderr: '', exitCode: 0 };
  }
  kp.syncBackground(node);
  const ct = kp.conntrack.get(node);
  ct?.expire(now);
  const all = ct?.entries ?? [];
  if (o.cmd === 'C') return { stdout: `${all.length}\n`, stderr: '', exitCode: 0 };
  if (o.cmd === 'I') return create(ctx, node, o, now);
  if (o.cmd === 'U') return update(ctx, node, o, all.filter((e) => e.dst.includes(':') === (family === 'ipv6')), now);
  if (o.cmd === 'F') {
    if (ct) ct.entries = all.filter((e) => e.dst.includes(':') !== (family === 'ipv6'));
    return { stdout: '', stderr: `${V}: connection tracking table has been emptied.\n`, exitCode: 0 };
  }
  if (o.cmd === 'L' && (o.table === 'dying' || o.table === 'unconfirmed')) {
    // entries on their way out or not yet confirmed: none outlive the command line that made them
    return { stdout: '', stderr: `${V}: 0 flow entries have been shown.\n`, exitCode: 0 };
  }
  if (o.given.has('zero') && ['src', 'dst', 'reply-src', 'reply-dst', 'protonum', 'status', 'mark'].some((g) => o.given.has(g))) {
    return { stdout: '', stderr: `${V}: Can't use -z with filtering parameters\n${TRY}`, exitCode: 2 };
  }
  const entries = all.filter((e) => e.dst.includes(':') === (family === 'ipv6'));
  const hit = entries.filter((e) => matches(o, e));
  if (o.cmd === 'G') {
    const one = hit[0];
    if (!one) return fail(`${V}: Operation failed: such conntrack doesn't exist\n`);
    return { stdout: render([one], o, now), stderr: `${V}: 1 flow entries have been shown.\n`, exitCode: 0 };
  }
  if (o.cmd === 'D') {
    if (ct) ct.entries = all.filter((e) => !hit.includes(e));
    if (hit.length === 0) return { stdout: '', stderr: `${V}: 0 flow entries have been deleted.\n`, exitCode: 1 };
    return { stdout: render(hit, o, now, false), stderr: `${V}: ${hit.length} flow entries have been deleted.\n`, exitCode: 0 };
  }
  return { stdout: render(hit, o, now), stderr: `${V}: ${hit.length} flow entries have been shown.\n`, exitCode: 0 };
}

/**
 * `-I` (CT_CREATE): the template conntrack.c builds — the original tuple from -s/-d and the
 * ports (the reply one inverted from it, NFCT_SOPT_SETUP_REPLY, or the other way round from
 * -r/-q alone), the timeout, status, mark and TCP state — sent as IPCTNL_MSG_CT_NEW. The kernel
 * (ctnetlink_create_conntrack) applies --src-nat/--dst-nat to the reply tuple
 * (ctnetlink_setup_nat), refuses a tuple already hashed (EEXIST: "Such conntrack exists, try
 * -U to update") and, for ICMP, a type with no reply type (icmp_nlattr_to_tuple's invmap:
 * EINVAL, "invalid parameters"). Nothing is printed but the counter.
 */
function create(ctx: CommandContext, node: string, o: Opts, now: number): RunResult {
  const kp = kubeProxyOf(ctx.cluster);
  const proto: Protocol | undefined = o.proto === 6 ? 'tcp' : o.proto === 17 ? 'udp' : o.proto === 1 || o.proto === 58 ? 'icmp' : undefined;
  // the other protocols (sctp, dccp, gre…) have no tracker model here; their extension exists, the tables do not
  if (!proto) return fail(`netlab: conntrack -I for protocol ${o.protoName ?? o.proto} is not simulated here (tcp, udp and icmp are)\n`);
  if (proto === 'icmp' && o.icmpType !== 8) return fail(`${V}: Operation failed: invalid parameters\n`);
  const orig = o.src && o.dst;
  const sport = proto === 'icmp' ? o.icmpId ?? 0 : o.sport ?? o.replyDport ?? 0;
  const dport = proto === 'icmp' ? 0 : o.dport ?? o.replySport ?? 0;
  const src = orig ? o.src!.addr : o.replyDst!;
  const dst = orig ? o.dst!.addr : o.replySrc!;
  const replySrc = o.dnat?.ip ?? (orig && o.replySrc ? o.replySrc : dst);
  const replyDst = o.snat?.ip ?? (orig && o.replyDst ? o.replyDst : src);
  const replySport = proto === 'icmp' ? 0 : o.dnat?.port ?? (orig ? o.replySport ?? dport : o.replySport ?? dport);
  const replyDport = proto === 'icmp' ? sport : o.snat?.port ?? (orig ? o.replyDport ?? sport : o.replyDport ?? sport);
  const seenReply = o.status.includes('SEEN_REPLY');
  const entry: ConntrackEntry = {
    proto, src, dst, sport, dport, replySrc, replyDst, replySport, replyDport,
    ...(proto === 'tcp' ? { state: o.state } : {}),
    timeout: o.timeout ?? 0,
    assured: o.status.includes('ASSURED'),
    ...(seenReply ? {} : { unreplied: true }),
    mark: o.mark?.value ?? 0,
    manual: true,
  };
  kp.syncBackground(node);
  const ct = kp.conntrack.get(node);
  if (!ct) return fail(`${V}: Operation failed: such conntrack doesn't exist\n`);
  ct.expire(now);
  if (!ct.create(entry, now)) return fail(`${V}: Operation failed: Such conntrack exists, try -U to update\n`);
  return { stdout: '', stderr: `${V}: 1 flow entries have been created.\n`, exitCode: 0 };
}

/**
 * `-U` (CT_UPDATE, update_cb): every entry the filters pass (the NAT ones, -s/-d as networks,
 * the original and reply tuple attributes given) gets the template's meta attributes — -t's
 * timeout, --state, -u's status bits OR'd in (copy_status: "we only allow setting them"), -m's
 * mark as `(mark & ~mask) ^ value` (copy_mark) — unless nothing would change ("do not send
 * NFCT_Q_UPDATE if ct appears unchanged"); each one updated is read back and printed.
 */
function update(ctx: CommandContext, node: string, o: Opts, entries: ConntrackEntry[], now: number): RunResult {
  const ct = kubeProxyOf(ctx.cluster).conntrack.get(node);
  let out = '';
  let n = 0;
  const tuple: Opts = { ...o, mark: undefined, status: [], state: undefined };
  for (const e of entries) {
    if (!matches(tuple, e)) continue;
    const left = Math.max(0, Math.floor(((e.expires ?? now) - now) / 1000));
    const mark = o.mark ? (((e.mark & ~o.mark.mask) ^ o.mark.value) >>> 0) : e.mark;
    const assured = e.assured || o.status.includes('ASSURED');
    const unreplied = !!e.unreplied && !o.status.includes('SEEN_REPLY');
    const state = o.state !== undefined && e.proto === 'tcp' ? o.state : e.state;
    const timeoutChanged = o.timeout !== undefined && o.timeout !== left;
    if (!timeoutChanged && mark === e.mark && assured === e.assured && unreplied === !!e.unreplied && state === e.state) continue;
    e.ctId = entryId(e);
    if (o.timeout !== undefined) {
      e.timeout = o.timeout;
      e.expires = now + o.timeout * 1000;
    }
    e.mark = mark;
    e.assured = assured;
    if (unreplied) e.unreplied = true;
    else delete e.unreplied;
    if (state !== undefined) e.state = state;
    ct?.changed(e);
    out += render([e], o, now);
    n++;
  }
  return { stdout: out, stderr: `${V}: ${n} flow entries have been updated.\n`, exitCode: n ? 0 : 1 };
}

/** The listing: -o xml wraps the flows in one document (dump_cb; delete_cb prints no header). */
function render(list: ConntrackEntry[], o: Opts, now: number, xmlHead = true): string {
  if (o.output.has('xml')) {
    if (!list.length) return '';
    const body = list.map((e) => formatXml(dumpShown(e, now), undefined) + '\n').join('');
    return xmlHead ? XML_HEAD + body + '</conntrack>\n' : body;
  }
  return list.map((e) => formatShown(dumpShown(e, now), undefined, o.output) + '\n').join('');
}

function fail(stderr: string): RunResult {
  return { stdout: '', stderr, exitCode: 1 };
}

export const conntrackCommand: CommandSpec = {
  name: 'conntrack',
  summary: "list and manipulate the node's connection tracking table",
  run: runConntrack,
};
