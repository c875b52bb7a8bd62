/**
 * ss's FILTER (iproute2 misc/ss.c main and misc/ssfilter.y): `[ state STATE-FILTER ]
 * [ EXPRESSION ]`. The state words come first (scan_state); the rest is split on blanks
 * (yylex's get_token_from_line) and parsed by ssfilter.y's grammar: `dst`/`src` HOSTCOND,
 * `dport`/`sport` with = == eq != ne < lt > gt <= le >= ge, `!`/not, `&`/&&/and,
 * `|`/||/or, juxtaposition as and, parentheses as separate words; `|` and `&` bind left to
 * right with no precedence between them (every rule's right side is a single expr). A HOSTCOND
 * is parse_hostcond's: `[ADDR[/LEN]][:PORT]`, `*`, `[IPV6]:PORT`, a port number or
 * /etc/services name. Errors as ss prints them: parse_hostcond's message and "Cannot parse
 * dst/src address." (exit 1), yyerror's bison bellows and " Sorry." with the usage (exit 255),
 * scan_state's "wrong state name" (exit 255). Matching is run_ssfilter's (the kernel's
 * inet_diag bytecode does the same): a port of -1 or an address of length 0 matches anything,
 * an IPv4 prefix also matches an IPv4-mapped IPv6 address.
 */
import { parseIPv4 } from '../../../cluster/ipv4';

/** misc/ss.c _usage at iproute2 v5.15.0 (Ubuntu 22.04's iproute2): what usage() prints to stderr before exit(-1). */
export const SS_USAGE =
  'Usage: ss [ OPTIONS ]\n' +
  '       ss [ OPTIONS ] [ FILTER ]\n' +
  '   -h, --help          this message\n' +
  '   -V, --version       output version information\n' +
  '   -n, --numeric       don\'t resolve service names\n' +
  '   -r, --resolve       resolve host names\n' +
  '   -a, --all           display all sockets\n' +
  '   -l, --listening     display listening sockets\n' +
  '   -o, --options       show timer information\n' +
  '   -e, --extended      show detailed socket information\n' +
  '   -m, --memory        show socket memory usage\n' +
  '   -p, --processes     show process using socket\n' +
  '   -i, --info          show internal TCP information\n' +
  '       --tipcinfo      show internal tipc socket information\n' +
  '   -s, --summary       show socket usage summary\n' +
  '       --tos           show tos and priority information\n' +
  '       --cgroup        show cgroup information\n' +
  '   -b, --bpf           show bpf filter socket information\n' +
  '   -E, --events        continually display sockets as they are destroyed\n' +
  '   -Z, --context       display process SELinux security contexts\n' +
  '   -z, --contexts      display process and socket SELinux security contexts\n' +
  '   -N, --net           switch to the specified network namespace name\n' +
  '\n' +
  '   -4, --ipv4          display only IP version 4 sockets\n' +
  '   -6, --ipv6          display only IP version 6 sockets\n' +
  '   -0, --packet        display PACKET sockets\n' +
  '   -t, --tcp           display only TCP sockets\n' +
  '   -M, --mptcp         display only MPTCP sockets\n' +
  '   -S, --sctp          display only SCTP sockets\n' +
  '   -u, --udp           display only UDP sockets\n' +
  '   -d, --dccp          display only DCCP sockets\n' +
  '   -w, --raw           display only RAW sockets\n' +
  '   -x, --unix          display only Unix domain sockets\n' +
  '       --tipc          display only TIPC sockets\n' +
  '       --vsock         display only vsock sockets\n' +
  '   -f, --family=FAMILY display sockets of type FAMILY\n' +
  '       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}\n' +
  '\n' +
  '   -K, --kill          forcibly close sockets, display what was closed\n' +
  '   -H, --no-header     Suppress header line\n' +
  '   -O, --oneline       socket\'s data printed on a single line\n' +
  '       --inet-sockopt  show various inet socket options\n' +
  '\n' +
  '   -A, --query=QUERY, --socket=QUERY\n' +
  '       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|netlink|vsock_stream|vsock_dgram|tipc}[,QUERY]\n' +
  '\n' +
  '   -D, --diag=FILE     Dump raw information about TCP sockets to FILE\n' +
  '   -F, --filter=FILE   read filter information from FILE\n' +
  '       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]\n' +
  '       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}\n' +
  '         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}\n' +
  '          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}\n' +
  '       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}\n' +
  '             bucket := {syn-recv|time-wait}\n' +
  '                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}\n';

