/**
 * A packet's walk through the simulated cluster — the path a real SYN (or ICMP echo, or
 * UDP datagram) takes, derived from the cluster's current state:
 *
 *   resolve the name (the pod's resolver, itself a UDP packet to kube-dns subject to egress
 *   policy) → leave the source (pod eth0 → its veth on the node; the node itself; the
 *   workstation on the nodes' network, or a simulated cloud load balancer in front of
 *   them) → the entry node's netfilter, by EXECUTING that node's current kube-proxy rules
 *   (iptables with its statistic draws, or IPVS) → masquerade where the rules marked it →
 *   the same node's bridge/veth, or the CNI's way across to the other node → NetworkPolicy
 *   at the source pod's egress and the destination pod's ingress, if the CNI enforces it →
 *   the destination's listening socket (the application its image runs, see apps.ts).
 *
 * Outcomes: `delivered` (SYN-ACK / echo reply), `refused` (RST, or ICMP port unreachable —
 * what REJECT sends for a Service without endpoints), `timeout` (silently dropped: a
 * policy, a ClusterIP nothing translated, a pod not running, an unknown internet host or a
 * port it does not serve, a Calico blackhole, a routed CNI's unassigned address, a Pod-CIDR
 * address no node owns — the default route takes it away), `unreachable` (ICMP host
 * unreachable: a pod IP nobody holds on a bridged CNI's segment, after ARP gives up; or, with
 * `netUnreachable`, IPv6 from an IPv4-only cluster: ENETUNREACH, nothing sent) and
 * `nxdomain` (the name did not resolve).
 */
import type { NetCluster } from './ports';
import type { KubeObject } from '../cluster/types';
import type { HostRef, PacketTrace, TraceHop } from '../types';
import type { NatDecision, Packet, PacketOrigin, Protocol, Resolution, WalkFacts, WalkResult } from './packet';
import { cidrContains, isDottedQuad, isLoopback } from '../cluster/ipv4';
import { canonicalIPv6, isIPv6 } from '../cluster/ipv6';
import {
  findPod,
  hostIp,
  hostLabel,
  inPodNetwork,
  inServiceNetwork,
  nodeByIp,
  nodeByName,
  nodeForPodCidr,
  nodes,
  hostIp6,
  podByIp,
  serviceEndpoints,
  topology,
  type PodInfo,
} from './topology';
import { evaluateEgress, evaluateIngress, policyRef, type PolicyVerdict } from './policy';
import type { L7Policy } from './cilium/policy';
import { listenerOn, type ServerRef } from './apps';
import { internetHostByIp } from './internet';
import { tracePath } from './trace-path';
import { acceptOn, forwardOn, type PortForward } from './port-forward';

export type Source = HostRef | { kind: 'external'; ip: string };

export interface WalkOptions {
  /** The command line, for the recorded trace. */
  command?: string;
  /** Record the trace (default true). Sub-walks (DNS, an ingress's upstream) set false. */
  record?: boolean;
  /** Source port (an ephemeral port is drawn otherwise). */
  sport?: number;
  /**
   * The address family a name is connected over (curl -4/-6, ping -4/-6): 4 takes its A
   * records, 6 its AAAA records; unset, the IPv4 address unless the name has only AAAA
   * records. `prefer6` takes the AAAA record first when there is one (curl's happy eyeballs).
   */
  family?: 4 | 6 | 'prefer6';
}

export interface ConnectResult extends WalkResult {
  /** The address the name resolved to (or the literal address). */
  address?: string;
  resolution?: Resolution;
  /** The name did not resolve because the DNS server could not be reached (timeout), not NXDOMAIN. */
  dnsTimeout?: boolean;
  /**
   * The connection would go over IPv6 (a literal IPv6 address, -6, or a name with only AAAA
   * records) on a cluster whose IPv6 packets the walk does not carry (carriesIPv6): the tool
   * says so (ipv6NotSimulated) instead of inventing an outcome. Nothing was sent.
   */
  ipv6?: string;
  /**
   * connect()/sendto() failed at once with ENETUNREACH: the destination is IPv6 and the host
   * has no IPv6 route (an IPv4-only cluster: no address or default route beyond ::1 and
   * fe80::/64). Nothing was sent; `address` is the IPv6 address tried.
   */
  netUnreachable?: boolean;
}

/**
 * Does the walk carry this cluster's IPv6 packets? A dual-stack Flannel cluster with kube-proxy
 * in iptables mode: the IPv6 proxier's ip6tables rules are executed, Flannel's flannel-v6.1
 * carries them across nodes. Other CNIs and proxy modes keep saying "not simulated".
 */
export function carriesIPv6(cluster: NetCluster): boolean {
  const s = cluster.settings;
  return !!s.podCIDRv6 && s.cni === 'flannel' && s.proxyMode === 'iptables' && !s.kubeProxyReplacement;
}

/** What a tool prints when a connection would have to go over IPv6. */
export function ipv6NotSimulated(tool: string, target: string): string {
  return `netlab: ${tool} to ${target} would go over IPv6; IPv6 packets are simulated only on a dual-stack Flannel cluster with kube-proxy in iptables mode\n`;
}

interface State {
  cluster: NetCluster;
  sport?: number;
  hops: TraceHop[];
  routers: number;
  mtu: number;
  latency: number;
  facts?: WalkFacts;
  /** Cilium: the L7 (HTTP) policies the connection was allowed under, to be enforced on its requests. */
  l7?: L7Policy[];
}

function cniName(cluster: NetCluster): string {
  return cluster.podNetwork.displayName;
}

function result(st: State, outcome: WalkResult['outcome'], extra: Partial<WalkResult> = {}): WalkResult {
  return { outcome, hopCount: st.routers, routers: st.routers, mtu: st.mtu, hops: st.hops, latencyMs: st.latency, sourcePort: st.sport, facts: st.facts, ...(st.l7 ? { l7: st.l7 } : {}), ...extra };
}

function jitter(cluster: NetCluster, base: number, spread: number): number {
  return base + cluster.rng.next() * spread;
}

function serverOf(cluster: NetCluster, server: ServerRef): HostRef | { kind: 'external'; ip: string } {
  if (server.kind === 'pod') return { kind: 'pod', namespace: server.pod.namespace, pod: server.pod.name, container: server.container ?? (server.pod.obj.spec?.containers?.[0]?.name ?? '') };
  if (server.kind === 'node') return { kind: 'node', node: server.node };
  return { kind: 'external', ip: server.ip };
}

/**
 * Arrival at a host that owns the destination address: is anything listening?
 * ICMP echo is answered by any live host's kernel.
 */
