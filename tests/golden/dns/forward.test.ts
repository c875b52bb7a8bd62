/**
 * CoreDNS's forward plugin sends a stub domain's questions to the addresses the Corefile
 * names, from the CoreDNS Pod through the cluster's network (kubernetes.io "Customizing DNS
 * Service": `consul.local:53 { errors; cache 30; forward . 10.150.0.1 }`). Sources, coredns/coredns
 * v1.12.1 (the version kubeadm 1.34 ships):
 * - plugin/forward/forward.go ServeDNS: upstreams in the policy's order, the next on an error,
 *   round again until defaultTimeout (5 s); no reply: SERVFAIL with the last upstream error;
 * - plugin/pkg/proxy/proxy.go readTimeout (2 s) and connect.go (Go's `read udp A->B: i/o
 *   timeout` / `read: connection refused`);
 * - plugin/errors/errors.go: `log.Errorf("%d %s %s: %s", rcode, name, type, err)` → `[ERROR]
 *   plugin/errors: 2 NAME. A: …`;
 * - core/dnsserver/server.go errorAndMetricsFunc: the SERVFAIL is SetRcode's reply (qr rd, no
 *   ra), written outside the cache plugin, so it is not cached;
 * - isc-projects/bind9 v9.18.28 bin/dig/dighost.c: 3 tries of 5 s (+tries, +retry, +time),
 *   each timed-out try a `communications error … timed out` line.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulation } from '../../../engine';

const scenario = readFileSync('lessons/50-service-dns/scenario.yaml', 'utf8');

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

/** The learner's edit: server blocks before kubeadm's `.:53` (sed, as the docs' page has it done by hand). */
function withBlocks(sim: ReturnType<typeof createSimulation>, blocks: string): void {
  sim.run('kubectl -n kube-system get cm coredns -o yaml > cm.yaml');
  const text = blocks.trim().split('\n').map((l) => '    ' + l).join('\\n');
  sim.run(`sed -i 's/^    \\.:53 {$/${text.replace(/\//g, '\\/')}\\n    .:53 {/' cm.yaml`);
  sim.run('kubectl apply -f cm.yaml');
}

const errors = (sim: ReturnType<typeof createSimulation>) => sim.run('kubectl logs -n kube-system -l k8s-app=kube-dns --prefix').stdout.split('\n').filter((l) => l.includes('[ERROR]'));

