import type { CommandSpec } from '../../shell/command';
import { proxyCommands } from './proxy';
import { hostNetCommands } from './host';
import { trafficCommands } from './traffic';
import { hubbleCommand } from './hubble';
import { tlsCommands } from './tls';

/** iptables/ipvsadm/ipset/conntrack (proxy), ip/bridge/ss/nslookup/dig/host (host), curl/wget/ping/nc/traceroute/helm (traffic), openssl (tls), hubble. */
export const networkCommands: CommandSpec[] = [...proxyCommands, ...hostNetCommands, ...trafficCommands, ...tlsCommands, hubbleCommand];
