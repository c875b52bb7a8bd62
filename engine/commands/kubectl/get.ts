/**
 * kubectl get — k8s.io/kubectl/pkg/cmd/get/get.go: types and names, -n/-A, -l,
 * --field-selector, -o wide|yaml|json|name|jsonpath|custom-columns, --show-labels, -L,
 * --no-headers, --sort-by, -w, groups of kinds separated by blank lines, and
 * "No resources found in <ns> namespace." on stderr.
 */
import type { KindStore } from '../../cluster/store';
import type { CommandOutcome, Streaming } from '../../types';
import { runRaw } from './raw';
import { forbidden } from './impersonate';
import { member, type KubeObject, type Manifest } from '../../cluster/types';
import type { ResourceInfo } from '../../cluster/resources';
import { resourceFor } from '../../cluster/resources';
import { notFound } from '../../cluster/api';
import {
  asList,
  columnWidths,
  compileJsonPath,
  CustomColumnsError,
  evalJsonPathValues,
  JsonPathError,
  goSharpV,
  parseCustomColumns,
  printCustomColumns,
  printJson,
  printYaml,
  relaxedJsonPath,
  compactJson,
  rowsToText,
  tableRows,
  tabwrite,
  TABLE_OPTS,
  type TableOptions,
} from '../../printers/kubectl';
import { flagBool, flagString, flagStrings, type FlagDef } from './flags';
import {
  apiRequest,
  errorText,
  expandTypes,
  KubectlError,
  kindPrefix,
  loadManifests,
  readFile,
  parseFieldSelector,
  parseSelector,
  resolveType,
  selectorMatches,
  type Kctx,
} from './common';
import type { GeneratedObject } from './util';
import { getComponentStatus, listComponentStatuses } from './componentstatus';
import { compileGoTemplate, GoTemplateError, GoTemplateExecError, goQuote, goTemplateDataString, type CompiledGoTemplate } from '../../printers/kubectl/gotemplate';

export const GET_FLAGS: FlagDef[] = [
  { long: 'output', short: 'o', type: 'string' },
  { long: 'all-namespaces', short: 'A', type: 'bool' },
  { long: 'selector', short: 'l', type: 'string' },
  { long: 'field-selector', type: 'string' },
  { long: 'show-labels', type: 'bool' },
  { long: 'label-columns', short: 'L', type: 'strings' },
  { long: 'no-headers', type: 'bool' },
  { long: 'sort-by', type: 'string' },
  { long: 'watch', short: 'w', type: 'bool' },
  { long: 'watch-only', type: 'bool' },
  { long: 'show-kind', type: 'bool' },
  { long: 'ignore-not-found', type: 'bool' },
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'recursive', short: 'R', type: 'bool' },
  { long: 'chunk-size', type: 'int' },
  { long: 'show-managed-fields', type: 'bool' },
  { long: 'output-watch-events', type: 'bool' },
  { long: 'allow-missing-template-keys', type: 'bool' },
  { long: 'template', type: 'string' },
  { long: 'raw', type: 'string' },
  { long: 'subresource', type: 'string' },
];

/** One requested (kind, name?) or a whole kind. */
interface Request {
  info: ResourceInfo;
  names?: string[];
}

export interface Selection {
  requests: Request[];
  /** Several kinds were asked for (`svc,ep`, `all`, `a/x b/y`): names print as kind/name. */
  multipleTypes: boolean;
  /** Exactly one object was named: -o yaml prints it bare, not in a List. */
  singleItem: boolean;
}

