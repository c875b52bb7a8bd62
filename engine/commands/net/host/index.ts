import type { CommandSpec } from '../../../types';

export const hostNetCommands: CommandSpec[] = [];
