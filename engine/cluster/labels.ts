/** Label selectors as apimachinery evaluates them (pkg/labels, metav1.LabelSelectorAsSelector). */
import { isArray, member } from './types';

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
export function matchesSelector(sel: LabelSelector | null | undefined | unknown, labels: Record<string, string> | undefined | unknown): boolean {
  // Read as stored: validation runs this on a learner's manifest before anything is typed,
  // the controllers on what was stored, and both must agree (a string where `values` wants a
  // list is searched as a string, as its `includes` does).
  if (!sel) return false;
  const l = labels ?? {};
  const matchLabels = member(sel, 'matchLabels');
  if (matchLabels) {
    for (const k of Object.keys(matchLabels)) if (member(l, k) !== member(matchLabels, k)) return false;
  }
  const exprs = member(sel, 'matchExpressions');
  for (const r of isArray(exprs) ? exprs : []) {
    const key = String(member(r, 'key'));
    const has = Object.prototype.hasOwnProperty.call(l, key);
    const values = member(r, 'values') ?? [];
    const listed = () => {
      const v = member(l, key);
      return isArray(values) ? values.includes(v) : typeof values === 'string' && values.includes(String(v));
    };
    switch (member(r, 'operator')) {
      case 'In':
        if (!has || !listed()) return false;
        break;
      case 'NotIn':
        if (has && listed()) return false;
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

/**
 * selector.String() as apimachinery prints it: requirements sorted by key, `k=v`,
 * `k in (a,b)`, `k notin (a)`, `k`, `!k`. Accepts a metav1.LabelSelector or a plain map.
 */
export function selectorString(sel: LabelSelector | Record<string, string> | undefined | null): string {
  if (!sel) return '';
  const isLs = 'matchLabels' in sel || 'matchExpressions' in sel;
  const ml = (isLs ? (sel as LabelSelector).matchLabels : (sel as Record<string, string>)) ?? {};
  const reqs: { key: string; text: string }[] = Object.entries(ml).map(([k, v]) => ({ key: k, text: `${k}=${v}` }));
  for (const r of isLs ? (sel as LabelSelector).matchExpressions ?? [] : []) {
    const vals = [...(r.values ?? [])].sort().join(',');
    if (r.operator === 'In') reqs.push({ key: r.key, text: `${r.key} in (${vals})` });
    else if (r.operator === 'NotIn') reqs.push({ key: r.key, text: `${r.key} notin (${vals})` });
    else if (r.operator === 'Exists') reqs.push({ key: r.key, text: r.key });
    else if (r.operator === 'DoesNotExist') reqs.push({ key: r.key, text: `!${r.key}` });
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

// ---- string selectors (`kubectl get -l`, task checks) ----------------------------------------

export interface Requirement {
  key: string;
  op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!';
  values: string[];
}

/** A selector string apimachinery could not parse; the message is its own ("unable to parse requirement: …"). */
export class SelectorParseError extends Error {}

/** Parses a label selector as k8s.io/apimachinery/pkg/labels.Parse does, with its error texts. */
export function parseSelectorString(src: string): Requirement[] {
  const reqs: Requirement[] = [];
  let i = 0;
  const skip = () => {
    while (src[i] === ' ') i++;
  };
  const ident = () => {
    skip();
    const m = /^[A-Za-z0-9._\-/]*/.exec(src.slice(i))!;
    i += m[0].length;
    return m[0];
  };
  const bad = (msg: string): never => {
    throw new SelectorParseError(`unable to parse requirement: ${msg}`);
  };
  while (i < src.length) {
    skip();
    if (src[i] === '!') {
      i++;
      const key = ident();
      if (!key) bad("found '', expected: identifier");
      reqs.push({ key, op: '!', values: [] });
    } else {
      const key = ident();
      if (!key) bad(`found '${src[i] ?? ''}', expected: !, identifier, or 'end of string'`);
      skip();
      if (src.startsWith('==', i)) {
        i += 2;
        reqs.push({ key, op: '=', values: [ident()] });
      } else if (src.startsWith('!=', i)) {
        i += 2;
        reqs.push({ key, op: '!=', values: [ident()] });
      } else if (src[i] === '=') {
        i += 1;
        reqs.push({ key, op: '=', values: [ident()] });
      } else if (/^(in|notin)\s*\(/.test(src.slice(i))) {
        const op = src.startsWith('notin', i) ? 'notin' : 'in';
        i = src.indexOf('(', i) + 1;
        const close = src.indexOf(')', i);
        if (close < 0) bad("found 'end of string', expected: ',' or ')'");
        const values = src.slice(i, close).split(',').map((v) => v.trim()).filter((v) => v !== '');
        i = close + 1;
        reqs.push({ key, op, values });
      } else if (i >= src.length || src[i] === ',') {
        reqs.push({ key, op: 'exists', values: [] });
      } else bad(`found '${src.slice(i).split(/[ ,]/)[0]}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    skip();
    if (src[i] === ',') i++;
    else if (i < src.length) bad(`found '${src[i]}', expected: ',' or 'end of string'`);
  }
  return reqs;
}

export function matchesRequirements(labels: Record<string, string> | undefined, reqs: Requirement[]): boolean {
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case '=':
        if (!has || l[r.key] !== r.values[0]) return false;
        break;
      case '!=':
        if (has && l[r.key] === r.values[0]) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(l[r.key])) return false;
        break;
      case 'notin':
        if (has && r.values.includes(l[r.key])) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
    }
  }
  return true;
}
