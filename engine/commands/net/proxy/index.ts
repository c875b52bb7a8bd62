import type { CommandSpec } from '../../../shell/command';
import { iptablesCommands } from './iptables';
import { ipvsadmCommand } from './ipvsadm';
import { ipsetCommand } from './ipset';
import { conntrackCommand } from './conntrack';
import { nftCommand } from './nft';

/** iptables, iptables-save, ip6tables, ip6tables-save, ipvsadm, ipset, conntrack, nft — on a node's kernel. */
export const proxyCommands: CommandSpec[] = [...iptablesCommands, ipvsadmCommand, ipsetCommand, conntrackCommand, nftCommand];