function arrive(st: State, server: ServerRef, ip: string, port: number, proto: Protocol, seenSource: string): WalkResult {
  const where = server.kind === 'pod' ? `pod ${server.pod.namespace}/${server.pod.name}` : server.kind === 'node' ? `node ${server.node}` : ip;
  const at: Pick<TraceHop, 'stage' | 'node'> = { stage: 'destination', ...(server.kind === 'pod' ? { node: server.pod.node } : server.kind === 'node' ? { node: server.node } : {}) };
  if (proto === 'icmp') {
    st.hops.push({ where, what: `echo request reached ${ip}; the kernel answers`, verdict: 'deliver', ...at });
    return result(st, 'delivered', { server: { host: serverOf(st.cluster, server), ip, port }, seenSource });
  }
  const captured = server.kind === 'pod' && proto === 'tcp' ? st.cluster.podInbound?.capture(server.pod, port) : undefined;
  if (captured && server.kind === 'pod') {
    st.hops.push({ where, what: captured.what, detail: `source address seen: ${seenSource}`, verdict: 'deliver', ...at });
    return result(st, 'delivered', { server: { host: serverOf(st.cluster, { ...server, container: captured.container }), ip, port }, seenSource });
  }
  const l = listenerOn(st.cluster, server, port, proto, ip);
  if (!l) {
    const what = proto === 'udp' ? `nothing listens on UDP ${port}: ICMP port unreachable` : `nothing listens on ${ip}:${port}: the kernel answers RST`;
    st.hops.push({ where, what, verdict: 'reject', ...at });
    return result(st, 'refused', { reason: `${where} has no process listening on ${proto.toUpperCase()} port ${port}` });
  }
  const ref = serverOf(st.cluster, { ...server, container: l.container } as ServerRef);
  st.hops.push({ where, what: `${l.description} accepts on ${proto.toUpperCase()} ${port}`, detail: `source address seen: ${seenSource}`, verdict: 'deliver', ...at });
  return result(st, 'delivered', { server: { host: ref, ip, port }, seenSource });
}

/**
 * A connection to a `kubectl port-forward` socket on the workstation: kubectl accepts it and
 * streams it through the API server to the kubelet, and containerd dials localhost:REMOTE
 * inside the Pod's network namespace (no Service, no NetworkPolicy on the way). When nothing
 * listens there, the workstation's connection was still accepted: kubectl closes it without a
 * byte (curl's "Empty reply from server") and reports the error (dataplane/port-forward.ts).
 */
function throughForward(st: State, fw: PortForward, ip: string, port: number): WalkResult {
  st.hops.push({ where: 'workstation', what: `kubectl port-forward accepts on ${ip}:${port}`, detail: `streamed through the API server and the kubelet to pod ${fw.namespace}/${fw.pod}`, verdict: 'pass', stage: 'source' });
  const pod = findPod(st.cluster, fw.namespace, fw.pod);
  st.latency += 0.5;
  if (!pod || !pod.running || pod.obj.metadata?.uid !== fw.uid) {
    acceptOn(fw, { refused: true });
    st.hops.push({ where: `pod ${fw.namespace}/${fw.pod}`, what: 'the pod is gone: the forward has nothing to connect to', verdict: 'reject', stage: 'destination' });
    return result(st, 'delivered', { reason: `port-forward: pod ${fw.namespace}/${fw.pod} is not running` });
  }
  st.hops.push({ where: `pod ${pod.namespace}/${pod.name}`, what: `containerd dials localhost:${fw.remote} inside the pod's network namespace`, verdict: 'pass', stage: 'source', node: pod.node });
  const res = arrive(st, { kind: 'pod', pod }, '127.0.0.1', fw.remote, 'tcp', '127.0.0.1');
  acceptOn(fw, { refused: res.outcome !== 'delivered' });
  // the workstation's side was accepted by kubectl either way; a refused inner dial is an empty reply
  return res.outcome === 'delivered' ? res : result(st, 'delivered', { reason: res.reason });
}

// ---- kube-proxy -------------------------------------------------------------------------

function servicePortFor(svc: KubeObject, port: number, proto: Protocol, field: 'port' | 'nodePort'): { port: number; name?: string; targetPort?: number | string; protocol?: string; nodePort?: number } | undefined {
  return (svc.spec?.ports ?? []).find((p: { port: number; nodePort?: number; protocol?: string }) => p[field] === port && (p.protocol ?? 'TCP').toLowerCase() === proto);
}

/** Executes the node's current kube-proxy rules (controllers/kube-proxy, through the ServiceProxy port). */
function translate(cluster: NetCluster, node: string, pkt: Packet, origin: PacketOrigin): NatDecision {
  return cluster.serviceProxy.translate(node, pkt, origin);
}

// ---- the path between nodes ------------------------------------------------------------

/** A DROP or REJECT on a node's rules ends the walk (a timeout, or the ICMP error the REJECT sends). */
function stopped(st: State, dec: NatDecision, node: string): WalkResult | undefined {
  if (dec.verdict === 'DROP') {
    const why = dec.egress && !dec.egress.allowed ? dec.egress.reason : lastWhat(dec.hops);
    return result(st, 'timeout', { reason: why ?? `dropped by the rules on ${node}` });
  }
  if (dec.verdict === 'REJECT') {
    const unreach = dec.rejectWith && /host-unreachable|net-unreachable|admin-prohibited|addr-unreachable|adm-prohibited|no-route/.test(dec.rejectWith);
    return result(st, unreach ? 'unreachable' : 'refused', { reason: lastWhat(dec.hops) ?? `rejected on ${node} (${dec.rejectWith ?? 'icmp-port-unreachable'})`, rejectedWith: dec.rejectWith ?? 'icmp-port-unreachable' });
  }
  return undefined;
}

function crossNodes(st: State, from: string, to: string, family: 4 | 6 = 4, dst?: string): void {
  const path = st.cluster.podNetwork.crossNodePath(from, to, family, dst);
  // The source node routes it, the wire (an overlay's encapsulation, or plain routing) carries it, the other node takes it in.
  const across: TraceHop['stage'] = path.mode === 'local' || path.mode === 'bgp' || path.mode === 'host-gw' || path.mode === 'vpc' ? 'route' : 'overlay';
  path.hops.forEach((h, i) => st.hops.push({ ...h, stage: h.stage ?? (i === 0 && path.hops.length > 1 ? 'route' : across), node: h.node ?? (i === path.hops.length - 1 && path.hops.length > 1 ? to : from) }));
  st.mtu = Math.min(st.mtu, path.mtu);
  st.routers += path.routers;
  st.latency += jitter(st.cluster, 0.25, 0.3);
}

