/**
 * metadata.managedFields: which field manager set which fields, as the API server's field
 * manager records them (k8s.io/apiserver pkg/endpoints/handlers/fieldmanager, and
 * sigs.k8s.io/structured-merge-diff's Updater.Update for Update operations):
 *
 * - a write by manager M compares the object before and after (typed.Compare): M now owns
 *   what it had, less what was removed, plus what it added or modified; every other
 *   manager loses what was modified or removed; an entry left empty goes;
 * - stripmeta: apiVersion, kind and metadata's name, namespace, uid, resourceVersion,
 *   generation, creationTimestamp, selfLink and managedFields are never owned; a write to
 *   the main resource does not own status, a write to the status subresource owns only it
 *   (the strategies' reset fields);
 * - a create compares with the kind's zero object, whose non-pointer structs (metadata,
 *   spec, template, strategy, …) exist already: they own no `.` of their own, while maps,
 *   pointer structs and list items added with the object do;
 * - list items are keyed as the schema's list-map keys say (`k:{"name":"nginx"}`), sets
 *   by value (`v:"x"`); other lists, LabelSelectors and empty structs are atomic leaves;
 * - entries are sorted by operation, time, manager (sortEncodedManagedFields); past ten
 *   Update entries the oldest are merged into `ancient-changes` (capmanagers.go).
 *
 * Kept beside the store (by uid) rather than in each object, with identical field sets
 * shared, so the thousands of Pods of a large cluster cost one set per template.
 */
import type { KubeObject } from './types';
import type { ObjectStore } from './store';

/** A managedFields entry as the API returns it. */
export interface ManagedFieldsEntry {
  apiVersion: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  manager: string;
  operation: 'Update' | 'Apply';
  subresource?: string;
  time: string;
}

interface Entry {
  manager: string;
  operation: 'Update' | 'Apply';
  subresource: string;
  apiVersion: string;
  time: string;
  /** Member paths, sorted; path elements joined by SEP. Shared between objects. */
  paths: readonly string[];
  /**
   * A component that is so far the only writer of its part (the kubelet of a Pod's status,
   * the controller manager of a Deployment's status or of an EndpointSlice): it owns all of
   * that part, so its set is derived from the object when read instead of at each write
   * (`paths` empty). Another manager's write to that part turns it into an explicit set.
   */
  lazy?: boolean;
}

const SEP = '\u0001';
/** capmanagers.go DefaultMaxUpdateManagers. */
const MAX_UPDATE_MANAGERS = 10;
const ANCIENT = 'ancient-changes';
const INTERN_LIMIT = 20_000;

/** Non-pointer struct fields: present in the zero object, so never owned as a whole. */
const ALWAYS_PRESENT = new Set(['metadata', 'spec', 'status', 'template', 'strategy', 'updateStrategy', 'loadBalancer']);
const STRIP_META = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'selfLink', 'managedFields'];

/** Associative lists (+listType=map) by field name: their keys in the schema's order. */
function listKeys(field: string, parent: string, kind: string): string[] | 'set' | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'env':
    case 'imagePullSecrets':
      return ['name'];
    case 'volumeMounts':
      return ['mountPath'];
    case 'ports':
      if (kind === 'Service' && parent === 'spec') return ['port', 'protocol'];
      if (parent === 'container') return ['containerPort', 'protocol'];
      return undefined;
    case 'conditions':
    case 'addresses':
      return ['type'];
    case 'podIPs':
    case 'hostIPs':
      return ['ip'];
    case 'hostAliases':
      return ['ip'];
    case 'ownerReferences':
      return ['uid'];
    case 'finalizers':
      return 'set';
    case 'topologySpreadConstraints':
      return ['topologyKey', 'whenUnsatisfiable'];
    default:
      return undefined;
  }
}

