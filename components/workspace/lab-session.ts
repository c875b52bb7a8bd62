/**
 * A lab without React: one simulation (in the engine's Web Worker, reached through
 * lib/engine-worker/client.ts) plus what a reload must bring back (terminal history
 * and transcript, task status, hints and solutions revealed, the open file), persisted per
 * lab (lib/persistence.ts), graded after every command and save. useLab.ts wraps it; the
 * browser (localStorage, animation frames, focus) comes in through LabEnv.
 *
 * The page holds no Simulation: it reads the SimView the worker sends after every change
 * (the map's objects, the files under ~, the task results) and saves the snapshot taken
 * when the last command settled. A command that runs away is stopped there (Ctrl+C or the
 * watchdog) and the cluster comes back as it was before it.
 *
 * Opening a lab never depends on its save being good: a save that is damaged, from
 * another version, throws while restoring or takes longer than RESTORE_BUDGET_MS is kept
 * aside for download and the lab opens on its scenario; a restore that hung or crashed
 * the tab leaves a boot marker the next load finds; a newer build's save is left alone
 * and not overwritten. Each case shows a notice.
 */
import type { EditRequest, ReachabilityMatrix, SimSnapshot } from '@/engine';
import type { ControllerHooks, ShellBackend, TerminalController } from '@/components/terminal/controller';
import type { EngineClient } from '../../lib/engine-worker/client';
import type { BuildFailure, EngineKit, LabSpec, SimView } from '../../lib/engine-worker/protocol';
import type { Dataplane, Rebuild, ScenarioCheck } from '../../engine/grading';
import {
  RESTORE_BUDGET_MS,
  SAVE_CAP_CHARS,
  bootFailed,
  clearBoot,
  discardKept,
  draftsKey,
  formatSize,
  headKey,
  keepAside,
  loadSave,
  markBoot,
  newTabId,
  newerRecordFor,
  readHead,
  readKept,
  recordKey,
  removeSave,
  savedTerminals,
  sweepOldVersions,
  updateProgress,
  writeSave,
  type KeyValueStore,
  type SavedTerminal,
  type WorkspaceSave,
} from '../../lib/persistence';
import { HOME } from '../../lib/files';
import type { LabTask, LabTaskResult, Notice, WorkspaceTab } from './types';

export { LESSON_SEED } from '../../lib/engine-worker/protocol';

export interface LabOptions {
  /** Storage id: the lesson's slug, or `playground`. */
  id: string;
  /** What the lab's starting cluster is built from (a lesson's scenario and seed files, or the playground's); read at each build. */
  spec: () => Omit<LabSpec, 'tasks'>;
  /** Graded in the worker after every change. */
  tasks: LabTask[];
  /** Extra state saved with the lab (the playground's settings and recording). */
  getExtra?: () => Record<string, unknown> | undefined;
  onRestoreExtra?: (extra: Record<string, unknown> | undefined) => void;
}

export interface PendingEdit {
  edit: EditRequest;
  done: (saved: string | null) => void;
}

/**
 * A save this lab cannot use, held for the learner: `kept` — set aside (damaged, from an
 * older version, or its restore failed) and downloadable until deleted; `newer` — written
 * by a newer build, left where it is and not overwritten until the learner says so.
 */
/** What a terminal shows when it is (re)mounted: its command history (↑, Ctrl+R) and its screen. */
export interface TerminalInit {
  history: string[];
  transcript: string;
}

/** How many terminal tabs a lab may have open (the engine's MAX_SESSIONS). */
export const MAX_TERMINALS = 4;

export interface HeldSave {
  kind: 'kept' | 'newer';
  /** The notice, in full. */
  text: string;
  /** Its size in characters. */
  chars: number;
}

/**
 * After a restore, the boot marker is cleared once the lab has run: its first clock
 * catch-up or command, the page being hidden, or at the latest after this long.
 * persistence's BOOT_STALE_MS must exceed RESTORE_BUDGET_MS plus this.
 */
export const BOOT_SETTLE_MS = 2_500;

/** What the page shows; a new object on every change (LabSession.getSnapshot). */
export interface LabState {
  /** What the page reads of the cluster (the worker's latest SimView); null while it is being built. */
  sim: SimView | null;
  /** Changes whenever the simulation is replaced (reset, load from another tab). */
  generation: number;
  error: string | null;
  /** The first terminal's (session 0) init. */
  terminalInit: TerminalInit;
  /**
   * The terminal tabs open, by shell session (0 is always there): each its own shell on the
   * one cluster. `terminalInits[n]` is what terminal n shows when mounted.
   */
  terminals: number[];
  terminalInits: Record<number, TerminalInit>;
  /** The terminal shown in the Terminal tab. */
  activeTerminal: number;
  results: LabTaskResult[];
  hints: Record<string, number>;
  solutions: string[];
  notices: Notice[];
  conflict: boolean;
  completedNow: boolean;
  tab: WorkspaceTab;
  openFile: string | undefined;
  pendingEdit: PendingEdit | null;
  heldSave: HeldSave | null;
  /** Bumps on every change of cluster objects (the map listens). */
  objectsRev: number;
  /** Bumps on every file write (the editor's file list listens). */
  filesRev: number;
  /**
   * The editor's unsaved buffers: absolute path → text. Every command line sees them:
   * they are written to the workstation's files just before it runs (flushDrafts).
   */
  drafts: Record<string, string>;
  /** What the last automatic save wrote, and for which command (the editor says so). */
  autoSaved: { files: string[]; command: string } | null;
}

