/**
 * kube-controller-manager's clusterrole-aggregation controller
 * (pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go): a ClusterRole
 * with an aggregationRule gets, as its rules, the rules of every other ClusterRole its
 * selectors match, taken in name order and without repeats. That is how `admin`, `edit`
 * and `view` get their rules, and how a learner's ClusterRole labelled
 * `rbac.authorization.k8s.io/aggregate-to-view: "true"` widens `view`.
 */
import type { Cluster } from '../../cluster/cluster';
import type { SimModule } from '../../cluster/module';
import { matchesSelector } from '../../cluster/labels';
import type { ClusterRole, PolicyRule } from '../../cluster/types';
import type { KindStore } from '../../cluster/store';

function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  const eq = (x?: string[], y?: string[]) => JSON.stringify(x ?? []) === JSON.stringify(y ?? []);
  return eq(a.verbs, b.verbs) && eq(a.apiGroups, b.apiGroups) && eq(a.resources, b.resources) && eq(a.resourceNames, b.resourceNames) && eq(a.nonResourceURLs, b.nonResourceURLs);
}

export class ClusterRoleAggregationController implements SimModule {
  readonly name = 'clusterrole-aggregation-controller';
  /** A ClusterRole changed: ClusterRoles are few, so any change re-derives them all. */
  private dirty = true;
  private unsubscribe?: () => void;

  constructor(private cluster: Cluster) {}

  init(): void {
    this.unsubscribe?.();
    this.dirty = true;
    this.unsubscribe = this.cluster.store.subscribe((c) => {
      if (c.object.kind === 'ClusterRole') this.dirty = true;
    });
  }

  reconcile(): boolean {
    if (!this.dirty) return false;
    this.dirty = false;
    let wrote = false;
    const store: KindStore = this.cluster.store;
    const roles = store.list('ClusterRole').sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    for (const owner of roles) {
      const selectors = owner.aggregationRule?.clusterRoleSelectors;
      if (!selectors) continue;
      const rules: PolicyRule[] = [];
      for (const role of store.list('ClusterRole').sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
        if (role.metadata.name === owner.metadata.name) continue;
        if (!selectors.some((s) => matchesSelector(s, role.metadata.labels ?? {}))) continue;
        for (const r of role.rules ?? []) if (!rules.some((x) => sameRule(x, r))) rules.push(r);
      }
      const current = owner.rules ?? [];
      if (current.length === rules.length && current.every((r, i) => sameRule(r, rules[i]))) continue;
      const next: ClusterRole = { ...owner, rules: structuredClone(rules) };
      this.cluster.api.update(next, { reconcile: false });
      wrote = true;
    }
    return wrote;
  }
}
