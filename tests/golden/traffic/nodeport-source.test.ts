/**
 * Which source address a Pod sees for a NodePort connection, and why it is the one the
 * entry node's own `ip route get <podIP>` prints as `src`. kube-proxy marks external
 * traffic to a nodePort for masquerade (externalTrafficPolicy: Cluster); MASQUERADE takes
 * `inet_select_addr(out, rt_nexthop(rt, daddr), RT_SCOPE_UNIVERSE)` on the device the route
 * sends the packet out of (torvalds/linux net/netfilter/nf_nat_masquerade.c
 * nf_nat_masquerade_ipv4; net/ipv4/devinet.c inet_select_addr), and the route's `src` that
 * `ip route get` prints is the same choice (net/ipv4/route.c fib_result_prefsrc). An ICMP
 * error a node sends for a forwarded packet (traceroute's "time exceeded") leaves from that
 * address too (net/ipv4/icmp.c icmp_send, saddr 0 → the route's prefsrc).
 *
 * What real clusters show:
 * - Flannel VXLAN, endpoint on another node: the flannel.1 address, the .0 of the entry
 *   node's subnet (kubernetes/kubernetes#39932: a masqueraded connection to a Pod on
 *   another host arrives from "the flannel.1 IP"; flannel-io/flannel#107: the source is
 *   "replaced with Flannel interface IP" across hosts, the bridge's on one);
 * - Flannel, endpoint on the entry node: the cni0 gateway, 10.244.x.1
 *   (flannel-io/flannel#1333 "always getting ip address of cni0 gateway");
 * - Calico IPIP, endpoint on another node: the entry node's tunl0 address
 *   (projectcalico/calico#3585 lists each node's tunl0 IP beside its physical one);
 *   endpoint on the entry node: the node's address, the cali… veth having none of its own;
 * - host-gw: the node's address toward another node, the bridge's toward its own Pods
 *   (kubernetes/kubernetes#58338, MrHohn: "node IP" across nodes, "the bridge network's IP"
 *   on one; the source-IP tutorial's NodePort output, kubernetes.io/docs/tutorials/services/source-ip/,
 *   shows the same pair on GCE's routed network: cbr0's 10.180.1.1 and node addresses);
 * - externalTrafficPolicy: Local keeps the client's address and a node without a local
 *   endpoint drops (kubernetes.io/docs/tutorials/services/source-ip/).
 *
 * conntrack -L prints the conntrack-tools format (src/dst/sport/dport of the original, then
 * of the reply: the reply is addressed to the masqueraded source). Two nodes: node-1
 * 192.168.49.2 runs the echo Pod and probe, node-2 192.168.49.3 runs peer; the workstation
 * is 192.168.49.1. Flannel: node-1 10.244.0.0/24 (echo 10.244.0.70, probe .71), node-2
 * 10.244.1.0/24 (peer 10.244.1.80). Calico (calico-ipam blocks, not spec.podCIDR): node-1
 * 10.244.0.0/26 (tunl0 10.244.0.0; echo 10.244.0.10, probe .11), node-2 10.244.0.64/26
 * (tunl0 10.244.0.64; peer 10.244.0.80).
 */
import { describe, expect, it } from 'vitest';
import { pod, sim, svc } from '../../unit/dataplane/fixtures';

const netshoot = 'nicolaka/netshoot:v0.13';

type Obj = Record<string, unknown>;
const agnhost = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
// kube-flannel-cfg's net-conf.json with Backend.Type host-gw (flannel's own routes, no flannel.1)
const hostGw: Obj[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-flannel' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-flannel-cfg', namespace: 'kube-flannel' }, data: { 'net-conf.json': '{ "Network": "10.244.0.0/16", "Backend": { "Type": "host-gw" } }' } },
];

/** Where the three Pods sit: inside their node's range (Flannel: spec.podCIDR; Calico: the node's calico-ipam block). */
interface Addrs { echo: string; probe: string; peer: string }
const flannelAddrs: Addrs = { echo: '10.244.0.70', probe: '10.244.0.71', peer: '10.244.1.80' };
// calico-ipam: node-1 (the control plane, first in node order) holds 10.244.0.0/26 and its tunl0
// is 10.244.0.0; node-2 holds 10.244.0.64/26 and its tunl0 is 10.244.0.64
const calicoAddrs: Addrs = { echo: '10.244.0.10', probe: '10.244.0.11', peer: '10.244.0.80' };

