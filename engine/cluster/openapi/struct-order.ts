/**
 * The order in which the API server writes an object's fields as JSON.
 *
 * A built-in kind is a typed Go struct: apimachinery's JSON serializer
 * (runtime/serializer/json) hands it to encoding/json, which writes a struct's fields in
 * declaration order (TypeMeta's kind, apiVersion; ObjectMeta's name, generateName,
 * namespace…; then spec and status in their structs' orders) and a map's keys sorted
 * bytewise. struct-order.json holds each struct's fields in order, generated from the Go
 * types of k8s.io/api v0.34.2 by scripts/gen-struct-order.ts.
 *
 * A custom resource is served as unstructured.Unstructured (apiextensions-apiserver's
 * customresource handler): UnstructuredJSONScheme encodes its map[string]interface{}, so
 * every level's keys come out sorted — a list included (apiVersion, items, kind, metadata),
 * its items keeping their own kind and apiVersion.
 *
 * Fields the Go type does not have are dropped by a real server's decoding; the store may
 * hold a few (the simulation's own bookkeeping never does), so they follow the struct's.
 */
import doc from './struct-order.json';
import { isArray, isObject } from '../types';

interface StructOrder {
  source: string;
  /** `group/version/Kind` (`v1/Pod` for the core group) → struct id */
  kinds: Record<string, string>;
  /** struct id → its JSON fields in order, each with its shape: a struct id, `[X` slice, `{X` map, `*` raw JSON, `?X` schema-or-value, none for a scalar */
  types: Record<string, [string, string?][]>;
}

const ORDER = doc as unknown as StructOrder;

/** encoding/json's order for a map: keys sorted by their UTF-8 bytes. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every level's keys sorted, as encoding/json writes a map[string]interface{}. */
export function sortedDeep(v: unknown): unknown {
  if (isArray(v)) return v.map(sortedDeep);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort(byteOrder)) if (v[k] !== undefined) out[k] = sortedDeep(v[k]);
  return out;
}

function ordered(v: unknown, shape: string | undefined): unknown {
  if (v === null || v === undefined) return v;
  if (shape === '*') return v;
  if (shape?.startsWith('[')) return isArray(v) ? v.map((x) => ordered(x, shape.slice(1))) : v;
  if (shape?.startsWith('{')) {
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort(byteOrder)) if (v[k] !== undefined) out[k] = ordered(v[k], shape.slice(1));
    return out;
  }
  if (shape?.startsWith('?')) {
    if (isArray(v)) return v.map((x) => ordered(x, shape.slice(1)));
    return isObject(v) ? ordered(v, shape.slice(1)) : v;
  }
  if (shape === undefined) return sortedDeep(v);
  const fields = ORDER.types[shape];
  if (!fields || !isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [name, s] of fields) if (v[name] !== undefined) out[name] = ordered(v[name], s);
  for (const k of Object.keys(v)) if (!(k in out) && v[k] !== undefined) out[k] = v[k];
  return out;
}

/** The struct id of a served built-in kind, if it is one. */
export function structOf(apiVersion: string, kind: string): string | undefined {
  return ORDER.kinds[`${apiVersion}/${kind}`];
}

/** The object as the API server serializes it: its kind's struct order, or sorted keys for a custom resource. */
export function serverOrder(obj: Record<string, unknown>): Record<string, unknown> {
  const id = structOf(String(obj.apiVersion ?? ''), String(obj.kind ?? ''));
  return (id ? ordered(obj, id) : sortedDeep(obj)) as Record<string, unknown>;
}

/** A value of a named meta/v1 struct (ListMeta, Status…) in its struct order. */
export function metaOrder(v: Record<string, unknown>, struct: 'ListMeta' | 'Status'): Record<string, unknown> {
  return ordered(v, `meta/v1.${struct}`) as Record<string, unknown>;
}
