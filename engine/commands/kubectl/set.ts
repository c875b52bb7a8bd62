/** kubectl set image — k8s.io/kubectl/pkg/cmd/set/set_image.go: `deployment.apps/web image updated`. */
import type { CommandOutcome } from '../../types';
import { notFound } from '../../cluster/api';
import { type FlagDef } from './flags';
import type { Container, PodSpec } from '../../cluster/types';
import { KubectlError, kindPrefix, type Kctx } from './common';
import { parseSelection } from './get';

export const SET_FLAGS: FlagDef[] = [
  { long: 'selector', short: 'l', type: 'string' },
  { long: 'all', type: 'bool' },
  { long: 'dry-run', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'local', type: 'bool' },
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'record', type: 'bool' },
];

export function runSet(k: Kctx): CommandOutcome {
  const [sub, ...args] = k.flags.positional;
  if (sub !== 'image') {
    if (!sub) throw new KubectlError("error: Required resource not specified.\nSee 'kubectl set -h' for help and examples");
    throw new KubectlError(`error: unknown command "${sub}" for "kubectl set"`);
  }
  const resArgs = args.filter((a) => !a.includes('='));
  const pairs = args.filter((a) => a.includes('=')).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] as const);
  if (resArgs.length === 0 || pairs.length === 0) throw new KubectlError("error: you must specify an update to image (in the form of container=image)\nSee 'kubectl set image -h' for help and examples");
  const sel = parseSelection(resArgs, 'set image');
  let stdout = '';
  for (const r of sel.requests) {
    for (const name of r.names ?? []) {
      const live = k.store.get(r.info.kind, k.namespace, name);
      if (!live) throw notFound(r.info, name);
      const next = structuredClone(live);
      // a Pod's spec, or a workload's pod template (read through the loose shape: the kind is the learner's)
      const spec: Partial<PodSpec> | undefined = r.info.kind === 'Pod' ? next.spec : next.spec?.template?.spec;
      if (!spec) throw new KubectlError(`error: ${kindPrefix(r.info)}/${name} has no containers`);
      const all: Container[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
      for (const [cname, image] of pairs) {
        const hits = cname === '*' ? all : all.filter((c) => c.name === cname);
        if (hits.length === 0) throw new KubectlError(`error: unable to find container named "${cname}"`);
        for (const c of hits) c.image = image;
      }
      if (JSON.stringify(next) !== JSON.stringify(live)) k.cluster.api.update(next);
      stdout += `${kindPrefix(r.info)}/${name} image updated\n`;
    }
  }
  return { stdout, stderr: '', exitCode: 0 };
}
