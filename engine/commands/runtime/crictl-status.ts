/**
 * crictl (cri-tools v1.34.0) beyond the lists: `inspect`, `inspectp`, `logs`, `images`,
 * `version` and `--version`, over what containerd's CRI plugin (v1.7.22) holds on the node.
 *
 * inspect / inspectp (cmd/crictl/container.go containerStatus, sandbox.go
 * podSandboxStatus, util.go outputStatusData): the CRI status as protojson marshals it with
 * EmitDefaultValues (createdAt/startedAt/finishedAt rewritten as RFC 3339 times), plus the
 * runtime's verbose `info`, all re-marshalled by encoding/json — so every object's keys come
 * out sorted, `<>&` escaped, indented by two spaces. containerd's info (internal/cri/server
 * container_status.go ContainerInfo, sandbox_status.go SandboxInfo) carries the process PID
 * (the process table's, processes.ts), the sandbox ID, snapshotter, runtime type and options,
 * and the OCI spec's namespaces: a sandbox's network namespace is the /var/run/netns/cni-…
 * file `ip netns` lists, a container joins its sandbox's through /proc/PAUSE/ns/net. The
 * config and runtimeSpec are abridged to what the simulation derives (the process, the
 * namespaces, the cgroup path); the status's `resources` and `user` are left out.
 *
 * IDs: any unique prefix (containerd's truncindex); an unknown one gets containerd's
 * NotFound through cri-client's klog line (internal/log.go:32) and crictl's logrus.Fatal,
 * `FATA[0000] …` at a terminal, `time=… level=fatal msg=…` otherwise.
 */
import type { ClusterRuntime } from '../../controllers/runtime';
import type { CommandContext } from '../../shell/command';
import type { RunResult } from '../../types';
import type { KubeObject } from '../../cluster/types';
import { sha256 } from '../../cluster/hash';
import { imageSize, parseImage } from '../../controllers/images';
import { netnsName } from '../../controllers/cni/netdev';
import { tabwrite } from '../../printers/kubectl/tabwriter';
import { CONTAINERD_VERSION, CRICTL_VERSION, PAUSE_IMAGE } from '../../cluster/release';
import { containersOf, imageId, sandboxesOn, type CriContainer, type Sandbox } from './sandboxes';
import { containerArgv, nodeProcesses } from './processes';
import { printYaml } from '../../printers/kubectl/serialize';
import { compactJson } from '../../printers/kubectl/jsonpath';
import { compileGoTemplate, GoTemplateError, goQuote, type GoTemplateDialect } from '../../printers/kubectl/gotemplate';
import { containerEnv } from '../../shell/shell';

/** docker/go-units HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3600000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(Math.floor(ms / 3600000) / 24 / 365)} years`;
}

// ---- Go's encoding/json ----------------------------------------------------------------

/** json.Marshal of map[string]any then json.Indent(…, "", "  "): sorted keys, HTML-safe escapes. */
export function goJson(v: unknown, indent = ''): string {
  const next = indent + '  ';
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length ? `[\n${v.map((x) => next + goJson(x, next)).join(',\n')}\n${indent}]` : '[]';
  const keys = Object.keys(v as Record<string, unknown>).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
  if (!keys.length) return '{}';
  return `{\n${keys.map((k) => `${next}${goJson(k)}: ${goJson((v as Record<string, unknown>)[k], next)}`).join(',\n')}\n${indent}}`;
}

/** time.Time.Format(time.RFC3339Nano) in UTC: trailing zeros of the fraction dropped. */
function rfc3339Nano(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '0001-01-01T00:00:00Z';
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d{3})Z$/, (_m, f: string) => (f === '000' ? 'Z' : `.${f.replace(/0+$/, '')}Z`));
}

// ---- errors --------------------------------------------------------------------------------