/**
 * net.ipv4.ip_forward on a node, as a learner's `sysctl -w` left it (its /proc/sys file,
 * commands/net/host/sysctl.ts): at 0 the kernel routes nothing from one interface to
 * another (ip_route_input_slow sends a packet for another host to ip_error when
 * IN_DEV_FORWARD is off, which counts it and drops it; the sender times out). The packet crosses
 * `from` (forwarded unless that node's own stack sent it) and then `to` (eth0 → the Pod).
 */
function notForwarding(st: State, from: string, to: string, origin: PacketOrigin, pkt: Packet): WalkResult | undefined {
  const off = (node: string) => {
    const host = { kind: 'node', node } as const;
    const v = st.cluster.fs.written(host, '/proc/sys/net/ipv4/ip_forward') ?? st.cluster.fs.written(host, '/proc/sys/net/ipv4/conf/all/forwarding');
    return v !== undefined && parseInt(v, 10) === 0;
  };
  const at = origin !== 'host' && off(from) ? from : from !== to && off(to) ? to : undefined;
  if (!at) return undefined;
  const what = `net.ipv4.ip_forward = 0: ${at} does not route ${pkt.src} → ${pkt.dst} from one interface to another; dropped`;
  st.hops.push({ where: `node ${at}`, what, verdict: 'drop', stage: 'route', node: at });
  return result(st, 'timeout', { reason: `IP forwarding is off on ${at} (net.ipv4.ip_forward = 0)` });
}

function policyHop(st: State, node: string, verdict: PolicyVerdict, pod: PodInfo): TraceHop {
  return { where: `${cniName(st.cluster)} on ${node}`, what: `NetworkPolicy ${verdict.direction}: ${verdict.reason}`, verdict: verdict.allowed ? 'pass' : 'drop', stage: 'policy', node, ...policyRef(st.cluster, pod, verdict, true) };
}

// ---- the walk ---------------------------------------------------------------------------

/** Sends one packet (a TCP SYN, UDP datagram or ICMP echo) and follows it to its end. */
export function sendPacket(cluster: NetCluster, from: Source, dst: { ip: string; port: number; proto: Protocol }, opts: WalkOptions = {}): WalkResult {
  const st: State = { cluster: cluster, hops: [], routers: 0, mtu: 1500, latency: 0 };
  const res = walk(st, from, dst, opts);
  cluster.flows?.observe(from, res);
  if (opts.record !== false) recordWalk(cluster, opts.command ?? '', from, `${dst.ip}:${dst.port}/${dst.proto}`, res);
  return res;
}

export function recordWalk(cluster: NetCluster, command: string, from: Source, to: string, res: WalkResult, extraHops: TraceHop[] = []): PacketTrace {
  const hops = [...res.hops, ...extraHops];
  return cluster.recordTrace({ command, from: hostLabel(cluster, from), to, hops, outcome: res.outcome, ...tracePath(cluster, from, res, hops) });
}

