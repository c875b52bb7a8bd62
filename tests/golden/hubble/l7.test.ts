/**
 * Hubble's L7 HTTP flows: what Cilium's Envoy logs for each request on a connection under
 * a CiliumNetworkPolicy's `rules.http`, as `hubble observe` prints it.
 *
 * Upstream sources pinned here:
 * - cilium/proxy cilium/l7policy.cc (AccessFilter::decodeHeaders logs the request as
 *   Request or Denied after the policy lookup, sends the 403 local reply "Access denied";
 *   encodeHeaders logs every response, the 403 included) and cilium/accesslog.cc
 *   (UpdateFromRequest: :path/:method/:authority/x-forwarded-proto become the URL, every
 *   other request header is kept; UpdateFromResponse keeps x-request-id and the response's
 *   headers);
 * - cilium/cilium pkg/envoy/accesslog_server.go logRecord (a response swaps source and
 *   destination; ParseURL scheme://host/path; GetNetHttpHeaders puts headers in a net/http
 *   Header, so keys are canonicalized) and pkg/hubble/parser/seven/parser.go + http.go
 *   (Type L7, event_type 129, verdict DROPPED for Denied with no drop reason, is_reply from
 *   the record type, latency_ns paired by X-Request-Id, headers sorted by key; httpSummary:
 *   "HTTP/1.1 GET http://web/" and "HTTP/1.1 200 0ms (GET http://web/)");
 * - hubble/pkg/printer/printer.go GetFlowType ("http-request", "http-response") and the
 *   compact line; pkg/hubble/filters/http.go (--http-status full codes or "4+" prefixes,
 *   responses only; --http-method case-insensitive; --http-path RE2 on the URL's path;
 *   each refused unless the --type filter admits l7) with hubble/cmd/observe/flows.go
 *   printing a server error's message bare;
 * - cilium-dbg status: pkg/client FormatStatusResponse's Hubble line
 *   ("Ok\tCurrent/Max Flows: %d/%d (%.2f%%), Flows/s: %.2f\tMetrics: Disabled").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { agent } from './scenario';

const SCENARIO = `
cluster:
  cni: cilium
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
    - { name: node-2, ip: 192.168.49.3 }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: web, labels: { app: web } }
    spec:
      nodeName: node-2
      containers: [{ name: nginx, image: "nginx:1.27", ports: [{ containerPort: 80 }] }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web }
    spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 80 }] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: client, labels: { app: client } }
    spec:
      nodeName: node-1
      containers: [{ name: curl, image: "curlimages/curl:8.11.1", command: [sleep, infinity] }]
  - apiVersion: cilium.io/v2
    kind: CiliumNetworkPolicy
    metadata: { name: web-read-only }
    spec:
      endpointSelector: { matchLabels: { app: web } }
      ingress:
      - fromEndpoints: [{ matchLabels: { app: client } }]
        toPorts:
        - ports: [{ port: "80", protocol: TCP }]
          rules:
            http:
            - { method: GET, path: "/" }
`;

/** The client's own egress rules: DNS, and HTTP to web with GET and DELETE (its proxy is on node-1). */
const EGRESS = `
  - apiVersion: cilium.io/v2
    kind: CiliumNetworkPolicy
    metadata: { name: client-egress }
    spec:
      endpointSelector: { matchLabels: { app: client } }
      egress:
      - toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": kube-system, "k8s:k8s-app": kube-dns } }]
        toPorts:
        - ports: [{ port: "53", protocol: ANY }]
      - toEndpoints: [{ matchLabels: { app: web } }]
        toPorts:
        - ports: [{ port: "80", protocol: TCP }]
          rules:
            http:
            - { method: "GET|DELETE" }
`;

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

