/**
 * kubectl describe — k8s.io/kubectl/pkg/cmd/describe/describe.go: TYPE [NAME_PREFIX],
 * TYPE/NAME, -l, -A; when no object has the exact name, objects whose names start with it
 * are described; several descriptions are separated by a blank line.
 */
import type { CommandOutcome } from '../../types';
import type { KubeObject } from '../../cluster/types';
import { notFound } from '../../cluster/api';
import { describeObject } from '../../printers/kubectl/describe';
import { flagBool, flagString, flagStrings, type FlagDef } from './flags';
import { apiRequest, errorText, KubectlError, loadManifests, parseSelector, selectorMatches, type Kctx } from './common';
import { parseSelection } from './get';
import { resourceFor } from '../../cluster/resources';

export const DESCRIBE_FLAGS: FlagDef[] = [
  { long: 'all-namespaces', short: 'A', type: 'bool' },
  { long: 'selector', short: 'l', type: 'string' },
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'recursive', short: 'R', type: 'bool' },
  { long: 'show-events', type: 'bool' },
  { long: 'chunk-size', type: 'int' },
];

export function runDescribe(k: Kctx): CommandOutcome {
  const allNs = flagBool(k.flags, 'all-namespaces');
  const sel = flagString(k.flags, 'selector');
  const reqs = sel !== undefined ? parseSelector(sel) : undefined;
  const env = { now: k.cluster.clock.now(), store: k.store };
  const objs: KubeObject[] = [];
  const errors: string[] = [];
  const files = flagStrings(k.flags, 'filename');
  if (files.length > 0) {
    for (const m of loadManifests(k, files, flagBool(k.flags, 'recursive'))) {
      const info = resourceFor(String(m.manifest.kind ?? ''));
      if (!info) continue;
      apiRequest(k, info);
      const name = String(m.manifest.metadata?.name ?? '');
      const ns = info.namespaced ? ((m.manifest.metadata?.namespace as string) ?? k.namespace) : undefined;
      const o = k.store.get(info.kind, ns, name);
      if (o) objs.push(o);
      else errors.push(errorText(notFound(info, name)));
    }
  } else {
    if (k.flags.positional.length === 0) {
      throw new KubectlError(
        'You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee \'kubectl describe -h\' for help and examples\n',
      );
    }
    const selection = parseSelection(k.flags.positional, 'describe', k.store);
    for (const r of selection.requests) {
      apiRequest(k, r.info);
      const ns = r.info.namespaced ? (allNs && !r.names ? undefined : k.namespace) : undefined;
      if (!r.names) {
        for (const o of k.store.list(r.info.kind, ns)) if (!reqs || selectorMatches(reqs, o.metadata.labels)) objs.push(o);
        continue;
      }
      for (const name of r.names) {
        const exact = k.store.get(r.info.kind, ns, name);
        if (exact) {
          objs.push(exact);
          continue;
        }
        const prefixed = k.store.list(r.info.kind, ns).filter((o) => o.metadata.name.startsWith(name));
        if (prefixed.length > 0) objs.push(...prefixed);
        else errors.push(errorText(notFound(r.info, name)));
      }
    }
    if (objs.length === 0 && errors.length === 0) {
      const namespaced = selection.requests.every((r) => r.info.namespaced) && !allNs;
      return { stdout: '', stderr: namespaced ? `No resources found in ${k.namespace} namespace.\n` : 'No resources found\n', exitCode: 0 };
    }
  }
  const stdout = objs.map((o) => describeObject(o, env)).join('\n\n');
  return { stdout, stderr: errors.join(''), exitCode: errors.length > 0 ? 1 : 0 };
}
