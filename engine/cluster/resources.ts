
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
  /** A CRD's storage version when it is not the preferred one (Istio 1.24's CRDs store v1beta1 while serving v1). */
  storageVersion?: string;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(kind: string, plural: string, shortNames: string[], group: string, version: string, namespaced: boolean, verbs = ALL_VERBS): ResourceInfo {
  return { kind, plural, singular: kind.toLowerCase(), shortNames, group, version, namespaced, verbs };
}

/** A kind served once its CRD is installed (the Gateway API's, from the gateway-api bundle Envoy Gateway's chart ships). */
function cr(kind: string, plural: string, shortNames: string[], group: string, version: string, namespaced: boolean, alsoServed: string[] = [], storageVersion?: string): ResourceInfo {
  return { ...r(kind, plural, shortNames, group, version, namespaced), crd: `${plural}.${group}`, alsoServed, ...(storageVersion ? { storageVersion } : {}) };
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
  // Cilium's CRDs (pkg/k8s/apis/cilium.io/client/crds/{v2,v2alpha1}/*.yaml at the v1.18 branch
  // point), the ones cilium-operator registers with the chart's defaults (pkg/k8s/synced/crd.go)
  cr('CiliumCIDRGroup', 'ciliumcidrgroups', ['ccg'], 'cilium.io', 'v2', false, ['v2alpha1']),
  cr('CiliumClusterwideNetworkPolicy', 'ciliumclusterwidenetworkpolicies', ['ccnp'], 'cilium.io', 'v2', false),
  cr('CiliumEndpoint', 'ciliumendpoints', ['cep', 'ciliumep'], 'cilium.io', 'v2', true),
  cr('CiliumIdentity', 'ciliumidentities', ['ciliumid'], 'cilium.io', 'v2', false),
  cr('CiliumL2AnnouncementPolicy', 'ciliuml2announcementpolicies', ['l2announcement'], 'cilium.io', 'v2alpha1', false),
  // its short names `ippools`, `ippool` are Calico's IPPool's plural and singular here (resolved first; see byName)
  cr('CiliumLoadBalancerIPPool', 'ciliumloadbalancerippools', ['ippools', 'ippool', 'lbippool', 'lbippools'], 'cilium.io', 'v2', false, ['v2alpha1']),
  cr('CiliumNetworkPolicy', 'ciliumnetworkpolicies', ['cnp', 'ciliumnp'], 'cilium.io', 'v2', true),
  cr('CiliumNodeConfig', 'ciliumnodeconfigs', [], 'cilium.io', 'v2', true, ['v2alpha1']),
  cr('CiliumNode', 'ciliumnodes', ['cn', 'ciliumn'], 'cilium.io', 'v2', false),
  cr('CiliumPodIPPool', 'ciliumpodippools', ['cpip'], 'cilium.io', 'v2alpha1', false),
  // Calico's CRDs (libcalico-go/config/crd/crd.projectcalico.org_*.yaml), all eighteen calico.yaml
  // v3.28.2 installs but networkpolicies.crd.projectcalico.org (see NOT_SIMULATED)
  cr('BGPConfiguration', 'bgpconfigurations', [], 'crd.projectcalico.org', 'v1', false),
  cr('BGPFilter', 'bgpfilters', [], 'crd.projectcalico.org', 'v1', false),
  cr('BGPPeer', 'bgppeers', [], 'crd.projectcalico.org', 'v1', false),
  cr('BlockAffinity', 'blockaffinities', [], 'crd.projectcalico.org', 'v1', false),
  cr('CalicoNodeStatus', 'caliconodestatuses', [], 'crd.projectcalico.org', 'v1', false),
  cr('ClusterInformation', 'clusterinformations', [], 'crd.projectcalico.org', 'v1', false),
  cr('FelixConfiguration', 'felixconfigurations', [], 'crd.projectcalico.org', 'v1', false),
  cr('GlobalNetworkPolicy', 'globalnetworkpolicies', [], 'crd.projectcalico.org', 'v1', false),
  cr('GlobalNetworkSet', 'globalnetworksets', [], 'crd.projectcalico.org', 'v1', false),
  cr('HostEndpoint', 'hostendpoints', [], 'crd.projectcalico.org', 'v1', false),
  cr('IPAMBlock', 'ipamblocks', [], 'crd.projectcalico.org', 'v1', false),
  cr('IPAMConfig', 'ipamconfigs', [], 'crd.projectcalico.org', 'v1', false),
  cr('IPAMHandle', 'ipamhandles', [], 'crd.projectcalico.org', 'v1', false),
  cr('IPPool', 'ippools', [], 'crd.projectcalico.org', 'v1', false),
  cr('IPReservation', 'ipreservations', [], 'crd.projectcalico.org', 'v1', false),
  cr('KubeControllersConfiguration', 'kubecontrollersconfigurations', [], 'crd.projectcalico.org', 'v1', false),
  cr('NetworkSet', 'networksets', [], 'crd.projectcalico.org', 'v1', true),
  // Istio's CRDs (manifests/charts/base/files/crd-all.gen.yaml at 1.24.2): v1 preferred (the
  // highest served version), v1beta1 the storage version, v1alpha3 still served. The chart's
  // fourteenth, gateways.networking.istio.io, is installed (controllers/istio/install.ts) but
  // not served here: this API keys objects by kind, and Gateway is the Gateway API's kind.
  cr('WasmPlugin', 'wasmplugins', [], 'extensions.istio.io', 'v1alpha1', true),
  cr('DestinationRule', 'destinationrules', ['dr'], 'networking.istio.io', 'v1', true, ['v1alpha3', 'v1beta1'], 'v1beta1'),
  cr('EnvoyFilter', 'envoyfilters', [], 'networking.istio.io', 'v1alpha3', true),
  cr('ProxyConfig', 'proxyconfigs', [], 'networking.istio.io', 'v1beta1', true),
  cr('ServiceEntry', 'serviceentries', ['se'], 'networking.istio.io', 'v1', true, ['v1alpha3', 'v1beta1'], 'v1beta1'),
  cr('Sidecar', 'sidecars', [], 'networking.istio.io', 'v1', true, ['v1alpha3', 'v1beta1'], 'v1beta1'),
  cr('VirtualService', 'virtualservices', ['vs'], 'networking.istio.io', 'v1', true, ['v1alpha3', 'v1beta1'], 'v1beta1'),
  cr('WorkloadEntry', 'workloadentries', ['we'], 'networking.istio.io', 'v1', true, ['v1alpha3', 'v1beta1'], 'v1beta1'),
  cr('WorkloadGroup', 'workloadgroups', ['wg'], 'networking.istio.io', 'v1', true, ['v1alpha3', 'v1beta1'], 'v1beta1'),
  cr('AuthorizationPolicy', 'authorizationpolicies', ['ap'], 'security.istio.io', 'v1', true, ['v1beta1'], 'v1beta1'),
  cr('PeerAuthentication', 'peerauthentications', ['pa'], 'security.istio.io', 'v1', true, ['v1beta1'], 'v1beta1'),
  cr('RequestAuthentication', 'requestauthentications', ['ra'], 'security.istio.io', 'v1', true, ['v1beta1'], 'v1beta1'),
  cr('Telemetry', 'telemetries', ['telemetry'], 'telemetry.istio.io', 'v1', true, ['v1alpha1'], 'v1alpha1'),
];

