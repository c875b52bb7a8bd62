/**
 * The shape every command has (just-bash's `execute(args, ctx)`): a name, a summary for
 * `help` and completion, and `run(args, ctx)` returning what it printed and its status.
 * The context carries everything a command may use, typed — the running cluster, the
 * shell it runs in, the command table — so no command reaches for a global.
 */
import type { ClusterRuntime } from '../controllers/runtime';
import type { AnswerVerdict, CommandOutcome, HostRef, RunResult, SimEvent } from '../types';
import type { Frame } from './interpreter';
import type { Budget } from './budget';
import type { ShellFlavour } from '../hosts/hosts';
import type { JobTable } from './jobs';

export interface CommandSpec {
  name: string;
  /** One line for `help` and completion. */
  summary: string;
  run(args: string[], ctx: CommandContext): CommandOutcome;
  /** Steps each run charges the line's budget beyond STEP_COSTS.command (budget.ts): set for commands that reach the cluster. */
  cost?: number;
  /** Completion candidates for the word being typed (args so far, the last one partial). */
  complete?(args: string[], ctx: CommandContext): string[];
}

/** Every command the engine knows, by name; which of them a host has is hosts.ts's business. */
export interface CommandTable {
  find(name: string): CommandSpec | undefined;
  all(): CommandSpec[];
  /** What runs when a shell entered with `{ exitHook: { name } }` exits (frames keep the name, so it survives a reload). */
  exitHook(name: string): ExitHook | undefined;
}

/** E.g. `kubectl run --rm -it` deleting its pod when the session's shell exits. */
export type ExitHook = (cluster: ClusterRuntime, arg: unknown, exitCode: number) => Partial<RunResult> | void;

export interface HistoryEntry {
  command: string;
  /** The whole line's status (the last pipeline's, as `$?` after it). */
  exitCode: number;
  host: HostRef;
  time: number;
  /**
   * The simple commands the line ran on its own host, in the order they started, each with
   * its own status: `a && b | c; d` gives a, b, c, d; loops and functions give each command
   * they ran; `sh -c`, `bash -c`, `sudo`, `xargs` on the same host give the commands inside
   * too. A command repeated with the same words and argv (a loop) is one record, whose
   * status is 0 if one of its runs succeeded. At most MAX_RUNS_PER_LINE (shell.ts). Absent
   * in entries saved before it existed.
   */
  commands?: SimpleRun[];
}

/** One simple command a history entry ran. */
export interface SimpleRun {
  /** Its words as typed, aliases expanded, without assignments and redirections: `kubectl get pod "$P"`. */
  text: string;
  /** Its words after expansion (argv[0] first), when they differ from `text`: `kubectl get pod web-1`. */
  argv?: string[];
  /** Its status (130 while it has not finished, or when Ctrl+C or the line's budget ended it). */
  exitCode: number;
}

export interface EnterOptions {
  /** How the shell was entered: decides what `exit` prints (`logout`/`Connection … closed.`, kubectl exec's exit-code line; kubectl-attach: a session whose exit hook speaks for kubectl). */
  via?: 'kubectl' | 'kubectl-attach' | 'ssh' | 'shell';
  /** An exit hook from the command table, run after this shell exits (e.g. `kubectl run --rm -it` deleting its pod). */
  exitHook?: { name: string; arg?: unknown };
  /** The container's working directory (defaults to the image's: / in pods). */
  cwd?: string;
  /** The shell program entered (`bash`, `sh`, `zsh`): in an image with several, it decides the prompt. */
  shell?: string;
}

