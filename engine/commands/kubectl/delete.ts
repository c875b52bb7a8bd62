/**
 * kubectl delete — k8s.io/kubectl/pkg/cmd/delete/delete.go: TYPE NAME…, TYPE/NAME…, -f,
 * -l, --all, -n, --ignore-not-found; one `kind "name" deleted from NS namespace` line per object.
 */
import type { CommandOutcome } from '../../types';
import type { KubeObject } from '../../cluster/types';
import { forbidden } from './impersonate';
import { resourceFor, type ResourceInfo } from '../../cluster/resources';
import { ApiError, notFound } from '../../cluster/api';
import { flagBool, flagString, flagStrings, type FlagDef } from './flags';
import { apiRequest, checkManifest, errorText, kindPrefix, KubectlError, loadManifests, parseFieldSelector, parseSelector, resourceName, selectorMatches, type Kctx, dryRunStrategy, dryRunText } from './common';
import { parseSelection } from './get';

export const DELETE_FLAGS: FlagDef[] = [
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'recursive', short: 'R', type: 'bool' },
  { long: 'selector', short: 'l', type: 'string' },
  { long: 'field-selector', type: 'string' },
  { long: 'all', type: 'bool' },
  { long: 'all-namespaces', short: 'A', type: 'bool' },
  { long: 'ignore-not-found', type: 'bool' },
  { long: 'grace-period', type: 'int' },
  { long: 'force', type: 'bool' },
  { long: 'now', type: 'bool' },
  { long: 'wait', type: 'bool' },
  { long: 'cascade', type: 'string' },
  { long: 'timeout', type: 'string' },
  { long: 'dry-run', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'kustomize', short: 'k', type: 'string' },
  { long: 'interactive', short: 'i', type: 'bool' },
];

/** Deletes one object through the API (gracePeriod: DeleteOptions' gracePeriodSeconds, -1 unset); a Namespace takes what lives in it along. */
export function deleteObject(k: Kctx, info: ResourceInfo, ns: string | undefined, name: string, gracePeriod = -1): void {
  k.cluster.api.delete(info.kind, ns, name, gracePeriod >= 0 ? { gracePeriodSeconds: gracePeriod } : {});
  if (info.kind === 'Namespace') {
    for (const kind of k.store.kinds()) {
      const ri = resourceFor(kind);
      if (!ri?.namespaced) continue;
      for (const o of k.store.list(kind, name)) {
        try {
          k.cluster.api.delete(kind, name, o.metadata.name);
        } catch {
          // already removed by the garbage collector
        }
      }
    }
  }
}

