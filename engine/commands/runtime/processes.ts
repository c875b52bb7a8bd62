/**
 * A node's process table, derived from the cluster: what `ps`, `pgrep`, `pidof`, `nsenter
 * -t`, `crictl inspect` and systemctl's Main PID all read, so they agree on every PID.
 *
 * An Ubuntu 22.04 node booted by systemd (PID 1) runs its base services (journald, udevd,
 * networkd, resolved, timesyncd, dbus, logind, cron, agetty, sshd), then containerd and
 * the kubelet (the flags kubeadm gives it, systemd.ts kubeletArgs). Every Pod sandbox the
 * kubelet runs on the node has its containerd-shim-runc-v2 (`-namespace k8s.io -id
 * SANDBOX -address /run/containerd/containerd.sock`, reparented to init), the sandbox's
 * `/pause` and each running container's processes as the shim's children: the container's
 * argv (command+args, else the image's ENTRYPOINT+CMD, `$(VAR)` expanded from its env as
 * the kubelet does — kube-proxy's `--hostname-override=$(NODE_NAME)`), nginx's master and
 * one worker per CPU (worker_processes auto), calico-node's runit tree (runsvdir, one runsv
 * per enabled service, felix, confd, bird…). The control plane's static Pods take their
 * command lines from /etc/kubernetes/manifests as the node's files hold them (nodefiles.ts).
 * Last come the learner's ssh session (sshd, -bash) and the command reading the table.
 *
 * PIDs: the daemons other commands name (ss -p users:(...), systemctl's Main PID) keep the
 * numbers ss.ts's pidFor gives them (nodeProcessPid); every other process gets the next
 * free PID in start order, the counter advancing with the time since boot as a real node's
 * does. Kernel threads (kthreads.ts) take the low PIDs under kthreadd (2), around the pinned
 * ones. Memory (VSZ, RSS in KiB) and CPU load are each
 * binary's usual order of magnitude on an idle node (a profile per program, varied by a
 * hash of the PID), not measurements.
 */
import { parse } from 'yaml';
import type { ClusterRuntime } from '../../controllers/runtime';
import type { KubeObject } from '../../cluster/types';
import { sha1 } from '../../cluster/hash';
import { imageName } from '../../hosts/images';
import { findPod } from '../../dataplane/topology';
import { podListeners } from '../../dataplane/apps';
import { pidFor } from '../net/host/ss';
import { sandboxId, sandboxesOn } from './sandboxes';
import { kubeletArgs } from './kubelet-args';
import { kernelThreads } from './kthreads';

export interface NodeProcess {
  pid: number;
  ppid: number;
  uid: number;
  /** The kernel's task name (15 characters at most, TASK_COMM_LEN - 1). */
  comm: string;
  /** /proc/PID/cmdline (what ps's args column and pgrep -f read). */
  argv: string[];
  /** When it started (ms, the virtual clock). */
  start: number;
  /** R running, S sleeping, I an idle kernel thread. */
  state: 'S' | 'R' | 'I';
  /** A kernel thread (kthreadd's children): no command line, no memory of its own, no session. */
  kernel?: boolean;
  /** Its nice value (kernel threads of high-priority workqueues run at -20). */
  nice?: number;
  /** It leads its session (setsid: runc's container init, daemons, login shells). */
  sessionLeader: boolean;
  /** Threads (nlwp): Go daemons run many. */
  threads: number;
  /** Its controlling terminal (`pts/0`, `tty1`), if any. */
  tty?: string;
  /** In its terminal's foreground process group. */
  foreground?: boolean;
  /** Virtual and resident memory in KiB. */
  vsz: number;
  rss: number;
  /** CPU seconds it has used. */
  cpu: number;
  /** The Pod whose sandbox holds it (its network namespace: a hostNetwork Pod's is the node's). */
  pod?: KubeObject;
  /** The container it runs in (undefined for the shim and pause). */
  container?: string;
  /** The container's ID for its main process. */
  containerId?: string;
}

/**
 * Keys and bases of the daemons whose PIDs other commands print (ss.ts pidFor): one place,
 * so ss -p, systemctl and ps agree. `comm` is the task name as ss prints it.
 */