/** Parses TYPE[,TYPE] [NAME…] | TYPE/NAME… (cli-runtime's ResourceTypeOrNameArgs). */
export function parseSelection(args: string[], verb: string, store?: KindStore): Selection {
  const slashes = args.filter((a) => a.includes('/')).length;
  if (slashes > 0 && slashes !== args.length) {
    // cli-runtime builder.go: the example always says `get`, whatever the verb
    throw new KubectlError("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'");
  }
  if (slashes > 0) {
    const requests: Request[] = [];
    for (const a of args) {
      const idx = a.indexOf('/');
      const type = a.slice(0, idx);
      const name = a.slice(idx + 1);
      if (!name) throw new KubectlError(`error: arguments in resource/name form must have a single resource and name`);
      const info = resolveType(type, store);
      const last = requests[requests.length - 1];
      if (last && last.info === info) last.names!.push(name);
      else requests.push({ info, names: [name] });
    }
    const kinds = new Set(requests.map((r) => r.info.kind));
    return { requests, multipleTypes: kinds.size > 1, singleItem: args.length === 1 };
  }
  const [types, ...names] = args;
  if (types.includes(',') && names.length > 0) {
    const infos = expandTypes(types, store);
    return { requests: infos.map((info) => ({ info, names })), multipleTypes: true, singleItem: false };
  }
  const infos = expandTypes(types, store);
  const multipleTypes = types === 'all' || infos.length > 1;
  if (names.length > 0) return { requests: infos.map((info) => ({ info, names })), multipleTypes, singleItem: names.length === 1 && infos.length === 1 };
  return { requests: infos.map((info) => ({ info })), multipleTypes, singleItem: false };
}

interface Fetched {
  objs: { info: ResourceInfo; obj: KubeObject }[];
  errors: string[];
}

/** Fetches what a selection names, in request order, applying -l and --field-selector. */
export function fetchSelection(k: Kctx, sel: Selection, opts: { allNamespaces: boolean; selector?: string; fieldSelector?: string }): Fetched {
  const reqs = opts.selector !== undefined ? parseSelector(opts.selector) : undefined;
  const out: Fetched = { objs: [], errors: [] };
  for (const r of sel.requests) {
    apiRequest(k, r.info);
    const fsel = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector, r.info) : undefined;
    const ns = r.info.namespaced ? (opts.allNamespaces && !r.names ? undefined : k.namespace) : undefined;
    if (r.names) {
      for (const name of r.names) {
        // the API server authorizes before it looks
        const denied = forbidden(k, r.info, 'get', name, ns ?? '');
        if (denied) {
          out.errors.push(errorText(denied));
          continue;
        }
        let obj: KubeObject | undefined;
        try {
          obj = r.info.kind === 'ComponentStatus' ? getComponentStatus(k, name) : k.store.get(r.info.kind, ns, name);
        } catch (e) {
          out.errors.push(errorText(e));
          continue;
        }
        if (!obj) {
          out.errors.push(errorText(notFound(r.info, name)));
          continue;
        }
        if (reqs && !selectorMatches(reqs, obj.metadata.labels)) continue;
        if (fsel && !fsel(obj)) continue;
        out.objs.push({ info: r.info, obj });
      }
    } else {
      const denied = forbidden(k, r.info, 'list', '', ns ?? '');
      if (denied) {
        out.errors.push(errorText(denied));
        continue;
      }
      for (const obj of r.info.kind === 'ComponentStatus' ? listComponentStatuses(k) : k.store.list(r.info.kind, ns)) {
        if (reqs && !selectorMatches(reqs, obj.metadata.labels)) continue;
        if (fsel && !fsel(obj)) continue;
        out.objs.push({ info: r.info, obj });
      }
    }
  }
  return out;
}

/** fvbommel/sortorder.NaturalLess (kubectl's sorter for strings): digit runs compare as numbers. */
export function naturalLess(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  while (i < a.length && j < b.length) {
    if (digit(a[i]) && digit(b[j])) {
      let ei = i;
      while (digit(a[ei])) ei++;
      let ej = j;
      while (digit(b[ej])) ej++;
      const na = a.slice(i, ei).replace(/^0+(?=\d)/, '');
      const nb = b.slice(j, ej).replace(/^0+(?=\d)/, '');
      if (na.length !== nb.length) return na.length < nb.length;
      if (na !== nb) return na < nb;
      if (ei - i !== ej - j) return ei - i < ej - j;
      i = ei;
      j = ej;
      continue;
    }
    if (a[i] !== b[j]) return a[i] < b[j];
    i++;
    j++;
  }
  return a.length - i < b.length - j;
}

