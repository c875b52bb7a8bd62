/**
 * What a CNI plugin is to the simulation: everything that differs between Calico,
 * flannel, Cilium, Weave Net and the AWS VPC CNI. The root of this room (netns.ts,
 * module.ts, index.ts) builds namespaces, allocates interface indexes and answers the
 * other rooms; it asks the configured plugin (registry.ts) whenever the answer depends on
 * which plugin wired the node. Each plugin lives in plugins/<name>/.
 */
import type { Cluster } from '../../cluster/cluster';
import type { ClusterSettings, CniName, KubeObject, Manifest } from '../../cluster/types';
import type { NodeNetfilter } from '../../dataplane/netfilter/tables';
import type { IpSet } from '../../dataplane/ipvs/ipset';
import type { TraceHop } from '../../types';
import type { NetLink, NetNeighbor, NetRoute } from './model';
import type { NodeInfo } from './topology';

export interface CniPlugin {
  /** The name a scenario gives it (`cluster.cni`). */
  readonly name: CniName;
  /** How traces name the plugin ("Calico on node-1"). */
  readonly displayName: string;

  // ---- configuration, read where the real install keeps it

  /** The objects the plugin's configuration is read from; a change to one re-derives every node's devices. */
  readonly configSources: readonly { kind: string; name: string }[];
  /** This plugin's part of the `cniOptions` summary (flannel's backend, Calico's encapsulation and MTU). */
  options?(cluster: Cluster): Partial<CniOptions>;

  // ---- the node

  /** The node's eth0 MTU (1500 on a docker network, 9001 on a VPC with jumbo frames). */
  readonly nodeMtu: number;
  /** Devices the plugin creates on a node before any pod, in creation order (after lo, eth0, kube-ipvs0). */
  bootDevices(cluster: Cluster): string[];
  /** The Linux bridge pods' host veths are enslaved to (flannel's cni0, Weave's weave); created with the first pod unless a boot device. */
  readonly bridge?: string;
  /** The plugin's own links, routes and neighbours on a node (the root adds lo, eth0, kube-ipvs0 and the pods' veths). */
  nodeNetwork(node: NodeWiring): NodeNetwork;

  // ---- a pod's sandbox and its veth pair

  /** The host-side name of a pod's veth (Calico cali…, flannel veth…, Cilium lxc…). */
  hostVethName(pod: KubeObject): string;
  /** One MAC on every host-side veth (Calico's ee:ee:ee:ee:ee:ee); without it each veth gets its own. */
  readonly hostVethMac?: string;
  /** Each pod is reached by a /32 host route to its veth (Calico, AWS) rather than through a bridge or eBPF. */
  readonly hostRoutePerPod: boolean;
  /** The MTU pods get by default: the wire MTU minus the plugin's encapsulation overhead. */
  readonly defaultPodMtu: number;
  /** The MTU pods get under the plugin's actual configuration. */
  podMtu(cluster: Cluster): number;
  /** eth0's ifindex inside the pod. */
  podEth0Index(cluster: Cluster): number;
  /** Links in the pod's netns besides lo and eth0 (tunl0@NONE where the ipip module is loaded). */
  sandboxLinks?(cluster: Cluster): NetLink[];
  /**
   * The pods' default gateway: the first address of the node's pod CIDR, which the node holds
   * (cni0, cilium_host, weave), or the link-local 169.254.1.1 no device holds (the host veth
   * answers ARP for it: Calico, AWS).
   */
  readonly podGateway: 'first-address' | 'link-local';
  /** eth0's prefix length and the routes inside the pod. */
  podRoutes(cluster: Cluster, node: NodeInfo, podIP: string, gateway: string): { prefix: number; routes: NetRoute[] };
  /**
   * Dual-stack: eth0's IPv6 prefix length and the pod's IPv6 routes, given its IPv6 address
   * and the node's IPv6 gateway for pods. Only plugins that wire IPv6 define it; the
   * scenario loader refuses a dual-stack cluster with any other.
   */
  podRoutes6?(cluster: Cluster, node: NodeInfo, podIP: string, gateway: string): { prefix: number; routes: NetRoute[] };

