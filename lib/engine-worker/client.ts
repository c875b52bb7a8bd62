/**
 * The page's handle on the engine (running in a Web Worker, worker.ts): builds the lab's
 * cluster, runs command lines with their output streamed back, and keeps what the page
 * reads — the latest SimView and the snapshot taken when the last command settled.
 *
 * Each terminal (shell session) runs one line at a time; lines of different terminals run
 * side by side. A command that stops answering is stopped: while a command runs the page pings the
 * worker every second; no word from it for WATCHDOG_MS, or no end to the command within
 * INTERRUPT_GRACE_MS of a Ctrl+C, and the worker is terminated, a new one is started from
 * the last settled snapshot, and the terminal says so in one line (exit status 130).
 *
 * Written with callbacks rather than promises where it can: with an engine in the same
 * thread (in-process.ts) everything happens at once, as a unit test wants.
 */
import type { EditRequest, OutputChunk, SimSnapshot } from '../../engine';
import type { BuildFailure, EnginePort, FromEngine, LabSpec, Question, SimView } from './protocol';

export const WATCHDOG_MS = 5_000;
export const INTERRUPT_GRACE_MS = 1_000;
const PING_EVERY_MS = 1_000;

export const STOPPED_LINE = 'netlab: the simulator stopped that command and put the cluster back as it was before it\n';
export const watchdogLine = (ms: number) => `netlab: that command did not answer for ${ms / 1000} s, so the simulator stopped it and put the cluster back as it was before it\n`;
export const WATCHDOG_LINE = watchdogLine(WATCHDOG_MS);

/**
 * The watchdog's limit: WATCHDOG_MS, unless the page sets `__netlabWatchdogMs` before the
 * lab starts (the end-to-end suite does, so its runaway need not outlast a fast machine's budget).
 */
function defaultWatchdogMs(): number {
  const v = (globalThis as { __netlabWatchdogMs?: unknown }).__netlabWatchdogMs;
  return typeof v === 'number' && v >= 1000 ? v : WATCHDOG_MS;
}
/**
 * `__netlabLineSteps`, if the page set it before the lab started: the end-to-end suite raises
 * the engine's per-line step budget so its runaway outlasts the watchdog on any machine.
 */
function testLineSteps(): number | undefined {
  const v = (globalThis as { __netlabLineSteps?: unknown }).__netlabLineSteps;
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}
export const CRASHED_LINE = 'netlab: the simulator failed while running that command, so it put the cluster back as it was before it\n';

export interface EngineClientEvents {
  /** A build asked for by build() gave a cluster (restoring took `ms`). */
  built(view: SimView, snapshot: SimSnapshot, ms: number): void;
  buildFailed(failure: BuildFailure): void;
  /** The cluster changed; `settled`: a new snapshot is there to save (no command running). */
  view(view: SimView, settled: boolean): void;
  /** `clear` (the screen) or `context` (the prompt changed), in terminal `session`. */
  event(kind: 'clear' | 'context', session: number): void;
  /** A runaway command was stopped and the worker restarted from the last settled snapshot. */
  restarted?(reason: 'interrupt' | 'watchdog' | 'crash'): void;
}

export interface ClientTiming {
  watchdogMs: number;
  graceMs: number;
  pingEveryMs: number;
  now(): number;
}

/** A command line running in the worker, as the terminal controller sees it (controller.ts ExecutionLike); the worker steps streaming commands itself. */
export class RemoteExecution {
  running = true;
  exitCode: number | null = null;
  edit?: EditRequest;
  /** @internal Set while a Ctrl+C waits for the worker's answer. */
  graceTimer: ReturnType<typeof setTimeout> | null = null;
  private chunks: OutputChunk[] = [];
  private listener: (() => void) | null = null;

  constructor(
    readonly id: number,
    private readonly client: EngineClient,
    /** The terminal it runs in. */
    readonly session = 0,
  ) {}

  takeOutput(): OutputChunk[] {
    const c = this.chunks;
    this.chunks = [];
    return c;
  }

  /** Ctrl+C: the worker interrupts the command (or is stopped, if it does not answer). */
  interrupt(): void {
    if (this.running) this.client.interruptRun(this);
  }

  /** The editor closed (`kubectl edit`): `saved` is the text saved, or null. */
  finishEdit(saved: string | null): void {
    if (!this.edit) return;
    this.edit = undefined;
    this.client.editDone(this, saved);
  }

  /** Calls `fn` now and on every change (output, the editor, the end). */
  watch(fn: () => void): void {
    this.listener = fn;
    fn();
  }

  /** @internal */
  push(chunks: OutputChunk[]): void {
    this.chunks.push(...chunks);
    this.listener?.();
  }

  /** @internal */
  openEditor(path: string, content: string): void {
    // finish() is never called on a remote edit: the terminal calls finishEdit.
    this.edit = { editing: true, path, content, finish: () => ({ stdout: '', stderr: '', exitCode: 0 }) };
    this.listener?.();
  }

