/** Small helpers shared by kubectl verbs. */
import { toGoJson } from '../../printers/kubectl/serialize';
import { isArray, isObject, member, type Manifest } from '../../cluster/types';

/** json.Marshal of an unstructured object: sorted keys, no spaces, Go's HTML escaping. */
export function compactJsonSorted(v: unknown): string {
  if (isArray(v)) return '[' + v.map(compactJsonSorted).join(',') + ']';
  if (!isObject(v)) return toGoJson(v);
  return '{' + Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => toGoJson(k) + ':' + compactJsonSorted(v[k])).join(',') + '}';
}

/**
 * What a generator's object looks like when kubectl prints it without a server round trip
 * (--dry-run=client -o yaml): the Go structs' zero values that survive JSON
 * serialisation (`resources: {}`, `strategy: {}`, `status: {}`). Since apimachinery v0.34
 * ObjectMeta.creationTimestamp is `omitempty,omitzero`, so kubectl v1.34 no longer prints
 * `creationTimestamp: null`.
 */
export function withGoZeroValues(obj: Manifest): GeneratedObject {
  const o: Record<string, unknown> = structuredClone(obj);
  const out: GeneratedObject = Object.assign(o, { metadata: { ...(o.metadata ?? {}) } });
  // Fields the generators always build as objects. In a learner's malformed manifest
  // (--dry-run=client) a scalar there is left alone: the API server would reject it.
  const podSpec = (spec: unknown) => {
    const containers = member(spec, 'containers') ?? [];
    if (isArray(containers)) for (const c of containers) if (isObject(c) && c.resources === undefined) c.resources = {};
  };
  switch (o.kind) {
    case 'Deployment': {
      o.spec = o.spec ?? {};
      const spec = o.spec;
      if (isObject(spec)) {
        if (spec.strategy === undefined) spec.strategy = {};
        const template = spec.template;
        if (isObject(template)) {
          template.metadata = { ...(template.metadata ?? {}) };
          podSpec(template.spec);
        }
      }
      o.status = o.status ?? {};
      break;
    }
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
  return out;
}

/** A generator's object as kubectl prints it without a server round trip. */
export interface GeneratedObject extends Record<string, unknown> {
  metadata: Record<string, unknown>;
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