function cluster(cni: 'flannel' | 'calico', extra: Obj[] = []) {
  const a = cni === 'calico' ? calicoAddrs : flannelAddrs;
  return sim({ cni, proxyMode: 'iptables' }, [
    ...extra,
    pod('default', 'echo', 'node-1', a.echo, agnhost, { app: 'echo' }, { containers: [{ name: 'netexec', image: agnhost, args: ['netexec', '--http-port=8080'] }] }),
    // netshoot's own command is an interactive shell that exits at once: keep the toolbox running
    pod('default', 'probe', 'node-1', a.probe, netshoot, {}, { containers: [{ name: 'main', image: netshoot, command: ['sleep', 'infinity'] }] }),
    pod('default', 'peer', 'node-2', a.peer, netshoot, {}, { containers: [{ name: 'main', image: netshoot, command: ['sleep', 'infinity'] }] }),
    ...svc('default', 'echo', '10.96.30.1', [[a.echo, 'node-1', 'echo']], [{ port: 80, targetPort: 8080, nodePort: 30080 }], { type: 'NodePort' }),
  ]);
}

interface Case { line: string; why: string; stdout: string; stderr: string; exitCode: number }

const flannelVxlan: Case[] = [
    { line: "ssh node-2 ip route get 10.244.0.70", why: "the entry node's route to the endpoint: the device and the src the kernel picks", stdout: "10.244.0.70 via 10.244.0.0 dev flannel.1 src 10.244.1.0 uid 0 \n    cache \n", stderr: "", exitCode: 0 },
    { line: "ssh node-2 ip -4 addr show dev flannel.1", why: "the device that route names holds it", stdout: "3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default \n    inet 10.244.1.0/32 scope global flannel.1\n       valid_lft forever preferred_lft forever\n", stderr: "", exitCode: 0 },
    { line: "curl -s http://192.168.49.3:30080/clientip", why: "through node-2 (no endpoint there): MASQUERADE's address", stdout: "10.244.1.0:24322", stderr: "", exitCode: 0 },
    { line: "ssh node-2 conntrack -L -p tcp --dport 30080", why: "the reply is expected at that address, on the port --random-fully drew (/clientip saw it)", stdout: "tcp      6 118 TIME_WAIT src=192.168.49.1 dst=192.168.49.3 sport=49709 dport=30080 src=10.244.0.70 dst=10.244.1.0 sport=8080 dport=24322 [ASSURED] mark=0 use=1\n", stderr: "conntrack v1.4.6 (conntrack-tools): 1 flow entries have been shown.\n", exitCode: 0 },
    { line: "kubectl exec probe -- traceroute -n 10.244.1.80", why: "node-2 answers a probe from node-1's Pod network from the same address", stdout: "traceroute to 10.244.1.80 (10.244.1.80), 30 hops max, 60 byte packets\n 1  10.244.0.1  0.430 ms  0.426 ms  0.404 ms\n 2  10.244.1.0  0.824 ms  0.815 ms  0.973 ms\n 3  10.244.1.80  1.499 ms  1.246 ms  1.220 ms\n", stderr: "", exitCode: 0 },
    { line: "kubectl exec probe -- ping -c 1 10.244.1.0", why: "the address the Pod saw answers (it is node-2's own)", stdout: "PING 10.244.1.0 (10.244.1.0) 56(84) bytes of data.\n64 bytes from 10.244.1.0: icmp_seq=1 ttl=63 time=0.976 ms\n\n--- 10.244.1.0 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.976/0.976/0.976/0.000 ms\n", stderr: "", exitCode: 0 },
    { line: "ssh node-1 ip route get 10.244.0.70", why: "the endpoint's own node: the device toward the Pod", stdout: "10.244.0.70 dev cni0 src 10.244.0.1 uid 0 \n    cache \n", stderr: "", exitCode: 0 },
    { line: "curl -s http://192.168.49.2:30080/clientip", why: "Cluster, through the endpoint's node: still masqueraded, to the address of the device toward the Pod", stdout: "10.244.0.1:41569", stderr: "", exitCode: 0 },
    { line: "kubectl patch service echo -p '{\"spec\":{\"externalTrafficPolicy\":\"Local\"}}'", why: "externalTrafficPolicy: Local", stdout: "service/echo patched\n", stderr: "", exitCode: 0 },
    { line: "curl -s http://192.168.49.2:30080/clientip", why: "Local, through the endpoint's node: the client's own address", stdout: "192.168.49.1:38757", stderr: "", exitCode: 0 },
    { line: "curl -s --max-time 3 http://192.168.49.3:30080/clientip", why: "Local: node-2 has no local endpoint and drops", stdout: "", stderr: "", exitCode: 28 },
];