/** What bringing a solution's files did: written fresh, replaced (the learner's copy kept as `.bak`), or already there. */
export interface BroughtFile {
  name: string;
  outcome: 'created' | 'replaced' | 'same';
  backup?: string;
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
  /** Terminal `session`'s link to its shell (session 0's is backend, terminalHooks, attachTerminal). */
  terminalFor(session: number): TerminalLink;
  /** Opens another terminal tab on the same cluster (a new shell session) and shows it; returns its session, or null at MAX_TERMINALS. */
  openTerminal(): number | null;
  /** Closes terminal `session` (not the first): its running line is stopped (Ctrl+C). */
  closeTerminal(session: number): void;
  /** Shows terminal `session` in the Terminal tab. */
  showTerminalTab(session: number): void;
  /** Pastes a command into the terminal shown (the <Try> buttons) and focuses it. */
  paste(command: string, run?: boolean): void;
  /** Keys for the terminal shown, as its keyboard would send them (the phone's extra-keys row: Tab, Ctrl-C, arrows …). */
  typeKeys(data: string): void;
  revealHint(taskId: string): void;
  revealSolution(taskId: string): void;
  answer(taskId: string, value: string): void;
  saveFile(path: string, content: string): void;
  /** The editor's buffer for `path` changed; null (or the saved text) means nothing unsaved. */
  setDraft(path: string, text: string | null): void;
  /** Writes every unsaved buffer to the files now; returns the paths written. */
  flushDrafts(): string[];
  /**
   * Opens `name` (relative to ~) in the editor holding `content`: a new file is created;
   * an existing file with other text keeps it on disk and gets `content` as an unsaved
   * buffer (undo in the editor brings the learner's text back).
   */
  openInEditor(name: string, content: string): void;
  /**
   * A reference solution's files, for a command about to be pasted: each file the command
   * names is written (a different existing one is kept beside it as NAME.bak first).
   */
  bringFiles(files: Record<string, string>, command: string): BroughtFile[];
  reset(): void;
  /** The playground's recorder: the commands run since history entry `since`, as a solution. */
  recordSolution(since: number): Promise<{ yaml: string; commands: string[]; skipped: string[] } | null>;
  /** The playground's export: the cluster as a scenario.yaml. */
  exportScenario(): Promise<string | null>;
  /** The playground's CNI / proxy-mode switch: the same objects on `dataplane`, checked (null: no cluster yet). */
  rebuildPlan(dataplane: Dataplane): Promise<Rebuild | null>;
  /** An imported or shared scenario, validated as a lab would load it. */
  checkScenario(text: string): Promise<ScenarioCheck>;
  /** The cluster as the last command left it, and the terminal's text: what an undo goes back to (null before the first build). */
  undoPoint(): { snapshot: SimSnapshot; transcript: string } | null;
  /**
   * Builds the lab again — from its spec (read now: the playground has changed it), or from
   * `from` (an undo) — keeping the command history; saved as soon as it is built.
   */
  replace(from?: { snapshot: SimSnapshot; transcript: string }): void;
  /** The map's reachability matrix (engine `reachability`), walked in the worker as a dry run. */
  reachability(port?: number, proto?: 'tcp' | 'udp' | 'sctp'): Promise<ReachabilityMatrix | null>;
  loadLatest(): void;
  keepMine(): void;
  dismissNotice(id: string): void;
  regradeAndSave(): void;
  /** The held save's text and a file name for it, or null if there is none. */
  heldSaveFile(): { filename: string; text: string } | null;
  /** A kept save is deleted; a newer build's save is overwritten with this lab (saved now). */
  releaseHeldSave(): void;
}

/** The terminal as the session uses it (components/terminal/controller.ts). */
type Terminal = Pick<TerminalController, 'busy' | 'getHistory' | 'getTranscript' | 'clearScreen' | 'refreshPrompt' | 'paste' | 'handleData'>;

/** What one terminal needs from the lab: its shell, its hooks, and where it registers. */
export interface TerminalLink {
  backend: ShellBackend;
  hooks: ControllerHooks;
  attach(c: TerminalController | null): void;
}

