/**
 * Small helpers the checks share: label selectors (kubectl's syntax), dot paths into
 * objects, and how values are printed back to a learner.
 */
import type { KubeObject } from '../cluster/types';
import type { LabelSelector } from './types';

export interface Requirement {
  key: string;
  op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!';
  values: string[];
}

/**
 * Parses a label selector the way `kubectl get -l` reads one
 * (k8s.io/apimachinery/pkg/labels/selector.go): `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, comma-separated. Throws with a readable message.
 */
export function parseSelector(sel: LabelSelector): Requirement[] {
  if (typeof sel !== 'string') {
    return Object.entries(sel).map(([key, v]) => ({ key, op: '=' as const, values: [String(v)] }));
  }
  const out: Requirement[] = [];
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of sel) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '' || parts.length > 0) parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    let m: RegExpMatchArray | null;
    if (p === '') throw new Error(`invalid label selector "${sel}": empty requirement`);
    if ((m = p.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      out.push({ key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((s) => s.trim()).filter(Boolean) });
    } else if ((m = p.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/))) {
      out.push({ key: m[1], op: m[2] === '!=' ? '!=' : '=', values: [m[3]] });
    } else if ((m = p.match(/^!\s*([\w./-]+)$/))) {
      out.push({ key: m[1], op: '!', values: [] });
    } else if ((m = p.match(/^([\w./-]+)$/))) {
      out.push({ key: m[1], op: 'exists', values: [] });
    } else {
      throw new Error(`invalid label selector "${sel}": cannot read "${p}"`);
    }
  }
  return out;
}

export function matchesSelector(labels: Record<string, string> | undefined, reqs: Requirement[]): boolean {
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=':
        if (!has || v !== r.values[0]) return false;
        break;
      case '!=':
        if (has && v === r.values[0]) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(v)) return false;
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

/** `app=web,tier=db` — how kubectl prints a map selector. */
export function formatSelector(sel: LabelSelector | undefined): string {
  if (sel === undefined) return '<none>';
  if (typeof sel === 'string') return sel;
  const entries = Object.entries(sel);
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

/** Splits `spec.ports[0].targetPort` into `['spec','ports',0,'targetPort']`. Also accepts `metadata.labels["app.kubernetes.io/name"]`. */
export function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]+)"\]|\['([^']+)'\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3] ?? m[4]);
  }
  return out;
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of splitPath(path)) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return cur;
}

/** A value as a learner would read it: scalars plainly, lists and maps as compact JSON. */
export function show(v: unknown): string {
  if (v === undefined) return '(not set)';
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Scalars compare as strings (so 80 equals "80"); lists and maps compare structurally. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a !== 'object' && typeof b !== 'object') return String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

export function describeRef(kind: string, name: string, namespace?: string): string {
  return namespace && namespace !== 'default' ? `the ${kind} ${name} in namespace ${namespace}` : `the ${kind} ${name}`;
}

export function isNamespacedKind(kind: string, lookup: (k: string) => { namespaced: boolean } | undefined): boolean {
  return lookup(kind)?.namespaced ?? true;
}

export function podReady(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  if (pod.status?.phase !== 'Running') return false;
  const conds = (pod.status?.conditions ?? []) as { type: string; status: string }[];
  const ready = conds.find((c) => c.type === 'Ready');
  return ready ? ready.status === 'True' : true;
}