function walk(st: State, from: Source, dst: { ip: string; port: number; proto: Protocol }, opts: WalkOptions): WalkResult {
  const { cluster: cluster } = st;
  const proto = dst.proto;
  // an IPv6 destination leaves from the host's IPv6 address (carriesIPv6 decided it may)
  const six = dst.ip.includes(':');
  const srcIp = six ? hostIp6(cluster, from) : hostIp(cluster, from);
  let srcPod: PodInfo | undefined;
  let srcNode: string | undefined;
  if (from.kind === 'pod') {
    srcPod = findPod(cluster, from.namespace, from.pod);
    if (!srcPod || !srcPod.running || !srcIp) {
      st.hops.push({ where: hostLabel(cluster, from), what: 'the pod is not running: it has no network namespace to send from', verdict: 'drop', stage: 'source', ...(srcPod?.node ? { node: srcPod.node } : {}) });
      return result(st, 'unreachable', { reason: `pod ${from.namespace}/${from.pod} is not running` });
    }
    srcNode = srcPod.node;
    if (srcPod.hostNetwork) srcPod = undefined; // a hostNetwork pod is the node's network namespace
    else if (six) srcPod = { ...srcPod, ip: srcIp }; // the pod as its IPv6 address shows it (ipBlock, hops)
  } else if (from.kind === 'node') {
    srcNode = from.node;
  }
  const sport = opts.sport ?? 32768 + cluster.rng.int(28232);
  st.sport = sport;
  // A host talking to 127.0.0.1 sends from 127.0.0.1 (the kernel picks lo's address).
  const fromIp = !srcPod && srcNode && isLoopback(dst.ip) ? (six ? '::1' : '127.0.0.1') : srcIp;
  let pkt: Packet = { src: fromIp, dst: dst.ip === 'localhost' ? '127.0.0.1' : dst.ip, proto, sport, dport: dst.port };
  const facts: WalkFacts = (st.facts = { packet: pkt, policy: [] });

  // Inside one network namespace: loopback, or a pod talking to its own address.
  if (srcPod && (isLoopback(dst.ip) || dst.ip === srcPod.ip)) {
    st.hops.push({ where: `pod ${srcPod.namespace}/${srcPod.name}`, what: `${dst.ip} is this pod's own network namespace (${isLoopback(dst.ip) ? 'lo' : 'eth0'})`, verdict: 'pass', stage: 'source', node: srcPod.node });
    st.latency += 0.02;
    return arrive(st, { kind: 'pod', pod: srcPod }, dst.ip, dst.port, proto, isLoopback(dst.ip) ? (six ? '::1' : '127.0.0.1') : srcPod.ip);
  }
  if (from.kind === 'workstation' && isLoopback(dst.ip)) {
    const fw = proto === 'tcp' ? forwardOn(cluster, pkt.dst, dst.port) : undefined;
    if (fw?.api) {
      st.hops.push({ where: 'workstation', what: `kubectl proxy accepts on ${pkt.dst}:${dst.port}`, detail: 'each request is sent on to the API server with the kubeconfig\'s credentials', verdict: 'pass', stage: 'destination' });
      return result(st, 'delivered', { reason: 'kubectl proxy' });
    }
    if (fw) return throughForward(st, fw, pkt.dst, dst.port);
    st.hops.push({ where: 'workstation', what: `${dst.ip} is the workstation itself; nothing of the cluster listens there`, verdict: 'reject', stage: 'destination' });
    return result(st, proto === 'icmp' ? 'delivered' : 'refused', { reason: 'localhost on your workstation is not the cluster' });
  }

  // Where the packet meets kube-proxy's rules, and as what kind of traffic.
  let natNode: string | undefined;
  let origin: PacketOrigin = 'host';
  if (srcPod) {
    natNode = srcPod.node;
    origin = 'pod';
    st.hops.push({ where: `pod ${srcPod.namespace}/${srcPod.name}`, what: `eth0 ${srcPod.ip} → veth on ${srcPod.node}`, detail: `${proto.toUpperCase()} ${srcIp}:${sport} → ${dst.ip}:${dst.port}`, verdict: 'pass', stage: 'source', node: srcPod.node });
    st.latency += 0.02;
  } else if (srcNode) {
    natNode = srcNode;
    origin = 'host';
    st.hops.push({ where: `node ${srcNode}`, what: `${proto.toUpperCase()} ${srcIp}:${sport} → ${dst.ip}:${dst.port} (OUTPUT)`, verdict: 'pass', stage: 'source', node: srcNode });
  } else {
    // The workstation (or an outside client): it reaches the nodes' network, load balancers and the internet.
    const label = from.kind === 'workstation' ? 'workstation' : `client ${srcIp}`;
    const idx = topology(cluster);
    const node = nodeByIp(cluster, dst.ip);
    const lbSvc = idx.servicesByLbIp.get(dst.ip);
    const extSvc = idx.servicesByExternalIp.get(dst.ip);
    if (node) {
      natNode = node.name;
      origin = 'external';
      st.hops.push({ where: label, what: `${srcIp} → ${node.name} (${node.ip}) on the nodes' network`, verdict: 'pass', stage: 'source' });
      st.latency += jitter(cluster, 0.15, 0.2);
    } else if (lbSvc) {
      const lb = cloudLoadBalancer(st, lbSvc, pkt, label);
      if ('outcome' in lb) return lb;
      natNode = lb.node;
      pkt = lb.packet;
      origin = 'external';
    } else if (extSvc) {
      const first = nodes(cluster)[0];
      natNode = first?.name;
      origin = 'external';
      st.hops.push({ where: label, what: `${dst.ip} is an externalIP of service ${extSvc.metadata.namespace}/${extSvc.metadata.name}; the network routes it to ${first?.name}`, verdict: 'pass', stage: 'source' });
    } else if (inPodNetwork(cluster, dst.ip) || inServiceNetwork(cluster, dst.ip)) {
      const what = inPodNetwork(cluster, dst.ip) ? `pod network ${cluster.settings.podCIDR}` : `service network ${cluster.settings.serviceCIDR}`;
      st.hops.push({ where: label, what: `no route to the ${what}: those addresses exist only inside the cluster`, verdict: 'drop', stage: 'source' });
      return result(st, 'timeout', { reason: `${dst.ip} is inside the cluster's ${what}; from outside, use a NodePort, a LoadBalancer or an Ingress` });
    } else {
      return toInternet(st, pkt, label, undefined);
    }
  }

  // kube-proxy's rules on the entry node.
  let dec = translate(cluster, natNode!, pkt, origin);
  for (const h of dec.hops) st.hops.push({ ...h, stage: h.stage ?? (h.verdict === 'dnat' ? 'service' : 'netfilter'), node: h.node ?? natNode });
  facts.entryNode = natNode;
  facts.packet = pkt;
  if (dec.dnatTo) facts.translated = dec.dnatTo;
  const refused = stopped(st, dec, natNode!);
  if (refused) return refused;
  if (dec.dnatTo) pkt = { ...pkt, dst: dec.dnatTo.ip, dport: dec.dnatTo.port };
  // MASQUERADE takes the outgoing interface's address (tunl0, flannel.1, cni0 or eth0).
  let natNodeIp = dec.masqueradeTo ?? nodeByName(cluster, natNode!)?.ip ?? pkt.src;
  let seen = dec.masquerade ? natNodeIp : pkt.src;
  if (dec.masquerade) st.hops.push({ where: `node ${natNode}`, what: `MASQUERADE: source ${pkt.src} → ${natNodeIp}`, verdict: 'snat', stage: 'nat', node: natNode });
  if (dec.masquerade) facts.masqueradedTo = natNodeIp;
  if (dec.masquerade && dec.masqueradePort !== undefined) facts.masqueradedPort = dec.masqueradePort;

  // Another node's address the entry node left alone: the packet crosses the nodes' network
  // and meets that node's own PREROUTING on its eth0, where its NodePorts and hostPorts
  // (portmap's CNI-HOSTPORT-DNAT) translate it; it goes on from there as from an entry node.
  const far = !dec.dnatTo && proto !== 'icmp' && !six ? nodeByIp(cluster, pkt.dst) : undefined;
  if (far && far.name !== natNode) {
    const arriving: Packet = { ...pkt, src: seen, sport: dec.masquerade && dec.masqueradePort !== undefined ? dec.masqueradePort : pkt.sport };
    const next = translate(cluster, far.name, arriving, 'external');
    if (next.dnatTo || next.verdict === 'DROP' || next.verdict === 'REJECT') {
      const egress = dec.egress;
      st.hops.push({ where: `node ${natNode}`, what: `→ ${far.name} (${far.ip}) on the nodes' network`, verdict: 'pass', stage: 'route', node: natNode });
      if (srcPod) st.routers += 1;
      st.latency += jitter(cluster, 0.15, 0.2);
      for (const h of next.hops) st.hops.push({ ...h, stage: h.stage ?? (h.verdict === 'dnat' ? 'service' : 'netfilter'), node: h.node ?? far.name });
      natNode = far.name;
      origin = 'external';
      // the source pod's egress was decided on its own node; keep that verdict
      dec = egress ? { ...next, egress } : next;
      facts.entryNode = natNode;
      facts.packet = arriving;
      if (dec.dnatTo) facts.translated = dec.dnatTo;
      const stop = stopped(st, dec, natNode);
      if (stop) return stop;
      pkt = dec.dnatTo ? { ...arriving, dst: dec.dnatTo.ip, dport: dec.dnatTo.port } : arriving;
      natNodeIp = dec.masqueradeTo ?? far.ip;
      seen = dec.masquerade ? natNodeIp : arriving.src;
      if (dec.masquerade) st.hops.push({ where: `node ${natNode}`, what: `MASQUERADE: source ${arriving.src} → ${natNodeIp}`, verdict: 'snat', stage: 'nat', node: natNode });
      if (dec.masquerade) facts.masqueradedTo = natNodeIp;
      if (dec.masquerade && dec.masqueradePort !== undefined) facts.masqueradedPort = dec.masqueradePort;
    }
  }

  const enforce = cluster.podNetwork.enforcesPolicy();
  const egressCheck = (peer: PodInfo | string): WalkResult | undefined => {
    // Decided already where the node's chains sit in the hook order (Calico's cali-fw-<veth>).
    if (!srcPod || dec.egress) return undefined;
    // Calico with kube-proxy in IPVS mode: Felix applies cali-fw-<veth> once IPVS picked the real server.
    const chains = enforce ? cluster.serviceProxy.workloadPolicy?.(srcPod.node, pkt, 'egress') : undefined;
    if (chains) {
      for (const h of chains.hops) st.hops.push({ ...h, stage: h.stage ?? 'netfilter', node: h.node ?? srcPod.node });
      const cv = chains.verdict;
      if (!cv) return undefined;
      facts.policy.push({ direction: 'egress', node: srcPod.node, allowed: cv.allowed, match: cv.match });
      return cv.allowed ? undefined : result(st, 'timeout', { reason: cv.reason });
    }
    const v = evaluateEgress(cluster, srcPod, peer, pkt.dport, proto);
    if (!v.policies?.length && v.allowed) return undefined;
    if (!enforce) {
      st.hops.push({ where: `${cniName(cluster)} on ${srcPod.node}`, what: `NetworkPolicy egress not enforced (${cluster.settings.cni} does not implement NetworkPolicy): ${v.reason}`, verdict: 'pass', stage: 'policy', node: srcPod.node, ...policyRef(cluster, srcPod, v, false) });
      return undefined;
    }
    st.hops.push(policyHop(st, srcPod.node, v, srcPod));
    facts.policy.push({ direction: 'egress', node: srcPod.node, allowed: v.allowed, match: v.match });
    if (v.allowed && v.l7) (st.l7 ??= []).push(v.l7);
    return v.allowed ? undefined : result(st, 'timeout', { reason: v.reason });
  };

  // 0. The node itself (a node or hostNetwork pod talking to its loopback after the rules).
  if (!srcPod && srcNode && isLoopback(pkt.dst)) {
    return arrive(st, { kind: 'node', node: srcNode }, pkt.dst, pkt.dport, proto, six ? '::1' : '127.0.0.1');
  }

  // The far node's netfilter tracks the flow as it arrives (translated upstream): a connection
  // confirmed there once it passes its filter chains, so only a delivered one is listed.
  const arrivedAt = (node: string | undefined) => {
    if (node && node !== natNode) cluster.serviceProxy.arrived?.(node, { ...pkt, src: seen, sport: dec.masquerade && dec.masqueradePort !== undefined ? dec.masqueradePort : pkt.sport });
  };

  // 1. A pod address.
  const dstPod = podByIp(cluster, pkt.dst);
  if (dstPod) {
    const e = egressCheck(dstPod);
    if (e) return e;
    if (dstPod.node === natNode) {
      const bridged = cluster.podNetwork.bridged;
      st.hops.push({ where: `node ${natNode}`, what: bridged ? `bridge → veth of ${dstPod.namespace}/${dstPod.name}` : `host route ${dstPod.ip} → veth of ${dstPod.namespace}/${dstPod.name}`, verdict: 'pass', stage: 'route', node: natNode });
      if (srcPod && !bridged) st.routers += 1; // Calico/Cilium route through the host even on one node
      else if (!srcPod) st.routers += 1;
      st.latency += jitter(cluster, 0.03, 0.05);
    } else {
      const off = notForwarding(st, natNode!, dstPod.node || natNode!, origin, pkt);
      if (off) return off;
      crossNodes(st, natNode!, dstPod.node || natNode!, six ? 6 : 4, dstPod.ip);
    }
    if (dstPod.phase === 'Succeeded' || dstPod.phase === 'Failed') {
      // Its sandbox (and the veth) is gone; the address is only a leftover in the object.
      st.hops.push({ where: `pod ${dstPod.namespace}/${dstPod.name}`, what: `the pod has ${dstPod.phase === 'Succeeded' ? 'completed' : 'failed'}: nothing is at ${dstPod.ip} any more`, verdict: 'drop', stage: 'destination', node: dstPod.node });
      return result(st, 'timeout', { reason: `pod ${dstPod.namespace}/${dstPod.name} is ${dstPod.phase}` });
    }
    // A Pending pod with an IP has its sandbox up but its containers not running (image pull,
    // crash loop): the kernel answers with RST (see apps.ts podListeners).
    // Ingress policy sees the address after masquerade (a pod IP, or a node's address).
    const srcPeer: PodInfo | string = !dec.masquerade && srcPod ? srcPod : seen;
    const fromIp = typeof srcPeer === 'string' ? srcPeer : srcPeer.ip;
    // Calico: the destination node's cali-tw-<veth> and the cali-pi- chains it jumps to decide
    // (Felix polices no host → local workload traffic: its cali-OUTPUT returns for `-o cali+`).
    const chains = enforce && fromIp !== nodeByName(cluster, dstPod.node)?.ip ? cluster.serviceProxy.workloadPolicy?.(dstPod.node, { ...pkt, src: fromIp }, 'ingress') : undefined;
    if (chains) {
      for (const h of chains.hops) st.hops.push({ ...h, stage: h.stage ?? 'netfilter', node: h.node ?? dstPod.node });
      const cv = chains.verdict;
      if (cv) {
        facts.policy.push({ direction: 'ingress', node: dstPod.node, allowed: cv.allowed, match: cv.match });
        if (!cv.allowed) return result(st, 'timeout', { reason: cv.reason });
      }
      arrivedAt(dstPod.node);
      return arrive(st, { kind: 'pod', pod: dstPod }, dstPod.ip, pkt.dport, proto, seen);
    }
    const v = evaluateIngress(cluster, srcPeer, dstPod, pkt.dport, proto);
    if (v.policies?.length) {
      if (!enforce) {
        st.hops.push({ where: `${cniName(cluster)} on ${dstPod.node}`, what: `NetworkPolicy ingress not enforced (${cluster.settings.cni} does not implement NetworkPolicy): ${v.reason}`, verdict: 'pass', stage: 'policy', node: dstPod.node, ...policyRef(cluster, dstPod, v, false) });
      } else {
        st.hops.push(policyHop(st, dstPod.node, v, dstPod));
        facts.policy.push({ direction: 'ingress', node: dstPod.node, allowed: v.allowed, match: v.match });
        if (!v.allowed) return result(st, 'timeout', { reason: v.reason });
        if (v.l7) (st.l7 ??= []).push(v.l7);
      }
    }
    arrivedAt(dstPod.node);
    return arrive(st, { kind: 'pod', pod: dstPod }, dstPod.ip, pkt.dport, proto, seen);
  }

  // 2. A node address (kubelet, sshd, hostNetwork pods; a NodePort was already translated above).
  const dstNode = nodeByIp(cluster, pkt.dst);
  if (dstNode) {
    const e = egressCheck(pkt.dst);
    if (e) return e;
    if (dstNode.name !== natNode) {
      st.hops.push({ where: `node ${natNode}`, what: `→ ${dstNode.name} (${dstNode.ip}) on the nodes' network`, verdict: 'pass', stage: 'route', node: natNode });
      // The nodes share one L2 network: a node reaches another directly; a pod's packet
      // crosses one router, its own node.
      if (srcPod) st.routers += 1;
      st.latency += jitter(cluster, 0.15, 0.2);
    }
    return arrive(st, { kind: 'node', node: dstNode.name }, dstNode.ip, pkt.dport, proto, srcPod && !dec.masquerade ? srcPod.ip : seen);
  }

  // 3. A Service address nothing translated.
  const svc = topology(cluster).servicesByClusterIp.get(pkt.dst);
  if (svc || inServiceNetwork(cluster, pkt.dst)) {
    const name = svc ? `${svc.metadata.namespace}/${svc.metadata.name}` : undefined;
    if (cluster.settings.proxyMode === 'ipvs' && svc) {
      // IPVS binds every ClusterIP to the dummy interface kube-ipvs0: the node owns the address.
      if (proto === 'icmp') {
        st.hops.push({ where: `node ${natNode}`, what: `${pkt.dst} is bound to kube-ipvs0 (IPVS mode): the node answers the echo`, verdict: 'deliver', stage: 'destination', node: natNode });
        return result(st, 'delivered', { server: { host: { kind: 'node', node: natNode! }, ip: pkt.dst, port: 0 }, seenSource: seen });
      }
      st.hops.push({ where: `node ${natNode}`, what: `${pkt.dst} is bound to kube-ipvs0, but IPVS has no virtual server for port ${pkt.dport}: RST`, verdict: 'reject', stage: 'service', node: natNode });
      return result(st, 'refused', { reason: `service ${name} has no port ${pkt.dport}/${proto.toUpperCase()}` });
    }
    const why = svc
      ? proto === 'icmp'
        ? `a ClusterIP is virtual: ${cluster.settings.kubeProxyReplacement ? "Cilium's service map holds" : "kube-proxy's iptables rules match"} only the Service's ports, nothing answers ICMP for ${pkt.dst}`
        : `no rule for ${pkt.dst}:${pkt.dport}/${proto.toUpperCase()}: service ${name} does not expose that port; the ClusterIP itself is virtual`
      : `no Service has ClusterIP ${pkt.dst}`;
    st.hops.push({ where: `node ${natNode}`, what: why, verdict: 'drop', stage: 'service', node: natNode });
    return result(st, 'timeout', { reason: why });
  }

  // 4. A pod-network address no pod holds: a node's own (its flannel.1, cni0 or tunl0 address,
  // the source a masqueraded Pod saw), delivered to that node; else the owning node ARPs for it and gives up.
  if (inPodNetwork(cluster, pkt.dst)) {
    const holder = cluster.podNetwork.nodeHolding(pkt.dst);
    if (holder) {
      const e = egressCheck(pkt.dst);
      if (e) return e;
      if (holder !== natNode) {
        crossNodes(st, natNode!, holder, 4, pkt.dst);
        // the far node takes it in rather than forwarding it; a node's own packet crosses no router at all
        st.routers -= srcPod ? 1 : 2;
      }
      return arrive(st, { kind: 'node', node: holder }, pkt.dst, pkt.dport, proto, srcPod && !dec.masquerade ? srcPod.ip : seen);
    }
    const owner = nodeForPodCidr(cluster, pkt.dst);
    // No node owns the range (no Flannel /24, no Calico block, no Cilium podCIDR): the node's
    // routing table has nothing more specific than its default route, so the packet leaves for
    // the nodes' gateway with the pod's address, and nothing out there answers it.
    const first = owner ? undefined : cluster.podNetwork.route(natNode!, pkt.dst);
    if (!owner && (!first || first.dst === 'default')) {
      const e = egressCheck(pkt.dst);
      if (e) return e;
      const gw = first?.via ? `the default route via ${first.via}${first.dev ? ` dev ${first.dev}` : ''}` : 'no route';
      st.hops.push({ where: `node ${natNode}`, what: `no node's pod route holds ${pkt.dst}: ${gw} takes it off the cluster, where nothing answers`, verdict: 'drop', stage: 'route', node: natNode });
      return result(st, 'timeout', { reason: `no node owns the pod range of ${pkt.dst}` });
    }
    if (owner && owner.name !== natNode) {
      const off = notForwarding(st, natNode!, owner.name, origin, pkt);
      if (off) return off;
      crossNodes(st, natNode!, owner.name, six ? 6 : 4, pkt.dst);
    }
    const at = owner?.name ?? natNode!;
    if (cluster.podNetwork.blackholed(at, pkt.dst)) {
      // Calico routes each pod /32 to its cali veth and the rest of the block to a blackhole.
      st.hops.push({ where: `node ${at}`, what: `no pod has ${pkt.dst}: the block's blackhole route drops it silently`, verdict: 'drop', stage: 'route', node: at });
      return result(st, 'timeout', { reason: `no pod holds ${pkt.dst}` });
    }
    if (!cluster.podNetwork.bridged) {
      // Routed pods (Cilium's lxc devices, aws-vpc-cni's ENI addresses): each pod has a /32 of
      // its own and no segment to ARP on, so no neighbour lookup fails and no ICMP comes back.
      st.hops.push({ where: `node ${at}`, what: `no pod has ${pkt.dst}: no endpoint route or device holds it, ${cniName(cluster)} drops it`, verdict: 'drop', stage: 'route', node: at });
      return result(st, 'timeout', { reason: `no pod holds ${pkt.dst}` });
    }
    st.hops.push({ where: `node ${at}`, what: `no pod has ${pkt.dst}: ARP gets no answer, ICMP host unreachable`, verdict: 'reject', stage: 'route', node: at });
    return result(st, 'unreachable', { reason: `no pod holds ${pkt.dst}` });
  }

  // 5. Outside the cluster.
  const e = egressCheck(pkt.dst);
  if (e) return e;
  const off = origin === 'pod' ? notForwarding(st, natNode!, natNode!, origin, pkt) : undefined;
  if (off) return off;
  return toInternet(st, pkt, `node ${natNode}`, natNode);
}

