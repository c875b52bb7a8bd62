/**
 * Object shapes. We keep Kubernetes' own field names and shapes (the kubernetes-types
 * package, generated from the OpenAPI spec; type imports only, it is a dev dependency)
 * but store objects as plain JSON so snapshots are a structured clone away.
 */
import type * as core from 'kubernetes-types/core/v1';
import type * as apps from 'kubernetes-types/apps/v1';
import type * as discovery from 'kubernetes-types/discovery/v1';
import type * as networking from 'kubernetes-types/networking/v1';
import type * as meta from 'kubernetes-types/meta/v1';
import type * as rbac from 'kubernetes-types/rbac/v1';
import { KUBERNETES_VERSION } from './release';

// ---- decoded JSON of unknown shape (jsonpath, serialisers, patches, learners' manifests) ----
// Walked as `unknown`, narrowed with these guards.

/** A non-array object, its fields not yet known (a decoded JSON object, a manifest, a stored object). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Array.isArray without its `any[]`: the elements are still to be checked. */
export function isArray(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

/** `v?.[key]` on a value of unknown type: JavaScript's property read (primitives box, as `"ab".length` does). */
export function member(v: unknown, key: string): unknown {
  if (v === null || v === undefined) return undefined;
  const boxed: Record<string, unknown> = Object(v);
  return boxed[key];
}

/** metav1.ObjectMeta as stored: the server-set fields (uid, resourceVersion, creationTimestamp) are always there. */
export interface ObjectMeta extends meta.ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [extra: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** What every stored object has. */
export interface ObjectHeader {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

/** KubeObject's default type argument: no kind-specific shape given (a brand no real spec has). */
interface Untyped {
  readonly __noTypeArguments: never;
}

/** A stored object whose spec and status are typed and which declares nothing else. */
export interface SpecObject<Spec, Status> extends ObjectHeader {
  spec?: Spec;
  status?: Status;
}

/**
 * A stored object of any kind, every field unchecked: what `KubeObject` without type
 * arguments means. It stays loose because the rooms that handle any kind (the API
 * server, validation, the dataplane, kube-proxy, CNI, DNS) read spec, status and
 * kind-specific fields (data, subsets, endpoints, …) through it; they narrow to the named
 * kinds below as they get typed. Every named kind is assignable to it.
 */
export interface LooseObject extends ObjectHeader {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

/**
 * A stored object. `KubeObject<PodSpec, PodStatus>` types spec and status (a kind with no
 * status passes `never`, the default); plain `KubeObject` is the loose shape (LooseObject).
 * Code that knows the kind uses the named kinds (Pod, Service, …), which KindStore's
 * get/list/iterate (cluster/store.ts) return for a literal kind.
 */
export type KubeObject<Spec = Untyped, Status = never> = [Spec] extends [Untyped] ? LooseObject : SpecObject<Spec, Status>;

/** A manifest as a user wrote it: metadata may lack server-set fields. */
export interface Manifest {
  apiVersion?: string;
  kind?: string;
  metadata?: Partial<ObjectMeta> & Record<string, unknown>;
  [field: string]: unknown;
}

/** The CNI plugins a scenario may name; engine/controllers/cni/registry.ts maps each to its plugin. */
export const CNI_NAMES = ['calico', 'flannel', 'cilium', 'weave', 'aws-vpc-cni'] as const;
export type CniName = (typeof CNI_NAMES)[number];
/** kube-proxy's modes; each is a folder in controllers/kube-proxy and a line in its modes.ts. */
export const PROXY_MODES = ['iptables', 'ipvs', 'nftables'] as const;
export type ProxyMode = (typeof PROXY_MODES)[number];

/** v1.LabelTopologyZone: the well-known label a node's zone is read from (EndpointSlice zones, topology hints). */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

export interface NodeSettings {
  name: string;
  ip: string;
  /** Its IPv6 InternalIP in a dual-stack cluster (the kubelet's second --node-ip). */
  ipv6?: string;
  podCIDR?: string;
  role?: 'control-plane' | 'worker';
  labels?: Record<string, string>;
  /** The kubelet's maxPods (--max-pods): status.capacity/allocatable pods; 110 when absent, the kubelet's default. */
  maxPods?: number;
}

/** The `cluster:` block of a scenario, with defaults filled in. */
export interface ClusterSettings {
  name: string;
  cni: CniName;
  proxyMode: ProxyMode;
  /** kube-proxy's IPVS scheduler (rr, lc, sh, …) when proxyMode is ipvs. */
  ipvsScheduler: string;
  /**
   * Cilium's kube-proxy replacement (cni: cilium only): no kube-proxy DaemonSet and no
   * KUBE-* rules; cilium-agent answers Services from its eBPF load-balancing maps.
   */
  kubeProxyReplacement?: boolean;
  clusterDomain: string;
  /** The IPv4 Pod range (kube-controller-manager's --cluster-cidr; the first of a dual-stack pair). */
  podCIDR: string;
  serviceCIDR: string;
  /**
   * A dual-stack cluster's IPv6 ranges: the second entries of `podCIDR: [v4, v6]` and
   * `serviceCIDR: [v4, v6]` in a scenario (kubeadm's comma-separated --pod-network-cidr and
   * --service-cluster-ip-range). Both set or neither; IPv4 is the primary family.
   */
  podCIDRv6?: string;
  serviceCIDRv6?: string;
  nodes: NodeSettings[];
  /** Addresses a simulated cloud hands to LoadBalancer Services; empty leaves them <pending>. */
  loadBalancerPool: string[];
  kubernetesVersion: string;
  /** Include kube-system (kubernetes Service, CoreDNS, kube-proxy, CNI pods). */
  systemLayer: boolean;
  /**
   * How many objects (Events aside) the simulated etcd holds before it answers as a real
   * one past --quota-backend-bytes; DEFAULT_OBJECT_QUOTA (cluster/api.ts) when absent.
   */
  objectQuota?: number;
}

export const DEFAULT_SETTINGS: ClusterSettings = {
  name: 'netlab',
  cni: 'calico',
  proxyMode: 'iptables',
  ipvsScheduler: 'rr',
  clusterDomain: 'cluster.local',
  podCIDR: '10.244.0.0/16',
  serviceCIDR: '10.96.0.0/12',
  nodes: [
    { name: 'control-plane', ip: '192.168.49.2', role: 'control-plane' },
    { name: 'node-1', ip: '192.168.49.3', role: 'worker' },
    { name: 'node-2', ip: '192.168.49.4', role: 'worker' },
  ],
  loadBalancerPool: ['203.0.113.10/29'],
  kubernetesVersion: KUBERNETES_VERSION,
  systemLayer: true,
};

// ---- kinds --------------------------------------------------------------------------------
//
// The upstream shapes with our ObjectMeta, a literal kind, and spec required where the API
// server always stores one (defaulting creates it). Where the JSON the API server writes
// differs from the generated types (Go's zero time and nil slices serialise as null) the
// field is widened to say so.

/** Go's zero metav1.Time serialises as null (`lastProbeTime: null`). */
type NullableTime = string | null;

export type PodSpec = core.PodSpec;
export type Container = core.Container;
export type ContainerStatus = core.ContainerStatus;
export type ContainerState = core.ContainerState;
export type Probe = core.Probe;
export type Toleration = core.Toleration;
export type Taint = core.Taint;
export type PodTemplateSpec = core.PodTemplateSpec;
export type NodeSelectorTerm = core.NodeSelectorTerm;
export type PodIP = core.PodIP;
export type EnvVar = core.EnvVar;
export type EnvVarSource = core.EnvVarSource;
export type Volume = core.Volume;
export type ResourceRequirements = core.ResourceRequirements;
/** util/intstr.IntOrString as JSON carries it. */
export type IntOrString = number | string;
export type NodeSelectorRequirement = core.NodeSelectorRequirement;
export type LabelSelector = meta.LabelSelector;
export type ObjectReference = core.ObjectReference;

/** observedGeneration (v1.33+, PodObservedGenerationTracking) came after kubernetes-types 1.30. */
export interface PodCondition extends Omit<core.PodCondition, 'lastProbeTime'> {
  lastProbeTime?: NullableTime;
  observedGeneration?: number;
}

export interface PodStatus extends Omit<core.PodStatus, 'conditions'> {
  conditions?: PodCondition[];
  observedGeneration?: number;
}

export interface Pod extends KubeObject<PodSpec, PodStatus> {
  kind: 'Pod';
  spec: PodSpec;
}

export type ServiceSpec = core.ServiceSpec;
export type ServicePort = core.ServicePort;
export type ServiceStatus = core.ServiceStatus;
export interface Service extends KubeObject<ServiceSpec, ServiceStatus> {
  kind: 'Service';
  spec: ServiceSpec;
}

export type NodeSpec = core.NodeSpec;
export type NodeStatus = core.NodeStatus;
export type NodeSystemInfo = core.NodeSystemInfo;
export interface Node extends KubeObject<NodeSpec, NodeStatus> {
  kind: 'Node';
}

export type NamespaceSpec = core.NamespaceSpec;
export type NamespaceStatus = core.NamespaceStatus;
export interface Namespace extends KubeObject<NamespaceSpec, NamespaceStatus> {
  kind: 'Namespace';
}

export type EndpointSubset = core.EndpointSubset;
export type EndpointAddress = core.EndpointAddress;
export type EndpointPort = core.EndpointPort;
export interface Endpoints extends ObjectHeader, Pick<core.Endpoints, 'subsets'> {
  kind: 'Endpoints';
}

/** discovery/v1 EndpointHints as v1.34 serves it: forNodes (PreferSameNode) came after kubernetes-types 1.30. */
export interface EndpointHints extends discovery.EndpointHints {
  forNodes?: { name: string }[];
}
export interface SliceEndpoint extends Omit<discovery.Endpoint, 'hints'> {
  hints?: EndpointHints;
}
export type SlicePort = discovery.EndpointPort;
export interface EndpointSlice extends ObjectHeader, Pick<discovery.EndpointSlice, 'addressType' | 'ports'> {
  kind: 'EndpointSlice';
  /** null when the Service has nothing to route to (a nil slice). */
  endpoints: SliceEndpoint[] | null;
}

export interface ConfigMap extends ObjectHeader, Pick<core.ConfigMap, 'data' | 'binaryData' | 'immutable'> {
  kind: 'ConfigMap';
}

export interface Secret extends ObjectHeader, Pick<core.Secret, 'data' | 'stringData' | 'type' | 'immutable'> {
  kind: 'Secret';
}

export interface ServiceAccount extends ObjectHeader, Pick<core.ServiceAccount, 'secrets' | 'imagePullSecrets' | 'automountServiceAccountToken'> {
  kind: 'ServiceAccount';
}

export interface Event extends ObjectHeader, Omit<core.Event, 'apiVersion' | 'kind' | 'metadata' | 'eventTime'> {
  kind: 'Event';
  eventTime?: NullableTime;
}

export type DeploymentSpec = apps.DeploymentSpec;
export type DeploymentStatus = apps.DeploymentStatus;
export type DeploymentCondition = apps.DeploymentCondition;
export interface Deployment extends KubeObject<DeploymentSpec, DeploymentStatus> {
  kind: 'Deployment';
  spec: DeploymentSpec;
}

export type ReplicaSetSpec = apps.ReplicaSetSpec;
export type ReplicaSetStatus = apps.ReplicaSetStatus;
export interface ReplicaSet extends KubeObject<ReplicaSetSpec, ReplicaSetStatus> {
  kind: 'ReplicaSet';
  /** Optional upstream, but the API server requires a template (validateTemplate), so a stored one has it. */
  spec: ReplicaSetSpec & Required<Pick<ReplicaSetSpec, 'template'>>;
}

export type StatefulSetSpec = apps.StatefulSetSpec;
export type StatefulSetStatus = apps.StatefulSetStatus;
export interface StatefulSet extends KubeObject<StatefulSetSpec, StatefulSetStatus> {
  kind: 'StatefulSet';
  spec: StatefulSetSpec;
}

export type DaemonSetSpec = apps.DaemonSetSpec;
export type DaemonSetStatus = apps.DaemonSetStatus;
export interface DaemonSet extends KubeObject<DaemonSetSpec, DaemonSetStatus> {
  kind: 'DaemonSet';
  spec: DaemonSetSpec;
}

export type IngressSpec = networking.IngressSpec;
export type IngressRule = networking.IngressRule;
export type IngressBackend = networking.IngressBackend;
export type IngressStatus = networking.IngressStatus;
export interface Ingress extends KubeObject<IngressSpec, IngressStatus> {
  kind: 'Ingress';
  spec: IngressSpec;
}

export type IngressClassSpec = networking.IngressClassSpec;
export interface IngressClass extends KubeObject<IngressClassSpec> {
  kind: 'IngressClass';
}

export type NetworkPolicySpec = networking.NetworkPolicySpec;
export type NetworkPolicyPeer = networking.NetworkPolicyPeer;
export type NetworkPolicyPort = networking.NetworkPolicyPort;
export interface NetworkPolicy extends KubeObject<NetworkPolicySpec> {
  kind: 'NetworkPolicy';
  spec: NetworkPolicySpec;
}

export type PolicyRule = rbac.PolicyRule;
export type Subject = rbac.Subject;
export type RoleRef = rbac.RoleRef;
export interface Role extends ObjectHeader, Pick<rbac.Role, 'rules'> {
  kind: 'Role';
}
export interface ClusterRole extends ObjectHeader, Pick<rbac.ClusterRole, 'rules' | 'aggregationRule'> {
  kind: 'ClusterRole';
}
export interface RoleBinding extends ObjectHeader, Pick<rbac.RoleBinding, 'subjects'> {
  kind: 'RoleBinding';
  roleRef: RoleRef;
}
export interface ClusterRoleBinding extends ObjectHeader, Pick<rbac.ClusterRoleBinding, 'subjects'> {
  kind: 'ClusterRoleBinding';
  roleRef: RoleRef;
}

/** The kinds the API server serves (cluster/resources.ts), by name. */
export interface KindMap {
  Pod: Pod;
  Service: Service;
  Node: Node;
  Namespace: Namespace;
  Endpoints: Endpoints;
  EndpointSlice: EndpointSlice;
  ConfigMap: ConfigMap;
  Secret: Secret;
  ServiceAccount: ServiceAccount;
  Event: Event;
  Deployment: Deployment;
  ReplicaSet: ReplicaSet;
  StatefulSet: StatefulSet;
  DaemonSet: DaemonSet;
  Ingress: Ingress;
  IngressClass: IngressClass;
  NetworkPolicy: NetworkPolicy;
  Role: Role;
  ClusterRole: ClusterRole;
  RoleBinding: RoleBinding;
  ClusterRoleBinding: ClusterRoleBinding;
}

export type Kind = keyof KindMap;

/** Narrows a stored object by its kind. */
export function isKind<K extends Kind>(obj: KubeObject, kind: K): obj is KindMap[K] {
  return obj.kind === kind;
}

/** The kinds that run pods from a template (spec.template). */
export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';
export type Workload = KindMap[WorkloadKind];

export function isWorkload(obj: KubeObject): obj is Workload {
  return obj.kind === 'Deployment' || obj.kind === 'ReplicaSet' || obj.kind === 'StatefulSet' || obj.kind === 'DaemonSet';
}

/** The object as its kind's type, for what the API server returns from a typed request; another kind is a bug. */
export function expectKind<K extends Kind>(obj: KubeObject, kind: K): KindMap[K] {
  if (!isKind(obj, kind)) throw new Error(`expected a ${kind}, got a ${obj.kind}`);
  return obj;
}
