import type { CommandSpec } from '../../../shell/command';
import { ipCommand } from './ip';
import { bridgeCommand } from './bridge';
import { ssCommand } from './ss';
import { nslookupCommand } from './nslookup';
import { digCommand } from './dig';
import { hostCommand } from './host';
import { netstatCommand } from './netstat';
import { routeCommand } from './route';
import { arpCommand } from './arp';
import { getentCommand } from './getent';
import { sysctlCommand } from './sysctl';
import { ifconfigCommand } from './ifconfig';
import { psCommand } from './ps';
import { arpingCommand } from './arping';
import { ipcalcCommand } from './ipcalc';
import { nginxCommand } from './nginx';
import { ethtoolCommand } from './ethtool';
import { drillCommand } from './drill';

/** The host-network room's tools: ip, bridge, ss (iproute2 / busybox), netstat, route, arp (busybox / net-tools), ifconfig, ps and ipcalc (busybox), arping (busybox / iputils), nslookup, dig, drill (ldns), host, getent, sysctl, ethtool. */
export const hostNetCommands: CommandSpec[] = [ipCommand, bridgeCommand, ssCommand, netstatCommand, routeCommand, arpCommand, nslookupCommand, digCommand, drillCommand, hostCommand, getentCommand, sysctlCommand, ifconfigCommand, psCommand, arpingCommand, ipcalcCommand, nginxCommand, ethtoolCommand];
