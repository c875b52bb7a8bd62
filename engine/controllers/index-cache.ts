/**
 * Shared informer-style indexes the controllers read: dependants by owner uid (what the
 * garbage collector's graph and the controllers' "claimed pods" lists are), and every
 * object's key by uid. Built from the store at init and kept current from its events,
 * so nothing is rescanned per command.
 */
import type { Cluster } from '../cluster/cluster';
import type { Kind, KindMap, KubeObject } from '../cluster/types';
import { keyOf, type Change, type KindStore } from '../cluster/store';

export class OwnerIndex {
  /** owner uid → dependant key → the dependant as last stored */
  private dependants = new Map<string, Map<string, KubeObject>>();
  private byUid = new Map<string, string>();
  private ownersOf = new Map<string, string[]>();
  private unsubscribe?: () => void;

  constructor(private cluster: Cluster) {}

  private get store(): KindStore {
    return this.cluster.store;
  }

  init(): void {
    this.unsubscribe?.();
    this.dependants.clear();
    this.byUid.clear();
    this.ownersOf.clear();
    for (const kind of this.cluster.store.kinds()) for (const o of this.cluster.store.iterate(kind)) this.add(o);
    this.unsubscribe = this.cluster.store.subscribe((c) => this.onChange(c));
  }

  private onChange(c: Change): void {
    if (c.old) this.remove(c.old);
    if (c.type !== 'DELETED') this.add(c.object);
  }

  private add(o: KubeObject): void {
    const k = keyOf(o);
    if (o.metadata.uid) this.byUid.set(o.metadata.uid, k);
    const owners = (o.metadata.ownerReferences ?? []).map((r) => r.uid).filter(Boolean);
    if (owners.length) {
      this.ownersOf.set(k, owners);
      for (const u of owners) {
        let s = this.dependants.get(u);
        if (!s) this.dependants.set(u, (s = new Map()));
        s.set(k, o);
      }
    }
  }

  private remove(o: KubeObject): void {
    const k = keyOf(o);
    if (o.metadata.uid && this.byUid.get(o.metadata.uid) === k) this.byUid.delete(o.metadata.uid);
    for (const u of this.ownersOf.get(k) ?? []) {
      const s = this.dependants.get(u);
      s?.delete(k);
      if (s && s.size === 0) this.dependants.delete(u);
    }
    this.ownersOf.delete(k);
  }

  /** Keys (`Kind/ns/name`) of objects listing `uid` among their ownerReferences, sorted unless `sorted` is false. */
  dependantsOf(uid: string, kind?: string, sorted = true): string[] {
    const s = this.dependants.get(uid);
    if (!s) return [];
    const out = kind ? [...s.keys()].filter((k) => k.startsWith(kind + '/')) : [...s.keys()];
    return sorted ? out.sort() : out;
  }

  /**
   * The objects themselves, in key order; `sorted: false` skips the sort for callers whose
   * result does not depend on the order (a ReplicaSet's tens of thousands of pods).
   */
  dependantObjects<K extends Kind>(uid: string, kind: K, sorted = true): KindMap[K][] {
    const s = this.dependants.get(uid);
    if (!s) return [];
    const out: KindMap[K][] = [];
    const prefix = kind + '/';
    if (sorted) {
      for (const k of this.dependantsOf(uid, kind)) out.push(s.get(k) as KindMap[K]);
      return out;
    }
    // the index holds what the store holds (it follows every change), so no lookup is needed
    for (const [k, o] of s) if (k.startsWith(prefix)) out.push(o as KindMap[K]);
    return out;
  }

  keyOfUid(uid: string): string | undefined {
    return this.byUid.get(uid);
  }
}

/** Splits `Kind/ns/name` (ns empty for cluster-scoped kinds). */
export function splitKey(k: string): [string, string | undefined, string] {
  const i = k.indexOf('/');
  const j = k.indexOf('/', i + 1);
  const ns = k.slice(i + 1, j);
  return [k.slice(0, i), ns || undefined, k.slice(j + 1)];
}