const FIXED_PIDS: Record<string, [key: string, base: number]> = {
  sshd: ['sshd', 100],
  containerd: ['containerd', 300],
  kubelet: ['kubelet', 1000],
  'kube-proxy': ['kube-proxy', 2000],
  'kube-apiserver': ['apiserver', 1500],
  etcd: ['etcd', 1400],
  'kube-controller': ['kcm', 1300],
  'kube-controller-manager': ['kcm', 1300],
  'kube-scheduler': ['sched', 1200],
  bird: ['bird', 4000],
  'calico-node': ['felix', 4000],
};

/**
 * The PID of a node daemon by its task name (`kubelet`, `containerd`, `kube-proxy`, `sshd`,
 * `etcd`, `kube-apiserver`, `kube-controller`, `kube-scheduler`, `bird`, `calico-node` for
 * Felix): what ss -p, systemctl's Main PID and ps all print. Undefined for other names.
 */
export function nodeProcessPid(node: string, comm: string): number | undefined {
  const f = FIXED_PIDS[comm];
  return f ? pidFor(`${node}/${f[0]}`, f[1]) : undefined;
}

/**
 * The PID of the kubelet's or containerd's current (or, stopped, last) process. Started with
 * the node it has the fixed PID (nodeProcessPid); started again by systemctl it is a new
 * process, with a PID from the counter where it stood at that moment (the next free one past
 * what the node forked since boot, PIDS_PER_MINUTE), kept fixed so ss, systemctl and ps agree.
 */
export function unitPid(cluster: ClusterRuntime, node: string, unit: 'kubelet' | 'containerd'): number {
  const run = unit === 'kubelet' ? cluster.kubelet.run(node) : cluster.kubelet.runtimeRun(node);
  return runPid(cluster, node, unit, run.since);
}

/** The PID of the unit's process that started at `since` (undefined: with the node). */
export function runPid(cluster: ClusterRuntime, node: string, unit: 'kubelet' | 'containerd', since: number | undefined): number {
  if (since === undefined) return nodeProcessPid(node, unit)!;
  const after = Math.max(nodeProcessPid(node, 'kubelet')!, nodeProcessPid(node, 'containerd')!) + 20;
  // the counter at that moment: PIDS_PER_MINUTE since the node came up, so a later start always has a higher PID
  return after + Math.floor((Math.max(0, since - nodeStart(cluster, node)) * PIDS_PER_MINUTE) / 60_000) + (unit === 'kubelet' ? 1 : 0);
}

/** Ubuntu 22.04's /etc/passwd (base-passwd and the packages of a server image): what ps prints for a uid. */
const PASSWD: Record<number, string> = {
  0: 'root', 1: 'daemon', 2: 'bin', 3: 'sys', 8: 'mail', 33: 'www-data', 100: 'systemd-network', 101: 'systemd-resolve', 102: 'messagebus',
  103: 'systemd-timesync', 104: 'syslog', 105: '_apt', 106: 'tss', 107: 'uuidd', 108: 'tcpdump', 109: 'sshd', 110: 'pollinate', 111: 'landscape',
  112: 'fwupd-refresh', 1000: 'ubuntu', 65534: 'nobody',
};

/** The user name of a uid on the node, or undefined (ps then prints the number). */
export function nodeUserName(uid: number): string | undefined {
  return PASSWD[uid];
}

/** The uid of a user name on the node. */
export function nodeUid(name: string): number | undefined {
  const e = Object.entries(PASSWD).find(([, n]) => n === name);
  return e ? Number(e[0]) : undefined;
}

/** A program's footprint: VSZ and RSS (KiB), CPU load (fraction of one CPU), threads. */
interface Profile {
  vsz: number;
  rss: number;
  load: number;
  threads: number;
}

