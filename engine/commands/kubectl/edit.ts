/**
 * kubectl edit — k8s.io/kubectl v0.34 pkg/cmd/util/editor/editoptions.go: the object as YAML
 * under kubectl's header comment in /tmp/kubectl-edit-<random>.yaml; saving applies the
 * change (`service/web edited`), an unchanged or empty file cancels. Run's loop: a syntax error
 * or an Invalid answer from the server launches the editor again on a new file — the header
 * with the reasons, then the edited text without its comments — and saving that unchanged
 * ends with preservedFile's `A copy of your changes has been stored to "…"` and `error: Edit
 * cancelled, no valid changes were saved.` (exit 1); a fixed one is patched. An editor that
 * quits without writing leaves the file as kubectl wrote it.
 */
import { parse, parseAllDocuments } from 'yaml';
import type { CommandOutcome, EditRequest, RunResult } from '../../types';
import type { KubeObject } from '../../cluster/types';
import { notFound } from '../../cluster/api';
import { printYaml } from '../../printers/kubectl/serialize';
import { type FlagDef } from './flags';
import { apiRequest, decodeManifests, isApiError, kindPrefix, KubectlError, writeOptions, type Kctx, fieldManager } from './common';
import { threeWayPatch } from './apply';
import { parseSelection } from './get';

export const EDIT_FLAGS: FlagDef[] = [
  { long: 'output', short: 'o', type: 'string' },
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'save-config', type: 'bool' },
  { long: 'validate', type: 'string', noOptDefVal: 'strict' },
  { long: 'windows-line-endings', type: 'bool' },
  { long: 'output-patch', type: 'bool' },
  { long: 'subresource', type: 'string' },
  { long: 'field-manager', type: 'string' },
];

export const EDIT_HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
  '# reopened with the relevant failures.\n' +
  '#\n';

/** Go's json.Marshal of what sigs.k8s.io/yaml decoded: map keys sorted. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(o[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/**
 * cmdutil.StripComments (pkg/cmd/util/helpers.go): the file as yaml.ToJSON reads it (its
 * first document: comments, spacing and key order make no difference), or ManualStrip's text
 * when it is not YAML.
 */
function stripComments(text: string): string {
  try {
    const docs = parseAllDocuments(text);
    const first = Array.isArray(docs) ? docs[0] : undefined;
    if (first && first.errors.length === 0) return 'json:' + canonicalJson(first.toJS());
    if (!first) return 'json:null';
  } catch {
    // not YAML: the lines without comments
  }
  return 'text:' + manualStrip(text);
}

/** cmdutil.ManualStrip: lines whose trimmed text starts with '#' (not '#!') go. */
function manualStrip(text: string): string {
  return text
    .split('\n')
    .filter((l) => !(l.trim().startsWith('#') && !l.trim().startsWith('#!')))
    .join('\n');
}

