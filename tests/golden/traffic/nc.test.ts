/**
 * Golden outputs of nc. busybox (networking/nc_bloaty.c, -z -v): "%s (%s) open" with the
 * address as ip:port; failures through bb_perror_msg as "nc: %s (%s): %s", but at one -v
 * refusals are not printed ("if we're scanning at a 'one -v' verbosity level, don't print
 * refusals"), only with -vv; a -w timeout is a faked ETIMEDOUT; "bad address '%s'".
 * OpenBSD netcat (netcat.c as Debian/Alpine ship it, in netshoot): connection_info's "Connection to %s[ (%s)] %s port
 * [%s/%s] succeeded!", "connect to %s port %s (%s) failed: %s", "connect to %s port %s (%s)
 * timed out: Operation now in progress", "getaddrinfo for host \"%s\" port %s: %s"; the
 * service names come from /etc/services.
 */
import { describe, expect, it } from 'vitest';
import { cluster, bb, curlPod, shoot, ws } from './scenario';
import { run } from './harness';

const hosts = { bb, curl: curlPod, shoot, ws };

describe("nc: busybox and OpenBSD netcat", () => {
  // One simulation, the commands in order: the virtual clock and the seeded stream advance as they would in a session.
  const s = cluster("calico", "iptables");
  const cases: { host: keyof typeof hosts; line: string; why: string; opts?: { steps?: number }; stdout: string; stderr: string; exitCode: number }[] = [
    {
      host: "bb",
      line: "nc -zv web 80",
      why: "busybox: open",
      stdout: "",
      stderr: "web (10.96.12.3:80) open\n",
      exitCode: 0,
    },
    {
      host: "bb",
      line: "nc -z web 80",
      why: "busybox without -v: silent success",
      stdout: "",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "bb",
      line: "nc -zv broken 80",
      why: "busybox at one -v: a refusal is silent (exit 1)",
      stdout: "",
      stderr: "",
      exitCode: 1,
    },
    {
      host: "bb",
      line: "nc -zvv broken 80",
      why: "busybox at -vv: the refusal is printed",
      stdout: "",
      stderr: "nc: broken (10.96.0.5:80): Connection refused\n",
      exitCode: 1,
    },
    {
      host: "bb",
      line: "nc -zv -w 2 web 81",
      why: "busybox: timeout",
      stdout: "",
      stderr: "nc: web (10.96.12.3:81): Connection timed out\n",
      exitCode: 1,
    },
    {
      host: "bb",
      line: "nc -zv nosuchservice 80",
      why: "busybox: unknown host",
      stdout: "",
      stderr: "nc: bad address 'nosuchservice'\n",
      exitCode: 1,
    },
    {
      host: "shoot",
      line: "nc -zv web 80",
      why: "openbsd: succeeded",
      stdout: "",
      stderr: "Connection to web (10.96.12.3) 80 port [tcp/http] succeeded!\n",
      exitCode: 0,
    },
    {
      host: "shoot",
      line: "nc -zvn 10.96.12.3 80",
      why: "openbsd -n: no service name, the address as typed",
      stdout: "",
      stderr: "Connection to 10.96.12.3 80 port [tcp/*] succeeded!\n",
      exitCode: 0,
    },
    {
      host: "shoot",
      line: "nc -zvn web 80",
      why: "openbsd -n: AI_NUMERICHOST, a name does not resolve",
      stdout: "",
      stderr: 'nc: getaddrinfo for host "web" port 80: Name or service not known\n',
      exitCode: 1,
    },
    {
      host: "shoot",
      line: "nc -zv broken 80",
      why: "openbsd: refused",
      stdout: "",
      stderr: "nc: connect to broken port 80 (tcp) failed: Connection refused\n",
      exitCode: 1,
    },
    {
      host: "shoot",
      line: "nc -zv -w 2 web 81",
      why: "openbsd: timeout",
      stdout: "",
      stderr: "nc: connect to web port 81 (tcp) timed out: Operation now in progress\n",
      exitCode: 1,
    },
    {
      host: "shoot",
      line: "nc -zv nosuchservice 80",
      why: "openbsd: unknown host",
      stdout: "",
      stderr: "nc: getaddrinfo for host \"nosuchservice\" port 80: Name or service not known\n",
      exitCode: 1,
    },
    {
      host: "shoot",
      line: "nc -zvu kube-dns.kube-system 53",
      why: "openbsd UDP to CoreDNS",
      stdout: "",
      stderr: "Connection to kube-dns.kube-system (10.96.0.10) 53 port [udp/domain] succeeded!\n",
      exitCode: 0,
    },
  ];
  for (const c of cases) {
    it(`${c.host}: ${c.line} — ${c.why}`, () => {
      expect(run(s, hosts[c.host], c.line, c.opts)).toEqual({ stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode });
    });
  }
});
