/**
 * nslookup in its two common builds:
 *  - busybox 1.36 (networking/nslookup.c, FEATURE_NSLOOKUP_BIG): its own resolver. All
 *    questions go out at once — A then AAAA, each under every search domain for a dotless
 *    name (add_query_with_search; ndots is ignored and a dotted name is asked as-is);
 *    `Server:`/`Address: ip:53` once the first reply arrives; one block per reply:
 *    `** server can't find NAME: NXDOMAIN` or the records (`Non-authoritative answer:` when
 *    the AA bit is clear), each followed by an empty line; exit 1 if any reply was an error;
 *    `;; connection timed out; no servers could be reached` when nothing answers.
 *  - bind 9.18 (bin/dig/nslookup.c): the search list with ndots (dighost.c), an A lookup and,
 *    once it answers, an AAAA lookup of the name found; `Address: ip#53`; NXDOMAIN reported
 *    once, with the name as typed. printmessage() (v9.18.28): the Server lines only for A or an
 *    explicit -type; `Authoritative answers can be found from:` after a forwarded answer of
 *    another type; `-debug` adds detailsection()'s blocks and (showsearch) each search miss.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { ok, fail } from '../../../types';
import { candidateNames, exchange, hostResolvConf, lookup, newContext, type Exchange } from '../../../controllers/dns';
import { noteDns } from '../tcpdump/capture';
import { isDottedQuad, reverseName } from '../../../cluster/ipv4';
import { isIPv6, reverseName6 } from '../../../cluster/ipv6';
import { nslookupBindRecord, nslookupBusyboxRecord, nslookupDebugBlock } from '../../../printers/dns';
import { nslookupKind } from './flavour';
import { commErrors, lostTries, tcpConnectErrors } from './dnsutil';

const BB_USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]

Query DNS about HOST

QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any
`;

const BB_TYPES = ['SOA', 'NS', 'A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'PTR', 'ANY'];

function busybox(args: string[], ctx: CommandContext): RunResult {
  const types = new Set<string>();
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const a = args[i].slice(1);
    const eq = a.indexOf('=');
    const key = eq >= 0 ? a.slice(0, eq) : a;
    const val = eq >= 0 ? a.slice(eq + 1) : '';
    if (key === 'type' || key === 'querytype') {
      const t = BB_TYPES.find((x) => x.toLowerCase() === val.toLowerCase());
      if (!t) return fail(`nslookup: invalid query type "${val}"\n`, 1);
      types.add(t);
    } else if (['port', 'retry', 't', 'timeout'].includes(key)) {
      if (!/^\d+$/.test(val)) return fail(`nslookup: invalid number '${val}'\n`, 1);
    } else if (key !== 'debug') return fail(BB_USAGE, 1);
  }
  const name = args[i];
  const serverArg = args[i + 1];
  if (!name || args.length > i + 2) return fail(BB_USAGE, 1);
  const conf = hostResolvConf(ctx.cluster, ctx.host);
  const servers = serverArg ? [serverArg] : conf.nameservers.length ? conf.nameservers : ['127.0.0.1'];
  if (serverArg && !isDottedQuad(serverArg)) return fail(`nslookup: bad address '${serverArg}'\n`, 1);
  const search = conf.search;
  const queries: { name: string; type: string }[] = [];
  const withSearch = (type: string) => {
    for (const n of type === 'PTR' ? [name] : candidateNames('busybox', name, { ...conf, search }, true)) queries.push({ name: n, type });
  };
  if (types.size === 0) {
    // nslookup.c: an IPv4 or IPv6 address becomes one PTR query (in-addr.arpa / ip6.arpa)
    if (isDottedQuad(name)) queries.push({ name: reverseName(name), type: 'PTR' });
    else if (isIPv6(name)) queries.push({ name: reverseName6(name), type: 'PTR' });
    else {
      withSearch('A');
      withSearch('AAAA');
    }
  } else {
    for (const t of BB_TYPES) if (types.has(t)) withSearch(t);
  }
  const cx = newContext(['nslookup', ...args].join(' '));
  for (const server of servers) {
    const replies = queries.map((q) => ({ q, e: exchange(ctx.cluster, ctx.host, server, q.name, q.type, cx) }));
    noteDns(ctx.cluster, ctx.host, replies.map((r) => ({ name: r.q.name, type: r.q.type, exchange: r.e })));
    if (replies.every((r) => r.e.timeout || r.e.refused)) continue;
    let out = `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
    let code = 0;
    for (const { q, e } of replies) {
      if (!e.message) continue;
      const m = e.message;
      if (m.rcode !== 'NOERROR') {
        out += `** server can't find ${q.name.replace(/\.$/, '')}: ${m.rcode}\n`;
        code = 1;
      } else {
        if (!m.aa) out += 'Non-authoritative answer:\n';
        for (const r of m.answer) out += nslookupBusyboxRecord(r);
      }
      out += '\n';
    }
    return { stdout: out, stderr: '', exitCode: code };
  }
  return { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', exitCode: 1 };
}

/**
 * busybox ≤ 1.28 (the !FEATURE_NSLOOKUP_BIG nslookup.c): print_host() for the server and
 * then the name — `%-10s %s` headers, `Address N: ip[ reverse-name]` lines from getaddrinfo
 * (the libc resolver with the search list) and getnameinfo (a PTR lookup per address);
 * `nslookup: can't resolve 'NAME'` on failure.
 */
