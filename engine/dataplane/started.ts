/**
 * Servers a learner starts by hand inside a container (`kubectl exec -it netshoot -- bash`,
 * then `iperf3 -s &`, `iperf3 -s -D`, `nc -lk -p 9000 &`, `socat TCP-LISTEN:8080,fork -`):
 * processes of the container's PID namespace that hold listening sockets in the Pod's network
 * namespace for as long as they run. The walk finds them as it finds the image's own server
 * (apps.ts listenerOn), ss/netstat and /proc/net/tcp list their sockets, ps their process.
 *
 * A process lives until it is stopped (Ctrl+C, `kill`, the SIGHUP bash sends its jobs when the
 * exec session ends — a `-D` daemon is no job and survives it) or until its container does: a
 * restarted container, or a Pod deleted and created again (another uid), starts with none.
 *
 * Its output goes where the real process writes it: a terminal (its job's stream reads
 * `take()`), a file (`--logfile`), or nowhere (a daemon's stdout is /dev/null). A `&` job's
 * process takes the PID bash announced for it (`reserve`, shell/interpreter.ts); the others
 * count up in the container's PID namespace from 8 — the container's process is 1 and the
 * first `kubectl exec`'d process 7 (commands/net/host/ps.ts) — and ps numbers itself after
 * the highest.
 *
 * On a node (its own shell after `ssh node-1`, or a hostNetwork Pod's container) the process's
 * sockets are the node's (`node`): the walk finds them among the node's listeners, ss lists
 * them; a node shell's PIDs are the ones bash announced for its jobs.
 *
 * Snapshots keep none of them (the kube-proxy, store and file state is what a snapshot holds):
 * a restored lab — a browser reload, a `sim` CLI run from a snapshot — is a new terminal session,
 * so the jobs of the old one are gone as bash's SIGHUP would end them when the session closes.
 * A `-D` daemon would outlive its session on a real host; here it does not survive a restore.
 */
import type { Listener } from './apps';
import type { PodInfo } from './topology';

export interface StartedProcess {
  pid: number;
  namespace: string;
  pod: string;
  /** The Pod's uid: a Pod created again under the same name has none of the old one's processes. */
  uid: string;
  container: string;
  argv: string[];
  /** /proc/PID/comm: the program's name, cut to 15 characters. */
  comm: string;
  /** Virtual-clock time it started (ps's ELAPSED; a container that started later has lost it). */
  startedAt: number;
  /** The sockets it listens on (each Listener's container is the process's container). */
  listeners: Listener[];
  /** Where its output goes: 'tty' (read by the job with take()), a file, or nowhere. */
  sink: { kind: 'tty' } | { kind: 'file'; write(text: string): void } | { kind: 'null' };
  /** Tests served so far (iperf3's `test #N`). */
  served: number;
  /**
   * Its sockets are in this node's network namespace: typed in the node's own shell (`ssh
   * node-1`, namespace and pod empty, uid `node/NAME`, container `host`), or in a hostNetwork
   * Pod's container (the Pod's PID namespace, the node's network).
   */
  node?: string;
}

interface Entry extends StartedProcess {
  pending: string;
  /** Set when it exited: its status (0, or 128 + the signal that killed it). */
  status?: number;
}

export class StartedProcesses {
  private procs: Entry[] = [];
  /** The last PID handed out per container PID namespace (`uid/container`). */
  private lastPid = new Map<string, number>();

  private key(uid: string, container: string): string {
    return `${uid}/${container}`;
  }

  /** A `&` job's PID, announced by bash before it runs: the server the job starts takes it. */
  private reserved = new Map<string, number>();

  /** The PID the next process of this container gets (a job's, while its line runs). */
  nextPid(uid: string, container: string): number {
    return this.reserved.get(this.key(uid, container)) ?? (this.lastPid.get(this.key(uid, container)) ?? 7) + 1;
  }

  /** While a `&` job runs its line: the process it starts is that job (bash's `[1] PID`). */
  reserve(uid: string, container: string, pid: number | undefined): void {
    if (pid === undefined) this.reserved.delete(this.key(uid, container));
    else this.reserved.set(this.key(uid, container), pid);
  }

  /** The highest PID handed out in the container (ps numbers itself after it). */
  highestPid(uid: string, container: string): number | undefined {
    return this.lastPid.get(this.key(uid, container));
  }

