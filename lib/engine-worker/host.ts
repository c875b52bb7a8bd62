/**
 * The engine's side of the worker protocol (protocol.ts): one Simulation, built from a lab's
 * spec or a snapshot, running the commands the page sends and streaming their output back
 * chunk by chunk. Streaming commands (`ping`, `kubectl get -w`, paced loops) are stepped
 * here on timers, so between steps the worker answers anything else the page asks — and
 * runs the other terminals' lines: each terminal (shell session) has at most one line
 * running, and the lines of different terminals run side by side on the one cluster.
 *
 * Pure TypeScript without the DOM: worker.ts wires it to `self`, in-process.ts to a page
 * (or a test) in the same thread.
 */
import { MAX_SESSIONS, SNAPSHOT_VERSION, Simulation, createSimulation, loadScenario, reachability, type Execution, type KubeObject, type SimSnapshot } from '../../engine';
import { checkScenario, checkTasks, exportScenario, isPredict, rebuildOn, recordSolution, type Task } from '../../engine/grading';
import { HOME, homeFiles } from '../files';
import { LESSON_SEED, VIEW_KINDS, type FromEngine, type LabSpec, type Question, type SimView, type TaskResult, type ToEngine } from './protocol';

type Timer = ReturnType<typeof setTimeout>;

/** How often output goes out while a line is still computing. */
const LIVE_OUTPUT_MS = 100;
/**
 * While the lines of a paste follow one another, a view and a snapshot go out at most this
 * often (each costs a few ms to take and to clone, and the page re-renders on every view:
 * 2,000 pasted lines took 15 s when every line sent both).
 */
const PASTE_SETTLE_MS = 1000;
/** A deferred view goes out after this long without a next line (a paste that stopped short). */
const SETTLE_BACKSTOP_MS = 300;

/** A line running in one terminal. */
interface Run {
  id: number;
  session: number;
  exec: Execution;
  stepTimer: Timer | null;
  /** When output was last sent while the line was still computing (monotonic ms). */
  lastLive: number;
  /** More lines of a paste follow this one in its terminal. */
  more: boolean;
}

export class EngineHost {
  sim: Simulation | null = null;
  private gen = 0;
  private spec: LabSpec | null = null;
  /** The line running in each terminal, by session. */
  private runs = new Map<number, Run>();
  private off: (() => void) | null = null;
  /** When a view and snapshot last went out (monotonic ms), and whether one is owed (a paste's lines ran on). */
  private lastSettled = -Infinity;
  private owed = false;
  private backstop: Timer | null = null;

