/**
 * ps — busybox 1.36's applet (procps/ps.c, the DESKTOP build the busybox image ships):
 * the default `-o pid,user,time,args`, each column `%-*s ` wide as out_spec says (PID 5,
 * USER 8, TIME 5), the last unpadded; a row's PID right-aligned (`%*u`), TIME as
 * format_time's `%2u:%02u` of the CPU seconds. The processes are those of the container's
 * own PID namespace: its main process (PID 1: the container's command and args, or the
 * image's entrypoint and cmd) and ps itself, which kubectl exec started (runc exec's child:
 * the simulation numbers it 7). With shareProcessNamespace the pause process is PID 1 and
 * every container's process follows (as ss -p numbers them). Sleeping processes spent no
 * CPU: 0:00. `-o` takes out_spec's columns (parse_o: the last may carry =HEADER); ELAPSED
 * from the container's startedAt. Columns with no value here (tty, vsz, rss) say they are
 * not simulated. netshoot's ps is this applet too (Alpine's busybox; netshoot installs no
 * procps). On a node, ps is procps-ng's (commands/runtime/procps.ts).
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { hostPod, isBusyboxApplet, isMuslHost } from '../../../hosts/hosts';
import { imageName, imageTag } from '../../../hosts/images';
import { unmodelledCommand } from '../catalog/unmodelled';
import { runNodePs } from '../../runtime/procps';
import { findPod } from '../../../dataplane/topology';
import { startedProcesses } from '../../../dataplane/started';

/** The images' ENTRYPOINT and CMD (their Dockerfiles), for a container that sets neither. */
const IMAGE_DEFAULTS: Record<string, { entrypoint?: string[]; cmd?: string[] }> = {
  busybox: { cmd: ['sh'] },
  alpine: { cmd: ['/bin/sh'] },
  'curlimages/curl': { entrypoint: ['/entrypoint.sh'], cmd: ['curl'] },
  'e2e-test-images/agnhost': { entrypoint: ['/agnhost'], cmd: ['pause'] },
  // nicolaka/netshoot v0.13 Dockerfile: CMD ["zsh"]
  'nicolaka/netshoot': { cmd: ['zsh'] },
  // kubernetes build/pause/Dockerfile: ENTRYPOINT ["/pause"]
  pause: { entrypoint: ['/pause'] },
  // kubernetes test/images/goproxy/Dockerfile: ENTRYPOINT ["/goproxy"]
  goproxy: { entrypoint: ['/goproxy'] },
  // kelseyhightower/app hello/Dockerfile: ENTRYPOINT ["hello"]
  'google-samples/hello-go-gke': { entrypoint: ['hello'] },
};

/** busybox's /etc/passwd: the names get_cached_username finds; any other uid prints as a number. */
const USERS: Record<number, string> = { 0: 'root', 1: 'daemon', 2: 'bin', 3: 'sys', 4: 'sync', 8: 'mail', 33: 'www-data', 37: 'operator', 65534: 'nobody' };

interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  securityContext?: { runAsUser?: number };
}

function argv(c: Container): string[] {
  const d = IMAGE_DEFAULTS[imageName(c.image ?? '')] ?? {};
  if (c.command) return [...c.command, ...(c.args ?? [])];
  return [...(d.entrypoint ?? []), ...(c.args ?? d.cmd ?? [])];
}

/** A process of the container's PID namespace, as ps's procps_status_t carries what it prints. */
interface Proc {
  pid: number;
  uid: number;
  args: string;
  /** Seconds since it started (etime). */
  elapsed: number;
  /** R for ps itself, S for a sleeping server. */
  state: string;
  /** The user's name from the image's own /etc/passwd (nginx's uid 101), where busybox's lacks it. */
  user?: string;
  /** /proc/PID/comm when the process retitled its argv (nginx's "nginx: worker process" is comm nginx). */
  comm?: string;
}

