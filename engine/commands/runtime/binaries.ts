/**
 * The node's Kubernetes and container-runtime binaries asked who they are: `kubelet
 * --version`, `kubeadm version`, `containerd --version`, `ctr`, `runc --version`. Versions
 * come from cluster/release.ts (the cluster's Kubernetes release and its build, the
 * runtime the Node reports).
 *
 * - kubelet (cmd/kubelet/app/server.go, component-base verflag): `Kubernetes v1.34.2`.
 * - kubeadm (cmd/kubeadm/app/cmd/version.go RunVersion): `kubeadm version: %#v` of
 *   apimachinery's version.Info (v1.34's fields, the emulation ones empty), `-o short` the
 *   git version, `-o yaml` (sigs.k8s.io/yaml: keys sorted, omitempty fields gone) and `-o json`
 *   (json.MarshalIndent: struct order), each through fmt.Fprintln; other formats
 *   `invalid output format: X`.
 * - containerd (cmd/containerd --version): `containerd github.com/containerd/containerd VERSION REVISION`.
 * - ctr (cmd/ctr: version, `-n NS containers|c ls`, `tasks|t ls`): ctr's namespace is
 *   `default` unless -n / CONTAINERD_NAMESPACE says k8s.io, where the CRI plugin keeps every
 *   sandbox and container — so a bare `ctr containers ls` lists nothing. Tables are
 *   text/tabwriter(minwidth 4, tabwidth 8, padding 4) with a trailing tab per cell.
 * - runc (main.go printVersion): version, commit, spec, go, libseccomp.
 */
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { RunResult } from '../../types';
import { sha1 } from '../../cluster/hash';
import { parseImage } from '../../controllers/images';
import { tabwrite } from '../../printers/kubectl/tabwriter';
import { CONTAINERD_COMMIT, CONTAINERD_GO, CONTAINERD_VERSION, LIBSECCOMP_VERSION, PAUSE_IMAGE, RUNC_COMMIT, RUNC_SPEC, RUNC_VERSION, kubernetesBuild } from '../../cluster/release';
import { unmodelledCommand } from '../net/catalog/unmodelled';
import { containersOf, sandboxesOn } from './sandboxes';
import { nodeProcesses } from './processes';

const ok = (stdout: string): RunResult => ({ stdout, stderr: '', exitCode: 0 });
const fail = (stderr: string, exitCode = 1): RunResult => ({ stdout: '', stderr, exitCode });

/** A binary that only exists on nodes: anywhere else it is the catalog's not-simulated tool. */
function nodeOnly(name: string, summary: string, run: (args: string[], ctx: CommandContext) => RunResult): CommandSpec {
  const other = unmodelledCommand(name);
  return { name, summary, run: (args, ctx) => (ctx.host.kind === 'node' ? run(args, ctx) : (other.run(args, ctx) as RunResult)) };
}

function version(ctx: CommandContext): string {
  return ctx.cluster.settings.kubernetesVersion;
}

function runKubelet(args: string[], ctx: CommandContext): RunResult {
  const v = args.find((a) => a === '--version' || a.startsWith('--version='));
  if (v === '--version' || v === '--version=true') return ok(`Kubernetes ${version(ctx)}\n`);
  if (v === '--version=raw') {
    const b = kubernetesBuild(version(ctx));
    const [major, minor] = version(ctx).replace(/^v/, '').split('.');
    return ok(`version.Info{Major:"${major}", Minor:"${minor}", EmulationMajor:"", EmulationMinor:"", MinCompatibilityMajor:"", MinCompatibilityMinor:"", GitVersion:"${version(ctx)}", GitCommit:"${b.gitCommit}", GitTreeState:"clean", BuildDate:"${b.buildDate}", GoVersion:"${b.goVersion}", Compiler:"gc", Platform:"linux/amd64"}\n`);
  }
  return fail('netlab: the kubelet already runs on this node as the kubelet.service unit; a second one is not simulated (systemctl status kubelet, journalctl -u kubelet)\n');
}

