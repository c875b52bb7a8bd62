/**
 * kubectl on a node. kubeadm's packages install it everywhere, but only the control plane
 * has a kubeconfig (/etc/kubernetes/admin.conf, which `kubeadm init` tells one to copy to
 * ~/.kube/config). kubectl reads --kubeconfig, else $KUBECONFIG (the first of its files that
 * exists), else ~/.kube/config; with none it falls back to client-go's default of
 * http://localhost:8080, where nothing listens on a kubeadm node:
 *
 *   E1111 03:12:25.682813    6920 memcache.go:265] "Unhandled Error" err="couldn't get current
 *   server API group list: Get \"http://localhost:8080/api?timeout=32s\": dial tcp
 *   127.0.0.1:8080: connect: connection refused"   (five times: discovery's retries)
 *   The connection to the server localhost:8080 was refused - did you specify the right host or port?
 *
 * (client-go discovery/cached/memory/memcache.go:265 through apimachinery's HandleError, as
 * kubectl v1.31+ prints it; `kubectl version` prints its client lines first, no E-lines). A
 * --kubeconfig file that does not exist is `error: stat PATH: no such file or directory`.
 * With a kubeconfig the node's kubectl is the workstation's: the same API server.
 */
import type { CommandContext } from '../../shell/command';
import type { RunResult } from '../../types';
import { KUSTOMIZE_VERSION } from '../../cluster/release';
import { nodeProcesses } from './processes';

const REFUSED = 'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n';

function firstVerb(args: string[]): string | undefined {
  const withValue = new Set(['-n', '--namespace', '--kubeconfig', '--context', '--cluster', '--user', '-s', '--server', '--as', '--request-timeout', '-v', '--v']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-')) {
      if (withValue.has(a)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

/** What kubectl does on a node before it reaches the cluster: undefined when it has a kubeconfig and runs as on the workstation. */
export function nodeKubectl(args: string[], ctx: CommandContext): RunResult | undefined {
  if (ctx.host.kind !== 'node') return undefined;
  const exists = (p: string) => ctx.cluster.fs.read(ctx.host, p) !== undefined;
  let explicit: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--kubeconfig') explicit = args[i + 1] ?? '';
    else if (args[i].startsWith('--kubeconfig=')) explicit = args[i].slice(13);
  }
  if (explicit !== undefined) return exists(explicit) ? undefined : { stdout: '', stderr: `error: stat ${explicit}: no such file or directory\n`, exitCode: 1 };
  const env = ctx.env?.KUBECONFIG;
  const home = (ctx.env?.HOME || '/root') + '/.kube/config';
  if (env ? env.split(':').some((p) => p && exists(p)) : exists(home)) return undefined;
  const verb = firstVerb(args);
  if (verb === undefined || verb === 'help' || verb === 'completion' || verb === 'explain' || args.includes('--help') || args.includes('-h')) return undefined;
  const client = `Client Version: ${ctx.cluster.settings.kubernetesVersion}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`;
  if (verb === 'version') return args.includes('--client') ? { stdout: client, stderr: '', exitCode: 0 } : { stdout: client, stderr: REFUSED, exitCode: 1 };
  if (verb === 'config') {
    if (args.includes('view')) return { stdout: 'apiVersion: v1\nclusters: null\ncontexts: null\ncurrent-context: ""\nkind: Config\npreferences: {}\nusers: null\n', stderr: '', exitCode: 0 };
    if (args.includes('current-context')) return { stdout: '', stderr: 'error: current-context is not set\n', exitCode: 1 };
    if (args.includes('get-contexts')) return { stdout: 'CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n', stderr: '', exitCode: 0 };
  }
  const pid = nodeProcesses(ctx.cluster, ctx.host.node, ['kubectl', ...args]).find((p) => p.state === 'R')?.pid ?? 1;
  const now = ctx.cluster.clock.now();
  const d = new Date(now);
  const p2 = (n: number, w = 2) => String(n).padStart(w, '0');
  let err = '';
  for (let i = 0; i < 5; i++) {
    const us = ((now % 1000) * 1000 + 34_512 + i * 1_317) % 1_000_000;
    err += `E${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${p2(us, 6)} ${String(pid).padStart(7)} memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp 127.0.0.1:8080: connect: connection refused"\n`;
  }
  return { stdout: '', stderr: err + REFUSED, exitCode: 1 };
}
