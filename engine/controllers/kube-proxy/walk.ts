/**
 * One packet through a node's netfilter hooks, as every proxy mode's translate() runs it:
 * nat PREROUTING (from a pod or the wire) or nat OUTPUT (from the host), then filter
 * INPUT/FORWARD/OUTPUT, then nat POSTROUTING for what leaves the node, executing the
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

export function walkNode(host: WalkHost, node: string, nf: NodeNetfilter, pkt: Packet, origin: PacketOrigin, via: NatDecision['via'], localIn?: LocalInHook, wl?: SourceWorkload): NatDecision {
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
      if (w.masquerade) d.masqueradeTo = host.masqueradeSource(node, packet.dst) ?? host.nodeIP(node);
      if (w.masquerade && w.randomFully && pkt.proto !== 'icmp' && host.natPort) d.masqueradePort = host.natPort(node, pkt);
      if (w.dnatTo) d.dnatTo = w.dnatTo;
      if (rejectWith) d.rejectWith = rejectWith;
      const egress = wl?.decide(st, hops);
      if (egress) d.egress = egress;
      return d;
    },
    record() {
      recordTranslated(host, node, pkt, w.dnatTo, w.masquerade, w.randomFully);
    },
  };
  const env = w.env;
  // raw PREROUTING (or OUTPUT), before conntrack: Calico's anti-spoofing rpfilter check lives
  // there. Its hops join the trace only when it decides (a drop), so the usual trace stays short.
  const r0 = traverseRaw(env, origin === 'host' ? 'OUTPUT' : 'PREROUTING', st, hops);
  if (r0.verdict !== 'ACCEPT') return w.done(r0.verdict, r0.rejectWith);
  // nat PREROUTING (from a pod or the wire) or nat OUTPUT (from the host itself).
  const r1 = traverse(env, 'nat', origin === 'host' ? 'OUTPUT' : 'PREROUTING', st, hops);
  if (r1.verdict !== 'ACCEPT') return w.done(r1.verdict, r1.rejectWith);
  if (r1.dnat) w.dnatTo = r1.dnat;
  w.local = st.dst6 !== undefined ? !!env.isLocal6?.(st.dst6) : host.isLocal(node, st.dst);
  if (localIn && !w.dnatTo) {
    const d = localIn(w);
    if (d) return d;
  }
  const filterChain = origin === 'host' ? 'OUTPUT' : w.local ? 'INPUT' : 'FORWARD';
  const r2 = traverse(env, 'filter', filterChain, st, hops);
  if (r2.verdict !== 'ACCEPT') return w.done(r2.verdict, r2.rejectWith);
  if (!w.local || origin === 'host') {
    const r3 = traverse(env, 'nat', 'POSTROUTING', st, hops);
    if (r3.masquerade) w.masquerade = true;
    if (r3.randomFully) w.randomFully = true;
  }
  w.record();
  return w.done('ACCEPT');
}

/**
 * The raw table's built-in chain for the packet (iptables' raw, priority -300: before
 * conntrack and NAT). Its hops are kept only if it drops the packet.
 */
export function traverseRaw(env: ExecEnv, chain: 'PREROUTING' | 'OUTPUT', st: PacketState, hops: TraceHop[]): ReturnType<typeof traverse> {
  const own: TraceHop[] = [];
  const r = traverse(env, 'raw', chain, st, own);
  if (r.verdict !== 'ACCEPT') hops.push(...own);
  return r;
}

/** Records a connection a node translated (or let through) in its conntrack table. */
export function recordTranslated(host: WalkHost, node: string, pkt: Packet, dnat: { ip: string; port: number } | undefined, masq: boolean, randomFully = false): void {
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
  host.recordConnection(node, entry);
}
