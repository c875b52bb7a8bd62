/**
 * Dual-stack clusters: the scenario's range pairs, and the API server's choice of IP
 * families and ClusterIPs for a Service. Messages are the API server's:
 * pkg/registry/core/service/storage/alloc.go initIPFamilyFields (policy vs. families and
 * IPs, "not configured on this cluster", "this cluster is not configured for dual-stack
 * services"), pkg/apis/core/validation ValidateServiceClusterIPsRelatedFields (families,
 * policy values, "may specify no more than one IP for each IP family"), and the IP
 * allocator's range error.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, loadScenario, ScenarioError } from '../../../engine';
import { exportScenario } from '../../../engine/scenario/export';
import { DUAL_STACK } from '../../golden/dualstack/scenario';

function problem(text: string): { line?: number; message: string } | undefined {
  try {
    loadScenario(text);
  } catch (e) {
    if (e instanceof ScenarioError) return { line: e.line, message: e.message };
    throw e;
  }
  return undefined;
}

const head = (pods: string, services: string, extra = '') =>
  `cluster:\n  cni: flannel\n  podCIDR: ${pods}\n  serviceCIDR: ${services}\n${extra}  nodes:\n    - { name: cp, ip: 192.168.49.2, ipv6: 'fc00::2' }\n`;

describe('a dual-stack scenario', () => {
  it('takes a list or kubeadm\'s comma-separated pair, IPv4 first', () => {
    const s = loadScenario(head('[10.244.0.0/16, fd00:10:244::/56]', '10.96.0.0/12,fd00:10:96::/108'));
    expect([s.cluster.podCIDR, s.cluster.podCIDRv6, s.cluster.serviceCIDR, s.cluster.serviceCIDRv6]).toEqual(['10.244.0.0/16', 'fd00:10:244::/56', '10.96.0.0/12', 'fd00:10:96::/108']);
  });

  it('refuses what it cannot build, with the line', () => {
    expect(problem(head('[fd00:10:244::/56, 10.244.0.0/16]', '[10.96.0.0/12, fd00:10:96::/108]'))).toEqual({ line: 3, message: 'cluster.podCIDR[0] "fd00:10:244::/56" is not an IPv4 CIDR (a dual-stack pair is IPv4 first, then IPv6; IPv6-primary clusters are not simulated)' });
    expect(problem(head('[10.244.0.0/16, fd00:10:244::/56]', '10.96.0.0/12'))).toEqual({ line: 4, message: 'cluster.serviceCIDR names one family but cluster.podCIDR two: a dual-stack cluster needs an IPv4 and an IPv6 range for both' });
    expect(problem(head('[10.244.0.0/16, fd00:10:244::/56]', '[10.96.0.0/12, fd00:10:96::/64]'))).toEqual({ line: 4, message: 'cluster.serviceCIDR[1] fd00:10:96::/64 is too large: kube-apiserver refuses it ("specified --secondary-service-cluster-ip-range is too large; for 128-bit addresses, the mask must be >= 108")' });
    expect(problem(head('[10.244.0.0/16, fd00:10:244::/72]', '[10.96.0.0/12, fd00:10:96::/108]'))).toEqual({ line: 3, message: 'cluster.podCIDR[1] fd00:10:244::/72 is too small: node-ipam gives each node a /64 (--node-cidr-mask-size-ipv6), so the Pod range must be a /64 or larger' });
    expect(problem(head('[10.244.0.0/16, 2001:db8::/56]', '[10.96.0.0/12, fd00:10:96::/108]'))).toEqual({ line: 3, message: 'cluster.podCIDR[1] 2001:db8::/56 is not a unique-local (fc00::/7) range: the simulation\'s traffic is IPv4, which a pod prefers only when its IPv6 addresses are unique-local' });
    expect(problem(head('[10.244.0.0/16, fd00:10:244::/56]', '[10.96.0.0/12, fd00:10:96::/108]', '  proxyMode: ipvs\n'))).toEqual({ line: 5, message: 'cluster.proxyMode "ipvs": dual-stack is simulated with proxyMode: iptables (kube-proxy\'s iptables proxier for each family)' });
    expect(problem(head('[10.244.0.0/16, fd00:10:244::/56]', '[10.96.0.0/12, fd00:10:96::/108]').replace('cni: flannel', 'cni: calico'))).toEqual({ line: 2, message: 'cluster.cni "calico": dual-stack is simulated with cni: flannel (its host-local IPAM\'s second range); the other plugins\' IPv6 wiring is not' });
    expect(problem(head('[10.244.0.0/16, fd00:10:244::/56]', '[10.96.0.0/12, fd00:10:96::/108]').replace(", ipv6: 'fc00::2'", ''))).toEqual({ line: 6, message: 'cluster.nodes[0] needs an ipv6 address: in a dual-stack cluster every node has an InternalIP of each family' });
    expect(problem(head('[10.244.0.0/16, fd00:10:244::/56]', '[10.96.0.0/12, fd00:10:96::/108]').replace("'fc00::2'", "'fd00:10:96::2'"))).toEqual({ line: 6, message: 'cluster.nodes[0].ipv6 fd00:10:96::2 is inside cluster.serviceCIDR[1] fd00:10:96::/108: node addresses must lie outside the Pod and Service ranges' });
  });

  it('writes the pairs back out when exported', () => {
    const sim = createSimulation(DUAL_STACK, { seed: 1 });
    const out = exportScenario(sim);
    expect(out).toContain('podCIDR:\n    - 10.244.0.0/16\n    - fd00:10:244::/56\n');
    expect(out).toContain('serviceCIDR:\n    - 10.96.0.0/12\n    - fd00:10:96::/108\n');
    expect(loadScenario(out).cluster.serviceCIDRv6).toBe('fd00:10:96::/108');
  });
});

function apply(sim: ReturnType<typeof createSimulation>, name: string, spec: string) {
  return sim.run(`kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata: { name: ${name} }\nspec: { ports: [{ port: 80 }], ${spec} }\nEOF`);
}

function fields(sim: ReturnType<typeof createSimulation>, name: string): string {
  return sim.run(`kubectl get svc ${name} -o jsonpath={.spec.ipFamilyPolicy}/{.spec.ipFamilies}/{.spec.clusterIPs}`).stdout;
}

describe('Service IP families in a dual-stack cluster', () => {
  it('defaults to SingleStack in the primary family; PreferDualStack and RequireDualStack get one ClusterIP per family', () => {
    const sim = createSimulation(DUAL_STACK, { seed: 1 });
    expect(fields(sim, 'web-single')).toBe('SingleStack/["IPv4"]/["10.107.145.77"]');
    expect(fields(sim, 'web-dual')).toBe('PreferDualStack/["IPv4","IPv6"]/["10.110.244.71","fd00:10:96::b:8610"]');
    expect(fields(sim, 'web-v6')).toBe('SingleStack/["IPv6"]/["fd00:10:96::8:9998"]');
    expect(apply(sim, 'v6-first', 'selector: { app: web }, ipFamilyPolicy: RequireDualStack, ipFamilies: [IPv6]').exitCode).toBe(0);
    expect(fields(sim, 'v6-first')).toMatch(/^RequireDualStack\/\["IPv6","IPv4"\]\/\["fd00:10:96::[0-9a-f:]+","10\.\d+\.\d+\.\d+"\]$/);
    // a headless Service without a selector defaults to RequireDualStack (alloc.go's special case)
    expect(apply(sim, 'bare', 'clusterIP: None').exitCode).toBe(0);
    expect(fields(sim, 'bare')).toBe('RequireDualStack/["IPv4","IPv6"]/["None"]');
  });

  it('answers inconsistent requests with the API server\'s errors', () => {
    const sim = createSimulation(DUAL_STACK, { seed: 1 });
    const err = (spec: string) => apply(sim, 'bad', spec).stderr;
    expect(err('ipFamilyPolicy: SingleStack, ipFamilies: [IPv4, IPv6]')).toBe('The Service "bad" is invalid: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple IP families are specified\n');
    expect(err('ipFamilyPolicy: PreferDualStack, clusterIP: 10.96.0.50, clusterIPs: [10.96.0.50, 10.96.0.51]')).toBe('The Service "bad" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.50", "10.96.0.51"}: may specify no more than one IP for each IP family\n');
    expect(err('ipFamilyPolicy: Bogus')).toBe('The Service "bad" is invalid: spec.ipFamilyPolicy: Unsupported value: "Bogus": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"\n');
    expect(err('ipFamilies: [IPv5]')).toBe('The Service "bad" is invalid: spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"\n');
    expect(err("ipFamilies: [IPv6], clusterIP: 'fd00:10:97::5'")).toBe('The Service "bad" is invalid: spec.clusterIPs: Invalid value: []string{"fd00:10:97::5"}: failed to allocate IP fd00:10:97::5: the provided IP (fd00:10:97::5) is not in the valid range. The range of valid IPs is fd00:10:96::/108\n');
  });

  it('releases the secondary ClusterIP only when the policy says SingleStack', () => {
    const sim = createSimulation(DUAL_STACK, { seed: 1 });
    expect(sim.run('kubectl patch svc web-dual -p \'{"spec":{"ipFamilyPolicy":"SingleStack"}}\'').exitCode).toBe(0);
    expect(fields(sim, 'web-dual')).toBe('SingleStack/["IPv4"]/["10.110.244.71"]');
    expect(sim.run('kubectl get endpointslices -l kubernetes.io/service-name=web-dual -o jsonpath={.items[*].addressType}').stdout).toBe('IPv4');
    expect(sim.run('kubectl patch svc web-single -p \'{"spec":{"ipFamilyPolicy":"RequireDualStack"}}\'').exitCode).toBe(0);
    expect(fields(sim, 'web-single')).toMatch(/^RequireDualStack\/\["IPv4","IPv6"\]\/\["10\.107\.145\.77","fd00:10:96::[0-9a-f:]+"\]$/);
  });
});

describe('an IPv4-only cluster', () => {
  it('refuses IPv6 and dual-stack requests as the API server does', () => {
    const sim = createSimulation('', { seed: 1 });
    expect(apply(sim, 'bad', 'ipFamilyPolicy: RequireDualStack').stderr).toBe('The Service "bad" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services\n');
    expect(apply(sim, 'bad', 'ipFamilies: [IPv6]').stderr).toBe('The Service "bad" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster\n');
    expect(apply(sim, 'ok', 'ipFamilyPolicy: PreferDualStack').exitCode).toBe(0);
    expect(fields(sim, 'ok')).toMatch(/^PreferDualStack\/\["IPv4"\]\/\["10\.\d+\.\d+\.\d+"\]$/);
  });
});

describe('a dual-stack lab saved and reopened', () => {
  it('round-trips snapshot()/restore() and keeps handing out the next IPv6 address', async () => {
    const { Simulation } = await import('../../../engine/simulation');
    const a = createSimulation(DUAL_STACK, { seed: 3 });
    const b = Simulation.restore(JSON.parse(JSON.stringify(a.snapshot())));
    expect(JSON.stringify(b.snapshot())).toBe(JSON.stringify(a.snapshot()));
    for (const s of [a, b]) {
      s.run('kubectl scale deployment web --replicas=4');
      s.advance(30_000);
    }
    const ips = (s: typeof a) => s.run("kubectl get pods -l app=web -o jsonpath='{range .items[*]}{.status.podIPs[1].ip}{\" \"}{end}'").stdout;
    expect(ips(b)).toBe(ips(a));
    expect(new Set(ips(a).trim().split(' ')).size).toBe(4);
  });
});
