/**
 * Whole outputs of nslookup (busybox 1.36 networking/nslookup.c; bind 9.18 bin/dig/nslookup.c),
 * dig (bind 9.18 bin/dig/dig.c, lib/dns/masterdump.c), host (bin/dig/host.c), the kubelet's
 * resolv.conf per dnsPolicy (pkg/kubelet/network/dns/dns.go) and hosts file
 * (pkg/kubelet/kubelet_pods.go), and the question lists each stub resolver sends
 * (musl src/network/lookup_name.c, glibc resolv/res_query.c, bind dighost.c).
 * Answers follow CoreDNS plugin/kubernetes (parse.go, kubernetes.go, reverse.go) and
 * plugin/backend_lookup.go.
 */
import { describe, it, expect } from 'vitest';
import { createSimulation } from '../../../engine';
import { scenario } from '../../unit/dns/scenario';
import { on, pod, node } from '../../unit/dns/run';
import { golden } from '../../unit/dns/golden';
import { resolvConf, hostsFile, resolve } from '../../../engine/controllers/dns';
import type { HostRef } from '../../../engine/types';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

const client = pod('default', 'client');
const tools = pod('default', 'tools');

describe('nslookup', () => {
  const sim = createSimulation(scenario('calico'));
  const cases: [string, HostRef, string][] = [
    ['busybox-service.txt', client, 'nslookup web'],
    ['busybox-fqdn.txt', client, 'nslookup web.default.svc.cluster.local'],
    ['busybox-dotted-name.txt', client, 'nslookup kubernetes.default'],
    ['busybox-headless.txt', client, 'nslookup db.default.svc.cluster.local'],
    ['busybox-externalname.txt', client, 'nslookup search'],
    ['busybox-ptr.txt', client, 'nslookup 10.96.12.3'],
    ['busybox-nxdomain.txt', client, 'nslookup nope'],
    ['busybox-srv.txt', client, 'nslookup -type=srv _pg._tcp.db.default.svc.cluster.local'],
    ['busybox-external.txt', client, 'nslookup example.com'],
    ['busybox-server-arg.txt', client, 'nslookup web.default.svc.cluster.local 10.96.0.10'],
    ['busybox-usage.txt', client, 'nslookup'],
    ['bind-service.txt', tools, 'nslookup web'],
    ['bind-cross-namespace.txt', tools, 'nslookup kube-dns.kube-system'],
    ['bind-headless-pod.txt', tools, 'nslookup db-0.db'],
    ['bind-externalname.txt', tools, 'nslookup search'],
    ['bind-external.txt', tools, 'nslookup example.com'],
    ['bind-nxdomain.txt', tools, 'nslookup nope'],
    ['bind-ptr-endpoint.txt', tools, 'nslookup 10.244.1.9'],
    ['bind-pod-record.txt', tools, 'nslookup 10-244-1-4.default.pod.cluster.local'],
    ['bind-srv.txt', tools, 'nslookup -type=SRV _http._tcp.web'],
    ['bind-on-node.txt', node('node-1'), 'nslookup web'],
    ['bind-on-node-cluster-dns.txt', node('node-1'), 'nslookup web.default.svc.cluster.local 10.96.0.10'],
  ];
  for (const [file, host, line] of cases) it(line, () => golden(`dns/nslookup/${file}`, out(on(sim, host, line))));
});

describe('nslookup in busybox:1.28 (the docs\' DNS debugging image)', () => {
  const extra = `
  - apiVersion: v1
    kind: Service
    metadata: { name: kubernetes, namespace: default }
    spec: { clusterIP: 10.96.0.1, ports: [{ name: https, port: 443, protocol: TCP, targetPort: 8443 }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: dnstest, namespace: default }
    spec: { nodeName: node-2, containers: [{ name: dnstest, image: busybox:1.28, command: [sleep, "3600"] }] }
    status: { phase: Running, podIP: 10.244.1.30 }
`;
  const sim = createSimulation(scenario('calico', extra));
  const old = pod('default', 'dnstest');
  const cases: [string, string][] = [
    ['busybox-1.28-kubernetes-default.txt', 'nslookup kubernetes.default'],
    ['busybox-1.28-headless.txt', 'nslookup db'],
    ['busybox-1.28-nxdomain.txt', 'nslookup nope'],
  ];
  for (const [file, line] of cases) it(line, () => golden(`dns/nslookup/${file}`, out(on(sim, old, line))));
});

