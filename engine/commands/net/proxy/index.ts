import type { CommandSpec } from '../../../types';

export const proxyCommands: CommandSpec[] = [];
