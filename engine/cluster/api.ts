/**
 * The API server: the only way objects enter, change or leave the store. It stamps
 * server-side metadata (uid, resourceVersion, creationTimestamp), applies defaults,
 * validates with the API server's messages, allocates Service IPs and node ports the
 * way the service REST storage does, and then lets controllers reconcile.
 */
import type { Cluster } from './cluster';
import type { KubeObject, Manifest } from './types';
import { isServed, resourceFor, type ResourceInfo } from './resources';
import { decodeError, validationErrors, defaultObject } from './validation';
import { aggregate, errorBody, fe, go, type FieldError } from './fielderrors';
import type { Ipam } from './ipam';
import type { UncheckedObject } from './validation/common';
import { ApplyConflicts, ManagedFields, typedPath, type ApplyPlan } from './managedfields';
import { withBundledSchemas } from './openapi/crds';
import { pruneUnknown, strictDecodingError, unknownFields, type FieldValidation } from './validation/strict';
import { goMapText, versionOf } from './validation/decode';

/** One entry of metav1.Status.details.causes. */
export interface StatusCause {
  /** FieldValueInvalid, FieldValueRequired, … */
  reason: string;
  /** field.Error.ErrorBody(): `Invalid value: 80: provided port is not in the valid range…` */
  message: string;
  /** `spec.ports[0].nodePort` */
  field: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

/** A failed API call, shaped like metav1.Status so kubectl can print it the way it does. */
export class ApiError extends Error {
  constructor(
    /** NotFound, AlreadyExists, Invalid, Conflict, BadRequest, Forbidden, MethodNotAllowed */
    readonly reason: string,
    message: string,
    readonly code: number,
    /** For Invalid: the kind, name and one cause per field error (kubectl prints `* field: message`). */
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function notFound(info: ResourceInfo, name: string): ApiError {
  return new ApiError('NotFound', `${info.plural}${info.group ? '.' + info.group : ''} "${name}" not found`, 404, { name, group: info.group, kind: info.plural });
}

export function alreadyExists(info: ResourceInfo, name: string): ApiError {
  return new ApiError('AlreadyExists', `${info.plural}${info.group ? '.' + info.group : ''} "${name}" already exists`, 409, { name, group: info.group, kind: info.plural });
}

/** apierrors.NewInvalid: `Deployment.apps "web" is invalid: <aggregate>`, with causes. */
export function invalid(info: ResourceInfo, name: string, errs: FieldError[]): ApiError {
  const qualified = info.kind + (info.group ? '.' + info.group : '');
  return new ApiError('Invalid', `${qualified} "${name}" is invalid: ${aggregate(errs)}`, 422, {
    name,
    group: info.group,
    kind: info.kind,
    causes: errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })),
  });
}

/**
 * A patched object that does not decode (handlers/patch.go): NewInvalid with no kind or
 * name and one cause on the field `patch`, whose value is the patched object (or, for a
 * strategic merge patch, the patch as fmt's %+v prints it). kubectl prints
 * `The request is invalid: patch: Invalid value: "…": <decode error>`.
 */
/** encoding/json of a map[string]interface{}: compact, keys sorted at every level. */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function patchInvalid(value: string, detail: string): ApiError {
  const body = `Invalid value: ${JSON.stringify(value)}: ${detail}`;
  return new ApiError('Invalid', ` "" is invalid: patch: ${body}`, 422, { name: '', kind: '', causes: [{ reason: 'FieldValueInvalid', message: body, field: 'patch' }] });
}

