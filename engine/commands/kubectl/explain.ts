/**
 * kubectl explain — k8s.io/kubectl/pkg/cmd/explain and the OpenAPI v3 explainer,
 * pkg/explain/v2: its plaintext.tmpl ported template by template (output, fieldList,
 * fieldDetail, description, typeGuess, extractEnum) over the API server's v3 schemas
 * (cluster/openapi), with the template's own helpers — `wrap` is kubectl's term word-wrap
 * writer (mitchellh/go-wordwrap), `indent` pads every line, `set` copies (so the cycle
 * history is per path), Go templates range over properties in sorted order.
 *
 * The schemas load on first use; until they have (the first explain in a browser tab) the
 * command waits for them as a stream.
 */
import type { CommandOutcome, RunResult, Streaming } from '../../types';
import { isServed, resourceFor, RESOURCES, type ResourceInfo } from '../../cluster/resources';
import { loadOpenApi, openApi, type OpenApiDocument, type OpenApiField } from '../../cluster/openapi';
import { isArray, isObject, member } from '../../cluster/types';
import { flagBool, flagString, type FlagDef } from './flags';
import { errorText, KubectlError, type Kctx } from './common';

export const EXPLAIN_FLAGS: FlagDef[] = [
  { long: 'recursive', type: 'bool' },
  { long: 'api-version', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
];

/** A schema as the v3 document spells it: a field with a reference is `allOf: [{$ref}]` beside its description. */
interface V3 {
  description?: string;
  type?: string;
  enum?: string[];
  items?: V3;
  /** A CRD schema may say `additionalProperties: true` (or false): the template skips a bool (`not (eq "bool" (printf "%T" …))`). */
  additionalProperties?: V3 | boolean;
  allOf?: V3[];
  $ref?: string;
  properties?: Record<string, V3>;
  required?: string[];
}

function fieldV3(f: OpenApiField, withDescription: boolean): V3 {
  const out: V3 = {};
  if (withDescription && f.d) out.description = f.d;
  if (f.ref) {
    out.allOf = [{ $ref: f.ref }];
    return out;
  }
  if (f.t) out.type = f.t;
  if (f.e) out.enum = f.e;
  if (f.i) out.items = fieldV3(f.i, false);
  if (f.m) out.additionalProperties = fieldV3(f.m, false);
  return out;
}

class Explainer {
  private cache = new Map<string, V3>();

  constructor(private doc: OpenApiDocument) {}

  /** resolveRef: the named schema, or undefined. */
  resolveRef(ref: string | undefined): V3 | undefined {
    if (!ref) return undefined;
    const hit = this.cache.get(ref);
    if (hit) return hit;
    const s = this.doc.schemas[ref];
    if (!s) return undefined;
    const v: V3 = {};
    if (s.d) v.description = s.d;
    if (s.t) v.type = s.t;
    else if (s.p) v.type = 'object';
    if (s.p) v.properties = Object.fromEntries(Object.entries(s.p).map(([k, f]) => [k, fieldV3(f, true)]));
    if (s.r) v.required = s.r;
    this.cache.set(ref, v);
    return v;
  }

  name(ref: string): string {
    return this.doc.schemas[ref]?.n || 'Object';
  }

  typeGuess(s: V3): string {
    if (s.items) return '[]' + this.typeGuess(s.items);
    if (mapOf(s)) return 'map[string]' + this.typeGuess(mapOf(s)!);
    if (s.allOf && !s.properties && s.allOf.length === 1) return this.typeGuess(s.allOf[0]);
    if (s.$ref) {
      const ref = this.resolveRef(s.$ref);
      if (!ref || !ref.type || ref.type === 'object') return this.name(s.$ref);
      return ref.type;
    }
    return s.type === 'object' || !s.type ? 'Object' : s.type;
  }

  description(s: V3): string {
    const r = this.resolveRef(s.$ref) ?? s;
    let out = r.description ? r.description + '\n' : '';
    for (const a of r.allOf ?? []) out += this.description(a);
    if (r.items) out += this.description(r.items);
    if (mapOf(r)) out += this.description(mapOf(r)!);
    return out;
  }

  extractEnum(s: V3, long: boolean, limit: number, indentAmount: number): string {
    if (!s.enum || s.enum.length === 0) return '';
    let out = long ? 'ENUM:' : '\n' + ' '.repeat(indentAmount) + 'enum: ';
    for (let i = 0; i < s.enum.length; i++) {
      if (limit > -1 && i >= limit) {
        out += ', ....';
        break;
      }
      if (i > 0 && !long) out += ', ';
      else if (long) out += '\n    ';
      out += s.enum[i] === '' ? '""' : s.enum[i];
    }
    return out;
  }

  fieldDetail(name: string, schema: V3, short: boolean, level: number): string {
    const indentAmount = level * 2;
    const f = schema.properties![name];
    let out = ' '.repeat(indentAmount) + name + '\t<' + this.typeGuess(f) + '>';
    if (schema.required?.includes(name)) out += ' -required-';
    out += this.extractEnum(f, false, 4, indentAmount) + '\n';
    if (!short) out += indent(indentAmount + 2, wordWrap(f.description || '<no description>', 78 - indentAmount)) + '\n\n';
    return out;
  }

  fieldList(s: V3, level: number, recursive: boolean, history: Set<string>): string {
    const ref = s.$ref ?? '';
    if (ref && history.has(ref)) return '';
    const next = new Set(history).add(ref);
    const r = this.resolveRef(ref) ?? s;
    let out = '';
    for (const k of Object.keys(r.properties ?? {}).sort(byteOrder)) {
      out += this.fieldDetail(k, r, recursive, level);
      if (recursive) out += this.fieldList(r.properties![k], level + 1, recursive, next);
    }
    for (const a of r.allOf ?? []) out += this.fieldList(a, level, recursive, next);
    if (r.items) out += this.fieldList(r.items, level, recursive, next);
    if (mapOf(r)) out += this.fieldList(mapOf(r)!, level, recursive, next);
    return out;
  }

  output(s: V3, history: Set<string>, path: string[], recursive: boolean): string {
    const ref = s.$ref ?? '';
    const next = new Set(history).add(ref);
    const r = this.resolveRef(ref) ?? s;
    if (path.length === 0) {
      let out = 'DESCRIPTION:\n' + indent(4, wordWrap(this.description(r) || '<empty>', 76)) + '\n';
      const fields = this.fieldList(r, 1, recursive, new Set());
      if (fields) out += 'FIELDS:\n' + fields;
      return out;
    }
    if (ref && history.has(ref)) return '';
    const sub = r.properties?.[path[0]];
    if (sub) {
      let out = '';
      if (path.length === 1) out += `FIELD: ${path[0]} <${this.typeGuess(sub)}>\n` + this.extractEnum(sub, true, -1, 0) + '\n\n';
      return out + this.output(sub, new Set(), path.slice(1), recursive);
    }
    if (r.items) return this.output(r.items, next, path, recursive);
    if (mapOf(r)) return this.output(mapOf(r)!, next, path, recursive);
    for (const a of r.allOf ?? []) {
      const o = this.output(a, next, path, recursive);
      if (o) return o;
    }
    return '';
  }
}

/** additionalProperties when it is a schema, not a bool. */
const mapOf = (s: V3): V3 | undefined => (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The template's `indent`: every line, the empty one after a final newline too. */
function indent(n: number, s: string): string {
  const pad = ' '.repeat(n);
  return pad + s.split('\n').join('\n' + pad);
}

/**
 * github.com/mitchellh/go-wordwrap v1.0.1 WrapString, which kubectl's term.NewWordWrapWriter
 * uses: breaks at whitespace before a word would pass `lim` runes, keeps the text's own
 * newlines, never splits a word longer than the limit.
 */
export function wordWrap(s: string, lim: number): string {
  let buf = '';
  let current = 0;
  let word = '';
  let wordLen = 0;
  let space = '';
  let spaceLen = 0;
  for (const ch of s) {
    if (ch === '\n') {
      if (wordLen === 0) {
        if (current + spaceLen > lim) current = 0;
        else {
          current += spaceLen;
          buf += space;
        }
        space = '';
        spaceLen = 0;
      } else {
        current += spaceLen + wordLen;
        buf += space + word;
        space = '';
        spaceLen = 0;
        word = '';
        wordLen = 0;
      }
      buf += ch;
      current = 0;
    } else if (/\s/u.test(ch) && ch !== '\u00a0') {
      if (spaceLen === 0 || wordLen > 0) {
        current += spaceLen + wordLen;
        buf += space + word;
        space = '';
        spaceLen = 0;
        word = '';
        wordLen = 0;
      }
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (current + spaceLen + wordLen > lim && wordLen < lim) {
        buf += '\n';
        current = 0;
        space = '';
        spaceLen = 0;
      }
    }
  }
  if (wordLen === 0) {
    if (current + spaceLen <= lim) buf += space;
  } else buf += space + word;
  return buf;
}

/** The kind a resource argument (and --api-version) names. */
function kindFor(k: Kctx, type: string): { info: ResourceInfo; version: string } {
  const info = resourceFor(type);
  if (!info || !isServed(info, k.store)) throw new KubectlError(`error: the server doesn't have a resource type "${type}"`);
  const apiVersion = flagString(k.flags, 'api-version');
  if (apiVersion === undefined) return { info, version: info.version };
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const match = RESOURCES.find((r) => r.kind === info.kind && r.group === group && (r.version === version || r.alsoServed?.includes(version)));
  // PrintModelDescription: no /openapi/v3 path for that group/version
  if (!match) throw new KubectlError(`error: couldn't find resource for "${group}/${version}, Resource=${info.plural}"`);
  return { info: match, version };
}

/** The plaintext template's result for `type.field.path`, or the error it throws. */
export function explainText(doc: OpenApiDocument, info: ResourceInfo, version: string, path: string[], recursive: boolean, crd?: unknown): string {
  const id = doc.kinds[`${info.group}/${version}/${info.kind}`];
  let root: V3 | undefined = id ? { $ref: id } : undefined;
  if (!root && info.crd) {
    // a custom resource's schema is its CRD's openAPIV3Schema as the apiextensions-apiserver
    // publishes it (controller/openapi/builder: apiVersion and kind with the standard
    // descriptions, metadata an ObjectMeta reference)
    const schema = crdSchemaOf(crd, version);
    if (!schema) throw new KubectlError(`error: the OpenAPI schema of ${info.crd} (${info.group}/${version}) is not modeled by this simulated cluster`);
    root = publishedCrdSchema(doc, schema);
  }
  if (!root) throw new KubectlError(`error: GVR (${info.group}/${version}, Resource=${info.plural}) not found in OpenAPI schema`);
  let out = info.group ? `GROUP:      ${info.group}\n` : '';
  out += `KIND:       ${info.kind}\nVERSION:    ${version}\n\n`;
  const body = new Explainer(doc).output(root, new Set(), path, recursive);
  if (!body) throw new KubectlError(`error: field "${path[path.length - 1]}" does not exist`);
  return out + body + '\n';
}

/** The CRD's `spec.versions[name=version].schema.openAPIV3Schema`, if it carries one. */
function crdSchemaOf(crd: unknown, version: string): V3 | undefined {
  const versions = member(member(crd, 'spec'), 'versions');
  if (!isArray(versions)) return undefined;
  const v = versions.find((x) => member(x, 'name') === version);
  const schema = member(member(v, 'schema'), 'openAPIV3Schema');
  return isObject(schema) ? (schema as V3) : undefined;
}

function publishedCrdSchema(doc: OpenApiDocument, schema: V3): V3 {
  const out: V3 = structuredClone(schema);
  // the standard fields' descriptions, as every built-in kind has them
  const standard = doc.schemas['apps/v1/Deployment']?.p ?? {};
  const props = (out.properties = { ...(out.properties ?? {}) });
  for (const f of ['apiVersion', 'kind'] as const) if (standard[f]) props[f] = fieldV3(standard[f], true);
  props.metadata = { description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata", allOf: [{ $ref: 'apimachinery/apis/meta/v1/ObjectMeta' }] };
  if (!out.type) out.type = 'object';
  return out;
}

export function runExplain(k: Kctx): CommandOutcome {
  const args = k.flags.positional;
  if (args.length === 0) throw new KubectlError('error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n');
  if (args.length > 1) throw new KubectlError('error: We accept only this format: explain RESOURCE\n');
  const output = flagString(k.flags, 'output') ?? 'plaintext';
  // SplitAndParseResourceRequest: the resource, then the field path
  const [type, ...path] = args[0].split('.');
  const { info, version } = kindFor(k, type);
  // generator.Render: plaintext is the one template (plaintext-openapiv2 is the older explainer, rendered the same here)
  if (output !== 'plaintext' && output !== 'plaintext-openapiv2') throw new KubectlError(`error: unrecognized format: ${output}`);
  const recursive = flagBool(k.flags, 'recursive');
  const answer = (doc: OpenApiDocument): RunResult => {
    try {
      const crd = info.crd ? k.store.get('CustomResourceDefinition', undefined, info.crd) : undefined;
      return { stdout: explainText(doc, info, version, path, recursive, crd), stderr: '', exitCode: 0 };
    } catch (e) {
      return { stdout: '', stderr: errorText(e), exitCode: e instanceof KubectlError ? e.code : 1 };
    }
  };
  const doc = openApi();
  if (doc) return answer(doc);
  void loadOpenApi();
  // kubectl's GET /openapi/v3/...: the answer comes when the schemas have loaded
  const waiting: Streaming = {
    streaming: true,
    stdout: '',
    stderr: '',
    intervalMs: 50,
    step() {
      const d = openApi();
      if (!d) return {};
      const r = answer(d);
      return { ...r, done: true };
    },
    interrupt: () => ({ exitCode: 130 }),
  };
  return waiting;
}
