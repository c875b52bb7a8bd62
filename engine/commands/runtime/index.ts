import type { CommandSpec } from '../../shell/command';
import { crictlCommand } from './crictl';

/** The container runtime's own tools on a node: crictl (pods, ps). */
export const runtimeCommands: CommandSpec[] = [crictlCommand];
