/**
 * flanneld's chains (pkg/trafficmngr/iptables: ForwardRules, MasqRules): FLANNEL-FWD accepts
 * the pod network in FORWARD, FLANNEL-POSTRTG masquerades what leaves it; both appended.
 */
import type { NodeNetfilter } from '../../../../dataplane/netfilter/tables';
import { ensureJump, rule, writeChains } from '../../netfilter';
import type { ChainNode } from '../../plugin';

/**
 * `cidr` is the flannel network and `info.podCIDR` the node's lease; for the IPv6 network
 * (EnableIPv6) flanneld writes the same chains with ip6tables (MasqIP6Rules, ForwardRules),
 * skipping IPv6 multicast, ff00::/8, where IPv4 skips 224.0.0.0/4.
 */
export function flanneldChains(nf: NodeNetfilter, cidr: string, info: ChainNode, multicast = '224.0.0.0/4'): void {
  writeChains(nf, 'filter', {
    'FLANNEL-FWD': [
      ['-s', cidr, '-m', 'comment', '--comment', 'flanneld forward', '-j', 'ACCEPT'],
      ['-d', cidr, '-m', 'comment', '--comment', 'flanneld forward', '-j', 'ACCEPT'],
    ],
  });
  ensureJump(nf, 'filter', 'FORWARD', rule('-m', 'comment', '--comment', 'flanneld forward', '-j', 'FLANNEL-FWD'), false);
  writeChains(nf, 'nat', {
    'FLANNEL-POSTRTG': [
      ['-m', 'mark', '--mark', '0x4000/0x4000', '-m', 'comment', '--comment', 'flanneld masq', '-j', 'RETURN'],
      ['-s', info.podCIDR, '-d', cidr, '-m', 'comment', '--comment', 'flanneld masq', '-j', 'RETURN'],
      ['-s', cidr, '-d', info.podCIDR, '-m', 'comment', '--comment', 'flanneld masq', '-j', 'RETURN'],
      ['!', '-s', cidr, '-d', info.podCIDR, '-m', 'comment', '--comment', 'flanneld masq', '-j', 'RETURN'],
      ['-s', cidr, '!', '-d', multicast, '-m', 'comment', '--comment', 'flanneld masq', '-j', 'MASQUERADE', '--random-fully'],
      ['!', '-s', cidr, '-d', cidr, '-m', 'comment', '--comment', 'flanneld masq', '-j', 'MASQUERADE', '--random-fully'],
    ],
  });
  ensureJump(nf, 'nat', 'POSTROUTING', rule('-m', 'comment', '--comment', 'flanneld masq', '-j', 'FLANNEL-POSTRTG'), false);
}
