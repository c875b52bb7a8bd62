/**
 * kubectl attach — k8s.io/kubectl v0.34 pkg/cmd/attach/attach.go: POD | TYPE/NAME, -c (or
 * the default container, an ephemeral one by name), -i, -t, -q. "cannot attach a container in
 * a completed pod; current phase is %s"; "cannot attach to the container: container %s not
 * found in pod %s"; -t on a container without a TTY: "error: Unable to use a TTY - container
 * %s did not allocate one" and attach goes on without one. Then the notice ("All commands and
 * output…", "If you don't see a command prompt…") and the stream: with -i on a container that
 * keeps stdin open and has a TTY (kubectl run -it, kubectl debug -it), its shell in the
 * learner's terminal, and reattachMessage when it ends; otherwise what the container writes
 * from now on, until Ctrl+C.
 */
import type { CommandOutcome, Streaming } from '../../types';
import { flagBool, flagString, type FlagDef } from './flags';
import { KubectlError, type Kctx } from './common';
import { pickContainer, resolvePod } from './exec';

export const ATTACH_FLAGS: FlagDef[] = [
  { long: 'container', short: 'c', type: 'string' },
  { long: 'stdin', short: 'i', type: 'bool' },
  { long: 'tty', short: 't', type: 'bool' },
  { long: 'quiet', short: 'q', type: 'bool' },
  { long: 'pod-running-timeout', type: 'string' },
];

const NOTICE =
  'All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\n' +
  "If you don't see a command prompt, try pressing enter.\n";

export function runAttach(k: Kctx): CommandOutcome {
  const args = k.flags.positional;
  if (args.length === 0) throw new KubectlError("error: at least 1 argument is required for attach\nSee 'kubectl attach -h' for help and examples");
  if (args.length > 2) throw new KubectlError(`error: expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${args.length}: [${args.join(' ')}]\nSee 'kubectl attach -h' for help and examples`);
  const { pod } = resolvePod(k, args.length === 2 ? `${args[0]}/${args[1]}` : args[0]);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new KubectlError(`error: cannot attach a container in a completed pod; current phase is ${phase}`);
  const quiet = flagBool(k.flags, 'quiet');
  const { container, notice } = pickContainer(pod, flagString(k.flags, 'container'), quiet);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).some((c) => c.name === container);
  const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].find((c) => c.name === container);
  if (!spec) throw new KubectlError(`error: cannot attach to the container: container ${container} not found in pod ${pod.metadata.name}`);
  let stderr = notice;
  let tty = flagBool(k.flags, 'tty');
  if (tty && !spec.tty) {
    tty = false;
    if (!quiet) stderr += `error: Unable to use a TTY - container ${container} did not allocate one\n`;
  } else if (!tty && spec.tty) tty = true;
  if (!quiet) stderr += NOTICE;
  const ns = pod.metadata.namespace ?? k.namespace;
  const stdin = flagBool(k.flags, 'stdin');
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
  const running = statuses.find((s) => s.name === container)?.state?.running;
  if (!running) throw new KubectlError(`${stderr}error: unable to upgrade connection: container ${container} not found in pod ${pod.metadata.name}`);
  if (stdin && tty && spec.stdin) {
    const arg = { namespace: ns, pod: pod.metadata.name, container, ephemeral, quiet, stdin, tty, restartPolicy: pod.spec?.restartPolicy ?? 'Always' };
    k.ctx.shell.enter({ kind: 'pod', namespace: ns, pod: pod.metadata.name, container }, { via: 'kubectl-attach', exitHook: { name: 'kubectl-debug-session', arg } });
    return { stdout: '', stderr, exitCode: 0 };
  }
  // the container's output from now on
  const read = () => {
    const v = k.cluster.logs?.read?.(ns, pod.metadata.name, container);
    if (v === undefined || v === null) return '';
    return Array.isArray(v) ? v.map((l) => (l.endsWith('\n') ? l : l + '\n')).join('') : String(v);
  };
  let seen = read().length;
  const stream: Streaming = {
    streaming: true,
    stdout: '',
    stderr,
    intervalMs: 1000,
    step: () => {
      const now = read();
      const more = now.slice(seen);
      seen = now.length;
      const gone = !k.store.get('Pod', ns, pod.metadata.name);
      return gone ? { stdout: more, done: true, exitCode: 0 } : { stdout: more };
    },
    interrupt: () => ({ exitCode: 130 }),
  };
  return stream;
}
