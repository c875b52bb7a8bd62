/**
 * A lab without React: one simulation plus what a reload must bring back (terminal history
 * and transcript, task status, hints and solutions revealed, the open file), persisted per
 * lab (lib/persistence.ts), graded after every command and save. useLab.ts wraps it; the
 * browser (localStorage, animation frames, focus) comes in through LabEnv.
 */
import type { EditRequest, SimSnapshot, Simulation, SimulationOptions } from '@/engine';
import type { ControllerHooks, ShellBackend, TerminalController } from '@/components/terminal/controller';
import {
  loadSave,
  newTabId,
  peekHeader,
  recordKey,
  removeSave,
  sweepOldVersions,
  updateProgress,
  writeSave,
  type KeyValueStore,
  type WorkspaceSave,
} from '../../lib/persistence';
import type { EngineModule } from './engine';
import type { LabTask, LabTaskResult, Notice, WorkspaceTab } from './types';

export const LESSON_SEED = 1;

export interface LabOptions {
  /** Storage id: the lesson's slug, or `playground`. */
  id: string;
  /** Builds the lab's starting simulation (a lesson's scenario and seed files, or the playground's). */
  create: (engine: EngineModule, options: SimulationOptions) => Simulation;
  tasks: LabTask[];
  grade?: (engine: EngineModule, sim: Simulation, tasks: LabTask[]) => LabTaskResult[];
  /** Extra state saved with the lab (the playground's settings and recording). */
  getExtra?: () => Record<string, unknown> | undefined;
  onRestoreExtra?: (extra: Record<string, unknown> | undefined) => void;
}

export interface PendingEdit {
  edit: EditRequest;
  done: (saved: string | null) => void;
}

/** What the page shows; a new object on every change (LabSession.getSnapshot). */
export interface LabState {
  sim: Simulation | null;
  /** Changes whenever the simulation is replaced (reset, load from another tab). */
  generation: number;
  error: string | null;
  terminalInit: { history: string[]; transcript: string };
  results: LabTaskResult[];
  hints: Record<string, number>;
  solutions: string[];
  notices: Notice[];
  conflict: boolean;
  completedNow: boolean;
  tab: WorkspaceTab;
  openFile: string | undefined;
  pendingEdit: PendingEdit | null;
  /** Bumps on every change of cluster objects (the map listens). */
  objectsRev: number;
  /** Bumps on every file write (the editor's file list listens). */
  filesRev: number;
}

/** What the page can do; each is a stable function (safe to pass as a prop or a dependency). */
export interface LabActions {
  setTab(t: WorkspaceTab): void;
  setOpenFile(path: string | undefined): void;
  attachTerminal(c: TerminalController | null): void;
  /** The terminal is on screen: build the cluster now. */
  terminalOpened(): void;
  terminalHooks: ControllerHooks;
  backend: ShellBackend;
  /** Pastes a command into the terminal (the <Try> buttons) and focuses it. */
  paste(command: string, run?: boolean): void;
  revealHint(taskId: string): void;
  revealSolution(taskId: string): void;
  answer(taskId: string, value: string): void;
  saveFile(path: string, content: string): void;
  reset(): void;
  loadLatest(): void;
  keepMine(): void;
  dismissNotice(id: string): void;
  regradeAndSave(): void;
}

/** The terminal as the session uses it (components/terminal/controller.ts). */
type Terminal = Pick<TerminalController, 'busy' | 'getHistory' | 'getTranscript' | 'clearScreen' | 'refreshPrompt' | 'paste'>;

