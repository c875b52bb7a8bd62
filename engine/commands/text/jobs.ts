/**
 * Job control builtins over the terminal's job table (shell/jobs.ts): `jobs`, `fg`, `kill`,
 * `wait`. Texts after bash (builtins/jobs.def, kill.def, wait.def: "%s: no such job",
 * "current: no such job", "(%d) - No such process", kill's usage line) and busybox ash.
 * Without job control (the `sim` command line, the checker) `&` runs a job to its end on
 * its line, so there is never anything to list or wait for.
 */
import type { Streaming } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { Signal } from '../../shell/jobs';
import { nodeShellKey, startedProcesses } from '../../dataplane/started';

function sh(ctx: CommandContext): string {
  return ctx.shell.flavour === 'busybox' ? 'sh' : 'bash';
}

export const jobs: CommandSpec = {
  name: 'jobs',
  summary: 'display status of jobs',
  run(args, ctx) {
    const table = ctx.shell.jobs;
    if (!table) return { stdout: '', stderr: '', exitCode: 0 };
    const pidsOnly = args.includes('-p');
    const long = args.includes('-l');
    let out = '';
    for (const j of table.list()) {
      if (pidsOnly) out += `${j.pid}\n`;
      else if (long) out += `[${j.id}]${table.mark(j)} ${j.pid} ${(j.ended?.status ?? 'Running').padEnd(22)}  ${j.text}${j.ended ? '' : ' &'}\n`;
      else out += table.line(j, j.ended?.status ?? 'Running', j.ended ? '' : ' &');
    }
    // bash jobs.c pretty_print_job marks a listed job J_NOTIFIED (not for -p): a dead one goes without a notice
    if (!pidsOnly) table.notified(table.list());
    return { stdout: out, stderr: '', exitCode: 0 };
  },
};

export const fg: CommandSpec = {
  name: 'fg',
  summary: 'move a job to the foreground',
  run(args, ctx) {
    const table = ctx.shell.jobs;
    const spec = args[0];
    const job = table?.find(spec);
    if (!table || !job || job.ended) {
      const what = spec ?? 'current';
      return { stdout: '', stderr: sh(ctx) === 'sh' ? (spec ? `sh: fg: ${spec}: no such job\n` : 'sh: fg: No current job\n') : `bash: fg: ${what}: no such job\n`, exitCode: 1 };
    }
    table.remove(job);
    const s = job.stream;
    // bash prints the job's command line, then the job owns the terminal until it ends or Ctrl+C
    const stream: Streaming = {
      streaming: true,
      stdout: job.text + '\n',
      stderr: '',
      intervalMs: s.intervalMs,
      step: () => s.step(),
      interrupt: (sig) => s.interrupt(sig),
    };
    return stream;
  },
};

const SIGNALS: Record<string, Signal> = { TERM: 'TERM', SIGTERM: 'TERM', '15': 'TERM', INT: 'INT', SIGINT: 'INT', '2': 'INT', KILL: 'KILL', SIGKILL: 'KILL', '9': 'KILL', HUP: 'HUP', SIGHUP: 'HUP', '1': 'HUP' };
const KILL_USAGE = 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n';

export const kill: CommandSpec = {
  name: 'kill',
  summary: 'send a signal to a job or process',
  run(args, ctx) {
    const table = ctx.shell.jobs;
    let sig: Signal = 'TERM';
    const targets: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-l' || a === '-L') return { stdout: ' 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n 6) SIGABRT\t 7) SIGBUS\t 8) SIGFPE\t 9) SIGKILL\t10) SIGUSR1\n11) SIGSEGV\t12) SIGUSR2\t13) SIGPIPE\t14) SIGALRM\t15) SIGTERM\n', stderr: '', exitCode: 0 };
      if ((a === '-s' || a === '-n') && i + 1 < args.length) {
        const v = args[++i].toUpperCase();
        if (!SIGNALS[v]) return { stdout: '', stderr: `${sh(ctx)}: kill: ${args[i]}: invalid signal specification\n`, exitCode: 1 };
        sig = SIGNALS[v];
        continue;
      }
      if (/^-[A-Za-z0-9]+$/.test(a) && targets.length === 0) {
        const v = a.slice(1).toUpperCase();
        if (!SIGNALS[v]) return { stdout: '', stderr: `${sh(ctx)}: kill: ${a.slice(1)}: invalid signal specification\n`, exitCode: 1 };
        sig = SIGNALS[v];
        continue;
      }
      targets.push(a);
    }
    if (targets.length === 0) return { stdout: '', stderr: KILL_USAGE, exitCode: 2 };
    let stdout = '';
    let stderr = '';
    let code = 0;
    for (const t of targets) {
      const job = table?.find(t);
      // a process of this container that is no job of the shell (a daemon: iperf3 -D)
      if ((!job || job.ended) && /^\d+$/.test(t) && killStarted(ctx, Number(t), sig)) continue;
      if (!job || job.ended) {
        code = 1;
        if (t.startsWith('%')) stderr += `${sh(ctx)}: kill: ${t}: no such job\n`;
        else if (/^\d+$/.test(t)) stderr += `${sh(ctx)}: kill: (${t}) - No such process\n`;
        else stderr += `${sh(ctx)}: kill: ${t}: arguments must be process or job IDs\n`;
        continue;
      }
      // the job prints what it prints on the signal; bash's "[1]+  Terminated …" follows before the prompt
      const r = table!.signal(job, sig);
      stdout += r.stdout;
      stderr += r.stderr;
    }
    return { stdout, stderr, exitCode: code };
  },
};

/** Sends `sig` to a hand-started process of the command's container (dataplane/started.ts); false if there is none with that PID. */
function killStarted(ctx: CommandContext, pid: number, sig: Signal): boolean {
  const h = ctx.host;
  if (h.kind === 'workstation') return false;
  const key = h.kind === 'node' ? nodeShellKey(h.node) : { uid: ctx.cluster.store.get('Pod', h.namespace, h.pod)?.metadata.uid ?? '', container: h.container };
  const procs = startedProcesses(ctx.cluster);
  const p = procs.byPid(key.uid, key.container, pid);
  if (!p) return false;
  // a daemon's output goes nowhere; a foreground one's terminal sees its stream end
  procs.stop(p, 128 + { TERM: 15, INT: 2, KILL: 9, HUP: 1 }[sig]);
  return true;
}

export const wait: CommandSpec = {
  name: 'wait',
  summary: 'wait for job completion and return exit status',
  run(_args, ctx) {
    const table = ctx.shell.jobs;
    // bash has reaped the jobs that ended (waitchld): their notices come at this line's prompt
    table?.settle();
    if (!table || table.list().every((j) => j.ended)) return { stdout: '', stderr: '', exitCode: 0 };
    let last = 0;
    // the jobs go on streaming until every one has ended (Ctrl+C stops the wait, not them)
    const stream: Streaming = {
      streaming: true,
      stdout: '',
      stderr: '',
      intervalMs: 1000,
      step: () => {
        const running = table.list().filter((j) => !j.ended);
        const r = table.stepAll();
        for (const j of running) if (j.ended) last = j.ended.code;
        const left = table.list().some((j) => !j.ended);
        return left ? { stdout: r.stdout, stderr: r.stderr } : { stdout: r.stdout, stderr: r.stderr, done: true, exitCode: last };
      },
      interrupt: () => ({ exitCode: 130 }),
    };
    return stream;
  },
};
