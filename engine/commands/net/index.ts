import type { CommandSpec } from '../../shell/command';
import { proxyCommands } from './proxy';
import { hostNetCommands } from './host';
import { trafficCommands } from './traffic';
import { hubbleCommand } from './hubble';
import { tlsCommands } from './tls';
import { tcpdumpCommands } from './tcpdump';

/** iptables/ipvsadm/ipset/conntrack (proxy), ip/bridge/ss/nslookup/dig/host (host), curl/wget/ping/nc/traceroute/helm (traffic), openssl (tls), hubble, tcpdump. */
export const networkCommands: CommandSpec[] = [...proxyCommands, ...hostNetCommands, ...trafficCommands, ...tlsCommands, hubbleCommand, ...tcpdumpCommands];