  /** @internal */
  end(exitCode: number): void {
    if (!this.running) return;
    this.running = false;
    this.edit = undefined;
    this.exitCode = exitCode;
    this.listener?.();
  }
}

type Pending = { resolve: (v: unknown) => void; fallback: unknown };

export class EngineClient {
  /** What the page shows of the cluster (the latest view the worker sent). */
  view: SimView | null = null;
  /** The cluster after the last settled command: what is saved, and what a stopped command returns to. */
  snapshot: SimSnapshot | null = null;
  private settledView: SimView | null = null;
  private port: EnginePort;
  private gen = 0;
  /** The build the page asked for (not a restart's) is still on its way. */
  private awaitingBuild = false;
  /** A build (the page's, or a restart's) is on its way: the worker is busy, as asked. */
  private buildInFlight = false;
  private spec: LabSpec | null = null;
  /** The line running in each terminal, by session. */
  private runs = new Map<number, RemoteExecution>();
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private syncReplies = new Map<number, unknown>();
  private lastHeard = 0;
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  private disposed = false;
  private readonly timing: ClientTiming;

  constructor(
    private readonly spawn: () => EnginePort,
    private readonly on: EngineClientEvents,
    timing: Partial<ClientTiming> = {},
  ) {
    this.timing = { watchdogMs: defaultWatchdogMs(), graceMs: INTERRUPT_GRACE_MS, pingEveryMs: PING_EVERY_MS, now: () => performance.now(), ...timing };
    this.port = this.open();
  }

  private open(): EnginePort {
    const port = this.spawn();
    port.listen(
      (m) => {
        if (this.port === port) this.receive(m);
      },
      () => {
        if (this.port === port) this.restart('crash');
      },
    );
    return port;
  }

  /** Builds the lab's cluster afresh (`snapshot` unset) or from a save; answers with built or buildFailed. */
  build(spec: LabSpec, snapshot?: SimSnapshot): void {
    this.endRuns();
    const lineSteps = testLineSteps();
    if (lineSteps) spec = { ...spec, lineSteps };
    this.spec = spec;
    this.view = null;
    this.settledView = null;
    this.snapshot = null;
    this.awaitingBuild = true;
    this.buildInFlight = true;
    this.port.post({ t: 'build', gen: ++this.gen, spec, snapshot });
  }

  /**
   * Starts a command line in terminal `session`; `advanceMs` of real time passes in the cluster
   * first. `more`: more lines of a paste follow at once, so the worker need not send a view and
   * snapshot after it.
   */
  start(line: string, advanceMs: number, session = 0, more = false): RemoteExecution {
    const before = this.runs.get(session);
    if (before) this.endRun(before);
    const exec = new RemoteExecution(this.nextId++, this, session);
    this.runs.set(session, exec);
    if (!this.watchTimer) {
      this.lastHeard = this.timing.now();
      this.watchTimer = setInterval(() => this.checkAlive(), this.timing.pingEveryMs);
    }
    this.port.post({ t: 'run', id: exec.id, line, advanceMs, ...(session ? { session } : {}), ...(more ? { more } : {}) });
    return exec;
  }

  /** A line is running in some terminal (`session`: in that one). */
  running(session?: number): boolean {
    return session === undefined ? this.runs.size > 0 : this.runs.has(session);
  }

