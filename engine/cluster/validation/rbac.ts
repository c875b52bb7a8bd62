/**
 * Roles, ClusterRoles and their bindings: pkg/apis/rbac/validation/validation.go
 * (ValidateRole, ValidateClusterRole, validatePolicyRule, ValidateRoleBinding,
 * ValidateClusterRoleBinding, validateRoleBindingSubject, the roleRef that may not change)
 * and the v1 defaults of pkg/apis/rbac/v1/defaults.go (a roleRef's and a User's or Group's
 * apiGroup). RBAC names need only minimalNameRequirements (path.ValidatePathSegmentName),
 * which is why `system:node-proxier` is a valid name.
 */
import { fe, go, goQuote, GoValue, type FieldError } from '../fielderrors';
import type { UncheckedObject } from './common';
import { isObjectLike, items } from './common';
import { member } from '../types';
import { isDNS1123Subdomain } from './names';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const RBAC_KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

/** path.ValidatePathSegmentName (apimachinery/pkg/api/validation/path): the RBAC kinds' name rule. */
export function validatePathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const illegal of ['/', '%']) if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  return errs;
}

function strs(v: unknown): string[] {
  return items(v).map((x) => String(x));
}

function validatePolicyRule(rule: unknown, namespaced: boolean, path: string, errs: FieldError[]): void {
  const verbs = strs(member(rule, 'verbs'));
  const urls = strs(member(rule, 'nonResourceURLs'));
  const groups = strs(member(rule, 'apiGroups'));
  const resources = strs(member(rule, 'resources'));
  const names = strs(member(rule, 'resourceNames'));
  if (verbs.length === 0) errs.push(fe.required(`${path}.verbs`, 'verbs must contain at least one value'));
  if (urls.length > 0) {
    if (namespaced) errs.push(fe.invalid(`${path}.nonResourceURLs`, go.strings(urls), 'namespaced rules cannot apply to non-resource URLs'));
    if (groups.length > 0 || resources.length > 0 || names.length > 0) errs.push(fe.invalid(`${path}.nonResourceURLs`, go.strings(urls), 'rules cannot apply to both regular resources and non-resource URLs'));
    return;
  }
  if (groups.length === 0) errs.push(fe.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (resources.length === 0) errs.push(fe.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  if (names.length > 0 && resources.length > 1) errs.push(fe.required(`${path}.resourceNames`, 'resource names cannot apply to multiple resources'));
}

function roleRefText(ref: unknown): string {
  return `rbac.RoleRef{APIGroup:${goQuote(String(member(ref, 'apiGroup') ?? ''))}, Kind:${goQuote(String(member(ref, 'kind') ?? ''))}, Name:${goQuote(String(member(ref, 'name') ?? ''))}}`;
}

function validateSubject(s: unknown, namespaced: boolean, path: string, errs: FieldError[]): void {
  const name = String(member(s, 'name') ?? '');
  const kind = String(member(s, 'kind') ?? '');
  const apiGroup = String(member(s, 'apiGroup') ?? '');
  if (!name) errs.push(fe.required(`${path}.name`, ''));
  switch (kind) {
    case 'ServiceAccount':
      // ValidateServiceAccountName: a DNS subdomain
      if (name) for (const m of isDNS1123Subdomain(name)) errs.push(fe.invalid(`${path}.name`, go.str(name), m));
      if (apiGroup) errs.push(fe.notSupported(`${path}.apiGroup`, go.str(apiGroup), ['']));
      if (!namespaced && !member(s, 'namespace')) errs.push(fe.required(`${path}.namespace`, ''));
      break;
    case 'User':
    case 'Group':
      if (!name) errs.push(fe.invalid(`${path}.name`, go.str(name), `${kind.toLowerCase()} name cannot be empty`));
      if (apiGroup !== RBAC_GROUP) errs.push(fe.notSupported(`${path}.apiGroup`, go.str(apiGroup), [RBAC_GROUP]));
      break;
    default:
      errs.push(fe.notSupported(`${path}.kind`, go.str(kind), ['ServiceAccount', 'User', 'Group']));
  }
}

export function validateRbac(obj: UncheckedObject, old: UncheckedObject | undefined, errs: FieldError[]): void {
  if (obj.kind === 'Role' || obj.kind === 'ClusterRole') {
    items(obj.rules).forEach((r, i) => validatePolicyRule(r, obj.kind === 'Role', `rules[${i}]`, errs));
    return;
  }
  const namespaced = obj.kind === 'RoleBinding';
  const ref = obj.roleRef;
  const apiGroup = String(member(ref, 'apiGroup') ?? '');
  if (apiGroup !== RBAC_GROUP) errs.push(fe.notSupported('roleRef.apiGroup', go.str(apiGroup), [RBAC_GROUP]));
  const kind = String(member(ref, 'kind') ?? '');
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(kind)) errs.push(fe.notSupported('roleRef.kind', go.str(kind), kinds));
  const name = String(member(ref, 'name') ?? '');
  if (!name) errs.push(fe.required('roleRef.name', ''));
  else for (const m of validatePathSegmentName(name)) errs.push(fe.invalid('roleRef.name', go.str(name), m));
  items(obj.subjects).forEach((s, i) => validateSubject(s, namespaced, `subjects[${i}]`, errs));
  if (old && roleRefText(old.roleRef) !== roleRefText(ref)) errs.push(fe.invalid('roleRef', new GoValue(roleRefText(ref)), 'cannot change roleRef'));
}

/** SetDefaults_ClusterRoleBinding / _RoleBinding / _Subject: the apiGroups a manifest may leave out. */
export function defaultRbac(obj: UncheckedObject): void {
  if (obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding') return;
  if (isObjectLike(obj.roleRef) && !obj.roleRef.apiGroup) obj.roleRef.apiGroup = RBAC_GROUP;
  for (const s of items(obj.subjects)) {
    if (!isObjectLike(s) || s.apiGroup) continue;
    // a ServiceAccount's apiGroup defaults to "", which omitempty leaves out
    if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
  }
}
