/**
 * GET on the API server's REST paths, as `kubectl get --raw` and `kubectl proxy` reach them:
 * the health endpoints (apiserver/pkg/server/healthz: `ok`), /version (routes/version.go:
 * json.MarshalIndent, no newline), /api (APIVersions), /apis (APIGroupList), and the
 * resource paths /api/v1/[namespaces/NS/]PLURAL[/NAME] and /apis/GROUP/VERSION/… — an object,
 * or a list (`PodList`, items without kind and apiVersion, metadata.resourceVersion the
 * store's revision), or a Status for what is not there (handlers/responsewriters: NotFound
 * with details.name/kind; `the server could not find the requested resource`).
 *
 * JSON as apimachinery's serializer writes it (runtime/serializer/json): compact with a
 * newline from json.Encoder, or — for ?pretty=true and the User-Agents isPrettyPrint
 * recognises (curl, Wget, browsers) — json.MarshalIndent with two spaces and no newline.
 * Typed objects marshal in struct order: kind, apiVersion, metadata (ObjectMeta's order for
 * its common fields), then the stored order of the rest.
 */
import type { ClusterRuntime } from '../../controllers/runtime';
import type { KubeObject } from '../../cluster/types';
import { isArray, isObject } from '../../cluster/types';
import { RESOURCES, apiVersionOf, isServed, type ResourceInfo } from '../../cluster/resources';
import { versionInfo } from '../../cluster/release';
import { toGoJson } from '../../printers/kubectl';

export interface RestResponse {
  status: number;
  contentType: string;
  body: string;
  /** The Status's reason (NotFound…) for an error, as kubectl reports it. */
  reason?: string;
  message?: string;
}

const META_ORDER = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];

/** The object with its fields in the typed struct's order (the parts we know it for). */
function structOrder(o: KubeObject, inList: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!inList) {
    out.kind = o.kind;
    out.apiVersion = o.apiVersion;
  }
  const meta: Record<string, unknown> = {};
  const m = o.metadata as unknown as Record<string, unknown>;
  for (const k of META_ORDER) if (m[k] !== undefined) meta[k] = m[k];
  for (const k of Object.keys(m)) if (!(k in meta) && m[k] !== undefined) meta[k] = m[k];
  out.metadata = meta;
  for (const [k, v] of Object.entries(o)) if (k !== 'kind' && k !== 'apiVersion' && k !== 'metadata' && v !== undefined) out[k] = v;
  return out;
}

/** encoding/json in insertion order: compact, or MarshalIndent(v, "", "  "). */
function goJson(v: unknown, pretty: boolean, level = 0): string {
  if (v === null || v === undefined || typeof v !== 'object') return toGoJson(v);
  const nl = pretty ? '\n' + '  '.repeat(level + 1) : '';
  const end = pretty ? '\n' + '  '.repeat(level) : '';
  const colon = pretty ? ': ' : ':';
  if (isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + v.map((x) => nl + goJson(x, pretty, level + 1)).join(',') + end + ']';
  }
  if (!isObject(v)) return toGoJson(v);
  const keys = Object.keys(v).filter((k) => v[k] !== undefined);
  if (keys.length === 0) return '{}';
  return '{' + keys.map((k) => nl + toGoJson(k) + colon + goJson(v[k], pretty, level + 1)).join(',') + end + '}';
}

function json(status: number, doc: unknown, pretty: boolean): RestResponse {
  return { status, contentType: 'application/json', body: pretty ? goJson(doc, true) : goJson(doc, false) + '\n' };
}

function statusError(code: number, reason: string, message: string, details: Record<string, unknown>, pretty: boolean): RestResponse {
  const doc = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
  return { ...json(code, doc, pretty), reason, message };
}

function notFoundPath(pretty: boolean): RestResponse {
  return statusError(404, 'NotFound', 'the server could not find the requested resource', {}, pretty);
}

/** GET `path` (with its query) on the API server. `pretty`: the client is one isPrettyPrint recognises. */
export function restGet(cluster: ClusterRuntime, path: string, prettyClient: boolean): RestResponse {
  const [p, query = ''] = path.split('?');
  const params = new URLSearchParams(query);
  const pretty = params.has('pretty') ? ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(params.get('pretty') ?? '') : prettyClient;
  const clean = p.replace(/\/+$/, '') || '/';
  switch (clean) {
    case '/healthz':
    case '/livez':
    case '/readyz':
      return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' };
    case '/version':
      return { status: 200, contentType: 'application/json', body: JSON.stringify(versionInfo(cluster.settings.kubernetesVersion, true), null, 2) };
    case '/api': {
      const nodes = cluster.settings.nodes;
      const cp = nodes.find((n) => n.role === 'control-plane') ?? nodes[0];
      return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `${cp.ip}:6443` }] }, pretty);
    }
    case '/apis': {
      const groups = new Map<string, string[]>();
      for (const r of RESOURCES) {
        if (!r.group || !isServed(r, cluster.store)) continue;
        const vs = groups.get(r.group) ?? [];
        for (const v of [r.version, ...(r.alsoServed ?? [])]) if (!vs.includes(v)) vs.push(v);
        groups.set(r.group, vs);
      }
      const list = [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      }));
      return json(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: list }, pretty);
    }
  }
  const parts = clean.split('/').filter(Boolean);
  let groupVersion: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') {
    groupVersion = 'v1';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    groupVersion = `${parts[1]}/${parts[2]}`;
    rest = parts.slice(3);
  } else return notFoundPath(pretty);
  if (rest.length === 0) {
    // the APIResourceList discovery documents are not modelled
    return { status: 501, contentType: 'text/plain; charset=utf-8', body: `netlab: the discovery document ${clean} is not simulated here\n` };
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, sub] = rest;
  const info = RESOURCES.find((r) => r.plural === plural && [r.version, ...(r.alsoServed ?? [])].some((v) => (r.group ? `${r.group}/${v}` : v) === groupVersion));
  if (!info || !isServed(info, cluster.store) || (namespace !== undefined && !info.namespaced) || rest.length > 3) return notFoundPath(pretty);
  if (sub !== undefined) return { status: 501, contentType: 'text/plain; charset=utf-8', body: `netlab: the ${sub} subresource is not simulated here\n` };
  if (name !== undefined) {
    const obj = cluster.store.get(info.kind, info.namespaced ? namespace : undefined, name);
    if (!obj || (info.namespaced && namespace === undefined)) return statusError(404, 'NotFound', `${resourceName(info)} "${name}" not found`, { name, ...(info.group ? { group: info.group } : {}), kind: info.plural }, pretty);
    return json(200, structOrder(withVersion(obj, info, groupVersion), false), pretty);
  }
  const items = cluster.store.list(info.kind, info.namespaced ? namespace : undefined).map((o) => structOrder(withVersion(o, info, groupVersion), true));
  return json(200, { kind: `${info.kind}List`, apiVersion: groupVersion, metadata: { resourceVersion: String(cluster.store.revision) }, items }, pretty);
}

function resourceName(info: ResourceInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

function withVersion(o: KubeObject, info: ResourceInfo, groupVersion: string): KubeObject {
  return groupVersion === apiVersionOf(info) ? o : { ...o, apiVersion: groupVersion };
}
