/**
 * Every command the simulated hosts know, by name. Each room exports its own list;
 * which of them a given host actually has is the shell's business (hosts.ts).
 */
import type { CommandSpec } from '../types';
import { textCommands } from './text';
import { kubectlCommands } from './kubectl';
import { networkCommands } from './net';
import { gradingCommands } from '../grading/commands';

const registry = new Map<string, CommandSpec>();
for (const c of [...textCommands, ...kubectlCommands, ...networkCommands, ...gradingCommands]) registry.set(c.name, c);

export function findCommand(name: string): CommandSpec | undefined {
  return registry.get(name);
}

export function allCommands(): CommandSpec[] {
  return [...registry.values()];
}