function runKubeadm(args: string[], ctx: CommandContext): RunResult {
  const [sub, ...rest] = args;
  if (sub !== 'version') {
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') return fail('netlab: kubeadm version is simulated here; the cluster is already built (kubeadm init, join, upgrade and reset are not)\n');
    return fail(`netlab: kubeadm ${sub} is not simulated here (kubeadm version is)\n`);
  }
  let output = '';
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '-o' || a === '--output') output = rest[++i] ?? '';
    else if (a.startsWith('--output=')) output = a.slice(9);
    else if (a.startsWith('-o')) output = a.slice(2);
    else return fail(`unknown flag: ${a}\nTo see the stack trace of this error execute with --v=5 or higher\n`);
  }
  const gv = version(ctx);
  const b = kubernetesBuild(gv);
  const [major, minor] = gv.replace(/^v/, '').split('.');
  switch (output) {
    case '':
      return ok(`kubeadm version: &version.Info{Major:"${major}", Minor:"${minor}", EmulationMajor:"", EmulationMinor:"", MinCompatibilityMajor:"", MinCompatibilityMinor:"", GitVersion:"${gv}", GitCommit:"${b.gitCommit}", GitTreeState:"clean", BuildDate:"${b.buildDate}", GoVersion:"${b.goVersion}", Compiler:"gc", Platform:"linux/amd64"}\n`);
    case 'short':
      return ok(`${gv}\n`);
    case 'yaml':
      return ok(`clientVersion:\n  buildDate: "${b.buildDate}"\n  compiler: gc\n  gitCommit: ${b.gitCommit}\n  gitTreeState: clean\n  gitVersion: ${gv}\n  goVersion: ${b.goVersion}\n  major: "${major}"\n  minor: "${minor}"\n  platform: linux/amd64\n\n`);
    case 'json':
      return ok(`{\n  "clientVersion": {\n    "major": "${major}",\n    "minor": "${minor}",\n    "gitVersion": "${gv}",\n    "gitCommit": "${b.gitCommit}",\n    "gitTreeState": "clean",\n    "buildDate": "${b.buildDate}",\n    "goVersion": "${b.goVersion}",\n    "compiler": "gc",\n    "platform": "linux/amd64"\n  }\n}\n`);
    default:
      return fail(`invalid output format: ${output}\nTo see the stack trace of this error execute with --v=5 or higher\n`);
  }
}

function runContainerd(args: string[]): RunResult {
  if (args.includes('--version') || args.includes('-v')) return ok(`containerd github.com/containerd/containerd ${CONTAINERD_VERSION} ${CONTAINERD_COMMIT}\n`);
  return fail('netlab: containerd already runs on this node as the containerd.service unit; a second one is not simulated (systemctl status containerd)\n');
}

function runRunc(args: string[]): RunResult {
  if (args.includes('--version') || args.includes('-v') || args[0] === 'version') {
    return ok(`runc version ${RUNC_VERSION}\ncommit: ${RUNC_COMMIT}\nspec: ${RUNC_SPEC}\ngo: ${CONTAINERD_GO}\nlibseccomp: ${LIBSECCOMP_VERSION}\n`);
  }
  return fail(`netlab: runc ${args[0] ?? ''} is not simulated here (runc --version is; crictl and ctr show the containers)\n`.replace('runc  is', 'runc is'));
}

/** ctr's tabwriter: minwidth 4, tabwidth 8, padding 4, every cell tab-terminated. */
function ctrTable(rows: string[][], trailing = true): string {
  return tabwrite(rows.map((r) => r.join('\t') + (trailing ? '\t' : '')).join('\n') + '\n', { minwidth: 4, padding: 4 });
}