function lastWhat(hops: TraceHop[]): string | undefined {
  return hops.length ? hops[hops.length - 1].what : undefined;
}

/**
 * A simulated cloud load balancer in front of a LoadBalancer Service: it forwards to the
 * Service's nodePort on a node it picks (seeded). With externalTrafficPolicy: Local its
 * health check (healthCheckNodePort) passes only on nodes with a local ready endpoint, and
 * it forwards only to those; it does not rewrite the client's address.
 */
function cloudLoadBalancer(st: State, svc: KubeObject, pkt: Packet, label: string): { node: string; packet: Packet } | WalkResult {
  const { cluster: cluster } = st;
  const name = `${svc.metadata.namespace}/${svc.metadata.name}`;
  const sp = servicePortFor(svc, pkt.dport, pkt.proto, 'port');
  if (!sp || !sp.nodePort) {
    st.hops.push({ where: 'cloud load balancer', what: `${pkt.dst} has no listener for ${pkt.proto.toUpperCase()} ${pkt.dport} (service ${name})`, verdict: 'drop', stage: 'lb' });
    return result(st, 'timeout', { reason: `the load balancer for ${name} does not listen on port ${pkt.dport}` });
  }
  const srcRanges: string[] = svc.spec?.loadBalancerSourceRanges ?? [];
  if (srcRanges.length && !srcRanges.some((c) => cidrContains(c, pkt.src))) {
    st.hops.push({ where: 'cloud load balancer', what: `${pkt.src} is not in loadBalancerSourceRanges (${srcRanges.join(', ')})`, verdict: 'drop', stage: 'lb' });
    return result(st, 'timeout', { reason: `${pkt.src} is outside loadBalancerSourceRanges of ${name}` });
  }
  const local = svc.spec?.externalTrafficPolicy === 'Local';
  let candidates = nodes(cluster).map((n) => n.name);
  if (local) {
    const withEp = new Set(serviceEndpoints(cluster, svc, sp).filter((e) => e.ready).map((e) => e.node));
    candidates = candidates.filter((n) => withEp.has(n));
    if (candidates.length === 0) {
      st.hops.push({ where: 'cloud load balancer', what: `health checks on nodePort ${svc.spec?.healthCheckNodePort ?? ''} fail on every node: no node has a ready local endpoint of ${name}`, verdict: 'drop', stage: 'lb' });
      return result(st, 'timeout', { reason: `externalTrafficPolicy: Local and no node runs a ready endpoint of ${name}` });
    }
  }
  const node = candidates[cluster.rng.int(candidates.length)];
  const nodeIp = nodeByName(cluster, node)?.ip ?? '';
  st.hops.push({
    where: 'cloud load balancer',
    what: `${label} → ${pkt.dst}:${pkt.dport} forwarded to ${node} ${nodeIp}:${sp.nodePort}`,
    detail: local ? `externalTrafficPolicy: Local — only nodes passing the health check (${candidates.join(', ')}); client address kept` : `externalTrafficPolicy: Cluster — any node (${candidates.join(', ')})`,
    verdict: 'pass',
    stage: 'lb',
  });
  st.latency += jitter(cluster, 0.4, 0.4);
  return { node, packet: { ...pkt, dst: nodeIp, dport: sp.nodePort } };
}

