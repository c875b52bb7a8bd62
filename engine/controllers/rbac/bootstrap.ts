/**
 * The RBAC objects a kubeadm cluster starts with.
 *
 * The API server's bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go,
 * v1.34: ClusterRoles() and ClusterRoleBindings(), written at start by the
 * rbac/bootstrap-roles post-start hook): the roles whose rules decide what a learner's
 * `kubectl auth can-i` answers — cluster-admin, the user-facing admin/edit/view (filled by
 * aggregation from system:aggregate-to-*), discovery, public info, basic-user, monitoring,
 * service-account issuer discovery, auth-delegator, kube-proxy's and kube-dns's — and their
 * bindings. NewRule sorts every list (PolicyRuleBuilder.Rule), so the lists here are sorted.
 * Left out: the per-controller system:controller:* roles and the roles of the control-plane
 * components (system:kube-scheduler, system:kube-controller-manager, system:node…), whose
 * users never type into this terminal.
 *
 * kubeadm's (cmd/kubeadm/app/phases: kubeconfig's kubeadm:cluster-admins binding, the
 * bootstrap-token and kube-proxy phases, CoreDNS's addon manifests).
 */
import type { Manifest, PolicyRule, Subject } from '../../cluster/types';
import { RBAC_GROUP } from '../../cluster/validation/rbac';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = [...READ, ...WRITE];

const sorted = (xs: string[]) => [...xs].sort();

/** rbacv1helpers.NewRule(verbs…).Groups(…).Resources(…).RuleOrDie(): every list sorted. */
function rule(verbs: string[], groups: string[], resources: string[], resourceNames: string[] = []): PolicyRule {
  const r: PolicyRule = { apiGroups: sorted(groups), resources: sorted(resources), verbs: sorted(verbs) };
  if (resourceNames.length) r.resourceNames = sorted(resourceNames);
  return r;
}

/** NewRule(verbs…).URLs(…). */
function urls(verbs: string[], paths: string[]): PolicyRule {
  return { nonResourceURLs: sorted(paths), verbs: sorted(verbs) };
}

const AGGREGATE = 'rbac.authorization.k8s.io/aggregate-to-';
const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

function clusterRole(name: string, rules: PolicyRule[] | { aggregate: string }, labels: Record<string, string> = {}): Manifest {
  const metadata = { annotations: { ...AUTOUPDATE }, labels: { ...labels, ...BOOTSTRAP_LABELS }, name };
  if ('aggregate' in rules) {
    // rbacv1.ClusterRole's field order: rules, then aggregationRule (rules filled by the aggregation controller)
    return { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata, rules: [], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`${AGGREGATE}${rules.aggregate}`]: 'true' } }] } };
  }
  return { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata, rules };
}

const group = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: 'Group', name });
const user = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: 'User', name });
const serviceAccount = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

