/**
 * On Flannel pods hang off the cni0 bridge: on one node a ping is switched, not routed (ttl
 * 64); across nodes both nodes route (ttl 62) through flannel.1's VXLAN. An address in a
 * node's pod CIDR that no pod holds is ARPed for on the bridge; when nobody answers the node
 * reports "Destination Host Unreachable" (iputils ping4.c pr_icmph). `-s` sets the data bytes
 * (header "N(N+28)", replies N+8); `-M do` forbids fragmenting, so a probe larger than the
 * route's MTU never leaves: iputils ping_common.c prints "local error: message too long,
 * mtu=%u" for each and counts it in "+N errors".
 */
import { describe, expect, it } from 'vitest';
import { cluster, bb, curlPod, shoot, ws } from './scenario';
import { run } from './harness';

const hosts = { bb, curl: curlPod, shoot, ws };

describe("ping on Flannel", () => {
  // One simulation, the commands in order: the virtual clock and the seeded stream advance as they would in a session.
  const s = cluster("flannel", "iptables");
  const cases: { host: keyof typeof hosts; line: string; why: string; opts?: { steps?: number }; stdout: string; stderr: string; exitCode: number }[] = [
    {
      host: "shoot",
      line: "ping -c 2 10.244.1.57",
      why: "same node, bridged: ttl 64",
      stdout: "PING 10.244.1.57 (10.244.1.57) 56(84) bytes of data.\n64 bytes from 10.244.1.57: icmp_seq=1 ttl=64 time=0.131 ms\n64 bytes from 10.244.1.57: icmp_seq=2 ttl=64 time=0.171 ms\n\n--- 10.244.1.57 ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 1001ms\nrtt min/avg/max/mdev = 0.131/0.151/0.171/0.020 ms\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "shoot",
      line: "ping -c 2 10.244.0.55",
      why: "across nodes through VXLAN: ttl 62",
      stdout: "PING 10.244.0.55 (10.244.0.55) 56(84) bytes of data.\n64 bytes from 10.244.0.55: icmp_seq=1 ttl=62 time=1.01 ms\n64 bytes from 10.244.0.55: icmp_seq=2 ttl=62 time=0.776 ms\n\n--- 10.244.0.55 ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 1002ms\nrtt min/avg/max/mdev = 0.776/0.894/1.011/0.117 ms\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "shoot",
      line: "ping -c 2 10.244.0.199",
      why: "an unassigned pod IP: host unreachable from the owning node",
      stdout: "PING 10.244.0.199 (10.244.0.199) 56(84) bytes of data.\nFrom 10.244.0.0 icmp_seq=1 Destination Host Unreachable\nFrom 10.244.0.0 icmp_seq=2 Destination Host Unreachable\n\n--- 10.244.0.199 ping statistics ---\n2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1005ms\n",
      stderr: "",
      exitCode: 1,
    },
    {
      host: "bb",
      line: "traceroute 10.244.0.55",
      why: "busybox traceroute: the cni0 gateway, the other node's flannel.1, the pod",
      stdout: "traceroute to 10.244.0.55 (10.244.0.55), 30 hops max, 46 byte packets\n 1  10.244.1.1 (10.244.1.1)  0.412 ms  0.432 ms  0.481 ms\n 2  10.244.0.0 (10.244.0.0)  0.750 ms  0.926 ms  0.878 ms\n 3  10.244.0.55 (10.244.0.55)  1.249 ms  1.462 ms  1.456 ms\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "shoot",
      line: "ping -c 1 -s 1422 -M do 10.244.0.55",
      why: "-s 1422 with DF: 1450 bytes fit the pod MTU (1500 less VXLAN's 50)",
      stdout: "PING 10.244.0.55 (10.244.0.55) 1422(1450) bytes of data.\n1430 bytes from 10.244.0.55: icmp_seq=1 ttl=62 time=1.15 ms\n\n--- 10.244.0.55 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 1.149/1.149/1.149/0.000 ms\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "shoot",
      line: "ping -c 2 -s 1423 -M do 10.244.0.55",
      why: "-s 1423 with DF: one byte too many, iputils ping_common.c 'local error: message too long, mtu=%u', counted in +errors",
      stdout: "PING 10.244.0.55 (10.244.0.55) 1423(1451) bytes of data.\n\n--- 10.244.0.55 ping statistics ---\n2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1005ms\n",
      stderr: "ping: local error: message too long, mtu=1450\nping: local error: message too long, mtu=1450\n",
      exitCode: 1,
    },
    {
      host: "shoot",
      line: "ping -c 1 -s 70000 10.244.0.55",
      why: "-s beyond 65507: iputils strtol_or_err ERANGE",
      stdout: "",
      stderr: "ping: invalid argument: '70000': Numerical result out of range\n",
      exitCode: 1,
    },
    {
      host: "bb",
      line: "ping -c 1 -s 1000 10.244.0.55",
      why: "busybox: '%d data bytes', replies of size+8",
      stdout: "PING 10.244.0.55 (10.244.0.55): 1000 data bytes\n1008 bytes from 10.244.0.55: seq=0 ttl=62 time=0.828 ms\n\n--- 10.244.0.55 ping statistics ---\n1 packets transmitted, 1 packets received, 0% packet loss\nround-trip min/avg/max = 0.828/0.828/0.828 ms\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "bb",
      line: "ping -c 1 -M do 10.244.0.55",
      // busybox:1.36 is the glibc build: getopt's "invalid option -- 'M'", then the applet's full usage (usage.h ping_full_usage)
      why: "busybox ping has no -M",
      stdout: "",
      stderr: "ping: invalid option -- 'M'\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n\nSend ICMP ECHO_REQUESTs to HOST\n\n\t-4,-6\t\tForce IP or IPv6 name resolution\n\t-c CNT\t\tSend only CNT pings\n\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)\n\t-i SECS\t\tInterval\n\t-A\t\tPing as soon as reply is received\n\t-t TTL\t\tSet TTL\n\t-I IFACE/IP\tSource interface or IP address\n\t-W SEC\t\tSeconds to wait for the first response (default 10)\n\t\t\t(after all -c CNT packets are sent)\n\t-w SEC\t\tSeconds until ping exits (default:infinite)\n\t\t\t(can exit earlier with -c CNT)\n\t-q\t\tQuiet, only display output at start/finish\n\t-p HEXBYTE\tPayload pattern\n",
      exitCode: 1,
    },
  ];
  for (const c of cases) {
    it(`${c.host}: ${c.line} — ${c.why}`, () => {
      expect(run(s, hosts[c.host], c.line, c.opts)).toEqual({ stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode });
    });
  }
});
