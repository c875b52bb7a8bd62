/**
 * spec.trafficDistribution end to end on a v1.34 cluster (fixtures/topology.yaml): the
 * EndpointSlice controller's zones and hints, kubectl's view of them, and the rules each
 * node's kube-proxy writes from them.
 *
 * Sources: k8s.io/endpointslice v0.34.2 utils.go podToEndpoint (zone from the node's
 * topology.kubernetes.io/zone) and trafficdist/trafficdist.go (preferCloseHeuristic: ready
 * endpoints get forZones, PreferSameNode adds forNodes); reconciler.go
 * (validTrafficDistribution, the topology-mode annotation wins); kubernetes
 * pkg/proxy/topology.go v1.33–v1.34 (CategorizeEndpoints, topologyModeFromHints,
 * availableForTopology); pkg/features kube_features.go (PreferSameTrafficDistribution beta,
 * on in v1.34); k8s.io/kubectl v0.34.2 pkg/describe (describeService "Traffic
 * Distribution:", describeEndpointSliceV1 prints Zone but no hints).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { expectGolden, FIXTURES, loadSim, transcript } from './harness';
import { createSimulation, type Simulation } from '../../../engine';

function kubectl(sim: Simulation, lines: string[]): string {
  let out = '';
  for (const l of lines) {
    const r = sim.run(l);
    out += `$ ${l}\n${r.stdout}`;
    if (r.stderr) out += r.stderr.split('\n').filter((x, i, a) => x !== '' || i < a.length - 1).map((x) => `[stderr] ${x}\n`).join('');
    if (r.exitCode !== 0) out += `[exit ${r.exitCode}]\n`;
  }
  return out;
}

describe('trafficDistribution: hints and the rules they give each node', () => {
  it('PreferClose and PreferSameNode: slices, kubectl, iptables-save per node', () => {
    const sim = loadSim('topology.yaml');
    expectGolden(
      'topology',
      kubectl(sim, [
        'kubectl get pods -o wide',
        'kubectl get endpointslices',
        'kubectl get endpointslices -l kubernetes.io/service-name=web-local -o yaml',
        'kubectl describe endpointslices -l kubernetes.io/service-name=web',
        'kubectl describe svc web',
      ]) +
        '# node-1 (zone-a): web to zone-a\'s ready endpoints, web-local to its own\n' +
        transcript(sim, 'node-1', ['iptables-save -t nat']) +
        '# node-3 (zone-b)\n' +
        transcript(sim, 'node-3', ['iptables-save -t nat']) +
        '# node-4 (no zone label, no endpoint of its own): hints ignored, every ready endpoint\n' +
        transcript(sim, 'node-4', ['iptables-save -t nat']),
    );
  });

  it('changing or removing the field re-hints the slices; bad values are refused', () => {
    const sim = loadSim('topology.yaml');
    expectGolden(
      'topology-edits',
      kubectl(sim, [
        `kubectl patch svc web -p '{"spec":{"trafficDistribution":"PreferSameZone"}}'`,
        `kubectl get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{range .items[0].endpoints[*]}{.addresses[0]} {.zone} {.hints}{"\\n"}{end}'`,
        `kubectl patch svc web -p '{"spec":{"trafficDistribution":"PreferZone"}}'`,
        'kubectl create -f typo.yaml',
        'kubectl create -f number.yaml',
        'kubectl annotate svc web service.kubernetes.io/topology-mode=Auto',
        `kubectl get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{range .items[0].endpoints[*]}{.addresses[0]} {.hints}{"\\n"}{end}'`,
        'kubectl annotate svc web service.kubernetes.io/topology-mode-',
        `kubectl patch svc web --type=json -p '[{"op":"remove","path":"/spec/trafficDistribution"}]'`,
        `kubectl get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{range .items[0].endpoints[*]}{.addresses[0]} {.zone} {.hints}{"\\n"}{end}'`,
        'kubectl describe svc web',
      ]) + transcript(sim, 'node-1', ['iptables -t nat -S KUBE-SVC-CDGGSHYLG3RE2FKL']),
    );
  });

  it('IPVS mode honours the same hints', () => {
    const text = readFileSync(join(FIXTURES, 'topology.yaml'), 'utf8').replace('  cni: calico\n', '  cni: calico\n  proxyMode: ipvs\n');
    const sim = createSimulation(text, { seed: 1 });
    expectGolden('topology-ipvs', '# node-1 (zone-a)\n' + transcript(sim, 'node-1', ['ipvsadm -Ln']) + '# node-4 (no zone label)\n' + transcript(sim, 'node-4', ['ipvsadm -Ln']));
  });

  it('nftables mode honours the same hints: the Service chain spreads over its zone only', () => {
    const text = readFileSync(join(FIXTURES, 'topology.yaml'), 'utf8').replace('  cni: calico\n', '  cni: calico\n  proxyMode: nftables\n');
    const sim = createSimulation(text, { seed: 1 });
    const chain = (node: string) => {
      const svc = /goto (service-[A-Z0-9]+-default\/web\/tcp\/[^,\s]*)/.exec(transcript(sim, node, ['nft list map ip kube-proxy service-ips']))![1];
      return transcript(sim, node, [`nft list chain ip kube-proxy ${svc}`]);
    };
    expectGolden('topology-nft', '# node-1 (zone-a)\n' + chain('node-1') + '# node-4 (no zone label)\n' + chain('node-4'));
  });
});
