/**
 * The RBAC generators of kubectl create — k8s.io/kubectl/pkg/cmd/create: create_role.go
 * (verbs deduplicated, `*` alone; `--resource=pods,deployments.apps,pods/log`; one rule per
 * API group, groups sorted; the special verbs use/bind/escalate/impersonate only on their
 * resources), create_clusterrole.go (--non-resource-url, --aggregation-rule),
 * create_rolebinding.go and create_clusterrolebinding.go (--user, --group,
 * --serviceaccount=NAMESPACE:NAME). Each returns the object the command sends; create.ts
 * submits it as it does every generator's.
 */
import type { Manifest, PolicyRule, Subject } from '../../cluster/types';
import { isServed, resourceFor } from '../../cluster/resources';
import { RBAC_GROUP } from '../../cluster/validation/rbac';
import { flagString, flagStrings } from './flags';
import { KubectlError, type Kctx } from './common';

const VALID_RESOURCE_VERBS = ['*', 'get', 'delete', 'list', 'create', 'update', 'patch', 'watch', 'proxy', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate'];
const VALID_NON_RESOURCE_VERBS = ['*', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options'];
const SPECIAL_VERBS: Record<string, [string, string][]> = {
  use: [
    ['policy', 'podsecuritypolicies'],
    ['extensions', 'podsecuritypolicies'],
  ],
  bind: [
    [RBAC_GROUP, 'roles'],
    [RBAC_GROUP, 'clusterroles'],
  ],
  escalate: [
    [RBAC_GROUP, 'roles'],
    [RBAC_GROUP, 'clusterroles'],
  ],
  impersonate: [
    ['', 'users'],
    ['', 'serviceaccounts'],
    ['', 'groups'],
    ['authentication.k8s.io', 'userextras'],
  ],
};

interface ResourceOption {
  resource: string;
  group: string;
  subresource: string;
}

/** pflag StringSlice: each value split on commas, repeats appended. */
function slice(k: Kctx, flag: string): string[] {
  return flagStrings(k.flags, flag).flatMap((v) => v.split(','));
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** Complete: `*` replaces every other verb; resources split into resource.group/subresource. */
function verbsOf(k: Kctx): string[] {
  const verbs: string[] = [];
  for (const v of slice(k, 'verb')) {
    if (v === '*') return ['*'];
    if (!verbs.includes(v)) verbs.push(v);
  }
  return verbs;
}

function resourcesOf(k: Kctx): ResourceOption[] {
  const out: ResourceOption[] = [];
  for (const r of slice(k, 'resource')) {
    const slash = r.indexOf('/');
    const head = slash >= 0 ? r.slice(0, slash) : r;
    const dot = head.indexOf('.');
    const opt = { resource: dot >= 0 ? head.slice(0, dot) : head, group: dot >= 0 ? head.slice(dot + 1) : '', subresource: slash >= 0 ? r.slice(slash + 1) : '' };
    if (opt.resource === '*' && dot < 0 && slash < 0) return [opt];
    out.push(opt);
  }
  return out;
}

/** The REST mapper's ResourceFor (short names expanded), or undefined when the server does not serve it. */
function mapResource(k: Kctx, r: ResourceOption): { group: string; resource: string } | undefined {
  const info = resourceFor(r.group ? `${r.resource}.${r.group}` : r.resource);
  if (!info || !isServed(info, k.store) || (r.group && info.group !== r.group)) return undefined;
  return { group: info.group, resource: info.plural };
}

function noMatch(r: ResourceOption): KubectlError {
  return new KubectlError(r.group ? `error: the server doesn't have a resource type "${r.resource}" in group "${r.group}"` : `error: the server doesn't have a resource type "${r.resource}"`);
}

/** validateResource: each resource exists, and a special verb is only used on its own resources. */
function validateResources(k: Kctx, verbs: string[], resources: ResourceOption[]): void {
  for (const r of resources) {
    if (!r.resource) throw new KubectlError('error: resource must be specified if apiGroup/subresource specified');
    if (r.resource === '*') return;
    const mapped = mapResource(k, r);
    const gr = mapped ?? { group: r.group, resource: r.resource };
    let found = !!mapped;
    for (const v of verbs) {
      const special = SPECIAL_VERBS[v];
      if (!special) continue;
      if (!special.some(([g, res]) => res === gr.resource && g === gr.group)) throw new KubectlError(`error: can not perform '${v}' on '${gr.resource}' in group '${gr.group}'`);
      found = true;
    }
    if (!found) throw noMatch(r);
  }
}

/** generateResourcePolicyRules: one rule per API group (groups sorted), resources as mapped. */
function policyRules(k: Kctx, verbs: string[], resources: ResourceOption[], names: string[], urls: string[]): PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const gr = mapResource(k, r) ?? { group: r.group, resource: r.resource };
    const res = r.subresource ? `${gr.resource}/${r.subresource}` : gr.resource;
    const list = byGroup.get(gr.group) ?? [];
    if (!list.includes(res)) list.push(res);
    byGroup.set(gr.group, list);
  }
  const rules: PolicyRule[] = [...byGroup.keys()].sort().map((g) => {
    const rule: PolicyRule = { apiGroups: [g], resources: byGroup.get(g), verbs };
    if (names.length) rule.resourceNames = names;
    return rule;
  });
  if (urls.length) rules.push({ nonResourceURLs: urls, verbs });
  return rules;
}

function verbWarnings(verbs: string[]): string {
  return verbs
    .filter((v) => !VALID_RESOURCE_VERBS.includes(v))
    .map((v) => `Warning: '${v}' is not a standard resource verb\n`)
    .join('');
}

/** Validate printed its warnings before it failed: they stay in front of the error. */
function withWarnings(stderr: string, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (e instanceof KubectlError && stderr) throw new KubectlError(stderr + e.text, e.code);
    throw e;
  }
}

