import type { CommandSpec } from '../../../shell/command';
import { curlCommand } from './curl';
import { wgetCommand } from './wget';
import { pingCommand } from './ping';
import { ncCommand } from './nc';
import { helmCommand } from './helm';
import { tracerouteCommand } from './traceroute';
import { telnetCommand } from './telnet';
import { socatCommand } from './socat';
import { mtrCommand } from './mtr';
import { nmapCommand } from './nmap';
import { iperf3Command } from './iperf3';

/** curl, wget, ping, nc, socat (client addresses), traceroute, mtr -r, nmap (TCP), iperf3, telnet (busybox) and helm: traffic through the packet's walk. */
export const trafficCommands: CommandSpec[] = [curlCommand, wgetCommand, pingCommand, ncCommand, tracerouteCommand, telnetCommand, socatCommand, mtrCommand, nmapCommand, iperf3Command, helmCommand];