/** format_time: "%2u:%02u" under an hour, "%2uh%02u" under a day, "%2ud%02u" under 100 days, else "%4lud". */
function formatTime(secs: number): string {
  let tt = Math.floor(secs);
  let ff = tt % 60;
  tt = Math.floor(tt / 60);
  if (tt < 60) return `${String(tt).padStart(2)}:${String(ff).padStart(2, '0')}`;
  ff = tt % 60;
  tt = Math.floor(tt / 60);
  if (tt < 24) return `${String(tt).padStart(2)}h${String(ff).padStart(2, '0')}`;
  ff = tt % 24;
  tt = Math.floor(tt / 24);
  if (tt < 100) return `${String(tt).padStart(2)}d${String(ff).padStart(2, '0')}`;
  return `${String(tt).padStart(4)}d`;
}

const nameOf = (uid: number) => USERS[uid] ?? String(uid);
/** busybox's /etc/group: root is gid 0; the simulation runs every process with gid = uid's group (0 for root). */
const groupOf = (uid: number) => (uid === 0 ? 'root' : uid === 65534 ? 'nobody' : String(uid));

/**
 * out_spec (ps.c): width, name, header, and what it prints. Columns the simulation has no
 * value for (tty, vsz, rss: terminals and memory) are not offered.
 */
const OUT_SPEC: { width: number; name: string; header: string; f: (p: Proc) => string; right?: boolean }[] = [
  { width: 8, name: 'user', header: 'USER', f: (p) => (p.user ?? nameOf(p.uid)).slice(0, 8) },
  { width: 8, name: 'group', header: 'GROUP', f: (p) => groupOf(p.uid).slice(0, 8) },
  { width: 16, name: 'comm', header: 'COMMAND', f: (p) => (p.comm ?? p.args.split(' ')[0].split('/').pop() ?? '').slice(0, 15) },
  { width: 0, name: 'args', header: 'COMMAND', f: (p) => p.args },
  { width: 5, name: 'pid', header: 'PID', f: (p) => String(p.pid), right: true },
  // the container's processes are children of runc/containerd-shim, outside this PID namespace
  { width: 5, name: 'ppid', header: 'PPID', f: () => '0', right: true },
  { width: 5, name: 'pgid', header: 'PGID', f: (p) => String(p.pid), right: true },
  { width: 7, name: 'etime', header: 'ELAPSED', f: (p) => formatTime(p.elapsed) },
  { width: 5, name: 'nice', header: 'NI', f: () => '0', right: true },
  { width: 8, name: 'rgroup', header: 'RGROUP', f: (p) => groupOf(p.uid).slice(0, 8) },
  { width: 8, name: 'ruser', header: 'RUSER', f: (p) => (p.user ?? nameOf(p.uid)).slice(0, 8) },
  { width: 5, name: 'time', header: 'TIME', f: () => formatTime(0) },
  { width: 5, name: 'sid', header: 'SID', f: (p) => String(p.pid), right: true },
  { width: 4, name: 'stat', header: 'STAT', f: (p) => p.state },
];

type Col = { width: number; header: string; f: (p: Proc) => string; right?: boolean };

/** parse_o: comma-separated names, the last one may carry =HEADER (its width then the header's length). */
function parseO(spec: string): Col[] | string {
  const out: Col[] = [];
  const parts = spec.split(',');
  for (let i = 0; i < parts.length; i++) {
    const [name, header] = parts[i].includes('=') ? [parts[i].slice(0, parts[i].indexOf('=')), parts.slice(i).join(',').slice(parts[i].indexOf('=') + 1)] : [parts[i], undefined];
    if (['tty', 'vsz', 'rss'].includes(name.slice(0, 6))) return `netlab: ps -o ${name} is not simulated here (no terminals or memory are modelled)\n`;
    const s = OUT_SPEC.find((x) => x.name.slice(0, 6) === name.slice(0, 6));
    if (!s) return `ps: bad -o argument '${name}', supported arguments: user,group,comm,args,pid,ppid,pgid,etime,nice,rgroup,ruser,time,tty,vsz,sid,stat,rss\n`;
    out.push(header === undefined ? s : { ...s, header, width: header ? header.length : s.width });
    if (header !== undefined) break;
  }
  return out;
}