/** logrus.Fatal as crictl's TextFormatter prints it: `FATA[0000] msg` (padded to 44) at a terminal, key=value otherwise. */
export function fatal(ctx: CommandContext, msg: string): string {
  if (ctx.interactive) return `FATA[0000] ${msg.padEnd(44)} \n`;
  const at = new Date(ctx.cluster.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `time="${at}" level=fatal msg=${JSON.stringify(msg)}\n`;
}

/** klog's error line, as cri-client's internal.LogErr writes it (the logger.Error call in internal/log.go is line 32). */
export function klogError(ctx: CommandContext, msg: string, err: string, key: string, id: string): string {
  const now = ctx.cluster.clock.now();
  const d = new Date(now);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const pid = nodeProcesses(ctx.cluster, (ctx.host as { node: string }).node, ['crictl']).find((x) => x.state === 'R')?.pid ?? 1;
  return `E${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p((now % 1000) * 1000, 6)} ${String(pid).padStart(7)} log.go:32] ${JSON.stringify(msg)} err=${JSON.stringify(err)} ${key}=${JSON.stringify(id)}\n`;
}

function notFound(ctx: CommandContext, kind: 'container' | 'sandbox', id: string, wrap: string): RunResult {
  const err = `rpc error: code = NotFound desc = an error occurred when try to find ${kind} "${id}": not found`;
  const line = kind === 'container' ? klogError(ctx, 'ContainerStatus from runtime service failed', err, 'containerID', id) : klogError(ctx, 'PodSandboxStatus from runtime service failed', err, 'podSandboxID', id);
  return { stdout: '', stderr: line + fatal(ctx, wrap + err), exitCode: 1 };
}

/** No ID and no filter: logrus.Error, then the subcommand's help, and the action returns nil (status 0). */
function noIds(ctx: CommandContext, title: string, usage: string): RunResult {
  const msg = 'No IDs provided or nothing found per filter';
  const at = new Date(ctx.cluster.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const err = ctx.interactive ? `ERRO[0000] ${msg.padEnd(44)} \n` : `time="${at}" level=error msg="${msg}"\n`;
  const name = title.split(' ')[0];
  return { stdout: `NAME:\n   crictl ${title}\n\nUSAGE:\n   crictl ${name} [command options] ${usage}\n`, stderr: err, exitCode: 0 };
}

// ---- lookups -------------------------------------------------------------------------------

export interface Found {
  c: CriContainer;
  pod: KubeObject;
  sandbox: Sandbox;
}

export function containersOn(ctx: CommandContext, node: string): Found[] {
  return sandboxesOn(ctx.cluster, node).flatMap(({ pod, sandbox }) => containersOf(pod, sandbox).map((c) => ({ c, pod, sandbox })));
}

/** containerd's truncindex: the one ID the prefix starts, else not found. */
export function byPrefix<T>(items: T[], id: (x: T) => string, prefix: string): T | undefined {
  if (!prefix) return undefined;
  const hits = items.filter((x) => id(x).startsWith(prefix));
  return hits.length === 1 ? hits[0] : undefined;
}

type Spec = { name: string; image?: string; command?: string[]; args?: string[]; ports?: { name?: string; containerPort: number; protocol?: string; hostPort?: number; hostIP?: string }[]; volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[]; terminationMessagePath?: string; terminationMessagePolicy?: string; workingDir?: string };

function specOf(pod: KubeObject, name: string): Spec | undefined {
  return ((pod.spec?.containers ?? []) as Spec[]).find((c) => c.name === name);
}

function podDir(pod: KubeObject): string {
  return `/var/lib/kubelet/pods/${pod.metadata.uid}`;
}

/** kubelet's makeMounts: the volume mounts in spec order, /etc/hosts, then the termination message file. */
function mounts(pod: KubeObject, c: Spec, runId: string): Record<string, unknown>[] {
  const vols: { name: string; hostPath?: { path: string }; projected?: unknown; configMap?: unknown; secret?: unknown; emptyDir?: unknown }[] = pod.spec?.volumes ?? [];
  const plugin = (v: (typeof vols)[number]) => (v.projected ? 'kubernetes.io~projected' : v.configMap ? 'kubernetes.io~configmap' : v.secret ? 'kubernetes.io~secret' : 'kubernetes.io~empty-dir');
  const m = (containerPath: string, hostPath: string, readonly: boolean) => ({ containerPath, gidMappings: [], hostPath, imageSubPath: '', propagation: 'PROPAGATION_PRIVATE', readonly, recursiveReadOnly: false, selinuxRelabel: false, uidMappings: [] });
  const out = (c.volumeMounts ?? []).map((vm) => {
    const v = vols.find((x) => x.name === vm.name);
    const host = v?.hostPath ? v.hostPath.path : `${podDir(pod)}/volumes/${v ? plugin(v) : 'kubernetes.io~empty-dir'}/${vm.name}`;
    return m(vm.mountPath, host, !!vm.readOnly);
  });
  if (!pod.spec?.hostNetwork) out.push(m('/etc/hosts', `${podDir(pod)}/etc-hosts`, false));
  out.push(m(c.terminationMessagePath ?? '/dev/termination-log', `${podDir(pod)}/containers/${c.name}/${runId.slice(0, 8)}`, false));
  return out;
}

/**
 * The OCI spec's mounts: containerd's defaults (oci/mounts.go defaultMounts: /proc, /dev,
 * /dev/pts, /dev/mqueue, /sys, then /sys/fs/cgroup), then the CRI's bind mounts — the
 * sandbox's /etc/hostname, /etc/resolv.conf and /dev/shm and the kubelet's mounts — ordered by
 * their number of path parts (internal/cri/opts/spec_linux.go WithMounts, orderedMounts).
 */
function ociMounts(pod: KubeObject, c: Spec, runId: string, sandboxId: string): Record<string, unknown>[] {
  const defaults = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
  ];
  const sb = `/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${sandboxId}`;
  const cri: { containerPath: string; hostPath: string; readonly: boolean }[] = [];
  if (!pod.spec?.hostNetwork) {
    cri.push({ containerPath: '/etc/hostname', hostPath: `${sb}/hostname`, readonly: false });
  }
  cri.push({ containerPath: '/etc/resolv.conf', hostPath: `${sb}/resolv.conf`, readonly: false });
  cri.push({ containerPath: '/dev/shm', hostPath: `/run/containerd/io.containerd.grpc.v1.cri/sandboxes/${sandboxId}/shm`, readonly: false });
  for (const m of mounts(pod, c, runId)) cri.push({ containerPath: String(m.containerPath), hostPath: String(m.hostPath), readonly: !!m.readonly });
  const parts = (p: string) => p.split('/').filter(Boolean).length;
  const binds = cri
    .map((m, i) => ({ m, i }))
    .sort((a, b) => parts(a.m.containerPath) - parts(b.m.containerPath) || a.i - b.i)
    .map(({ m }) => ({ destination: m.containerPath, type: 'bind', source: m.hostPath, options: ['rbind', 'rprivate', m.readonly ? 'ro' : 'rw'] }));
  return [...defaults, ...binds];
}

/** The kubelet's container labels and annotations (pkg/kubelet/kuberuntime/labels.go). */
function containerLabels(pod: KubeObject, name: string): Record<string, string> {
  return { 'io.kubernetes.container.name': name, 'io.kubernetes.pod.name': pod.metadata.name, 'io.kubernetes.pod.namespace': pod.metadata.namespace ?? 'default', 'io.kubernetes.pod.uid': pod.metadata.uid };
}

function containerAnnotations(pod: KubeObject, c: Spec, restartCount: number): Record<string, string> {
  const a: Record<string, string> = { 'io.kubernetes.container.hash': sha256(`container-hash/${JSON.stringify(c)}`).slice(0, 8) };
  if (c.ports?.length) a['io.kubernetes.container.ports'] = JSON.stringify(c.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), ...(p.hostPort ? { hostPort: p.hostPort } : {}), containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })));
  a['io.kubernetes.container.restartCount'] = String(restartCount);
  a['io.kubernetes.container.terminationMessagePath'] = c.terminationMessagePath ?? '/dev/termination-log';
  a['io.kubernetes.container.terminationMessagePolicy'] = c.terminationMessagePolicy ?? 'File';
  a['io.kubernetes.pod.terminationGracePeriod'] = String(pod.spec?.terminationGracePeriodSeconds ?? 30);
  return a;
}