describe('dig', () => {
  const sim = createSimulation(scenario('calico'));
  const cases: [string, string][] = [
    ['a.txt', 'dig web.default.svc.cluster.local'],
    ['short.txt', 'dig +short web.default.svc.cluster.local'],
    ['short-headless.txt', 'dig db.default.svc.cluster.local +short'],
    ['nxdomain.txt', 'dig nope.default.svc.cluster.local'],
    ['nodata-aaaa.txt', 'dig web.default.svc.cluster.local AAAA'],
    ['srv.txt', 'dig -t SRV _pg._tcp.db.default.svc.cluster.local'],
    ['srv-clusterip.txt', 'dig SRV _http._tcp.web.default.svc.cluster.local +noall +answer +additional'],
    ['ptr.txt', 'dig -x 10.96.0.10'],
    ['externalname.txt', 'dig search.default.svc.cluster.local'],
    ['external-answer.txt', 'dig example.com +noall +answer'],
    ['relative-no-search.txt', 'dig web'],
    ['search.txt', 'dig +search web'],
    ['at-server.txt', 'dig @10.96.0.10 kube-dns.kube-system.svc.cluster.local +short'],
    ['soa.txt', 'dig SOA cluster.local +noall +answer'],
    ['invalid-option.txt', 'dig +frobnicate web'],
    ['ns.txt', 'dig NS cluster.local +noall +answer +additional'],
    ['dns-version.txt', 'dig +short TXT dns-version.cluster.local'],
    ['ptr-unknown-pod.txt', 'dig -x 10.244.0.8'],
  ];
  for (const [file, line] of cases) it(line, () => golden(`dns/dig/${file}`, out(on(sim, tools, line))));
});

/**
 * The simulated Internet's MX, TXT, NS and CNAME records (engine/controllers/dns/zones.ts: RFC 7505
 * null MX for example.com, google.com's MX/NS, www.github.com → github.com), forwarded by CoreDNS
 * and printed by each tool in its own format: dig (lib/dns/masterdump.c columns), host
 * (bin/dig/host.c "mail is handled by", "descriptive text", "name server", "is an alias for"),
 * bind nslookup (bin/dig/nslookup.c rtypetext: "mail exchanger = ", "text = ", "nameserver = "),
 * busybox nslookup (networking/nslookup.c parse_reply ns_t_mx / ns_t_txt), drill (ldns host2str.c).
 */
describe('the simulated Internet\'s MX, TXT, NS and CNAME records', () => {
  const sim = createSimulation(scenario('calico'));
  const cases: [string, HostRef, string][] = [
    ['dig-mx-short.txt', tools, 'dig example.com MX +short'],
    ['dig-txt-short.txt', tools, 'dig -t txt example.com +short'],
    ['dig-mx.txt', tools, 'dig example.com MX'],
    ['dig-google-mx-ns.txt', tools, 'dig google.com MX +noall +answer google.com NS +noall +answer'],
    ['dig-cname.txt', tools, 'dig www.github.com +noall +answer'],
    ['dig-no-mx.txt', tools, 'dig github.com MX +noall +answer +authority'],
    ['host-mx.txt', tools, 'host -t mx example.com'],
    ['host-google.txt', tools, 'host -t MX google.com'],
    ['host-ns.txt', tools, 'host -t ns google.com'],
    ['host-txt.txt', tools, 'host -t txt example.com'],
    ['host-cname.txt', tools, 'host www.github.com'],
    ['bind-nslookup-mx.txt', tools, 'nslookup -type=mx google.com'],
    ['bind-nslookup-null-mx.txt', tools, 'nslookup -query=MX example.com'],
    ['bind-nslookup-txt.txt', tools, 'nslookup -type=txt example.com'],
    ['busybox-nslookup-mx.txt', client, 'nslookup -type=mx example.com'],
    ['busybox-nslookup-ns.txt', client, 'nslookup -type=ns google.com'],
    ['drill-mx.txt', tools, 'drill google.com MX'],
  ];
  for (const [file, host, line] of cases) it(line, () => golden(`dns/internet/${file}`, out(on(sim, host, line))));
});

