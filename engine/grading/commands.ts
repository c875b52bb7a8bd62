import type { CommandSpec } from '../types';

/** Commands the course adds to the workstation (`answer TASK VALUE`). */
export const gradingCommands: CommandSpec[] = [];
