'use client';
/**
 * The YAML editor: the workstation's home directory on the left, Monaco on the right.
 * Files are the simulation's files (the worker's SimView.files): a save here is what `kubectl apply -f` reads,
 * and `kubectl get … -o yaml > web.yaml` shows up here. Loaded only when its tab opens.
 *
 * Unsaved buffers live in the lab (LabSession drafts), not here: every command line saves
 * them first, so the terminal always sees what the editor shows — the header says so.
 */
import Editor from '@monaco-editor/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SimView } from '@/lib/engine-worker/protocol';
import { setupMonaco, type Monaco } from './monaco-setup';
import { useTheme } from '@/components/site/ThemeToggle';
import { listFiles, HOME } from '@/lib/files';
import type { PendingEdit } from '@/components/workspace/useLab';

export interface YamlEditorProps {
  sim: SimView;
  filesRev: number;
  openFile: string | undefined;
  setOpenFile(path: string | undefined): void;
  saveFile(path: string, content: string): void;
  /** Unsaved buffers (absolute path → text), kept by the lab. */
  drafts: Record<string, string>;
  setDraft(path: string, text: string | null): void;
  /** The last automatic save before a command, if it is still the news. */
  autoSaved: { files: string[]; command: string } | null;
  pendingEdit: PendingEdit | null;
  runInTerminal(command: string): void;
}

/**
 * Fetches and sets up Monaco ahead of the editor's first opening (Workspace's idle preload),
 * with the YAML grammar Monaco would otherwise fetch when the editor first shows a file.
 */
export function preloadMonaco(): Promise<unknown> {
  return setupMonaco().then(() => import('monaco-editor/esm/vs/basic-languages/yaml/yaml'));
}

