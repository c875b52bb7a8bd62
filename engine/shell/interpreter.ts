/**
 * Runs parsed command lines: word expansion (quotes, `$VAR`, `${…}`, `$?`, `$(…)`,
 * `$((…))`, `~`, globs against the virtual filesystem), redirections into the virtual
 * filesystem, pipelines (each stage gets the previous stage's stdout), `&&`/`||`,
 * compound commands, and command lookup on the current host.
 *
 * The interpreter is a generator: when the last stage of a pipeline writing to the
 * terminal is a streaming command (`ping`, `kubectl get -w`) or an editor request
 * (`kubectl edit`), it yields and the Execution drives it; everywhere else a streaming
 * command gets a bounded number of steps and is interrupted, as `sim.run()` does.
 */
import type { ClusterRuntime } from '../controllers/runtime';
import type { CommandOutcome, EditRequest, HostRef, Streaming } from '../types';
import type { CommandContext, CommandSpec, CommandTable, HistoryEntry, ShellSession, SimpleRun } from './command';
import { isEditRequest, isStreaming, outputChunks } from '../types';
import { parse, ParseError, type AndOr, type Command, type List, type Pipeline, type Redirect, type SimpleCommand } from './parser';
import { ExpansionError, WordExpander, traceQuote } from './expand';
import { Glob } from '../patterns';
import { evalCond } from './cond';
import { ArithError } from './arith';
import { hostFlavour, hostTools, mayWrite, type ShellFlavour } from '../hosts/hosts';
import { BudgetExceeded, STEP_COSTS, type Budget } from './budget';
import { homeOf, resolvePath } from '../hosts/vfs';
import { jobText, type JobTable } from './jobs';
import { nodeShellKey, startedProcesses } from '../dataplane/started';

/** The state a shell carries on one host: where it is and its variables. */
export interface Frame {
  host: HostRef;
  cwd: string;
  oldpwd?: string;
  vars: Record<string, string>;
  exported: string[];
  lastExit: number;
  /** $1… for `sh -c '…' arg0 args`. */
  positional: string[];
  /** $0 */
  argv0: string;
  /** How this shell was entered (for what `exit` prints). */
  via?: 'kubectl' | 'kubectl-attach' | 'ssh' | 'shell';
  /** The shell program (`bash`, `sh`, `zsh`) when it was named, for the prompt (hosts.ts hostPrompt). */
  shell?: string;
  /** A named hook another room registered to run when this shell exits (`kubectl run --rm -it`). */
  exitHook?: { name: string; arg?: unknown };
  /** `alias k=kubectl` */
  aliases?: Record<string, string>;
  /** Shell functions (`name() { …; }`), as parsed. */
  functions?: Record<string, Command>;
  /** `set -e`, `set -x`, `set -u`, `set -o pipefail`. */
  options?: { errexit?: boolean; xtrace?: boolean; nounset?: boolean; pipefail?: boolean };
  /** BASH_REMATCH after `[[ s =~ re ]]`, the one array this shell models (`${BASH_REMATCH[1]}`). */
  rematch?: string[];
}

export function cloneFrame(f: Frame): Frame {
  return { ...f, vars: { ...f.vars }, exported: [...f.exported], positional: [...f.positional], exitHook: f.exitHook ? { ...f.exitHook } : undefined, aliases: f.aliases ? { ...f.aliases } : undefined, functions: f.functions ? { ...f.functions } : undefined, options: f.options ? { ...f.options } : undefined, rematch: f.rematch ? [...f.rematch] : undefined };
}

/**
 * Alias expansion of a simple command's first word (bash: at read time, unquoted
 * words only; an alias ending in a blank also expands the next word). Aliases that
 * are not a single simple command are not expanded.
 */
