/**
 * The API server: the only way objects enter, change or leave the store. It stamps
 * server-side metadata (uid, resourceVersion, creationTimestamp), applies defaults,
 * validates with the API server's messages, and then lets controllers reconcile.
 */
import type { Simulation } from '../simulation';
import type { Scenario } from '../scenario/load';
import type { KubeObject, Manifest } from './types';
import { resourceFor, type ResourceInfo } from './resources';
import { validateObject, defaultObject } from './validation';

/** A failed API call, shaped like metav1.Status so kubectl can print it the way it does. */
export class ApiError extends Error {
  constructor(
    /** NotFound, AlreadyExists, Invalid, Conflict, BadRequest, Forbidden, MethodNotAllowed */
    readonly reason: string,
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function notFound(info: ResourceInfo, name: string): ApiError {
  return new ApiError('NotFound', `${info.plural}${info.group ? '.' + info.group : ''} "${name}" not found`, 404);
}

export function alreadyExists(info: ResourceInfo, name: string): ApiError {
  return new ApiError('AlreadyExists', `${info.plural}${info.group ? '.' + info.group : ''} "${name}" already exists`, 409);
}

export class ApiServer {
  constructor(private sim: Simulation) {}

  /** Loads a scenario's manifests (after the system layer, which a module creates in init). */
  bootstrap(scenario: Scenario): void {
    for (const m of scenario.objects) {
      this.create(structuredClone(m) as Manifest);
    }
  }

  private stamp(obj: KubeObject, old?: KubeObject): void {
    const meta = obj.metadata;
    meta.uid = old?.metadata.uid ?? meta.uid ?? this.uid();
    meta.creationTimestamp = old?.metadata.creationTimestamp ?? meta.creationTimestamp ?? this.sim.clock.iso();
    meta.resourceVersion = this.sim.store.nextResourceVersion();
  }

  uid(): string {
    const r = this.sim.rng;
    return `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${'89ab'[r.int(4)]}${r.hex(3)}-${r.hex(12)}`;
  }

  /** POST: create a new object. Throws ApiError. */
  create(manifest: Manifest, opts: { namespace?: string; reconcile?: boolean } = {}): KubeObject {
    const info = resourceFor(manifest.kind ?? '');
    if (!info) throw new ApiError('BadRequest', `no matches for kind "${manifest.kind}" in version "${manifest.apiVersion}"`, 400);
    const obj = structuredClone(manifest) as KubeObject;
    obj.metadata = { ...(obj.metadata ?? {}) } as KubeObject['metadata'];
    if (info.namespaced) obj.metadata.namespace = obj.metadata.namespace ?? opts.namespace ?? 'default';
    else delete obj.metadata.namespace;
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = obj.metadata.generateName + this.sim.rng.kubeString(5);
    }
    defaultObject(this.sim, obj, undefined);
    validateObject(this.sim, obj, undefined);
    if (this.sim.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name)) {
      throw alreadyExists(info, obj.metadata.name);
    }
    if (info.namespaced && obj.metadata.namespace !== 'default' && !this.sim.store.get('Namespace', undefined, obj.metadata.namespace!)) {
      throw new ApiError('NotFound', `namespaces "${obj.metadata.namespace}" not found`, 404);
    }
    this.stamp(obj);
    if (obj.metadata.generation === undefined && obj.spec !== undefined) obj.metadata.generation = 1;
    this.sim.store.put(obj);
    if (opts.reconcile !== false) this.sim.reconcile();
    return obj;
  }

  /** PUT: replace an existing object. Throws ApiError. */
  update(obj: KubeObject, opts: { reconcile?: boolean } = {}): KubeObject {
    const info = resourceFor(obj.kind);
    if (!info) throw new ApiError('BadRequest', `no matches for kind "${obj.kind}"`, 400);
    const old = this.sim.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name);
    if (!old) throw notFound(info, obj.metadata.name);
    const next = structuredClone(obj);
    defaultObject(this.sim, next, old);
    validateObject(this.sim, next, old);
    this.stamp(next, old);
    if (JSON.stringify(next.spec) !== JSON.stringify(old.spec)) {
      next.metadata.generation = (old.metadata.generation ?? 1) + 1;
    }
    this.sim.store.put(next);
    if (opts.reconcile !== false) this.sim.reconcile();
    return next;
  }

  /** Status writes from controllers: no validation, no generation bump. */
  updateStatus(obj: KubeObject): KubeObject {
    const next = obj;
    next.metadata.resourceVersion = this.sim.store.nextResourceVersion();
    this.sim.store.put(next);
    return next;
  }

  /** DELETE: removes the object; the garbage collector (a controller) removes dependants. */
  delete(kind: string, namespace: string | undefined, name: string, opts: { reconcile?: boolean } = {}): KubeObject {
    const info = resourceFor(kind);
    if (!info) throw new ApiError('BadRequest', `no matches for kind "${kind}"`, 400);
    const removed = this.sim.store.remove(kind, info.namespaced ? namespace ?? 'default' : undefined, name);
    if (!removed) throw notFound(info, name);
    if (opts.reconcile !== false) this.sim.reconcile();
    return removed;
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject {
    const info = resourceFor(kind);
    if (!info) throw new ApiError('BadRequest', `no matches for kind "${kind}"`, 400);
    const obj = this.sim.store.get(kind, info.namespaced ? namespace ?? 'default' : undefined, name);
    if (!obj) throw notFound(info, name);
    return obj;
  }
}
