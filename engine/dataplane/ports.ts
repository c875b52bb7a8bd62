/**
 * What the packet walk needs from the node agents above it. The walk only *executes*
 * state those agents derive — the resolver's answers, kube-proxy's rules, the CNI's
 * routes and tunnels — so it names that state here as small interfaces, and the
 * composition root (engine/simulation.ts) plugs in CoreDNS, kube-proxy and the CNI plugin.
 */
import type { Cluster } from '../cluster/cluster';
import type { VirtualFS } from '../hosts/vfs';
import type { HostRef, PacketTrace, TraceHop } from '../types';
import type { NatDecision, Packet, PacketOrigin, Resolution, WalkResult } from './packet';
import type { PodInfo } from './topology';
import type { Listener } from './apps';
import type { NetRoute } from './netns';
import type { PolicyVerdict } from './policy';

export interface ResolveOptions {
  /** Query type; A by default. */
  type?: string;
  /** A literal resolv.conf search list / ndots override (curl --resolve bypasses all of it). */
  [k: string]: unknown;
}

/** A host's stub resolver (resolv.conf, /etc/hosts) asking the cluster's DNS. */
export interface Resolver {
  resolve(from: HostRef, name: string, opts?: ResolveOptions): Resolution;
}

/** A node's Service NAT: kube-proxy's current rules (iptables or IPVS) run for one packet. */
/** One of kube-proxy's service health servers (pkg/proxy/healthcheck/service_health.go). */
export interface ServiceHealthServer {
  port: number;
  namespace: string;
  name: string;
  /** LocalReadyEndpoints: the node's ready endpoints, summed over the Service's ports. */
  localEndpoints: number;
}

export interface ServiceProxy {
  translate(node: string, packet: Packet, origin: PacketOrigin): NatDecision;
  /**
   * NetworkPolicy at a local pod's veth decided by the CNI agent's chains on that node
   * (Calico: cali-tw-<veth> for the destination's ingress, cali-fw-<veth> for the source's
   * egress, and the cali-pi-/cali-po- chains they jump to). Undefined when the agent has no
   * such chains: the walk evaluates the policies (policy.ts).
   */
  workloadPolicy?(node: string, packet: Packet, direction: 'ingress' | 'egress'): { verdict?: PolicyVerdict; hops: TraceHop[] } | undefined;
  /** kube-proxy's service health servers on a node (one per healthCheckNodePort); none without kube-proxy. */
  healthServers?(node: string): ServiceHealthServer[];
  /** A connection translated upstream arriving at `node` for one of its Pods: that node's conntrack lists it too. */
  arrived?(node: string, packet: Packet): void;
  /** The nodes' conntrack tables (and IPVS's connections and counters), so a dry run (a grading check) can put them back. */
  saveConntrack(): unknown;
  restoreConntrack(saved: unknown): void;
}

export interface CrossNodePath {
  hops: TraceHop[];
  /** How the plugin crosses (controllers/cni CrossNodeMode): an overlay (vxlan, ipip, geneve, fastdp) or routed (bgp, host-gw, vpc). */
  mode?: string;
  mtu: number;
  /** Routers that decrement the TTL on the way (the two nodes' routing, any underlay hop). */
  routers: number;
}

/** The pod network as the CNI plugin wired it. */
export interface PodNetwork {
  /** The plugin's name as traces show it ("Calico", "Flannel", "aws-vpc-cni"). */
  readonly displayName: string;
  /** Pods on a node hang off a bridge (Flannel's cni0, Weave's weave) rather than routed veths. */
  readonly bridged: boolean;
  /** Does a NetworkPolicy ipBlock match pod addresses? (Cilium: no — pods are matched by identity.) */
  readonly ipBlockMatchesPods: boolean;
  /** `family` 6: an IPv6 packet's way across (Flannel's flannel-v6.1); IPv4 by default. `dst`: the address the packet is for (which of the far node's routes it takes). */
  crossNodePath(fromNode: string, toNode: string, family?: 4 | 6, dst?: string): CrossNodePath;
  /** Does the plugin enforce NetworkPolicy? (Flannel alone does not.) */
  enforcesPolicy(): boolean;
  /** Does the node's routing table drop this address on a blackhole route (Calico's per-block route)? */
  blackholed(node: string, ip: string): boolean;
  /** The node's main-table route for `ip` (`ip route get` on the node): the longest prefix that holds it. */
  route(node: string, ip: string): NetRoute | undefined;
  /** The node that holds a pod-network address on one of its own devices (flannel.1, cni0, tunl0, vxlan.calico, cilium_host), from the CNI's node namespaces. */
  nodeHolding(ip: string): string | undefined;
}

/** Where servers write their access logs (`kubectl logs`). */
export interface LogSink {
  append(namespace: string, pod: string, container: string, line: string): void;
}

/** Hears every walk (what `hubble observe` lists); a dry run (a grading check) pauses it. */
export interface FlowObserver {
  observe(from: HostRef | { kind: 'external'; ip: string }, res: WalkResult): void;
  /** A name a host's resolver looked up before connecting (Cilium's DNS proxy reports each question and answer). */
  lookup?(from: HostRef, res: Resolution): void;
  pause(): void;
  resume(): void;
}

/**
 * Sockets a proxy opens from configuration it receives at run time rather than from its
 * image (Envoy's listeners, sent by Envoy Gateway over xDS).
 */
export interface ProxyListeners {
  listeners(pod: PodInfo): Listener[];
}

/** A cluster with its network, as the packet walk sees it. */
export interface NetCluster extends Cluster {
  /** Every host's filesystem (resolv.conf, /etc/hosts, what a learner edited). */
  readonly fs: VirtualFS;
  readonly resolver: Resolver;
  readonly serviceProxy: ServiceProxy;
  readonly podNetwork: PodNetwork;
  readonly logs: LogSink;
  /** The CNI agent's flow observer (Hubble, on Cilium): told of every walk, dry runs put it back. */
  readonly flows?: FlowObserver;
  readonly proxyListeners?: ProxyListeners;
  /**
   * A proxy the Pod's own nat rules hand inbound TCP to (an Istio sidecar: istio-init's
   * REDIRECT to :15006): it accepts the connection whether or not the app listens on the port.
   */
  readonly podInbound?: { capture(pod: PodInfo, port: number): { container: string; what: string } | undefined };
  /** The nodes' kubelet processes (`systemctl stop kubelet`): a stopped one listens on neither 10250 nor 10248. */
  readonly kubelet?: { running(node: string): boolean };
  /** Keeps a walk for the UI's packet-trace view. */
  recordTrace(trace: Omit<PacketTrace, 'id'>): PacketTrace;
  /** The API server's GET handler for an authorized request (the REST paths kubectl get --raw reads); the walk authenticates and authorizes first. */
  readonly apiGet?: (path: string, prettyClient: boolean) => { status: number; contentType: string; body: string };
}