/** The browser, as far as a lab needs it. Only openStore and loadEngine are required. */
export interface LabEnv {
  /** The store saves go to (persistence's browserStore: localStorage), or null when nothing can be saved. Called by start(). */
  openStore(): KeyValueStore | null;
  /** Loads the engine (./engine.ts loadEngine, a lazy chunk). */
  loadEngine(): Promise<EngineModule>;
  /** Runs `fn` at the next animation frame (requestAnimationFrame). Default: a 16 ms timer. */
  frame?(fn: () => void): void;
  /** The page is visible (document.visibilityState); the cluster clock only catches up then. Default: always. */
  visible?(): boolean;
  /** Focuses the terminal's input (after a paste, after `kubectl edit` saved). Default: nothing. */
  focusTerminal?(): void;
  /** A cluster was built and installed (performance.mark for the end-to-end timings). Default: nothing. */
  labReady?(): void;
  /** An id for this tab's writes. Default: persistence's newTabId. */
  newTabId?(): string;
  /** Wall-clock ms for savedAt and the progress index. Default: Date.now. */
  now?(): number;
  /** Monotonic ms the cluster clock catches up with. Default: performance.now. */
  monotonic?(): number;
}

const MAX_CATCH_UP_MS = 6 * 3600_000;

function noticeId(): string {
  return Math.random().toString(36).slice(2);
}

export class LabSession implements LabActions {
  private opts: LabOptions;
  private readonly env: Required<LabEnv>;
  private state: LabState = {
    sim: null,
    generation: 0,
    error: null,
    terminalInit: { history: [], transcript: '' },
    results: [],
    hints: {},
    solutions: [],
    notices: [],
    conflict: false,
    completedNow: false,
    tab: 'terminal',
    openFile: undefined,
    pendingEdit: null,
    objectsRev: 0,
    filesRev: 0,
  };
  private readonly listeners = new Set<() => void>();
  private engine: EngineModule | null = null;
  private term: Terminal | null = null;
  private store: KeyValueStore | null = null;
  private tabId = '';
  /** The record's sequence number this tab last wrote or loaded (the last-writer check). */
  private seq = 0;
  /** When (monotonic ms) the cluster clock last caught up with real time. */
  private lastSync = 0;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private pendingBuild: { run: () => void; timer: ReturnType<typeof setTimeout> } | null = null;
  private clockTimer: ReturnType<typeof setInterval> | null = null;
  private running = false;

  constructor(opts: LabOptions, env: LabEnv) {
    this.opts = opts;
    this.env = {
      frame: (fn) => void setTimeout(fn, 16),
      visible: () => true,
      focusTerminal: () => {},
      labReady: () => {},
      newTabId,
      now: () => Date.now(),
      monotonic: () => performance.now(),
      ...env,
    };
  }

