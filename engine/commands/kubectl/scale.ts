/** kubectl scale — k8s.io/kubectl/pkg/cmd/scale/scale.go: `deployment.apps/web scaled`. */
import type { CommandOutcome } from '../../types';
import { ApiError, notFound, patchInvalid } from '../../cluster/api';
import { flagBool, flagInt, flagString, type FlagDef } from './flags';
import { dryRunStrategy, dryRunText, errorText, KubectlError, kindPrefix, parseSelector, selectorMatches, type Kctx } from './common';
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

const INT32_MAX = 2147483647;

/**
 * The Scale (autoscaling/v1) the scale subresource serves for `o`, with spec.replicas
 * patched, as jsonpatch.MergePatch writes it back: top-level keys sorted, the patched spec
 * re-encoded, metadata and status as the server encoded them.
 */
function scaleJSON(o: Scalable, replicas: number): string {
  const m = o.metadata;
  const metadata = { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp };
  const sel = o.spec.selector;
  const selector = [
    ...Object.keys(sel?.matchLabels ?? {}).sort().map((key) => `${key}=${sel!.matchLabels![key]}`),
    ...(sel?.matchExpressions ?? []).map((e) => (e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`)),
  ].join(',');
  const status = { replicas: o.status?.replicas ?? 0, ...(selector ? { selector } : {}) };
  return `{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":${JSON.stringify(metadata)},"spec":{"replicas":${replicas}},"status":${JSON.stringify(status)}}`;
}

export function runScale(k: Kctx): CommandOutcome {
  const dry = dryRunStrategy(k);
  const replicas = flagInt(k.flags, 'replicas');
  if (replicas === undefined) throw new KubectlError('error: required flag(s) "replicas" not set');
  if (replicas < 0) throw new KubectlError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  if (k.flags.positional.length === 0) throw new KubectlError('error: required resource not specified');
  const sel = parseSelection(k.flags.positional, 'scale', k.store);
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
    if (dry === 'client') {
      // scale.go: a client dry run prints the object as it was, before the scaler's preconditions
      stdout += `${kindPrefix(info)}/${o.metadata.name} scaled (dry run)\n`;
      continue;
    }
    if (current !== undefined && current >= 0 && (o.spec?.replicas ?? 1) !== current) {
      errors.push(`error: Expected replicas to be ${current}, was ${o.spec?.replicas ?? 1}\n`);
      continue;
    }
    const next = structuredClone(o);
    next.spec.replicas = replicas;
    try {
      const preconditions = current !== undefined || flagString(k.flags, 'resource-version') !== undefined;
      if (replicas > INT32_MAX) {
        if (!preconditions) {
          // ScaleSimple's merge patch {"spec":{"replicas":N}} on the scale subresource: the
          // patched Scale does not decode (handlers/patch.go jsonPatcher)
          throw patchInvalid(scaleJSON(o, replicas), `json: cannot unmarshal number ${replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
        }
        // with preconditions kubectl GETs the Scale and PUTs it back with int32(newSize)
        next.spec.replicas = Number(BigInt.asIntN(32, BigInt(replicas)));
        if (next.spec.replicas < 0) {
          const body = `Invalid value: ${next.spec.replicas}: must be greater than or equal to 0`;
          throw new ApiError('Invalid', `Scale.autoscaling "${o.metadata.name}" is invalid: spec.replicas: ${body}`, 422, { name: o.metadata.name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', message: body, field: 'spec.replicas' }] });
        }
      }
      // a server dry run is the scale PATCH with ?dryRun=All
      k.cluster.api.update(next, { fieldManager: 'kubectl', subresource: 'scale', dryRun: dry === 'server' });
    } catch (e) {
      errors.push(errorText(e));
      continue;
    }
    stdout += `${kindPrefix(info)}/${o.metadata.name} scaled${dryRunText(dry)}\n`;
  }
  return { stdout, stderr: errors.join(''), exitCode: errors.length > 0 ? 1 : 0 };
}
