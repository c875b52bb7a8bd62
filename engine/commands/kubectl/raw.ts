/**
 * kubectl get --raw PATH (k8s.io/kubectl/pkg/cmd/get/get.go RawGet → rawhttp.RawGet): a GET
 * to the API server whose body is written as it comes, without a newline of its own.
 *
 * The paths answered: the health endpoints (healthz/livez/readyz write `ok`,
 * apiserver/pkg/server/healthz), /version (the version handler's json.MarshalIndent of
 * version.Info, no trailing newline), /api (the APIVersions discovery document, through the
 * JSON serializer, which ends with a newline). Each is authorized like any request: the
 * kubeconfig's user may (system:discovery / system:public-info-viewer give them to every
 * authenticated user). The resource paths (rest.ts) answer with the object, a list or a
 * Status.
 */
import type { RunResult } from '../../types';
import { type Kctx } from './common';
import { restGet } from './rest';

export function runRaw(k: Kctx, path: string): RunResult {
  const [p, query = ''] = path.split('?');
  // ?verbose lists every check by name; their 1.34 list is not modelled, so only the plain answer is given
  if ((p === '/healthz' || p === '/livez' || p === '/readyz') && query) return { stdout: '', stderr: `error: "${path}": the verbose health report is not simulated here\n`, exitCode: 1 };
  // kubectl's User-Agent is not one the server pretty-prints for
  const r = restGet(k.cluster, path, false);
  if (r.status === 200) return { stdout: r.body, stderr: '', exitCode: 0 };
  if (r.reason) return { stdout: '', stderr: `Error from server (${r.reason}): ${r.message}\n`, exitCode: 1 };
  return { stdout: '', stderr: r.body, exitCode: 1 };
}
