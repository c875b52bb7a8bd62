import type { CommandSpec } from '../../../shell/command';
import { ipCommand } from './ip';
import { bridgeCommand } from './bridge';
import { ssCommand } from './ss';
import { nslookupCommand } from './nslookup';
import { digCommand } from './dig';
import { hostCommand } from './host';

/** The host-network room's tools: ip, bridge, ss (iproute2 / busybox) and nslookup, dig, host. */
export const hostNetCommands: CommandSpec[] = [ipCommand, bridgeCommand, ssCommand, nslookupCommand, digCommand, hostCommand];
