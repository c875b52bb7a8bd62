/**
 * cilium-agent's iptables chains when it runs next to kube-proxy: the CILIUM_* chains and
 * their `cilium-feeder:` jumps inserted at the top of the built-in chains.
 */
import type { NodeNetfilter } from '../../../../dataplane/netfilter/tables';
import type { TableName } from '../../../../dataplane/netfilter/rule';
import { ensureJump, rule, writeChains } from '../../netfilter';
import type { ChainNode } from '../../plugin';

export function ciliumAgentChains(nf: NodeNetfilter, cidr: string, info: ChainNode): void {
  nf.table('raw');
  writeChains(nf, 'filter', {
    CILIUM_INPUT: [['-m', 'mark', '--mark', '0x200/0xf00', '-m', 'comment', '--comment', 'cilium: ACCEPT for proxy traffic', '-j', 'ACCEPT']],
    CILIUM_FORWARD: [
      ['-o', 'cilium_host', '-m', 'comment', '--comment', 'cilium: any->cluster on cilium_host forward accept', '-j', 'ACCEPT'],
      ['-i', 'cilium_host', '-m', 'comment', '--comment', 'cilium: cluster->any on cilium_host forward accept (nodeport)', '-j', 'ACCEPT'],
      ['-i', 'lxc+', '-m', 'comment', '--comment', 'cilium: cluster->any on lxc+ forward accept', '-j', 'ACCEPT'],
      ['-i', 'cilium_net', '-m', 'comment', '--comment', 'cilium: cluster->any on cilium_net forward accept (nodeport)', '-j', 'ACCEPT'],
    ],
    CILIUM_OUTPUT: [['-m', 'mark', '--mark', '0xa00/0xfffffeff', '-m', 'comment', '--comment', 'cilium: ACCEPT for proxy return traffic', '-j', 'ACCEPT']],
  });
  writeChains(nf, 'nat', {
    CILIUM_PRE_nat: [],
    CILIUM_OUTPUT_nat: [],
    CILIUM_POST_nat: [['-s', info.podCIDR, '!', '-d', cidr, '!', '-o', 'cilium_+', '-m', 'comment', '--comment', 'cilium masquerade non-cluster', '-j', 'MASQUERADE']],
  });
  // the agent's NOTRACK rule for proxy traffic (-m mark --mark 0x200/0xf00) is left out of CILIUM_PRE_raw
  writeChains(nf, 'raw', { CILIUM_PRE_raw: [], CILIUM_OUTPUT_raw: [] });
  writeChains(nf, 'mangle', { CILIUM_PRE_mangle: [], CILIUM_POST_mangle: [] });
  const feed = (table: TableName, from: string, to: string) => ensureJump(nf, table, from, rule('-m', 'comment', '--comment', `cilium-feeder: ${to}`, '-j', to), true);
  feed('filter', 'INPUT', 'CILIUM_INPUT');
  feed('filter', 'FORWARD', 'CILIUM_FORWARD');
  feed('filter', 'OUTPUT', 'CILIUM_OUTPUT');
  feed('nat', 'PREROUTING', 'CILIUM_PRE_nat');
  feed('nat', 'OUTPUT', 'CILIUM_OUTPUT_nat');
  feed('nat', 'POSTROUTING', 'CILIUM_POST_nat');
  feed('raw', 'PREROUTING', 'CILIUM_PRE_raw');
  feed('raw', 'OUTPUT', 'CILIUM_OUTPUT_raw');
  feed('mangle', 'PREROUTING', 'CILIUM_PRE_mangle');
  feed('mangle', 'POSTROUTING', 'CILIUM_POST_mangle');
}
