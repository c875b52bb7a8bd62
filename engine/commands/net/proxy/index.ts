import type { CommandSpec } from '../../../shell/command';
import { iptablesCommands } from './iptables';
import { ipvsadmCommand } from './ipvsadm';
import { ipsetCommand } from './ipset';
import { conntrackCommand } from './conntrack';

/** iptables, iptables-save, ip6tables, ip6tables-save, ipvsadm, ipset, conntrack — on a node's kernel. */
export const proxyCommands: CommandSpec[] = [...iptablesCommands, ipvsadmCommand, ipsetCommand, conntrackCommand];
