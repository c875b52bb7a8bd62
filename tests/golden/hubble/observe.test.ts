/**
 * `hubble observe` after a NetworkPolicy blocks a curl: the flows each node's cilium-agent
 * keeps, printed exactly as the Hubble CLI prints them.
 *
 * Formats: cilium/cilium hubble/pkg/printer/printer.go (WriteProtoFlow: compact
 * "%s%s: %s %s %s %s %s %s %s (%s)", dict, tabwriter.NewWriter(w, 2, 0, 3, ' ', 0) for
 * table, the jsonpb encoder of GetFlowsResponse), Hostname/fmtIdentity/GetFlowType/getVerdict.
 * Flow fields: pkg/hubble/parser/threefour/parser.go (is_reply unknown for drops and
 * denied verdicts → "<>", traffic direction, "TCP Flags: SYN, ACK" order from getTCPFlags),
 * api/v1/flow/flow.proto (field order and names of -o json). Filters and their errors:
 * hubble/cmd/observe/flows.go and flows_filter.go.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Simulation } from '../../../engine';
import { agent, cluster } from './scenario';

function observe(sim: Simulation, pod: string, args: string) {
  return sim.run(`kubectl -n kube-system exec ${pod} -- ${args}`);
}

describe('hubble observe after a policy blocks a curl', () => {
  let sim: Simulation;
  let a1: string;
  let a2: string;
  beforeAll(() => {
    sim = cluster();
    a1 = agent(sim, 'node-1');
    a2 = agent(sim, 'node-2');
    expect(sim.run('kubectl -n shop exec frontend -- curl -s -m 3 api').exitCode).toBe(0);
    const blocked = sim.run('kubectl -n shop exec client -- curl -sS -m 3 api');
    expect(blocked.exitCode).toBe(28);
  });

  it("--verdict DROPPED shows the denied verdict and the drop with its reason", () => {
    const r = observe(sim, a2, "hubble observe --verdict DROPPED");
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Jan 15 09:00:02.001: shop/client:39520 (ID:36999) <> shop/api:80 (ID:29692) policy-verdict:none INGRESS DENIED (TCP Flags: SYN)
Jan 15 09:00:02.001: shop/client:39520 (ID:36999) <> shop/api:80 (ID:29692) Policy denied DROPPED (TCP Flags: SYN)
`);
  });
  it("the api's node saw the frontend's whole connection, the client's DNS reply leave, and the drop", () => {
    const r = observe(sim, a2, "hubble observe");
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Jan 15 09:00:01.000: shop/frontend:57320 (ID:21537) -> shop/api:80 (ID:29692) policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN)
Jan 15 09:00:01.000: shop/frontend:57320 (ID:21537) -> shop/api:80 (ID:29692) to-endpoint FORWARDED (TCP Flags: SYN)
Jan 15 09:00:01.000: shop/frontend:57320 (ID:21537) <- shop/api:80 (ID:29692) to-overlay FORWARDED (TCP Flags: SYN, ACK)
Jan 15 09:00:01.000: shop/frontend:57320 (ID:21537) -> shop/api:80 (ID:29692) to-endpoint FORWARDED (TCP Flags: ACK)
Jan 15 09:00:01.000: shop/frontend:57320 (ID:21537) -> shop/api:80 (ID:29692) to-endpoint FORWARDED (TCP Flags: ACK, PSH)
Jan 15 09:00:01.001: shop/frontend:57320 (ID:21537) <- shop/api:80 (ID:29692) to-overlay FORWARDED (TCP Flags: ACK, PSH)
Jan 15 09:00:01.001: shop/frontend:57320 (ID:21537) -> shop/api:80 (ID:29692) to-endpoint FORWARDED (TCP Flags: ACK, FIN)
Jan 15 09:00:01.001: shop/frontend:57320 (ID:21537) <- shop/api:80 (ID:29692) to-overlay FORWARDED (TCP Flags: ACK, FIN)
Jan 15 09:00:02.001: shop/client:44459 (ID:36999) -> kube-system/coredns-7788dbc5b-v4xzg:53 (ID:49807) to-endpoint FORWARDED (UDP)
Jan 15 09:00:02.001: shop/client:44459 (ID:36999) <- kube-system/coredns-7788dbc5b-v4xzg:53 (ID:49807) to-overlay FORWARDED (UDP)
Jan 15 09:00:02.001: shop/client:39520 (ID:36999) <> shop/api:80 (ID:29692) policy-verdict:none INGRESS DENIED (TCP Flags: SYN)
Jan 15 09:00:02.001: shop/client:39520 (ID:36999) <> shop/api:80 (ID:29692) Policy denied DROPPED (TCP Flags: SYN)
`);
  });
  it("the clients' node: their DNS and their packets into the tunnel, the blocked SYN last", () => {
    const r = observe(sim, a1, "hubble observe");
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Jan 15 09:00:01.000: shop/frontend:49671 (ID:21537) -> kube-system/coredns-7788dbc5b-xb8g5:53 (ID:49807) to-endpoint FORWARDED (UDP)
Jan 15 09:00:01.000: shop/frontend:49671 (ID:21537) <- kube-system/coredns-7788dbc5b-xb8g5:53 (ID:49807) to-endpoint FORWARDED (UDP)
Jan 15 09:00:01.000: shop/frontend:57320 (ID:21537) -> shop/api:80 (ID:29692) to-overlay FORWARDED (TCP Flags: SYN)
Jan 15 09:00:01.000: shop/frontend:57320 (ID:21537) <- shop/api:80 (ID:29692) to-endpoint FORWARDED (TCP Flags: SYN, ACK)
Jan 15 09:00:01.000: shop/frontend:57320 (ID:21537) -> shop/api:80 (ID:29692) to-overlay FORWARDED (TCP Flags: ACK)
Jan 15 09:00:01.000: shop/frontend:57320 (ID:21537) -> shop/api:80 (ID:29692) to-overlay FORWARDED (TCP Flags: ACK, PSH)
Jan 15 09:00:01.001: shop/frontend:57320 (ID:21537) <- shop/api:80 (ID:29692) to-endpoint FORWARDED (TCP Flags: ACK, PSH)
Jan 15 09:00:01.001: shop/frontend:57320 (ID:21537) -> shop/api:80 (ID:29692) to-overlay FORWARDED (TCP Flags: ACK, FIN)
Jan 15 09:00:01.001: shop/frontend:57320 (ID:21537) <- shop/api:80 (ID:29692) to-endpoint FORWARDED (TCP Flags: ACK, FIN)
Jan 15 09:00:02.001: shop/client:44459 (ID:36999) -> kube-system/coredns-7788dbc5b-v4xzg:53 (ID:49807) to-overlay FORWARDED (UDP)
Jan 15 09:00:02.001: shop/client:44459 (ID:36999) <- kube-system/coredns-7788dbc5b-v4xzg:53 (ID:49807) to-endpoint FORWARDED (UDP)
Jan 15 09:00:02.001: shop/client:39520 (ID:36999) -> shop/api:80 (ID:29692) to-overlay FORWARDED (TCP Flags: SYN)
`);
  });
  it("-o json: one GetFlowsResponse a line, the drop reason as POLICY_DENIED", () => {
    const r = observe(sim, a2, "hubble observe --verdict DROPPED -o json");
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`{"flow":{"time":"2025-01-15T09:00:02.001888662Z","uuid":"ae430a98-219b-405d-bdeb-efd943815fa6","verdict":"DROPPED","drop_reason":133,"IP":{"source":"10.244.0.3","destination":"10.244.1.3","ipVersion":"IPv4"},"l4":{"TCP":{"source_port":39520,"destination_port":80,"flags":{"SYN":true}}},"source":{"identity":36999,"namespace":"shop","labels":["k8s:app=client","k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=shop","k8s:io.cilium.k8s.policy.cluster=default","k8s:io.cilium.k8s.policy.serviceaccount=default","k8s:io.kubernetes.pod.namespace=shop"],"pod_name":"client"},"destination":{"ID":864,"identity":29692,"namespace":"shop","labels":["k8s:app=api","k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=shop","k8s:io.cilium.k8s.policy.cluster=default","k8s:io.cilium.k8s.policy.serviceaccount=default","k8s:io.kubernetes.pod.namespace=shop"],"pod_name":"api"},"Type":"L3_L4","node_name":"node-2","event_type":{"type":5},"traffic_direction":"INGRESS","drop_reason_desc":"POLICY_DENIED","Summary":"TCP Flags: SYN"},"node_name":"node-2","time":"2025-01-15T09:00:02.001888662Z"}
{"flow":{"time":"2025-01-15T09:00:02.001889662Z","uuid":"9f2dbf6c-f737-4414-b7e1-6c1c02c3f5ad","verdict":"DROPPED","drop_reason":133,"IP":{"source":"10.244.0.3","destination":"10.244.1.3","ipVersion":"IPv4"},"l4":{"TCP":{"source_port":39520,"destination_port":80,"flags":{"SYN":true}}},"source":{"identity":36999,"namespace":"shop","labels":["k8s:app=client","k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=shop","k8s:io.cilium.k8s.policy.cluster=default","k8s:io.cilium.k8s.policy.serviceaccount=default","k8s:io.kubernetes.pod.namespace=shop"],"pod_name":"client"},"destination":{"ID":864,"identity":29692,"namespace":"shop","labels":["k8s:app=api","k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=shop","k8s:io.cilium.k8s.policy.cluster=default","k8s:io.cilium.k8s.policy.serviceaccount=default","k8s:io.kubernetes.pod.namespace=shop"],"pod_name":"api"},"Type":"L3_L4","node_name":"node-2","event_type":{"type":1,"sub_type":133},"traffic_direction":"INGRESS","drop_reason_desc":"POLICY_DENIED","Summary":"TCP Flags: SYN"},"node_name":"node-2","time":"2025-01-15T09:00:02.001889662Z"}
`);
  });
  it("-o dict", () => {
    const r = observe(sim, a2, "hubble observe --last 3 -o dict");
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`  TIMESTAMP: Jan 15 09:00:02.001
     SOURCE: kube-system/coredns-7788dbc5b-v4xzg:53
DESTINATION: shop/client:44459
       TYPE: to-overlay
    VERDICT: FORWARDED
    SUMMARY: UDP
------------
  TIMESTAMP: Jan 15 09:00:02.001
     SOURCE: shop/client:39520
DESTINATION: shop/api:80
       TYPE: policy-verdict:none INGRESS
    VERDICT: DENIED
    SUMMARY: TCP Flags: SYN
------------
  TIMESTAMP: Jan 15 09:00:02.001
     SOURCE: shop/client:39520
DESTINATION: shop/api:80
       TYPE: Policy denied
    VERDICT: DROPPED
    SUMMARY: TCP Flags: SYN
`);
  });
  it("-o table --print-node-name", () => {
    const r = observe(sim, a2, "hubble observe --last 3 -o table --print-node-name");
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`TIMESTAMP             NODE     SOURCE                                   DESTINATION         TYPE                          VERDICT     SUMMARY
Jan 15 09:00:02.001   node-2   kube-system/coredns-7788dbc5b-v4xzg:53   shop/client:44459   to-overlay                    FORWARDED   UDP
Jan 15 09:00:02.001   node-2   shop/client:39520                        shop/api:80         policy-verdict:none INGRESS   DENIED      TCP Flags: SYN
Jan 15 09:00:02.001   node-2   shop/client:39520                        shop/api:80         Policy denied                 DROPPED     TCP Flags: SYN
`);
  });
  it("--namespace matches either end; --numeric prints addresses", () => {
    const r = observe(sim, a1, "hubble observe --namespace kube-system --numeric");
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Jan 15 09:00:01.000: 10.244.0.4:49671 (ID:21537) -> 10.244.0.2:53 (ID:49807) to-endpoint FORWARDED (UDP)
Jan 15 09:00:01.000: 10.244.0.4:49671 (ID:21537) <- 10.244.0.2:53 (ID:49807) to-endpoint FORWARDED (UDP)
Jan 15 09:00:02.001: 10.244.0.3:44459 (ID:36999) -> 10.244.1.2:53 (ID:49807) to-overlay FORWARDED (UDP)
Jan 15 09:00:02.001: 10.244.0.3:44459 (ID:36999) <- 10.244.1.2:53 (ID:49807) to-endpoint FORWARDED (UDP)
`);
  });
  it("--type trace:to-overlay --from-pod", () => {
    const r = observe(sim, a1, "hubble observe --type trace:to-overlay --from-pod shop/client");
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Jan 15 09:00:02.001: shop/client:44459 (ID:36999) -> kube-system/coredns-7788dbc5b-v4xzg:53 (ID:49807) to-overlay FORWARDED (UDP)
Jan 15 09:00:02.001: shop/client:39520 (ID:36999) -> shop/api:80 (ID:29692) to-overlay FORWARDED (TCP Flags: SYN)
`);
  });
  it("--not negates the next filter", () => {
    const r = observe(sim, a1, "hubble observe --protocol udp --not --to-pod kube-system/");
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Jan 15 09:00:01.000: shop/frontend:49671 (ID:21537) <- kube-system/coredns-7788dbc5b-xb8g5:53 (ID:49807) to-endpoint FORWARDED (UDP)
Jan 15 09:00:02.001: shop/client:44459 (ID:36999) <- kube-system/coredns-7788dbc5b-v4xzg:53 (ID:49807) to-endpoint FORWARDED (UDP)
`);
  });
  it("--type policy-verdict with node names", () => {
    const r = observe(sim, a2, "hubble observe --type policy-verdict --print-node-name");
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Jan 15 09:00:01.000 [node-2]: shop/frontend:57320 (ID:21537) -> shop/api:80 (ID:29692) policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN)
Jan 15 09:00:02.001 [node-2]: shop/client:39520 (ID:36999) <> shop/api:80 (ID:29692) policy-verdict:none INGRESS DENIED (TCP Flags: SYN)
`);
  });
  it("--tcp-flags and --last", () => {
    const r = observe(sim, a2, "hubble observe --to-pod shop/api --tcp-flags syn --last 1");
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Jan 15 09:00:02.001: shop/client:39520 (ID:36999) <> shop/api:80 (ID:29692) Policy denied DROPPED (TCP Flags: SYN)
`);
  });
});

const EXPECTED_DNS = `Jan 15 09:00:01.000: shop/client:49671 (ID:36999) -> kube-system/coredns-7788dbc5b-xb8g5:53 (ID:49807) dns-request proxy FORWARDED (DNS Query api.shop.svc.cluster.local. A)
Jan 15 09:00:01.000: shop/client:49671 (ID:36999) <- kube-system/coredns-7788dbc5b-xb8g5:53 (ID:49807) dns-response proxy FORWARDED (DNS Answer "10.97.205.71" TTL: 30 (Proxy api.shop.svc.cluster.local. A))
Jan 15 09:00:01.000: shop/client:49671 (ID:36999) -> kube-system/coredns-7788dbc5b-xb8g5:53 (ID:49807) dns-request proxy FORWARDED (DNS Query api.shop.svc.cluster.local. AAAA)
Jan 15 09:00:01.000: shop/client:49671 (ID:36999) <- kube-system/coredns-7788dbc5b-xb8g5:53 (ID:49807) dns-response proxy FORWARDED (DNS Answer  TTL: 0 (Proxy api.shop.svc.cluster.local. AAAA))
`;

/**
 * With Cilium's DNS proxy in the pod's path (a CiliumNetworkPolicy with L7 `dns` rules
 * selects it), the proxy reports each question and answer: GetFlowType's
 * "dns-request proxy" / "dns-response proxy", pkg/hubble/parser/seven/dns.go's summaries.
 * The CiliumNetworkPolicy is put in the store directly: its API kind is built elsewhere.
 */
