/**
 * The learner's shell: a stack of shells on hosts (the workstation; a node after
 * `ssh node-1`; a container after `kubectl exec -it POD -- sh`), each with its own
 * working directory and variables; the command history; and the Execution the
 * terminal drives while a command line runs.
 */
import type { ClusterRuntime } from '../controllers/runtime';
import type { AnswerVerdict, EditRequest, HostRef, OutputChunk, RunResult, SimEvent, Streaming } from '../types';
import type { CommandContext, CommandTable, EnterOptions, HistoryEntry, NodeProcessLookup, ShellSession, SimpleRun } from './command';
import { Budget, BudgetExceeded, LINE_LIMITS, type LineLimits } from './budget';
import { parse, ParseError, isIncomplete, type List } from './parser';
import { DeadlineReached, Interpreter, syntaxErrorText, cloneFrame, Input, type Frame, type Gen, type IO, type Pause, type ShellHost, type Sink, BufferSink } from './interpreter';
import { hasTool, hostFlavour, hostIdentity, hostImage, hostName, hostPod, hostPrompt, hostWorkdir, imageEnv, sameHost } from '../hosts/hosts';
import { homeOf, HOME, resolvePath } from '../hosts/vfs';
import { complete as completeLine } from './completion';
import { JobTable } from './jobs';
import { outputChunks } from '../types';


/** How many commands the history keeps (bash's HISTSIZE is 500; the checker reads further back). */
const HISTORY_MAX = 5000;
/** And how much command text: a few pasted megabytes must not stay in every save. */
const HISTORY_MAX_BYTES = 1024 * 1024;
/** How many simple commands one history entry records (a loop runs many; the checker needs the first few). */
export const MAX_RUNS_PER_LINE = 100;
/** Characters of a simple command's text (and of its joined argv) a history entry keeps. */
const MAX_RUN_TEXT = 4096;

/** Characters of command text a history entry holds: the line and its simple commands. */
function entryBytes(e: HistoryEntry): number {
  let n = String(e?.command ?? '').length;
  if (Array.isArray(e?.commands)) for (const c of e.commands) n += String(c?.text ?? '').length + (Array.isArray(c?.argv) ? c.argv.join(' ').length : 0);
  return n;
}

export type { Frame } from './interpreter';
export type { EnterOptions, HistoryEntry, SimpleRun } from './command';

export interface ShellSnapshot {
  history: HistoryEntry[];
  /** The host stack (kept for older snapshots; `frames` carries the full state). */
  hosts: HostRef[];
  frames?: Frame[];
}

/** A command line in progress: its output so far, and how to step or stop it. */
export class Execution {
  running = false;
  exitCode: number | null = null;
  intervalMs = 1000;
  /**
   * Set while a command (`kubectl edit`) waits for the editor; call `edit.finish(saved)`.
   * What the command then prints arrives through `takeOutput()`; finish() returns the status.
   */
  edit?: EditRequest;
  /**
   * The work the line has done so far, in budget steps (budget.ts: loop rounds and commands
   * charge 10, a command reaching the cluster 250 more, a word or a `seq` number 1), counted
   * across the pauses of a paced or streaming line. Deterministic: tests bound it where
   * they would otherwise time the line.
   */
  steps = 0;
  /** Called after each write (the UI's engine worker sends output while a long line still runs). */
  onWrite?: () => void;
  private out: OutputChunk[] = [];
  private stepper?: () => void;
  private stopper?: () => void;

  write(stream: 'stdout' | 'stderr', text: string): void {
    if (!text) return;
    this.out.push({ stream, text });
    this.onWrite?.();
  }