const PROFILES: Record<string, Profile> = {
  systemd: { vsz: 167_700, rss: 11_300, load: 0.0004, threads: 1 },
  'systemd-journal': { vsz: 47_900, rss: 15_100, load: 0.0002, threads: 1 },
  'systemd-udevd': { vsz: 24_200, rss: 6_200, load: 0.0001, threads: 1 },
  'systemd-network': { vsz: 16_300, rss: 8_100, load: 0.0001, threads: 1 },
  'systemd-resolve': { vsz: 25_500, rss: 12_600, load: 0.0001, threads: 1 },
  'systemd-timesyn': { vsz: 89_400, rss: 6_600, load: 0, threads: 2 },
  'dbus-daemon': { vsz: 8_600, rss: 4_800, load: 0.0001, threads: 1 },
  'systemd-logind': { vsz: 15_000, rss: 7_400, load: 0, threads: 1 },
  cron: { vsz: 6_900, rss: 2_800, load: 0, threads: 1 },
  agetty: { vsz: 6_200, rss: 1_100, load: 0, threads: 1 },
  sshd: { vsz: 15_400, rss: 9_000, load: 0, threads: 1 },
  'sshd-session': { vsz: 17_200, rss: 10_900, load: 0, threads: 1 },
  bash: { vsz: 8_600, rss: 5_300, load: 0, threads: 1 },
  ps: { vsz: 10_100, rss: 3_400, load: 0, threads: 1 },
  containerd: { vsz: 1_938_000, rss: 52_400, load: 0.006, threads: 14 },
  kubelet: { vsz: 2_012_000, rss: 88_600, load: 0.012, threads: 15 },
  'containerd-shim': { vsz: 1_238_300, rss: 12_200, load: 0.0003, threads: 11 },
  pause: { vsz: 996, rss: 512, load: 0, threads: 1 },
  nginx: { vsz: 11_500, rss: 7_400, load: 0, threads: 1 },
  'nginx-worker': { vsz: 11_900, rss: 2_900, load: 0, threads: 1 },
  coredns: { vsz: 1_282_000, rss: 48_800, load: 0.002, threads: 10 },
  'kube-proxy': { vsz: 1_291_000, rss: 58_200, load: 0.0015, threads: 9 },
  etcd: { vsz: 11_218_000, rss: 92_300, load: 0.02, threads: 12 },
  'kube-apiserver': { vsz: 1_530_000, rss: 342_000, load: 0.04, threads: 12 },
  'kube-controller': { vsz: 1_318_000, rss: 104_000, load: 0.01, threads: 9 },
  'kube-scheduler': { vsz: 1_288_000, rss: 61_200, load: 0.003, threads: 10 },
  runsvdir: { vsz: 2_500, rss: 800, load: 0, threads: 1 },
  runsv: { vsz: 2_400, rss: 700, load: 0, threads: 1 },
  'calico-felix': { vsz: 1_958_000, rss: 71_300, load: 0.004, threads: 12 },
  'calico-node': { vsz: 1_884_000, rss: 42_600, load: 0.0004, threads: 10 },
  'kube-controllers': { vsz: 1_318_000, rss: 46_900, load: 0.001, threads: 9 },
  bird: { vsz: 2_900, rss: 2_100, load: 0.0001, threads: 1 },
  httpd: { vsz: 5_900, rss: 4_400, load: 0, threads: 1 },
  'httpd-worker': { vsz: 2_000_000, rss: 3_600, load: 0, threads: 27 },
  shell: { vsz: 4_400, rss: 1_600, load: 0, threads: 1 },
  go: { vsz: 1_262_000, rss: 41_000, load: 0.001, threads: 8 },
  kthread: { vsz: 0, rss: 0, load: 0, threads: 1 },
};

const SHELLS = ['sh', 'ash', 'bash', 'zsh', 'dash', 'sleep', 'tail', 'cat', 'nc', 'socat', 'python', 'python3', 'redis-server', 'postgres', 'mysqld', 'node', 'java'];

function profileOf(comm: string): Profile {
  return PROFILES[comm] ?? (SHELLS.includes(comm) ? PROFILES.shell : PROFILES.go);
}

