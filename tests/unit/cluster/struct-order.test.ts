/**
 * The API server's field order, checked against the upstream serializer's own bytes:
 * k8s.io/api v0.34.2 testdata/HEAD/<group>.<version>.<Kind>.json (and apiextensions-apiserver's
 * pkg/apis/testdata/HEAD) are every field of each kind filled in and written by the real
 * JSON serializer (the roundtrip compatibility tests, api/testdata/README.md). Scrambling
 * each file's key order and putting it back through serverOrder must give the file again.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverOrder, sortedDeep, structOf } from '../../../engine/cluster/openapi/struct-order';

const DIR = join(__dirname, 'api-testdata');

/** Every level's keys reversed: an order the serializer never writes. */
function scrambled(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(scrambled);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).reverse()) out[k] = scrambled((v as Record<string, unknown>)[k]);
  return out;
}

describe('struct order', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
    it(`writes ${file} as the upstream serializer does`, () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const obj = JSON.parse(text) as Record<string, unknown>;
      expect(structOf(String(obj.apiVersion), String(obj.kind))).toBeDefined();
      // encoding/json escapes <, > and & in strings (HTMLEscape); JSON.stringify does not
      const written = JSON.stringify(serverOrder(scrambled(obj) as Record<string, unknown>), null, 2).replace(/[<>&]/g, (c) => '\\u00' + c.charCodeAt(0).toString(16));
      expect(written).toBe(text.trimEnd());
    });
  }

  it('sorts a custom resource at every level, as unstructured maps are written', () => {
    const cr = { kind: 'IPPool', apiVersion: 'crd.projectcalico.org/v1', metadata: { name: 'p', labels: { z: '1', a: '2' } }, spec: { natOutgoing: true, cidr: '10.244.0.0/16' } };
    expect(structOf(cr.apiVersion, cr.kind)).toBeUndefined();
    expect(JSON.stringify(serverOrder(cr))).toBe(JSON.stringify(sortedDeep(cr)));
    expect(JSON.stringify(serverOrder(cr))).toBe('{"apiVersion":"crd.projectcalico.org/v1","kind":"IPPool","metadata":{"labels":{"a":"2","z":"1"},"name":"p"},"spec":{"cidr":"10.244.0.0/16","natOutgoing":true}}');
  });
});