export function conflict(info: ResourceInfo, name: string): ApiError {
  return new ApiError(
    'Conflict',
    `Operation cannot be fulfilled on ${info.plural}${info.group ? '.' + info.group : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    409,
    { name, group: info.group, kind: info.plural },
  );
}

/** Kinds whose status is the server's (a create ignores what the manifest says). */
const SERVER_STATUS = new Set(['Pod', 'Service', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Namespace', 'Ingress', 'Node', 'GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute']);

/**
 * The simulated etcd's room, in objects (Events live in their own etcd, as clusters
 * deploy them with --etcd-servers-overrides=/events#…, and are bounded by their TTL and
 * the recorders' correlators). A real etcd refuses writes past --quota-backend-bytes
 * (2 GiB by default, some 700,000 Pods); a browser tab cannot hold that many, so the
 * simulated one is smaller. What a learner meets is the same: creates fail with etcd's
 * ErrGRPCNoSpace, which the API server passes on as an InternalError (500) and kubectl
 * prints as `Error from server: etcdserver: mvcc: database space exceeded`. Unlike a
 * real etcd's NOSPACE alarm, updates and deletes go on, so scaling back down works.
 */
export const DEFAULT_OBJECT_QUOTA = 10_000;

const MAX_NAME_GENERATION_CREATE_ATTEMPTS = 8;

/** The API server's --max-request-body-bytes default (3 MiB) for a JSON body. */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/**
 * The request body limit (handlers/rest.go limitedReadBody): a body over 3 MiB is refused
 * before it is decoded, `Request entity too large: limit is 3145728` (413). Only objects
 * that carry a megabyte of data or annotations can come near it, so only those are measured.
 */
function checkBodySize(obj: UncheckedObject): void {
  let rough = 0;
  for (const field of ['data', 'binaryData', 'stringData']) {
    const d = obj[field];
    if (d && typeof d === 'object') for (const v of Object.values(d)) rough += typeof v === 'string' ? v.length : 0;
  }
  const ann: unknown = obj.metadata?.annotations;
  if (ann && typeof ann === 'object') for (const v of Object.values(ann)) rough += typeof v === 'string' ? v.length : 0;
  if (rough < MAX_REQUEST_BODY_BYTES / 4) return;
  if (new TextEncoder().encode(JSON.stringify(obj)).length > MAX_REQUEST_BODY_BYTES) {
    throw new ApiError('RequestEntityTooLarge', `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`, 413);
  }
}

export const ETCD_NO_SPACE = 'etcdserver: mvcc: database space exceeded';

/** How long before the scenario's start its own objects are created (their pods are up when the learner arrives). */
export const SCENARIO_LEAD_MS = 5 * 60_000;

export interface CreateOptions {
  namespace?: string;
  reconcile?: boolean;
  /** Keep the manifest's status (scenario pins: status.podIP, readiness, phase). */
  keepStatus?: boolean;
  /** Server-side dry run: validate and default, store nothing. */
  dryRun?: boolean;
  /** The field manager (kubectl's --field-manager default per verb); inferred for the controllers' writes. */
  fieldManager?: string;
  /** ?fieldValidation= (kubectl sends its --validate directive): unknown fields fail, warn, or are dropped. Unset: dropped unchecked. */
  fieldValidation?: FieldValidation;
  /** Where the server's warnings of this request go (the response's Warning headers). */
  onWarning?: (message: string) => void;
  /** A server-side apply's managers (set by apply(), recorded instead of an Update entry). */
  applyPlan?: ApplyPlan;
}

export interface ApplyOptions {
  namespace?: string;
  fieldManager: string;
  /** ?force=true (kubectl --force-conflicts): take the conflicting fields. */
  force?: boolean;
  dryRun?: boolean;
  onWarning?: (message: string) => void;
}

export interface UpdateOptions {
  reconcile?: boolean;
  dryRun?: boolean;
  fieldManager?: string;
  /** A write through a subresource (`scale`); managedFields name it. */
  subresource?: string;
  fieldValidation?: FieldValidation;
  onWarning?: (message: string) => void;
  /** The update is a strategic merge patch (client-side apply): the patch, as its errors show it. */
  patch?: unknown;
  applyPlan?: ApplyPlan;
}

export interface DeleteOptions {
  reconcile?: boolean;
  /** Pods: seconds of graceful termination; 0 removes at once (`--grace-period=0 --force`). */
  gracePeriodSeconds?: number;
  /** Background (default) or Orphan: whether dependants are garbage-collected. */
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  /** ?dryRun=All: the request's checks (existence, the method, protected namespaces), nothing removed. */
  dryRun?: boolean;
}

/**
 * A mutating admission webhook as the API server calls it on a create (Istio's sidecar
 * injector): after defaulting, before validation. Returns true if it changed the object
 * (which is then defaulted again); throws an ApiError to refuse the request.
 */
export type MutatingAdmission = (obj: KubeObject, opts: { dryRun: boolean }) => boolean;

/**
 * A validating admission webhook as the API server calls it on a create or an update (the
 * ingress-nginx admission controller): after validation, before the write (dry runs too);
 * throws an ApiError to refuse the request.
 */
export type ValidatingAdmission = (obj: KubeObject, old: KubeObject | undefined) => void;

export class ApiServer {
  /** Installed mutating admission webhooks, in registration order. */
  readonly mutatingAdmission: MutatingAdmission[] = [];
  /** Installed validating admission webhooks, in registration order. */
  readonly validatingAdmission: ValidatingAdmission[] = [];
  /** metadata.managedFields of the stored objects (kept beside the store). */
  readonly managedFields: ManagedFields;

  /** `allocator`: ClusterIPs, node ports and node podCIDRs (the service REST storage's and node IPAM's allocators). */
  constructor(
    private cluster: Cluster,
    private allocator?: Ipam,
  ) {
    this.managedFields = new ManagedFields(() => cluster.clock.iso());
    this.managedFields.watch(cluster.store);
    // the CRDs the cluster installs are stored without their schemas: they read back in (openapi/crds.ts)
    cluster.store.setView('CustomResourceDefinition', withBundledSchemas);
  }

  /**
   * Records a write in managedFields: the manager kubectl named, or the component whose
   * write this is (the controller manager for owned objects and endpoints, the kubelet for
   * Pod and Node status); writes of no known manager (bootstrap objects) are not tracked.
   */
  private track(before: KubeObject | undefined, after: KubeObject, manager: string | undefined, subresource?: string, unowned?: (path: string) => boolean): void {
    const m = manager ?? inferredManager(before, after, subresource);
    if (!m) return;
    // a component writing status, or the controllers their own objects (ReplicaSets, endpoints), is that part's only writer
    const soleWriter = !manager && (subresource === 'status' || after.kind === 'EndpointSlice' || after.kind === 'Endpoints' || after.kind === 'ReplicaSet');
    this.managedFields.record(before, after, { manager: m, subresource, statusReset: SERVER_STATUS.has(after.kind), unowned, soleWriter });
  }

  private ipam(): Ipam | undefined {
    return this.allocator;
  }

  private stamp(obj: KubeObject, old?: KubeObject): void {
    const meta = obj.metadata;
    meta.uid = old?.metadata.uid ?? meta.uid ?? this.uid();
    meta.creationTimestamp = old?.metadata.creationTimestamp ?? meta.creationTimestamp ?? this.cluster.clock.iso();
    meta.resourceVersion = this.cluster.store.nextResourceVersion();
  }

  /** Objects the store holds, Events aside (what DEFAULT_OBJECT_QUOTA counts). */
  storedObjects(): number {
    let n = 0;
    for (const kind of this.cluster.store.kinds()) if (kind !== 'Event') n += this.cluster.store.count(kind);
    return n;
  }

  uid(): string {
    const r = this.cluster.rng;
    return `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${'89ab'[r.int(4)]}${r.hex(3)}-${r.hex(12)}`;
  }

  /**
   * Server-side field validation of a kubectl request (validation/strict.ts): Strict fails
   * with the decoder's error (handlers/create.go and update.go: transformDecodeError's
   * BadRequest; handlers/patch.go applyPatchToObject: NewInvalid on the field `patch`), Warn
   * adds one warning per field (addStrictDecodingWarnings), and the fields are dropped.
   */
  private checkFields(info: ResourceInfo, obj: UncheckedObject, opts: CreateOptions | UpdateOptions): void {
    if (!opts.fieldValidation) return;
    const crd = info.crd ? this.cluster.store.get('CustomResourceDefinition', undefined, info.crd) : undefined;
    const patch = 'patch' in opts ? opts.patch : undefined;
    const unknown = unknownFields(obj, patch === undefined ? 'decode' : 'convert', crd);
    if (!unknown?.length) return;
    if (opts.fieldValidation === 'Strict') {
      // a custom resource is patched with a JSON merge patch (kubectl apply's patcher falls back to
      // it for kinds not in its scheme): handlers/patch.go jsonPatcher names the patched object's
      // JSON, which MergePatch writes from a map (keys sorted); a strategic merge patch, the patch
      if (patch !== undefined) throw patchInvalid(info.crd ? sortedJson(obj) : goMapText(patch), strictDecodingError(unknown));
      throw new ApiError('BadRequest', `${info.kind} in version "${versionOf(obj)}" cannot be handled as a ${info.kind}: ${strictDecodingError(unknown)}`, 400);
    }
    if (opts.fieldValidation === 'Warn') for (const u of unknown) opts.onWarning?.(`unknown field "${u.path}"`);
    pruneUnknown(unknown);
  }

  private firstGeneration(info: ResourceInfo, obj: KubeObject): void {
    // a custom resource always starts at 1 (apiextensions-apiserver customresource strategy PrepareForCreate), spec or not (CiliumEndpoint)
    if (obj.metadata.generation === undefined && (obj.spec !== undefined || info.group === 'apps' || !!info.crd)) {
      // Pods too since v1.33 (pod strategy PrepareForCreate, KEP-5067)
      if (!['Service', 'Namespace', 'Node', 'ConfigMap', 'Secret', 'Endpoints', 'EndpointSlice', 'Lease'].includes(obj.kind)) obj.metadata.generation = 1;
    }
  }

  /** POST: create a new object. Throws ApiError. */
  create(manifest: Manifest, opts: CreateOptions = {}): KubeObject {
    if (!manifest || typeof manifest !== 'object') throw new ApiError('BadRequest', 'Object \'Kind\' is missing in \'null\'', 400);
    const info = resourceFor(typeof manifest.kind === 'string' ? manifest.kind : '');
    if (!info || info.kind !== manifest.kind || !isServed(info, this.cluster.store)) {
      throw new ApiError('BadRequest', `no matches for kind "${manifest.kind}" in version "${manifest.apiVersion}"`, 400);
    }
    checkBodySize(manifest as UncheckedObject);
    const obj = structuredClone(manifest) as KubeObject;
    obj.apiVersion = typeof obj.apiVersion === 'string' && !info.crd ? obj.apiVersion : info.group ? `${info.group}/${info.version}` : info.version;
    // the handler decodes the body into the typed object before anything else (transformDecodeError)
    const undecodable = decodeError(obj);
    if (undecodable) throw new ApiError('BadRequest', undecodable, 400);
    this.checkFields(info, obj, opts);
    const meta = obj.metadata && typeof obj.metadata === 'object' && !Array.isArray(obj.metadata) ? obj.metadata : {};
    obj.metadata = { ...meta } as KubeObject['metadata'];
    delete (obj.metadata as Partial<KubeObject['metadata']>).resourceVersion;
    if (!opts.keepStatus) {
      delete (obj.metadata as Partial<KubeObject['metadata']>).uid;
      delete (obj.metadata as Partial<KubeObject['metadata']>).creationTimestamp;
      delete obj.metadata.deletionTimestamp;
      if (SERVER_STATUS.has(obj.kind)) delete obj.status;
    }
    if (obj.metadata.name !== undefined && typeof obj.metadata.name !== 'string') obj.metadata.name = String(obj.metadata.name);
    if (info.namespaced) obj.metadata.namespace = obj.metadata.namespace ?? opts.namespace ?? 'default';
    else delete obj.metadata.namespace;
    const generated = !obj.metadata.name && !!obj.metadata.generateName;
    if (generated) obj.metadata.name = obj.metadata.generateName + this.cluster.rng.kubeString(5);
    defaultObject(this.cluster, obj, undefined);
    let mutated = false;
    for (const hook of this.mutatingAdmission) if (hook(obj, { dryRun: !!opts.dryRun })) mutated = true;
    if (mutated) defaultObject(this.cluster, obj, undefined);
    const errs = validationErrors(this.cluster, obj, undefined);
    if (errs.length) throw invalid(info, obj.metadata.name ?? '', errs);
    for (const hook of this.validatingAdmission) hook(obj, undefined);
    if (info.namespaced && !this.cluster.store.get('Namespace', undefined, obj.metadata.namespace!)) {
      if (obj.metadata.namespace !== 'default' || this.cluster.store.count('Namespace') > 0) {
        throw new ApiError('NotFound', `namespaces "${obj.metadata.namespace}" not found`, 404, { name: obj.metadata.namespace, kind: 'namespaces' });
      }
    }
    const ns = info.namespaced ? this.cluster.store.get('Namespace', undefined, obj.metadata.namespace!) : undefined;
    if (ns?.metadata.deletionTimestamp) {
      throw new ApiError('Forbidden', `${info.plural}${info.group ? '.' + info.group : ''} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${ns.metadata.name} because it is being terminated`, 403);
    }
    // createWithGenerateNameRetry (apiserver registry/generic/registry/store.go): a
    // generated name that collides is drawn again, maxNameGenerationCreateAttempts (8) tries in all
    for (let attempt = 1; generated && attempt < MAX_NAME_GENERATION_CREATE_ATTEMPTS && this.cluster.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name); attempt++) {
      obj.metadata.name = obj.metadata.generateName + this.cluster.rng.kubeString(5);
    }
    if (this.cluster.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name)) {
      throw alreadyExists(info, obj.metadata.name);
    }
    if (!opts.dryRun && this.storedObjects() >= (this.cluster.settings.objectQuota ?? DEFAULT_OBJECT_QUOTA)) {
      // storage's error is not a Status: ErrorToAPIStatus makes it a 500 with no reason
      throw new ApiError('', ETCD_NO_SPACE, 500);
    }
    if (obj.kind === 'Service') {
      const ipam = this.ipam();
      if (ipam) {
        const aerrs = ipam.allocateService(obj, undefined);
        if (aerrs.length) throw invalid(info, obj.metadata.name, aerrs);
        const hcErr = ipam.allocateHealthCheckNodePort(obj, undefined);
        if (hcErr) throw new ApiError('InternalError', `Internal error occurred: ${hcErr}`, 500);
      }
    }
    if (obj.kind === 'Node' && !obj.spec?.podCIDR) {
      // the node-ipam controller's allocation, done at once
      const cidr = this.ipam()?.nextNodePodCIDR();
      const cidr6 = this.ipam()?.nextNodePodCIDR6();
      if (cidr) obj.spec = { ...(obj.spec ?? {}), podCIDR: cidr, podCIDRs: cidr6 ? [cidr, cidr6] : [cidr] };
    }
    if (opts.dryRun) {
      // the registry's BeforeCreate ran (uid, creationTimestamp, generation); the dry-run storage keeps no resourceVersion
      obj.metadata.uid = this.uid();
      obj.metadata.creationTimestamp = this.cluster.clock.iso();
      this.firstGeneration(info, obj);
      return orderFields(obj);
    }
    this.stamp(obj);
    this.firstGeneration(info, obj);
    if (obj.kind === 'Pod' && obj.spec?.nodeName === undefined) {
      // nothing: the scheduler binds it
    }
    this.cluster.store.put(orderFields(obj));
    if (opts.applyPlan) this.managedFields.commitApply(obj, opts.applyPlan);
    else this.track(undefined, obj, opts.fieldManager, undefined, admittedPaths(manifest, obj));
    if (opts.reconcile !== false) this.cluster.reconcile();
    return obj;
  }

  /** PUT: replace an existing object. Throws ApiError. */
  update(obj: KubeObject, opts: UpdateOptions = {}): KubeObject {
    const info = resourceFor(obj?.kind ?? '');
    if (!info) throw new ApiError('BadRequest', `no matches for kind "${obj?.kind}"`, 400);
    const ns = info.namespaced ? obj.metadata?.namespace ?? 'default' : undefined;
    const old = this.cluster.store.get(obj.kind, ns, obj.metadata?.name);
    if (!old) throw notFound(info, obj.metadata?.name);
    checkBodySize(obj);
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) throw conflict(info, obj.metadata.name);
    const undecodable = decodeError(obj);
    if (undecodable) throw new ApiError('BadRequest', undecodable, 400);
    const next = structuredClone(obj);
    this.checkFields(info, next, opts);
    next.metadata = { ...next.metadata, namespace: ns };
    if (!info.namespaced) delete next.metadata.namespace;
    defaultObject(this.cluster, next, old);
    const errs = validationErrors(this.cluster, next, old);
    if (errs.length) throw invalid(info, next.metadata.name, errs);
    if (next.kind === 'Service') {
      const ipam = this.ipam();
      if (ipam) {
        const aerrs = ipam.allocateService(next, old);
        if (aerrs.length) throw invalid(info, next.metadata.name, aerrs);
        const hcErr = ipam.allocateHealthCheckNodePort(next, old);
        if (hcErr) throw new ApiError('InternalError', `Internal error occurred: ${hcErr}`, 500);
      }
    }
    if (next.kind === 'Pod' && next.status === undefined) next.status = old.status;
    next.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    if (old.metadata.deletionGracePeriodSeconds !== undefined) next.metadata.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    for (const hook of this.validatingAdmission) hook(next, old);
    if (opts.dryRun) return next;
    const specChanged = JSON.stringify(next.spec) !== JSON.stringify(old.spec);
    if (!specChanged && JSON.stringify(stripVolatile(next)) === JSON.stringify(stripVolatile(old))) {
      // a no-op update writes nothing (resourceVersion stays), like the real server; an
      // apply that changes only the managers writes them
      if (!opts.applyPlan || !this.managedFields.applyChangesManagers(old, opts.applyPlan)) return old;
      const same = structuredClone(old);
      same.metadata.resourceVersion = this.cluster.store.nextResourceVersion();
      this.cluster.store.put(same);
      this.managedFields.commitApply(same, opts.applyPlan);
      return same;
    }
    this.stamp(next, old);
    if (old.metadata.generation !== undefined) {
      next.metadata.generation = specChanged ? old.metadata.generation + 1 : old.metadata.generation;
    }
    this.cluster.store.put(orderFields(next));
    if (opts.applyPlan) this.managedFields.commitApply(next, opts.applyPlan);
    else this.track(old, next, opts.fieldManager, opts.subresource);
    if (opts.reconcile !== false) this.cluster.reconcile();
    return next;
  }

  /**
   * PATCH with application/apply-patch+yaml (server-side apply; handlers/patch.go
   * applyPatcher and the field manager, managedfields.ts planApply): creates the object if
   * absent, else merges the configuration into it; then the create or update path's
   * defaulting, admission and validation. Conflicts are a 409 whose message is
   * conflict.go getConflictMessage's.
   */
  apply(config: Manifest, opts: ApplyOptions): KubeObject {
    const info = resourceFor(typeof config?.kind === 'string' ? config.kind : '');
    if (!info || info.kind !== config.kind || !isServed(info, this.cluster.store)) {
      throw new ApiError('BadRequest', `no matches for kind "${config?.kind}" in version "${config?.apiVersion}"`, 400);
    }
    checkBodySize(config as UncheckedObject);
    const obj = structuredClone(config) as KubeObject;
    obj.apiVersion = typeof obj.apiVersion === 'string' && !info.crd ? obj.apiVersion : info.group ? `${info.group}/${info.version}` : info.version;
    const undecodable = decodeError(obj);
    if (undecodable) throw new ApiError('BadRequest', undecodable, 400);
    obj.metadata = { ...(obj.metadata ?? {}) } as KubeObject['metadata'];
    const ns = info.namespaced ? obj.metadata.namespace || opts.namespace || 'default' : undefined;
    if (ns !== undefined) obj.metadata.namespace = ns;
    if (obj.metadata.managedFields !== undefined) throw new ApiError('BadRequest', 'metadata.managedFields must be nil', 400);
    // structuredmerge.go: the patch is made a typed value first; a field the schema lacks fails it
    const crd = info.crd ? this.cluster.store.get('CustomResourceDefinition', undefined, info.crd) : undefined;
    const unknown = unknownFields(obj as UncheckedObject, 'decode', crd);
    if (unknown?.length) {
      const errs = unknown.map((u) => `${typedPath(obj, u.path)}: field not declared in schema`);
      const gvk = `${info.group ? info.group + '/' : '/'}${info.version}, Kind=${info.kind}`;
      throw new ApiError('', `failed to create typed patch object (${ns ?? ''}/${obj.metadata.name ?? ''}; ${gvk}): ${errs.length === 1 ? errs[0] : 'errors:\n  ' + errs.join('\n  ')}`, 500);
    }
    const live = this.cluster.store.get(info.kind, ns, obj.metadata.name);
    const statusReset = SERVER_STATUS.has(info.kind);
    let plan: ApplyPlan;
    try {
      plan = this.managedFields.planApply(live, obj, opts.fieldManager, !!opts.force, statusReset);
    } catch (e) {
      if (e instanceof ApplyConflicts) throw applyConflict(e);
      throw e;
    }
    if (!live) return this.create(plan.object, { namespace: ns, dryRun: opts.dryRun, onWarning: opts.onWarning, applyPlan: plan });
    const merged = plan.object;
    merged.metadata.resourceVersion = live.metadata.resourceVersion;
    return this.update(merged, { dryRun: opts.dryRun, onWarning: opts.onWarning, applyPlan: plan });
  }

  /**
   * kubectl apply --server-side's managed-fields migration (csaupgrade.UpgradeManagedFieldsPatch,
   * sent as a JSON patch of metadata.managedFields): a write of the managers alone.
   */
  upgradeManagedFields(kind: string, namespace: string | undefined, name: string, csaManagers: string[], ssaManager: string): boolean {
    const cur = this.cluster.store.get(kind, namespace, name);
    if (!cur || !this.managedFields.upgrade(cur, csaManagers, ssaManager)) return false;
    const next = structuredClone(cur);
    next.metadata.resourceVersion = this.cluster.store.nextResourceVersion();
    this.cluster.store.put(next);
    return true;
  }

  /**
   * PATCH pods/NAME/ephemeralcontainers (kubectl debug): only spec.ephemeralContainers may
   * change, and only by additions (ValidatePodEphemeralContainersUpdate: an existing one may
   * not change or go; a new one needs a unique name, an image, and a target that is one of
   * the Pod's containers).
   */
  updateEphemeralContainers(pod: KubeObject): KubeObject {
    const info = resourceFor('Pod')!;
    const ns = pod.metadata?.namespace ?? 'default';
    const old = this.cluster.store.get('Pod', ns, pod.metadata?.name);
    if (!old) throw notFound(info, pod.metadata?.name);
    type Ec = { name?: string; image?: string; targetContainerName?: string };
    const before: Ec[] = old.spec?.ephemeralContainers ?? [];
    const after: Ec[] = pod.spec?.ephemeralContainers ?? [];
    const errs: FieldError[] = [];
    for (const e of before) {
      const now = after.find((x) => x.name === e.name);
      if (!now) errs.push(fe.forbidden('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(e.name)} may not be removed`));
      else if (JSON.stringify(now) !== JSON.stringify(e)) errs.push(fe.forbidden('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(e.name)} may not be changed`));
    }
    const taken = new Set<string>([...(old.spec?.containers ?? []), ...(old.spec?.initContainers ?? [])].map((c: { name: string }) => c.name));
    after.forEach((e, i) => {
      if (before.some((x) => x.name === e.name)) return;
      const path = `spec.ephemeralContainers[${i}]`;
      if (taken.has(e.name ?? '')) errs.push(fe.duplicate(`${path}.name`, go.str(e.name ?? '')));
      taken.add(e.name ?? '');
      if (!e.image) errs.push(fe.required(`${path}.image`));
      if (e.targetContainerName && !(old.spec?.containers ?? []).some((c: { name: string }) => c.name === e.targetContainerName)) {
        errs.push({ type: 'FieldValueNotFound', field: `${path}.targetContainerName`, value: go.str(e.targetContainerName), detail: '' });
      }
    });
    if (errs.length) throw invalid(info, old.metadata.name, errs);
    const next = structuredClone(old);
    next.spec.ephemeralContainers = structuredClone(after);
    this.stamp(next, old);
    this.cluster.store.put(orderFields(next));
    this.cluster.reconcile();
    return next;
  }

  /** Status writes from controllers: no validation, no generation bump. */
  updateStatus(obj: KubeObject): KubeObject {
    const next = obj;
    const old = this.cluster.store.get(next.kind, next.metadata.namespace, next.metadata.name);
    next.metadata.resourceVersion = this.cluster.store.nextResourceVersion();
    this.cluster.store.put(next);
    if (old && old !== next) {
      if (SERVER_STATUS.has(next.kind)) this.track(old, next, undefined, 'status');
      // what the same write changed outside status (the deployment controller's revision
      // annotation) is a main-resource Update; a Pod's is the scheduler's binding, untracked
      if (next.kind !== 'Pod') this.track(old, next, undefined, undefined);
    }
    return next;
  }

  /**
   * DELETE. Pods on a node terminate gracefully (deletionTimestamp set, the kubelet
   * removes them when their containers have stopped); other objects go at once and the
   * garbage collector removes their dependants. Namespaces turn Terminating and go
   * when emptied.
   */
  delete(kind: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KubeObject {
    const info = resourceFor(kind);
    if (!info) throw new ApiError('BadRequest', `no matches for kind "${kind}"`, 400);
    if (!info.verbs.includes('delete')) throw new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource', 405);
    const ns = info.namespaced ? namespace ?? 'default' : undefined;
    const cur = this.cluster.store.get(info.kind, ns, name);
    if (!cur) throw notFound(info, name);
    if (info.kind === 'Namespace' && ['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(name) && this.cluster.settings.systemLayer) {
      throw new ApiError('Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, 403);
    }
    if (opts.dryRun) return cur;
    const grace = opts.gracePeriodSeconds ?? cur.spec?.terminationGracePeriodSeconds ?? 30;
    const graceful = (info.kind === 'Pod' && cur.spec?.nodeName && grace > 0 && cur.status?.phase !== 'Succeeded' && cur.status?.phase !== 'Failed') || info.kind === 'Namespace';
    let result: KubeObject;
    if (graceful) {
      if (cur.metadata.deletionTimestamp) return cur;
      const next: KubeObject = { ...cur, metadata: { ...cur.metadata } };
      next.metadata.deletionTimestamp = this.cluster.clock.iso(this.cluster.clock.now() + (info.kind === 'Pod' ? grace * 1000 : 0));
      if (info.kind === 'Pod') next.metadata.deletionGracePeriodSeconds = grace;
      if (info.kind === 'Namespace') next.status = { ...(cur.status ?? {}), phase: 'Terminating' };
      if (opts.propagationPolicy === 'Orphan') next.metadata.finalizers = ['orphan'];
      next.metadata.resourceVersion = this.cluster.store.nextResourceVersion();
      this.cluster.store.put(next);
      result = next;
    } else {
      const removed = this.cluster.store.remove(info.kind, ns, name);
      if (!removed) throw notFound(info, name);
      if (opts.propagationPolicy === 'Orphan') this.orphaned.add(removed.metadata.uid);
      result = removed;
    }
    if (opts.reconcile !== false) this.cluster.reconcile();
    return result;
  }

  /** uids whose dependants must be orphaned rather than collected (propagationPolicy Orphan). */
  readonly orphaned = new Set<string>();

  get(kind: string, namespace: string | undefined, name: string): KubeObject {
    const info = resourceFor(kind);
    if (!info) throw new ApiError('BadRequest', `no matches for kind "${kind}"`, 400);
    const obj = this.cluster.store.get(info.kind, info.namespaced ? namespace ?? 'default' : undefined, name);
    if (!obj) throw notFound(info, name);
    return obj;
  }

  /**
   * Moves virtual time forward until the object is gone (what `kubectl delete` waits
   * for), at most `timeoutMs`. Returns true if it is gone.
   */
  waitForDeletion(kind: string, namespace: string | undefined, name: string, timeoutMs = 60_000): boolean {
    const info = resourceFor(kind);
    if (!info) return true;
    const ns = info.namespaced ? namespace ?? 'default' : undefined;
    let waited = 0;
    while (this.cluster.store.get(info.kind, ns, name) && waited < timeoutMs) {
      this.cluster.advance(500);
      waited += 500;
    }
    return !this.cluster.store.get(info.kind, ns, name);
  }
}

/** errors.NewApplyConflict with conflict.go getConflictMessage's text (409, reason Conflict). */
function applyConflict(c: ApplyConflicts): ApiError {
  const all = c.conflicts.flatMap((x) => x.paths.map((p) => ({ manager: x.manager, path: p })));
  let message: string;
  if (all.length === 1) message = `Apply failed with 1 conflict: conflict with ${all[0].manager}: ${all[0].path}`;
  else {
    const lines: string[] = [];
    for (const x of [...c.conflicts].sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0))) {
      lines.push(`conflicts with ${x.manager}:`);
      for (const p of x.paths) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${all.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError('Conflict', message, 409, { causes: all.map((x) => ({ reason: 'FieldManagerConflict', message: `conflict with ${x.manager}`, field: x.path })) });
}

/** The object without what every write changes (resourceVersion, generation, managedFields): the no-op-write check compares these. */
export function stripVolatile(o: KubeObject): unknown {
  const { resourceVersion: _rv, generation: _g, managedFields: _mf, ...meta } = o.metadata;
  void _rv;
  void _g;
  void _mf;
  return { ...o, metadata: meta };
}

/** Writes apiVersion, kind, metadata, spec, status first (the order the API returns fields in). */
function orderFields(o: KubeObject): KubeObject {
  const { apiVersion, kind, metadata, ...rest } = o;
  return { apiVersion, kind, metadata, ...rest };
}

/** Kinds the controller manager writes (its controllers' objects and their status). */
const CONTROLLER_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'Endpoints', 'EndpointSlice', 'Service']);

/** The component behind a write that named no field manager, or undefined (untracked). */
function inferredManager(before: KubeObject | undefined, after: KubeObject, subresource: string | undefined): string | undefined {
  if (subresource === 'status') {
    if (after.kind === 'Pod') {
      // the scheduler's binding (spec.nodeName) is not a status write and is not tracked
      return before && before.spec?.nodeName !== after.spec?.nodeName ? undefined : 'kubelet';
    }
    if (after.kind === 'Node') return 'kubelet';
    return CONTROLLER_KINDS.has(after.kind) ? 'kube-controller-manager' : undefined;
  }
  if (after.kind === 'Event') return undefined;
  if (after.kind === 'Endpoints' || after.kind === 'EndpointSlice') return 'kube-controller-manager';
  if (before && after.kind === 'Pod') {
    // the Calico CNI plugin's patch of its annotations on a Pod it wired
    const a = before.metadata.annotations ?? {};
    const b = after.metadata.annotations ?? {};
    const changed = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => a[key] !== b[key]);
    return changed.length > 0 && changed.every((key) => key.startsWith('cni.projectcalico.org/')) ? 'calico' : undefined;
  }
  if (!before && (after.metadata.ownerReferences ?? []).some((r) => r.controller && ['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(r.kind))) return 'kube-controller-manager';
  // an update nobody named: a controller's (kubectl names its manager on every write)
  if (before && CONTROLLER_KINDS.has(after.kind)) return 'kube-controller-manager';
  return undefined;
}

/**
 * What admission added to a created Pod (ServiceAccount: the service account and its token
 * volume and mounts; Priority: priority and preemptionPolicy; DefaultTolerationSeconds:
 * the not-ready/unreachable tolerations): the field manager ran before admission, so the
 * creator owns none of it. Paths as managedfields.ts writes them (elements joined by \u0001).
 */
function admittedPaths(manifest: Manifest, obj: KubeObject): ((path: string) => boolean) | undefined {
  if (obj.kind !== 'Pod') return undefined;
  const spec = (manifest.spec ?? {}) as Record<string, unknown>;
  const dropped: string[] = [];
  if (spec.serviceAccountName === undefined && spec.serviceAccount === undefined) dropped.push('f:spec\u0001f:serviceAccount', 'f:spec\u0001f:serviceAccountName');
  if (spec.priority === undefined) dropped.push('f:spec\u0001f:priority');
  if (spec.preemptionPolicy === undefined) dropped.push('f:spec\u0001f:preemptionPolicy');
  if (spec.tolerations === undefined) dropped.push('f:spec\u0001f:tolerations');
  const token = (obj.spec?.volumes ?? []).find((v: { name?: string }) => v?.name?.startsWith('kube-api-access-'))?.name;
  const tokenItem = token ? `k:${JSON.stringify({ name: token })}` : undefined;
  const mountItem = `k:${JSON.stringify({ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' })}`;
  return (p) => dropped.includes(p) || (!!tokenItem && p.startsWith(`f:spec\u0001f:volumes\u0001${tokenItem}`)) || p.includes(`\u0001f:volumeMounts\u0001${mountItem}`);
}