const byName = new Map<string, ResourceInfo>();
for (const info of RESOURCES) {
  for (const n of [info.kind.toLowerCase(), info.plural, info.singular, ...info.shortNames]) {
    // a short name never shadows another kind's name (CiliumLoadBalancerIPPool's `ippools` is Calico's plural)
    if (!info.shortNames.includes(n) || !byName.has(n)) byName.set(n, info);
    if (info.group) byName.set(`${n}.${info.group}`, info);
  }
  byName.set(info.kind, info);
}
// the names first: a later kind's plural wins over an earlier kind's short name
for (const info of RESOURCES) for (const n of [info.kind.toLowerCase(), info.plural, info.singular]) byName.set(n, info);

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

/**
 * Kinds whose CRD an installer creates but this API does not serve (the store keys objects by
 * kind, and Gateway is already the Gateway API's). While the CRD exists, kubectl says so
 * plainly instead of "no matches for kind" / "doesn't have a resource type".
 */
const NOT_SIMULATED = [
  { crd: 'gateways.networking.istio.io', group: 'networking.istio.io', kind: 'Gateway', product: "Istio's", names: ['gw', 'gateways.networking.istio.io', 'gateway.networking.istio.io'] },
  // calico.yaml's crd.projectcalico.org NetworkPolicy: NetworkPolicy is networking.k8s.io's kind here
  { crd: 'networkpolicies.crd.projectcalico.org', group: 'crd.projectcalico.org', kind: 'NetworkPolicy', product: "Calico's", names: ['networkpolicies.crd.projectcalico.org', 'networkpolicy.crd.projectcalico.org'] },
];

/** The honest message for a typed name or a manifest's apiVersion/kind of a kind installed but not simulated. */
export function notSimulated(store: { get(kind: string, namespace: string | undefined, name: string): unknown }, q: { name?: string; apiVersion?: unknown; kind?: unknown }): string | undefined {
  const hit = NOT_SIMULATED.find((n) => (q.name !== undefined && n.names.includes(q.name.toLowerCase())) || (q.kind === n.kind && typeof q.apiVersion === 'string' && q.apiVersion.startsWith(`${n.group}/`)));
  if (!hit || !store.get('CustomResourceDefinition', undefined, hit.crd)) return undefined;
  return `error: netlab: ${hit.crd} is installed, but ${hit.product} ${hit.kind} is not simulated here`;
}