export interface Generated {
  manifest: Manifest;
  /** What Validate wrote to stderr before the object was sent. */
  stderr: string;
}

export function createRole(k: Kctx, name: string): Generated {
  const verbs = verbsOf(k);
  const resources = resourcesOf(k);
  const names = uniq(flagStrings(k.flags, 'resource-name'));
  if (verbs.length === 0) throw new KubectlError('error: at least one verb must be specified');
  const stderr = verbWarnings(verbs);
  if (resources.length === 0) throw new KubectlError(stderr + 'error: at least one resource must be specified');
  withWarnings(stderr, () => validateResources(k, verbs, resources));
  const metadata: Manifest['metadata'] = { name };
  if (k.explicitNamespace) metadata.namespace = k.namespace;
  return { manifest: { apiVersion: `${RBAC_GROUP}/v1`, kind: 'Role', metadata, rules: policyRules(k, verbs, resources, names, []) }, stderr };
}

export function createClusterRole(k: Kctx, name: string): Generated {
  const verbs = verbsOf(k);
  const resources = resourcesOf(k);
  const names = uniq(flagStrings(k.flags, 'resource-name'));
  const urls = slice(k, 'non-resource-url');
  const aggregation = slice(k, 'aggregation-rule');
  if (aggregation.length > 0) {
    if (urls.length || verbs.length || resources.length || names.length) throw new KubectlError('error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames');
    const matchLabels: Record<string, string> = {};
    for (const kv of aggregation) {
      const eq = kv.indexOf('=');
      if (eq < 0) throw new KubectlError(`error: invalid argument "${flagStrings(k.flags, 'aggregation-rule').join(',')}" for "--aggregation-rule" flag: ${kv} must be formatted as key=value`);
      matchLabels[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    return { manifest: { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: { name }, aggregationRule: { clusterRoleSelectors: [{ matchLabels }] } }, stderr: '' };
  }
  if (verbs.length === 0) throw new KubectlError('error: at least one verb must be specified');
  if (resources.length === 0 && urls.length === 0) throw new KubectlError('error: one of resource or nonResourceURL must be specified');
  let stderr = '';
  if (resources.length > 0) {
    stderr = verbWarnings(verbs);
    withWarnings(stderr, () => validateResources(k, verbs, resources));
  }
  if (urls.length > 0) {
    for (const v of verbs) if (!VALID_NON_RESOURCE_VERBS.includes(v)) throw new KubectlError(`error: invalid verb: '${v}' for nonResourceURL`);
    for (const u of urls) {
      if (u === '*') continue;
      if (u === '' || !u.startsWith('/')) throw new KubectlError('error: nonResourceURL should start with /');
      if (u.slice(0, -1).includes('*')) throw new KubectlError("error: nonResourceURL only supports wildcard matches when '*' is at the end");
    }
  }
  return { manifest: { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: { name }, rules: policyRules(k, verbs, resources, names, urls) }, stderr };
}

function subjects(k: Kctx): Subject[] {
  const out: Subject[] = [];
  for (const u of flagStrings(k.flags, 'user')) out.push({ apiGroup: RBAC_GROUP, kind: 'User', name: u });
  for (const g of flagStrings(k.flags, 'group')) out.push({ apiGroup: RBAC_GROUP, kind: 'Group', name: g });
  for (const sa of flagStrings(k.flags, 'serviceaccount')) {
    const t = sa.split(':');
    if (t.length !== 2 || !t[0] || !t[1]) throw new KubectlError('error: serviceaccount must be <namespace>:<name>');
    out.push({ kind: 'ServiceAccount', name: t[1], namespace: t[0] });
  }
  return out;
}

export function createRoleBinding(k: Kctx, name: string): Generated {
  const role = flagString(k.flags, 'role') ?? '';
  const clusterRole = flagString(k.flags, 'clusterrole') ?? '';
  if (!role === !clusterRole) throw new KubectlError('error: exactly one of clusterrole or role must be specified');
  const metadata: Manifest['metadata'] = { name };
  if (k.explicitNamespace) metadata.namespace = k.namespace;
  const subs = subjects(k);
  const m: Manifest = { apiVersion: `${RBAC_GROUP}/v1`, kind: 'RoleBinding', metadata };
  if (subs.length) m.subjects = subs;
  m.roleRef = { apiGroup: RBAC_GROUP, kind: role ? 'Role' : 'ClusterRole', name: role || clusterRole };
  return { manifest: m, stderr: '' };
}

export function createClusterRoleBinding(k: Kctx, name: string): Generated {
  const clusterRole = flagString(k.flags, 'clusterrole') ?? '';
  if (!clusterRole) throw new KubectlError('error: required flag(s) "clusterrole" not set');
  const subs = subjects(k);
  const m: Manifest = { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRoleBinding', metadata: { name } };
  if (subs.length) m.subjects = subs;
  m.roleRef = { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: clusterRole };
  return { manifest: m, stderr: '' };
}

export const RBAC_CREATE_FLAGS = [
  { long: 'verb', type: 'strings' as const },
  { long: 'resource', type: 'strings' as const },
  { long: 'resource-name', type: 'strings' as const },
  { long: 'non-resource-url', type: 'strings' as const },
  { long: 'aggregation-rule', type: 'strings' as const },
  { long: 'role', type: 'string' as const },
  { long: 'clusterrole', type: 'string' as const },
  { long: 'user', type: 'strings' as const },
  { long: 'group', type: 'strings' as const },
  { long: 'serviceaccount', type: 'strings' as const },
];
