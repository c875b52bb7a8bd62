/**
 * One packet through a node's netfilter hooks, as every proxy mode's translate() runs it, each
 * hook's tables in their priority order (raw -300, conntrack -200, mangle -150, nat DNAT -100,
 * filter 0, nat SNAT 100: include/uapi/linux/netfilter_ipv4.h nf_ip_hook_priorities): raw then
 * mangle then nat PREROUTING (from a pod or the wire) or OUTPUT (from the host), then mangle and
 * filter INPUT/FORWARD/OUTPUT, then mangle and nat POSTROUTING for what leaves the node, executing the
 * node's *current* rules (manual edits included), and the connection it NATs recorded in
 * the node's conntrack table. A mode that does more at LOCAL_IN (IPVS) passes a hook.
 */
import type { NatDecision, Packet, PacketOrigin } from '../../dataplane/packet';
import type { TraceHop } from '../../types';
import type { NodeNetfilter } from '../../dataplane/netfilter/tables';
import { parseIPv4, type Rule, type TableName } from '../../dataplane/netfilter/rule';
import { parseIPv6 } from '../../cluster/ipv6';
import { traverse, type ExecEnv, type PacketState } from '../../dataplane/netfilter/execute';
import { CT_TIMEOUTS, type ConntrackEntry } from './conntrack';

/** What the walk needs from the kube-proxy module. */
export interface WalkHost {
  /** addrtype LOCAL on the node. */
  isLocal(node: string, ip: number): boolean;
  /** The executor's environment for the node's tables. */
  env(node: string, nf: NodeNetfilter): ExecEnv;
  nodeIP(node: string): string | undefined;
  /** The address MASQUERADE gives a packet leaving the node for `dst`: its outgoing interface's (`ip route get`). */
  masqueradeSource(node: string, dst: string): string | undefined;
  recordConnection(node: string, entry: ConntrackEntry): void;
  /** The port `MASQUERADE --random-fully` gives a connection's source (seeded). */
  natPort?(node: string, pkt: Packet): number;
  /** The node's conntrack entry whose original tuple is the packet's (nf_conntrack_in's lookup), if any. */
  trackedConnection?(node: string, pkt: Packet): ConntrackEntry | undefined;
}

/**
 * The entry an arriving packet belongs to, as nf_conntrack_in finds it: a TCP entry in
 * TIME_WAIT or CLOSE does not take a new SYN (nf_conntrack_proto_tcp.c kills it and tracks the
 * connection anew, RFC 1122's reopening), every other one does — a UDP flow, an ICMP echo id,
 * a TCP connection in any open state (a SYN on ESTABLISHED is ignored as a state change, the
 * packet stays in the connection).
 */
export function existingConnection(host: WalkHost, node: string, pkt: Packet): ConntrackEntry | undefined {
  const e = host.trackedConnection?.(node, pkt);
  if (!e || (e.proto === 'tcp' && (e.state === 'TIME_WAIT' || e.state === 'CLOSE'))) return undefined;
  return e;
}

/**
 * The local pod a packet comes from, as the CNI agent's chains see it: the host-side
 * interface it enters the node on, and the chain in which the agent enforces the pod's
 * egress policy (Calico: cali-fw-<veth>). The chains themselves decide: `watch` sees the
 * rules the packet matches, and `decide` reads the verdict off them once the hooks ran
 * (allowed, unpoliced, if the packet never reached the workload's chain).
 */
export interface SourceWorkload {
  iface: string;
  egressChain: string;
  watch: { enter(table: TableName, chain: string): void; rule(table: TableName, chain: string, rule: Rule): void };
  decide(pkt: PacketState, hops: TraceHop[]): { allowed: boolean; reason: string } | undefined;
}

/** The executor's environment, with the workload's watch on the agent's chains. */
export function workloadEnv(base: ExecEnv, wl: SourceWorkload | undefined): ExecEnv {
  if (!wl) return base;
  return {
    ...base,
    enterChain: (table, chain) => {
      wl.watch.enter(table, chain);
      return undefined;
    },
    observe: (table, chain, rule) => wl.watch.rule(table, chain, rule),
  };
}

