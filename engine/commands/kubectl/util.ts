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

/**
 * What a generator's object looks like when kubectl prints it without a server round trip
 * (--dry-run=client -o yaml): the Go structs' zero values that survive JSON
 * serialisation (`creationTimestamp: null`, `resources: {}`, `strategy: {}`, `status: {}`).
 */
export function withGoZeroValues(obj: Any): Any {
  const o = structuredClone(obj);
  o.metadata = { creationTimestamp: null, ...(o.metadata ?? {}) };
  const podSpec = (spec: Any) => {
    for (const c of spec?.containers ?? []) if (c.resources === undefined) c.resources = {};
  };
  switch (o.kind) {
    case 'Deployment':
      o.spec = o.spec ?? {};
      if (o.spec.strategy === undefined) o.spec.strategy = {};
      if (o.spec.template) {
        o.spec.template.metadata = { creationTimestamp: null, ...(o.spec.template.metadata ?? {}) };
        podSpec(o.spec.template.spec);
      }
      o.status = o.status ?? {};
      break;
    case 'Pod':
      podSpec(o.spec);
      o.status = o.status ?? {};
      break;
    case 'Service':
    case 'Ingress':
      o.status = o.status ?? { loadBalancer: {} };
      break;
    case 'Namespace':
      o.spec = o.spec ?? {};
      o.status = o.status ?? {};
      break;
  }
  return o;
}

/** base64 of UTF-8 text (Secret data). */
export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += chars[(n >> 18) & 63] + chars[(n >> 12) & 63] + (i + 1 < bytes.length ? chars[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? chars[n & 63] : '=');
  }
  return out;
}