  // ---- the store protocol (useSyncExternalStore) --------------------------------------

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): LabState => this.state;

  /** Merges `patch` into the state and tells the listeners, unless nothing changed. */
  private set(patch: Partial<LabState>): void {
    const keys = Object.keys(patch) as (keyof LabState)[];
    if (keys.every((k) => Object.is(this.state[k], patch[k]))) return;
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }

  /** The caller's options change on every render (new closures): the latest are used. */
  setOptions(opts: LabOptions): void {
    this.opts = opts;
  }

  private addNotice(tone: Notice['tone'], text: string): void {
    this.set({ notices: [...this.state.notices.filter((x) => x.text !== text), { id: noticeId(), tone, text }] });
  }

  // ---- life cycle ---------------------------------------------------------------------

  /** Opens the store, reports what it could not keep, and loads (or starts) the lab. */
  start(): void {
    this.running = true;
    this.tabId = this.env.newTabId();
    const store = this.env.openStore();
    this.store = store;
    if (!store) {
      this.addNotice('warn', 'This browser is not letting Netlab save anything, so progress will not survive a reload.');
    } else {
      const swept = sweepOldVersions(store);
      if (swept > 0) this.addNotice('info', 'Progress saved by an older version of Netlab was cleared; labs start fresh.');
    }
    this.loadFromStorage();
  }

  /** Writes a pending save now and stops the clock (the page is going away). */
  stop(): void {
    this.running = false;
    this.flush();
    this.watchClock(null);
  }

  /** Writes a pending (debounced) save now: the page is being hidden or closed. */
  readonly flush = (): void => {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
      this.persist();
    }
  };

  /** A `storage` event: another tab wrote this lab's record, so this tab stops saving. */
  readonly storageChanged = (key: string | null, newValue: string | null): void => {
    if (key !== recordKey(this.opts.id)) return;
    let writer: string | null = null;
    if (newValue) {
      try {
        writer = (JSON.parse(newValue) as { writer?: string }).writer ?? null;
      } catch {
        writer = null;
      }
    }
    if (writer === this.tabId) return;
    this.set({ conflict: true });
  };

  // ---- grading and saving -------------------------------------------------------------

  private grade(): LabTaskResult[] {
    const sim = this.state.sim;
    const { tasks, grade } = this.opts;
    const engine = this.engine;
    if (!sim || !engine || !grade || tasks.length === 0) return [];
    try {
      return grade(engine, sim, tasks);
    } catch (e) {
      return tasks.map((t) => ({ id: t.id, done: false, reason: `could not check: ${(e as Error).message}` }));
    }
  }

  private persist(force = false): void {
    const store = this.store;
    const sim = this.state.sim;
    if (!store || !sim) return;
    if (this.state.conflict && !force) return;
    const id = this.opts.id;
    const term = this.term;
    const s = this.state;
    const taskMap: Record<string, boolean> = {};
    for (const r of s.results) taskMap[r.id] = r.done;
    const out = writeSave<SimSnapshot>(
      store,
      {
        id,
        writer: this.tabId,
        snapshot: sim.snapshot(),
        history: term?.getHistory() ?? [],
        transcript: term?.getTranscript() ?? '',
        tasks: taskMap,
        hints: s.hints,
        solutions: s.solutions,
        openFile: s.openFile,
        extra: this.opts.getExtra?.(),
      },
      this.seq,
      this.env.now(),
      force,
    );
    if (out.ok) {
      this.seq = out.seq;
      const total = this.opts.tasks.length;
      const done = s.results.filter((r) => r.done).length;
      updateProgress(store, id, { done, total, completed: total > 0 && done === total }, this.env.now());
    } else if (out.reason === 'conflict') {
      this.set({ conflict: true });
    } else {
      this.addNotice('warn', out.message);
    }
  }

  private schedulePersist(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.persist();
    }, 250);
  }

  private regrade(): void {
    const prev = this.state.results;
    const next = this.grade();
    const wasDone = prev.length > 0 && prev.every((r) => r.done);
    const isDone = next.length > 0 && next.every((r) => r.done);
    let completedNow = this.state.completedNow;
    if (isDone && !wasDone && prev.length > 0) completedNow = true;
    if (!isDone) completedNow = false;
    this.set({ results: next, completedNow });
  }

  readonly regradeAndSave = (): void => {
    this.regrade();
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    this.persist();
  };

  // ---- building the simulation --------------------------------------------------------

  private wire(sim: Simulation): void {
    let framePending = false;
    sim.on((ev) => {
      if (this.state.sim !== sim) return;
      if (ev.type === 'objects') {
        if (!framePending) {
          framePending = true;
          this.env.frame(() => {
            framePending = false;
            this.set({ objectsRev: this.state.objectsRev + 1 });
          });
        }
      } else if (ev.type === 'files') {
        this.set({ filesRev: this.state.filesRev + 1 });
      } else if (ev.type === 'clear') {
        this.term?.clearScreen();
      } else if (ev.type === 'context') {
        this.term?.refreshPrompt();
      }
    });
  }

  private fresh(): Simulation | null {
    try {
      const sim = this.opts.create(this.engine!, { seed: LESSON_SEED, interactive: true });
      this.set({ error: null });
      return sim;
    } catch (e) {
      this.set({ error: `This lab's scenario could not be loaded: ${(e as Error).message}` });
      return null;
    }
  }

  private install(sim: Simulation | null, save: WorkspaceSave<SimSnapshot> | null): void {
    this.set({
      sim,
      hints: save?.hints ?? {},
      solutions: save?.solutions ?? [],
      openFile: save?.openFile,
      results: [],
      pendingEdit: null,
      completedNow: false,
    });
    if (sim) this.wire(sim);
    this.lastSync = this.env.monotonic();
    if (save) this.opts.onRestoreExtra?.(save.extra);
    // Grade the restored state silently (no "complete" moment for a lesson done earlier).
    this.set({ results: this.grade() });
    this.watchClock(sim);
    if (sim) this.env.labReady();
  }

  /**
   * Time passes while the learner reads: every few seconds (page visible, no command
   * running) the cluster's clock catches up with real time, so Pods become ready and the
   * map and task checks follow, as they would on a real cluster.
   */
  private watchClock(sim: Simulation | null): void {
    if (this.clockTimer) clearInterval(this.clockTimer);
    this.clockTimer = null;
    if (!sim || !this.running) return;
    this.clockTimer = setInterval(() => {
      if (!this.env.visible() || this.state.sim !== sim || this.term?.busy) return;
      const now = this.env.monotonic();
      const elapsed = Math.round(now - this.lastSync);
      if (elapsed < 1000) return;
      this.lastSync = now;
      const before = sim.store.revision;
      sim.advance(Math.min(elapsed, MAX_CATCH_UP_MS));
      if (sim.store.revision !== before) {
        this.regrade();
        this.schedulePersist();
      }
    }, 2000);
  }

  /**
   * Builds the simulation once the terminal is on screen (or after a short wait): the
   * terminal takes keystrokes at once and runs them when the cluster is ready.
   */
  private schedule(build: () => void): void {
    if (this.pendingBuild) clearTimeout(this.pendingBuild.timer);
    const run = () => {
      if (this.pendingBuild?.run !== run) return;
      clearTimeout(this.pendingBuild.timer);
      this.pendingBuild = null;
      this.env.loadEngine().then(
        (engine) => {
          this.engine = engine;
          build();
        },
        (e: Error) => this.set({ error: `The simulator could not be loaded: ${e.message}. Reload the page to try again.` }),
      );
    };
    this.pendingBuild = { run, timer: setTimeout(run, 600) };
  }

  readonly terminalOpened = (): void => {
    const p = this.pendingBuild;
    // Let the browser paint the terminal before the (CPU-bound) cluster build.
    if (p) this.env.frame(() => setTimeout(p.run, 0));
  };

  /** Shows a (re)mounted terminal for this state, clears the old simulation. */
  private showTerminal(init: { history: string[]; transcript: string }): void {
    this.set({ sim: null, terminalInit: init, generation: this.state.generation + 1 });
    this.watchClock(null);
  }

  /** Loads what storage holds for this lab (or starts fresh), with notices for anything unusable. */
  private loadFromStorage(): void {
    const store = this.store;
    const id = this.opts.id;
    const history = this.term?.getHistory() ?? [];
    const r = store ? loadSave<SimSnapshot>(store, id) : ({ status: 'none' } as const);
    if (r.status === 'reset') {
      this.addNotice('warn', `Your saved progress for this lab could not be restored (${r.reason}), so the lab was reset.`);
    }
    if (r.status === 'ok' && store) {
      const save = r.save;
      this.seq = save.seq;
      this.showTerminal({ history: save.history, transcript: save.transcript });
      this.schedule(() => {
        const engine = this.engine!;
        if ((save.snapshot as { version?: number }).version !== engine.SNAPSHOT_VERSION) {
          removeSave(store, id);
          this.addNotice('warn', 'Your saved progress for this lab came from an older version of Netlab, so the lab was reset.');
          this.install(this.fresh(), null);
          return;
        }
        let sim: Simulation | null = null;
        try {
          sim = engine.Simulation.restore(save.snapshot, { interactive: true });
        } catch (e) {
          removeSave(store, id);
          this.addNotice('warn', `Your saved cluster could not be restored (${(e as Error).message}), so the lab was reset.`);
          this.install(this.fresh(), null);
          return;
        }
        this.install(sim, save);
      });
      return;
    }
    if (store) this.seq = peekHeader(store, id)?.seq ?? 0;
    this.showTerminal({ history, transcript: '' });
    this.schedule(() => this.install(this.fresh(), null));
  }

  // ---- terminal -----------------------------------------------------------------------

  readonly backend: ShellBackend = {
    prompt: () => this.state.sim?.prompt() ?? '$ ',
    needsMoreInput: (t: string) => this.state.sim?.needsMoreInput(t) ?? false,
    complete: (line: string, cursor: number) => this.state.sim?.complete(line, cursor) ?? { from: cursor, candidates: [] },
    start: (line: string) => this.state.sim!.start(line),
  };

  readonly terminalHooks: ControllerHooks = {
    beforeRun: () => {
      // Real time passes in the cluster too, so AGE columns move and pods become ready.
      const now = this.env.monotonic();
      const elapsed = Math.round(now - this.lastSync);
      this.lastSync = now;
      this.state.sim?.advance(Math.min(elapsed, MAX_CATCH_UP_MS));
    },
    afterRun: () => {
      this.lastSync = this.env.monotonic();
      this.regradeAndSave();
    },
    openEditor: (edit: EditRequest, done: (saved: string | null) => void) => {
      this.set({
        pendingEdit: {
          edit,
          done: (saved) => {
            this.set({ pendingEdit: null, tab: 'terminal' });
            done(saved);
            setTimeout(() => {
              if (this.term) this.env.focusTerminal();
            }, 0);
          },
        },
        tab: 'editor',
      });
    },
    historyChanged: () => this.schedulePersist(),
    transcriptChanged: () => this.schedulePersist(),
  };

  readonly attachTerminal = (c: Terminal | null): void => {
    this.term = c;
  };

  readonly paste = (command: string, run = false): void => {
    this.set({ tab: 'terminal' });
    const t = this.term;
    if (!t) return;
    t.paste(run ? command + '\n' : command);
    setTimeout(() => this.env.focusTerminal(), 0);
  };

  readonly setTab = (tab: WorkspaceTab): void => {
    this.set({ tab });
  };

  // ---- tasks --------------------------------------------------------------------------

  readonly revealHint = (taskId: string): void => {
    const task = this.opts.tasks.find((t) => t.id === taskId);
    const cur = this.state.hints[taskId] ?? 0;
    if (!task || cur >= task.hints.length) return;
    this.set({ hints: { ...this.state.hints, [taskId]: cur + 1 } });
    this.schedulePersist();
  };

  readonly revealSolution = (taskId: string): void => {
    if (this.state.solutions.includes(taskId)) return;
    this.set({ solutions: [...this.state.solutions, taskId] });
    this.schedulePersist();
  };

  readonly answer = (taskId: string, value: string): void => {
    const sim = this.state.sim;
    if (!sim) return;
    sim.answers[taskId] = value.trim();
    this.regradeAndSave();
  };

  readonly saveFile = (path: string, content: string): void => {
    const sim = this.state.sim;
    if (!sim) return;
    sim.fs.write({ kind: 'workstation' }, path, content);
    this.regradeAndSave();
  };

  readonly setOpenFile = (path: string | undefined): void => {
    this.set({ openFile: path });
    this.schedulePersist();
  };

  // ---- reset and other tabs -----------------------------------------------------------

  readonly reset = (): void => {
    const store = this.store;
    const id = this.opts.id;
    if (store) removeSave(store, id);
    this.seq = store ? (peekHeader(store, id)?.seq ?? 0) : 0;
    this.set({ conflict: false });
    // The command history (Up arrow) is the learner's, not the lab's: it survives a reset.
    this.showTerminal({ history: this.term?.getHistory() ?? [], transcript: '' });
    this.set({ tab: 'terminal' });
    this.schedule(() => {
      this.install(this.fresh(), null);
      // Save the fresh state right away so other tabs and the course map see the reset.
      setTimeout(() => this.persist(true), 0);
    });
  };

  readonly loadLatest = (): void => {
    this.set({ conflict: false });
    this.loadFromStorage();
  };

  readonly keepMine = (): void => {
    this.set({ conflict: false });
    this.persist(true);
  };

  readonly dismissNotice = (id: string): void => {
    this.set({ notices: this.state.notices.filter((x) => x.id !== id) });
  };
}