/** A packet part-way through the walk, as a LOCAL_IN hook sees it. */
export interface Walk {
  readonly host: WalkHost;
  readonly node: string;
  readonly pkt: Packet;
  readonly origin: PacketOrigin;
  readonly env: ExecEnv;
  readonly st: PacketState;
  readonly hops: TraceHop[];
  /** The destination is one of the node's addresses. */
  local: boolean;
  masquerade: boolean;
  /** The masquerade drew its port at random (--random-fully). */
  randomFully?: boolean;
  dnatTo?: { ip: string; port: number };
  /** The source NAT an existing conntrack entry binds (its reply tuple's destination). */
  snatTo?: { ip: string; port: number };
  /** The conntrack entry the packet belongs to (its NAT reused, the nat chains skipped). */
  tracked?: ConntrackEntry;
  /** IPVS picked the destination (the entry it records carries no NAT binding: ConntrackEntry.ipvs). */
  viaIpvs?: boolean;
  /** The decision with the packet as rewritten so far. */
  done(verdict: NatDecision['verdict'], rejectWith?: string): NatDecision;
  /** Records the translated connection in the node's conntrack table. */
  record(): void;
}

/**
 * Runs after nat PREROUTING/OUTPUT when it did not DNAT the packet: returns the decision
 * if the hook took the packet, or undefined to go on with the plain netfilter walk.
 */
export type LocalInHook = (w: Walk) => NatDecision | undefined;

/**
 * The walk's state for one packet entering a node: the executor's packet, the trace, the
 * decision built from what the hooks did (shared by the iptables, IPVS and nftables walks).
 */
export function startWalk(host: WalkHost, node: string, nf: NodeNetfilter, pkt: Packet, origin: PacketOrigin, via: NatDecision['via'], wl?: SourceWorkload): Walk {
  const hops: TraceHop[] = [];
  // an IPv6 packet (ip6tables' tables) carries its addresses as 128-bit numbers beside 0/0
  const six = pkt.dst.includes(':');
  const src = six ? 0 : parseIPv4(pkt.src) ?? 0;
  const dst = six ? 0 : parseIPv4(pkt.dst) ?? 0;
  const st: PacketState = {
    ...(six ? { src6: parseIPv6(pkt.src) ?? 0n, dst6: parseIPv6(pkt.dst) ?? 0n } : {}),
    src, dst, sport: pkt.sport, dport: pkt.dport, proto: pkt.proto, mark: 0, ctstate: new Set(['NEW']), bytes: six ? 80 : 60,
    // A pod's packet arrives on its host-side veth when the CNI agent's chains dispatch on it
    // (Calico's cali-from-wl-dispatch); otherwise left unset, so interface-specific CNI rules
    // do not claim it.
    inIface: origin === 'external' ? 'eth0' : origin === 'pod' ? wl?.iface : 'lo',
  };
  const w: Walk = {
    host, node, pkt, origin, st, hops,
    env: workloadEnv(host.env(node, nf), wl),
    local: false,
    masquerade: false,
    done(verdict, rejectWith) {
      const packet: Packet = { ...pkt, dst: w.dnatTo?.ip ?? pkt.dst, dport: w.dnatTo?.port ?? pkt.dport };
      const d: NatDecision = { packet, masquerade: w.masquerade, verdict, via, hops };
      if (w.masquerade) d.masqueradeTo = w.snatTo?.ip ?? host.masqueradeSource(node, packet.dst) ?? host.nodeIP(node);
      if (w.masquerade && w.randomFully && pkt.proto !== 'icmp' && host.natPort) d.masqueradePort = host.natPort(node, pkt);
      if (w.snatTo && w.snatTo.port !== pkt.sport && pkt.proto !== 'icmp') d.masqueradePort = w.snatTo.port;
      if (w.dnatTo) d.dnatTo = w.dnatTo;
      if (rejectWith) d.rejectWith = rejectWith;
      const egress = wl?.decide(st, hops);
      if (egress) d.egress = egress;
      return d;
    },
    record() {
      if (w.tracked) recordReused(host, node, pkt, w.tracked);
      else recordTranslated(host, node, pkt, w.dnatTo, w.masquerade, w.randomFully, w.viaIpvs);
    },
  };
  return w;
}