/** The images' ENTRYPOINT and CMD (their Dockerfiles), for a container that sets neither command nor args. */
const IMAGE_DEFAULTS: Record<string, { entrypoint?: string[]; cmd?: string[]; uid?: number; execs?: boolean }> = {
  busybox: { cmd: ['sh'] },
  alpine: { cmd: ['/bin/sh'] },
  ubuntu: { cmd: ['/bin/bash'] },
  debian: { cmd: ['bash'] },
  'curlimages/curl': { entrypoint: ['/entrypoint.sh'], cmd: ['curl'], uid: 100 },
  'e2e-test-images/agnhost': { entrypoint: ['/agnhost'], cmd: ['pause'] },
  'nicolaka/netshoot': { cmd: ['zsh'] },
  // docker-entrypoint.sh execs its arguments: the process is nginx itself
  nginx: { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'], execs: true },
  httpd: { cmd: ['httpd-foreground'] },
  redis: { entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'], uid: 999, execs: true },
  'hashicorp/http-echo': { entrypoint: ['/http-echo'] },
  // distroless static, USER nonroot (65532) since CoreDNS 1.11
  'coredns/coredns': { entrypoint: ['/coredns'], uid: 65532 },
  'calico/node': { entrypoint: ['start_runit'] },
  'calico/kube-controllers': { entrypoint: ['/usr/bin/kube-controllers'], uid: 999 },
  'cilium/cilium': { cmd: ['/usr/bin/cilium-agent'] },
  'flannel/flannel': { cmd: ['/opt/bin/flanneld'] },
  'flannel-io/flannel': { cmd: ['/opt/bin/flanneld'] },
  'ingress-nginx/controller': { entrypoint: ['/usr/bin/dumb-init', '--'], cmd: ['/nginx-ingress-controller'], uid: 101 },
  'kube-proxy': { cmd: ['/usr/local/bin/kube-proxy'] },
  pause: { entrypoint: ['/pause'], uid: 65535 },
};

type Env = { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath?: string } } };
interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: Env[];
  securityContext?: { runAsUser?: number };
}

/** The argv of the process that keeps running: an image's entrypoint script that execs its arguments is gone. */
function processArgv(pod: KubeObject, c: Container): string[] {
  const argv = containerArgv(pod, c);
  const d = IMAGE_DEFAULTS[imageName(c.image ?? '')];
  return d?.execs && !c.command?.length && argv.length > 1 ? argv.slice(1) : argv;
}

/** A downward-API field the kubelet fills an env var from. */
function fieldValue(pod: KubeObject, path: string): string | undefined {
  switch (path) {
    case 'metadata.name': return pod.metadata.name;
    case 'metadata.namespace': return pod.metadata.namespace ?? 'default';
    case 'metadata.uid': return pod.metadata.uid;
    case 'spec.nodeName': return pod.spec?.nodeName;
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? 'default';
    case 'status.podIP': return pod.status?.podIP;
    case 'status.hostIP': return pod.status?.hostIP;
    default: return undefined;
  }
}

/** The kubelet's expansion of `$(VAR)` in command and args (third_party/forked/golang/expansion): `$$` escapes, unknown names stay. */
function expand(s: string, vars: Map<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => (m === '$$' ? '$' : vars.get(name!) ?? m));
}

/** The argv the runtime starts the container with (the OCI spec's process.args). */
export function containerArgv(pod: KubeObject, c: Container): string[] {
  const d = IMAGE_DEFAULTS[imageName(c.image ?? '')] ?? {};
  const argv = c.command?.length ? [...c.command, ...(c.args ?? [])] : [...(d.entrypoint ?? []), ...(c.args ?? d.cmd ?? [])];
  if (!argv.length) argv.push(`/${imageName(c.image ?? c.name).split('/').pop()}`);
  const vars = new Map<string, string>();
  for (const e of c.env ?? []) {
    const v = e.value ?? (e.valueFrom?.fieldRef?.fieldPath ? fieldValue(pod, e.valueFrom.fieldRef.fieldPath) : undefined);
    if (v !== undefined) vars.set(e.name, expand(v, vars));
  }
  return argv.map((a) => expand(String(a), vars));
}

const base = (p: string) => p.split('/').pop() ?? p;
const comm15 = (s: string) => s.slice(0, 15);