describe('forward to a stub domain server', () => {
  it('nobody answers at 10.150.0.1: dig times out (CoreDNS needs 6 s), CoreDNS logs each try', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    withBlocks(sim, `consul.local:53 {
    errors
    cache 30
    forward . 10.150.0.1
}`);
    expect(out(sim.run('kubectl exec client -- dig web.consul.local'))).toMatchInlineSnapshot(`
      ";; communications error to 10.96.0.10#53: timed out
      ;; communications error to 10.96.0.10#53: timed out
      ;; communications error to 10.96.0.10#53: timed out

      ; <<>> DiG 9.18.28 <<>> web.consul.local
      ;; global options: +cmd
      ;; no servers could be reached

      [stderr]
      command terminated with exit code 9
      [exit 9]
      "
    `);
    expect(errors(sim)).toMatchInlineSnapshot(`
      [
        "[pod/coredns-7788dbc5b-nh297/coredns] [ERROR] plugin/errors: 2 web.consul.local. A: read udp 10.244.0.66:40900->10.150.0.1:53: i/o timeout",
        "[pod/coredns-7788dbc5b-nh297/coredns] [ERROR] plugin/errors: 2 web.consul.local. A: read udp 10.244.0.66:34217->10.150.0.1:53: i/o timeout",
        "[pod/coredns-7788dbc5b-nh297/coredns] [ERROR] plugin/errors: 2 web.consul.local. A: read udp 10.244.0.66:59158->10.150.0.1:53: i/o timeout",
      ]
    `);
  });

  it('dig +time=10 waits long enough for the SERVFAIL', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    withBlocks(sim, `consul.local:53 {
    errors
    forward . 10.150.0.1
}`);
    expect(out(sim.run('kubectl exec client -- dig +time=10 web.consul.local'))).toMatchInlineSnapshot(`
      "
      ; <<>> DiG 9.18.28 <<>> +time=10 web.consul.local
      ;; global options: +cmd
      ;; Got answer:
      ;; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: 58290
      ;; flags: qr rd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1
      ;; WARNING: recursion requested but not available

      ;; OPT PSEUDOSECTION:
      ; EDNS: version: 0, flags:; udp: 1232
      ; COOKIE: 823ec042b2814fb4 (echoed)
      ;; QUESTION SECTION:
      ;web.consul.local.		IN	A

      ;; Query time: 6001 msec
      ;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)
      ;; WHEN: Wed Jan 15 09:00:04 UTC 2025
      ;; MSG SIZE  rcvd: 57

      [exit 0]
      "
    `);
    expect(out(sim.run('kubectl exec client -- dig +tries=1 +short web.consul.local'))).toMatchInlineSnapshot(`
      ";; communications error to 10.96.0.10#53: timed out
      ;; no servers could be reached

      [stderr]
      command terminated with exit code 9
      [exit 9]
      "
    `);
    expect(out(sim.run('kubectl exec client -- dig +tries web.consul.local')).split('\n')[0]).toBe('[stderr]');
    expect(out(sim.run('kubectl exec client -- dig +time=x web.consul.local'))).toMatchInlineSnapshot(`
      "invalid timeout 'x': not a valid number
      [stderr]
      dig: Couldn't parse timeout
      command terminated with exit code 10
      [exit 10]
      "
    `);
  });

  it('a Pod with nothing on port 53 refuses: the forward spins to its 5 s deadline', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    const ip = sim.run("kubectl get pods -n shop -o jsonpath='{.items[0].status.podIP}'").stdout.trim();
    withBlocks(sim, `refuse.local:53 {
    errors
    forward . ${ip}
}`);
    expect(out(sim.run('kubectl exec client -- dig +time=10 +noall +comments web.refuse.local'))).toMatchInlineSnapshot(`
      ";; Got answer:
      ;; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: 58290
      ;; flags: qr rd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1
      ;; WARNING: recursion requested but not available

      ;; OPT PSEUDOSECTION:
      ; EDNS: version: 0, flags:; udp: 1232
      ; COOKIE: 823ec042b2814fb4 (echoed)

      [exit 0]
      "
    `);
    expect(errors(sim)).toMatchInlineSnapshot(`
      [
        "[pod/coredns-7788dbc5b-nh297/coredns] [ERROR] plugin/errors: 2 web.refuse.local. A: read udp 10.244.0.66:47786->10.244.0.67:53: read: connection refused",
      ]
    `);
  });

  it('an upstream that answers (8.8.8.8) is used; policy sequential moves past a dead first one', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    withBlocks(sim, `example.com:53 {
    errors
    forward . 10.150.0.1 8.8.8.8 {
        policy sequential
    }
}`);
    expect(out(sim.run('kubectl exec client -- dig +noall +answer +stats example.com'))).toMatchInlineSnapshot(`
      "example.com.		300	IN	A	93.184.215.14
      ;; Query time: 2020 msec
      ;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)
      ;; WHEN: Wed Jan 15 09:00:04 UTC 2025
      ;; MSG SIZE  rcvd: 68

      [exit 0]
      "
    `);
    // the dead upstream cost one 2-second read timeout; nothing failed, so nothing is logged
    expect(errors(sim)).toEqual([]);
  });

  it('a NetworkPolicy on CoreDNS without egress beyond 10.0.0.0/8: the default forward (the node\'s resolver) times out', () => {
    const sim = createSimulation(scenario, { seed: 1 });
    expect(sim.run('kubectl exec client -- dig +short example.com').stdout).toBe('93.184.215.14\n');
    sim.run(`cat <<EOF > np.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: coredns-egress
  namespace: kube-system
spec:
  podSelector:
    matchLabels:
      k8s-app: kube-dns
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/8
EOF`);
    sim.run('kubectl apply -f np.yaml');
    expect(out(sim.run('kubectl exec client -- dig +short example.com'))).toMatchInlineSnapshot(`
      ";; communications error to 10.96.0.10#53: timed out
      ;; communications error to 10.96.0.10#53: timed out
      ;; communications error to 10.96.0.10#53: timed out
      ;; no servers could be reached

      [stderr]
      command terminated with exit code 9
      [exit 9]
      "
    `);
    // the cluster's own names are CoreDNS's: still answered
    expect(sim.run('kubectl exec client -- dig +short web.shop.svc.cluster.local').stdout).toBe('10.96.0.30\n');
    expect(errors(sim)).toMatchInlineSnapshot(`
      [
        "[pod/coredns-7788dbc5b-4dqd2/coredns] [ERROR] plugin/errors: 2 example.com. A: read udp 10.244.0.129:55932->192.168.49.1:53: i/o timeout",
        "[pod/coredns-7788dbc5b-4dqd2/coredns] [ERROR] plugin/errors: 2 example.com. A: read udp 10.244.0.129:50068->192.168.49.1:53: i/o timeout",
        "[pod/coredns-7788dbc5b-4dqd2/coredns] [ERROR] plugin/errors: 2 example.com. A: read udp 10.244.0.129:38192->192.168.49.1:53: i/o timeout",
      ]
    `);
  });
});
