/**
 * Weave Net's chains: weave-npc's WEAVE-NPC* policy-controller chains in filter (jumps
 * inserted at the top of FORWARD, before kube-proxy's) and the router's WEAVE masquerade
 * chain in nat (appended).
 */
import type { NodeNetfilter } from '../../../../dataplane/netfilter/tables';
import { ensureJump, rule, writeChains } from '../../netfilter';

/** Weave's default allocation range, which its masquerade rules are written for. */
const WEAVE_NET = '10.32.0.0/12';

export function weaveChains(nf: NodeNetfilter): void {
  writeChains(nf, 'filter', {
    // weave-npc's `-m physdev --physdev-out vethwe-bridge --physdev-is-bridged -j ACCEPT` is left out of WEAVE-NPC
    'WEAVE-NPC': [
      ['-m', 'state', '--state', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
      ['-d', '224.0.0.0/4', '-j', 'ACCEPT'],
      ['-m', 'state', '--state', 'NEW', '-j', 'WEAVE-NPC-DEFAULT'],
      ['-m', 'state', '--state', 'NEW', '-j', 'WEAVE-NPC-INGRESS'],
    ],
    'WEAVE-NPC-DEFAULT': [],
    'WEAVE-NPC-INGRESS': [],
    'WEAVE-NPC-EGRESS': [
      ['-m', 'state', '--state', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
      ['-m', 'physdev', '--physdev-is-bridged', '-j', 'RETURN'],
      ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'RETURN'],
      ['-d', '224.0.0.0/4', '-j', 'RETURN'],
      ['-m', 'state', '--state', 'NEW', '-j', 'WEAVE-NPC-EGRESS-DEFAULT'],
      ['-m', 'state', '--state', 'NEW', '-m', 'mark', '!', '--mark', '0x40000/0x40000', '-j', 'WEAVE-NPC-EGRESS-CUSTOM'],
    ],
    'WEAVE-NPC-EGRESS-ACCEPT': [['-j', 'MARK', '--set-xmark', '0x40000/0x40000']],
    'WEAVE-NPC-EGRESS-CUSTOM': [],
    'WEAVE-NPC-EGRESS-DEFAULT': [],
    'WEAVE-CANARY': [],
  });
  const note = ['-m', 'comment', '--comment', "NOTE: this must go before '-j KUBE-FORWARD'"];
  ensureJump(nf, 'filter', 'FORWARD', rule('-i', 'weave', note, '-j', 'WEAVE-NPC-EGRESS'), true, 0);
  ensureJump(nf, 'filter', 'FORWARD', rule('-o', 'weave', note, '-j', 'WEAVE-NPC'), true, 1);
  ensureJump(nf, 'filter', 'FORWARD', rule('-o', 'weave', '-j', 'DROP'), true, 2);
  ensureJump(nf, 'filter', 'FORWARD', rule('-i', 'weave', '!', '-o', 'weave', '-j', 'ACCEPT'), true, 3);
  ensureJump(nf, 'filter', 'FORWARD', rule('-o', 'weave', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'), true, 4);
  ensureJump(nf, 'filter', 'INPUT', rule('-d', '127.0.0.1/32', '-p', 'tcp', '-m', 'tcp', '--dport', '6784', '-m', 'addrtype', '!', '--src-type', 'LOCAL', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED', '-m', 'comment', '--comment', 'Block non-local access to Weave Net control port', '-j', 'DROP'), false);
  ensureJump(nf, 'filter', 'INPUT', rule('-i', 'weave', '-j', 'WEAVE-NPC-EGRESS'), false);
  writeChains(nf, 'nat', {
    WEAVE: [
      ['-s', WEAVE_NET, '-d', '224.0.0.0/4', '-j', 'RETURN'],
      ['!', '-s', WEAVE_NET, '-d', WEAVE_NET, '-j', 'MASQUERADE'],
      ['-s', WEAVE_NET, '!', '-d', WEAVE_NET, '-j', 'MASQUERADE'],
    ],
    'WEAVE-CANARY': [],
  });
  ensureJump(nf, 'nat', 'POSTROUTING', rule('-j', 'WEAVE'), false);
}
