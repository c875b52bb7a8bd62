/**
 * kubectl label / annotate — k8s.io/kubectl/pkg/cmd/label/label.go and
 * annotate/annotate.go: `k=v` sets, `k-` removes, --overwrite, -l, --all, --list;
 * `pod/web labeled`, `not labeled`, and the `already has a value` error.
 */
import type { CommandOutcome } from '../../types';
import type { KubeObject } from '../../cluster/types';
import { notFound } from '../../cluster/api';
import { flagBool, flagString, type FlagDef } from './flags';
import { apiRequest, errorText, kindPrefix, KubectlError, parseSelector, selectorMatches, type Kctx, fieldManager, dryRunStrategy, dryRunText } from './common';
import { parseSelection } from './get';
import { resourceFor } from '../../cluster/resources';

export const LABEL_FLAGS: FlagDef[] = [
  { long: 'overwrite', type: 'bool' },
  { long: 'selector', short: 'l', type: 'string' },
  { long: 'all', type: 'bool' },
  { long: 'all-namespaces', short: 'A', type: 'bool' },
  { long: 'list', type: 'bool' },
  { long: 'local', type: 'bool' },
  { long: 'dry-run', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'resource-version', type: 'string' },
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'field-selector', type: 'string' },
];

const QUALIFIED = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function validKey(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (!name || name.length > 63 || !QUALIFIED.test(name)) return false;
  if (parts.length === 2 && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(parts[0])) return false;
  return true;
}

function runMeta(k: Kctx, field: 'labels' | 'annotations'): CommandOutcome {
  const dry = dryRunStrategy(k);
  const what = field === 'labels' ? 'label' : 'annotation';
  const past = field === 'labels' ? 'labeled' : 'annotated';
  const args = k.flags.positional;
  const resArgs: string[] = [];
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const a of args) {
    if (a.includes('=')) {
      const i = a.indexOf('=');
      const key = a.slice(0, i);
      const value = a.slice(i + 1);
      if (!validKey(key)) throw new KubectlError(`error: invalid ${what} spec: ${a}`);
      if (field === 'labels' && (value.length > 63 || !LABEL_VALUE.test(value))) {
        throw new KubectlError(
          `error: invalid label value: "${a}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
        );
      }
      set[key] = value;
    } else if (a.endsWith('-') && resArgs.length > 0) {
      remove.push(a.slice(0, -1));
    } else resArgs.push(a);
  }
  if (resArgs.length === 0) throw new KubectlError(`error: one or more resources must be specified as <resource> <name> or <resource>/<name>`);
  const list = flagBool(k.flags, 'list');
  if (!list && Object.keys(set).length === 0 && remove.length === 0) throw new KubectlError(`error: at least one ${what} update is required`);
  const sel = parseSelection(resArgs, field === 'labels' ? 'label' : 'annotate', k.store);
  const selector = flagString(k.flags, 'selector');
  const reqs = selector !== undefined ? parseSelector(selector) : undefined;
  const all = flagBool(k.flags, 'all');
  const targets: KubeObject[] = [];
  const errors: string[] = [];
  for (const r of sel.requests) {
    apiRequest(k, r.info);
    const ns = r.info.namespaced ? k.namespace : undefined;
    if (r.names) {
      for (const name of r.names) {
        const o = k.store.get(r.info.kind, ns, name);
        if (o) targets.push(o);
        else errors.push(errorText(notFound(r.info, name)));
      }
    } else {
      if (!all && !reqs) throw new KubectlError('error: resource(s) were provided, but no name was specified');
      for (const o of k.store.list(r.info.kind, ns)) if (!reqs || selectorMatches(reqs, o.metadata.labels)) targets.push(o);
    }
  }
  let stdout = '';
  let listNotes = '';
  const overwrite = flagBool(k.flags, 'overwrite');
  for (const o of targets) {
    const info = resourceFor(o.kind)!;
    const ref = `${kindPrefix(info)}/${o.metadata.name}`;
    if (list) {
      // label.go: with several objects each list is announced on stderr and indented
      const one = targets.length === 1;
      if (!one) listNotes += `Listing ${field} for ${o.kind}.${info.group}/${o.metadata.name}:\n`;
      for (const [key, v] of Object.entries(o.metadata[field] ?? {}).sort()) stdout += `${one ? '' : ' '}${key}=${v}\n`;
      continue;
    }
    const current: Record<string, string> = { ...((o.metadata[field] as Record<string, string>) ?? {}) };
    let changed = false;
    let failed = false;
    for (const [key, v] of Object.entries(set)) {
      if (current[key] !== undefined && !overwrite) {
        if (current[key] === v) continue;
        errors.push(`error: '${key}' already has a value (${current[key]}), and --overwrite is false\n`);
        failed = true;
        break;
      }
      if (current[key] !== v) changed = true;
      current[key] = v;
    }
    if (failed) continue;
    for (const key of remove) {
      if (current[key] === undefined) {
        // label.go says so only where it patches (not on a client dry run)
        if (dry !== 'client') stdout += `${what} "${key}" not found.\n`;
        continue;
      }
      delete current[key];
      changed = true;
    }
    if (!changed) {
      stdout += `${ref} not ${past}${dryRunText(dry)}\n`;
      continue;
    }
    const next = structuredClone(o);
    if (Object.keys(current).length > 0) next.metadata[field] = current;
    else delete next.metadata[field];
    try {
      // label.go / annotate.go: a client dry run changes the object locally; a server one is the merge PATCH with ?dryRun=All
      if (dry !== 'client') k.cluster.api.update(next, { fieldManager: fieldManager(k, k.verb === 'annotate' ? 'kubectl-annotate' : 'kubectl-label'), dryRun: dry === 'server' });
    } catch (e) {
      errors.push(errorText(e));
      continue;
    }
    stdout += `${ref} ${past}${dryRunText(dry)}\n`;
  }
  return { stdout, stderr: listNotes + errors.join(''), exitCode: errors.length > 0 ? 1 : 0 };
}

export function runLabel(k: Kctx): CommandOutcome {
  return runMeta(k, 'labels');
}

export function runAnnotate(k: Kctx): CommandOutcome {
  return runMeta(k, 'annotations');
}
