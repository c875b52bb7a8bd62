/**
 * A custom resource's defaults from its CRD's structural schema, as
 * apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go Default applies them:
 * a missing property (or a null one the schema does not mark nullable) takes a copy of its
 * default, then present values — defaults just set included — are defaulted in turn,
 * through array items and additionalProperties.
 */
import { describe, expect, it } from 'vitest';
import { defaultCustomResource } from '../../../engine/cluster/validation/crddefaults';
import type { UncheckedObject } from '../../../engine/cluster/validation/common';

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        mode: { type: 'string', default: 'Same' },
        keep: { type: 'string', nullable: true, default: 'x' },
        nested: { type: 'object', default: {}, properties: { inner: { type: 'integer', default: 7 } } },
        list: { type: 'array', items: { type: 'object', properties: { weight: { type: 'integer', default: 1 } } } },
        byName: { type: 'object', additionalProperties: { type: 'object', properties: { on: { type: 'boolean', default: true } } } },
      },
    },
  },
};
const crd = { spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: schema } }] } } as unknown as UncheckedObject;

function defaulted(spec: Record<string, unknown>): unknown {
  const obj = { apiVersion: 'example.io/v1', kind: 'Thing', metadata: { name: 't' }, spec } as unknown as UncheckedObject;
  defaultCustomResource(obj, crd);
  return obj.spec;
}

describe('CRD schema defaulting (defaulting/algorithm.go)', () => {
  it('missing fields take their default; a default object is defaulted in turn', () => {
    expect(defaulted({})).toEqual({ mode: 'Same', keep: 'x', nested: { inner: 7 } });
  });

  it('null takes the default unless the schema is nullable', () => {
    expect(defaulted({ mode: null, keep: null })).toEqual({ mode: 'Same', keep: null, nested: { inner: 7 } });
  });

  it('array items and additionalProperties values are defaulted; set values stay', () => {
    expect(defaulted({ mode: 'All', list: [{}, { weight: 5 }], byName: { a: {}, b: { on: false } } })).toEqual({
      mode: 'All',
      keep: 'x',
      nested: { inner: 7 },
      list: [{ weight: 1 }, { weight: 5 }],
      byName: { a: { on: true }, b: { on: false } },
    });
  });

  it('each default is a copy', () => {
    const a = defaulted({}) as { nested: object };
    const b = defaulted({}) as { nested: object };
    expect(a.nested).not.toBe(b.nested);
    expect(schema.properties.spec.properties.nested.default).toEqual({});
  });

  it('a version without a schema, or another version, is left alone', () => {
    const obj = { apiVersion: 'example.io/v2', kind: 'Thing', metadata: { name: 't' }, spec: {} } as unknown as UncheckedObject;
    defaultCustomResource(obj, crd);
    expect(obj.spec).toEqual({});
  });
});
