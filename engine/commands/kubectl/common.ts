/**
 * What every kubectl verb shares: the invocation context, resource-type resolution,
 * object naming (`deployment.apps/web`), manifest loading (-f FILE|DIR|-), and turning
 * errors into the text kubectl prints (k8s.io/kubectl/pkg/cmd/util/helpers.go checkErr,
 * StandardErrorMessage, MultilineError).
 */
import { parseAllDocuments } from 'yaml';
import { matchesRequirements, parseSelectorString, SelectorParseError, type Requirement } from '../../cluster/labels';
import type { ClusterRuntime } from '../../controllers/runtime';
import type { RunResult, HostRef } from '../../types';
import type { CommandContext } from '../../shell/command';
import { isArray, isObject, member, type KubeObject, type Manifest } from '../../cluster/types';
import type { KindStore } from '../../cluster/store';
import { RESOURCES, resourceFor, apiVersionOf, isServed, servesApiVersion, notSimulated, type ResourceInfo } from '../../cluster/resources';
import { deprecationWarning } from '../../cluster/deprecation';
import type { FieldValidation } from '../../cluster/validation/strict';
import { FlagError, flagString, parseFlags, type FlagDef, type ParsedFlags } from './flags';
import { remoteManifest } from './remote';

/** A kubectl invocation: the simulation, the flags, the namespace it works in. */
export interface Kctx {
  cluster: ClusterRuntime;
  /** The cluster's object store, read by kind (`k.store.get('Pod', …)` is a Pod). */
  store: KindStore;
  ctx: CommandContext;
  verb: string;
  flags: ParsedFlags;
  namespace: string;
  /** -n was given explicitly. */
  explicitNamespace: boolean;
  /**
   * What kubectl writes to stderr before its output, in order: its own early warnings and
   * the API server's warnings as responses arrive.
   */
  early: string;
  /** The server warnings written so far (rest.NewWarningWriter with Deduplicate: each once). */
  warnings: Set<string>;
}

export class KubectlError extends Error {
  /** `stdout`: what the command wrote before it failed (a template's partial output and its report). */
  constructor(readonly text: string, readonly code = 1, readonly stdout = '') {
    super(text);
  }
}

/** Result helpers. */
export function out(stdout: string, stderr = '', exitCode = 0): RunResult {
  return { stdout, stderr, exitCode };
}

export function errorResult(text: string, stdout = ''): RunResult {
  return { stdout, stderr: text.endsWith('\n') ? text : text + '\n', exitCode: 1 };
}

/** Parses a verb's flags; unknown flags end in kubectl's usage hint. */
export function parseVerbFlags(verbPath: string, args: string[], defs: FlagDef[]): ParsedFlags {
  try {
    return parseFlags(args, defs);
  } catch (e) {
    if (e instanceof FlagError) throw new KubectlError(`error: ${e.message}\nSee 'kubectl ${verbPath} --help' for usage.\n`);
    throw e;
  }
}

export function makeKctx(cluster: ClusterRuntime, ctx: CommandContext, verb: string, flags: ParsedFlags, defaultNamespace = 'default'): Kctx {
  const ns = flagString(flags, 'namespace');
  return { cluster: cluster, store: cluster.store, ctx, verb, flags, namespace: ns || defaultNamespace, explicitNamespace: !!ns, early: '', warnings: new Set() };
}

/**
 * A server warning through kubectl's warning writer (client-go rest/warnings.go
 * warningWriter: once per message; "Warning:" in bold yellow when stderr is a terminal).
 */
export function warn(k: Kctx, message: string): void {
  if (k.warnings.has(message)) return;
  k.warnings.add(message);
  k.early += k.ctx.interactive ? `\x1b[33;1mWarning:\x1b[0m ${message}\n` : `Warning: ${message}\n`;
}

/**
 * kubectl sent a request on `info` (get, list, watch, create, update, patch or delete):
 * the API server's warnings for that resource come back with the response
 * (cluster/deprecation.ts), whatever its status.
 */
