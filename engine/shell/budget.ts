/**
 * The budget of one command line: how much work it may do before the simulator stops it.
 *
 * A browser tab has one thread; a learner's `while true; do :; done` or `seq 1000000000`
 * would freeze it. Instead of silent caps scattered over the commands (which ended work
 * with status 0, as if it had finished), the shell gives each command line one Budget:
 * the interpreter charges steps per loop round and per command run (STEP_COSTS; more for a command
 * that reaches the cluster), brace expansion a step per word,
 * `printf` a step per pass over its format, `seq` a step per number, and every command's
 * output its bytes. When the budget runs out, `charge` throws `BudgetExceeded`; the line
 * ends as Ctrl+C ends it: what was printed stays, one `netlab:` line on stderr says why,
 * and the status is 130.
 *
 * Where it lives: `Shell.start` makes one per command line and `Shell.runFrame` one per
 * script run outside a line (`sim.run`, the checker); a script run from inside a line
 * (`sh -c`, `kubectl exec`, `$(…)`) shares the line's. Commands reach it as
 * `ctx.shell.budget`.
 *
 * Paced loops (`while true; do curl …; sleep 1; done` at the terminal) keep working: the
 * budget counts work done without the clock being paced, so it starts afresh each time
 * the terminal resumes the line after a pause (a paced round, a streaming step, the
 * editor). Each stretch of work between two pauses gets the whole budget.
 */

/** The limits, generous enough that no lesson comes near them. */
export const LINE_LIMITS = {
  /** Loop rounds, expansion words, printf passes, seq numbers… */
  steps: 1_000_000,
  /**
   * Bytes written by commands (stdout and stderr, pipes included). A node's iptables-save
   * in a 5,000-Service cluster is 11.2 MB, and each stage of `iptables-save | sort | uniq
   * | wc -l` writes it once more through a pipe: 64 MB lets such a line finish.
   */
  outputBytes: 64_000_000,
  /**
   * Of those, bytes that reach the terminal itself: xterm has to draw them, and more than
   * a few megabytes hold up the tab for seconds. The pipes may carry more.
   */
  terminalBytes: 10_000_000,
} as const;

export interface LineLimits {
  steps: number;
  outputBytes: number;
  terminalBytes?: number;
}

/**
 * What the shell's own work costs in steps. Running a command costs far more than making
 * a word (~15 µs against well under 1 µs), so a loop round and a command are charged ten:
 * `while true; do :; done` stops after ~33,000 rounds, about a second of the tab's time.
 */
export const STEP_COSTS = {
  command: 10,
  loopRound: 10,
  /**
   * Extra for a command that reaches the cluster (kubectl, curl, nslookup, iptables-save…):
   * one costs 0.3–1 ms, so `while true; do kubectl get pods; done` stops after ~3,700 rounds,
   * a second or two, where a charge of ten let it run 15–37 s.
   */
  clusterCommand: 250,
} as const;

/** Thrown by `Budget.charge*` when the line's budget is spent; the shell turns it into the message and status 130. */
export class BudgetExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetExceeded';
  }
}

const thousands = (n: number) => n.toLocaleString('en-US');

export class Budget {
  steps = 0;
  /**
   * Every step the line charged, across the stretches reset() starts afresh: the work the
   * line did, in the units above (Execution.steps shows it; tests pin it instead of timing).
   */
  spent = 0;
  outputBytes = 0;
  terminalBytes = 0;
  /** Set once the budget is spent: the message the shell prints. Further charges throw again. */
  exhausted: string | null = null;
  /** True once the shell has printed `exhausted` (it is printed once per line). */
  reported = false;

  constructor(readonly limits: LineLimits = LINE_LIMITS) {}

  /** `n` units of work (a loop round, a word, a pass). Throws BudgetExceeded when spent. */
  step(n = 1): void {
    this.steps += n;
    this.spent += n;
    if (this.steps > this.limits.steps) this.spend(`netlab: stopped after ${thousands(this.limits.steps)} steps: this command line would not end (press ↑ to edit it)\n`);
    else if (this.exhausted) throw new BudgetExceeded(this.exhausted);
  }

  /** `text` about to be written by a command. Throws BudgetExceeded when spent. */
  output(text: string): void {
    this.outputBytes += text.length;
    if (this.outputBytes > this.limits.outputBytes) this.spend(`netlab: stopped after ${thousands(this.limits.outputBytes)} bytes of output: this command line printed too much (press ↑ to edit it)\n`);
    else if (this.exhausted) throw new BudgetExceeded(this.exhausted);
  }

  /**
   * `text` about to reach the terminal (already charged by output()): how much of it may be
   * shown — all of it, or the whole lines that fit before the limit, after which the line is
   * stopped (the caller writes that part, then calls stopForTerminal()).
   */
  toTerminal(text: string): number {
    const limit = this.limits.terminalBytes ?? LINE_LIMITS.terminalBytes;
    const room = limit - this.terminalBytes;
    if (text.length <= room) {
      this.terminalBytes += text.length;
      return text.length;
    }
    this.terminalBytes = limit;
    return room > 0 ? text.lastIndexOf('\n', room - 1) + 1 : 0;
  }

  /** The terminal's share is spent: stop the line as output() would. */
  stopForTerminal(): never {
    const limit = this.limits.terminalBytes ?? LINE_LIMITS.terminalBytes;
    this.spend(`netlab: stopped after ${thousands(limit)} bytes of output: this command line printed too much (press ↑ to edit it)\n`);
  }

  /** Throws if the budget was spent (a command that caught BudgetExceeded must not hide it). */
  check(): void {
    if (this.exhausted) throw new BudgetExceeded(this.exhausted);
  }

  /** A new stretch of work (the terminal resumed the line after a pause): the counts start again. */
  reset(): void {
    if (this.exhausted) return;
    this.steps = 0;
    this.outputBytes = 0;
    this.terminalBytes = 0;
  }

  private spend(message: string): never {
    this.exhausted ??= message;
    throw new BudgetExceeded(this.exhausted);
  }
}
