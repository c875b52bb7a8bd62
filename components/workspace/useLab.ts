'use client';
/**
 * The React side of a lab: one LabSession (lab-session.ts: the simulation in its worker, persistence,
 * cross-tab checks and grading) per mounted workspace, its state read with
 * useSyncExternalStore, and the browser plugged in — localStorage, animation frames,
 * visibility, focus, and the window's `storage` and `pagehide` events.
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { browserStore } from '@/lib/persistence';
import type { EngineKit } from '@/lib/engine-worker/protocol';
import { loadTerminal } from './terminal-chunks';
import { LabSession, type LabActions, type LabEnv, type LabOptions, type LabState } from './lab-session';

export { LESSON_SEED, type BroughtFile, type LabOptions, type PendingEdit } from './lab-session';

export interface Lab extends LabState, LabActions {}

let engine: Promise<EngineKit> | null = null;

/**
 * The page's side of the engine (lib/engine-worker/browser.ts), a lazy chunk, and through it
 * the engine's worker: fetched as soon as the terminal's scripts are in (./terminal-chunks.ts),
 * so the page is usable first — the terminal takes keys while the cluster is being built.
 */
function loadEngine(): Promise<EngineKit> {
  engine ??= loadTerminal()
    .catch(() => undefined)
    .then(() => import('@/lib/engine-worker/browser'))
    .then((m) => m.kit);
  return engine;
}

if (typeof window !== 'undefined') void loadEngine();

function browserEnv(): LabEnv {
  return {
    openStore: browserStore,
    loadEngine,
    frame: (fn) => void requestAnimationFrame(fn),
    visible: () => document.visibilityState === 'visible',
    focusTerminal: (session) => document.querySelector<HTMLTextAreaElement>(`[data-terminal-session="${session}"] .xterm-helper-textarea`)?.focus(),
    labReady: () => void performance.mark('netlab:lab-ready'),
  };
}

export function useLab(opts: LabOptions): Lab {
  const [session] = useState(() => new LabSession(opts, browserEnv()));
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot);

  useEffect(() => {
    session.setOptions(opts);
  });

  useEffect(() => {
    session.start();
    const onStorage = (e: StorageEvent) => session.storageChanged(e.key);
    // Hidden may be the last moment a phone gives the page (pagehide may never come).
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') session.flush();
    };
    window.addEventListener('storage', onStorage);
    window.addEventListener('pagehide', session.flush);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('storage', onStorage);
      window.removeEventListener('pagehide', session.flush);
      document.removeEventListener('visibilitychange', onVisibility);
      session.stop();
    };
  }, [session]);

  return useMemo(
    () => ({
      ...state,
      setTab: session.setTab,
      setOpenFile: session.setOpenFile,
      attachTerminal: session.attachTerminal,
      terminalOpened: session.terminalOpened,
      terminalHooks: session.terminalHooks,
      backend: session.backend,
      terminalFor: session.terminalFor,
      openTerminal: session.openTerminal,
      closeTerminal: session.closeTerminal,
      showTerminalTab: session.showTerminalTab,
      paste: session.paste,
      typeKeys: session.typeKeys,
      revealHint: session.revealHint,
      revealSolution: session.revealSolution,
      answer: session.answer,
      saveFile: session.saveFile,
      setDraft: session.setDraft,
      flushDrafts: session.flushDrafts,
      openInEditor: session.openInEditor,
      bringFiles: session.bringFiles,
      reset: session.reset,
      recordSolution: session.recordSolution,
      exportScenario: session.exportScenario,
      rebuildPlan: session.rebuildPlan,
      checkScenario: session.checkScenario,
      undoPoint: session.undoPoint,
      replace: session.replace,
      reachability: session.reachability,
      loadLatest: session.loadLatest,
      keepMine: session.keepMine,
      dismissNotice: session.dismissNotice,
      regradeAndSave: session.regradeAndSave,
      heldSaveFile: session.heldSaveFile,
      releaseHeldSave: session.releaseHeldSave,
    }),
    [state, session],
  );
}
