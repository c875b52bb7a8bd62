/**
 * kubectl run — k8s.io/kubectl/pkg/cmd/run/run.go: creates a Pod labelled run=NAME;
 * with -it and a command it attaches (runs the command in the pod and prints its output),
 * with -it alone it enters the container's shell, with --rm the pod is deleted afterwards.
 */
import type { CommandOutcome, RunResult, Streaming } from '../../types';
import type { ClusterRuntime } from '../../controllers/runtime';
import type { ExitHook } from '../../shell/command';
import { forbidden } from './impersonate';
import { resourceFor } from '../../cluster/resources';
import { matchesReference } from '../../controllers/images';
import { flagBool, flagString, flagStrings, type FlagDef } from './flags';
import { mergePatch } from './patch';
import type { Container, Manifest } from '../../cluster/types';
import { errorText, KubectlError, type Kctx, fieldManager, dryRunStrategy } from './common';
import { parseOutput, printGeneric } from './get';
import { withGoZeroValues } from './util';
import type { HostRef } from '../../types';
import { hasTool } from '../../hosts/hosts';
import { programAt } from '../../hosts/paths';

export const RUN_FLAGS: FlagDef[] = [
  { long: 'image', type: 'string' },
  { long: 'port', type: 'string' },
  { long: 'labels', short: 'l', type: 'string' },
  { long: 'restart', type: 'string' },
  { long: 'rm', type: 'bool' },
  { long: 'stdin', short: 'i', type: 'bool' },
  { long: 'tty', short: 't', type: 'bool' },
  { long: 'command', type: 'bool' },
  { long: 'env', type: 'strings' },
  { long: 'expose', type: 'bool' },
  { long: 'attach', type: 'bool' },
  { long: 'quiet', short: 'q', type: 'bool' },
  { long: 'dry-run', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'image-pull-policy', type: 'string' },
  { long: 'annotations', type: 'strings' },
  { long: 'overrides', type: 'string' },
  { long: 'pod-running-timeout', type: 'string' },
  { long: 'privileged', type: 'bool' },
  { long: 'serviceaccount', type: 'string' },
];

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function deletePod(cluster: ClusterRuntime, ns: string, name: string): string {
  try {
    cluster.api.delete('Pod', ns, name);
    // DeleteOptions.PrintObj (v1.34): namespaced objects name their namespace
    return `pod "${name}" deleted from ${ns} namespace\n`;
  } catch (e) {
    return errorText(e);
  }
}

interface RunSession {
  namespace: string;
  name: string;
  rm?: boolean;
  restart?: string;
}

/**
 * How `kubectl run -i` ends once the container's process has (run.go Run, v0.34): with
 * restartPolicy Always the attach returns nil whatever the code, after attach.go's
 * reattachMessage (a TTY session only); with Never, run waits for the Pod to complete and a
 * non-zero exit is CodeExitError "pod NS/NAME terminated (Error)" with that code; with
 * OnFailure it waits for a success that the restarted container does not bring, until the
 * pod-running timeout. --rm's removeCreatedObjects is deferred, so its line comes before
 * that error.
 */
function sessionEnd(cluster: ClusterRuntime, a: RunSession, code: number, tty: boolean): RunResult {
  const restart = a.restart ?? 'Always';
  let stdout = '';
  let stderr = '';
  if (restart === 'Always' && tty) stdout += `Session ended, resume using 'kubectl attach ${a.name} -c ${a.name} -i -t' command when the pod is running\n`;
  if (a.rm) {
    const text = deletePod(cluster, a.namespace, a.name);
    if (text.startsWith('pod "')) stdout += text;
    else stderr += text;
  }
  if (restart === 'Always' || code === 0) return { stdout, stderr, exitCode: 0 };
  if (restart === 'Never') return { stdout, stderr: stderr + `pod ${a.namespace}/${a.name} terminated (Error)\n`, exitCode: code };
  return { stdout, stderr: stderr + 'error: timed out waiting for the condition\n', exitCode: 1 };
}

/** The shell's exit hook for `run -it` sessions (the command table hands it to the shell). */
export const kubectlRunExitHooks: Record<string, ExitHook> = {
  'kubectl-run-session': (cluster, arg, code) => sessionEnd(cluster, arg as RunSession, code, true),
  // a session saved before the two hooks became one (a restored lab's open `run --rm -it`)
  'kubectl-run-rm': (cluster, arg, code) => sessionEnd(cluster, { ...(arg as RunSession), rm: true }, code, true),
};

const SHELL_NAMES = new Set(['sh', 'ash', 'bash', 'zsh', 'dash']);

