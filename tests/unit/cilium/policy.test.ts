/**
 * CiliumNetworkPolicy as the agent enforces it (dataplane/cilium): identity-based L3/L4
 * rules added to NetworkPolicy, HTTP rules enforced by the node's Envoy — a denied request
 * gets Envoy's local reply, 403 with the body "Access denied\r\n" (cilium/proxy
 * cilium/l7policy.cc, Config: denied_403_body defaults to "Access denied" and gets "\r\n")
 * — and toFQDNs egress, which needs a DNS rule to reach kube-dns at all.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { httpExchange, parseUrl, type ParsedUrl } from '../../../engine/commands/net/traffic/http';
import { dnsPatternMatches } from '../../../engine/dataplane/cilium/policy';
import { FQDN_POLICY, KPR_SCENARIO, L7_POLICY } from './scenario';

const apply = (yaml: string) => `kubectl apply -f - <<'EOF'\n${yaml}EOF`;
const client = { kind: 'pod' as const, namespace: 'default', pod: 'client', container: 'client' };

describe('L7 HTTP rules', () => {
  const sim = createSimulation(KPR_SCENARIO, { seed: 1 });
  expect(sim.run(apply(L7_POLICY)).stdout).toBe('ciliumnetworkpolicy.cilium.io/web-read-only created\n');

  it('lets matching requests through to the server, with Envoy\'s lower-case header names', () => {
    const r = sim.run('kubectl exec client -- curl -si web/index.html');
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r?\nserver: nginx\/1\.27\.3\r?\n/);
    // HEAD is not GET: the rules name the method
    expect(sim.run('kubectl exec client -- curl -sI web/index.html').stdout).toMatch(/^HTTP\/1\.1 403 Forbidden/);
  });

  it('answers a request no rule allows with Envoy\'s 403 "Access denied"', () => {
    const r = sim.run('kubectl exec client -- curl -si -X DELETE web/index.html');
    expect(r.stdout.replace(/date: .*\r?\n/, 'date: <date>\n')).toMatch(/^HTTP\/1\.1 403 Forbidden\r?\ncontent-length: 15\r?\ncontent-type: text\/plain\r?\ndate: <date>\nserver: envoy\r?\n\r?\nAccess denied\r\n$/);
    expect(r.exitCode).toBe(0);
  });

  it('returns the decision as a typed field of the exchange', () => {
    const url = parseUrl('http://web/admin') as ParsedUrl;
    const ex = httpExchange(sim.cluster, client, url, { method: 'GET', path: '/admin', headers: [['Host', 'web']], body: '', scheme: 'http' }, { command: 'test' });
    expect(ex.response?.status).toBe(403);
    expect(ex.l7).toEqual({ allowed: false, method: 'GET', path: '/admin', policy: 'default/web-read-only', direction: 'ingress', rule: undefined });
    const ok = httpExchange(sim.cluster, client, parseUrl('http://web/') as ParsedUrl, { method: 'GET', path: '/', headers: [['Host', 'web']], body: '', scheme: 'http' }, { command: 'test' });
    expect(ok.l7).toMatchObject({ allowed: true, method: 'GET', path: '/', policy: 'default/web-read-only', rule: { method: 'GET', path: '/' } });
  });

  it('drops, at L3, a peer the rule does not select (no HTTP answer at all)', () => {
    const r = sim.run('kubectl exec intruder -- curl -s --max-time 2 web');
    expect(r.exitCode).toBe(28);
    expect(sim.traces.at(-1)!.hops.at(-1)!.what).toMatch(/^NetworkPolicy ingress: denied: pod default\/web-\S+ is selected by CiliumNetworkPolicy web-read-only, and no ingress rule allows default\/intruder on TCP 80$/);
  });

  it('adds up with a NetworkPolicy: one that allows the port lifts the HTTP rules (nginx answers DELETE itself)', () => {
    const s = createSimulation(KPR_SCENARIO, { seed: 1 });
    s.run(apply(L7_POLICY));
    s.run(apply('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web-any\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  ingress:\n  - ports:\n    - port: 80\n'));
    expect(s.run('kubectl exec client -- curl -s -o /dev/null -w "%{http_code}" -X DELETE web/x').stdout).toBe('405');
  });
});

describe('toFQDNs egress', () => {
  const sim = createSimulation(KPR_SCENARIO, { seed: 1 });
  expect(sim.run(apply(FQDN_POLICY)).stdout).toBe('ciliumnetworkpolicy.cilium.io/client-egress created\n');

  it('allows the named host on the named port only', () => {
    expect(sim.run('kubectl exec client -- curl -sk -o /dev/null -w "%{http_code}" https://github.com').stdout).toBe('200');
    expect(sim.run('kubectl exec client -- curl -s --max-time 2 http://github.com').exitCode).toBe(28);
    expect(sim.run('kubectl exec client -- curl -sk --max-time 2 https://example.com').exitCode).toBe(28);
  });

  it('needs the DNS rule: without it the name does not resolve', () => {
    const s = createSimulation(KPR_SCENARIO, { seed: 1 });
    expect(s.run(apply(FQDN_POLICY.replace(/  - toEndpoints:[\s\S]*?- matchPattern: "\*"\n/, ''))).exitCode).toBe(0);
    const r = s.run('kubectl exec client -- curl -sk --max-time 2 https://github.com');
    expect(r.exitCode).toBe(28);
    expect(s.traces.at(-1)!.hops[0].what).toBe('DNS: no answer from 10.96.0.10 for github.com');
  });

  it('refuses queries outside the DNS rules at the DNS proxy (REFUSED), so the search list stops early', () => {
    const s = createSimulation(KPR_SCENARIO, { seed: 1 });
    expect(s.run(apply(FQDN_POLICY.replace('matchPattern: "*"', 'matchName: github.com'))).exitCode).toBe(0);
    const r = s.run('kubectl exec client -- nslookup example.com');
    expect(r.stdout).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can\'t find example.com: REFUSED\n\n** server can\'t find example.com: REFUSED\n\n');
    expect(s.run('kubectl exec client -- nslookup github.com').exitCode).toBe(0);
    // curl's resolver (musl) asks github.com.default.svc.cluster.local first: refused, it gives up
    expect(s.run('kubectl exec client -- curl -sk https://github.com').exitCode).toBe(6);
  });

  it('reads matchPattern as the agent does: * is any run of DNS characters', () => {
    expect(dnsPatternMatches({ matchPattern: '*.github.com' }, 'api.github.com')).toBe(true);
    expect(dnsPatternMatches({ matchPattern: '*.github.com' }, 'github.com')).toBe(false);
    expect(dnsPatternMatches({ matchPattern: '*' }, 'example.com.')).toBe(true);
    expect(dnsPatternMatches({ matchName: 'GitHub.com.' }, 'github.com')).toBe(true);
  });
});

describe('the Valid condition (kubectl get cnp)', () => {
  it('is True for a policy the agent can import, False with the reason for a regex Envoy cannot compile', () => {
    const sim = createSimulation(KPR_SCENARIO, { seed: 1 });
    sim.run(apply(L7_POLICY));
    sim.run(apply(L7_POLICY.replace('name: web-read-only', 'name: broken').replace('path: "/"', 'path: "/("')));
    expect(sim.run('kubectl get cnp').stdout).toBe('NAME            AGE   VALID\nbroken          1s    False\nweb-read-only   2s    True\n');
    expect(sim.run('kubectl get cnp broken -o jsonpath={.status.conditions[0].message}').stdout).toMatch(/^Invalid CiliumNetworkPolicy spec: invalid regex "\/\(" in path: /);
  });
});

describe('the CRD schema', () => {
  it('refuses a bad protocol, port and entity with the API server\'s errors', () => {
    const sim = createSimulation(KPR_SCENARIO, { seed: 1 });
    const r = sim.run(apply('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: bad\nspec:\n  endpointSelector: {}\n  ingress:\n  - fromEntities: [wrld]\n    toPorts:\n    - ports:\n      - port: "http$"\n        protocol: HTTP\n'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      'The CiliumNetworkPolicy "bad" is invalid: \n' +
        '* spec.ingress[0].fromEntities[0]: Unsupported value: "wrld": supported values: "all", "world", "cluster", "host", "init", "ingress", "unmanaged", "remote-node", "health", "none", "kube-apiserver"\n' +
        "* spec.ingress[0].toPorts[0].ports[0].port: Invalid value: \"http$\": spec.ingress[0].toPorts[0].ports[0].port in body should match '^(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})|([a-zA-Z0-9]-?)*[a-zA-Z](-?[a-zA-Z0-9])*$'\n" +
        '* spec.ingress[0].toPorts[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "TCP", "UDP", "SCTP", "ANY"\n',
    );
  });
});

describe('the CRD belongs to Cilium', () => {
  it('is not served by a cluster with another CNI', () => {
    const sim = createSimulation('cluster:\n  cni: calico\n', { seed: 1 });
    expect(sim.run(apply(L7_POLICY))).toEqual({
      stdout: '',
      stderr: 'error: resource mapping not found for name: "web-read-only" namespace: "" from "STDIN": no matches for kind "CiliumNetworkPolicy" in version "cilium.io/v2"\nensure CRDs are installed first\n',
      exitCode: 1,
    });
    expect(sim.run('kubectl get cnp').stderr).toBe('error: the server doesn\'t have a resource type "cnp"\n');
    expect(sim.run('kubectl api-resources').stdout).not.toMatch(/cilium/);
  });
});