export function apiRequest(k: Kctx, info: ResourceInfo): void {
  const w = deprecationWarning(info, k.cluster.settings.kubernetesVersion);
  if (w) warn(k, w);
}

/**
 * --validate as the request's fieldValidation (kubectl pkg/cmd/util/helpers.go
 * GetValidationDirective; the flag defaults to "strict", NoOptDefVal "strict"): a boolean
 * (true → Strict, false → Ignore), or strict, warn, ignore.
 */
export function validationDirective(k: Kctx): FieldValidation {
  const v = flagString(k.flags, 'validate') ?? 'strict';
  const b = parseGoBool(v);
  if (b !== undefined) return b ? 'Strict' : 'Ignore';
  if (v === 'strict') return 'Strict';
  if (v === 'warn') return 'Warn';
  if (v === 'ignore') return 'Ignore';
  throw new KubectlError(`error: invalid - validate option "${v}"; must be one of: strict (or true), warn, ignore (or false)`);
}

/** strconv.ParseBool. */
function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** The request options kubectl's create, replace and apply send: ?fieldValidation= and a sink for the server's warnings. */
export function writeOptions(k: Kctx): { fieldValidation: FieldValidation; onWarning: (message: string) => void } {
  return { fieldValidation: validationDirective(k), onWarning: (message) => warn(k, message) };
}

/**
 * --dry-run as cmdutil.GetDryRunStrategy reads it: a boolean (true: client, deprecated),
 * the flag's NoOptDefVal `unchanged` (client), client, server or none; else
 * `Invalid dry-run value (…)`.
 */
export function dryRunStrategy(k: Kctx): 'none' | 'client' | 'server' {
  const d = flagString(k.flags, 'dry-run');
  if (d === undefined) return 'none';
  const b = parseGoBool(d);
  if (b !== undefined) return b ? 'client' : 'none';
  if (d === 'unchanged' || d === '' || d === 'client') return 'client';
  if (d === 'server') return 'server';
  if (d === 'none') return 'none';
  throw new KubectlError(`error: Invalid dry-run value (${d}). Must be "none", "server", or "client".`);
}

/** The printer's operation suffix (cmdutil.PrintFlagsWithDryRunStrategy). */
export function dryRunText(strategy: 'none' | 'client' | 'server'): string {
  return strategy === 'server' ? ' (server dry run)' : strategy === 'client' ? ' (dry run)' : '';
}

/** --field-manager, or the verb's default manager name (cmdutil.AddFieldManagerFlagVar). */
export function fieldManager(k: Kctx, verbDefault: string): string {
  return flagString(k.flags, 'field-manager') || verbDefault;
}

// ---- errors -------------------------------------------------------------------------------

/**
 * An error shaped like metav1.Status (the API server's ApiError, or a copy of one):
 * a string reason and a numeric code; the rest is read field by field.
 */
interface StatusError extends Record<string, unknown> {
  reason: string;
  code: number;
}

function isStatusError(e: unknown): e is StatusError {
  return isObject(e) && typeof e.reason === 'string' && typeof e.code === 'number';
}

/** details.causes: the API server's StatusCause objects (field, message, reason). */
function causesOf(err: StatusError): unknown[] {
  const c = member(err.details, 'causes') ?? err.causes ?? member(member(err.status, 'details'), 'causes');
  return isArray(c) ? c : [];
}