  takeOutput(): OutputChunk[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  streamWith(intervalMs: number, step: () => void, stop: () => void): void {
    this.running = true;
    this.intervalMs = intervalMs;
    this.stepper = step;
    this.stopper = stop;
  }

  /** One interval of a streaming command (the virtual clock moves by `intervalMs`). */
  step(): void {
    if (this.running) this.stepper?.();
  }

  /** Ctrl+C: the streaming command prints what it prints when interrupted; the rest of the line is abandoned. */
  interrupt(): void {
    if (this.running) this.stopper?.();
    this.running = false;
  }

  finish(code: number): void {
    this.running = false;
    this.stepper = undefined;
    this.stopper = undefined;
    this.exitCode = code;
  }
}



/** Quotes an argument for a shell command line (`kubectl exec POD -- CMD ARGS`). */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * bash's history expansion (lib/readline/histexpand.c), the common designators:
 * `!!`, `!n`, `!-n`, `!prefix`, and `!$` (last word of the previous line). Not inside
 * single quotes; `!` before a blank, `=`, `(` or the end is literal.
 */
export function expandHistory(line: string, history: string[]): { line: string } | { error: string } {
  let out = '';
  let quote = false;
  let changed = false;
  const lastWord = (cmd: string) => cmd.trim().split(/\s+/).pop() ?? '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" ) quote = !quote;
    if (c === '\\' && !quote) {
      out += line.slice(i, i + 2);
      i++;
      continue;
    }
    if (c !== '!' || quote) {
      out += c;
      continue;
    }
    const rest = line.slice(i + 1);
    let m: RegExpExecArray | null;
    let event: string | undefined;
    let len = 0;
    if (rest === '' || /^[\s=(]/.test(rest)) {
      out += c;
      continue;
    }
    if (rest.startsWith('!')) {
      event = history[history.length - 1];
      len = 1;
      if (event === undefined) return { error: 'bash: !!: event not found\n' };
    } else if (rest.startsWith('$')) {
      const prev = history[history.length - 1];
      if (prev === undefined) return { error: 'bash: !$: event not found\n' };
      out += lastWord(prev);
      i += 1;
      changed = true;
      continue;
    } else if ((m = /^-?\d+/.exec(rest))) {
      const n = Number(m[0]);
      event = n < 0 ? history[history.length + n] : history[n - 1];
      len = m[0].length;
      if (event === undefined) return { error: `bash: !${m[0]}: event not found\n` };
    } else if ((m = /^[^\s;&|<>()'"]+/.exec(rest))) {
      const prefix = m[0];
      for (let k = history.length - 1; k >= 0; k--) if (history[k].startsWith(prefix)) {
        event = history[k];
        break;
      }
      len = prefix.length;
      if (event === undefined) return { error: `bash: !${prefix}: event not found\n` };
    }
    if (event === undefined) {
      out += c;
      continue;
    }
    out += event;
    i += len;
    changed = true;
  }
  return { line: changed ? out : line };
}

/** kubelet's service-link variable name: `my-svc` → `MY_SVC` (pkg/kubelet/envvars). */
function envName(s: string): string {
  return s.toUpperCase().replace(/-/g, '_');
}

/**
 * The environment a container starts with: PATH, HOSTNAME, the container's `env:`
 * values, the Docker-link-style variables kubelet injects for Services
 * (pkg/kubelet/envvars/envvars.go FromServices), HOME.
 */
function podEnv(cluster: ClusterRuntime, host: HostRef & { kind: 'pod' }): Record<string, string> {
  const env: Record<string, string> = { PATH, HOSTNAME: hostName(cluster, host) };
  // the image's own ENV (hosts.ts imageEnv), then the container's
  for (const [k, v] of imageEnv(hostImage(cluster, host))) env[k] = v;
  const pod = hostPod(cluster, host);
  type Port = { name?: string; port: number; protocol?: string };
  const services = cluster.store.list('Service', host.namespace).filter((s) => s.metadata.name !== 'kubernetes' || host.namespace !== 'default');
  const linked = pod?.spec?.enableServiceLinks === false ? [] : services;
  const master = cluster.store.get('Service', 'default', 'kubernetes');
  // kubelet computes these when the container starts: Services created later are absent
  const started = Date.parse((pod?.status?.startTime as string | undefined) ?? pod?.metadata.creationTimestamp ?? '') || Infinity;
  const all = [...(master ? [master] : []), ...linked.filter((s) => !(Date.parse(s.metadata.creationTimestamp) > started))];
  const svcVars: Record<string, string> = {};
  for (const svc of all) {
    const ip = svc.spec?.clusterIP as string | undefined;
    if (!ip || ip === 'None') continue;
    const ports = (svc.spec?.ports ?? []) as Port[];
    if (!ports.length) continue;
    const n = envName(svc.metadata.name);
    svcVars[`${n}_SERVICE_HOST`] = ip;
    svcVars[`${n}_SERVICE_PORT`] = String(ports[0].port);
    for (const p of ports) if (p.name) svcVars[`${n}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
    ports.forEach((p, i) => {
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      const url = `${proto}://${ip}:${p.port}`;
      if (i === 0) svcVars[`${n}_PORT`] = url;
      const pre = `${n}_PORT_${p.port}_${(p.protocol ?? 'TCP').toUpperCase()}`;
      svcVars[pre] = url;
      svcVars[`${pre}_PROTO`] = proto;
      svcVars[`${pre}_PORT`] = String(p.port);
      svcVars[`${pre}_ADDR`] = ip;
    });
  }
  const c = ((pod?.spec?.containers ?? []) as { name: string; env?: { name: string; value?: string }[] }[]).find((x) => x.name === host.container) ?? pod?.spec?.containers?.[0];
  for (const e of (c?.env ?? []) as { name: string; value?: string }[]) if (e?.name) env[e.name] = e.value ?? '';
  for (const k of Object.keys(svcVars).sort()) if (!(k in env)) env[k] = svcVars[k];
  env.HOME = hostIdentity(cluster, host).home;
  return env;
}

/** The environment containerd writes into a container's OCI spec (process.env): podEnv less HOME, which the shell sets. */
export function containerEnv(cluster: ClusterRuntime, host: HostRef & { kind: 'pod' }): string[] {
  return Object.entries(podEnv(cluster, host))
    .filter(([k]) => k !== 'HOME')
    .map(([k, v]) => `${k}=${v}`);
}

function initialFrame(cluster: ClusterRuntime, host: HostRef, opts: EnterOptions = {}): Frame {
  let vars: Record<string, string>;
  if (host.kind === 'workstation') {
    vars = { HOME, HOSTNAME: 'workstation', LANG: 'C.UTF-8', LOGNAME: 'learner', PATH, SHELL: '/bin/bash', TERM: 'xterm-256color', USER: 'learner' };
  } else if (host.kind === 'node') {
    vars = { HOME: '/root', HOSTNAME: host.node, LANG: 'C.UTF-8', LOGNAME: 'root', PATH, SHELL: '/bin/bash', TERM: 'xterm-256color', USER: 'root' };
  } else {
    vars = podEnv(cluster, host);
    // `kubectl exec -it` allocates a tty and passes TERM; a plain `kubectl exec POD -- CMD` does not
    if (opts.via === 'kubectl' || opts.via === 'kubectl-attach') vars.TERM = 'xterm';
  }
  const cwd = opts.cwd ?? (host.kind === 'pod' ? hostWorkdir(cluster, host) : homeOf(host));
  return {
    host,
    cwd: resolvePath('/', cwd),
    vars,
    exported: Object.keys(vars),
    lastExit: 0,
    positional: [],
    argv0: host.kind === 'pod' && hostFlavour(cluster, host) === 'busybox' ? 'sh' : '-bash',
    via: opts.via,
    shell: opts.shell ? opts.shell.slice(opts.shell.lastIndexOf('/') + 1) : undefined,
    exitHook: opts.exitHook,
  };
}

/** What the composition root gives the shell. */
export interface ShellDeps {
  cluster: ClusterRuntime;
  /** The commands the engine knows (which of them a host has is hosts.ts's business). */
  commands: CommandTable;
  /** Answers to question tasks, which the `answer` command writes. */
  answers: Record<string, string>;
  emit(event: SimEvent): void;
  /** The lesson's verdict on an answer (the simulation's answerJudge, set by a lab). */
  judgeAnswer(taskId: string): AnswerVerdict | undefined;
  /** A learner at a terminal (the terminal), not `sim` or the checker. */
  interactive: boolean;
  /** `&` makes streaming jobs that outlive their line even without a terminal (the `sim` CLI); implied by `interactive`. */
  jobControl?: boolean;
  /** Steps a streaming command gets when it cannot stream to the terminal. */
  maxStreamSteps: number;
  /** One command line's budget (default LINE_LIMITS). */
  lineLimits?: LineLimits;
  /** The nodes' process tables (CommandContext.nodeProcesses). */
  nodeProcesses?: NodeProcessLookup;
}

export class Shell implements ShellHost {
  history: HistoryEntry[] = [];
  /** Characters of command text the history holds (bounded by HISTORY_MAX_BYTES). */
  private historyBytes = 0;
  readonly cluster: ClusterRuntime;
  readonly commands: CommandTable;
  readonly interactive: boolean;
  readonly jobControl: boolean;
  readonly maxStreamSteps: number;
  readonly lineLimits: LineLimits;
  current: Interpreter | null = null;
  frames: Frame[];
  /** The terminal's width (what `ls` and `watch` lay out for); the UI calls setTerminalSize on resize. */
  columns = 80;
  /** The frame running a command right now (a copy inside `$(…)`, `runIn`, pipelines). */
  private active?: Frame;
  /** The budget of the command line running right now (budget.ts); null between lines and while a line is paused. */
  private lineBudget: Budget | null = null;
  /** The Execution of the line typed last (a job writes into it while it runs). */
  private lineExec: Execution | null = null;
  /** Where the simple commands of the line running right now are recorded (its history entry), and on which host. */
  private lineRuns: { host: HostRef; runs: SimpleRun[]; byKey: Map<string, SimpleRun> } | null = null;
  /** The `timeout` the running script is under (runIn's opts.deadline). */
  deadline: CommandContext['deadline'] = undefined;
  /** Set on every Execution start() makes (Execution.onWrite). */
  onWrite?: (exec: Execution) => void;
  private lastPrompt = '';
  /** The terminal's background jobs (jobs.ts): streaming commands started with `&`. */
  readonly jobs = new JobTable();

  /** Tells the UI the prompt changed (a different host, or a new working directory). */
  private emitContext(): void {
    const p = this.prompt();
    if (p === this.lastPrompt) return;
    this.lastPrompt = p;
    this.deps.emit({ type: 'context', prompt: p });
  }

  constructor(private deps: ShellDeps) {
    const cluster = deps.cluster;
    this.cluster = cluster;
    this.commands = deps.commands;
    this.interactive = deps.interactive;
    this.jobControl = deps.interactive || deps.jobControl === true;
    this.maxStreamSteps = deps.maxStreamSteps;
    this.lineLimits = deps.lineLimits ?? LINE_LIMITS;
    this.frames = [initialFrame(cluster, { kind: 'workstation' })];
    this.lastPrompt = this.prompt();
    // Every host knows its own name.
    cluster.fs.provide(() => true, '/etc/hostname', (h) => hostName(cluster, h) + '\n');
  }

  /** The running command line's budget; outside any line (a command run directly by a test) a fresh one. */
  get budget(): Budget {
    return this.lineBudget ?? new Budget(this.lineLimits);
  }

  /**
   * The record of a simple command the running line is about to run (ShellHost.recordRun).
   * A command the line already ran with the same words and argv (a loop) shares the first
   * one's record, so the quota counts distinct commands; its status is 0 once any of them
   * succeeded (Interpreter.runCommand).
   */
  recordRun(host: HostRef, words: string[], argv: string[]): SimpleRun | undefined {
    const line = this.lineRuns;
    if (!line || !sameHost(host, line.host)) return undefined;
    const text = words.join(' ').slice(0, MAX_RUN_TEXT);
    const joined = argv.join(' ');
    const key = `${text}\0${argv.join('\0')}`;
    const seen = line.byKey.get(key);
    if (seen) return seen;
    if (line.runs.length >= MAX_RUNS_PER_LINE) return undefined;
    const run: SimpleRun = { text, exitCode: 130 };
    if (joined !== text) run.argv = joined.length <= MAX_RUN_TEXT ? [...argv] : [joined.slice(0, MAX_RUN_TEXT)];
    line.runs.push(run);
    line.byKey.set(key, run);
    return run;
  }

  startJob(job: { id: number; pid: number }, text: string, stream: Streaming): void {
    const j = this.jobs.add({ ...job, text, stream, depth: this.frames.length });
    // what the job writes the moment something happens (kubectl port-forward's accept) reaches
    // the terminal then, in the middle of the line that caused it
    stream.listen?.((s, t) => {
      const exec = this.lineExec;
      if (j.ended || !exec || exec.exitCode !== null) return false;
      exec.write(s, t);
      return true;
    });
  }

  endedJob(job: { id: number; pid: number }, text: string, code: number): void {
    this.jobs.addEnded(job, text, code, this.frames.length);
  }

  /** The shell as a command running in `interp` sees it. */
  session(interp: Interpreter): ShellSession {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the session's getters read the live shell
    const shell = this;
    return {
      flavour: interp.flavour,
      get frame() {
        return interp.frame;
      },
      lookup: (name) => interp.lookup(name),
      get input() {
        return interp.input;
      },
      exit: (code) => {
        interp.exitStatus = code;
      },
      setCwd: (path) => this.setCwd(path),
      get columns() {
        return shell.columns;
      },
      get budget() {
        return shell.budget;
      },
      history: this.history,
      jobs: this.jobs,
      enter: (host, opts) => this.enter(host, opts),
      runIn: (host, line, opts) => this.runIn(host, line, opts),
      execIn: (host, argv, stdin) => this.execIn(host, argv, stdin),
    };
  }

  commandContext(): Pick<CommandContext, 'cluster' | 'commands' | 'answers' | 'emit' | 'judgeAnswer' | 'nodeProcesses'> {
    return { cluster: this.cluster, commands: this.commands, answers: this.deps.answers, emit: this.deps.emit, judgeAnswer: this.deps.judgeAnswer, nodeProcesses: this.deps.nodeProcesses };
  }

  /** A command's whole context on `host`, outside any command line (tests and benchmarks run one command directly). */
  contextFor(host: HostRef, name: string, io: Partial<Pick<CommandContext, 'stdin' | 'env' | 'cwd' | 'interactive'>> = {}): CommandContext {
    const frame = initialFrame(this.cluster, host);
    return { ...this.commandContext(), shell: this.session(new Interpreter(this, frame)), host, name, stdin: '', env: {}, cwd: frame.cwd, interactive: false, ...io };
  }

  /** The host stack, bottom (the workstation) first. */
  get hosts(): HostRef[] {
    return this.frames.map((f) => f.host);
  }

  /** The host the next command line runs on. */
  get host(): HostRef {
    return this.top.host;
  }

  get top(): Frame {
    return this.frames[this.frames.length - 1];
  }

  /** The frame of the command running now (builtins like `cd` act on it), else the top one. */
  get frame(): Frame {
    return this.current?.frame ?? this.active ?? this.top;
  }

  get cwd(): string {
    return this.frame.cwd;
  }

  prompt(): string {
    return hostPrompt(this.cluster, this.top.host, this.top.cwd, this.top.shell);
  }

  needsMoreInput(text: string): boolean {
    if (text.length > 100000) return false;
    return isIncomplete(text);
  }

  complete(line: string, cursor: number): { from: number; candidates: string[] } {
    try {
      return completeLine(this, this.top, line, cursor);
    } catch {
      return { from: cursor, candidates: [] };
    }
  }

  /** Pushes a shell on `host` (`kubectl exec -it POD -- sh`, `ssh node-1`, `sh`). */
  enter(host: HostRef, opts: EnterOptions = {}): void {
    this.frames.push(initialFrame(this.cluster, host, opts));
    this.emitContext();
  }

  /** Leaves the current shell; returns what it prints. On the workstation's own shell nothing happens. */
  leave(code: number): RunResult {
    if (this.frames.length <= 1) {
      this.top.lastExit = code;
      return { stdout: '', stderr: '', exitCode: code };
    }
    // the shell's jobs get SIGHUP as it goes
    this.jobs.hangUp(this.frames.length);
    const f = this.frames.pop()!;
    let stdout = '';
    let stderr = '';
    // a named shell decides (dash, zsh and ash print nothing); else the host's login shell
    const bash = f.shell ? f.shell === 'bash' : hostFlavour(this.cluster, f.host) === 'bash';
    // bash's exit builtin prints "exit" (a login shell: "logout") on stderr when interactive;
    // ssh then reports the closed connection; busybox ash prints nothing.
    if (f.via === 'ssh') {
      stderr += 'logout\n';
      stderr += `Connection to ${hostName(this.cluster, f.host)} closed.\n`;
    } else if (bash) stderr += 'exit\n';
    if (f.via === 'kubectl' && code !== 0) stderr += `command terminated with exit code ${code}\n`;
    // what the shell and ssh print comes first; kubectl's lines after the session (attach's
    // reattach message, run's --rm) follow once it has ended
    const lead = stderr.length;
    let status = code;
    if (f.exitHook) {
      const hook = this.commands.exitHook(f.exitHook.name);
      let r: Partial<RunResult> | void;
      try {
        r = hook?.(this.cluster, f.exitHook.arg, code);
      } catch (e) {
        r = { stderr: `error: ${(e as Error)?.message ?? e}\n` };
      }
      if (r) {
        stdout += r.stdout ?? '';
        stderr += r.stderr ?? '';
        // kubectl's own status once the session is over (run: attach succeeds whatever the shell's code)
        if (typeof r.exitCode === 'number') status = r.exitCode;
      }
    }
    this.top.lastExit = status;
    this.emitContext();
    return { stdout, stderr, exitCode: status, stderrLead: lead };
  }

  /** The terminal was resized (xterm's fit). Widths below 20 columns are treated as 20. */
  setTerminalSize(columns: number): void {
    if (Number.isFinite(columns)) this.columns = Math.max(20, Math.min(1000, Math.floor(columns)));
  }

  /** Changes the running shell's working directory (`cd`). */
  setCwd(path: string): void {
    const f = this.frame;
    f.oldpwd = f.cwd;
    f.cwd = path;
    f.vars.OLDPWD = f.oldpwd;
    f.vars.PWD = path;
  }

  // ---- running --------------------------------------------------------------------------

  start(line: string): Execution {
    const exec = new Execution();
    this.lineExec = exec;
    const onWrite = this.onWrite;
    if (onWrite) exec.onWrite = () => onWrite(exec);
    if (line.trim() === '' || /^\s*#/.test(line) && !line.includes('\n')) {
      exec.finish(this.top.lastExit);
      return exec;
    }
    try {
      this.cluster.advance(1000);
    } catch (e) {
      // a subsystem failing on the clock tick must not take the terminal down with it
      exec.write('stderr', `netlab: internal error while the clock moved: ${(e as Error)?.message ?? e}\n`);
    }
    const frame = this.top;
    // interactive bash expands !! !$ !n !-n !prefix before anything else, and shows the result
    if (this.interactive && line.includes('!') && hostFlavour(this.cluster, frame.host) === 'bash') {
      const mine = this.history.filter((h) => sameHost(h.host, frame.host)).map((h) => h.command);
      const h = expandHistory(line, mine);
      if ('error' in h) {
        exec.write('stderr', h.error);
        exec.finish(0);
        return exec;
      }
      if (h.line !== line) {
        exec.write('stdout', h.line + '\n');
        line = h.line;
      }
    }
    const entry: HistoryEntry = { command: line.replace(/\n+$/, ''), exitCode: 0, host: frame.host, time: this.cluster.clock.now(), commands: [] };
    this.history.push(entry);
    this.historyBytes += entry.command.length;
    // at most HISTORY_MAX entries and HISTORY_MAX_BYTES of command text: the oldest go first
    let drop = Math.max(0, this.history.length - HISTORY_MAX);
    for (let bytes = this.historyBytes; bytes > HISTORY_MAX_BYTES && drop < this.history.length - 1; drop++) bytes -= entryBytes(this.history[drop]);
    if (drop > 0) {
      for (const h of this.history.slice(0, drop)) this.historyBytes -= entryBytes(h);
      this.history.splice(0, drop);
    }
    const flavour = hostFlavour(this.cluster, frame.host);

    const parsed = this.parseLine(line, flavour);
    if ('error' in parsed) {
      exec.write('stderr', parsed.error);
      frame.lastExit = 2;
      entry.exitCode = 2;
      exec.finish(2);
      return exec;
    }
    if (parsed.warning) exec.write('stderr', parsed.warning);

    const interp = new Interpreter(this, frame);
    const budget = new Budget(this.lineLimits);
    const term = (stream: 'stdout' | 'stderr'): Sink => ({
      terminal: true,
      write: (t: string) => {
        const shown = budget.toTerminal(t);
        exec.write(stream, shown === t.length ? t : t.slice(0, shown));
        if (shown < t.length) budget.stopForTerminal();
      },
    });
    const io: IO = { stdin: new Input('', true), out: term('stdout'), err: term('stderr') };
    const gen = this.withActive(interp, () => interp.runList(parsed.ast, io));
    const runs = { host: frame.host, runs: entry.commands!, byKey: new Map<string, SimpleRun>() };

    const done = (code: number) => {
      let status = code;
      if (budget.exhausted) {
        // the budget ran out (a command may have swallowed the throw): the line ends as Ctrl+C ends it
        if (!budget.reported) exec.write('stderr', budget.exhausted);
        budget.reported = true;
        interp.exitStatus = null;
        status = 130;
      }
      if (interp.exitStatus !== null) {
        status = interp.exitStatus;
        if (this.top === frame) {
          const r = this.leave(status);
          for (const c of outputChunks(r)) exec.write(c.stream, c.text);
          status = r.exitCode;
        } else frame.lastExit = status;
      } else frame.lastExit = status;
      entry.exitCode = status;
      if (this.history.includes(entry)) this.historyBytes += entryBytes(entry) - entry.command.length;
      // the background jobs stream on: what they wrote while the line ran, then bash's notices of those that ended
      if (this.jobs.list().length) {
        const j = this.jobs.stepAll();
        exec.write('stdout', j.stdout);
        exec.write('stderr', j.stderr);
        this.jobs.settle();
      }
      exec.finish(status);
      this.emitContext();
    };

    const resume = (value: number | undefined) => {
      let r: IteratorResult<Pause, number>;
      // each stretch of work between two pauses of the terminal gets the whole budget
      if (value !== undefined) budget.reset();
      const prevBudget = this.lineBudget;
      this.lineBudget = budget;
      const prevRuns = this.lineRuns;
      this.lineRuns = runs;
      try {
        r = value === undefined ? gen.next() : gen.next(value);
      } catch (e) {
        if (e instanceof BudgetExceeded) {
          done(130);
          return;
        }
        exec.write('stderr', `bash: internal error: ${(e as Error)?.message ?? e}\n`);
        done(1);
        return;
      } finally {
        this.lineBudget = prevBudget;
        this.lineRuns = prevRuns;
        exec.steps = budget.spent;
      }
      if (r.done) {
        done(r.value);
        return;
      }
      const pause = r.value;
      if (pause.kind === 'stream') this.drive(exec, pause.stream, pause.io, resume, () => gen.return(130), done);
      else if (pause.kind === 'tick') {
        // a paced loop: each step runs the next iteration (its sleep already moved the clock)
        exec.streamWith(
          pause.intervalMs,
          () => {
            exec.running = false;
            resume(0);
          },
          () => {
            try {
              gen.return(130);
            } catch {
              // already finished
            }
            done(130);
          },
        );
      } else {
        exec.running = false;
        // the editor opens on `orig`; a command that launches it again (kubectl edit's retry
        // after an invalid edit) gets it reopened on the new file, the line still paused
        const open = (orig: EditRequest): void => {
          exec.edit = {
            editing: true,
            path: orig.path,
            content: orig.content,
            finish: (saved: string | null) => {
              let res: RunResult & { reopen?: EditRequest };
              try {
                res = orig.finish(saved);
              } catch (e) {
                res = { stdout: '', stderr: `error: ${(e as Error)?.message ?? e}\n`, exitCode: 1 };
              }
              exec.edit = undefined;
              for (const c of outputChunks(res)) (c.stream === 'stdout' ? pause.io.out : pause.io.err).write(c.text);
              if (res.reopen) {
                open(res.reopen);
                return { stdout: '', stderr: '', exitCode: 0 };
              }
              resume(res.exitCode);
              // The output went through the Execution (with whatever the rest of the line
              // printed); the result carries only the status, so nobody prints it twice.
              return { stdout: '', stderr: '', exitCode: exec.exitCode ?? res.exitCode };
            },
          };
        };
        open(pause.edit);
      }
    };
    resume(undefined);
    return exec;
  }

  /** Connects a streaming command to the Execution: step/interrupt feed its output through. */
  private drive(exec: Execution, s: Streaming, io: IO, resume: (code: number) => void, abort: () => void, done: (code: number) => void) {
    io.out.write(s.stdout);
    io.err.write(s.stderr);
    let due = this.cluster.clock.now();
    exec.streamWith(
      s.intervalMs > 0 ? s.intervalMs : 1000,
      () => {
        let r: ReturnType<Streaming['step']>;
        try {
          // The stream's own timeline: the clock is moved up to its next step's moment, not
          // by a whole interval, so two terminals streaming at once do not run it double.
          due += exec.intervalMs;
          this.cluster.advance(due - this.cluster.clock.now());
          r = s.step();
        } catch (e) {
          r = { stderr: `${(e as Error)?.message ?? e}\n`, done: true, exitCode: 1 };
        }
        io.out.write(r.stdout ?? '');
        io.err.write(r.stderr ?? '');
        if (r.done) {
          exec.running = false;
          resume(r.exitCode ?? 0);
        }
      },
      () => {
        let r: ReturnType<Streaming['interrupt']>;
        try {
          r = s.interrupt();
        } catch {
          r = { exitCode: 130 };
        }
        io.out.write(r.stdout ?? '');
        io.err.write(r.stderr ?? '');
        // SIGINT ends the whole command line, as in an interactive bash.
        try {
          abort();
        } catch {
          // the generator is already finished
        }
        done(r.exitCode);
      },
    );
  }

  /** Wraps a generator so `frame` (for builtins) is the interpreter's while it runs. */
  private *withActive(interp: Interpreter, make: () => Gen<number>): Gen<number> {
    const g = make();
    let input: number | undefined;
    for (;;) {
      const prev = this.active;
      this.active = interp.frame;
      let r: IteratorResult<Pause, number>;
      try {
        r = input === undefined ? g.next() : g.next(input);
      } finally {
        this.active = prev;
      }
      if (r.done) return r.value;
      input = yield r.value;
    }
  }

  private parseLine(line: string, flavour: 'bash' | 'busybox'): { ast: List; warning?: string } | { error: string } {
    let src = line;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const r = parse(src, { eofClosesHeredoc: true });
        let warning: string | undefined;
        if (r.unclosedHeredoc && flavour === 'bash') {
          const lineNo = src.split('\n').length;
          warning = `bash: warning: here-document at line ${lineNo} delimited by end-of-file (wanted \`${r.unclosedHeredoc.delimiter}')\n`;
        }
        return { ast: r.ast, warning };
      } catch (e) {
        if (e instanceof ParseError) {
          // bash drops a backslash at the very end of its input
          if (e.kind === 'eof' && e.token === '\\' && attempt === 0) {
            src = src.replace(/\\$/, '');
            continue;
          }
          return { error: syntaxErrorText(e, flavour) };
        }
        return { error: `${flavour === 'busybox' ? 'sh' : 'bash'}: syntax error\n` };
      }
    }
    return { error: `bash: syntax error: unexpected end of file\n` };
  }

