import type { CommandSpec } from '../../types';

export const networkCommands: CommandSpec[] = [];