  /** Asks the worker something; the answer at once if it came at once (in-process), else a promise. */
  ask<T>(q: Question, fallback: T): T | Promise<T> {
    const id = this.nextId++;
    this.port.post({ t: 'ask', id, q });
    if (this.syncReplies.has(id)) {
      const v = this.syncReplies.get(id) as T;
      this.syncReplies.delete(id);
      return v;
    }
    return new Promise<T>((resolve) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, fallback }));
  }

  advance(ms: number): void {
    if (ms > 0 && this.runs.size === 0) this.port.post({ t: 'advance', ms });
  }

  /** Writes a file on the workstation; the page's view has it at once. */
  write(path: string, content: string): void {
    if (this.view) this.view = { ...this.view, files: sortFiles({ ...this.view.files, [path]: content }) };
    this.port.post({ t: 'write', path, content });
  }

  setAnswer(task: string, value: string): void {
    if (this.view) this.view = { ...this.view, answers: { ...this.view.answers, [task]: value } };
    this.port.post({ t: 'answer', task, value });
  }

  /** @internal RemoteExecution.interrupt */
  interruptRun(exec: RemoteExecution): void {
    if (this.runs.get(exec.session) !== exec || exec.graceTimer) return;
    this.port.post({ t: 'interrupt', id: exec.id });
    exec.graceTimer = setTimeout(() => {
      exec.graceTimer = null;
      if (this.runs.get(exec.session) === exec && exec.running) this.restart('interrupt');
    }, this.timing.graceMs);
  }

  /** @internal RemoteExecution.finishEdit */
  editDone(exec: RemoteExecution, saved: string | null): void {
    if (this.runs.get(exec.session) !== exec) return;
    this.lastHeard = this.timing.now();
    this.port.post({ t: 'edit-done', id: exec.id, saved });
  }

  dispose(): void {
    this.disposed = true;
    this.endRuns();
    this.port.terminate();
  }

  // ---- what the worker says -----------------------------------------------------------

  private receive(m: FromEngine): void {
    if (!(m.t === 'out' && m.live)) this.lastHeard = this.timing.now();
    if (m.gen !== this.gen) return;
    switch (m.t) {
      case 'built': {
        this.buildInFlight = false;
        this.view = m.view;
        this.settledView = m.view;
        this.snapshot = m.snapshot;
        if (this.awaitingBuild) {
          this.awaitingBuild = false;
          this.on.built(m.view, m.snapshot, m.ms);
        } else this.on.view(m.view, false);
        return;
      }
      case 'build-failed':
        this.awaitingBuild = false;
        this.buildInFlight = false;
        this.on.buildFailed(m.failure);
        return;
      case 'view':
        this.view = m.view;
        if (m.snapshot) {
          this.snapshot = m.snapshot;
          this.settledView = m.view;
        }
        this.on.view(m.view, !!m.snapshot);
        return;
      case 'event': {
        const session = m.session ?? 0;
        if (this.view) {
          const prompts = [...(this.view.prompts ?? [this.view.prompt])];
          prompts[session] = m.prompt;
          this.view = { ...this.view, prompt: prompts[0] ?? this.view.prompt, prompts };
        }
        this.on.event(m.event, session);
        return;
      }
      case 'out':
        this.runById(m.id)?.push(m.chunks);
        return;
      case 'edit':
        this.runById(m.id)?.openEditor(m.path, m.content);
        return;
      case 'done': {
        const exec = this.runById(m.id);
        if (!exec) return;
        this.endRun(exec);
        exec.end(m.exitCode);
        return;
      }
      case 'reply': {
        const p = this.pending.get(m.id);
        if (p) {
          this.pending.delete(m.id);
          p.resolve(m.value);
        } else this.syncReplies.set(m.id, m.value);
        return;
      }
      case 'pong':
        return;
    }
  }

  private runById(id: number): RemoteExecution | undefined {
    for (const r of this.runs.values()) if (r.id === id) return r;
    return undefined;
  }

  private checkAlive(): void {
    if (this.runs.size === 0) return this.endRuns();
    // the editor is open (the learner is taking the time), or the command waits behind a
    // restore: the worker is busy doing what it was asked
    if ([...this.runs.values()].every((r) => r.edit) || this.buildInFlight) {
      this.lastHeard = this.timing.now();
      return;
    }
    if (this.timing.now() - this.lastHeard > this.timing.watchdogMs) return this.restart('watchdog');
    this.port.post({ t: 'ping', id: this.nextId++ });
  }

  /** Forgets a terminal's line (it ended); the watchdog rests when no line runs. */
  private endRun(exec: RemoteExecution): void {
    if (exec.graceTimer) clearTimeout(exec.graceTimer);
    exec.graceTimer = null;
    if (this.runs.get(exec.session) === exec) this.runs.delete(exec.session);
    if (this.runs.size === 0 && this.watchTimer) {
      clearInterval(this.watchTimer);
      this.watchTimer = null;
    }
  }

  private endRuns(): void {
    for (const r of [...this.runs.values()]) this.endRun(r);
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = null;
  }

  /**
   * Stops the worker (a runaway command, or it crashed) and starts a new one on the last
   * settled snapshot; the running command ends with one line saying so, and a line running
   * in another terminal ends too (its worker is gone), with the same line.
   */
  private restart(reason: 'interrupt' | 'watchdog' | 'crash'): void {
    if (this.disposed) return;
    const execs = [...this.runs.values()];
    this.endRuns();
    this.port.terminate();
    for (const p of this.pending.values()) p.resolve(p.fallback);
    this.pending.clear();
    this.port = this.open();
    const spec = this.spec;
    if (spec) {
      this.gen++;
      this.buildInFlight = true;
      if (this.snapshot) {
        this.view = this.settledView;
        this.port.post({ t: 'build', gen: this.gen, spec, snapshot: this.snapshot });
      } else {
        // it never got as far as a cluster: build the lab again as asked
        this.awaitingBuild = true;
        this.port.post({ t: 'build', gen: this.gen, spec });
      }
    }
    this.on.restarted?.(reason);
    for (const exec of execs) {
      exec.push([{ stream: 'stderr', text: reason === 'interrupt' ? STOPPED_LINE : reason === 'watchdog' ? watchdogLine(this.timing.watchdogMs) : CRASHED_LINE }]);
      exec.end(130);
    }
    if (this.view) this.on.view(this.view, false);
  }
}

function sortFiles(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