/** editoptions.go hasLines: a line with something other than blanks that does not start with '#'. */
function hasLines(text: string): boolean {
  return text.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

/** editoptions.go hashOnLineBreak: a '#' after each line break (not the last character) not already followed by one. */
function hashOnLineBreak(s: string): string {
  return s.replace(/\n(?=[^#])/g, '\n# ');
}

interface EditReason {
  head: string;
  other: string[];
}

/** editHeader.writeTo (NormalEditMode): the header, then each reason and its causes. */
function headerWith(reasons: EditReason[]): string {
  let text = EDIT_HEADER;
  for (const reason of reasons) {
    text += reason.other.length ? `# ${hashOnLineBreak(reason.head)}:\n` : `# ${hashOnLineBreak(reason.head)}\n`;
    for (const o of reason.other) text += `# * ${hashOnLineBreak(o)}\n`;
    text += '#\n';
  }
  return text;
}

export function runEdit(k: Kctx): CommandOutcome {
  if (k.flags.positional.length === 0) throw new KubectlError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n");
  const sel = parseSelection(k.flags.positional, 'edit', k.store);
  const r = sel.requests[0];
  if (!r.names || r.names.length === 0) throw new KubectlError('error: edit of several objects at once is not supported here; name one object');
  apiRequest(k, r.info);
  const ns = r.info.namespaced ? k.namespace : undefined;
  const obj = k.store.get(r.info.kind, ns, r.names[0]);
  if (!obj) throw notFound(r.info, r.names[0]);
  const body = printYaml(obj);
  const original = EDIT_HEADER + body;
  const ref = `${kindPrefix(r.info)}/${obj.metadata.name}`;
  // editoptions.go Complete: GetValidationDirective, before the editor opens
  const wopts = writeOptions(k);
  const resource = r.info.plural + (r.info.group ? '.' + r.info.group : '');
  const name = obj.metadata.name;
  const fs = k.cluster.fs;
  const host = k.ctx.host;

  /** editor.LaunchTempFile: a new /tmp/kubectl-edit-<random>.yaml holding `text` for the editor. */
  const launch = (text: string): string => {
    const file = `/tmp/kubectl-edit-${String(k.cluster.rng.int(4294967296))}.yaml`;
    try {
      fs.write(host, file, text);
    } catch {
      // the file is only a convenience for the learner
    }
    return file;
  };
  const remove = (file: string) => {
    try {
      fs.remove(host, file);
    } catch {
      // already gone
    }
  };
  /** preservedFile: the notice (when the file is still there), then the error kubectl exits with. */
  const preserved = (err: string, file: string, printed = ''): RunResult => ({
    stdout: '',
    stderr: `${printed}${file && fs.read(host, file) !== undefined ? `A copy of your changes has been stored to "${file}"\n` : ''}error: ${err}\n`,
    exitCode: 1,
  });

  /**
   * One pass of editoptions.go Run's loop (editFn): the editor has saved `saved` into `file`
   * (null: it quit without writing, the file is as kubectl wrote it). `previous` is what the
   * last pass saved when it ended in an error (containsError, editedDiff), `lastFile` that
   * pass's file (results.file).
   */
  const pass = (file: string, written: string, previous: string | null, lastFile: string) => {
    return (saved: string | null): RunResult & { reopen?: EditRequest } => {
      const edited = saved ?? written;
      if (saved !== null) {
        try {
          fs.write(host, file, saved);
        } catch {
          // the file is only a convenience for the learner
        }
      }
      // retrying after an error and nothing changed: short-circuit
      if (previous !== null && stripComments(previous) === stripComments(edited)) return preserved('Edit cancelled, no valid changes were saved.', file);
      // cleanup any file from the previous pass
      if (lastFile) remove(lastFile);
      if (stripComments(original) === stripComments(edited)) {
        remove(file);
        return { stdout: '', stderr: 'Edit cancelled, no changes made.\n', exitCode: 0 };
      }
      if (!hasLines(edited)) {
        remove(file);
        return { stdout: '', stderr: 'Edit cancelled, saved file was empty.\n', exitCode: 0 };
      }
      /** containsError: the editor opens again on a new file, the reasons above the edited text. */
      const retry = (reasons: EditReason[], printed: string): RunResult & { reopen: EditRequest } => {
        const text = headerWith(reasons) + manualStrip(edited);
        const next = launch(text);
        return { stdout: '', stderr: printed, exitCode: 0, reopen: { editing: true, path: next, content: text, finish: pass(next, text, edited, file) } };
      };
      let updated: KubeObject;
      try {
        updated = decodeManifests(edited, 'edited-file')[0] as KubeObject;
      } catch (e) {
        const why = e instanceof KubectlError ? e.text.replace(/^error: /, '').replace(/\n$/, '') : String(e);
        return retry([{ head: `The edited file had a syntax error: ${why}`, other: [] }], '');
      }
      // visitToPatch
      const before = parse(body) as KubeObject;
      if (canonicalJson(updated) === canonicalJson(before)) {
        remove(file);
        return { stdout: `${ref} skipped\n`, stderr: '', exitCode: 0 };
      }
      if (!updated || typeof updated !== 'object' || updated.kind !== obj.kind || updated.apiVersion !== obj.apiVersion || updated.metadata?.name !== obj.metadata.name) {
        return preserved('At least one of apiVersion, kind and name was changed', file);
      }
      const notFoundHere = (printed: string): RunResult => ({ stdout: '', stderr: `${printed}error: ${resource} "${name}" could not be found on the server\nThe edits you made on deleted resources have been saved to "${file}"\n`, exitCode: 1 });
      if (!k.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name)) return notFoundHere('');
      updated.metadata.namespace = obj.metadata.namespace;
      try {
        // the strategic merge patch kubectl sends (CreateTwoWayMergePatch), as the server's strict errors show it
        const patch = threeWayPatch(before, updated, before) ?? {};
        k.cluster.api.update(updated, { fieldManager: fieldManager(k, 'kubectl-edit'), patch, ...wopts });
      } catch (e) {
        // editResults.addError
        if (isApiError(e, 'Invalid')) {
          const causes = ((e as { details?: { causes?: { field: string; message: string }[] } }).details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
          return retry([{ head: `${resource} "${name}" was not valid`, other: causes }], `error: ${resource} "${name}" is invalid\n`);
        }
        if (isApiError(e, 'NotFound')) return notFoundHere('');
        const why = e instanceof Error ? e.message : String(e);
        return { stdout: '', stderr: `error: ${resource} "${name}" could not be patched: ${why}\nYou can run \`kubectl replace -f ${file}\` to try this update again.\n`, exitCode: 1 };
      }
      remove(file);
      return { stdout: `${ref} edited\n`, stderr: '', exitCode: 0 };
    };
  };
  const path = launch(original);
  const req: EditRequest = { editing: true, path, content: original, finish: pass(path, original, null, '') };
  return req;
}