function sortByValue(objs: { info: ResourceInfo; obj: KubeObject }[], sortBy: string, table: boolean): void {
  const path = relaxedJsonPath(sortBy);
  try {
    compileJsonPath(path);
  } catch (e) {
    throw new KubectlError(`error: ${(e as Error).message}`);
  }
  const keyed = objs.map((o, i) => ({ o, i, v: evalJsonPathValues(path, o.obj)[0] }));
  // sorter.go: a path no object has is an error (SortObjects: more than one object; NewTableSorter:
  // a table's rows, one table per resource type, even of one row)
  const missing = () => new KubectlError(`error: couldn't find any field with path "${path}" in the list of objects`);
  if (table) {
    for (const info of new Set(objs.map((o) => o.info))) if (!keyed.some((x) => x.o.info === info && x.v !== undefined)) throw missing();
  } else if (objs.length > 1 && keyed.every((x) => x.v === undefined)) throw missing();
  keyed.sort((a, b) => {
    const x = a.v;
    const y = b.v;
    if (x === undefined && y === undefined) return a.i - b.i;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y || a.i - b.i;
    const xs = typeof x === 'object' ? JSON.stringify(x) : String(x);
    const ys = typeof y === 'object' ? JSON.stringify(y) : String(y);
    return naturalLess(xs, ys) ? -1 : naturalLess(ys, xs) ? 1 : a.i - b.i;
  });
  objs.splice(0, objs.length, ...keyed.map((x) => x.o));
}

type OutputMode =
  | { t: 'table'; wide: boolean }
  | { t: 'yaml' }
  | { t: 'json' }
  | { t: 'name' }
  | { t: 'jsonpath'; template: string; asJson: boolean }
  | { t: 'go-template'; template: string; compiled: CompiledGoTemplate }
  | { t: 'custom-columns'; spec: string };

/** --template and a way to read -o go-template-file's file, where the verb has them. */
export interface TemplateSource {
  template?: string;
  readFile?(path: string): string | undefined;
}

/**
 * The go-template printer (cli-runtime genericclioptions/template_flags.go ToPrinter):
 * `-o go-template=T`, `-o template=T`, `-o go-template-file=F`, `-o templatefile=F`, or the
 * format alone with --template; "error reading --template F, …" and "error parsing template
 * T, …" as it words them.
 */
function goTemplateMode(kind: string, arg: string, src: TemplateSource): OutputMode {
  let value = src.template || arg;
  if (!value) throw new KubectlError('error: template format specified but no template given');
  if (kind === 'go-template-file' || kind === 'templatefile') {
    const text = src.readFile?.(value);
    if (text === undefined) throw new KubectlError(`error: error reading --template ${value}, open ${value}: no such file or directory`);
    value = text;
  }
  try {
    return { t: 'go-template', template: value, compiled: compileGoTemplate(value) };
  } catch (e) {
    if (e instanceof GoTemplateError) throw new KubectlError(`error: error parsing template ${value}, ${e.message}`);
    throw e;
  }
}

export function parseOutput(o: string | undefined, verbPath: string, src: TemplateSource = {}): OutputMode {
  // get_flags.go: --template with no -o means -o go-template
  if ((o === undefined || o === '') && src.template) return goTemplateMode('go-template', '', src);
  if (o === undefined || o === '') return { t: 'table', wide: false };
  if (o === 'wide') return { t: 'table', wide: true };
  if (o === 'yaml') return { t: 'yaml' };
  if (o === 'json') return { t: 'json' };
  if (o === 'name') return { t: 'name' };
  const eq = o.indexOf('=');
  const kind = eq >= 0 ? o.slice(0, eq) : o;
  const arg = eq >= 0 ? o.slice(eq + 1) : '';
  if (kind === 'jsonpath' || kind === 'jsonpath-as-json') {
    // jsonpath_flags.go ToPrinter: --template, when given, is the template of `-o jsonpath`
    const template = eq < 0 && src.template ? src.template : arg;
    if (!template) throw new KubectlError('error: template format specified but no template given');
    return { t: 'jsonpath', template, asJson: kind === 'jsonpath-as-json' };
  }
  if (kind === 'go-template' || kind === 'template' || kind === 'go-template-file' || kind === 'templatefile') return goTemplateMode(kind, arg, src);
  if (kind === 'custom-columns') {
    if (!arg) throw new KubectlError('error: custom-columns format specified but no custom columns given');
    return { t: 'custom-columns', spec: arg };
  }
  void verbPath;
  throw new KubectlError(
    `error: unable to match a printer suitable for the output format "${o}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`,
  );
}

