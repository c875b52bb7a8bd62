/**
 * One packet through a node in nftables mode: the hooks it crosses (prerouting, then
 * input or forward and postrouting; output and postrouting for the host's own packets),
 * each running every base chain registered there — kube-proxy's nftables chains and the
 * iptables-nft chains of kubelet and the CNI agent — by priority (dataplane/nftables/
 * hooks.ts), executing the node's *current* rules. Like the iptables walk (../walk.ts), the
 * connection it NATs is recorded in the node's conntrack table.
 */
import type { NatDecision, Packet, PacketOrigin } from '../../../dataplane/packet';
import type { NodeNetfilter } from '../../../dataplane/netfilter/tables';
import { runHook, type HookConntrack } from '../../../dataplane/nftables/hooks';
import type { NftEnv } from '../../../dataplane/nftables/execute';
import type { NftRuleset } from '../../../dataplane/nftables/ruleset';
import { existingConnection, reuseConnection, startWalk, type SourceWorkload, type WalkHost } from '../walk';

export function walkNftNode(host: WalkHost, node: string, nf: NodeNetfilter, rs: NftRuleset, pkt: Packet, origin: PacketOrigin, wl?: SourceWorkload): NatDecision {
  const w = startWalk(host, node, nf, pkt, origin, 'nftables', wl);
  // The CNI agent's iptables-nft chains decide the pod's egress where they sit among the
  // hook's base chains (Felix's FORWARD, registered after kube-proxy's table, runs first at filter priority).
  const ipt = w.env;
  const env: NftEnv = { isLocal: ipt.isLocal, random: ipt.random, now: ipt.now };
  // conntrack (nf_conntrack_in) at the first hook: a tracked connection's NAT binding is
  // reused and every later NAT chain skipped, as in the iptables walk (../walk.ts reuseConnection)
  const bound = () => !!w.tracked;
  const lookup: HookConntrack = {
    lookup: () => {
      const e = existingConnection(host, node, pkt);
      if (e) reuseConnection(w, e);
    },
    bound,
  };
  const hook = (h: Parameters<typeof runHook>[0], ct: HookConntrack) => {
    const r = runHook(h, nf, ipt, rs, env, w.st, w.hops, ct);
    if (r.dnat) w.dnatTo = r.dnat;
    if (r.masquerade) w.masquerade = true;
    if (r.randomFully) w.randomFully = true;
    return r;
  };
  const later: HookConntrack = { lookup: () => undefined, bound };

  const first = hook(origin === 'host' ? 'output' : 'prerouting', lookup);
  if (first.verdict !== 'ACCEPT') return w.done(first.verdict, first.rejectWith);
  const local = host.isLocal(node, w.st.dst);
  if (origin !== 'host') {
    const r = hook(local ? 'input' : 'forward', later);
    if (r.verdict !== 'ACCEPT') return w.done(r.verdict, r.rejectWith);
  }
  if (!local || origin === 'host') {
    const r = hook('postrouting', later);
    if (r.verdict !== 'ACCEPT') return w.done(r.verdict, r.rejectWith);
  }
  w.record();
  return w.done('ACCEPT');
}