interface Draft extends Omit<NodeProcess, 'pid' | 'ppid' | 'vsz' | 'rss' | 'cpu' | 'threads'> {
  /** A fixed PID (nodeProcessPid) or the next free one. */
  fixed?: number;
  /** The draft this one is a child of (index in the list; in containerProcs, within the container's list), a known PID, or the sandbox's shim. */
  parent: number | { pid: number } | 'shim';
  profile: string;
}

/** The processes of one running container: its main process and what it forks. */
function containerProcs(pod: KubeObject, c: Container, at: number, cpus: number, node: string, listenerPid: (c: string) => number | undefined, containerId: string): Draft[] {
  const argv = processArgv(pod, c);
  const image = imageName(c.image ?? '');
  const uid = c.securityContext?.runAsUser ?? (pod.spec?.securityContext as { runAsUser?: number } | undefined)?.runAsUser ?? IMAGE_DEFAULTS[image]?.uid ?? 0;
  const common = { pod, container: c.name, start: at, state: 'S' as const, tty: undefined };
  const out: Draft[] = [];
  const exe = base(argv[0]);
  if (exe === 'start_runit') {
    // calico-node's start_runit: rc.local enables the services this configuration runs, then execs runsvdir
    const env = new Map((c.env ?? []).map((e) => [e.name, e.value ?? '']));
    const backend = env.get('CALICO_NETWORKING_BACKEND') || 'bird';
    const bgp = backend === 'bird';
    const v6 = !!env.get('IP6') && env.get('IP6') !== 'none';
    const services: [string, string[]][] = [
      ['felix', ['calico-node', '-felix']],
      ['monitor-addresses', ['calico-node', '-monitor-addresses']],
      ['allocate-tunnel-addrs', ['calico-node', '-allocate-tunnel-addrs']],
      ...(bgp ? [['confd', ['calico-node', '-confd']] as [string, string[]]] : []),
      ...(bgp && v6 ? [['bird6', ['bird6', '-R', '-s', '/var/run/calico/bird6.ctl', '-d', '-c', '/etc/calico/confd/config/bird6.cfg']] as [string, string[]]] : []),
      ['cni', ['calico-node', '-monitor-token']],
      ['node-status-reporter', ['calico-node', '-status-reporter']],
      ...(bgp ? [['bird', ['bird', '-R', '-s', '/var/run/calico/bird.ctl', '-d', '-c', '/etc/calico/confd/config/bird.cfg']] as [string, string[]]] : []),
    ];
    out.push({ ...common, uid, comm: 'runsvdir', argv: ['/usr/local/bin/runsvdir', '-P', '/etc/service/enabled'], sessionLeader: true, parent: 'shim', profile: 'runsvdir', containerId });
    const runsvs = services.map(([name]) => out.push({ ...common, uid, comm: 'runsv', argv: ['runsv', name], sessionLeader: false, parent: 0, profile: 'runsv' }) - 1);
    services.forEach(([name, a], i) => {
      const comm = comm15(base(a[0]));
      const fixed = name === 'felix' ? nodeProcessPid(node, 'calico-node') : name === 'bird' ? nodeProcessPid(node, 'bird') : undefined;
      out.push({ ...common, uid, comm, argv: a, sessionLeader: false, parent: runsvs[i], profile: name === 'felix' ? 'calico-felix' : comm, fixed });
    });
    return out;
  }
  const fixed = listenerPid(c.name);
  if (exe === 'nginx' && !argv.slice(1).some((a) => a === '-v' || a === '-V' || a === '-t')) {
    // nginx rewrites its title (ngx_setproctitle): the master keeps its argv after "master process"
    out.push({ ...common, uid, comm: 'nginx', argv: [`nginx: master process ${argv.join(' ')}`], sessionLeader: true, parent: 'shim', profile: 'nginx', fixed, containerId });
    for (let i = 0; i < Math.max(1, cpus); i++) out.push({ ...common, uid: uid === 0 ? 101 : uid, comm: 'nginx', argv: ['nginx: worker process'], sessionLeader: false, parent: 0, profile: 'nginx-worker' });
    return out;
  }
  if (exe === 'httpd-foreground' || (exe === 'httpd' && argv.includes('-DFOREGROUND'))) {
    // httpd-foreground execs `httpd -DFOREGROUND`; the event MPM starts 3 servers as www-data (33)
    const a = exe === 'httpd' ? argv : ['httpd', '-DFOREGROUND', ...argv.slice(1)];
    out.push({ ...common, uid, comm: 'httpd', argv: a, sessionLeader: true, parent: 'shim', profile: 'httpd', fixed, containerId });
    for (let i = 0; i < 3; i++) out.push({ ...common, uid: uid === 0 ? 33 : uid, comm: 'httpd', argv: a, sessionLeader: false, parent: 0, profile: 'httpd-worker' });
    return out;
  }
  if (exe === 'redis-server' && argv.length === 1) {
    out.push({ ...common, uid, comm: 'redis-server', argv: ['redis-server *:6379'], sessionLeader: true, parent: 'shim', profile: 'redis-server', fixed, containerId });
    return out;
  }
  // a shell script's interpreter is the process (`sh -c "…"` runs sh); dumb-init keeps its child
  const comm = comm15(exe);
  out.push({ ...common, uid, comm, argv, sessionLeader: true, parent: 'shim', profile: comm, fixed, containerId });
  return out;
}