/** The shell a command runs in, as the command sees it. */
export interface ShellSession {
  /** bash on the workstation and nodes, busybox ash in most containers. */
  readonly flavour: ShellFlavour;
  /** The frame of the running command: cwd, variables, aliases, options (`cd`, `export` change it). */
  readonly frame: Frame;
  /** The command `name` as this host has it (undefined: not installed here). */
  lookup(name: string): CommandSpec | undefined;
  /** The running command's standard input as a stream: `read` consumes one line of it. */
  readonly input: { text: string };
  /** `exit N`: unwinds the rest of the running script with status N. */
  exit(code: number): void;
  /** `cd`: moves the running frame (and sets PWD, OLDPWD). */
  setCwd(path: string): void;
  /** The terminal's width (`ls` columns, `watch`'s header). */
  readonly columns: number;
  /**
   * The running command line's budget (budget.ts): a command that loops over its input or
   * its arguments charges `budget.step()` per round; it throws when the line must stop.
   */
  readonly budget: Budget;
  readonly history: HistoryEntry[];
  /** The terminal's background jobs (`jobs`, `fg`, `kill %1`, `wait`); absent where there is no job control. */
  readonly jobs?: JobTable;
  /** Pushes a shell on `host` (`kubectl exec -it POD -- sh`, `ssh node-1`, `sh`). */
  enter(host: HostRef, opts?: EnterOptions): void;
  /** Runs one command line on `host` without entering it; not recorded in history. */
  runIn(host: HostRef, line: string, opts?: { stdin?: string; args?: string[]; argv0?: string; env?: Record<string, string>; deadline?: CommandContext['deadline'] }): RunResult;
  /** Runs argv on `host` as `kubectl exec POD -- ARGV…` does (no shell parsing of the arguments). */
  execIn(host: HostRef, argv: string[], stdin?: string): RunResult;
}

/**
 * A process of a node's table as root there reads /proc (runtime/processes.ts): its PID in the
 * node's PID namespace, its task name, and the Pod sandbox and container holding it.
 */
export interface NodeProcessView {
  pid: number;
  comm: string;
  pod?: { metadata: { uid?: string } };
  container?: string;
}

/** A node's process table, injected by the composition root (commands under net/ cannot import runtime/). */
export type NodeProcessLookup = (node: string) => readonly NodeProcessView[];

export interface CommandContext {
  /** The running cluster: settings, clock, random stream, store, API server, the hosts' files, network agents, logs. */
  cluster: ClusterRuntime;
  shell: ShellSession;
  commands: CommandTable;
  /** Answers to question tasks (`answer TASK VALUE`). */
  answers: Record<string, string>;
  /** Tells the UI something changed that is not an object (an answer). */
  emit(event: SimEvent): void;
  /** The lesson's verdict on a task's recorded answer; undefined where no lesson is loaded (sim, tests). */
  judgeAnswer?(taskId: string): AnswerVerdict | undefined;
  host: HostRef;
  /** The name the command was invoked as (argv[0]). */
  name: string;
  stdin: string;
  env: Record<string, string>;
  cwd: string;
  /** True when a learner is at a terminal (a tty); false in `sim` and the checker. */
  interactive: boolean;
  /**
   * isatty() of each standard stream at an interactive terminal, and whether the shell is one
   * with job control (each foreground command leads its own process group): what nohup and
   * setsid test. Absent where a command runs without an interpreter (no terminal).
   */
  ttys?: { shell: boolean; stdin: boolean; stdout: boolean; stderr: boolean };
  /** Run as root from the node inside this host's network namespace (`ip netns exec`): the Pod's own netfilter tables. */
  netnsExec?: boolean;
  /**
   * The node's process table (runtime/processes.ts), as the composition root wires it: `ss -p`
   * run from the node in a Pod's network namespace (`ip netns exec`, `nsenter -n`) names each
   * socket's processes by their node PIDs. Absent where no simulation built the shell.
   */
  nodeProcesses?: NodeProcessLookup;
  /**
   * Set by `timeout`: the virtual time (ms) its signal arrives. A command that waits (sleep)
   * stops waiting there and sets `hit`, so timeout knows the signal ended it.
   */
  deadline?: { at: number; hit: boolean };
}