/** format_header / format_process: each field then `width - len + 1` spaces, the last unpadded; the line cut to 79 columns without a terminal. */
function render(cols: Col[], procs: Proc[]): string {
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(Math.max(1, cols[i].width - c.length + 1)))).join('');
  const rows = [line(cols.map((c) => c.header))];
  for (const p of procs) rows.push(line(cols.map((c) => {
    const v = c.f(p) || '-';
    return c.right ? v.padStart(c.width) : v;
  })));
  return rows.map((r) => r.slice(0, MAX_WIDTH)).join('\n') + '\n';
}

/** ps without a terminal: busybox caps the line at MAX_WIDTH… the DESKTOP build prints whole lines to a pipe. */
const MAX_WIDTH = 2 * 1024;

const DEFAULT_O = 'pid,user,time,args';

const unmodelled = unmodelledCommand('ps');

const USAGE = 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ps [-o COL1,COL2=HEADER] [-T]\n\nShow list of processes\n\n\t-o COL1,COL2=HEADER\tSelect columns for display\n\t-T\t\t\tShow threads\n';
/** Alpine's busybox (aports main/busybox/busyboxconfig: `# CONFIG_FEATURE_SHOW_THREADS is not set`): no -T. */
const USAGE_NO_T = 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ps [-o COL1,COL2=HEADER]\n\nShow list of processes\n\n\t-o COL1,COL2=HEADER\tSelect columns for display\n';

/** The pause image's user: 65535 from 3.5 (kubernetes build/pause/CHANGELOG.md 3.5, #97963), root before. */
function imageUid(image: string | undefined): number {
  if (imageName(image ?? '') !== 'pause') return 0;
  const m = /^(\d+)\.(\d+)/.exec(imageTag(image ?? ''));
  return !m || Number(m[1]) > 3 || (Number(m[1]) === 3 && Number(m[2]) >= 5) ? 65535 : 0;
}

/** How far apart two processes started in one PID namespace are numbered: runc's init takes a PID and its Go threads the next five before it execs the container's program (PID 1, then 7 for the first exec). */
const PID_STEP = 6;

/**
 * The processes of the PID namespace the running ps is in, in PID order:
 *  - shareProcessNamespace: the sandbox's pause is PID 1 (uid 65535), then every running
 *    container's process, then the ephemeral containers' (the kubelet starts them in the Pod's
 *    namespace: NamespaceMode POD);
 *  - otherwise the container's own namespace — or, for an ephemeral container with
 *    targetContainerName (kubectl debug --target), the target's (CRI NamespaceMode TARGET): the
 *    target's process is PID 1 (nginx's workers and processes started by hand after it), then
 *    each running ephemeral container that targets it, by start time.
 * Then the shell kubectl exec -it started here, if ps runs in one, and ps itself.
 */