/** The kubelet's static Pods: the command line as the manifest on the node's disk has it. */
function manifestContainers(cluster: ClusterRuntime, node: string, pod: KubeObject): Container[] | undefined {
  const component = pod.metadata.labels?.component;
  if (!component || pod.metadata.labels?.tier !== 'control-plane') return undefined;
  const text = cluster.fs.read({ kind: 'node', node }, `/etc/kubernetes/manifests/${component}.yaml`);
  if (text === undefined) return undefined;
  try {
    const doc = parse(text) as { spec?: { containers?: Container[] } };
    return Array.isArray(doc?.spec?.containers) ? doc.spec.containers : undefined;
  } catch {
    return undefined;
  }
}

/** When the node's kernel booted: 42 s before the kubelet came up (systemd, the base services, containerd). */
export function nodeBoot(cluster: ClusterRuntime, node: string): number {
  return nodeStart(cluster, node) - 42_000;
}

/** When the node came up: its Node object's creation (the kubelet's unit starts then, systemd.ts). */
export function nodeStart(cluster: ClusterRuntime, node: string): number {
  const n = cluster.store.get('Node', undefined, node);
  const t = Date.parse(String(n?.metadata.creationTimestamp ?? ''));
  return Number.isFinite(t) ? t : cluster.clock.now();
}

export function nodeCpus(cluster: ClusterRuntime, node: string): number {
  const n = cluster.store.get('Node', undefined, node);
  const v = Number.parseInt(String(n?.status?.capacity?.cpu ?? '2'), 10);
  return Number.isFinite(v) && v > 0 ? v : 2;
}

/** PIDs handed out per minute since boot: a node forks for probes, execs and timers all day. */
const PIDS_PER_MINUTE = 7;

type Status = { name: string; containerID?: string; state?: { running?: { startedAt?: string } } };

/**
 * The node's processes, in PID order. `self` is the command reading the table (ps, pgrep):
 * it is listed, in the learner's session, as /proc shows the reader itself.
 */
