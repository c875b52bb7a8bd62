/**
 * Golden outputs of traceroute. Header "traceroute to %s (%s), %d hops max, %d byte packets"
 * (busybox networking/traceroute.c: 46-byte probes; Linux traceroute 2.1: 60), hop lines
 * " %2d  %s (%s)  %.3f ms ..." or " %2d  * * *"; busybox "bad address '%s'". The routers
 * are the walk's, each answering from the address its route back to the probe's source picks
 * (net/ipv4/icmp.c icmp_send → fib_result_prefsrc / inet_select_addr): on Calico the pod's
 * own node from eth0 (the route to the pod's cali veth has no address), the other node from
 * its tunl0 (its route back to the pod's block is the IPIP tunnel); a probe to a ClusterIP
 * port kube-proxy has no rule for dies after the node.
 */
import { describe, expect, it } from 'vitest';
import { cluster, bb, curlPod, shoot, ws } from './scenario';
import { run } from './harness';

const hosts = { bb, curl: curlPod, shoot, ws };

describe("traceroute: busybox and Linux", () => {
  // One simulation, the commands in order: the virtual clock and the seeded stream advance as they would in a session.
  const s = cluster("calico", "iptables");
  const cases: { host: keyof typeof hosts; line: string; why: string; opts?: { steps?: number }; stdout: string; stderr: string; exitCode: number }[] = [
    {
      host: "bb",
      line: "traceroute 10.244.0.55",
      why: "busybox: pod → its node → the other node → pod",
      stdout: "traceroute to 10.244.0.55 (10.244.0.55), 30 hops max, 46 byte packets\n 1  192.168.49.3 (192.168.49.3)  0.261 ms  0.319 ms  0.290 ms\n 2  10.244.0.0 (10.244.0.0)  0.531 ms  0.488 ms  0.605 ms\n 3  10.244.0.55 (10.244.0.55)  0.913 ms  0.736 ms  0.713 ms\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "shoot",
      line: "traceroute -n 10.244.1.57",
      why: "Linux, numeric, same node",
      stdout: "traceroute to 10.244.1.57 (10.244.1.57), 30 hops max, 60 byte packets\n 1  192.168.49.3  0.083 ms  0.110 ms  0.080 ms\n 2  10.244.1.57  0.159 ms  0.185 ms  0.184 ms\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "bb",
      line: "traceroute -m 4 web",
      why: "a ClusterIP: the node, then nothing",
      stdout: "traceroute to web (10.96.12.3), 4 hops max, 46 byte packets\n 1  192.168.49.3 (192.168.49.3)  0.041 ms  0.030 ms  0.034 ms\n 2  * * *\n 3  * * *\n 4  * * *\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "shoot",
      line: "traceroute example.com",
      why: "to the internet",
      stdout: "traceroute to example.com (93.184.215.14), 30 hops max, 60 byte packets\n 1  192.168.49.3 (192.168.49.3)  3.541 ms  3.165 ms  3.331 ms\n 2  * * *\n 3  * * *\n 4  * * *\n 5  * * *\n 6  * * *\n 7  * * *\n 8  * * *\n 9  93.184.215.14 (93.184.215.14)  24.760 ms  29.917 ms  27.535 ms\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "bb",
      line: "traceroute nosuchservice",
      why: "unknown host",
      stdout: "",
      stderr: "traceroute: bad address 'nosuchservice'\n",
      exitCode: 1,
    },
  ];
  for (const c of cases) {
    it(`${c.host}: ${c.line} — ${c.why}`, () => {
      expect(run(s, hosts[c.host], c.line, c.opts)).toEqual({ stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode });
    });
  }
});