function clusterBinding(name: string, role: string, subjects: Subject[], bootstrap = true): Manifest {
  const metadata = bootstrap ? { annotations: { ...AUTOUPDATE }, labels: { ...BOOTSTRAP_LABELS }, name } : { name };
  // rbacv1's field order: subjects, then roleRef
  return { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRoleBinding', metadata, subjects, roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role } };
}

const legacy = '';
const EVENTS_RULE = rule(['create', 'patch', 'update'], [legacy, 'events.k8s.io'], ['events']);

/** policy.go ClusterRoles(), the roles kept (see the file comment). */
export function bootstrapClusterRoles(): Manifest[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('system:discovery', [urls(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/', '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*'])]),
    clusterRole('system:monitoring', [urls(['get'], ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*'])]),
    clusterRole('system:basic-user', [rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']), rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews'])]),
    clusterRole('system:public-info-viewer', [urls(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/'])]),
    clusterRole('admin', { aggregate: 'admin' }),
    clusterRole('edit', { aggregate: 'edit' }, { [`${AGGREGATE}admin`]: 'true' }),
    clusterRole('view', { aggregate: 'view' }, { [`${AGGREGATE}edit`]: 'true' }),
    clusterRole('system:aggregate-to-admin', [rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']), rule(READ_WRITE, ['rbac.authorization.k8s.io'], ['roles', 'rolebindings'])], { [`${AGGREGATE}admin`]: 'true' }),
    clusterRole(
      'system:aggregate-to-edit',
      [
        rule(READ, [legacy], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
        rule(['impersonate'], [legacy], ['serviceaccounts']),
        rule(WRITE, [legacy], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
        rule(['create'], [legacy], ['pods/eviction']),
        rule(WRITE, [legacy], ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy', 'persistentvolumeclaims', 'configmaps', 'secrets', 'events']),
        rule(['create'], [legacy], ['serviceaccounts/token']),
        rule(WRITE, ['apps'], ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale']),
        rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
        rule(WRITE, ['batch'], ['jobs', 'cronjobs']),
        rule(WRITE, ['extensions'], ['daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'ingresses', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale', 'networkpolicies']),
        rule(WRITE, ['policy'], ['poddisruptionbudgets']),
        rule(WRITE, ['networking.k8s.io'], ['networkpolicies', 'ingresses']),
        rule(READ_WRITE, ['coordination.k8s.io'], ['leases']),
      ],
      { [`${AGGREGATE}edit`]: 'true' },
    ),
    clusterRole(
      'system:aggregate-to-view',
      [
        rule(READ, [legacy], ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
        rule(READ, [legacy], ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status', 'replicationcontrollers/status', 'pods/log']),
        rule(READ, [legacy], ['namespaces']),
        rule(READ, ['discovery.k8s.io'], ['endpointslices']),
        rule(READ, ['apps'], ['controllerrevisions', 'statefulsets', 'statefulsets/status', 'statefulsets/scale', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/status', 'deployments/scale', 'replicasets', 'replicasets/status', 'replicasets/scale']),
        rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
        rule(READ, ['batch'], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
        rule(READ, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale', 'networkpolicies']),
        rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
        rule(READ, ['networking.k8s.io'], ['networkpolicies', 'ingresses', 'ingresses/status']),
      ],
      { [`${AGGREGATE}view`]: 'true' },
    ),
    clusterRole('system:auth-delegator', [rule(['create'], ['authentication.k8s.io'], ['tokenreviews']), rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews'])]),
    clusterRole('system:node-proxier', [rule(['list', 'watch'], [legacy], ['services', 'endpoints']), rule(['get', 'list', 'watch'], [legacy], ['nodes']), EVENTS_RULE, rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices'])]),
    clusterRole('system:kube-dns', [rule(['list', 'watch'], [legacy], ['endpoints', 'services'])]),
    clusterRole('system:service-account-issuer-discovery', [urls(['get'], ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'])]),
  ];
}

/** policy.go ClusterRoleBindings(), for the roles kept. */
export function bootstrapClusterRoleBindings(): Manifest[] {
  return [
    clusterBinding('cluster-admin', 'cluster-admin', [group('system:masters')]),
    clusterBinding('system:monitoring', 'system:monitoring', [group('system:monitoring')]),
    clusterBinding('system:discovery', 'system:discovery', [group('system:authenticated')]),
    clusterBinding('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
    clusterBinding('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
    clusterBinding('system:node-proxier', 'system:node-proxier', [user('system:kube-proxy')]),
    clusterBinding('system:kube-dns', 'system:kube-dns', [serviceAccount('kube-system', 'kube-dns')]),
    clusterBinding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
  ];
}

/** kubeadm init's kubeconfig phase: admin.conf's group gets cluster-admin (kubeadm 1.29+). */
export function kubeadmAdminBinding(): Manifest {
  return clusterBinding('kubeadm:cluster-admins', 'cluster-admin', [group('kubeadm:cluster-admins')], false);
}

const BOOTSTRAP_TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

function namespacedRole(namespace: string, name: string, rules: PolicyRule[]): Manifest {
  return { apiVersion: `${RBAC_GROUP}/v1`, kind: 'Role', metadata: { name, namespace }, rules };
}

function roleBinding(namespace: string, name: string, role: string, subjects: Subject[]): Manifest {
  return { apiVersion: `${RBAC_GROUP}/v1`, kind: 'RoleBinding', metadata: { name, namespace }, subjects, roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: role } };
}

/**
 * What kubeadm's later phases add: joining nodes read kubeadm-config, kubelet-config and
 * kube-proxy's ConfigMap; kube-proxy's service account is a node proxier; CoreDNS's
 * ClusterRole and binding (cmd/kubeadm/app/phases/addons/dns/manifests.go).
 */
export function kubeadmAddonRbac(withKubeProxy: boolean): Manifest[] {
  const nodeReaders = [group('system:nodes'), group(BOOTSTRAP_TOKEN_GROUP)];
  const out: Manifest[] = [
    { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: { name: 'kubeadm:get-nodes' }, rules: [rule(['get'], [legacy], ['nodes'])] },
    clusterBinding('kubeadm:get-nodes', 'kubeadm:get-nodes', [group(BOOTSTRAP_TOKEN_GROUP)], false),
    namespacedRole('kube-system', 'kubeadm:kubelet-config', [rule(['get'], [legacy], ['configmaps'], ['kubelet-config'])]),
    roleBinding('kube-system', 'kubeadm:kubelet-config', 'kubeadm:kubelet-config', nodeReaders),
    namespacedRole('kube-system', 'kubeadm:nodes-kubeadm-config', [rule(['get'], [legacy], ['configmaps'], ['kubeadm-config'])]),
    roleBinding('kube-system', 'kubeadm:nodes-kubeadm-config', 'kubeadm:nodes-kubeadm-config', nodeReaders),
    {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'system:coredns' },
      // a YAML manifest, not NewRule: its lists keep the manifest's order
      rules: [
        { apiGroups: [legacy], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
        { apiGroups: [legacy], resources: ['nodes'], verbs: ['get'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      ],
    },
    clusterBinding('system:coredns', 'system:coredns', [serviceAccount('kube-system', 'coredns')], false),
  ];
  if (withKubeProxy) {
    out.push(
      clusterBinding('kubeadm:node-proxier', 'system:node-proxier', [serviceAccount('kube-system', 'kube-proxy')], false),
      namespacedRole('kube-system', 'kube-proxy', [rule(['get'], [legacy], ['configmaps'], ['kube-proxy'])]),
      roleBinding('kube-system', 'kube-proxy', 'kube-proxy', [group(BOOTSTRAP_TOKEN_GROUP)]),
    );
  }
  return out;
}