function busyboxOld(args: string[], ctx: CommandContext): RunResult {
  if (!args[0] || args[0].startsWith('-') || args.length > 2) return fail(BB_OLD_USAGE, 1);
  const [name, serverArg] = args;
  const conf = hostResolvConf(ctx.cluster, ctx.host);
  const server = serverArg ?? conf.nameservers[0] ?? '127.0.0.1';
  const cx = newContext(['nslookup', ...args].join(' '));
  const reverse = (ip: string): string => {
    const e = exchange(ctx.cluster, ctx.host, server, reverseName(ip), 'PTR', cx);
    const ptr = e.message?.answer.find((r) => r.type === 'PTR');
    return ptr ? ' ' + ptr.data.replace(/\.$/, '') : '';
  };
  const head = (label: string, host: string) => `${label.padEnd(10)} ${host}\n`;
  let out = head('Server:', server);
  const probe = exchange(ctx.cluster, ctx.host, server, reverseName(server), 'PTR', cx);
  if (probe.timeout || probe.refused) {
    return { stdout: out + `Address 1: ${server}\n\n`, stderr: `nslookup: can't resolve '${name}'\n`, exitCode: 1 };
  }
  out += `Address 1: ${server}${reverse(server)}\n\n`;
  const l = lookup(ctx.cluster, ctx.host, name, { server: serverArg, resolver: 'glibc', context: cx });
  const addrs = l.fromHosts ?? l.answered?.exchange.message?.answer.filter((r) => r.type === 'A').map((r) => r.data) ?? [];
  if (!addrs.length) return { stdout: out, stderr: `nslookup: can't resolve '${name}'\n`, exitCode: 1 };
  out += head('Name:', name);
  addrs.forEach((ip, i) => (out += `Address ${i + 1}: ${ip}${reverse(ip)}\n`));
  return { stdout: out, stderr: '', exitCode: 0 };
}

const BB_OLD_USAGE = `BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.

Usage: nslookup [HOST] [SERVER]

Query the nameserver for the IP address of the given HOST
optionally using a specified DNS server
`;

