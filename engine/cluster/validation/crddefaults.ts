/**
 * A custom resource's defaults from its CRD's structural schema: apiextensions-apiserver
 * pkg/apiserver/schema/defaulting/algorithm.go Default, which the API server runs on every
 * custom resource it decodes (requests, and objects read from etcd) after pruning. A
 * property missing from an object (or null where the schema is not nullable) takes a deep
 * copy of its `default`; then every present property, array item and
 * additionalProperties value is defaulted in turn, defaults just set included.
 */
import { isArray, isObject } from '../types';
import type { UncheckedObject } from './common';
import { crdSchema, type JsonSchemaProps } from './strict';

const nonNullableNull = (v: unknown, s: JsonSchemaProps | undefined) => v === null && !!s && !s.nullable;

/** Whether a default sits anywhere under `s` (computed once per schema node): subtrees without one are not walked. */
const bearsDefault = new WeakMap<JsonSchemaProps, boolean>();
function hasDefault(s: JsonSchemaProps): boolean {
  let b = bearsDefault.get(s);
  if (b === undefined) {
    b =
      Object.values(s.properties ?? {}).some((p) => p.default !== undefined || hasDefault(p)) ||
      (!!s.items && (s.items.default !== undefined || hasDefault(s.items))) ||
      (isObject(s.additionalProperties) && (s.additionalProperties.default !== undefined || hasDefault(s.additionalProperties as JsonSchemaProps)));
    bearsDefault.set(s, b);
  }
  return b;
}

function defaultValue(x: unknown, s: JsonSchemaProps | undefined): void {
  if (!s || !hasDefault(s)) return;
  if (isObject(x)) {
    for (const [k, prop] of Object.entries(s.properties ?? {})) {
      if (prop.default === undefined) continue;
      if (!(k in x) || nonNullableNull(x[k], prop)) x[k] = structuredClone(prop.default);
    }
    const ap = isObject(s.additionalProperties) ? (s.additionalProperties as JsonSchemaProps) : undefined;
    for (const k of Object.keys(x)) {
      const prop = s.properties?.[k];
      if (prop) defaultValue(x[k], prop);
      else if (ap) {
        if (nonNullableNull(x[k], ap) && ap.default !== undefined) x[k] = structuredClone(ap.default);
        defaultValue(x[k], ap);
      }
    }
  } else if (isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      if (nonNullableNull(x[i], s.items) && s.items?.default !== undefined) x[i] = structuredClone(s.items.default);
      defaultValue(x[i], s.items);
    }
  }
}

const roots = new WeakMap<JsonSchemaProps, JsonSchemaProps>();

/** Applies the CRD's defaults for the object's version (nothing when the CRD carries no schema for it). */
export function defaultCustomResource(obj: UncheckedObject, crd: UncheckedObject | undefined): void {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const schema = crdSchema(crd, apiVersion.slice(apiVersion.lastIndexOf('/') + 1));
  // the root's metadata is the ObjectMeta the API server defaults itself
  if (!schema) return;
  let root = roots.get(schema);
  if (!root) roots.set(schema, (root = { ...schema, properties: { ...schema.properties, metadata: {} } }));
  defaultValue(obj, root);
}
