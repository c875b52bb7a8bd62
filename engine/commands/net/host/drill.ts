/**
 * drill (ldns 1.8.3, drill/drill.c; nicolaka/netshoot's `drill` package): `drill [options]
 * name [@server] [type] [class]`. Options come first (musl's getopt does not permute); the
 * rest "may be placed in random order": `@x` is the server, a word with a dot the name, a
 * type or class word the type or class, anything else the name. -x turns the name (an
 * address) into its in-addr.arpa / ip6.arpa name and defaults the type to PTR; -t asks over
 * TCP (not a type). The question goes out as given — ldns_resolver_send_pkt, no search list,
 * so `drill web` asks `web.`. The reply is printed whatever its rcode (exit 0); no reply is
 * `Error: error sending query: …` and exit 1.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { lookup, newContext } from '../../../controllers/dns';
import { noteDns } from '../tcpdump/capture';
import { isDottedQuad } from '../../../cluster/ipv4';
import { isIPv6, reverseName6 } from '../../../cluster/ipv6';
import { drillOutput } from '../../../printers/dns';
import { queryIdentity } from './dnsutil';

const TYPES = ['A', 'AAAA', 'ANY', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT', 'CAA', 'DS', 'DNSKEY', 'HINFO', 'NAPTR', 'AXFR', 'IXFR'];
const CLASSES = ['IN', 'CH', 'HS', 'NONE', 'ANY'];
/** getopt(argc, argv, "46ab:c:d:Df:hi:I:k:o:p:q:Qr:sStTuvV:w:xy:z") */
const WITH_ARG = new Set('bcdfiIkopqrVwy');
const FLAGS = new Set('46aDhQsStTuvxz');

const VERSION = `drill version 1.8.3 (ldns version 1.8.3)
Written by NLnet Labs.

Copyright (c) 2004-2008 NLnet Labs.
Licensed under the revised BSD license.
There is NO warranty; not even for MERCHANTABILITY or FITNESS
FOR A PARTICULAR PURPOSE.
`;

const USAGE = `  Usage: drill name [@server] [type] [class]
\t<name>  can be a domain name or an IP address (-x lookups)
\t<type>  defaults to A
\t<class> defaults to IN

\targuments may be placed in random order

  Options:
\t-D\t\tenable DNSSEC (DO bit)
\t-T\t\ttrace from the root down to <name>
\t-S\t\tchase signature(s) from <name> to a known key [*]
\t-I <address>\tsource address to query from
\t-V <number>\tverbosity (0-5)
\t-Q\t\tquiet mode (overrules -V)

\t-f file\t\tread packet from file and send it
\t-i file\t\tread packet from file and print it
\t-w file\t\twrite answer packet to file
\t-q file\t\twrite query packet to file
\t-h\t\tshow this help
\t-v\t\tshow version

  Query options:
\t-4\t\tstay on ip4
\t-6\t\tstay on ip6
\t-a\t\tfallback to EDNS0 and TCP if the answer is truncated
\t-b <bufsize>\tuse <bufsize> as the buffer size (defaults to 512 b)
\t-c <file>\tuse file for recursive nameserver configuration
\t\t\t(/etc/resolv.conf)
\t-k <file>\tspecify a file that contains a trusted DNSSEC key [**]
\t\t\tUsed to verify any signatures in the current answer.
\t\t\tWhen DNSSEC enabled tracing (-TD) or signature
\t\t\tchasing (-S) and no key files are given, keys are read
\t\t\tfrom: /etc/trusted-key.key
\t-o <mnemonic>\tset flags to:
\t\t\t[QR|qr][AA|aa][TC|tc][RD|rd][CD|cd][RA|ra][AD|ad]
\t\t\tlowercase: unset bit, uppercase: set bit
\t-p <port>\tuse <port> as remote port number
\t-s\t\tshow the DS RR for each key in a packet
\t-u\t\tsend the query with udp (the default)
\t-x\t\tdo a reverse lookup
\twhen doing a secure trace:
\t-r <file>\tuse file as root servers hint file
\t-t\t\tsend the query with tcp (connected)
\t-d <domain>\tuse domain as the start point for the trace
\t-y <name:key[:algo]>\tspecify named base64 tsig key, and optional an
\t\t\talgorithm (defaults to hmac-md5.sig-alg.reg.int)
\t-z\t\tdon't randomize the nameservers before use

  [*] = enables/implies DNSSEC
  [**] = can be given more than once

  dns-team@nlnetlabs.nl | http://www.nlnetlabs.nl/ldns/
`;