export function nodeProcesses(cluster: ClusterRuntime, node: string, self?: string[]): NodeProcess[] {
  const boot = nodeBoot(cluster, node);
  const up = nodeStart(cluster, node);
  const now = cluster.clock.now();
  const cpus = nodeCpus(cluster, node);
  const drafts: Draft[] = [];
  const add = (d: Draft) => drafts.push(d) - 1;
  const sys = (comm: string, argv: string[], uid: number, at: number, extra: Partial<Draft> = {}) => add({ comm, argv, uid, start: at, state: 'S', sessionLeader: true, parent: { pid: 1 }, profile: comm, ...extra });
  add({ comm: 'systemd', argv: ['/sbin/init'], uid: 0, start: boot, state: 'S', sessionLeader: true, parent: { pid: 0 }, profile: 'systemd', fixed: 1 });
  // kthreadd and its threads, around the PIDs pinned to daemons
  const pinned = new Set(Object.keys(FIXED_PIDS).map((c) => nodeProcessPid(node, c)!));
  for (const k of kernelThreads(cpus, pinned)) {
    add({ comm: k.name, argv: [], uid: 0, start: boot, state: k.state, nice: k.nice, kernel: true, sessionLeader: false, parent: { pid: k.pid === 2 ? 0 : 2 }, profile: 'kthread', fixed: k.pid });
  }
  sys('systemd-journal', ['/lib/systemd/systemd-journald'], 0, boot + 2_000);
  sys('systemd-udevd', ['/lib/systemd/systemd-udevd'], 0, boot + 2_000);
  sys('systemd-network', ['/lib/systemd/systemd-networkd'], 100, boot + 5_000);
  sys('systemd-resolve', ['/lib/systemd/systemd-resolved'], 101, boot + 6_000);
  sys('systemd-timesyn', ['/lib/systemd/systemd-timesyncd'], 103, boot + 6_000);
  sys('dbus-daemon', ['@dbus-daemon', '--system', '--address=systemd:', '--nofork', '--nopidfile', '--systemd-activation', '--syslog-only'], 102, boot + 7_000);
  sys('systemd-logind', ['/lib/systemd/systemd-logind'], 0, boot + 7_000);
  sys('cron', ['/usr/sbin/cron', '-f', '-P'], 0, boot + 7_000);
  sys('agetty', ['/sbin/agetty', '-o', '-p', '--', '\\u', '--noclear', 'tty1', 'linux'], 0, boot + 8_000, { tty: 'tty1', foreground: true });
  sys('sshd', ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'], 0, boot + 8_000, { fixed: nodeProcessPid(node, 'sshd') });
  // a stopped containerd or kubelet has no process (systemctl stop); one started again is a new process since then
  const containerd = cluster.kubelet.runtimeRun(node);
  if (containerd.stoppedAt === undefined) sys('containerd', ['/usr/bin/containerd'], 0, containerd.since ?? up, { fixed: unitPid(cluster, node, 'containerd') });
  const kubelet = cluster.kubelet.run(node);
  if (kubelet.stoppedAt === undefined) sys('kubelet', ['/usr/bin/kubelet', ...kubeletArgs()], 0, kubelet.since ?? up, { fixed: unitPid(cluster, node, 'kubelet') });

  for (const { pod, sandbox } of sandboxesOn(cluster, node)) {
    if (sandbox.state !== 'Ready') continue;
    const at = Math.max(up, sandbox.created);
    const shimAt = drafts.length;
    add({ comm: 'containerd-shim', argv: ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'k8s.io', '-id', sandboxId(pod), '-address', '/run/containerd/containerd.sock'], uid: 0, start: at, state: 'S', sessionLeader: false, parent: { pid: 1 }, profile: 'containerd-shim', pod });
    add({ comm: 'pause', argv: ['/pause'], uid: 65535, start: at, state: 'S', sessionLeader: true, parent: shimAt, profile: 'pause', pod });
    // app containers (a static Pod's as its manifest has them), a running init container, kubectl debug's ephemeral ones
    const specs: Container[] = [...(manifestContainers(cluster, node, pod) ?? pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
    const pi = pod.spec?.hostNetwork ? findPod(cluster, pod.metadata.namespace ?? 'default', pod.metadata.name) : undefined;
    const listenerPid = (name: string): number | undefined => {
      if (FIXED_PIDS[name] && (pod.metadata.namespace === 'kube-system')) return nodeProcessPid(node, name);
      if (!pi) return undefined;
      const l = podListeners(pi).find((x) => x.container === name);
      // ss names a hostNetwork container's server by its first socket (ss.ts nodeSockets)
      return l ? pidFor(`${node}/${l.container}/${l.port}`, 3000) : undefined;
    };
    for (const st of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])] as Status[]) {
      if (!st.state?.running) continue;
      const c = specs.find((x) => x.name === st.name);
      if (!c) continue;
      const started = Date.parse(st.state.running.startedAt ?? '');
      const id = (st.containerID ?? '').replace(/^[a-z]+:\/\//, '');
      const offset = drafts.length;
      for (const d of containerProcs(pod, c, Number.isFinite(started) ? Math.max(at, started) : at, cpus, node, listenerPid, id)) {
        add({ ...d, parent: d.parent === 'shim' ? shimAt : typeof d.parent === 'number' ? offset + d.parent : d.parent });
      }
    }
  }
  // the learner's ssh session and the reader
  const sshd = add({ comm: 'sshd', argv: ['sshd: root@pts/0'], uid: 0, start: now, state: 'S', sessionLeader: true, parent: { pid: nodeProcessPid(node, 'sshd')! }, profile: 'sshd-session' });
  const bash = add({ comm: 'bash', argv: ['-bash'], uid: 0, start: now, state: 'S', sessionLeader: true, parent: sshd, profile: 'bash', tty: 'pts/0' });
  if (self) add({ comm: comm15(base(self[0])), argv: self, uid: 0, start: now, state: 'R', sessionLeader: false, parent: bash, profile: 'ps', tty: 'pts/0', foreground: true });
  return assign(drafts, node, boot, up, now);
}

