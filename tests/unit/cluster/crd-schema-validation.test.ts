/**
 * A custom resource's required fields and enums by its CRD's schema, as
 * apiextensions-apiserver pkg/apiserver/validation/validation.go kubeOpenAPIResultToFieldErrors
 * reports them: field.Required on `path.key`, field.NotSupported with the allowed values
 * (strings bare, others as JSON); subtrees are checked through items and additionalProperties.
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
    expect(errors({ ports: [{ number: 1 }, {}] })).toEqual(['spec.host: Required value', 'spec.ports[1].number: Required value']);
  });

  it('enums: strings quoted, other values as JSON; map values too', () => {
    expect(errors({ host: 'h', mode: 'C', code: 303, byName: { x: 'maybe' } })).toEqual([
      'spec.byName.x: Unsupported value: "maybe": supported values: "on", "off"',
      'spec.code: Unsupported value: 303: supported values: "301", "302"',
      'spec.mode: Unsupported value: "C": supported values: "", "A", "B"',
    ]);
  });
});
