/**
 * The shapes that cross the network rooms: the CNI and DNS (controllers/cni, controllers/dns),
 * kube-proxy's netfilter/IPVS (controllers/kube-proxy, dataplane/netfilter) and the packet's
 * walk (dataplane/walk.ts). Types only: each room implements its side.
 */
import type { ProxyMode } from '../cluster/types';
import type { HostRef, TraceHop } from '../types';
import type { L7Policy } from './cilium/policy';

export type Protocol = 'tcp' | 'udp' | 'icmp' | 'sctp';

export interface Packet {
  src: string;
  dst: string;
  proto: Protocol;
  sport: number;
  dport: number;
}

/** Where a packet enters a node's netfilter: from a local pod (via its veth), from the host itself, or from the wire. */
export type PacketOrigin = 'pod' | 'host' | 'external';

/**
 * What kube-proxy's rules (iptables or IPVS) did to a packet on one node — produced by
 * executing that node's *current* rules (manual `iptables -D` included).
 */
export interface NatDecision {
  packet: Packet;
  /** Rewritten destination, if a DNAT/IPVS real server was chosen. */
  dnatTo?: { ip: string; port: number };
  /** The rules marked it for masquerade (SNAT to the outgoing interface address). */
  masquerade: boolean;
  /** The address it was masqueraded to: the outgoing interface's primary address (`ip route get` on the node). */
  masqueradeTo?: string;
  /** The source port the masquerade gave the connection when it drew one (`--random-fully`). */
  masqueradePort?: number;
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  /** e.g. `icmp-port-unreachable` for a Service without endpoints. */
  rejectWith?: string;
  via: ProxyMode;
  hops: TraceHop[];
  /**
   * The source pod's egress NetworkPolicy, when the node's chains reached the point where the
   * CNI agent enforces it (Calico: cali-fw-<veth>, from filter FORWARD or INPUT) — in hook
   * order, so a policy drop there comes before kube-proxy's filter rules. Unset: the walk
   * decides egress itself after the translation.
   */
  egress?: { allowed: boolean; reason: string };
}

/** One DNS question the resolver sent, in order (to show what ndots:5 costs). */
export interface DnsQuery {
  name: string;
  type: string;
  server: string;
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'TIMEOUT';
  answers: DnsRecord[];
}

export interface DnsRecord {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME' | 'SRV' | 'PTR' | 'NS' | 'SOA' | 'TXT' | 'MX';
  ttl: number;
  /** A/AAAA: address; CNAME/PTR/NS: target name; SRV: "prio weight port target"; MX: "pref exchange"; SOA: its fields. */
  data: string;
}

export interface Resolution {
  /** The name that finally answered (after search-list expansion), if any. */
  name?: string;
  addresses: string[];
  /** A dual-stack name's IPv6 addresses (the AAAA answers getaddrinfo got beside the A answers). */
  addresses6?: string[];
  cname?: string;
  queries: DnsQuery[];
  rcode: DnsQuery['rcode'];
}

/** Where a packet ends up after its walk. */
export interface WalkResult {
  outcome: 'delivered' | 'refused' | 'timeout' | 'unreachable' | 'nxdomain';
  /** The final endpoint that accepted (pod/node/ingress) when delivered. */
  server?: { host: HostRef | { kind: 'external'; ip: string }; ip: string; port: number };
  /** Source address the server saw (after any SNAT). */
  seenSource?: string;
  /** Network hops crossed (for TTL and latency), and the MTU of the narrowest link. */
  hopCount: number;
  mtu: number;
  hops: TraceHop[];
  /** Why it failed, in learner terms (used by grading hints). */
  reason?: string;
  /** One-way latency of the path in milliseconds (ping's time= is twice this). Added by the traffic room. */
  latencyMs?: number;
  /** How many routers decremented the TTL on the way (TTL seen = 64 - routers). Added by the traffic room. */
  routers?: number;
  /** The client's source port (MASQUERADE keeps it), as the server saw it. Added by the traffic room. */
  sourcePort?: number;
  /** What the walk decided on the way, for observers that report it as the CNI's agent would (Hubble: flows.ts). */
  facts?: WalkFacts;
  /** Cilium: the connection passes the node's L7 proxy, which enforces these HTTP rules on each request (egress first). */
  l7?: L7Policy[];
  /** A REJECT rule answered instead of the destination: the ICMP it sent (`icmp-port-unreachable`, …) or `tcp-reset`. */
  rejectedWith?: string;
}

/** The decisions of one walk that a node agent's datapath would see (dataplane/flows.ts turns them into Hubble flows). */
export interface WalkFacts {
  /** The packet as it left its source, before any NAT. */
  packet: Packet;
  /** The node whose rules met it first (the source pod's or node's, or the one a NodePort/load balancer reached). */
  entryNode?: string;
  /** Where kube-proxy's DNAT sent it. */
  translated?: { ip: string; port: number };
  /** The source address after MASQUERADE. */
  masqueradedTo?: string;
  /** The source port after that masquerade, when `--random-fully` drew a new one. */
  masqueradedPort?: number;
  /** Each NetworkPolicy decision an enforcing plugin took, in order. */
  policy: { direction: 'ingress' | 'egress'; node: string; allowed: boolean; match?: PolicyMatch }[];
}

/** Which part of a rule allowed a connection (Cilium's policy-verdict match type). */
export type PolicyMatch = 'L3-Only' | 'L3-L4' | 'L4-Only' | 'all';
