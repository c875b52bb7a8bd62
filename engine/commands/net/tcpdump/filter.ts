/**
 * A subset of pcap-filter(7), parsed and matched the way libpcap's grammar (grammar.y) and
 * code generator (gencode.c) read it:
 *
 *   expr      := unary ( ('or' | '||' | 'and' | '&&') unary )*   (equal precedence, left to right)
 *   unary     := ('not' | '!') unary | '(' expr ')' | rel | primitive
 *   rel       := arth ('>' | '>=' | '=' | '==' | '<=' | '<' | '!=') arth
 *   arth      := NUM | pname '[' arth [':' 1|2|4] ']' | arth op arth | '-' arth | '(' arth ')'
 *                (op by grammar.y's precedence: `* / %` over `+ -` over `<< >>` over `&` over `| ^`)
 *   primitive := [proto] [dir] [type] ID  |  proto  |  [ip | ip6] proto (NUM | NAME | \\KEYWORD)
 *   proto     := ip | tcp | udp | icmp | arp | ip6
 *   dir       := src | dst | src or dst | src and dst
 *   type      := host | net | port | portrange
 *
 * An ID on its own after `and`/`or` takes the qualifiers of the primitive before it
 * (`host 10.0.0.1 or 10.0.0.2`, `port 53 or 80`), as libpcap's `pqual`/`id` rules do.
 * A packet is matched on its outermost header: on eth0, Flannel's VXLAN packets are UDP
 * between the nodes, Calico's IPIP packets protocol 4 (`port 80` does not see inside them).
 *
 * Errors are libpcap's: yyerror's `can't parse filter expression: syntax error`,
 * gencode's `unknown host 'NAME'`, `unknown port 'NAME'`, `illegal qualifier of 'port'`,
 * lookup_proto's `unknown ip proto 'NAME'`, gen_proto's `'tcp proto' is bogus`. `proto` names are
 * /etc/protocols' (netbase); a protocol that is also a keyword (`tcp`, `udp`, `icmp`) needs
 * scanner.l's backslash escape (`ip proto \tcp`), else it is a syntax error. Valid pcap syntax outside this
 * subset (`ether proto`, `broadcast`, `mpls`…) says it is not simulated.
 *
 * The link layer, by the capture's link type (libpcap 1.10 gencode.c, as Ubuntu 22.04 ships it):
 * `len`/`length` is the packet's length on the wire, link header included (gen_loadlen,
 * BPF_LEN); `greater N` is `len >= N`, `less N` is `len <= N` (gen_greater, gen_less);
 * `ether[…]`/`link[…]` load from the link header's start (gen_load Q_LINK: the 14-byte
 * Ethernet header, Linux cooked v2's 20 bytes on `any`, nothing on a raw IP device);
 * `ether host|src|dst MAC` compares the Ethernet addresses (gen_ecode → gen_ehostop), only on
 * Ethernet ("ethernet addresses supported only on …" elsewhere; a MAC without `ether` is
 * "ethernet address used in non-ether expression"); `vlan [N]` matches no frame, none being
 * tagged here, and on a link without VLANs is gen_vlan's "no VLAN support for …".
 *
 * Byte offsets are gencode.c's gen_load: `ip[…]`/`ip6[…]` from the network header, `tcp[…]`,
 * `udp[…]`, `icmp[…]` from the transport header of an IPv4 packet (its IHL; the first fragment
 * only), `icmp6[…]` past IPv6's 40 bytes — each only where the outer packet is that protocol
 * (the relation is false otherwise), read from the packet's bytes (bytes.ts networkBytes);
 * a load past the end rejects the packet whatever the rest says, as BPF returns 0. scanner.l's
 * named constants (`tcpflags` 13, `tcp-syn` 0x02…, `icmptype` 0, `icmp-echo` 8…) are numbers.
 * gencode's compile-time errors: "data size must be 1, 2, or 4", "division by zero",
 * "modulus by zero", "shift by more than 31 bits", "unsupported index operation".
 */
import type { WireEvent } from './wire';
import { frameBytes, networkBytes, type LinkName } from './bytes';
import { frameIpLength } from './wire';
import { cidrContains, isDottedQuad, parseCidr } from '../../../cluster/ipv4';
import { canonicalIPv6, isIPv6 } from '../../../cluster/ipv6';