describe('hubble observe: the server-side proxy (ingress rules)', () => {
  let sim: Simulation;
  let server: string;
  const on = (pod: string, cmd: string) => out(sim.run(`kubectl -n kube-system exec ${pod} -- ${cmd}`));
  beforeAll(() => {
    sim = createSimulation(SCENARIO, { seed: 1 });
    server = agent(sim, 'node-2');
    expect(sim.run('kubectl exec client -- curl -s -o /dev/null -w "%{http_code}" web/').stdout).toBe('200');
    expect(sim.run('kubectl exec client -- curl -s -X DELETE web/').stdout).toBe('Access denied\r\n');
  });

  it('the connection with the request and its answer inside it (l7-compact.txt)', () => golden('hubble/l7-compact.txt', on(server, 'hubble observe')));
  it('-o json --type l7: Layer7 records with headers, latency and verdicts (l7-json.txt)', () => golden('hubble/l7-json.txt', on(server, 'hubble observe --type l7 -o json')));
  it('--protocol http --verdict DROPPED: the denied request alone', () => {
    expect(on(server, 'hubble observe --protocol http --verdict DROPPED')).toBe(
      'Jan 15 09:00:02.004: default/client:33122 (ID:1430) -> default/web:80 (ID:46281) http-request DROPPED (HTTP/1.1 DELETE http://web/)\n[exit 0]\n',
    );
  });
  it('--http-status matches responses by code or prefix; --http-method ignores case; --http-path is a regexp on the path', () => {
    const ok200 = 'Jan 15 09:00:01.001: default/client:35885 (ID:1430) <- default/web:80 (ID:46281) http-response FORWARDED (HTTP/1.1 200 0ms (GET http://web/))\n';
    expect(on(server, 'hubble observe --http-status 200')).toBe(`${ok200}[exit 0]\n`);
    expect(on(server, 'hubble observe --http-status 2+')).toBe(`${ok200}[exit 0]\n`);
    expect(on(server, 'hubble observe --http-status 40+ --http-method delete')).toBe(
      'Jan 15 09:00:02.004: default/client:33122 (ID:1430) <- default/web:80 (ID:46281) http-response FORWARDED (HTTP/1.1 403 0ms (DELETE http://web/))\n[exit 0]\n',
    );
    expect(on(server, "hubble observe --http-path '^/$' --http-method GET -o table")).toBe(
      `TIMESTAMP             SOURCE                 DESTINATION            TYPE            VERDICT     SUMMARY
Jan 15 09:00:01.001   default/client:35885   default/web:80         http-request    FORWARDED   HTTP/1.1 GET http://web/
Jan 15 09:00:01.001   default/web:80         default/client:35885   http-response   FORWARDED   HTTP/1.1 200 0ms (GET http://web/)
[exit 0]\n`,
    );
  });
  it('bad HTTP filters get the server\'s refusal, exit 1', () => {
    expect(on(server, 'hubble observe --http-status abc')).toBe('[stderr]\ninvalid http status code filter: invalid status code prefix: "abc"\ncommand terminated with exit code 1\n[exit 1]\n');
    expect(on(server, 'hubble observe --type trace --http-method get')).toBe("[stderr]\nfiltering by http method requires the event type filter to only match 'l7' events\ncommand terminated with exit code 1\n[exit 1]\n");
    expect(on(server, "hubble observe --http-path '/v1/(a'")).toBe('[stderr]\ninvalid http path filter: /v1/(a: error parsing regexp: missing closing ): `/v1/(a`\ncommand terminated with exit code 1\n[exit 1]\n');
  });
  it("cilium-dbg status's Hubble line counts the same ring as hubble status", () => {
    const status = on(server, 'cilium-dbg status');
    const line = status.split('\n').find((l) => l.startsWith('Hubble:'));
    const hs = on(server, 'hubble status');
    const held = /Current\/Max Flows: (\d+)\/4,095/.exec(hs)![1];
    expect(line).toBe(`Hubble:                  Ok              Current/Max Flows: ${held}/4095 (${((Number(held) / 4095) * 100).toFixed(2)}%), Flows/s: 0.00   Metrics: Disabled`);
    expect(Number(held)).toBeGreaterThan(20);
  });
});

describe('hubble observe: both proxies (the client egress rules, then the server ingress rules)', () => {
  let sim: Simulation;
  beforeAll(() => {
    sim = createSimulation(SCENARIO + EGRESS, { seed: 1 });
    expect(sim.run('kubectl exec client -- curl -s -o /dev/null -w "%{http_code}" web/').stdout).toBe('200');
    expect(sim.run('kubectl exec client -- curl -s -X DELETE web/').stdout).toBe('Access denied\r\n');
    expect(sim.run('kubectl exec client -- curl -s -X PUT web/').stdout).toBe('Access denied\r\n');
  });
  it("each node's agent reports its own proxy's records, with one X-Request-Id per request (l7-egress-ingress.txt)", () => {
    const run = (node: string, args: string) => out(sim.run(`kubectl -n kube-system exec ${agent(sim, node)} -- hubble observe ${args}`));
    golden('hubble/l7-egress-ingress.txt', `# node-1 (client egress)\n${run('node-1', '--protocol http')}# node-2 (web ingress)\n${run('node-2', '--protocol http')}# node-1 -o dict --http-method PUT\n${run('node-1', '--http-method PUT -o dict')}`);
  });
  it('the same request id on both nodes', () => {
    const ids = (node: string) =>
      sim.run(`kubectl -n kube-system exec ${agent(sim, node)} -- hubble observe --type l7 --http-method GET -o json`).stdout.trim().split('\n').map((l) => JSON.parse(l).flow.l7.http.headers.find((h: { key: string }) => h.key === 'X-Request-Id').value);
    const [a, b] = [ids('node-1'), ids('node-2')];
    expect(a.length).toBe(2);
    expect(new Set([...a, ...b]).size).toBe(1);
  });
});

describe("the request's headers as Hubble lists them", () => {
  it('canonicalized as net/http does (textproto.CanonicalMIMEHeaderKey), pseudo-headers untouched', async () => {
    const { canonicalHeaderKey } = await import('../../../engine/dataplane/flows');
    expect(['user-agent', 'X-REQUEST-ID', 'x-b3-traceid', ':scheme', 'content_type', 'bad key'].map(canonicalHeaderKey)).toEqual(['User-Agent', 'X-Request-Id', 'X-B3-Traceid', ':scheme', 'Content_type', 'bad key']);
  });
  it("a client's own header, a Host override and a query string reach the flow", () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    expect(sim.run("kubectl exec client -- curl -s -o /dev/null -H 'X-Team: blue' -H 'Host: web.default' 'web/?page=2'").exitCode).toBe(0);
    const lines = sim.run(`kubectl -n kube-system exec ${agent(sim, 'node-2')} -- hubble observe --type l7 -o json`).stdout.trim().split('\n');
    const req = JSON.parse(lines[0]).flow;
    expect(req.verdict).toBe('DROPPED');
    expect(req.Summary).toBe('HTTP/1.1 GET http://web.default/?page=2');
    expect(req.l7.http.headers.map((h: { key: string }) => h.key)).toEqual([':scheme', 'Accept', 'User-Agent', 'X-Envoy-Internal', 'X-Request-Id', 'X-Team']);
  });
});
