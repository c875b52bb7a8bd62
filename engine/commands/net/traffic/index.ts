import type { CommandSpec } from '../../../types';

export const trafficCommands: CommandSpec[] = [];
