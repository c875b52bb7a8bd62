/**
 * kubectl patch — k8s.io/kubectl/pkg/cmd/patch/patch.go: strategic merge (lists of
 * named items merged by key, as the API server's strategic merge patch does), JSON merge
 * patch (RFC 7386) and JSON patch (RFC 6902); `service/web patched`, `(no change)`.
 */
import { parse } from 'yaml';
import type { CommandOutcome } from '../../types';
import { notFound } from '../../cluster/api';
import { flagString, type FlagDef } from './flags';
import { KubectlError, kindPrefix, readFile, type Any, type Kctx } from './common';
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
const isMap = (v: Any) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** RFC 7386 JSON merge patch; with `strategic`, lists of keyed objects merge by key. */
export function mergePatch(target: Any, patch: Any, strategic: boolean): Any {
  if (!isMap(patch)) {
    if (strategic && Array.isArray(patch) && Array.isArray(target)) {
      const key = MERGE_KEYS.find((k) => patch.length > 0 && [...patch, ...target].every((x) => isMap(x) && x[k] !== undefined));
      if (key) {
        const out = target.map((x: Any) => structuredClone(x));
        for (const item of patch) {
          const i = out.findIndex((x: Any) => x[key] === item[key]);
          if (item.$patch === 'delete') {
            if (i >= 0) out.splice(i, 1);
          } else if (i >= 0) out[i] = mergePatch(out[i], item, true);
          else out.push(mergePatch({}, item, true));
        }
        return out;
      }
    }
    return structuredClone(patch);
  }
  const out: Any = isMap(target) ? { ...target } : {};
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

/** RFC 6902 JSON patch. */
export function jsonPatch(doc: Any, ops: Any[]): Any {
  let root = structuredClone(doc);
  const parentOf = (parts: string[]) => {
    let cur = root;
    for (const p of parts.slice(0, -1)) {
      cur = Array.isArray(cur) ? cur[Number(p)] : cur?.[p];
      if (cur === undefined || cur === null) throw new KubectlError(`Error from server: jsonpatch ${'add'} operation does not apply: doc is missing path: "/${parts.join('/')}": missing value`);
    }
    return cur;
  };
  const get = (parts: string[]) => parts.reduce((c: Any, p) => (Array.isArray(c) ? c[Number(p)] : c?.[p]), root);
  for (const op of ops) {
    const parts = pointer(String(op.path ?? ''));
    const last = parts[parts.length - 1];
    const missing = () => new KubectlError(`Error from server: jsonpatch ${op.op} operation does not apply: doc is missing path: "${op.path}": missing value`);
    switch (op.op) {
      case 'add': {
        if (parts.length === 0) {
          root = structuredClone(op.value);
          break;
        }
        const parent = parentOf(parts);
        if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, structuredClone(op.value));
        else parent[last] = structuredClone(op.value);
        break;
      }
      case 'remove': {
        const parent = parentOf(parts);
        if (get(parts) === undefined) throw missing();
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      }
      case 'replace': {
        const parent = parentOf(parts);
        if (get(parts) === undefined) throw missing();
        if (Array.isArray(parent)) parent[Number(last)] = structuredClone(op.value);
        else parent[last] = structuredClone(op.value);
        break;
      }
      case 'test':
        if (JSON.stringify(get(parts)) !== JSON.stringify(op.value)) throw new KubectlError('Error from server: testing value ' + op.path + ' failed: test failed');
        break;
      case 'move':
      case 'copy': {
        const from = pointer(String(op.from ?? ''));
        const v = structuredClone(get(from));
        if (v === undefined) throw missing();
        if (op.op === 'move') {
          const fp = parentOf(from);
          if (Array.isArray(fp)) fp.splice(Number(from[from.length - 1]), 1);
          else delete fp[from[from.length - 1]];
        }
        const parent = parentOf(parts);
        if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, v);
        else parent[last] = v;
        break;
      }
      default:
        throw new KubectlError(`Error from server: Unexpected kind: ${op.op}`);
    }
  }
  return root;
}

export function runPatch(k: Kctx): CommandOutcome {
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
  let patch: Any;
  try {
    patch = parse(text);
  } catch (e) {
    throw new KubectlError(`error: unable to parse "${text}": yaml: ${(e as Error).message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  if (type === 'json' && !Array.isArray(patch)) throw new KubectlError(`error: unable to parse "${text}": json: cannot unmarshal object into Go value of type jsonpatch.Patch`);
  const sel = parseSelection(k.flags.positional, 'patch');
  let stdout = '';
  for (const r of sel.requests) {
    for (const name of r.names ?? []) {
      const live = k.cluster.store.get(r.info.kind, r.info.namespaced ? k.namespace : undefined, name);
      if (!live) throw notFound(r.info, name);
      const next = type === 'json' ? jsonPatch(live, patch) : mergePatch(live, patch, type === 'strategic');
      next.metadata = { ...next.metadata, name: live.metadata.name, namespace: live.metadata.namespace, uid: live.metadata.uid };
      const ref = `${kindPrefix(r.info)}/${name}`;
      const strip = (o: Any) => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
      if (strip(next) === strip(live)) {
        stdout += `${ref} patched (no change)\n`;
        continue;
      }
      const dry = flagString(k.flags, 'dry-run');
      if (dry === undefined || dry === 'none') k.cluster.api.update(next);
      stdout += `${ref} patched${dry === 'server' ? ' (server dry run)' : dry !== undefined && dry !== 'none' ? ' (dry run)' : ''}\n`;
    }
  }
  return { stdout, stderr: '', exitCode: 0 };
}
