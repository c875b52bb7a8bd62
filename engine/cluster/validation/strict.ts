/**
 * Server-side field validation (KEP-2885, GA in v1.27): the unknown fields of a request
 * body, which the API server rejects (`fieldValidation=Strict`, kubectl's default
 * `--validate=strict`), reports as warnings (`Warn`) or drops silently (`Ignore`).
 *
 * Two roads, two orders:
 *
 *  - A body that is decoded (POST create, PUT update/replace): the strict JSON decoder
 *    (sigs.k8s.io/json UnmarshalStrict under runtime/serializer/json) notes each unknown
 *    field as it meets it, `unknown field "spec.template.spec.containers[0].port"`, in the
 *    body's key order; kubectl marshals the manifest from a map, so keys arrive sorted and
 *    the fields come out depth-first in key order (`order: 'decode'`).
 *  - A patched object (PATCH, client-side `kubectl apply` on a live object): the patched map
 *    goes through runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation
 *    (apimachinery pkg/runtime/converter.go): a struct's known fields are converted first,
 *    children before the struct's own unknown keys (popAndVerifyMatchedKeys runs after
 *    them), which it reports in Go's map order; here they are sorted (`order: 'convert'`).
 *
 * The fields come from the OpenAPI v3 schemas of the served kinds (openapi/schemas.json);
 * a custom resource's from its CRD's `openAPIV3Schema` when the CRD carries one (the
 * apiextensions-apiserver prunes against the structural schema and reports what it pruned,
 * `x-kubernetes-preserve-unknown-fields: true` keeping a subtree as it is; its metadata is
 * an ObjectMeta). A kind whose schema is not known here is not checked.
 */
