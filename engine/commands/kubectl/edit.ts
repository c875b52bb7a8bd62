/**
 * kubectl edit — k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go: the object as YAML
 * under kubectl's header comment in /tmp/kubectl-edit-<random>.yaml; saving applies the
 * change (`service/web edited`), an unchanged or empty file cancels.
 */
import { parse } from 'yaml';
import type { CommandOutcome, EditRequest, RunResult } from '../../types';
import type { KubeObject } from '../../cluster/types';
import { notFound } from '../../cluster/api';
import { resourceFor } from '../../cluster/resources';
import { printYaml } from '../../printers/kubectl/serialize';
import { type FlagDef } from './flags';
import { apiRequest, errorText, kindPrefix, KubectlError, type Kctx, fieldManager } from './common';
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

function stripComments(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
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
  const finish = (saved: string | null): RunResult => {
    if (saved === null) return { stdout: 'Edit cancelled, no changes made.\n', stderr: '', exitCode: 0 };
    const stripped = stripComments(saved);
    if (stripped.trim() === '') return { stdout: 'Edit cancelled, saved file was empty.\n', stderr: '', exitCode: 0 };
    if (stripped.trim() === stripComments(content).trim()) return { stdout: 'Edit cancelled, no changes made.\n', stderr: '', exitCode: 0 };
    const keep = `A copy of your changes has been stored to "${path}"\n`;
    let edited: KubeObject;
    try {
      edited = parse(stripped) as KubeObject;
    } catch (e) {
      return { stdout: '', stderr: `error: error parsing edited-file: ${(e as Error).message.split('\n')[0]}\n${keep}error: Edit cancelled, no valid changes were saved.\n`, exitCode: 1 };
    }
    if (!edited || typeof edited !== 'object' || edited.kind !== obj.kind || edited.apiVersion !== obj.apiVersion || edited.metadata?.name !== obj.metadata.name) {
      return { stdout: '', stderr: `error: At least one of apiVersion, kind and name was changed\n${keep}error: Edit cancelled, no valid changes were saved.\n`, exitCode: 1 };
    }
    if (JSON.stringify(edited) === JSON.stringify(parse(body))) return { stdout: 'Edit cancelled, no changes made.\n', stderr: '', exitCode: 0 };
    const current = k.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name);
    if (!current) return { stdout: '', stderr: errorText(notFound(resourceFor(obj.kind)!, obj.metadata.name)), exitCode: 1 };
    edited.metadata.namespace = obj.metadata.namespace;
    try {
      k.cluster.api.update(edited, { fieldManager: fieldManager(k, 'kubectl-edit') });
    } catch (e) {
      const text = errorText(e).replace(/\n$/, '');
      return { stdout: '', stderr: `${text.startsWith('error: ') || text.startsWith('Error') || text.startsWith('The ') ? text : 'error: ' + text}\n${keep}error: Edit cancelled, no valid changes were saved.\n`, exitCode: 1 };
    }
    return { stdout: `${ref} edited\n`, stderr: '', exitCode: 0 };
  };
  const req: EditRequest = { editing: true, path, content, finish };
  return req;
}
