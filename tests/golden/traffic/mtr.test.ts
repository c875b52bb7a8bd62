/**
 * Golden outputs of mtr 0.95's report mode (traviscross/mtr v0.95): ui/report.c report_open
 * ("Start: %s", utils.c iso_time "%Y-%m-%dT%H:%M:%S%z") and report_close ("HOST: %-33s",
 * " %2d.|-- %-33s", fields written from column 33 so a long name is cut there; with -w the
 * column is the longest name), ui/mtr.c data_fields "LS NABWV" (Loss% " %4.1f%%" in a
 * 6-wide slot, so 100.0% loses its "%" to Snt's " %5d"; Last/Avg/Best/Wrst/StDev " %5.1f"),
 * ui/net.c net_max (hops end one past the last that answered, "???"), mtr.c's errors
 * ("Failed to resolve host: %s: %s", "invalid argument: '%s'", "Illegal port number: %d",
 * usage(stderr)). The hops are traceroute's (routeHops over the probe's walk); names are
 * CoreDNS's PTR answers unless -n.
 */
import { describe, expect, it } from 'vitest';
import { cluster, shoot } from './scenario';
import { run } from './harness';

describe('mtr -r: report mode over the walk', () => {
  // One simulation, the commands in order: the virtual clock and the seeded stream advance as they would in a session.
  const s = cluster('calico', 'iptables');
  const cases: { line: string; why: string; stdout: string; stderr: string; exitCode: number }[] = [
    {
      line: "mtr -r -c 3 web",
      why: "ICMP to a ClusterIP: the node answers, nothing behind it (no rule for ICMP); net_max shows one ??? past it",
      stdout: "Start: 2025-01-15T09:00:00+0000\nHOST: shoot                       Loss%   Snt   Last   Avg  Best  Wrst StDev\n  1.|-- 192.168.49.3               0.0%     3    0.0   0.0   0.0   0.0   0.0\n  2.|-- ???                       100.0     3    0.0   0.0   0.0   0.0   0.0\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "mtr -r -c 3 10.244.0.55",
      why: "ICMP to a Pod on the other node: three hops; the Pod's PTR name cut at column 33",
      stdout: "Start: 2025-01-15T09:00:03+0000\nHOST: shoot                       Loss%   Snt   Last   Avg  Best  Wrst StDev\n  1.|-- 192.168.49.3               0.0%     3    0.4   0.4   0.4   0.4   0.0\n  2.|-- 10.244.0.0                 0.0%     3    0.8   0.8   0.7   0.8   0.0\n  3.|-- 10-244-0-55.web.default.s  0.0%     3    1.4   1.4   1.2   1.5   0.2\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "mtr -rT -c 4 web",
      why: "TCP SYN to port 80 of the ClusterIP: DNATed to a backend, which answers",
      stdout: "Start: 2025-01-15T09:00:06+0000\nHOST: shoot                       Loss%   Snt   Last   Avg  Best  Wrst StDev\n  1.|-- 192.168.49.3               0.0%     4    0.4   0.4   0.3   0.4   0.0\n  2.|-- 10.244.0.0                 0.0%     4    0.8   0.7   0.6   0.8   0.1\n  3.|-- 10-244-0-55.web.default.s  0.0%     4    0.9   1.1   0.9   1.2   0.1\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "mtr -w -n -c 2 10.244.0.55",
      why: "wide, numeric: the name column is as wide as the longest name",
      stdout: "Start: 2025-01-15T09:00:10+0000\nHOST: shoot        Loss%   Snt   Last   Avg  Best  Wrst StDev\n  1.|-- 192.168.49.3  0.0%     2    0.3   0.4   0.3   0.4   0.1\n  2.|-- 10.244.0.0    0.0%     2    0.6   0.7   0.6   0.8   0.1\n  3.|-- 10.244.0.55   0.0%     2    1.3   1.2   1.1   1.3   0.1\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "mtr -rn -c 2 example.com",
      why: "to the internet: silent provider routers are ???, 100.0 without its % sign",
      stdout: "Start: 2025-01-15T09:00:12+0000\nHOST: shoot                       Loss%   Snt   Last   Avg  Best  Wrst StDev\n  1.|-- 192.168.49.3               0.0%     2    4.1   3.6   3.0   4.1   0.8\n  2.|-- ???                       100.0     2    0.0   0.0   0.0   0.0   0.0\n  3.|-- ???                       100.0     2    0.0   0.0   0.0   0.0   0.0\n  4.|-- ???                       100.0     2    0.0   0.0   0.0   0.0   0.0\n  5.|-- ???                       100.0     2    0.0   0.0   0.0   0.0   0.0\n  6.|-- ???                       100.0     2    0.0   0.0   0.0   0.0   0.0\n  7.|-- ???                       100.0     2    0.0   0.0   0.0   0.0   0.0\n  8.|-- ???                       100.0     2    0.0   0.0   0.0   0.0   0.0\n  9.|-- 93.184.215.14              0.0%     2   30.1  33.1  30.1  36.1   4.2\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "mtr -r -c 2 -T -P 443 web",
      why: "a Service port kube-proxy has no rule for: lost after the node",
      stdout: "Start: 2025-01-15T09:00:14+0000\nHOST: shoot                       Loss%   Snt   Last   Avg  Best  Wrst StDev\n  1.|-- 192.168.49.3               0.0%     2    0.0   0.0   0.0   0.0   0.0\n  2.|-- ???                       100.0     2    0.0   0.0   0.0   0.0   0.0\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "mtr -r nosuchservice",
      why: "report mode: the resolver error, then on to the next name; exit 0",
      stdout: "",
      stderr: "mtr: Failed to resolve host: nosuchservice: Name or service not known\n",
      exitCode: 0,
    },
    {
      line: "mtr web",
      why: "the curses display is not simulated",
      stdout: "",
      stderr: "netlab: mtr's interactive curses display is not simulated here; use report mode: mtr -r [-c COUNT] HOST\n",
      exitCode: 1,
    },
    {
      line: "mtr -r -c x web",
      why: "strtonum_or_err",
      stdout: "",
      stderr: "mtr: invalid argument: 'x'\n",
      exitCode: 1,
    },
    {
      line: "mtr -r -P 70000 web",
      why: "Illegal port number",
      stdout: "",
      stderr: "mtr: Illegal port number: 70000\n",
      exitCode: 1,
    },
    {
      line: "mtr -rk web",
      why: "getopt: an unknown option, then usage(stderr)",
      stdout: "",
      stderr: "mtr: invalid option -- 'k'\n\nUsage:\n mtr [options] hostname\n\n -F, --filename FILE        read hostname(s) from a file\n -4                         use IPv4 only\n -6                         use IPv6 only\n -u, --udp                  use UDP instead of ICMP echo\n -T, --tcp                  use TCP instead of ICMP echo\n -I, --interface NAME       use named network interface\n -a, --address ADDRESS      bind the outgoing socket to ADDRESS\n -f, --first-ttl NUMBER     set what TTL to start\n -m, --max-ttl NUMBER       maximum number of hops\n -U, --max-unknown NUMBER   maximum unknown host\n -P, --port PORT            target port number for TCP, SCTP, or UDP\n -L, --localport LOCALPORT  source port number for UDP\n -s, --psize PACKETSIZE     set the packet size used for probing\n -B, --bitpattern NUMBER    set bit pattern to use in payload\n -i, --interval SECONDS     ICMP echo request interval\n -G, --gracetime SECONDS    number of seconds to wait for responses\n -Q, --tos NUMBER           type of service field in IP header\n -e, --mpls                 display information from ICMP extensions\n -Z, --timeout SECONDS      seconds to keep probe sockets open\n -M, --mark MARK            mark each sent packet\n -r, --report               output using report mode\n -w, --report-wide          output wide report\n -c, --report-cycles COUNT  set the number of pings sent\n -x, --xml                  output xml\n -C, --csv                  output comma separated values\n -l, --raw                  output raw format\n -p, --split                split output\n -t, --curses               use curses terminal interface\n     --displaymode MODE     select initial display mode\n -n, --no-dns               do not resolve host names\n -b, --show-ips             show IP numbers and host names\n -o, --order FIELDS         select output fields\n -y, --ipinfo NUMBER        select IP information in output\n -z, --aslookup             display AS number\n -h, --help                 display this help and exit\n -v, --version              output version information and exit\n\nSee the 'man 8 mtr' for details.\n",
      exitCode: 1,
    },
    {
      line: "mtr -r -u web",
      why: "a real option this simulation does not model",
      stdout: "",
      stderr: "netlab: mtr -u is not simulated here (report mode is: mtr -r [-w] [-c COUNT] [-n] [-b] [-T] [-P PORT] HOST)\n",
      exitCode: 1,
    },
    {
      line: "mtr --version",
      why: "the version line",
      stdout: "mtr 0.95\n",
      stderr: "",
      exitCode: 0,
    },
  ];
  for (const c of cases) {
    it(`${c.line} — ${c.why}`, () => {
      expect(run(s, shoot, c.line)).toEqual({ stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode });
    });
  }
});
