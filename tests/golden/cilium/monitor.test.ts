/**
 * `cilium-dbg monitor` as a learner runs it beside traffic: a background job of the
 * terminal (`kubectl -n kube-system exec AGENT -- cilium-dbg monitor &`), printing the
 * events the walk's packets raise on the agent's node. Sources (cilium/cilium v1.18 branch
 * point 3abf4c111c^):
 * - cilium-dbg/cmd/monitor.go: the flags, `Listening for events on N CPUs with 64x4096 of
 *   shared memory` and `Press Ctrl-C to quit` on stderr, validateEndpointsFilters, the
 *   interrupt message;
 * - pkg/monitor/format/format.go (match, INFO/DEBUG dumpers), datapath_drop.go,
 *   datapath_trace.go, datapath_policy.go (DumpInfo), dissect.go (GetConnectionSummary,
 *   getTCPInfo, initParser's log line), pkg/monitor/api (type names, drop reasons);
 * - bpf/bpf_lxc.c: the drop sites (tail_handle_ipv4_cont line 1359 for egress,
 *   tail_ipv4_policy line 2126 for ingress), the ifindex each event carries
 *   (ctx_get_ifindex, THIS_INTERFACE_IFINDEX, ENCAP_IFINDEX, TRACE_IFINDEX_UNKNOWN);
 * - pkg/k8s/network_policy.go ParseNetworkPolicy for the NetworkPolicy the drops come from.
 * The endpoint IDs are those of `cilium-dbg endpoint list` on the same node, the lxc names
 * and indexes those of `ip link` there (both checked below, not only printed).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../engine/cli/main';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { KPR_SCENARIO } from '../../unit/cilium/scenario';

const INGRESS_NP = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-hello
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: client
    ports:
    - port: 80
`;

const EGRESS_NP = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: intruder-dns-only
spec:
  podSelector:
    matchLabels:
      app: intruder
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {}
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - port: 53
      protocol: UDP
`;

async function transcript(lines: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cilium-monitor-'));
  const file = join(dir, 'kpr.yaml');
  writeFileSync(file, KPR_SCENARIO);
  let text = '';
  const io = { stdout: (t: string) => (text += t), stderr: (t: string) => (text += t) };
  await main(['--scenario', file], lines, io);
  return text;
}

const AGENTS = `A1=$(kubectl -n kube-system get pod -l k8s-app=cilium --field-selector spec.nodeName=node-1 -o name)
A2=$(kubectl -n kube-system get pod -l k8s-app=cilium --field-selector spec.nodeName=node-2 -o name)
WEB1=$(kubectl get pod -l app=web --field-selector spec.nodeName=node-1 -o jsonpath='{.items[0].status.podIP}')
WEB2=$(kubectl get pod -l app=web --field-selector spec.nodeName=node-2 -o jsonpath='{.items[0].status.podIP}')
`;

describe('cilium-dbg monitor', () => {
  it('streams the traces and policy verdicts of allowed traffic, and the drops of denied traffic (monitor-all.txt)', async () => {
    const text = await transcript(
      `kubectl apply -f - <<'EOF'\n${INGRESS_NP}EOF\n${AGENTS}` +
        'kubectl -n kube-system exec $A1 -- cilium-dbg endpoint list\n' +
        'ssh node-1 ip -o link show | cut -d: -f1,2\n' +
        'kubectl -n kube-system exec $A1 -- cilium-dbg monitor &\n' +
        // same node, allowed: the ingress verdict, then each new flag to the endpoints
        "kubectl exec client -- curl -s -o /dev/null -w '%{http_code}\\n' $WEB1\n" +
        // to the other node: into the tunnel, the replies to the client's endpoint
        "kubectl exec client -- curl -s -o /dev/null -w '%{http_code}\\n' $WEB2\n" +
        // from node-2, denied at web's ingress: the packet came in on cilium_vxlan
        'kubectl exec intruder -- curl -s -m 2 $WEB1\n' +
        'kill %1\n',
    );
    golden('cilium/monitor-all.txt', text);
    // the IDs and links the events name are the agent's and the node's
    const ids = [...text.matchAll(/^(\d+)\s+Enabled|^(\d+)\s+Disabled/gm)].map((m) => m[1] ?? m[2]);
    for (const m of text.matchAll(/-> endpoint (\d+) /g)) expect(ids).toContain(m[1]);
    const links = new Map([...text.matchAll(/^(\d+): (lxc\w+)@/gm)].map((m) => [m[2], m[1]]));
    for (const m of text.matchAll(/ifindex (lxc\w+) /g)) expect(links.has(m[1])).toBe(true);
    expect(text).toMatch(new RegExp(`xx drop \\(Policy denied\\) flow 0x[0-9a-f]+ to endpoint \\d+, ifindex ${text.match(/^(\d+): cilium_vxlan/m)![1]}, file bpf_lxc.c:2126, , identity `, 'm'));
  });

  it('--type drop: an egress drop on the sender\'s node, from its lxc (monitor-type-drop.txt)', async () => {
    const text = await transcript(
      `kubectl apply -f - <<'EOF'\n${EGRESS_NP}EOF\n${AGENTS}` +
        'kubectl -n kube-system exec $A2 -- cilium-dbg monitor --type drop &\n' +
        // allowed DNS and an allowed curl of another pod print nothing with --type drop
        "kubectl exec client -- curl -s -o /dev/null -w '%{http_code}\\n' $WEB2\n" +
        'kubectl exec intruder -- curl -s -m 2 $WEB1\n' +
        'kill %1\n' +
        'ssh node-2 ip -o link show | grep -c lxc\n',
    );
    golden('cilium/monitor-type-drop.txt', text);
  });

  it('-n and --related-to: only the events of one endpoint, identities as numbers (monitor-related.txt)', async () => {
    const text = await transcript(
      `${AGENTS}EP=$(kubectl -n kube-system exec $A1 -- cilium-dbg endpoint list --no-headers | grep 'k8s:app=client' | cut -d' ' -f1)\n` +
        'echo $EP\n' +
        'kubectl -n kube-system exec $A1 -- cilium-dbg monitor -n --related-to $EP --type trace &\n' +
        "kubectl exec client -- curl -s -o /dev/null -w '%{http_code}\\n' $WEB2\n" +
        'kubectl exec intruder -- curl -s -o /dev/null $WEB1\n' +
        'kill %1\n',
    );
    golden('cilium/monitor-related.txt', text);
  });

  it('Ctrl-C in the agent container: the interrupt message, exit 0', () => {
    const sim = createSimulation(KPR_SCENARIO, { seed: 1, interactive: true });
    const agent = sim.store.list('Pod', 'kube-system').find((p) => p.metadata.labels?.['k8s-app'] === 'cilium' && p.spec.nodeName === 'node-1')!.metadata.name;
    sim.run(`kubectl -n kube-system exec -it ${agent} -- bash`);
    const ex = sim.start('cilium-dbg monitor --type drop');
    ex.step();
    ex.interrupt();
    const out = ex.takeOutput().map((c) => c.text).join('');
    expect(out).toBe('Listening for events on 2 CPUs with 64x4096 of shared memory\nPress Ctrl-C to quit\n\nReceived an interrupt, disconnecting from monitor...\n\n');
    expect(sim.run('echo $?').stdout).toBe('0\n');
  });

  it("refuses what it does not simulate, and answers bad input with cobra's and pflag's errors", () => {
    const sim = createSimulation(KPR_SCENARIO, { seed: 1 });
    const agent = sim.store.list('Pod', 'kube-system').find((p) => p.metadata.labels?.['k8s-app'] === 'cilium' && p.spec.nodeName === 'node-1')!.metadata.name;
    const run = (args: string) => sim.run(`kubectl -n kube-system exec ${agent} -- cilium-dbg monitor ${args}`);
    const types = 'map[agent:130 capture:3 debug:2 drop:1 l7:129 policy-verdict:5 recorder:6 trace:4 trace-sock:7]';
    expect(run('--type bogus').stderr).toBe(`Error: invalid argument "bogus" for "-t, --type" flag: Unknown type (bogus). Please use one of the following ones ${types}\ncommand terminated with exit code 1\n`);
    expect(run('now').stderr).toBe('Error: unknown command "now" for "cilium-dbg monitor"\ncommand terminated with exit code 1\n');
    expect(run('--from x').stderr).toBe('Error: invalid argument "x" for "--from" flag: strconv.ParseUint: parsing "x": invalid syntax\ncommand terminated with exit code 1\n');
    expect(run('--wide').stderr).toBe('Error: unknown flag: --wide\ncommand terminated with exit code 1\n');
    expect(run('-j').stderr).toBe('cilium-dbg monitor: -j (the events as JSON) is not simulated here; the default one-line format is\ncommand terminated with exit code 1\n');
    expect(run('-vv').stderr).toContain('-vv (the packet dissection of verbose mode) is not simulated here');
    expect(run('-t l7').stderr).toContain("--type l7 (the proxies' access-log records) is not simulated here");
    // all three endpoint filters given: the IDs are looked up (validateEndpointsFilters)
    const r = run('--from 1 --to 2 --related-to 3');
    expect(r.stderr).toBe('endpoint 1 not found\nendpoint 2 not found\nendpoint 3 not found\ncommand terminated with exit code 1\n');
    expect(r.exitCode).toBe(1);
  });
});
