'use client';
/**
 * The lab side of a lesson (and the playground): terminal, editor and cluster map in
 * tabs, notices, reset, and — for lessons — the task panel.
 */
import { Suspense, lazy, useEffect, useRef, useState } from 'react';
import type { Lab } from './useLab';
import type { LabTask, WorkspaceTab } from './types';
import { MAX_TERMINALS } from './lab-session';
import { TaskPanel } from './TaskPanel';
import { loadTerminal } from './terminal-chunks';
import { formatSize } from '@/lib/persistence';

/** Hands the held save to the browser as a file download. */
function downloadHeldSave(lab: Lab): void {
  const file = lab.heldSaveFile();
  if (!file) return;
  const url = URL.createObjectURL(new Blob([file.text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// React's lazy, not next/dynamic (whose loader code would join the page's first load): these
// panels only ever render in the browser, once the lab has started.
// The terminal: ./terminal-chunks.ts.
const Terminal = lazy(() => loadTerminal().then((T) => ({ default: T })));

/**
 * The editor's code (Monaco, its YAML language and schemas) is fetched while the browser is
 * idle once the lab is up, so opening the Editor tab does not wait for it; it is never part
 * of the page's first load. (The e2e first-load measurement switches this off with
 * `window.__netlabEditorPreload = 'off'`, and reads the state here.)
 */
function preloadEditor(): () => void {
  const w = window as Window & { __netlabEditorPreload?: 'off' | 'waiting' | 'loading' | 'done' | 'failed' };
  if (w.__netlabEditorPreload !== undefined) return () => {};
  w.__netlabEditorPreload = 'waiting';
  const load = () => {
    w.__netlabEditorPreload = 'loading';
    import('@/components/editor/YamlEditor')
      .then((m) => m.preloadMonaco())
      .then(
        () => void (w.__netlabEditorPreload = 'done'),
        () => void (w.__netlabEditorPreload = 'failed'),
      );
  };
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(load, { timeout: 10_000 });
    return () => {
      if (w.__netlabEditorPreload === 'waiting') {
        window.cancelIdleCallback(id);
        w.__netlabEditorPreload = undefined;
      }
    };
  }
  const t = setTimeout(load, 2000);
  return () => {
    if (w.__netlabEditorPreload === 'waiting') {
      clearTimeout(t);
      w.__netlabEditorPreload = undefined;
    }
  };
}

const YamlEditor = lazy(() => import('@/components/editor/YamlEditor'));
const ClusterMap = lazy(() => import('@/components/map/ClusterMap'));

/** A tab of the workspace: a terminal (by shell session), the editor or the map. */
interface TabItem {
  key: string;
  tab: WorkspaceTab;
  session?: number;
  label: string;
}

/** The DOM ids of terminal `session`'s tab and panel (the first keeps the plain names). */
const terminalTabId = (session: number) => (session === 0 ? 'tab-terminal' : `tab-terminal-${session}`);
const terminalPanelId = (session: number) => (session === 0 ? 'panel-terminal' : `panel-terminal-${session}`);

/**
 * The phone's extra-keys row: what a touch keyboard lacks for a shell, sent as the
 * terminal's keyboard would send it (xterm's sequences).
 */
const EXTRA_KEYS: { label: string; name: string; data: string }[] = [
  { label: 'Tab', name: 'Tab', data: '\t' },
  { label: 'Ctrl-C', name: 'Ctrl-C', data: '\x03' },
  { label: 'Esc', name: 'Esc', data: '\x1b' },
  { label: '↑', name: 'Up arrow', data: '\x1b[A' },
  { label: '↓', name: 'Down arrow', data: '\x1b[B' },
  { label: '←', name: 'Left arrow', data: '\x1b[D' },
  { label: '→', name: 'Right arrow', data: '\x1b[C' },
  { label: '|', name: 'Pipe |', data: '|' },
  { label: '-', name: 'Dash -', data: '-' },
  { label: '/', name: 'Slash /', data: '/' },
];

export interface WorkspaceProps {
  lab: Lab;
  tasks: LabTask[];
  next?: { slug: string; title: string } | null;
  /** The lesson's recap bullets, on the completion card. */
  recap?: string[];
  /** Extra controls in the toolbar (the playground's settings). */
  toolbar?: React.ReactNode;
  /** Where the task panel goes: below the tabs (lessons) or nowhere (playground). */
  showTasks?: boolean;
  taskExpanded?: string | null;
  onTaskExpand?(id: string | null): void;
  /** The page shows the map beside the workspace on a desktop (the playground): no map tab there. */
  mapBeside?: boolean;
}

export function Workspace({ lab, tasks, next, recap, toolbar, showTasks = true, taskExpanded, onTaskExpand, mapBeside = false }: WorkspaceProps) {
  const [editorOpened, setEditorOpened] = useState(false);
  const [tasksOpen, setTasksOpen] = useState(true);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
  const { tab, setTab } = lab;
  const tabs: TabItem[] = [
    ...lab.terminals.map((n) => ({ key: terminalTabId(n), tab: 'terminal' as const, session: n, label: n === 0 ? 'Terminal' : `Terminal ${n + 1}` })),
    { key: 'tab-editor', tab: 'editor', label: 'Editor' },
    { key: 'tab-map', tab: 'map', label: 'Cluster map' },
  ];
  const selected = (t: TabItem) => t.tab === tab && (t.tab !== 'terminal' || t.session === lab.activeTerminal);
  const choose = (t: TabItem) => (t.tab === 'terminal' ? lab.showTerminalTab(t.session!) : setTab(t.tab));

  const labUp = !!lab.sim;
  useEffect(() => {
    if (labUp) return preloadEditor();
  }, [labUp]);

  useEffect(() => {
    if (tab === 'editor' && !editorOpened) {
      const t = setTimeout(() => setEditorOpened(true), 0);
      return () => clearTimeout(t);
    }
  }, [tab, editorOpened]);

  const onTabKey = (e: React.KeyboardEvent, i: number) => {
    // the map's tab is hidden where the map sits beside the workspace: the arrows skip it
    const usable = tabs.filter((t) => !(mapBeside && t.tab === 'map' && window.matchMedia('(min-width: 1024px)').matches));
    const k = usable.indexOf(tabs[i]);
    let j = -1;
    if (e.key === 'ArrowRight') j = (k + 1) % usable.length;
    else if (e.key === 'ArrowLeft') j = (k + usable.length - 1) % usable.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = usable.length - 1;
    if (j >= 0) {
      e.preventDefault();
      choose(usable[j]);
      tabRefs.current[usable[j].key]?.focus();
    }
  };
  const canOpenTerminal = lab.terminals.length < MAX_TERMINALS;
  const shownExtra = tab === 'terminal' && lab.activeTerminal > 0 ? lab.activeTerminal : null;

  const tasksVisible = showTasks && tasks.length > 0;

  return (
    <div className="flex h-full min-h-0 flex-col bg-surface">
      <div className="flex min-h-11 flex-wrap items-center gap-1 border-b border-line px-2">
        <div role="tablist" aria-label="Workspace" className="flex items-center gap-0.5">
          {tabs.map((t, i) => (
            <button
              key={t.key}
              ref={(el) => {
                tabRefs.current[t.key] = el;
              }}
              role="tab"
              id={t.tab === 'terminal' ? terminalTabId(t.session!) : t.key}
              aria-selected={selected(t)}
              aria-controls={t.tab === 'terminal' ? terminalPanelId(t.session!) : `panel-${t.tab}`}
              tabIndex={selected(t) ? 0 : -1}
              onClick={() => choose(t)}
              onKeyDown={(e) => onTabKey(e, i)}
              className={`relative rounded-md px-2.5 py-2 text-[13px] font-medium ${selected(t) ? 'text-ink' : 'text-muted hover:text-ink'} ${mapBeside && t.tab === 'map' ? 'lg:hidden' : ''}`}
            >
              {t.label}
              {t.tab === 'editor' && lab.pendingEdit && <span className="ml-1 inline-block h-1.5 w-1.5 rounded-full bg-warn align-middle" aria-label="(waiting for save)" />}
              {selected(t) && <span className="absolute inset-x-2 -bottom-[5px] h-0.5 rounded-full bg-accent" aria-hidden="true" />}
            </button>
          ))}
        </div>
        {shownExtra !== null && (
          <button
            type="button"
            onClick={() => lab.closeTerminal(shownExtra)}
            className="rounded-md px-1.5 py-1 text-[13px] text-muted hover:bg-surface-2 hover:text-ink"
            aria-label={`Close Terminal ${shownExtra + 1}`}
            title={`Close Terminal ${shownExtra + 1} (stops what runs in it)`}
          >
            ✕
          </button>
        )}
        {canOpenTerminal && (
          <button
            type="button"
            onClick={() => {
              const n = lab.openTerminal();
              if (n !== null) requestAnimationFrame(() => tabRefs.current[terminalTabId(n)]?.focus());
            }}
            className="rounded-md px-2 py-1 text-[15px] leading-none text-muted hover:bg-surface-2 hover:text-ink"
            aria-label="New terminal on the same cluster"
            title="New terminal on the same cluster"
            data-testid="new-terminal"
          >
            +
          </button>
        )}
        <div className="ml-auto flex items-center gap-1.5">
          {toolbar}
          <button
            type="button"
            onClick={() => dialogRef.current?.showModal()}
            className="rounded-md px-2.5 py-1.5 text-[13px] font-medium text-muted hover:bg-surface-2 hover:text-ink"
          >
            Reset lab
          </button>
        </div>
      </div>

      {(lab.notices.length > 0 || lab.conflict || lab.error || lab.heldSave) && (
        <div className="space-y-1.5 border-b border-line px-3 py-2" role="status">
          {lab.error && <p className="rounded-lg bg-bad-soft px-3 py-2 text-[13px] text-bad">{lab.error}</p>}
          {lab.conflict && (
            <div className="flex flex-wrap items-center gap-2 rounded-lg bg-warn-soft px-3 py-2 text-[13px] text-ink" data-testid="conflict-notice">
              <span className="min-w-0 flex-1">This lab was changed in another tab. This tab stopped saving so neither overwrites the other.</span>
              <button type="button" onClick={lab.loadLatest} className="rounded-md bg-accent px-2.5 py-1 text-xs font-semibold text-accent-ink">
                Load the other tab’s state
              </button>
              <button type="button" onClick={lab.keepMine} className="rounded-md border border-line px-2.5 py-1 text-xs font-medium">
                Keep this tab’s
              </button>
            </div>
          )}
          {lab.heldSave && (
            <div className="flex flex-wrap items-center gap-2 rounded-lg bg-warn-soft px-3 py-2 text-[13px] text-ink" data-testid="held-save-notice" data-kind={lab.heldSave.kind}>
              <span className="min-w-0 flex-[1_1_20rem]">{lab.heldSave.text}</span>
              <button type="button" onClick={() => downloadHeldSave(lab)} className="rounded-md bg-accent px-2.5 py-1 text-xs font-semibold text-accent-ink">
                Download the save ({formatSize(lab.heldSave.chars)})
              </button>
              <button type="button" onClick={lab.releaseHeldSave} className="rounded-md border border-line px-2.5 py-1 text-xs font-medium">
                {lab.heldSave.kind === 'kept' ? 'Delete it' : 'Save this lab over it'}
              </button>
            </div>
          )}
          {lab.notices.map((n) => (
            <div
              key={n.id}
              className={`flex items-start gap-2 rounded-lg px-3 py-2 text-[13px] ${n.tone === 'info' ? 'bg-accent-soft text-ink' : 'bg-warn-soft text-ink'}`}
              data-testid="storage-notice"
            >
              <span className="min-w-0 flex-1">{n.text}</span>
              <button type="button" onClick={() => lab.dismissNotice(n.id)} className="rounded px-1 text-muted hover:text-ink" aria-label="Dismiss notice">
                ✕
              </button>
            </div>
          ))}
        </div>
      )}

      <div className="flex min-h-0 flex-1 flex-col max-lg:h-[min(64dvh,560px)] max-lg:flex-none lg:min-h-[300px]">
        {lab.terminals.map((n) => {
          const link = lab.terminalFor(n);
          return (
            <div
              key={n}
              id={terminalPanelId(n)}
              role="tabpanel"
              aria-labelledby={terminalTabId(n)}
              hidden={tab !== 'terminal' || lab.activeTerminal !== n}
              // a phone's terminal is wider than the screen (MIN_COLUMNS): it scrolls sideways
              className="min-h-0 flex-1 overflow-x-auto overflow-y-hidden bg-term"
              data-testid={n === 0 ? 'terminal' : `terminal-${n}`}
            >
              {lab.generation > 0 && (
                <Suspense fallback={null}>
                  <Terminal
                    key={lab.generation}
                    session={n}
                    label={n === 0 ? 'Terminal' : `Terminal ${n + 1}`}
                    backend={link.backend}
                    hooks={link.hooks}
                    initial={lab.terminalInits[n] ?? { history: [], transcript: '' }}
                    active={!!lab.sim}
                    onOpen={n === 0 ? lab.terminalOpened : undefined}
                    onReady={link.attach}
                    // The learner chooses when the terminal takes the keys (click, Tab, Try it): on
                    // load, PageDown and Space still scroll the lesson.
                    autoFocus={false}
                  />
                </Suspense>
              )}
            </div>
          );
        })}
        {tab === 'terminal' && (
          <div
            role="toolbar"
            aria-label="Extra keys for the terminal"
            className="hidden shrink-0 gap-1 overflow-x-auto border-t border-white/10 bg-term px-1.5 py-1.5 max-sm:flex pointer-coarse:flex"
            data-testid="extra-keys"
          >
            {EXTRA_KEYS.map((k) => (
              <button
                key={k.name}
                type="button"
                aria-label={k.name}
                // the terminal keeps the focus (and the phone its keyboard)
                onPointerDown={(e) => e.preventDefault()}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => lab.typeKeys(k.data)}
                className="min-h-9 flex-auto whitespace-nowrap rounded-md bg-white/10 px-1.5 font-mono text-[13px] text-[#d5dce5] active:bg-white/25"
              >
                {k.label}
              </button>
            ))}
          </div>
        )}
        <div id="panel-editor" role="tabpanel" aria-labelledby="tab-editor" hidden={tab !== 'editor'} className="min-h-0 flex-1">
          {editorOpened && lab.sim && (
            <Suspense fallback={<p className="p-4 text-sm text-muted">Loading the editor…</p>}>
              <YamlEditor
                key={lab.generation}
                sim={lab.sim}
                filesRev={lab.filesRev}
                openFile={lab.openFile}
                setOpenFile={lab.setOpenFile}
                saveFile={lab.saveFile}
                drafts={lab.drafts}
                setDraft={lab.setDraft}
                autoSaved={lab.autoSaved}
                pendingEdit={lab.pendingEdit}
                runInTerminal={(c) => lab.paste(c, true)}
              />
            </Suspense>
          )}
        </div>
        <div id="panel-map" role="tabpanel" aria-labelledby="tab-map" hidden={tab !== 'map'} className="min-h-0 flex-1">
          {tab === 'map' && lab.sim && (
            <Suspense fallback={<p className="p-4 text-sm text-muted">Loading the map…</p>}>
              <ClusterMap sim={lab.sim} rev={lab.objectsRev} reachability={lab.reachability} />
            </Suspense>
          )}
        </div>
      </div>

      {tasksVisible && (
        <div className={`flex shrink-0 flex-col border-t border-line bg-surface ${tasksOpen ? 'lg:max-h-[42%] lg:min-h-[150px]' : ''}`} id="task-panel">
          <TaskPanel
            open={tasksOpen}
            onToggle={() => setTasksOpen((o) => !o)}
            recap={recap}
            tasks={tasks}
            results={lab.results}
            hints={lab.hints}
            solutions={lab.solutions}
            answers={lab.sim?.answers ?? {}}
            completedNow={lab.completedNow}
            next={next}
            onHint={lab.revealHint}
            onSolution={lab.revealSolution}
            onAnswer={lab.answer}
            onPaste={(c) => lab.paste(c)}
            onOpenFile={lab.openInEditor}
            onBringFiles={lab.bringFiles}
            expanded={taskExpanded}
            onExpand={onTaskExpand}
          />
        </div>
      )}

      <dialog
        ref={dialogRef}
        aria-labelledby="reset-title"
        className="m-auto w-[min(92vw,420px)] rounded-2xl border border-line bg-surface p-5 text-ink shadow-2xl backdrop:bg-black/50"
      >
        <h2 id="reset-title" className="text-base font-semibold">
          Reset this lab?
        </h2>
        <p className="mt-2 text-sm text-muted">
          The cluster, your files and task progress go back to the start of the scenario, and this lab’s save is cleared. Your command history (↑) is kept.
          {lab.heldSave?.kind === 'kept' && ' The old save kept for download is deleted too.'}
          {lab.heldSave?.kind === 'newer' && ' The save from a newer version of Netlab stays untouched.'}
        </p>
        <form method="dialog" className="mt-5 flex justify-end gap-2">
          <button value="cancel" className="rounded-lg border border-line px-3 py-1.5 text-sm font-medium hover:bg-surface-2" autoFocus>
            Cancel
          </button>
          <button
            value="reset"
            className="rounded-lg bg-bad px-3 py-1.5 text-sm font-semibold text-white dark:text-[#0c1015]"
            onClick={() => {
              lab.reset();
            }}
          >
            Reset lab
          </button>
        </form>
      </dialog>
    </div>
  );
}