/**
 * +noall clears +stats: bind v9.18.28 bin/dig/dig.c plus_option lines 1212-1221, `case 'l':` (the
 * "all" comment) sets section_question/authority/answer/additional, comments,
 * `lookup->stats = state` (line 1219) and printcmd, so
 * options apply left to right: `+stats +noall` prints nothing, `+noall +stats` prints received()'s
 * `;; Query time` / `;; SERVER` / `;; WHEN` / `;; MSG SIZE  rcvd` lines and a blank line.
 */
/**
 * bind 9.18 nslookup -debug (bin/dig/nslookup.c): setoption "deb" clears short_form and sets
 * showsearch, so printmessage() prints detailsection()'s QUESTIONS / ANSWERS / AUTHORITY RECORDS /
 * ADDITIONAL RECORDS between `------------` lines for every reply, including each search-list
 * NXDOMAIN (dighost.c prints those when showsearch is on) with CoreDNS's SOA in AUTHORITY RECORDS.
 */
describe('bind nslookup -debug', () => {
  const sim = createSimulation(scenario('calico'));
  const cases: [string, string][] = [
    ['bind-debug-fqdn.txt', 'nslookup -debug web.default.svc.cluster.local'],
    ['bind-debug-nxdomain.txt', 'nslookup -debug nope'],
    ['bind-debug-mx.txt', 'nslookup -debug -type=mx -port=53 -timeout=2 google.com'],
  ];
  for (const [file, line] of cases) it(line, () => golden(`dns/nslookup/${file}`, out(on(sim, tools, line))));
});

describe('dig +stats and +noall (order matters)', () => {
  const sim = createSimulation(scenario('calico'));
  it('+stats +noall', () => golden('dns/dig/stats-then-noall.txt', out(on(sim, tools, 'dig kubernetes.default.svc.cluster.local +stats +noall'))));
  it('+noall +stats', () => golden('dns/dig/noall-then-stats.txt', out(on(sim, tools, 'dig kubernetes.default.svc.cluster.local +noall +stats'))));
});

describe('host', () => {
  const sim = createSimulation(scenario('calico'));
  const cases: [string, string][] = [
    ['service.txt', 'host web'],
    ['headless.txt', 'host db'],
    ['externalname.txt', 'host search'],
    ['nxdomain.txt', 'host nope'],
    ['ptr.txt', 'host 10.96.12.3'],
    ['srv.txt', 'host -t SRV _pg._tcp.db'],
    ['server.txt', 'host web.default.svc.cluster.local 10.96.0.10'],
  ];
  for (const [file, line] of cases) it(line, () => golden(`dns/host/${file}`, out(on(sim, tools, line))));
});

