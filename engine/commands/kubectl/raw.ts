/**
 * kubectl get --raw PATH (k8s.io/kubectl/pkg/cmd/get/get.go RawGet → rawhttp.RawGet): a GET
 * to the API server whose body is written as it comes, without a newline of its own.
 *
 * The paths answered: the health endpoints (healthz/livez/readyz write `ok`,
 * apiserver/pkg/server/healthz), /version (the version handler's json.MarshalIndent of
 * version.Info, no trailing newline), /api (the APIVersions discovery document, through the
 * JSON serializer, which ends with a newline). Each is authorized like any request: the
 * kubeconfig's user may (system:discovery / system:public-info-viewer give them to every
 * authenticated user).
 */
import type { RunResult } from '../../types';
import { versionInfo } from '../../cluster/release';
import { type Kctx } from './common';

export function runRaw(k: Kctx, path: string): RunResult {
  const [p, query = ''] = path.split('?');
  const notFound: RunResult = { stdout: '', stderr: 'Error from server (NotFound): the server could not find the requested resource\n', exitCode: 1 };
  switch (p) {
    case '/healthz':
    case '/livez':
    case '/readyz':
      // ?verbose lists every check by name; their 1.34 list is not modelled, so only the plain answer is given
      if (query) return { stdout: '', stderr: `error: "${path}": the verbose health report is not simulated here\n`, exitCode: 1 };
      return { stdout: 'ok', stderr: '', exitCode: 0 };
    case '/version':
      return { stdout: JSON.stringify(versionInfo(k.cluster.settings.kubernetesVersion, true), null, 2), stderr: '', exitCode: 0 };
    case '/api': {
      const nodes = k.cluster.settings.nodes;
      const cp = nodes.find((n) => n.role === 'control-plane') ?? nodes[0];
      const doc = { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `${cp.ip}:6443` }] };
      return { stdout: JSON.stringify(doc) + '\n', stderr: '', exitCode: 0 };
    }
    default:
      return notFound;
  }
}