export default function YamlEditor({ sim, filesRev, openFile, setOpenFile, saveFile, drafts, setDraft, autoSaved, pendingEdit, runInTerminal }: YamlEditorProps) {
  const theme = useTheme();
  const [monaco, setMonaco] = useState<Monaco | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editDraft, setEditDraft] = useState<string | null>(null);
  const [newName, setNewName] = useState<string | null>(null);
  const files = listFiles(sim.files);
  void filesRev; // re-render on file writes (the list and the saved contents come from sim.files)

  useEffect(() => {
    let live = true;
    setupMonaco()
      .then((m) => live && setMonaco(m))
      .catch((e: Error) => live && setLoadError(e.message));
    return () => {
      live = false;
    };
  }, []);

  const current = pendingEdit ? pendingEdit.edit.path : openFile && files.some((f) => f.path === openFile) ? openFile : files[0]?.path;
  const saved = pendingEdit ? pendingEdit.edit.content : current ? (sim.files[current] ?? '') : '';
  const value = pendingEdit ? (editDraft ?? saved) : current ? (drafts[current] ?? saved) : '';
  const dirty = pendingEdit ? editDraft !== null && editDraft !== saved : !!current && drafts[current] !== undefined && drafts[current] !== saved;

  const stateRef = useRef({ current, value, pendingEdit });
  useEffect(() => {
    stateRef.current = { current, value, pendingEdit };
  });

  const editorRef = useRef<{ getValue(): string } | null>(null);

  const save = useCallback(() => {
    const { current, pendingEdit } = stateRef.current;
    // The editor's own text, not the last rendered state: a save right after a keystroke
    // must not lose it.
    const value = editorRef.current?.getValue() ?? stateRef.current.value;
    if (pendingEdit) {
      setEditDraft(null);
      pendingEdit.done(value);
      return;
    }
    if (!current) return;
    saveFile(current, value);
  }, [saveFile]);

  const onChange = (v: string | undefined) => {
    const text = v ?? '';
    if (pendingEdit) {
      setEditDraft(text);
      return;
    }
    if (!current) return;
    setDraft(current, text === saved ? null : text);
  };

  const createFile = (name: string) => {
    const clean = name.trim().replace(/^~\//, '');
    if (!clean || clean.includes('..') || clean.startsWith('/')) return;
    const path = `${HOME}/${clean}`;
    if (!sim.files[path]) saveFile(path, '');
    setOpenFile(path);
    setNewName(null);
  };

  const shortName = current ? current.replace(HOME + '/', '') : '';
  const autoSavedHere = !dirty && !!current && !!autoSaved?.files.includes(current);

  return (
    <div className="flex h-full min-h-0 flex-col bg-surface sm:flex-row">
      <nav aria-label="Files in ~" className="flex shrink-0 flex-col border-line sm:w-48 sm:border-r max-sm:border-b">
        <div className="flex items-center justify-between px-3 pb-1 pt-2.5">
          <span className="font-mono text-xs font-medium text-muted">~ (home)</span>
          <button
            type="button"
            onClick={() => setNewName(newName === null ? '' : null)}
            className="rounded-md px-1.5 py-0.5 text-xs font-medium text-accent hover:bg-surface-2"
            disabled={!!pendingEdit}
          >
            + New
          </button>
        </div>
        {newName !== null && (
          <form
            className="px-2 pb-2"
            onSubmit={(e) => {
              e.preventDefault();
              createFile(newName);
            }}
          >
            <input
              autoFocus
              value={newName}
              onChange={(e) => setNewName(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setNewName(null)}
              placeholder="name.yaml"
              aria-label="New file name"
              className="w-full rounded-md border border-line bg-bg px-2 py-1 font-mono text-xs text-ink"
            />
          </form>
        )}
        <ul className="flex gap-1 overflow-x-auto px-2 pb-2 sm:block sm:space-y-0.5 sm:overflow-y-auto">
          {pendingEdit && (
            <li>
              <span className="block truncate rounded-md bg-warn-soft px-2 py-1 font-mono text-xs text-warn">{pendingEdit.edit.path.split('/').pop()}</span>
            </li>
          )}
          {files.map((f) => {
            const name = f.path.replace(HOME + '/', '');
            const active = !pendingEdit && f.path === current;
            return (
              <li key={f.path} className="shrink-0">
                <button
                  type="button"
                  onClick={() => setOpenFile(f.path)}
                  disabled={!!pendingEdit}
                  aria-current={active ? 'true' : undefined}
                  className={`block w-full truncate rounded-md px-2 py-1 text-left font-mono text-xs ${active ? 'bg-accent-soft text-accent' : 'text-ink hover:bg-surface-2'} disabled:opacity-50`}
                >
                  {name}
                  {drafts[f.path] !== undefined && <span className="ml-1 text-warn" aria-label="unsaved">●</span>}
                </button>
              </li>
            );
          })}
          {files.length === 0 && !pendingEdit && <li className="px-2 py-1 text-xs text-faint">No files yet.</li>}
        </ul>
      </nav>
      <div className="flex min-h-0 min-w-0 flex-1 flex-col">
        <div className="flex min-h-10 flex-wrap items-center gap-2 border-b border-line px-3 py-1.5">
          {pendingEdit ? (
            <p className="min-w-0 flex-1 text-xs text-warn">
              <span className="font-semibold">kubectl edit</span> is waiting — save to apply, or cancel.
            </p>
          ) : (
            <div className="min-w-0 flex-1 leading-tight">
              <p className="truncate font-mono text-xs text-muted" data-testid="open-file">
                {shortName ? `~/${shortName}` : 'Create a file to start'}
              </p>
              {current && (
                <p
                  className={`mt-0.5 text-xs ${dirty ? 'text-warn' : 'text-ok'}`}
                  role="status"
                  data-testid="save-state"
                  data-state={dirty ? 'unsaved' : 'saved'}
                  title={dirty ? 'Commands you run in the terminal save this file first, so they see what you see here.' : undefined}
                >
                  {dirty
                    ? '● Unsaved — running a command saves it'
                    : autoSavedHere
                      ? `✓ Saved when you ran ${autoSaved!.command.length > 48 ? autoSaved!.command.slice(0, 47) + '…' : autoSaved!.command}`
                      : '✓ Saved'}
                </p>
              )}
            </div>
          )}
          {pendingEdit && (
            <button type="button" onClick={() => pendingEdit.done(null)} className="rounded-md border border-line px-2.5 py-1 text-xs font-medium text-ink hover:bg-surface-2">
              Cancel
            </button>
          )}
          {!pendingEdit && current && /\.(ya?ml|json)$/.test(current) && (
            <button
              type="button"
              onClick={() => {
                if (dirty) save();
                runInTerminal(`kubectl apply -f ${shortName}`);
              }}
              className="rounded-md border border-line px-2.5 py-1 text-xs font-medium text-ink hover:bg-surface-2"
              title="Save, then type kubectl apply -f in the terminal"
            >
              Apply in terminal
            </button>
          )}
          <button
            type="button"
            onClick={save}
            disabled={!current || (!dirty && !pendingEdit)}
            className="rounded-md bg-accent px-2.5 py-1 text-xs font-semibold text-accent-ink hover:opacity-90 disabled:opacity-40"
          >
            Save <span className="font-normal opacity-75">⌘S</span>
          </button>
        </div>
        <div className="relative min-h-0 flex-1" data-testid="editor">
          {loadError && <p className="p-4 text-sm text-bad">The editor could not load: {loadError}</p>}
          {!monaco && !loadError && <p className="p-4 text-sm text-muted">Loading the editor…</p>}
          {monaco && current && (
            <Editor
              path={current}
              language="yaml"
              value={value}
              theme={theme === 'dark' ? 'netlab-dark' : 'netlab-light'}
              onChange={onChange}
              onMount={(editor, m) => {
                editorRef.current = editor;
                editor.addCommand(m.KeyMod.CtrlCmd | m.KeyCode.KeyS, () => save());
              }}
              options={{
                fontSize: 13,
                fontFamily: "ui-monospace, 'SF Mono', SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace",
                minimap: { enabled: false },
                scrollBeyondLastLine: false,
                tabSize: 2,
                insertSpaces: true,
                detectIndentation: false,
                // YAML's meaning is its indentation: what the learner types or pastes stays
                // exactly as typed — no indent added on Enter or on paste, no closing
                // brackets or quotes inserted, no reformatting.
                autoIndent: 'none',
                formatOnPaste: false,
                formatOnType: false,
                autoClosingBrackets: 'never',
                autoClosingQuotes: 'never',
                autoClosingOvertype: 'never',
                autoSurround: 'never',
                acceptSuggestionOnCommitCharacter: false,
                automaticLayout: true,
                wordWrap: 'on',
                renderLineHighlight: 'line',
                padding: { top: 10 },
                accessibilitySupport: 'auto',
                tabFocusMode: false,
                quickSuggestions: { other: true, comments: false, strings: true },
                // Enter always starts a new line (YAML is line-oriented); Tab takes a suggestion.
                acceptSuggestionOnEnter: 'off',
              }}
            />
          )}
        </div>
      </div>
    </div>
  );
}