/** A LabelSelector (+structType=atomic) everywhere but a Service's plain map selector. */
function atomicObject(field: string, kind: string): boolean {
  return (field === 'selector' && kind !== 'Service') || field === 'podSelector' || field === 'namespaceSelector';
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function itemElement(item: unknown, keys: string[] | 'set'): string | undefined {
  if (keys === 'set') return `v:${JSON.stringify(item)}`;
  if (!isObj(item)) return undefined;
  const k: Record<string, unknown> = {};
  for (const key of keys) if (item[key] !== undefined) k[key] = item[key];
  // protocol's schema default (TCP) stands in for a missing key (SMD listItemToPathElement), as in an applied configuration
  if (keys.includes('protocol') && k.protocol === undefined) {
    if (keys.some((key) => key !== 'protocol' && k[key] === undefined)) return undefined;
    k.protocol = 'TCP';
  }
  return `k:${JSON.stringify(k)}`;
}

function childParent(field: string): string {
  if (field === 'containers' || field === 'initContainers' || field === 'ephemeralContainers') return 'container';
  return field;
}

/**
 * Every member path of `v` at `path` (typed.ToFieldSet), `v` itself a member when `self`.
 * With `objects` false a non-empty struct or map is never a member itself (toFieldSet).
 */
function addAll(v: unknown, path: string, field: string, parent: string, kind: string, self: boolean, out: Set<string>, objects = true): void {
  if (Array.isArray(v)) {
    const keys = listKeys(field, parent, kind);
    if (!keys) {
      out.add(path);
      return;
    }
    for (const item of v) {
      const pe = itemElement(item, keys);
      if (!pe) continue;
      const p = `${path}${SEP}${pe}`;
      out.add(p);
      if (isObj(item)) for (const [k, x] of Object.entries(item)) if (x !== undefined) addAll(x, `${p}${SEP}f:${k}`, k, childParent(field), kind, true, out, objects);
    }
    return;
  }
  if (isObj(v) && !atomicObject(field, kind)) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (entries.length === 0) {
      out.add(path);
      return;
    }
    if (objects && self && !ALWAYS_PRESENT.has(field)) out.add(path);
    for (const [k, x] of entries) addAll(x, `${path}${SEP}f:${k}`, k, field, kind, true, out, objects);
    return;
  }
  out.add(path);
}

/** typed.Compare over what a manager may own: added or modified paths, removed paths. */
function compare(a: unknown, b: unknown, path: string, field: string, parent: string, kind: string, changed: Set<string>, removed: Set<string>): void {
  if (a === b) return;
  if (a === undefined) return addAll(b, path, field, parent, kind, true, changed);
  if (b === undefined) return addAll(a, path, field, parent, kind, true, removed);
  const keys = Array.isArray(a) && Array.isArray(b) ? listKeys(field, parent, kind) : undefined;
  if (keys && Array.isArray(a) && Array.isArray(b)) {
    const index = (l: unknown[]) => {
      const m = new Map<string, unknown>();
      for (const item of l) {
        const pe = itemElement(item, keys);
        if (pe) m.set(pe, item);
      }
      return m;
    };
    const ia = index(a);
    const ib = index(b);
    for (const [pe, item] of ib) {
      const p = `${path}${SEP}${pe}`;
      const before = ia.get(pe);
      if (before === undefined) {
        changed.add(p);
        if (isObj(item)) for (const [k, x] of Object.entries(item)) if (x !== undefined) addAll(x, `${p}${SEP}f:${k}`, k, childParent(field), kind, true, changed);
      } else if (isObj(before) && isObj(item) && !deepEqual(before, item)) {
        for (const k of new Set([...Object.keys(before), ...Object.keys(item)])) compare(before[k], item[k], `${p}${SEP}f:${k}`, k, childParent(field), kind, changed, removed);
      }
    }
    for (const [pe, item] of ia) {
      if (ib.has(pe)) continue;
      const p = `${path}${SEP}${pe}`;
      removed.add(p);
      if (isObj(item)) for (const [k, x] of Object.entries(item)) if (x !== undefined) addAll(x, `${p}${SEP}f:${k}`, k, childParent(field), kind, true, removed);
    }
    return;
  }
  if (isObj(a) && isObj(b) && !atomicObject(field, kind)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length === 0 || kb.length === 0) {
      // an empty struct is a leaf; filling or emptying it changes its members
      if (ka.length === 0 && kb.length === 0) return;
      if (ka.length === 0) {
        removed.add(path);
        addAll(b, path, field, parent, kind, !ALWAYS_PRESENT.has(field), changed);
      } else {
        addAll(a, path, field, parent, kind, !ALWAYS_PRESENT.has(field), removed);
        changed.add(path);
      }
      return;
    }
    for (const k of new Set([...ka, ...kb])) {
      // equal subtrees are the common case: skip them before building their paths
      if (!deepEqual(a[k], b[k])) compare(a[k], b[k], `${path}${SEP}f:${k}`, k, field, kind, changed, removed);
    }
    return;
  }
  if (!deepEqual(a, b)) {
    // a scalar or an atomic value replaced; a different shape replaces the whole subtree
    if (isObj(a) !== isObj(b) || Array.isArray(a) !== Array.isArray(b)) addAll(a, path, field, parent, kind, true, removed);
    addAll(b, path, field, parent, kind, true, changed);
  }
}

