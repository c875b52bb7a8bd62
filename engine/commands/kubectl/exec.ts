/**
 * kubectl exec — k8s.io/kubectl/pkg/cmd/exec/exec.go: `POD -- CMD` runs once,
 * `-it POD -- sh` enters the container's shell; -c picks a container, otherwise the
 * default one with `Defaulted container "x" out of: x, y` on stderr.
 */
import type { CommandOutcome } from '../../types';
import type { Pod } from '../../cluster/types';
import { resourceFor } from '../../cluster/resources';
import { notFound } from '../../cluster/api';
import { flagBool, flagString, type FlagDef } from './flags';
import { KubectlError, type Kctx } from './common';
import { CRI_DIAL_ERROR } from '../../controllers/kubelet';
import { hasTool, hostProfile, hostTools } from '../../hosts/hosts';
import { sha256 } from '../../cluster/hash';
import { isEditRequest, isStreaming } from '../../types';

/**
 * Programs whose output streams back through the exec session as it comes (the subcommand
 * that streams): `kubectl exec ds/cilium -- cilium-dbg monitor &` is a job of this terminal,
 * as `ssh NODE tcpdump … &` is. Without a TTY, Ctrl-C stops kubectl itself (exit 130).
 */
const STREAMING_EXEC: Record<string, string> = { 'cilium-dbg': 'monitor', cilium: 'monitor' };

export const EXEC_FLAGS: FlagDef[] = [
  { long: 'stdin', short: 'i', type: 'bool' },
  { long: 'tty', short: 't', type: 'bool' },
  { long: 'container', short: 'c', type: 'string' },
  { long: 'quiet', short: 'q', type: 'bool' },
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'pod-running-timeout', type: 'string' },
];

const SHELLS = new Set(['sh', 'bash', 'ash', '/bin/sh', '/bin/bash', '/bin/ash', '/usr/bin/bash', 'zsh', '/bin/zsh']);

/** Finds the pod an argument names: `web-1`, `pod/web-1`, `deploy/web`, `svc/web` (first pod). */
export function resolvePod(k: Kctx, arg: string): { pod: Pod; note?: string } {
  if (!arg.includes('/')) {
    const pod = k.store.get('Pod', k.namespace, arg);
    if (!pod) throw notFound(resourceFor('Pod')!, arg);
    return { pod };
  }
  const [type, name] = [arg.slice(0, arg.indexOf('/')), arg.slice(arg.indexOf('/') + 1)];
  const info = resourceFor(type);
  if (!info) throw new KubectlError(`error: the server doesn't have a resource type "${type}"`);
  if (info.kind === 'Pod') return resolvePod(k, name);
  const obj = k.store.get(info.kind, k.namespace, name);
  if (!obj) throw notFound(info, name);
  let selector: Record<string, string> | undefined;
  if (info.kind === 'Service') selector = obj.spec?.selector;
  else selector = obj.spec?.selector?.matchLabels;
  if (!selector) throw new KubectlError(`error: cannot attach to ${info.kind}: selector for ${info.kind} not implemented`);
  const matching = () => k.store.list('Pod', k.namespace).filter((p) => !p.metadata.deletionTimestamp && Object.entries(selector!).every(([kk, v]) => p.metadata.labels?.[kk] === v));
  // AttachablePodForObjectFn waits (--pod-running-timeout, 1m) for one of them to run
  for (let waited = 0; waited < 60 && !matching().some((p) => p.status?.phase === 'Running'); waited++) k.cluster.advance(1000);
  const pods = matching();
  if (pods.length === 0) throw new KubectlError(`error: no pods found for ${info.kind.toLowerCase()} "${name}"`);
  // kubectl sorts by "active" pods first (ready, running), then by age
  const rank = (p: Pod) => (p.status?.phase === 'Running' ? 0 : 1);
  pods.sort((a, b) => rank(a) - rank(b));
  // logsforobject.go: `kubectl logs` tells which pod it took; exec, attach and port-forward do not
  const note = pods.length > 1 ? `Found ${pods.length} pods, using pod/${pods[0].metadata.name}\n` : undefined;
  return { pod: pods[0], note };
}

