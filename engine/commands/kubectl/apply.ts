/**
 * kubectl apply (client-side) — k8s.io/kubectl/pkg/cmd/apply/apply.go and
 * k8s.io/kubectl/pkg/util/apply: the kubectl.kubernetes.io/last-applied-configuration
 * annotation, a three-way merge of last-applied, the new manifest and the live object
 * (lists of named items merged by their key, as strategic merge patch does), and the
 * `created` / `configured` / `unchanged` lines.
 */
import type { CommandOutcome } from '../../types';
import { isArray, isObject, member, type KubeObject, type Manifest } from '../../cluster/types';
import { flagBool, flagString, flagStrings, type FlagDef } from './flags';
import { addSourceToErr, apiRequest, checkManifest, errorText, isApiError, kindPrefix, KubectlError, loadManifests, toSubmit, warn, type Kctx, fieldManager, writeOptions } from './common';
import { LAST_APPLIED_PATH } from '../../cluster/managedfields';
import { compactJsonSorted } from './util';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export const APPLY_FLAGS: FlagDef[] = [
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'recursive', short: 'R', type: 'bool' },
  { long: 'kustomize', short: 'k', type: 'string' },
  { long: 'dry-run', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'server-side', type: 'bool' },
  { long: 'force-conflicts', type: 'bool' },
  { long: 'field-manager', type: 'string' },
  { long: 'validate', type: 'string', noOptDefVal: 'strict' },
  { long: 'prune', type: 'bool' },
  { long: 'selector', short: 'l', type: 'string' },
  { long: 'overwrite', type: 'bool' },
  { long: 'force', type: 'bool' },
  { long: 'wait', type: 'bool' },
  { long: 'record', type: 'bool' },
  { long: 'save-config', type: 'bool' },
];

/** Keys by which strategic merge patch merges lists (patchMergeKey in k8s.io/api). */
const MERGE_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'ip', 'type', 'devicePath'];

function mergeKeyOf(items: unknown[]): string | undefined {
  if (items.length === 0 || !items.every(isMap)) return undefined;
  return MERGE_KEYS.find((k) => items.every((x) => member(x, k) !== undefined));
}

const isMap = isObject;

/** Three-way merge: fields in `modified` win; fields only in `original` (last applied) are removed. */
export function threeWay(original: unknown, modified: unknown, live: unknown): unknown {
  if (isMap(modified) && isMap(live)) {
    const out: Record<string, unknown> = { ...live };
    const orig = isMap(original) ? original : {};
    for (const k of Object.keys(orig)) if (!(k in modified)) delete out[k];
    for (const k of Object.keys(modified)) out[k] = threeWay(member(orig, k), modified[k], live[k]);
    return out;
  }
  if (isArray(modified) && isArray(live)) {
    const key = mergeKeyOf([...modified, ...live]);
    if (key) {
      // every item of modified and live is a map (mergeKeyOf checked); last-applied's may not be
      const keyOf = (x: unknown) => member(x, key);
      const orig: unknown[] = isArray(original) ? original : [];
      const removed = new Set(orig.filter((o) => !modified.some((m) => keyOf(m) === keyOf(o))).map(keyOf));
      const result: unknown[] = [];
      for (const m of modified) {
        const l = live.find((x) => keyOf(x) === keyOf(m));
        const o = orig.find((x) => keyOf(x) === keyOf(m));
        result.push(l ? threeWay(o, m, l) : structuredClone(m));
      }
      for (const l of live) if (!modified.some((m) => keyOf(m) === keyOf(l)) && !removed.has(keyOf(l)) && !orig.some((o) => keyOf(o) === keyOf(l))) result.push(l);
      return result;
    }
  }
  return structuredClone(modified);
}

/**
 * The patch client-side apply sends (apimachinery strategicpatch CreateThreeWayMergePatch
 * of last-applied, the manifest and the live object): what the manifest sets differently
 * from the live object, `null` for what last-applied had and the manifest dropped; lists
 * merged by a key carry the changed items and `$setElementOrder/<list>`. Undefined when
 * nothing changes.
 */
