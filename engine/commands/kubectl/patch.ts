/**
 * kubectl patch — k8s.io/kubectl/pkg/cmd/patch/patch.go: strategic merge (lists of
 * named items merged by key, as the API server's strategic merge patch does), JSON merge
 * patch (RFC 7386) and JSON patch (RFC 6902); `service/web patched`, `(no change)`.
 */
import { parse } from 'yaml';
import type { CommandOutcome } from '../../types';
import { ApiError, notFound, patchInvalid } from '../../cluster/api';
import { convertUnstructured, goMapText, unmarshalError } from '../../cluster/validation/decode';
import { isArray, isObject, member, type KubeObject } from '../../cluster/types';
import { flagString, type FlagDef } from './flags';
import { apiRequest, dryRunStrategy, dryRunText, kindPrefix, KubectlError, readFile, toSubmit, type Kctx, fieldManager } from './common';
import { parseSelection } from './get';

export const PATCH_FLAGS: FlagDef[] = [
  { long: 'patch', short: 'p', type: 'string' },
  { long: 'patch-file', type: 'string' },
  { long: 'type', type: 'string' },
  { long: 'dry-run', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'local', type: 'bool' },
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'subresource', type: 'string' },
  { long: 'field-manager', type: 'string' },
];

const MERGE_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'ip', 'type', 'key'];
const isMap = isObject;

/** RFC 7386 JSON merge patch; with `strategic`, lists of keyed objects merge by key. */
export function mergePatch(target: unknown, patch: unknown, strategic: boolean): unknown {
  if (!isMap(patch)) {
    if (strategic && isArray(patch) && isArray(target)) {
      const key = MERGE_KEYS.find((k) => patch.length > 0 && [...patch, ...target].every((x) => isMap(x) && x[k] !== undefined));
      if (key) {
        // every item of both lists is a map (the find above checked)
        const out = target.map((x) => structuredClone(x));
        for (const item of patch) {
          const i = out.findIndex((x) => member(x, key) === member(item, key));
          if (member(item, '$patch') === 'delete') {
            if (i >= 0) out.splice(i, 1);
          } else if (i >= 0) out[i] = mergePatch(out[i], item, true);
          else out.push(mergePatch({}, item, true));
        }
        return out;
      }
    }
    return structuredClone(patch);
  }
  const out: Record<string, unknown> = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v, strategic);
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new KubectlError(`error: unable to parse path "${path}"`);
  return path.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * `parent[key] = value` and `delete parent[key]` on a JSON value of unknown shape, with
 * JavaScript's own rules: a patch that writes into a string or a number fails with the
 * TypeError it always has (kubectl prints it as `error: …`).
 */
function writeMember(parent: unknown, key: string, value: unknown): void {
  (parent as Record<string, unknown>)[key] = value;
}

function deleteMember(parent: unknown, key: string): void {
  delete (parent as Record<string, unknown>)[key];
}

/** An operation of a JSON patch, read field by field (`{op, path, from?, value?}`); null fails as a TypeError. */
function opField(op: unknown, field: 'op' | 'path' | 'from' | 'value'): unknown {
  return (op as Record<string, unknown>)[field];
}

/** RFC 6902 JSON patch. */
export function jsonPatch(doc: unknown, ops: unknown[]): unknown {
  let root = structuredClone(doc);
  const parentOf = (parts: string[]) => {
    let cur = root;
    for (const p of parts.slice(0, -1)) {
      cur = isArray(cur) ? cur[Number(p)] : member(cur, p);
      if (cur === undefined || cur === null) throw new KubectlError(`Error from server: jsonpatch ${'add'} operation does not apply: doc is missing path: "/${parts.join('/')}": missing value`);
    }
    return cur;
  };
  const get = (parts: string[]) => parts.reduce((c: unknown, p) => (isArray(c) ? c[Number(p)] : member(c, p)), root);
  for (const op of ops) {
    const path = opField(op, 'path');
    const parts = pointer(String(path ?? ''));
    const last = parts[parts.length - 1];
    const kind = opField(op, 'op');
    const missing = () => new KubectlError(`Error from server: jsonpatch ${kind} operation does not apply: doc is missing path: "${path}": missing value`);
    switch (kind) {
      case 'add': {
        if (parts.length === 0) {
          root = structuredClone(opField(op, 'value'));
          break;
        }
        const parent = parentOf(parts);
        if (isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, structuredClone(opField(op, 'value')));
        else writeMember(parent, last, structuredClone(opField(op, 'value')));
        break;
      }
      case 'remove': {
        const parent = parentOf(parts);
        if (get(parts) === undefined) throw missing();
        if (isArray(parent)) parent.splice(Number(last), 1);
        else deleteMember(parent, last);
        break;
      }
      case 'replace': {
        const parent = parentOf(parts);
        if (get(parts) === undefined) throw missing();
        if (isArray(parent)) parent[Number(last)] = structuredClone(opField(op, 'value'));
        else writeMember(parent, last, structuredClone(opField(op, 'value')));
        break;
      }
      case 'test':
        if (JSON.stringify(get(parts)) !== JSON.stringify(opField(op, 'value'))) throw new KubectlError('Error from server: testing value ' + path + ' failed: test failed');
        break;
      case 'move':
      case 'copy': {
        const from = pointer(String(opField(op, 'from') ?? ''));
        const v = structuredClone(get(from));
        if (v === undefined) throw missing();
        if (kind === 'move') {
          const fp = parentOf(from);
          if (isArray(fp)) fp.splice(Number(from[from.length - 1]), 1);
          else deleteMember(fp, from[from.length - 1]);
        }
        const parent = parentOf(parts);
        if (isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, v);
        else writeMember(parent, last, v);
        break;
      }
      default:
        throw new KubectlError(`Error from server: Unexpected kind: ${kind}`);
    }
  }
  return root;
}

