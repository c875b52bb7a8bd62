/**
 * Golden outputs of ping. busybox (networking/ping.c): "PING %s (%s): %d data bytes",
 * "%d bytes from %s: seq=%u ttl=%d time=%u.%03u ms", the statistics block with
 * "round-trip min/avg/max", "bad address '%s'". iputils (ping/ping_common.c, in netshoot):
 * "PING %s (%s) 56(84) bytes of data.", "icmp_seq=%u ttl=%d time=%.3f ms", "From %s
 * icmp_seq=%u Destination Host Unreachable", "%ld packets transmitted, %ld received, +%ld
 * errors, %d%% packet loss, time %ldms", "rtt min/avg/max/mdev", "%s: Name or service not
 * known" (exit 2). TTL: 64 minus the routers the walk crossed (Calico routes through the
 * host even on one node; across nodes both nodes route). Times are twice the walk's latency
 * with seeded jitter.
 */
import { describe, expect, it } from 'vitest';
import { cluster, bb, curlPod, shoot, ws } from './scenario';
import { run } from './harness';

const hosts = { bb, curl: curlPod, shoot, ws };

describe("ping: busybox and iputils", () => {
  // One simulation, the commands in order: the virtual clock and the seeded stream advance as they would in a session.
  const s = cluster("calico", "iptables");
  const cases: { host: keyof typeof hosts; line: string; why: string; opts?: { steps?: number }; stdout: string; stderr: string; exitCode: number }[] = [
    {
      host: "bb",
      line: "ping -c 3 10.244.0.55",
      why: "busybox across nodes: ttl 62",
      stdout: "PING 10.244.0.55 (10.244.0.55): 56 data bytes\n64 bytes from 10.244.0.55: seq=0 ttl=62 time=0.671 ms\n64 bytes from 10.244.0.55: seq=1 ttl=62 time=0.895 ms\n64 bytes from 10.244.0.55: seq=2 ttl=62 time=0.999 ms\n\n--- 10.244.0.55 ping statistics ---\n3 packets transmitted, 3 packets received, 0% packet loss\nround-trip min/avg/max = 0.671/0.855/0.999 ms\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "bb",
      line: "ping 10.244.1.62",
      why: "busybox without -c on the same node: streams until Ctrl+C",
      opts: {"steps":2},
      stdout: "PING 10.244.1.62 (10.244.1.62): 56 data bytes\n64 bytes from 10.244.1.62: seq=0 ttl=63 time=0.131 ms\n64 bytes from 10.244.1.62: seq=1 ttl=63 time=0.161 ms\n64 bytes from 10.244.1.62: seq=2 ttl=63 time=0.177 ms\n\n--- 10.244.1.62 ping statistics ---\n3 packets transmitted, 3 packets received, 0% packet loss\nround-trip min/avg/max = 0.131/0.156/0.177 ms\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "shoot",
      line: "ping -c 2 10.244.1.57",
      why: "iputils on the same node: ttl 63 (routed by the host)",
      stdout: "PING 10.244.1.57 (10.244.1.57) 56(84) bytes of data.\n64 bytes from 10.244.1.57: icmp_seq=1 ttl=63 time=0.204 ms\n64 bytes from 10.244.1.57: icmp_seq=2 ttl=63 time=0.174 ms\n\n--- 10.244.1.57 ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 1001ms\nrtt min/avg/max/mdev = 0.174/0.189/0.204/0.015 ms\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "shoot",
      line: "ping -c 2 10.96.12.3",
      why: "a ClusterIP in iptables mode never answers",
      stdout: "PING 10.96.12.3 (10.96.12.3) 56(84) bytes of data.\n\n--- 10.96.12.3 ping statistics ---\n2 packets transmitted, 0 received, 100% packet loss, time 1003ms\n",
      stderr: "",
      exitCode: 1,
    },
    {
      host: "shoot",
      line: "ping -c 2 10.244.0.40",
      why: "an unassigned pod IP on Calico: the block's blackhole route drops it silently",
      stdout: "PING 10.244.0.40 (10.244.0.40) 56(84) bytes of data.\n\n--- 10.244.0.40 ping statistics ---\n2 packets transmitted, 0 received, 100% packet loss, time 1004ms\n",
      stderr: "",
      exitCode: 1,
    },
    {
      host: "shoot",
      line: "ping -c 1 nosuchservice",
      why: "iputils: unknown host",
      stdout: "",
      stderr: "ping: nosuchservice: Name or service not known\n",
      exitCode: 2,
    },
    {
      host: "bb",
      line: "ping -c 1 nosuchservice",
      why: "busybox: unknown host",
      stdout: "",
      stderr: "ping: bad address 'nosuchservice'\n",
      exitCode: 1,
    },
    {
      host: "bb",
      line: "ping -c 1 example.com",
      why: "the internet, through the node SNAT",
      stdout: "PING example.com (93.184.215.14): 56 data bytes\n64 bytes from 93.184.215.14: seq=0 ttl=55 time=24.568 ms\n\n--- example.com ping statistics ---\n1 packets transmitted, 1 packets received, 0% packet loss\nround-trip min/avg/max = 24.568/24.568/24.568 ms\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "ws",
      line: "ping -c 2 192.168.49.2",
      why: "the workstation pings a node on its network",
      stdout: "PING 192.168.49.2 (192.168.49.2) 56(84) bytes of data.\n64 bytes from 192.168.49.2: icmp_seq=1 ttl=64 time=0.352 ms\n64 bytes from 192.168.49.2: icmp_seq=2 ttl=64 time=0.651 ms\n\n--- 192.168.49.2 ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 1002ms\nrtt min/avg/max/mdev = 0.352/0.501/0.651/0.149 ms\n",
      stderr: "",
      exitCode: 0,
    },
  ];
  for (const c of cases) {
    it(`${c.host}: ${c.line} — ${c.why}`, () => {
      expect(run(s, hosts[c.host], c.line, c.opts)).toEqual({ stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode });
    });
  }
});