/** The container -c names, or the default one (annotation, else the first) with kubectl's notice. */
export function pickContainer(pod: Pod, requested: string | undefined, quiet = false): { container: string; notice: string } {
  const containers = pod.spec?.containers ?? [];
  if (requested) return { container: requested, notice: '' };
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  const valid = !!annotated && containers.some((c) => c.name === annotated);
  const chosen = valid ? annotated : containers[0]?.name ?? '';
  // podcmd.go (v0.34) FindOrDefaultContainerByName and AllContainerNames: containers, then ephemeral, then init containers
  const all = [...containers.map((c) => c.name), ...(pod.spec?.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`), ...(pod.spec?.initContainers ?? []).map((c) => `${c.name} (init)`)];
  const notice = all.length > 1 && !quiet && !valid ? `Defaulted container "${chosen}" out of: ${all.join(', ')}\n` : '';
  return { container: chosen, notice };
}

/**
 * The API server reaches a Pod's containers through its node's kubelet (port 10250): with
 * that kubelet stopped, the dial is refused (Go's net.Dial error as the proxy wraps it).
 */
export function kubeletDown(k: Kctx, pod: Pod): { endpoint: string; error: string } | undefined {
  const node = pod.spec?.nodeName;
  if (!node || k.cluster.kubelet.running(node)) return undefined;
  const ip = k.store.get('Node', undefined, node)?.status?.addresses?.find((a: { type: string }) => a.type === 'InternalIP')?.address ?? node;
  return { endpoint: `${ip}:10250`, error: `dial tcp ${ip}:10250: connect: connection refused` };
}

export function runExec(k: Kctx): CommandOutcome {
  const args = k.flags.positional;
  const cmd = k.flags.afterDash;
  if (args.length === 0) throw new KubectlError("error: pod, type/name or --filename must be specified\nSee 'kubectl exec -h' for help and examples");
  if (args.length > 1 && !cmd) {
    throw new KubectlError("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
  }
  if (!cmd || cmd.length === 0) throw new KubectlError("error: you must specify at least one command for the container\nSee 'kubectl exec -h' for help and examples");
  // attachablePodForObject picks the pod silently (only `kubectl logs` says "Found N pods")
  const { pod } = resolvePod(k, args[0]);
  const { host, notice } = execTarget(k, pod, flagString(k.flags, 'container'), flagBool(k.flags, 'quiet'));
  const stderrPre = notice;
  const interactive = flagBool(k.flags, 'stdin') && flagBool(k.flags, 'tty');
  // the image has no such program: runc cannot start the exec (a shell in a pause or distroless image)
  if (!shipsProgram(k, host, cmd[0])) return execFailed(k, host, cmd[0], stderrPre);
  if (interactive && cmd.length === 1 && SHELLS.has(cmd[0])) {
    k.ctx.shell.enter(host, { via: 'kubectl', shell: cmd[0] });
    return { stdout: '', stderr: stderrPre, exitCode: 0 };
  }
  const streamer = STREAMING_EXEC[cmd[0]] !== undefined && cmd[1] === STREAMING_EXEC[cmd[0]] && hostTools(k.cluster, host).has(cmd[0]) ? k.ctx.commands.find(cmd[0]) : undefined;
  const streamed = streamer?.run(cmd.slice(1), { ...k.ctx, host, name: cmd[0], cwd: '/', env: {}, interactive: false, ttys: undefined });
  if (streamed && isStreaming(streamed)) return { ...streamed, stderr: stderrPre + streamed.stderr, interrupt: (signal) => (signal && signal !== 'INT' ? streamed.interrupt(signal) : { exitCode: 130 }) };
  const r = streamed && !isEditRequest(streamed) ? streamed : k.ctx.shell.execIn(host, cmd, flagBool(k.flags, 'stdin') ? k.ctx.stdin : '');
  const quoted = cmd[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alone = new RegExp(`^(?:[^\n]*: )?${quoted}: (command not found|not found|No such file or directory)\n$`);
  if (r.exitCode === 127 && r.stdout === '' && alone.test(r.stderr)) {
    // the shell the simulation ran the argv in did not find cmd[0]: on a real node there is no
    // shell, and runc (via containerd) reports the missing executable
    return execFailed(k, host, cmd[0], stderrPre);
  }
  let stderr = stderrPre + r.stderr;
  if (r.exitCode !== 0) stderr += `command terminated with exit code ${r.exitCode}\n`;
  return { stdout: r.stdout, stderr, exitCode: r.exitCode };
}

/**
 * Whether the container's image has `program` (argv[0] of an exec): a distroless or scratch
 * image only what it ships (the pause image: /pause alone), another image its userland.
 * A path is judged by its last element.
 */
function shipsProgram(k: Kctx, host: { kind: 'pod'; namespace: string; pod: string; container: string }, program: string): boolean {
  const profile = hostProfile(k.cluster, host);
  const base = program.split('/').pop() ?? program;
  if (!profile || !base) return true;
  if (profile.bare) return profile.tools.includes(base);
  return program.includes('/') || hasTool(k.cluster, host, base);
}

/**
 * A missing executable, as kubectl v1.34 prints it from containerd 2.x: the CRI plugin's
 * execInternal wraps the task's exec error (`failed to start exec %q: %w`, the exec id a
 * random 64-hex string; `failed to exec in container: %w`), runc's is `exec failed: unable to
 * start container process: exec: "sh": executable file not found in $PATH` (a path: `stat
 * /bin/sh: no such file or directory`), the kubelet's streaming server turns it into an
 * InternalError (`error executing command in container: %v`), and kubectl prints the status
 * message after `error: ` and exits 1. The exec id is drawn from the seeded RNG.
 */
function execFailed(k: Kctx, host: { namespace: string; pod: string; container: string }, program: string, stderrPre: string): CommandOutcome {
  const id = sha256(`exec/${host.namespace}/${host.pod}/${host.container}/${k.cluster.clock.now()}/${k.cluster.rng.int(2 ** 30)}`);
  const what = program.includes('/') ? `stat ${program}: no such file or directory` : 'executable file not found in $PATH';
  const text = `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": ${what}: unknown\n`;
  return { stdout: '', stderr: stderrPre + text, exitCode: 1 };
}

/**
 * ExecOptions.Run's checks before the kubelet runs anything (kubectl exec, and kubectl cp's
 * tar): a completed pod, the container (-c, or the default with its notice), a container
 * that is not running. Returns the container as a host to run in.
 */
export function execTarget(k: Kctx, pod: Pod, requested: string | undefined, quiet: boolean): { host: { kind: 'pod'; namespace: string; pod: string; container: string }; notice: string } {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new KubectlError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
  const { container, notice } = pickContainer(pod, requested, quiet);
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  if (!all.some((c) => c.name === container)) throw new KubectlError(`error: unable to upgrade connection: container not found ("${container}")`);
  if (!pod.spec?.nodeName || phase === 'Pending' || phase === undefined) {
    throw new KubectlError(`error: unable to upgrade connection: container not found ("${container}")`);
  }
  const down = kubeletDown(k, pod);
  if (down) throw new KubectlError(`Error from server: error dialing backend: ${down.error}`);
  // the kubelet answers, but its findContainer lists the runtime's pods first (GetPods → ListPodSandbox):
  // with containerd down that fails, the kubelet's 500 carries the gRPC error, and kubectl's SPDY
  // upgrade reports it (client-go spdy roundtripper "unable to upgrade connection: %s")
  if (!k.cluster.kubelet.runtimeUp(pod.spec.nodeName)) throw new KubectlError(`error: unable to upgrade connection: ${CRI_DIAL_ERROR}`);
  // the kubelet looks the container up among the runtime's running ones (findContainer): one that
  // is waiting (CrashLoopBackOff, ImagePullBackOff) or has terminated is "not found"
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
  const status = statuses.find((c: { name?: string }) => c.name === container);
  if (status && !status.state?.running) throw new KubectlError(`error: unable to upgrade connection: container not found ("${container}")`);
  return { host: { kind: 'pod', namespace: pod.metadata.namespace ?? k.namespace, pod: pod.metadata.name, container }, notice };
}