/** Leaving the cluster: SNAT to the node's address (the CNI's outgoing NAT), then the simulated internet. */
function toInternet(st: State, pkt: Packet, where: string, node: string | undefined): WalkResult {
  const { cluster: cluster } = st;
  let seen = pkt.src;
  if (node) {
    const nip = (pkt.src.includes(':') ? hostIp6(cluster, { kind: 'node', node }) : nodeByName(cluster, node)?.ip) || pkt.src;
    if (pkt.src !== nip) st.hops.push({ where: `node ${node}`, what: `leaving the cluster: SNAT ${pkt.src} → ${nip} (${cniName(cluster)} outgoing NAT)`, verdict: 'snat', stage: 'nat', node });
    seen = nip;
    st.routers += 1;
  }
  st.hops.push({ where, what: `routed out to the internet toward ${pkt.dst}`, verdict: 'pass', stage: 'internet', ...(node ? { node } : {}) });
  // The nodes' IPv6 network is unique-local (kind's docker network, no NAT66): what leaves for
  // a public IPv6 address gets no answer back.
  const host = pkt.dst.includes(':') ? undefined : internetHostByIp(pkt.dst);
  st.routers += 8;
  st.latency += jitter(cluster, 8, 6);
  if (!host) {
    st.hops.push({ where: 'internet', what: `no host answers at ${pkt.dst}`, verdict: 'drop', stage: 'internet' });
    return result(st, 'timeout', { reason: `nothing answers at ${pkt.dst}` });
  }
  if (pkt.proto === 'tcp' && !host.tcp.includes(pkt.dport)) {
    // Public hosts sit behind firewalls that drop SYNs to ports they do not serve: no RST comes back.
    st.hops.push({ where: 'internet', what: `${pkt.dst} does not serve TCP ${pkt.dport}: its firewall drops the SYN`, verdict: 'drop', stage: 'internet' });
    return result(st, 'timeout', { reason: `${pkt.dst} drops TCP port ${pkt.dport}` });
  }
  return arrive(st, { kind: 'external', ip: pkt.dst }, pkt.dst, pkt.dport, pkt.proto, seen);
}

