/** aws-node's SNAT chain (AWS-SNAT-CHAIN-0): traffic leaving the VPC takes the node's primary address. */
import type { NodeNetfilter } from '../../../../dataplane/netfilter/tables';
import { ensureJump, rule, writeChains } from '../../netfilter';
import type { ChainNode } from '../../plugin';

export function awsSnatChains(nf: NodeNetfilter, cidr: string, info: ChainNode): void {
  writeChains(nf, 'nat', {
    'AWS-SNAT-CHAIN-0': [
      ['-d', cidr, '-m', 'comment', '--comment', 'AWS SNAT CHAIN', '-j', 'RETURN'],
      ['!', '-o', 'vlan+', '-m', 'comment', '--comment', 'AWS, SNAT', '-m', 'addrtype', '!', '--dst-type', 'LOCAL', '-j', 'SNAT', '--to-source', info.ip, '--random-fully'],
    ],
  });
  ensureJump(nf, 'nat', 'POSTROUTING', rule('-m', 'comment', '--comment', 'AWS SNAT CHAIN', '-j', 'AWS-SNAT-CHAIN-0'), false);
}
