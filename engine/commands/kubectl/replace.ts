/** kubectl replace — k8s.io/kubectl/pkg/cmd/replace/replace.go: PUT each object from -f (`service/web replaced`). */
import type { CommandOutcome } from '../../types';
import { notFound } from '../../cluster/api';
import { flagBool, flagStrings, type FlagDef } from './flags';
import { addSourceToErr, apiRequest, checkManifest, errorText, kindPrefix, KubectlError, loadManifests, toSubmit, type Kctx, fieldManager, writeOptions, dryRunStrategy, dryRunText } from './common';

export const REPLACE_FLAGS: FlagDef[] = [
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'recursive', short: 'R', type: 'bool' },
  { long: 'force', type: 'bool' },
  { long: 'grace-period', type: 'int' },
  { long: 'cascade', type: 'string' },
  { long: 'save-config', type: 'bool' },
  { long: 'validate', type: 'string', noOptDefVal: 'strict' },
  { long: 'dry-run', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'wait', type: 'bool' },
];

export function runReplace(k: Kctx): CommandOutcome {
  const files = flagStrings(k.flags, 'filename');
  if (files.length === 0) throw new KubectlError("error: must specify --filename to replace\nSee 'kubectl replace -h' for help and examples");
  const dry = dryRunStrategy(k);
  // replace.go Validate
  if (flagBool(k.flags, 'force') && dry !== 'none') throw new KubectlError('error: --dry-run can not be used when --force is set');
  let stdout = '';
  let stderr = '';
  for (const sm of loadManifests(k, files, flagBool(k.flags, 'recursive'))) {
    try {
      const info = checkManifest(k, sm);
      apiRequest(k, info);
      const ns = info.namespaced ? ((sm.manifest.metadata?.namespace as string) || k.namespace) : undefined;
      const name = String(sm.manifest.metadata?.name ?? '');
      const live = k.store.get(info.kind, ns, name);
      const ref = `${kindPrefix(info)}/${name}`;
      if (flagBool(k.flags, 'force')) {
        if (live) {
          k.cluster.api.delete(info.kind, ns, name);
          stdout += `${kindPrefix(info)} "${name}" deleted${info.namespaced ? ` from ${ns} namespace` : ''}\n`;
        }
        try {
          k.cluster.api.create(sm.manifest, { namespace: ns, fieldManager: fieldManager(k, 'kubectl-replace'), ...writeOptions(k) });
        } catch (e) {
          throw addSourceToErr('creating', sm.source, e);
        }
        stdout += `${ref} replaced\n`;
        continue;
      }
      if (dry === 'client') {
        // replace.go: a client dry run prints the manifest, nothing is asked of the server
        stdout += `${ref} replaced (dry run)\n`;
        continue;
      }
      if (!live) throw addSourceToErr('replacing', sm.source, notFound(info, name));
      const next = toSubmit(structuredClone(sm.manifest));
      next.metadata = { ...next.metadata, namespace: ns, uid: live.metadata.uid, resourceVersion: live.metadata.resourceVersion, creationTimestamp: live.metadata.creationTimestamp };
      // the status is the server's: a PUT of the main resource keeps it
      if (live.status !== undefined) next.status = live.status;
      try {
        k.cluster.api.update(next, { fieldManager: fieldManager(k, 'kubectl-replace'), dryRun: dry === 'server', ...writeOptions(k) });
      } catch (e) {
        throw addSourceToErr('replacing', sm.source, e);
      }
      stdout += `${ref} replaced${dryRunText(dry)}\n`;
    } catch (e) {
      stderr += errorText(e);
    }
  }
  return { stdout, stderr, exitCode: stderr ? 1 : 0 };
}
