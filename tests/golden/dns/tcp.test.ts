/**
 * DNS over TCP (RFC 1035 §4.2.2, RFC 7766): dig +tcp/+vc, bind nslookup -vc, host -T and
 * drill -t open a TCP connection to port 53, so a NetworkPolicy that allows only UDP 53 egress
 * stops them while plain lookups pass — why the recipes allow both protocols. Sources:
 * - isc-projects/bind9 v9.18.28 bin/dig/dig.c received(): `;; SERVER: %s(%s) (%s)` with
 *   "TCP" under tcp_mode; printgreeting(): `; (1 server found)` after an @server;
 *   dig_error(): ";; " + "no servers could be reached\n" + "\n";
 * - bin/dig/dighost.c tcp_connected(): `Connection to %s(%s) for %s failed: %s.` per try
 *   (dig 3 tries, host.c 2, nslookup 3), no greeting (nothing was received); the UDP path's
 *   recv_done() prints `communications error to %s: %s` and then the greeting;
 * - bin/dig/nslookup.c setoption(): "vc"; bin/dig/host.c: -T / -U;
 * - mirror/busybox 1_36_1 networking/nslookup.c: options type, querytype, port, retry,
 *   debug, t, timeout — anything else is bb_show_usage();
 * - the-tcpdump-group/tcpdump print-tcp.c / print-domain.c domain_print(over_tcp);
 * - coredns/coredns v1.12.1 plugin/log (the {proto} field), request/request.go Size() and
 *   plugin/pkg/edns/edns.go Size(): over TCP the logged buffer size is dns.MaxMsgSize, 65535.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulation } from '../../../engine';
import { cluster, type } from '../tcpdump/scenario';

const scenario = readFileSync('lessons/50-service-dns/scenario.yaml', 'utf8');

const udpOnly = `cat <<EOF > np.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: dns-udp-only
spec:
  podSelector:
    matchLabels:
      app: client
  policyTypes: [Egress]
  egress:
  - ports:
    - protocol: UDP
      port: 53
EOF`;

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

describe('DNS over TCP', () => {
  it('dig +tcp: the answer says (TCP); CoreDNS logs the query as tcp with a 65535-byte size', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    sim.run('kubectl -n kube-system get cm coredns -o yaml > cm.yaml');
    sim.run("sed -i 's/^        errors$/        log\\n        errors/' cm.yaml");
    sim.run('kubectl apply -f cm.yaml');
    expect(out(sim.run('kubectl exec client -- dig +tcp @10.96.0.10 web.shop.svc.cluster.local'))).toMatchInlineSnapshot(`
      "
      ; <<>> DiG 9.18.28 <<>> +tcp @10.96.0.10 web.shop.svc.cluster.local
      ; (1 server found)
      ;; global options: +cmd
      ;; Got answer:
      ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 58290
      ;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1
      ;; WARNING: recursion requested but not available

      ;; OPT PSEUDOSECTION:
      ; EDNS: version: 0, flags:; udp: 1232
      ; COOKIE: 823ec042b2814fb4 (echoed)
      ;; QUESTION SECTION:
      ;web.shop.svc.cluster.local.	IN	A

      ;; ANSWER SECTION:
      web.shop.svc.cluster.local. 30	IN	A	10.96.0.30

      ;; Query time: 1 msec
      ;; SERVER: 10.96.0.10#53(10.96.0.10) (TCP)
      ;; WHEN: Wed Jan 15 09:00:04 UTC 2025
      ;; MSG SIZE  rcvd: 83

      [exit 0]
      "
    `);
    const log = sim.run('kubectl logs -n kube-system -l k8s-app=kube-dns').stdout.split('\n').filter((l) => l.includes(' IN '));
    expect(log).toMatchInlineSnapshot(`
      [
        "[INFO] 10.244.0.130:51333 - 8904 "A IN web.shop.svc.cluster.local. tcp 67 false 65535" NOERROR qr,aa,rd 71 0.000164697s",
      ]
    `);
  });

  it('a policy allowing only UDP 53: plain lookups answer, TCP ones time out connecting', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    sim.run(udpOnly);
    sim.run('kubectl apply -f np.yaml');
    expect(sim.run('kubectl exec client -- dig +short web.shop.svc.cluster.local').stdout).toBe('10.96.0.30\n');
    expect(out(sim.run('kubectl exec client -- dig +tcp web.shop.svc.cluster.local'))).toMatchInlineSnapshot(`
      ";; Connection to 10.96.0.10#53(10.96.0.10) for web.shop.svc.cluster.local failed: timed out.
      ;; Connection to 10.96.0.10#53(10.96.0.10) for web.shop.svc.cluster.local failed: timed out.
      ;; Connection to 10.96.0.10#53(10.96.0.10) for web.shop.svc.cluster.local failed: timed out.
      ;; no servers could be reached

      [stderr]
      command terminated with exit code 9
      [exit 9]
      "
    `);
    expect(out(sim.run('kubectl exec client -- dig +vc -x 10.96.0.30'))).toMatchInlineSnapshot(`
      ";; Connection to 10.96.0.10#53(10.96.0.10) for 30.0.96.10.in-addr.arpa. failed: timed out.
      ;; Connection to 10.96.0.10#53(10.96.0.10) for 30.0.96.10.in-addr.arpa. failed: timed out.
      ;; Connection to 10.96.0.10#53(10.96.0.10) for 30.0.96.10.in-addr.arpa. failed: timed out.
      ;; no servers could be reached

      [stderr]
      command terminated with exit code 9
      [exit 9]
      "
    `);
    expect(out(sim.run('kubectl exec client -- nslookup -vc web.shop'))).toMatchInlineSnapshot(`
      ";; Connection to 10.96.0.10#53(10.96.0.10) for web.shop failed: timed out.
      ;; Connection to 10.96.0.10#53(10.96.0.10) for web.shop failed: timed out.
      ;; Connection to 10.96.0.10#53(10.96.0.10) for web.shop failed: timed out.
      ;; no servers could be reached

      [stderr]
      command terminated with exit code 1
      [exit 1]
      "
    `);
    expect(out(sim.run('kubectl exec client -- host -T web.shop'))).toMatchInlineSnapshot(`
      ";; Connection to 10.96.0.10#53(10.96.0.10) for web.shop failed: timed out.
      ;; Connection to 10.96.0.10#53(10.96.0.10) for web.shop failed: timed out.
      ;; no servers could be reached

      [stderr]
      command terminated with exit code 1
      [exit 1]
      "
    `);
    expect(out(sim.run('kubectl exec client -- drill -t web.shop.svc.cluster.local'))).toMatchInlineSnapshot(`
      "[stderr]
      Error: error sending query: Could not send or receive, because of network error
      command terminated with exit code 1
      [exit 1]
      "
    `);
    // +notcp after +tcp goes back to UDP (the last one wins)
    expect(sim.run('kubectl exec client -- dig +tcp +notcp +short web.shop.svc.cluster.local').stdout).toBe('10.96.0.30\n');
  });

  it('a UDP lookup that times out: the tries, the greeting with its server count, the error line', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    sim.run(udpOnly.replace('protocol: UDP', 'protocol: TCP'));
    sim.run('kubectl apply -f np.yaml');
    expect(out(sim.run('kubectl exec client -- dig @10.96.0.10 web.shop.svc.cluster.local'))).toMatchInlineSnapshot(`
      ";; communications error to 10.96.0.10#53: timed out
      ;; communications error to 10.96.0.10#53: timed out
      ;; communications error to 10.96.0.10#53: timed out

      ; <<>> DiG 9.18.28 <<>> @10.96.0.10 web.shop.svc.cluster.local
      ; (1 server found)
      ;; global options: +cmd
      ;; no servers could be reached

      [stderr]
      command terminated with exit code 9
      [exit 9]
      "
    `);
    expect(out(sim.run('kubectl exec client -- host web.shop'))).toMatchInlineSnapshot(`
      ";; communications error to 10.96.0.10#53: timed out
      ;; communications error to 10.96.0.10#53: timed out
      ;; no servers could be reached

      [stderr]
      command terminated with exit code 1
      [exit 1]
      "
    `);
    // only TCP is allowed: +tcp answers
    expect(sim.run('kubectl exec client -- dig +tcp +short web.shop.svc.cluster.local').stdout).toBe('10.96.0.30\n');
  });

  it('tcpdump sees the TCP connection to 53 and each message behind its length prefix', () => {
    // tcpdump print-tcp.c: port 53 goes to domain_print(…, over_tcp): the two-byte length is skipped
    // (the `(67)` is the message, `length 69` the segment), a space first
    const sim = cluster('calico');
    let s = '';
    for (const l of ['ssh node-1 tcpdump -nn -i calia7a3e029a7b port 53 &', 'kubectl exec client -- dig +tcp +short web.default.svc.cluster.local', 'kill %1']) s += `$ ${l}\n` + type(sim, l);
    expect(s).toMatchInlineSnapshot(`
      "$ ssh node-1 tcpdump -nn -i calia7a3e029a7b port 53 &
      [1] 4301
      tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
      listening on calia7a3e029a7b, link-type EN10MB (Ethernet), snapshot length 262144 bytes
      $ kubectl exec client -- dig +tcp +short web.default.svc.cluster.local
      10.110.1.210
      09:00:02.000007 IP 10.244.0.3.34557 > 10.96.0.10.53: Flags [S], seq 1034399917, win 64400, options [mss 1400,sackOK,TS val 1994156170 ecr 0,nop,wscale 7], length 0
      09:00:02.000059 IP 10.96.0.10.53 > 10.244.0.3.34557: Flags [S.], seq 4168022365, ack 1034399918, win 64400, options [mss 1400,sackOK,TS val 2208368186 ecr 1994156170,nop,wscale 7], length 0
      09:00:02.000088 IP 10.244.0.3.34557 > 10.96.0.10.53: Flags [.], ack 1, win 502, options [nop,nop,TS val 1994156171 ecr 2208368186], length 0
      09:00:02.000128 IP 10.244.0.3.34557 > 10.96.0.10.53: Flags [P.], seq 1:73, ack 1, win 502, options [nop,nop,TS val 1994156171 ecr 2208368186], length 72 59705+ [1au] A? web.default.svc.cluster.local. (70)
      09:00:02.000190 IP 10.96.0.10.53 > 10.244.0.3.34557: Flags [P.], seq 1:89, ack 73, win 509, options [nop,nop,TS val 2208368187 ecr 1994156171], length 88 59705*- 1/0/1 A 10.110.1.210 (86)
      09:00:02.000224 IP 10.244.0.3.34557 > 10.96.0.10.53: Flags [.], ack 89, win 501, options [nop,nop,TS val 1994156172 ecr 2208368187], length 0
      09:00:02.000279 IP 10.244.0.3.34557 > 10.96.0.10.53: Flags [F.], seq 73, ack 89, win 501, options [nop,nop,TS val 1994156172 ecr 2208368187], length 0
      09:00:02.000331 IP 10.96.0.10.53 > 10.244.0.3.34557: Flags [F.], seq 89, ack 74, win 509, options [nop,nop,TS val 2208368188 ecr 1994156172], length 0
      09:00:02.000360 IP 10.244.0.3.34557 > 10.96.0.10.53: Flags [.], ack 90, win 501, options [nop,nop,TS val 1994156173 ecr 2208368188], length 0
      $ kill %1

      9 packets captured
      9 packets received by filter
      0 packets dropped by kernel
      [1]+  Terminated              ssh node-1 tcpdump -nn -i calia7a3e029a7b port 53
      "
    `);
  });

  it('busybox nslookup has no -vc: its usage, exit 1', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    sim.run('kubectl run bb --image=busybox:1.36 -- sleep 3600');
    sim.run('sleep 10');
    expect(out(sim.run('kubectl exec bb -- nslookup -vc web.shop'))).toMatchInlineSnapshot(`
      "[stderr]
      BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

      Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]

      Query DNS about HOST

      QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any
      command terminated with exit code 1
      [exit 1]
      "
    `);
  });
});
