/**
 * kubectl debug — k8s.io/kubectl v0.34 pkg/cmd/debug/debug.go and profiles.go.
 *
 * Complete: arguments before `--` name the targets, after it the debug container's command
 * (--arguments-only: its args); --attach defaults to -i; the profile by name ("unknown
 * profile: X"). Validate: its checks and messages in its order, "Targeting container …" on
 * stdout. Run: a Pod gets an ephemeral container through the ephemeralcontainers
 * subresource (debugByEphemeralContainer), or a copy (--copy-to, generatePodCopyWithDebugContainer,
 * --replace deletes the original); a node gets a Pod node-debugger-NODE-xxxxx bound to it
 * (generateNodeDebugPod); the profile (general by default) edits what is created. Then, as
 * handleAttachPod: wait for the container to run, and attach — with a TTY the learner's
 * terminal enters a shell in that container (the Pod's network namespace; a node debugger's
 * is the node's), a command runs and prints; attach's notices (pkg/cmd/attach/attach.go v0.34)
 * before, the reattach message when the session ends.
 */
import { observedPodStatus, setCondition, withStatus } from '../../controllers/util';
import type { CommandOutcome, OutputChunk, RunResult } from '../../types';
import { isEditRequest, isStreaming, outputChunks } from '../../types';
import type { Container, ContainerStatus, KubeObject, Pod } from '../../cluster/types';
import type { ExitHook } from '../../shell/command';
import type { ClusterRuntime } from '../../controllers/runtime';
import { resourceFor, apiVersionOf } from '../../cluster/resources';
import { notFound } from '../../cluster/api';
import { matchesReference } from '../../controllers/images';
import { flagBool, flagString, flagStrings, type FlagDef } from './flags';
import { errorText, KubectlError, resolveType, type Kctx } from './common';
import { forbidden } from './impersonate';

export const DEBUG_FLAGS: FlagDef[] = [
  { long: 'arguments-only', type: 'bool' },
  { long: 'attach', type: 'bool' },
  { long: 'container', short: 'c', type: 'string' },
  { long: 'copy-to', type: 'string' },
  { long: 'replace', type: 'bool' },
  { long: 'env', type: 'strings' },
  { long: 'image', type: 'string' },
  { long: 'keep-labels', type: 'bool' },
  { long: 'keep-annotations', type: 'bool' },
  { long: 'keep-liveness', type: 'bool' },
  { long: 'keep-readiness', type: 'bool' },
  { long: 'keep-startup', type: 'bool' },
  { long: 'keep-init-containers', type: 'bool' },
  { long: 'set-image', type: 'strings' },
  { long: 'image-pull-policy', type: 'string' },
  { long: 'stdin', short: 'i', type: 'bool' },
  { long: 'quiet', short: 'q', type: 'bool' },
  { long: 'same-node', type: 'bool' },
  { long: 'share-processes', type: 'bool' },
  { long: 'target', type: 'string' },
  { long: 'tty', short: 't', type: 'bool' },
  { long: 'profile', type: 'string' },
  { long: 'custom', type: 'string' },
  { long: 'filename', short: 'f', type: 'strings' },
];

const PROFILES = ['legacy', 'general', 'baseline', 'restricted', 'netadmin', 'sysadmin'];

/** attach.go v0.34: what attach writes to stderr before it streams (unless -q). */
const ATTACH_NOTICE =
  'All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\n' +
  "If you don't see a command prompt, try pressing enter.\n";

const SHELLS = new Set(['sh', 'bash', 'ash', 'zsh', '/bin/sh', '/bin/bash', '/bin/ash', '/bin/zsh', '/usr/bin/zsh']);

type Style = 'ephemeral' | 'podCopy' | 'node';

interface Options {
  image: string;
  container: string;
  args: string[];
  argsOnly: boolean;
  env: { name: string; value: string }[];
  pullPolicy: string;
  interactive: boolean;
  tty: boolean;
  attach: boolean;
  quiet: boolean;
  target: string;
  copyTo: string;
  replace: boolean;
  sameNode: boolean;
  setImages: Map<string, string>;
  profile: string;
  keep: { labels: boolean; annotations: boolean; liveness: boolean; readiness: boolean; startup: boolean; initContainers: boolean };
  shareProcesses?: boolean;
}

