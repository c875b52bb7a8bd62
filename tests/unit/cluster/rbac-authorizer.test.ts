/**
 * The RBAC authorizer's matchers and rule walk, case by case as upstream's tests pin them:
 * pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches, ResourceMatches with
 * `*` and `*∕subresource`, ResourceNameMatches, NonResourceURLMatches with a trailing `*`),
 * pkg/registry/rbac/validation/rule.go (appliesTo: a RoleBinding's ServiceAccount subject
 * without a namespace is the binding's namespace; missing roles are errors in the reason)
 * and apiserver's impersonation filter (the groups an impersonated user gets).
 */
import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../../engine/cluster/store';
import { authorize, impersonate, nonResourceURLMatches, resourceMatches, ruleAllows, rulesFor } from '../../../engine/cluster/rbac/authorizer';
import type { KubeObject } from '../../../engine/cluster/types';

const meta = (name: string, namespace?: string) => ({ name, namespace, uid: name, resourceVersion: '1', creationTimestamp: '2025-01-01T00:00:00Z' });

function store(objs: object[]): ObjectStore {
  return new ObjectStore(objs as KubeObject[]);
}

describe('RBAC authorizer', () => {
  it('matches resources, subresources and non-resource URLs as evaluation_helpers.go does', () => {
    expect(resourceMatches({ verbs: ['get'], resources: ['*'] }, 'pods/log', 'log')).toBe(true);
    expect(resourceMatches({ verbs: ['get'], resources: ['*/scale'] }, 'deployments/scale', 'scale')).toBe(true);
    expect(resourceMatches({ verbs: ['get'], resources: ['*/scale'] }, 'deployments', '')).toBe(false);
    expect(resourceMatches({ verbs: ['get'], resources: ['pods'] }, 'pods/log', 'log')).toBe(false);
    expect(nonResourceURLMatches({ verbs: ['get'], nonResourceURLs: ['/api/*'] }, '/api/v1')).toBe(true);
    expect(nonResourceURLMatches({ verbs: ['get'], nonResourceURLs: ['/api/*'] }, '/api')).toBe(false);
    expect(nonResourceURLMatches({ verbs: ['get'], nonResourceURLs: ['*'] }, '/anything')).toBe(true);
    const rule = { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['kube-proxy'] };
    const attrs = { verb: 'get', namespace: 'kube-system', group: '', resource: 'configmaps', subresource: '', name: 'kube-proxy' };
    expect(ruleAllows(attrs, rule)).toBe(true);
    expect(ruleAllows({ ...attrs, name: 'other' }, rule)).toBe(false);
    expect(ruleAllows({ ...attrs, verb: 'list', name: '' }, rule)).toBe(false);
    // a literal `*` verb is only matched by a `*` rule
    expect(ruleAllows({ ...attrs, verb: '*' }, rule)).toBe(false);
  });

  it('gives impersonated users their groups', () => {
    expect(impersonate('jane', [])).toEqual({ name: 'jane', groups: ['system:authenticated'] });
    expect(impersonate('system:serviceaccount:dev:bot', [])).toEqual({ name: 'system:serviceaccount:dev:bot', groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'] });
    expect(impersonate('ann', ['devs'])).toEqual({ name: 'ann', groups: ['devs', 'system:authenticated'] });
    expect(impersonate('system:anonymous', [])).toEqual({ name: 'system:anonymous', groups: [] });
  });

  it('walks ClusterRoleBindings, then the namespace RoleBindings, and names missing roles', () => {
    const s = store([
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('reader', 'dev'), rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] },
      // a RoleBinding's ServiceAccount subject without a namespace is in the binding's namespace
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('rb', 'dev'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'bot' }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta('gone'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'missing' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts' }] },
    ]);
    const bot = impersonate('system:serviceaccount:dev:bot', []);
    expect(authorize(s, bot, { verb: 'list', namespace: 'dev', group: '', resource: 'pods', subresource: '', name: '' })).toEqual({ allowed: true, reason: '' });
    expect(authorize(s, bot, { verb: 'list', namespace: 'prod', group: '', resource: 'pods', subresource: '', name: '' })).toEqual({ allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "missing" not found' });
    expect(authorize(s, bot, { verb: 'delete', namespace: 'dev', group: '', resource: 'pods', subresource: '', name: 'x' }).allowed).toBe(false);
    // system:masters passes before RBAC
    expect(authorize(s, { name: 'root', groups: ['system:masters'] }, { verb: 'delete', namespace: '', group: '*', resource: 'nodes', subresource: '', name: '' }).allowed).toBe(true);
    const review = rulesFor(s, bot, 'dev');
    expect(review.resourceRules).toEqual([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: undefined }]);
    expect(review.incomplete).toBe(true);
    expect(review.evaluationError).toBe('clusterrole.rbac.authorization.k8s.io "missing" not found');
  });
});
