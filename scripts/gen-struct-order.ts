/**
 * Generates engine/cluster/openapi/struct-order.json: the order in which the API server's
 * JSON serializer writes each served kind's fields — the Go struct order of the k8s.io/api
 * types (encoding/json writes a struct's fields in declaration order, an embedded
 * `json:",inline"` struct's fields in its place, and a map's keys sorted).
 *
 * The OpenAPI schemas (schemas.json) cannot give this: the published spec lists properties
 * alphabetically. So this reads the Go types themselves:
 *   k8s.io/api v0.34.2                      core/v1, apps/v1, coordination/v1, discovery/v1, networking/v1, rbac/v1
 *   k8s.io/apimachinery v0.34.2             pkg/apis/meta/v1 (TypeMeta, ObjectMeta, ListMeta, LabelSelector…)
 *   k8s.io/apiextensions-apiserver v0.34.2  pkg/apis/apiextensions/v1 (CustomResourceDefinition)
 *
 * Each struct becomes a list of its JSON fields in order; a field's type is a reference to
 * another struct (`T`), a slice of one (`[T`), a map whose values are one (`{T`), raw JSON
 * kept as written (`*`: FieldsV1, apiextensions JSON, RawExtension), or a scalar (nothing:
 * strings, numbers, Time, Quantity, IntOrString — their MarshalJSON writes a scalar).
 * apiextensions' JSONSchemaPropsOr{Bool,Array,StringArray} marshal their schema (marshal.go),
 * so they refer to JSONSchemaProps with `?`: an object is that struct, an array its items.
 *
 * Usage (the repositories at tag v0.34.2, unpacked anywhere):
 *   git -C api archive v0.34.2 | tar x -C /tmp/api   (likewise apimachinery, apiextensions-apiserver)
 *   npx tsx scripts/gen-struct-order.ts /tmp/api /tmp/apimachinery /tmp/apiextensions-apiserver
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RESOURCES } from '../engine/cluster/resources';

const [apiDir, machineryDir, extDir] = process.argv.slice(2);
if (!apiDir || !machineryDir || !extDir) {
  console.error('usage: tsx scripts/gen-struct-order.ts K8S_API_DIR APIMACHINERY_DIR APIEXTENSIONS_APISERVER_DIR');
  process.exit(2);
}

/** Go import path → our package id. */
const PACKAGES: Record<string, { id: string; dir: string }> = {
  'k8s.io/api/core/v1': { id: 'core/v1', dir: join(apiDir, 'core/v1') },
  'k8s.io/api/apps/v1': { id: 'apps/v1', dir: join(apiDir, 'apps/v1') },
  'k8s.io/api/coordination/v1': { id: 'coordination/v1', dir: join(apiDir, 'coordination/v1') },
  'k8s.io/api/discovery/v1': { id: 'discovery/v1', dir: join(apiDir, 'discovery/v1') },
  'k8s.io/api/networking/v1': { id: 'networking/v1', dir: join(apiDir, 'networking/v1') },
  'k8s.io/api/rbac/v1': { id: 'rbac/v1', dir: join(apiDir, 'rbac/v1') },
  'k8s.io/apimachinery/pkg/apis/meta/v1': { id: 'meta/v1', dir: join(machineryDir, 'pkg/apis/meta/v1') },
  'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1': { id: 'apiextensions/v1', dir: join(extDir, 'pkg/apis/apiextensions/v1') },
};

/** Types whose MarshalJSON writes something other than their struct. */
const SCALAR_PACKAGES = new Set(['k8s.io/apimachinery/pkg/api/resource', 'k8s.io/apimachinery/pkg/util/intstr', 'k8s.io/apimachinery/pkg/types']);
const RAW = new Set(['meta/v1.FieldsV1', 'apiextensions/v1.JSON', 'runtime.RawExtension']);
const SCHEMA_OR = new Set(['apiextensions/v1.JSONSchemaPropsOrBool', 'apiextensions/v1.JSONSchemaPropsOrArray', 'apiextensions/v1.JSONSchemaPropsOrStringArray']);
const SCALAR = new Set(['meta/v1.Time', 'meta/v1.MicroTime', 'meta/v1.Duration', 'meta/v1.GroupVersion']);

interface GoField {
  /** JSON name; undefined for an inlined embedded struct */
  json?: string;
  type: string;
}
type GoType = { struct: GoField[] } | { alias: string };

/** pkg id → type name → definition; pkg id → import alias → pkg id */
const types = new Map<string, Map<string, GoType>>();
const imports = new Map<string, Map<string, string>>();

function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