const calicoIpip: Case[] = [
    { line: "ssh node-2 ip route get 10.244.0.10", why: "the entry node's route to the endpoint: the device and the src the kernel picks", stdout: "10.244.0.10 via 192.168.49.2 dev tunl0 src 10.244.0.64 uid 0 \n    cache \n", stderr: "", exitCode: 0 },
    { line: "ssh node-2 ip -4 addr show dev tunl0", why: "the device that route names holds it", stdout: "3: tunl0@NONE: <NOARP,UP,LOWER_UP> mtu 1440 qdisc noqueue state UNKNOWN group default qlen 1000\n    inet 10.244.0.64/32 scope global tunl0\n       valid_lft forever preferred_lft forever\n", stderr: "", exitCode: 0 },
    { line: "curl -s http://192.168.49.3:30080/clientip", why: "through node-2 (no endpoint there): MASQUERADE's address", stdout: "10.244.0.64:24322", stderr: "", exitCode: 0 },
    { line: "ssh node-2 conntrack -L -p tcp --dport 30080", why: "the reply is expected at that address, on the port --random-fully drew (/clientip saw it)", stdout: "tcp      6 118 TIME_WAIT src=192.168.49.1 dst=192.168.49.3 sport=49709 dport=30080 src=10.244.0.10 dst=10.244.0.64 sport=8080 dport=24322 [ASSURED] mark=0 use=1\n", stderr: "conntrack v1.4.6 (conntrack-tools): 1 flow entries have been shown.\n", exitCode: 0 },
    { line: "kubectl exec probe -- traceroute -n 10.244.0.80", why: "node-2 answers a probe from node-1's Pod network from the same address", stdout: "traceroute to 10.244.0.80 (10.244.0.80), 30 hops max, 60 byte packets\n 1  192.168.49.2  0.430 ms  0.426 ms  0.404 ms\n 2  10.244.0.64  0.824 ms  0.815 ms  0.973 ms\n 3  10.244.0.80  1.499 ms  1.246 ms  1.220 ms\n", stderr: "", exitCode: 0 },
    { line: "kubectl exec probe -- ping -c 1 10.244.0.64", why: "the address the Pod saw answers (it is node-2's own)", stdout: "PING 10.244.0.64 (10.244.0.64) 56(84) bytes of data.\n64 bytes from 10.244.0.64: icmp_seq=1 ttl=63 time=0.976 ms\n\n--- 10.244.0.64 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.976/0.976/0.976/0.000 ms\n", stderr: "", exitCode: 0 },
    { line: "ssh node-1 ip route get 10.244.0.10", why: "the endpoint's own node: the device toward the Pod", stdout: "10.244.0.10 dev cali4093604f497 src 192.168.49.2 uid 0 \n    cache \n", stderr: "", exitCode: 0 },
    { line: "curl -s http://192.168.49.2:30080/clientip", why: "Cluster, through the endpoint's node: still masqueraded, to the address of the device toward the Pod", stdout: "192.168.49.2:41569", stderr: "", exitCode: 0 },
    { line: "kubectl patch service echo -p '{\"spec\":{\"externalTrafficPolicy\":\"Local\"}}'", why: "externalTrafficPolicy: Local", stdout: "service/echo patched\n", stderr: "", exitCode: 0 },
    { line: "curl -s http://192.168.49.2:30080/clientip", why: "Local, through the endpoint's node: the client's own address", stdout: "192.168.49.1:38757", stderr: "", exitCode: 0 },
    { line: "curl -s --max-time 3 http://192.168.49.3:30080/clientip", why: "Local: node-2 has no local endpoint and drops", stdout: "", stderr: "", exitCode: 28 },
];