export function walkNode(host: WalkHost, node: string, nf: NodeNetfilter, pkt: Packet, origin: PacketOrigin, via: NatDecision['via'], localIn?: LocalInHook, wl?: SourceWorkload): NatDecision {
  const w = startWalk(host, node, nf, pkt, origin, via, wl);
  const { st, hops } = w;
  const env = w.env;
  // raw PREROUTING (or OUTPUT), before conntrack: Calico's anti-spoofing rpfilter check lives
  // there. Its hops join the trace only when it decides (a drop), so the usual trace stays short.
  const r0 = traverseRaw(env, origin === 'host' ? 'OUTPUT' : 'PREROUTING', st, hops);
  if (r0.verdict !== 'ACCEPT') return w.done(r0.verdict, r0.rejectWith);
  const tracked = existingConnection(host, node, pkt);
  if (tracked) reuseConnection(w, tracked);
  const m1 = traverseQuiet(env, 'mangle', origin === 'host' ? 'OUTPUT' : 'PREROUTING', st, hops);
  if (m1.verdict !== 'ACCEPT') return w.done(m1.verdict, m1.rejectWith);
  // nat PREROUTING (from a pod or the wire) or nat OUTPUT (from the host itself); nf_nat_inet_fn
  // runs the nat chains only for a connection with no NAT binding yet.
  const r1 = w.tracked ? undefined : traverse(env, 'nat', origin === 'host' ? 'OUTPUT' : 'PREROUTING', st, hops);
  if (r1 && r1.verdict !== 'ACCEPT') return w.done(r1.verdict, r1.rejectWith);
  if (r1?.dnat) w.dnatTo = r1.dnat;
  w.local = st.dst6 !== undefined ? !!env.isLocal6?.(st.dst6) : host.isLocal(node, st.dst);
  if (localIn && !w.dnatTo) {
    const d = localIn(w);
    if (d) return d;
  }
  const filterChain = origin === 'host' ? 'OUTPUT' : w.local ? 'INPUT' : 'FORWARD';
  // a host's own packet met mangle OUTPUT already, before nat OUTPUT
  if (origin !== 'host') {
    const m2 = traverseQuiet(env, 'mangle', filterChain, st, hops);
    if (m2.verdict !== 'ACCEPT') return w.done(m2.verdict, m2.rejectWith);
  }
  const r2 = traverse(env, 'filter', filterChain, st, hops);
  if (r2.verdict !== 'ACCEPT') return w.done(r2.verdict, r2.rejectWith);
  if (!w.local || origin === 'host') {
    const m3 = traverseQuiet(env, 'mangle', 'POSTROUTING', st, hops);
    if (m3.verdict !== 'ACCEPT') return w.done(m3.verdict, m3.rejectWith);
  }
  if ((!w.local || origin === 'host') && !w.tracked) {
    const r3 = traverse(env, 'nat', 'POSTROUTING', st, hops);
    if (r3.masquerade) w.masquerade = true;
    if (r3.randomFully) w.randomFully = true;
  }
  w.record();
  return w.done('ACCEPT');
}

/**
 * A packet of a connection the node already tracks: ctstate ESTABLISHED once the entry has
 * seen a reply (NEW while it is unreplied), and the NAT bound to the entry applied again
 * (nf_nat_packet over the reply tuple: its source is where the DNAT sent the connection, its
 * destination what the SNAT made of the client). The nat chains are skipped when the entry
 * carries a binding or has seen its reply (an entry created by hand without NAT and still
 * unreplied is NATed by its first packet, as nf_nat_inet_fn finds no binding yet).
 */
export function reuseConnection(w: Walk, e: ConntrackEntry): void {
  const pkt = w.pkt;
  // IPVS altered the entry's reply tuple without a NAT binding: the real server is IPVS's to say
  const dnat = !e.ipvs && (e.replySrc !== pkt.dst || e.replySport !== pkt.dport);
  const snat = e.replyDst !== pkt.src || (pkt.proto !== 'icmp' && e.replyDport !== pkt.sport);
  w.st.ctstate = new Set([e.unreplied ? 'NEW' : 'ESTABLISHED']);
  if (!dnat && !snat && e.unreplied) return;
  w.tracked = e;
  const tuple = `${pkt.proto} ${pkt.src}:${pkt.sport} → ${pkt.dst}:${pkt.dport}`;
  const what = e.ipvs
    ? `${tuple} belongs to a tracked connection${e.unreplied ? '' : ' (ESTABLISHED)'}: the nat table is not consulted; IPVS's own connection table picks the real server`
    : `${tuple} belongs to a tracked connection${e.unreplied ? '' : ' (ESTABLISHED)'}: its NAT binding is reused, the nat table is not consulted`;
  w.hops.push({ where: `conntrack on ${w.node}`, what, verdict: 'pass', stage: 'nat' });
  if (dnat) {
    w.dnatTo = { ip: e.replySrc, port: e.replySport };
    w.hops.push({ where: `conntrack on ${w.node}`, what: `DNAT (from the entry) → ${e.replySrc}:${e.replySport}`, verdict: 'dnat', stage: 'service' });
    // the filter chains see the translated destination, as after nat PREROUTING
    if (w.st.dst6 === undefined) w.st.dst = parseIPv4(e.replySrc) ?? w.st.dst;
    else w.st.dst6 = parseIPv6(e.replySrc) ?? w.st.dst6;
    w.st.dport = e.replySport;
    w.st.ctstate.add('DNAT');
  }
  if (snat) {
    w.masquerade = true;
    w.snatTo = { ip: e.replyDst, port: e.replyDport };
  }
}

