/**
 * One netfilter hook on a node where iptables-nft tables (kubelet's, the CNI agent's) and
 * nftables tables (kube-proxy's) both have base chains: every base chain at the hook runs
 * in priority order (dstnat -100, filter 0, srcnat 100; kube-proxy's pre-DNAT filter
 * chains at dstnat - 10). At equal priority the chain registered last runs first
 * (nf_hook_entries_grow inserts a hook before the first one of equal or higher priority).
 * A drop or reject ends the packet's walk; accept ends that base chain only. NAT chains
 * set up one binding per hook: once one of them NATs the connection, the later NAT chains
 * at the hook are skipped (nf_nat_inet_fn), and all of them for a connection conntrack
 * already tracks with its binding. As in the iptables walk, iptables' raw table runs first
 * (priority -300), conntrack next (nf_conntrack_in, -200: the caller's `HookConntrack`), then
 * iptables' mangle chains (-150: Felix's cali-PREROUTING and cali-POSTROUTING, still written
 * through iptables-nft when kube-proxy runs in nftables mode, which has no mangle of its own);
 * raw and mangle hops are kept only when they stop the packet.
 */
import type { TraceHop } from '../../types';
import { traverse, type ChainResult, type ExecEnv, type PacketState } from '../netfilter/execute';
import type { NodeNetfilter } from '../netfilter/tables';
import type { TableName } from '../netfilter/rule';
import { nftTraverse, type NftEnv } from './execute';
import type { NftHook, NftRuleset } from './ruleset';

/**
 * When a base chain was registered, by boot order: kubelet's iptables chains (filter
 * INPUT/OUTPUT for KUBE-FIREWALL) first, then kube-proxy's table, then the CNI agent's
 * iptables chains (it starts once the kubernetes Service works, i.e. after kube-proxy).
 */
export const REGISTERED = { kubelet: 0, kubeProxy: 1, cni: 2 } as const;

/** iptables-nft's base chains the walk runs: [hook, table, chain, type, priority, registered]. */
const IPTABLES_BASE: [NftHook, TableName, string, 'filter' | 'nat', number, number][] = [
  ['prerouting', 'raw', 'PREROUTING', 'filter', -300, REGISTERED.cni],
  ['output', 'raw', 'OUTPUT', 'filter', -300, REGISTERED.cni],
  ['prerouting', 'mangle', 'PREROUTING', 'filter', -150, REGISTERED.cni],
  ['input', 'mangle', 'INPUT', 'filter', -150, REGISTERED.cni],
  ['forward', 'mangle', 'FORWARD', 'filter', -150, REGISTERED.cni],
  ['output', 'mangle', 'OUTPUT', 'filter', -150, REGISTERED.cni],
  ['postrouting', 'mangle', 'POSTROUTING', 'filter', -150, REGISTERED.cni],
  ['prerouting', 'nat', 'PREROUTING', 'nat', -100, REGISTERED.cni],
  ['input', 'filter', 'INPUT', 'filter', 0, REGISTERED.kubelet],
  ['forward', 'filter', 'FORWARD', 'filter', 0, REGISTERED.cni],
  ['output', 'nat', 'OUTPUT', 'nat', -100, REGISTERED.cni],
  ['output', 'filter', 'OUTPUT', 'filter', 0, REGISTERED.kubelet],
  ['postrouting', 'nat', 'POSTROUTING', 'nat', 100, REGISTERED.cni],
];

interface BaseRun {
  prio: number;
  registered: number;
  nat: boolean;
  run(pkt: PacketState, hops: TraceHop[]): ChainResult;
}

/** The hook's base chains in the order the kernel runs them. */
function baseChains(hook: NftHook, nf: NodeNetfilter, ipt: ExecEnv, rs: NftRuleset, env: NftEnv): BaseRun[] {
  const out: BaseRun[] = [];
  for (const [h, table, chain, type, prio, registered] of IPTABLES_BASE) {
    const c = h === hook ? nf.chain(table, chain) : undefined;
    // iptables-nft creates a mangle base chain with its first rule (or policy): an empty one is not hooked
    if (!c || (table === 'mangle' && !c.rules.length && c.policy !== 'DROP')) continue;
    out.push({
      prio, registered, nat: type === 'nat',
      run: table === 'raw' || table === 'mangle'
        ? (pkt, hops) => {
            const own: TraceHop[] = [];
            const r = traverse(ipt, table, chain, pkt, own);
            if (r.verdict !== 'ACCEPT') hops.push(...own);
            return r;
          }
        : (pkt, hops) => traverse(ipt, table, chain, pkt, hops),
    });
  }
  for (const t of rs.tables) {
    if (t.family !== 'ip') continue; // an IPv4 packet: ip6 tables never see it
    for (const c of t.baseChains.values()) {
      if (c.base?.hook !== hook) continue;
      out.push({ prio: c.base.prio, registered: REGISTERED.kubeProxy, nat: c.base.type === 'nat', run: (pkt, hops) => nftTraverse(env, t, c.name, pkt, hops, rs.node) });
    }
  }
  // stable: within one table, chains of equal priority keep their creation order
  return out.sort((a, b) => a.prio - b.prio || b.registered - a.registered);
}

/** Conntrack at a hook (NF_IP_PRI_CONNTRACK, -200): the lookup, and whether the connection's NAT is bound already. */
export interface HookConntrack {
  /** nf_conntrack_in: runs once, after the chains below -200 (raw). */
  lookup(): void;
  /** The connection has its NAT binding (nf_nat_initialized): the hook's NAT chains are not run. */
  bound(): boolean;
}

/** Runs a hook; the result carries the DNAT or masquerade one of its NAT chains set up. */
export function runHook(hook: NftHook, nf: NodeNetfilter, ipt: ExecEnv, rs: NftRuleset, env: NftEnv, pkt: PacketState, hops: TraceHop[], ct?: HookConntrack): ChainResult {
  const out: ChainResult = { verdict: 'ACCEPT' };
  let natDone = false;
  let looked = !ct;
  for (const b of baseChains(hook, nf, ipt, rs, env)) {
    if (!looked && b.prio > -200) {
      ct!.lookup();
      looked = true;
    }
    if (b.nat && (natDone || ct?.bound())) continue;
    const r = b.run(pkt, hops);
    if (r.verdict !== 'ACCEPT') return r;
    if (r.dnat) {
      out.dnat = r.dnat;
      natDone = true;
    }
    if (r.masquerade) {
      out.masquerade = true;
      if (r.randomFully) out.randomFully = true;
      natDone = true;
    }
  }
  if (!looked) ct!.lookup();
  return out;
}