/**
 * What -o prints: a stored object, or one kubectl built and did not send (a generator's
 * object for --dry-run=client, a checked manifest). Each has its kind and metadata.
 */
export type Printable = KubeObject | Manifest | GeneratedObject;

/** Prints objects in a non-table format (yaml/json/name/jsonpath/custom-columns). */
export function printGeneric(mode: OutputMode, objs: Printable[], single: boolean, noHeaders: boolean, step?: (n?: number) => void): string {
  const data = single && objs.length === 1 ? objs[0] : asList(objs);
  switch (mode.t) {
    case 'go-template': {
      // template.go PrintObj: the object through JSON into map[string]interface{}
      const decoded: unknown = JSON.parse(JSON.stringify(data));
      try {
        return mode.compiled.execute(decoded, { step });
      } catch (e) {
        if (!(e instanceof GoTemplateExecError)) throw e;
        // what was written stays; the debugging report goes to the same writer (stdout)
        const raw = compactJson(decoded);
        const report =
          `Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
          `\ttemplate was:\n\t\t${mode.template}\n\traw data was:\n\t\t${raw}\n` +
          `\tobject given to template engine was:\n\t\t${goTemplateDataString(decoded)}\n\n`;
        throw new KubectlError(`error: error executing template ${goQuote(mode.template)}: ${e.message}`, 1, e.partial + report);
      }
    }
    case 'yaml':
      if (single && objs.length === 1) return printYaml(objs[0]);
      return printYaml(data);
    case 'json':
      return printJson(data);
    case 'name':
      return objs.map((o) => `${kindPrefix(resourceFor(String(o.kind))!)}/${member(o.metadata, 'name')}\n`).join('');
    case 'jsonpath': {
      // cli-runtime jsonpath_flags.go ToPrinter and printers/jsonpath.go PrintObj
      let compiled;
      try {
        compiled = compileJsonPath(mode.template);
      } catch (e) {
        if (!(e instanceof JsonPathError)) throw e;
        throw new KubectlError(`error: error parsing jsonpath ${mode.template}, ${e.message}`);
      }
      try {
        return mode.asJson ? compiled.executeJson(data) : compiled.execute(data);
      } catch (e) {
        if (!(e instanceof JsonPathError)) throw e;
        throw new KubectlError(
          `error: error executing jsonpath ${goQuote(mode.template)}: Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
            `\ttemplate was:\n\t\t${mode.template}\n\tobject given to jsonpath engine was:\n\t\t${goSharpV(data)}\n\n`,
        );
      }
    }
    case 'custom-columns':
      try {
        return printCustomColumns(parseCustomColumns(mode.spec), objs, noHeaders);
      } catch (e) {
        if (e instanceof CustomColumnsError) throw new KubectlError(`error: ${e.message}`);
        throw e;
      }
    default:
      return '';
  }
}