export function threeWayPatch(original: unknown, modified: unknown, current: unknown): Record<string, unknown> | undefined {
  if (!isMap(modified)) return undefined;
  const cur = isMap(current) ? current : {};
  const orig = isMap(original) ? original : {};
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(modified)) {
    const m = modified[k];
    const c = cur[k];
    if (isMap(m) && isMap(c)) {
      const d = threeWayPatch(orig[k], m, c);
      if (d) out[k] = d;
    } else if (isArray(m) && isArray(c) && mergeKeyOf([...m, ...c])) {
      if (JSON.stringify(sortDeep(m)) === JSON.stringify(sortDeep(c))) continue;
      const key = mergeKeyOf([...m, ...c])!;
      const o: unknown[] = isArray(orig[k]) ? orig[k] : [];
      const items: unknown[] = [];
      for (const item of m) {
        const live = c.find((x) => member(x, key) === member(item, key));
        if (!live) items.push(item);
        else {
          const d = threeWayPatch(o.find((x) => member(x, key) === member(item, key)), item, live);
          if (d) items.push({ [key]: member(item, key), ...d });
        }
      }
      for (const x of o) if (!m.some((y) => member(y, key) === member(x, key)) && c.some((y) => member(y, key) === member(x, key))) items.push({ $patch: 'delete', [key]: member(x, key) });
      out[`$setElementOrder/${k}`] = m.map((x) => ({ [key]: member(x, key) }));
      if (items.length) out[k] = items;
    } else if (JSON.stringify(sortDeep(m)) !== JSON.stringify(sortDeep(c))) out[k] = m;
  }
  for (const k of Object.keys(orig)) if (!(k in modified) && k in cur) out[k] = null;
  return Object.keys(out).length ? out : undefined;
}

/** The manifest with its namespace and the last-applied-configuration annotation (the manifest as applied). */
export function withLastApplied(m: Manifest, ns: string | undefined): { modified: Manifest; annotation: string } {
  const copy = structuredClone(m);
  // checkManifest found metadata.name (or generateName): metadata is an object
  const metadata = (copy.metadata = copy.metadata ?? {});
  if (ns !== undefined) metadata.namespace = ns;
  const ann: Record<string, string> = { ...(metadata.annotations ?? {}) };
  delete ann[LAST_APPLIED];
  metadata.annotations = ann;
  const annotation = compactJsonSorted(copy) + '\n';
  metadata.annotations = { ...ann, [LAST_APPLIED]: annotation };
  return { modified: copy, annotation };
}

function dryRunSuffix(k: Kctx): string {
  const d = flagString(k.flags, 'dry-run');
  if (d === undefined || d === 'none') return '';
  if (d === 'server') return ' (server dry run)';
  if (d === 'client' || d === '' || d === 'true') return ' (dry run)';
  throw new KubectlError(`error: Invalid dry-run value (${d}). Must be "none", "server", or "client".`);
}

