/**
 * The netfilter pieces every proxy mode shares: rules built from the argument lists
 * kube-proxy hands to iptables-restore, the jump rules it ensures in the built-in chains,
 * the masquerade mark, and the chains kubelet and kube-proxy's canary monitor own on
 * every node (pkg/kubelet/kubelet_network_linux.go, pkg/proxy/util/iptables).
 */
import { AGENT_PROG, parseRuleSpec, type Rule } from '../../dataplane/netfilter/rule';
import type { Chain } from '../../dataplane/netfilter/tables';

export const KUBE_PROXY_CANARY = 'KUBE-PROXY-CANARY';
export const KUBE_FIREWALL = 'KUBE-FIREWALL';
/** masqueradeBit 14: fmt.Sprintf("%#08x", 1<<14). */
export const MASQ_MARK = '0x004000';

/**
 * A rule from kube-proxy's argument list, parsed as iptables-restore (or, for the IPv6
 * proxier's rules, ip6tables-restore) would: an address's family picks the parser.
 */
export const R = (...args: (string | string[])[]): Rule => parseRuleSpec(args.flat(), AGENT_PROG);

export function jumpRule(comment: string, extra: string[], dst: string): Rule {
  return R(extra, comment ? ['-m', 'comment', '--comment', comment] : [], '-j', dst);
}

/** kubelet's KUBE-FIREWALL: drops martian traffic to 127.0.0.0/8 from off the node. */
export function kubeletFirewallChain(): Chain {
  return {
    name: KUBE_FIREWALL,
    rules: [
      R('-m', 'comment', '--comment', 'block incoming localnet connections', '-d', '127.0.0.0/8', '!', '-s', '127.0.0.0/8',
        '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP'),
    ],
  };
}
