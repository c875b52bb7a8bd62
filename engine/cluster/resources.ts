/**
 * The resource types the simulated API server serves, as `kubectl api-resources`
 * lists them. kubectl resolves what a learner types (pods, po, svc, deploy.apps…)
 * through this table.
 */
export interface ResourceInfo {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  group: string;
  version: string;
  namespaced: boolean;
  verbs: string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(kind: string, plural: string, shortNames: string[], group: string, version: string, namespaced: boolean, verbs = ALL_VERBS): ResourceInfo {
  return { kind, plural, singular: kind.toLowerCase(), shortNames, group, version, namespaced, verbs };
}

/** Ordered as `kubectl api-resources` prints them (core group first, then by group). */
export const RESOURCES: ResourceInfo[] = [
  r('ConfigMap', 'configmaps', ['cm'], '', 'v1', true),
  r('Endpoints', 'endpoints', ['ep'], '', 'v1', true),
  r('Event', 'events', ['ev'], '', 'v1', true),
  r('Namespace', 'namespaces', ['ns'], '', 'v1', false, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
  r('Node', 'nodes', ['no'], '', 'v1', false),
  r('Pod', 'pods', ['po'], '', 'v1', true),
  r('Secret', 'secrets', [], '', 'v1', true),
  r('Service', 'services', ['svc'], '', 'v1', true, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']),
  r('DaemonSet', 'daemonsets', ['ds'], 'apps', 'v1', true),
  r('Deployment', 'deployments', ['deploy'], 'apps', 'v1', true),
  r('ReplicaSet', 'replicasets', ['rs'], 'apps', 'v1', true),
  r('StatefulSet', 'statefulsets', ['sts'], 'apps', 'v1', true),
  r('EndpointSlice', 'endpointslices', [], 'discovery.k8s.io', 'v1', true),
  r('IngressClass', 'ingressclasses', [], 'networking.k8s.io', 'v1', false),
  r('Ingress', 'ingresses', ['ing'], 'networking.k8s.io', 'v1', true),
  r('NetworkPolicy', 'networkpolicies', ['netpol'], 'networking.k8s.io', 'v1', true),
  // Istio's CRDs (manifests/charts/base/files/crd-all.gen.yaml, 1.24): served as v1
  r('DestinationRule', 'destinationrules', ['dr'], 'networking.istio.io', 'v1', true),
  r('VirtualService', 'virtualservices', ['vs'], 'networking.istio.io', 'v1', true),
  r('PeerAuthentication', 'peerauthentications', ['pa'], 'security.istio.io', 'v1', true),
];

const byName = new Map<string, ResourceInfo>();
for (const info of RESOURCES) {
  for (const n of [info.kind.toLowerCase(), info.plural, info.singular, ...info.shortNames]) {
    byName.set(n, info);
    if (info.group) byName.set(`${n}.${info.group}`, info);
  }
  byName.set(info.kind, info);
}

/** Looks up a kind or anything a learner may type for it: `svc`, `Service`, `deployments.apps`. */
export function resourceFor(name: string): ResourceInfo | undefined {
  return byName.get(name) ?? byName.get(name.toLowerCase());
}

export function apiVersionOf(info: ResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}