/**
 * A packet of a tracked connection refreshes its entry, mark and binding kept: TCP keeps its
 * state (a SYN on an open connection is no state change: tcp_conntracks' sIG) and restarts its
 * timer; UDP and ICMP count the reply the server sends (SEEN_REPLY) and restart theirs.
 */
function recordReused(host: WalkHost, node: string, pkt: Packet, e: ConntrackEntry): void {
  const next: ConntrackEntry = { ...e, expires: undefined };
  if (pkt.proto !== 'tcp') {
    delete next.unreplied;
    next.timeout = pkt.proto === 'udp' ? CT_TIMEOUTS.udp : CT_TIMEOUTS.icmp;
  }
  host.recordConnection(node, next);
}

/**
 * The raw table's built-in chain for the packet (iptables' raw, priority -300: before
 * conntrack and NAT). Its hops are kept only if it drops the packet.
 */
export function traverseRaw(env: ExecEnv, chain: 'PREROUTING' | 'OUTPUT', st: PacketState, hops: TraceHop[]): ReturnType<typeof traverse> {
  return traverseQuiet(env, 'raw', chain, st, hops);
}

/**
 * A table whose rules mark or police rather than translate (raw, mangle: Felix's cali-PREROUTING
 * and cali-POSTROUTING, kube-proxy's KUBE-KUBELET-CANARY): executed — its counters move, its
 * marks stay on the packet — with its hops joining the trace only when it stops the packet.
 */
export function traverseQuiet(env: ExecEnv, table: 'raw' | 'mangle', chain: string, st: PacketState, hops: TraceHop[]): ReturnType<typeof traverse> {
  const own: TraceHop[] = [];
  const r = traverse(env, table, chain, st, own);
  if (r.verdict !== 'ACCEPT') hops.push(...own);
  return r;
}

/** Records a connection a node translated (or let through) in its conntrack table. */
export function recordTranslated(host: WalkHost, node: string, pkt: Packet, dnat: { ip: string; port: number } | undefined, masq: boolean, randomFully = false, ipvs = false): void {
  const tcp = pkt.proto === 'tcp';
  if (pkt.proto !== 'tcp' && pkt.proto !== 'udp' && pkt.proto !== 'icmp') return;
  const entry: ConntrackEntry = {
    proto: pkt.proto,
    src: pkt.src,
    dst: pkt.dst,
    sport: pkt.sport,
    dport: pkt.dport,
    replySrc: dnat?.ip ?? pkt.dst,
    replyDst: masq ? host.masqueradeSource(node, dnat?.ip ?? pkt.dst) ?? host.nodeIP(node) ?? pkt.src : pkt.src,
    replySport: dnat?.port ?? pkt.dport,
    // --random-fully: the SNAT draws the source port (nf_nat_l4proto_unique_tuple), so the reply comes back to another one
    replyDport: masq && randomFully && pkt.proto !== 'icmp' ? host.natPort?.(node, pkt) ?? pkt.sport : pkt.sport,
    state: tcp ? 'TIME_WAIT' : undefined,
    timeout: tcp ? CT_TIMEOUTS.tcpTimeWait : pkt.proto === 'udp' ? CT_TIMEOUTS.udp : CT_TIMEOUTS.icmp,
    assured: tcp,
    mark: 0,
  };
  if (ipvs && dnat) entry.ipvs = true;
  host.recordConnection(node, entry);
}