export function runDelete(k: Kctx): CommandOutcome {
  const f = k.flags;
  const files = flagStrings(f, 'filename');
  const selector = flagString(f, 'selector');
  const fieldSelector = flagString(f, 'field-selector');
  const all = flagBool(f, 'all');
  const allNs = flagBool(f, 'all-namespaces');
  const ignore = flagBool(f, 'ignore-not-found');
  const dry = dryRunStrategy(k);
  const suffix = dryRunText(dry);
  // DeleteOptions.Complete/Validate (kubectl v1.34): --now is a grace period of 1, --grace-period=0
  // without --force becomes 1, --force alone becomes 0; the warning is written before any request
  const force = flagBool(f, 'force');
  const given = f.values.get('grace-period');
  let gracePeriod = typeof given === 'number' ? given : -1;
  if (flagBool(f, 'now')) {
    if (gracePeriod !== -1) throw new KubectlError('error: --now and --grace-period cannot be specified together');
    gracePeriod = 1;
  }
  if (gracePeriod === 0 && !force) gracePeriod = 1;
  if (force && gracePeriod < 0) gracePeriod = 0;
  if (gracePeriod === 0 && force) {
    k.early += 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n';
  } else if (gracePeriod > 0 && force) throw new KubectlError('error: --force and --grace-period greater than 0 cannot be specified together');
  const targets: { info: ResourceInfo; ns: string | undefined; name: string; obj?: KubeObject }[] = [];
  const errors: string[] = [];
  if (files.length > 0) {
    for (const sm of loadManifests(k, files, flagBool(f, 'recursive'))) {
      const info = checkManifest(k, sm);
      apiRequest(k, info);
      const ns = info.namespaced ? ((sm.manifest.metadata?.namespace as string) || k.namespace) : undefined;
      targets.push({ info, ns, name: String(sm.manifest.metadata?.name ?? '') });
    }
  } else {
    const args = f.positional;
    if (args.length === 0) {
      throw new KubectlError(
        "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
      );
    }
    const sel = parseSelection(args, 'delete', k.store);
    const hasNames = sel.requests.some((r) => r.names);
    if (!hasNames && !all && selector === undefined && fieldSelector === undefined) {
      throw new KubectlError('error: resource(s) were provided, but no name was specified');
    }
    if (hasNames && (all || selector !== undefined)) {
      throw new KubectlError('error: name cannot be provided when a selector is specified');
    }
    const reqs = selector !== undefined ? parseSelector(selector) : undefined;
    for (const r of sel.requests) {
      apiRequest(k, r.info);
      const ns = r.info.namespaced ? k.namespace : undefined;
      if (r.names) {
        for (const name of r.names) targets.push({ info: r.info, ns, name });
      } else {
        const fsel = fieldSelector ? parseFieldSelector(fieldSelector, r.info) : undefined;
        const listNs = r.info.namespaced ? (allNs ? undefined : k.namespace) : undefined;
        // a selector or --all deletes what a list returns: the list is authorized first
        const denied = forbidden(k, r.info, 'list', '', listNs ?? '');
        if (denied) {
          errors.push(errorText(denied));
          continue;
        }
        for (const o of k.store.list(r.info.kind, listNs)) {
          if (reqs && !selectorMatches(reqs, o.metadata.labels)) continue;
          if (fsel && !fsel(o)) continue;
          targets.push({ info: r.info, ns: o.metadata.namespace, name: o.metadata.name, obj: o });
        }
      }
    }
    if (targets.length === 0) {
      const namespaced = sel.requests.every((r) => r.info.namespaced) && !allNs;
      return { stdout: '', stderr: namespaced ? `No resources found in ${k.namespace} namespace.\n` : 'No resources found\n', exitCode: 0 };
    }
  }
  let stdout = '';
  const deleted: { info: ResourceInfo; ns: string | undefined; name: string; uid: unknown }[] = [];
  for (const t of targets) {
    const denied = forbidden(k, t.info, 'delete', t.name, t.ns ?? '');
    if (denied) {
      errors.push(errorText(denied));
      continue;
    }
    if (!t.info.verbs.includes('delete')) {
      // a kind served for get and list only (componentstatuses): the DELETE is refused
      errors.push(errorText(new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource', 405)));
      continue;
    }
    const live = k.store.get(t.info.kind, t.ns, t.name);
    if (!live) {
      if (!ignore) errors.push(errorText(notFound(t.info, t.name)));
      continue;
    }
    try {
      // delete.go: a client dry run only prints; a server one is the DELETE with ?dryRun=All
      if (dry === 'server') k.cluster.api.delete(t.info.kind, t.ns, t.name, { dryRun: true, ...(gracePeriod >= 0 ? { gracePeriodSeconds: gracePeriod } : {}) });
      else if (dry === 'none') {
        deleteObject(k, t.info, t.ns, t.name, gracePeriod);
        deleted.push({ ...t, uid: live.metadata.uid });
      }
    } catch (e) {
      errors.push(errorText(e));
      continue;
    }
    // PrintObj (v1.34): "force deleted" at grace period 0, "from NS namespace" for namespaced kinds (#126619)
    const op = `${gracePeriod === 0 ? 'force deleted' : 'deleted'}${t.info.namespaced ? ` from ${t.ns ?? k.namespace} namespace` : ''}`;
    stdout += flagString(f, 'output') === 'name' ? `${kindPrefix(t.info)}/${t.name}\n` : `${kindPrefix(t.info)} "${t.name}" ${op}${suffix}\n`;
  }
  // --wait (default true): like kubectl's DeleteFlags, block until the objects are gone
  // (a Pod's graceful termination, finalizers), the clock moving as it would. A recreated
  // object of the same name (a new uid) does not count.
  if (f.values.get('wait') !== false && deleted.length > 0) {
    const gone = (d: (typeof deleted)[number]) => k.store.get(d.info.kind, d.ns, d.name)?.metadata.uid !== d.uid;
    let waited = 0;
    while (!deleted.every(gone) && waited < DELETE_WAIT_LIMIT_MS) {
      k.cluster.advance(1000);
      waited += 1000;
    }
    for (const d of deleted) if (!gone(d)) errors.push(`error: timed out waiting for the condition on ${resourceName(d.info)}/${d.name}\n`);
  }
  return { stdout, stderr: errors.join(''), exitCode: errors.length > 0 ? 1 : 0 };
}

/** How long `kubectl delete` waits at most (virtual time): past any grace period a lab uses. */
const DELETE_WAIT_LIMIT_MS = 10 * 60_000;
