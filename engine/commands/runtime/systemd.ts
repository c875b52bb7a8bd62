/**
 * systemctl and journalctl on a node (systemd 249, Ubuntu 22.04's) for the two units a
 * Kubernetes node runs: kubelet (pkgs.k8s.io's kubelet.service with kubeadm's
 * 10-kubeadm.conf drop-in, started with the flags kubeadm-flags.env gives it) and
 * containerd. What the journal holds is derived from the cluster: the unit's start at the
 * scenario's start, then for the kubelet one `SyncLoop ADD` per Pod bound to the node
 * (pkg/kubelet/kubelet.go syncLoopIteration), a `Probe failed` per Unhealthy event
 * (pkg/kubelet/prober/prober.go) and an `Error syncing pod` per BackOff event
 * (pkg/kubelet/pod_workers.go); for containerd one RunPodSandbox per Pod sandbox
 * (internal/cri/server/sandbox_run.go), ids as crictl shows them.
 *
 * Formats: systemctl/systemctl-show.c print_status_info (● unit - Description, Loaded,
 * Drop-In, Active with `since …; N ago`, Docs, Main PID, CGroup tree, then the last 10
 * journal lines); journalctl's short output `Mon DD HH:MM:SS host ident[pid]: msg` after
 * systemd 249's `-- Journal begins at …, ends at … --` header.
 */
import type { RunResult } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { ClusterRuntime } from '../../controllers/runtime';
import type { KubeObject } from '../../cluster/types';
import { sandboxId } from './sandboxes';
import { fnv32a } from '../../cluster/hash';
import { kubeletArgs } from './kubelet-args';
import { nodeProcesses, runPid, unitPid, type NodeProcess } from './processes';
import { CRI_DIAL_ERROR, goDuration, PLEG_RELIST_THRESHOLD_MS, RUNTIME_SYNC_MS, type KubeletRun, type KubeletTransition } from '../../controllers/kubelet';
import { nodeMemTotal } from './machine';

export { kubeletArgs } from './kubelet-args';

type Unit = 'kubelet' | 'containerd';