/** checkErr for one error: what kubectl writes to stderr. */
export function errorText(err: unknown): string {
  if (err instanceof KubectlError) return err.text.endsWith('\n') ? err.text : err.text + '\n';
  const e = err;
  if (isStatusError(e)) {
    if (e.reason === 'Invalid') {
      const details = e.details ?? member(e.status, 'details');
      const kind = member(details, 'kind') ?? e.kind;
      const name = member(details, 'name') ?? e.objectName ?? e.name_;
      let s = 'The request is invalid';
      if (kind || name) s = `The ${kind ?? ''} "${name ?? ''}" is invalid`;
      const causes = causesOf(e);
      if (causes.length === 0) {
        if (kind || name) return `${s}\n`;
        return `Error from server (Invalid): ${e.message}\n`;
      }
      const msgs: unknown[] = [];
      for (const c of causes) {
        const field = member(c, 'field');
        const message = member(c, 'message');
        const m = field ? `${field}: ${message ?? ''}` : message ?? '';
        if (!msgs.includes(m)) msgs.push(m);
      }
      if (msgs.length === 1) return `${s}: ${msgs[0]}\n`;
      return `${s}: \n` + msgs.map((m) => `* ${m}\n`).join('');
    }
    if (e.reason === 'Unauthorized') return `error: You must be logged in to the server (${e.message})\n`;
    if (e.reason) return `Error from server (${e.reason}): ${e.message}\n`;
    return `Error from server: ${e.message}\n`;
  }
  const msg = (err as Error)?.message ?? String(err);
  return (msg.startsWith('error: ') ? msg : `error: ${msg}`) + '\n';
}

/** AddSourceToErr: prefix an API error's message with where the object came from. */
export function addSourceToErr(verb: string, source: string, err: unknown): unknown {
  if (source && isStatusError(err)) {
    const copy: StatusError = Object.assign(Object.create(Object.getPrototypeOf(err)), err);
    copy.message = `error when ${verb} "${source}": ${err.message}`;
    return copy;
  }
  return err;
}

export function isApiError(err: unknown, reason?: string): boolean {
  return isStatusError(err) && (!reason || err.reason === reason);
}

// ---- resource types -----------------------------------------------------------------------

