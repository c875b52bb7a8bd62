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
  /**
   * A custom resource: served only while its CustomResourceDefinition (this name) is in
   * the store, as the apiextensions server adds it to discovery when the CRD is created.
   */
  crd?: string;
  /** Other versions the CRD serves besides `version` (Istio's v1beta1 and v1alpha3). */
  alsoServed?: string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(kind: string, plural: string, shortNames: string[], group: string, version: string, namespaced: boolean, verbs = ALL_VERBS): ResourceInfo {
  return { kind, plural, singular: kind.toLowerCase(), shortNames, group, version, namespaced, verbs };
}

/** A kind a CustomResourceDefinition adds (named `plural.group`). */
function custom(kind: string, plural: string, shortNames: string[], group: string, version: string, alsoServed: string[]): ResourceInfo {
  return { ...r(kind, plural, shortNames, group, version, true), crd: `${plural}.${group}`, alsoServed };
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
  // discovery lists apiextensions.k8s.io after apps (and the groups this cluster does not serve)
  r('CustomResourceDefinition', 'customresourcedefinitions', ['crd', 'crds'], 'apiextensions.k8s.io', 'v1', false),
  r('EndpointSlice', 'endpointslices', [], 'discovery.k8s.io', 'v1', true),
  r('IngressClass', 'ingressclasses', [], 'networking.k8s.io', 'v1', false),
  r('Ingress', 'ingresses', ['ing'], 'networking.k8s.io', 'v1', true),
  r('NetworkPolicy', 'networkpolicies', ['netpol'], 'networking.k8s.io', 'v1', true),
  // Istio's CRDs (manifests/charts/base/files/crd-all.gen.yaml, 1.24): storage version v1, v1beta1 and v1alpha3 still served
  custom('DestinationRule', 'destinationrules', ['dr'], 'networking.istio.io', 'v1', ['v1alpha3', 'v1beta1']),
  custom('VirtualService', 'virtualservices', ['vs'], 'networking.istio.io', 'v1', ['v1alpha3', 'v1beta1']),
  custom('PeerAuthentication', 'peerauthentications', ['pa'], 'security.istio.io', 'v1', ['v1beta1']),
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

/** Is this kind served now? Built-in kinds always; a custom resource once its CRD exists. */
export function served(info: ResourceInfo, store: { get(kind: string, namespace: string | undefined, name: string): unknown }): boolean {
  return !info.crd || !!store.get('CustomResourceDefinition', undefined, info.crd);
}

/** Does the kind serve this apiVersion (`networking.istio.io/v1beta1`)? */
export function servesVersion(info: ResourceInfo, apiVersion: string): boolean {
  if (apiVersion === apiVersionOf(info)) return true;
  return !!info.alsoServed?.some((v) => `${info.group}/${v}` === apiVersion);
}

export function apiVersionOf(info: ResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}
