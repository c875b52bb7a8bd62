/**
 * Small helpers the checks share: label selectors (kubectl's syntax), dot paths into
 * objects, and how values are printed back to a learner.
 */
import { isArray, member, type Pod } from '../cluster/types';
import type { LabelSelector } from './types';
import { matchesRequirements, parseSelectorString, type Requirement } from '../cluster/labels';

export type { Requirement };

/**
 * A task's selector: kubectl's `-l` syntax (parsed as apimachinery does) or a plain map.
 * Throws with a readable message.
 */
export function parseSelector(sel: LabelSelector): Requirement[] {
  if (typeof sel !== 'string') {
    return Object.entries(sel).map(([key, v]) => ({ key, op: '=' as const, values: [String(v)] }));
  }
  if (/(^|,)\s*(,|$)/.test(sel.replace(/\([^)]*\)/g, '()'))) throw new Error(`invalid label selector "${sel}": empty requirement`);
  try {
    return parseSelectorString(sel);
  } catch (e) {
    throw new Error(`invalid label selector "${sel}": ${(e as Error).message}`);
  }
}

export function matchesSelector(labels: Record<string, string> | undefined, reqs: Requirement[]): boolean {
  return matchesRequirements(labels, reqs);
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
      if (!isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (typeof cur !== 'object') return undefined;
      cur = member(cur, seg);
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

export function podReady(pod: Pod): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  if (pod.status?.phase !== 'Running') return false;
  const conds = pod.status?.conditions ?? [];
  const ready = conds.find((c) => c.type === 'Ready');
  return ready ? ready.status === 'True' : true;
}
