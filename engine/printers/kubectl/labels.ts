/**
 * Label and selector formatting, as k8s.io/apimachinery prints them:
 * labels.FormatLabels (sorted `k=v,k=v`, `<none>` when empty) and
 * metav1.FormatLabelSelector (selector.String(), requirements sorted by key).
 */
import { matchesSelector, selectorString, type LabelSelector, type LabelSelectorRequirement } from '../../cluster/labels';

export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

export type { LabelSelector, LabelSelectorRequirement };
export { selectorString };

/** metav1.FormatLabelSelector: `<none>` for an empty selector. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  const s = selectorString(sel);
  return s === '' ? '<none>' : s;
}

/** Does a metav1.LabelSelector match these labels? (an empty selector matches everything) */
export const labelSelectorMatches = matchesSelector;
