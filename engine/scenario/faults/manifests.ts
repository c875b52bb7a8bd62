/** Finding the target's objects among a scenario's manifests. */
import type { Manifest } from '../../cluster/types';
import type { FaultContext } from './types';

type Obj = Manifest & { spec?: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

function nsOf(m: Manifest): string {
  return (m.metadata?.namespace as string | undefined) ?? 'default';
}

/** The manifest of `kind`/`name` in the target's namespace; a scenario missing it cannot host the fault. */
export function findManifest(objects: readonly Manifest[], kind: string, name: string, namespace: string): Obj {
  const m = objects.find((o) => o.kind === kind && o.metadata?.name === name && nsOf(o) === namespace);
  if (!m) throw new Error(`faults.target names ${kind} ${namespace}/${name}, but scenario.yaml has no such object`);
  return m as Obj;
}

/** The app's first container in the Deployment's Pod template. */
export function appContainer(objects: readonly Manifest[], ctx: FaultContext): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const d = findManifest(objects, 'Deployment', ctx.target.deployment, ctx.target.namespace);
  const c = d.spec?.template?.spec?.containers?.[0];
  if (!c) throw new Error(`Deployment ${ctx.target.deployment} has no container`);
  return c;
}

/** ` -n NS` for kubectl, unless the namespace is `default`. */
export function nsFlag(ctx: FaultContext): string {
  return ctx.target.namespace === 'default' ? '' : ` -n ${ctx.target.namespace}`;
}

/** A JSON value inside a single-quoted shell word. */
export function json(v: unknown): string {
  return JSON.stringify(v);
}