export type SsFilter =
  | { kind: 'and' | 'or'; a: SsFilter; b: SsFilter }
  | { kind: 'not'; a: SsFilter }
  | { kind: 'dcond' | 'scond'; cond: HostCond }
  | { kind: 'dge' | 'dle' | 'sge' | 'sle'; port: number }
  | { kind: 'autobound' };

interface HostCond {
  port: number;
  /** IPv4 prefix (the simulation's sockets are IPv4 or IPv4-mapped; an IPv6 prefix matches `::` only) */
  addr?: { v6: boolean; value: number; bits: number; text: string };
}

/** TCP states as scan_state numbers them (SS_ESTABLISHED = 1 … SS_CLOSING = 11). */
export const SS = { ESTABLISHED: 1, SYN_SENT: 2, SYN_RECV: 3, FIN_WAIT1: 4, FIN_WAIT2: 5, TIME_WAIT: 6, CLOSE: 7, CLOSE_WAIT: 8, LAST_ACK: 9, LISTEN: 10, CLOSING: 11 } as const;
export const SS_ALL = ((1 << 13) - 1) & ~1;
export const SS_CONN = SS_ALL & ~((1 << SS.LISTEN) | (1 << SS.CLOSE));
const STATE_NAMES = ['UNKNOWN', 'established', 'syn-sent', 'syn-recv', 'fin-wait-1', 'fin-wait-2', 'time-wait', 'unconnected', 'close-wait', 'last-ack', 'listening', 'closing', 'new-syn-recv'];

/** /etc/services names parse_hostcond resolves through getservbyname (netbase's file, the ports a cluster uses). */
const SERVICES: Record<string, number> = { ssh: 22, domain: 53, http: 80, bgp: 179, https: 443, 'http-alt': 8080 };

export class FilterError {
  constructor(public text: string, public code: number) {}
}

export function scanState(word: string, usage: string): number {
  const w = word.toLowerCase();
  if (w === 'new-syn-recv') throw new FilterError(`ss: wrong state name: ${word}\n`, 255);
  if (w === 'close' || w === 'closed') return 1 << SS.CLOSE;
  if (w === 'syn-rcv') return 1 << SS.SYN_RECV;
  if (w === 'established') return 1 << SS.ESTABLISHED;
  if (w === 'all') return SS_ALL;
  if (w === 'connected') return SS_CONN;
  if (w === 'synchronized') return SS_ALL & ~((1 << SS.CLOSE) | (1 << SS.LISTEN) | (1 << SS.SYN_SENT));
  if (w === 'bucket') return (1 << SS.SYN_RECV) | (1 << SS.TIME_WAIT);
  if (w === 'big') return SS_ALL & ~((1 << SS.SYN_RECV) | (1 << SS.TIME_WAIT));
  const i = STATE_NAMES.findIndex((n) => n.toLowerCase() === w);
  if (i > 0 && i < 12) return 1 << i;
  void usage;
  throw new FilterError(`ss: wrong state name: ${word}\n`, 255);
}

