/**
 * A request that reaches kube-apiserver's secure port over the network (from a Pod, through
 * the `kubernetes` Service): authentication, then authorization, then the handler — the
 * filter chain of k8s.io/apiserver pkg/server/config.go DefaultBuildHandlerChain.
 *
 * - Authentication: a `Bearer` token is checked by the ServiceAccount token authenticator
 *   (cluster/satoken.ts); a token it does not accept is 401 Unauthorized (the union
 *   authenticator fails the request: filters/authentication.go → responsewriters
 *   unauthorized, Status "Unauthorized"). No token is system:anonymous (kubeadm keeps
 *   --anonymous-auth on).
 * - Authorization: RBAC over the request's attributes (filters/requestinfo.go: a GET on a
 *   collection is `list`, on a named object `get`; other paths are non-resource URLs);
 *   denied is 403 with responsewriters.forbiddenMessage and apierrors.NewForbidden's Status.
 * - The handler: the REST paths kubectl get --raw reads (commands/kubectl/rest.ts, through the
 *   apiGet port). JSON is indented for the User-Agents isPrettyPrint recognises (curl, Wget).
 */
import type { NetCluster } from './ports';
import { authenticateToken } from '../cluster/satoken';
import { authorize, type Attributes, type UserInfo } from '../cluster/rbac/authorizer';
import { RESOURCES } from '../cluster/resources';

export interface ApiAnswer {
  status: number;
  contentType: string;
  body: string;
}

const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

/** A Status as the API server writes it, indented for a pretty-printing client. */
function status(code: number, reason: string, message: string, details: Record<string, string> | undefined, pretty: boolean): ApiAnswer {
  const doc: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason };
  if (details) doc.details = details;
  doc.code = code;
  const body = pretty ? JSON.stringify(doc, null, 2) : JSON.stringify(doc) + '\n';
  return { status: code, contentType: 'application/json', body };
}

/** requestinfo.go for /api/v1/… and /apis/GROUP/VERSION/…: the resource attributes, or undefined for a non-resource path. */
function resourceAttributes(path: string): (Attributes & { resource: string }) | undefined {
  const parts = path.split('/').filter(Boolean);
  let group = '';
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) rest = parts.slice(2);
  else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    rest = parts.slice(3);
  } else return undefined;
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    return { verb: 'get', namespace: '', group, resource: 'namespaces', subresource: '', name: rest[1] };
  }
  const [resource, name = '', subresource = ''] = rest;
  return { verb: name ? 'get' : 'list', namespace, group, resource, subresource, name };
}

/** responsewriters.forbiddenMessage and apierrors.NewForbidden for a resource request. */
function forbiddenResource(user: UserInfo, a: Attributes & { resource: string }, pretty: boolean): ApiAnswer {
  const r = 'name' in a ? a : undefined;
  const resource = r?.subresource ? `${a.resource}/${r.subresource}` : a.resource;
  const where = r?.namespace ? `in the namespace "${r.namespace}"` : 'at the cluster scope';
  const msg = `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${r?.group ?? ''}" ${where}`;
  const qualified = r?.group ? `${a.resource}.${r.group}` : a.resource;
  const details: Record<string, string> = {};
  if (r?.name) details.name = r.name;
  if (r?.group) details.group = r.group;
  details.kind = a.resource;
  return status(403, 'Forbidden', `${qualified}${r?.name ? ` "${r.name}"` : ''} is forbidden: ${msg}`, details, pretty);
}

/** A GET to the API server from inside the cluster; undefined for the paths the caller answers itself (health, version). */
export function apiServerRequest(cluster: NetCluster, path: string, headers: [string, string][]): ApiAnswer {
  const header = (n: string) => headers.find(([k]) => k.toLowerCase() === n)?.[1];
  const ua = header('user-agent') ?? '';
  const pretty = /^(curl|Wget|Mozilla\/5\.0)/.test(ua);
  const auth = header('authorization');
  let user = ANONYMOUS;
  const bearer = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  if (bearer) {
    const u = authenticateToken(bearer[1], cluster.store, cluster.settings.clusterDomain, cluster.clock.now());
    if (!u) return status(401, 'Unauthorized', 'Unauthorized', undefined, pretty);
    user = u;
  }
  const clean = path.split('?')[0];
  const res = resourceAttributes(clean);
  const known = res && RESOURCES.some((r) => r.plural === res.resource);
  const attrs: Attributes = res && known ? res : { verb: 'get', path: clean };
  if (!authorize(cluster.store, user, attrs).allowed) {
    if (res && known) return forbiddenResource(user, res, pretty);
    return status(403, 'Forbidden', `forbidden: User "${user.name}" cannot get path "${clean}"`, {}, pretty);
  }
  if (!cluster.apiGet) return status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', {}, pretty);
  return cluster.apiGet(path, pretty);
}