  constructor(
    private readonly send: (message: FromEngine) => void,
    /** Monotonic ms, for how long a restore took. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  handle(m: ToEngine): void {
    switch (m.t) {
      case 'build':
        return this.build(m.gen, m.spec, m.snapshot);
      case 'run':
        return this.run(m.id, m.line, m.advanceMs, m.session ?? 0, m.more === true);
      case 'interrupt':
        return this.interrupt(m.id);
      case 'edit-done':
        return this.editDone(m.id, m.saved);
      case 'advance': {
        const sim = this.sim;
        if (!sim || this.runs.size > 0) return;
        const before = sim.store.revision;
        sim.advance(m.ms);
        if (sim.store.revision !== before) this.settled();
        return;
      }
      case 'write':
        if (!this.sim) return;
        this.sim.fs.write({ kind: 'workstation' }, m.path, m.content);
        return this.settled();
      case 'answer':
        if (!this.sim) return;
        this.sim.answers[m.task] = m.value;
        return this.settled();
      case 'ask':
        return this.send({ t: 'reply', gen: this.gen, id: m.id, value: this.answer(m.q) });
      case 'ping':
        return this.send({ t: 'pong', gen: this.gen, id: m.id });
    }
  }

  // ---- building -----------------------------------------------------------------------

  private build(gen: number, spec: LabSpec, snapshot?: SimSnapshot): void {
    this.stopRun();
    this.owed = false;
    this.clearBackstop();
    this.off?.();
    this.off = null;
    this.sim = null;
    this.gen = gen;
    this.spec = spec;
    if (snapshot) {
      const version = (snapshot as { version?: unknown }).version;
      if (typeof version === 'number' && version > SNAPSHOT_VERSION) return this.send({ t: 'build-failed', gen, failure: { kind: 'newer', version } });
      if (version !== SNAPSHOT_VERSION) return this.send({ t: 'build-failed', gen, failure: { kind: 'older', version } });
    }
    const t0 = this.now();
    let sim: Simulation;
    try {
      sim = snapshot ? Simulation.restore(snapshot, { interactive: true, lineSteps: spec.lineSteps }) : fresh(spec);
    } catch (e) {
      return this.send({ t: 'build-failed', gen, failure: { kind: 'failed', message: (e as Error).message } });
    }
    const ms = this.now() - t0;
    this.sim = sim;
    this.wire(sim, spec);
    this.lastSettled = this.now();
    this.send({ t: 'built', gen, ms, view: this.view(sim), snapshot: sim.snapshot() });
  }

  private wire(sim: Simulation, spec: LabSpec): void {
    const tasks = spec.tasks as Task[];
    // the terminal's `answer` says right or not yet, as the task panel does
    sim.answerJudge = (taskId) => {
      const task = tasks.find((t) => t.id === taskId);
      if (!task) return { kind: 'unknown' };
      if (task.kind !== 'question') return { kind: 'not-question' };
      try {
        const r = checkTasks(sim, [task])[0];
        if (isPredict(task.check)) return { kind: 'prediction', text: (r?.done ? r.note : r?.reason) ?? '' };
        return { kind: 'question', correct: !!r?.done, ...(r?.reason ? { reason: r.reason } : {}) };
      } catch {
        return undefined;
      }
    };
    this.off = sim.on((ev) => {
      if (this.sim !== sim) return;
      const session = ev.type === 'clear' || ev.type === 'context' ? (ev.session ?? 0) : 0;
      if (ev.type === 'clear') this.send({ t: 'event', gen: this.gen, event: 'clear', prompt: sim.prompt(session), session });
      else if (ev.type === 'context') this.send({ t: 'event', gen: this.gen, event: 'context', prompt: ev.prompt, session });
    });
  }

  // ---- what the page reads ------------------------------------------------------------

  private view(sim: Simulation): SimView {
    const objects = {} as SimView['objects'];
    for (const k of VIEW_KINDS) objects[k] = sim.list<KubeObject>(k);
    const files: Record<string, string> = {};
    for (const f of homeFiles(sim)) files[f.path] = sim.fs.read({ kind: 'workstation' }, f.path) ?? '';
    const prompts: string[] = [];
    // every terminal the page may open (one not opened yet shows a fresh login's prompt)
    for (let i = 0; i < MAX_SESSIONS; i++) prompts.push(sim.prompt(i));
    return {
      prompt: prompts[0],
      prompts,
      revision: sim.store.revision,
      settings: sim.settings,
      objects,
      trace: sim.traces[sim.traces.length - 1] ?? null,
      answers: { ...sim.answers },
      historyLength: sim.history.length,
      files,
      results: this.grade(sim),
    };
  }

  private grade(sim: Simulation): TaskResult[] {
    const tasks = (this.spec?.tasks ?? []) as Task[];
    if (tasks.length === 0) return [];
    try {
      return checkTasks(sim, tasks);
    } catch (e) {
      return tasks.map((t) => ({ id: t.id, done: false, reason: `could not check: ${(e as Error).message}` }));
    }
  }

  /**
   * The cluster is at rest (no command running): the page gets its view and a snapshot to
   * save. `lineEnded`: a terminal's line just ended, and its work is saved even while
   * another terminal's line (a watch, a ping) goes on — between two of its steps the
   * cluster is whole, and a reload ends that line as closing a terminal would.
   */
  private settled(lineEnded = false): void {
    const sim = this.sim;
    if (!sim) return;
    if (this.runs.size > 0 && !lineEnded) return this.send({ t: 'view', gen: this.gen, view: this.view(sim) });
    this.owed = false;
    this.clearBackstop();
    this.lastSettled = this.now();
    this.send({ t: 'view', gen: this.gen, view: this.view(sim), snapshot: sim.snapshot() });
  }

  /** A pasted line ended and more follow: the view and snapshot wait for the paste's end, or a second. */
  private settleLater(): void {
    this.owed = true;
    if (this.backstop) return;
    this.backstop = setTimeout(() => {
      this.backstop = null;
      if (this.owed) this.settled(true);
    }, SETTLE_BACKSTOP_MS);
  }

  private clearBackstop(): void {
    if (this.backstop) clearTimeout(this.backstop);
    this.backstop = null;
  }

  private answer(q: Question): unknown {
    const sim = this.sim;
    switch (q.kind) {
      case 'needs-more':
        return sim ? sim.needsMoreInput(q.text) : false;
      case 'complete':
        return sim && validSession(q.session ?? 0) ? sim.complete(q.line, q.cursor, q.session ?? 0) : { from: q.cursor, candidates: [] };
      case 'record':
        return sim ? recordSolution(sim.history, q.since) : null;
      case 'reachability':
        return sim ? reachability(sim, { ...(q.port ? { port: q.port } : {}), ...(q.proto ? { proto: q.proto } : {}) }) : null;
      case 'export':
        return sim ? exportScenario(sim, learnerFiles(sim)) : null;
      case 'rebuild':
        return sim ? rebuildOn(sim, q.dataplane, learnerFiles(sim)) : null;
      case 'check':
        return checkScenario(q.text, LESSON_SEED);
    }
  }

  // ---- running commands ---------------------------------------------------------------

  private run(id: number, line: string, advanceMs: number, session: number, more: boolean): void {
    const sim = this.sim;
    if (!sim || !validSession(session)) return this.send({ t: 'done', gen: this.gen, id, exitCode: 1 });
    this.stopRun(session);
    // Real time passed in the cluster too, so AGE columns move and pods become ready.
    sim.advance(advanceMs);
    const shell = sim.session(session);
    const run: Run = { id, session, exec: null as unknown as Execution, stepTimer: null, lastLive: -Infinity, more };
    shell.onWrite = (exec) => this.written(run, exec);
    let exec: Execution;
    try {
      exec = sim.start(line, session);
    } catch (e) {
      // The engine promises never to throw; if it does, say so instead of freezing.
      this.send({ t: 'out', gen: this.gen, id, chunks: [{ stream: 'stderr', text: `netlab: internal error: ${(e as Error).message}\n` }] });
      return this.sendDone(id, 1);
    }
    run.exec = exec;
    this.runs.set(session, run);
    this.pump(run);
  }

  /**
   * A command wrote while its line is still computing (a loop that prints): what it wrote so
   * far goes out now, at most every LIVE_OUTPUT_MS, so a long line shows its output as it
   * goes. The worker has no other moment to send in the middle of a line: what was written
   * within LIVE_OUTPUT_MS of the last send waits for the next write, or the line's end.
   */
  private written(run: Run, exec: Execution): void {
    const now = this.now();
    if (now - run.lastLive < LIVE_OUTPUT_MS) return;
    run.lastLive = now;
    const chunks = exec.takeOutput();
    if (chunks.length) this.send({ t: 'out', gen: this.gen, id: run.id, chunks, live: true });
  }

  /** Sends what the command printed, then waits for its next step, the editor, or ends it. */
  private pump(run: Run): void {
    const { id, exec } = run;
    const chunks = exec.takeOutput();
    if (chunks.length) this.send({ t: 'out', gen: this.gen, id, chunks });
    if (exec.edit) {
      this.send({ t: 'edit', gen: this.gen, id, path: exec.edit.path, content: exec.edit.content });
      return;
    }
    if (!exec.running) return this.finish(run, exec.exitCode ?? 0);
    // the map follows a streaming command (`kubectl scale` in a paced loop, `kubectl get -w`)
    if (this.sim) this.send({ t: 'view', gen: this.gen, view: this.view(this.sim) });
    run.stepTimer = setTimeout(() => {
      run.stepTimer = null;
      if (this.runs.get(run.session) !== run) return;
      try {
        exec.step();
      } catch (e) {
        exec.interrupt();
        this.send({ t: 'out', gen: this.gen, id, chunks: [{ stream: 'stderr', text: `netlab: internal error: ${(e as Error).message}\n` }] });
      }
      this.pump(run);
    }, Math.max(16, exec.intervalMs));
  }

  private runById(id: number): Run | undefined {
    for (const r of this.runs.values()) if (r.id === id) return r;
    return undefined;
  }

  private interrupt(id: number): void {
    const run = this.runById(id);
    if (!run) return;
    const exec = run.exec;
    if (exec.edit) return this.editDone(id, null);
    clearTimer(run);
    exec.interrupt();
    const chunks = exec.takeOutput();
    if (chunks.length) this.send({ t: 'out', gen: this.gen, id, chunks });
    this.finish(run, exec.exitCode ?? 130);
  }

  private editDone(id: number, saved: string | null): void {
    const run = this.runById(id);
    const exec = run?.exec;
    if (!run || !exec?.edit) return;
    let r;
    try {
      r = exec.edit.finish(saved);
    } catch (e) {
      r = { stdout: '', stderr: `netlab: internal error: ${(e as Error).message}\n`, exitCode: 1 };
    }
    const chunks = exec.takeOutput();
    if (r.stdout) chunks.push({ stream: 'stdout', text: r.stdout });
    if (r.stderr) chunks.push({ stream: 'stderr', text: r.stderr });
    if (chunks.length) this.send({ t: 'out', gen: this.gen, id, chunks });
    // the command launched the editor again (kubectl edit after an invalid edit)
    if (exec.edit) {
      this.send({ t: 'edit', gen: this.gen, id, path: exec.edit.path, content: exec.edit.content });
      return;
    }
    this.finish(run, r.exitCode);
  }

  private finish(run: Run, exitCode: number): void {
    if (this.runs.get(run.session) === run) this.runs.delete(run.session);
    clearTimer(run);
    if (run.more && this.now() - this.lastSettled < PASTE_SETTLE_MS) {
      this.settleLater();
      this.send({ t: 'done', gen: this.gen, id: run.id, exitCode });
    } else this.sendDone(run.id, exitCode);
  }

  private sendDone(id: number, exitCode: number): void {
    this.settled(true);
    this.send({ t: 'done', gen: this.gen, id, exitCode });
  }

  /** Stops the line running in `session` (every terminal's, when unset). */
  private stopRun(session?: number): void {
    for (const [s, run] of [...this.runs]) {
      if (session !== undefined && s !== session) continue;
      this.runs.delete(s);
      clearTimer(run);
      if (run.exec?.running) run.exec.interrupt();
    }
  }
}

function clearTimer(run: Run): void {
  if (run.stepTimer) clearTimeout(run.stepTimer);
  run.stepTimer = null;
}

function validSession(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < MAX_SESSIONS;
}

/** The learner's files under ~, relative to it (what a scenario's `files:` holds). */
function learnerFiles(sim: Simulation): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of homeFiles(sim)) files[f.path.slice(HOME.length + 1)] = sim.fs.read({ kind: 'workstation' }, f.path) ?? '';
  return files;
}

/** A lab's starting cluster: its scenario (with the playground's settings) and its files. */
function fresh(spec: LabSpec): Simulation {
  const scenario = loadScenario(spec.scenario ?? '');
  if (spec.cluster) {
    const cluster = { ...scenario.cluster, ...spec.cluster };
    // the playground's switch decides, whatever the source scenario said
    if (!cluster.kubeProxyReplacement) delete cluster.kubeProxyReplacement;
    scenario.cluster = cluster;
  }
  const sim = createSimulation(scenario, { seed: spec.seed ?? LESSON_SEED, interactive: true, lineSteps: spec.lineSteps });
  for (const [path, content] of Object.entries(spec.files ?? {})) {
    sim.fs.write({ kind: 'workstation' }, path.startsWith('/') ? path : `${HOME}/${path}`, content);
  }
  return sim;
}
