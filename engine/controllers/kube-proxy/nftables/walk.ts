/**
 * One packet through a node in nftables mode: the hooks it crosses (prerouting, then
 * input or forward and postrouting; output and postrouting for the host's own packets),
 * each running every base chain registered there — kube-proxy's nftables chains and the
 * iptables-nft chains of kubelet and the CNI agent — by priority (dataplane/nftables/
 * hooks.ts), executing the node's *current* rules. Like the iptables walk (../walk.ts), the
 * connection it NATs is recorded in the node's conntrack table.
 */
import type { NatDecision, Packet, PacketOrigin } from '../../../dataplane/packet';
import type { TraceHop } from '../../../types';
import type { NodeNetfilter } from '../../../dataplane/netfilter/tables';
import type { PacketState } from '../../../dataplane/netfilter/execute';
import { parseIPv4 } from '../../../dataplane/netfilter/rule';
import { runHook } from '../../../dataplane/nftables/hooks';
import type { NftEnv } from '../../../dataplane/nftables/execute';
import type { NftRuleset } from '../../../dataplane/nftables/ruleset';
import { recordTranslated, workloadEnv, type SourceWorkload, type WalkHost } from '../walk';

export function walkNftNode(host: WalkHost, node: string, nf: NodeNetfilter, rs: NftRuleset, pkt: Packet, origin: PacketOrigin, wl?: SourceWorkload): NatDecision {
  const hops: TraceHop[] = [];
  const st: PacketState = {
    src: parseIPv4(pkt.src) ?? 0, dst: parseIPv4(pkt.dst) ?? 0, sport: pkt.sport, dport: pkt.dport, proto: pkt.proto,
    mark: 0, ctstate: new Set(['NEW']), bytes: 60,
    inIface: origin === 'external' ? 'eth0' : origin === 'pod' ? wl?.iface : 'lo',
  };
  // The CNI agent's iptables-nft chains decide the pod's egress where they sit among the
  // hook's base chains (Felix's FORWARD, registered after kube-proxy's table, runs first at filter priority).
  const ipt = workloadEnv(host.env(node, nf), wl);
  const env: NftEnv = { isLocal: ipt.isLocal, random: ipt.random, now: ipt.now };
  let dnatTo: { ip: string; port: number } | undefined;
  let masquerade = false;
  let randomFully = false;
  const done = (verdict: NatDecision['verdict'], rejectWith?: string): NatDecision => {
    const packet: Packet = { ...pkt, dst: dnatTo?.ip ?? pkt.dst, dport: dnatTo?.port ?? pkt.dport };
    const d: NatDecision = { packet, masquerade, verdict, via: 'nftables', hops };
    if (masquerade) d.masqueradeTo = host.masqueradeSource(node, packet.dst) ?? host.nodeIP(node);
    if (masquerade && randomFully && pkt.proto !== 'icmp' && host.natPort) d.masqueradePort = host.natPort(node, pkt);
    if (dnatTo) d.dnatTo = dnatTo;
    if (rejectWith) d.rejectWith = rejectWith;
    const egress = wl?.decide(st, hops);
    if (egress) d.egress = egress;
    return d;
  };
  const hook = (h: Parameters<typeof runHook>[0]) => {
    const r = runHook(h, nf, ipt, rs, env, st, hops);
    if (r.dnat) dnatTo = r.dnat;
    if (r.masquerade) masquerade = true;
    if (r.randomFully) randomFully = true;
    return r;
  };

  const first = hook(origin === 'host' ? 'output' : 'prerouting');
  if (first.verdict !== 'ACCEPT') return done(first.verdict, first.rejectWith);
  const local = host.isLocal(node, st.dst);
  if (origin !== 'host') {
    const r = hook(local ? 'input' : 'forward');
    if (r.verdict !== 'ACCEPT') return done(r.verdict, r.rejectWith);
  }
  if (!local || origin === 'host') {
    const r = hook('postrouting');
    if (r.verdict !== 'ACCEPT') return done(r.verdict, r.rejectWith);
  }
  recordTranslated(host, node, pkt, dnatTo, masquerade, randomFully);
  return done('ACCEPT');
}