export type Dir = 'src' | 'dst' | 'src or dst' | 'src and dst';
export type Proto = 'ip' | 'tcp' | 'udp' | 'icmp' | 'arp' | 'ip6' | 'icmp6';

export type FilterExpr =
  | { op: 'and' | 'or'; a: FilterExpr; b: FilterExpr }
  | { op: 'not'; a: FilterExpr }
  | { op: 'proto'; proto: Proto }
  | { op: 'host'; proto?: Proto; dir: Dir; ip: string }
  | { op: 'net'; proto?: Proto; dir: Dir; cidr: string }
  | { op: 'port'; proto?: Proto; dir: Dir; from: number; to: number }
  /** `[ip|ip6] proto N`: the IPv4 protocol / IPv6 next-header byte of the outer header (gen_proto). */
  | { op: 'ipproto'; family?: 'ip' | 'ip6'; num: number }
  /** `ether host|src|dst MAC` (gen_ehostop): the frame's Ethernet addresses. */
  | { op: 'ether'; dir: Dir; mac: string }
  /** `vlan [N]`: an 802.1Q-tagged frame (none here). */
  | { op: 'vlan' }
  /** A relation between two arithmetic expressions over the packet's bytes (grammar.y `rel`). */
  | { op: 'rel'; rel: '>' | '>=' | '=' | '<=' | '<' | '!='; a: Arith; b: Arith };

export type Arith =
  | { k: 'num'; v: number }
  | { k: 'load'; proto: string; off: Arith; size: 1 | 2 | 4; link?: LinkName }
  /** `len`: the frame's length on the wire, its link header included. */
  | { k: 'len'; link: LinkName }
  | { k: 'bin'; op: string; a: Arith; b: Arith }
  | { k: 'neg'; a: Arith };

