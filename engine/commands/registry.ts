/**
 * Every command the simulated hosts know, by name. Each room exports its own list;
 * which of them a given host actually has is decided per host (hosts/hosts.ts). The
 * composition root hands this table to the shell; commands that run other commands
 * (`xargs`, `timeout`, `help`, `which`) reach it through their context.
 */
import type { CommandSpec, CommandTable } from '../shell/command';
import { STEP_COSTS } from '../shell/budget';
import { textCommands } from './text';
import { kubectlCommands } from './kubectl';
import { networkCommands } from './net';
import { gradingCommands } from './answer';
import { runtimeCommands } from './runtime';
import { ciliumCommands } from './cilium';
import { meshCommands } from './mesh';
import { kubectlRunExitHooks } from './kubectl/run';
import { kubectlDebugExitHooks } from './kubectl/debug';
import { installableTools } from '../hosts/hosts';
import { unmodelledCommand } from './net/catalog/unmodelled';

export function createCommandTable(): CommandTable {
  const table = new Map<string, CommandSpec>();
  for (const c of [...textCommands, ...gradingCommands]) table.set(c.name, c);
  // these reach the cluster: each run weighs on the line's budget as the work it does
  for (const c of [...kubectlCommands, ...networkCommands, ...runtimeCommands, ...ciliumCommands, ...meshCommands]) table.set(c.name, c.cost === undefined ? { ...c, cost: STEP_COSTS.clusterCommand } : c);
  // a tool a host really has but the engine does not model says so (commands/net/catalog)
  for (const name of installableTools()) if (!table.has(name)) table.set(name, unmodelledCommand(name));
  const hooks = new Map(Object.entries({ ...kubectlRunExitHooks, ...kubectlDebugExitHooks }));
  return {
    find: (name) => table.get(name),
    all: () => [...table.values()],
    exitHook: (name) => hooks.get(name),
  };
}
