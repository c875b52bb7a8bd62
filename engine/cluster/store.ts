import type { Kind, KindMap, KubeObject } from './types';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  type: ChangeType;
  object: KubeObject;
  old?: KubeObject;
}

export type Listener = (change: Change) => void;

/** `Kind/namespace/name`, or `Kind//name` for cluster-scoped kinds. */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

export function keyOf(obj: KubeObject): string {
  return objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name);
}

/**
 * The store as the typed rooms read it: a literal kind gives that kind's type
 * (`get('Pod', …)` is a Pod, `list('Service')` Services, `iterate('Node')` Nodes), any
 * other string the loose KubeObject. ObjectStore is one (its generic reads are the
 * same trust the API layer's validation earns: what is stored under 'Pod' is a Pod).
 *
 * ObjectStore's own signatures stay loose (`get<T extends KubeObject = KubeObject>`) for
 * the rooms not typed yet: code there reads fields the upstream types mark optional
 * (a Service's ports, a Node's addresses) as if always present, so returning the named
 * kinds from ObjectStore itself would not compile there. Those rooms switch by reading
 * through KindStore; when all have, ObjectStore's signatures become these.
 */
export interface KindStore {
  readonly revision: number;
  get<K extends Kind>(kind: K, namespace: string | undefined, name: string): KindMap[K] | undefined;
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list<K extends Kind>(kind: K, namespace?: string): KindMap[K][];
  list(kind: string, namespace?: string): KubeObject[];
  iterate<K extends Kind>(kind: K): IterableIterator<KindMap[K]>;
  iterate(kind: string): IterableIterator<KubeObject>;
  count(kind: string): number;
  kinds(): string[];
  all(): KubeObject[];
  nextResourceVersion(): string;
  put(obj: KubeObject): void;
  remove(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  subscribe(listener: Listener): () => void;
}

/**
 * The object store: what etcd plus the API server's watch cache are to a cluster.
 * Objects are indexed by kind so a list touches only its kind. It bumps a single
 * resourceVersion counter, as etcd's revision does, and tells listeners of every change
 * (controllers use that to re-derive only what a change touches).
 *
 * The store does no validation and sets no metadata: the API layer (cluster/api.ts) does.
 */
/**
 * How a kind reads at this moment: fields a component keeps current with the clock (a
 * Lease's renewTime, a Node's heartbeats) computed from the stored object on read instead of
 * written on every tick. Returns the stored object itself when nothing moved.
 */
export type ObjectView = (stored: KubeObject) => KubeObject;

export class ObjectStore implements KindStore {
  private byKind = new Map<string, Map<string, KubeObject>>();
  private listeners = new Set<Listener>();
  /** Per-kind read views (see ObjectView); undefined while none is registered, so reads of other kinds pay one check. */
  private views: Map<string, ObjectView> | undefined;
  revision = 0;

  constructor(objects: KubeObject[] = [], revision = 0) {
    for (const o of objects) this.kindMap(o.kind).set(keyOf(o), o);
    this.revision = revision;
  }

  private kindMap(kind: string): Map<string, KubeObject> {
    let m = this.byKind.get(kind);
    if (!m) {
      m = new Map();
      this.byKind.set(kind, m);
    }
    return m;
  }

  nextResourceVersion(): string {
    this.revision += 1;
    return String(this.revision);
  }

  /** Registers how a kind reads (one view per kind; a later one replaces it). */
  setView(kind: string, view: ObjectView): void {
    (this.views ??= new Map()).set(kind, view);
  }

  get<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string): T | undefined {
    const o = this.byKind.get(kind)?.get(objectKey(kind, namespace, name));
    const view = o && this.views?.get(kind);
    return (view ? view(o) : o) as T | undefined;
  }

  /** All objects of a kind, in namespace if given, sorted by namespace then name (as kubectl lists). */
  list<T extends KubeObject = KubeObject>(kind: string, namespace?: string): T[] {
    const m = this.byKind.get(kind);
    if (!m) return [];
    const out: T[] = [];
    const view = this.views?.get(kind);
    for (const o of m.values()) {
      if (namespace === undefined || o.metadata.namespace === namespace) out.push((view ? view(o) : o) as T);
    }
    return out.sort(compareObjects);
  }

  /** Unsorted iteration for hot paths that do their own ordering. */
  *iterate<T extends KubeObject = KubeObject>(kind: string): IterableIterator<T> {
    const m = this.byKind.get(kind);
    if (!m) return;
    const view = this.views?.get(kind);
    if (!view) yield* m.values() as IterableIterator<T>;
    else for (const o of m.values()) yield view(o) as T;
  }

  count(kind: string): number {
    return this.byKind.get(kind)?.size ?? 0;
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  /** Writes an object (already stamped by the API layer) and notifies listeners. */
  put(obj: KubeObject): void {
    const m = this.kindMap(obj.kind);
    const key = keyOf(obj);
    const old = m.get(key);
    m.set(key, obj);
    this.emit({ type: old ? 'MODIFIED' : 'ADDED', object: obj, old });
  }

  remove(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const m = this.byKind.get(kind);
    const key = objectKey(kind, namespace, name);
    const old = m?.get(key);
    if (!m || !old) return undefined;
    m.delete(key);
    // a delete is a revision of its own, as in etcd: whatever caches per revision sees it
    this.revision += 1;
    this.emit({ type: 'DELETED', object: old, old });
    return old;
  }

  all(): KubeObject[] {
    const out: KubeObject[] = [];
    for (const m of this.byKind.values()) for (const o of m.values()) out.push(o);
    return out;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: Change): void {
    for (const l of this.listeners) l(change);
  }
}

export function compareObjects(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