const flannelHostGw: Case[] = [
    { line: "ssh node-2 ip route get 10.244.0.70", why: "the entry node's route to the endpoint: the device and the src the kernel picks", stdout: "10.244.0.70 via 192.168.49.2 dev eth0 src 192.168.49.3 uid 0 \n    cache \n", stderr: "", exitCode: 0 },
    { line: "ssh node-2 ip -4 addr show dev eth0", why: "the device that route names holds it", stdout: "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000\n    inet 192.168.49.3/24 brd 192.168.49.255 scope global eth0\n       valid_lft forever preferred_lft forever\n", stderr: "", exitCode: 0 },
    { line: "curl -s http://192.168.49.3:30080/clientip", why: "through node-2 (no endpoint there): MASQUERADE's address", stdout: "192.168.49.3:24322", stderr: "", exitCode: 0 },
    { line: "ssh node-2 conntrack -L -p tcp --dport 30080", why: "the reply is expected at that address, on the port --random-fully drew (/clientip saw it)", stdout: "tcp      6 118 TIME_WAIT src=192.168.49.1 dst=192.168.49.3 sport=49709 dport=30080 src=10.244.0.70 dst=192.168.49.3 sport=8080 dport=24322 [ASSURED] mark=0 use=1\n", stderr: "conntrack v1.4.6 (conntrack-tools): 1 flow entries have been shown.\n", exitCode: 0 },
    { line: "kubectl exec probe -- traceroute -n 10.244.1.80", why: "node-2 answers a probe from node-1's Pod network from the same address", stdout: "traceroute to 10.244.1.80 (10.244.1.80), 30 hops max, 60 byte packets\n 1  10.244.0.1  0.430 ms  0.426 ms  0.404 ms\n 2  192.168.49.3  0.824 ms  0.815 ms  0.973 ms\n 3  10.244.1.80  1.499 ms  1.246 ms  1.220 ms\n", stderr: "", exitCode: 0 },
    { line: "kubectl exec probe -- ping -c 1 192.168.49.3", why: "the address the Pod saw answers (it is node-2's own)", stdout: "PING 192.168.49.3 (192.168.49.3) 56(84) bytes of data.\n64 bytes from 192.168.49.3: icmp_seq=1 ttl=63 time=0.640 ms\n\n--- 192.168.49.3 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.640/0.640/0.640/0.000 ms\n", stderr: "", exitCode: 0 },
    { line: "ssh node-1 ip route get 10.244.0.70", why: "the endpoint's own node: the device toward the Pod", stdout: "10.244.0.70 dev cni0 src 10.244.0.1 uid 0 \n    cache \n", stderr: "", exitCode: 0 },
    { line: "curl -s http://192.168.49.2:30080/clientip", why: "Cluster, through the endpoint's node: still masqueraded, to the address of the device toward the Pod", stdout: "10.244.0.1:41569", stderr: "", exitCode: 0 },
    { line: "kubectl patch service echo -p '{\"spec\":{\"externalTrafficPolicy\":\"Local\"}}'", why: "externalTrafficPolicy: Local", stdout: "service/echo patched\n", stderr: "", exitCode: 0 },
    { line: "curl -s http://192.168.49.2:30080/clientip", why: "Local, through the endpoint's node: the client's own address", stdout: "192.168.49.1:38757", stderr: "", exitCode: 0 },
    { line: "curl -s --max-time 3 http://192.168.49.3:30080/clientip", why: "Local: node-2 has no local endpoint and drops", stdout: "", stderr: "", exitCode: 28 },
];

describe.each([
  ['Flannel VXLAN', () => cluster('flannel'), flannelVxlan, 'flannel.1', flannelAddrs],
  ['Calico IPIP', () => cluster('calico'), calicoIpip, 'tunl0', calicoAddrs],
  ['Flannel host-gw', () => cluster('flannel', hostGw), flannelHostGw, 'eth0', flannelAddrs],
] as const)('%s: NodePort /clientip, conntrack and traceroute agree with ip route get', (name, make, cases, dev, a) => {
  // One simulation, the commands in order, from the workstation.
  const s = make();
  for (const c of cases) {
    it(`${c.line} — ${c.why}`, () => {
      expect(s.run(c.line)).toEqual({ stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode });
    });
  }
  it(`one address: ip route get's src on node-2 (dev ${dev}) is what /clientip, conntrack's reply and traceroute's node-2 hop show`, () => {
    const t = make();
    const out = (line: string) => t.run(line).stdout;
    // the Pods' addresses as the cluster reports them
    expect(out("kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}={.status.podIP} {end}'")).toBe(`echo=${a.echo} peer=${a.peer} probe=${a.probe} `);
    const route = out(`ssh node-2 ip route get ${a.echo}`);
    expect(route).toContain(` dev ${dev} `);
    const src = / src (\S+) /.exec(route)![1];
    expect(out(`ssh node-2 ip -4 addr show dev ${dev}`)).toContain(` inet ${src}/`);
    expect(out('curl -s http://192.168.49.3:30080/clientip').split(':')[0]).toBe(src);
    expect(out('ssh node-2 conntrack -L -p tcp --dport 30080')).toContain(`src=${a.echo} dst=${src} sport=8080`);
    expect(out(`kubectl exec probe -- traceroute -n ${a.peer}`).split('\n')[2].split(/ +/)[2]).toBe(src);
    // Calico: that address is calico-node's tunnel address for node-2, the first of the block it holds
    if (name === 'Calico IPIP') {
      expect(out("kubectl get node node-2 -o jsonpath='{.metadata.annotations.projectcalico\\.org/IPv4IPIPTunnelAddr}'")).toBe(src);
      expect(out("kubectl get blockaffinities -o jsonpath='{range .items[?(@.spec.node==\"node-2\")]}{.spec.cidr}{end}'")).toBe(`${src}/26`);
    }
  });
});
