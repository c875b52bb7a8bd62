/**
 * Calico decides NetworkPolicy by executing the chains Felix renders (cali-fw-/cali-tw- →
 * cali-po-/cali-pi- with their cali40s:/cali40n: IP sets); the other CNIs keep
 * dataplane/policy.ts's evaluation. Property: for seeded random policies (pod and namespace
 * selectors with every operator, ipBlock with excepts, numeric, named and ranged ports, UDP,
 * every policyTypes form), in every kube-proxy mode, the chains' verdict for every Pod pair and probe equals
 * evaluatePolicy's, and a denial names the same policy.
 *
 * Upstream: projectcalico/calico v3.28.2 libcalico-go/lib/backend/k8s/conversion/conversion.go
 * (k8sRuleToCalico), felix/rules/policy.go, felix/rules/endpoints.go.
 */
import { describe, expect, it } from 'vitest';
import { netpol, ns, pod, sim } from '../dataplane/fixtures';
import { Rng } from '../../../engine/cluster/rng';
import { dryRun, sendPacket } from '../../../engine/dataplane/walk';
import { evaluatePolicy, policyRef } from '../../../engine/dataplane/policy';
import { findPod } from '../../../engine/dataplane/topology';
import type { Protocol } from '../../../engine/dataplane/packet';
import type { Simulation } from '../../../engine/index';

type Obj = Record<string, unknown>;

const NAMESPACES: [string, Record<string, string>][] = [['red', { team: 'red' }], ['blue', { team: 'blue' }], ['green', {}]];
const PODS: [string, string, string, string, Record<string, string>][] = [
  ['red', 'a1', 'node-1', '10.244.0.71', { app: 'a' }],
  ['red', 'b1', 'node-2', '10.244.1.71', { app: 'b', tier: 'x' }],
  ['blue', 'a2', 'node-1', '10.244.0.72', { app: 'a', tier: 'y' }],
  ['blue', 'c1', 'node-2', '10.244.1.72', { app: 'c' }],
  ['green', 'b2', 'node-2', '10.244.1.73', { app: 'b' }],
  ['green', 'c2', 'node-1', '10.244.0.73', { app: 'c', tier: 'x' }],
];
const SEEDS = 25;
const PROBES: [number, Protocol][] = [[80, 'tcp'], [8080, 'tcp'], [8050, 'tcp'], [53, 'udp'], [0, 'icmp']];

function pick<T>(rng: Rng, xs: T[]): T {
  return xs[rng.int(xs.length)];
}

function selector(rng: Rng): Obj {
  switch (rng.int(6)) {
    case 0: return {};
    case 1: case 2: return { matchLabels: { app: pick(rng, ['a', 'b', 'c']) } };
    case 3: return { matchExpressions: [{ key: 'app', operator: pick(rng, ['In', 'NotIn']), values: [pick(rng, ['a', 'b']), 'c'] }] };
    default: return { matchExpressions: [{ key: 'tier', operator: pick(rng, ['Exists', 'DoesNotExist']) }] };
  }
}

function peer(rng: Rng): Obj {
  switch (rng.int(5)) {
    case 0: return { podSelector: selector(rng) };
    case 1: return { namespaceSelector: rng.int(2) ? {} : { matchLabels: { team: pick(rng, ['red', 'blue']) } } };
    case 2: return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': pick(rng, ['red', 'blue', 'green']) } }, podSelector: selector(rng) };
    default: {
      const cidr = pick(rng, ['10.244.0.0/16', '10.244.1.0/24', '10.244.0.0/24']);
      const inside = cidr === '10.244.0.0/16' ? ['10.244.0.72/32', '10.244.1.72/31', '10.244.0.64/29'] : cidr === '10.244.1.0/24' ? ['10.244.1.72/31', '10.244.1.73/32'] : ['10.244.0.72/32', '10.244.0.64/29'];
      const except = inside.filter(() => rng.int(2) === 0);
      return { ipBlock: { cidr, ...(except.length ? { except } : {}) } };
    }
  }
}

function port(rng: Rng): Obj {
  switch (rng.int(6)) {
    case 0: return { port: 80 };
    case 1: return { protocol: 'TCP', port: 'http' };
    case 2: return { protocol: 'TCP', port: 8000, endPort: 8100 };
    case 3: return { protocol: 'UDP', port: 53 };
    case 4: return { protocol: 'UDP', port: 'dns' };
    default: return { protocol: 'TCP' };
  }
}

function rules(rng: Rng, dir: 'from' | 'to'): Obj[] {
  const out: Obj[] = [];
  for (let i = rng.int(3); i > 0; i--) {
    const r: Obj = {};
    const np = rng.int(3);
    if (np) r[dir] = Array.from({ length: np }, () => peer(rng));
    const pp = rng.int(4);
    if (pp) r.ports = Array.from({ length: pp }, () => port(rng));
    out.push(r);
  }
  return out;
}

