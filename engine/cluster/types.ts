/**
 * Object shapes. We keep Kubernetes' own field names (see the kubernetes-types package)
 * but store objects as plain JSON so snapshots are a structured clone away.
 */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
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

/** Any stored object. Kind-specific code narrows `spec`/`status` with its own types. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

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
export const PROXY_MODES = ['iptables', 'ipvs'] as const;
export type ProxyMode = (typeof PROXY_MODES)[number];

export interface NodeSettings {
  name: string;
  ip: string;
  podCIDR?: string;
  role?: 'control-plane' | 'worker';
  labels?: Record<string, string>;
}

/** The `cluster:` block of a scenario, with defaults filled in. */
export interface ClusterSettings {
  name: string;
  cni: CniName;
  proxyMode: ProxyMode;
  /** kube-proxy's IPVS scheduler (rr, lc, sh, …) when proxyMode is ipvs. */
  ipvsScheduler: string;
  clusterDomain: string;
  podCIDR: string;
  serviceCIDR: string;
  nodes: NodeSettings[];
  /** Addresses a simulated cloud hands to LoadBalancer Services; empty leaves them <pending>. */
  loadBalancerPool: string[];
  kubernetesVersion: string;
  /** Include kube-system (kubernetes Service, CoreDNS, kube-proxy, CNI pods). */
  systemLayer: boolean;
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
  kubernetesVersion: 'v1.31.2',
  systemLayer: true,
};

/**
 * The upstream shapes (kubernetes-types, generated from the OpenAPI spec), for code that
 * builds or reads a specific kind and wants the compiler to check field names.
 */
export type PodSpec = import('kubernetes-types/core/v1').PodSpec;
export type PodStatus = import('kubernetes-types/core/v1').PodStatus;
export type ContainerStatus = import('kubernetes-types/core/v1').ContainerStatus;
export type ServiceSpec = import('kubernetes-types/core/v1').ServiceSpec;
export type EndpointSubset = import('kubernetes-types/core/v1').EndpointSubset;
export type EndpointAddress = import('kubernetes-types/core/v1').EndpointAddress;
export type NodeStatus = import('kubernetes-types/core/v1').NodeStatus;
export type SliceEndpoint = import('kubernetes-types/discovery/v1').Endpoint;
export type SlicePort = import('kubernetes-types/discovery/v1').EndpointPort;
export type DeploymentStatus = import('kubernetes-types/apps/v1').DeploymentStatus;
export type ReplicaSetStatus = import('kubernetes-types/apps/v1').ReplicaSetStatus;
export type DaemonSetStatus = import('kubernetes-types/apps/v1').DaemonSetStatus;
export type StatefulSetStatus = import('kubernetes-types/apps/v1').StatefulSetStatus;
