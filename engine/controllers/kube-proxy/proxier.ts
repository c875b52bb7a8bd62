/**
 * The contract between the kube-proxy module (./kube-proxy.ts: watches, change tracking,
 * nodes, the sync period) and one proxy mode's proxier (./iptables/proxier.ts,
 * ./ipvs/proxier.ts, ./nftables/proxier.ts). Like pkg/proxy's Provider, a proxier turns the tracked Services and
 * endpoints into a node's dataplane in syncProxyRules(); unlike it, it also executes that
 * dataplane for one packet (translate), since the simulator has no kernel to do so.
 */
import type { Cluster } from '../../cluster/cluster';
import type { ProxyMode } from '../../cluster/types';
import type { NatDecision, Packet, PacketOrigin } from '../../dataplane/packet';
import type { PacketState } from '../../dataplane/netfilter/execute';
import type { NodeNetfilter } from '../../dataplane/netfilter/tables';
import type { ServiceView, ServiceViews } from './changetracker';
import type { SourceWorkload, WalkHost } from './walk';

export interface NodeInfo {
  name: string;
  ip: string;
  podCIDR: string;
  index: number;
  /** The Node's labels (topology.kubernetes.io/zone decides which topology hints apply here). */
  labels: Readonly<Record<string, string>>;
}

/** What one sync has to do, as the module worked it out from the change tracker and the sync period. */
export interface SyncRequest {
  /** A full sync (the first one, a node change, every syncPeriod): rewrite everything, put back what was deleted by hand. */
  full: boolean;
  /**
   * Services (`namespace/name`) to re-derive: those whose ports or endpoints changed since
   * the last sync, plus, on a full sync or when the node list changed, every Service whose
   * rules differ from node to node. A Service that is gone has no view any more.
   */
  changed: readonly string[];
}

/** The node side of the module, which every mode shares: node list, tables, addresses, the packet environment. */
export interface ProxierHost extends WalkHost {
  /** The nodes as of the last sync, in node order. */
  readonly nodeInfo: readonly NodeInfo[];
  /** The netfilter tables of the nodes looked at so far; the others are written when first looked at. */
  readonly nodes: ReadonlyMap<string, NodeNetfilter>;
  /** The node's own IPv4 addresses (eth0, cni0, tunnels…), without addresses a proxier binds. */
  nodeAddresses(node: string): Set<number>;
}

/** What a proxier is built from (see the registry, ./modes.ts). */
export interface ProxierDeps {
  /** Settings (podCIDR, ipvsScheduler), the clock, the seeded RNG. */
  cluster: Cluster;
  /** The Services and endpoints as the change tracker last applied them. */
  services: ServiceViews;
  host: ProxierHost;
}

/** One proxy mode. */
export interface Proxier {
  readonly mode: ProxyMode;
  /**
   * kube-proxy writes its iptables canary chains (KUBE-PROXY-CANARY, ipt.Monitor): the
   * iptables and IPVS modes; the nftables mode writes no iptables rules at all.
   */
  readonly iptablesCanary: boolean;
  /**
   * syncProxyRules: brings the rules of every node that has tables up to date with the
   * Services in `sync.changed` (all of them when `sync.full`).
   */
  syncProxyRules(sync: SyncRequest): void;
  /** A node's tables are looked at for the first time: write what a full sync would have (`nf` is fresh). */
  materializeNode(nf: NodeNetfilter, info: NodeInfo): void;
  /**
   * One packet entering the node (from a local pod, the host itself, or the wire) through its
   * *current* rules; `wl` is the local pod it comes from when the CNI agent's chains enforce its egress.
   */
  translate(node: string, nf: NodeNetfilter, pkt: Packet, origin: PacketOrigin, wl?: SourceWorkload): NatDecision;
  /** The virtual clock is at `now` (ms): expire timed state (IPVS connections…). */
  tick(now: number): void;
  /** The mode's own state beyond the node's netfilter tables (JSON), or undefined if it has none. */
  snapshot(): unknown;
  /** Puts back what snapshot() returned, after the first sync of a restored simulation. */
  restore(data: unknown): void;

  // ---- what only some modes have ------------------------------------------------------
  /** Views the tracker derived ahead of a sync (ServiceViews' prepare): rules that do not depend on the node may be generated now. */
  prepare?(views: readonly ServiceView[]): void;
  /** addrtype LOCAL for addresses the proxier binds on the node (IPVS: the VIPs on kube-ipvs0). */
  hasLocalAddress?(ip: number): boolean;
  /** `-m set --match-set` for the netfilter executor; undefined if there is no such set. */
  ipsetMatch?(node: string, set: string, pkt: PacketState, flags: string[]): boolean | undefined;
  /** The node's own addresses changed (cni0 comes up with its first pod): IPVS moves its NodePort virtual servers. */
  nodeAddressesChanged?(node: string): void;
  /** What a packet changes beyond conntrack (IPVS: connections, scheduler positions, counters), for a dry run to put back. */
  saveTraffic?(): unknown;
  restoreTraffic?(saved: unknown): void;
}

/** How the registry (./modes.ts) builds a mode's proxier. */
export type ProxierFactory = (deps: ProxierDeps) => Proxier;
