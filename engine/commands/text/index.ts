import type { CommandSpec } from '../../types';

export const textCommands: CommandSpec[] = [];
