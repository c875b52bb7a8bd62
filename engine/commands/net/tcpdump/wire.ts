/**
 * The packets on the wire: what one walk (dataplane/walk.ts) puts on each interface it
 * crosses, as a packet capture on that interface would see them.
 *
 * The walk decides the path (its facts: the packet as it left, the entry node, the DNAT, the
 * masquerade, the policy decisions, the outcome); this file lays that path onto the network
 * namespaces the CNI derived (controllers/cni: links, routes, neighbours), so an interface's
 * name, index and MAC are the ones `ip link` prints and the out device is the one `ip route
 * get` names:
 *
 *   source pod eth0 (Out) → its host veth on the node (In; a bridge CNI's cni0 too) → the
 *   route to the translated destination: the destination's host veth (Out) on the same node,
 *   or the tunnel (tunl0 IPIP, flannel.1/vxlan.calico VXLAN) and eth0 with the outer header,
 *   eth0 alone for direct routing → on the other node eth0 (In), the tunnel (In), the host
 *   veth (Out) → the destination pod's eth0 (In). Replies take the way back.
 *
 * NAT as the capture sees it: a packet captured arriving on the entry node (In) is before
 * PREROUTING's DNAT, one captured leaving (Out) is after POSTROUTING's SNAT (af_packet taps
 * in __netif_receive_skb and dev_queue_xmit, outside netfilter). Everything beyond the entry
 * node sees the translated addresses; replies are un-NATed on the way out of the entry node.
 *
 * Sequence numbers, IP ids, TCP timestamps and the VXLAN source port are hashes of the
 * connection and the clock (as the kernel's secure ISN is a keyed hash): capturing never
 * draws from cluster.rng, so a capture changes nothing else the learner sees.
 */
import type { ClusterRuntime } from '../../../controllers/runtime';
import type { HostRef } from '../../../types';
import type { DnsQuery, DnsRecord, Protocol, WalkResult } from '../../../dataplane/packet';
import { corednsAnswer } from '../../../controllers/dns';
import { dnsBytes } from './bytes';
import { findPod, nodeByIp, nodeByName, nodeForPodCidr, podByIp, type PodInfo } from '../../../dataplane/topology';
import { lookupRoute, localSource, type NetLink, type NetNamespace } from '../../../dataplane/netns';
import { hostFlavour } from '../../../hosts/hosts';
import { cniPlugin, findNode, hostNamespace, nodeNamespace, podInterface, podNamespace } from '../../../controllers/cni';
import { fnv32a } from '../../../cluster/hash';
import { identityOf, podSecurityLabels } from '../../../dataplane/flows';
import { isLoopback } from '../../../cluster/ipv4';

export const TH_FIN = 0x01;
export const TH_SYN = 0x02;
export const TH_RST = 0x04;
export const TH_PUSH = 0x08;
export const TH_ACK = 0x10;

export interface TcpSeg {
  kind: 'tcp';
  sport: number;
  dport: number;
  flags: number;
  seq: number;
  ack: number;
  win: number;
  /** The option list as tcpdump prints it (`mss 1410,sackOK,TS val … ecr 0,nop,wscale 7`). */
  options: string;
  /** Option bytes (to compute the header length). */
  optLen: number;
  /** Payload bytes. */
  len: number;
  /** The payload's first line, for the HTTP printer (undefined: not text). */
  firstLine?: string;
  /** The TS option's values (what `options` prints as `TS val … ecr …`). */
  ts?: [number, number];
  /** A SYN's MSS option (`mss N`); a SYN also carries sackOK and the window scale. */
  mss?: number;
  /** A SYN's window scale (Linux: 7 for the default buffers). */
  wscale?: number;
  /** The payload itself, one character a byte (latin1), when the tool that sent it said what it was. */
  payload?: string;
  /** DNS over TCP (RFC 1035 §4.2.2): the message after the payload's two-byte length prefix. */
  dns?: DnsWire;
}

export interface UdpDgram {
  kind: 'udp';
  sport: number;
  dport: number;
  /** Payload bytes. */
  len: number;
  dns?: DnsWire;
}

export interface DnsWire {
  id: number;
  response: boolean;
  qname: string;
  qtype: string;
  rcode: DnsQuery['rcode'];
  aa: boolean;
  ra: boolean;
  answers: { type: string; data: string; name?: string; ttl?: number }[];
  nscount: number;
  /** Additional records (an EDNS OPT). */
  arcount: number;
  /** The authority section (a negative answer's SOA), as the server wrote it. */
  authority?: { name: string; type: string; ttl: number; data: string }[];
  /** The sender sets AD in its query (dig's default `+adflag`). */
  ad?: boolean;
}

export interface IcmpMsg {
  kind: 'icmp';
  type: number;
  code: number;
  id?: number;
  seq?: number;
  /** ICMP bytes (header included), what tcpdump prints as `length`. */
  len: number;
  /** For an error: the quoted packet's destination, protocol and destination port. */
  quoted?: { dst: string; proto: Protocol; dport: number };
  /** For an error: the packet it quotes, whole (what the sender's icmp_send copied). */
  quotedPacket?: IpPacket;
  /** An echo's data after the id and sequence, one character a byte (latin1). */
  data?: string;
}

export interface IpPacket {
  src: string;
  dst: string;
  ttl: number;
  id: number;
  l4: TcpSeg | UdpDgram | IcmpMsg;
}

/** An outer header: IPIP (tunl0's packets on eth0) or VXLAN (flannel.1's, vxlan.calico's). */
export interface Encap {
  kind: 'ipip' | 'vxlan';
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  vni?: number;
  innerSrcMac?: string;
  innerDstMac?: string;
}

/** One packet as seen on one interface of one network namespace. */
export interface WireEvent {
  /** Microseconds since the epoch (virtual clock). */
  us: number;
  /** `node/node-1` or `pod/<ns>/<name>` (hostNetwork pods capture in their node's). */
  netns: string;
  iface: string;
  ifindex: number;
  dir: 'In' | 'Out';
  link: 'ether' | 'raw';
  srcMac: string;
  dstMac: string;
  ip: IpPacket;
  encap?: Encap;
}

/** The IP packet's total length. */
export function ipLength(p: IpPacket): number {
  const l4 = p.l4;
  // an IPv6 header is 40 bytes (no options), an IPv4 one 20
  const h = p.dst.includes(':') ? 40 : 20;
  if (l4.kind === 'tcp') return h + 20 + l4.optLen + l4.len;
  if (l4.kind === 'udp') return h + 8 + l4.len;
  return h + l4.len;
}

