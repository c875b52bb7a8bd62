
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
   * A custom resource: the CustomResourceDefinition that makes the API server serve it
   * (`gateways.gateway.networking.k8s.io`). Until that CRD exists the kind is unknown.
   */
  crd?: string;
  /** Further versions the API serves besides `version` (the preferred one): a CRD's older served versions. */
  alsoServed?: string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(kind: string, plural: string, shortNames: string[], group: string, version: string, namespaced: boolean, verbs = ALL_VERBS): ResourceInfo {
  return { kind, plural, singular: kind.toLowerCase(), shortNames, group, version, namespaced, verbs };
}

/** A kind served once its CRD is installed (the Gateway API's, from the gateway-api bundle Envoy Gateway's chart ships). */
function cr(kind: string, plural: string, shortNames: string[], group: string, version: string, namespaced: boolean, alsoServed: string[] = []): ResourceInfo {
  return { ...r(kind, plural, shortNames, group, version, namespaced), crd: `${plural}.${group}`, alsoServed };
}

/** Ordered as `kubectl api-resources` prints them (core group first, then by group). */
export const RESOURCES: ResourceInfo[] = [
  // computed by the API server on each request (commands/kubectl/componentstatus.ts); nothing stored
  r('ComponentStatus', 'componentstatuses', ['cs'], '', 'v1', false, ['get', 'list']),
  r('ConfigMap', 'configmaps', ['cm'], '', 'v1', true),
  r('Endpoints', 'endpoints', ['ep'], '', 'v1', true),
  r('Event', 'events', ['ev'], '', 'v1', true),
  r('Namespace', 'namespaces', ['ns'], '', 'v1', false, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
  r('Node', 'nodes', ['no'], '', 'v1', false),
  r('Pod', 'pods', ['po'], '', 'v1', true),
  r('Secret', 'secrets', [], '', 'v1', true),
  r('ServiceAccount', 'serviceaccounts', ['sa'], '', 'v1', true),
  r('Service', 'services', ['svc'], '', 'v1', true, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']),
  r('CustomResourceDefinition', 'customresourcedefinitions', ['crd', 'crds'], 'apiextensions.k8s.io', 'v1', false),
  r('DaemonSet', 'daemonsets', ['ds'], 'apps', 'v1', true),
  r('Deployment', 'deployments', ['deploy'], 'apps', 'v1', true),
  r('ReplicaSet', 'replicasets', ['rs'], 'apps', 'v1', true),
  r('StatefulSet', 'statefulsets', ['sts'], 'apps', 'v1', true),
  r('Lease', 'leases', [], 'coordination.k8s.io', 'v1', true),
  r('EndpointSlice', 'endpointslices', [], 'discovery.k8s.io', 'v1', true),
  cr('GatewayClass', 'gatewayclasses', ['gc'], 'gateway.networking.k8s.io', 'v1', false, ['v1beta1']),
  cr('Gateway', 'gateways', ['gtw'], 'gateway.networking.k8s.io', 'v1', true, ['v1beta1']),
  cr('GRPCRoute', 'grpcroutes', [], 'gateway.networking.k8s.io', 'v1', true),
  cr('HTTPRoute', 'httproutes', [], 'gateway.networking.k8s.io', 'v1', true, ['v1beta1']),
  cr('ReferenceGrant', 'referencegrants', ['refgrant'], 'gateway.networking.k8s.io', 'v1', true, ['v1beta1']),
  r('IngressClass', 'ingressclasses', [], 'networking.k8s.io', 'v1', false),
  r('Ingress', 'ingresses', ['ing'], 'networking.k8s.io', 'v1', true),
  r('NetworkPolicy', 'networkpolicies', ['netpol'], 'networking.k8s.io', 'v1', true),
  r('ClusterRoleBinding', 'clusterrolebindings', [], 'rbac.authorization.k8s.io', 'v1', false),
  r('ClusterRole', 'clusterroles', [], 'rbac.authorization.k8s.io', 'v1', false),
  r('RoleBinding', 'rolebindings', [], 'rbac.authorization.k8s.io', 'v1', true),
  r('Role', 'roles', [], 'rbac.authorization.k8s.io', 'v1', true),
  // Cilium's CRD (pkg/k8s/apis/cilium.io/client/crds/v2/ciliumnetworkpolicies.yaml), registered by the cilium operator
  cr('CiliumNetworkPolicy', 'ciliumnetworkpolicies', ['cnp', 'ciliumnp'], 'cilium.io', 'v2', true),
  // Calico's IPAM CRDs and HostEndpoint (libcalico-go/config/crd/crd.projectcalico.org_*.yaml), installed by calico.yaml
  cr('BlockAffinity', 'blockaffinities', [], 'crd.projectcalico.org', 'v1', false),
  cr('HostEndpoint', 'hostendpoints', [], 'crd.projectcalico.org', 'v1', false),
  cr('IPAMBlock', 'ipamblocks', [], 'crd.projectcalico.org', 'v1', false),
  cr('IPPool', 'ippools', [], 'crd.projectcalico.org', 'v1', false),
  // Istio's CRDs (manifests/charts/base/files/crd-all.gen.yaml, 1.24): storage version v1, v1beta1 and v1alpha3 still served
  cr('DestinationRule', 'destinationrules', ['dr'], 'networking.istio.io', 'v1', true, ['v1alpha3', 'v1beta1']),
  cr('VirtualService', 'virtualservices', ['vs'], 'networking.istio.io', 'v1', true, ['v1alpha3', 'v1beta1']),
  cr('PeerAuthentication', 'peerauthentications', ['pa'], 'security.istio.io', 'v1', true, ['v1beta1']),
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

/** Is the kind served now: built in, or a custom resource whose CRD exists? */
export function isServed(info: ResourceInfo, store: { get(kind: string, namespace: string | undefined, name: string): unknown }): boolean {
  return !info.crd || store.get('CustomResourceDefinition', undefined, info.crd) !== undefined;
}

/** Does the API serve the kind at this apiVersion (`gateway.networking.k8s.io/v1beta1`)? */
export function servesApiVersion(info: ResourceInfo, apiVersion: unknown): boolean {
  return [info.version, ...(info.alsoServed ?? [])].some((v) => (info.group ? `${info.group}/${v}` : v) === apiVersion);
}
