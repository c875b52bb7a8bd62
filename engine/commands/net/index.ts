import type { CommandSpec } from '../../shell/command';
import { proxyCommands } from './proxy';
import { hostNetCommands } from './host';
import { trafficCommands } from './traffic';
import { hubbleCommand } from './hubble';

/** iptables/ipvsadm/ipset/conntrack (proxy), ip/bridge/ss/nslookup/dig/host (host), curl/wget/ping/nc/traceroute/helm (traffic), hubble. */
export const networkCommands: CommandSpec[] = [...proxyCommands, ...hostNetCommands, ...trafficCommands, hubbleCommand];