const fail = (stderr: string): RunResult => ({ stdout: '', stderr, exitCode: 1 });

export function runDrill(args: string[], ctx: CommandContext): RunResult {
  let reverse = false;
  // -t: ldns_resolver_set_usevc (TCP), -u: back to UDP
  let tcp = false;
  let i = 0;
  // musl getopt: options up to the first operand or `--`
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (WITH_ARG.has(c)) {
        if (j + 1 === a.length) {
          if (i + 1 >= args.length) return fail(`drill: option requires an argument: ${c}\nUnknown argument: -?, use -h to see usage\n`);
          i++;
        }
        break;
      }
      if (!FLAGS.has(c)) return fail(`drill: unrecognized option: ${c}\nUnknown argument: -?, use -h to see usage\n`);
      if (c === 'v') return { stdout: VERSION, stderr: '', exitCode: 0 };
      if (c === 'h') return { stdout: VERSION + USAGE, stderr: '', exitCode: 0 };
      if (c === 'x') reverse = true;
      if (c === 't') tcp = true;
      if (c === 'u') tcp = false;
      if (c === 'T' || c === 'S' || c === 'D') return fail(`netlab: drill -${c} (DNSSEC) is not simulated here; the cluster's zones are unsigned\n`);
    }
  }
  let server: string | undefined;
  let name: string | undefined;
  let type: string | undefined;
  let klass: string | undefined;
  for (const a of args.slice(i)) {
    if (a.startsWith('@')) {
      if (a.length === 1) return fail('Warning: No nameserver given\n');
      server = a.slice(1);
    } else if (a.includes('.')) name = a;
    else if (!type && TYPES.includes(a.toUpperCase())) type = a.toUpperCase();
    else if (!klass && CLASSES.includes(a.toUpperCase())) klass = a.toUpperCase();
    else name = a;
  }
  if (!name) {
    name = '.';
    type = 'NS';
  }
  type ??= reverse ? 'PTR' : 'A';
  if (reverse) {
    if (name.includes(':')) {
      if (!isIPv6(name)) return fail('Error: Syntax error: cannot parse IPv6 address\n\n');
      name = reverseName6(name) + '.';
    } else if (!isDottedQuad(name)) return fail('Error: Syntax error: cannot parse IPv4 address\n\n');
    else name = name.split('.').reverse().join('.') + '.in-addr.arpa.';
  }
  if (klass && klass !== 'IN') return fail(`netlab: drill class ${klass} is not simulated here (IN is)\n`);
  const cx = newContext(['drill', ...args].join(' '));
  cx.tcp = tcp;
  if (server && !isDottedQuad(server) && !isIPv6(server)) {
    // drill.c: a server name is resolved through resolv.conf's nameservers
    const s = lookup(ctx.cluster, ctx.host, server, { type: 'A', resolver: 'bind', context: cx });
    const a = s.answered?.exchange.message?.answer.find((r) => r.type === 'A');
    if (!a) return fail(`Error: could not find any address for the name: \`${server}'\n`);
    server = a.data;
  }
  // a trailing dot makes the name absolute; without one ldns still sends it as is
  const qname = name.endsWith('.') ? name : name + '.';
  const l = lookup(ctx.cluster, ctx.host, qname, { type, server, search: false, resolver: 'bind', context: cx });
  noteDns(ctx.cluster, ctx.host, l.queries, false);
  const qr = l.answered ?? l.queries[l.queries.length - 1];
  const m = qr?.exchange.message;
  if (!qr || !m) return fail('Error: error sending query: Could not send or receive, because of network error\n');
  const { id } = queryIdentity(ctx.cluster);
  const stdout = drillOutput({
    id,
    rcode: m.rcode,
    aa: m.aa,
    ra: !m.aa,
    qname: qr.name,
    qtype: type,
    answer: m.answer,
    authority: m.authority,
    additional: m.additional,
    server: qr.exchange.server,
    queryMs: qr.exchange.rttMs,
    when: ctx.cluster.clock.now(),
  });
  return { stdout, stderr: '', exitCode: 0 };
}

export const drillCommand: CommandSpec = {
  name: 'drill',
  summary: 'get (debug) information out of DNS(SEC)',
  run: runDrill,
};