function hostCond(tok: string, isPort: boolean): HostCond {
  let addr = tok;
  let port: string | undefined;
  for (const fam of ['inet:', 'inet6:']) if (addr.startsWith(fam)) addr = addr.slice(fam.length);
  if (addr.startsWith('[')) {
    const close = addr.indexOf(']');
    if (close < 0) throw new FilterError('Cannot parse dst/src address.\n', 1);
    port = addr.slice(close + 1);
    addr = addr.slice(1, close);
  } else if (addr.startsWith('*')) {
    port = addr.slice(1);
  } else {
    const slash = addr.indexOf('/');
    const from = slash >= 0 ? slash : 0;
    const c = addr.indexOf(':', from) >= 0 ? addr.lastIndexOf(':') : -1;
    if (c >= from && c >= 0) port = addr.slice(c);
  }
  if (isPort) port = addr;
  const out: HostCond = { port: -1 };
  if (port) {
    let p = port;
    if (!isPort && addr.endsWith(port) && port !== addr) addr = addr.slice(0, addr.length - port.length);
    if (p.startsWith(':')) p = p.slice(1);
    if (p && p !== '*') {
      if (/^(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.test(p)) out.port = Number(p.startsWith('0') && !/^0x/i.test(p) && p.length > 1 ? parseInt(p, 8) : p);
      else if (SERVICES[p] !== undefined) out.port = SERVICES[p];
      else throw new FilterError(`Error: "${p}" does not look like a port.\nCannot parse dst/src address.\n`, 1);
    }
  }
  if (!isPort && addr && addr !== '*') {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(addr);
    const v4 = m ? parseIPv4(m[1]) : undefined;
    if (m && v4 !== undefined && (m[2] === undefined || Number(m[2]) <= 32)) out.addr = { v6: false, value: v4 >>> 0, bits: m[2] === undefined ? 32 : Number(m[2]), text: addr };
    else if (m && /^[0-9a-f:]+$/i.test(m[1]) && m[1].includes(':')) out.addr = { v6: true, value: 0, bits: m[2] === undefined ? 128 : Number(m[2]), text: addr };
    else throw new FilterError(`Error: an inet prefix is expected rather than "${addr}".\nCannot parse dst/src address.\n`, 1);
  }
  return out;
}

type Tok = { t: string; cond?: HostCond };

/** yylex: the words, each split on blanks, as ssfilter.y's tokens. */
function lex(words: string[]): Tok[] {
  const out: Tok[] = [];
  let type = '';
  for (const w of words) {
    for (const cur of w.split(/[ \t]+/).filter(Boolean)) {
      if (cur === '!' || cur === 'not') out.push({ t: '!' });
      else if (cur === '&' || cur === '&&' || cur === 'and') out.push({ t: '&' });
      else if (cur === '|' || cur === '||' || cur === 'or') out.push({ t: '|' });
      else if (cur === '(' || cur === ')') out.push({ t: cur });
      else if (['dst', 'src', 'dport', 'sport', 'dev', 'fwmark', 'cgroup', 'autobound'].includes(cur)) {
        type = cur;
        out.push({ t: cur });
      } else if (['>=', 'ge', 'geq'].includes(cur)) out.push({ t: '>=' });
      else if (['<=', 'le', 'leq'].includes(cur)) out.push({ t: '<=' });
      else if (['!=', 'ne', 'neq'].includes(cur)) out.push({ t: '!=' });
      else if (['=', '==', 'eq'].includes(cur)) out.push({ t: '=' });
      else if (cur === '>' || cur === 'gt') out.push({ t: '>' });
      else if (cur === '<' || cur === 'lt') out.push({ t: '<' });
      else if (type === 'dev' || type === 'fwmark' || type === 'cgroup') throw new FilterError(`netlab: ss's ${type} filter is not simulated here\n`, 1);
      else out.push({ t: 'HOST', cond: hostCond(cur, type === 'sport' || type === 'dport') });
    }
  }
  return out;
}

const BELLOWS = 'ss: bison bellows (while parsing filter): "syntax error!" Sorry.\n';

/** Parses the EXPRESSION words; undefined for none. */
export function parseSsFilter(words: string[], usage: string): SsFilter | undefined {
  const toks = lex(words);
  let i = 0;
  const fail = (): never => {
    throw new FilterError(BELLOWS + usage, 255);
  };
  const host = (): HostCond => (toks[i]?.t === 'HOST' ? toks[i++].cond! : fail());
  const expr = (): SsFilter => {
    const t = toks[i]?.t;
    if (t === '(') {
      i++;
      const e = exprlist();
      if (toks[i]?.t !== ')') fail();
      i++;
      return e;
    }
    if (t === '!') {
      i++;
      return { kind: 'not', a: expr() };
    }
    if (t === 'autobound') {
      i++;
      return { kind: 'autobound' };
    }
    if (t === 'dst' || t === 'src') {
      i++;
      if (toks[i]?.t === '=') i++;
      return { kind: t === 'dst' ? 'dcond' : 'scond', cond: host() };
    }
    if (t === 'dport' || t === 'sport') {
      i++;
      const d = t === 'dport';
      const op = toks[i]?.t;
      if (op === '>=' || op === '<=' || op === '>' || op === '<' || op === '!=' || op === '=') i++;
      const c = host();
      const ge = { kind: d ? 'dge' : 'sge', port: c.port } as SsFilter;
      const le = { kind: d ? 'dle' : 'sle', port: c.port } as SsFilter;
      const eq: SsFilter = { kind: d ? 'dcond' : 'scond', cond: c };
      if (op === '>=') return ge;
      if (op === '<=') return le;
      if (op === '>') return { kind: 'not', a: le };
      if (op === '<') return { kind: 'not', a: ge };
      if (op === '!=') return { kind: 'not', a: eq };
      return eq;
    }
    return fail();
  };
  const starts = (t: string | undefined) => t === '(' || t === '!' || t === 'dst' || t === 'src' || t === 'dport' || t === 'sport' || t === 'autobound';
  const exprlist = (): SsFilter => {
    let left = expr();
    for (;;) {
      const t = toks[i]?.t;
      if (t === '|' || t === '&') {
        i++;
        left = { kind: t === '|' ? 'or' : 'and', a: left, b: expr() };
      } else if (starts(t)) left = { kind: 'and', a: left, b: expr() };
      else return left;
    }
  };
  if (toks.length === 0) return undefined;
  const f = exprlist();
  if (i < toks.length) fail();
  return f;
}

/** A socket as the filter sees it: addresses as text (`*`, `0.0.0.0`, `[::]`, `[::ffff:a.b.c.d]`), ports as numbers. */
export interface FilterSock {
  local: string;
  lport: number;
  remote: string;
  rport: number;
}

function addrMatch(text: string, a: NonNullable<HostCond['addr']>): boolean {
  const bare = text.replace(/^\[|\]$/g, '');
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare === '*' ? undefined : bare.includes(':') ? undefined : bare;
  if (a.v6) return a.bits === 0 || ((bare === '::' || bare === '*') && /^::(\/\d+)?$/.test(a.text));
  if (v4 === undefined) return a.bits === 0;
  const n = parseIPv4(v4);
  if (n === undefined) return false;
  if (a.bits === 0) return true;
  const mask = a.bits === 32 ? 0xffffffff : ~((1 << (32 - a.bits)) - 1) >>> 0;
  return ((n >>> 0) & mask) >>> 0 === (a.value & mask) >>> 0;
}

export function runSsFilter(f: SsFilter, s: FilterSock): boolean {
  switch (f.kind) {
    case 'and':
      return runSsFilter(f.a, s) && runSsFilter(f.b, s);
    case 'or':
      return runSsFilter(f.a, s) || runSsFilter(f.b, s);
    case 'not':
      return !runSsFilter(f.a, s);
    case 'dcond':
    case 'scond': {
      const port = f.kind === 'dcond' ? s.rport : s.lport;
      if (f.cond.port !== -1 && f.cond.port !== port) return false;
      return f.cond.addr ? addrMatch(f.kind === 'dcond' ? s.remote : s.local, f.cond.addr) : true;
    }
    case 'dge':
      return s.rport >= f.port;
    case 'dle':
      return s.rport <= f.port;
    case 'sge':
      return s.lport >= f.port;
    case 'sle':
      return s.lport <= f.port;
    case 'autobound':
      return false;
  }
}
