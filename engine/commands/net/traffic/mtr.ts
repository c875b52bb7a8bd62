/**
 * mtr 0.95 in report mode (`-r`, `-w`): ui/report.c report_open prints "Start: %s" with
 * utils.c iso_time ("%Y-%m-%dT%H:%M:%S%z", the container's UTC), then report_close a header
 * "HOST: %-33s" and one " %2d.|-- %-33s" line per hop, each cut at column 33 (len = len_hosts)
 * where the fields "LS NABWV" start (ui/mtr.c data_fields: Loss% " %4.1f%%" 6 wide, Snt
 * " %5d" 6, a space, then Last/Avg/Best/Wrst/StDev " %5.1f" 6). Fields are written at fixed
 * offsets, so a 100.0% loss loses its "%" to the Snt field, as in the real report. `-w` widens
 * the name column to the longest name (and appends the fields after it). Hops stop one past
 * the last that answered (ui/net.c net_max): a silent hop is "???".
 *
 * The hops are traceroute's (routeHops over the walk of the probe: ICMP echo by default,
 * TCP SYN to -P, default 80, with -T); each cycle's round trip per hop follows traceroute's
 * seeded model. Statistics are in microseconds, as net.c keeps them (integer avg, stdev
 * sqrt(ssd / (returned - 1))). Names come from the Pod's resolver (CoreDNS PTR) unless -n.
 * The interactive curses display is not simulated: without -r/-w mtr says so.
 */
import type { CommandOutcome } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { carriesIPv6, connect, ipv6NotSimulated } from '../../../dataplane/walk';
import { corednsAnswer } from '../../../controllers/dns';
import { hostName } from '../../../hosts/hosts';
import { routeHops } from './traceroute';

const HOST_COLUMN = 33;

