/**
 * Requests made as another user (kubectl's global --as / --as-group, client-go's
 * impersonation headers): the API server authorizes each one as that user and refuses what
 * RBAC does not allow with its Forbidden status — apiserver/pkg/endpoints/handlers/responsewriters
 * forbiddenMessage ("User %q cannot %s resource %q in API group %q in the namespace %q" /
 * "at the cluster scope", then ": " and the authorizer's reason) inside
 * apierrors.NewForbidden ("pods is forbidden: …", `pods "web" is forbidden: …` when the
 * request names the object).
 */
import { ApiError } from '../../cluster/api';
import { authorize, impersonate, KUBEADM_ADMIN, type UserInfo } from '../../cluster/rbac/authorizer';
import type { ResourceInfo } from '../../cluster/resources';
import { flagString, flagStrings } from './flags';
import { KubectlError, type Kctx } from './common';

/** The user the request is made as: the kubeconfig's, or the one --as / --as-group impersonate. */
export function requestUser(k: Kctx): UserInfo {
  const as = flagString(k.flags, 'as');
  const groups = flagStrings(k.flags, 'as-group');
  if (as === undefined || as === '') {
    // clientcmd validateAuthInfo: impersonated groups need an impersonated user
    if (groups.length > 0 || flagString(k.flags, 'as-uid')) throw new KubectlError(`error: invalid configuration: requesting uid, groups or user-extra for ${KUBEADM_ADMIN.name} without impersonating a user`);
    return KUBEADM_ADMIN;
  }
  return impersonate(as, groups);
}

/**
 * The Forbidden error for `verb` on the resource when the request impersonates a user RBAC
 * does not allow, else undefined. `namespace` is '' for a cluster-scoped kind or a list
 * across all namespaces.
 */
export function forbidden(k: Kctx, info: ResourceInfo, verb: string, name: string, namespace: string): ApiError | undefined {
  const user = requestUser(k);
  if (user === KUBEADM_ADMIN) return undefined;
  const d = authorize(k.store, user, { verb, namespace, group: info.group, resource: info.plural, subresource: '', name });
  if (d.allowed) return undefined;
  const where = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  let msg = `User "${user.name}" cannot ${verb} resource "${info.plural}" in API group "${info.group}" ${where}`;
  if (d.reason) msg += `: ${d.reason}`;
  const qualified = info.group ? `${info.plural}.${info.group}` : info.plural;
  return new ApiError('Forbidden', `${qualified}${name ? ` "${name}"` : ''} is forbidden: ${msg}`, 403, { name, kind: info.plural });
}
