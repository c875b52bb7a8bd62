'use client';
/**
 * A lab: one simulation plus everything around it that a reload must bring back — the
 * terminal's history and transcript, task status, hints and solutions revealed, the file
 * open in the editor — persisted per lesson (lib/persistence.ts), graded after every
 * command and every save.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EditRequest, SimSnapshot, Simulation, SimulationOptions } from '@/engine';
import { loadEngine, type EngineModule } from './engine';
import {
  browserStore,
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
} from '@/lib/persistence';
import type { TerminalController } from '@/components/terminal/controller';
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

export interface Lab {
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
  setTab(t: WorkspaceTab): void;
  openFile: string | undefined;
  setOpenFile(path: string | undefined): void;
  pendingEdit: PendingEdit | null;
  /** Bumps on every change of cluster objects (the map listens). */
  objectsRev: number;
  /** Bumps on every file write (the editor's file list listens). */
  filesRev: number;
  attachTerminal(c: TerminalController | null): void;
  /** The terminal is on screen: build the cluster now. */
  terminalOpened(): void;
  terminalHooks: import('@/components/terminal/controller').ControllerHooks;
  backend: import('@/components/terminal/controller').ShellBackend;
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

function noticeId(): string {
  return Math.random().toString(36).slice(2);
}

export function useLab(opts: LabOptions): Lab {
  const optsRef = useRef(opts);
  useEffect(() => {
    optsRef.current = opts;
  });
  const simRef = useRef<Simulation | null>(null);
  const engineRef = useRef<EngineModule | null>(null);
  const termRef = useRef<TerminalController | null>(null);
  const storeRef = useRef<KeyValueStore | null>(null);
  const tabIdRef = useRef('');
  const seqRef = useRef(0);
  const lastSyncRef = useRef(0);
  const conflictRef = useRef(false);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stateRef = useRef<{ hints: Record<string, number>; solutions: string[]; openFile?: string; results: LabTaskResult[] }>({
    hints: {},
    solutions: [],
    results: [],
  });

  const [sim, setSim] = useState<Simulation | null>(null);
  const [generation, setGeneration] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [terminalInit, setTerminalInit] = useState<{ history: string[]; transcript: string }>({ history: [], transcript: '' });
  const [results, setResults] = useState<LabTaskResult[]>([]);
  const [hints, setHints] = useState<Record<string, number>>({});
  const [solutions, setSolutions] = useState<string[]>([]);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [conflict, setConflict] = useState(false);
  const [completedNow, setCompletedNow] = useState(false);
  const [tab, setTab] = useState<WorkspaceTab>('terminal');
  const [openFile, setOpenFileState] = useState<string | undefined>(undefined);
  const [pendingEdit, setPendingEdit] = useState<PendingEdit | null>(null);
  const [objectsRev, setObjectsRev] = useState(0);
  const [filesRev, setFilesRev] = useState(0);

  const notify = useCallback((tone: Notice['tone'], text: string) => {
    setNotices((n) => [...n.filter((x) => x.text !== text), { id: noticeId(), tone, text }]);
  }, []);

  // ---- grading and saving -------------------------------------------------------------

  const grade = useCallback((): LabTaskResult[] => {
    const sim = simRef.current;
    const { tasks, grade } = optsRef.current;
    const engine = engineRef.current;
    if (!sim || !engine || !grade || tasks.length === 0) return [];
    try {
      return grade(engine, sim, tasks);
    } catch (e) {
      return tasks.map((t) => ({ id: t.id, done: false, reason: `could not check: ${(e as Error).message}` }));
    }
  }, []);

  const persist = useCallback(
    (force = false) => {
      const store = storeRef.current;
      const sim = simRef.current;
      if (!store || !sim) return;
      if (conflictRef.current && !force) return;
      const id = optsRef.current.id;
      const term = termRef.current;
      const s = stateRef.current;
      const taskMap: Record<string, boolean> = {};
      for (const r of s.results) taskMap[r.id] = r.done;
      const out = writeSave<SimSnapshot>(
        store,
        {
          id,
          writer: tabIdRef.current,
          snapshot: sim.snapshot(),
          history: term?.getHistory() ?? [],
          transcript: term?.getTranscript() ?? '',
          tasks: taskMap,
          hints: s.hints,
          solutions: s.solutions,
          openFile: s.openFile,
          extra: optsRef.current.getExtra?.(),
        },
        seqRef.current,
        Date.now(),
        force,
      );
      if (out.ok) {
        seqRef.current = out.seq;
        const total = optsRef.current.tasks.length;
        const done = s.results.filter((r) => r.done).length;
        updateProgress(store, id, { done, total, completed: total > 0 && done === total }, Date.now());
      } else if (out.reason === 'conflict') {
        conflictRef.current = true;
        setConflict(true);
      } else {
        notify('warn', out.message);
      }
    },
    [notify],
  );

  const schedulePersist = useCallback(() => {
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => {
      saveTimer.current = null;
      persist();
    }, 250);
  }, [persist]);

  const regrade = useCallback(() => {
    const prev = stateRef.current.results;
    const next = grade();
    stateRef.current.results = next;
    setResults(next);
    const wasDone = prev.length > 0 && prev.every((r) => r.done);
    const isDone = next.length > 0 && next.every((r) => r.done);
    if (isDone && !wasDone && prev.length > 0) setCompletedNow(true);
    if (!isDone) setCompletedNow(false);
  }, [grade]);

  const regradeAndSave = useCallback(() => {
    regrade();
    if (saveTimer.current) {
      clearTimeout(saveTimer.current);
      saveTimer.current = null;
    }
    persist();
  }, [regrade, persist]);

  // ---- building the simulation --------------------------------------------------------

  const wire = useCallback((sim: Simulation) => {
    let raf = 0;
    sim.on((ev) => {
      if (simRef.current !== sim) return;
      if (ev.type === 'objects') {
        if (!raf) {
          raf = requestAnimationFrame(() => {
            raf = 0;
            setObjectsRev((r) => r + 1);
          });
        }
      } else if (ev.type === 'files') {
        setFilesRev((r) => r + 1);
      } else if (ev.type === 'clear') {
        termRef.current?.clearScreen();
      } else if (ev.type === 'context') {
        termRef.current?.refreshPrompt();
      }
    });
  }, []);

  const fresh = useCallback((): Simulation | null => {
    try {
      const sim = optsRef.current.create(engineRef.current!, { seed: LESSON_SEED, interactive: true });
      setError(null);
      return sim;
    } catch (e) {
      setError(`This lab's scenario could not be loaded: ${(e as Error).message}`);
      return null;
    }
  }, []);

  const install = useCallback(
    (sim: Simulation | null, save: WorkspaceSave<SimSnapshot> | null) => {
      simRef.current = sim;
      setSim(sim);
      if (sim) wire(sim);
      lastSyncRef.current = performance.now();
      stateRef.current = {
        hints: save?.hints ?? {},
        solutions: save?.solutions ?? [],
        openFile: save?.openFile,
        results: [],
      };
      setHints(stateRef.current.hints);
      setSolutions(stateRef.current.solutions);
      setOpenFileState(save?.openFile);
      setPendingEdit(null);
      setCompletedNow(false);
      if (save) optsRef.current.onRestoreExtra?.(save.extra);
      // Grade the restored state silently (no "complete" moment for a lesson done earlier).
      const r = grade();
      stateRef.current.results = r;
      setResults(r);
      if (sim) performance.mark('netlab:lab-ready');
    },
    [grade, wire],
  );

  /**
   * Builds the simulation once the terminal is on screen (or after a short wait): the
   * terminal takes keystrokes at once and runs them when the cluster is ready.
   */
  const pendingBuild = useRef<{ run: () => void; timer: ReturnType<typeof setTimeout> } | null>(null);
  const schedule = useCallback((build: () => void) => {
    if (pendingBuild.current) clearTimeout(pendingBuild.current.timer);
    const run = () => {
      if (pendingBuild.current?.run !== run) return;
      clearTimeout(pendingBuild.current.timer);
      pendingBuild.current = null;
      loadEngine().then(
        (engine) => {
          engineRef.current = engine;
          build();
        },
        (e: Error) => setError(`The simulator could not be loaded: ${e.message}. Reload the page to try again.`),
      );
    };
    pendingBuild.current = { run, timer: setTimeout(run, 600) };
  }, []);

  const terminalOpened = useCallback(() => {
    const p = pendingBuild.current;
    // Let the browser paint the terminal before the (CPU-bound) cluster build.
    if (p) requestAnimationFrame(() => setTimeout(p.run, 0));
  }, []);

  /** Shows a (re)mounted terminal for this state, clears the old simulation. */
  const showTerminal = useCallback((init: { history: string[]; transcript: string }) => {
    simRef.current = null;
    setSim(null);
    setTerminalInit(init);
    setGeneration((g) => g + 1);
  }, []);

  /** Loads what storage holds for this lab (or starts fresh), with notices for anything unusable. */
  const loadFromStorage = useCallback(() => {
    const store = storeRef.current;
    const id = optsRef.current.id;
    const history = termRef.current?.getHistory() ?? [];
    const r = store ? loadSave<SimSnapshot>(store, id) : ({ status: 'none' } as const);
    if (r.status === 'reset') {
      notify('warn', `Your saved progress for this lab could not be restored (${r.reason}), so the lab was reset.`);
    }
    if (r.status === 'ok' && store) {
      const save = r.save;
      seqRef.current = save.seq;
      showTerminal({ history: save.history, transcript: save.transcript });
      schedule(() => {
        const engine = engineRef.current!;
        if ((save.snapshot as { version?: number }).version !== engine.SNAPSHOT_VERSION) {
          removeSave(store, id);
          notify('warn', 'Your saved progress for this lab came from an older version of Netlab, so the lab was reset.');
          install(fresh(), null);
          return;
        }
        let sim: Simulation | null = null;
        try {
          sim = engine.Simulation.restore(save.snapshot, { interactive: true });
        } catch (e) {
          removeSave(store, id);
          notify('warn', `Your saved cluster could not be restored (${(e as Error).message}), so the lab was reset.`);
          install(fresh(), null);
          return;
        }
        install(sim, save);
      });
      return;
    }
    if (store) seqRef.current = peekHeader(store, id)?.seq ?? 0;
    showTerminal({ history, transcript: '' });
    schedule(() => install(fresh(), null));
  }, [fresh, install, notify, schedule, showTerminal]);

  useEffect(() => {
    tabIdRef.current = newTabId();
    const store = browserStore();
    storeRef.current = store;
    if (!store) {
      notify('warn', 'This browser is not letting Netlab save anything, so progress will not survive a reload.');
    } else {
      const swept = sweepOldVersions(store);
      if (swept > 0) notify('info', 'Progress saved by an older version of Netlab was cleared; labs start fresh.');
    }
    loadFromStorage();
    const onStorage = (e: StorageEvent) => {
      if (e.key !== recordKey(optsRef.current.id)) return;
      let writer: string | null = null;
      if (e.newValue) {
        try {
          writer = (JSON.parse(e.newValue) as { writer?: string }).writer ?? null;
        } catch {
          writer = null;
        }
      }
      if (writer === tabIdRef.current) return;
      conflictRef.current = true;
      setConflict(true);
    };
    window.addEventListener('storage', onStorage);
    const flush = () => {
      if (saveTimer.current) {
        clearTimeout(saveTimer.current);
        saveTimer.current = null;
        persist();
      }
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('storage', onStorage);
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [loadFromStorage, notify, persist]);

  // Time passes while the learner reads: every few seconds (tab visible, no command
  // running) the cluster's clock catches up with real time, so Pods become ready and the
  // map and task checks follow, as they would on a real cluster.
  useEffect(() => {
    if (!sim) return;
    const id = setInterval(() => {
      if (document.visibilityState !== 'visible' || simRef.current !== sim || termRef.current?.busy) return;
      const now = performance.now();
      const elapsed = Math.round(now - lastSyncRef.current);
      if (elapsed < 1000) return;
      lastSyncRef.current = now;
      const before = sim.store.revision;
      sim.advance(Math.min(elapsed, 6 * 3600_000));
      if (sim.store.revision !== before) {
        regrade();
        schedulePersist();
      }
    }, 2000);
    return () => clearInterval(id);
  }, [sim, regrade, schedulePersist]);

  // ---- terminal -----------------------------------------------------------------------

  const backend = useMemo(
    () => ({
      prompt: () => simRef.current?.prompt() ?? '$ ',
      needsMoreInput: (t: string) => simRef.current?.needsMoreInput(t) ?? false,
      complete: (line: string, cursor: number) => simRef.current?.complete(line, cursor) ?? { from: cursor, candidates: [] },
      start: (line: string) => simRef.current!.start(line),
    }),
    [],
  );

  const terminalHooks = useMemo(
    () => ({
      beforeRun: () => {
        // Real time passes in the cluster too, so AGE columns move and pods become ready.
        const now = performance.now();
        const elapsed = Math.round(now - lastSyncRef.current);
        lastSyncRef.current = now;
        simRef.current?.advance(Math.min(elapsed, 6 * 3600_000));
      },
      afterRun: () => {
        lastSyncRef.current = performance.now();
        regradeAndSave();
      },
      openEditor: (edit: EditRequest, done: (saved: string | null) => void) => {
        setPendingEdit({
          edit,
          done: (saved) => {
            setPendingEdit(null);
            setTab('terminal');
            done(saved);
            setTimeout(() => termRef.current && document.querySelector<HTMLTextAreaElement>('.xterm-helper-textarea')?.focus(), 0);
          },
        });
        setTab('editor');
      },
      historyChanged: () => schedulePersist(),
      transcriptChanged: () => schedulePersist(),
    }),
    [regradeAndSave, schedulePersist],
  );

  const attachTerminal = useCallback((c: TerminalController | null) => {
    termRef.current = c;
  }, []);

  const paste = useCallback((command: string, run = false) => {
    setTab('terminal');
    const t = termRef.current;
    if (!t) return;
    t.paste(run ? command + '\n' : command);
    setTimeout(() => document.querySelector<HTMLTextAreaElement>('.xterm-helper-textarea')?.focus(), 0);
  }, []);

  // ---- tasks --------------------------------------------------------------------------

  const revealHint = useCallback(
    (taskId: string) => {
      const task = optsRef.current.tasks.find((t) => t.id === taskId);
      const cur = stateRef.current.hints[taskId] ?? 0;
      if (!task || cur >= task.hints.length) return;
      stateRef.current.hints = { ...stateRef.current.hints, [taskId]: cur + 1 };
      setHints(stateRef.current.hints);
      schedulePersist();
    },
    [schedulePersist],
  );

  const revealSolution = useCallback(
    (taskId: string) => {
      if (stateRef.current.solutions.includes(taskId)) return;
      stateRef.current.solutions = [...stateRef.current.solutions, taskId];
      setSolutions(stateRef.current.solutions);
      schedulePersist();
    },
    [schedulePersist],
  );

  const answer = useCallback(
    (taskId: string, value: string) => {
      const sim = simRef.current;
      if (!sim) return;
      sim.answers[taskId] = value.trim();
      regradeAndSave();
    },
    [regradeAndSave],
  );

  const saveFile = useCallback(
    (path: string, content: string) => {
      const sim = simRef.current;
      if (!sim) return;
      sim.fs.write({ kind: 'workstation' }, path, content);
      regradeAndSave();
    },
    [regradeAndSave],
  );

  const setOpenFile = useCallback(
    (path: string | undefined) => {
      stateRef.current.openFile = path;
      setOpenFileState(path);
      schedulePersist();
    },
    [schedulePersist],
  );

  // ---- reset and other tabs -----------------------------------------------------------

  const reset = useCallback(() => {
    const store = storeRef.current;
    if (store) removeSave(store, optsRef.current.id);
    seqRef.current = store ? (peekHeader(store, optsRef.current.id)?.seq ?? 0) : 0;
    conflictRef.current = false;
    setConflict(false);
    // The command history (Up arrow) is the learner's, not the lab's: it survives a reset.
    showTerminal({ history: termRef.current?.getHistory() ?? [], transcript: '' });
    setTab('terminal');
    schedule(() => {
      install(fresh(), null);
      // Save the fresh state right away so other tabs and the course map see the reset.
      setTimeout(() => persist(true), 0);
    });
  }, [fresh, install, persist, schedule, showTerminal]);

  const loadLatest = useCallback(() => {
    conflictRef.current = false;
    setConflict(false);
    loadFromStorage();
  }, [loadFromStorage]);

  const keepMine = useCallback(() => {
    conflictRef.current = false;
    setConflict(false);
    persist(true);
  }, [persist]);

  const dismissNotice = useCallback((id: string) => setNotices((n) => n.filter((x) => x.id !== id)), []);

  return {
    sim,
    generation,
    error,
    terminalInit,
    results,
    hints,
    solutions,
    notices,
    conflict,
    completedNow,
    tab,
    setTab,
    openFile,
    setOpenFile,
    pendingEdit,
    objectsRev,
    filesRev,
    attachTerminal,
    terminalOpened,
    terminalHooks,
    backend,
    paste,
    revealHint,
    revealSolution,
    answer,
    saveFile,
    reset,
    loadLatest,
    keepMine,
    dismissNotice,
    regradeAndSave,
  };
}
