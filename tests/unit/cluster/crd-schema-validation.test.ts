/**
 * A custom resource's value validation by its CRD's schema, as kube-openapi
 * pkg/validation/validate finds the faults and apiextensions-apiserver
 * pkg/apiserver/validation/validation.go kubeOpenAPIResultToFieldErrors reports them:
 * field.Required on `path.key`, field.NotSupported with the allowed values (strings bare,
 * others as JSON), field.TypeInvalid for types and formats, TooLong/TooMany for maxLength and
 * maxItems, field.Invalid with kube-openapi's message for the rest, and composite (anyOf,
 * oneOf, allOf, not) faults on the nil path. Messages: kube-openapi pkg/validation/errors/schema.go
 * and validate/schema_messages.go. Within an object, properties are checked before required.
 */
import { describe, expect, it } from 'vitest';
import { errorText } from '../../../engine/cluster/fielderrors';
import { validateCustomResource } from '../../../engine/cluster/validation/crdschema';
import type { FieldError } from '../../../engine/cluster/fielderrors';
import type { UncheckedObject } from '../../../engine/cluster/validation/common';

const schema = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      required: ['host'],
      properties: {
        host: { type: 'string' },
        mode: { type: 'string', enum: ['', 'A', 'B'] },
        code: { type: 'integer', enum: [301, 302] },
        ports: { type: 'array', items: { type: 'object', required: ['number'], properties: { number: { type: 'integer' } } } },
        byName: { type: 'object', additionalProperties: { type: 'string', enum: ['on', 'off'] } },
      },
    },
  },
};
const crd = { spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: schema } }] } } as unknown as UncheckedObject;

function errors(spec: unknown): string[] {
  const obj = { apiVersion: 'example.io/v1', kind: 'Thing', metadata: { name: 't' }, ...(spec === undefined ? {} : { spec }) } as unknown as UncheckedObject;
  const errs: FieldError[] = [];
  validateCustomResource(obj, crd, errs);
  return errs.map(errorText);
}

describe('CRD schema validation: required fields and enums', () => {
  it('a valid object has no errors', () => {
    expect(errors({ host: 'web', mode: '', code: 302, ports: [{ number: 80 }], byName: { a: 'on' } })).toEqual([]);
  });

  it('required fields at the root, in objects and in array items', () => {
    expect(errors(undefined)).toEqual(['spec: Required value']);
    expect(errors({ ports: [{ number: 1 }, {}] })).toEqual(['spec.ports[1].number: Required value', 'spec.host: Required value']);
  });

  it('enums: strings quoted, other values as JSON; map values too', () => {
    expect(errors({ host: 'h', mode: 'C', code: 303, byName: { x: 'maybe' } })).toEqual([
      'spec.byName.x: Unsupported value: "maybe": supported values: "on", "off"',
      'spec.code: Unsupported value: 303: supported values: "301", "302"',
      'spec.mode: Unsupported value: "C": supported values: "", "A", "B"',
    ]);
  });
});

const rules = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 5, pattern: '^[a-z]+$' },
        short: { type: 'string', minLength: 2 },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        ratio: { type: 'number', exclusiveMinimum: true, minimum: 0, multipleOf: 0.5 },
        target: { 'x-kubernetes-int-or-string': true },
        cidr: { type: 'string', format: 'cidr' },
        when: { type: 'string', format: 'date-time' },
        list: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' } },
        label: { type: 'string', pattern: '^\\PC*$' },
        pick: {
          type: 'object',
          oneOf: [{ properties: { a: {} }, required: ['a'] }, { properties: { b: {} }, required: ['b'] }],
          anyOf: [{ properties: { x: {} }, required: ['x'] }, { properties: { y: {} }, required: ['y'] }],
          properties: { a: { type: 'string' }, b: { type: 'string' }, x: { type: 'string' }, y: { type: 'string' } },
        },
      },
    },
  },
};
const rulesCrd = { spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: rules } }] } } as unknown as UncheckedObject;