  // ---- across nodes

  /** How a pod packet crosses from one node to another (encapsulation, device, overhead, hops); `dst`, when known, is the address it is for. */
  crossNode(cluster: Cluster, from: NodeInfo, to: NodeInfo, podMtu: number, dst?: string): CrossNodePath;
  /** Dual-stack: how an IPv6 pod packet crosses (Flannel's flannel-v6.1); only plugins whose IPv6 packets the walk carries define it. */
  crossNode6?(cluster: Cluster, from: NodeInfo, to: NodeInfo, podMtu: number): CrossNodePath;
  /** The VXLAN forwarding entries `bridge fdb` shows on a node (flanneld's flannel.1 VTEPs). */
  vxlanFdb?(node: string, nodes: NodeInfo[]): VxlanFdbEntry[];
  /** CustomResourceDefinitions the plugin registers (Cilium's operator: ciliumnetworkpolicies.cilium.io). */
  crds?(): Manifest[];
  /**
   * The plugin's own IPAM, when it has one in service (calico-ipam's blocks): `{ ip }` with the
   * Pod's address (undefined when the pool is used up). Without it the kubelet's sandbox gets
   * host-local's address from the node's spec.podCIDR.
   */
  allocatePodIP?(cluster: Cluster, pod: KubeObject): { ip: string | undefined } | undefined;
  /** Conditions the plugin's agent sets on its Node at start (calico-node: NetworkUnavailable False, CalicoIsUp). */
  nodeConditions?(at: string): Record<string, string>[];
  /** Annotations the plugin's agent writes on its Node (flanneld: backend-data with the VTEP MAC, public-ip). */
  nodeAnnotations?(cluster: Cluster, node: { name: string; ip: string; ipv6?: string }): Record<string, string>;

  // ---- NetworkPolicy

  /** Whether NetworkPolicy is enforced at all (never by flannel; by the AWS CNI only with its policy agent on). */
  enforcesNetworkPolicy(cluster?: Cluster): boolean;
  /** Whether an ipBlock peer matches cluster pods' addresses too (Cilium matches only the world outside). */
  readonly ipBlockMatchesPods: boolean;
  /**
   * The node's iptables chain in which the agent enforces a local pod's egress policy, by the
   * pod's host-side veth (Felix: cali-fw-<veth>, reached from filter FORWARD and INPUT through
   * cali-from-wl-dispatch). Plugins without one leave egress to the walk, after the translation.
   */
  workloadEgressChain?(hostVeth: string): string;
  /** The chain in which the agent enforces a local pod's ingress policy (Felix: cali-tw-<veth>). */
  workloadIngressChain?(hostVeth: string): string;
  /** The chain that dispatches a packet leaving by a local pod's veth to that chain (Felix: cali-to-wl-dispatch). */
  readonly workloadIngressDispatch?: string;
  /** The NetworkPolicy a policy chain renders (Felix's cali-pi-/cali-po-), to name it in traces. */
  policyOfChain?(cluster: Cluster, chain: string): { namespace: string; name: string } | undefined;

  // ---- what the plugin leaves on a node

  /** Files by path: /etc/cni/net.d/*, /run/flannel/subnet.env. */
  configFiles(cluster: Cluster, node: NodeInfo): Record<string, string>;
  /** The node agent's own iptables chains and its jumps from the built-in ones (Felix, flanneld, weave-npc, cilium-agent, aws-node). */
  nodeChains(cluster: Cluster, nf: NodeNetfilter, node: ChainNode): void;
  /** The agent's chains in a dual-stack node's IPv6 tables (ip6tables), `node` carrying the node's IPv6 address and Pod range. */
  nodeChains6?(cluster: Cluster, nf: NodeNetfilter, node: ChainNode): void;
  /** Per-workload chains, rebuilt as pods come and go (Felix's cali-fw-/cali-tw-); `endpoints` lists the node's pods on demand. */
  workloadChains?(nf: NodeNetfilter, endpoints: () => WorkloadEndpoint[], cluster?: Cluster): void;
  /** The agent's IP sets on a node (Felix's cali40*), in creation order: `ipset list` and `-m set` read them. */
  ipsets?(cluster: Cluster, node: string): IpSet[];

