/**
 * Scenarios for the traffic room's tests: pinned node and pod addresses (high in each
 * node's /24, clear of what IPAM hands the system pods), the cluster's own system layer
 * (kube-dns at 10.96.0.10, CoreDNS, kube-proxy, the CNI), every object created through the
 * API. Services are selectorless with hand-written EndpointSlices so a test owns its
 * endpoints exactly.
 */
import { stringify } from 'yaml';
import { createSimulation, type Simulation } from '../../../engine/index';
import { Rng } from '../../../engine/cluster/rng';

type Obj = Record<string, unknown>;

export function ns(name: string, labels: Record<string, string> = {}): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function pod(namespace: string, name: string, node: string, ip: string, image: string, labels: Record<string, string> = {}, extra: Obj = {}): Obj {
  const { containers, phase, ...specExtra } = extra as { containers?: Obj[]; phase?: string };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { nodeName: node, containers: containers ?? [{ name: 'main', image }], ...specExtra },
    status: { phase: phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/**
 * A Service and its EndpointSlice. The Service has no selector and the slice is written
 * by hand (the documented way to give a Service custom endpoints), so the test owns the
 * endpoints whatever the endpoint controller does: `endpoints` are [ip, node, podName].
 */
export function svc(namespace: string, name: string, clusterIP: string, endpoints: [string, string, string][], ports: { name?: string; port: number; targetPort: number; protocol?: string; nodePort?: number }[], extra: Obj = {}): Obj[] {
  const { status, ...spec } = extra as { status?: Obj };
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { clusterIP, ports: ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' })), ...spec }, ...(status ? { status } : {}) },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-manual`, namespace, labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'netlab-tests' } },
      addressType: 'IPv4',
      endpoints: endpoints.map(([ip, node, pod]) => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false }, nodeName: node, targetRef: { kind: 'Pod', namespace, name: pod } })),
      ports: ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.targetPort, protocol: p.protocol ?? 'TCP' })),
    },
  ];
}

export function netpol(namespace: string, name: string, spec: Obj): Obj {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** The system layer already provides kube-dns and CoreDNS; nothing to add. */
export function dnsLayer(): Obj[] {
  return [];
}

export function scenario(cluster: Obj, objects: Obj[]): string {
  return stringify({
    cluster: {
      nodes: [
        { name: 'node-1', ip: '192.168.49.2', podCIDR: '10.244.0.0/24' },
        { name: 'node-2', ip: '192.168.49.3', podCIDR: '10.244.1.0/24' },
      ],
      ...cluster,
    },
    objects,
  });
}

/**
 * The simulation, with its random stream restarted at a known point once the cluster is
 * up: what the traffic commands draw (ephemeral ports, ping jitter, load-balancing picks)
 * then does not depend on how many numbers the rest of the engine drew while bootstrapping.
 */
export function sim(cluster: Obj, objects: Obj[], seed = 1): Simulation {
  const s = createSimulation(scenario(cluster, objects), { seed });
  s.rng.setState(new Rng(seed * 7919 + 17).state());
  return s;
}