/** StringToString: `a=b,c=d` or repeated flags; pflag's error for an element without `=`. */
function stringToString(k: Kctx, flag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of flagStrings(k.flags, flag)) {
    for (const pair of raw.split(',')) {
      const eq = pair.indexOf('=');
      if (eq < 0) throw new KubectlError(`error: invalid argument "${raw}" for "--${flag}" flag: ${pair} must be formatted as key=value\nSee 'kubectl debug --help' for usage.`);
      out.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  return out;
}

function options(k: Kctx): Options {
  const f = k.flags;
  const interactive = flagBool(f, 'stdin');
  // debug.go v0.34 NewCmdDebug: --profile defaults to "legacy" (v1.35 made it "general")
  const profile = flagString(f, 'profile') ?? 'legacy';
  if (!PROFILES.includes(profile)) throw new KubectlError(`error: unknown profile: ${profile}`);
  const env = [...stringToString(k, 'env')].map(([name, value]) => ({ name, value }));
  return {
    image: flagString(f, 'image') ?? '',
    container: flagString(f, 'container') ?? '',
    args: f.afterDash ?? [],
    argsOnly: flagBool(f, 'arguments-only'),
    env,
    pullPolicy: flagString(f, 'image-pull-policy') ?? '',
    interactive,
    tty: flagBool(f, 'tty'),
    // Complete: --attach defaults to -i
    attach: f.values.has('attach') ? flagBool(f, 'attach') : interactive,
    quiet: flagBool(f, 'quiet'),
    target: flagString(f, 'target') ?? '',
    copyTo: flagString(f, 'copy-to') ?? '',
    replace: flagBool(f, 'replace'),
    sameNode: flagBool(f, 'same-node'),
    setImages: stringToString(k, 'set-image'),
    profile,
    keep: {
      labels: flagBool(f, 'keep-labels'),
      annotations: flagBool(f, 'keep-annotations'),
      liveness: flagBool(f, 'keep-liveness'),
      readiness: flagBool(f, 'keep-readiness'),
      startup: flagBool(f, 'keep-startup'),
      initContainers: f.values.has('keep-init-containers') ? flagBool(f, 'keep-init-containers') : true,
    },
    shareProcesses: f.values.has('share-processes') ? flagBool(f, 'share-processes') : undefined,
  };
}

/** Validate's last words on stderr (debug.go v0.34:403-406), for the legacy profile, the default. */
const LEGACY_WARNING = '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\n';

/** DebugOptions.Validate, in its order. Returns what it printed on stdout (its legacy warning follows, on stderr). */
function validate(k: Kctx, o: Options): string {
  const e = (m: string) => new KubectlError(`error: ${m}`);
  if (o.attach && k.flags.values.has('attach') && !o.image && !o.container) throw e('you must specify --container or create a new container using --image in order to attach.');
  if (o.copyTo) {
    if (!o.image && o.setImages.size === 0 && o.args.length === 0) throw e('you must specify --image, --set-image or command arguments.');
    if (o.args.length > 0 && !o.container && !o.image) throw e('you must specify an existing container or a new image when specifying args.');
  } else if (o.replace) throw e('--replace may only be used with --copy-to.');
  else if (o.sameNode) throw e('--same-node may only be used with --copy-to.');
  else if (o.setImages.size > 0) throw e('--set-image may only be used with --copy-to.');
  else if (!o.image) throw e('you must specify --image when not using --copy-to.');
  if (o.image && !matchesReference(o.image)) throw e(`invalid image name ${JSON.stringify(o.image)}: invalid reference format`);
  if (k.flags.positional.length === 0 && flagStrings(k.flags, 'filename').length === 0) throw e('NAME or filename is required for debug');
  if (!['Always', 'IfNotPresent', 'Never', ''].includes(o.pullPolicy)) throw e(`invalid image pull policy: ${o.pullPolicy}`);
  for (const [name, image] of o.setImages) if (!matchesReference(image)) throw e(`invalid image name ${JSON.stringify(image)} for container ${JSON.stringify(name)}: invalid reference format`);
  let printed = '';
  if (o.target) {
    if (o.copyTo) throw e('--target is incompatible with --copy-to. Use --share-processes instead.');
    if (!o.quiet) printed += `Targeting container ${JSON.stringify(o.target)}. If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n`;
  }
  if (o.tty && !o.interactive) throw new KubectlError(printed ? `error: -i/--stdin is required for containers with -t/--tty=true` : 'error: -i/--stdin is required for containers with -t/--tty=true', 1, printed);
  return printed;
}

// ---- profiles.go --------------------------------------------------------------------------

type AnyContainer = Container & { securityContext?: Record<string, unknown> };

function visit(pod: Pod, name: string, fn: (c: AnyContainer) => void): void {
  for (const list of [pod.spec.initContainers, pod.spec.containers, pod.spec.ephemeralContainers]) {
    for (const c of (list ?? []) as AnyContainer[]) if (c.name === name) return fn(c);
  }
}

function addCapability(c: AnyContainer, cap: string): void {
  const sc = (c.securityContext ??= {});
  const caps = (sc.capabilities ??= {}) as { add?: string[] };
  caps.add = [...(caps.add ?? []), cap];
}

function applyProfile(o: Options, pod: Pod, name: string, style: Style): void {
  const clearSecurityContext = () => visit(pod, name, (c) => delete c.securityContext);
  // profiles.go useHostNamespaces
  const shareHostNamespaces = () => Object.assign(pod.spec, { hostNetwork: true, hostPID: true, hostIPC: true });
  const mountRootPartition = () => {
    pod.spec.volumes = [...(pod.spec.volumes ?? []), { name: 'host-root', hostPath: { path: '/' } }];
    for (const c of pod.spec.containers ?? []) if (c.name === name) c.volumeMounts = [...(c.volumeMounts ?? []), { mountPath: '/host', name: 'host-root' }];
  };
  const copyCleanup = () => {
    if (!o.keep.labels) delete pod.metadata.labels;
    if (!o.keep.annotations) delete pod.metadata.annotations;
    for (const c of pod.spec.containers ?? []) {
      if (!o.keep.liveness) delete c.livenessProbe;
      if (!o.keep.readiness) delete c.readinessProbe;
      if (!o.keep.startup) delete c.startupProbe;
    }
    if (!o.keep.initContainers) delete pod.spec.initContainers;
    pod.spec.shareProcessNamespace ??= true;
  };
  const sc = (fn: (s: Record<string, unknown>) => void) => visit(pod, name, (c) => fn((c.securityContext ??= {})));
  switch (o.profile) {
    case 'legacy':
      if (style === 'node') {
        mountRootPartition();
        shareHostNamespaces();
      } else if (style === 'podCopy') pod.spec.shareProcessNamespace ??= true;
      return;
    case 'general':
      if (style === 'node') {
        mountRootPartition();
        clearSecurityContext();
        shareHostNamespaces();
      } else if (style === 'podCopy') {
        copyCleanup();
        visit(pod, name, (c) => addCapability(c, 'SYS_PTRACE'));
      } else visit(pod, name, (c) => addCapability(c, 'SYS_PTRACE'));
      return;
    case 'baseline':
      clearSecurityContext();
      if (style === 'podCopy') copyCleanup();
      return;
    case 'restricted':
      clearSecurityContext();
      sc((s) => (s.runAsNonRoot = true));
      sc((s) => (s.capabilities = { drop: ['ALL'] }));
      sc((s) => (s.allowPrivilegeEscalation = false));
      sc((s) => (s.seccompProfile = { type: 'RuntimeDefault' }));
      if (style === 'podCopy') copyCleanup();
      return;
    case 'netadmin':
      visit(pod, name, (c) => {
        addCapability(c, 'NET_ADMIN');
        addCapability(c, 'NET_RAW');
      });
      if (style === 'node') shareHostNamespaces();
      else if (style === 'podCopy') copyCleanup();
      return;
    case 'sysadmin':
      sc((s) => (s.privileged = true));
      if (style === 'node') {
        shareHostNamespaces();
        mountRootPartition();
      } else if (style === 'podCopy') copyCleanup();
      return;
  }
}

// ---- the debug container --------------------------------------------------------------------

function debugContainer(o: Options, name: string): AnyContainer {
  const c: AnyContainer = { name, image: o.image } as AnyContainer;
  if (o.env.length) c.env = o.env;
  if (o.pullPolicy) c.imagePullPolicy = o.pullPolicy;
  if (o.interactive) c.stdin = true;
  c.terminationMessagePolicy = 'File';
  if (o.tty) c.tty = true;
  if (o.args.length) {
    if (o.argsOnly) c.args = o.args;
    else c.command = o.args;
  }
  return c;
}

/** computeDebugContainerName: -c, or debugger-xxxxx not taken by any container of the Pod. */
function debugName(k: Kctx, o: Options, pod: Pod): { name: string; printed: string } {
  if (o.container) return { name: o.container, printed: '' };
  const taken = new Set([...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? []), ...(pod.spec.ephemeralContainers ?? [])].map((c) => c.name));
  let name = '';
  while (!name || taken.has(name)) name = `debugger-${k.cluster.rng.kubeString(5)}`;
  return { name, printed: o.quiet ? '' : `Defaulting debug container name to ${name}.\n` };
}