/** scanner.l's names that lex as NUM. */
const NAMED_NUMS: Record<string, number> = {
  icmptype: 0, icmpcode: 1, 'icmp-echoreply': 0, 'icmp-unreach': 3, 'icmp-sourcequench': 4, 'icmp-redirect': 5, 'icmp-echo': 8,
  'icmp-routeradvert': 9, 'icmp-routersolicit': 10, 'icmp-timxceed': 11, 'icmp-paramprob': 12, 'icmp-tstamp': 13, 'icmp-tstampreply': 14,
  'icmp-ireq': 15, 'icmp-ireqreply': 16, 'icmp-maskreq': 17, 'icmp-maskreply': 18,
  icmp6type: 0, icmp6code: 1, 'icmp6-destinationunreach': 1, 'icmp6-packettoobig': 2, 'icmp6-timeexceeded': 3, 'icmp6-parameterproblem': 4,
  'icmp6-echo': 128, 'icmp6-echoreply': 129, 'icmp6-routersolicit': 133, 'icmp6-routeradvert': 134, 'icmp6-neighborsolicit': 135, 'icmp6-neighboradvert': 136, 'icmp6-redirect': 137,
  tcpflags: 13, 'tcp-fin': 0x01, 'tcp-syn': 0x02, 'tcp-rst': 0x04, 'tcp-push': 0x08, 'tcp-ack': 0x10, 'tcp-urg': 0x20, 'tcp-ece': 0x40, 'tcp-cwr': 0x80,
};
/** grammar.y `pname`s gen_load can index (the others answer "unsupported index operation"). */
const INDEXABLE = new Set(['ip', 'ip6', 'tcp', 'udp', 'icmp', 'icmp6', 'arp', 'rarp', 'sctp', 'igmp', 'igrp', 'pim', 'vrrp', 'carp']);
const PNAMES = new Set([...INDEXABLE, 'ether', 'link', 'ppp', 'slip', 'fddi', 'tr', 'wlan', 'radio', 'atalk', 'aarp', 'decnet', 'lat', 'sca', 'moprc', 'mopdl', 'ah', 'esp', 'iso', 'esis', 'isis', 'clnp', 'stp', 'ipx', 'netbeui', 'l1', 'l2', 'iih', 'lsp', 'snp', 'csnp', 'psnp']);
/** grammar.y's precedence levels for the binary operators, loosest first. */
const ARITH_LEVELS = [['|', '^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
const RELOPS = new Set(['>', '>=', '=', '==', '<=', '<', '!=']);

/** Not an arithmetic expression: the parser goes back and reads a primitive. */
class NotArith extends Error {}
/** A load past the end of the packet: BPF's `ret #0`, the packet rejected whatever else matched. */
class OutOfBounds extends Error {}

export class FilterError extends Error {}

/** /etc/services as tcpdump's hosts have it (netbase): the names a filter may use for a port. */
export const SERVICES: Record<string, number> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, http: 80, www: 80, ntp: 123, bgp: 179, https: 443,
  'http-alt': 8080, 'webcache': 8080, mysql: 3306, postgresql: 5432, 'kubernetes': 6443,
};

const PROTOS = new Set(['ip', 'tcp', 'udp', 'icmp', 'arp', 'ip6', 'icmp6']);
const TYPES = new Set(['host', 'net', 'port', 'portrange']);
/** /etc/protocols (netbase) names and aliases, for `proto NAME` (pcap_nametoproto → getprotobyname). */
const PROTOCOLS: Record<string, number> = {
  ip: 0, IP: 0, icmp: 1, ICMP: 1, igmp: 2, IGMP: 2, ipencap: 4, 'IP-ENCAP': 4, ipip: 4, IPIP: 4, tcp: 6, TCP: 6, udp: 17, UDP: 17,
  ipv6: 41, IPv6: 41, gre: 47, GRE: 47, esp: 50, 'IPSEC-ESP': 50, ah: 51, 'IPSEC-AH': 51, 'ipv6-icmp': 58, 'IPv6-ICMP': 58,
  ospf: 89, OSPFIGP: 89, vrrp: 112, VRRP: 112, sctp: 132, SCTP: 132,
};
/** scanner.l words that lex as their own tokens, never as an ID (so `ip proto tcp` does not parse). */
const KEYWORDS = new Set([...PROTOS, ...TYPES, 'src', 'dst', 'and', 'or', 'not', 'proto', 'gateway', 'less', 'greater', 'broadcast', 'multicast', 'sctp', 'igmp', 'igrp', 'pim', 'vrrp', 'carp', 'ah', 'esp', 'rarp', 'ether', 'vlan', 'mpls', 'protochain', 'inbound', 'outbound', 'len']);
/** pcap-filter keywords outside the subset: valid syntax a real tcpdump accepts. */
const NOT_SIMULATED = new Set(['mpls', 'gateway', 'broadcast', 'multicast', 'sctp', 'igmp', 'protochain', 'inbound', 'outbound', 'ifname', 'geneve', 'pppoed', 'pppoes', 'decnet', 'atalk', 'rarp', 'wlan', 'type', 'subtype', 'dir', 'mask']);

function tokenize(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    // scanner.l's operators, two-character ones first
    const two = text.slice(i, i + 2);
    if (['&&', '||', '!=', '==', '>=', '<=', '<<', '>>'].includes(two)) {
      out.push(two);
      i += 2;
      continue;
    }
    // `-` and `/` stay inside a word (`tcp-syn`, `1-1024`, `10.0.0.0/8`), `:` inside an IPv6
    // address; inside brackets `:` ends an offset before its size (`tcp[13:1]`)
    const standalone = i === 0 || /[\s([]/.test(text[i - 1]) || out[out.length - 1] === ']';
    if ('()[]!&|=<>+*%^'.includes(c) || ((c === '-' || c === '/') && standalone) || (c === ':' && depth > 0)) {
      if (c === '[') depth++;
      if (c === ']') depth = Math.max(0, depth - 1);
      out.push(c);
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s()[\]!&|=<>+*%^]/.test(text[j]) && !(depth > 0 && text[j] === ':')) j++;
    if (j === i) throw new FilterError("can't parse filter expression: syntax error");
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

interface Quals {
  proto?: Proto;
  dir: Dir;
  type: 'host' | 'net' | 'port' | 'portrange';
  /** `ether`'s qualifiers (Q_LINK): a bare ID after it is another Ethernet address. */
  link?: boolean;
}

export interface FilterContext {
  /** A host name to its first IPv4 address (getaddrinfo through the host's resolver), or undefined. */
  resolve(name: string): string | undefined;
  /** The capture's link type (pcap_datalink): Ethernet unless said. */
  link?: LinkName;
}

/** pcap_datalink_val_to_description (pcap.c dlt_choices). */
const DLT_DESCRIPTION: Record<LinkName, string> = { EN10MB: 'Ethernet', RAW: 'Raw IP', LINUX_SLL2: 'Linux cooked v2' };

/** scanner.l's MAC forms: six colon- or dash-separated bytes, or three dotted 16-bit words (pcap_ether_aton). */
function macOf(t: string): string | undefined {
  let bytes: string[] | undefined;
  if (/^[0-9a-f]{1,2}([:-])[0-9a-f]{1,2}(\1[0-9a-f]{1,2}){4}$/i.test(t)) bytes = t.split(/[:-]/).map((b) => b.padStart(2, '0'));
  else if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(t)) bytes = t.split('.').flatMap((w) => [w.slice(0, 2), w.slice(2)]);
  return bytes?.join(':').toLowerCase();
}

export function parseFilter(text: string, fctx: FilterContext): FilterExpr | undefined {
  const toks = tokenize(text);
  if (toks.length === 0) return undefined;
  const link: LinkName = fctx.link ?? 'EN10MB';
  let i = 0;
  let last: Quals | undefined;
  const syntax = (): never => {
    throw new FilterError("can't parse filter expression: syntax error");
  };
  const peek = () => toks[i];
  const next = () => toks[i++];

  // pcap-filter(7): "Alternation and concatenation have equal precedence and associate left to
  // right" (grammar.y: `expr and term`, `expr or term`, %left OR AND), so `a or b and c` is `(a or b) and c`
  const orExpr = (): FilterExpr => {
    let a = unary();
    for (let t = peek(); t === 'or' || t === '||' || t === 'and' || t === '&&'; t = peek()) {
      next();
      a = { op: t === 'or' || t === '||' ? 'or' : 'and', a, b: unary() };
    }
    return a;
  };
  const unary = (): FilterExpr => {
    const t = peek();
    if (t === undefined) return syntax();
    if (t === 'not' || t === '!') {
      next();
      return { op: 'not', a: unary() };
    }
    const rel = relation();
    if (rel) return rel;
    if (t === '(') {
      next();
      const e = orExpr();
      if (next() !== ')') syntax();
      return e;
    }
    return primitive();
  };
  /** grammar.y `rel`: read as arithmetic if it can be, else back to where it started. */
  const relation = (): FilterExpr | undefined => {
    const start = i;
    try {
      const a = arith(0);
      const op = peek();
      if (op === undefined || !RELOPS.has(op)) throw new NotArith();
      next();
      const b = arith(0);
      last = undefined;
      return { op: 'rel', rel: (op === '==' ? '=' : op) as Extract<FilterExpr, { op: 'rel' }>['rel'], a, b };
    } catch (err) {
      if (!(err instanceof NotArith)) throw err;
      // past a `pname[`, nothing but arithmetic parses: no primitive starts with one
      // (a group opening with `(` may still be a boolean one: `(udp[8:2] = 0 or port 53)`)
      if (toks[start] !== '(' && toks.slice(start, i).includes('[')) syntax();
      i = start;
      return undefined;
    }
  };
  const arith = (level: number): Arith => {
    if (level === ARITH_LEVELS.length) return arithUnary();
    let a = arith(level + 1);
    while (peek() !== undefined && ARITH_LEVELS[level].includes(peek()!)) {
      const op = next();
      const b = arith(level + 1);
      // gen_arth: a constant divisor, modulus or shift count is checked as the code is generated
      if (b.k === 'num') {
        if (op === '/' && b.v === 0) throw new FilterError('division by zero');
        if (op === '%' && b.v === 0) throw new FilterError('modulus by zero');
        if ((op === '<<' || op === '>>') && b.v > 31) throw new FilterError('shift by more than 31 bits');
      }
      a = { k: 'bin', op, a, b };
    }
    return a;
  };
  const arithUnary = (): Arith => {
    const t = peek();
    if (t === undefined) throw new NotArith();
    if (t === '-') {
      next();
      return { k: 'neg', a: arithUnary() };
    }
    if (t === '(') {
      next();
      const a = arith(0);
      if (next() !== ')') throw new NotArith();
      return a;
    }
    if (PNAMES.has(t) && toks[i + 1] === '[') {
      next();
      next();
      const off = arith(0);
      let size = 1;
      if (peek() === ':') {
        next();
        const n = next();
        const v = n === undefined ? undefined : numOf(n);
        if (v === undefined) return syntax();
        size = v;
      }
      if (next() !== ']') return syntax();
      if (size !== 1 && size !== 2 && size !== 4) throw new FilterError('data size must be 1, 2, or 4');
      if (t === 'ether' || t === 'link') return { k: 'load', proto: 'link', off, size, link };
      if (!INDEXABLE.has(t)) throw new FilterError('unsupported index operation');
      return { k: 'load', proto: t, off, size };
    }
    if (t === 'len' || t === 'length') {
      next();
      return { k: 'len', link };
    }
    const v = numOf(t);
    if (v === undefined) throw new NotArith();
    next();
    return { k: 'num', v };
  };
  const primitive = (): FilterExpr => {
    let proto: Proto | undefined;
    let dir: Dir | undefined;
    let type: Quals['type'] | undefined;
    let t = peek();
    if (t === 'greater' || t === 'less') {
      // grammar.y `GREATER NUM` / `LESS NUM`: gen_greater (len >= N), gen_less (len <= N)
      next();
      const n = peek();
      const v = n === undefined ? undefined : numOf(n);
      if (v === undefined) return syntax();
      next();
      last = undefined;
      return { op: 'rel', rel: t === 'greater' ? '>=' : '<=', a: { k: 'len', link }, b: { k: 'num', v } };
    }
    if (t === 'len' || t === 'length') return syntax();
    if (t === 'vlan') {
      next();
      // gen_vlan: the link type first ("no VLAN support for %s", pcap_datalink_val_to_description_or_dlt)
      if (peek() !== undefined && numOf(peek()!) !== undefined) next();
      if (link !== 'EN10MB') throw new FilterError(`no VLAN support for ${DLT_DESCRIPTION[link]}`);
      last = undefined;
      return { op: 'vlan' };
    }
    if (t === 'ether') {
      next();
      return etherPrimitive();
    }
    if (t !== undefined && NOT_SIMULATED.has(t)) throw new FilterError(`filter primitive '${t}' is not simulated here`);
    if (t !== undefined && PROTOS.has(t)) {
      proto = t as Proto;
      next();
      t = peek();
      if (t === 'proto') {
        next();
        return protoPrimitive(proto);
      }
    }
    if (t === 'proto' && !proto) {
      next();
      return protoPrimitive(undefined);
    }
    if (t === 'src' || t === 'dst') {
      next();
      dir = t;
      if ((peek() === 'or' || peek() === 'and') && (toks[i + 1] === 'src' || toks[i + 1] === 'dst')) {
        dir = `src ${next()}` as Dir;
        next();
      }
      t = peek();
    }
    if (t !== undefined && TYPES.has(t)) {
      type = t as Quals['type'];
      next();
      t = peek();
    }
    if (t !== undefined && NOT_SIMULATED.has(t)) throw new FilterError(`filter primitive '${t}' is not simulated here`);
    const isId = t !== undefined && !['and', 'or', '&&', '||', 'not', '!', '(', ')'].includes(t) && !PROTOS.has(t) && !TYPES.has(t) && t !== 'src' && t !== 'dst' && t !== 'proto';
    if (!isId) {
      if (proto && !dir && !type) return { op: 'proto', proto };
      return syntax();
    }
    next();
    // a bare ID continues the previous primitive's qualifiers (`port 53 or 80`)
    const q: Quals = !proto && !dir && !type && last ? last : { proto, dir: dir ?? 'src or dst', type: type ?? 'host' };
    // a MAC is scanner.l's EID, for which gen_ecode wants the `ether` qualifier
    if (!q.link && macOf(t!)) throw new FilterError('ethernet address used in non-ether expression');
    if (!proto && !dir && !type && !last && !isDottedQuad(t!) && /^\d+$/.test(t!)) return syntax();
    last = q;
    if (q.link) return etherHost(q.dir, t!);
    return idPrimitive(q, t!);
  };
  /** `ether [dir] [host] MAC` (gen_ecode), `ether [dir] host NAME` (gen_scode's Q_LINK host). */
  const etherPrimitive = (): FilterExpr => {
    let dir: Dir = 'src or dst';
    let t = peek();
    if (t === 'proto' || t === 'broadcast' || t === 'multicast') throw new FilterError(`filter primitive 'ether ${t}' is not simulated here`);
    if (t === 'src' || t === 'dst') {
      next();
      dir = t;
      if ((peek() === 'or' || peek() === 'and') && (toks[i + 1] === 'src' || toks[i + 1] === 'dst')) {
        dir = `src ${next()}` as Dir;
        next();
      }
      t = peek();
    }
    if (t === 'host') {
      next();
      t = peek();
    } else if (t !== undefined && TYPES.has(t)) throw new FilterError(`filter primitive 'ether ${t}' is not simulated here`);
    if (t === undefined || KEYWORDS.has(t) || ['(', ')', '[', ']', '!', '&&', '||'].includes(t)) return syntax();
    next();
    return etherHost(dir, t);
  };
  const etherHost = (dir: Dir, id: string): FilterExpr => {
    const mac = macOf(id);
    if (!mac) {
      // pcap_ether_hostton reads /etc/ethers, which the images do not have
      if (link !== 'EN10MB') throw new FilterError('only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name');
      throw new FilterError(`unknown ether host '${id}'`);
    }
    if (link !== 'EN10MB') throw new FilterError('ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel');
    last = { dir, type: 'host', link: true };
    return { op: 'ether', dir, mac };
  };

  /** grammar.y `pqual PROTO id`, gencode.c gen_proto / lookup_proto. */
  const protoPrimitive = (pq: Proto | undefined): FilterExpr => {
    const t = next();
    // a keyword (`tcp`, `and`, `(`…) is no ID: scanner.l returns it as its own token
    if (t === undefined || KEYWORDS.has(t) || ['(', ')', '[', ']', '!', '&&', '||'].includes(t)) return syntax();
    if (pq && pq !== 'ip' && pq !== 'ip6') throw new FilterError(`'${pq} proto' is bogus`);
    let num: number;
    if (/^\d+$/.test(t) || /^0x[0-9a-f]+$/i.test(t)) num = Number(t);
    else {
      const name = t.startsWith('\\') ? t.slice(1) : t;
      const n = PROTOCOLS[name];
      if (n === undefined) throw new FilterError(`unknown ip proto '${name}'`);
      num = n;
    }
    last = undefined;
    return { op: 'ipproto', family: pq as 'ip' | 'ip6' | undefined, num };
  };

  const idPrimitive = (q: Quals, id: string): FilterExpr => {
    // gencode.c gen_scode: only tcp, udp (and sctp) qualify a port
    if ((q.type === 'port' || q.type === 'portrange') && q.proto && q.proto !== 'tcp' && q.proto !== 'udp') throw new FilterError(`illegal qualifier of '${q.type}'`);
    if (q.type === 'host') {
      if (isDottedQuad(id)) return { op: 'host', proto: q.proto, dir: q.dir, ip: id };
      if (isIPv6(id)) return { op: 'host', proto: q.proto, dir: q.dir, ip: canonicalIPv6(id) };
      if (/^[\d.]+$/.test(id)) throw new FilterError(`illegal IPv4 address`);
      const ip = fctx.resolve(id);
      if (!ip) throw new FilterError(`unknown host '${id}'`);
      return { op: 'host', proto: q.proto, dir: q.dir, ip };
    }
    if (q.type === 'net') {
      const cidr = netOf(id);
      if (!cidr) throw new FilterError(/^[\d./]+$/.test(id) ? 'non-network bits set in "' + id + '"' : `unknown network '${id}'`);
      return { op: 'net', proto: q.proto, dir: q.dir, cidr };
    }
    if (q.type === 'port') {
      const p = portOf(id);
      return { op: 'port', proto: q.proto, dir: q.dir, from: p, to: p };
    }
    const m = id.match(/^([^-]+)-([^-]+)$/);
    if (!m) return syntax();
    const a = portOf(m[1]);
    const b = portOf(m[2]);
    return { op: 'port', proto: q.proto, dir: q.dir, from: Math.min(a, b), to: Math.max(a, b) };
  };

  const e = orExpr();
  if (i < toks.length) syntax();
  return e;
}

/** scanner.l's NUM: decimal, 0x hex, 0 octal (stou), or a named constant. */
function numOf(t: string): number | undefined {
  if (NAMED_NUMS[t] !== undefined) return NAMED_NUMS[t];
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16) >>> 0;
  if (/^0[0-7]+$/.test(t)) return parseInt(t, 8) >>> 0;
  if (/^\d+$/.test(t)) return Number(BigInt.asUintN(32, BigInt(t)));
  return undefined;
}

function portOf(id: string): number {
  if (/^\d+$/.test(id)) {
    const n = Number(id);
    if (n > 65535) throw new FilterError(`illegal port number ${n} > 65535`);
    return n;
  }
  const p = SERVICES[id];
  if (p === undefined) throw new FilterError(`unknown port '${id}'`);
  return p;
}

/** `10.244.0.0/16`, or a dotted prefix `10.244` (pcap's classful shorthand: 10.244.0.0/16). */
function netOf(id: string): string | undefined {
  if (id.includes('/')) {
    const c = parseCidr(id);
    if (!c) return undefined;
    const [addr] = id.split('/');
    const base = addr.split('.').concat(['0', '0', '0']).slice(0, 4).join('.');
    const full = `${base}/${id.split('/')[1]}`;
    const pc = parseCidr(full);
    return pc ? full : undefined;
  }
  const parts = id.split('.');
  if (parts.length > 4 || !parts.every((p) => /^\d+$/.test(p) && Number(p) < 256)) return undefined;
  return `${parts.concat(['0', '0', '0']).slice(0, 4).join('.')}/${parts.length * 8}`;
}

// ---- matching ---------------------------------------------------------------------------

interface Outer {
  src: string;
  dst: string;
  proto: 'tcp' | 'udp' | 'icmp' | 'ipip';
  sport?: number;
  dport?: number;
}

function outerOf(e: WireEvent): Outer {
  if (e.encap?.kind === 'ipip') return { src: e.encap.src, dst: e.encap.dst, proto: 'ipip' };
  if (e.encap?.kind === 'vxlan') return { src: e.encap.src, dst: e.encap.dst, proto: 'udp', sport: e.encap.sport, dport: e.encap.dport };
  const l4 = e.ip.l4;
  if (l4.kind === 'icmp') return { src: e.ip.src, dst: e.ip.dst, proto: 'icmp' };
  return { src: e.ip.src, dst: e.ip.dst, proto: l4.kind, sport: l4.sport, dport: l4.dport };
}

function protoOk(p: Proto | undefined, o: Outer): boolean {
  if (!p) return true;
  // gencode.c: `ip` is ethertype IPv4, `ip6` IPv6; `icmp` is IPv4's protocol 1, `icmp6` IPv6's 58; tcp/udp either family
  const six = o.dst.includes(':');
  if (p === 'ip') return !six;
  if (p === 'ip6') return six;
  if (p === 'arp') return false;
  if (p === 'icmp') return !six && o.proto === 'icmp';
  if (p === 'icmp6') return six && o.proto === 'icmp';
  return o.proto === p;
}

/** The link header's length on a link type (savefile.ts linkHeaderLength). */
function linkLength(link: LinkName): number {
  return link === 'EN10MB' ? 14 : link === 'LINUX_SLL2' ? 20 : 0;
}

function byDir(dir: Dir, src: boolean, dst: boolean): boolean {
  if (dir === 'src') return src;
  if (dir === 'dst') return dst;
  if (dir === 'src and dst') return src && dst;
  return src || dst;
}

/**
 * The bytes a load reads: its protocol's header start in the outer packet, or undefined when
 * the packet is not that protocol (gen_load ANDs the protocol test into the relation).
 */
function loadBase(proto: string, b: number[]): number | undefined {
  const v4 = (b[0] >> 4) === 4;
  const v6 = (b[0] >> 4) === 6;
  if (proto === 'ip') return v4 ? 0 : undefined;
  if (proto === 'ip6') return v6 ? 0 : undefined;
  if (proto === 'icmp6') return v6 && b[6] === 58 ? 40 : undefined;
  const num: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, sctp: 132, igmp: 2, igrp: 9, pim: 103, vrrp: 112, carp: 112 };
  // IPv4 only, and only the first fragment (gen_load's gen_ipfrag)
  if (!v4 || b[9] !== num[proto] || ((b[6] & 0x1f) << 8 | b[7]) !== 0) return undefined;
  return (b[0] & 0x0f) * 4;
}

