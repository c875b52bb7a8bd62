/** kubectl scale — k8s.io/kubectl/pkg/cmd/scale/scale.go: `deployment.apps/web scaled`. */
import type { CommandOutcome } from '../../types';
import { notFound } from '../../cluster/api';
import { flagBool, flagInt, flagString, type FlagDef } from './flags';
import { errorText, KubectlError, kindPrefix, parseSelector, selectorMatches, type Kctx } from './common';
import { parseSelection } from './get';
import { isKind, type Deployment, type KubeObject, type ReplicaSet, type StatefulSet } from '../../cluster/types';

export const SCALE_FLAGS: FlagDef[] = [
  { long: 'replicas', type: 'int' },
  { long: 'current-replicas', type: 'int' },
  { long: 'resource-version', type: 'string' },
  { long: 'selector', short: 'l', type: 'string' },
  { long: 'all', type: 'bool' },
  { long: 'timeout', type: 'string' },
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'dry-run', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
];

const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

type Scalable = Deployment | ReplicaSet | StatefulSet;

function isScalable(o: KubeObject): o is Scalable {
  return isKind(o, 'Deployment') || isKind(o, 'ReplicaSet') || isKind(o, 'StatefulSet');
}

export function runScale(k: Kctx): CommandOutcome {
  const replicas = flagInt(k.flags, 'replicas');
  if (replicas === undefined) throw new KubectlError('error: required flag(s) "replicas" not set');
  if (replicas < 0) throw new KubectlError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  if (k.flags.positional.length === 0) throw new KubectlError('error: required resource not specified');
  const sel = parseSelection(k.flags.positional, 'scale');
  const selector = flagString(k.flags, 'selector');
  const reqs = selector !== undefined ? parseSelector(selector) : undefined;
  // only SCALABLE kinds are fetched
  const targets: Scalable[] = [];
  const errors: string[] = [];
  for (const r of sel.requests) {
    if (!SCALABLE.has(r.info.kind)) {
      throw new KubectlError(`error: no objects passed to scale ${r.info.plural}${r.info.group ? '.' + r.info.group : ''} "${r.names?.[0] ?? ''}" is not scalable`);
    }
    if (r.names) {
      for (const n of r.names) {
        const o = k.store.get(r.info.kind, k.namespace, n);
        if (o && isScalable(o)) targets.push(o);
        else errors.push(errorText(notFound(r.info, n)));
      }
    } else {
      if (!reqs && !flagBool(k.flags, 'all')) throw new KubectlError('error: resource(s) were provided, but no name was specified');
      for (const o of k.store.list(r.info.kind, k.namespace)) if ((!reqs || selectorMatches(reqs, o.metadata.labels)) && isScalable(o)) targets.push(o);
    }
  }
  const current = flagInt(k.flags, 'current-replicas');
  let stdout = '';
  for (const o of targets) {
    const info = sel.requests.find((r) => r.info.kind === o.kind)!.info;
    if (current !== undefined && current >= 0 && (o.spec?.replicas ?? 1) !== current) {
      errors.push(`error: Expected replicas to be ${current}, was ${o.spec?.replicas ?? 1}\n`);
      continue;
    }
    const next = structuredClone(o);
    next.spec.replicas = replicas;
    try {
      k.cluster.api.update(next);
    } catch (e) {
      errors.push(errorText(e));
      continue;
    }
    stdout += `${kindPrefix(info)}/${o.metadata.name} scaled\n`;
  }
  return { stdout, stderr: errors.join(''), exitCode: errors.length > 0 ? 1 : 0 };
}