/** What the frame carries on its link: the inner packet plus any outer header. */
export function frameIpLength(e: WireEvent): number {
  const inner = ipLength(e.ip);
  if (!e.encap) return inner;
  if (e.encap.kind === 'ipip') return inner + 20;
  return inner + 14 + 8 + 8 + (e.encap.dst.includes(':') ? 40 : 20); // inner Ethernet, VXLAN, UDP, outer IP (IPv6: flannel-v6.1)
}

// ---- where a packet passes --------------------------------------------------------------

interface Point {
  netns: string;
  link: NetLink;
  dir: 'In' | 'Out';
  srcMac: string;
  dstMac: string;
  encap?: Encap;
  /** The raw tunnel device (tunl0) carries no link-level header. */
  raw?: boolean;
}

function linkOf(ns: NetNamespace | undefined, name: string | undefined): NetLink | undefined {
  return name ? ns?.links.find((l) => l.name === name) : undefined;
}

function neighMac(ns: NetNamespace | undefined, ip: string | undefined, dev?: string): string | undefined {
  if (!ns || !ip) return undefined;
  return ns.neighbors.find((n) => n.ip === ip && (!dev || n.dev === dev))?.lladdr;
}

function nsId(p: PodInfo): string {
  return p.hostNetwork ? `node/${p.node}` : `pod/${p.namespace}/${p.name}`;
}

/** A stable 32-bit number from a text (the ISN, the IP id, the TS clock's offset). */
function h32(text: string): number {
  return fnv32a(text) >>> 0;
}

interface PathCtx {
  cluster: ClusterRuntime;
  points: Point[];
}

/** The pod's eth0 and its host side: the veth the CNI named for it (and the bridge it is enslaved to). */
function podEnds(cluster: ClusterRuntime, p: PodInfo): { ns: NetNamespace; eth0: NetLink; node: NetNamespace; veth: NetLink; bridge?: NetLink } | undefined {
  const ns = podNamespace(cluster, p.obj);
  const node = nodeNamespace(cluster, p.node);
  const eth0 = linkOf(ns, 'eth0');
  if (!ns || !node || !eth0) return undefined;
  let iface;
  try {
    iface = podInterface(cluster, p.obj);
  } catch {
    iface = undefined;
  }
  const veth = linkOf(node, iface?.hostVeth);
  if (!veth) return undefined;
  const bridge = linkOf(node, veth.master ?? iface?.bridge);
  return { ns, eth0, node, veth, bridge: bridge?.kind === 'bridge' ? bridge : undefined };
}

/** Leaving a pod: its eth0 (Out), then its host veth (In) and a bridge (In). */
function leavePod(c: PathCtx, p: PodInfo): void {
  const e = podEnds(c.cluster, p);
  if (!e) return;
  const gw = e.ns.routes.find((r) => r.dst === 'default')?.via;
  const dstMac = neighMac(e.ns, gw, 'eth0') ?? (e.bridge?.mac ?? e.veth.mac);
  c.points.push({ netns: nsId(p), link: e.eth0, dir: 'Out', srcMac: e.eth0.mac, dstMac });
  c.points.push({ netns: `node/${p.node}`, link: e.veth, dir: 'In', srcMac: e.eth0.mac, dstMac });
  if (e.bridge) c.points.push({ netns: `node/${p.node}`, link: e.bridge, dir: 'In', srcMac: e.eth0.mac, dstMac });
}

/** Into a pod from its node: the bridge and host veth (Out), then the pod's eth0 (In). */
function enterPod(c: PathCtx, p: PodInfo, stopAtHost = false): void {
  const e = podEnds(c.cluster, p);
  if (!e) return;
  const srcMac = e.bridge?.mac ?? e.veth.mac;
  if (e.bridge) c.points.push({ netns: `node/${p.node}`, link: e.bridge, dir: 'Out', srcMac, dstMac: e.eth0.mac });
  if (stopAtHost) return;
  c.points.push({ netns: `node/${p.node}`, link: e.veth, dir: 'Out', srcMac, dstMac: e.eth0.mac });
  c.points.push({ netns: nsId(p), link: e.eth0, dir: 'In', srcMac, dstMac: e.eth0.mac });
}

/**
 * From node `from` toward address `dst` (already translated), as the node's routing table
 * sends it: to a local pod, through a tunnel to another node, or straight out of eth0.
 * Returns the node it reaches (undefined: it left the cluster or stays here).
 */