/** Whether `word` (a name on PATH or a path) starts an interactive shell the container has. */
function isShellOn(k: Kctx, host: HostRef, word: string): boolean {
  const program = word.includes('/') ? programAt(k.cluster, host, word) : word;
  return program !== undefined && SHELL_NAMES.has(program) && hasTool(k.cluster, host, program);
}

/**
 * `--attach` without `-i`: the container's process runs on its own (the kubelet started it,
 * with nothing on stdin); the attach streams what it prints until it exits, and run.go's
 * waitForPod/logOpts print the log of a Pod that has already finished. So: its log once its
 * process has ended (up to --pod-running-timeout, 1m), and its exit code.
 */
function attachedOutput(k: Kctx, name: string): RunResult {
  const state = () => (k.store.get('Pod', k.namespace, name)?.status?.containerStatuses ?? []).find((s: { name: string }) => s.name === name)?.state;
  for (let waited = 0; waited < 60 && state()?.running; waited++) k.cluster.advance(1000);
  const lines = k.cluster.logs.read(k.namespace, name, name);
  return { stdout: lines.map((l) => `${l}\n`).join(''), stderr: '', exitCode: state()?.terminated?.exitCode ?? 0 };
}

export function runRun(k: Kctx): CommandOutcome {
  const [name, ...extra] = k.flags.positional;
  if (!name) throw new KubectlError("error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
  if (!DNS1123_LABEL.test(name) || name.length > 63) {
    throw new KubectlError(`error: invalid pod name "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`);
  }
  const image = flagString(k.flags, 'image');
  if (!image) throw new KubectlError('error: required flag(s) "image" not set');
  if (!matchesReference(image)) throw new KubectlError(`error: Invalid image name ${JSON.stringify(image)}: invalid reference format`);
  const cmd = [...extra, ...(k.flags.afterDash ?? [])];
  const restart = flagString(k.flags, 'restart') ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new KubectlError(`error: invalid restart policy: ${restart}`);
  const rm = flagBool(k.flags, 'rm');
  const stdin = flagBool(k.flags, 'stdin');
  const tty = flagBool(k.flags, 'tty');
  const attach = stdin || flagBool(k.flags, 'attach');
  if (rm && !attach) throw new KubectlError('error: --rm should only be used for attached containers');
  if (tty && !stdin) throw new KubectlError('error: -i/--stdin is required for containers with -t/--tty=true');
  const expose = flagBool(k.flags, 'expose');
  if (expose && !flagString(k.flags, 'port')) throw new KubectlError("error: --port must be set when exposing a service\nSee 'kubectl run -h' for help and examples");

  let labels: Record<string, string> = { run: name };
  const labelArg = flagString(k.flags, 'labels');
  if (labelArg) {
    labels = {};
    for (const part of labelArg.split(',')) {
      const i = part.indexOf('=');
      if (i <= 0) throw new KubectlError(`error: invalid label spec: ${part}`);
      labels[part.slice(0, i)] = part.slice(i + 1);
    }
  }
  const container: Container = { image, name };
  if (cmd.length > 0) {
    if (flagBool(k.flags, 'command')) container.command = cmd;
    else container.args = cmd;
  }
  const env = flagStrings(k.flags, 'env');
  if (env.length > 0) container.env = env.map((e) => ({ name: e.slice(0, e.indexOf('=')), value: e.slice(e.indexOf('=') + 1) }));
  const port = flagString(k.flags, 'port');
  if (port) {
    if (!/^\d+$/.test(port)) throw new KubectlError(`error: strconv.Atoi: parsing "${port}": invalid syntax`);
    container.ports = [{ containerPort: Number(port) }];
  }
  if (stdin) container.stdin = true;
  if (stdin && !attach) container.stdinOnce = true;
  if (tty) container.tty = true;
  let pod: Manifest = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { labels, name },
    spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: restart },
  };
  const overrides = flagString(k.flags, 'overrides');
  if (overrides) {
    // cmdutil.Merge: the generated object, JSON merge-patched (RFC 7386) with the fragment
    let fragment: unknown;
    try {
      fragment = JSON.parse(overrides);
    } catch {
      throw new KubectlError('error: Invalid JSON Patch');
    }
    pod = mergePatch(pod, fragment, false) as Manifest;
  }
  const dry = dryRunStrategy(k);
  const output = flagString(k.flags, 'output');
  if (dry === 'client') {
    if (output) return { stdout: printGeneric(parseOutput(output, 'run'), [withGoZeroValues(pod)], true, false), stderr: '', exitCode: 0 };
    return { stdout: `pod/${name} created (dry run)\n`, stderr: '', exitCode: 0 };
  }
  const denied = forbidden(k, resourceFor('Pod')!, 'create', '', k.namespace);
  if (denied) throw denied;
  if (dry === 'server') {
    // run.go createGeneratedObject: the POST with ?dryRun=All; the server's object is what -o prints
    const answered = k.cluster.api.create(pod, { namespace: k.namespace, fieldManager: fieldManager(k, 'kubectl-run'), dryRun: true });
    if (output) return { stdout: printGeneric(parseOutput(output, 'run'), [answered], true, false), stderr: '', exitCode: 0 };
    return { stdout: `pod/${name} created (server dry run)\n`, stderr: '', exitCode: 0 };
  }
  const created = k.cluster.api.create(pod, { namespace: k.namespace, fieldManager: fieldManager(k, 'kubectl-run') });
  // run.go: with --expose the Service (generateService: the expose generator's service/v2, selector
  // --labels or run=NAME, port and targetPort --port) is created and printed before the Pod is
  let exposed = '';
  let exposeErr = '';
  if (expose) {
    const service: Manifest = {
      apiVersion: 'v1',
      kind: 'Service',
      // service/v2 (pkg/generate/versioned/service.go generate): params["labels"] — --labels as given — become the Service's labels too
      metadata: { ...(labelArg ? { labels } : {}), name },
      spec: { ports: [{ port: Number(port), protocol: 'TCP', targetPort: Number(port) }], selector: labelArg ? labels : { run: name } },
    };
    try {
      const svc = k.cluster.api.create(service, { namespace: k.namespace, fieldManager: fieldManager(k, 'kubectl-run') });
      exposed = output && !attach ? printGeneric(parseOutput(output, 'run'), [svc], true, false) + (output === 'yaml' ? '---\n' : '') : `service/${name} created\n`;
    } catch (e) {
      exposeErr = errorText(e);
    }
  }
  if (output && !attach) return { stdout: exposed + printGeneric(parseOutput(output, 'run'), [created], true, false), stderr: exposeErr, exitCode: exposeErr ? 1 : 0 };
  if (!attach) return { stdout: `${exposed}pod/${name} created\n`, stderr: exposeErr, exitCode: exposeErr ? 1 : 0 };

  // kubectl waits (--pod-running-timeout, 1m) for the pod to run before it attaches
  for (let waited = 0; waited < 60; waited++) {
    const phase = k.store.get('Pod', k.namespace, name)?.status?.phase;
    if (phase === 'Running' || phase === 'Succeeded' || phase === 'Failed') break;
    k.cluster.advance(1000);
  }
  const host = { kind: 'pod' as const, namespace: k.namespace, pod: name, container: name };
  // attach.go (v0.34) writes both lines before it streams
  const prompt = flagBool(k.flags, 'quiet')
    ? ''
    : 'All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\n' + "If you don't see a command prompt, try pressing enter.\n";
  // run.go attaches to the container's own process; when that is an interactive shell the session is
  // the learner's, and --rm's removeCreatedObjects runs only after the attach returns (the shell exits)
  if (tty && (cmd.length === 0 || (cmd.length === 1 && isShellOn(k, host, cmd[0])))) {
    const session: RunSession = { namespace: k.namespace, name, rm, restart };
    k.ctx.shell.enter(host, { via: 'kubectl-attach', exitHook: { name: 'kubectl-run-session', arg: session } });
    return { stdout: '', stderr: prompt, exitCode: 0 };
  }
  const r = stdin ? k.ctx.shell.execIn(host, cmd.length > 0 ? cmd : ['sh'], k.ctx.stdin) : attachedOutput(k, name);
  // the attached process was the container's own: its output is the container's log, its end the container's
  if (stdin) k.cluster.kubelet.attachedEnded(k.namespace, name, name, [{ stream: 'stderr', text: r.stderr.slice(0, r.stderrLead ?? 0) }, { stream: 'stdout', text: r.stdout }, { stream: 'stderr', text: r.stderr.slice(r.stderrLead ?? 0) }], r.exitCode);
  const end = sessionEnd(k.cluster, { namespace: k.namespace, name, rm, restart }, r.exitCode, tty);
  // the container's output streams through the attach before run's own lines
  const stdout = r.stdout + end.stdout;
  const stderr = r.stderr + end.stderr;
  if (!tty) return { stdout, stderr, exitCode: end.exitCode, stderrLead: r.stderr.length };
  // attach prints its hint before the container's output arrives
  const attached: Streaming = {
    streaming: true,
    stdout: '',
    stderr: prompt,
    intervalMs: 1,
    step: () => ({ stdout, stderr, done: true, exitCode: end.exitCode }),
    interrupt: () => ({ stdout, stderr, exitCode: end.exitCode }),
  };
  return attached;
}
