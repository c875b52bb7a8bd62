import type { CommandSpec } from '../../types';

export const kubectlCommands: CommandSpec[] = [];
