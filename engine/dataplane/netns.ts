/**
 * The shapes of a network namespace as `ip` sees it: links (with addresses), routes,
 * neighbours. The CNI plugin derives one per node and one per pod sandbox
 * (controllers/cni); the `ip`, `bridge` and `ss` printers render them; the walk reads them.
 */
export type LinkKind = 'loopback' | 'device' | 'veth' | 'vxlan' | 'bridge' | 'ipip' | 'dummy' | 'openvswitch';

export interface NetAddr {
  family: 'inet' | 'inet6';
  local: string;
  prefix: number;
  brd?: string;
  scope: 'global' | 'host' | 'link';
  /** Extra flags iproute2 prints after the scope (`noprefixroute`). */
  flags?: string[];
}

export interface NetLink {
  ifindex: number;
  name: string;
  /** What follows `@`: `ifN` (peer in another netns), `NONE` (tunnel without lower device), or a peer's name. */
  peer?: string;
  /** IFF_* flags in iproute2's order, e.g. BROADCAST,MULTICAST,UP,LOWER_UP. */
  flags: string[];
  mtu: number;
  qdisc: string;
  master?: string;
  state: 'UP' | 'DOWN' | 'UNKNOWN';
  /** txqueuelen; iproute2 prints `qlen N` only when non-zero. */
  qlen: number;
  linkType: 'loopback' | 'ether' | 'ipip';
  mac: string;
  brd: string;
  /** For a veth whose peer lives in another netns: that netns' id as seen from here. */
  linkNetnsid?: number;
  kind: LinkKind;
  vxlan?: { id: number; local: string; dev: string; dstport: number; learning: boolean };
  addrs: NetAddr[];
}

export interface NetRoute {
  type?: 'blackhole';
  /** `default`, a CIDR, or a host address. */
  dst: string;
  via?: string;
  dev?: string;
  proto?: string;
  scope?: string;
  src?: string;
  metric?: number;
  onlink?: boolean;
  mtu?: number;
}

export interface NetNeighbor {
  ip: string;
  dev: string;
  lladdr?: string;
  router?: boolean;
  state: 'REACHABLE' | 'STALE' | 'PERMANENT' | 'DELAY' | 'FAILED';
}

/** A MAC a Linux bridge learned on one of its ports (the source address of frames that came in there). */
export interface LearnedMac {
  mac: string;
  /** The bridge port the frames came in on (a pod's host veth). */
  dev: string;
}

export interface NetNamespace {
  /** `node/node-1` or `pod/default/web-0` */
  id: string;
  links: NetLink[];
  routes: NetRoute[];
  neighbors: NetNeighbor[];
  /** What the namespace's bridges learned: each pod's eth0 MAC on its host veth. */
  learned?: LearnedMac[];
}

export const ETHER_BRD = 'ff:ff:ff:ff:ff:ff';
export const UP_FLAGS = ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'];