function debugByEphemeralContainer(k: Kctx, o: Options, pod: Pod): { pod: Pod; container: string; printed: string } {
  const { name, printed } = debugName(k, o, pod);
  const copied = structuredClone(pod);
  const ec = debugContainer(o, name) as AnyContainer & { targetContainerName?: string };
  if (o.target) ec.targetContainerName = o.target;
  copied.spec.ephemeralContainers = [...(copied.spec.ephemeralContainers ?? []), ec];
  applyProfile(o, copied, name, 'ephemeral');
  const denied = forbidden(k, resourceFor('Pod')!, 'patch', pod.metadata.name, pod.metadata.namespace ?? k.namespace);
  if (denied) throw Object.assign(denied, { printed });
  try {
    return { pod: k.cluster.api.updateEphemeralContainers(copied) as Pod, container: name, printed };
  } catch (e) {
    throw Object.assign(e as object, { printed });
  }
}

function debugByCopy(k: Kctx, o: Options, pod: Pod): { pod: Pod; container: string; printed: string } {
  const copied = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.copyTo, namespace: pod.metadata.namespace, ...(pod.metadata.annotations ? { annotations: { ...pod.metadata.annotations } } : {}), ...(pod.metadata.labels ? { labels: { ...pod.metadata.labels } } : {}) },
    spec: structuredClone(pod.spec),
  } as Pod;
  delete copied.spec.ephemeralContainers;
  if (o.shareProcesses !== undefined) copied.spec.shareProcessNamespace = o.shareProcesses;
  if (!o.sameNode) delete copied.spec.nodeName;
  for (const c of copied.spec.containers) {
    const override = o.setImages.get(c.name) ?? o.setImages.get('*');
    if (override) c.image = override;
  }
  let name = o.container;
  let printed = '';
  let c = [...copied.spec.containers, ...(copied.spec.initContainers ?? [])].find((x) => x.name === name) as AnyContainer | undefined;
  if (!c) {
    if (!o.image) {
      if (o.setImages.size > 0) return { pod: create(k, o, pod, copied), container: '', printed };
      throw new KubectlError('error: you must specify image when creating new container');
    }
    if (!name) ({ name, printed } = debugName(k, o, copied));
    c = { name, terminationMessagePolicy: 'File' } as AnyContainer;
    copied.spec.containers.push(c);
  }
  if (o.args.length) {
    if (o.argsOnly) c.args = o.args;
    else {
      c.command = o.args;
      delete c.args;
    }
  }
  if (o.env.length) c.env = o.env;
  if (o.image) c.image = o.image;
  if (o.pullPolicy) c.imagePullPolicy = o.pullPolicy;
  if (o.interactive) c.stdin = true;
  else delete c.stdin;
  if (o.tty) c.tty = true;
  else delete c.tty;
  applyProfile(o, copied, c.name, 'podCopy');
  try {
    return { pod: create(k, o, pod, copied), container: c.name, printed };
  } catch (e) {
    throw Object.assign(e as object, { printed });
  }
}

