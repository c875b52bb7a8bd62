/**
 * A scenario's `faults:` section at work: the draw (which faults this seed gets), then
 * the faults applied at their moments while the simulation is built (engine/simulation.ts
 * calls `prepareFaults` before the scenario's objects enter the cluster).
 *
 * The draw uses its own stream seeded from the simulation's seed, not the cluster's: the
 * same seed always draws the same faults, however many random numbers the system layer
 * or a newer engine consumes while the cluster is built.
 */
import { Rng } from '../../cluster/rng';
import type { Manifest } from '../../cluster/types';
import type { ClusterRuntime } from '../../controllers/runtime';
import { ScenarioError, type FaultsSpec, type Scenario } from '../load';
import { FAULTS, faultById } from './catalogue';
import type { Fault, FaultContext, FaultTarget } from './types';

export type { Fault, FaultContext, FaultFix, FaultTarget, FaultOutcome } from './types';
export { FAULTS, faultById } from './catalogue';

/** Mixed into the seed so the draw's stream differs from the cluster's own. */
const DRAW_SALT = 0x66617574;

export function faultTarget(spec: FaultsSpec): FaultTarget {
  const t = spec.target;
  return { namespace: t.namespace ?? 'default', service: t.service, deployment: t.deployment, client: t.client, ...(t.ingress ? { ingress: t.ingress } : {}) };
}

/** The fault ids `seed` draws from `spec`, group by group (each group's in draw order). */
export function drawFaults(spec: FaultsSpec, seed: number): string[] {
  const rng = new Rng((seed ^ DRAW_SALT) >>> 0);
  const out: string[] = [];
  spec.draw.forEach((group, g) => {
    group.from.forEach((id, j) => {
      if (!faultById(id)) throw new ScenarioError(`faults.draw[${g}].from: "${id}" is not a fault of the catalogue (faults: ${FAULTS.map((f) => f.id).join(', ')})`, undefined, ['faults', 'draw', g, 'from', j]);
    });
    const pool = group.from.filter((id) => !out.includes(id));
    for (let i = 0; i < group.pick && pool.length; i++) {
      const k = rng.int(pool.length);
      out.push(pool[k]);
      pool.splice(k, 1);
    }
  });
  return out;
}

/** The drawn faults, ready to act on a simulation being built. */
export interface PreparedFaults {
  ids: string[];
  ctx: FaultContext;
  faults: Fault[];
  /** The scenario with the faults' manifest changes (the original is left as it was). */
  scenario: Scenario;
  beforeRunUp(cluster: ClusterRuntime): void;
  atStart(cluster: ClusterRuntime): void;
}

/**
 * The faults for this seed (or exactly `only`, for tests and previews), with the
 * scenario's manifests changed by them. Undefined when the scenario has no `faults:`.
 */
export function prepareFaults(scenario: Scenario, seed: number, only?: readonly string[]): PreparedFaults | undefined {
  if (!scenario.faults && !only) return undefined;
  if (!scenario.faults) throw new ScenarioError('faults were asked for, but the scenario has no faults: section to name their target', undefined, ['faults']);
  const ids = only ? [...only] : drawFaults(scenario.faults, seed);
  const ctx: FaultContext = { target: faultTarget(scenario.faults), original: structuredClone(scenario.objects) };
  const faults = ids.map((id) => {
    const f = faultById(id);
    if (!f) throw new ScenarioError(`"${id}" is not a fault of the catalogue (faults: ${FAULTS.map((x) => x.id).join(', ')})`, undefined, ['faults']);
    for (const need of f.needs ?? []) if (!ctx.target[need]) throw new ScenarioError(`fault ${id} needs faults.target.${need}`, undefined, ['faults', 'target']);
    return f;
  });
  const objects: Manifest[] = structuredClone(scenario.objects);
  const fail = (f: Fault, e: unknown) => new ScenarioError(`fault ${f.id}: ${(e as Error).message}`, undefined, ['faults']);
  for (const f of faults) {
    try {
      f.manifests?.(objects, ctx);
    } catch (e) {
      throw fail(f, e);
    }
  }
  const at = (moment: 'beforeRunUp' | 'atStart') => (cluster: ClusterRuntime) => {
    for (const f of faults) {
      try {
        f[moment]?.(cluster, ctx);
      } catch (e) {
        throw fail(f, e);
      }
    }
  };
  return { ids, ctx, faults, scenario: { ...scenario, objects }, beforeRunUp: at('beforeRunUp'), atStart: at('atStart') };
}
