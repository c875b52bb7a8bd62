/**
 * kubectl edit — k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go: the object as YAML
 * under kubectl's header comment in /tmp/kubectl-edit-<random>.yaml; saving applies the
 * change (`service/web edited`), an unchanged or empty file cancels.
 */
import { parse } from 'yaml';
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

/** cmdutil.StripComments: lines whose first non-blank character is '#' go. */
function stripComments(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');
}

/** cmdutil.ManualStrip: comment lines go ('#!' stays). */
function manualStrip(text: string): string {
  return text
    .split('\n')
    .filter((l) => !(l.trim().startsWith('#') && !l.trim().startsWith('#!')))
    .join('\n');
}

/** editoptions.go hashOnLineBreak: a '#' after each line break not already followed by one. */
function hashOnLineBreak(s: string): string {
  return s.replace(/\n(?!#)/g, '\n# ');
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
  const content = EDIT_HEADER + body;
  const path = `/tmp/kubectl-edit-${String(k.cluster.rng.int(4294967296))}.yaml`;
  try {
    k.cluster.fs.write(k.ctx.host, path, content);
  } catch {
    // the file is only a convenience for the learner
  }
  const ref = `${kindPrefix(r.info)}/${obj.metadata.name}`;
  // editoptions.go Complete: GetValidationDirective, before the editor opens
  const wopts = writeOptions(k);
  const resource = r.info.plural + (r.info.group ? '.' + r.info.group : '');
  const name = obj.metadata.name;
  /**
   * editoptions.go's loop after an invalid edit reopens the editor on the header, the
   * reasons and the edited text (ManualStrip); a reopened file saved unchanged ends it with
   * preservedFile and `Edit cancelled, no valid changes were saved.`. The terminal's editor
   * opens once, so that second pass is taken as saved unchanged: the reopened file is left
   * where kubectl leaves it, with its reasons.
   */
  const reopenedAndCancelled = (reasons: { head: string; other: string[] }[], edited: string, printed: string): RunResult => {
    let text = EDIT_HEADER;
    for (const reason of reasons) {
      text += reason.other.length ? `# ${hashOnLineBreak(reason.head)}:\n` : `# ${hashOnLineBreak(reason.head)}\n`;
      for (const o of reason.other) text += `# * ${hashOnLineBreak(o)}\n`;
      text += '#\n';
    }
    text += manualStrip(edited);
    const file = `/tmp/kubectl-edit-${String(k.cluster.rng.int(4294967296))}.yaml`;
    try {
      k.cluster.fs.write(k.ctx.host, file, text);
    } catch {
      // the file is only a convenience for the learner
    }
    return { stdout: '', stderr: `${printed}A copy of your changes has been stored to "${file}"\nerror: Edit cancelled, no valid changes were saved.\n`, exitCode: 1 };
  };
  const finish = (saved: string | null): RunResult => {
    if (saved === null) return { stdout: '', stderr: 'Edit cancelled, no changes made.\n', exitCode: 0 };
    const stripped = stripComments(saved);
    if (stripped === stripComments(content)) return { stdout: '', stderr: 'Edit cancelled, no changes made.\n', exitCode: 0 };
    if (!saved.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#'))) return { stdout: '', stderr: 'Edit cancelled, saved file was empty.\n', exitCode: 0 };
    const keep = `A copy of your changes has been stored to "${path}"\n`;
    let edited: KubeObject;
    try {
      const docs = decodeManifests(stripped, 'edited-file');
      edited = docs[0] as KubeObject;
    } catch (e) {
      const why = e instanceof KubectlError ? e.text.replace(/^error: /, '').replace(/\n$/, '') : String(e);
      return reopenedAndCancelled([{ head: `The edited file had a syntax error: ${why}`, other: [] }], saved, '');
    }
    const original = parse(body) as KubeObject;
    if (JSON.stringify(edited) === JSON.stringify(original)) return { stdout: `${ref} skipped\n`, stderr: '', exitCode: 0 };
    if (!edited || typeof edited !== 'object' || edited.kind !== obj.kind || edited.apiVersion !== obj.apiVersion || edited.metadata?.name !== obj.metadata.name) {
      return { stdout: '', stderr: `${keep}error: At least one of apiVersion, kind and name was changed\n`, exitCode: 1 };
    }
    const current = k.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name);
    if (!current) {
      return { stdout: '', stderr: `error: ${resource} "${name}" could not be found on the server\nThe edits you made on deleted resources have been saved to "${path}"\n`, exitCode: 1 };
    }
    edited.metadata.namespace = obj.metadata.namespace;
    try {
      // the strategic merge patch kubectl sends (CreateTwoWayMergePatch), as the server's strict errors show it
      const patch = threeWayPatch(original, edited, original) ?? {};
      k.cluster.api.update(edited, { fieldManager: fieldManager(k, 'kubectl-edit'), patch, ...wopts });
    } catch (e) {
      // editResults.addError
      if (isApiError(e, 'Invalid')) {
        const causes = ((e as { details?: { causes?: { field: string; message: string }[] } }).details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
        return reopenedAndCancelled([{ head: `${resource} "${name}" was not valid`, other: causes }], saved, `error: ${resource} "${name}" is invalid\n`);
      }
      if (isApiError(e, 'NotFound')) {
        return { stdout: '', stderr: `error: ${resource} "${name}" could not be found on the server\nThe edits you made on deleted resources have been saved to "${path}"\n`, exitCode: 1 };
      }
      const why = e instanceof Error ? e.message : String(e);
      return { stdout: '', stderr: `error: ${resource} "${name}" could not be patched: ${why}\nYou can run \`kubectl replace -f ${path}\` to try this update again.\n`, exitCode: 1 };
    }
    return { stdout: `${ref} edited\n`, stderr: '', exitCode: 0 };
  };
  const req: EditRequest = { editing: true, path, content, finish };
  return req;
}
