'use client';
/**
 * The studio's editor: one Monaco (the installed package, set up as the lab's editor is —
 * components/editor/monaco-setup.ts, never a CDN) with a model per lesson file, so each
 * keeps its own undo history. The checker's problems are markers on their lines (squiggle,
 * gutter, hover) and the line itself is highlighted; `reveal` moves the cursor to one.
 *
 * tasks.yaml and scenario.yaml are highlighted as YAML under a language id of their own
 * (`lesson-yaml`): the lab's YAML language validates against the Kubernetes schemas, which
 * a lesson's own files are not. index.mdx is highlighted as Markdown.
 */
import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef, useState } from 'react';
import { setupMonaco, type Monaco } from '@/components/editor/monaco-setup';
import { useTheme } from '@/components/site/ThemeToggle';
import type { StudioProblem } from '@/lib/studio/check';
import type { StudioFile } from '@/lib/studio/files';

let languages: Promise<void> | null = null;

function setupLanguages(monaco: Monaco): Promise<void> {
  languages ??= (async () => {
    const [yaml, md] = await Promise.all([import('monaco-editor/esm/vs/basic-languages/yaml/yaml'), import('monaco-editor/esm/vs/basic-languages/markdown/markdown')]);
    monaco.languages.register({ id: 'lesson-yaml' });
    monaco.languages.setMonarchTokensProvider('lesson-yaml', yaml.language);
    monaco.languages.setLanguageConfiguration('lesson-yaml', yaml.conf);
    monaco.languages.register({ id: 'lesson-mdx' });
    monaco.languages.setMonarchTokensProvider('lesson-mdx', md.language);
    monaco.languages.setLanguageConfiguration('lesson-mdx', md.conf);
    // the light theme's attribute names (#ff0000) fall short of 4.5:1 on white: a darker red
    monaco.editor.defineTheme('netlab-studio-light', { base: 'vs', inherit: true, rules: [{ token: 'attribute.name', foreground: 'b3261e' }], colors: { 'editor.background': '#ffffff' } });
  })();
  return languages;
}

export interface StudioEditorProps {
  file: StudioFile;
  value: string;
  onChange(file: StudioFile, text: string): void;
  problems: StudioProblem[];
  /** A line to move to (set by a click on a problem); `n` makes a second click on the same line move again. */
  reveal: { file: StudioFile; line: number; n: number } | null;
}

type Editor = Parameters<OnMount>[0];

export default function StudioEditor({ file, value, onChange, problems, reveal }: StudioEditorProps) {
  const theme = useTheme();
  const [monaco, setMonaco] = useState<Monaco | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  const decorations = useRef<{ clear(): void } | null>(null);

  useEffect(() => {
    let live = true;
    setupMonaco()
      .then(async (m) => {
        await setupLanguages(m);
        if (live) setMonaco(m);
      })
      .catch((e: Error) => live && setLoadError(e.message));
    return () => {
      live = false;
    };
  }, []);

  // problems → markers and highlighted lines, on every file's model
  useEffect(() => {
    if (!monaco || !editor) return;
    for (const f of ['index.mdx', 'tasks.yaml', 'scenario.yaml'] as StudioFile[]) {
      const model = monaco.editor.getModel(monaco.Uri.parse(`file:///${f}`));
      if (!model) continue;
      const lines = model.getLineCount();
      monaco.editor.setModelMarkers(
        model,
        'lessons-check',
        problems
          .filter((p) => p.file === f)
          .map((p) => {
            const line = Math.min(Math.max(p.line ?? 1, 1), lines);
            return { severity: monaco.MarkerSeverity.Error, message: p.message, startLineNumber: line, startColumn: 1, endLineNumber: line, endColumn: model.getLineMaxColumn(line), source: 'lessons:check' };
          }),
      );
    }
    decorations.current?.clear();
    const model = editor.getModel();
    if (!model) return;
    const lines = model.getLineCount();
    decorations.current = editor.createDecorationsCollection(
      problems
        .filter((p) => p.file === file && p.line !== undefined)
        .map((p) => {
          const line = Math.min(p.line!, lines);
          return { range: new monaco.Range(line, 1, line, 1), options: { isWholeLine: true, className: 'studio-error-line', linesDecorationsClassName: 'studio-error-gutter', overviewRuler: { color: '#e5484d', position: monaco.editor.OverviewRulerLane.Left } } };
        }),
    );
  }, [monaco, editor, problems, file, value]);

  useEffect(() => {
    if (!editor || !reveal || reveal.file !== file) return;
    editor.revealLineInCenter(reveal.line);
    editor.setPosition({ lineNumber: reveal.line, column: 1 });
    editor.focus();
  }, [editor, reveal, file]);

  if (loadError) return <p className="p-4 text-sm text-bad">The editor did not load: {loadError}</p>;
  if (!monaco) return <p className="p-4 text-sm text-muted">Loading the editor…</p>;
  return (
    <Editor
      path={`file:///${file}`}
      language={file === 'index.mdx' ? 'lesson-mdx' : 'lesson-yaml'}
      value={value}
      theme={theme === 'dark' ? 'netlab-dark' : 'netlab-studio-light'}
      onChange={(v) => onChange(file, v ?? '')}
      onMount={(ed) => setEditor(ed)}
      options={{
        minimap: { enabled: false },
        fontSize: 13,
        lineNumbersMinChars: 3,
        scrollBeyondLastLine: false,
        wordWrap: file === 'index.mdx' ? 'on' : 'off',
        tabSize: 2,
        automaticLayout: true,
        ariaLabel: `${file} (editor)`,
        renderLineHighlight: 'gutter',
        fixedOverflowWidgets: true,
      }}
      loading={<p className="p-4 text-sm text-muted">Loading the editor…</p>}
    />
  );
}
