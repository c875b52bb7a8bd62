/**
 * Calico Felix's policy dataplane, pinned whole: `iptables-save -t filter` and `ipset list` on a
 * node where two NetworkPolicies are active, the trace of a connection one of them denies
 * (the hops name the rules executed: the dispatch on the veth, the jumps into each cali-pi-
 * chain, and the end-of-tier DROP), and curl from an egress-isolated Pod to a Service without
 * endpoints (Felix's cali-FORWARD drops before kube-proxy's REJECT: exit 28, not 7).
 *
 * Rule text from projectcalico/calico v3.28.2: felix/rules/endpoints.go (endpointIptablesChain:
 * conntrack, `--set-xmark 0x0/0x30000`, `-m mark --mark 0x0/0x20000 -j cali-pi-…`,
 * "Return if policy accepted", "Drop if no policies passed packet"; endpoints_test.go "should
 * render a fully-loaded workload endpoint"), felix/rules/policy.go (ProtoRuleToIptablesRules:
 * the match then `-j MARK --set-xmark 0x10000/0x10000` and `-m mark --mark 0x10000/0x10000
 * -j RETURN`, match blocks on the scratch bits; PolicyChainName; policy_test.go),
 * the RETURN ending a chain stripped (ProtoRulesToIptablesRules), felix/rules/static.go
 * (filterInputChain / filterOutputChain IPIP rules with cali40all-hosts-net),
 * felix/hashutils/id.go (GetLengthLimitedID: `cali-pi-_` + 19 characters of base64url
 * SHA-256), felix/ipsets/ipset_defs.go (NameForMainIPSet, `cali40s:` + the selector's
 * MakeUniqueID), felix/rules/endpoints.go (the profiles kns.<ns> and ksa.<ns>.<sa> after the
 * policies, "Return if profile accepted"). Chain and IP set names are Felix's bytes
 * (tests/unit/cni/felix-names.test.ts derives them), and so are the `cali:` rule ids
 * (felix/iptables/rules.go Chain.RuleHashes; calico/rulehash.ts, checked there against ids
 * published from real nodes).
 */
import { describe, it } from 'vitest';
import { netpol, ns, pod, sim, svc } from '../../unit/dataplane/fixtures';
import { transcript } from '../kube-proxy/harness';
import { golden } from '../../unit/dns/golden';
import { createSimulation, type Simulation } from '../../../engine/index';
import { calicoNodeEnv, scenario } from '../../unit/dns/scenario';

const NETSHOOT = 'nicolaka/netshoot:v0.13';

const objects = [
  ns('shop'),
  // netshoot's own command is an interactive shell that exits at once: keep the toolbox running
  pod('shop', 'client', 'node-1', '10.244.0.50', NETSHOOT, { app: 'client' }, { containers: [{ name: 'main', image: NETSHOOT, command: ['sleep', 'infinity'] }] }),
  pod('shop', 'other', 'node-1', '10.244.0.51', NETSHOOT, { app: 'other' }, { containers: [{ name: 'main', image: NETSHOOT, command: ['sleep', 'infinity'] }] }),
  pod('shop', 'web', 'node-2', '10.244.1.50', 'nginx:1.27', { app: 'web' }, {
    containers: [{ name: 'main', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] }],
  }),
  // A Service without endpoints.
  ...svc('shop', 'orders', '10.96.0.80', [], [{ name: 'http', port: 80, targetPort: 80 }]),
  // Active on node-2 (they select web): a default deny and one allow with a pod selector, an ipBlock minus two ranges, and numeric and named ports.
  netpol('shop', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
  netpol('shop', 'allow-client-to-web', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [{
      from: [{ podSelector: { matchLabels: { app: 'client' } } }, { ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.49.0/24', '192.168.50.0/24'] } }],
      ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 'http' }],
    }],
  }),
  // Active on node-1: client may only reach web Pods on TCP 80 (and DNS).
  netpol('shop', 'client-egress', {
    podSelector: { matchLabels: { app: 'client' } },
    policyTypes: ['Egress'],
    egress: [
      { to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 80 }] },
      { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] },
    ],
  }),
];

function exec(s: Simulation, podName: string, cmd: string): string {
  const r = s.run(`kubectl exec -n shop ${podName} -- ${cmd}`);
  return `$ kubectl exec -n shop ${podName} -- ${cmd}\n${r.stdout}${r.stderr}[exit ${r.exitCode}]\n`;
}

/** The last recorded walk, one hop a line: stage, where, what, then its detail and the policy it names. */
function lastTrace(s: Simulation): string {
  const t = s.traces[s.traces.length - 1];
  let out = `trace: ${t.from} → ${t.to}: ${t.outcome}\n`;
  for (const h of t.hops) {
    out += `  [${h.stage ?? ''}] ${h.where}: ${h.what} (${h.verdict})\n`;
    if (h.detail) out += `      ${h.detail}\n`;
    if (h.policy) out += `      policy: ${h.policy.kind} ${h.policy.namespace}/${h.policy.name} ${h.policy.direction} ${h.policy.allowed ? 'allowed' : 'denied'}${h.policy.all ? ` (all: ${h.policy.all.join(', ')})` : ''}\n`;
  }
  return out;
}

describe('Calico Felix: NetworkPolicies as chains', () => {
  it('node-2: iptables-save -t filter and ipset list with two active policies', () => {
    const s = sim({ cni: 'calico' }, objects);
    golden('cni/calico-policy/node-2-filter-ipset.txt', transcript(s, 'node-2', ['iptables-save -t filter', 'ipset list', 'ipset list -n', 'ipset list cali40nope']));
  });

  it('a denied connection: the trace names the cali-pi- chains tried and the DROP that decided', () => {
    const s = sim({ cni: 'calico' }, objects);
    const out = exec(s, 'other', 'curl -sS --max-time 2 http://10.244.1.50') + lastTrace(s) +
      exec(s, 'client', 'curl -sS -o /dev/null -w %{http_code} --max-time 2 http://10.244.1.50') + '\n' + lastTrace(s);
    golden('cni/calico-policy/denied-trace.txt', out);
  });

  it('egress-isolated Pod → Service without endpoints: cali-FORWARD drops first (28); a Pod no egress policy selects is refused (7)', () => {
    const s = sim({ cni: 'calico' }, objects);
    const out = exec(s, 'client', 'curl -sS --max-time 2 http://10.96.0.80') + lastTrace(s) + exec(s, 'other', 'curl -sS --max-time 2 http://10.96.0.80');
    golden('cni/calico-policy/no-endpoints-exit-28.txt', out);
  });
});

describe('Felix follows the encapsulation (felix/rules/static.go filterInputChain, filterOutputChain)', () => {
  for (const [name, env] of [
    ['ipip', '[{ name: CALICO_IPV4POOL_IPIP, value: Always }]'],
    ['vxlan', '[{ name: CALICO_IPV4POOL_IPIP, value: Never }, { name: CALICO_IPV4POOL_VXLAN, value: Always }]'],
    ['none', '[{ name: CALICO_IPV4POOL_IPIP, value: Never }, { name: CALICO_IPV4POOL_VXLAN, value: Never }]'],
  ] as const) {
    it(`${name}: cali-INPUT and cali-OUTPUT let the tunnel through, nat masquerades by its device, ipset names`, () => {
      const s = createSimulation(scenario('calico', calicoNodeEnv(env)));
      golden(`cni/calico-policy/encap-${name}.txt`, transcript(s, 'node-1', ['ip route', 'iptables -S cali-INPUT', 'iptables -S cali-OUTPUT', 'iptables -t nat -S cali-POSTROUTING', 'ipset list -n']));
    });
  }
});
