/**
 * The API server's RBAC authorizer: plugin/pkg/auth/authorizer/rbac/rbac.go (Authorize,
 * RulesFor, RuleAllows), the rule walk of pkg/registry/rbac/validation/rule.go
 * (VisitRulesFor: ClusterRoleBindings first, then the RoleBindings of the request's
 * namespace; appliesTo for User, Group and ServiceAccount subjects; a binding whose role is
 * missing is an error the reason names) and the matchers of
 * pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches, ResourceMatches with
 * `*` and `*∕subresource`, ResourceNameMatches, NonResourceURLMatches with a trailing `*`).
 * In front of it sits the privileged-group authorizer (system:masters may do anything).
 */
import type { KindStore } from '../store';
import type { PolicyRule, RoleRef, Subject } from '../types';

export interface UserInfo {
  name: string;
  groups: string[];
}

/** kubeadm's admin.conf user (kubeconfig phase, 1.29+): in kubeadm:cluster-admins, bound to cluster-admin. */
export const KUBEADM_ADMIN: UserInfo = { name: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };

const SA_PREFIX = 'system:serviceaccount:';

/**
 * The user an impersonating request acts as (staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go):
 * a service account without --as-group gets its groups (serviceaccount.MakeGroupNames), and a
 * non-anonymous user gets system:authenticated unless a group says otherwise.
 */
export function impersonate(name: string, asGroups: string[]): UserInfo {
  let groups = [...asGroups];
  if (groups.length === 0 && name.startsWith(SA_PREFIX)) {
    const ns = name.slice(SA_PREFIX.length).split(':')[0];
    groups = ['system:serviceaccounts', `system:serviceaccounts:${ns}`];
  }
  if (name !== 'system:anonymous' && !groups.some((g) => g === 'system:authenticated' || g === 'system:unauthenticated')) groups.push('system:authenticated');
  return { name, groups };
}

export interface ResourceAttributes {
  verb: string;
  namespace: string;
  group: string;
  resource: string;
  subresource: string;
  name: string;
}

export interface NonResourceAttributes {
  verb: string;
  path: string;
}

export type Attributes = ResourceAttributes | NonResourceAttributes;

function isResource(a: Attributes): a is ResourceAttributes {
  return 'resource' in a;
}

const has = (list: string[] | undefined, v: string) => (list ?? []).includes(v);

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return has(rule.verbs, '*') || has(rule.verbs, verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return has(rule.apiGroups, '*') || has(rule.apiGroups, group);
}

export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  return (rule.resourceNames ?? []).length === 0 || has(rule.resourceNames, name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}

export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
  if (isResource(a)) {
    const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    return verbMatches(rule, a.verb) && apiGroupMatches(rule, a.group) && resourceMatches(rule, combined, a.subresource) && resourceNameMatches(rule, a.name);
  }
  return verbMatches(rule, a.verb) && nonResourceURLMatches(rule, a.path);
}

function appliesTo(user: UserInfo, subjects: Subject[] | undefined, bindingNamespace: string): boolean {
  return (subjects ?? []).some((s) => {
    switch (s.kind) {
      case 'User':
        return user.name === s.name;
      case 'Group':
        return user.groups.includes(s.name);
      case 'ServiceAccount': {
        const ns = s.namespace || bindingNamespace;
        return ns !== '' && user.name === `${SA_PREFIX}${ns}:${s.name}`;
      }
      default:
        return false;
    }
  });
}

/** GetRoleReferenceRules: the rules a binding's roleRef names, or the NotFound error the API returns. */
function roleRules(store: KindStore, ref: RoleRef, namespace: string): PolicyRule[] | string {
  if (ref.kind === 'Role') {
    const role = store.get('Role', namespace, ref.name);
    return role ? (role.rules ?? []) : `role.rbac.authorization.k8s.io "${ref.name}" not found`;
  }
  if (ref.kind === 'ClusterRole') {
    const role = store.get('ClusterRole', undefined, ref.name);
    return role ? (role.rules ?? []) : `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`;
  }
  return `unsupported role reference kind: "${ref.kind}"`;
}

const byName = <T extends { metadata: { name: string } }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));

/** VisitRulesFor: every rule that applies to the user in the namespace; stop when the visitor returns false. */
export function visitRulesFor(store: KindStore, user: UserInfo, namespace: string, visit: (rule: PolicyRule | undefined, err?: string) => boolean): void {
  for (const b of byName(store.list('ClusterRoleBinding'))) {
    if (!appliesTo(user, b.subjects, '')) continue;
    const rules = roleRules(store, b.roleRef, '');
    if (typeof rules === 'string') {
      if (!visit(undefined, rules)) return;
      continue;
    }
    for (const r of rules) if (!visit(r)) return;
  }
  if (!namespace) return;
  for (const b of byName(store.list('RoleBinding', namespace))) {
    if (!appliesTo(user, b.subjects, namespace)) continue;
    const rules = roleRules(store, b.roleRef, namespace);
    if (typeof rules === 'string') {
      if (!visit(undefined, rules)) return;
      continue;
    }
    for (const r of rules) if (!visit(r)) return;
  }
}

/** utilerrors.NewAggregate(errs).Error(): one message bare, several in brackets. */
function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

export interface Decision {
  allowed: boolean;
  /** Status.reason of a SubjectAccessReview ("" when the authorizers give none). */
  reason: string;
}

/** The authorizer chain kubeadm configures (--authorization-mode=Node,RBAC, system:masters in front). */
export function authorize(store: KindStore, user: UserInfo, attrs: Attributes): Decision {
  if (user.groups.includes('system:masters')) return { allowed: true, reason: '' };
  const errors: string[] = [];
  let allowed = false;
  visitRulesFor(store, user, isResource(attrs) ? attrs.namespace : '', (rule, err) => {
    if (err) errors.push(err);
    if (rule && ruleAllows(attrs, rule)) allowed = true;
    return !allowed;
  });
  if (allowed) return { allowed: true, reason: '' };
  return { allowed: false, reason: errors.length ? `RBAC: ${aggregate(errors)}` : '' };
}

export interface RulesReview {
  resourceRules: PolicyRule[];
  nonResourceRules: PolicyRule[];
  incomplete: boolean;
  evaluationError: string;
}

/** RulesFor as a SelfSubjectRulesReview returns it: the resource and non-resource rules that apply in the namespace. */
export function rulesFor(store: KindStore, user: UserInfo, namespace: string): RulesReview {
  const out: RulesReview = { resourceRules: [], nonResourceRules: [], incomplete: false, evaluationError: '' };
  const errors: string[] = [];
  if (user.groups.includes('system:masters')) {
    out.resourceRules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    out.nonResourceRules.push({ verbs: ['*'], nonResourceURLs: ['*'] });
  }
  visitRulesFor(store, user, namespace, (rule, err) => {
    if (err) errors.push(err);
    if (!rule) return true;
    if ((rule.resources ?? []).length > 0) out.resourceRules.push({ verbs: rule.verbs, apiGroups: rule.apiGroups, resources: rule.resources, resourceNames: rule.resourceNames });
    if ((rule.nonResourceURLs ?? []).length > 0) out.nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
    return true;
  });
  if (errors.length) {
    out.incomplete = true;
    out.evaluationError = aggregate(errors);
  }
  return out;
}
