/**
 * kube-proxy's change tracking (pkg/proxy/servicechangetracker.go and
 * endpointschangetracker.go in one). Service and EndpointSlice events only mark their
 * Service pending; the next sync checks the changes out: for each pending Service the
 * tracker holds its previous state (what it applied at the last checkout) against the
 * current one, drops the changes that cancel out, applies the rest and hands their names
 * to the proxier, which re-derives just those Services' rules.
 *
 * A Service's state is its view (upstream's ServicePortMap and EndpointsMap entries: the
 * ports and each port's endpoints, which is what the proxiers read) and the objects it
 * was derived from: the Service and its EndpointSlices. Upstream compares only the view,
 * so a label edit is no change to it; here any edit to the Service or its slices
 * resyncs that Service's chains (tests pin this). What cancels out is a Service back to
 * where it was at the last checkout: created and deleted before a sync, edited and edited
 * back, a slice added and removed (same content; resourceVersion aside).
 *
 * Views are derived when checked out rather than on every event, so a burst of events
 * for one Service costs one derivation, like the BoundedFrequencyRunner's batching.
 */
import { stripVolatile } from '../../cluster/api';
import type { KubeObject } from '../../cluster/types';
import type { ObjectStore } from '../../cluster/store';
import { endpointsFor, type EndpointInfo } from './endpoint';
import { nodeDependent, servicePorts, type ServicePortInfo } from './serviceport';

/** One Service as kube-proxy sees it: upstream's ServicePortMap and EndpointsMap entries for its ports. */
export interface ServiceView {
  /** The proxied ports, in spec order (none: the Service has no view). */
  ports: ServicePortInfo[];
  /** Each port's endpoints, sorted by `IP:port`; `endpoints[i]` belongs to `ports[i]`. */
  endpoints: EndpointInfo[][];
  /** Some port's rules differ from node to node (Local traffic policy, source-range firewall, topology hints). */
  perNode: boolean;
}

/** The read side every proxier gets: the views as of the last checkout. */
export interface ServiceViews {
  view(key: string): ServiceView | undefined;
  /** Keys (`namespace/name`) of the Services that have a view, in rule order (sorted). */
  serviceKeys(): readonly string[];
  /** How many Services have node-dependent rules. */
  readonly nodeDependentCount: number;
  /** Keys of the Services with a healthCheckNodePort, in rule order: few, asked for on every node. */
  healthCheckKeys(): readonly string[];
}

/** One source object as last checked out: the object, and its resourceVersion then (in case it is written in place). */
interface SourceRef {
  obj: KubeObject;
  rv: string | undefined;
}

/** The objects a Service's view is derived from. */
interface Source {
  svc?: SourceRef;
  slices: SourceRef[];
}

export class ChangeTracker implements ServiceViews {
  /** Services with events since the last checkout, in the order their first event came. */
  private pending = new Set<string>();
  private slicesBySvc = new Map<string, Set<string>>();
  /** The views applied at the last checkout (Services with no proxied port have none). */
  private views = new Map<string, ServiceView>();
  /** The objects they were applied from. */
  private sources = new Map<string, Source>();
  private sortedKeys: string[] = [];
  private nodeDependents = 0;
  private healthChecked = new Set<string>();
  private healthSorted: string[] | undefined = [];
  /** Pending Services not yet derived ahead of their checkout (prepare). */
  private unprepared = new Set<string>();
  /** Views derived ahead of the checkout, with the objects they came from: used if those are still current then. */
  private prepared = new Map<string, { source: Source; view: ServiceView | undefined }>();
  /** How many checkouts applied a view derived ahead (prepare) instead of deriving it. */
  reused = 0;

  constructor(private readonly store: ObjectStore) {}

  /** Picks up what the store already holds (a new or restored simulation): every Service is pending. */
  start(): void {
    for (const s of this.store.iterate('EndpointSlice')) this.indexSlice(s, true);
    for (const s of this.store.iterate('Service')) this.mark(`${s.metadata.namespace}/${s.metadata.name}`);
  }

  private mark(key: string): void {
    this.pending.add(key);
    this.unprepared.add(key);
  }

  /** OnServiceAdd/Update/Delete. */
  serviceChanged(svc: KubeObject): void {
    this.mark(`${svc.metadata.namespace}/${svc.metadata.name}`);
  }

  /** OnEndpointSliceAdd/Update/Delete: `previous` is the slice before the event, `current` after it (none if deleted). */
  endpointSliceChanged(previous: KubeObject | undefined, current: KubeObject | undefined): void {
    if (previous) this.indexSlice(previous, false);
    if (current) this.indexSlice(current, true);
  }

  /** Events arrived since the last checkout (some of them may still cancel out). */
  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Applies the pending changes and returns the Services whose view changed, in the order
   * of their first event; changes that cancel out are dropped.
   */
  checkout(): string[] {
    const changed: string[] = [];
    for (const key of this.pending) if (this.apply(key)) changed.push(key);
    this.pending.clear();
    this.unprepared.clear();
    this.prepared.clear();
    return changed;
  }

  /**
   * Derives the pending Services' views ahead of the checkout, as kube-proxy computes its
   * rules when Services change rather than when someone looks: the checkout then applies
   * them (if their objects are still the ones they came from) instead of deriving.
   * Nothing is applied here, so what a checkout returns is the same either way.
   */
  prepare(): ServiceView[] {
    const out: ServiceView[] = [];
    for (const key of this.unprepared) {
      const [ns, name] = key.split('/');
      const svc = this.store.get('Service', ns, name);
      const slices = this.slicesOf(key);
      const view = this.derive(svc, slices);
      this.prepared.set(key, { source: { svc: svc && refOf(svc), slices: slices.map(refOf) }, view });
      if (view) out.push(view);
    }
    this.unprepared.clear();
    return out;
  }