  /**
   * Runs one command line on `host` without entering it (`kubectl exec POD -- CMD`,
   * `sh -c`). Streaming commands get bounded steps. Not recorded in history.
   */
  runIn(host: HostRef, line: string, opts: { stdin?: string; args?: string[]; argv0?: string; env?: Record<string, string>; deadline?: CommandContext['deadline'] } = {}): RunResult {
    const frame = sameHost(host, this.frame.host) ? cloneFrame(this.frame) : initialFrame(this.cluster, host);
    if (opts.env) {
      // a child shell sees only the environment it was given (exported variables)
      frame.vars = { ...opts.env };
      frame.exported = Object.keys(opts.env);
    }
    if (opts.args) frame.positional = [...opts.args];
    if (opts.argv0 !== undefined) frame.argv0 = opts.argv0;
    const prevDeadline = this.deadline;
    this.deadline = opts.deadline;
    try {
      return this.runFrame(frame, line, opts.stdin ?? '');
    } finally {
      this.deadline = prevDeadline;
    }
  }

  /** Runs argv on `host` as `kubectl exec POD -- ARGV…` does (no shell parsing of the arguments). */
  execIn(host: HostRef, argv: string[], stdin = ''): RunResult {
    return this.runIn(host, argv.map(shellQuote).join(' '), { stdin });
  }