/** The browser, as far as a lab needs it. Only openStore and loadEngine are required. */
export interface LabEnv {
  /** The store saves go to (persistence's browserStore: localStorage), or null when nothing can be saved. Called by start(). */
  openStore(): KeyValueStore | null;
  /** Loads the page's side of the engine (lib/engine-worker/browser.ts, a lazy chunk: the client and its Web Worker). */
  loadEngine(): Promise<EngineKit>;
  /** Runs `fn` at the next animation frame (requestAnimationFrame). Default: a 16 ms timer. */
  frame?(fn: () => void): void;
  /** The page is visible (document.visibilityState); the cluster clock only catches up then. Default: always. */
  visible?(): boolean;
  /** Focuses terminal `session`'s input (after a paste, after `kubectl edit` saved). Default: nothing. */
  focusTerminal?(session: number): void;
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
/** Beyond RESTORE_BUDGET_MS, how long a restore may keep the worker silent before it is stopped. */
const RESTORE_GRACE_MS = 4_000;

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
    terminals: [0],
    terminalInits: { 0: { history: [], transcript: '' } },
    activeTerminal: 0,
    results: [],
    hints: {},
    solutions: [],
    notices: [],
    conflict: false,
    completedNow: false,
    tab: 'terminal',
    openFile: undefined,
    pendingEdit: null,
    heldSave: null,
    objectsRev: 0,
    filesRev: 0,
    drafts: {},
    autoSaved: null,
  };
  private readonly listeners = new Set<() => void>();
  private client: EngineClient | null = null;
  private kit: EngineKit | null = null;
  /** The engine's chunk being loaded for this start() (a stop() in between drops it). */
  private engineLoad: Promise<void> | null = null;
  /** What the build under way is for: a fresh lab, or restoring `save` (its raw record kept for keepAside). */
  private building: { save: WorkspaceSave<SimSnapshot>; raw: string } | null | undefined = undefined;
  private restoreTimer: ReturnType<typeof setTimeout> | null = null;
  /** Real time that passes in the cluster before the next command (set by beforeRun). */
  private runAdvance = 0;
  /** A change was made that must be saved as soon as the worker sends its snapshot. */
  private saveOnSettle = false;
  private framePending = false;
  /** The lab was reset: its fresh cluster is saved as soon as it is built. */
  private saveReset = false;
  /** The terminals on screen, by session. */
  private terms = new Map<number, Terminal>();
  private links = new Map<number, TerminalLink>();
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
  /** A newer build's save sits in this lab's record: this tab does not write over it. */
  private holdNewer = false;
  /** A kept save the browser had no room for: held here for download during this visit. */
  private keptInMemory: string | null = null;
  /** An "Open in editor" that came before the cluster was built. */
  private pendingOpen: { name: string; content: string } | null = null;
  /** A restore's boot marker is set and waits for the lab to run (BOOT_SETTLE_MS). */
  private bootTimer: ReturnType<typeof setTimeout> | null = null;

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

  /** A notice that is replaced rather than repeated (its id is `key`); null removes it. */
  private setNotice(key: string, tone: Notice['tone'], text: string | null): void {
    const rest = this.state.notices.filter((x) => x.id !== key);
    if (text === null && rest.length === this.state.notices.length) return;
    this.set({ notices: text === null ? rest : [...rest, { id: key, tone, text }] });
  }

  // ---- life cycle ---------------------------------------------------------------------

  /** Opens the store, reports what it could not keep, and loads (or starts) the lab. */
  start(): void {
    this.running = true;
    // the worker starts loading the engine while the page settles
    const started = this.env.loadEngine().then((kit) => {
      if (this.engineLoad !== started) return;
      this.kit = kit;
      this.client ??= this.newClient();
    });
    this.engineLoad = started;
    this.tabId = this.env.newTabId();
    const store = this.env.openStore();
    this.store = store;
    if (!store) {
      this.addNotice('warn', 'This browser is not letting Netlab save anything, so progress will not survive a reload.');
    } else {
      const { removed, newer } = sweepOldVersions(store);
      if (removed > 0) this.addNotice('info', 'Progress saved by an older version of Netlab was cleared; labs start fresh.');
      if (newerRecordFor(newer, this.opts.id)) {
        this.addNotice('info', 'A newer version of Netlab has also saved progress for this lab. This version leaves it alone; open the lab in the newer version to get it back.');
      }
      this.set({ drafts: loadDrafts(store, this.opts.id) });
      const kept = readKept(store, this.opts.id);
      if (kept) {
        this.set({
          heldSave: { kind: 'kept', chars: kept.raw.length, text: `An earlier save of this lab could not be restored: ${kept.reason}. It is kept for you — download it, or delete it to free its space.` },
        });
      }
    }
    this.loadFromStorage();
  }

  /** Writes a pending save now and stops the clock (the page is going away). */
  stop(): void {
    this.running = false;
    this.flush();
    this.watchClock(false);
    this.client?.dispose();
    this.client = null;
    this.engineLoad = null;
    this.building = undefined;
    if (this.pendingBuild) clearTimeout(this.pendingBuild.timer);
    this.pendingBuild = null;
    if (this.restoreTimer) clearTimeout(this.restoreTimer);
    this.restoreTimer = null;
  }

  /** Writes a pending (debounced) save now: the page is being hidden or closed. */
  readonly flush = (): void => {
    // Still running, so a restore that just happened did not hang the tab.
    this.bootSettled();
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
      this.persist();
    }
  };

  /**
   * A `storage` event: another tab wrote (or removed) this lab's record, so this tab
   * stops saving. Only the small header is read, never the record.
   */
  readonly storageChanged = (key: string | null): void => {
    const id = this.opts.id;
    if (key !== recordKey(id) && key !== headKey(id)) return;
    // Browsers tell only the other tabs; a header that is still this tab's own write changes nothing.
    const head = this.store ? readHead(this.store, id) : null;
    if (head && head.writer === this.tabId && head.seq === this.seq) return;
    this.set({ conflict: true });
  };

  // ---- grading and saving -------------------------------------------------------------

  private persist(force = false): void {
    const store = this.store;
    const snapshot = this.state.sim ? this.client?.snapshot : null;
    if (!store || !snapshot) return;
    // A newer build's save is never overwritten unless the learner chose to (releaseHeldSave).
    if (this.holdNewer) return;
    if (this.state.conflict && !force) return;
    const id = this.opts.id;
    const term = this.terms.get(0);
    const s = this.state;
    const taskMap: Record<string, boolean> = {};
    for (const r of s.results) taskMap[r.id] = r.done;
    const out = writeSave<SimSnapshot>(
      store,
      {
        id,
        writer: this.tabId,
        snapshot,
        history: term?.getHistory() ?? [],
        transcript: term?.getTranscript() ?? '',
        ...(s.terminals.length > 1 ? { terminals: this.otherTerminals() } : {}),
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
      this.setNotice('save-size', 'warn', null);
      this.setNotice('save-failed', 'warn', null);
      const total = this.opts.tasks.length;
      const done = s.results.filter((r) => r.done).length;
      updateProgress(store, id, { done, total, completed: total > 0 && done === total }, this.env.now());
    } else if (out.reason === 'conflict') {
      this.set({ conflict: true });
    } else if (out.reason === 'too-big') {
      this.setNotice(
        'save-size',
        'warn',
        `Not saved: this lab is now ${formatSize(out.chars)}, more than the ${formatSize(SAVE_CAP_CHARS)} one lab may keep in this browser, so your last save that fit is kept. Delete big objects or files (or reset the lab) and saving resumes.`,
      );
    } else {
      this.setNotice('save-failed', 'warn', out.message);
    }
  }

  private schedulePersist(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.persist();
    }, 250);
  }

  /** The worker graded the cluster: the task panel follows, and finishing the last task is a moment. */
  private regrade(next: LabTaskResult[]): void {
    const prev = this.state.results;
    const wasDone = prev.length > 0 && prev.every((r) => r.done);
    const isDone = next.length > 0 && next.every((r) => r.done);
    let completedNow = this.state.completedNow;
    if (isDone && !wasDone && prev.length > 0) completedNow = true;
    if (!isDone) completedNow = false;
    this.set({ results: next, completedNow });
  }

  /** Saves now (the results are graded by the worker with every change it reports). */
  readonly regradeAndSave = (): void => {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    this.persist();
  };

  // ---- building the simulation --------------------------------------------------------

  private newClient(): EngineClient {
    const kit = this.kit!;
    const client = new kit.EngineClient(() => kit.spawn(), {
      built: (view, _snapshot, ms) => {
        if (this.client === client) this.built(view, ms);
      },
      buildFailed: (failure) => {
        if (this.client === client) this.buildFailed(failure);
      },
      view: (view, settled) => {
        if (this.client === client && this.state.sim) this.viewChanged(view, settled);
      },
      event: (kind, session) => {
        if (this.client !== client || !this.state.sim) return;
        const term = this.terms.get(session);
        if (kind === 'clear') term?.clearScreen();
        else term?.refreshPrompt();
      },
    });
    return client;
  }

  /** The worker reported a change: the map, the editor's files and the task panel follow; a settled change is saved. */
  private viewChanged(view: SimView, settled: boolean): void {
    const prev = this.state.sim;
    this.set({ sim: view });
    if (prev && prev.files !== view.files) this.set({ filesRev: this.state.filesRev + 1 });
    if (prev && prev.revision !== view.revision && !this.framePending) {
      this.framePending = true;
      this.env.frame(() => {
        this.framePending = false;
        this.set({ objectsRev: this.state.objectsRev + 1 });
      });
    }
    this.regrade(view.results);
    if (!settled) return;
    if (this.saveOnSettle) {
      this.saveOnSettle = false;
      this.regradeAndSave();
    } else if (!this.anyBusy()) this.schedulePersist();
  }

  /** Builds the lab's starting cluster in the worker (install follows in built). */
  private buildFresh(): void {
    this.building = null;
    this.client!.build(this.labSpec());
  }

  private labSpec(): LabSpec {
    return { ...this.opts.spec(), tasks: this.opts.tasks };
  }

  /** The build the worker just answered (undefined: none was waiting), its restore timer stopped. */
  private takeBuilding(): typeof this.building {
    const building = this.building;
    if (building === undefined) return undefined;
    this.building = undefined;
    if (this.restoreTimer) clearTimeout(this.restoreTimer);
    this.restoreTimer = null;
    return building;
  }

  private built(view: SimView, ms: number): void {
    const building = this.takeBuilding();
    if (building === undefined) return;
    if (building === null) {
      this.set({ error: null });
      this.install(view, null);
      if (this.saveReset) {
        this.saveReset = false;
        setTimeout(() => this.persist(true), 0);
      }
      return;
    }
    if (ms > RESTORE_BUDGET_MS) {
      if (this.store) clearBoot(this.store, this.opts.id);
      this.keep(building.raw, `restoring its cluster took ${(ms / 1000).toFixed(1)} s, more than the ${RESTORE_BUDGET_MS / 1000} s a lab may take to open`);
      return this.startFresh(building.save.history);
    }
    this.install(view, building.save);
    if (this.bootTimer) clearTimeout(this.bootTimer);
    this.bootTimer = setTimeout(() => this.bootSettled(), BOOT_SETTLE_MS);
  }

  private buildFailed(failure: BuildFailure): void {
    const building = this.takeBuilding();
    if (building === undefined) return;
    if (building === null) {
      const message = failure.kind === 'failed' ? failure.message : 'the simulator could not build it';
      this.set({ error: `This lab's scenario could not be loaded: ${message}` });
      return;
    }
    if (this.store) clearBoot(this.store, this.opts.id);
    if (failure.kind === 'newer') return this.holdNewerSave(`its cluster was saved by a newer simulator (v${failure.version})`, building.save.history);
    const reason = failure.kind === 'older' ? `its cluster was saved by an older simulator (v${String(failure.version)})` : `restoring its cluster failed: ${failure.message}`;
    this.keep(building.raw, reason);
    this.startFresh(building.save.history);
  }

  private install(view: SimView, save: WorkspaceSave<SimSnapshot> | null): void {
    this.set({
      sim: view,
      hints: save?.hints ?? {},
      solutions: save?.solutions ?? [],
      openFile: save?.openFile,
      pendingEdit: null,
      completedNow: false,
      // Graded silently (no "complete" moment for a lesson done earlier).
      results: view.results,
    });
    this.lastSync = this.env.monotonic();
    if (save) this.opts.onRestoreExtra?.(save.extra);
    this.watchClock(true);
    this.env.labReady();
    const open = this.pendingOpen;
    this.pendingOpen = null;
    if (open) this.openInEditor(open.name, open.content);
  }

  /**
   * Time passes while the learner reads: every few seconds (page visible, no command
   * running) the cluster's clock catches up with real time, so Pods become ready and the
   * map and task checks follow, as they would on a real cluster.
   */
  private watchClock(on: boolean): void {
    if (this.clockTimer) clearInterval(this.clockTimer);
    this.clockTimer = null;
    if (!on || !this.running) return;
    this.clockTimer = setInterval(() => {
      if (!this.env.visible() || !this.state.sim || this.anyBusy()) return;
      const now = this.env.monotonic();
      const elapsed = Math.round(now - this.lastSync);
      if (elapsed < 1000) return;
      this.lastSync = now;
      // a change comes back as a settled view: graded and saved (viewChanged)
      this.client?.advance(Math.min(elapsed, MAX_CATCH_UP_MS));
      this.bootSettled();
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
      const load = this.engineLoad;
      load?.then(
        () => {
          if (this.engineLoad !== load || !this.client) return;
          try {
            build();
          } catch (e) {
            this.set({ error: `The simulator could not be started: ${(e as Error).message}. Reload the page to try again.` });
          }
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

  /**
   * Shows (re)mounted terminals for this state, clears the old simulation. `others`: the
   * further terminals (a save's), by default the ones open now, with their history kept.
   */
  private showTerminal(init: TerminalInit, others: SavedTerminal[] = this.keptTerminals()): void {
    const terminalInits: Record<number, TerminalInit> = { 0: init };
    for (const t of others) terminalInits[t.session] = { history: t.history, transcript: t.transcript };
    const terminals = [0, ...others.map((t) => t.session)];
    const activeTerminal = terminals.includes(this.state.activeTerminal) ? this.state.activeTerminal : 0;
    this.set({ sim: null, terminalInit: init, terminalInits, terminals, activeTerminal, generation: this.state.generation + 1 });
    this.building = undefined;
    this.watchClock(false);
  }

  /** Shows a fresh terminal (keeping the command history) and builds the lab's starting cluster. */
  private startFresh(history: string[]): void {
    this.showTerminal({ history, transcript: '' });
    this.schedule(() => this.buildFresh());
  }

  /** Loads what storage holds for this lab (or starts fresh), with notices for anything unusable. */
  private loadFromStorage(): void {
    const store = this.store;
    const id = this.opts.id;
    const history = this.terms.get(0)?.getHistory() ?? [];
    this.bootSettled();
    if (this.holdNewer) {
      this.holdNewer = false;
      this.set({ heldSave: null });
    }
    if (!store) return this.startFresh(history);
    const r = loadSave<SimSnapshot>(store, id);
    if (bootFailed(store, id, this.env.now())) {
      clearBoot(store, id);
      if (r.status === 'ok') {
        this.keep(r.raw, 'the lab stopped responding, or the tab crashed, while it was being restored');
        return this.startFresh(history);
      }
    }
    if (r.status === 'none') {
      this.seq = 0;
      return this.startFresh(history);
    }
    if (r.status === 'newer') return this.holdNewerSave(r.reason, history);
    if (r.status === 'unusable') {
      this.keep(r.raw, r.reason);
      return this.startFresh(history);
    }
    const { save, raw } = r;
    this.seq = save.seq;
    if (raw.length > SAVE_CAP_CHARS) {
      this.setNotice(
        'save-size',
        'warn',
        `Your saved lab is ${formatSize(raw.length)}, more than the ${formatSize(SAVE_CAP_CHARS)} one lab may keep in this browser. It is restored, but changes are saved again only once the lab is smaller: delete big objects or files, or reset the lab.`,
      );
    }
    this.showTerminal({ history: save.history, transcript: save.transcript }, savedTerminals(save.terminals, MAX_TERMINALS));
    this.schedule(() => this.restore(save, raw));
  }

  /**
   * Restores a saved cluster, within a budget: a snapshot from another simulator version,
   * a restore that throws or one slower than RESTORE_BUDGET_MS is kept aside and the lab
   * starts over. The boot marker around it catches a restore that never returns.
   */
  private restore(save: WorkspaceSave<SimSnapshot>, raw: string): void {
    const store = this.store!;
    markBoot(store, this.opts.id, this.env.now());
    this.building = { save, raw };
    this.client!.build(this.labSpec(), save.snapshot);
    // A restore that never ends holds up the worker, not the page: it is given up on
    // (the worker stopped) and the save kept aside, as one that took too long.
    if (this.restoreTimer) clearTimeout(this.restoreTimer);
    this.restoreTimer = setTimeout(() => {
      this.restoreTimer = null;
      if (this.building?.save !== save) return;
      this.building = undefined;
      clearBoot(store, this.opts.id);
      this.client?.dispose();
      this.client = this.newClient();
      this.keep(raw, `restoring its cluster took more than the ${RESTORE_BUDGET_MS / 1000} s a lab may take to open`);
      this.startFresh(save.history);
    }, RESTORE_BUDGET_MS + RESTORE_GRACE_MS);
  }

  /** The restored lab ran (or the page is leaving normally): its save did not hang the tab. */
  private bootSettled(): void {
    if (!this.bootTimer) return;
    clearTimeout(this.bootTimer);
    this.bootTimer = null;
    if (this.store) clearBoot(this.store, this.opts.id);
  }

  /** Sets an unusable record aside (persistence's keepAside) and tells the learner. */
  private keep(raw: string, reason: string): void {
    const stored = this.store ? keepAside(this.store, this.opts.id, raw, reason, this.env.now()) : false;
    this.keptInMemory = stored ? null : raw;
    this.seq = 0;
    const where = stored ? 'the old save is kept — download it, or delete it to free its space.' : 'this browser has no room to keep the old save, so download it now if you want it.';
    this.set({ heldSave: { kind: 'kept', chars: raw.length, text: `Your saved progress for this lab could not be restored: ${reason}. The lab starts from the beginning; ${where}` } });
  }

  /** A newer build's record: left as it is, not overwritten; the lab starts on its scenario. */
  private holdNewerSave(reason: string, history: string[]): void {
    this.holdNewer = true;
    const chars = this.store?.getItem(recordKey(this.opts.id))?.length ?? 0;
    this.set({
      heldSave: {
        kind: 'newer',
        chars,
        text: `Your progress in this lab can’t be opened here: ${reason}. This version leaves it untouched and won’t save over it, so the lab starts from the beginning and is not saved. Open the lab in the newer version to continue, download the save, or let this lab save over it.`,
      },
    });
    this.startFresh(history);
  }

  // ---- terminal -----------------------------------------------------------------------

  /** Terminal `session`'s link to its shell: made once, so it is stable across renders. */
  readonly terminalFor = (session: number): TerminalLink => {
    let link = this.links.get(session);
    if (!link) {
      link = this.makeLink(session);
      this.links.set(session, link);
    }
    return link;
  };

  get backend(): ShellBackend {
    return this.terminalFor(0).backend;
  }

  get terminalHooks(): ControllerHooks {
    return this.terminalFor(0).hooks;
  }

  readonly attachTerminal = (c: Terminal | null): void => {
    this.terminalFor(0).attach(c as TerminalController | null);
  };

  private makeLink(session: number): TerminalLink {
    const backend: ShellBackend = {
      prompt: () => this.client?.view?.prompts?.[session] ?? (session === 0 ? this.client?.view?.prompt : undefined) ?? '$ ',
      needsMoreInput: (text: string) => (this.client && this.state.sim ? this.client.ask({ kind: 'needs-more', text }, false) : false),
      complete: (line: string, cursor: number) => {
        const none = { from: cursor, candidates: [] };
        return this.client && this.state.sim ? this.client.ask({ kind: 'complete', line, cursor, ...(session ? { session } : {}) }, none) : none;
      },
      start: (line: string, more?: boolean) => {
        const advance = this.runAdvance;
        this.runAdvance = 0;
        return this.client!.start(line, advance, session, more);
      },
    };
    const hooks: ControllerHooks = {
      beforeRun: (line: string) => {
        // The command sees what the editor shows: unsaved buffers are saved first, as an
        // IDE saves before it runs (the editor tells the learner it did).
        const written = this.flushDrafts();
        if (written.length > 0) this.set({ autoSaved: { files: written, command: line } });
        // Real time passes in the cluster too, so AGE columns move and pods become ready —
        // unless another terminal's line is running: its steps keep the clock with real time.
        const now = this.env.monotonic();
        const elapsed = Math.round(now - this.lastSync);
        this.lastSync = now;
        const othersRunning = [...this.terms].some(([n, t]) => n !== session && t.busy);
        this.runAdvance = othersRunning ? 0 : Math.max(0, Math.min(elapsed, MAX_CATCH_UP_MS));
      },
      afterRun: (_line: string, _exitCode: number, more: boolean) => {
        this.lastSync = this.env.monotonic();
        this.bootSettled();
        // a typed command is saved at once; the lines of a paste once it ends (each save
        // serializes the whole lab: 2,000 pasted lines took 44 s when each line saved)
        if (more) this.schedulePersist();
        else this.regradeAndSave();
      },
      openEditor: (edit: EditRequest, done: (saved: string | null) => void) => {
        this.set({
          pendingEdit: {
            edit,
            done: (saved) => {
              this.set({ pendingEdit: null, tab: 'terminal', activeTerminal: session });
              done(saved);
              setTimeout(() => {
                if (this.terms.has(session)) this.env.focusTerminal(session);
              }, 0);
            },
          },
          tab: 'editor',
        });
      },
      historyChanged: () => this.schedulePersist(),
      transcriptChanged: () => this.schedulePersist(),
    };
    const attach = (c: TerminalController | null) => {
      if (c) this.terms.set(session, c);
      else this.terms.delete(session);
    };
    return { backend, hooks, attach };
  }

  /** A terminal is running a line (or waits on the editor). */
  private anyBusy(): boolean {
    for (const t of this.terms.values()) if (t.busy) return true;
    return false;
  }

  /** The further terminals open now, their history kept and their screens cleared (a new cluster). */
  private keptTerminals(): SavedTerminal[] {
    return this.state.terminals
      .filter((n) => n > 0)
      .map((n) => ({ session: n, history: this.terms.get(n)?.getHistory() ?? this.state.terminalInits[n]?.history ?? [], transcript: '' }));
  }

  /** The further terminals as saved: history and screen. */
  private otherTerminals(): SavedTerminal[] {
    return this.state.terminals
      .filter((n) => n > 0)
      .map((n) => {
        const t = this.terms.get(n);
        const init = this.state.terminalInits[n];
        return { session: n, history: t?.getHistory() ?? init?.history ?? [], transcript: t?.getTranscript() ?? init?.transcript ?? '' };
      });
  }

  readonly openTerminal = (): number | null => {
    const open = this.state.terminals;
    let n = 1;
    while (open.includes(n)) n++;
    if (n >= MAX_TERMINALS) return null;
    this.set({
      terminals: [...open, n].sort((a, b) => a - b),
      terminalInits: { ...this.state.terminalInits, [n]: { history: [], transcript: '' } },
      activeTerminal: n,
      tab: 'terminal',
    });
    this.schedulePersist();
    return n;
  };

  readonly closeTerminal = (session: number): void => {
    if (session === 0 || !this.state.terminals.includes(session)) return;
    // Closing a terminal hangs up its line, as closing a terminal window does.
    const t = this.terms.get(session);
    if (t?.busy) t.handleData('\x03');
    this.terms.delete(session);
    const terminals = this.state.terminals.filter((n) => n !== session);
    const terminalInits = { ...this.state.terminalInits };
    delete terminalInits[session];
    const i = this.state.terminals.indexOf(session);
    const activeTerminal = this.state.activeTerminal === session ? terminals[Math.max(0, i - 1)] : this.state.activeTerminal;
    this.set({ terminals, terminalInits, activeTerminal });
    this.schedulePersist();
  };

  readonly typeKeys = (data: string): void => {
    this.terms.get(this.state.activeTerminal)?.handleData(data);
  };

  readonly showTerminalTab = (session: number): void => {
    if (!this.state.terminals.includes(session)) return;
    this.set({ tab: 'terminal', activeTerminal: session });
  };

  readonly paste = (command: string, run = false): void => {
    this.set({ tab: 'terminal' });
    const session = this.state.activeTerminal;
    const t = this.terms.get(session);
    if (!t) return;
    t.paste(run ? command + '\n' : command);
    setTimeout(() => this.env.focusTerminal(session), 0);
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
    if (!this.state.sim || !this.client) return;
    this.saveOnSettle = true;
    this.client.setAnswer(taskId, value.trim());
    this.set({ sim: this.client.view });
  };

  /** Writes a file on the workstation; the worker grades and sends the snapshot, which is saved then. */
  private writeFile(path: string, content: string): void {
    if (!this.client) return;
    this.saveOnSettle = true;
    this.client.write(path, content);
    if (this.client.view) this.set({ sim: this.client.view, filesRev: this.state.filesRev + 1 });
  }

  private readFile(path: string): string | undefined {
    return this.state.sim?.files[path];
  }

  readonly saveFile = (path: string, content: string): void => {
    if (!this.state.sim) return;
    this.writeFile(path, content);
    this.dropDrafts([path]);
    this.set({ autoSaved: null });
  };

  readonly recordSolution = async (since: number) => {
    if (!this.client || !this.state.sim) return null;
    return this.client.ask<{ yaml: string; commands: string[]; skipped: string[] } | null>({ kind: 'record', since }, null);
  };

  readonly exportScenario = async () => {
    if (!this.client || !this.state.sim) return null;
    return this.client.ask<string | null>({ kind: 'export' }, null);
  };

  readonly rebuildPlan = async (dataplane: Dataplane): Promise<Rebuild | null> => {
    if (!this.client || !this.state.sim) return null;
    return this.client.ask<Rebuild | null>({ kind: 'rebuild', dataplane }, null);
  };

  readonly checkScenario = async (text: string): Promise<ScenarioCheck> => {
    const gone: ScenarioCheck = { ok: false, message: 'the simulator is not running; reload the page and try again' };
    if (!this.client) return gone;
    return this.client.ask<ScenarioCheck>({ kind: 'check', text }, gone);
  };

  readonly undoPoint = (): { snapshot: SimSnapshot; transcript: string } | null => {
    const snapshot = this.state.sim ? this.client?.snapshot : null;
    return snapshot ? { snapshot, transcript: this.terms.get(0)?.getTranscript() ?? '' } : null;
  };

  readonly replace = (from?: { snapshot: SimSnapshot; transcript: string }): void => {
    this.bootSettled();
    this.setNotice('save-size', 'warn', null);
    this.set({ conflict: false, tab: 'terminal' });
    this.showTerminal({ history: this.terms.get(0)?.getHistory() ?? [], transcript: from?.transcript ?? '' });
    this.schedule(() => {
      this.saveReset = true;
      this.building = null;
      this.client!.build(this.labSpec(), from?.snapshot);
    });
  };

  readonly reachability = async (port?: number, proto?: 'tcp' | 'udp' | 'sctp') => {
    if (!this.client || !this.state.sim) return null;
    return this.client.ask<ReachabilityMatrix | null>({ kind: 'reachability', ...(port ? { port } : {}), ...(proto ? { proto } : {}) }, null);
  };

  private storeDrafts(drafts: Record<string, string>): void {
    this.set({ drafts });
    if (this.store) storeDrafts(this.store, this.opts.id, drafts);
  }

  private dropDrafts(paths: string[]): void {
    const d = this.state.drafts;
    if (!paths.some((p) => p in d)) return;
    const next = { ...d };
    for (const p of paths) delete next[p];
    this.storeDrafts(next);
  }

  readonly setDraft = (path: string, text: string | null): void => {
    const saved = this.readFile(path);
    const d = this.state.drafts;
    if (text === null || text === saved) {
      if (path in d) this.dropDrafts([path]);
      return;
    }
    if (d[path] === text) return;
    this.set({ autoSaved: null });
    this.storeDrafts({ ...d, [path]: text });
  };

  readonly flushDrafts = (): string[] => {
    const entries = Object.entries(this.state.drafts);
    if (!this.state.sim || entries.length === 0) return [];
    const written: string[] = [];
    for (const [path, text] of entries) {
      if (this.readFile(path) === text) continue;
      this.writeFile(path, text);
      written.push(path);
    }
    this.storeDrafts({});
    if (written.length > 0) this.schedulePersist();
    return written;
  };

  readonly openInEditor = (name: string, content: string): void => {
    if (!this.state.sim) {
      // The cluster is still being built: open it as soon as it is there.
      this.pendingOpen = { name, content };
      this.set({ tab: 'editor' });
      return;
    }
    const path = homePath(name);
    if (!path) return;
    const on = this.readFile(path);
    if (on === undefined) {
      this.writeFile(path, content);
      this.dropDrafts([path]);
    } else if (path in this.state.drafts ? this.state.drafts[path] !== content : !sameManifest(on, content)) {
      this.setDraft(path, content);
    }
    this.set({ openFile: path, tab: 'editor', autoSaved: null });
    this.schedulePersist();
  };

  readonly bringFiles = (files: Record<string, string>, command: string): BroughtFile[] => {
    if (!this.state.sim) return [];
    const words = command.split(/\s+/).map((w) => w.replace(/^['"]|['"]$/g, ''));
    const out: BroughtFile[] = [];
    for (const [name, content] of Object.entries(files)) {
      const path = homePath(name);
      if (!path || !words.some((w) => w === name || w === `~/${name}` || w === `./${name}` || w === path)) continue;
      const on = this.readFile(path);
      const draft = this.state.drafts[path];
      const mine = draft ?? on;
      if (mine === content && on === content) {
        out.push({ name, outcome: 'same' });
        continue;
      }
      let backup: string | undefined;
      if (mine !== undefined && mine !== content) {
        backup = `${name}.bak`;
        this.writeFile(`${path}.bak`, mine);
      }
      this.writeFile(path, content);
      out.push({ name, outcome: on === undefined && draft === undefined ? 'created' : 'replaced', backup });
    }
    this.dropDrafts(out.map((f) => homePath(f.name)!));
    return out;
  };

  readonly setOpenFile = (path: string | undefined): void => {
    this.set({ openFile: path });
    this.schedulePersist();
  };

  // ---- reset and other tabs -----------------------------------------------------------

  /**
   * Starts the lab over and clears its save: the record, its header, progress entry and
   * any kept copy (a newer build's save stays untouched). The fresh state is saved at once.
   */
  readonly reset = (): void => {
    const store = this.store;
    const id = this.opts.id;
    this.bootSettled();
    if (store) {
      if (!this.holdNewer) removeSave(store, id);
      discardKept(store, id);
    }
    this.keptInMemory = null;
    this.seq = 0;
    this.setNotice('save-size', 'warn', null);
    // Unsaved editor buffers belong to the old files: they go too.
    this.storeDrafts({});
    this.set({ autoSaved: null });
    this.set({ conflict: false, heldSave: this.holdNewer ? this.state.heldSave : null });
    // The command history (Up arrow) is the learner's, not the lab's: it survives a reset.
    this.showTerminal({ history: this.terms.get(0)?.getHistory() ?? [], transcript: '' });
    this.set({ tab: 'terminal' });
    this.schedule(() => {
      // Saved as soon as it is built, so other tabs and the course map see the reset.
      this.saveReset = true;
      this.buildFresh();
    });
  };

  readonly heldSaveFile = (): { filename: string; text: string } | null => {
    const held = this.state.heldSave;
    const store = this.store;
    if (!held) return null;
    const text = held.kind === 'newer' ? store?.getItem(recordKey(this.opts.id)) : (this.keptInMemory ?? (store ? readKept(store, this.opts.id)?.raw : null));
    return text ? { filename: `netlab-${this.opts.id}-save.json`, text } : null;
  };

  readonly releaseHeldSave = (): void => {
    const held = this.state.heldSave;
    if (!held) return;
    this.set({ heldSave: null });
    if (held.kind === 'kept') {
      if (this.store) discardKept(this.store, this.opts.id);
      this.keptInMemory = null;
    } else {
      this.holdNewer = false;
      this.persist(true);
    }
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

/** The same text but for comment lines, blank lines and trailing spaces (a lesson's block vs its seeded file). */
function sameManifest(a: string, b: string): boolean {
  const norm = (t: string) =>
    t
      .split(/\r?\n/)
      .map((l) => l.trimEnd())
      .filter((l) => l !== '' && !/^\s*#/.test(l))
      .join('\n');
  return norm(a) === norm(b);
}

/** `name` relative to ~ as an absolute path, or null if it would leave ~. */
export function homePath(name: string): string | null {
  const clean = name.trim().replace(/^~\//, '').replace(/^\.\//, '');
  if (!clean || clean.startsWith('/') || clean.split('/').some((p) => p === '..' || p === '')) return null;
  return `${HOME}/${clean}`;
}

/** The unsaved buffers kept for a lab (a damaged entry is dropped). */
function loadDrafts(store: KeyValueStore, id: string): Record<string, string> {
  try {
    const raw = store.getItem(draftsKey(id));
    const x = raw ? (JSON.parse(raw) as unknown) : {};
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      return Object.fromEntries(Object.entries(x).filter(([k, v]) => typeof v === 'string' && k.startsWith(HOME + '/'))) as Record<string, string>;
    }
  } catch {
    /* damaged drafts are dropped */
  }
  return {};
}

function storeDrafts(store: KeyValueStore, id: string, drafts: Record<string, string>): void {
  try {
    if (Object.keys(drafts).length) store.setItem(draftsKey(id), JSON.stringify(drafts));
    else store.removeItem(draftsKey(id));
  } catch {
    /* storage full or unavailable: the buffers live for this page only */
  }
}