/** `all` expands to these (kubectl's `all` category, in discovery order, for the kinds we serve). */
export const ALL_CATEGORY = ['Pod', 'Service', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'];

export function resolveType(name: string, store?: KindStore): ResourceInfo {
  // TYPE[.VERSION][.GROUP]: `deployments.v1.apps`, `pods.v1`
  const versioned = /^([^.]+)\.(v\d+(?:(?:alpha|beta)\d+)?)(?:\.(.+))?$/.exec(name);
  const info = resourceFor(name) ?? (versioned ? resourceFor(versioned[3] ? `${versioned[1]}.${versioned[3]}` : versioned[1]) : undefined);
  // a custom resource is discovered only while its CRD is installed
  const unsimulated = !info && store ? notSimulated(store, { name }) : undefined;
  if (unsimulated) throw new KubectlError(unsimulated);
  if (!info || (store && !isServed(info, store))) throw new KubectlError(`error: the server doesn't have a resource type "${name}"`);
  return info;
}

/** `deployment.apps`, `service`, `ingress.networking.k8s.io` — kubectl's kind prefix. */
export function kindPrefix(info: ResourceInfo): string {
  return info.group ? `${info.kind.toLowerCase()}.${info.group}` : info.kind.toLowerCase();
}

/** `deployments.apps`, `services` — the resource as the API server names it in errors. */
export function resourceName(info: ResourceInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

/**
 * A document kubectl built from the learner's input (a checked manifest, or a merge or
 * patch of the live object) as the object to PUT. ApiServer.update validates what it
 * receives (kind, name, every field) and answers as the real server does, so its shape is
 * the server's to check: this is where such a document becomes a KubeObject unchecked.
 */
export function toSubmit(doc: unknown): KubeObject {
  return doc as KubeObject;
}

export function objectRef(obj: KubeObject): string {
  const info = resourceFor(obj.kind);
  return info ? `${kindPrefix(info)}/${obj.metadata.name}` : `${obj.kind.toLowerCase()}/${obj.metadata.name}`;
}

export function infoOf(obj: KubeObject | Manifest): ResourceInfo | undefined {
  return resourceFor(String(obj.kind ?? ''));
}

export function namespaceOf(k: Kctx, info: ResourceInfo): string | undefined {
  return info.namespaced ? k.namespace : undefined;
}

export { RESOURCES, apiVersionOf };

// ---- files ----------------------------------------------------------------------------------

export function normalize(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return '/' + parts.join('/');
}

export function resolvePath(k: Kctx, path: string): string {
  if (path.startsWith('/')) return normalize(path);
  if (path === '~' || path.startsWith('~/')) return normalize('/home/learner/' + path.slice(1));
  return normalize(`${k.ctx.cwd}/${path}`);
}

interface FsLike {
  read(host: HostRef, path: string): string | undefined;
  isDir?(host: HostRef, path: string): boolean;
  list?(host: HostRef, dir: string): { path: string; name: string; type: string }[] | undefined;
}

export function readFile(k: Kctx, path: string): string | undefined {
  const fs: FsLike = k.cluster.fs;
  return fs.read(k.ctx.host, resolvePath(k, path));
}

/** One document read from -f: where it came from and what it holds. */
export interface SourcedManifest {
  source: string;
  manifest: Manifest;
}

/** What goYamlMessage reads from a yaml package error. */
interface YamlErrorInfo {
  linePos?: { line: number }[];
  message?: string;
  code?: string;
}

/** go-yaml's wording for the yaml package's errors (as sigs.k8s.io/yaml reports them). */
function goYamlMessage(e: YamlErrorInfo, text: string): string {
  const line: number = e.linePos?.[0]?.line ?? 1;
  const msg: string = e.message ?? '';
  const lines = text.split('\n');
  switch (e.code) {
    case 'BLOCK_AS_IMPLICIT_KEY': {
      const l = lines[line - 1] ?? '';
      const colons = (l.match(/:( |$)/g) ?? []).length;
      return `yaml: line ${colons >= 2 ? line : line + 1}: mapping values are not allowed in this context`;
    }
    case 'TAB_AS_INDENT':
    case 'BAD_SCALAR_START':
      return `yaml: line ${line}: found character that cannot start any token`;
    case 'MISSING_CHAR':
      if (/quote/.test(msg)) return `yaml: line ${Math.max(1, line - 1)}: found unexpected end of stream`;
      if (/Flow map/.test(msg)) return `yaml: line ${line}: did not find expected ',' or '}'`;
      if (/Flow sequence/.test(msg)) return `yaml: line ${line}: did not find expected ',' or ']'`;
      return `yaml: line ${line}: could not find expected ':'`;
    case 'MULTILINE_IMPLICIT_KEY':
      return `yaml: line ${line}: could not find expected ':'`;
    case 'BAD_INDENT':
      if (/Flow sequence/.test(msg)) return `yaml: line ${line}: did not find expected ',' or ']'`;
      if (/Flow map/.test(msg)) return `yaml: line ${line}: did not find expected ',' or '}'`;
      return `yaml: line ${line}: did not find expected key`;
    case 'BAD_ALIAS':
      return `yaml: unknown anchor '${/alias (\S+)/.exec(msg)?.[1] ?? ''}' referenced`;
    default:
      return `yaml: line ${line}: did not find expected key`;
  }
}

/**
 * Splits and decodes a multi-document YAML (or JSON) stream as kubectl's
 * YAMLOrJSONDecoder does; `List` objects expand to their items.
 */
export function decodeManifests(text: string, source: string): Manifest[] {
  const docs = parseAllDocuments(text, { uniqueKeys: false, merge: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const outList: Manifest[] = [];
  for (const d of list) {
    const errs = d.errors ?? [];
    if (errs.length > 0) {
      const start = d.range?.[0] ?? 0;
      const before = text.slice(0, start).split('\n').length - 1;
      const e = errs[0];
      const rel: YamlErrorInfo = { ...e, linePos: e.linePos ? [{ line: e.linePos[0].line - before }] : undefined, code: e.code, message: e.message };
      throw new KubectlError(`error: error parsing ${source}: error converting YAML to JSON: ${goYamlMessage(rel, text.split('\n').slice(before).join('\n'))}`);
    }
    const v: unknown = d.toJS({ maxAliasCount: 100 });
    if (v === null || v === undefined) continue;
    if (!isObject(v)) {
      throw new KubectlError(`error: error parsing ${source}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${isArray(v) ? 'array' : typeof v === 'string' ? 'string' : 'number'} into Go value of type map[string]interface {}`);
    }
    if (v.kind === 'List' || (typeof v.kind === 'string' && v.kind.endsWith('List') && isArray(v.items))) {
      for (const item of listItems(v.items)) outList.push(item);
    } else outList.push(v);
  }
  return outList;
}

/**
 * A List's items, handed on unchecked as kubectl's decoder does: each is used as a
 * manifest and checkManifest rejects what is not one. Items that cannot be iterated fail
 * here, as they always have (JavaScript's TypeError, printed as `error: …`).
 */
function listItems(items: unknown): Iterable<Manifest> {
  return (items ?? []) as Iterable<Manifest>;
}

const MANIFEST_EXT = /\.(ya?ml|json)$/;

/** Reads every -f argument: files, directories (their .yaml/.yml/.json files), `-` for stdin, a URL (remote.ts). */
export function loadManifests(k: Kctx, files: string[], recursive = false): SourcedManifest[] {
  const result: SourcedManifest[] = [];
  const fs: FsLike = k.cluster.fs;
  for (const f of files) {
    if (f === '-') {
      for (const m of decodeManifests(k.ctx.stdin, 'STDIN')) result.push({ source: 'STDIN', manifest: m });
      continue;
    }
    if (/^https?:\/\//.test(f)) {
      const text = remoteManifest(f);
      // real kubectl downloads the file (cli-runtime visitor.go readHttpWithRetries); the simulated workstation has no
      // Internet, so a URL netlab keeps no copy of is said to be out of reach rather than answered with an invented status
      if (text === undefined) throw new KubectlError(`netlab: kubectl cannot fetch "${f}" here: downloading from the Internet is not simulated. Save the manifest in a file and use -f FILE`);
      for (const m of decodeManifests(text, f)) result.push({ source: f, manifest: m });
      continue;
    }
    const abs = resolvePath(k, f);
    if (fs.isDir?.(k.ctx.host, abs)) {
      const walk = (dir: string, shown: string) => {
        for (const entry of fs.list?.(k.ctx.host, dir) ?? []) {
          const shownPath = shown.endsWith('/') ? shown + entry.name : `${shown}/${entry.name}`;
          if (entry.type === 'dir') {
            if (recursive) walk(entry.path, shownPath);
          } else if (MANIFEST_EXT.test(entry.name)) {
            const text = fs.read(k.ctx.host, entry.path) ?? '';
            for (const m of decodeManifests(text, shownPath)) result.push({ source: shownPath, manifest: m });
          }
        }
      };
      walk(abs, f);
      continue;
    }
    const text = fs.read(k.ctx.host, abs);
    if (text === undefined) throw new KubectlError(`error: the path "${f}" does not exist`);
    for (const m of decodeManifests(text, f)) result.push({ source: f, manifest: m });
  }
  if (result.length === 0) throw new KubectlError('error: no objects passed to ' + (k.verb === 'apply' ? 'apply' : k.verb));
  return result;
}

/** kubectl's client-side checks of a manifest before it is sent. */
export function checkManifest(k: Kctx, sm: SourcedManifest): ResourceInfo {
  const m = sm.manifest;
  if (!m.kind || !m.apiVersion) {
    const missing = !m.apiVersion && !m.kind ? 'apiVersion not set, kind not set' : !m.kind ? 'kind not set' : 'apiVersion not set';
    throw new KubectlError(`error: error validating "${sm.source}": error validating data: [${missing}]; if you choose to ignore these errors, turn validation off with --validate=false`.replace('[kind not set]', 'kind not set').replace('[apiVersion not set]', 'apiVersion not set'));
  }
  const info = resourceFor(String(m.kind));
  if (!info || !servesApiVersion(info, m.apiVersion) || info.kind !== m.kind || !isServed(info, k.store)) {
    const unsimulated = notSimulated(k.store, { apiVersion: m.apiVersion, kind: m.kind });
    if (unsimulated) throw new KubectlError(unsimulated);
    const name = (m.metadata?.name as string) ?? '';
    const ns = (m.metadata?.namespace as string) ?? '';
    throw new KubectlError(`error: resource mapping not found for name: "${name}" namespace: "${ns}" from "${sm.source}": no matches for kind "${m.kind}" in version "${m.apiVersion}"\nensure CRDs are installed first`);
  }
  if (!m.metadata?.name && !m.metadata?.generateName) {
    throw new KubectlError(`error: error when retrieving current configuration of:\nResource: "${resourceName(info)}", GroupVersionKind: "${gvk(info)}"\nName: "", Namespace: "${info.namespaced ? (m.metadata?.namespace as string) ?? k.namespace : ''}"\nfrom server for: "${sm.source}": resource name may not be empty`);
  }
  if (info.namespaced) {
    const objNs = m.metadata?.namespace as string | undefined;
    if (objNs && k.explicitNamespace && objNs !== k.namespace) {
      throw new KubectlError(`error: the namespace from the provided object "${objNs}" does not match the namespace "${k.namespace}". You must pass '--namespace=${objNs}' to perform this operation.`);
    }
  }
  return info;
}

function gvk(info: ResourceInfo): string {
  return `${info.group ? info.group + '/' : '/'}${info.version}, Kind=${info.kind}`;
}

// ---- label selectors (-l) ------------------------------------------------------------------

/** Parses a label selector as k8s.io/apimachinery/pkg/labels.Parse does. */
export function parseSelector(s: string): Requirement[] {
  try {
    return parseSelectorString(s);
  } catch (e) {
    if (e instanceof SelectorParseError) throw new KubectlError(`error: ${e.message}`);
    throw e;
  }
}

export function selectorMatches(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  return matchesRequirements(labels, reqs);
}

/** --field-selector: metadata.name, metadata.namespace, status.phase, spec.nodeName, … with =, ==, !=. */
export function parseFieldSelector(s: string, info: ResourceInfo): (o: KubeObject) => boolean {
  const tests: ((o: KubeObject) => boolean)[] = [];
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9.]+)\s*(==|!=|=)\s*(.*)$/.exec(part);
    if (!m) throw new KubectlError(`error: invalid selector: '${s}'; can't understand '${part}'`);
    const [, field, op, value] = m;
    const supported = ['metadata.name', 'metadata.namespace'];
    if (info.kind === 'Pod') supported.push('spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName');
    if (info.kind === 'Node') supported.push('spec.unschedulable');
    if (info.kind === 'Secret') supported.push('type');
    if (info.kind === 'Service') supported.push('spec.clusterIP', 'spec.type');
    if (info.kind === 'Namespace') supported.push('status.phase');
    if (info.kind === 'Event') {
      supported.push('involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type');
    }
    if (!supported.includes(field)) {
      throw new KubectlError(`Error from server (BadRequest): Unable to find "${info.group ? info.group + '/' : '/'}${info.version}, Resource=${info.plural}" that match label selector "", field selector "${s}": field label not supported: ${field}`);
    }
    const get = (o: KubeObject): string => {
      let v: unknown = o;
      for (const p of field.split('.')) v = member(v, p);
      if (field === 'spec.hostNetwork' || field === 'spec.unschedulable') return String(v === true);
      if (field === 'spec.type' && v === undefined) return 'ClusterIP';
      if (field === 'source') return String(member(member(o, 'source'), 'component') ?? '');
      return v === undefined || v === null ? '' : String(v);
    };
    tests.push(op === '!=' ? (o) => get(o) !== value : (o) => get(o) === value);
  }
  return (o) => tests.every((t) => t(o));
}

/** The kinds kubectl `get`/`delete` accept as TYPE arguments: `svc,ep`, `all`, `pods/web`. */
export function expandTypes(spec: string, store?: KindStore): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const t of spec.split(',')) {
    if (t === '') continue;
    if (t === 'all') {
      for (const kind of ALL_CATEGORY) out.push(resourceFor(kind)!);
      continue;
    }
    const info = resolveType(t, store);
    if (!out.includes(info)) out.push(info);
  }
  return out;
}

export function allResourceNames(): string[] {
  const names: string[] = [];
  for (const r of RESOURCES) names.push(r.plural, ...r.shortNames);
  return names;
}
