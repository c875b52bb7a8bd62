/**
 * host (bind 9.18, bin/dig/host.c): with no -t it asks A, then AAAA and MX of the name
 * that answered; an address is looked up as PTR. It applies the search list (ndots from
 * resolv.conf). NXDOMAIN prints `Host NAME not found: 3(NXDOMAIN)` (the name as typed)
 * and exits 1; a server argument adds the `Using domain server:` block.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { exchange, lookup, newContext } from '../../../controllers/dns';
import { noteDns } from '../tcpdump/capture';
import { isDottedQuad, reverseName } from '../../../cluster/ipv4';
import { isIPv6, reverseName6 } from '../../../cluster/ipv6';
import { hostRecord } from '../../../printers/dns';
import type { DnsRecord } from '../../../dataplane/packet';
import { commErrors, lostTries, tcpConnectErrors } from './dnsutil';

const USAGE = `Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]
            [-R number] [-m flag] [-p port] hostname [server]
       -a is equivalent to -v -t ANY
       -A is like -a but omits RRSIG, NSEC, NSEC3
       -c specifies query class for non-IN data
       -C compares SOA records on authoritative nameservers
       -d is equivalent to -v
       -l lists all hosts in a domain, using AXFR
       -m set memory debugging flag (trace|record|usage)
       -N changes the number of dots allowed before root lookup is done
       -p specifies the port on the server to query
       -r disables recursive processing
       -R specifies number of retries for UDP packets
       -s a SERVFAIL response should stop query
       -t specifies the query type
       -T enables TCP/IP mode
       -U enables UDP mode
       -v enables verbose output
       -V print version number and exit
       -w specifies to wait forever for a reply
       -W specifies how long to wait for a reply
       -4 use IPv4 query transport only
       -6 use IPv6 query transport only
`;

const RCODE_NUM: Record<string, number> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };

export function runHost(args: string[], ctx: CommandContext): RunResult {
  let type: string | undefined;
  // host.c: -T sets tcp_mode, -U clears it (the last one wins)
  let tcp = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-t') {
      type = (args[++i] ?? '').toUpperCase();
      if (!type) return { stdout: '', stderr: USAGE, exitCode: 1 };
    } else if (a === '-V') return { stdout: 'host 9.18.28\n', stderr: '', exitCode: 0 };
    else if (['-W', '-R', '-N', '-p', '-c', '-m'].includes(a)) i++;
    else if (a.startsWith('-') && a.length > 1) {
      if (!/^-[aCdilrsTUvVw46]+$/.test(a)) return { stdout: '', stderr: `host: invalid option -- '${a[1]}'\n${USAGE}`, exitCode: 1 };
      for (const c of a.slice(1)) if (c === 'T') tcp = true;
      else if (c === 'U') tcp = false;
    } else rest.push(a);
  }
  if (rest.length === 0 || rest.length > 2) return { stdout: '', stderr: USAGE, exitCode: 1 };
  const [name, server] = rest;
  if (server && !isDottedQuad(server)) return { stdout: '', stderr: `host: couldn't get address for '${server}': not found\n`, exitCode: 1 };
  // host.c: an address (inet_pton AF_INET or AF_INET6) is looked up as PTR
  const ptr = !type && (isDottedQuad(name) || isIPv6(name));
  const qtype = ptr ? 'PTR' : type ?? 'A';
  const cx = newContext(['host', ...args].join(' '));
  cx.tcp = tcp;
  const l = lookup(ctx.cluster, ctx.host, name, { type: qtype, server, resolver: 'bind', context: cx });
  noteDns(ctx.cluster, ctx.host, l.queries);
  let out = lostTries(l.queries) + (server ? `Using domain server:\nName: ${server}\nAddress: ${server}#53\nAliases: \n\n` : '');
  if (l.rcode === 'TIMEOUT' || l.rcode === 'REFUSED') {
    const why = l.rcode === 'REFUSED' ? 'connection refused' : 'timed out';
    // dighost.c: two tries (host.c's default), then default_warnerr's ";; no servers could be reached\n" + "\n"
    const tries = tcp ? tcpConnectErrors(l.servers[0], ptr ? (isIPv6(name) ? reverseName6(name) : reverseName(name)) + '.' : name, why, 2) : commErrors(l.servers.slice(0, 1), why, 2);
    return { stdout: out + tries + ';; no servers could be reached\n\n', stderr: '', exitCode: 1 };
  }
  const qr = l.answered ?? l.queries[l.queries.length - 1];
  const m = qr.exchange.message!;
  if (m.rcode !== 'NOERROR') {
    const shown = m.rcode === 'NXDOMAIN' ? (ptr ? (isIPv6(name) ? reverseName6(name) : reverseName(name)) : name) : qr.name;
    return { stdout: out + `Host ${shown} not found: ${RCODE_NUM[m.rcode] ?? 2}(${m.rcode})\n`, stderr: '', exitCode: 1 };
  }
  const printed = new Set<string>();
  const print = (rs: DnsRecord[]) => {
    for (const r of rs) {
      const line = hostRecord(r);
      if (printed.has(line)) continue;
      printed.add(line);
      out += line;
    }
  };
  print(m.answer);
  if (!type && !ptr && l.answered) {
    const target = l.answered.name + '.';
    for (const t of ['AAAA', 'MX']) {
      const e = exchange(ctx.cluster, ctx.host, qr.exchange.server, target, t, cx);
      noteDns(ctx.cluster, ctx.host, [{ name: target, type: t, exchange: e }]);
      print((e.message?.answer ?? []).filter((r) => r.type === t || r.type === 'CNAME'));
    }
  } else if (m.answer.length === 0) {
    out += `${qr.name} has no ${qtype} record\n`;
  }
  return { stdout: out, stderr: '', exitCode: 0 };
}

export const hostCommand: CommandSpec = {
  name: 'host',
  summary: 'DNS lookup utility',
  run: runHost,
};