function pidNamespace(ctx: CommandContext, args: string[]): Proc[] {
  if (ctx.host.kind !== 'pod') return [];
  const host = ctx.host;
  const pod = hostPod(ctx.cluster, host);
  const spec = (pod?.spec ?? {}) as { containers?: Container[]; ephemeralContainers?: (Container & { targetContainerName?: string })[]; shareProcessNamespace?: boolean; securityContext?: { runAsUser?: number } };
  const containers = spec.containers ?? [];
  const ephemerals = spec.ephemeralContainers ?? [];
  const uidOf = (c: Container) => c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser ?? imageUid(c.image);
  const now = ctx.cluster.clock.now();
  type Status = { name: string; state?: { running?: { startedAt?: string }; terminated?: { startedAt?: string } } };
  const statuses = [...((pod?.status?.containerStatuses ?? []) as Status[]), ...((pod?.status?.ephemeralContainerStatuses ?? []) as Status[])];
  const startOf = (c: Container) => Date.parse(statuses.find((x) => x.name === c.name)?.state?.running?.startedAt ?? '');
  /** When a container's process started, running or since ended (an ended one took its PIDs too: Linux does not hand them out again soon). */
  const everStarted = (c: Container) => {
    const st = statuses.find((x) => x.name === c.name)?.state;
    return Date.parse(st?.running?.startedAt ?? st?.terminated?.startedAt ?? '');
  };
  const elapsed = (c: Container) => {
    const at = startOf(c);
    return Number.isNaN(at) ? 0 : Math.max(0, (now - at) / 1000);
  };
  const running = (c: Container) => !Number.isNaN(startOf(c));
  const self: Container | undefined = containers.find((c) => c.name === host.container) ?? ephemerals.find((c) => c.name === host.container) ?? containers[0];
  const selfEphemeral = ephemerals.find((c) => c.name === host.container);
  const procs: Proc[] = [];
  const main = (c: Container, pid: number): Proc => ({ pid, uid: uidOf(c), args: argv(c).join(' '), elapsed: elapsed(c), state: 'S' });
  /** The PID the next process gets: a runc-started one PID_STEP after the last runc start, a forked one right after its parent's last child. */
  let nextPid = 1;
  /** After processes forked by hand (dataplane/started.ts), the PID after the last of them. */
  let forked = 0;
  const start = (p: Proc) => {
    procs.push(p);
    nextPid = p.pid + PID_STEP;
  };
  const byStart = (a: Container, b: Container) => startOf(a) - startOf(b);
  if (spec.shareProcessNamespace) {
    const sandbox = Date.parse(String(pod?.status?.startTime ?? ''));
    procs.push({ pid: 1, uid: 65535, args: '/pause', elapsed: Number.isNaN(sandbox) ? 0 : Math.max(0, (now - sandbox) / 1000), state: 'S' });
    containers.forEach((c, i) => procs.push(main(c, 7 + i * 10)));
    nextPid = 7 + containers.length * 10;
    for (const e of ephemerals.filter(running).sort(byStart)) start(main(e, nextPid));
  } else {
    // the namespace's first process: the target's (or the container's own)
    const target = selfEphemeral?.targetContainerName ? containers.find((c) => c.name === selfEphemeral.targetContainerName) : selfEphemeral ? undefined : self;
    const first = target ?? self;
    if (first && imageName(first.image ?? '') === 'nginx' && !first.command?.length) {
      // nginx:*-alpine: the entrypoint execs `nginx -g 'daemon off;'`, which retitles itself
      // (ngx_setproctitle) and forks worker_processes auto — one per CPU, PIDs 29… as its
      // start-up log numbers them — as the image's nginx user (uid 101)
      const cpus = Number(ctx.cluster.store.get('Node', undefined, pod?.spec?.nodeName ?? '')?.status?.capacity?.cpu ?? 2) || 2;
      procs.push({ pid: 1, uid: uidOf(first), args: `nginx: master process ${(first.args?.length ? first.args : ['nginx', '-g', 'daemon off;']).join(' ')}`, comm: 'nginx', elapsed: elapsed(first), state: 'S' });
      for (let i = 0; i < cpus; i++) procs.push({ pid: 29 + i, uid: 101, user: 'nginx', args: 'nginx: worker process', comm: 'nginx', elapsed: elapsed(first), state: 'S' });
      nextPid = 29 + cpus;
    } else if (first) {
      start(main(first, 1));
      // servers started by hand in this container (dataplane/started.ts), numbered by its table
      // (which counts on an exec'd shell at 7: its first process is 8); ps comes after the last
      const info = findPod(ctx.cluster, host.namespace, host.pod);
      const table = startedProcesses(ctx.cluster);
      for (const p of info ? table.inPod(info, first.name) : []) procs.push({ pid: p.pid, uid: uidOf(first), args: p.argv.join(' '), comm: p.comm, elapsed: Math.max(0, (now - p.startedAt) / 1000), state: 'S' });
      const last = info ? table.highestPid(info.obj.metadata.uid ?? '', first.name) : undefined;
      if (last !== undefined) forked = last + 1;
    }
    // the ephemeral containers sharing it (kubectl debug --target), in the order they started;
    // one whose process has ended is gone from the list but used its PIDs
    const key = target?.name;
    const joined = key ? ephemerals.filter((e) => e.targetContainerName === key && !Number.isNaN(everStarted(e))).sort((a, b) => everStarted(a) - everStarted(b)) : [];
    for (const e of joined) {
      if (running(e)) start(main(e, nextPid));
      else nextPid += PID_STEP;
    }
  }
  // the shell `kubectl exec -it POD -- sh` started in this container: ps's parent
  const frame = ctx.shell?.frame;
  if (frame?.via === 'kubectl' && frame.host.kind === 'pod' && frame.host.pod === host.pod && frame.host.container === host.container) {
    start({ pid: nextPid, uid: self ? uidOf(self) : 0, args: frame.shell ?? 'sh', elapsed: 0, state: 'S' });
  }
  procs.push({ pid: Math.max(nextPid, forked), uid: self ? uidOf(self) : 0, args: ['ps', ...args].join(' '), elapsed: 0, state: 'R' });
  return procs.sort((a, b) => a.pid - b.pid);
}

