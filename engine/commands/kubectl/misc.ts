/**
 * Smaller verbs: `kubectl events` (k8s.io/kubectl/pkg/cmd/events: sorted by last seen),
 * `api-versions`, `auth can-i` (the learner is cluster-admin), and `top`, which needs
 * the Metrics API this cluster does not serve.
 */
import type { CommandOutcome } from '../../types';
import { RESOURCES, apiVersionOf, served } from '../../cluster/resources';
import { rowsToText, tableRows, tabwrite, TABLE_OPTS } from '../../printers/kubectl';
import { flagBool, flagString, type FlagDef } from './flags';
import { KubectlError, resolveType, type Kctx } from './common';

export const EVENTS_FLAGS: FlagDef[] = [
  { long: 'all-namespaces', short: 'A', type: 'bool' },
  { long: 'for', type: 'string' },
  { long: 'types', type: 'strings' },
  { long: 'watch', short: 'w', type: 'bool' },
  { long: 'no-headers', type: 'bool' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'chunk-size', type: 'int' },
];

export function runEvents(k: Kctx): CommandOutcome {
  const allNs = flagBool(k.flags, 'all-namespaces');
  let events = k.store.list('Event', allNs ? undefined : k.namespace);
  const forArg = flagString(k.flags, 'for');
  if (forArg) {
    const [type, name] = forArg.includes('/') ? forArg.split('/') : ['pod', forArg];
    const info = resolveType(type);
    events = events.filter((e) => e.involvedObject?.kind === info.kind && e.involvedObject?.name === name);
  }
  const types = (k.flags.values.get('types') as string[] | undefined)?.flatMap((t) => t.split(',')) ?? [];
  if (types.length) events = events.filter((e) => types.some((t) => t.toLowerCase() === String(e.type).toLowerCase()));
  if (events.length === 0) {
    return { stdout: '', stderr: allNs ? 'No events found.\n' : `No events found in ${k.namespace} namespace.\n`, exitCode: 0 };
  }
  // SortableEvents: oldest last-seen first
  events.sort((a, b) => Date.parse(a.lastTimestamp ?? a.eventTime ?? '') - Date.parse(b.lastTimestamp ?? b.eventTime ?? ''));
  const t = tableRows('Event', events, { now: k.cluster.clock.now() }, { withNamespace: allNs });
  return { stdout: tabwrite(rowsToText(flagBool(k.flags, 'no-headers') ? t.rows : [t.header, ...t.rows]), TABLE_OPTS), stderr: '', exitCode: 0 };
}

export function runApiVersions(k: Kctx): CommandOutcome {
  const versions = [...new Set(RESOURCES.filter((r) => served(r, k.store)).flatMap((r) => [apiVersionOf(r), ...(r.alsoServed ?? []).map((v) => `${r.group}/${v}`)]))].sort();
  return { stdout: versions.map((v) => v + '\n').join(''), stderr: '', exitCode: 0 };
}

export const AUTH_FLAGS: FlagDef[] = [
  { long: 'all-namespaces', short: 'A', type: 'bool' },
  { long: 'list', type: 'bool' },
  { long: 'quiet', short: 'q', type: 'bool' },
  { long: 'as', type: 'string' },
  { long: 'subresource', type: 'string' },
];

export function runAuth(k: Kctx): CommandOutcome {
  const [sub, verb, resource] = k.flags.positional;
  if (sub === 'whoami') return { stdout: 'ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [kubeadm:cluster-admins system:authenticated]\n', stderr: '', exitCode: 0 };
  if (sub !== 'can-i') throw new KubectlError(`error: unknown command "${sub ?? ''}" for "kubectl auth"`);
  if (!verb || (!resource && !flagBool(k.flags, 'list'))) throw new KubectlError("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples");
  if (resource && !resource.startsWith('/')) resolveType(resource.split('/')[0]);
  return { stdout: flagBool(k.flags, 'quiet') ? '' : 'yes\n', stderr: '', exitCode: 0 };
}

export function runTop(): CommandOutcome {
  return { stdout: '', stderr: 'error: Metrics API not available\n', exitCode: 1 };
}