function scenario(seed: number): Obj[] {
  const rng = new Rng(seed);
  const objs: Obj[] = NAMESPACES.map(([n, l]) => ns(n, l));
  for (const [n, name, node, ip, labels] of PODS) {
    objs.push(pod(n, name, node, ip, 'nginx:1.27', labels, {
      containers: [{ name: 'main', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: name.startsWith('b') ? 8080 : 80 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }],
    }));
  }
  const count = 1 + rng.int(4);
  for (let i = 0; i < count; i++) {
    const spec: Obj = { podSelector: selector(rng) };
    const types = rng.int(4);
    if (types === 1) spec.policyTypes = ['Ingress'];
    if (types === 2) spec.policyTypes = ['Egress'];
    if (types === 3) spec.policyTypes = ['Ingress', 'Egress'];
    const ing = rules(rng, 'from');
    const eg = rules(rng, 'to');
    if (ing.length) spec.ingress = ing;
    if (eg.length) spec.egress = eg;
    objs.push(netpol(pick(rng, ['red', 'blue', 'green']), `p${i}`, spec));
  }
  return objs;
}

/** The chains' verdict for one probe: denied iff a policy hop dropped it, and the policy it names. */
function walked(s: Simulation, from: (typeof PODS)[number], to: (typeof PODS)[number], port: number, proto: Protocol): { allowed: boolean; policy?: string; rule?: string } {
  const r = dryRun(s.cluster, () => sendPacket(s.cluster, { kind: 'pod', namespace: from[0], pod: from[1], container: 'main' }, { ip: to[3], port, proto }, { record: false }));
  const drop = r.hops.find((h) => h.stage === 'policy' && h.verdict === 'drop');
  return drop ? { allowed: false, policy: drop.policy?.name, rule: drop.detail } : { allowed: true };
}

describe('Felix executes NetworkPolicies as the API defines them', () => {
  for (const proxyMode of ['iptables', 'nftables', 'ipvs'] as const) {
    it(`${proxyMode} mode: ${SEEDS} random policy sets, every Pod pair and probe: chains agree with evaluatePolicy`, () => {
      let denied = 0;
      let checked = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        const s = sim({ cni: 'calico', proxyMode }, scenario(seed));
        for (const from of PODS) {
          for (const to of PODS) {
            if (from === to) continue;
            for (const [port, proto] of PROBES) {
              const src = findPod(s.cluster, from[0], from[1])!;
              const dst = findPod(s.cluster, to[0], to[1])!;
              const v = evaluatePolicy(s.cluster, src, dst, port, proto);
              const got = walked(s, from, to, port, proto);
              const where = `seed ${seed}: ${from[0]}/${from[1]} → ${to[0]}/${to[1]} ${proto} ${port}`;
              expect(got.allowed, where).toBe(v.allowed);
              if (!v.allowed) {
                denied++;
                expect(got.policy, where).toBe(policyRef(s.cluster, v.direction === 'egress' ? src : dst, v, true).policy?.name);
                // decided by Felix's end-of-tier rule in the workload's chain, not by policy.ts
                expect(got.rule, where).toMatch(/^filter table: -A cali-[tf]w-cali[0-9a-f]{11} .*"Drop if no policies passed packet" -m mark --mark 0x0\/0x20000 -j DROP$/);
              }
              checked++;
            }
          }
        }
      }
      // The generator covers both outcomes in bulk.
      expect(checked).toBe(SEEDS * 30 * PROBES.length);
      expect(denied).toBeGreaterThan(checked / 10);
      expect(denied).toBeLessThan(checked * 0.9);
    }, 120_000);
  }
});