export function expandAliases(cmd: SimpleCommand, aliases: Record<string, string> | undefined): SimpleCommand {
  if (!aliases || cmd.words.length === 0) return cmd;
  let words = cmd.words;
  let assigns = cmd.assigns;
  const seen = new Set<string>();
  for (let k = 0; k < 10; k++) {
    const first = words[0];
    if (first === undefined || seen.has(first) || !(first in aliases) || /['"\\$`]/.test(first)) break;
    seen.add(first);
    let parsed: List;
    try {
      parsed = parse(aliases[first]).ast;
    } catch {
      break;
    }
    const only = parsed.items.length === 1 && parsed.items[0].node.rest.length === 0 && parsed.items[0].node.first.commands.length === 1 ? parsed.items[0].node.first.commands[0] : undefined;
    if (!only || only.type !== 'simple' || only.redirects.length) break;
    words = [...only.words, ...words.slice(1)];
    assigns = [...assigns, ...only.assigns];
  }
  return words === cmd.words ? cmd : { ...cmd, words, assigns };
}

export interface Sink {
  terminal: boolean;
  /** Writes that reach the terminal later (a background job's buffered output): isatty() is still true for the program. */
  tty?: boolean;
  write(text: string): void;
}

export class BufferSink implements Sink {
  terminal = false;
  data = '';
  write(text: string) {
    this.data += text;
  }
}

/** Standard input: commands that read it consume it (`read` one line at a time), as from a pipe. */
export class Input {
  /** `terminal`: the terminal itself, not a pipe, a file or a here-document (isatty(0)). */
  constructor(
    public text: string,
    public terminal = false,
  ) {}
}

/** Commands that never read standard input (they leave it for the next command in a loop or group). */
const NON_READERS = new Set(['jobs', 'wait', 'basename', 'dirname', 'printenv', ':', 'alias', 'unalias', '[', 'test', 'echo', 'printf', 'cd', 'export', 'unset', 'true', 'false', 'pwd', 'sleep', 'date', 'hostname', 'whoami', 'history', 'clear', 'help', 'type', 'which', 'exit', 'mkdir', 'rm', 'touch', 'seq', 'ls']);

export interface IO {
  stdin: Input;
  out: Sink;
  err: Sink;
}

export type Pause =
  | { kind: 'stream'; stream: Streaming; io: IO }
  | { kind: 'edit'; edit: EditRequest; io: IO }
  /** A loop iteration that took virtual time (`while true; do curl …; sleep 1; done`): the terminal paces it, Ctrl+C stops it. */
  | { kind: 'tick'; intervalMs: number };

export type Gen<T> = Generator<Pause, T, number>;

/** What the shell offers the interpreter (implemented by Shell). */
export interface ShellHost {
  readonly cluster: ClusterRuntime;
  readonly commands: CommandTable;
  /** A learner at a terminal (interactive bash announces background jobs, ls prints columns). */
  readonly interactive: boolean;
  /** Steps a streaming command gets when it cannot stream to the terminal. */
  readonly maxStreamSteps: number;
  /** The running command line's budget (budget.ts): loops, expansion and commands charge it. */
  readonly budget: Budget;
  /** The `timeout` a script runs under (`timeout 5 sh -c '…'`): its commands stop waiting there. */
  readonly deadline: CommandContext['deadline'];
  readonly history: HistoryEntry[];
  /**
   * A simple command on `host` is about to run with these words (as typed) and argv: the
   * record the history entry of the running line keeps for it, or undefined when nothing
   * records it (another host, no line running, the line's quota spent). The interpreter
   * sets its exitCode when the command finishes.
   */
  recordRun(host: HostRef, words: string[], argv: string[]): SimpleRun | undefined;
  /** The interpreter running a command right now (its frame is the one `cd` and `export` change). */
  current: Interpreter | null;
  /** The terminal's background jobs (jobs.ts); absent where there is no job control. */
  readonly jobs?: JobTable;
  /** Streaming `&` jobs outlive their line (an interactive terminal, or the `sim` CLI). */
  readonly jobControl?: boolean;
  /** Makes a streaming command started with `&` a job that goes on after its line. */
  startJob?(job: { id: number; pid: number }, text: string, stream: Streaming): void;
  /** A `&` job that ran to its end on its line (not a streaming command): bash tells of it later. */
  endedJob?(job: { id: number; pid: number }, text: string, code: number): void;
  /** The shell as a command running in `interp` sees it. */
  session(interp: Interpreter): ShellSession;
  /** What every command's context carries besides its own arguments and streams. */
  commandContext(): Pick<CommandContext, 'cluster' | 'commands' | 'answers' | 'emit' | 'judgeAnswer' | 'nodeProcesses'>;
}

const NULL_SINK: Sink = { terminal: false, write() {} };

/** A script under `timeout` got its signal (runFrame ends it, as SIGTERM ends sh: 143). */
export class DeadlineReached extends Error {
  constructor() {
    super('deadline reached');
    this.name = 'DeadlineReached';
  }
}
const MAX_CALL_DEPTH = 200;
/** Like bash's FUNCNEST. */
const MAX_FUNC_DEPTH = 40;


export function shellName(flavour: ShellFlavour): string {
  return flavour === 'busybox' ? 'sh' : 'bash';
}

/** The text of a syntax error, as bash or busybox ash prints it. */
export function syntaxErrorText(e: ParseError, flavour: ShellFlavour): string {
  if (flavour === 'busybox') {
    if (e.kind === 'quote') return 'sh: syntax error: unterminated quoted string\n';
    if (e.kind === 'token') {
      const tok = e.token === 'newline' ? 'newline' : `"${e.token}"`;
      return `sh: syntax error: unexpected ${tok}\n`;
    }
    return 'sh: syntax error: unexpected end of file\n';
  }
  if (e.kind === 'quote') return `bash: unexpected EOF while looking for matching \`${e.token}'\nbash: syntax error: unexpected end of file\n`;
  if (e.kind === 'token') return `bash: syntax error near unexpected token \`${e.token}'\n`;
  return 'bash: syntax error: unexpected end of file\n';
}

export class Interpreter {
  /** Set by `exit`: unwinds the rest of the script. */
  exitStatus: number | null = null;
  /** `break N` / `continue N` on their way out of the enclosing loops. */
  loopCtl: { kind: 'break' | 'continue'; n: number } | null = null;
  private loopDepth = 0;
  /** `return N` on its way out of the running function. */
  returnCtl: number | null = null;
  private funcDepth = 0;
  /** Inside an `if`/`while` condition or a `&&`/`||`/`!` left side, where `set -e` does not apply. */
  private condDepth = 0;
  /** The standard input of the command running now (`read` consumes from it). */
  input: Input = new Input('');
  readonly flavour: ShellFlavour;
  private depth = 0;
  /** Words: braces, tildes, parameters, `$(…)`, arithmetic, splitting, globs (expand.ts). */
  readonly expander = new WordExpander(this);

  constructor(
    readonly host: ShellHost,
    public frame: Frame,
  ) {
    this.flavour = hostFlavour(host.cluster, frame.host);
  }

  get cluster(): ClusterRuntime {
    return this.host.cluster;
  }

  /** The running command line's budget. */
  get budget(): Budget {
    return this.host.budget;
  }

  /** `bash` or `sh`, as error messages name the shell. */
  get name(): string {
    return shellName(this.flavour);
  }

  // ---- lists and pipelines ----------------------------------------------------------

  *runList(list: List, io: IO): Gen<number> {
    let status = this.frame.lastExit;
    for (const item of list.items) {
      if (this.exitStatus !== null || this.loopCtl || this.returnCtl !== null) break;
      if (item.background) {
        // The job runs now in a subshell; an interactive bash first announces it as "[1] PID".
        // A streaming command in it (tcpdump, ping) becomes a job of the terminal's job table
        // (jobs.ts) and keeps streaming between command lines; anything else runs to its end.
        const announce = (this.host.interactive || this.host.jobControl === true) && io.err.terminal;
        const job = { id: this.host.jobs?.nextId() ?? 1, pid: 4300 + (this.host.history.length % 30000) };
        if (announce) io.err.write(`[${job.id}] ${job.pid}\n`);
        // bash's job control leaves the terminal as the job's stdin and stdout (buffered here, still a tty to the program)
        const bg: IO = { stdin: new Input('', io.stdin.terminal), out: io.out.terminal ? Object.assign(new BufferSink(), { tty: true }) : io.out, err: io.err };
        const saved = this.frame;
        const exiting = this.exitStatus;
        const savedJob = this.backgroundJob;
        this.frame = cloneFrame(saved);
        this.backgroundJob = announce && this.host.startJob ? job : null;
        // a server the job starts in a container is the job's process: it takes bash's PID
        const reserve = this.reservePid(announce ? job.pid : undefined);
        let code = 0;
        let streamed = false;
        try {
          code = this.runSync(() => this.runAndOr(item.node, bg));
        } finally {
          // a streaming command in it took the job (startJob); anything else has ended
          streamed = this.backgroundJob === null;
          this.frame = saved;
          this.exitStatus = exiting;
          this.loopCtl = null;
          this.returnCtl = null;
          this.backgroundJob = savedJob;
          reserve();
        }
        if (bg.out instanceof BufferSink) io.out.write(bg.out.data);
        // a job that ran to its end stays in bash's table until its notice (jobs.ts addEnded)
        if (announce && !streamed) this.host.endedJob?.(job, jobText(item.node), code);
        status = 0;
        this.frame.lastExit = 0;
        continue;
      }
      status = yield* this.runAndOr(item.node, io);
      if (status !== 0 && this.frame.options?.errexit && this.condDepth === 0 && this.exitStatus === null && !this.loopCtl && this.returnCtl === null) {
        const final = item.node.rest.length === 0 ? item.node.first : item.node.rest[item.node.rest.length - 1].pipeline;
        if (this.lastPipeline === final && !final.negate) this.exitStatus = status;
      }
    }
    return status;
  }

  /** The pipeline that ran last (for `set -e`: only the final command of an and-or list counts). */
  private lastPipeline: Pipeline | null = null;

  *runAndOr(node: AndOr, io: IO): Gen<number> {
    const guarded = node.rest.length > 0;
    if (guarded) this.condDepth++;
    let status: number;
    try {
      status = yield* this.runPipeline(node.first, io);
    } finally {
      if (guarded) this.condDepth--;
    }
    this.lastPipeline = node.first;
    for (let k = 0; k < node.rest.length; k++) {
      const { op, pipeline } = node.rest[k];
      if (this.exitStatus !== null || this.loopCtl || this.returnCtl !== null) break;
      if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
      const inner = k < node.rest.length - 1;
      if (inner) this.condDepth++;
      try {
        status = yield* this.runPipeline(pipeline, io);
      } finally {
        if (inner) this.condDepth--;
      }
      this.lastPipeline = pipeline;
    }
    return status;
  }

  *runPipeline(p: Pipeline, io: IO): Gen<number> {
    let stdin = io.stdin;
    let status = 0;
    let failed = 0;
    if (p.negate) this.condDepth++;
    for (let i = 0; i < p.commands.length; i++) {
      const last = i === p.commands.length - 1;
      if (last && p.commands.length > 1) {
        // every stage of a real pipeline runs in a subshell (bash without lastpipe):
        // `… | exit 3` and `… | while read x; do v=$x; done` leave this shell alone
        const saved = this.frame;
        const exiting = this.exitStatus;
        this.frame = cloneFrame(saved);
        try {
          status = yield* this.runCommand(p.commands[i], { stdin, out: io.out, err: io.err }, true);
        } finally {
          this.frame = saved;
          this.exitStatus = exiting;
          this.loopCtl = null;
        }
      } else if (last) {
        status = yield* this.runCommand(p.commands[i], { stdin, out: io.out, err: io.err }, true);
      } else {
        const buf = new BufferSink();
        // Stages before the last run in subshells in bash: cd and assignments do not stick.
        const saved = this.frame;
        if (p.commands.length > 1) this.frame = cloneFrame(saved);
        const exiting = this.exitStatus;
        const code = this.runSync(() => this.runCommand(p.commands[i], { stdin, out: buf, err: io.err }, false));
        if (code !== 0) failed = code;
        this.frame = saved;
        this.exitStatus = exiting;
        stdin = new Input(buf.data);
      }
      if (this.exitStatus !== null && (last || p.commands.length === 1)) break;
    }
    if (p.negate) this.condDepth--;
    if (this.frame.options?.pipefail && status === 0 && failed !== 0) status = failed;
    if (p.negate) status = status === 0 ? 1 : 0;
    this.frame.lastExit = status;
    return status;
  }

  /** Drives a generator to the end without pausing: streaming gets bounded steps. */
  runSync(gen: () => Gen<number>): number {
    const g = gen();
    let r = g.next();
    let ticks = 0;
    while (!r.done) {
      const pause = r.value;
      let code: number;
      if (pause.kind === 'tick') {
        // a paced loop off the terminal gets the same bounded number of rounds, then Ctrl+C
        if (++ticks > this.host.maxStreamSteps) {
          g.return(130);
          return 130;
        }
        code = 0;
      } else if (pause.kind === 'stream') code = this.boundedStream(pause.stream, pause.io);
      else {
        const res = pause.edit.finish(null);
        pause.io.out.write(res.stdout);
        pause.io.err.write(res.stderr);
        code = res.exitCode;
      }
      r = g.next(code);
    }
    return r.value;
  }

  /** Runs a streaming command for a bounded number of steps, then interrupts it. */
  boundedStream(s: Streaming, io: IO): number {
    io.out.write(s.stdout);
    io.err.write(s.stderr);
    for (let i = 0; i < this.host.maxStreamSteps; i++) {
      this.cluster.advance(s.intervalMs);
      const r = s.step();
      io.out.write(r.stdout ?? '');
      io.err.write(r.stderr ?? '');
      if (r.done) return r.exitCode ?? 0;
    }
    const r = s.interrupt();
    io.out.write(r.stdout ?? '');
    io.err.write(r.stderr ?? '');
    return r.exitCode;
  }

  // ---- commands -----------------------------------------------------------------------

  *runCommand(cmd: Command, io: IO, mayPause: boolean): Gen<number> {
    if (this.depth > MAX_CALL_DEPTH) {
      io.err.write(`${this.name}: maximum nesting level exceeded\n`);
      return 1;
    }
    this.depth++;
    try {
      if (cmd.type === 'simple') {
        const slot: { run?: SimpleRun } = {};
        const status = yield* this.runSimple(cmd, io, mayPause, slot);
        // a record shared by repeats of the command (a loop) keeps 0 once one of them succeeded
        if (slot.run && (status === 0 || slot.run.exitCode !== 0)) slot.run.exitCode = status;
        return status;
      }
      const rio = this.applyRedirects(cmd.redirects, io);
      if (typeof rio === 'number') return rio;
      switch (cmd.type) {
        case 'function':
          (this.frame.functions ??= {})[cmd.name] = cmd.body;
          return 0;
        case 'case': {
          let word: string;
          try {
            word = this.expander.expandSingle(cmd.word, io);
            for (const c of cmd.clauses) {
              if (c.patterns.some((p) => new Glob(this.expander.patternOf(p, io), this.budget).matches(word))) return yield* this.runList(c.body, rio);
            }
          } catch (e) {
            if (e instanceof ExpansionError) {
              io.err.write(e.message);
              return e.status;
            }
            throw e;
          }
          return 0;
        }
        case 'cond':
          try {
            return evalCond(cmd.expr, this.expander, rio, this.frame.options?.xtrace ? (line) => io.err.write(`+ ${line}\n`) : undefined);
          } catch (e) {
            if (e instanceof ExpansionError) {
              io.err.write(e.message);
              return e.status;
            }
            if (e instanceof ArithError) {
              io.err.write(`${this.name}: ${e.message}\n`);
              return 1;
            }
            throw e;
          }
        case 'group':
          return yield* this.runList(cmd.body, rio);
        case 'subshell': {
          const saved = this.frame;
          this.frame = cloneFrame(saved);
          const exiting = this.exitStatus;
          try {
            return yield* this.runList(cmd.body, rio);
          } finally {
            this.frame = saved;
            this.exitStatus = exiting;
          }
        }
        case 'if': {
          for (const c of cmd.clauses) {
            this.condDepth++;
            let cond: number;
            try {
              cond = yield* this.runList(c.cond, rio);
            } finally {
              this.condDepth--;
            }
            if (this.exitStatus !== null) return cond;
            if (cond === 0) return yield* this.runList(c.body, rio);
          }
          if (cmd.otherwise) return yield* this.runList(cmd.otherwise, rio);
          return 0;
        }
        case 'for': {
          let items: string[];
          try {
            items = cmd.items === null ? [...this.frame.positional] : cmd.items.flatMap((w) => this.expander.expandWord(w, io));
          } catch (e) {
            if (e instanceof ExpansionError) {
              io.err.write(e.message);
              return e.status;
            }
            throw e;
          }
          let status = 0;
          this.loopDepth++;
          try {
            for (const item of items) {
              this.budget.step(STEP_COSTS.loopRound);
              this.setVar(cmd.name, item);
              const t0 = this.cluster.clock.now();
              status = yield* this.runList(cmd.body, rio);
              if (this.exitStatus !== null) break;
              if (this.loopCtl && this.leaveLoop()) break;
              yield* this.pace(t0);
            }
          } finally {
            this.loopDepth--;
          }
          return status;
        }
        case 'while':
        case 'until': {
          let status = 0;
          this.loopDepth++;
          try {
            for (;;) {
              this.budget.step(STEP_COSTS.loopRound);
              const t0 = this.cluster.clock.now();
              this.condDepth++;
              let c: number;
              try {
                c = yield* this.runList(cmd.cond, rio);
              } finally {
                this.condDepth--;
              }
              if (this.exitStatus !== null) return c;
              if (this.loopCtl && this.leaveLoop()) return status;
              if ((c === 0) !== (cmd.type === 'while')) return status;
              status = yield* this.runList(cmd.body, rio);
              if (this.exitStatus !== null) return status;
              if (this.loopCtl && this.leaveLoop()) return status;
              yield* this.pace(t0);
            }
          } finally {
            this.loopDepth--;
          }
          return status;
        }
      }
    } finally {
      this.depth--;
    }
    return 0;
  }

  /**
   * After a loop iteration that slept (virtual time passed beyond the per-line second),
   * hand control back so the terminal shows output as it comes and Ctrl+C can stop it.
   */
  private *pace(t0: number): Gen<void> {
    const took = this.cluster.clock.now() - t0;
    if (took >= 1000) yield { kind: 'tick', intervalMs: took };
  }

  /** A loop saw break/continue: true if this loop ends (break, or an outer level's continue). */
  private leaveLoop(): boolean {
    const ctl = this.loopCtl!;
    if (ctl.n > 1) {
      ctl.n--;
      return true;
    }
    this.loopCtl = null;
    return ctl.kind === 'break';
  }

  /** `slot.run`: the history's record of this command (recordRun), set once its words are expanded. */
  private *runSimple(original: SimpleCommand, io: IO, mayPause: boolean, slot: { run?: SimpleRun }): Gen<number> {
    this.budget.step(STEP_COSTS.command);
    const cmd = expandAliases(original, this.frame.aliases);
    let argv: string[];
    const assigns: [string, string][] = [];
    this.lastSubstStatus = null;
    try {
      argv = cmd.words.flatMap((w) => this.expander.expandWord(w, io));
      for (const a of cmd.assigns) assigns.push([a.name, this.expander.expandSingle(a.raw, io, true)]);
    } catch (e) {
      if (e instanceof ExpansionError) {
        io.err.write(e.message);
        return e.status;
      }
      throw e;
    }
    if (this.frame.options?.xtrace && argv.length + assigns.length > 0) {
      // bash's PS4 is "+ "; words that need quoting are shown in single quotes
      const shown = [...assigns.map(([k, v]) => `${k}=${traceQuote(v)}`), ...argv.map(traceQuote)].join(' ');
      io.err.write(`+ ${shown}\n`);
    }
    if (argv.length > 0) slot.run = this.host.recordRun(this.frame.host, cmd.words, argv);
    const rio = this.applyRedirects(cmd.redirects, io);
    if (typeof rio === 'number') return rio;

    if (argv.length === 0) {
      for (const [k, v] of assigns) this.setVar(k, v);
      return this.lastSubstStatus ?? 0;
    }
    const [typed, ...args] = argv;
    let name = typed;
    if (name === 'set') return this.setBuiltin(args, rio);
    // `command NAME ARGS`: NAME run as a builtin or program, never a function of that name
    const bypass = name === 'command' && args.length > 0 && !args[0].startsWith('-');
    if (bypass) name = args.shift()!;
    const fn = bypass ? undefined : this.frame.functions?.[name];
    if (fn) {
      if (this.funcDepth >= MAX_FUNC_DEPTH) {
        rio.err.write(`${this.name}: ${name}: maximum function nesting level exceeded (${MAX_FUNC_DEPTH})\n`);
        return 1;
      }
      const saved = this.frame.positional;
      this.frame.positional = args;
      this.funcDepth++;
      try {
        const status = yield* this.runCommand(fn, rio, mayPause);
        const r = this.returnCtl;
        this.returnCtl = null;
        return r ?? status;
      } finally {
        this.funcDepth--;
        this.frame.positional = saved;
      }
    }
    if (name === 'return') {
      if (this.funcDepth === 0) {
        rio.err.write(`${this.name}: return: can only \`return' from a function or sourced script\n`);
        return 1;
      }
      const n = args.length ? Number(args[0]) : this.frame.lastExit;
      if (!Number.isInteger(n)) {
        rio.err.write(`${this.name}: return: ${args[0]}: numeric argument required\n`);
        this.returnCtl = 2;
        return 2;
      }
      this.returnCtl = ((n % 256) + 256) % 256;
      return this.returnCtl;
    }
    if (name === 'source' || name === '.') {
      if (args.length === 0) {
        rio.err.write(this.flavour === 'busybox' ? '' : `bash: ${name}: filename argument required\n${name}: usage: ${name} filename [arguments]\n`);
        return 2;
      }
      const path = resolvePath(this.frame.cwd, args[0], homeOf(this.frame.host));
      const text = this.cluster.fs.read(this.frame.host, path);
      if (text === undefined) {
        rio.err.write(this.flavour === 'busybox' ? `sh: ${name}: can't open '${args[0]}': No such file or directory\n` : `bash: ${args[0]}: No such file or directory\n`);
        return 1;
      }
      let ast: List;
      try {
        ast = parse(text, { eofClosesHeredoc: true }).ast;
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        rio.err.write(syntaxErrorText(e, this.flavour).replace(/^bash: /gm, `bash: ${args[0]}: line 1: `));
        return 2;
      }
      const saved = this.frame.positional;
      if (args.length > 1) this.frame.positional = args.slice(1);
      this.funcDepth++;
      try {
        const status = yield* this.runList(ast, rio);
        const r = this.returnCtl;
        this.returnCtl = null;
        return r ?? status;
      } finally {
        this.funcDepth--;
        if (args.length > 1) this.frame.positional = saved;
      }
    }
    if (name === 'local') {
      if (this.funcDepth === 0) {
        rio.err.write(`${this.name}: local: can only be used in a function\n`);
        return 1;
      }
      for (const a of args) {
        const eq = a.indexOf('=');
        this.setVar(eq < 0 ? a : a.slice(0, eq), eq < 0 ? '' : a.slice(eq + 1));
      }
      return 0;
    }
    if (name === 'break' || name === 'continue') {
      if (this.loopDepth === 0) {
        if (this.flavour === 'bash') rio.err.write(`bash: ${name}: only meaningful in a \`for', \`while', or \`until' loop\n`);
        return 0;
      }
      const n = args.length ? Number(args[0]) : 1;
      if (!Number.isInteger(n) || n < 1) {
        rio.err.write(`${this.name}: ${name}: ${args[0]}: ${Number.isInteger(n) ? 'loop count out of range' : 'numeric argument required'}\n`);
        return 1;
      }
      this.loopCtl = { kind: name, n: Math.min(n, this.loopDepth) };
      return 0;
    }
    const env: Record<string, string> = {};
    for (const k of this.frame.exported) if (k in this.frame.vars) env[k] = this.frame.vars[k];
    for (const [k, v] of assigns) env[k] = v;

    let spec = this.lookup(name);
    // a program named by its path (`/bin/sh`, `/usr/bin/curl`): the command installed there
    if (!spec && name.includes('/')) {
      const program = this.cluster.fs.binaryAt(this.frame.host, resolvePath(this.frame.cwd, name, homeOf(this.frame.host)))?.program;
      const found = program ? this.host.commands.find(program) : undefined;
      if (found && program) {
        spec = found;
        name = program;
      }
    }
    if (!spec) {
      if (name.includes('/')) {
        const path = resolvePath(this.frame.cwd, name, homeOf(this.frame.host));
        const fs = this.cluster.fs;
        if (fs.isDir(this.frame.host, path)) {
          rio.err.write(this.flavour === 'busybox' ? `sh: ${name}: Permission denied\n` : `bash: ${name}: Is a directory\n`);
          return 126;
        }
        const bin = fs.binaryAt(this.frame.host, path);
        // a data file a command wrote (a pcap savefile) is no program: Permission denied, as any 0644 file
        if (bin && !bin.data) {
          const r = bin.run?.(args) ?? { stdout: '', stderr: `netlab: ${name} runs when the container runtime calls it; running it by hand is not simulated here\n`, exitCode: 126 };
          rio.out.write(r.stdout);
          rio.err.write(r.stderr);
          return r.exitCode;
        }
        if (fs.isFile(this.frame.host, path)) {
          rio.err.write(`${this.name}: ${name}: Permission denied\n`);
          return 126;
        }
        rio.err.write(this.flavour === 'busybox' ? `sh: ${name}: not found\n` : `bash: ${name}: No such file or directory\n`);
        return 127;
      }
      rio.err.write(this.flavour === 'busybox' ? `sh: ${name}: not found\n` : `bash: ${name}: command not found\n`);
      return 127;
    }
    const ctx: CommandContext = {
      ...this.host.commandContext(),
      shell: this.host.session(this),
      host: this.frame.host,
      name,
      stdin: rio.stdin.text,
      env,
      cwd: this.frame.cwd,
      // isatty(1): a terminal session whose standard output is not redirected or piped
      interactive: this.host.interactive && (rio.out.terminal || rio.out.tty === true),
      ttys: {
        // the foreground job of a shell with job control leads its own process group (not in $(…) or a pipe's tail)
        shell: this.host.interactive && rio.stdin.terminal,
        stdin: this.host.interactive && rio.stdin.terminal,
        stdout: this.host.interactive && (rio.out.terminal || rio.out.tty === true),
        stderr: this.host.interactive && (rio.err.terminal || rio.err.tty === true),
      },
    };
    if (this.host.deadline) ctx.deadline = this.host.deadline;
    const prev = this.host.current;
    this.host.current = this;
    const prevInput = this.input;
    this.input = rio.stdin;
    let outcome: CommandOutcome;
    try {
      if (spec.cost) this.budget.step(spec.cost);
      outcome = spec.run(args, ctx);
      if (!NON_READERS.has(name) && name !== 'read' && !(name === 'env' && args.length === 0)) rio.stdin.text = '';
      // timeout's signal arrived while this command waited: the whole script is killed
      if (ctx.deadline?.hit) throw new DeadlineReached();
    } catch (e) {
      // the line's budget is spent (here or in a script the command ran): the line ends
      if (e instanceof BudgetExceeded || e instanceof DeadlineReached) throw e;
      // A command must not throw; if one does, report it like a crashed program.
      rio.err.write(`${name}: internal error: ${(e as Error)?.message ?? String(e)}\n`);
      return 1;
    } finally {
      this.host.current = prev;
      this.input = prevInput;
    }
    if (isStreaming(outcome)) {
      if (this.backgroundJob && this.host.startJob) {
        // `tcpdump … &` at a terminal: it becomes a job and goes on streaming after this line
        const job = this.backgroundJob;
        this.backgroundJob = null;
        this.host.startJob(job, cmd.words.join(' '), outcome);
        rio.out.write(outcome.stdout);
        rio.err.write(outcome.stderr);
        return 0;
      }
      if (mayPause && rio.out.terminal) return yield { kind: 'stream', stream: outcome, io: rio };
      return this.boundedStream(outcome, rio);
    }
    if (isEditRequest(outcome)) {
      if (mayPause && rio.out.terminal) return yield { kind: 'edit', edit: outcome, io: rio };
      const res = outcome.finish(null);
      rio.out.write(res.stdout);
      rio.err.write(res.stderr);
      return res.exitCode;
    }
    // a command that swallowed BudgetExceeded does not hide it; what it printed is charged
    this.budget.check();
    this.budget.output(outcome.stdout ?? '');
    this.budget.output(outcome.stderr ?? '');
    for (const c of outputChunks(outcome)) (c.stream === 'stdout' ? rio.out : rio.err).write(c.text);
    const code = Number.isInteger(outcome.exitCode) ? outcome.exitCode : 1;
    return ((code % 256) + 256) % 256;
  }

  /** The command `name` on this host: known to the engine and installed here. */
  lookup(name: string): CommandSpec | undefined {
    const spec = this.host.commands.find(name);
    if (!spec) return undefined;
    return hostTools(this.cluster, this.frame.host).has(name) ? spec : undefined;
  }

  setVar(name: string, value: string) {
    this.frame.vars[name] = value;
  }

  // ---- redirections -----------------------------------------------------------------

  /** Applies redirections; returns the new IO, or an exit status after printing the error. */
  applyRedirects(redirects: Redirect[], io: IO): IO | number {
    if (redirects.length === 0) return io;
    const fds: Record<number, Sink | Input> = { 0: io.stdin, 1: io.out, 2: io.err };
    let stdin = io.stdin;
    const fs = this.cluster.fs;
    const host = this.frame.host;
    for (const r of redirects) {
      let target: string;
      try {
        if (r.heredoc) target = r.heredoc.expand ? this.expander.expandHeredoc(r.heredoc.body, io) : r.heredoc.body;
        else {
          const fields = r.op === '<<<' ? [this.expander.expandSingle(r.target, io)] : this.expander.expandWord(r.target, io);
          if (fields.length !== 1) {
            io.err.write(`${this.name}: ${r.target}: ambiguous redirect\n`);
            return 1;
          }
          target = fields[0];
        }
      } catch (e) {
        if (e instanceof ExpansionError) {
          io.err.write(e.message);
          return e.status;
        }
        throw e;
      }
      const path = resolvePath(this.frame.cwd, target, homeOf(host));
      const openWrite = (append: boolean): Sink | number => {
        if (path === '/dev/null') return NULL_SINK;
        if (path === '/dev/stdout') return fds[1] as Sink;
        if (path === '/dev/stderr') return fds[2] as Sink;
        if (target === '') {
          io.err.write(this.flavour === 'busybox' ? `sh: can't create : nonexistent directory\n` : `bash: : No such file or directory\n`);
          return 1;
        }
        if (fs.isDir(host, path)) {
          io.err.write(this.flavour === 'busybox' ? `sh: can't create ${target}: Is a directory\n` : `bash: ${target}: Is a directory\n`);
          return 1;
        }
        const parent = path.slice(0, path.lastIndexOf('/')) || '/';
        if (!fs.isDir(host, parent)) {
          const why = fs.isFile(host, parent) ? 'Not a directory' : 'No such file or directory';
          io.err.write(this.flavour === 'busybox' ? `sh: can't create ${target}: nonexistent directory\n` : `bash: ${target}: ${why}\n`);
          return 1;
        }
        // open(2) with O_CREAT as a user without write permission there: EACCES
        if (!mayWrite(this.cluster, host, path)) {
          io.err.write(this.flavour === 'busybox' ? `sh: can't create ${target}: Permission denied\n` : `bash: ${target}: Permission denied\n`);
          return 1;
        }
        if (!append || !fs.isFile(host, path)) fs.write(host, path, '');
        return { terminal: false, write: (t: string) => { if (t) fs.append(host, path, t); } };
      };
      switch (r.op) {
        case '<':
        case '<>': {
          if (path === '/dev/null') {
            stdin = new Input('');
            break;
          }
          // a binary file a command wrote (a pcap savefile): the simulation keeps no bytes to feed a pipe
          if (fs.binaryAt(host, path)?.data) {
            io.err.write(`netlab: ${target}: binary file (not shown in this simulation)\n`);
            return 1;
          }
          const content = fs.read(host, path);
          if (content === undefined) {
            const why = fs.isDir(host, path) ? 'Is a directory' : 'No such file or directory';
            if (why === 'Is a directory' && r.op === '<') {
              // bash opens a directory for reading fine; reading it fails later in the command
              stdin = new Input('');
              break;
            }
            io.err.write(this.flavour === 'busybox' ? `sh: can't open '${target}': ${why}\n` : `bash: ${target}: ${why}\n`);
            return 1;
          }
          if ((r.fd ?? 0) === 0) stdin = new Input(content);
          break;
        }
        case '<<':
        case '<<-':
          stdin = new Input(target);
          break;
        case '<<<':
          stdin = new Input(target + '\n');
          break;
        case '>':
        case '>|':
        case '>>':
        case '&>':
        case '&>>': {
          const s = openWrite(r.op === '>>' || r.op === '&>>');
          if (typeof s === 'number') return s;
          if (r.op === '&>' || r.op === '&>>') {
            fds[1] = s;
            fds[2] = s;
          } else fds[r.fd ?? 1] = s;
          break;
        }
        case '>&':
        case '<&': {
          const fd = r.fd ?? (r.op === '>&' ? 1 : 0);
          if (target === '-') {
            fds[fd] = NULL_SINK;
            break;
          }
          if (/^\d+$/.test(target)) {
            const src = fds[Number(target)];
            if (src === undefined || src instanceof Input) {
              if (r.op === '<&' && Number(target) === 0) break;
              io.err.write(`${this.name}: ${target}: Bad file descriptor\n`);
              return 1;
            }
            fds[fd] = src;
            break;
          }
          if (r.op === '<&') {
            io.err.write(`${this.name}: ${target}: ambiguous redirect\n`);
            return 1;
          }
          // `>&file` is `&>file`
          const s = openWrite(false);
          if (typeof s === 'number') return s;
          fds[1] = s;
          fds[2] = s;
          break;
        }
      }
    }
    return { stdin, out: fds[1] as Sink, err: fds[2] as Sink };
  }

  // ---- expansion ----------------------------------------------------------------------

  private lastSubstStatus: number | null = null;
  /** Reserves `pid` for the process a `&` job starts in this container (dataplane/started.ts); returns the release. */
  private reservePid(pid: number | undefined): () => void {
    const h = this.frame.host;
    if (pid === undefined || h.kind === 'workstation') return () => undefined;
    // a node's shell: the node's own PID namespace (started.ts nodeShellKey)
    const key = h.kind === 'node' ? nodeShellKey(h.node) : { uid: this.cluster.store.get('Pod', h.namespace, h.pod)?.metadata.uid, container: h.container };
    const uid = key.uid;
    if (!uid) return () => undefined;
    const table = startedProcesses(this.cluster);
    table.reserve(uid, key.container, pid);
    return () => table.reserve(uid, key.container, undefined);
  }

  /** Set while a `&` item runs at a terminal: its streaming command becomes this job. */
  private backgroundJob: { id: number; pid: number } | null = null;

  /** `$(…)`: runs the text in a subshell and returns its output minus trailing newlines. */
  commandSubst(src: string, io: IO): string {
    const buf = new BufferSink();
    const saved = this.frame;
    this.frame = cloneFrame(saved);
    const exiting = this.exitStatus;
    let status = 0;
    try {
      if (++this.depth > MAX_CALL_DEPTH) {
        io.err.write(`${this.name}: maximum nesting level exceeded\n`);
        status = 1;
      } else {
        let ast: List | undefined;
        try {
          ast = parse(src, { eofClosesHeredoc: true }).ast;
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
          io.err.write(syntaxErrorText(e, this.flavour));
          status = 2;
        }
        if (ast) status = this.runSync(() => this.runList(ast!, { stdin: new Input(''), out: buf, err: io.err }));
        if (this.exitStatus !== null) status = this.exitStatus;
      }
    } finally {
      this.depth--;
      this.frame = saved;
      this.exitStatus = exiting;
    }
    this.lastSubstStatus = status;
    this.frame.lastExit = status;
    return buf.data.replace(/\n+$/, '');
  }

  /** `set [-+euxo …] [-- args]`, and `set` alone listing the variables. */
  private setBuiltin(args: string[], io: IO): number {
    const f = this.frame;
    const opts = (f.options ??= {});
    if (args.length === 0) {
      const names = Object.keys(f.vars).sort();
      io.out.write(names.map((k) => `${k}=${traceQuote(f.vars[k])}\n`).join(''));
      return 0;
    }
    const names: Record<string, keyof NonNullable<Frame['options']>> = { errexit: 'errexit', xtrace: 'xtrace', nounset: 'nounset', pipefail: 'pipefail' };
    const letters: Record<string, keyof NonNullable<Frame['options']>> = { e: 'errexit', x: 'xtrace', u: 'nounset' };
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--') {
        f.positional = args.slice(i + 1);
        return 0;
      }
      if (/^[-+]o$/.test(a)) {
        const name = args[++i];
        if (name === undefined) {
          for (const k of Object.keys(names)) io.out.write(`${k.padEnd(15)}\t${opts[names[k]] ? 'on' : 'off'}\n`);
          return 0;
        }
        if (!(name in names)) {
          io.err.write(`${this.name}: set: ${name}: invalid option name\n`);
          return 2;
        }
        opts[names[name]] = a[0] === '-';
        continue;
      }
      if (/^[-+][a-zA-Z]+$/.test(a)) {
        for (const c of a.slice(1)) {
          if (c in letters) opts[letters[c]] = a[0] === '-';
          else if (!'abfhkmnptvBCEHPT'.includes(c)) {
            io.err.write(`${this.name}: set: ${a[0]}${c}: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n`);
            return 2;
          }
        }
        continue;
      }
      f.positional = args.slice(i);
      return 0;
    }
    return 0;
  }

  // ---- field splitting and globbing ---------------------------------------------------

}


/** How `set -x` and `set` show a word: bare if it is safe, else in single quotes. */