function parsePackage(importPath: string): void {
  const { id, dir } = PACKAGES[importPath];
  const defs = new Map<string, GoType>();
  const aliases = new Map<string, string>();
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.go') || f.endsWith('_test.go') || f.startsWith('zz_generated') || f.startsWith('generated')) continue;
    const src = stripComments(readFileSync(join(dir, f), 'utf8'));
    for (const m of src.matchAll(/^\s*(?:(\w+)\s+)?"([^"]+)"\s*$/gm)) {
      const path = m[2];
      const alias = m[1] ?? path.split('/').pop()!;
      const target = PACKAGES[path]?.id ?? (SCALAR_PACKAGES.has(path) ? '#scalar' : path === 'k8s.io/apimachinery/pkg/runtime' ? 'runtime' : undefined);
      if (target) aliases.set(alias, target);
    }
    for (const m of src.matchAll(/^type\s+(\w+)\s+struct\s*\{\}/gm)) defs.set(m[1], { struct: [] });
    for (const m of src.matchAll(/^type\s+(\w+)\s+struct\s*\{[ \t]*\n([\s\S]*?)^\}/gm)) {
      const fields: GoField[] = [];
      for (const line of m[2].split('\n')) {
        const t = line.trim();
        if (!t) continue;
        const tag = /`([^`]*)`/.exec(t)?.[1] ?? '';
        const jsonTag = /json:"([^"]*)"/.exec(tag)?.[1];
        const decl = t.replace(/`[^`]*`/, '').trim();
        const parts = decl.split(/\s+/);
        if (jsonTag === '-') continue;
        const name = jsonTag?.split(',')[0];
        if (parts.length === 1) {
          // an embedded struct: inlined unless its tag names it
          fields.push(name ? { json: name, type: parts[0] } : { type: parts[0] });
        } else {
          if (!/^[A-Z]/.test(parts[0])) continue; // unexported: encoding/json skips it
          fields.push({ json: name || parts[0], type: parts.slice(1).join('') });
        }
      }
      defs.set(m[1], { struct: fields });
    }
    for (const m of src.matchAll(/^type\s+(\w+)\s+([^\s{][^\n]*)$/gm)) {
      if (!defs.has(m[1]) && !/^struct|^interface/.test(m[2])) defs.set(m[1], { alias: m[2].trim() });
    }
    // type ( A string; B int ) groups
    for (const g of src.matchAll(/^type\s*\(([\s\S]*?)^\)/gm)) {
      for (const line of g[1].split('\n')) {
        const mm = /^\s*(\w+)\s+(\S.*)$/.exec(line);
        if (mm && !defs.has(mm[1])) defs.set(mm[1], { alias: mm[2].trim() });
      }
    }
  }
  types.set(id, defs);
  imports.set(id, aliases);
}

for (const p of Object.keys(PACKAGES)) parsePackage(p);

/** The JSON shape of a Go type expression in package `pkg`: a struct id, `[X`, `{X`, `*`, `?X`, or '' for a scalar. */
function shape(expr: string, pkg: string): string {
  let e = expr.replace(/^\*/, '');
  if (e === '[]byte') return '';
  if (e.startsWith('[]')) {
    const inner = shape(e.slice(2), pkg);
    return inner ? '[' + inner : '';
  }
  if (e.startsWith('map[')) {
    let depth = 0;
    let i = 3;
    for (; i < e.length; i++) {
      if (e[i] === '[') depth++;
      else if (e[i] === ']' && --depth === 0) break;
    }
    const inner = shape(e.slice(i + 1), pkg);
    return inner ? '{' + inner : '';
  }
  let target = pkg;
  if (e.includes('.')) {
    const [alias, name] = e.split('.');
    const p = imports.get(pkg)?.get(alias);
    if (!p || p === '#scalar') return '';
    if (p === 'runtime') return name === 'RawExtension' ? '*' : '';
    target = p;
    e = name;
  }
  const id = `${target}.${e}`;
  if (RAW.has(id)) return '*';
  if (SCALAR.has(id)) return '';
  if (SCHEMA_OR.has(id)) return '?apiextensions/v1.JSONSchemaProps';
  const def = types.get(target)?.get(e);
  if (!def) return '';
  if ('alias' in def) return shape(def.alias, target);
  return id;
}

const out: Record<string, [string, string?][]> = {};

function fieldsOf(id: string): [string, string?][] {
  const [pkg, name] = [id.slice(0, id.lastIndexOf('.')), id.slice(id.lastIndexOf('.') + 1)];
  const def = types.get(pkg)?.get(name);
  if (!def || !('struct' in def)) throw new Error(`no struct ${id}`);
  const list: [string, string?][] = [];
  for (const f of def.struct) {
    const s = shape(f.type, pkg);
    if (f.json === undefined) {
      if (!s || /^[[{*?]/.test(s)) throw new Error(`inline non-struct in ${id}: ${f.type}`);
      list.push(...fieldsOf(s));
    } else list.push(s ? [f.json, s] : [f.json]);
  }
  return list;
}

function visit(id: string): void {
  if (out[id]) return;
  const fields = fieldsOf(id);
  out[id] = fields;
  for (const [, s] of fields) {
    const ref = s?.replace(/^[[{?]+/, '');
    if (ref && ref !== '*') visit(ref);
  }
}

const kinds: Record<string, string> = {};
const GROUP_PKG: Record<string, string> = {
  '': 'core/v1',
  apps: 'apps/v1',
  'coordination.k8s.io': 'coordination/v1',
  'discovery.k8s.io': 'discovery/v1',
  'networking.k8s.io': 'networking/v1',
  'rbac.authorization.k8s.io': 'rbac/v1',
  'apiextensions.k8s.io': 'apiextensions/v1',
};
for (const r of RESOURCES) {
  if (r.crd) continue;
  const pkg = GROUP_PKG[r.group];
  if (!pkg) throw new Error(`no package for ${r.group}`);
  const id = `${pkg}.${r.kind}`;
  visit(id);
  kinds[r.group ? `${r.group}/${r.version}/${r.kind}` : `${r.version}/${r.kind}`] = id;
}
visit('meta/v1.ListMeta');
visit('meta/v1.Status');

const file = resolve(import.meta.dirname, '../engine/cluster/openapi/struct-order.json');
const doc = { source: 'k8s.io/api, k8s.io/apimachinery, k8s.io/apiextensions-apiserver v0.34.2 (Go struct field order)', kinds, types: out };
writeFileSync(file, JSON.stringify(doc) + '\n');
console.log(`${Object.keys(out).length} types, ${JSON.stringify(doc).length} bytes → ${file}`);