// ---- names ------------------------------------------------------------------------------

/**
 * The resolver as the host would run it (controllers/dns: the pod's resolv.conf, search
 * list and ndots, each query a UDP packet to the nameserver walked through this file — so a
 * default-deny egress policy without a DNS rule breaks resolution before the connection is
 * even tried, and the resolution comes back TIMEOUT).
 */
export function resolveName(cluster: NetCluster, from: HostRef, name: string): { resolution: Resolution; dnsTimeout?: boolean } {
  const r = cluster.resolver.resolve(from, name);
  const dnsTimeout = r.addresses.length === 0 && (r.rcode === 'TIMEOUT' || (r.queries.length > 0 && r.queries.every((q) => q.rcode === 'TIMEOUT')));
  return { resolution: r, dnsTimeout };
}

function dnsHop(cluster: NetCluster, from: Source, name: string, r: Resolution, timeout: boolean): TraceHop {
  const servers = [...new Set(r.queries.map((q) => q.server))].join(', ');
  const n = r.queries.length;
  if (r.addresses.length) {
    return { where: hostLabel(cluster, from), what: `DNS: ${name} → ${r.addresses.join(', ')}${r.name && r.name !== name ? ` (${r.name})` : ''}`, detail: n ? `${n} quer${n === 1 ? 'y' : 'ies'} to ${servers}` : 'from /etc/hosts', verdict: 'pass', stage: 'dns' };
  }
  return { where: hostLabel(cluster, from), what: timeout ? `DNS: no answer from ${servers || 'the nameserver'} for ${name}` : `DNS: ${name} does not exist (${r.rcode} for every name in the search list)`, detail: n ? `${n} quer${n === 1 ? 'y' : 'ies'}: ${r.queries.map((q) => `${q.name} ${q.rcode}`).join(', ')}` : undefined, verdict: 'drop', stage: 'dns' };
}