  /**
   * Runs argv as a container's own process runs (the kubelet's one-shot command): as exec runs
   * it, in a fresh frame on that host, with nothing on stdin; what it wrote in the order written
   * (the runtime's log file keeps both streams in one file).
   */
  runProcess(host: HostRef, argv: string[]): { output: OutputChunk[]; exitCode: number } {
    const output: OutputChunk[] = [];
    const frame = initialFrame(this.cluster, host);
    // `sh -c SCRIPT [NAME ARGS…]` (the usual container command): the script is the process's own,
    // so its writes keep their order (a nested shell would hand back its two streams apart)
    const exe = argv[0]?.split('/').pop() ?? '';
    if (argv[1] === '-c' && argv.length >= 3 && ['sh', 'ash', 'bash', 'dash'].includes(exe) && hasTool(this.cluster, host, exe)) {
      frame.argv0 = argv[3] ?? exe;
      frame.positional = argv.slice(4);
      const r = this.runFrame(frame, argv[2], '', output);
      return { output, exitCode: r.exitCode };
    }
    const r = this.runFrame(frame, argv.map(shellQuote).join(' '), '', output);
    return { output, exitCode: r.exitCode };
  }

  /** Runs a script in a given frame to completion (used by runIn and `sh -c`); `order` collects the output as written (the result's stdout and stderr are then empty). */
  runFrame(frame: Frame, src: string, stdin: string, order?: OutputChunk[]): RunResult {
    const flavour = hostFlavour(this.cluster, frame.host);
    let ast: List;
    try {
      ast = parse(src, { eofClosesHeredoc: true }).ast;
    } catch (e) {
      if (e instanceof ParseError) {
        let text = syntaxErrorText(e, flavour);
        if (flavour === 'bash') text = text.replace(/^bash: /gm, 'bash: -c: line 1: ');
        order?.push({ stream: 'stderr', text });
        return { stdout: '', stderr: text, exitCode: 2 };
      }
      order?.push({ stream: 'stderr', text: 'sh: syntax error\n' });
      return { stdout: '', stderr: 'sh: syntax error\n', exitCode: 2 };
    }
    const out = order ? new OrderedSink('stdout', order) : new BufferSink();
    const err = order ? new OrderedSink('stderr', order) : new BufferSink();
    const interp = new Interpreter(this, frame);
    const prev = this.active;
    this.active = frame;
    // a script run from inside a command line (`sh -c`, `kubectl exec`) shares its budget
    const outer = this.lineBudget;
    const budget = outer ?? new Budget(this.lineLimits);
    this.lineBudget = budget;
    let code: number;
    try {
      code = interp.runSync(() => interp.runList(ast, { stdin: new Input(stdin), out, err }));
    } catch (e) {
      // the enclosing line stops too; it prints the message
      if (e instanceof BudgetExceeded && outer) throw e;
      // killed by timeout's SIGTERM: 128+15, and the timeout around it reports 124
      if (e instanceof DeadlineReached) code = 143;
      else {
        if (!(e instanceof BudgetExceeded)) err.write(`sh: internal error: ${(e as Error)?.message ?? e}\n`);
        code = 1;
      }
    } finally {
      this.active = prev;
      this.lineBudget = outer;
    }
    if (interp.exitStatus !== null) code = interp.exitStatus;
    if (!outer && budget.exhausted) {
      if (!budget.reported) err.write(budget.exhausted);
      budget.reported = true;
      code = 130;
    }
    return { stdout: out.data, stderr: err.data, exitCode: code };
  }