export const psCommand: CommandSpec = {
  name: 'ps',
  summary: 'report process status',
  run(args: string[], ctx: CommandContext): RunResult {
    // a node's procps-ng ps over its process table (commands/runtime/procps.ts)
    if (ctx.host.kind === 'node') return runNodePs(args, ctx, ctx.host.node);
    if (!isBusyboxApplet(ctx.cluster, ctx.host, 'ps') || ctx.host.kind !== 'pod') return unmodelled.run(args, ctx) as RunResult;
    let o: string | undefined;
    const musl = isMuslHost(ctx.cluster, ctx.host);
    // getopt32 "Zo:*aAdefl" plus T where the build has FEATURE_SHOW_THREADS (docker-library's
    // busybox: its default, y; Alpine's: not set). -T lists each thread as its own row: the
    // container's processes here are single-threaded, so the rows are the processes'.
    const flags = musl ? 'aAdefl' : 'aAdeflT';
    const usage = musl ? USAGE_NO_T : USAGE;
    const badOpt = (c: string) => ({ stdout: '', stderr: `${musl ? `ps: unrecognized option: ${c}` : `ps: invalid option -- '${c}'`}\n${usage}`, exitCode: 1 });
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (!a.startsWith('-') || a === '-') break;
      // -o takes the rest of the word or the next one (several -o add up)
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (c === 'o') {
          const v = a.slice(j + 1) || args[++i];
          if (v === undefined) return { stdout: '', stderr: `${musl ? 'ps: option requires an argument: o' : "ps: option requires an argument -- 'o'"}\n${usage}`, exitCode: 1 };
          o = o === undefined ? v : `${o},${v}`;
          break;
        }
        // the POSIX selection flags are accepted and change nothing (every process is listed);
        // getopt32 stops at the first non-option word, so BSD-style `ps aux` lists them too
        if (!flags.includes(c)) return badOpt(c);
      }
    }
    const cols = parseO(o ?? DEFAULT_O);
    if (typeof cols === 'string') return { stdout: '', stderr: cols, exitCode: 1 };
    const procs = pidNamespace(ctx, args);
    return { stdout: render(cols, procs), stderr: '', exitCode: 0 };
  },
};
