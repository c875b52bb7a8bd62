import type { CommandSpec } from '../../shell/command';
import { ciliumCommand, ciliumDbgCommand } from './cilium-dbg';

/** The Cilium agent container's CLI (`cilium-dbg`, also as `cilium`). */
export const ciliumCommands: CommandSpec[] = [ciliumDbgCommand, ciliumCommand];
