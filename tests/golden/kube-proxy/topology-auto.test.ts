/**
 * Topology Aware Routing (`service.kubernetes.io/topology-mode: Auto`, and the deprecated
 * `service.kubernetes.io/topology-aware-hints`) end to end on a v1.34 cluster
 * (fixtures/topology-auto.yaml): the EndpointSlice controller's topology cache, the events
 * it records on the Service, and the rules each node's kube-proxy writes from the hints.
 *
 * Sources: k8s.io/endpointslice v0.34 topologycache/topologycache.go (SetNodes: ready,
 * non-control-plane nodes' allocatable CPU by zone, any node without zone or CPU voids
 * the ratios; getAllocations with overloadThreshold 0.2; AddHints; GetOverloadedServices),
 * topologycache/utils.go (getGivingAndReceivingZones, redistributeHints,
 * serviceOverloaded, FormatWithAddressType), topologycache/sliceinfo.go,
 * topologycache/event.go (the messages); reconciler.go reconcileByAddressType (hintsEnabled,
 * "Topology Aware Hints has been disabled" when the annotation goes);
 * pkg/controller/endpointslice/endpointslice_controller.go v1.34 (event source
 * endpoint-slice-controller; updateNode requeues on readiness or zone label change,
 * checkNodeTopologyDistribution queues only overloaded Services); pkg/proxy/topology.go
 * v1.34 CategorizeEndpoints (a node keeps the endpoints hinted for its zone).
 *
 * The walk: node-1 is the control plane, so the cache counts node-2 (zone-a) and, once
 * labelled, node-4 (zone-b) and node-3 (zone-b): zone-a 1/3 of the CPU, zone-b 2/3. With
 * three ready endpoints (two in zone-a, one in zone-b) zone-a must give one to zone-b.
 */
import { describe, it } from 'vitest';
import { expectGolden, loadSim, transcript } from './harness';
import type { Simulation } from '../../../engine';

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

const HINTS = `kubectl get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{range .items[*].endpoints[*]}{.addresses[0]} {.zone} {.hints}{"\\n"}{end}'`;

describe('topology-mode: Auto', () => {
  it('insufficient node info, proportional hints, overload, node changes, removal', () => {
    const sim = loadSim('topology-auto.yaml');
    expectGolden(
      'topology-auto',
      kubectl(sim, [
        'kubectl get nodes -L topology.kubernetes.io/zone',
        'kubectl annotate svc web service.kubernetes.io/topology-mode=Auto',
        HINTS,
        'kubectl describe svc web',
        // the cache now has ratios, but a Service without hints is not requeued by a node change
        'kubectl label node node-4 topology.kubernetes.io/zone=zone-b',
        HINTS,
        'kubectl annotate svc web service.kubernetes.io/topology-aware-hints=Auto',
        HINTS,
      ]) +
        '# node-1 (zone-a): the one endpoint hinted for zone-a\n' +
        transcript(sim, 'node-1', ['iptables -t nat -S KUBE-SVC-CDGGSHYLG3RE2FKL', 'curl -s 10.96.0.100/hostname']) +
        '\n# node-3 (zone-b): the two hinted for zone-b, one of them in zone-a\n' +
        transcript(sim, 'node-3', ['iptables -t nat -S KUBE-SVC-CDGGSHYLG3RE2FKL']) +
        kubectl(sim, [
          // a fourth endpoint in zone-b: zone-a's minimum (ceil(4/3/1.2) = 2) and zone-b's (3) exceed 4
          `kubectl run web-b2 --image=registry.k8s.io/e2e-test-images/agnhost:2.53 --labels=app=web --overrides='{"apiVersion":"v1","spec":{"nodeName":"node-3"}}' -- /agnhost netexec --http-port=8080`,
          HINTS,
          'kubectl delete pod web-b2',
          HINTS,
          // a node losing its zone requeues the Service whose hints the cache holds
          'kubectl label node node-2 topology.kubernetes.io/zone-',
          HINTS,
          'kubectl label node node-2 topology.kubernetes.io/zone=zone-a',
          'kubectl annotate svc web service.kubernetes.io/topology-mode=auto --overwrite',
          HINTS,
          'kubectl annotate svc web service.kubernetes.io/topology-mode- service.kubernetes.io/topology-aware-hints-',
          HINTS,
          'kubectl describe svc web',
        ]) +
        '# node-1 after the hints are gone: every ready endpoint\n' +
        transcript(sim, 'node-1', ['iptables -t nat -S KUBE-SVC-CDGGSHYLG3RE2FKL']),
    );
  });
});
