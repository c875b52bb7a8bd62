/**
 * What a client prints when nothing answers, and how long it waits — pinned per CNI so ping,
 * wget and curl agree with the route the packet takes.
 *
 * - busybox 1.36 networking/wget.c open_socket(): set_alarm() (-T, 900 s by default, 0 = none)
 *   around xconnect_stream(); libbb/xconnect.c xconnect(): bb_perror_msg_and_die("%s (%s)",
 *   "can't connect to remote host", inet_ntoa(...)) for IPv4, bb_simple_perror_msg_and_die(
 *   "can't connect to remote host") otherwise; alarm_handler(): "download timed out". A dropped
 *   SYN: the kernel gives up after tcp_syn_retries (6: 1+2+4+8+16+32+64 = 127 s) with
 *   ETIMEDOUT, before the 900 s alarm.
 * - busybox 1.36 networking/ping.c: the header, then xsendto() dies with "sendto: %m" when the
 *   kernel has no route; unpack4() drops ICMP errors (their id field is not the echo's), so an
 *   unreachable address only loses packets.
 * - iputils ping/ping6_common.c ping6_run(): connect() probe, error(2, errno, "connect");
 *   ping4 pr_icmph "Destination Host Unreachable".
 * - curl 8 lib/cf-socket.c cf_tcp_connect(): "Immediate connect fail for %s: %s"; happy
 *   eyeballs (lib/cf-ip-happy.c) then tries the A answer.
 * - Routes: Flannel's node has its /24 on cni0 (ARP, ICMP host unreachable) and a /24 per
 *   other node on flannel.1; Calico a blackhole for each block it holds and a /26 via tunl0
 *   per other block; Cilium a podCIDR route per node via cilium_host. An address in the Pod
 *   CIDR that no node owns matches only the default route: it leaves for the gateway and
 *   nothing answers.
 * - strerror: glibc for busybox:1.36 ("Connection timed out", "No route to host", "Network is
 *   unreachable"), musl for netshoot (alpine: "Network unreachable").
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';

function scenario(cni: string): string {
  return `
cluster:
  cni: ${cni}
  proxyMode: iptables
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: bb }
    spec: { nodeName: node-1, containers: [{ name: bb, image: "busybox:1.36", command: [sleep, "3600"] }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: ns }
    spec: { nodeName: node-1, containers: [{ name: ns, image: "nicolaka/netshoot:v0.13", command: [sleep, infinity] }] }
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web }
    spec:
      replicas: 2
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec: { containers: [{ name: nginx, image: "nginx:1.27", ports: [{ containerPort: 80 }] }] }
  - apiVersion: v1
    kind: Service
    metadata: { name: web }
    spec: { selector: { app: web }, ports: [{ port: 80 }] }
`;
}

/** Runs each line in one session and pins its output with the virtual time it took. */
function session(cni: string, file: string, lines: string[]): void {
  it(`${cni}: ${file}`, () => {
    const sim = createSimulation(scenario(cni), { seed: 1 });
    let text = '';
    for (const line of lines) {
      const t0 = sim.clock.now();
      const r = sim.run(line);
      const took = (sim.clock.now() - t0) / 1000;
      text += `$ ${line}\n${r.stdout}${r.stderr ? `[stderr]\n${r.stderr}` : ''}[exit ${r.exitCode}, ${took} s]\n`;
    }
    golden(`traffic/unanswered/${file}`, text);
  });
}

// 10.244.99.5: in the Pod CIDR, in no node's range (no /24, no Calico block).
const NOBODY = [
  'kubectl exec bb -- ping -c 2 10.244.99.5',
  'kubectl exec ns -- ping -c 2 10.244.99.5',
  'kubectl exec bb -- wget -O- http://10.244.99.5/',
  'kubectl exec bb -- wget -T 5 -O- http://10.244.99.5/',
  'kubectl exec ns -- curl -sS http://10.244.99.5/',
];

describe('an address no node owns: the default route, then silence (timeouts everywhere)', () => {
  for (const cni of ['calico', 'flannel', 'cilium']) session(cni, `nobody-${cni}.txt`, NOBODY);
});

