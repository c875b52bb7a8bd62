/** Label selectors as apimachinery evaluates them (pkg/labels, metav1.LabelSelectorAsSelector). */

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** A Service-style selector (a plain map): empty or absent matches nothing for Services. */
export function matchesMap(selector: Record<string, string> | undefined | null, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  for (const k in selector) {
    if (!labels || labels[k] !== selector[k]) return false;
  }
  return true;
}

/**
 * metav1.LabelSelector semantics: an empty selector matches everything (NetworkPolicy
 * podSelector: {}), a null one matches nothing.
 */
export function matchesSelector(sel: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  if (sel.matchLabels) {
    for (const k in sel.matchLabels) if (l[k] !== sel.matchLabels[k]) return false;
  }
  for (const r of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.operator) {
      case 'In':
        if (!has || !(r.values ?? []).includes(l[r.key])) return false;
        break;
      case 'NotIn':
        if (has && (r.values ?? []).includes(l[r.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function isEmptySelector(sel: LabelSelector | undefined | null): boolean {
  return !!sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

/** `app=web,tier=fe` — how kubectl and the controllers print a selector map. */
export function selectorString(sel: LabelSelector | Record<string, string> | undefined): string {
  if (!sel) return '';
  const isLs = 'matchLabels' in sel || 'matchExpressions' in sel;
  const ml = (isLs ? (sel as LabelSelector).matchLabels : (sel as Record<string, string>)) ?? {};
  const parts = Object.keys(ml).sort().map((k) => `${k}=${ml[k]}`);
  if (isLs) {
    for (const r of (sel as LabelSelector).matchExpressions ?? []) {
      const vals = [...(r.values ?? [])].sort().join(',');
      if (r.operator === 'In') parts.push(`${r.key} in (${vals})`);
      else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${vals})`);
      else if (r.operator === 'Exists') parts.push(r.key);
      else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
    }
  }
  return parts.join(',');
}