function runCtr(args: string[], ctx: CommandContext): RunResult {
  const node = (ctx.host as { node: string }).node;
  let ns = ctx.env?.CONTAINERD_NAMESPACE || 'default';
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-n' || a === '--namespace') ns = args[++i] ?? '';
    else if (a.startsWith('--namespace=')) ns = a.slice(12);
    else if (a === '-a' || a === '--address') i++;
    else if (a === '--version' || a === '-v') return ok(`ctr github.com/containerd/containerd ${CONTAINERD_VERSION}\n`);
    else words.push(a);
  }
  const [sub, verb, ...rest] = words;
  const quiet = rest.includes('-q') || rest.includes('--quiet');
  const k8s = ns === 'k8s.io';
  const boxes = k8s ? sandboxesOn(ctx.cluster, node) : [];
  if (sub === 'version') {
    const uuid = sha1(`${node}/containerd-uuid`);
    const u = `${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-4${uuid.slice(13, 16)}-${'89ab'[parseInt(uuid[16], 16) & 3]}${uuid.slice(17, 20)}-${uuid.slice(20, 32)}`;
    // ctr/commands/version: fmt.Println with two operands puts a space between them
    return ok(`Client:\n  Version:  ${CONTAINERD_VERSION}\n  Revision: ${CONTAINERD_COMMIT}\n  Go version: ${CONTAINERD_GO}\n\nServer:\n  Version:  ${CONTAINERD_VERSION}\n  Revision: ${CONTAINERD_COMMIT}\n  UUID: ${u}\n`);
  }
  const list = verb === 'ls' || verb === 'list';
  if ((sub === 'containers' || sub === 'c' || sub === 'container') && list) {
    // the CRI plugin's records: one per sandbox (the pause image) and one per container run it keeps
    const rows = boxes.flatMap(({ pod, sandbox }) => [
      { id: sandbox.id, image: parseImage(PAUSE_IMAGE).full },
      ...containersOf(pod, sandbox).map((c) => ({ id: c.id, image: parseImage(((pod.spec?.containers ?? []) as { name: string; image?: string }[]).find((x) => x.name === c.name)?.image ?? '').full })),
    ]).sort((a, b) => (a.id < b.id ? -1 : 1));
    if (quiet) return ok(rows.map((r) => r.id + '\n').join(''));
    return ok(ctrTable([['CONTAINER', 'IMAGE', 'RUNTIME'], ...rows.map((r) => [r.id, r.image, 'io.containerd.runc.v2'])]));
  }
  if ((sub === 'tasks' || sub === 't' || sub === 'task') && list) {
    const procs = nodeProcesses(ctx.cluster, node);
    const rows = boxes.flatMap(({ pod, sandbox }) => {
      const pause = procs.find((p) => p.pod?.metadata.uid === pod.metadata.uid && p.comm === 'pause');
      const own = containersOf(pod, sandbox).filter((c) => c.state === 'Running').map((c) => ({ id: c.id, pid: procs.find((p) => p.containerId === c.id)?.pid ?? 0, status: 'RUNNING' }));
      return [...(pause ? [{ id: sandbox.id, pid: pause.pid, status: 'RUNNING' }] : []), ...own];
    }).sort((a, b) => (a.id < b.id ? -1 : 1));
    if (quiet) return ok(rows.map((r) => r.id + '\n').join(''));
    // the header line ends in a tab, the rows do not (tasks.go)
    return ok(tabwrite(['TASK\tPID\tSTATUS\t', ...rows.map((r) => `${r.id}\t${r.pid}\t${r.status}`)].join('\n') + '\n', { minwidth: 4, padding: 4 }));
  }
  return fail(`netlab: ctr ${words.join(' ')} is not simulated here (ctr version, ctr -n k8s.io containers ls, ctr -n k8s.io tasks ls are)\n`.replace('ctr  is', 'ctr is'));
}

export const binaryCommands: CommandSpec[] = [
  nodeOnly('kubelet', 'the Kubernetes node agent', runKubelet),
  nodeOnly('kubeadm', 'bootstrap a Kubernetes cluster', runKubeadm),
  nodeOnly('containerd', 'the container runtime daemon', (a) => runContainerd(a)),
  nodeOnly('ctr', 'containerd\'s own client', runCtr),
  nodeOnly('runc', 'the OCI runtime', (a) => runRunc(a)),
];
