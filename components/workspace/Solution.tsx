'use client';
/**
 * A task's reference solution, shown once the learner asks for it: its files (open them in
 * the editor) and its commands (paste them into the terminal, bringing the files they
 * name). A chunk of its own, loaded when a solution is first shown (TaskPanel.tsx).
 */
import { useState } from 'react';
import type { LabTask } from './types';
import type { BroughtFile } from './lab-session';

/** Says what pasting a solution command did to the files it needs. */
function broughtText(files: BroughtFile[]): string {
  return files
    .map((f) =>
      f.outcome === 'created'
        ? `Wrote ~/${f.name} for this command.`
        : f.outcome === 'replaced'
          ? `Replaced ~/${f.name} with the solution’s${f.backup ? ` (yours is kept as ~/${f.backup})` : ''}.`
          : `~/${f.name} is already the solution’s.`,
    )
    .join(' ');
}

export default function Solution({
  task,
  onPaste,
  onOpenFile,
  onBringFiles,
}: {
  task: LabTask;
  onPaste(cmd: string): void;
  onOpenFile?(name: string, content: string): void;
  onBringFiles?(files: Record<string, string>, command: string): BroughtFile[];
}) {
  const files = Object.entries(task.solution.files ?? {});
  const commands = task.solution.commands ?? [];
  const [status, setStatus] = useState('');
  /** The solution files a command reads (its words name them). */
  const needs = (c: string) => files.filter(([name]) => c.split(/\s+/).some((w) => w === name || w === `~/${name}` || w === `./${name}`)).map(([name]) => name);
  return (
    <div className="space-y-2 rounded-lg border border-line bg-surface p-3" data-testid="solution">
      <p className="text-xs font-semibold uppercase tracking-wide text-muted">Reference solution</p>
      {files.map(([path, content]) => (
        <div key={path}>
          <div className="mb-1 flex items-center gap-2">
            <p className="min-w-0 flex-1 truncate font-mono text-xs text-muted">~/{path}</p>
            {onOpenFile && (
              <button
                type="button"
                onClick={() => onOpenFile(path, content)}
                className="shrink-0 rounded-md border border-line px-2 py-0.5 text-xs font-medium text-muted hover:bg-surface-2 hover:text-ink"
                aria-label={`Open in editor: ${path}`}
              >
                Open in editor
              </button>
            )}
          </div>
          <pre tabIndex={0} aria-label={`${path} (code)`} className="max-h-48 overflow-auto rounded-md bg-term p-2 font-mono text-[12px] leading-relaxed text-[#d5dce5]">
            {content}
          </pre>
        </div>
      ))}
      {commands.length === 0 && files.length === 0 && <p className="text-[13px] text-muted">Nothing to type: the answer comes from reading the cluster.</p>}
      <ul className="space-y-1.5">
        {commands.map((c, i) => {
          const needed = needs(c);
          return (
            <li key={i} className="flex items-start gap-2">
              <code className="min-w-0 flex-1 whitespace-pre-wrap break-all rounded-md bg-term px-2 py-1.5 font-mono text-[12px] text-[#d5dce5]">{c}</code>
              <button
                type="button"
                onClick={() => {
                  if (needed.length > 0 && onBringFiles) setStatus(broughtText(onBringFiles(task.solution.files ?? {}, c)));
                  onPaste(c);
                }}
                className="shrink-0 rounded-md border border-line px-2 py-1 text-xs font-medium text-muted hover:bg-surface-2 hover:text-ink"
                aria-label={needed.length > 0 ? `Paste into the terminal, writing ${needed.join(', ')}: ${c}` : `Paste into the terminal: ${c}`}
                title={needed.length > 0 ? `Also writes ${needed.map((n) => '~/' + n).join(', ')}` : undefined}
              >
                Paste
              </button>
            </li>
          );
        })}
      </ul>
      <p className="text-xs text-muted empty:hidden" role="status" data-testid="solution-status">
        {status}
      </p>
    </div>
  );
}