function create(k: Kctx, o: Options, original: Pod, copied: Pod): Pod {
  const ns = copied.metadata.namespace ?? k.namespace;
  const denied = forbidden(k, resourceFor('Pod')!, 'create', '', ns);
  if (denied) throw denied;
  const created = k.cluster.api.create(copied as unknown as KubeObject, { namespace: ns, fieldManager: 'kubectl-debug' }) as Pod;
  if (o.replace) k.cluster.api.delete('Pod', original.metadata.namespace, original.metadata.name, { gracePeriodSeconds: 0 });
  return created;
}

function visitNode(k: Kctx, o: Options, node: KubeObject): { pod: Pod; container: string; printed: string } {
  const cn = o.container || 'debugger';
  const pn = `node-debugger-${node.metadata.name}-${k.cluster.rng.kubeString(5)}`;
  const printed = o.quiet ? '' : `Creating debugging pod ${pn} with container ${cn} on node ${node.metadata.name}.\n`;
  const c = debugContainer({ ...o, args: [] }, cn);
  delete c.stdin;
  delete c.tty;
  if (o.interactive) c.stdin = true;
  if (o.tty) c.tty = true;
  if (o.args.length) {
    if (o.argsOnly) c.args = o.args;
    else c.command = o.args;
  }
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pn, namespace: k.namespace, labels: { 'app.kubernetes.io/managed-by': 'kubectl-debug' } },
    spec: { containers: [c], nodeName: node.metadata.name, restartPolicy: 'Never', tolerations: [{ operator: 'Exists' }] },
  } as unknown as Pod;
  applyProfile(o, pod, cn, 'node');
  const denied = forbidden(k, resourceFor('Pod')!, 'create', '', k.namespace);
  if (denied) throw Object.assign(denied, { printed });
  try {
    return { pod: k.cluster.api.create(pod as unknown as KubeObject, { namespace: k.namespace, fieldManager: 'kubectl-debug' }) as Pod, container: cn, printed };
  } catch (e) {
    throw Object.assign(e as object, { printed });
  }
}

