/**
 * kubectl logs — k8s.io/kubectl/pkg/cmd/logs/logs.go: POD | TYPE/NAME, -c, --tail,
 * -f (streams what the container writes next), --all-containers, --prefix, -l, -p (the
 * last terminated run).
 * Log text comes from the cluster room's `logs` module.
 */
import type { CommandOutcome, Streaming } from '../../types';
import type { Pod } from '../../cluster/types';
import { flagBool, flagInt, flagString, type FlagDef } from './flags';
import { KubectlError, parseSelector, selectorMatches, type Kctx } from './common';
import { kubeletDown, pickContainer, resolvePod } from './exec';

export const LOGS_FLAGS: FlagDef[] = [
  { long: 'container', short: 'c', type: 'string' },
  { long: 'follow', short: 'f', type: 'bool' },
  { long: 'tail', type: 'int' },
  { long: 'previous', short: 'p', type: 'bool' },
  { long: 'timestamps', type: 'bool' },
  { long: 'since', type: 'string' },
  { long: 'since-time', type: 'string' },
  { long: 'all-containers', type: 'bool' },
  { long: 'prefix', type: 'bool' },
  { long: 'selector', short: 'l', type: 'string' },
  { long: 'limit-bytes', type: 'int' },
  { long: 'max-log-requests', type: 'int' },
  { long: 'ignore-errors', type: 'bool' },
  { long: 'pod-running-timeout', type: 'string' },
  { long: 'insecure-skip-tls-verify-backend', type: 'bool' },
];

function readLogs(k: Kctx, pod: Pod, container: string): string {
  const mod = k.cluster.logs;
  const v = mod?.read?.(pod.metadata.namespace ?? 'default', pod.metadata.name, container);
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map((l) => (l.endsWith('\n') ? l : l + '\n')).join('');
  return v;
}

function tail(text: string, n: number | undefined): string {
  if (n === undefined || n < 0) return text;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (n === 0) return '';
  return lines.slice(-n).map((l) => l + '\n').join('');
}

export function runLogs(k: Kctx): CommandOutcome {
  const args = k.flags.positional;
  const selector = flagString(k.flags, 'selector');
  const tailN = flagInt(k.flags, 'tail') ?? (selector !== undefined ? 10 : undefined);
  const pods: { pod: Pod; note?: string }[] = [];
  let requested = flagString(k.flags, 'container');
  if (selector !== undefined) {
    const reqs = parseSelector(selector);
    for (const p of k.store.list('Pod', k.namespace)) if (selectorMatches(reqs, p.metadata.labels)) pods.push({ pod: p });
    if (pods.length === 0) return { stdout: '', stderr: `No resources found in ${k.namespace} namespace.\n`, exitCode: 0 };
  } else {
    if (args.length === 0) throw new KubectlError("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
    if (args.length > 2) throw new KubectlError("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
    if (args.length === 2) requested = args[1];
    pods.push(resolvePod(k, args[0]));
  }
  const allContainers = flagBool(k.flags, 'all-containers');
  const prefix = flagBool(k.flags, 'prefix') || (selector !== undefined && pods.length > 1 && flagBool(k.flags, 'prefix'));
  let stdout = '';
  let stderr = '';
  const sources: { pod: Pod; container: string }[] = [];
  for (const { pod, note } of pods) {
    stderr += note ?? '';
    const containers = pod.spec?.containers ?? [];
    if (allContainers) {
      for (const c of containers) sources.push({ pod, container: c.name });
      continue;
    }
    const { container, notice } = pickContainer(pod, requested);
    if (![...containers, ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].some((c) => c.name === container)) {
      throw new KubectlError(`error: container ${container} is not valid for pod ${pod.metadata.name}`);
    }
    const phase = pod.status?.phase;
    if (!pod.spec?.nodeName || phase === 'Pending') {
      const waiting = (pod.status?.containerStatuses ?? []).find((s) => s.name === container)?.state?.waiting?.reason ?? 'ContainerCreating';
      throw new KubectlError(`Error from server (BadRequest): container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${waiting}`);
    }
    const down = kubeletDown(k, pod);
    if (down) throw new KubectlError(`Error from server: Get "https://${down.endpoint}/containerLogs/${pod.metadata.namespace}/${pod.metadata.name}/${container}": ${down.error}`);
    if (!k.cluster.kubelet.runtimeUp(pod.spec.nodeName)) {
      // the kubelet's GetContainerLogs asks containerd for the container's status first
      // (kuberuntime_container.go GetContainerLogs) and answers 400 when that fails; the API
      // server's log streamer passes it on as BadRequest
      const st = (pod.status?.containerStatuses ?? []).find((x) => x.name === container) as { containerID?: string; lastState?: { terminated?: { containerID?: string } } } | undefined;
      const id = flagBool(k.flags, 'previous') ? st?.lastState?.terminated?.containerID : st?.containerID;
      if (id) throw new KubectlError(`Error from server (BadRequest): unable to retrieve container logs for ${id}`);
    }
    stderr += notice;
    sources.push({ pod, container });
  }
  if (flagBool(k.flags, 'previous')) {
    // the kubelet serves the container's last terminated run, or refuses (validateContainerLogStatus)
    for (const s of sources) {
      const prev = k.cluster.logs.readPrevious(s.pod.metadata.namespace ?? 'default', s.pod.metadata.name, s.container);
      if ('error' in prev) throw new KubectlError(`Error from server (BadRequest): ${prev.error}`);
      const text = prev.lines.map((l) => l + '\n').join('');
      stdout += prefix ? text.split('\n').filter((l) => l !== '').map((l) => `[pod/${s.pod.metadata.name}/${s.container}] ${l}\n`).join('') : tail(text, tailN);
    }
    return { stdout, stderr, exitCode: 0 };
  }
  const render = (s: { pod: Pod; container: string }, text: string) =>
    prefix ? text.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '').map((l) => `[pod/${s.pod.metadata.name}/${s.container}] ${l}\n`).join('') : text;
  const seen = sources.map((s) => readLogs(k, s.pod, s.container));
  sources.forEach((s, i) => {
    stdout += render(s, tail(seen[i], tailN));
  });
  if (!flagBool(k.flags, 'follow')) return { stdout, stderr, exitCode: 0 };
  const lengths = seen.map((t) => t.length);
  const stream: Streaming = {
    streaming: true,
    stdout,
    stderr,
    intervalMs: 1000,
    step: () => {
      let more = '';
      sources.forEach((s, i) => {
        const now = readLogs(k, s.pod, s.container);
        if (now.length > lengths[i]) {
          more += render(s, now.slice(lengths[i]));
          lengths[i] = now.length;
        }
      });
      const gone = sources.every((s) => !k.store.get('Pod', s.pod.metadata.namespace, s.pod.metadata.name));
      return gone ? { stdout: more, done: true, exitCode: 0 } : { stdout: more };
    },
    interrupt: () => ({ exitCode: 130 }),
  };
  return stream;
}