/** The name a reverse lookup gives `ip` from a Pod (CoreDNS's PTR answer), as tcpdump's. */
function ptrName(ctx: CommandContext, ip: string): string | undefined {
  if (ctx.host.kind !== 'pod' || ip.includes(':')) return undefined;
  const rev = ip.split('.').reverse().join('.') + '.in-addr.arpa.';
  try {
    const m = corednsAnswer(ctx.cluster, rev, 'PTR', 0);
    const ptr = m.answer.find((r) => r.type === 'PTR');
    return ptr ? ptr.data.replace(/\.$/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** utils.c strtonum_or_err: digits only, below INT_MAX. */
function intArg(v: string | undefined): number | undefined {
  return v !== undefined && /^\d+$/.test(v) && Number(v) < 2 ** 31 - 1 ? Number(v) : undefined;
}

/** ui/mtr.c usage(stderr), as Alpine builds mtr 0.95 (curses, IPv6, SO_MARK, ipinfo; no GTK, no jansson). */
const USAGE = `
Usage:
 mtr [options] hostname

 -F, --filename FILE        read hostname(s) from a file
 -4                         use IPv4 only
 -6                         use IPv6 only
 -u, --udp                  use UDP instead of ICMP echo
 -T, --tcp                  use TCP instead of ICMP echo
 -I, --interface NAME       use named network interface
 -a, --address ADDRESS      bind the outgoing socket to ADDRESS
 -f, --first-ttl NUMBER     set what TTL to start
 -m, --max-ttl NUMBER       maximum number of hops
 -U, --max-unknown NUMBER   maximum unknown host
 -P, --port PORT            target port number for TCP, SCTP, or UDP
 -L, --localport LOCALPORT  source port number for UDP
 -s, --psize PACKETSIZE     set the packet size used for probing
 -B, --bitpattern NUMBER    set bit pattern to use in payload
 -i, --interval SECONDS     ICMP echo request interval
 -G, --gracetime SECONDS    number of seconds to wait for responses
 -Q, --tos NUMBER           type of service field in IP header
 -e, --mpls                 display information from ICMP extensions
 -Z, --timeout SECONDS      seconds to keep probe sockets open
 -M, --mark MARK            mark each sent packet
 -r, --report               output using report mode
 -w, --report-wide          output wide report
 -c, --report-cycles COUNT  set the number of pings sent
 -x, --xml                  output xml
 -C, --csv                  output comma separated values
 -l, --raw                  output raw format
 -p, --split                split output
 -t, --curses               use curses terminal interface
     --displaymode MODE     select initial display mode
 -n, --no-dns               do not resolve host names
 -b, --show-ips             show IP numbers and host names
 -o, --order FIELDS         select output fields
 -y, --ipinfo NUMBER        select IP information in output
 -z, --aslookup             display AS number
 -h, --help                 display this help and exit
 -v, --version              output version information and exit

See the 'man 8 mtr' for details.
`;

const fail = (msg: string): CommandOutcome => ({ stdout: '', stderr: `mtr: ${msg}\n`, exitCode: 1 });

/** ISO 8601 with a numeric zone, as strftime's "%Y-%m-%dT%H:%M:%S%z" in UTC. */
function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

export const mtrCommand: CommandSpec = {
  name: 'mtr',
  summary: 'a network diagnostic tool (report mode)',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const cluster = ctx.cluster;
    let report = false;
    let wide = false;
    let cycles = 10;
    let dns = true;
    let showIps = false;
    let tcp = false;
    let port = 80;
    const names: string[] = [];
    // getopt: clustered short options ("-rn", "-rwc5"); c and P take the rest or the next word
    const argv: string[] = [];
    for (const a of args) {
      if (!/^-[^-]{2,}/.test(a)) {
        argv.push(a);
        continue;
      }
      for (let k = 1; k < a.length; k++) {
        if (a[k] === 'c' || a[k] === 'P') {
          argv.push(`-${a.slice(k)}`);
          break;
        }
        argv.push(`-${a[k]}`);
      }
    }
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      const m = /^(-[cP])(.+)$/.exec(a);
      const flag = m ? m[1] : a;
      const val = () => (m ? m[2] : argv[++i]);
      if (flag === '-r' || flag === '--report') report = true;
      else if (flag === '-w' || flag === '--report-wide') { report = true; wide = true; }
      else if (flag === '-n' || flag === '--no-dns') dns = false;
      else if (flag === '-b' || flag === '--show-ips') showIps = true;
      else if (flag === '-T' || flag === '--tcp') tcp = true;
      else if (flag === '-4') continue;
      else if (flag === '-c' || flag === '--report-cycles') {
        const v = val();
        const n = intArg(v);
        if (n === undefined) return fail(`invalid argument: '${v ?? ''}'`);
        cycles = n;
      } else if (flag === '-P' || flag === '--port') {
        const v = val();
        const n = intArg(v);
        if (n === undefined) return fail(`invalid argument: '${v ?? ''}'`);
        if (n < 1 || n > 65535) return fail(`Illegal port number: ${n}`);
        port = n;
      } else if (flag === '-h' || flag === '--help') {
        return { stdout: USAGE, stderr: '', exitCode: 0 };
      } else if (flag === '-v' || flag === '--version') {
        return { stdout: 'mtr 0.95\n', stderr: '', exitCode: 0 };
      } else if (/^-[6FuIafmUPLsBiGQeZMjxClptoyzg]$/.test(flag)) {
        return { stdout: '', stderr: `netlab: mtr ${flag} is not simulated here (report mode is: mtr -r [-w] [-c COUNT] [-n] [-b] [-T] [-P PORT] HOST)\n`, exitCode: 1 };
      } else if (a.startsWith('-') && a.length > 1) {
        const what = a.startsWith('--') ? `unrecognized option '${a}'` : `invalid option -- '${a.charAt(1)}'`;
        return { stdout: '', stderr: `mtr: ${what}\n${USAGE}`, exitCode: 1 };
      } else names.push(a);
    }
    if (!report) {
      return { stdout: '', stderr: 'netlab: mtr\'s interactive curses display is not simulated here; use report mode: mtr -r [-c COUNT] HOST\n', exitCode: 1 };
    }
    if (names.length === 0) names.push('localhost');
    let out = '';
    let err = '';
    const localName = hostName(cluster, ctx.host);
    for (const target of names) {
      const r = tcp
        ? connect(cluster, ctx.host, target, port, 'tcp', { command: ['mtr', ...args].join(' ') })
        : connect(cluster, ctx.host, target, 0, 'icmp', { command: ['mtr', ...args].join(' ') });
      if (r.outcome === 'nxdomain') {
        // report mode goes on to the next name (mtr.c main: get_addrinfo_from_name fails)
        err += `mtr: Failed to resolve host: ${target}: Name or service not known\n`;
        continue;
      }
      if (r.ipv6 || (r.address?.includes(':') && !carriesIPv6(cluster))) {
        err += ipv6NotSimulated('mtr', target);
        continue;
      }
      const dst = r.address ?? target;
      const { hops, finalIp, delivered } = routeHops(cluster, ctx.host, r, dst);
      // the answering addresses by TTL; '' for a silent one
      const path = hops.map((h) => (h === '*' ? '' : h));
      if (delivered) path.push(finalIp);
      // net_max: one past the last hop that answered when the target never does
      else path.push('');
      const latency = r.latencyMs ?? 0.05;
      const n = path.length - (delivered ? 1 : 0);
      const sent = path.map(() => 0);
      const samples: number[][] = path.map(() => []);
      for (let c = 0; c < cycles; c++) {
        path.forEach((addr, i) => {
          sent[i]++;
          if (!addr) return;
          // traceroute's model: a router i of n answers after (i+1)/(n+1) of the round trip
          const base = delivered && i === path.length - 1 ? latency * 2 : ((i + 1) / (n + 1)) * latency * 2 + 0.01;
          const rtt = base + cluster.rng.next() * base * 0.5;
          samples[i].push(Math.round(rtt * 1000));
        });
      }
      const name = (addr: string): string => {
        if (!addr) return '???';
        const host = dns ? ptrName(ctx, addr) : undefined;
        return host ? (showIps ? `${host} (${addr})` : host) : addr;
      };
      const labels = path.map(name);
      const col = wide ? Math.max(localName.length, ...labels.map((l) => l.length)) : HOST_COLUMN;
      // the fields are written at fixed offsets: each overwrites the tail of a wider one before it
      const put = (line: string, at: number, field: string): string => line.slice(0, at) + field;
      const head = (lead: string): string => (wide ? lead : lead.slice(0, HOST_COLUMN).padEnd(HOST_COLUMN));
      let line = head(`HOST: ${localName.padEnd(col)}`);
      let at = line.length;
      for (const [title, width] of [['Loss%', 6], ['Snt', 6], [' ', 1], ['Last', 6], ['Avg', 6], ['Best', 6], ['Wrst', 6], ['StDev', 6]] as const) {
        line = put(line, at, title.padStart(width));
        at += width;
      }
      out += `Start: ${isoTime(cluster.clock.now())}\n${line}\n`;
      path.forEach((_, i) => {
        const s = samples[i];
        const got = s.length;
        const loss = sent[i] ? ((sent[i] - got) * 100000) / sent[i] / 1000 : 0;
        const avg = got ? Math.trunc(s.reduce((a, b) => a + b, 0) / got) : 0;
        const mean = got ? s.reduce((a, b) => a + b, 0) / got : 0;
        const ssd = s.reduce((a, b) => a + (b - mean) ** 2, 0);
        const stdev = got > 1 ? Math.trunc(Math.sqrt(ssd / (got - 1))) : 0;
        const ms = (us: number) => ` ${(us / 1000).toFixed(1).padStart(5)}`;
        let row = head(` ${String(i + 1).padStart(2)}.|-- ${labels[i].padEnd(col)}`);
        let pos = row.length;
        const fields = [` ${loss.toFixed(1).padStart(4)}%`, ` ${String(sent[i]).padStart(5)}`, ' ', ms(s[got - 1] ?? 0), ms(avg), ms(got ? Math.min(...s) : 0), ms(got ? Math.max(...s) : 0), ms(stdev)];
        const widths = [6, 6, 1, 6, 6, 6, 6, 6];
        fields.forEach((f, k) => {
          row = put(row, pos, f);
          pos += widths[k];
        });
        out += `${row}\n`;
      });
      cluster.advance(cycles * 1000);
    }
    return { stdout: out, stderr: err, exitCode: 0 };
  },
};
