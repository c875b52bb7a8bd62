/** Small helpers shared by kubectl verbs. */
import { toGoJson } from '../../printers/kubectl/serialize';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** json.Marshal of an unstructured object: sorted keys, no spaces, Go's HTML escaping. */
export function compactJsonSorted(v: Any): string {
  if (v === null || typeof v !== 'object') return toGoJson(v);
  if (Array.isArray(v)) return '[' + v.map(compactJsonSorted).join(',') + ']';
  return '{' + Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => toGoJson(k) + ':' + compactJsonSorted(v[k])).join(',') + '}';
}