function faults(spec: unknown): string[] {
  const obj = { apiVersion: 'example.io/v1', kind: 'Thing', metadata: { name: 't' }, spec } as unknown as UncheckedObject;
  const errs: FieldError[] = [];
  validateCustomResource(obj, rulesCrd, errs);
  return errs.map(errorText);
}

describe('CRD schema validation: types, strings, numbers, arrays, formats and combinators', () => {
  it('a valid object has no errors', () => {
    expect(faults({ name: 'web', short: 'ab', port: 80, ratio: 1.5, target: 'http', cidr: '10.0.0.0/8', when: '2025-01-10T06:00:00Z', list: ['a'], label: 'ok', pick: { a: '1', x: '2' } })).toEqual([]);
    expect(faults({ target: 8080 })).toEqual([]);
  });

  it('a wrong type is TypeInvalid with the JSON type found; int-or-string lists both', () => {
    expect(faults({ name: 5, port: '80', ratio: 2, target: true, list: 'a' })).toEqual([
      'spec.list: Invalid value: "string": spec.list in body must be of type array: "string"',
      'spec.name: Invalid value: "integer": spec.name in body must be of type string: "integer"',
      'spec.port: Invalid value: "string": spec.port in body must be of type integer: "string"',
      'spec.target: Invalid value: "boolean": spec.target in body must be of type integer,string: "boolean"',
    ]);
  });

  it('strings: maxLength is TooLong and stops the checks; minLength and pattern are Invalid', () => {
    expect(faults({ name: 'abcdefgh', short: 'a' })).toEqual([
      'spec.name: Too long: may not be more than 5 bytes',
      'spec.short: Invalid value: "a": spec.short in body should be at least 2 chars long',
    ]);
    expect(faults({ name: 'AB', label: 'bell\u0007' })).toEqual([
      'spec.label: Invalid value: "bell\\a": spec.label in body should match \'^\\PC*$\'',
      "spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'",
    ]);
  });

  it('numbers: multipleOf, minimum (exclusive), maximum', () => {
    expect(faults({ port: 70000, ratio: 0 })).toEqual([
      'spec.port: Invalid value: 70000: spec.port in body should be less than or equal to 65535',
      'spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0',
    ]);
    expect(faults({ port: 0, ratio: 0.7 })).toEqual([
      'spec.port: Invalid value: 0: spec.port in body should be greater than or equal to 1',
      'spec.ratio: Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5',
    ]);
  });

  it('arrays: items first, then minItems (Invalid) and maxItems (TooMany)', () => {
    expect(faults({ list: [] })).toEqual(['spec.list: Invalid value: 0: spec.list in body should have at least 1 items']);
    expect(faults({ list: ['a', 1, 'c'] })).toEqual([
      'spec.list[1]: Invalid value: "integer": spec.list[1] in body must be of type string: "integer"',
      'spec.list: Too many: 3: must have at most 2 items',
    ]);
  });

  it('formats the registry knows: cidr and date-time', () => {
    expect(faults({ cidr: '10.0.0.0/33', when: 'yesterday' })).toEqual([
      'spec.cidr: Invalid value: "10.0.0.0/33": spec.cidr in body must be of type cidr: "10.0.0.0/33"',
      'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
    ]);
  });

  it('anyOf and oneOf: the composite fault on the nil path, then the nearest branch\'s errors', () => {
    expect(faults({ pick: { a: '1' } })).toEqual(['<nil>: Invalid value: "": "spec.pick" must validate at least one schema (anyOf)', 'spec.pick.x: Required value']);
    expect(faults({ pick: { x: '1' } })).toEqual(['<nil>: Invalid value: "": "spec.pick" must validate one and only one schema (oneOf). Found none valid', 'spec.pick.a: Required value']);
    expect(faults({ pick: { a: '1', b: '2', y: '3' } })).toEqual(['<nil>: Invalid value: "": "spec.pick" must validate one and only one schema (oneOf). Found 2 valid alternatives']);
  });
});
