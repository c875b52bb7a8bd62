/**
 * In IPVS mode every ClusterIP is bound to the kube-ipvs0 dummy interface, so the node owns
 * the address and its kernel answers; kube-proxy's KUBE-IPVS-FILTER chain (filter/INPUT)
 * then rejects a NEW packet to an IPVS address that is not one of its virtual services with
 * icmp-port-unreachable. iputils prints "From %s icmp_seq=%d Destination Port Unreachable"
 * (ping/ping4.c pr_icmph); busybox prints "warning: got ICMP %d (%s)" (networking/ping.c
 * unpack4). Compare ping.test.ts: in iptables mode the ClusterIP is silent.
 */
import { describe, expect, it } from 'vitest';
import { cluster, bb, curlPod, shoot, ws } from './scenario';
import { run } from './harness';

const hosts = { bb, curl: curlPod, shoot, ws };

describe("ping a ClusterIP in IPVS mode", () => {
  // One simulation, the commands in order: the virtual clock and the seeded stream advance as they would in a session.
  const s = cluster("calico", "ipvs");
  const cases: { host: keyof typeof hosts; line: string; why: string; opts?: { steps?: number }; stdout: string; stderr: string; exitCode: number }[] = [
    {
      host: "bb",
      line: "ping -c 2 10.96.12.3",
      why: "busybox",
      stdout: "PING 10.96.12.3 (10.96.12.3): 56 data bytes\n\n--- 10.96.12.3 ping statistics ---\n2 packets transmitted, 0 packets received, 100% packet loss\n",
      stderr: "ping: warning: got ICMP 3 (Destination Unreachable)\nping: warning: got ICMP 3 (Destination Unreachable)\n",
      exitCode: 1,
    },
    {
      host: "shoot",
      line: "ping -c 2 10.96.12.3",
      why: "iputils",
      stdout: "PING 10.96.12.3 (10.96.12.3) 56(84) bytes of data.\nFrom 10.96.12.3 icmp_seq=1 Destination Port Unreachable\nFrom 10.96.12.3 icmp_seq=2 Destination Port Unreachable\n\n--- 10.96.12.3 ping statistics ---\n2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1003ms\n",
      stderr: "",
      exitCode: 1,
    },
    {
      host: "shoot",
      line: "nc -zv web 80",
      why: "the Service port itself is an IPVS virtual service",
      stdout: "",
      stderr: "Connection to web (10.96.12.3) 80 port [tcp/http] succeeded!\n",
      exitCode: 0,
    },
  ];
  for (const c of cases) {
    it(`${c.host}: ${c.line} — ${c.why}`, () => {
      expect(run(s, hosts[c.host], c.line, c.opts)).toEqual({ stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode });
    });
  }
});