function sandboxLabels(pod: KubeObject): Record<string, string> {
  return { ...(pod.metadata.labels ?? {}), 'io.kubernetes.pod.name': pod.metadata.name, 'io.kubernetes.pod.namespace': pod.metadata.namespace ?? 'default', 'io.kubernetes.pod.uid': pod.metadata.uid };
}

/** The cgroup the kubelet's systemd driver gives the Pod: kubepods[-QOS]-pod<uid>.slice. */
function podSlice(pod: KubeObject): string {
  const qos = String(pod.status?.qosClass ?? 'BestEffort');
  const uid = pod.metadata.uid.replace(/-/g, '_');
  return qos === 'Guaranteed' ? `kubepods-pod${uid}.slice` : `kubepods-${qos.toLowerCase()}-pod${uid}.slice`;
}

function netnsPath(pod: KubeObject): string | undefined {
  return pod.spec?.hostNetwork ? undefined : `/var/run/netns/${netnsName(pod)}`;
}

// ---- inspect / inspectp ----------------------------------------------------------------------

interface StatusArgs {
  ids: string[];
  output: string;
  template: string;
  quiet: boolean;
}

/** urfave/cli v2 flags of inspect / inspectp: -o/--output, --template, -q/--quiet, then the IDs. */
function parseIds(args: string[], allowed: string[]): StatusArgs | string {
  const ids: string[] = [];
  let output = '';
  let template = '';
  let quiet = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o' || a === '--output' || a === '-output') {
      if (args[i + 1] === undefined) return `flag needs an argument: ${a.replace(/^-+/, '-')}`;
      output = args[++i];
    } else if (/^--?(output|o)=/.test(a)) output = a.slice(a.indexOf('=') + 1);
    else if (a === '--template' || a === '-template') {
      if (args[i + 1] === undefined) return 'flag needs an argument: -template';
      template = args[++i];
    } else if (/^--?template=/.test(a)) template = a.slice(a.indexOf('=') + 1);
    else if (a === '-q' || a === '--quiet') quiet = true;
    else if (allowed.includes(a)) continue;
    else if (a.startsWith('-')) return `flag provided but not defined: ${a.replace(/^-+/, '-')}`;
    else ids.push(a);
  }
  return { ids, output, template, quiet };
}

