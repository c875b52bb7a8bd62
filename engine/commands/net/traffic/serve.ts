/**
 * A server typed in a container's shell (`iperf3 -s`, `nc -lk -p 9000`, `socat
 * TCP-LISTEN:8080,fork -`): the process opens its sockets in the Pod's network namespace
 * (dataplane/started.ts), so the walk delivers to it, ss/netstat and /proc/net/tcp list it and
 * ps shows it, for as long as it runs. In the foreground it owns the terminal until Ctrl+C;
 * with `&` it is one of bash's jobs (`kill %1`, `fg`, the SIGHUP bash sends its jobs when the
 * exec session ends); a daemon (`iperf3 -D`) is neither and runs until killed by PID or its
 * container stops. What it writes reaches the terminal as the job's stream steps. On a node's
 * shell or in a hostNetwork Pod it listens in the node's network namespace.
 */
import type { CommandOutcome, RunResult, Streaming } from '../../../types';
import type { CommandContext } from '../../../shell/command';
import type { Listener } from '../../../dataplane/apps';
import { listenerOn } from '../../../dataplane/apps';
import { findPod } from '../../../dataplane/topology';
import { bindNeedsPrivilege } from './privileged-port';
import { nodeShellKey, startedProcesses, type StartedProcess } from '../../../dataplane/started';

export interface ServerSpec {
  /** The program's name (comm) and its argv, as ps shows them. */
  comm: string;
  argv: string[];
  /** The sockets it opens (port, proto, app, description, params); `container` is filled in. */
  listeners: Omit<Listener, 'container'>[];
  /** What it prints once listening (to its stdout). */
  banner?: string;
  /** Where its output goes when it is not the terminal: nowhere (a daemon) or a file (`--logfile`). */
  sink?: 'null' | { file: string };
  /** The daemon forks and its parent returns at once: no stream, no job. */
  daemon?: boolean;
  /** The port is taken: the program's bind error (its text, exit status). */
  addressInUse(port: number, proto: 'tcp' | 'udp'): RunResult;
  /** The port is below ip_unprivileged_port_start and the process lacks CAP_NET_BIND_SERVICE: the program's EACCES error. */
  permissionDenied(port: number, proto: 'tcp' | 'udp'): RunResult;
  /** What it prints when interrupted (Ctrl+C, SIGTERM, SIGHUP). */
  interrupted(proc: StartedProcess, signal: 'INT' | 'TERM' | 'HUP' | 'KILL'): { stdout?: string; stderr?: string; exitCode: number; exited?: boolean };
  /** Where the simulation does not host it (a node, the workstation, a hostNetwork Pod). */
  notHere(): RunResult;
}

/** Starts the server in the command's container; a stream while it runs in the terminal. */
export function startServer(ctx: CommandContext, spec: ServerSpec): CommandOutcome {
  const h = ctx.host;
  if (h.kind === 'workstation') return spec.notHere();
  const pod = h.kind === 'pod' ? findPod(ctx.cluster, h.namespace, h.pod) : undefined;
  if (h.kind === 'pod' && !pod) return spec.notHere();
  // a node's shell, or a hostNetwork Pod: the sockets are the node's
  const node = h.kind === 'node' ? h.node : pod!.hostNetwork ? pod!.node : undefined;
  const where = node !== undefined ? { kind: 'node' as const, node } : { kind: 'pod' as const, pod: pod! };
  for (const l of spec.listeners) {
    // __inet_bind checks the privileged port before it looks the port up (privileged-port.ts)
    if (bindNeedsPrivilege(ctx.cluster, h, l.port)) return spec.permissionDenied(l.port, l.proto === 'udp' ? 'udp' : 'tcp');
    if (listenerOn(ctx.cluster, where, l.port, l.proto)) return spec.addressInUse(l.port, l.proto === 'udp' ? 'udp' : 'tcp');
  }
  const key = h.kind === 'node' ? nodeShellKey(h.node) : { uid: pod!.obj.metadata.uid ?? '', container: h.container };
  const table = startedProcesses(ctx.cluster);
  const fs = ctx.cluster.fs;
  const sink: StartedProcess['sink'] =
    spec.sink === 'null' ? { kind: 'null' } : spec.sink ? { kind: 'file', write: (text) => fs.append(h, (spec.sink as { file: string }).file, text) } : { kind: 'tty' };
  // daemon(3): the program forks, the child carries on (the next PID), the parent exits
  if (spec.daemon) table.burnPid(key.uid, key.container);
  const proc = table.start({
    namespace: h.kind === 'pod' ? h.namespace : '',
    pod: h.kind === 'pod' ? h.pod : '',
    uid: key.uid,
    container: key.container,
    ...(node !== undefined ? { node } : {}),
    argv: spec.argv,
    comm: spec.comm.slice(0, 15),
    startedAt: ctx.cluster.clock.now(),
    listeners: spec.listeners.map((l) => ({ ...l, container: key.container })),
    sink,
  });
  // each socket names its process, for the app that answers on it (apps.ts: where a relay prints)
  for (const l of proc.listeners) l.params = { ...l.params, pid: String(proc.pid) };
  if (spec.daemon) return { stdout: '', stderr: '', exitCode: 0 };
  const stream: Streaming = {
    streaming: true,
    stdout: sink.kind === 'tty' ? spec.banner ?? '' : '',
    stderr: '',
    intervalMs: 1000,
    step: () => {
      const out = table.take(proc);
      // it ended on its own (`iperf3 -s -1` after its one test), or was killed by PID
      if (!table.running(proc)) return { stdout: out, done: true, exitCode: table.status(proc) ?? 0 };
      return out ? { stdout: out } : {};
    },
    interrupt: (signal) => {
      const out = table.take(proc);
      if (!table.running(proc)) return { stdout: out, exitCode: table.status(proc) ?? 0 };
      const r = spec.interrupted(proc, signal ?? 'INT');
      table.stop(proc, r.exitCode);
      return { ...r, stdout: out + (r.stdout ?? '') };
    },
  };
  return stream;
}