/**
 * Resolves `hostOrIp` as the host's resolver would, then sends the packet. The result
 * carries the resolution (for curl -v / wget's "Connecting to …") and the address tried.
 */
export function connect(cluster: NetCluster, from: HostRef, hostOrIp: string, port: number, proto: Protocol = 'tcp', opts: WalkOptions = {}): ConnectResult {
  let address = hostOrIp;
  let resolution: Resolution | undefined;
  const preHops: TraceHop[] = [];
  const literal6 = hostOrIp.replace(/^\[|\]$/g, '');
  const six = !!cluster.settings.podCIDRv6 && isIPv6(literal6) && hostOrIp !== '::1';
  const noRoute6 = (address6: string, hops: TraceHop[], resolution?: Resolution): ConnectResult => {
    const res: ConnectResult = {
      outcome: 'unreachable',
      netUnreachable: true,
      hopCount: 0,
      mtu: 1500,
      hops: [...hops, { where: hostLabel(cluster, from), what: `no IPv6 route to ${address6} (an IPv4-only cluster: only ::1 and fe80::/64): ENETUNREACH, nothing is sent`, verdict: 'drop', stage: 'route' }],
      reason: `no IPv6 route to ${address6}`,
      address: address6,
      resolution,
    };
    if (opts.record !== false) recordWalk(cluster, opts.command ?? '', from, `${hostOrIp}:${port}/${proto}`, res);
    return res;
  };
  if (!cluster.settings.podCIDRv6 && isIPv6(literal6) && literal6 !== '::1') return noRoute6(literal6, []);
  if (six && !carriesIPv6(cluster)) {
    return { outcome: 'unreachable', hopCount: 0, mtu: 1500, hops: [], ipv6: literal6 };
  }
  if (six) {
    address = canonicalIPv6(literal6);
  } else if (!isDottedQuad(hostOrIp) && !isLoopback(hostOrIp)) {
    const r = resolveName(cluster, from, hostOrIp);
    cluster.flows?.lookup?.(from, r.resolution);
    resolution = r.resolution;
    preHops.push(dnsHop(cluster, from, hostOrIp, r.resolution, !!r.dnsTimeout));
    const aaaa = r.resolution.addresses6 ?? [];
    const v6 = carriesIPv6(cluster);
    // the family the tool asked for (-4/-6), or the one it tries first (curl: AAAA, then A)
    const use6 = opts.family === 6 || (aaaa.length > 0 && v6 && opts.family === 'prefer6') || (r.resolution.addresses.length === 0 && aaaa.length > 0 && opts.family !== 4);
    // IPv4-only: the AAAA answer a tool tries (curl's happy eyeballs first, -6, a name with only
    // AAAA) fails at once; getaddrinfo's RFC 6724 sort puts the A answers first for the others
    const tries6 = use6 || (aaaa.length > 0 && opts.family === 'prefer6');
    if (tries6 && aaaa.length && !cluster.settings.podCIDRv6) return noRoute6(aaaa[0], preHops, resolution);
    if (use6 && aaaa.length && !v6) {
      return { outcome: 'unreachable', hopCount: 0, mtu: 1500, hops: preHops, resolution, ipv6: aaaa[0] };
    }
    if ((use6 ? aaaa : r.resolution.addresses).length === 0) {
      const res: ConnectResult = {
        outcome: 'nxdomain',
        hopCount: 0,
        mtu: 1500,
        hops: preHops,
        reason: r.dnsTimeout ? `DNS for ${hostOrIp} failed: the nameserver did not answer (is UDP 53 to kube-dns allowed by egress policy?)` : `the name ${hostOrIp} does not resolve`,
        resolution,
        dnsTimeout: r.dnsTimeout,
      };
      if (opts.record !== false) recordWalk(cluster, opts.command ?? '', from, `${hostOrIp}:${port}/${proto}`, res);
      return res;
    }
    address = use6 ? aaaa[0] : r.resolution.addresses[0];
  } else if (hostOrIp === 'localhost') {
    address = '127.0.0.1';
  }
  const st: State = { cluster: cluster, hops: [...preHops], routers: 0, mtu: 1500, latency: 0 };
  const res = walk(st, from, { ip: address, port, proto }, opts) as ConnectResult;
  cluster.flows?.observe(from, res);
  res.address = address;
  res.resolution = resolution;
  if (opts.record !== false) recordWalk(cluster, opts.command ?? '', from, `${hostOrIp}:${port}/${proto}`, res);
  return res;
}

/**
 * Runs `fn` (walks) without leaving a mark: the random stream, kube-proxy's conntrack and
 * traffic state (IPVS connections, rule counters) are put back and Hubble hears nothing, so a
 * check or a what-if never changes what the learner sees next. Walks inside should pass
 * `record: false`; the clock does not move during a walk.
 */
export function dryRun<T>(cluster: NetCluster, fn: () => T): T {
  const saved = cluster.rng.state();
  // kube-proxy's translate() records each connection it NATs in the node's conntrack table
  // (what `conntrack -L` lists); a check is not a connection, so those entries are put back.
  const conntrack = cluster.serviceProxy.saveConntrack();
  cluster.flows?.pause();
  try {
    return fn();
  } finally {
    cluster.rng.setState(saved);
    cluster.serviceProxy.restoreConntrack(conntrack);
    cluster.flows?.resume();
  }
}

/**
 * For grading: can `from` reach `to` (a name or an address) on `port`? It walks the packet
 * exactly as curl would, but leaves no trace and restores the random stream, so checking
 * never changes what the learner sees next.
 */
export function reach(cluster: NetCluster, from: HostRef, to: string, port: number, proto: Protocol = 'tcp'): { allowed: boolean; outcome: WalkResult['outcome']; reason: string; trace: TraceHop[]; result: ConnectResult } {
  return dryRun(cluster, () => {
    const r = connect(cluster, from, to, port, proto, { record: false, sport: 40000 });
    const reason = r.reason ?? (r.outcome === 'delivered' ? `delivered to ${r.server?.ip}:${r.server?.port}` : r.outcome);
    return { allowed: r.outcome === 'delivered', outcome: r.outcome, reason, trace: r.hops, result: r };
  });
}