/**
 * The patched object as jsonpatch.MergePatch writes it back (encoding/json of its map:
 * keys sorted where the patch reached, the stored order elsewhere).
 */
function patchedJSON(live: unknown, patched: unknown): string {
  const write = (before: unknown, after: unknown): string => {
    if (isMap(after) && !isArray(after)) {
      const touched = JSON.stringify(before) !== JSON.stringify(after);
      const keys = touched ? Object.keys(after).sort() : Object.keys(after);
      return `{${keys.map((key) => `${JSON.stringify(key)}:${write(member(before, key), after[key])}`).join(',')}}`;
    }
    if (isArray(after)) return `[${after.map((x, i) => write(isArray(before) ? before[i] : undefined, x)).join(',')}]`;
    return JSON.stringify(after) ?? 'null';
  };
  return write(live, patched);
}

export function runPatch(k: Kctx): CommandOutcome {
  const dry = dryRunStrategy(k);
  const type = flagString(k.flags, 'type') ?? 'strategic';
  if (!['json', 'merge', 'strategic'].includes(type)) throw new KubectlError(`error: --type must be one of [json merge strategic], not "${type}"`);
  let text = flagString(k.flags, 'patch');
  const file = flagString(k.flags, 'patch-file');
  if (file !== undefined) {
    text = readFile(k, file);
    if (text === undefined) throw new KubectlError(`error: unable to read patch file: open ${file}: no such file or directory`);
  }
  if (text === undefined || text === '') throw new KubectlError('error: must specify --patch or --patch-file containing the contents of the patch');
  if (k.flags.positional.length === 0) throw new KubectlError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n");
  let patch: unknown;
  try {
    patch = parse(text);
  } catch (e) {
    throw new KubectlError(`error: unable to parse "${text}": yaml: ${(e as Error).message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const sel = parseSelection(k.flags.positional, 'patch', k.store);
  let stdout = '';
  for (const r of sel.requests) {
    apiRequest(k, r.info);
    for (const name of r.names ?? []) {
      const live = k.store.get(r.info.kind, r.info.namespaced ? k.namespace : undefined, name);
      if (!live) throw notFound(r.info, name);
      // the server decodes the patch before anything else (handlers/patch.go): a strategic
      // merge patch into a map (UnmarshalStrict), a merge patch likewise, a JSON patch into
      // its list of operations, each failing as a BadRequest with encoding/json's words
      const kind = patch === null ? 'null' : isArray(patch) ? 'array' : typeof patch === 'object' ? 'object' : typeof patch === 'boolean' ? 'bool' : typeof patch;
      if (type === 'json' && !isArray(patch) && patch !== null) throw new ApiError('BadRequest', `error decoding patch: json: cannot unmarshal ${kind} into Go value of type []handlers.jsonPatchOp`, 400);
      if (type !== 'json' && patch !== null && (typeof patch !== 'object' || isArray(patch))) {
        throw new ApiError('BadRequest', `${type === 'merge' ? 'error decoding patch: ' : ''}json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`, 400);
      }
      // a custom resource has no Go type to carry patch strategies: the server refuses the content type
      if (type === 'strategic' && r.info.crd) throw new ApiError('UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml', 415);
      const ops = isArray(patch) ? patch : [];
      let next = toSubmit(type === 'json' ? jsonPatch(live, ops) : mergePatch(live, patch ?? {}, type === 'strategic'));
      if (type === 'strategic') {
        // applyPatchToObject: the converter takes what encoding/json would refuse, wrapping
        // integers into their Go kind (3000000000 → int32 -1294967296) for validation to judge
        const converted = convertUnstructured(next);
        if ('error' in converted) throw patchInvalid(goMapText(patch), converted.error);
        next = toSubmit(converted.object);
      } else {
        // jsonPatcher: the patched JSON decodes into the Go type, or the patch is invalid
        const err = unmarshalError(next);
        if (err) throw patchInvalid(patchedJSON(live, next), err);
      }
      next.metadata = { ...next.metadata, name: live.metadata.name, namespace: live.metadata.namespace, uid: live.metadata.uid };
      const ref = `${kindPrefix(r.info)}/${name}`;
      const strip = (o: KubeObject) => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
      // patch.go: a client dry run patches locally; otherwise the server answers (?dryRun=All:
      // defaulted, admitted and validated, not stored); `patched (no change)` when the object
      // came back as it was; the printer adds the dry run's suffix
      const didPatch = strip(next) !== strip(live);
      if (didPatch && dry !== 'client') k.cluster.api.update(next, { fieldManager: fieldManager(k, 'kubectl-patch'), dryRun: dry === 'server' });
      stdout += `${ref} ${didPatch ? 'patched' : 'patched (no change)'}${dryRunText(dry)}\n`;
    }
  }
  return { stdout, stderr: '', exitCode: 0 };
}