  // ---- the system layer (kube-system)

  /** A namespace of its own the install creates (kube-flannel), with the cluster's namespaces. */
  readonly namespace?: { name: string; labels: Record<string, string> };
  /** The plugin's DaemonSet and Deployments, in creation order. */
  systemWorkloads(settings: ClusterSettings): CniWorkload[];
}

/**
 * The legacy summary of how the plugin is configured beyond its name: flannel's backend
 * (kube-flannel-cfg net-conf.json `Backend.Type`), Calico's encapsulation and MTU
 * (calico-node's CALICO_IPV4POOL_IPIP|VXLAN and FELIX_*MTU). Without them: flannel vxlan,
 * Calico IPIP — the manifests' defaults.
 */
export interface CniOptions {
  flannelBackend: 'vxlan' | 'host-gw';
  calicoEncap: 'ipip' | 'vxlan' | 'none';
  calicoMtu?: number;
}

/** What a plugin sees when it wires a node. */
export interface NodeWiring {
  cluster: Cluster;
  node: NodeInfo;
  nodes: NodeInfo[];
  /** The ifindex the kernel gave a device on this node (undefined if not created yet). */
  device(name: string): number | undefined;
  podMtu: number;
  /** Whether any pod's veth is on the node (a bridge without ports has NO-CARRIER). */
  hasPods: boolean;
}

export interface NodeNetwork {
  links: NetLink[];
  routes: NetRoute[];
  neighbors: NetNeighbor[];
  /** Dual-stack: the plugin's IPv6 routes (routes to the other nodes' IPv6 Pod ranges). */
  routes6?: NetRoute[];
}

export type CrossNodeMode = 'local' | 'vxlan' | 'ipip' | 'bgp' | 'host-gw' | 'geneve' | 'vpc' | 'fastdp';

export interface CrossNodePath {
  mode: CrossNodeMode;
  /** The device the packet leaves the source node by (flannel.1, tunl0, cilium_vxlan, vxlan-6784, eth0). */
  device: string;
  /** The path MTU pods see (inner packet). */
  mtu: number;
  /** Bytes of encapsulation added per packet. */
  overhead: number;
  /** Routers that decrement the inner packet's TTL (each node's forwarding step). */
  routers: number;
  hops: TraceHop[];
}

/** The node as the agents' chains need it (kube-proxy passes its own node records). */
export type ChainNode = Pick<NodeInfo, 'name' | 'ip' | 'podCIDR'>;

export interface VxlanFdbEntry {
  mac: string;
  dst: string;
  dev: string;
}

/** A pod on this node as the plugin's agent sees it (Felix's WorkloadEndpoint). */
export interface WorkloadEndpoint {
  namespace: string;
  hostVeth: string;
  /** The pod's labels (which policies select it). */
  labels?: Record<string, string>;
  /** spec.serviceAccountName (Calico's second profile, ksa.<ns>.<sa>). */
  serviceAccount?: string;
}

/** A kube-system workload of the plugin; the system layer adds the usual scheduling fields. */
export interface CniWorkload {
  kind: 'DaemonSet' | 'Deployment';
  namespace: string;
  name: string;
  labels: Record<string, string>;
  containers: Record<string, unknown>[];
  /** Pod spec fields beyond the system layer's defaults (serviceAccountName, hostNetwork). */
  podSpec?: Record<string, unknown>;
}

/** The hop on the wire between two nodes, as every cross-node path shows it. */
export function wireHop(from: NodeInfo, to: NodeInfo, what: string): TraceHop {
  return { where: `${from.name} eth0 → ${to.name} eth0`, what, verdict: 'pass' };
}