describe('an unassigned address in a node range', () => {
  // Flannel: node-1's cni0 subnet (10.244.1.0/24) — ARP fails, ICMP host unreachable after ~3 s
  session('flannel', 'unassigned-flannel.txt', [
    'kubectl exec ns -- ping -c 2 10.244.1.200',
    'kubectl exec bb -- ping -c 2 10.244.1.200',
    'kubectl exec bb -- wget -O- http://10.244.1.200/',
    'kubectl exec ns -- curl -sS http://10.244.1.200/',
  ]);
  // Calico: node-1's block 10.244.0.64/26 ends in a blackhole route — dropped, silence
  session('calico', 'unassigned-calico.txt', [
    'kubectl exec ns -- ping -c 2 10.244.0.100',
    'kubectl exec bb -- wget -O- http://10.244.0.100/',
    'kubectl exec ns -- curl -sS http://10.244.0.100/',
  ]);
  // Cilium: routed endpoints, nothing to ARP for — dropped, silence
  session('cilium', 'unassigned-cilium.txt', [
    'kubectl exec ns -- ping -c 2 10.244.1.200',
    'kubectl exec bb -- wget -O- http://10.244.1.200/',
  ]);
});

describe('busybox wget: a dropped SYN', () => {
  session('calico', 'wget-dropped.txt', [
    // a ClusterIP port the Service does not expose: no rule, the SYN is dropped
    'kubectl exec bb -- wget -O- http://web:81/',
    'kubectl exec bb -- wget -T 3 -O- http://web:81/',
    'kubectl exec bb -- wget -T 0 -O- http://web:81/',
    'kubectl exec bb -- wget -T 300 -O- http://web:81/',
    // a public host's firewall drops ports it does not serve
    'kubectl exec bb -- wget -O- http://example.com:81/',
    'kubectl exec ns -- curl -sS --connect-timeout 2 http://example.com:81/',
  ]);
});

describe('IPv6 from an IPv4-only cluster: no route, ENETUNREACH at once', () => {
  session('calico', 'ipv6-no-route.txt', [
    'kubectl exec bb -- ping -c 1 2001:4860:4860::8888',
    'kubectl exec bb -- ping -6 -c 1 dns.google',
    'kubectl exec bb -- ping -c 1 dns.google',
    'kubectl exec ns -- ping -c 1 2001:4860:4860::8888',
    'kubectl exec bb -- wget -O- http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/',
    'kubectl exec ns -- curl -sS http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/',
    'kubectl exec ns -- curl -sS -6 http://example.com/',
    'kubectl exec ns -- curl -sv -o /dev/null http://example.com/',
  ]);
});

describe('internet names: A and AAAA as the real names publish them', () => {
  // busybox nslookup.c: each reply opens with "Non-authoritative answer:" and ends with a blank
  // line, so a NOERROR reply without records (github.com AAAA) is an empty block
  session('calico', 'dns-aaaa.txt', [
    'kubectl exec bb -- nslookup example.com',
    'kubectl exec bb -- nslookup github.com',
    'kubectl exec bb -- nslookup -type=AAAA one.one.one.one',
    'kubectl exec ns -- nslookup -type=AAAA github.com',
    'kubectl exec ns -- nslookup dns.google',
    'kubectl exec ns -- host ifconfig.me',
    'kubectl exec ns -- host api.ipify.org',
    'kubectl exec ns -- dig +noall +answer google.com AAAA',
    'kubectl exec ns -- dig +noall +answer +authority github.com AAAA',
    'kubectl exec ns -- dig -x 2606:4700:4700::1111 +short',
    // an IPv6 address is looked up as PTR under ip6.arpa (host.c, nslookup.c: inet_pton AF_INET6)
    'kubectl exec ns -- host 2001:4860:4860::8888',
    'kubectl exec bb -- nslookup 2606:4700:4700::1111',
    'kubectl exec ns -- nslookup 2606:4700:4700::1111',
    'kubectl exec ns -- host 2001:db8::1',
  ]);
});