export function runApply(k: Kctx): CommandOutcome {
  const files = flagStrings(k.flags, 'filename');
  if (flagString(k.flags, 'kustomize') !== undefined) throw new KubectlError('error: kustomize is not available in this simulated cluster');
  if (files.length === 0) throw new KubectlError("error: must specify one of -f and -k\n");
  const dry = dryRunSuffix(k);
  // apply.go Validate
  const serverSide = flagBool(k.flags, 'server-side');
  if (flagBool(k.flags, 'force-conflicts') && !serverSide) throw new KubectlError('error: --force-conflicts only works with --server-side');
  if (dry === ' (dry run)' && serverSide) throw new KubectlError("error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
  if (serverSide && flagBool(k.flags, 'force')) throw new KubectlError('error: --force cannot be used with --server-side');
  if (serverSide) return runServerSideApply(k, files, dry);
  const manifests = loadManifests(k, files, flagBool(k.flags, 'recursive'));
  let stdout = '';
  let stderr = '';
  for (const sm of manifests) {
    try {
      const info = checkManifest(k, sm);
      apiRequest(k, info);
      const ns = info.namespaced ? sm.manifest.metadata?.namespace || k.namespace : undefined;
      const name = String(sm.manifest.metadata?.name ?? '');
      const ref = `${kindPrefix(info)}/${name}`;
      const { modified } = withLastApplied(sm.manifest, ns);
      const live = k.store.get(info.kind, ns, name);
      const opts = writeOptions(k);
      const serverDry = dry === ' (server dry run)';
      if (!live) {
        if (!dry || serverDry) {
          try {
            k.cluster.api.create(modified, { namespace: ns, fieldManager: fieldManager(k, 'kubectl-client-side-apply'), dryRun: serverDry, ...opts });
          } catch (e) {
            throw addSourceToErr('creating', sm.source, e);
          }
        }
        stdout += `${ref} created${dry}\n`;
        continue;
      }
      const lastText = live.metadata.annotations?.[LAST_APPLIED];
      let original: unknown = {};
      if (lastText) {
        try {
          original = JSON.parse(lastText);
        } catch {
          original = {};
        }
      } else if (dry !== ' (dry run)') {
        // apply.go warningNoLastAppliedConfigAnnotation with info.ObjectName() (`networkpolicies/client-egress`); not on a client dry run
        stderr += `Warning: resource ${info.plural}/${name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`;
      }
      const merged = toSubmit(threeWay(original, modified, structuredClone(live)));
      merged.metadata.resourceVersion = live.metadata.resourceVersion;
      if (JSON.stringify(normalizeForCompare(merged)) === JSON.stringify(normalizeForCompare(live))) {
        stdout += `${ref} unchanged${dry}\n`;
        continue;
      }
      if (!dry || serverDry) {
        try {
          // the PATCH kubectl sends: the three-way strategic merge patch (its errors show it)
          const patch = threeWayPatch(original, modified, live) ?? {};
          k.cluster.api.update(merged, { fieldManager: fieldManager(k, 'kubectl-client-side-apply'), dryRun: serverDry, patch, ...opts });
        } catch (e) {
          throw addSourceToErr('patching', sm.source, e);
        }
      }
      stdout += `${ref} configured${dry}\n`;
    } catch (e) {
      stderr += errorText(e);
    }
  }
  return { stdout, stderr, exitCode: stderr.replace(/^Warning:.*\n/gm, '') ? 1 : 0 };
}

/** apply.go's advice after a server-side apply conflict (applyOneObject, errors.IsConflict). */
export const SSA_CONFLICT_ADVICE = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`;

/** apply.go fieldManagerServerSideApply and fieldManagerLastAppliedAnnotation. */
const SSA_MANAGER = 'kubectl';
const BEFORE_FIRST_APPLY = 'before-first-apply';

/**
 * kubectl apply --server-side (apply.go applyOneObject, ServerSideApply branch): the whole
 * manifest sent as an apply patch with ?force= and the field manager (`kubectl` unless
 * --field-manager); `serverside-applied`. With the default manager, an object kubectl
 * client-side applied before is migrated: saveLastApplyAnnotationIfNecessary (an apply
 * of the annotation alone by `before-first-apply`), migrateToSSAIfNecessary (the Update
 * managers owning the annotation merged into the `kubectl` Apply entry,
 * csaupgrade.UpgradeManagedFieldsPatch), then the configuration applied again.
 */
function runServerSideApply(k: Kctx, files: string[], dry: string): CommandOutcome {
  const manager = fieldManager(k, SSA_MANAGER);
  const force = flagBool(k.flags, 'force-conflicts');
  const serverDry = dry === ' (server dry run)';
  const manifests = loadManifests(k, files, flagBool(k.flags, 'recursive'));
  let stdout = '';
  const errs: unknown[] = [];
  for (const sm of manifests) {
    try {
      const info = checkManifest(k, sm);
      apiRequest(k, info);
      const name = String(sm.manifest.metadata?.name ?? '');
      if (!name && sm.manifest.metadata?.generateName) throw new KubectlError(`error: from ${String(sm.manifest.metadata.generateName)}: cannot use generate name with apply`);
      const ns = info.namespaced ? sm.manifest.metadata?.namespace || k.namespace : undefined;
      const config = structuredClone(sm.manifest);
      if (ns !== undefined) config.metadata = { ...(config.metadata ?? {}), namespace: ns };
      const opts = { namespace: ns, fieldManager: manager, force, dryRun: serverDry, onWarning: writeOptions(k).onWarning };
      let obj: KubeObject;
      try {
        obj = k.cluster.api.apply(config, opts);
      } catch (e) {
        if (isApiError(e, 'Conflict') && (e as Error).message.startsWith('Apply failed')) throw new KubectlError(`error: ${(e as Error).message}\n${SSA_CONFLICT_ADVICE}`);
        throw e;
      }
      if (manager === SSA_MANAGER && !serverDry) migrateToSSA(k, obj, config, opts);
      stdout += `${kindPrefix(info)}/${name} serverside-applied${dry}\n`;
    } catch (e) {
      errs.push(e);
    }
  }
  // Run returns the errors at the end: one as cmdutil.CheckErr prints it, several as MultipleErrors does
  const stderr = errs.length === 1 ? errorText(errs[0]) : errs.map(messageForError).join('');
  return { stdout, stderr, exitCode: errs.length ? 1 : 0 };
}

/** helpers.go messageForError (MultipleErrors with no prefix): StandardErrorMessage, else the bare message. */
function messageForError(e: unknown): string {
  if (e instanceof KubectlError) return e.text.replace(/^error: /, '').replace(/\n?$/, '\n');
  if (isApiError(e, 'Invalid')) return `Error from server (Invalid): ${(e as Error).message}\n`;
  return errorText(e);
}

function migrateToSSA(k: Kctx, obj: KubeObject, config: Manifest, opts: { namespace?: string; fieldManager: string; force: boolean; dryRun: boolean }): void {
  const api = k.cluster.api;
  const annotation = obj.metadata.annotations?.[LAST_APPLIED];
  if (annotation && api.managedFields.owners(obj, 'Apply', LAST_APPLIED_PATH).length === 0) {
    const just: Manifest = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata.name, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}), annotations: { [LAST_APPLIED]: annotation } } };
    try {
      obj = api.apply(just, { ...opts, fieldManager: BEFORE_FIRST_APPLY, force: false });
    } catch (e) {
      // warningMigrationLastAppliedFailed
      warn(k, `failed to migrate kubectl.kubernetes.io/last-applied-configuration for Server-Side Apply. This is non-fatal and will be retried next time you apply. Error: ${(e as Error).message}`);
      return;
    }
  }
  const csa = api.managedFields.owners(obj, 'Update', LAST_APPLIED_PATH);
  if (csa.length === 0 || !api.upgradeManagedFields(obj.kind, obj.metadata.namespace, obj.metadata.name, [...new Set(csa)], opts.fieldManager)) return;
  try {
    api.apply(config, opts);
  } catch (e) {
    // warningMigrationReapplyFailed
    warn(k, `failed to re-apply configuration after performing Server-Side Apply migration. This is non-fatal and will be retried next time you apply. Error: ${(e as Error).message}`);
  }
}

function normalizeForCompare(o: KubeObject): unknown {
  const c: Record<string, unknown> = structuredClone(o);
  const meta = c.metadata;
  if (isMap(meta)) {
    delete meta.resourceVersion;
    delete meta.generation;
    delete meta.managedFields;
  }
  return sortDeep(c);
}

function sortDeep(v: unknown): unknown {
  if (isArray(v)) return v.map(sortDeep);
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = sortDeep(v[k]);
    return out;
  }
  return v;
}