function assign(drafts: Draft[], node: string, boot: number, up: number, now: number): NodeProcess[] {
  const taken = new Set<number>();
  for (const d of drafts) if (d.fixed !== undefined) taken.add(d.fixed);
  const pids: number[] = new Array(drafts.length);
  // start order: what started first got the lower PID
  const order = drafts.map((d, i) => i).sort((a, b) => drafts[a].start - drafts[b].start || a - b);
  let next = 2;
  for (const i of order) {
    const d = drafts[i];
    // jitter keyed by what the process is, not where it sits in the list: other Pods coming and going move nothing
    if (d.fixed !== undefined) {
      pids[i] = d.fixed;
      continue;
    }
    const key = `${node}/${d.pod?.metadata.uid ?? ''}/${d.container ?? ''}/${d.comm}/${d.argv.join(' ')}/${drafts.slice(0, i).filter((x) => x.pod === d.pod && x.comm === d.comm && x.argv.join(' ') === d.argv.join(' ')).length}`;
    // the counter moves on with time (forks in between), at least one past the last PID handed out
    // what the kubelet starts comes after it (and after containerd)
    const after = d.start >= up ? Math.max(nodeProcessPid(node, 'kubelet')!, nodeProcessPid(node, 'containerd')!) + 20 : 300;
    const floor = after + Math.floor(Math.max(0, d.start - up) / 60_000) * PIDS_PER_MINUTE;
    next = Math.max(next, d.start === boot ? 2 : floor);
    if (d.start - boot < 60_000) next = Math.max(next, 300 + (parseInt(sha1(`${key}/boot`).slice(0, 2), 16) % 40));
    while (taken.has(next)) next++;
    pids[i] = next;
    taken.add(next);
    next += 1 + (parseInt(sha1(`${key}/gap`).slice(0, 2), 16) % 4);
  }
  const out: NodeProcess[] = drafts.map((d, i) => {
    const parent = typeof d.parent === 'number' ? pids[d.parent] : d.parent === 'shim' ? 0 : d.parent.pid;
    const p = profileOf(d.profile);
    const jitter = 0.9 + (parseInt(sha1(`${node}/${pids[i]}/mem`).slice(0, 4), 16) / 0xffff) * 0.2;
    const elapsed = Math.max(0, (now - d.start) / 1000);
    return {
      pid: pids[i], ppid: parent, uid: d.uid, comm: d.comm, argv: d.argv, start: d.start, state: d.state, sessionLeader: d.sessionLeader,
      threads: p.threads, tty: d.tty, foreground: d.foreground, kernel: d.kernel, nice: d.nice,
      vsz: Math.round(p.vsz * (p.vsz > 100_000 ? 1 : jitter)), rss: Math.round(p.rss * jitter), cpu: elapsed * p.load * jitter,
      pod: d.pod, container: d.container, containerId: d.containerId,
    };
  });
  return out.sort((a, b) => a.pid - b.pid);
}
