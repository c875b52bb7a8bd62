/**
 * A custom resource's value validation by its CRD's schema: apiextensions-apiserver
 * pkg/apiserver/validation ValidateCustomResource over kube-openapi's SchemaValidator
 * (pkg/validation/validate), whose results kubeOpenAPIResultToFieldErrors turns into field
 * errors:
 *  - required → field.Required on `path.key`; enum → field.NotSupported with the allowed
 *    values (strings bare, others as JSON);
 *  - a wrong type or format → field.TypeInvalid, `P in body must be of type T: "got"`
 *    (x-kubernetes-int-or-string is the type list `integer,string`);
 *  - maxLength → field.TooLong, maxItems → field.TooMany; pattern, minLength, minItems,
 *    minimum, maximum and multipleOf → field.Invalid with kube-openapi's message;
 *  - anyOf/oneOf/allOf/not → a field.Invalid on the nil path (`<nil>: Invalid value: ""`)
 *    saying which, followed by the errors of the branch that came nearest.
 *
 * Order at each node is the SchemaValidator's: type, anyOf/oneOf/allOf/not, string, format,
 * number, array (items first), enum, object (values of additionalProperties, properties,
 * then required). kube-openapi walks properties in Go map order (random); they are walked
 * sorted here. Not checked: uniqueItems, list-type/map-keys uniqueness, CEL rules
 * (x-kubernetes-validations: the Gateway API kinds, whose rules the simulation reads, have
 * their own checks in gateway.ts) and formats other than date-time, ipv4, ipv6 and cidr.
 * Nulls are pruned before validation, as the API server prunes them for non-nullable fields.
 */
import { fe, go, type FieldError } from '../fielderrors';
import { isArray, isObject } from '../types';
import type { UncheckedObject } from './common';
import { crdSchema, type JsonSchemaProps } from './strict';
import { isCIDR, isIP } from './names';