export function runGet(k: Kctx): CommandOutcome {
  const f = k.flags;
  const raw = flagString(f, 'raw');
  if (raw !== undefined) {
    // get.go Validate: --raw takes no resources and no output format
    if (f.positional.length > 0) throw new KubectlError('error: arguments may not be passed when --raw is specified');
    if (flagString(f, 'output')) throw new KubectlError('error: --raw and --output are mutually exclusive');
    if (f.values.has('watch') || f.values.has('selector')) throw new KubectlError('error: --raw may not be specified with other flags that filter the server request or alter the output');
    // url.ParseRequestURI: an absolute path (or a full URL)
    if (!raw.startsWith('/') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) throw new KubectlError(`error: --raw must be a valid URL path: parse "${raw}": invalid URI for request`);
    return runRaw(k, raw);
  }
  const allNs = flagBool(f, 'all-namespaces');
  const mode = parseOutput(flagString(f, 'output'), 'get', { template: flagString(f, 'template'), readFile: (p) => readFile(k, p) });
  const files = flagStrings(f, 'filename');
  let sel: Selection;
  if (files.length > 0) {
    const ms = loadManifests(k, files, flagBool(f, 'recursive'));
    const requests: Request[] = [];
    for (const m of ms) {
      const info = resourceFor(String(m.manifest.kind ?? ''));
      if (!info) continue;
      requests.push({ info, names: [String(m.manifest.metadata?.name ?? '')] });
    }
    sel = { requests, multipleTypes: new Set(requests.map((r) => r.info)).size > 1, singleItem: requests.length === 1 };
  } else {
    if (k.flags.positional.length === 0) {
      return {
        stdout: '',
        stderr:
          'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
          'error: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples\n',
        exitCode: 1,
      };
    }
    sel = parseSelection(k.flags.positional, 'get', k.store);
    const named = sel.requests.some((r) => r.names);
    if (named && flagString(f, 'selector') !== undefined) throw new KubectlError('error: name cannot be provided when a selector is specified');
    if (named && allNs) throw new KubectlError('error: a resource cannot be retrieved by name across all namespaces');
  }
  const fetched = fetchSelection(k, sel, { allNamespaces: allNs, selector: flagString(f, 'selector'), fieldSelector: flagString(f, 'field-selector') });
  const sortBy = flagString(f, 'sort-by');
  if (sortBy) sortByValue(fetched.objs, sortBy, mode.t === 'table');
  const noHeaders = flagBool(f, 'no-headers');
  const ignoreNotFound = flagBool(f, 'ignore-not-found');
  let errors = fetched.errors;
  if (ignoreNotFound) errors = errors.filter((e) => !e.includes('(NotFound)'));
  const env = { now: k.cluster.clock.now() };
  const allNamespaced = !allNs && sel.requests.every((r) => r.info.namespaced);
  const noneFound = () => (allNamespaced ? `No resources found in ${k.namespace} namespace.\n` : 'No resources found\n');

  const watch = flagBool(f, 'watch') || flagBool(f, 'watch-only');
  if (mode.t !== 'table') {
    // the server sends metadata.managedFields; -o yaml and -o json drop them unless
    // --show-managed-fields (get.go: OmitManagedFieldsPrinter), the other printers see them
    const keep = flagBool(f, 'show-managed-fields') || (mode.t !== 'yaml' && mode.t !== 'json' && mode.t !== 'name');
    const objs = fetched.objs.map((o) => (keep ? withManagedFields(k, o.obj) : o.obj));
    let stdout = '';
    // get.go printGeneric: a single named object that could not be fetched is only its error (singleItemImplied)
    if (sel.singleItem && errors.length > 0) return { stdout: '', stderr: errors.join(''), exitCode: 1 };
    if (!(objs.length === 0 && ignoreNotFound)) stdout = printGeneric(mode, objs, sel.singleItem, noHeaders, (n) => k.ctx.shell.budget.step(n));
    // printGeneric says nothing about an empty result (custom-columns still prints its header)
    return { stdout, stderr: errors.join(''), exitCode: errors.length > 0 ? 1 : 0 };
  }

  const withKind = sel.multipleTypes || flagBool(f, 'show-kind') || new Set(fetched.objs.map((o) => o.info.kind)).size > 1;
  const labelColumns = flagStrings(f, 'label-columns').flatMap((x) => x.split(','));
  const groupOpts = (info: ResourceInfo) => ({
    wide: mode.wide,
    withNamespace: allNs && info.namespaced,
    kindPrefix: withKind ? kindPrefix(info) : undefined,
    showLabels: flagBool(f, 'show-labels'),
    labelColumns,
    noHeaders,
  });

  // groups of consecutive objects of one kind
  const groups: { info: ResourceInfo; objs: KubeObject[] }[] = [];
  for (const o of fetched.objs) {
    const last = groups[groups.length - 1];
    if (last && last.info === o.info) last.objs.push(o.obj);
    else groups.push({ info: o.info, objs: [o.obj] });
  }
  let stdout = '';
  const tables: { header: string[]; rows: string[][] }[] = [];
  if (!flagBool(f, 'watch-only')) {
    for (const g of groups) {
      const t = tableRows(g.info.kind, g.objs, env, groupOpts(g.info));
      tables.push(t);
      const text = tabwrite(rowsToText(noHeaders ? t.rows : [t.header, ...t.rows]), TABLE_OPTS);
      if (stdout !== '' && !noHeaders) stdout += '\n';
      stdout += text;
    }
  }
  let stderr = errors.join('');
  if (fetched.objs.length === 0 && errors.length === 0 && !ignoreNotFound && !watch) stderr += noneFound();
  if (!watch) return { stdout, stderr, exitCode: errors.length > 0 ? 1 : 0 };
  return startWatch(k, sel, allNs, groupOpts, tables, stdout, stderr);
}