describe('where Felix differs from the generic evaluation', () => {
  // Felix sends a workload's traffic to its own host through cali-INPUT → cali-wl-to-host →
  // cali-from-wl-dispatch → cali-fw-<veth>, the Pod's egress policy, and only then applies
  // DefaultEndpointToHostAction (felix/rules/static.go; api/pkg/apis/projectcalico/v3/felixconfig.go:
  // "after the traffic hits the endpoint egress policy"). Traffic from the host to its Pods
  // is not policed (cali-OUTPUT returns for -o cali+). policy.ts, used for the other CNIs,
  // always allows a Pod and its own node to talk.
  const objs = [
    pod('red', 'a1', 'node-1', '10.244.0.71', 'nicolaka/netshoot:v0.13', { app: 'a' }),
    ns('red'),
    netpol('red', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  ];
  const a1 = { kind: 'pod' as const, namespace: 'red', pod: 'a1', container: 'main' };

  it.each(['iptables', 'ipvs'] as const)('%s mode: an egress-isolated Pod → its own node is dropped in cali-fw-<veth>; Cilium lets it through', (proxyMode) => {
    const s = sim({ cni: 'calico', proxyMode }, objs);
    const r = dryRun(s.cluster, () => sendPacket(s.cluster, a1, { ip: '192.168.49.2', port: 10250, proto: 'tcp' }, { record: false }));
    expect(r.outcome).toBe('timeout');
    expect(r.hops.find((h) => h.stage === 'policy')?.detail).toMatch(/^filter table: -A cali-fw-cali[0-9a-f]{11} .*"Drop if no policies passed packet"/);
    const c = sim({ cni: 'cilium', proxyMode }, objs);
    expect(dryRun(c.cluster, () => sendPacket(c.cluster, a1, { ip: '192.168.49.2', port: 10250, proto: 'tcp' }, { record: false })).outcome).toBe('delivered');
  });

  it('the node → its ingress-isolated Pod: not policed', () => {
    const s = sim({ cni: 'calico' }, objs);
    const r = dryRun(s.cluster, () => sendPacket(s.cluster, { kind: 'node', node: 'node-1' }, { ip: '10.244.0.71', port: 22, proto: 'tcp' }, { record: false }));
    expect(r.outcome).toBe('refused');
    expect(r.hops.some((h) => /cali-tw-/.test(h.what))).toBe(false);
  });
});

describe('the rules on the node are what decides', () => {
  it('iptables -D of the FORWARD → cali-FORWARD jump: the egress policy is no longer enforced', () => {
    const s = sim({ cni: 'calico' }, [
      pod('red', 'a1', 'node-1', '10.244.0.71', 'nicolaka/netshoot:v0.13', { app: 'a' }),
      pod('red', 'b1', 'node-2', '10.244.1.71', 'nginx:1.27', { app: 'b' }),
      ns('red'),
      netpol('red', 'deny-egress', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'] }),
    ]);
    const probe = () => dryRun(s.cluster, () => sendPacket(s.cluster, { kind: 'pod', namespace: 'red', pod: 'a1', container: 'main' }, { ip: '10.244.1.71', port: 80, proto: 'tcp' }, { record: false })).outcome;
    expect(probe()).toBe('timeout');
    const jump = s.run('ssh node-1 iptables -S FORWARD').stdout.split('\n').find((l) => l.endsWith('-j cali-FORWARD'))!;
    expect(s.run(`ssh node-1 iptables ${jump.replace('-A ', '-D ')}`).exitCode).toBe(0);
    expect(probe()).toBe('delivered');
  });
});

describe('policy groups (felix/rules/endpoints.go PolicyGroup)', () => {
  it('six policies with one selector share a cali-gi- chain, with "Return on verdict" before the sixth jump', () => {
    const s = sim({ cni: 'calico' }, [
      ns('red'),
      pod('red', 'b1', 'node-2', '10.244.1.71', 'nginx:1.27', { app: 'b' }),
      ...[1, 2, 3, 4, 5, 6].map((i) => netpol('red', `p${i}`, { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports: [{ port: 8000 + i }] }] })),
    ]);
    const save = s.run('ssh node-2 iptables-save -t filter').stdout;
    const group = /^:(cali-gi-[\w-]{20}) /m.exec(save)?.[1];
    expect(group).toBeDefined();
    const rules = save.split('\n').filter((l) => l.startsWith(`-A ${group} `)).map((l) => l.replace(/ -m comment --comment "cali:[\w-]{16}"/, ''));
    // short keys fit the 28 characters unhashed (GetLengthLimitedID): cali-pi-red/knp.default.p1
    expect(rules).toEqual([
      `-A ${group} -j cali-pi-red/knp.default.p1`,
      ...[2, 3, 4, 5].map((i) => `-A ${group} -m mark --mark 0x0/0x30000 -j cali-pi-red/knp.default.p${i}`),
      `-A ${group} -m comment --comment "Return on verdict" -m mark ! --mark 0x0/0x30000 -j RETURN`,
      `-A ${group} -j cali-pi-red/knp.default.p6`,
    ]);
    // the workload's chain jumps to the group once; port 8006 is allowed by the sixth policy, 9000 by none
    expect(save.split('\n').filter((l) => / -j cali-(gi|pi)-/.test(l) && l.startsWith('-A cali-tw-')).map((l) => l.replace(/.* -j /, ''))).toEqual([group]);
    const probe = (port: number) => dryRun(s.cluster, () => sendPacket(s.cluster, { kind: 'node', node: 'node-1' }, { ip: '10.244.1.71', port, proto: 'tcp' }, { record: false })).outcome;
    expect([probe(8006), probe(9000)]).toEqual(['refused', 'timeout']);
  });
});