describe('time windows and formats (hubble/pkg/time)', () => {
  it('--since takes a Go duration back from now or a timestamp; --time-format picks the layout', () => {
    const sim = cluster();
    const a2 = agent(sim, 'node-2');
    sim.run('kubectl -n shop exec client -- curl -s -m 1 api');
    sim.run('sleep 5');
    sim.run('kubectl -n shop exec frontend -- curl -s -m 1 -o /dev/null api');
    const recent = observe(sim, a2, 'hubble observe --since 3s --time-format RFC3339Nano --type policy-verdict').stdout;
    expect(recent).toMatch(/^2025-01-15T09:00:0\d\.\d{1,9}Z: shop\/frontend:\d+ \(ID:21537\) -> shop\/api:80 \(ID:29692\) policy-verdict:L3-L4 INGRESS ALLOWED \(TCP Flags: SYN\)\n$/);
    const older = observe(sim, a2, 'hubble observe --until 3s --time-format RFC1123Z --type policy-verdict').stdout;
    expect(older).toMatch(/^Wed, 15 Jan 2025 09:00:0\d \+0000: shop\/client:\d+ \(ID:36999\) <> shop\/api:80 \(ID:29692\) policy-verdict:none INGRESS DENIED \(TCP Flags: SYN\)\n$/);
    expect(observe(sim, a2, 'hubble observe --since 2025-01-16 --type policy-verdict').stdout).toBe('');
  });
});

describe('hubble observe --protocol dns, through the DNS proxy', () => {
  it('shows each question of the lookup and its answer', () => {
    const sim = cluster();
    sim.store.put({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'client-dns', namespace: 'shop', uid: 'cnp-1', resourceVersion: '1' },
      spec: { endpointSelector: { matchLabels: { app: 'client' } }, egress: [{ toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }] }] },
    } as never);
    sim.run('kubectl -n shop exec client -- curl -sS -m 1 api');
    sim.run('kubectl -n shop exec frontend -- curl -sS -m 1 api');
    const r = observe(sim, agent(sim, 'node-1'), 'hubble observe --protocol dns');
    expect(r.stdout).toBe(EXPECTED_DNS);
  });
});