interface Line {
  at: number;
  /** the entry's realtime stamp in microseconds (journal()'s spacing), which klog's own header repeats */
  us: number;
  ident: string;
  pid: number;
  /** the message, or a klog line whose header takes the entry's stamp */
  msg: string | ((us: number) => string);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function shortTime(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** systemd's format_timestamp: `Wed 2025-01-15 08:50:00 UTC`. */
function longTime(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** systemd 249's format_timestamp_relative (`5 days ago`, `1 day 3h ago`, `2h 5min ago`, `12min ago`, `3min 4s ago`). */
function ago(ms: number): string {
  const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H, W = 7 * D, MON = 2629800 * S, Y = 31557600 * S;
  const d = Math.max(0, ms);
  const f = Math.floor;
  if (d >= Y) return `${f(d / Y)} years ${f((d % Y) / MON)} months ago`;
  if (d >= MON) return `${f(d / MON)} months ${f((d % MON) / D)} days ago`;
  if (d >= W) return `${f(d / W)} weeks ${f((d % W) / D)} days ago`;
  if (d >= 2 * D) return `${f(d / D)} days ago`;
  if (d >= 25 * H) return `1 day ${f((d - D) / H)}h ago`;
  if (d >= 6 * H) return `${f(d / H)}h ago`;
  if (d >= H) return `${f(d / H)}h ${f((d % H) / M)}min ago`;
  if (d >= 5 * M) return `${f(d / M)}min ago`;
  if (d >= M) return `${f(d / M)}min ${f((d % M) / S)}s ago`;
  if (d >= S) return `${f(d / S)}s ago`;
  if (d > 0) return `${d}ms ago`;
  return 'now';
}

/** klog's header: `I0115 08:50:00.123456    1234 file.go:N] ` (the pid column is the thread id, right-aligned in 7), at the entry's microsecond. */
function klog(level: 'I' | 'E', pid: number, where: string, msg: string): (us: number) => string {
  return (us) => {
    const d = new Date(Math.floor(us / 1000));
    return `${level}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(us % 1_000_000, 6)} ${String(pid).padStart(7)} ${where}] ${msg}`;
  };
}

/** A unit's main PID on a node (its current process, or the one that last ran): the same process `ss -tlnp` names as the socket's owner. */
function mainPid(cluster: ClusterRuntime, node: string, unit: Unit): number {
  return unitPid(cluster, node, unit);
}

function runOf(cluster: ClusterRuntime, node: string, unit: Unit): KubeletRun {
  return unit === 'kubelet' ? cluster.kubelet.run(node) : cluster.kubelet.runtimeRun(node);
}

function historyOf(cluster: ClusterRuntime, node: string, unit: Unit): readonly KubeletTransition[] {
  return unit === 'kubelet' ? cluster.kubelet.history(node) : cluster.kubelet.runtimeHistory(node);
}

function startOf(cluster: ClusterRuntime, node: string): number {
  const n = cluster.store.get('Node', undefined, node);
  const t = Date.parse(String(n?.metadata.creationTimestamp ?? ''));
  return Number.isFinite(t) ? t : cluster.clock.now();
}

/** When the unit's current run began (its last start), or, stopped, when it stopped; a kubelet waiting for containerd is in its restart loop. */
function unitState(cluster: ClusterRuntime, node: string, unit: Unit): { active: boolean; since: number; failing?: number } {
  const run = runOf(cluster, node, unit);
  if (run.stoppedAt !== undefined) return { active: false, since: run.stoppedAt, failing: run.failing };
  return { active: true, since: run.since ?? startOf(cluster, node) };
}

function podsOn(cluster: ClusterRuntime, node: string): KubeObject[] {
  return cluster.store.list('Pod').filter((p) => p.spec?.nodeName === node);
}

function eventTime(e: KubeObject): number {
  const raw = (e as { lastTimestamp?: string; eventTime?: string; firstTimestamp?: string }).lastTimestamp ?? (e as { eventTime?: string }).eventTime;
  const t = Date.parse(String(raw ?? ''));
  return Number.isFinite(t) ? t : 0;
}

export { CRI_DIAL_ERROR } from '../../controllers/kubelet';

/** At most this many kubelet lines per containerd outage (the real journal keeps every one; a day down would be tens of thousands). */
const MAX_OUTAGE_LINES = 2000;

/** The runs of a unit: when each began (undefined: with the node) and, if it ended, when. */
interface Run {
  since?: number;
  until?: number;
  /** containerd's shims in its cgroup when this run started, and when it stopped. */
  leftAtStart?: number[];
  leftAtStop?: number[];
}

function runsOf(cluster: ClusterRuntime, node: string, unit: Unit): Run[] {
  const runs: Run[] = [{}];
  for (const t of historyOf(cluster, node, unit)) {
    const last = runs[runs.length - 1];
    if (t.kind === 'stop') {
      last.until = t.at;
      last.leftAtStop = t.leftover;
    } else runs.push({ since: t.at, leftAtStart: t.leftover });
  }
  return runs;
}

function journal(cluster: ClusterRuntime, node: string, unit: Unit): Line[] {
  const start = startOf(cluster, node);
  const lines: Line[] = [];
  const sys = (at: number, msg: string) => lines.push({ at, us: 0, ident: 'systemd', pid: 1, msg });
  const runs = runsOf(cluster, node, unit).map((r) => ({ ...r, pid: runPid(cluster, node, unit, r.since) }));
  /** The unit's process at `at`: the run that began last at or before it. */
  const pidAt = (at: number) => [...runs].reverse().find((r) => (r.since ?? start) <= at)?.pid ?? runs[0].pid;
  const own = (at: number, msg: Line['msg'], pid = pidAt(at)) => lines.push({ at, us: 0, ident: unit, pid, msg });
  const d = UNITS[unit].description;
  if (unit === 'kubelet') {
    const started = (at: number, pid: number) => {
      sys(at, `Started ${d}.`);
      own(at, klog('I', pid, 'server.go:529', `"Kubelet version" kubeletVersion="${cluster.settings.kubernetesVersion}"`), pid);
    };
    for (const r of runs) {
      if (r.since !== undefined) started(r.since, r.pid);
      else started(start, r.pid);
      if (r.until !== undefined) {
        sys(r.until, `Stopping ${d}...`);
        sys(r.until, 'kubelet.service: Deactivated successfully.');
        sys(r.until, `Stopped ${d}.`);
      }
    }
    const starts = runs.filter((r) => r.since !== undefined).map((r) => r.since!);
    const stops = runs.filter((r) => r.until !== undefined).map((r) => r.until!);
    /** Whether the kubelet ran at `at` (between a start and the stop after it). */
    const runningAt = (at: number) => Math.max(-Infinity, ...stops.filter((x) => x <= at)) <= Math.max(start, ...starts.filter((x) => x <= at));
    for (const p of podsOn(cluster, node)) {
      const created = Math.max(start, Date.parse(String(p.metadata.creationTimestamp ?? '')) || start);
      const add = (at: number) => own(at, (us) => klog('I', pidAt(at), 'kubelet.go:2412', `"SyncLoop ADD" source="api" pods=["${p.metadata.namespace}/${p.metadata.name}"]`)(us));
      if (runningAt(created)) add(created);
      for (const s of starts) if (s >= created) add(s);
    }
    for (const e of cluster.store.list('Event')) {
      const src = (e as { source?: { component?: string; host?: string } }).source;
      if (src?.component !== 'kubelet' || src.host !== node) continue;
      const reason = (e as { reason?: string }).reason;
      const inv = (e as { involvedObject?: { namespace?: string; name?: string; uid?: string; fieldPath?: string } }).involvedObject ?? {};
      const msg = String((e as { message?: string }).message ?? '');
      const container = /spec\.containers\{(.*)\}/.exec(inv.fieldPath ?? '')?.[1] ?? '';
      const at = eventTime(e);
      const pid = pidAt(at);
      const podRef = `pod="${inv.namespace}/${inv.name}" podUID="${inv.uid}"`;
      if (reason === 'Unhealthy') {
        const m = /^(Liveness|Readiness|Startup) probe failed: ?([\s\S]*)$/.exec(msg);
        if (!m) continue;
        own(at, klog('I', pid, 'prober.go:107', `"Probe failed" probeType="${m[1]}" ${podRef} containerName="${container}" probeResult="failure" output=${JSON.stringify(m[2])}`));
      } else if (reason === 'BackOff' && /Back-off restarting failed container/.test(msg)) {
        own(at, klog('E', pid, 'pod_workers.go:1301', `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"${container}\\" with CrashLoopBackOff: \\"back-off 10s restarting failed container=${container} pod=${inv.name}_${inv.namespace}(${inv.uid})\\"" ${podRef}`));
      }
    }
    kubeletOutageLines(cluster, node, runningAt, pidAt, own);
    kubeletRestartLoop(cluster, node, sys, own);
  } else {
    for (const r of runs) {
      const at = r.since ?? start;
      if (r.since !== undefined) {
        // the shims the last containerd left in its cgroup (KillMode=process): core/unit.c log_leftover, one entry of two lines
        for (const pid of r.leftAtStart ?? []) {
          sys(at, `containerd.service: Found left-over process ${pid} (containerd-shim) in control group while starting unit. Ignoring.\nThis usually indicates unclean termination of a previous run, or service implementation deficiencies.`);
        }
      }
      sys(at, `Starting ${d}...`);
      sys(at, `Started ${d}.`);
      if (r.until !== undefined) {
        sys(r.until, `Stopping ${d}...`);
        sys(r.until, 'containerd.service: Deactivated successfully.');
        // KillMode=process: SIGTERM reached containerd alone; its shims stay in the unit's cgroup
        for (const pid of r.leftAtStop ?? []) sys(r.until, `containerd.service: Unit process ${pid} (containerd-shim) remains running after unit stopped.`);
        sys(r.until, `Stopped ${d}.`);
      }
    }
    for (const p of podsOn(cluster, node)) {
      if (!p.status?.startTime) continue;
      const at = Math.max(start, Date.parse(String(p.status?.startTime ?? p.metadata.creationTimestamp ?? '')) || start);
      // logrus's default timestamp, Go's RFC3339Nano (trailing zeros of the fraction dropped); the nanoseconds below the entry's µs seeded
      const ts = (us: number) => new Date(Math.floor(us / 1000)).toISOString().replace(/\.\d{3}Z$/, `.${pad(us % 1_000_000, 6)}${pad(fnv32a(`${cluster.seed}/${us}`) % 1000, 3)}`.replace(/\.?0+$/, '') + 'Z');
      own(at, (us) => `time="${ts(us)}" level=info msg="RunPodSandbox for &PodSandboxMetadata{Name:${p.metadata.name},Uid:${p.metadata.uid},Namespace:${p.metadata.namespace},Attempt:0,} returns sandbox id \\"${sandboxId(p)}\\""`);
    }
  }
  lines.sort((a, b) => a.at - b.at);
  // Nothing two processes log lands in the same microsecond: each entry after the first of a
  // moment comes a seeded few hundred µs to a few ms after the one before it (systemd's
  // "Started" first, then the service's own first lines as it initialises), the first one a
  // seeded sub-second offset into its millisecond's second — never the round `.000000`.
  let prev = -1;
  lines.forEach((l, i) => {
    const h = fnv32a(`${cluster.seed}/${node}/${unit}/${i}`);
    const base = l.at * 1000 + (h % 1000);
    l.us = Math.max(base, prev + 150 + (h % 4850));
    prev = l.us;
  });
  return lines;
}

type Own = (at: number, msg: Line['msg'], pid?: number) => void;

/**
 * The kubelet's lines while containerd was down (each outage: a stop of containerd up to the
 * start after it, or now), while the kubelet ran: updateRuntimeUp's failed Status call every
 * 5 s ("Container runtime sanity check failed"), and from the moment runtimeErrors says the
 * runtime is down, syncLoop's "Skipping pod synchronization" at its exponential back-off
 * (100 ms doubling to 5 s), the PLEG's health joining the error past its 3 min threshold.
 * klog's file:line are those a v1.3x kubelet printed for the two calls in a published journal
 * (kubelet.go:3115 and :2525); the v1.34.2 source's own numbers were not at hand.
 */
function kubeletOutageLines(cluster: ClusterRuntime, node: string, runningAt: (at: number) => boolean, pidAt: (at: number) => number, own: Own): void {
  const now = cluster.clock.now();
  const hist = cluster.kubelet.runtimeHistory(node);
  hist.forEach((t, i) => {
    if (t.kind !== 'stop') return;
    const until = hist.slice(i + 1).find((x) => x.kind === 'start')?.at ?? now + 1;
    const o = cluster.kubelet.outage(node, t.at);
    let n = 0;
    for (let at = o.lastSync + RUNTIME_SYNC_MS; at < until && n < MAX_OUTAGE_LINES; at += RUNTIME_SYNC_MS, n++) {
      if (runningAt(at)) own(at, klog('E', pidAt(at), 'kubelet.go:3115', `"Container runtime sanity check failed" err=${JSON.stringify(CRI_DIAL_ERROR)}`));
    }
    let delay = 100;
    for (let at = o.downAt; at < until && n < MAX_OUTAGE_LINES; at += delay, delay = Math.min(5000, delay * 2), n++) {
      if (!runningAt(at)) continue;
      const since = at - o.lastRelist;
      const pleg = `PLEG is not healthy: pleg was last seen active ${goDuration(since * 1e6 + (fnv32a(`${cluster.seed}/${node}/pleg/${at}`) % 1_000_000))} ago; threshold is 3m0s`;
      const err = since > PLEG_RELIST_THRESHOLD_MS ? `[container runtime is down, ${pleg}]` : 'container runtime is down';
      own(at, klog('E', pidAt(at), 'kubelet.go:2525', `"Skipping pod synchronization" err=${JSON.stringify(err)}`));
    }
  });
}

/**
 * A kubelet asked to start while containerd is down: PreInitRuntimeService's CRI client fails
 * its validation, cmd/kubelet returns "failed to run Kubelet: …" (component-base cli/run.go
 * logs "command failed"), the process exits 1, and kubelet.service (Restart=always,
 * RestartSec=10) starts it again every 10 s (core/service.c's "Scheduled restart job").
 */
function kubeletRestartLoop(cluster: ClusterRuntime, node: string, sys: (at: number, msg: string) => void, own: Own): void {
  const failing = cluster.kubelet.run(node).failing;
  if (failing === undefined) return;
  const now = cluster.clock.now();
  const d = UNITS.kubelet.description;
  for (let k = 0, at = failing; at <= now && k < MAX_OUTAGE_LINES; k++, at += KUBELET_RESTART_SEC * 1000) {
    if (k > 0) {
      sys(at, `kubelet.service: Scheduled restart job, restart counter is at ${k}.`);
      sys(at, `Stopped ${d}.`);
    }
    sys(at, `Started ${d}.`);
    const pid = runPid(cluster, node, 'kubelet', at);
    own(at, klog('E', pid, 'run.go:72', `"command failed" err=${JSON.stringify(`failed to run Kubelet: validate service connection: validate CRI v1 runtime API for endpoint "unix:///run/containerd/containerd.sock": ${CRI_DIAL_ERROR}`)}`), pid);
    sys(at, 'kubelet.service: Main process exited, code=exited, status=1/FAILURE');
    sys(at, "kubelet.service: Failed with result 'exit-code'.");
  }
}

/** kubelet.service's RestartSec (pkgs.k8s.io's unit: Restart=always, RestartSec=10). */
const KUBELET_RESTART_SEC = 10;

function message(l: Line): string {
  return typeof l.msg === 'string' ? l.msg : l.msg(l.us);
}

type OutputMode = 'short' | 'short-precise' | 'cat';

function render(l: Line, node: string, mode: OutputMode = 'short'): string {
  if (mode === 'cat') return `${message(l)}\n`;
  const stamp = mode === 'short-precise' ? `${shortTime(Math.floor(l.us / 1000))}.${pad(l.us % 1_000_000, 6)}` : shortTime(Math.floor(l.us / 1000));
  const prefix = `${stamp} ${node} ${l.ident}[${l.pid}]: `;
  // journalctl's print_multiline: a message's further lines are indented to where its first began
  return prefix + message(l).split('\n').join('\n' + ' '.repeat(prefix.length)) + '\n';
}

const UNITS: Record<Unit, { description: string; path: string; dropIn?: [string, string]; docs: string; execStart: string; execStartPre?: string; cmd: (node: string) => string }> = {
  kubelet: {
    execStart: '/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS',
    description: 'kubelet: The Kubernetes Node Agent',
    path: '/lib/systemd/system/kubelet.service',
    dropIn: ['/usr/lib/systemd/system/kubelet.service.d', '10-kubeadm.conf'],
    docs: 'https://kubernetes.io/docs/',
    cmd: () => `/usr/bin/kubelet ${kubeletArgs().join(' ')}`,
  },
  containerd: {
    description: 'containerd container runtime',
    path: '/lib/systemd/system/containerd.service',
    docs: 'https://containerd.io',
    // containerd's containerd.service: ExecStartPre=-/sbin/modprobe overlay, Type=notify, KillMode=process, TasksMax=infinity
    execStartPre: '/sbin/modprobe overlay',
    execStart: '/usr/bin/containerd',
    cmd: () => '/usr/bin/containerd',
  },
};

/**
 * systemd 249 print_status_info's accounting lines (DefaultTasksAccounting, MemoryAccounting
 * and CPUAccounting are on for services): `Tasks: N (limit: L)` from the cgroup's pids.current
 * — every thread of its processes (processes.ts) —, the limit DefaultTasksMax=15% of
 * limits-util.c system_tasks_max() (min(kernel.pid_max, kernel.threads-max) - 1; pid_max is
 * 32768 on a 2-CPU node, threads-max kernel/fork.c's totalram pages / 32); `Memory:` the
 * cgroup's memory.current (its processes' resident memory, as ps and top count it — the page
 * cache charged to the cgroup is left out) in format_bytes; `CPU:` cpu.stat usage_usec (the
 * processes' CPU time, as ps's TIME) in format_timespan at 1 ms accuracy.
 */
function accounting(procs: NodeProcess[], memTotalKb: number, unlimited = false): string {
  const tasks = procs.reduce((n, p) => n + p.threads, 0);
  const limit = Math.floor((15 * (Math.min(32768, Math.floor(memTotalKb / 4 / 32)) - 1)) / 100);
  // containerd.service sets TasksMax=infinity: no limit to print
  if (unlimited) return `      Tasks: ${tasks}\n     Memory: ${formatBytes(procs.reduce((n, p) => n + p.rss, 0) * 1024)}\n        CPU: ${formatTimespan(Math.round(procs.reduce((n, p) => n + p.cpu, 0) * 1000))}\n`;
  const mem = procs.reduce((n, p) => n + p.rss, 0) * 1024;
  const cpuMs = Math.round(procs.reduce((n, p) => n + p.cpu, 0) * 1000);
  return `      Tasks: ${tasks} (limit: ${limit})\n     Memory: ${formatBytes(mem)}\n        CPU: ${formatTimespan(cpuMs)}\n`;
}

/** systemd basic/format-util.c format_bytes_full (1024-based, one decimal: `52.3M`, bytes as `512B`). */
export function formatBytes(b: number): string {
  const units = ['E', 'P', 'T', 'G', 'M', 'K'];
  for (let i = 0; i < units.length; i++) {
    const factor = 1024 ** (6 - i);
    if (b >= factor) return `${Math.floor(b / factor)}.${Math.floor(b / (factor / 10)) % 10}${units[i]}`;
  }
  return `${b}B`;
}

/** systemd basic/time-util.c format_timespan at USEC_PER_MSEC accuracy: `1min 2.345s`, `2.3s`, `345ms`, `1h 2min 3.004s`. */
export function formatTimespan(ms: number): string {
  if (ms <= 0) return '0';
  const parts: string[] = [];
  let t = ms;
  for (const [name, size] of [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000]] as const) {
    if (t >= size) {
      parts.push(`${Math.floor(t / size)}${name}`);
      t %= size;
    }
  }
  if (t >= 1000) {
    const frac = t % 1000;
    parts.push(frac ? `${Math.floor(t / 1000)}.${String(frac).padStart(3, '0').replace(/0+$/, '')}s` : `${Math.floor(t / 1000)}s`);
  } else if (t > 0) parts.push(`${t}ms`);
  return parts.join(' ');
}

function unitOf(name: string | undefined): Unit | undefined {
  const n = (name ?? '').replace(/\.service$/, '');
  return n === 'kubelet' || n === 'containerd' ? n : undefined;
}

function status(ctx: CommandContext, node: string, unit: Unit): string {
  const u = UNITS[unit];
  const state = unitState(ctx.cluster, node, unit);
  const now = ctx.cluster.clock.now();
  const pid = mainPid(ctx.cluster, node, unit);
  const all = nodeProcesses(ctx.cluster, node);
  // the unit's cgroup: its main process, and for containerd the shims it started (KillMode=process leaves them there, stopped or not)
  const cgroup = all.filter((p) => (state.active && p.pid === pid) || (unit === 'containerd' && p.comm === 'containerd-shim'));
  // systemd 249's glyphs: ● for an active unit, ○ for an inactive one, ● (red) for one activating after a failure
  let s = `${state.active || state.failing !== undefined ? '●' : '○'} ${unit}.service - ${u.description}\n`;
  s += `     Loaded: loaded (${u.path}; enabled; vendor preset: enabled)\n`;
  if (u.dropIn) s += `    Drop-In: ${u.dropIn[0]}\n             └─${u.dropIn[1]}\n`;
  if (state.active) {
    s += `     Active: active (running) since ${longTime(state.since)}; ${ago(now - state.since)}\n`;
    s += `       Docs: ${u.docs}\n`;
    if (u.execStartPre) s += `    Process: ${pid - 2} ExecStartPre=${u.execStartPre} (code=exited, status=0/SUCCESS)\n`;
    s += `   Main PID: ${pid} (${unit})\n`;
  } else if (state.failing !== undefined) {
    // kubelet waiting for containerd: each try exits 1, the next comes RestartSec later
    const tries = Math.floor((now - state.failing) / (KUBELET_RESTART_SEC * 1000));
    const last = state.failing + tries * KUBELET_RESTART_SEC * 1000;
    const lastPid = runPid(ctx.cluster, node, 'kubelet', last);
    s += `     Active: activating (auto-restart) (Result: exit-code) since ${longTime(last)}; ${ago(now - last)}\n`;
    s += `       Docs: ${u.docs}\n`;
    s += `    Process: ${lastPid} ExecStart=${u.execStart} (code=exited, status=1/FAILURE)\n`;
    s += `   Main PID: ${lastPid} (code=exited, status=1/FAILURE)\n`;
  } else {
    s += `     Active: inactive (dead) since ${longTime(state.since)}; ${ago(now - state.since)}\n`;
    s += `       Docs: ${u.docs}\n`;
    if (u.execStartPre) s += `    Process: ${pid - 2} ExecStartPre=${u.execStartPre} (code=exited, status=0/SUCCESS)\n`;
    // how its process ended on SIGTERM: containerd shuts down cleanly (exit 0), the kubelet dies of the signal
    const ended = unit === 'containerd' ? 'code=exited, status=0/SUCCESS' : 'code=killed, signal=TERM';
    s += `    Process: ${pid} ExecStart=${u.execStart} (${ended})\n`;
    s += `   Main PID: ${pid} (${ended})\n`;
  }
  if (cgroup.length) {
    s += accounting(cgroup, nodeMemTotal(ctx.cluster, node), unit === 'containerd');
    s += `     CGroup: /system.slice/${unit}.service\n`;
    cgroup.forEach((p, i) => (s += `             ${i === cgroup.length - 1 ? '└─' : '├─'}${p.pid} ${p.argv.join(' ')}\n`));
  }
  const lines = journal(ctx.cluster, node, unit).slice(-10);
  if (lines.length) s += '\n' + lines.map((l) => render(l, node)).join('');
  return s;
}

export function runSystemctl(args: string[], ctx: CommandContext): RunResult {
  if (ctx.host.kind !== 'node') return { stdout: '', stderr: 'System has not been booted with systemd as init system (PID 1). Can\'t operate.\nFailed to connect to bus: Host is down\n', exitCode: 1 };
  const node = ctx.host.node;
  const words = args.filter((a) => !a.startsWith('-'));
  const [verb = 'list-units', ...names] = words;
  const missing = (n: string) => `Unit ${n.endsWith('.service') ? n : `${n}.service`} could not be found.\n`;
  switch (verb) {
    case 'status': {
      if (!names.length) return { stdout: '', stderr: 'netlab: systemctl status without a unit is not simulated here (try systemctl status kubelet)\n', exitCode: 1 };
      let out = '';
      let err = '';
      let code = 0;
      for (const n of names) {
        const u = unitOf(n);
        if (!u) {
          err += missing(n);
          code = 4;
          continue;
        }
        out += (out ? '\n' : '') + status(ctx, node, u);
      }
      return { stdout: out, stderr: err, exitCode: code };
    }
    case 'is-active':
    case 'is-enabled': {
      let out = '';
      let code = 0;
      for (const n of names) {
        const u = unitOf(n);
        const st = u ? unitState(ctx.cluster, node, u) : undefined;
        const active = !!st?.active;
        if (verb === 'is-active') out += active ? 'active\n' : st?.failing !== undefined ? 'activating\n' : 'inactive\n';
        else if (u) out += 'enabled\n';
        else return { stdout: out, stderr: `Failed to get unit file state for ${n.endsWith('.service') ? n : `${n}.service`}: No such file or directory\n`, exitCode: 1 };
        if (verb === 'is-active' && !active) code = 3;
      }
      return { stdout: out, stderr: '', exitCode: code };
    }
    case 'start':
    case 'stop':
    case 'restart':
    case 'reload':
    case 'enable':
    case 'daemon-reload': {
      if (!names.length && verb !== 'daemon-reload') return { stdout: '', stderr: `Too few arguments.\n`, exitCode: 1 };
      for (const n of names) if (!unitOf(n)) return { stdout: '', stderr: `Failed to ${verb} ${n.endsWith('.service') ? n : `${n}.service`}: Unit ${n.endsWith('.service') ? n : `${n}.service`} not found.\n`, exitCode: 5 };
      const units = names.map((n) => unitOf(n)!);
      const kubelet = ctx.cluster.kubelet;
      // in the order named, as systemctl queues the jobs
      for (const u of units) {
        if (u === 'containerd') {
          // the shims in containerd's cgroup (KillMode=process keeps them), which systemd names as it stops and starts the unit
          const shims = () => nodeProcesses(ctx.cluster, node).filter((p) => p.comm === 'containerd-shim').map((p) => p.pid);
          if (verb === 'stop' || verb === 'restart') kubelet.stopRuntime(node, shims());
          if (verb === 'start' || verb === 'restart') kubelet.startRuntime(node, shims());
        } else {
          if (verb === 'stop' || verb === 'restart') kubelet.stopProcess(node);
          if (verb === 'start' || verb === 'restart') kubelet.startProcess(node);
        }
      }
      if (verb !== 'enable' && verb !== 'daemon-reload' && verb !== 'reload') ctx.cluster.reconcile();
      // otherwise the unit is already in the state asked for with this configuration: nothing changes
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    default:
      return { stdout: '', stderr: `netlab: systemctl ${verb} is not simulated here (status, is-active, is-enabled, start, stop and restart of kubelet and containerd are)\n`, exitCode: 1 };
  }
}

/** systemd 249 src/shared/output-mode.c output_mode_table. */
const OUTPUT_MODES = ['short', 'short-full', 'short-iso', 'short-iso-precise', 'short-precise', 'short-monotonic', 'short-unix', 'verbose', 'export', 'json', 'json-pretty', 'json-sse', 'json-seq', 'cat', 'with-unit'];

export function runJournalctl(args: string[], ctx: CommandContext): RunResult {
  if (ctx.host.kind !== 'node') return { stdout: '', stderr: 'No journal files were found.\n', exitCode: 1 };
  const node = ctx.host.node;
  const units: Unit[] = [];
  let n: number | undefined;
  let mode: OutputMode = 'short';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let v: string | undefined;
    if (a === '-u' || a === '--unit') v = args[++i];
    else if (a.startsWith('--unit=')) v = a.slice(7);
    else if (a.startsWith('-u') && a.length > 2) v = a.slice(2);
    if (v !== undefined || a === '-u' || a === '--unit') {
      if (v === undefined) return { stdout: '', stderr: "journalctl: option requires an argument -- 'u'\n", exitCode: 1 };
      const u = unitOf(v);
      // journalctl matches _SYSTEMD_UNIT=: an unknown unit simply has no entries
      if (u) units.push(u);
      else units.push('' as Unit);
      continue;
    }
    if (a === '-n' || a === '--lines') {
      n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 0) return { stdout: '', stderr: `Failed to parse lines '${args[i]}'.\n`, exitCode: 1 };
    } else if (a.startsWith('--lines=')) n = Number(a.slice(8));
    else if (/^-n\d+$/.test(a)) n = Number(a.slice(2));
    else if (a === '--no-pager' || a === '-l' || a === '--full' || a === '-q' || a === '--quiet' || a === '-a' || a === '--all') continue;
    else if (a === '-o' || a === '--output' || a.startsWith('--output=') || (a.startsWith('-o') && a.length > 2)) {
      const v = a === '-o' || a === '--output' ? args[++i] : a.startsWith('--output=') ? a.slice(9) : a.slice(2);
      if (v === undefined) return { stdout: '', stderr: "journalctl: option requires an argument -- 'o'\n", exitCode: 1 };
      // journalctl.c parse_argv: output_mode_from_string, else "Unknown output format '%s'."
      if (v === 'short' || v === 'short-precise' || v === 'cat') mode = v;
      else if (OUTPUT_MODES.includes(v)) return { stdout: '', stderr: `netlab: journalctl -o ${v} is not simulated here (short, short-precise and cat are)\n`, exitCode: 1 };
      else return { stdout: '', stderr: `Unknown output format '${v}'.\n`, exitCode: 1 };
    } else if (a === '-e' || a === '--pager-end') n = n ?? 1000;
    else if (a === '-f' || a === '--follow') return { stdout: '', stderr: 'netlab: journalctl -f is not simulated here (journalctl -u UNIT -n N shows the latest lines)\n', exitCode: 1 };
    else if (a === '-xe' || a === '-ex') n = n ?? 1000;
    else return { stdout: '', stderr: `journalctl: unrecognized option '${a}'\n`, exitCode: 1 };
  }
  if (!units.length) return { stdout: '', stderr: 'netlab: journalctl without -u is not simulated here (journalctl -u kubelet, journalctl -u containerd)\n', exitCode: 1 };
  let lines = units.filter(Boolean).flatMap((u) => journal(ctx.cluster, node, u)).sort((a, b) => a.at - b.at);
  const quiet = args.includes('-q') || args.includes('--quiet');
  const start = startOf(ctx.cluster, node);
  // the header spans the whole journal, whichever units are asked for
  const all = (['kubelet', 'containerd'] as Unit[]).flatMap((u) => journal(ctx.cluster, node, u));
  const header = `-- Journal begins at ${longTime(start)}, ends at ${longTime(Math.max(start, ...all.map((l) => Math.floor(l.us / 1000))))}. --\n`;
  if (n !== undefined) lines = n === 0 ? [] : lines.slice(-n);
  const body = lines.length ? lines.map((l) => render(l, node, mode)).join('') : '-- No entries --\n';
  return { stdout: (quiet ? '' : header) + body, stderr: '', exitCode: 0 };
}

export const systemctlCommand: CommandSpec = { name: 'systemctl', summary: 'control the systemd system and service manager', run: runSystemctl };
export const journalctlCommand: CommandSpec = { name: 'journalctl', summary: 'query the systemd journal', run: runJournalctl };