// ---- attach ---------------------------------------------------------------------------------

function containerState(pod: Pod | undefined, name: string): 'running' | 'terminated' | 'waiting' {
  const all = [...(pod?.status?.containerStatuses ?? []), ...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.ephemeralContainerStatuses ?? [])];
  const s = all.find((x) => x.name === name);
  if (s?.state?.running) return 'running';
  if (s?.state?.terminated) return 'terminated';
  return 'waiting';
}

/** handleAttachPod: waitForContainer (until it runs or ends), then attach or, for an ended one, its logs. */
function attach(k: Kctx, o: Options, pod: Pod, container: string, ephemeral: boolean, printed: string): CommandOutcome {
  const ns = pod.metadata.namespace ?? k.namespace;
  let state = containerState(k.store.get('Pod', ns, pod.metadata.name), container);
  for (let waited = 0; waited < 120 && state === 'waiting'; waited++) {
    k.cluster.advance(1000);
    state = containerState(k.store.get('Pod', ns, pod.metadata.name), container);
  }
  if (state === 'waiting') {
    // the watch has no timeout; the simulator gives up after two minutes of virtual time
    return { stdout: printed, stderr: `error: timed out waiting for the condition\n`, exitCode: 1 };
  }
  if (state === 'terminated') return { stdout: printed, stderr: '', exitCode: 0 };
  const host = { kind: 'pod' as const, namespace: ns, pod: pod.metadata.name, container };
  const notice = o.quiet ? '' : ATTACH_NOTICE;
  const arg: SessionArg = { namespace: ns, pod: pod.metadata.name, container, ephemeral, quiet: o.quiet, stdin: o.interactive, tty: o.tty, restartPolicy: pod.spec?.restartPolicy ?? 'Always' };
  const cmd = o.args.length ? o.args : undefined;
  if (o.interactive && (!cmd || (cmd.length === 1 && SHELLS.has(cmd[0])))) {
    k.ctx.shell.enter(host, { via: 'kubectl-attach', shell: cmd?.[0], exitHook: { name: 'kubectl-debug-session', arg } });
    return { stdout: printed, stderr: notice, exitCode: 0 };
  }
  if (!cmd) return { stdout: printed, stderr: '', exitCode: 0 };
  // a command in the container: attach's notice, then its output streams through attach (with
  // a TTY both its streams are the terminal's: attach.go sets DisableStderr for a raw TTY), then
  // the container exits and attach ends with Success whatever the code (see sessionEnded)
  const r = k.ctx.shell.execIn(host, cmd, o.interactive ? k.ctx.stdin : '');
  const end = sessionEnded(k.cluster, arg, r.exitCode);
  const chunks: OutputChunk[] = [
    { stream: 'stdout', text: printed },
    { stream: 'stderr', text: notice },
    ...(o.tty ? [{ stream: 'stdout' as const, text: r.stdout + r.stderr }] : [{ stream: 'stdout' as const, text: r.stdout }, { stream: 'stderr' as const, text: r.stderr }]),
    { stream: 'stdout', text: end.stdout ?? '' },
  ].filter((c) => c.text) as OutputChunk[];
  const join = (s: OutputChunk['stream']) => chunks.filter((c) => c.stream === s).map((c) => c.text).join('');
  return { stdout: join('stdout'), stderr: join('stderr'), exitCode: 0, chunks };
}