function route(c: PathCtx, from: string, dst: string, flowHash: number): string | undefined {
  const ns = nodeNamespace(c.cluster, from);
  if (!ns) return undefined;
  const r = lookupRoute(ns, dst);
  if (!r || r.type === 'blackhole' || !r.dev) return undefined;
  const local = podByIp(c.cluster, dst);
  if (local && local.node === from && !local.hostNetwork) return from;
  const eth0 = linkOf(ns, 'eth0');
  // the node that holds the destination: a Pod's node, a node's own address, or the node owning the pod CIDR
  const peer = local && !local.hostNetwork ? nodeByName(c.cluster, local.node) : nodeByIp(c.cluster, dst) ?? (r.via ? nodeByIp(c.cluster, r.via) ?? nodeForGateway(c, r.via) : undefined) ?? nodeForPodCidr(c.cluster, dst);
  const self = nodeByName(c.cluster, from);
  const toPods = !!peer && peer.name !== from && !nodeByIp(c.cluster, dst);
  // how the CNI carries pod traffic between these nodes (its crossNode: tunl0 IPIP, a VXLAN device, or routed as is)
  const selfCni = findNode(c.cluster, from);
  const peerCni = peer ? findNode(c.cluster, peer.name) : undefined;
  // an IPv6 packet crosses as the plugin carries IPv6 (Flannel's flannel-v6.1, over the nodes' IPv6 addresses)
  const six = dst.includes(':');
  const plugin = cniPlugin(c.cluster.settings);
  const cross = toPods && selfCni && peerCni ? (six && plugin.crossNode6 ? plugin.crossNode6(c.cluster, selfCni, peerCni, 1500) : plugin.crossNode(c.cluster, selfCni, peerCni, 1500)) : undefined;
  const outerSrc = six ? selfCni?.ipv6 ?? '' : self?.ip ?? '';
  const outerDst = six ? peerCni?.ipv6 ?? '' : peer?.ip ?? '';
  const tunnel = cross ? linkOf(ns, cross.device) : undefined;
  if (cross && tunnel && peer && eth0 && (cross.mode === 'ipip' || cross.mode === 'vxlan' || cross.mode === 'fastdp' || cross.mode === 'geneve')) {
    const peerNs = nodeNamespace(c.cluster, peer.name);
    const peerEth0 = linkOf(peerNs, 'eth0');
    const peerTun = linkOf(peerNs, tunnel.name);
    if (!peerNs || !peerEth0 || !peerTun) return undefined;
    const outerDstMac = neighMac(ns, outerDst, 'eth0') ?? peerEth0.mac;
    if (cross.mode === 'ipip') {
      const encap: Encap = { kind: 'ipip', src: outerSrc, dst: outerDst };
      c.points.push({ netns: `node/${from}`, link: tunnel, dir: 'Out', srcMac: '', dstMac: '', raw: true });
      c.points.push({ netns: `node/${from}`, link: eth0, dir: 'Out', srcMac: eth0.mac, dstMac: outerDstMac, encap });
      c.points.push({ netns: `node/${peer.name}`, link: peerEth0, dir: 'In', srcMac: eth0.mac, dstMac: outerDstMac, encap });
      c.points.push({ netns: `node/${peer.name}`, link: peerTun, dir: 'In', srcMac: '', dstMac: '', raw: true });
      return peer.name;
    }
    // the kernel's udp_flow_src_port: a hash of the inner flow into the ephemeral range
    const sport = 32768 + (flowHash % 28232);
    const dport = tunnel.vxlan?.dstport ?? (cross.mode === 'fastdp' ? 6784 : cross.mode === 'geneve' ? 6081 : 8472);
    const innerDst = neighMac(ns, r.via, tunnel.name) ?? peerTun.mac;
    const encap: Encap = { kind: 'vxlan', src: outerSrc, dst: outerDst, sport, dport, vni: tunnel.vxlan?.id ?? 1, innerSrcMac: tunnel.mac, innerDstMac: innerDst };
    c.points.push({ netns: `node/${from}`, link: tunnel, dir: 'Out', srcMac: tunnel.mac, dstMac: innerDst });
    c.points.push({ netns: `node/${from}`, link: eth0, dir: 'Out', srcMac: eth0.mac, dstMac: outerDstMac, encap });
    c.points.push({ netns: `node/${peer.name}`, link: peerEth0, dir: 'In', srcMac: eth0.mac, dstMac: outerDstMac, encap });
    c.points.push({ netns: `node/${peer.name}`, link: peerTun, dir: 'In', srcMac: tunnel.mac, dstMac: innerDst });
    return peer.name;
  }
  // straight out of a device: another node on the nodes' network, a pod routed natively, the world
  const dev = linkOf(ns, r.dev);
  if (!dev) return undefined;
  const target = peer && peer.name !== from ? peer : undefined;
  const nextHop = r.via ?? dst;
  const dstMac = neighMac(ns, nextHop, dev.name) ?? (target ? linkOf(nodeNamespace(c.cluster, target.name), 'eth0')?.mac : undefined) ?? 'ff:ff:ff:ff:ff:ff';
  c.points.push({ netns: `node/${from}`, link: dev, dir: 'Out', srcMac: dev.mac, dstMac });
  if (!target) return undefined;
  const tns = nodeNamespace(c.cluster, target.name);
  const teth = linkOf(tns, 'eth0');
  if (teth) c.points.push({ netns: `node/${target.name}`, link: teth, dir: 'In', srcMac: dev.mac, dstMac });
  return target.name;
}

/** A VXLAN route's gateway is the far VTEP's address (flannel: the far node's flannel.1 /32): which node holds it. */
function nodeForGateway(c: PathCtx, via: string): { name: string; ip: string } | undefined {
  for (const n of c.cluster.store.iterate('Node')) {
    const nns = nodeNamespace(c.cluster, n.metadata.name);
    if (nns?.links.some((l) => l.addrs.some((a) => a.local === via))) {
      const info = nodeByName(c.cluster, n.metadata.name);
      if (info) return info;
    }
  }
  return undefined;
}

// ---- one walk's packets -------------------------------------------------------------------

/** A question and its answer; `authority`: the answer's authority section, when the tool had the message. */
export type DnsNote = DnsQuery & { authority?: DnsRecord[] };

/** The authority section CoreDNS writes for a negative answer (its zone's SOA), or none. */
function negativeAuthority(cluster: ClusterRuntime, qname: string, qtype: string, rcode: DnsQuery['rcode']): DnsRecord[] {
  if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') return [];
  try {
    return corednsAnswer(cluster, qname, qtype, 0).authority;
  } catch {
    return [];
  }
}

/** What the capture hub knows of a connection beyond the walk: its HTTP bytes, its ICMP echo id and sequence, its DNS questions. */
/**
 * A TLS 1.3 session over the connection (curl https, tlsSession in net/traffic/curl.ts: TLS 1.3,
 * TLS_AES_256_GCM_SHA384, X25519, RSASSA-PSS): what sizes its records from.
 */
export interface TlsNote {
  /** The server's certificate chain, each certificate's DER length, leaf first. */
  chain: number[];
  /** The leaf's RSA modulus in bytes: CertificateVerify's signature. */
  sigBytes: number;
  /** The client sent a server_name (a host name, not an address), which the server acknowledges. */
  sni: boolean;
  /** The protocol ALPN settled on. */
  alpn: 'h2' | 'http/1.1';
  /** Where the client stopped: `alert` after the Certificate (verification failed), `close` after its Finished (host mismatch). */
  abort?: 'alert' | 'close';
  /** Plaintext bytes of the request and the response carried in application data. */
  request?: number;
  response?: number;
}

export interface ConnNotes {
  /** TLS (https): the handshake and the application data records, instead of plaintext HTTP. */
  tls?: TlsNote;
  /** `text`: the message itself, one character a byte (latin1), `bytes` long. */
  http?: { request: { bytes: number; firstLine: string; text?: string }; response?: { bytes: number; firstLine: string; text?: string } };
  echo?: { id: number; seq: number };
  dns?: DnsNote[];
  /** The tool sends EDNS (dig: an OPT record with a cookie), and the server echoes it. */
  edns?: boolean;
}

