/**
 * How kubectl prints RBAC rules: k8s.io/kubectl/pkg/util/rbac/rbac.go (BreakdownRule,
 * CompactRules, SortableRuleSlice — sorted by the generated PolicyRule.String()) and
 * describe.go's CombineResourceGroup, shared by `kubectl describe role|clusterrole` and
 * `kubectl auth can-i --list`, and rbac.SubjectsStrings for the bindings' -o wide columns.
 */
import type { PolicyRule, Subject } from '../../cluster/types';

/** BreakdownRule: one rule per group × resource × verb (× resource name), then one per URL × verb. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if ((rule.resourceNames ?? []).length > 0) {
          for (const name of rule.resourceNames ?? []) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        } else out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

/**
 * CompactRules: rules with one group, one resource and at most one name that differ only
 * in verbs become one rule (verbs in the order met); the others pass through first. Go
 * appends the merged rules from a map, so their order is random there; the stable sort
 * after it fixes every order that shows.
 */
export function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const names = r.resourceNames ?? [];
    const isSimple = names.length <= 1 && (r.nonResourceURLs ?? []).length === 0 && (r.apiGroups ?? []).length === 1 && (r.resources ?? []).length === 1;
    if (!isSimple) {
      compacted.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], names.length > 0, names[0] ?? '']);
    const existing = simple.get(key);
    if (existing) {
      const verbs = (existing.verbs ??= []);
      for (const v of r.verbs ?? []) if (!verbs.includes(v)) verbs.push(v);
    } else simple.set(key, { ...r, verbs: [...(r.verbs ?? [])] });
  }
  return [...compacted, ...simple.values()];
}

/** fmt's %v of a []string: `[get list]`. */
export function goList(xs: string[] | undefined): string {
  return `[${(xs ?? []).join(' ')}]`;
}

/** The gogo-generated PolicyRule.String() the sort compares. */
function ruleString(r: PolicyRule): string {
  return `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;
}

const byteCompare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Breakdown, compact and sort, as describe and can-i --list do before printing. */
export function printableRules(rules: PolicyRule[]): PolicyRule[] {
  const compact = compactRules(rules.flatMap(breakdownRule));
  return compact.map((r, i) => ({ r, i, s: ruleString(r) })).sort((a, b) => byteCompare(a.s, b.s) || a.i - b.i).map((x) => x.r);
}

/** CombineResourceGroup: `deployments.apps/scale`, `pods`, `*.*`. */
export function combineResourceGroup(resources: string[] | undefined, groups: string[] | undefined): string {
  if (!resources || resources.length === 0) return '';
  const slash = resources[0].indexOf('/');
  const head = slash >= 0 ? resources[0].slice(0, slash) : resources[0];
  let out = head;
  if (groups && groups.length > 0 && groups[0] !== '') out += '.' + groups[0];
  if (slash >= 0) out += '/' + resources[0].slice(slash + 1);
  return out;
}

/** One line of the rules table: Resources, Non-Resource URLs, Resource Names, Verbs (tab-separated). */
export function ruleCells(r: PolicyRule): string {
  return `${combineResourceGroup(r.resources, r.apiGroups)}\t${goList(r.nonResourceURLs)}\t${goList(r.resourceNames)}\t${goList(r.verbs)}`;
}

/** rbac.SubjectsStrings: users, groups, `namespace/name` service accounts. */
export function subjectsStrings(subjects: Subject[] | undefined): [string[], string[], string[]] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
    else if (s.kind === 'ServiceAccount') sas.push(s.namespace ? `${s.namespace}/${s.name}` : s.name);
  }
  return [users, groups, sas];
}

/** metav1.Time as RFC 3339 in UTC (printRole's CREATED AT). */
export function createdAt(ts: string | undefined): string {
  if (!ts) return '0001-01-01T00:00:00Z';
  return new Date(Date.parse(ts)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