interface SessionArg {
  namespace: string;
  pod: string;
  container: string;
  ephemeral: boolean;
  quiet: boolean;
  stdin: boolean;
  tty: boolean;
  /** The Pod's restartPolicy when attach started (reattachMessage reads it). */
  restartPolicy?: string;
}

/**
 * The container's process ended (the shell exited): the runtime reports it terminated. attach
 * does not fail on the process's exit code (the kubelet's ServeAttach ends the stream with
 * StatusSuccess; only kubectl exec turns a code into an error), so handleAttachPod
 * (debug.go v0.34:995-997) never gets to its "couldn't attach … falling back to streaming
 * logs" warning here. Then attach.go v0.34 reattachMessage (:351-359): nothing with -q, without
 * -i, without a raw TTY, or unless the Pod's restartPolicy is Always (a node debugger's is
 * Never); an ephemeral container's wording, or the resume wording, with CommandName `kubectl
 * attach` (debug passes cmd.Parent().CommandPath() + " attach").
 */
function sessionEnded(cluster: ClusterRuntime, a: SessionArg, code: number): Partial<RunResult> {
  const pod = cluster.store.get('Pod', a.namespace, a.pod);
  if (pod && a.ephemeral) {
    const iso = cluster.clock.iso(cluster.clock.now());
    const statuses = (pod.status?.ephemeralContainerStatuses ?? []).map((s: ContainerStatus) => {
      if (s.name !== a.container || !s.state?.running) return s;
      return { ...s, state: { terminated: { containerID: s.containerID, exitCode: code, finishedAt: iso, reason: code === 0 ? 'Completed' : 'Error', startedAt: s.state.running.startedAt } } };
    });
    cluster.api.updateStatus({ ...pod, status: { ...pod.status, ephemeralContainerStatuses: statuses } });
  } else if (pod && pod.spec?.restartPolicy === 'Never') {
    // the debugger Pod (restartPolicy Never, kubectl debug node/…): its only process ended, so the
    // kubelet reports the container terminated and the Pod Succeeded or Failed (kubelet.ts exited)
    const iso = cluster.clock.iso(cluster.clock.now());
    const statuses = (pod.status?.containerStatuses ?? []).map((s: ContainerStatus) => {
      if (s.name !== a.container || !s.state?.running) return s;
      return { ...s, ready: false, started: false, state: { terminated: { containerID: s.containerID, exitCode: code, finishedAt: iso, reason: code === 0 ? 'Completed' : 'Error', startedAt: s.state.running.startedAt } } };
    });
    if (statuses.every((s: ContainerStatus) => s.state?.terminated)) {
      let conditions = setCondition(pod.status?.conditions, { type: 'PodReadyToStartContainers', status: 'False' }, iso);
      conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason: 'PodCompleted' }, iso);
      conditions = setCondition(conditions, { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' }, iso);
      const phase = statuses.some((s: ContainerStatus) => s.state?.terminated?.exitCode !== 0) ? 'Failed' : 'Succeeded';
      const p = pod as unknown as Pod;
      cluster.api.updateStatus(withStatus(p, observedPodStatus(p, { ...p.status, containerStatuses: statuses, conditions, phase })));
    }
  }
  // attach.go reads the Pod it attached to (a session saved before restartPolicy was kept: the Pod now)
  const policy = a.restartPolicy ?? pod?.spec?.restartPolicy ?? 'Always';
  if (a.quiet || !a.stdin || !a.tty || policy !== 'Always') return {};
  if (a.ephemeral) return { stdout: `Session ended, the ephemeral container will not be restarted but may be reattached using 'kubectl attach ${a.pod} -c ${a.container} -i -t' if it is still running\n` };
  return { stdout: `Session ended, resume using 'kubectl attach ${a.pod} -c ${a.container} -i -t' command when the pod is running\n` };
}