  /** A PID used by a process that exits at once (the parent a daemon forks from). */
  burnPid(uid: string, container: string): number {
    const k = this.key(uid, container);
    const pid = this.nextPid(uid, container);
    this.reserved.delete(k);
    this.lastPid.set(k, Math.max(pid, this.lastPid.get(k) ?? 7));
    return pid;
  }

  start(p: Omit<StartedProcess, 'pid' | 'served'>): StartedProcess {
    const k = this.key(p.uid, p.container);
    const pid = this.nextPid(p.uid, p.container);
    this.reserved.delete(k);
    this.lastPid.set(k, Math.max(pid, this.lastPid.get(k) ?? 7));
    const e: Entry = { ...p, pid, served: 0, pending: '' };
    this.procs.push(e);
    return e;
  }

  /** The process exits (with `status`): its sockets close. */
  stop(p: StartedProcess, status = 0): void {
    (p as Entry).status = status;
    this.procs = this.procs.filter((x) => x !== p);
  }

  /** The exit status of a process that has exited. */
  status(p: StartedProcess): number | undefined {
    return (p as Entry).status;
  }

  running(p: StartedProcess): boolean {
    return this.procs.includes(p as Entry);
  }

  /** What it writes: to its terminal (kept until its job reads it), its log file, or nowhere. */
  write(p: StartedProcess, text: string): void {
    const e = p as Entry;
    if (e.sink.kind === 'tty') e.pending += text;
    else if (e.sink.kind === 'file') e.sink.write(text);
  }

  /** What it wrote to its terminal since the last read. */
  take(p: StartedProcess): string {
    const e = p as Entry;
    const out = e.pending;
    e.pending = '';
    return out;
  }

  /** The processes alive in a Pod (every container, or one), oldest first. */
  inPod(pod: PodInfo, container?: string): StartedProcess[] {
    const uid = pod.obj.metadata.uid ?? '';
    const statuses: { name: string; state?: { running?: { startedAt?: string } } }[] = pod.obj.status?.containerStatuses ?? [];
    return this.procs.filter((p) => {
      if (p.uid !== uid || (container !== undefined && p.container !== container)) return false;
      // a container that is not running, or started again after the process did, holds none of it
      const st = statuses.find((s) => s.name === p.container)?.state;
      if (st && !st.running) return false;
      const at = Date.parse(st?.running?.startedAt ?? '');
      return Number.isNaN(at) || at <= p.startedAt;
    });
  }

  /** The processes whose sockets are in a node's network namespace, oldest first; `alive` says whether a hostNetwork Pod's container still holds its process. */
  onNode(node: string, alive: (p: StartedProcess) => boolean): StartedProcess[] {
    return this.procs.filter((p) => p.node === node && (!p.pod || alive(p)));
  }

  /** The running process holding this very socket, if any. */
  owner(l: Listener): StartedProcess | undefined {
    return this.procs.find((p) => p.listeners.includes(l));
  }

  /** A process of the container by PID (`kill PID`). */
  byPid(uid: string, container: string, pid: number): StartedProcess | undefined {
    return this.procs.find((p) => p.uid === uid && p.container === container && p.pid === pid);
  }
}

const tables = new WeakMap<object, StartedProcesses>();

/** The cluster's table of hand-started processes (one per simulation, not kept in snapshots). */
export function startedProcesses(cluster: object): StartedProcesses {
  let t = tables.get(cluster);
  if (!t) tables.set(cluster, (t = new StartedProcesses()));
  return t;
}

/** The PID namespace key of a node's own shell (uid, container). */
export function nodeShellKey(node: string): { uid: string; container: string } {
  return { uid: `node/${node}`, container: 'host' };
}

/** The sockets hand-started processes hold in a node's network namespace (its shell's, its hostNetwork Pods'). */
export function startedNodeListeners(cluster: object, node: string, alive: (p: StartedProcess) => boolean): Listener[] {
  return startedProcesses(cluster).onNode(node, alive).flatMap((p) => p.listeners);
}

/** The sockets hand-started processes hold in a Pod's network namespace. */
export function startedListeners(cluster: object, pod: PodInfo): Listener[] {
  if (!pod.running || pod.hostNetwork) return [];
  return startedProcesses(cluster).inPod(pod).flatMap((p) => p.listeners);
}

/** The hand-started process holding a listener (its params carry the PID), if it still runs. */
export function startedOwner(cluster: object, pod: PodInfo, listener: Listener): StartedProcess | undefined {
  const pid = Number(listener.params?.pid);
  if (!pid) return undefined;
  return startedProcesses(cluster).inPod(pod, listener.container).find((p) => p.pid === pid);
}
