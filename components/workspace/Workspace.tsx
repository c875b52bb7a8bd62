'use client';
/**
 * The lab side of a lesson (and the playground): terminal, editor and cluster map in
 * tabs, notices, reset, and — for lessons — the task panel.
 */
import dynamic from 'next/dynamic';
import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@/components/terminal/Terminal';
import type { Lab } from './useLab';
import type { LabTask, WorkspaceTab } from './types';
import { TaskPanel } from './TaskPanel';
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

const YamlEditor = dynamic(() => import('@/components/editor/YamlEditor'), {
  ssr: false,
  loading: () => <p className="p-4 text-sm text-muted">Loading the editor…</p>,
});
const ClusterMap = dynamic(() => import('@/components/map/ClusterMap'), {
  ssr: false,
  loading: () => <p className="p-4 text-sm text-muted">Loading the map…</p>,
});

const TABS: { id: WorkspaceTab; label: string }[] = [
  { id: 'terminal', label: 'Terminal' },
  { id: 'editor', label: 'Editor' },
  { id: 'map', label: 'Cluster map' },
];

export interface WorkspaceProps {
  lab: Lab;
  tasks: LabTask[];
  next?: { slug: string; title: string } | null;
  /** Extra controls in the toolbar (the playground's settings). */
  toolbar?: React.ReactNode;
  /** Where the task panel goes: below the tabs (lessons) or nowhere (playground). */
  showTasks?: boolean;
  taskExpanded?: string | null;
  onTaskExpand?(id: string | null): void;
  /** The page shows the map beside the workspace on a desktop (the playground): no map tab there. */
  mapBeside?: boolean;
}

export function Workspace({ lab, tasks, next, toolbar, showTasks = true, taskExpanded, onTaskExpand, mapBeside = false }: WorkspaceProps) {
  const [editorOpened, setEditorOpened] = useState(false);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
  const { tab, setTab } = lab;

  useEffect(() => {
    if (tab === 'editor' && !editorOpened) {
      const t = setTimeout(() => setEditorOpened(true), 0);
      return () => clearTimeout(t);
    }
  }, [tab, editorOpened]);

  const onTabKey = (e: React.KeyboardEvent, i: number) => {
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') j = (i + TABS.length - 1) % TABS.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = TABS.length - 1;
    if (j >= 0) {
      e.preventDefault();
      setTab(TABS[j].id);
      tabRefs.current[TABS[j].id]?.focus();
    }
  };

  const tasksVisible = showTasks && tasks.length > 0;

  return (
    <div className="flex h-full min-h-0 flex-col bg-surface">
      <div className="flex min-h-11 flex-wrap items-center gap-1 border-b border-line px-2">
        <div role="tablist" aria-label="Workspace" className="flex items-center gap-0.5">
          {TABS.map((t, i) => (
            <button
              key={t.id}
              ref={(el) => {
                tabRefs.current[t.id] = el;
              }}
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => setTab(t.id)}
              onKeyDown={(e) => onTabKey(e, i)}
              className={`relative rounded-md px-2.5 py-2 text-[13px] font-medium ${tab === t.id ? 'text-ink' : 'text-muted hover:text-ink'} ${mapBeside && t.id === 'map' ? 'lg:hidden' : ''}`}
            >
              {t.label}
              {t.id === 'editor' && lab.pendingEdit && <span className="ml-1 inline-block h-1.5 w-1.5 rounded-full bg-warn align-middle" aria-label="(waiting for save)" />}
              {tab === t.id && <span className="absolute inset-x-2 -bottom-[5px] h-0.5 rounded-full bg-accent" aria-hidden="true" />}
            </button>
          ))}
        </div>
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
        <div
          id="panel-terminal"
          role="tabpanel"
          aria-labelledby="tab-terminal"
          hidden={tab !== 'terminal'}
          className="min-h-0 flex-1 bg-term"
          data-testid="terminal"
        >
          {lab.generation > 0 && (
            <Terminal
              key={lab.generation}
              backend={lab.backend}
              hooks={lab.terminalHooks}
              initial={lab.terminalInit}
              active={!!lab.sim}
              onOpen={lab.terminalOpened}
              onReady={lab.attachTerminal}
              // The learner chooses when the terminal takes the keys (click, Tab, Try it): on
              // load, PageDown and Space still scroll the lesson.
              autoFocus={false}
            />
          )}
        </div>
        <div id="panel-editor" role="tabpanel" aria-labelledby="tab-editor" hidden={tab !== 'editor'} className="min-h-0 flex-1">
          {editorOpened && lab.sim && (
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
          )}
        </div>
        <div id="panel-map" role="tabpanel" aria-labelledby="tab-map" hidden={tab !== 'map'} className="min-h-0 flex-1">
          {tab === 'map' && lab.sim && <ClusterMap sim={lab.sim} rev={lab.objectsRev} reachability={lab.reachability} />}
        </div>
      </div>

      {tasksVisible && (
        <div className="flex shrink-0 flex-col border-t border-line bg-surface lg:max-h-[42%] lg:min-h-[150px]" id="task-panel">
          <TaskPanel
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
