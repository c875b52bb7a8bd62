import type { CommandSpec } from '../../../types';
import { curlCommand } from './curl';
import { wgetCommand } from './wget';
import { pingCommand } from './ping';
import { ncCommand } from './nc';
import { helmCommand } from './helm';

/** curl, wget, ping, nc and helm: traffic through the packet's walk. */
export const trafficCommands: CommandSpec[] = [curlCommand, wgetCommand, pingCommand, ncCommand, helmCommand];