/** crictl's template functions (cmd/crictl/templates.go builtinTmplFuncs). */
const CRICTL_TEMPLATE: GoTemplateDialect = {
  funcs: {
    // json.NewEncoder(o).Encode(v): compact, HTML-escaped, a newline after
    json: { arity: [1, false], call: ([v]) => compactJson(v ?? null).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) + '\n' },
    // golang.org/x/text/cases Title(und, NoLower), Lower, Upper
    title: { arity: [1, false], call: ([v]) => String(v).replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()) },
    lower: { arity: [1, false], call: ([v]) => String(v).toLowerCase() },
    upper: { arity: [1, false], call: ([v]) => String(v).toUpperCase() },
  },
  missingKeyError: true,
  jsonNumbers: true,
};

/**
 * util.go outputStatusData: every ID's status and info in one map (an array when there are
 * several), re-marshalled by encoding/json, then as json (two-space indent), yaml
 * (sigs.k8s.io/yaml), or a go-template run on the JSON decoded with UseNumber
 * (templates.go tmplExecuteRawJSON: template "tmplExecuteRawJSON", missingkey=error); each
 * printed with fmt.Println. An error is wrapped by the command's message and logrus.Fatal.
 */
function outputStatusData(ctx: CommandContext, wrap: string, results: unknown[], format: string, tmpl: string): RunResult {
  if (!results.length) return { stdout: '', stderr: '', exitCode: 0 };
  const data = results.length === 1 ? results[0] : results;
  switch (format) {
    case 'yaml':
      return { stdout: printYaml(data) + '\n', stderr: '', exitCode: 0 };
    case 'json':
      return { stdout: goJson(data) + '\n', stderr: '', exitCode: 0 };
    case 'go-template': {
      let t;
      try {
        t = compileGoTemplate(tmpl, 'tmplExecuteRawJSON', CRICTL_TEMPLATE);
      } catch (e) {
        if (!(e instanceof GoTemplateError)) throw e;
        return { stdout: '', stderr: fatal(ctx, `${wrap}execute template: failed to generate go-template: ${e.message}`), exitCode: 1 };
      }
      try {
        return { stdout: t.execute(data) + '\n', stderr: '', exitCode: 0 };
      } catch (e) {
        if (!(e instanceof GoTemplateError)) throw e;
        return { stdout: '', stderr: fatal(ctx, `${wrap}execute template: failed to template data: ${e.message}`), exitCode: 1 };
      }
    }
    default:
      return { stdout: '', stderr: fatal(ctx, `${wrap}unsupported format: ${goQuote(format)}`), exitCode: 1 };
  }
}

