/**
 * Generates engine/cluster/openapi/schemas.json: the OpenAPI v3 schemas of the kinds the
 * simulated API server serves, as `kubectl explain` reads them from /openapi/v3.
 *
 * Source: the kubernetes-models npm package (5.1.0, generated from the Kubernetes v1.34
 * OpenAPI v3 spec) and @kubernetes-models/apimachinery (3.0.2). Their .d.ts files carry
 * each schema's description (JSDoc), every property's type (string, integer, boolean,
 * arrays, maps, references) and enum values, and which properties are required. The
 * generator walks from each served kind through every referenced schema and writes a
 * compact JSON (descriptions verbatim). Nothing in it is written by hand.
 *
 * Usage (the packages are not dependencies of the project; unpack them anywhere):
 *   npm pack kubernetes-models@5.1.0 @kubernetes-models/apimachinery@3.0.2
 *   mkdir km am && tar xzf kubernetes-models-5.1.0.tgz -C km && tar xzf kubernetes-models-apimachinery-3.0.2.tgz -C am
 *   npx tsx scripts/gen-openapi-schemas.ts km/package am/package
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { RESOURCES } from '../engine/cluster/resources';

const [modelsDir, apimachineryDir] = process.argv.slice(2);
if (!modelsDir || !apimachineryDir) {
  console.error('usage: tsx scripts/gen-openapi-schemas.ts KUBERNETES_MODELS_DIR APIMACHINERY_DIR');
  process.exit(2);
}

/** A property's schema, compact: d description, t type, ref a schema id, i items, m additionalProperties, e enum. */
interface Field {
  d?: string;
  t?: string;
  ref?: string;
  i?: Field;
  m?: Field;
  e?: string[];
}

/** A named schema: n its name (the last part of its OpenAPI id), d description, t its type when it is not an object, p properties, r required. */
interface Schema {
  n: string;
  d?: string;
  t?: string;
  p?: Record<string, Field>;
  r?: string[];
}

const schemas: Record<string, Schema> = {};
const parsed = new Map<string, ts.SourceFile>();

function source(path: string): ts.SourceFile {
  let sf = parsed.get(path);
  if (!sf) {
    sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    parsed.set(path, sf);
  }
  return sf;
}

/** The JSDoc text before a node, its ` * ` prefixes removed and the generator's escapes (\* and \\) undone. */
function docOf(node: ts.Node, sf: ts.SourceFile): string | undefined {
  const ranges = ts.getLeadingCommentRanges(sf.text, node.getFullStart()) ?? [];
  const jsdoc = ranges.filter((r) => sf.text.slice(r.pos, r.pos + 3) === '/**').pop();
  if (!jsdoc) return undefined;
  const body = sf.text.slice(jsdoc.pos + 3, jsdoc.end - 2);
  const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.join('\n').replace(/\\([\\*])/g, '$1');
}

/** Where an imported name's module lives. */
function modulePath(spec: string, from: string): string {
  const am = '@kubernetes-models/apimachinery/';
  const base = spec.startsWith(am) ? join(apimachineryDir, spec.slice(am.length)) : resolve(dirname(from), spec);
  return base.replace(/\.js$/, '') + '.d.ts';
}

/** The id a schema gets: the file path below its package, e.g. `core/v1/PodSpec`, `meta/v1/ObjectMeta`. */
function idOf(path: string): string {
  const rel = path.startsWith(resolve(apimachineryDir)) ? 'apimachinery/' + path.slice(resolve(apimachineryDir).length + 1) : path.slice(resolve(modelsDir).length + 1);
  return rel.replace(/\.d\.ts$/, '').replace(/^v1\//, 'core/v1/');
}

function imports(sf: ts.SourceFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !st.importClause?.namedBindings || !ts.isNamedImports(st.importClause.namedBindings)) continue;
    const spec = (st.moduleSpecifier as ts.StringLiteral).text;
    for (const el of st.importClause.namedBindings.elements) out.set(el.name.text, modulePath(spec, sf.fileName));
  }
  return out;
}