interface Validated extends JsonSchemaProps {
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
  maximum?: number;
  minimum?: number;
  exclusiveMaximum?: boolean;
  exclusiveMinimum?: boolean;
  multipleOf?: number;
  anyOf?: Validated[];
  oneOf?: Validated[];
  allOf?: Validated[];
  not?: Validated;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

const RULES = ['type', 'required', 'enum', 'pattern', 'format', 'maxLength', 'minLength', 'maxItems', 'minItems', 'maximum', 'minimum', 'multipleOf', 'anyOf', 'oneOf', 'allOf', 'not', 'x-kubernetes-int-or-string'] as const;

/** Whether any checked keyword sits anywhere under `s` (once per schema node): other subtrees are not walked. */
const bearsRule = new WeakMap<Validated, boolean>();
function hasRule(s: Validated): boolean {
  let b = bearsRule.get(s);
  if (b === undefined) {
    const under = [...Object.values(s.properties ?? {}), s.items, isObject(s.additionalProperties) ? s.additionalProperties : undefined];
    b = RULES.some((k) => s[k] !== undefined) || under.some((u) => !!u && hasRule(u as Validated));
    bearsRule.set(s, b);
  }
  return b;
}

/** The JSON type kube-openapi infers for a decoded value (schemaInfoForType). */
function jsonType(x: unknown): string {
  if (typeof x === 'string') return 'string';
  if (typeof x === 'boolean') return 'boolean';
  if (typeof x === 'number') return Number.isInteger(x) ? 'integer' : 'number';
  if (isArray(x)) return 'array';
  return 'object';
}

/** The string formats kube-openapi's registry knows and the bundled CRDs use (others pass). */
const FORMATS: Record<string, (s: string) => boolean> = {
  cidr: isCIDR,
  ipv4: (s) => s.includes('.') && isIP(s),
  ipv6: (s) => s.includes(':') && isIP(s),
  // strfmt.ParseDateTime: RFC 3339, fractional seconds optional
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
};

/** The Go regexp a pattern compiles to, when JavaScript reads it the same way (else the check is skipped). */
const patterns = new Map<string, RegExp | null>();
function compiled(p: string): RegExp | null {
  let re = patterns.get(p);
  if (re === undefined) {
    // Go's one-letter classes (\pL, \PC) are \p{L}, \P{C} in Unicode mode; a pattern JavaScript refuses is not checked
    try {
      re = new RegExp(p.replace(/\\([pP])([A-Z])/g, '\\$1{$2}'), 'u');
    } catch {
      re = null;
    }
    patterns.set(p, re);
  }
  return re;
}

/** `%v` of a float64 bound as Go prints it. */
const num = (n: number) => String(n);
const at = (path: string) => `${path} in body`;

function validate(x: unknown, s: Validated | undefined, path: string, errs: FieldError[]): void {
  if (!s || x === null || x === undefined || !hasRule(s)) return;
  const type = s['x-kubernetes-int-or-string'] ? ['integer', 'string'] : s.type ? [s.type] : [];
  const got = jsonType(x);
  const typeOk = !type.length || type.includes(got) || (got === 'integer' && type.includes('number'));
  if (!typeOk) {
    errs.push({ type: 'FieldValueTypeInvalid', field: path, value: go.str(got), detail: `${at(path)} must be of type ${type.join(',')}: ${go.str(got).text}` });
    enumCheck(x, s, path, errs);
    return;
  }
  combinators(x, s, path, errs);
  if (typeof x === 'string') {
    const len = [...x].length;
    const re = s.pattern !== undefined ? compiled(s.pattern) : null;
    if (s.maxLength !== undefined && len > s.maxLength) errs.push(fe.tooLong(path, s.maxLength));
    else if (s.minLength !== undefined && len < s.minLength) errs.push(fe.invalid(path, go.str(x), `${at(path)} should be at least ${s.minLength} chars long`));
    else if (re && !re.test(x)) errs.push(fe.invalid(path, go.str(x), `${at(path)} should match '${s.pattern}'`));
    const f = s.format ? FORMATS[s.format] : undefined;
    if (f && !f(x)) errs.push({ type: 'FieldValueTypeInvalid', field: path, value: go.str(x), detail: `${at(path)} must be of type ${s.format}: ${go.str(x).text}` });
  } else if (typeof x === 'number') {
    if (s.multipleOf !== undefined && s.multipleOf !== 0 && !Number.isInteger(x / s.multipleOf)) errs.push(fe.invalid(path, go.any(x), `${at(path)} should be a multiple of ${num(s.multipleOf)}`));
    if (s.minimum !== undefined && (s.exclusiveMinimum ? x <= s.minimum : x < s.minimum)) {
      errs.push(fe.invalid(path, go.any(x), `${at(path)} should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${num(s.minimum)}`));
    }
    if (s.maximum !== undefined && (s.exclusiveMaximum ? x >= s.maximum : x > s.maximum)) {
      errs.push(fe.invalid(path, go.any(x), `${at(path)} should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${num(s.maximum)}`));
    }
  } else if (isArray(x)) {
    x.forEach((v, i) => validate(v, s.items as Validated | undefined, `${path}[${i}]`, errs));
    if (s.minItems !== undefined && x.length < s.minItems) errs.push(fe.invalid(path, go.int(x.length), `${at(path)} should have at least ${s.minItems} items`));
    if (s.maxItems !== undefined && x.length > s.maxItems) errs.push(fe.tooMany(path, x.length, s.maxItems));
  }
  enumCheck(x, s, path, errs);
  if (isObject(x)) {
    const ap = isObject(s.additionalProperties) ? (s.additionalProperties as Validated) : undefined;
    const keys = Object.keys(x).sort();
    if (ap) for (const k of keys) if (!s.properties?.[k]) validate(x[k], ap, join(path, k), errs);
    for (const k of keys) validate(x[k], s.properties?.[k] as Validated | undefined, join(path, k), errs);
    for (const k of s.required ?? []) if (!(k in x) || x[k] === null) errs.push(fe.required(join(path, k)));
  }
}

function enumCheck(x: unknown, s: Validated, path: string, errs: FieldError[]): void {
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(x))) {
    errs.push(fe.notSupported(path, go.any(x), s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
}

/** A composite failure: not a *Validation, so the API server puts it on the nil path. */
const composite = (detail: string): FieldError => ({ type: 'FieldValueInvalid', field: '<nil>', value: go.str(''), detail });

/** Each branch validated on its own: its errors, fewest first among failures (kube-openapi keeps the branch with the most passing checks). */
function branches(x: unknown, list: Validated[], path: string): FieldError[][] {
  return list.map((b) => {
    const e: FieldError[] = [];
    validate(x, b, path, e);
    return e;
  });
}

function nearest(results: FieldError[][]): FieldError[] {
  return results.filter((r) => r.length).reduce((a, b) => (b.length < a.length ? b : a));
}

function combinators(x: unknown, s: Validated, path: string, errs: FieldError[]): void {
  const quoted = JSON.stringify(path);
  if (s.anyOf?.length) {
    const r = branches(x, s.anyOf, path);
    if (!r.some((e) => !e.length)) errs.push(composite(`${quoted} must validate at least one schema (anyOf)`), ...nearest(r));
  }
  if (s.oneOf?.length) {
    const r = branches(x, s.oneOf, path);
    const valid = r.filter((e) => !e.length).length;
    if (valid === 0) errs.push(composite(`${quoted} must validate one and only one schema (oneOf). Found none valid`), ...nearest(r));
    else if (valid > 1) errs.push(composite(`${quoted} must validate one and only one schema (oneOf). Found ${valid} valid alternatives`));
  }
  if (s.allOf?.length) {
    const r = branches(x, s.allOf, path);
    for (const e of r) errs.push(...e);
    const valid = r.filter((e) => !e.length).length;
    if (valid !== r.length) errs.push(composite(`${quoted} must validate all the schemas (allOf)${valid === 0 ? '. None validated' : ''}`));
  }
  if (s.not) {
    const e: FieldError[] = [];
    validate(x, s.not, path, e);
    if (!e.length) errs.push(composite(`${quoted} must not validate the schema (not)`));
  }
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