interface Addrs {
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

/** A packet of the conversation: which way, and its layer 4 (addresses filled per point). */
interface ConvPacket {
  reply: boolean;
  /** Microseconds after the walk began. */
  at: number;
  l4: (a: Addrs) => TcpSeg | UdpDgram | IcmpMsg;
  /** An ICMP error the entry node sends itself (kube-proxy's REJECT): from this address. */
  fromNode?: string;
}

/** The source's TCP MSS: its out interface's MTU less 40 (tcp_mss_clamp from dev->mtu). */
function mssOf(cluster: ClusterRuntime, from: HostRef | { kind: 'external'; ip: string }, dst: string): number {
  if (from.kind === 'external' || from.kind === 'workstation') return 1460;
  const ns = hostNamespace(cluster, from);
  const r = ns ? lookupRoute(ns, dst) : undefined;
  const dev = ns && r?.dev ? linkOf(ns, r.dev) : ns?.links.find((l) => l.name === 'eth0');
  // IPv6: a 40-byte IP header, so 60 bytes less (tcp_v6_connect's mss from the path MTU)
  return (dev?.mtu ?? 1500) - (dst.includes(':') ? 60 : 40);
}

/** Linux's initial receive window: the space (65535) rounded down to a multiple of the MSS (tcp_select_initial_window). */
function initialWindow(mss: number): number {
  return Math.floor(65535 / mss) * mss;
}

/**
 * Times (µs after the walk began) are when each packet leaves its sender; `oneWay` is how
 * long the path takes end to end, `toEntry` how long to the entry node (where REJECT answers).
 * A peer answers a little after the packet reached it; curl closes first.
 */
interface Timing {
  oneWay: number;
  toEntry: number;
}

function tcpConversation(cluster: ClusterRuntime, from: HostRef | { kind: 'external'; ip: string }, res: WalkResult, notes: ConnNotes, t0ms: number, rejected: boolean, tm: Timing): ConvPacket[] {
  const f = res.facts!;
  const key = `${f.packet.src}:${f.packet.sport}>${f.packet.dst}:${f.packet.dport}@${t0ms}`;
  const isnC = h32(`isn/c/${key}`);
  const isnS = h32(`isn/s/${key}`);
  // TCP timestamps: a per-host clock in ms (tcp_time_stamp_raw plus the per-connection offset)
  const tsC = (h32(`ts/c/${key}`) + t0ms) >>> 0;
  const tsS = (h32(`ts/s/${key}`) + t0ms) >>> 0;
  const mssC = mssOf(cluster, from, f.translated?.ip ?? f.packet.dst);
  const mssS = Math.min(1460, mssC);
  const w = tm.oneWay;
  const out: ConvPacket[] = [];
  const seg = (reply: boolean, at: number, flags: number, seq: number, ack: number, win: number, len: number, ts: [number, number], syn?: { mss: number }, firstLine?: string, payload?: string): ConvPacket => ({
    reply,
    at,
    l4: (a) => ({
      kind: 'tcp',
      sport: a.sport,
      dport: a.dport,
      flags,
      seq: seq >>> 0,
      ack: ack >>> 0,
      win,
      options: syn ? `mss ${syn.mss},sackOK,TS val ${ts[0] >>> 0} ecr ${ts[1] >>> 0},nop,wscale 7` : `nop,nop,TS val ${ts[0] >>> 0} ecr ${ts[1] >>> 0}`,
      optLen: syn ? 20 : 12,
      len,
      firstLine,
      ts: [ts[0] >>> 0, ts[1] >>> 0],
      ...(syn ? { mss: syn.mss } : {}),
      ...(payload !== undefined ? { payload } : {}),
    }),
  });
  out.push(seg(false, 0, TH_SYN, isnC, 0, initialWindow(mssC), 0, [tsC, 0], { mss: mssC }));
  if (res.outcome === 'refused') {
    // kube-proxy's REJECT answers icmp-port-unreachable, quoting the SYN (60 bytes); a host with nothing listening, RST
    // over IPv6: ICMPv6 destination unreachable (1), port unreachable (4), quoting the 80-byte SYN
    const six = f.packet.dst.includes(':');
    if (rejected) out.push(six ? icmpError(f.entryNode!, tm.toEntry + 25, 1, 4, 'tcp', 80) : icmpError(f.entryNode!, tm.toEntry + 25, 3, 3, 'tcp', 60));
    else out.push({ reply: true, at: w + 25, l4: (a) => ({ kind: 'tcp', sport: a.sport, dport: a.dport, flags: TH_RST | TH_ACK, seq: 0, ack: (isnC + 1) >>> 0, win: 0, options: '', optLen: 0, len: 0 }) });
    return out;
  }
  if (res.outcome !== 'delivered') return out;
  let s = w + 30;
  out.push(seg(true, s, TH_SYN | TH_ACK, isnS, isnC + 1, initialWindow(mssS), 0, [tsS, tsC], { mss: mssS }));
  let c = s + w + 15;
  const cSeq0 = isnC + 1;
  const sSeq0 = isnS + 1;
  let cSeq = cSeq0;
  let sSeq = sSeq0;
  out.push(seg(false, c, TH_ACK, cSeq, sSeq, 502, 0, [tsC + 1, tsS]));
  const h = notes.tls ? undefined : notes.http;
  if (notes.tls) {
    const t = tlsFlights(notes.tls, `${f.packet.src}:${f.packet.sport}`);
    // each flight in segments of at most the receiver's MSS less the timestamp option; PSH on a flight's last
    let tsc: [number, number] = [tsC + 1, tsS];
    const tss: [number, number] = [tsS + 1, tsC + 1];
    const send = (reply: boolean, start: number, bytes: string): number => {
      const most = (reply ? mssC : mssS) - 12;
      let at = start;
      for (let i = 0; i < bytes.length; i += most) {
        const part = bytes.slice(i, i + most);
        const last = i + most >= bytes.length;
        if (reply) {
          out.push(seg(true, at, (last ? TH_PUSH : 0) | TH_ACK, sSeq, cSeq, 509, part.length, tss, undefined, '', part));
          sSeq += part.length;
        } else {
          out.push(seg(false, at, (last ? TH_PUSH : 0) | TH_ACK, cSeq, sSeq, 502, part.length, tsc, undefined, '', part));
          cSeq += part.length;
        }
        at += 12;
      }
      return at;
    };
    c = send(false, c + 40, t.clientHello);
    s = c + w;
    out.push(seg(true, s, TH_ACK, sSeq, cSeq, 509, 0, [tsS + 1, tsC + 1]));
    s = send(true, s + 900, t.serverFlight);
    c = s + w;
    // the client's timestamps echo the server's flight from here on
    tsc = [tsC + 2, tsS + 1];
    if (t.alert) {
      c = send(false, c + 30, t.alert);
    } else {
      c = send(false, c + 300, t.clientFinished);
      if (t.request) c = send(false, c + 20, t.request);
      s = c + w + 35;
      out.push(seg(true, s, TH_ACK, sSeq, cSeq, 509, 0, [tsS + 1, tsC + 1]));
      s = send(true, s + 10, t.tickets);
      if (t.response) s = send(true, s + 180, t.response);
      c = s + w + 20;
      out.push(seg(false, c, TH_ACK, cSeq, sSeq, 501, 0, [tsC + 2, tsS + 1]));
      c = send(false, c + 40, t.closeNotify);
    }
  }
  if (h) {
    c += 40;
    out.push(seg(false, c, TH_PUSH | TH_ACK, cSeq, sSeq, 502, h.request.bytes, [tsC + 1, tsS], undefined, h.request.firstLine, h.request.text));
    cSeq += h.request.bytes;
    s = c + w + 35;
    out.push(seg(true, s, TH_ACK, sSeq, cSeq, 509, 0, [tsS + 1, tsC + 1]));
    if (h.response) {
      // the response in segments of at most the client's MSS less the timestamp option
      let left = h.response.bytes;
      let first = true;
      let at = 0;
      const most = mssC - 12;
      s += 180;
      while (left > 0) {
        const n = Math.min(most, left);
        left -= n;
        const part = h.response.text?.slice(at, at + n);
        at += n;
        out.push(seg(true, s, (left === 0 ? TH_PUSH : 0) | TH_ACK, sSeq, cSeq, 509, n, [tsS + 1, tsC + 1], undefined, first ? h.response.firstLine : '', part));
        sSeq += n;
        first = false;
        s += 12;
      }
      c = s + w + 20;
      out.push(seg(false, c, TH_ACK, cSeq, sSeq, 501, 0, [tsC + 2, tsS + 1]));
    }
  }
  // DNS over TCP (dig +tcp, nslookup -vc, host -T, drill -t): each message behind its two-byte
  // length (RFC 1035 §4.2.2); the server's reply carries its ACK, the client acknowledges it
  const dnsQs = f.packet.dport === 53 ? notes.dns ?? [] : [];
  dnsQs.forEach((q, i) => {
    const wq = dnsWireOf(cluster, q, (h32(`dns/${f.packet.src}:${f.packet.sport}`) + i * 7919) & 0xffff, !!notes.edns, cluster.settings.clusterDomain);
    const framed = (m: DnsWire) => {
      const b = dnsBytes(m);
      return String.fromCharCode((b.length >> 8) & 0xff, b.length & 0xff, ...b);
    };
    const qp = framed(wq(false));
    c += 40;
    const qSeg = seg(false, c, TH_PUSH | TH_ACK, cSeq, sSeq, 502, qp.length, [tsC + 1, tsS], undefined, undefined, qp);
    out.push({ ...qSeg, l4: (a) => ({ ...(qSeg.l4(a) as TcpSeg), dns: wq(false) }) });
    cSeq += qp.length;
    if (q.rcode === 'TIMEOUT') return;
    const rp = framed(wq(true));
    s = c + w + 40;
    const rSeg = seg(true, s, TH_PUSH | TH_ACK, sSeq, cSeq, 509, rp.length, [tsS + 1, tsC + 1], undefined, undefined, rp);
    out.push({ ...rSeg, l4: (a) => ({ ...(rSeg.l4(a) as TcpSeg), dns: wq(true) }) });
    sSeq += rp.length;
    c = s + w + 20;
    out.push(seg(false, c, TH_ACK, cSeq, sSeq, 501, 0, [tsC + 2, tsS + 1]));
  });
  // curl closes first; the server's FIN follows; the client's last ACK
  c += 55;
  out.push(seg(false, c, TH_FIN | TH_ACK, cSeq, sSeq, 501, 0, [tsC + 2, tsS + 1]));
  s = c + w + 30;
  out.push(seg(true, s, TH_FIN | TH_ACK, sSeq, cSeq + 1, 509, 0, [tsS + 2, tsC + 2]));
  c = s + w + 15;
  out.push(seg(false, c, TH_ACK, cSeq + 1, sSeq + 1, 501, 0, [tsC + 3, tsS + 2]));
  return out;
}

/**
 * The TLS 1.3 records of a session, by RFC 8446's structures (record header 5 bytes; an
 * encrypted record adds its content type and the 16-byte AES-GCM tag):
 *   - ClientHello: 512 bytes in one record (OpenSSL pads curl's hello to 512, the padding
 *     extension), 517 on the wire;
 *   - ServerHello 127 (legacy session id echoed, supported_versions, an X25519 key share), a
 *     middlebox-compatibility ChangeCipherSpec 6, then encrypted: EncryptedExtensions (ALPN,
 *     the server_name acknowledgement), Certificate (each DER plus 5, context and list 8),
 *     CertificateVerify (the RSA-PSS signature plus 8), Finished (SHA-384: 48 plus 4);
 *   - the client's ChangeCipherSpec and Finished, its request; OpenSSL's two NewSessionTicket
 *     messages (a 192-byte stateless ticket each, an estimate: the ticket's size depends on
 *     the session OpenSSL encrypts into it); the response in records of at most 16384 bytes;
 *     curl's close_notify alert (2 bytes) before its FIN;
 *   - a failed verification: the client's alert (2 bytes, sealed under the handshake keys:
 *     24 on the wire) instead of its ChangeCipherSpec and Finished, then its FIN.
 * Encrypted bodies are pseudo-random bytes (a hash of the connection), as ciphertext looks.
 */
function tlsFlights(t: TlsNote, seed: string): { clientHello: string; serverFlight: string; clientFinished: string; request: string; tickets: string; response: string; closeNotify: string; alert?: string } {
  let n = 0;
  const noise = (len: number) => {
    let out = '';
    let x = h32(`tls/${seed}/${n++}`);
    for (let i = 0; i < len; i++) {
      x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
      x = (x ^ (x >>> 12)) >>> 0;
      out += String.fromCharCode(x & 0xff);
    }
    return out;
  };
  const rec = (type: number, legacy: number, body: string) => String.fromCharCode(type, 3, legacy, (body.length >> 8) & 0xff, body.length & 0xff) + body;
  // a plaintext handshake message: its type, 24-bit length and legacy_version 0x0303, then the random and the rest
  const hello = (hsType: number, len: number, legacy: number) => rec(22, legacy, String.fromCharCode(hsType, 0, ((len - 4) >> 8) & 0xff, (len - 4) & 0xff, 3, 3) + noise(len - 6));
  // an encrypted record of `len` plaintext bytes: application_data on the outside
  const sealed = (len: number) => rec(23, 3, noise(len + 1 + 16));
  const ee = 4 + 2 + (t.alpn === 'h2' ? 4 + 2 + 1 + 2 : 4 + 2 + 1 + 8) + (t.sni ? 4 : 0);
  const cert = 4 + 1 + 3 + t.chain.reduce((a, d) => a + 3 + d + 2, 0);
  const appData = (len: number) => {
    let s = '';
    for (let left = len; left > 0; left -= 16384) s += sealed(Math.min(16384, left));
    return s;
  };
  const serverFlight = hello(2, 122, 3) + rec(20, 3, '') + sealed(ee) + sealed(cert) + sealed(4 + 2 + 2 + t.sigBytes) + sealed(4 + 48);
  const clientHello = hello(1, 512, 1);
  if (t.abort === 'alert') return { clientHello, serverFlight, clientFinished: '', request: '', tickets: '', response: '', closeNotify: '', alert: sealed(2) };
  const ticket = 4 + 4 + 4 + 1 + 8 + 2 + 192 + 2;
  return {
    clientHello,
    serverFlight,
    clientFinished: rec(20, 3, '') + sealed(4 + 48),
    request: t.abort ? '' : appData(t.request ?? 0),
    tickets: sealed(ticket) + sealed(ticket),
    response: t.abort ? '' : appData(t.response ?? 0),
    closeNotify: sealed(2),
  };
}

/** An ICMP destination-unreachable for the first packet: from the entry node (REJECT) or, without a node, from the server. */
function icmpError(node: string, at: number, type: number, code: number, proto: Protocol, quotedLen = 0): ConvPacket {
  return {
    reply: true,
    at,
    fromNode: node || undefined,
    l4: (a) => ({ kind: 'icmp', type, code, len: 8 + quotedLen, quoted: { dst: a.src, proto, dport: a.sport } }),
  };
}

/** One question and its answer as the wire carries them (the id, flags, sections CoreDNS writes). */
function dnsWireOf(cluster: ClusterRuntime, q: DnsNote, id: number, edns: boolean, clusterDomain: string): (reply: boolean) => DnsWire {
  const qname = q.name.endsWith('.') ? q.name : q.name + '.';
  // CoreDNS answers its own zones authoritatively and without RA (what dig shows as "aa", no "ra"); forwarded answers have RA
  const aa = qname.endsWith(`.${clusterDomain}.`) || qname.endsWith('.in-addr.arpa.');
  // a negative answer's authority: the SOA the server wrote (the tool said it, or CoreDNS's zone has it)
  const authority = q.answers.length ? [] : (q.authority ?? negativeAuthority(cluster, qname, q.type, q.rcode));
  return (reply: boolean): DnsWire => ({
    id, response: reply, qname, qtype: q.type, rcode: q.rcode, aa, ra: !aa,
    answers: reply ? q.answers.map((a) => ({ type: a.type, data: a.data, name: a.name, ttl: a.ttl })) : [],
    nscount: reply ? authority.length : 0, arcount: edns ? 1 : 0,
    ...(reply ? { authority } : {}), ...(edns ? { ad: true } : {}),
  });
}

function udpConversation(cluster: ClusterRuntime, res: WalkResult, notes: ConnNotes, rejected: boolean, tm: Timing, clusterDomain: string): ConvPacket[] {
  const f = res.facts!;
  const w = tm.oneWay;
  const out: ConvPacket[] = [];
  const queries = notes.dns ?? [];
  if (f.packet.dport === 53 && queries.length) {
    const id0 = h32(`dns/${f.packet.src}:${f.packet.sport}`) & 0xffff;
    let t = 0;
    queries.forEach((q, i) => {
      const wireQ = dnsWireOf(cluster, q, (id0 + i * 7919) & 0xffff, !!notes.edns, clusterDomain);
      const qLen = dnsLength(wireQ(false));
      const rLen = dnsLength(wireQ(true));
      out.push({ reply: false, at: t, l4: (a) => ({ kind: 'udp', sport: a.sport, dport: a.dport, len: qLen, dns: wireQ(false) }) });
      const answered = res.outcome === 'delivered' && q.rcode !== 'TIMEOUT';
      if (answered) out.push({ reply: true, at: t + w + 40, l4: (a) => ({ kind: 'udp', sport: a.sport, dport: a.dport, len: rLen, dns: wireQ(true) }) });
      t += answered ? 2 * w + 40 + 20 : 5_000_000;
    });
    return out;
  }
  // a DNS walk nobody said the questions of (a tool that does not report them): its packets are not drawn
  if (f.packet.dport === 53) return [];
  out.push({ reply: false, at: 0, l4: (a) => ({ kind: 'udp', sport: a.sport, dport: a.dport, len: 0 }) });
  // nothing listens (the server's kernel) or kube-proxy's REJECT (the entry node): port unreachable, quoting the datagram
  const [t, code, quoted] = f.packet.dst.includes(':') ? [1, 4, 48] : [3, 3, 28];
  if (res.outcome === 'refused') out.push(rejected ? icmpError(f.entryNode!, tm.toEntry + 25, t, code, 'udp', quoted) : icmpError('', w + 25, t, code, 'udp', quoted));
  return out;
}

function icmpConversation(cluster: ClusterRuntime, from: HostRef | { kind: 'external'; ip: string }, res: WalkResult, notes: ConnNotes, tm: Timing, startUs: number): ConvPacket[] {
  const e = notes.echo ?? { id: 1, seq: 1 };
  // ICMPv6 echo request/reply are types 128/129 (RFC 4443)
  const six = res.facts!.packet.dst.includes(':');
  // the reply carries the request's data back (RFC 792)
  const data = echoData(cluster, from, startUs);
  const out: ConvPacket[] = [{ reply: false, at: 0, l4: () => ({ kind: 'icmp', type: six ? 128 : 8, code: 0, id: e.id, seq: e.seq, len: 64, data }) }];
  if (res.outcome === 'delivered') out.push({ reply: true, at: tm.oneWay + 20, l4: () => ({ kind: 'icmp', type: six ? 129 : 0, code: 0, id: e.id, seq: e.seq, len: 64, data }) });
  return out;
}

/**
 * The 56 data bytes of an echo request, as the sender's ping writes them. iputils
 * (ping_common.c): the bytes 0x00…0x37, the first 16 overwritten by the send time (struct
 * timeval: tv_sec, tv_usec, 64-bit little-endian). busybox 1.36 (networking/ping.c
 * sendping4): the -p pattern (0) and, in the first 4, monotonic_us() in host order — the
 * machine's monotonic clock, here the time since a per-host boot instant.
 */
function echoData(cluster: ClusterRuntime, from: HostRef | { kind: 'external'; ip: string }, us: number): string {
  const b = new Array<number>(56);
  for (let i = 0; i < 56; i++) b[i] = i;
  const le = (v: number, at: number, n: number) => {
    let x = BigInt(Math.floor(v));
    for (let k = 0; k < n; k++) {
      b[at + k] = Number(x & 0xffn);
      x >>= 8n;
    }
  };
  if (from.kind === 'pod' && hostFlavour(cluster, from) === 'busybox') {
    b.fill(0);
    const boot = h32(`boot/${from.namespace}/${from.pod}`) % 86_400_000_000;
    le((us + 1_000_000_000 - boot) % 2 ** 32, 0, 4);
  } else {
    le(Math.floor(us / 1_000_000), 0, 8);
    le(us % 1_000_000, 8, 8);
  }
  return String.fromCharCode(...b);
}

/** RFC 1035 wire length of a DNS message as CoreDNS writes it (bytes.ts dnsBytes: names compressed). */
export function dnsLength(m: DnsWire): number {
  return dnsBytes(m).length;
}

/**
 * Every packet one walk put on an interface: the conversation (SYN … FIN, or the DNS
 * questions and answers, or the echo and its reply) laid on the walk's path.
 */
export function wireEvents(cluster: ClusterRuntime, from: HostRef | { kind: 'external'; ip: string }, res: WalkResult, notes: ConnNotes, startUs: number): WireEvent[] {
  const f = res.facts;
  if (!f || !f.entryNode) return [];
  const pkt = f.packet;
  let srcPod: PodInfo | undefined;
  if (from.kind === 'pod') {
    const p = findPod(cluster, from.namespace, from.pod);
    if (!p) return [];
    if (!p.hostNetwork) srcPod = p;
  }
  if (isLoopback(pkt.dst)) return [];
  const entry = `node/${f.entryNode}`;
  const dstIp = f.translated?.ip ?? pkt.dst;
  const dport = f.translated?.port ?? pkt.dport;
  const dp = podByIp(cluster, dstIp);
  const dstPod = dp && !dp.hostNetwork ? dp : undefined;
  const flowHash = h32(`${pkt.src}:${pkt.sport}>${dstIp}:${dport}/${pkt.proto}`);
  const replyHash = h32(`${dstIp}:${dport}>${pkt.src}:${pkt.sport}/${pkt.proto}`);
  // Cilium without kube-proxy translates at the socket: even the pod's eth0 carries the backend
  const socketLb = !!cluster.settings.kubeProxyReplacement && !!srcPod;

  // The forward way.
  const fw: PathCtx = { cluster, points: [] };
  if (srcPod) leavePod(fw, srcPod);
  else if (from.kind === 'workstation' || from.kind === 'external') {
    const ns = nodeNamespace(cluster, f.entryNode);
    const eth0 = linkOf(ns, 'eth0');
    if (eth0) fw.points.push({ netns: entry, link: eth0, dir: 'In', srcMac: neighMac(ns, pkt.src, 'eth0') ?? 'ff:ff:ff:ff:ff:ff', dstMac: eth0.mac });
  }
  const egressDenied = f.policy.some((p) => p.direction === 'egress' && !p.allowed);
  const ingressDenied = f.policy.some((p) => p.direction === 'ingress' && !p.allowed);
  // kube-proxy's REJECT (a Service without endpoints) or a DROP in the entry node's chains: the packet goes no further
  const stoppedAtEntry = !res.server && !dstPod && !nodeByIp(cluster, dstIp) && res.outcome !== 'delivered';
  const rejected = res.outcome === 'refused' && stoppedAtEntry;
  if (!egressDenied && !stoppedAtEntry) {
    const at = route(fw, f.entryNode, dstIp, flowHash);
    if (dstPod && at === dstPod.node && dstPod.running) enterPod(fw, dstPod, ingressDenied);
    else if (dstPod && at === dstPod.node && !ingressDenied && dstPod.phase === 'Pending') enterPod(fw, dstPod, false);
  }

  // The way back: the forward points reversed, each direction flipped.
  const back: Point[] = [];
  const answered = res.outcome === 'delivered' || (res.outcome === 'refused' && !rejected);
  const reversed = (pts: Point[]): Point[] =>
    [...pts].reverse().map((p) => {
      const rev: Point = { ...p, dir: p.dir === 'In' ? 'Out' : 'In', srcMac: p.dstMac, dstMac: p.srcMac };
      // the reply's outer UDP source port is the hash of the reply's own flow (udp_flow_src_port)
      if (p.encap) rev.encap = { ...p.encap, src: p.encap.dst, dst: p.encap.src, sport: p.encap.sport === undefined ? undefined : 32768 + (replyHash % 28232), innerSrcMac: p.encap.innerDstMac, innerDstMac: p.encap.innerSrcMac };
      return rev;
    });
  if (answered) back.push(...reversed(fw.points));
  else if (rejected) back.push(...reversed(fw.points.filter((p) => p.netns === entry || (srcPod && p.netns === nsId(srcPod)))));
  if (cluster.settings.cni === 'cilium') {
    // Cilium's VXLAN carries the sender's security identity as the VNI (a Pod's, or 1: the host, for what a node sends)
    const idOf = (p: PodInfo | undefined) => (p ? identityOf(podSecurityLabels(cluster, p.obj)) : 1);
    const mark = (pts: Point[], vni: number) => pts.forEach((p) => p.encap?.kind === 'vxlan' && (p.encap = { ...p.encap, vni }));
    mark(fw.points, f.masqueradedTo ? 1 : idOf(srcPod));
    mark(back, idOf(dstPod));
  }

  const client = f.masqueradedTo ?? pkt.src;
  const srcNs = srcPod ? nsId(srcPod) : undefined;
  /**
   * The addresses a packet carries at a point: before the entry node's NAT in the source pod
   * and on the entry node's side toward the client (arriving forward, leaving as a reply),
   * after it everywhere else.
   */
  const addrsAt = (p: Point, reply: boolean): Addrs => {
    const clientSide = p.netns === srcNs || (p.netns === entry && (reply ? p.dir === 'Out' : p.dir === 'In'));
    const server = clientSide && !socketLb ? { ip: pkt.dst, port: pkt.dport } : { ip: dstIp, port: dport };
    const c = clientSide ? pkt.src : client;
    // past the masquerade, the port --random-fully drew
    const cport = clientSide ? pkt.sport : f.masqueradedPort ?? pkt.sport;
    return reply ? { src: server.ip, dst: c, sport: server.port, dport: cport } : { src: c, dst: server.ip, sport: cport, dport: server.port };
  };

  // how long the packet takes from each point to the next: a few µs inside a host, a veth hop, the wire between nodes
  const wireUs = 180 + (flowHash % 160);
  const offsets = (pts: Point[]): number[] => {
    const o: number[] = [];
    let t = 0;
    pts.forEach((p, k) => {
      const prev = pts[k - 1];
      if (prev) t += prev.netns === p.netns ? 4 : prev.netns.startsWith('node/') && p.netns.startsWith('node/') ? wireUs : 7;
      o.push(t);
    });
    return o;
  };
  const fwOff = offsets(fw.points);
  const backOff = offsets(back);
  const entryIdx = fw.points.findIndex((p) => p.netns === entry);
  const tm: Timing = { oneWay: fwOff.length ? fwOff[fwOff.length - 1] : 0, toEntry: entryIdx >= 0 ? fwOff[entryIdx] : 0 };

  let conv: ConvPacket[];
  if (pkt.proto === 'tcp') conv = tcpConversation(cluster, from, res, notes, Math.floor(startUs / 1000), rejected, tm);
  else if (pkt.proto === 'udp') conv = udpConversation(cluster, res, notes, rejected, tm, cluster.settings.clusterDomain ?? 'cluster.local');
  else if (pkt.proto === 'icmp') conv = icmpConversation(cluster, from, res, notes, tm, startUs);
  else return [];

  const out: WireEvent[] = [];
  // the first packet, whole, for an ICMP error to quote
  const firstId = pkt.proto === 'tcp' ? 0 : h32(`id/${flowHash}/0`) & 0xffff;
  const quoting = (l4: IpPacket['l4'], a: Addrs, ttl: number): IpPacket['l4'] => (l4.kind === 'icmp' && l4.quoted && conv[0] ? { ...l4, quotedPacket: { src: a.src, dst: a.dst, ttl, id: firstId, l4: conv[0].l4(a) } } : l4);
  const forwarded = fw.points.filter((q, k) => {
    const prev = fw.points[k - 1];
    return !!prev && prev.netns === q.netns && prev.dir === 'In' && q.dir === 'Out' && !(isBridgeSide(prev) && isBridgeSide(q));
  }).length;
  const arrivedTtl = 64 - forwarded - (res.server?.host.kind === 'external' ? res.routers ?? res.hopCount : 0);
  conv.forEach((c, i) => {
    const pts = c.reply ? back : fw.points;
    const off = c.reply ? backOff : fwOff;
    const ipId = pkt.proto === 'tcp' ? 0 : h32(`id/${flowHash}/${i}`) & 0xffff;
    if (c.fromNode) {
      // the entry node's own ICMP error: from the address its route back to the client names (icmp_send)
      const ns = nodeNamespace(cluster, c.fromNode);
      const src = (ns && localSource(ns, pkt.src)) ?? nodeByName(cluster, c.fromNode)?.ip ?? pkt.dst;
      // it quotes the packet as it came in: before any DNAT (REJECT found no endpoint), the TTL less the forwarding hop
      const local = (from.kind === 'node' && from.node === c.fromNode) || (!srcPod && from.kind === 'pod');
      const l4 = quoting(c.l4({ src: pkt.dst, dst: pkt.src, sport: pkt.dport, dport: pkt.sport }), { src: pkt.src, dst: pkt.dst, sport: pkt.sport, dport: pkt.dport }, local ? 64 : 63);
      const sent = pts.filter((q) => q.dir === 'Out' || q.netns !== entry);
      const o = offsets(sent);
      sent.forEach((p, k) => out.push(eventAt(startUs + c.at + o[k], p, { src, dst: pkt.src, ttl: 64, id: h32(`icmp/${flowHash}`) & 0xffff, l4 })));
      return;
    }
    // a reply from outside the cluster arrives having crossed the internet's routers: its TTL
    // is what the receiver reads (ping's ttl=, 64 less every router) plus the routers left inside
    const routed = (q: Point, k: number) => {
      const prev = pts[k - 1];
      return !!prev && prev.netns === q.netns && prev.dir === 'In' && q.dir === 'Out' && !(isBridgeSide(prev) && isBridgeSide(q));
    };
    const external = c.reply && res.server?.host.kind === 'external';
    let ttl = external ? 64 - (res.routers ?? res.hopCount) + pts.filter(routed).length : 64;
    pts.forEach((p, k) => {
      // a node that takes a packet in and sends it out routed it (a bridge only switches)
      const prev = pts[k - 1];
      if (prev && prev.netns === p.netns && prev.dir === 'In' && p.dir === 'Out' && !(isBridgeSide(prev) && isBridgeSide(p))) ttl -= 1;
      const a = addrsAt(p, c.reply);
      // an error the server's kernel sent quotes the packet as it arrived there (addresses as conntrack shows them here)
      const l4 = quoting(c.l4(a), { src: a.dst, dst: a.src, sport: a.dport, dport: a.sport }, arrivedTtl);
      out.push(eventAt(startUs + c.at + off[k], p, { src: a.src, dst: a.dst, ttl, id: ipId, l4 }));
    });
  });
  return out.sort((x, y) => x.us - y.us);
}

function isBridgeSide(p: Point): boolean {
  return p.link.kind === 'bridge' || !!p.link.master;
}

function eventAt(us: number, p: Point, ip: IpPacket): WireEvent {
  return { us, netns: p.netns, iface: p.link.name, ifindex: p.link.ifindex, dir: p.dir, link: p.raw ? 'raw' : 'ether', srcMac: p.srcMac, dstMac: p.dstMac, ip, encap: p.encap };
}