import { openApi, type OpenApiDocument, type OpenApiField } from '../openapi';
import { isArray, isObject } from '../types';
import type { UncheckedObject } from './common';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** A CRD's structural schema as far as pruning and defaulting read it. */
export interface JsonSchemaProps {
  type?: string;
  nullable?: boolean;
  default?: unknown;
  properties?: Record<string, JsonSchemaProps>;
  items?: JsonSchemaProps;
  additionalProperties?: JsonSchemaProps | boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

/** An unknown field: its path as the errors print it, and where it sits (to drop it). */
export interface UnknownField {
  path: string;
  holder: Record<string, unknown>;
  key: string;
}

interface Walk {
  doc: OpenApiDocument;
  order: 'decode' | 'convert';
  out: UnknownField[];
}

const pathKey = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/** A property of a typed (built-in) schema: descend into the value. */
function walkField(w: Walk, f: OpenApiField, v: unknown, path: string): void {
  if (v === null || v === undefined) return;
  if (f.ref) return walkRef(w, f.ref, v, path);
  if (f.i && isArray(v)) v.forEach((x, i) => walkField(w, f.i!, x, `${path}[${i}]`));
  else if (f.m && isObject(v)) for (const k of Object.keys(v).sort()) walkField(w, f.m, v[k], pathKey(path, k));
}

/**
 * Go types that unmarshal themselves with the lenient decoder (apiextensions/v1 JSON and
 * JSONSchemaPropsOr{Array,Bool,StringArray}: a CRD schema's `items`, `additionalProperties`,
 * `default`…; meta/v1 FieldsV1): the strict decoder sees no fields inside them.
 */
const SELF_DECODING = new Set(['apiextensions.k8s.io/v1/JSON', 'apiextensions.k8s.io/v1/JSONSchemaPropsOrArray', 'apiextensions.k8s.io/v1/JSONSchemaPropsOrBool', 'apiextensions.k8s.io/v1/JSONSchemaPropsOrStringArray', 'apimachinery/apis/meta/v1/FieldsV1']);

function walkRef(w: Walk, ref: string, v: unknown, path: string): void {
  const s = w.doc.schemas[ref];
  // a schema with no properties (IntOrString, Quantity, Time, RawExtension) is taken whole
  if (!s?.p || !isObject(v) || SELF_DECODING.has(ref)) return;
  const props = s.p;
  const keys = Object.keys(v).sort();
  const unknown: UnknownField[] = [];
  for (const k of keys) {
    const f = props[k];
    if (!f) {
      const u = { path: pathKey(path, k), holder: v, key: k };
      if (w.order === 'decode') w.out.push(u);
      else unknown.push(u);
      continue;
    }
    walkField(w, f, v[k], pathKey(path, k));
  }
  w.out.push(...unknown);
}

/** Pruning against a CRD's structural schema (apiextensions-apiserver pkg/apiserver/schema/pruning). */
function walkSchema(w: Walk, s: JsonSchemaProps | undefined, v: unknown, path: string, root: boolean): void {
  if (!s || v === null || v === undefined || s['x-kubernetes-preserve-unknown-fields']) return;
  if (isArray(v)) {
    if (s.items) v.forEach((x, i) => walkSchema(w, s.items, x, `${path}[${i}]`, false));
    return;
  }
  if (!isObject(v)) return;
  const embedded = root || s['x-kubernetes-embedded-resource'];
  const unknown: UnknownField[] = [];
  for (const k of Object.keys(v).sort()) {
    if (embedded && (k === 'apiVersion' || k === 'kind')) continue;
    if (embedded && k === 'metadata') {
      walkRef(w, 'apimachinery/apis/meta/v1/ObjectMeta', v[k], pathKey(path, k));
      continue;
    }
    const p = s.properties?.[k];
    if (p) walkSchema(w, p, v[k], pathKey(path, k), false);
    else if (isObject(s.additionalProperties)) walkSchema(w, s.additionalProperties, v[k], pathKey(path, k), false);
    else if (s.additionalProperties === true) continue;
    else unknown.push({ path: pathKey(path, k), holder: v, key: k });
  }
  w.out.push(...unknown);
}

/** The CRD's schema for `version`, if the CRD carries one. */
export function crdSchema(crd: UncheckedObject | undefined, version: string): JsonSchemaProps | undefined {
  const spec: unknown = crd?.spec;
  const versions = isObject(spec) ? spec.versions : undefined;
  if (!isArray(versions)) return undefined;
  for (const ver of versions) {
    if (!isObject(ver) || ver.name !== version) continue;
    const schema = ver.schema;
    const props = isObject(schema) ? schema.openAPIV3Schema : undefined;
    return isObject(props) ? (props as JsonSchemaProps) : undefined;
  }
  return undefined;
}

/**
 * The unknown fields of `obj` (`spec.replica`, `spec.template.spec.containers[0].port`), or
 * undefined when its kind's schema is not known here (the schemas not loaded yet, or a
 * custom resource whose CRD carries no schema).
 */
export function unknownFields(obj: UncheckedObject, order: 'decode' | 'convert', crd?: UncheckedObject): UnknownField[] | undefined {
  const doc = openApi();
  if (!doc) return undefined;
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const slash = apiVersion.lastIndexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  const w: Walk = { doc, order, out: [] };
  const id = doc.kinds[`${group}/${version}/${String(obj.kind)}`];
  if (id) {
    walkRef(w, id, obj, '');
    return w.out;
  }
  if (!crd) return undefined;
  const schema = crdSchema(crd, version);
  if (!schema) return undefined;
  walkSchema(w, schema, obj, '', true);
  return w.out;
}

/** runtime.StrictDecodingError's text: `strict decoding error: unknown field "a", unknown field "b"`. */
export function strictDecodingError(fields: UnknownField[]): string {
  return `strict decoding error: ${fields.map((f) => `unknown field "${f.path}"`).join(', ')}`;
}

/** Drops the unknown fields, as decoding into the typed object (or pruning) drops them. */
export function pruneUnknown(fields: UnknownField[]): void {
  for (const f of fields) delete f.holder[f.key];
}