function evalArith(a: Arith, bytes: () => number[], e: WireEvent): number | undefined {
  switch (a.k) {
    case 'len':
      return linkLength(a.link) + frameIpLength(e);
    case 'num':
      return a.v >>> 0;
    case 'neg': {
      const v = evalArith(a.a, bytes, e);
      return v === undefined ? undefined : -v >>> 0;
    }
    case 'load': {
      const off = evalArith(a.off, bytes, e);
      if (off === undefined) return undefined;
      if (a.link) {
        // from the start of the link header (gen_load Q_LINK, OR_LINKHDR)
        const f = frameBytes(e, a.link)?.bytes ?? [];
        if (off + a.size > f.length) throw new OutOfBounds();
        let v = 0;
        for (let k = 0; k < a.size; k++) v = v * 256 + f[off + k];
        return v >>> 0;
      }
      const b = bytes();
      const base = loadBase(a.proto, b);
      if (base === undefined) return undefined;
      const at = base + off;
      if (at + a.size > b.length) throw new OutOfBounds();
      let v = 0;
      for (let k = 0; k < a.size; k++) v = v * 256 + b[at + k];
      return v >>> 0;
    }
    case 'bin': {
      const x = evalArith(a.a, bytes, e);
      const y = evalArith(a.b, bytes, e);
      if (x === undefined || y === undefined) return undefined;
      switch (a.op) {
        case '+': return (x + y) >>> 0;
        case '-': return (x - y) >>> 0;
        case '*': return Math.imul(x, y) >>> 0;
        // a divisor that is 0 at run time: BPF's `ret #0`
        case '/': if (y === 0) throw new OutOfBounds(); return Math.floor(x / y) >>> 0;
        case '%': if (y === 0) throw new OutOfBounds(); return (x % y) >>> 0;
        case '&': return (x & y) >>> 0;
        case '|': return (x | y) >>> 0;
        case '^': return (x ^ y) >>> 0;
        case '<<': return y > 31 ? 0 : (x << y) >>> 0;
        default: return y > 31 ? 0 : x >>> y;
      }
    }
  }
}