/** time.Time's String() in UTC: `2025-01-15 08:55:00.123 +0000 UTC` (the fraction's trailing zeros dropped). */
function goTimeString(ms: number): string {
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? '.' + frac : ''} +0000 UTC`;
}

/** The verbose info map as `%v` prints it: `map[info:{…}]`, containerd's JSON in its structs' field order. */
function infoLine(info: unknown): string {
  const json = JSON.stringify(info).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `Info: map[info:${json}]\n`;
}

function sortedPairs(m: Record<string, string>): string {
  return Object.keys(m).sort().map((k) => `\t${k} -> ${m[k]}\n`).join('');
}

/** container.go outputContainerStatusTable. */
function containerTable(ctx: CommandContext, r: { info: unknown; status: ContainerStatus }, c: CriContainer, verbose: boolean): string {
  const now = ctx.cluster.clock.now();
  const st = r.status;
  let out = `ID: ${st.id}\nName: ${st.metadata.name}\n`;
  if (st.metadata.attempt !== 0) out += `Attempt: ${st.metadata.attempt}\n`;
  out += `State: ${st.state}\nCreated: ${humanAgo(now, c.created)}\nStarted: ${humanAgo(now, c.created)}\n`;
  if (st.state === 'CONTAINER_EXITED') {
    if (c.finished !== undefined && Number.isFinite(c.finished)) out += `Finished: ${humanAgo(now, c.finished)}\n`;
    out += `Exit Code: ${st.exitCode}\n`;
  }
  out += `Labels:\n${sortedPairs(st.labels)}Annotations:\n${sortedPairs(st.annotations)}`;
  if (verbose) out += infoLine(r.info);
  return out;
}

/** sandbox.go outputPodSandboxStatusTable. */
function sandboxTable(r: { info: unknown; status: SandboxStatus }, created: number, verbose: boolean): string {
  const st = r.status;
  let out = `ID: ${st.id}\nName: ${st.metadata.name}\nUID: ${st.metadata.uid}\nNamespace: ${st.metadata.namespace}\nAttempt: ${st.metadata.attempt}\n`;
  out += `Status: ${st.state}\nCreated: ${goTimeString(created)}\nIP Addresses: ${st.network.ip}\n`;
  for (const a of st.network.additionalIps) out += `Additional IP: ${a.ip}\n`;
  out += `Labels:\n${sortedPairs(st.labels)}Annotations:\n${sortedPairs(st.annotations)}`;
  if (verbose) out += infoLine(r.info);
  return out;
}

function humanAgo(now: number, at: number): string {
  return `${humanDuration(Math.max(0, now - at))} ago`;
}

function inspect(ctx: CommandContext, node: string, args: string[]): RunResult {
  const p = parseIds(args, ['-q', '--quiet']);
  if (typeof p === 'string') return { stdout: '', stderr: `Incorrect Usage: ${p}\n`, exitCode: 1 };
  if (!p.ids.length) return noIds(ctx, 'inspect - Display the status of one or more containers', 'CONTAINER-ID [CONTAINER-ID...]');
  const format = p.output || 'json';
  const all = containersOn(ctx, node);
  const procs = nodeProcesses(ctx.cluster, node);
  const out: unknown[] = [];
  let table = '';
  for (const id of p.ids) {
    const f = byPrefix(all, (x) => x.c.id, id);
    if (!f) {
      const nf = notFound(ctx, 'container', id, 'get the status of containers: get container status: ');
      return { ...nf, stdout: table };
    }
    const r = containerStatusJson(ctx, f, procs, !p.quiet);
    if (format === 'table') table += containerTable(ctx, r, f.c, !p.quiet);
    else out.push(p.quiet ? { status: r.status } : r);
  }
  if (format === 'table') return { stdout: table, stderr: '', exitCode: 0 };
  return outputStatusData(ctx, 'get the status of containers: ', out, format, p.template);
}

type ContainerStatus = ReturnType<typeof containerStatusJson>['status'];
type SandboxStatus = ReturnType<typeof sandboxStatusJson>['status'];

function containerStatusJson(ctx: CommandContext, { c, pod, sandbox }: Found, procs: ReturnType<typeof nodeProcesses>, verbose: boolean) {
  const spec = specOf(pod, c.name) ?? { name: c.name };
  const ref = parseImage(spec.image ?? c.status.image ?? '');
  const digest = `sha256:${sha256(`${ref.registry}/${ref.repository}:${ref.tag}`)}`;
  const running = c.state === 'Running';
  const main = procs.find((x) => x.containerId === c.id);
  const pause = procs.find((x) => x.pod?.metadata.uid === pod.metadata.uid && x.comm === 'pause');
  const ns = (type: string, path?: string) => (path ? { path, type } : { type });
  const pausePid = pause?.pid;
  const status = {
    annotations: containerAnnotations(pod, spec, c.attempt),
    createdAt: rfc3339Nano(c.created),
    exitCode: c.state === 'Exited' ? c.exitCode ?? 0 : 0,
    finishedAt: c.state === 'Exited' ? rfc3339Nano(c.finished) : rfc3339Nano(undefined),
    id: c.id,
    image: { annotations: {}, image: ref.full, runtimeHandler: '', userSpecifiedImage: '' },
    imageId: '',
    imageRef: `${ref.registry}/${ref.repository}@${digest}`,
    labels: containerLabels(pod, c.name),
    logPath: `/var/log/pods/${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}/${c.name}/${c.attempt}.log`,
    message: '',
    metadata: { attempt: c.attempt, name: c.name },
    mounts: mounts(pod, spec, c.id),
    reason: c.state === 'Exited' ? (c.exitCode ? 'Error' : 'Completed') : '',
    startedAt: rfc3339Nano(c.created),
    state: running ? 'CONTAINER_RUNNING' : 'CONTAINER_EXITED',
    stopSignal: 'RUNTIME_DEFAULT',
  };
  // containerd's ContainerInfo and the OCI spec in their structs' field order (what `-o table` prints as is)
  const info = {
    sandboxID: sandbox.id,
    pid: running ? main?.pid ?? 0 : 0,
    removing: false,
    snapshotKey: c.id,
    snapshotter: 'overlayfs',
    runtimeType: 'io.containerd.runc.v2',
    runtimeOptions: { systemd_cgroup: true },
    config: { metadata: { name: c.name, attempt: c.attempt }, image: { image: `sha256:${c.image}` }, command: spec.command ?? [], args: spec.args ?? [], labels: containerLabels(pod, c.name), log_path: `${c.name}/${c.attempt}.log` },
    runtimeSpec: {
      ociVersion: '1.1.0',
      process: {
        user: { uid: 0, gid: 0 },
        args: containerArgv(pod, spec),
        env: containerEnv(ctx.cluster as ClusterRuntime, { kind: 'pod', namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name, container: c.name }),
        cwd: spec.workingDir ?? '/',
      },
      root: { path: 'rootfs' },
      mounts: ociMounts(pod, spec, c.id, sandbox.id),
      annotations: { 'io.kubernetes.cri.container-name': c.name, 'io.kubernetes.cri.container-type': 'container', 'io.kubernetes.cri.image-name': ref.full, 'io.kubernetes.cri.sandbox-id': sandbox.id, 'io.kubernetes.cri.sandbox-name': pod.metadata.name, 'io.kubernetes.cri.sandbox-namespace': pod.metadata.namespace, 'io.kubernetes.cri.sandbox-uid': pod.metadata.uid },
      linux: {
        cgroupsPath: `${podSlice(pod)}:cri-containerd:${c.id}`,
        // a container joins its sandbox's namespaces through the pause process; a hostNetwork Pod has none to join
        namespaces: [ns('pid'), ns('ipc', pausePid ? `/proc/${pausePid}/ns/ipc` : undefined), ns('uts', pausePid ? `/proc/${pausePid}/ns/uts` : undefined), ns('mount'), ...(pod.spec?.hostNetwork ? [] : [ns('network', pausePid ? `/proc/${pausePid}/ns/net` : undefined)])],
      },
    },
  };
  void verbose;
  return { info, status };
}

function inspectp(ctx: CommandContext, node: string, args: string[]): RunResult {
  const p = parseIds(args, ['-q', '--quiet']);
  if (typeof p === 'string') return { stdout: '', stderr: `Incorrect Usage: ${p}\n`, exitCode: 1 };
  if (!p.ids.length) return noIds(ctx, 'inspectp - Display the status of one or more pods', 'POD-ID [POD-ID...]');
  const format = p.output || 'json';
  const boxes = sandboxesOn(ctx.cluster, node);
  const procs = nodeProcesses(ctx.cluster, node);
  const out: unknown[] = [];
  let table = '';
  for (const id of p.ids) {
    const b = byPrefix(boxes, (x) => x.sandbox.id, id);
    if (!b) {
      const nf = notFound(ctx, 'sandbox', id, 'get the status of pod sandboxes: get pod sandbox status: ');
      return { ...nf, stdout: table };
    }
    const r = sandboxStatusJson(b.pod, b.sandbox, procs);
    if (format === 'table') table += sandboxTable(r, b.sandbox.created, !p.quiet);
    else out.push(p.quiet ? { status: r.status } : r);
  }
  if (format === 'table') return { stdout: table, stderr: '', exitCode: 0 };
  return outputStatusData(ctx, 'get the status of pod sandboxes: ', out, format, p.template);
}

function sandboxStatusJson(pod: KubeObject, sandbox: Sandbox, procs: ReturnType<typeof nodeProcesses>) {
  const ready = sandbox.state === 'Ready';
  const pause = procs.find((x) => x.pod?.metadata.uid === pod.metadata.uid && x.comm === 'pause');
  const host = !!pod.spec?.hostNetwork;
  const ips: string[] = ((pod.status?.podIPs ?? []) as { ip: string }[]).map((x) => x.ip);
  const ip = ready && !host ? pod.status?.podIP ?? '' : host ? pod.status?.podIP ?? '' : '';
  const netns = netnsPath(pod);
  const status = {
    annotations: { ...(pod.metadata.annotations ?? {}), 'kubernetes.io/config.seen': rfc3339Nano(Date.parse(String(pod.metadata.creationTimestamp ?? ''))), 'kubernetes.io/config.source': pod.metadata.annotations?.['kubernetes.io/config.source'] ?? 'api' },
    createdAt: rfc3339Nano(sandbox.created),
    id: sandbox.id,
    labels: sandboxLabels(pod),
    linux: { namespaces: { options: { ipc: 'POD', network: host ? 'NODE' : 'POD', pid: pod.spec?.shareProcessNamespace ? 'POD' : 'CONTAINER', targetId: '' } } },
    metadata: { attempt: 0, name: pod.metadata.name, namespace: pod.metadata.namespace ?? 'default', uid: pod.metadata.uid },
    network: { additionalIps: ips.slice(1).map((x) => ({ ip: x })), ip },
    runtimeHandler: '',
    state: ready ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY',
  };
  // containerd's SandboxInfo and the OCI spec in their structs' field order (what `-o table` prints as is)
  const info = {
    pid: ready ? pause?.pid ?? 0 : 0,
    processStatus: ready ? 'running' : 'deleted',
    netNamespaceClosed: !ready,
    image: PAUSE_IMAGE,
    snapshotKey: sandbox.id,
    snapshotter: 'overlayfs',
    runtimeHandler: '',
    runtimeType: 'io.containerd.runc.v2',
    runtimeOptions: { systemd_cgroup: true },
    config: { metadata: { name: pod.metadata.name, uid: pod.metadata.uid, namespace: pod.metadata.namespace }, hostname: host ? pod.spec?.nodeName : pod.spec?.hostname ?? pod.metadata.name, log_directory: `/var/log/pods/${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`, labels: sandboxLabels(pod) },
    runtimeSpec: {
      ociVersion: '1.1.0',
      process: { user: { uid: 65535, gid: 65535 }, args: ['/pause'], env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], cwd: '/' },
      root: { path: 'rootfs', readonly: true },
      annotations: { 'io.kubernetes.cri.container-type': 'sandbox', 'io.kubernetes.cri.sandbox-id': sandbox.id, 'io.kubernetes.cri.sandbox-log-directory': `/var/log/pods/${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`, 'io.kubernetes.cri.sandbox-name': pod.metadata.name, 'io.kubernetes.cri.sandbox-namespace': pod.metadata.namespace, 'io.kubernetes.cri.sandbox-uid': pod.metadata.uid },
      linux: {
        cgroupsPath: `${podSlice(pod)}:cri-containerd:${sandbox.id}`,
        namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, ...(netns ? [{ type: 'network', path: netns }] : [])],
      },
    },
  };
  return { info, status };
}

// ---- logs ----------------------------------------------------------------------------------

function logs(ctx: CommandContext, node: string, args: string[]): RunResult {
  let tail: number | undefined;
  let previous = false;
  const ids: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let v: string | undefined;
    if (a === '--tail') v = args[++i];
    else if (a.startsWith('--tail=')) v = a.slice(7);
    if (a === '--tail' || a.startsWith('--tail=')) {
      if (v === undefined || !/^-?\d+$/.test(v)) return { stdout: '', stderr: `Incorrect Usage: invalid value "${v ?? ''}" for flag -tail: parse error\n`, exitCode: 1 };
      tail = Number(v);
      continue;
    }
    if (a === '-t' || a === '--timestamps') return { stdout: '', stderr: 'netlab: crictl logs -t is not simulated here (the log keeps no time per line)\n', exitCode: 1 };
    else if (a === '-p' || a === '--previous') previous = true;
    else if (a === '-f' || a === '--follow') return { stdout: '', stderr: 'netlab: crictl logs -f is not simulated here (crictl logs --tail N ID shows the latest lines)\n', exitCode: 1 };
    else if (a.startsWith('-')) return { stdout: '', stderr: `Incorrect Usage: flag provided but not defined: ${a.replace(/^-+/, '-')}\n`, exitCode: 1 };
    else ids.push(a);
  }
  if (ids.length !== 1) return { stdout: '', stderr: 'NAME:\n   crictl logs - Fetch the logs of a container\n\nUSAGE:\n   crictl logs [command options] CONTAINER-ID\n', exitCode: ids.length ? 1 : 0 };
  const f = byPrefix(containersOn(ctx, node), (x) => x.c.id, ids[0]);
  if (!f) {
    const err = `rpc error: code = NotFound desc = an error occurred when try to find container "${ids[0]}": not found`;
    return { stdout: '', stderr: klogError(ctx, 'ContainerStatus from runtime service failed', err, 'containerID', ids[0]) + fatal(ctx, err), exitCode: 1 };
  }
  const ns = f.pod.metadata.namespace ?? 'default';
  let lines: string[];
  if (previous) {
    if (f.c.attempt === 0) return { stdout: '', stderr: fatal(ctx, `previous terminated container ${f.c.name} not found`), exitCode: 1 };
    const prev = ctx.cluster.logs.readPrevious(ns, f.pod.metadata.name, f.c.name);
    lines = 'lines' in prev ? prev.lines : [];
  } else if (f.c.current) lines = ctx.cluster.logs.read(ns, f.pod.metadata.name, f.c.name);
  else {
    const prev = ctx.cluster.logs.readPrevious(ns, f.pod.metadata.name, f.c.name);
    lines = 'lines' in prev ? prev.lines : [];
  }
  if (tail !== undefined && tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
  const text = lines.map((l) => l + '\n').join('');
  return { stdout: text, stderr: '', exitCode: 0 };
}

// ---- images / version --------------------------------------------------------------------------

/** go-units HumanSizeWithPrecision(size, 3): decimal units, `%.3g`. */
export function humanSize(size: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (size >= 1000 && i < units.length - 1) {
    size /= 1000;
    i++;
  }
  const g = Number(size.toPrecision(3)).toString();
  return `${g}${units[i]}`;
}

/** The images a node's containerd holds: the sandbox image and every image its Pods' containers were pulled from. */
export function nodeImageRefs(cluster: Pick<ClusterRuntime, 'store'>, node: string): string[] {
  const refs = new Set<string>([parseImage(PAUSE_IMAGE).full]);
  for (const p of cluster.store.iterate('Pod')) {
    if (p.spec?.nodeName !== node) continue;
    for (const c of [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])] as { image?: string }[]) {
      // an image the node could not pull is not in its store
      const st = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].find((s: { image?: string; imageID?: string }) => s.image === parseImage(c.image ?? '').full || s.image === c.image);
      if (c.image && (st?.imageID || !st)) refs.add(parseImage(c.image).full);
    }
  }
  return [...refs];
}

function images(ctx: CommandContext, node: string, args: string[]): RunResult {
  let quiet = false;
  let noTrunc = false;
  let digests = false;
  const filters: string[] = [];
  for (const a of args) {
    if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '--no-trunc') noTrunc = true;
    else if (a === '--digests') digests = true;
    else if (a.startsWith('-')) return { stdout: '', stderr: `Incorrect Usage: flag provided but not defined: ${a.replace(/^-+/, '-')}\n`, exitCode: 1 };
    else filters.push(a);
  }
  let list = nodeImageRefs(ctx.cluster, node).map((full) => {
    const r = parseImage(full);
    return { repo: `${r.registry}/${r.repository}`, tag: r.tag || '<none>', id: `sha256:${imageId(full)}`, digest: `sha256:${sha256(`${r.registry}/${r.repository}:${r.tag}`)}`, size: imageSize(full), full };
  });
  // crictl's imageByRef: by the first repo tag
  list.sort((a, b) => (a.full < b.full ? -1 : a.full > b.full ? 1 : 0));
  if (filters.length) list = list.filter((x) => filters.some((f) => x.full === parseImage(f).full || x.repo === f || x.id.startsWith(f) || x.id.slice(7).startsWith(f)));
  if (quiet) return { stdout: list.map((x) => x.id + '\n').join(''), stderr: '', exitCode: 0 };
  const trunc = (s: string) => (noTrunc ? s : s.replace(/^sha256:/, '').slice(0, 13));
  const rows = [['IMAGE', 'TAG', ...(digests ? ['DIGEST'] : []), 'IMAGE ID', 'SIZE'], ...list.map((x) => [x.repo, x.tag, ...(digests ? [trunc(x.digest)] : []), trunc(x.id), humanSize(x.size)])];
  return { stdout: tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', { minwidth: 20, padding: 3 }), stderr: '', exitCode: 0 };
}

function version(): RunResult {
  // cmd/crictl/version.go: fmt.Println("Version: ", …) puts two spaces after each colon
  return { stdout: `Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  ${CONTAINERD_VERSION}\nRuntimeApiVersion:  v1\n`, stderr: '', exitCode: 0 };
}

export const CRICTL_VERSION_LINE = `crictl version ${CRICTL_VERSION}\n`;

/** The subcommands this file answers, or undefined for another. */
export function runCrictlStatus(sub: string, args: string[], ctx: CommandContext, node: string): RunResult | undefined {
  switch (sub) {
    case 'inspect':
      return inspect(ctx, node, args);
    case 'inspectp':
      return inspectp(ctx, node, args);
    case 'logs':
      return logs(ctx, node, args);
    case 'images':
    case 'image':
    case 'img':
      return images(ctx, node, args);
    case 'version':
      return version();
    default:
      return undefined;
  }
}