const BIND_TYPES = ['A', 'AAAA', 'ANY', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT'];

function bind(args: string[], ctx: CommandContext): RunResult {
  let type: string | undefined;
  let search = true;
  // setoption(): "deb…" turns short_form off and showsearch on (each search-list miss is printed)
  let debug = false;
  // setoption(): "vc" (CHECKOPT 2 letters) sets tcpmode, "novc" clears it
  let tcp = false;
  const rest: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') && a.length > 1) {
      const body = a.slice(1);
      const eq = body.indexOf('=');
      const key = (eq >= 0 ? body.slice(0, eq) : body).toLowerCase();
      const val = eq >= 0 ? body.slice(eq + 1) : '';
      if (['type', 'ty', 'querytype', 'query', 'qu', 'q'].includes(key)) {
        const t = val.toUpperCase();
        if (!BIND_TYPES.includes(t)) return { stdout: `unknown query type: ${val}\n`, stderr: '', exitCode: 1 };
        type = t;
      } else if (key === 'nosearch') search = false;
      else if (key === 'search') search = true;
      else if (['port', 'po', 'timeout', 't', 'retry', 'ret', 'ndots', 'domain', 'do', 'class', 'cl'].includes(key)) continue;
      else if (key.startsWith('deb')) debug = true;
      else if (key.startsWith('nodeb')) debug = false;
      else if (key === 'vc') tcp = true;
      else if (key === 'novc') tcp = false;
      else if (['d2', 'nod2', 'recurse', 'norecurse', 'defname', 'nodefname', 'fail', 'nofail', 'sil'].includes(key)) continue;
      else return { stdout: `*** Invalid option: ${body}\n`, stderr: '', exitCode: 1 };
    } else rest.push(a);
  }
  if (rest.length === 0) return ok('> ');
  if (rest.length > 2) return fail(`Usage: nslookup [-opt ...]             # interactive mode using default server\n`, 1);
  const [name, serverArg] = rest;
  if (serverArg && !isDottedQuad(serverArg)) return { stdout: `;; Got SERVFAIL reply from ${serverArg}\n`, stderr: '', exitCode: 1 };
  const ptr = !type && (isDottedQuad(name) || isIPv6(name));
  const qtype = ptr ? 'PTR' : type ?? 'A';
  const cx = newContext(['nslookup', ...args].join(' '));
  cx.tcp = tcp;
  const l = lookup(ctx.cluster, ctx.host, name, { type: qtype, server: serverArg, search, resolver: 'bind', context: cx });
  noteDns(ctx.cluster, ctx.host, l.queries);
  const server = l.queries[0]?.exchange.server ?? l.servers[0];
  if (l.rcode === 'TIMEOUT' || l.rcode === 'REFUSED') {
    const why = l.rcode === 'REFUSED' ? 'connection refused' : 'timed out';
    const tries = tcp ? tcpConnectErrors(l.servers[0], ptr ? (isIPv6(name) ? reverseName6(name) : reverseName(name)) + '.' : name, why, 3) : commErrors(l.servers, why, 3);
    return { stdout: tries + ';; no servers could be reached\n\n', stderr: '', exitCode: 1 };
  }
  // printmessage() (9.18.28 nslookup.c): the Server lines only when -type was given or the
  // question is A — a default reverse (PTR) lookup prints none
  const header = type || !ptr ? `Server:\t\t${server}\nAddress:\t${server}#53\n\n` : '';
  let out = lostTries(l.queries);
  const last = l.queries[l.queries.length - 1];
  const final = l.answered ?? last;
  if (debug) {
    // showsearch: dighost.c prints each NXDOMAIN that moves on to the next search domain,
    // printmessage() naming the full query name it asked
    for (const q of l.queries) {
      if (q === final || !q.exchange.message) continue;
      out += header + nslookupDebugBlock(q.name, q.type, q.exchange.message);
      out += `** server can't find ${q.name.replace(/\.$/, '')}: ${q.exchange.message.rcode}\n`;
    }
  }
  out += header;
  const m = final.exchange.message!;
  if (debug) out += nslookupDebugBlock(final.name, final.type, m);
  if (m.rcode !== 'NOERROR') {
    const shown = m.rcode === 'NXDOMAIN' ? (ptr ? (isIPv6(name) ? reverseName6(name) : reverseName(name)) : name) : (l.answered ?? last).name;
    out += `** server can't find ${shown}: ${m.rcode}\n\n`;
    return { stdout: out, stderr: '', exitCode: 1 };
  }
  if (!m.aa && (type || !ptr)) out += 'Non-authoritative answer:\n';
  if (m.answer.length === 0) {
    out += `*** Can't find ${name}: No answer\n\n`;
    return { stdout: out, stderr: '', exitCode: 0 };
  }
  for (const r of m.answer) out += nslookupBindRecord(r);
  if (!type && !ptr && l.answered) {
    // default lookups: an AAAA lookup of the name that answered, absolute
    const target = m.answer.filter((r) => r.type === 'CNAME').map((r) => r.data).pop() ?? l.answered.name + '.';
    const e: Exchange = exchange(ctx.cluster, ctx.host, server, target, 'AAAA', cx);
    noteDns(ctx.cluster, ctx.host, [{ name: target, type: 'AAAA', exchange: e }]);
    // the AAAA lookup's printmessage(): no Server lines (default lookups print them for A only), its own block
    if (debug && e.message) out += nslookupDebugBlock(target, 'AAAA', e.message);
    for (const r of e.message?.answer ?? []) if (r.type === 'AAAA') out += nslookupBindRecord(r);
  }
  if (!m.aa && qtype !== 'A' && qtype !== 'AAAA') {
    // a forwarded answer of another type names where the authoritative answers are
    out += '\nAuthoritative answers can be found from:\n';
    for (const r of [...m.authority, ...m.additional]) out += nslookupBindRecord(r);
  }
  out += '\n';
  return { stdout: out, stderr: '', exitCode: 0 };
}

export const nslookupCommand: CommandSpec = {
  name: 'nslookup',
  summary: 'query Internet name servers',
  run(args, ctx) {
    const kind = nslookupKind(ctx.cluster, ctx.host);
    return kind === 'busybox' ? busybox(args, ctx) : kind === 'busybox-old' ? busyboxOld(args, ctx) : bind(args, ctx);
  },
};
