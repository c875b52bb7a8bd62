/**
 * The playground's authoring tools: what an instructor typed becomes a task's reference
 * solution; the cluster becomes a scenario file (scenario/export.ts), is rebuilt on another
 * dataplane, and a scenario from elsewhere (an import, a share link) is checked before a
 * lab is built from it. The output is YAML to paste into tasks.yaml / scenario.yaml.
 */
import { stringify } from 'yaml';
import { createSimulation, type Simulation, type HistoryEntry } from '../simulation';
import type { ClusterSettings } from '../cluster/types';
import { ScenarioError } from '../scenario/load';
import { planRebuild, type Dataplane, type RebuildPlan } from '../scenario/export';
import { cniPlugin } from '../controllers/cni';

/**
 * The commands from `history` (from index `since`) as a `solution:` block. Commands that
 * failed are left out: a reference solution must not contain a command that errors.
 */
export function recordSolution(history: HistoryEntry[], since = 0): { yaml: string; commands: string[]; skipped: string[] } {
  const commands: string[] = [];
  const skipped: string[] = [];
  for (const e of history.slice(since)) {
    const line = e.command.trim();
    if (!line) continue;
    if (e.exitCode !== 0) skipped.push(line);
    else commands.push(line);
  }
  const yaml = stringify({ solution: { commands } }, { lineWidth: 0 });
  return { yaml, commands, skipped };
}

export { exportScenario } from '../scenario/export';
export type { Dataplane, DroppedObject, ObjectRef, RebuildPlan } from '../scenario/export';

/** A scenario the page may build: its objects, or the loader's or API server's first complaint with the line it is about. */
export type ScenarioCheck = { ok: true; objects: number; cluster: ClusterSettings } | { ok: false; message: string; line?: number };

/**
 * Validates a scenario the way a lab loads one (an import, a share link): it is parsed,
 * checked and built — every manifest through the API server — on a cluster of its own
 * that is then thrown away. Never throws.
 */
export function checkScenario(text: string, seed = 1): ScenarioCheck {
  try {
    const sim = createSimulation(text, { seed });
    return { ok: true, objects: sim.scenario.objects.length, cluster: sim.settings };
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, message: e.message, ...(e.line ? { line: e.line } : {}) };
    return { ok: false, message: `the simulator could not build it: ${(e as Error).message}` };
  }
}

/** A rebuild, checked: the plan, what the new CNI will not do with what it keeps, and whether the new cluster builds. */
export type Rebuild = (RebuildPlan & { ok: true; notes: string[] }) | { ok: false; message: string };

/**
 * The playground's CNI / kube-proxy switch: the same authored objects on `dataplane`
 * (planRebuild), tried on a throwaway cluster first so a switch never leaves the learner
 * without one. `notes` says what the new plugin does not do with the objects it keeps
 * (Flannel enforces no NetworkPolicy).
 */
export function rebuildOn(sim: Simulation, dataplane: Dataplane, files?: Record<string, string>): Rebuild {
  const plan = planRebuild(sim, dataplane, files);
  let next: Simulation;
  try {
    next = createSimulation(plan.scenario, { seed: sim.seed });
  } catch (e) {
    return { ok: false, message: `the cluster on ${dataplane.cni} could not be built: ${(e as Error).message}` };
  }
  const notes: string[] = [];
  const policies = plan.kept.filter((r) => r.kind === 'NetworkPolicy').length;
  const plugin = cniPlugin(next.settings);
  if (policies > 0 && !plugin.enforcesNetworkPolicy(next)) {
    notes.push(`${plugin.displayName} does not enforce NetworkPolicy: your ${policies === 1 ? 'NetworkPolicy is' : `${policies} NetworkPolicies are`} kept, but every Pod can reach every other.`);
  }
  return { ok: true, ...plan, notes };
}
