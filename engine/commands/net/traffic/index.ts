import type { CommandSpec } from '../../../types';
import { curlCommand } from './curl';

/** curl, wget, ping, traceroute, nc and helm: traffic through the packet's walk. */
export const trafficCommands: CommandSpec[] = [curlCommand];