describe('resolv.conf per dnsPolicy, and /etc/hosts', () => {
  const extra = `
  - apiVersion: v1
    kind: Namespace
    metadata: { name: shop }
  - apiVersion: v1
    kind: Pod
    metadata: { name: cart, namespace: shop }
    spec: { nodeName: node-1, containers: [{ name: app, image: busybox:1.36 }] }
    status: { phase: Running, podIP: 10.244.0.20 }
  - apiVersion: v1
    kind: Pod
    metadata: { name: default-policy, namespace: default }
    spec: { nodeName: node-1, dnsPolicy: Default, containers: [{ name: app, image: busybox:1.36 }] }
    status: { phase: Running, podIP: 10.244.0.21 }
  - apiVersion: v1
    kind: Pod
    metadata: { name: none-policy, namespace: default }
    spec:
      nodeName: node-1
      dnsPolicy: None
      dnsConfig:
        nameservers: [1.1.1.1, 8.8.8.8]
        searches: [corp.example.com]
        options: [{ name: ndots, value: "2" }, { name: edns0 }]
      containers: [{ name: app, image: busybox:1.36 }]
    status: { phase: Running, podIP: 10.244.0.22 }
  - apiVersion: v1
    kind: Pod
    metadata: { name: merged, namespace: default }
    spec:
      nodeName: node-1
      dnsConfig:
        nameservers: [10.96.0.10, 192.0.2.53]
        searches: [svc.cluster.local, corp.example.com]
        options: [{ name: ndots, value: "1" }, { name: single-request-reopen }]
      containers: [{ name: app, image: busybox:1.36 }]
    status: { phase: Running, podIP: 10.244.0.23 }
  - apiVersion: v1
    kind: Pod
    metadata: { name: hostnet, namespace: default }
    spec: { nodeName: node-2, hostNetwork: true, containers: [{ name: app, image: busybox:1.36 }] }
    status: { phase: Running, podIP: 192.168.49.3 }
  - apiVersion: v1
    kind: Pod
    metadata: { name: hostnet-cluster, namespace: default }
    spec: { nodeName: node-2, hostNetwork: true, dnsPolicy: ClusterFirstWithHostNet, containers: [{ name: app, image: busybox:1.36 }] }
    status: { phase: Running, podIP: 192.168.49.3 }
  - apiVersion: v1
    kind: Pod
    metadata: { name: aliased, namespace: default }
    spec:
      nodeName: node-1
      hostAliases:
        - { ip: 127.0.0.1, hostnames: [foo.local, bar.local] }
        - { ip: 10.1.2.3, hostnames: [foo.remote, bar.remote] }
      containers: [{ name: app, image: busybox:1.36 }]
    status: { phase: Running, podIP: 10.244.0.24 }
`;
  const sim = createSimulation(scenario('calico', extra));
  const p = (ns: string, n: string) => sim.store.get('Pod', ns, n)!;
  it('ClusterFirst (default namespace and another)', () => golden('dns/resolv.conf/cluster-first.txt', resolvConf(sim.cluster, p('default', 'client')) + '---\n' + resolvConf(sim.cluster, p('shop', 'cart'))));
  it('Default', () => golden('dns/resolv.conf/default.txt', resolvConf(sim.cluster, p('default', 'default-policy'))));
  it('None + dnsConfig', () => golden('dns/resolv.conf/none.txt', resolvConf(sim.cluster, p('default', 'none-policy'))));
  it('ClusterFirst + dnsConfig merge', () => golden('dns/resolv.conf/merged.txt', resolvConf(sim.cluster, p('default', 'merged'))));
  it('hostNetwork + ClusterFirst falls back to Default', () => golden('dns/resolv.conf/hostnetwork.txt', resolvConf(sim.cluster, p('default', 'hostnet'))));
  it('ClusterFirstWithHostNet', () => golden('dns/resolv.conf/clusterfirst-with-hostnet.txt', resolvConf(sim.cluster, p('default', 'hostnet-cluster'))));
  it('/etc/hosts', () => golden('dns/hosts/plain.txt', hostsFile(sim.cluster, p('default', 'client'))));
  it('/etc/hosts for a StatefulSet-style pod (hostname + subdomain)', () => golden('dns/hosts/subdomain.txt', hostsFile(sim.cluster, p('default', 'db-0'))));
  it('/etc/hosts with hostAliases', () => golden('dns/hosts/aliases.txt', hostsFile(sim.cluster, p('default', 'aliased'))));
});

describe('what ndots:5 costs: the questions each resolver sends', () => {
  const sim = createSimulation(scenario('calico'));
  const names = ['web', 'web.default', 'db-0.db', 'example.com', 'www.example.com.', 'nope', 'search', 'a.b.c.d.e.f'];
  for (const resolver of ['musl', 'glibc', 'bind', 'busybox'] as const) {
    it(resolver, () => {
      let text = '';
      for (const n of names) {
        const r = resolve(sim.cluster, client, n, { resolver, ...(resolver === 'bind' || resolver === 'busybox' ? { type: 'A' } : {}) });
        text += `${n} → ${r.rcode}${r.addresses.length ? ' ' + r.addresses.join(',') : ''} (${r.queries.length} queries)\n`;
        for (const q of r.queries) text += `  ${q.type.padEnd(4)} ${q.name} ${q.rcode}\n`;
      }
      golden(`dns/ndots/${resolver}.txt`, text);
    });
  }
  it('getaddrinfo reads /etc/hosts first', () => {
    const r = resolve(sim.cluster, client, 'client');
    expect(r).toEqual({ name: 'client', addresses: ['10.244.1.4'], queries: [], rcode: 'NOERROR' });
  });
});