export const kubectlDebugExitHooks: Record<string, ExitHook> = {
  // kubectl's own status: attach (and debug after it) returns nil, whatever the shell's code
  'kubectl-debug-session': (cluster, arg, code) => ({ ...sessionEnded(cluster, arg as SessionArg, code), exitCode: 0 }),
};

// ---- the verb -------------------------------------------------------------------------------

export function runDebug(k: Kctx): CommandOutcome {
  const o = options(k);
  const printed = validate(k, o);
  const warning = o.profile === 'legacy' ? LEGACY_WARNING : '';
  if (!warning) return run(k, o, printed);
  try {
    const r = run(k, o, printed);
    return isStreaming(r) || isEditRequest(r) ? r : insertStderr(r, printed.length, warning);
  } catch (e) {
    // Run failed: what it printed, Validate's warning in its place, then kubectl's error
    if (e instanceof KubectlError) return insertStderr({ stdout: e.stdout, stderr: errorText(e), exitCode: e.code }, printed.length, warning);
    throw e;
  }
}

/** `r` with `text` written on stderr once `afterStdout` characters of its stdout were. */
function insertStderr(r: RunResult, afterStdout: number, text: string): RunResult {
  const chunks: OutputChunk[] = [];
  let seen = 0;
  let placed = false;
  if (afterStdout === 0) {
    chunks.push({ stream: 'stderr', text });
    placed = true;
  }
  for (const c of outputChunks(r)) {
    if (!placed && c.stream === 'stdout' && seen + c.text.length >= afterStdout) {
      const cut = afterStdout - seen;
      chunks.push({ stream: 'stdout', text: c.text.slice(0, cut) }, { stream: 'stderr', text }, { stream: 'stdout', text: c.text.slice(cut) });
      placed = true;
      seen += c.text.length;
      continue;
    }
    if (c.stream === 'stdout') seen += c.text.length;
    chunks.push(c);
  }
  if (!placed) chunks.push({ stream: 'stderr', text });
  const kept = chunks.filter((c) => c.text);
  const join = (st: OutputChunk['stream']) => kept.filter((c) => c.stream === st).map((c) => c.text).join('');
  return { stdout: join('stdout'), stderr: join('stderr'), exitCode: r.exitCode, chunks: kept };
}

function run(k: Kctx, o: Options, validated: string): CommandOutcome {
  let printed = validated;
  const targets = k.flags.positional;
  if (targets.length === 0) throw new KubectlError('error: filename is not simulated here for kubectl debug; name the Pod or node/NAME', 1, printed);
  let stdout = '';
  for (const t of targets) {
    const slash = t.indexOf('/');
    const type = slash >= 0 ? t.slice(0, slash) : 'pods';
    const name = slash >= 0 ? t.slice(slash + 1) : t;
    let result: { pod: Pod; container: string; printed: string };
    try {
      const info = resolveType(type, k.store);
      if (info.kind === 'Node') {
        const node = k.store.get('Node', undefined, name);
        if (!node) throw notFound(info, name);
        result = visitNode(k, o, node);
      } else if (info.kind === 'Pod') {
        const pod = k.store.get('Pod', k.namespace, name);
        if (!pod) throw notFound(info, name);
        result = o.copyTo ? debugByCopy(k, o, pod) : debugByEphemeralContainer(k, o, pod);
      } else {
        const [group, version] = apiVersionOf(info).includes('/') ? apiVersionOf(info).split('/') : ['', apiVersionOf(info)];
        throw new KubectlError(`error: ${JSON.stringify(`${group ? group + '/' : ''}${version}, Kind=${info.kind}`)} not supported by debug`);
      }
    } catch (e) {
      const p = (e as { printed?: string }).printed ?? '';
      if (e instanceof KubectlError) throw new KubectlError(e.text, e.code, stdout + printed + p + e.stdout);
      throw new KubectlError(errorText(e), 1, stdout + printed + p);
    }
    printed += result.printed;
    if (o.attach && result.container) {
      const ephemeral = !o.copyTo && !(result.pod.spec.containers ?? []).some((c) => c.name === result.container);
      const r = attach(k, o, result.pod, result.container, ephemeral, stdout + printed);
      return r;
    }
    stdout += printed;
    printed = '';
  }
  return { stdout, stderr: '', exitCode: 0 };
}
