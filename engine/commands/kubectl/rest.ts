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
 * (1.34's streaming list encoder, serializer/json/collections.go, writes the same bytes: kind,
 * apiVersion, metadata, then the items one by one, `}\n`.)
 * Typed objects marshal in their Go struct's order (cluster/openapi/struct-order.ts), maps with
 * sorted keys; custom resources as unstructured maps, every key sorted. Lists page with
 * ?limit= and ?continue= (listResponse).
 */
import type { ClusterRuntime } from '../../controllers/runtime';
import type { KubeObject } from '../../cluster/types';
import { isArray, isObject } from '../../cluster/types';
import { RESOURCES, apiVersionOf, isServed, type ResourceInfo } from '../../cluster/resources';
import { versionInfo } from '../../cluster/release';
import { toGoJson } from '../../printers/kubectl';
import { metaOrder, serverOrder, sortedDeep, structOf } from '../../cluster/openapi/struct-order';

export interface RestResponse {
  status: number;
  contentType: string;
  body: string;
  /** The Status's reason (NotFound…) for an error, as kubectl reports it. */
  reason?: string;
  message?: string;
}

/** The object as the server writes it (struct order, or sorted keys for a custom resource); a typed list's items drop kind and apiVersion. */
function served(o: KubeObject, inList: boolean): Record<string, unknown> {
  const ordered = serverOrder(o as unknown as Record<string, unknown>);
  if (!inList || !structOf(o.apiVersion, o.kind)) return ordered;
  const item: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ordered)) if (k !== 'kind' && k !== 'apiVersion') item[k] = v;
  return item;
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
  const doc = metaOrder({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code }, 'Status');
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
    return json(200, served(withVersion(obj, info, groupVersion), false), pretty);
  }
  return listResponse(cluster, info, groupVersion, namespace, params, pretty);
}

/** A list's key in etcd below the resource's prefix (/registry/pods/ or /registry/pods/NS/): what a continue token's `start` holds. */
function storageKey(o: KubeObject, namespace: string | undefined): string {
  return namespace !== undefined || !o.metadata.namespace ? o.metadata.name : `${o.metadata.namespace}/${o.metadata.name}`;
}

/**
 * A list, in etcd's key order, paged by ?limit= and ?continue= as apiserver's storage does
 * (storage/continue.go): the continue token is base64url (no padding) of
 * {"v":"meta.k8s.io/v1","rv":REV,"start":"LASTKEY\u0000"}, remainingItemCount the keys
 * past the page, and a continued list answers at the token's revision.
 */
function listResponse(cluster: ClusterRuntime, info: ResourceInfo, groupVersion: string, namespace: string | undefined, params: URLSearchParams, pretty: boolean): RestResponse {
  const all = cluster.store
    .list(info.kind, info.namespaced ? namespace : undefined)
    .map((o) => ({ key: storageKey(o, namespace), o }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const limitText = params.get('limit');
  let limit = 0;
  if (limitText !== null) {
    // ListOptions from the query (runtime.Convert_Slice_string_To_int64: strconv.ParseInt), a BadRequest when it fails
    if (!/^[-+]?\d+$/.test(limitText)) return statusError(400, 'BadRequest', `strconv.ParseInt: parsing ${JSON.stringify(limitText)}: invalid syntax`, {}, pretty);
    const n = BigInt(limitText);
    if (n > 9223372036854775807n || n < -9223372036854775808n) return statusError(400, 'BadRequest', `strconv.ParseInt: parsing ${JSON.stringify(limitText)}: value out of range`, {}, pretty);
    // a limit of 0 or less lists everything (storage pages only when Limit > 0)
    limit = Math.max(0, Number(limitText));
  }
  let revision = cluster.store.revision;
  let from = all;
  const token = params.get('continue');
  if (token) {
    const decoded = decodeContinue(token);
    if (typeof decoded === 'string') return statusError(400, 'BadRequest', `invalid continue token: ${decoded}`, {}, pretty);
    revision = decoded.rv;
    from = all.filter((x) => x.key >= decoded.start);
  }
  const page = limit > 0 ? from.slice(0, limit) : from;
  const meta: Record<string, unknown> = { resourceVersion: String(revision) };
  if (limit > 0 && from.length > limit) {
    const start = page[page.length - 1].key + '\0';
    meta.continue = base64url(JSON.stringify({ v: 'meta.k8s.io/v1', rv: revision, start }));
    meta.remainingItemCount = from.length - limit;
  }
  const items = page.map((x) => served(withVersion(x.o, info, groupVersion), true));
  // an UnstructuredList's SetContinue writes the field even when empty (versioner.UpdateList always calls it)
  if (info.crd) return json(200, sortedDeep({ apiVersion: groupVersion, items, kind: `${info.kind}List`, metadata: { continue: '', ...meta } }), pretty);
  return json(200, { kind: `${info.kind}List`, apiVersion: groupVersion, metadata: metaOrder(meta, 'ListMeta'), items }, pretty);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64.RawURLEncoding of a string's UTF-8 bytes. */
function base64url(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let j = 0; j < chars; j++) out += B64[(n >> (18 - 6 * j)) & 63];
  }
  return out;
}

/** storage.DecodeContinue: the token's revision and start key, or its error text. */
function decodeContinue(token: string): { rv: number; start: string } | string {
  const bad = [...token].findIndex((c) => !B64.includes(c));
  if (bad >= 0 || token.length % 4 === 1) return `continue key is not valid: illegal base64 data at input byte ${bad >= 0 ? bad : token.length - 1}`;
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i += 4) {
    const chunk = token.slice(i, i + 4);
    let n = 0;
    for (let j = 0; j < 4; j++) n = (n << 6) | (j < chunk.length ? B64.indexOf(chunk[j]) : 0);
    bytes.push((n >> 16) & 255);
    if (chunk.length > 2) bytes.push((n >> 8) & 255);
    if (chunk.length > 3) bytes.push(n & 255);
  }
  let c: unknown;
  try {
    c = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes)));
  } catch {
    return 'continue key is not valid';
  }
  if (!isObject(c)) return 'continue key is not valid';
  if (c.v !== 'meta.k8s.io/v1') return `continue key is not valid: server does not recognize this encoded version ${String(c.v ?? '')}`;
  const rv = typeof c.rv === 'number' ? c.rv : 0;
  if (rv === 0) return 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)';
  const start = typeof c.start === 'string' ? c.start : '';
  if (!start) return 'continue key is not valid: encoded start key empty (version meta.k8s.io/v1)';
  return { rv, start };
}

function resourceName(info: ResourceInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

function withVersion(o: KubeObject, info: ResourceInfo, groupVersion: string): KubeObject {
  return groupVersion === apiVersionOf(info) ? o : { ...o, apiVersion: groupVersion };
}
