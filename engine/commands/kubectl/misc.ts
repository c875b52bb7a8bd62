/**
 * Smaller verbs: `kubectl events` (k8s.io/kubectl/pkg/cmd/events: sorted by last seen),
 * `api-versions`, and `top`, which needs
 * the Metrics API this cluster does not serve.
 */
import type { CommandOutcome } from '../../types';
import { RESOURCES, apiVersionOf } from '../../cluster/resources';
import { rowsToText, tableRows, tabwrite, TABLE_OPTS } from '../../printers/kubectl';
import { flagBool, flagString, type FlagDef } from './flags';
import { resolveType, type Kctx } from './common';

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
  // event_printer.go printOneEvent: OBJECT is the involved object's Kind as it is (`Pod/bb`),
  // where get's server-side table lowercases it
  const objectColumn = (allNs ? 1 : 0) + 3;
  t.rows.forEach((row, i) => {
    const io = events[i].involvedObject ?? {};
    row[objectColumn] = `${io.kind ?? ''}/${io.name ?? ''}`;
  });
  return { stdout: tabwrite(rowsToText(flagBool(k.flags, 'no-headers') ? t.rows : [t.header, ...t.rows]), TABLE_OPTS), stderr: '', exitCode: 0 };
}

export function runApiVersions(k: Kctx): CommandOutcome {
  // the built-in groups, and every served version of each installed CRD
  const crds = k.store.list('CustomResourceDefinition').flatMap((c) => ((c.spec?.versions ?? []) as { name: string; served?: boolean }[]).filter((v) => v.served).map((v) => `${c.spec?.group}/${v.name}`));
  const versions = [...new Set([...RESOURCES.filter((r) => !r.crd).map((r) => apiVersionOf(r)), ...crds])].sort();
  return { stdout: versions.map((v) => v + '\n').join(''), stderr: '', exitCode: 0 };
}

export function runTop(): CommandOutcome {
  return { stdout: '', stderr: 'error: Metrics API not available\n', exitCode: 1 };
}