export function matches(f: FilterExpr, e: WireEvent): boolean {
  try {
    return matchExpr(f, e);
  } catch (err) {
    if (err instanceof OutOfBounds) return false;
    throw err;
  }
}

function matchExpr(f: FilterExpr, e: WireEvent): boolean {
  const o = outerOf(e);
  let cached: number[] | undefined;
  const bytes = () => (cached ??= networkBytes(e) ?? []);
  const m = (x: FilterExpr): boolean => {
    switch (x.op) {
      case 'and':
        return m(x.a) && m(x.b);
      case 'or':
        return m(x.a) || m(x.b);
      case 'not':
        return !m(x.a);
      case 'proto':
        return protoOk(x.proto, o);
      case 'ether':
        return byDir(x.dir, e.srcMac.toLowerCase() === x.mac, e.dstMac.toLowerCase() === x.mac);
      case 'vlan':
        return false;
      case 'host':
        return protoOk(x.proto, o) && byDir(x.dir, o.src === x.ip, o.dst === x.ip);
      case 'net': {
        const c = parseCidr(x.cidr)!;
        return protoOk(x.proto, o) && byDir(x.dir, cidrContains(c, o.src), cidrContains(c, o.dst));
      }
      case 'ipproto': {
        const six = o.dst.includes(':');
        if ((x.family === 'ip' && six) || (x.family === 'ip6' && !six)) return false;
        const n = o.proto === 'ipip' ? 4 : o.proto === 'tcp' ? 6 : o.proto === 'udp' ? 17 : six ? 58 : 1;
        return n === x.num;
      }
      case 'rel': {
        const a = evalArith(x.a, bytes, e);
        const b = evalArith(x.b, bytes, e);
        if (a === undefined || b === undefined) return false;
        switch (x.rel) {
          case '>': return a > b;
          case '>=': return a >= b;
          case '=': return a === b;
          case '<=': return a <= b;
          case '<': return a < b;
          default: return a !== b;
        }
      }
      case 'port': {
        if (o.sport === undefined || o.dport === undefined) return false;
        if (x.proto && x.proto !== 'ip' && x.proto !== 'ip6' && x.proto !== o.proto) return false;
        if ((x.proto === 'ip' && o.dst.includes(':')) || (x.proto === 'ip6' && !o.dst.includes(':'))) return false;
        const inR = (p: number) => p >= x.from && p <= x.to;
        return byDir(x.dir, inR(o.sport), inR(o.dport));
      }
    }
  };
  return m(f);
}
