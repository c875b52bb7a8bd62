/**
 * NetworkPolicy decided by the CNI agent's own chains (Calico Felix): the packet runs
 * through the workload's chain (cali-fw-<veth> for its egress, cali-tw-<veth> for its
 * ingress) and the policy chains it jumps to, and the verdict is read off the rules it
 * matched — the policy chain whose rule set the accept bit (0x10000) allowed it; a DROP in
 * the workload's chain ("Drop if no policies passed packet") denied it. The policy a trace
 * names is the one that chain renders (`policyOfChain`), and the hop names the deciding rule
 * as `iptables-save` prints it.
 */
import type { ClusterRuntime } from '../runtime';
import type { TraceHop } from '../../types';
import type { Protocol } from '../../dataplane/packet';
import type { Rule, TableName } from '../../dataplane/netfilter/rule';
import type { NodeNetfilter } from '../../dataplane/netfilter/tables';
import { saveRuleBody } from '../../dataplane/netfilter/save-form';
import { describePeer, policyRef, type Peer, type PolicyVerdict } from '../../dataplane/policy';
import type { PodInfo } from '../../dataplane/topology';

/** Felix's accept bit (felix/rules rule_defs.go IptablesMarkAccept with the default mark mask). */
const MARK_ACCEPT = 0x10000;

type PolicyOfChain = (chain: string) => { namespace: string; name: string } | undefined;

/** What a packet did in one workload's chain and the policy chains below it. */
export class WorkloadChainWatch {
  private inside = false;
  /** The policy chain whose rule set the accept bit, and that rule. */
  accepted?: { chain: string; rule: string };
  /** A DROP in the workload's chain or a policy chain. */
  dropped?: { chain: string; rule: string };

  constructor(readonly chain: string, private readonly policyOf: PolicyOfChain) {}

  get entered(): boolean {
    return this.inside;
  }

  enter(table: TableName, chain: string): void {
    if (table === 'filter' && chain === this.chain) this.inside = true;
  }

  rule(table: TableName, chain: string, rule: Rule): void {
    if (!this.inside || table !== 'filter') return;
    const t = rule.target;
    if (t?.kind === 'MARK' && (t.mask & MARK_ACCEPT) && (t.mark & MARK_ACCEPT) && this.policyOf(chain)) {
      this.accepted = { chain, rule: `-A ${chain}${saveRuleBody(rule)}` };
    } else if (t?.kind === 'DROP' && (chain === this.chain || this.policyOf(chain)) && !this.dropped) {
      this.dropped = { chain, rule: `-A ${chain}${saveRuleBody(rule)}` };
    }
  }

  /** The policy chains the workload's chain jumps to, in order (through Felix's cali-gi-/cali-go- groups). */
  policyChains(nf: NodeNetfilter): string[] {
    const tab = nf.tables.get('filter');
    const out: string[] = [];
    const walk = (name: string, depth: number) => {
      for (const r of tab?.get(name)?.rules ?? []) {
        if (r.target?.kind !== 'jump') continue;
        const to = r.target.chain;
        if (this.policyOf(to)) out.push(to);
        else if (depth === 0 && /^cali-g[io]-/.test(to)) walk(to, 1);
      }
    };
    walk(this.chain, 0);
    return out;
  }
}

function protoLabel(proto: Protocol, port: number): string {
  return proto === 'icmp' ? 'ICMP' : `${proto.toUpperCase()} ${port}`;
}

/**
 * The verdict the chains reached, worded as the walk words NetworkPolicy verdicts
 * (dataplane/policy.ts), or undefined when no policy selects the pod and the profile let it through.
 */
export function chainVerdict(cluster: ClusterRuntime, nf: NodeNetfilter, watch: WorkloadChainWatch, policyOf: PolicyOfChain, dir: 'ingress' | 'egress', pod: PodInfo, peer: Peer, port: number, proto: Protocol): PolicyVerdict | undefined {
  const names = watch.policyChains(nf).map((c) => policyOf(c)!.name);
  const podName = `${pod.namespace}/${pod.name}`;
  const peerName = describePeer(cluster, peer);
  const on = protoLabel(proto, port);
  if (watch.dropped) {
    const list = names.length === 1 ? `NetworkPolicy ${names[0]}` : names.length ? `NetworkPolicies ${names.join(', ')}` : 'no NetworkPolicy (its profile dropped it)';
    return {
      allowed: false, direction: dir, policy: names[0], policies: names,
      reason: dir === 'egress'
        ? `denied: pod ${podName} is selected by ${list} for egress, and no egress rule allows ${peerName} on ${on}`
        : `denied: pod ${podName} is selected by ${list}, and no ingress rule allows ${peerName} on ${on}`,
    };
  }
  if (!names.length) return undefined;
  const by = watch.accepted ? policyOf(watch.accepted.chain)?.name : undefined;
  return {
    allowed: true, direction: dir, policy: by, policies: names,
    reason: dir === 'egress'
      ? `allowed: NetworkPolicy ${by} allows egress from ${podName} to ${peerName} on ${on}`
      : `allowed: NetworkPolicy ${by} allows ingress to ${podName} from ${peerName} on ${on}`,
  };
}

/**
 * The trace hop for a verdict read off the chains: on a denial it takes the place of the
 * executor's DROP hop and names that rule; on an allow it names the policy rule that set the
 * accept bit.
 */
export function chainVerdictHop(cluster: ClusterRuntime, agent: string, node: string, watch: WorkloadChainWatch, v: PolicyVerdict, pod: PodInfo, hops: TraceHop[]): void {
  const rule = v.allowed ? watch.accepted?.rule : watch.dropped?.rule;
  if (!v.allowed) {
    const last = hops[hops.length - 1];
    if (last && last.verdict === 'drop' && last.what === rule) hops.pop();
  }
  hops.push({
    where: `${agent} on ${node}`, what: `NetworkPolicy ${v.direction}: ${v.reason}`, ...(rule ? { detail: `filter table: ${rule}` } : {}),
    verdict: v.allowed ? 'pass' : 'drop', stage: 'policy', node, ...policyRef(cluster, pod, v, true),
  });
}