/** Structural equality, stopping at the first difference (cheaper than comparing two JSON texts). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let na = 0;
  for (const k in ra) {
    if (ra[k] === undefined) continue;
    na++;
    if (!deepEqual(ra[k], rb[k])) return false;
  }
  let nb = 0;
  for (const k in rb) if (rb[k] !== undefined) nb++;
  return na === nb;
}

/** Nothing but status (and what no manager owns) differs between two versions of an object. */
function sameOutsideStatus(a: KubeObject, b: KubeObject): boolean {
  for (const k in b) if (k !== 'status' && k !== 'metadata' && !deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  for (const k in a) if (k !== 'status' && k !== 'metadata' && !(k in b)) return false;
  const ma = a.metadata as Record<string, unknown>;
  const mb = b.metadata as Record<string, unknown>;
  for (const k in mb) if (!STRIP_META.includes(k) && !deepEqual(ma[k], mb[k])) return false;
  for (const k in ma) if (!STRIP_META.includes(k) && !(k in mb) && ma[k] !== undefined) return false;
  return true;
}

/** What a write on `subresource` may own: the object without stripmeta's fields and the reset ones. */
function ownable(o: KubeObject | undefined, subresource: string, statusReset: boolean): Record<string, unknown> | undefined {
  if (!o) return undefined;
  if (subresource === 'status') return o.status === undefined ? {} : { status: o.status };
  const { apiVersion: _a, kind: _k, metadata, status: _s, ...rest } = o as Record<string, unknown>;
  void _a;
  void _k;
  const meta: Record<string, unknown> = { ...(metadata as Record<string, unknown>) };
  for (const f of STRIP_META) delete meta[f];
  const out: Record<string, unknown> = { metadata: meta, ...rest };
  if (!statusReset && _s !== undefined) out.status = _s;
  return out;
}

export interface WriteInfo {
  manager: string;
  subresource?: string;
  /** Kinds whose main resource does not own status (a status subresource exists). */
  statusReset: boolean;
  /** Paths nobody owns after this write (what admission added after the field manager ran). */
  unowned?: (path: string) => boolean;
  /** The component is the part's sole writer so far (see Entry.lazy): record it without a compare. */
  soleWriter?: boolean;
}

/** The fields a lazy entry owns: all of its part of the object. */
function lazyPaths(obj: KubeObject, sub: string, statusReset: boolean): Set<string> {
  const raw = new Set<string>();
  compare({}, ownable(obj, sub, statusReset), '', '', '', obj.kind, raw, new Set());
  const out = new Set<string>();
  // a Pod's qosClass is the API server's and its PodScheduled condition the binding's: not the kubelet's
  const scheduled = `${SEP}f:status${SEP}f:conditions${SEP}k:{"type":"PodScheduled"}`;
  for (const p of raw) if (p && !(obj.kind === 'Pod' && (p === `${SEP}f:status${SEP}f:qosClass` || p.startsWith(scheduled)))) out.add(p.slice(1));
  return out;
}

export class ManagedFields {
  private byUid = new Map<string, Entry[]>();
  private interned = new Map<string, readonly string[]>();
  private unsubscribe?: () => void;

  constructor(private now: () => string) {}

  /** Forget objects the store no longer holds. */
  watch(store: ObjectStore): void {
    this.unsubscribe?.();
    this.unsubscribe = store.subscribe((c) => {
      if (c.type === 'DELETED') this.byUid.delete(c.object.metadata.uid);
    });
  }

  /** One instance of each path string, so the sets of many objects share their text. */
  private pathPool = new Map<string, string>();

  private intern(paths: Set<string>): readonly string[] {
    const sorted = [...paths].sort();
    // keyed by a hash of the paths (FNV-1a), checked element by element on a hit
    let h = 0x811c9dc5;
    for (const p of sorted) for (let i = 0; i < p.length; i++) h = Math.imul(h ^ p.charCodeAt(i), 0x01000193) >>> 0;
    const key = `${sorted.length}:${h}`;
    const hit = this.interned.get(key);
    if (hit && hit.length === sorted.length && hit.every((p, i) => p === sorted[i])) return hit;
    if (this.interned.size >= INTERN_LIMIT) this.interned.clear();
    if (this.pathPool.size >= INTERN_LIMIT * 4) this.pathPool.clear();
    for (let i = 0; i < sorted.length; i++) {
      const pooled = this.pathPool.get(sorted[i]);
      if (pooled !== undefined) sorted[i] = pooled;
      else this.pathPool.set(sorted[i], sorted[i]);
    }
    this.interned.set(key, sorted);
    return sorted;
  }

  /** Records a write (create: `before` undefined) by `w.manager`. */
  record(before: KubeObject | undefined, after: KubeObject, w: WriteInfo): void {
    const uid = after.metadata.uid;
    if (!uid) return;
    const sub = w.subresource ?? '';
    const changed = new Set<string>();
    const removed = new Set<string>();
    if (before && (sub === 'status' ? deepEqual(before.status, after.status) : sameOutsideStatus(before, after))) return;
    const current = this.byUid.get(uid) ?? [];
    const inPart = (e: Entry) => (e.subresource === 'status') === (sub === 'status');
    if (w.soleWriter && current.every((e) => !inPart(e) || (e.lazy && e.manager === w.manager))) {
      // the only writer of this part: note the time, derive the set when read
      const others = current.filter((e) => !inPart(e));
      this.byUid.set(uid, [...others, { manager: w.manager, operation: 'Update', subresource: sub, apiVersion: after.apiVersion, time: this.now(), paths: [], lazy: true }]);
      return;
    }
    if (before && current.some((e) => e.lazy && inPart(e))) {
      // another writer arrives: the lazy entry owned all of the part as it was
      this.byUid.set(uid, current.map((e) => (e.lazy && inPart(e) ? { ...e, lazy: undefined, paths: this.intern(lazyPaths(before, e.subresource, w.statusReset)) } : e)));
    }
    const rawChanged = new Set<string>();
    const rawRemoved = new Set<string>();
    compare(ownable(before, sub, w.statusReset) ?? {}, ownable(after, sub, w.statusReset), '', '', '', after.kind, rawChanged, rawRemoved);
    // paths were built from the root '': drop it and the leading separator
    for (const p of rawChanged) if (p && !w.unowned?.(p.slice(1))) changed.add(p.slice(1));
    for (const p of rawRemoved) if (p) removed.add(p.slice(1));
    const entries = (this.byUid.get(uid) ?? []).map((e) => e);
    if (changed.size === 0 && removed.size === 0) return;
    const next: Entry[] = [];
    let mine: Entry | undefined;
    for (const e of entries) {
      if (e.manager === w.manager && e.operation === 'Update' && e.subresource === sub) {
        mine = e;
        continue;
      }
      if (!e.paths.some((p) => changed.has(p) || removed.has(p))) {
        next.push(e);
        continue;
      }
      const kept = new Set(e.paths.filter((p) => !changed.has(p) && !removed.has(p)));
      if (kept.size) next.push({ ...e, paths: this.intern(kept) });
    }
    const own = new Set(mine?.paths.filter((p) => !removed.has(p)) ?? []);
    for (const p of changed) own.add(p);
    if (own.size) next.push({ manager: w.manager, operation: 'Update', subresource: sub, apiVersion: after.apiVersion, time: changed.size ? this.now() : mine?.time ?? this.now(), paths: this.intern(own) });
    this.byUid.set(uid, this.cap(next));
  }

  /** capmanagers.go: the oldest Update entries merged into `ancient-changes` past the limit. */
  private cap(entries: Entry[]): Entry[] {
    const updates = entries.filter((e) => e.operation === 'Update');
    if (updates.length <= MAX_UPDATE_MANAGERS) return entries;
    const sorted = [...updates].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    const merged = new Set<string>();
    let last = sorted[0];
    const drop = new Set<Entry>();
    for (const e of sorted.slice(0, updates.length - MAX_UPDATE_MANAGERS + 1)) {
      for (const p of e.paths) merged.add(p);
      drop.add(e);
      last = e;
    }
    const ancient: Entry = { manager: ANCIENT, operation: 'Update', subresource: '', apiVersion: last.apiVersion, time: last.time, paths: this.intern(merged) };
    return [...entries.filter((e) => !drop.has(e)), ancient];
  }

  /** The object's metadata.managedFields as the API returns them, or undefined if none. */
  entries(obj: KubeObject): ManagedFieldsEntry[] | undefined {
    const list = this.byUid.get(obj.metadata.uid);
    if (!list || list.length === 0) return undefined;
    const sorted = list.map((e) => (e.lazy ? { ...e, paths: [...lazyPaths(obj, e.subresource, true)].sort() } : e)).filter((e) => e.paths.length > 0).sort((a, b) => cmp(a.operation, b.operation) || cmp(a.time, b.time) || cmp(a.manager, b.manager) || cmp(a.apiVersion, b.apiVersion) || cmp(a.subresource, b.subresource));
    return sorted.map((e) => {
      const out: ManagedFieldsEntry = { apiVersion: e.apiVersion, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(e.paths), manager: e.manager, operation: e.operation, time: e.time };
      if (e.subresource) out.subresource = e.subresource;
      return out;
    });
  }

  /** JSON for a snapshot: each distinct set once. */
  snapshot(): unknown {
    const sets: string[][] = [];
    const index = new Map<readonly string[], number>();
    const objects: [string, [string, string, string, string, string, number][]][] = [];
    for (const [uid, list] of this.byUid) {
      objects.push([uid, list.map((e) => {
        let i = index.get(e.paths);
        if (i === undefined) {
          i = sets.length;
          sets.push([...e.paths]);
          index.set(e.paths, i);
        }
        return [e.manager, e.operation, e.subresource, e.apiVersion, e.time, e.lazy ? -1 : i];
      })]);
    }
    return { sets, objects };
  }

  restore(data: unknown): void {
    this.byUid.clear();
    this.interned.clear();
    const d = data as { sets?: string[][]; objects?: [string, [string, string, string, string, string, number][]][] } | undefined;
    if (!d || !Array.isArray(d.sets) || !Array.isArray(d.objects)) return;
    const sets = d.sets.map((s) => this.intern(new Set(s)));
    for (const [uid, list] of d.objects) {
      this.byUid.set(uid, list.map(([manager, operation, subresource, apiVersion, time, i]) => ({ manager, operation: operation === 'Apply' ? 'Apply' : 'Update', subresource, apiVersion, time, paths: sets[i] ?? [], ...(i === -1 ? { lazy: true } : {}) })));
    }
  }

  /** The object's entries with lazy sets made explicit. */
  private explicit(obj: KubeObject): Entry[] {
    return (this.byUid.get(obj.metadata.uid) ?? []).map((e) => (e.lazy ? { ...e, lazy: undefined, paths: this.intern(lazyPaths(obj, e.subresource, true)) } : e));
  }

  /**
   * Server-side apply of `config` by `manager` (structured-merge-diff merge.Updater.Apply
   * under apimachinery's field manager chain): merge into the live object (or the empty one),
   * the manager's Apply set becomes the configuration's field set, what it applied last time
   * and no longer does is pruned unless another manager owns it, and every other manager's
   * field that the apply adds or changes is a conflict unless `force` (then they lose it).
   * skipnonapplied.go: an object no manager has entries for is first owned by
   * `before-first-apply` as a whole. lastappliedmanager.go: for the manager `kubectl`,
   * conflicts on fields the last-applied annotation set to their live value are forced.
   * lastappliedupdater.go: for `kubectl`, an existing annotation is rewritten to the config.
   * Throws ApplyConflicts.
   */
  planApply(live: KubeObject | undefined, config: KubeObject, manager: string, force: boolean, statusReset: boolean): ApplyPlan {
    const kind = config.kind;
    let entries: Entry[] = live ? this.explicit(live) : [];
    if (live && entries.length === 0) {
      const all = new Set<string>();
      compare({}, ownable(live, '', statusReset), '', '', '', kind, all, new Set());
      const paths = new Set([...all].filter((p) => p).map((p) => p.slice(1)));
      if (paths.size) entries = [{ manager: 'before-first-apply', operation: 'Update', subresource: '', apiVersion: live.apiVersion, time: this.now(), paths: this.intern(paths) }];
    }
    const base: KubeObject = live ?? ({ apiVersion: config.apiVersion, kind, metadata: {} } as KubeObject);
    const merged = merge(structuredClone(base), config, '', '', kind) as KubeObject;
    if (statusReset) {
      // the strategy's reset fields: a main-resource write keeps the live status
      if (live?.status !== undefined) merged.status = structuredClone(live.status);
      else delete merged.status;
    }
    const mine = (e: Entry) => e.manager === manager && e.operation === 'Apply' && e.subresource === '';
    const last = entries.find(mine);
    const set = appliedFieldSet(config, statusReset);
    const others = entries.filter((e) => !mine(e));
    if (last) {
      // prune: what it applied before, applies no more, and nobody else owns
      const owned = new Set<string>(set);
      for (const e of others) for (const p of e.paths) owned.add(p);
      const ownedList = [...owned];
      const gone = last.paths.filter((p) => !owned.has(p) && !ownedList.some((o) => o.startsWith(p + SEP)));
      for (const p of gone.sort((a, b) => a.length - b.length)) removePath(merged, p.split(SEP), '', '', kind);
    }
    const changed = new Set<string>();
    const removed = new Set<string>();
    const rawChanged = new Set<string>();
    const rawRemoved = new Set<string>();
    compare(ownable(live, '', statusReset) ?? {}, ownable(merged, '', statusReset), '', '', '', kind, rawChanged, rawRemoved);
    for (const p of rawChanged) if (p) changed.add(p.slice(1));
    for (const p of rawRemoved) if (p) removed.add(p.slice(1));
    const conflictsOf = (list: Entry[]) => list.map((e) => ({ e, paths: e.paths.filter((p) => changed.has(p)) })).filter((c) => c.paths.length > 0);
    let conflicts = conflictsOf(others);
    if (conflicts.length && !force) {
      const allowed = manager === 'kubectl' && live ? this.allowedFromLastApplied(live, statusReset) : undefined;
      if (allowed) conflicts = conflicts.map((c) => ({ e: c.e, paths: c.paths.filter((p) => !allowed.has(p)) })).filter((c) => c.paths.length > 0);
      if (conflicts.length) {
        throw new ApplyConflicts(
          conflicts.map(({ e, paths }) => ({
            manager: printManager(e),
            identifier: JSON.stringify(e.operation === 'Apply' ? { manager: e.manager, operation: e.operation, ...(e.subresource ? { subresource: e.subresource } : {}) } : { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, ...(e.subresource ? { subresource: e.subresource } : {}) }),
            paths: iterationOrder(paths).map(pathString),
          })),
        );
      }
    }
    const next: Entry[] = [];
    for (const e of others) {
      if (!e.paths.some((p) => changed.has(p) || removed.has(p))) {
        next.push(e);
        continue;
      }
      const kept = new Set(e.paths.filter((p) => !changed.has(p) && !removed.has(p)));
      if (kept.size) next.push({ ...e, paths: this.intern(kept) });
    }
    const objectChanged = !live || !deepEqual(live, merged);
    if (set.size) next.push({ manager, operation: 'Apply', subresource: '', apiVersion: config.apiVersion, time: objectChanged || !last ? this.now() : last.time, paths: this.intern(set) });
    if (manager === 'kubectl' && merged.metadata?.annotations?.[LAST_APPLIED_ANNOTATION]) {
      const bare = structuredClone(config) as KubeObject;
      const ann = { ...(bare.metadata.annotations ?? {}) };
      delete ann[LAST_APPLIED_ANNOTATION];
      bare.metadata.annotations = ann;
      if (Object.keys(ann).length === 0) delete bare.metadata.annotations;
      merged.metadata.annotations = { ...merged.metadata.annotations, [LAST_APPLIED_ANNOTATION]: goJsonSorted(bare) + '\n' };
    }
    return { object: merged, entries: next, changed: objectChanged };
  }

  /** lastappliedmanager.go allowedConflictsFromLastApplied: the annotation's fields whose live value is the one it applied. */
  private allowedFromLastApplied(live: KubeObject, statusReset: boolean): Set<string> | undefined {
    const text = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
    if (!text) return undefined;
    let la: unknown;
    try {
      la = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!isObj(la) || la.apiVersion !== live.apiVersion) return undefined;
    const obj = { ...la, kind: live.kind, metadata: isObj(la.metadata) ? la.metadata : {} } as unknown as KubeObject;
    const set = appliedFieldSet(obj, statusReset);
    const changed = new Set<string>();
    const removed = new Set<string>();
    compare(ownable(obj, '', statusReset), ownable(live, '', statusReset), '', '', '', live.kind, changed, removed);
    for (const p of [...changed, ...removed]) if (p) set.delete(p.slice(1));
    return set;
  }

  /** Writes an Apply's managers for the stored object (its uid now known). True if they changed. */
  commitApply(obj: KubeObject, plan: ApplyPlan): boolean {
    const uid = obj.metadata.uid;
    const same = sameEntries(this.explicit(obj), plan.entries);
    this.byUid.set(uid, this.cap(plan.entries));
    return !same;
  }

  /** Whether an Apply would change the object's managers (a write is due even if the object is unchanged). */
  applyChangesManagers(obj: KubeObject, plan: ApplyPlan): boolean {
    return !sameEntries(this.explicit(obj), plan.entries);
  }

  /** Managers of an operation whose sets hold `path` (csaupgrade.FindFieldsOwners). */
  owners(obj: KubeObject, operation: 'Update' | 'Apply', path: string): string[] {
    return this.explicit(obj).filter((e) => e.operation === operation && e.paths.includes(path)).map((e) => e.manager);
  }

  /**
   * csaupgrade.UpgradeManagedFields (client-go util/csaupgrade): each client-side apply
   * manager's main-resource Update set is merged into the `ssaManager` Apply entry (the
   * first such Update entry, in the listed order, becomes it when there is none) and the
   * Update entries of that name go. Returns true if the entries changed.
   */
  upgrade(obj: KubeObject, csaManagers: string[], ssaManager: string): boolean {
    const uid = obj.metadata.uid;
    const listed = this.entries(obj) ?? [];
    let list = this.explicit(obj);
    // the order the API lists them in (sortEncodedManagedFields)
    list.sort((a, b) => cmp(a.operation, b.operation) || cmp(a.time, b.time) || cmp(a.manager, b.manager));
    let changed = false;
    for (const csa of csaManagers) {
      const isCsa = (e: Entry) => e.manager === csa && e.operation === 'Update' && e.subresource === '';
      let target = list.findIndex((e) => e.manager === ssaManager && e.operation === 'Apply' && e.subresource === '');
      if (target < 0) {
        target = list.findIndex(isCsa);
        if (target < 0) continue;
        list[target] = { ...list[target], operation: 'Apply', manager: ssaManager };
      }
      const source = list.find((e) => isCsa(e) && e.apiVersion === list[target].apiVersion);
      if (source) list[target] = { ...list[target], paths: this.intern(new Set([...list[target].paths, ...source.paths])) };
      list = list.filter((e) => !isCsa(e));
      changed = true;
    }
    if (!changed || listed.length === 0) return false;
    this.byUid.set(uid, list);
    return true;
  }

  /** Objects with entries (the soak test's size check). */
  get size(): number {
    return this.byUid.size;
  }
}

/** The same managers with the same sets and times, in any order (lazy sets made explicit first). */
function sameEntries(a: Entry[], b: Entry[]): boolean {
  const key = (e: Entry) => `${e.manager}\u0000${e.operation}\u0000${e.subresource}`;
  const byKey = new Map(b.map((e) => [key(e), e]));
  return a.length === b.length && a.every((e) => {
    const o = byKey.get(key(e));
    return !!o && o.time === e.time && o.apiVersion === e.apiVersion && (o.paths === e.paths || (o.paths.length === e.paths.length && o.paths.every((p, i) => p === e.paths[i])));
  });
}

/** conflict.go printManager: the manager, its subresource, and for an Update its API version. */
function printManager(e: Entry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The FieldsV1 tree of a set: one key per path element, `.` where a node is itself a member. */
function toFieldsV1(paths: readonly string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const members = new Set(paths);
  for (const p of paths) {
    let node = root;
    for (const pe of p.split(SEP)) {
      node[pe] ??= {};
      node = node[pe] as Record<string, unknown>;
    }
  }
  const mark = (node: Record<string, unknown>, prefix: string) => {
    for (const [pe, child] of Object.entries(node)) {
      const path = prefix ? `${prefix}${SEP}${pe}` : pe;
      const c = child as Record<string, unknown>;
      if (Object.keys(c).length > 0) {
        mark(c, path);
        if (members.has(path)) c['.'] = {};
      }
    }
  };
  mark(root, '');
  return root;
}

// ---- server-side apply ---------------------------------------------------------------------

/** The path of the client-side apply annotation (kubectl apply.go lastAppliedAnnotationFieldPath). */
export const LAST_APPLIED_PATH = `f:metadata${SEP}f:annotations${SEP}f:kubectl.kubernetes.io/last-applied-configuration`;
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * typed.ToFieldSet of an applied configuration (structured-merge-diff typed/tofieldset.go):
 * scalars, atomic values and list items are members; a struct or map is a member only when
 * it is empty or null (what an Apply entry shows: no `.` on maps, `.` on list items).
 */
function toFieldSet(v: unknown, path: string, field: string, parent: string, kind: string, out: Set<string>): void {
  addAll(v, path, field, parent, kind, false, out, false);
}

/** The fields a configuration sets, less stripmeta's (stripmeta.go) and, for kinds with a status subresource, status. */
export function appliedFieldSet(config: KubeObject, statusReset: boolean): Set<string> {
  const rest: Record<string, unknown> = { ...config };
  if (statusReset) delete rest.status;
  const raw = new Set<string>();
  toFieldSet(rest, '', '', '', config.kind, raw);
  const out = new Set<string>();
  const stripped = ['f:apiVersion', 'f:kind', ...STRIP_META.map((f) => `f:metadata${SEP}f:${f}`)];
  for (const p of raw) {
    if (!p) continue;
    const q = p.slice(1);
    if (!stripped.some((x) => q === x || q.startsWith(x + SEP))) out.add(q);
  }
  return out;
}

/**
 * typed.Merge of a configuration into the live object: structs and maps merged member by
 * member, associative lists item by item (by key, live order kept, new items where the
 * configuration puts them), everything else (scalars, atomic lists, LabelSelectors) replaced.
 */
function merge(live: unknown, config: unknown, field: string, parent: string, kind: string): unknown {
  if (config === undefined) return live;
  if (Array.isArray(live) && Array.isArray(config)) {
    const keys = listKeys(field, parent, kind);
    if (keys) {
      const pe = (x: unknown) => itemElement(x, keys);
      const inConfig = new Map(config.map((x) => [pe(x), x] as const));
      const inLive = new Map(live.map((x) => [pe(x), x] as const));
      const out: unknown[] = [];
      const done = new Set<string | undefined>();
      let l = 0;
      let r = 0;
      while (l < live.length || r < config.length) {
        if (l < live.length) {
          const lp = pe(live[l]);
          if (!inConfig.has(lp)) {
            out.push(live[l++]);
            continue;
          }
          if (done.has(lp)) {
            l++;
            continue;
          }
        }
        if (r < config.length) {
          const rp = pe(config[r]);
          done.add(rp);
          const before = inLive.get(rp);
          out.push(before === undefined ? structuredClone(config[r]) : merge(before, config[r], childParent(field), parent, kind));
          r++;
        }
      }
      return out;
    }
  }
  if (isObj(live) && isObj(config) && !atomicObject(field, kind)) {
    const out: Record<string, unknown> = { ...live };
    for (const [k, v] of Object.entries(config)) if (v !== undefined) out[k] = merge(live[k], v, k, field, kind);
    return out;
  }
  return structuredClone(config);
}

/** Removes a member path from an object (typed RemoveItems for one path); a struct, map or list it empties goes too. */
function removePath(obj: unknown, elements: string[], field: string, parent: string, kind: string): void {
  if (elements.length === 0) return;
  const [pe, ...rest] = elements;
  const emptied = (v: unknown) => (Array.isArray(v) ? v.length === 0 : isObj(v) && Object.keys(v).length === 0);
  if (pe.startsWith('f:') && isObj(obj)) {
    const k = pe.slice(2);
    if (!(k in obj)) return;
    if (rest.length === 0) delete obj[k];
    else {
      const had = !emptied(obj[k]);
      removePath(obj[k], rest, k, field, kind);
      if (had && emptied(obj[k])) delete obj[k];
    }
    return;
  }
  if (Array.isArray(obj)) {
    const keys = listKeys(field, parent, kind);
    if (!keys) return;
    const i = obj.findIndex((x) => itemElement(x, keys) === pe);
    if (i < 0) return;
    if (rest.length === 0) obj.splice(i, 1);
    else removePath(obj[i], rest, childParent(field), parent, kind);
  }
}

/** fieldpath.Path.String(): `.spec.replicas`, `[name="nginx"]`, `[="x"]`. */
export function pathString(path: string): string {
  return path
    .split(SEP)
    .map((pe) => {
      if (pe.startsWith('f:')) return '.' + pe.slice(2);
      if (pe.startsWith('k:')) {
        const key = JSON.parse(pe.slice(2)) as Record<string, unknown>;
        return '[' + Object.keys(key).sort().map((n) => `${n}=${valueString(key[n])}`).join(',') + ']';
      }
      if (pe.startsWith('v:')) return `[=${valueString(JSON.parse(pe.slice(2)))}]`;
      return pe;
    })
    .join('');
}

/**
 * A strict-decoding path (`spec.template.spec.containers[0].port`) as structured-merge-diff
 * prints it, list items by their keys (`.spec.template.spec.containers[name="web"].port`).
 */
export function typedPath(obj: KubeObject, dotted: string): string {
  let node: unknown = obj;
  let field = '';
  let parent = '';
  let out = '';
  for (const part of dotted.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (part.startsWith('[')) {
      const item: unknown = Array.isArray(node) ? node[Number(part.slice(1, -1))] : undefined;
      const keys = listKeys(field, parent, obj.kind);
      const pe = keys ? itemElement(item, keys) : undefined;
      out += pe ? pathString(pe) : part;
      node = item;
      field = childParent(field);
    } else {
      out += '.' + part;
      node = isObj(node) ? node[part] : undefined;
      parent = field;
      field = part;
    }
  }
  return out;
}

/** value.ToString: strings as Go's %q, numbers and booleans as %v. */
function valueString(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** One field manager's conflicting fields (merge.Conflict), the manager as conflict.go printManager names it. */
export interface ApplyConflict {
  /** `"kubectl-client-side-apply" using apps/v1`, `"kubectl"`, `"kubectl" with subresource "scale" using apps/v1` */
  manager: string;
  /** The BuildManagerIdentifier JSON, by which getConflictMessage sorts managers. */
  identifier: string;
  paths: string[];
}

export class ApplyConflicts extends Error {
  constructor(readonly conflicts: ApplyConflict[]) {
    super('conflicts');
  }
}

/** The plan of an Apply: the merged object (before defaulting) and the managers' sets after it. */
export interface ApplyPlan {
  object: KubeObject;
  entries: Entry[];
  /** The merged object differs from the live one (the applier's time moves). */
  changed: boolean;
}

/** Go's json.Marshal of a decoded value with sorted keys (HTML characters escaped). */
function goJsonSorted(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(goJsonSorted).join(',') + ']';
  if (isObj(v)) return '{' + Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => goString(k) + ':' + goJsonSorted(v[k])).join(',') + '}';
  if (typeof v === 'string') return goString(v);
  return JSON.stringify(v) ?? 'null';
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Order set members as fieldpath.Set.Iterate does: a node's members, then its children, each sorted. */
function iterationOrder(paths: string[]): string[] {
  const depth = (p: string) => p.split(SEP);
  return [...paths].sort((a, b) => {
    const x = depth(a);
    const y = depth(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const lastX = i === x.length - 1;
      const lastY = i === y.length - 1;
      if (x[i] !== y[i]) {
        // at the first difference, a leaf member of this node comes before any child's subtree
        if (lastX !== lastY) return lastX ? -1 : 1;
        return x[i] < y[i] ? -1 : 1;
      }
    }
    return x.length - y.length;
  });
}
