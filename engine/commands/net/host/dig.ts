/**
 * dig (bind 9.18, bin/dig/dig.c and dighost.c): `dig [@server] [-t type] [-x addr] name
 * [type] [+options]`. No search list unless +search (then dighost.c's order: the search
 * domains, then the name as-is, only NXDOMAIN moving on). Exit 0 for any reply, 9 when no
 * server answered, 1 on usage errors.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { lookup, newContext } from '../../../controllers/dns';
import { noteDns } from '../tcpdump/capture';
import { isDottedQuad, reverseName } from '../../../cluster/ipv4';
import { isIPv6, reverseName6 } from '../../../cluster/ipv6';
import { digBanner, digOutput, digShort, digWhen, type DigPrintOptions } from '../../../printers/dns';
import { commErrors, lostTries, queryIdentity, tcpConnectErrors } from './dnsutil';

const TYPES = ['A', 'AAAA', 'ANY', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT', 'CAA', 'DS', 'DNSKEY', 'HINFO', 'NAPTR', 'AXFR', 'IXFR'];

const USAGE = `Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}
            {global-d-opt} host [@local-server] {local-d-opt}
            [ host [@local-server] {local-d-opt} [...]]

Use "dig -h" (or "dig -h | more") for complete list of options
`;

interface Query {
  name: string;
  type?: string;
}

export function runDig(args: string[], ctx: CommandContext): RunResult {
  let server: string | undefined;
  let short = false;
  let search = false;
  // dig.c plus_option: +tcp and +vc (FULLCHECK "vc") set tcp_mode
  let tcp = false;
  // +tries=N, +retry=N (tries N+1), +time=N seconds (dig.c plus_option; 3 tries of 5 s by default)
  let tries = 3;
  let timeSecs = 5;
  const show: Omit<DigPrintOptions, 'cmdline' | 'server' | 'queryMs' | 'when' | 'serversFound' | 'tcp'> = { banner: true, comments: true, question: true, answer: true, authority: true, additional: true, stats: true };
  const queries: Query[] = [];
  const pendingType = (t: string) => {
    const last = queries[queries.length - 1];
    if (last && !last.type) last.type = t;
    else queries.push({ name: '', type: t });
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('@')) server = a.slice(1);
    else if (a === '-t') {
      const t = (args[++i] ?? '').toUpperCase();
      if (!TYPES.includes(t)) return { stdout: `;; Warning, ignoring invalid type ${args[i]}\n`, stderr: '', exitCode: 0 };
      pendingType(t);
    } else if (a === '-x') {
      const ip = args[++i];
      // an IPv6 address gets its nibble name under ip6.arpa (dighost.c get_reverse)
      if (ip && isIPv6(ip)) {
        queries.push({ name: reverseName6(ip), type: 'PTR' });
        continue;
      }
      if (!ip || !isDottedQuad(ip)) return { stdout: '', stderr: `dig: '${ip ?? ''}' is not a legal IPv4 address\n`, exitCode: 1 };
      queries.push({ name: reverseName(ip), type: 'PTR' });
    } else if (a === '-p' || a === '-c' || a === '-b' || a === '-q' || a === '-y' || a === '-k' || a === '-f') {
      i++;
    } else if (a === '-4' || a === '-6' || a === '-u' || a === '-m' || a === '-r' || a === '-i') {
      continue;
    } else if (a === '-h') {
      return { stdout: USAGE, stderr: '', exitCode: 0 };
    } else if (a === '-v') {
      return { stdout: '', stderr: 'DiG 9.18.28\n', exitCode: 0 };
    } else if (a.startsWith('-')) {
      return { stdout: '', stderr: `Invalid option: ${a}\n${USAGE}`, exitCode: 1 };
    } else if (a.startsWith('+')) {
      const opt = a.slice(1).toLowerCase();
      const on = !opt.startsWith('no');
      const key = on ? opt : opt.slice(2);
      const k = key.split('=')[0];
      // +trace walks the delegation from the root hints (dighost.c): the simulated Internet keeps
      // no root or TLD servers and no NS/glue records, so dig says so rather than answer recursively
      if (k === 'trace' && on) return { stdout: '', stderr: 'netlab: dig +trace (an iterative walk from the root name servers) is not simulated here: the simulated Internet has no root or TLD servers\n', exitCode: 1 };
      if (k === 'short') {
        short = on;
      } else if (k === 'search') search = on;
      else if (k === 'tcp' || k === 'vc') tcp = on;
      else if ((k === 'tries' || k === 'retry' || k === 'time' || k === 'timeout') && on) {
        const v = key.split('=')[1];
        // need_value: "Invalid option" and the usage; a bad number: parse_uint's line, warn(), digexit() (10)
        const desc = k === 'retry' ? 'retries' : k === 'time' ? 'timeout' : k;
        if (v === undefined) return { stdout: '', stderr: `Invalid option: ${a}\n${USAGE}`, exitCode: 1 };
        if (!/^\d+$/.test(v)) return { stdout: `invalid ${desc} '${v}': not a valid number\n`, stderr: `dig: Couldn't parse ${desc}\n`, exitCode: 10 };
        if (k === 'tries') tries = Math.max(1, Number(v));
        else if (k === 'retry') tries = Number(v) + 1;
        else timeSecs = Math.max(1, Number(v));
      }
      else if (k === 'all') {
        for (const f of Object.keys(show) as (keyof typeof show)[]) show[f] = on;
      } else if (k === 'answer') show.answer = on;
      else if (k === 'authority') show.authority = on;
      else if (k === 'additional') show.additional = on;
      else if (k === 'question') show.question = on;
      else if (k === 'comments') show.comments = on;
      else if (k === 'stats') show.stats = on;
      else if (k === 'cmd') show.banner = on;
      else if (['recurse', 'tries', 'retry', 'time', 'timeout', 'ignore', 'cookie', 'edns', 'multiline', 'ttlid', 'ttlunits', 'class', 'defname', 'domain', 'ndots', 'showsearch', 'trace', 'dnssec', 'nsid', 'besteffort', 'fail', 'identify', 'rrcomments', 'aaonly', 'adflag', 'cdflag', 'keepopen', 'idnin', 'idnout', 'subnet', 'bufsize', 'qr'].includes(k)) continue;
      else return { stdout: '', stderr: `Invalid option: ${a}\n${USAGE}`, exitCode: 1 };
    } else if (TYPES.includes(a.toUpperCase())) {
      // dig.c parse_args: a bare word that parses as a type is the type of the current lookup
      pendingType(a.toUpperCase());
    } else if (a.toUpperCase() === 'IN') {
      continue;
    } else {
      const last = queries[queries.length - 1];
      if (last && last.name === '') last.name = a;
      else queries.push({ name: a });
    }
  }
  if (queries.length === 0) queries.push({ name: '.', type: 'NS' });
  if (server && !isDottedQuad(server)) return { stdout: '', stderr: `dig: couldn't get address for '${server}': not found\n`, exitCode: 10 };
  const cmdline = args.join(' ');
  let stdout = '';
  let code = 0;
  const cx = newContext(['dig', ...args].join(' '));
  cx.tcp = tcp;
  cx.retry = { tries, timeoutMs: timeSecs * 1000, lateRepliesCount: false };
  for (const [qi, q] of queries.entries()) {
    const name = q.name || '.';
    const type = q.type ?? 'A';
    const l = lookup(ctx.cluster, ctx.host, name, { type, server, search, resolver: 'bind', context: cx });
    // a running tcpdump sees each question and answer (dig sends EDNS with a cookie)
    noteDns(ctx.cluster, ctx.host, l.queries, true);
    const banner = qi === 0 && show.banner && !short;
    if (l.rcode === 'TIMEOUT' || l.rcode === 'REFUSED' || !l.queries.length) {
      const why = l.rcode === 'REFUSED' ? 'connection refused' : 'timed out';
      if (tcp) {
        // dighost.c tcp_connected(): a warning per try, no greeting (nothing was received), then the error
        stdout += tcpConnectErrors(l.servers[0], /\.arpa$/.test(name) ? name + '.' : name, why, tries);
      } else {
        // recv_done(): a warning per try, then the greeting (l->cmdline) before the error
        stdout += commErrors(l.servers.slice(0, 1), why, tries);
        if (!short && banner) stdout += digBanner(cmdline, server ? 1 : 0);
      }
      // dig_error(): ";; " + "no servers could be reached\n" + its own "\n"
      stdout += ';; no servers could be reached\n\n';
      code = 9;
      continue;
    }
    const qr = l.answered ?? l.queries[l.queries.length - 1];
    const m = qr.exchange.message!;
    if (short) {
      stdout += lostTries(l.queries);
      stdout += digShort(m.answer);
      continue;
    }
    // tries that timed out before the reply (CoreDNS still forwarding): recv_done()'s warnings
    stdout += lostTries(l.queries);
    const { id, cookie } = queryIdentity(ctx.cluster);
    stdout += digOutput(
      { id, rcode: m.rcode, aa: m.aa, ra: m.ra ?? !m.aa, qname: qr.name, qtype: type, answer: m.answer, authority: m.authority, additional: m.additional, cookie },
      { ...show, banner, cmdline, serversFound: server ? 1 : 0, tcp, server: qr.exchange.server, queryMs: qr.exchange.rttMs, when: digWhen(ctx.cluster.clock.now()) },
    );
  }
  return { stdout, stderr: '', exitCode: code };
}

export const digCommand: CommandSpec = {
  name: 'dig',
  summary: 'DNS lookup utility',
  run: runDig,
};
