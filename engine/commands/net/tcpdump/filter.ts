/**
 * A subset of pcap-filter(7), parsed and matched the way libpcap's grammar (grammar.y) and
 * code generator (gencode.c) read it:
 *
 *   expr      := and ( ('or' | '||') and )*
 *   and       := unary ( ('and' | '&&') unary )*
 *   unary     := ('not' | '!') unary | '(' expr ')' | primitive
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
 * subset (byte offsets `tcp[13]`, `ether`, `vlan`, `greater`…) says it is not simulated.
 */
import type { WireEvent } from './wire';
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
  | { op: 'ipproto'; family?: 'ip' | 'ip6'; num: number };

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
const NOT_SIMULATED = new Set(['ether', 'vlan', 'mpls', 'greater', 'less', 'gateway', 'broadcast', 'multicast', 'sctp', 'igmp', 'protochain', 'inbound', 'outbound', 'ifname', 'len', 'geneve', 'pppoed', 'pppoes', 'decnet', 'atalk', 'rarp', 'wlan', 'type', 'subtype', 'dir', 'mask']);

function tokenize(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === '[' || c === ']') {
      out.push(c);
      i++;
      continue;
    }
    if (text.startsWith('&&', i) || text.startsWith('||', i)) {
      out.push(text.slice(i, i + 2));
      i += 2;
      continue;
    }
    if (c === '!' && text[i + 1] !== '=') {
      out.push('!');
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s()[\]!&|]/.test(text[j])) j++;
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
}

export interface FilterContext {
  /** A host name to its first IPv4 address (getaddrinfo through the host's resolver), or undefined. */
  resolve(name: string): string | undefined;
}

export function parseFilter(text: string, fctx: FilterContext): FilterExpr | undefined {
  const toks = tokenize(text);
  if (toks.length === 0) return undefined;
  let i = 0;
  let last: Quals | undefined;
  const syntax = (): never => {
    throw new FilterError("can't parse filter expression: syntax error");
  };
  const peek = () => toks[i];
  const next = () => toks[i++];

  const orExpr = (): FilterExpr => {
    let a = andExpr();
    while (peek() === 'or' || peek() === '||') {
      next();
      a = { op: 'or', a, b: andExpr() };
    }
    return a;
  };
  const andExpr = (): FilterExpr => {
    let a = unary();
    while (peek() === 'and' || peek() === '&&') {
      next();
      a = { op: 'and', a, b: unary() };
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
    if (t === '(') {
      next();
      const e = orExpr();
      if (next() !== ')') syntax();
      return e;
    }
    return primitive();
  };
  const primitive = (): FilterExpr => {
    let proto: Proto | undefined;
    let dir: Dir | undefined;
    let type: Quals['type'] | undefined;
    let t = peek();
    if (t !== undefined && NOT_SIMULATED.has(t)) throw new FilterError(`filter primitive '${t}' is not simulated here`);
    if (t !== undefined && PROTOS.has(t)) {
      proto = t as Proto;
      next();
      t = peek();
      if (t === '[') throw new FilterError(`filter primitive '${proto}[…]' (byte offsets) is not simulated here`);
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
    if (!proto && !dir && !type && !last && !isDottedQuad(t!) && /^\d+$/.test(t!)) return syntax();
    last = q;
    return idPrimitive(q, t!);
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

function byDir(dir: Dir, src: boolean, dst: boolean): boolean {
  if (dir === 'src') return src;
  if (dir === 'dst') return dst;
  if (dir === 'src and dst') return src && dst;
  return src || dst;
}

export function matches(f: FilterExpr, e: WireEvent): boolean {
  const o = outerOf(e);
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