/** get -w: the current table, then a row for every change (widths remembered between flushes). */
function startWatch(
  k: Kctx,
  sel: Selection,
  allNs: boolean,
  groupOpts: (info: ResourceInfo) => TableOptions,
  tables: { header: string[]; rows: string[][] }[],
  stdout: string,
  stderr: string,
): Streaming {
  if (sel.requests.length > 1) {
    return { streaming: true, stdout: '', stderr: 'error: you may only specify a single resource type\n', intervalMs: 1000, step: () => ({ done: true, exitCode: 1 }), interrupt: () => ({ exitCode: 1 }) };
  }
  const req = sel.requests[0];
  const info = req.info;
  const opts = groupOpts(info);
  const reqs = flagString(k.flags, 'selector') !== undefined ? parseSelector(flagString(k.flags, 'selector')!) : undefined;
  const fieldSel = flagString(k.flags, 'field-selector');
  const fsel = fieldSel ? parseFieldSelector(fieldSel, info) : undefined;
  const ns = info.namespaced && !allNs ? k.namespace : undefined;
  let widths = tables[0] ? columnWidths([tables[0].header, ...tables[0].rows]) : [];
  let headerPrinted = tables.length > 0;
  const pending: KubeObject[] = [];
  const unsubscribe = k.store.subscribe((ch) => {
    const o = ch.object;
    if (o.kind !== info.kind) return;
    if (ns !== undefined && o.metadata.namespace !== ns) return;
    if (req.names && !req.names.includes(o.metadata.name)) return;
    if (reqs && !selectorMatches(reqs, o.metadata.labels)) return;
    if (fsel && !fsel(o)) return;
    pending.push(structuredClone(o));
  });
  const flush = (): string => {
    if (pending.length === 0) return '';
    const objs = pending.splice(0);
    const t = tableRows(info.kind, objs, { now: k.cluster.clock.now() }, opts);
    const rows = headerPrinted || opts.noHeaders ? t.rows : [t.header, ...t.rows];
    headerPrinted = true;
    widths = columnWidths(rows, { ...TABLE_OPTS, remembered: widths });
    return tabwrite(rowsToText(rows), { ...TABLE_OPTS, remembered: widths });
  };
  return {
    streaming: true,
    stdout,
    stderr,
    intervalMs: 1000,
    step: () => ({ stdout: flush() }),
    interrupt: () => {
      const rest = flush();
      unsubscribe();
      return { stdout: rest, exitCode: 130 };
    },
  };
}

/** The object as the API returns it, metadata.managedFields included (cluster/managedfields.ts). */
function withManagedFields(k: Kctx, obj: KubeObject): KubeObject {
  const mf = k.cluster.api.managedFields.entries(obj);
  if (!mf) return obj;
  return { ...obj, metadata: { ...obj.metadata, managedFields: mf } };
}