  view(key: string): ServiceView | undefined {
    return this.views.get(key);
  }

  serviceKeys(): readonly string[] {
    return this.sortedKeys;
  }

  healthCheckKeys(): readonly string[] {
    return (this.healthSorted ??= [...this.healthChecked].sort());
  }

  get nodeDependentCount(): number {
    return this.nodeDependents;
  }

  /** The Services with node-dependent rules, in the order their views were first applied. */
  nodeDependentKeys(): string[] {
    const out: string[] = [];
    for (const [k, v] of this.views) if (v.perNode) out.push(k);
    return out;
  }

  private indexSlice(s: KubeObject, add: boolean): void {
    const svc = s.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc) return;
    const key = `${s.metadata.namespace}/${svc}`;
    let set = this.slicesBySvc.get(key);
    if (!set) {
      set = new Set();
      this.slicesBySvc.set(key, set);
    }
    if (add) set.add(s.metadata.name);
    else set.delete(s.metadata.name);
    this.mark(key);
  }

  /**
   * Every Service (`namespace/name`) with a Service or EndpointSlices as last synced, sorted,
   * and those objects: what the IPv6 proxier of a dual-stack kube-proxy derives its own view
   * from (its ServiceChangeTracker sees the same events, filtered to its family).
   */
  sourceKeys(): string[] {
    return [...this.sources.keys()].sort();
  }

  sourceObjects(key: string): { svc?: KubeObject; slices: KubeObject[] } | undefined {
    const s = this.sources.get(key);
    return s && { svc: s.svc?.obj, slices: s.slices.map((r) => r.obj) };
  }

  private slicesOf(key: string): KubeObject[] {
    const names = this.slicesBySvc.get(key);
    if (!names || names.size === 0) return [];
    const ns = key.split('/')[0];
    const out: KubeObject[] = [];
    for (const n of names) {
      const s = this.store.get('EndpointSlice', ns, n);
      if (s) out.push(s);
    }
    return out;
  }

  /** The Service's view from its objects (serviceToServiceMap + the endpoint slice cache). */
  private derive(svc: KubeObject | undefined, slices: KubeObject[]): ServiceView | undefined {
    const ports = svc ? servicePorts(svc) : [];
    if (ports.length === 0) return undefined;
    const endpoints = ports.map((p) => endpointsFor(p, slices));
    // hinted endpoints are picked per node (topology.go), so such a Service's rules are too
    const hinted = endpoints.some((eps) => eps.some((e) => e.zoneHints.length > 0 || e.nodeHints.length > 0));
    return { ports, endpoints, perNode: hinted || ports.some(nodeDependent) };
  }

  /** Replaces one Service's previous state with its current one; false if the changes cancelled out. */
  private apply(key: string): boolean {
    const [ns, name] = key.split('/');
    const svc = this.store.get('Service', ns, name);
    const slices = this.slicesOf(key);
    const source: Source = { svc: svc && refOf(svc), slices: slices.map(refOf) };
    if (sameSource(this.sources.get(key), source)) return false;
    if (source.svc || source.slices.length) this.sources.set(key, source);
    else this.sources.delete(key);
    const previous = this.views.get(key);
    const early = this.prepared.get(key);
    const ahead = early !== undefined && sameSource(early.source, source);
    if (ahead) this.reused++;
    const current = ahead ? early.view : this.derive(svc, slices);
    if (!previous && !current) return true;
    if (previous?.perNode) this.nodeDependents--;
    const hc = !!current?.ports.some((p) => p.healthCheckNodePort !== 0);
    if (hc !== this.healthChecked.has(key)) {
      if (hc) this.healthChecked.add(key);
      else this.healthChecked.delete(key);
      this.healthSorted = undefined;
    }
    if (!current) {
      this.views.delete(key);
      const i = this.sortedIndex(key);
      if (this.sortedKeys[i] === key) this.sortedKeys.splice(i, 1);
      return true;
    }
    if (current.perNode) this.nodeDependents++;
    if (!previous) this.sortedKeys.splice(this.sortedIndex(key), 0, key);
    this.views.set(key, current);
    return true;
  }

  private sortedIndex(key: string): number {
    let lo = 0, hi = this.sortedKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sortedKeys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function refOf(obj: KubeObject): SourceRef {
  return { obj, rv: obj.metadata.resourceVersion };
}

/** Are a Service's objects as they were (none before: none now)? */
function sameSource(a: Source | undefined, b: Source): boolean {
  if (!a) return !b.svc && b.slices.length === 0;
  if (!sameObject(a.svc, b.svc) || a.slices.length !== b.slices.length) return false;
  for (let i = 0; i < a.slices.length; i++) if (!sameObject(a.slices[i], b.slices[i])) return false;
  return true;
}

function sameObject(a: SourceRef | undefined, b: SourceRef | undefined): boolean {
  if (!a || !b) return a === b;
  // The same object: unchanged, unless it was written in place (its resourceVersion moved).
  if (a.obj === b.obj) return a.rv === b.rv;
  return sameData(stripVolatile(a.obj), stripVolatile(b.obj));
}


/** Structural equality of plain data, as JSON sees it (a key set to undefined is no key). */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>, rb = b as Record<string, unknown>;
  for (const k of Object.keys(ra)) if (!sameData(ra[k], rb[k])) return false;
  for (const k of Object.keys(rb)) if (rb[k] !== undefined && !(k in ra)) return false;
  return true;
}
