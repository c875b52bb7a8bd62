/**
 * A custom resource's value validation by its CRD's schema, the part the simulation checks:
 * required properties and enums (apiextensions-apiserver pkg/apiserver/validation
 * ValidateCustomResource over kube-openapi's SchemaValidator; kubeOpenAPIResultToFieldErrors
 * turns RequiredFailCode into field.Required on `path.key` and EnumFailCode into
 * field.NotSupported with the allowed values, strings bare and others as JSON). Patterns,
 * bounds, types and CEL rules (x-kubernetes-validations) are not checked here; the Gateway
 * API kinds, whose rules the simulation reads, have their own checks (gateway.ts).
 */
import { fe, go, type FieldError } from '../fielderrors';
import { isArray, isObject } from '../types';
import type { UncheckedObject } from './common';
import { crdSchema, type JsonSchemaProps } from './strict';

interface Validated extends JsonSchemaProps {
  required?: string[];
  enum?: unknown[];
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Whether a required list or an enum sits anywhere under `s` (once per schema node): other subtrees are not walked. */
const bearsRule = new WeakMap<Validated, boolean>();
function hasRule(s: Validated): boolean {
  let b = bearsRule.get(s);
  if (b === undefined) {
    const under = [...Object.values(s.properties ?? {}), s.items, isObject(s.additionalProperties) ? s.additionalProperties : undefined];
    b = !!s.required?.length || !!s.enum || under.some((u) => !!u && hasRule(u as Validated));
    bearsRule.set(s, b);
  }
  return b;
}

function validate(x: unknown, s: Validated | undefined, path: string, errs: FieldError[]): void {
  if (!s || x === null || x === undefined || !hasRule(s)) return;
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(x))) {
    errs.push(fe.notSupported(path, go.any(x), s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
  if (isObject(x)) {
    for (const k of s.required ?? []) if (!(k in x)) errs.push(fe.required(join(path, k)));
    const ap = isObject(s.additionalProperties) ? (s.additionalProperties as Validated) : undefined;
    for (const k of Object.keys(x).sort()) {
      const p = s.properties?.[k] as Validated | undefined;
      if (p) validate(x[k], p, join(path, k), errs);
      else if (ap) validate(x[k], ap, join(path, k), errs);
    }
  } else if (isArray(x)) x.forEach((v, i) => validate(v, s.items as Validated | undefined, `${path}[${i}]`, errs));
}

const roots = new WeakMap<Validated, Validated>();

/** The schema's errors for the object's version (none when the CRD carries no schema for it). */
export function validateCustomResource(obj: UncheckedObject, crd: UncheckedObject | undefined, errs: FieldError[]): void {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const schema = crdSchema(crd, apiVersion.slice(apiVersion.lastIndexOf('/') + 1)) as Validated | undefined;
  if (!schema) return;
  // metadata is the ObjectMeta the API server validates itself (its schema here: none)
  let root = roots.get(schema);
  if (!root) roots.set(schema, (root = { ...schema, required: schema.required?.filter((k) => k !== 'metadata'), properties: { ...schema.properties, metadata: {} } }));
  validate(obj, root, '', errs);
}