function fieldOf(type: ts.TypeNode, sf: ts.SourceFile, imp: Map<string, string>): Field {
  if (type.kind === ts.SyntaxKind.StringKeyword) return { t: 'string' };
  if (type.kind === ts.SyntaxKind.NumberKeyword) return { t: 'integer' };
  if (type.kind === ts.SyntaxKind.BooleanKeyword) return { t: 'boolean' };
  if (type.kind === ts.SyntaxKind.AnyKeyword || type.kind === ts.SyntaxKind.ObjectKeyword || type.kind === ts.SyntaxKind.UnknownKeyword) return { t: 'object' };
  if (ts.isLiteralTypeNode(type)) return { t: 'string' };
  if (ts.isUnionTypeNode(type)) {
    const lits = type.types.filter((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)).map((t) => ((t as ts.LiteralTypeNode).literal as ts.StringLiteral).text);
    if (lits.length === type.types.length) return { t: 'string', e: lits };
    const rest = type.types.filter((t) => t.kind !== ts.SyntaxKind.NullKeyword && !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
    if (rest.length === 1) return fieldOf(rest[0], sf, imp);
    // a value of several types (JSONSchemaPropsOrBool, …): the spec gives it no single type
    return {};
  }
  if (ts.isArrayTypeNode(type)) return { t: 'array', i: fieldOf(type.elementType, sf, imp) };
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText(sf);
    if (name === 'Array' && type.typeArguments?.length === 1) return { t: 'array', i: fieldOf(type.typeArguments[0], sf, imp) };
    if (name === 'Record' && type.typeArguments?.length === 2) return { t: 'object', m: fieldOf(type.typeArguments[1], sf, imp) };
    const own = sf.fileName.split('/').pop()!.replace(/\.d\.ts$/, '');
    const path = name === `I${own}` ? sf.fileName : imp.get(name);
    if (!path) throw new Error(`${sf.fileName}: unresolved type ${name}`);
    return { ref: schemaAt(path) };
  }
  if (ts.isTypeLiteralNode(type)) {
    const index = type.members.find(ts.isIndexSignatureDeclaration);
    if (index?.type) return { t: 'object', m: fieldOf(index.type, sf, imp) };
    return { t: 'object' };
  }
  if (ts.isParenthesizedTypeNode(type)) return fieldOf(type.type, sf, imp);
  throw new Error(`${sf.fileName}: unsupported type ${type.getText(sf)}`);
}

/** Reads the schema a .d.ts file defines (its first interface, or its type alias) and returns its id. */
function schemaAt(path: string): string {
  const id = idOf(path);
  if (schemas[id]) return id;
  const sf = source(path);
  const name = path.split('/').pop()!.replace(/\.d\.ts$/, '');
  const schema: Schema = { n: name };
  schemas[id] = schema;
  const imp = imports(sf);
  const iface = sf.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === `I${name}`);
  if (iface) {
    const d = docOf(iface, sf);
    if (d) schema.d = d;
    const p: Record<string, Field> = {};
    const required: string[] = [];
    // TypeMeta (apiVersion, kind) is a base of the kinds' interfaces; their literal types carry no description
    for (const m of iface.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const key = ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(sf);
      const f = fieldOf(m.type, sf, imp);
      const fd = docOf(m, sf);
      if (fd) f.d = fd;
      p[key] = f;
      if (!m.questionToken) required.push(key);
    }
    schema.p = p;
    if (required.length) schema.r = required;
    return id;
  }
  const alias = sf.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === `I${name}`);
  if (!alias) throw new Error(`${path}: no I${name}`);
  const d = docOf(alias, sf);
  if (d) schema.d = d;
  // an alias of one primitive is that type (Time: string); a union (IntOrString, Quantity) has none
  const f = ts.isUnionTypeNode(alias.type) ? {} : fieldOf(alias.type, sf, imp);
  if (f.t && f.t !== 'object') schema.t = f.t;
  else if (f.t === 'object' && !f.m) schema.p = {};
  return id;
}

/** TypeMeta's two fields, as the API documents them (metav1 Status carries them as ordinary properties). */
function typeMeta(): Record<string, Field> {
  const status = schemas[schemaAt(join(resolve(apimachineryDir), 'apis/meta/v1/Status.d.ts'))];
  return { apiVersion: { ...status.p!.apiVersion }, kind: { ...status.p!.kind } };
}

const kinds: Record<string, string> = {};
for (const r of RESOURCES) {
  if (r.crd) continue;
  const dir = r.group ? `${r.group}/${r.version}` : r.version;
  const id = schemaAt(resolve(modelsDir, dir, `${r.kind}.d.ts`));
  kinds[`${r.group}/${r.version}/${r.kind}`] = id;
}
const tm = typeMeta();
for (const id of Object.values(kinds)) {
  const s = schemas[id];
  s.p = { ...s.p, apiVersion: tm.apiVersion, kind: tm.kind };
  s.r = (s.r ?? []).filter((k) => k !== 'apiVersion' && k !== 'kind');
  if (s.r.length === 0) delete s.r;
}
// only what the served kinds reach
const reached = new Set<string>();
const visit = (id: string) => {
  if (reached.has(id)) return;
  reached.add(id);
  const walk = (f: Field) => {
    if (f.ref) visit(f.ref);
    if (f.i) walk(f.i);
    if (f.m) walk(f.m);
  };
  for (const f of Object.values(schemas[id].p ?? {})) walk(f);
};
Object.values(kinds).forEach(visit);
const out = { source: 'kubernetes-models 5.1.0 + @kubernetes-models/apimachinery 3.0.2 (Kubernetes v1.34 OpenAPI v3)', kinds, schemas: Object.fromEntries([...reached].sort().map((id) => [id, schemas[id]])) };
const target = resolve(dirname(new URL(import.meta.url).pathname), '../engine/cluster/openapi/schemas.json');
writeFileSync(target, JSON.stringify(out) + '\n');
console.log(`${reached.size} schemas, ${Object.keys(kinds).length} kinds, ${JSON.stringify(out).length} bytes → ${target}`);
