import type { CommandSpec } from '../../../shell/command';
import { tcpdumpCommand } from './tcpdump';

/** tcpdump: the packets the walk puts on an interface (wire.ts), filtered (filter.ts) and printed (print.ts). */
export const tcpdumpCommands: CommandSpec[] = [tcpdumpCommand];