  // ---- persistence ------------------------------------------------------------------------

  snapshot(): ShellSnapshot {
    return { history: structuredClone(this.history), hosts: this.hosts, frames: structuredClone(this.frames) };
  }

  restore(data: ShellSnapshot): void {
    this.history = Array.isArray(data?.history) ? structuredClone(data.history) : [];
    this.historyBytes = this.history.reduce((n, h) => n + entryBytes(h), 0);
    if (Array.isArray(data?.frames) && data.frames.length) this.frames = structuredClone(data.frames);
    else if (Array.isArray(data?.hosts) && data.hosts.length) this.frames = data.hosts.map((h) => initialFrame(this.cluster, h));
    else this.frames = [initialFrame(this.cluster, { kind: 'workstation' })];
    if (this.frames[0].host.kind !== 'workstation') this.frames.unshift(initialFrame(this.cluster, { kind: 'workstation' }));
    this.lastPrompt = this.prompt();
  }

  /** The image of the container a pod host runs (for `help`, `which`). */
  imageOf(host: HostRef): string | undefined {
    return hostImage(this.cluster, host);
  }
}

/** A sink that records each write, with its stream, in one list shared by stdout and stderr (and keeps no second copy). */
class OrderedSink extends BufferSink {
  constructor(
    private stream: OutputChunk['stream'],
    private order: OutputChunk[],
  ) {
    super();
  }

  override write(text: string): void {
    if (text) this.order.push({ stream: this.stream, text });
  }
}
