'use client';
/**
 * The authoring studio (/authoring/studio): a lesson's index.mdx, tasks.yaml and
 * scenario.yaml in Monaco beside a live preview, the lesson checker and the
 * reference-solution replay run in a Web Worker as you type (lib/studio/check.ts — the
 * CLI's checks), problems at `file:line` with the line highlighted, a lab on the edited
 * scenario, drafts kept in localStorage, and the folder exported or imported as a .zip.
 * Start from a course lesson or from the `npm run lesson:new` template.
 */
import dynamic from 'next/dynamic';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { LabContext, type LabContextValue } from '@/components/lesson/LabContext';
import type { LabTask } from '@/components/workspace/types';
import { validateTasksDoc } from '@/engine/grading/validate';
import { parseFrontmatter, parseYamlFile } from '@/lib/lesson-parse';
import { lessonTemplate } from '@/lib/lesson-template';
import type { LessonFiles } from '@/lib/lesson-check';
import type { StudioCheckResult, StudioProblem } from '@/lib/studio/check';
import { STUDIO_FILES, type StudioFile } from '@/lib/studio/files';
import { CheckClient } from '@/lib/studio/check-client';
import { exportLessonZip, importLessonZip, ImportError, MAX_IMPORT_BYTES } from '@/lib/studio/bundle';
import { discardDraft, findDraft, readDrafts, saveDraft, type StudioDraft } from '@/lib/studio/drafts';
import { parseMdx } from '@/lib/studio/mdx';
import { PreviewBody } from './Preview';

const StudioEditor = dynamic(() => import('./StudioEditor'), { ssr: false, loading: () => <p className="p-4 text-sm text-muted">Loading the editor…</p> });
const StudioLab = dynamic(() => import('./StudioLab'), { ssr: false, loading: () => <p className="p-4 text-sm text-muted">Starting the lab…</p> });

export interface CourseEntry {
  slug: string;
  title: string;
  order: number;
  module: string;
}

type Texts = Record<StudioFile, string>;
const KEYS: Record<StudioFile, 'mdx' | 'tasksText' | 'scenario'> = { 'index.mdx': 'mdx', 'tasks.yaml': 'tasksText', 'scenario.yaml': 'scenario' };

interface Loaded {
  source: string;
  slug: string;
  texts: Texts;
  files: Record<string, string>;
  /** The texts as loaded (a draft equal to them is no draft). */
  original: Texts;
}

type CheckState = { status: 'idle' } | { status: 'running'; last?: StudioCheckResult } | { status: 'done'; result: StudioCheckResult } | { status: 'crashed'; message: string };

const CHECK_DELAY_MS = 700;
const SAVE_DELAY_MS = 400;

function textsOf(l: LessonFiles): Texts {
  return { 'index.mdx': l.mdx ?? '', 'tasks.yaml': l.tasksText ?? '', 'scenario.yaml': l.scenario ?? '' };
}
function lessonOf(texts: Texts, files: Record<string, string>): LessonFiles {
  return { mdx: texts['index.mdx'], tasksText: texts['tasks.yaml'], scenario: texts['scenario.yaml'], files };
}

function blank(course: CourseEntry[]): Loaded {
  const order = (course.length ? Math.max(...course.map((c) => c.order)) : 0) + 10;
  const nn = Math.min(99, (course.length ? Math.max(...course.map((c) => Number(c.slug.slice(0, 2)))) : 9) + 1);
  const t = lessonTemplate('My new lesson', order);
  const files: Record<string, string> = {};
  for (const [k, v] of Object.entries(t)) if (k.startsWith('files/')) files[k.slice(6)] = v;
  const texts = { 'index.mdx': t['index.mdx'], 'tasks.yaml': t['tasks.yaml'], 'scenario.yaml': t['scenario.yaml'] };
  return { source: 'blank', slug: `${String(nn).padStart(2, '0')}-my-new-lesson`, texts, files, original: texts };
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Arrow keys, Home and End move between the tabs of a tablist (WAI-ARIA tabs), focusing the new one. */
function tabKeys<T extends string>(e: React.KeyboardEvent, keys: readonly T[], current: T, choose: (k: T) => void, id: (k: T) => string) {
  const i = keys.indexOf(current);
  const j = e.key === 'ArrowRight' ? (i + 1) % keys.length : e.key === 'ArrowLeft' ? (i + keys.length - 1) % keys.length : e.key === 'Home' ? 0 : e.key === 'End' ? keys.length - 1 : -1;
  if (j < 0) return;
  e.preventDefault();
  choose(keys[j]);
  document.getElementById(id(keys[j]))?.focus();
}

const button = 'inline-flex items-center justify-center gap-1.5 rounded-lg border border-line bg-surface px-3 py-1.5 text-sm font-medium text-ink hover:bg-surface-2 disabled:opacity-50';
const primary = 'inline-flex items-center justify-center gap-1.5 rounded-lg bg-accent px-3 py-1.5 text-sm font-semibold text-accent-ink hover:opacity-90 disabled:opacity-50';

export function Studio({ course }: { course: CourseEntry[] }) {
  const [doc, setDoc] = useState<Loaded | null>(null);
  const [file, setFile] = useState<StudioFile>('index.mdx');
  const [panel, setPanel] = useState<'preview' | 'replay' | 'lab'>('preview');
  const [labOpened, setLabOpened] = useState(false);
  const [check, setCheck] = useState<CheckState>({ status: 'idle' });
  const [notice, setNotice] = useState<{ tone: 'info' | 'warn' | 'error'; text: string } | null>(null);
  const [loading, setLoading] = useState<string | null>(null);
  const [reveal, setReveal] = useState<{ file: StudioFile; line: number; n: number } | null>(null);
  const [exported, setExported] = useState<{ url: string; name: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const labPaste = useRef<((command: string) => void) | null>(null);
  const pendingPaste = useRef<string | null>(null);

  // ---- loading a starting point -------------------------------------------------------

  const open = useCallback(
    async (source: string) => {
      const store = storage();
      const draft = store ? findDraft(store, source) : undefined;
      setNotice(null);
      setCheck({ status: 'idle' });
      if (source === 'blank') {
        const b = blank(course);
        setDoc(draft ? { ...b, slug: draft.slug, texts: textsOf(draft.lesson), files: draft.lesson.files } : b);
        if (draft) setNotice({ tone: 'info', text: 'Your draft of the blank lesson is back, as you left it.' });
        return;
      }
      if (source === 'import') {
        if (!draft) return;
        const texts = textsOf(draft.lesson);
        setDoc({ source, slug: draft.slug, texts, files: draft.lesson.files, original: texts });
        setNotice({ tone: 'info', text: 'Your imported lesson is back, as you left it.' });
        return;
      }
      const slug = source.replace(/^lesson:/, '');
      setLoading(slug);
      try {
        const res = await fetch(`/authoring/studio/lesson/${slug}.json`);
        if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
        const l = (await res.json()) as LessonFiles & { slug: string };
        const original = textsOf(l);
        setDoc(draft ? { source, slug: draft.slug, texts: textsOf(draft.lesson), files: draft.lesson.files, original } : { source, slug, texts: original, files: l.files, original });
        if (draft) setNotice({ tone: 'info', text: `Your draft of ${slug} is back, as you left it. Discard it to start again from the course’s version.` });
      } catch (e) {
        setNotice({ tone: 'error', text: `Could not load ${slug}: ${(e as Error).message}` });
      } finally {
        setLoading(null);
      }
    },
    [course],
  );

  // first visit: the most recent draft, or the blank template
  useEffect(() => {
    const store = storage();
    const last = store ? readDrafts(store)[0] : undefined;
    const t = setTimeout(() => void open(last?.source ?? 'blank'), 0);
    return () => clearTimeout(t);
  }, [open]);

  // ---- edits, drafts --------------------------------------------------------------------

  const edit = useCallback((f: StudioFile, text: string) => {
    setDoc((d) => (d && d.texts[f] !== text ? { ...d, texts: { ...d.texts, [f]: text } } : d));
  }, []);

  const edited = !!doc && (STUDIO_FILES.some((f) => doc.texts[f] !== doc.original[f]) || doc.source === 'import');
  const [draftNote, setDraftNote] = useState<string | null>(null);
  useEffect(() => {
    if (!doc) return;
    const t = setTimeout(() => {
      const store = storage();
      if (!store) return;
      if (!edited) {
        discardDraft(store, doc.source);
        setDraftNote(null);
        return;
      }
      const draft: StudioDraft = { source: doc.source, slug: doc.slug, lesson: lessonOf(doc.texts, doc.files) };
      const r = saveDraft(store, draft);
      setDraftNote(r.saved ? 'Draft saved in this browser' : `Draft not saved: ${r.reason}`);
    }, SAVE_DELAY_MS);
    return () => clearTimeout(t);
  }, [doc, edited]);

  const discard = () => {
    if (!doc) return;
    const store = storage();
    if (store) discardDraft(store, doc.source);
    if (doc.source === 'import') void open('blank');
    else void open(doc.source);
  };

  // ---- the checker ----------------------------------------------------------------------

  const client = useRef<CheckClient | null>(null);
  useEffect(() => {
    const c = new CheckClient();
    client.current = c;
    return () => c.dispose();
  }, []);

  const running = useRef(false);
  const again = useRef(false);
  const latest = useRef<Loaded | null>(null);
  useEffect(() => {
    latest.current = doc;
  });

  const runCheck = useCallback(async () => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    try {
      do {
        again.current = false;
        const d = latest.current;
        if (!d || !client.current) break;
        setCheck((s) => ({ status: 'running', last: s.status === 'done' ? s.result : s.status === 'running' ? s.last : undefined }));
        const from = d.source.startsWith('lesson:') ? d.source.slice(7) : null;
        const o = await client.current.check({ slug: d.slug, lesson: lessonOf(d.texts, d.files), course: course.filter((c) => c.slug !== from).map((c) => ({ slug: c.slug, order: c.order })) });
        if (o.kind === 'result') setCheck({ status: 'done', result: o.result });
        else if (o.kind === 'crashed') setCheck({ status: 'crashed', message: o.message });
      } while (again.current);
    } finally {
      running.current = false;
    }
  }, [course]);

  const texts = doc?.texts;
  const slug = doc?.slug;
  useEffect(() => {
    if (!texts) return;
    const t = setTimeout(() => void runCheck(), CHECK_DELAY_MS);
    return () => clearTimeout(t);
  }, [texts, slug, runCheck]);

  const result = check.status === 'done' ? check.result : check.status === 'running' ? check.last : undefined;
  const problems = useMemo(() => result?.problems ?? [], [result]);
  const countIn = (f: StudioFile) => problems.filter((p) => p.file === f).length;

  const goTo = (p: StudioProblem) => {
    setFile(p.file);
    if (p.line) setReveal((r) => ({ file: p.file, line: p.line!, n: (r?.n ?? 0) + 1 }));
  };

  // ---- preview --------------------------------------------------------------------------

  const mdx = useDeferredValue(doc?.texts['index.mdx'] ?? '');
  const parsed = useMemo(() => parseMdx(mdx), [mdx]);
  const fm = useMemo(() => parseFrontmatter(mdx), [mdx]);
  const meta = (fm.data ?? {}) as { title?: unknown; summary?: unknown; module?: unknown; minutes?: unknown; objectives?: unknown };
  const tasksText = useDeferredValue(doc?.texts['tasks.yaml'] ?? '');
  const tasks = useMemo(() => {
    const y = parseYamlFile(tasksText);
    return y.error ? [] : (validateTasksDoc(y.data).tasks as unknown as LabTask[]);
  }, [tasksText]);

  const labContext = useMemo<LabContextValue>(
    () => ({
      tasks,
      results: [],
      paste: (command) => {
        setPanel('lab');
        setLabOpened(true);
        if (labPaste.current) labPaste.current(command);
        else pendingPaste.current = command;
      },
      focusTask: () => setPanel('replay'),
      openInEditor: null,
    }),
    [tasks],
  );

  // ---- export / import ------------------------------------------------------------------

  useEffect(() => () => void (exported && URL.revokeObjectURL(exported.url)), [exported]);

  const exportZip = () => {
    if (!doc) return;
    const bytes = exportLessonZip(doc.slug, lessonOf(doc.texts, doc.files));
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
    setExported({ url, name: `${doc.slug}.zip` });
  };
  // the link is clicked once it exists (a click in the same task as its creation is what browsers allow as a download)
  const downloadRef = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (exported) downloadRef.current?.click();
  }, [exported]);

  const importZip = async (f: File) => {
    if (f.size > MAX_IMPORT_BYTES) {
      setNotice({ tone: 'error', text: `${f.name} is ${Math.ceil(f.size / 1024)} KB: a lesson zip is at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB.` });
      return;
    }
    try {
      const { slug, lesson } = importLessonZip(new Uint8Array(await f.arrayBuffer()));
      const texts = textsOf(lesson);
      const missing = STUDIO_FILES.filter((k) => lesson[KEYS[k]] === undefined);
      const name = slug ?? f.name.replace(/\.zip$/i, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
      setDoc({ source: 'import', slug: name, texts, files: lesson.files, original: texts });
      setCheck({ status: 'idle' });
      setNotice({ tone: missing.length ? 'warn' : 'info', text: `Imported ${f.name} as ${name}${missing.length ? ` — it has no ${missing.join(', ')} (an empty one is in the editor)` : ''}. The checker runs on it below.` });
    } catch (e) {
      setNotice({ tone: 'error', text: `${f.name}: ${e instanceof ImportError ? e.message : `could not be read (${(e as Error).message})`}` });
    }
  };

  // ---- render ---------------------------------------------------------------------------

  const sourceValue = doc?.source === 'import' ? 'import' : (doc?.source ?? 'blank');
  const checking = check.status === 'running';
  const summary =
    check.status === 'crashed'
      ? `The checker stopped: ${check.message}`
      : !result
        ? 'Checking…'
        : problems.length
          ? `${problems.length} problem${problems.length === 1 ? '' : 's'} — the lesson checker would fail`
          : `No problems: the lesson checker passes (${result.taskCount} task${result.taskCount === 1 ? '' : 's'}, every solution replayed)`;

  return (
    <main id="main" className="mx-auto flex w-full max-w-[100rem] flex-col px-3 pb-16 pt-5 sm:px-5">
      <div className="flex flex-wrap items-end gap-x-6 gap-y-3">
        <div className="min-w-0">
          <p className="text-xs font-semibold uppercase tracking-[0.1em] text-accent">For instructors</p>
          <h1 className="mt-1 text-2xl font-bold tracking-tight text-ink">Authoring studio</h1>
          <p className="mt-1 max-w-2xl text-sm text-muted">
            Edit a lesson beside its preview; the <a className="text-accent underline underline-offset-4" href="/authoring/#running-the-checker">lesson checker</a> runs as you type, in this
            browser. Export the folder into <code className="font-mono text-[0.85em]">lessons/</code> when it passes.
          </p>
        </div>
      </div>

      <div className="mt-4 flex flex-wrap items-end gap-3 rounded-xl border border-line bg-surface px-3 py-3">
        <label className="flex w-full min-w-0 flex-col gap-1 text-xs font-medium text-muted sm:w-auto">
          Start from
          <select
            value={sourceValue}
            onChange={(e) => void open(e.target.value)}
            className="w-full rounded-lg border border-line bg-bg px-2 py-1.5 text-sm text-ink sm:w-auto sm:max-w-[20rem]"
            data-testid="studio-source"
          >
            <option value="blank">Blank lesson (the lesson:new template)</option>
            {doc?.source === 'import' && <option value="import">Imported: {doc.slug}</option>}
            <optgroup label="Course lessons">
              {course.map((c) => (
                <option key={c.slug} value={`lesson:${c.slug}`}>
                  {c.slug} — {c.title}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Folder (lessons/…)
          <input
            value={doc?.slug ?? ''}
            onChange={(e) => setDoc((d) => (d ? { ...d, slug: e.target.value.trim() } : d))}
            spellCheck={false}
            className="w-[16rem] max-w-full rounded-lg border border-line bg-bg px-2 py-1.5 font-mono text-sm text-ink"
          />
        </label>
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="button"
            className={primary}
            disabled={!doc}
            onClick={() => {
              setPanel('replay');
              void runCheck();
            }}
          >
            Run replay
          </button>
          <button type="button" className={button} disabled={!doc} onClick={exportZip}>
            Export .zip
          </button>
          <button type="button" className={button} onClick={() => fileInput.current?.click()}>
            Import .zip…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".zip,application/zip"
            className="hidden"
            aria-label="Import a lesson .zip"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void importZip(f);
            }}
          />
          {edited && (
            <button type="button" className={button} onClick={discard}>
              Discard draft
            </button>
          )}
          {exported && (
            <a ref={downloadRef} href={exported.url} download={exported.name} className="text-sm text-accent underline underline-offset-4">
              {exported.name}
            </a>
          )}
        </div>
        <p className="ml-auto text-xs text-faint" aria-live="polite">
          {loading ? `Loading ${loading}…` : edited ? (draftNote ?? '') : doc ? 'Unedited' : ''}
        </p>
      </div>

      {notice && (
        <div
          role={notice.tone === 'error' ? 'alert' : 'status'}
          className={`mt-3 flex items-start gap-3 rounded-xl border px-4 py-2.5 text-sm ${notice.tone === 'error' ? 'border-bad/40 bg-bad-soft text-bad' : notice.tone === 'warn' ? 'border-warn/40 bg-warn-soft text-ink' : 'border-accent/30 bg-accent-soft text-ink'}`}
        >
          <span className="min-w-0 flex-1">{notice.text}</span>
          <button type="button" className="shrink-0 text-xs font-medium underline-offset-4 hover:underline" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}

      <div className="mt-4 grid min-h-0 gap-4 lg:grid-cols-2">
        {/* the files */}
        <section aria-label="Lesson files" className="flex min-w-0 flex-col overflow-hidden rounded-xl border border-line bg-surface">
          <div role="tablist" aria-label="File" onKeyDown={(e) => tabKeys(e, STUDIO_FILES, file, setFile, (f) => `studio-file-${f}`)} className="flex gap-1 overflow-x-auto border-b border-line px-2 pt-2">
            {STUDIO_FILES.map((f) => {
              const n = countIn(f);
              return (
                <button
                  key={f}
                  type="button"
                  role="tab"
                  id={`studio-file-${f}`}
                  aria-selected={file === f}
                  tabIndex={file === f ? 0 : -1}
                  aria-controls="studio-editor"
                  onClick={() => setFile(f)}
                  className={`-mb-px flex shrink-0 items-center gap-1.5 rounded-t-lg border px-3 py-1.5 font-mono text-xs ${file === f ? 'border-line border-b-surface bg-surface text-ink' : 'border-transparent text-muted hover:text-ink'}`}
                >
                  {f}
                  {n > 0 && (
                    <span className="rounded-full bg-bad px-1.5 text-[10px] font-semibold leading-4 text-white" aria-label={`${n} problem${n === 1 ? '' : 's'}`}>
                      {n}
                    </span>
                  )}
                </button>
              );
            })}
          </div>
          <div id="studio-editor" role="tabpanel" aria-labelledby={`studio-file-${file}`} className="h-[28rem] min-h-0 lg:h-[calc(100vh-27rem)] lg:min-h-[16rem]">
            {doc && <StudioEditor file={file} value={doc.texts[file]} onChange={edit} problems={problems} reveal={reveal} />}
          </div>
          <div className="border-t border-line">
            <h2 className="sr-only">Checker</h2>
            <p className={`flex items-center gap-2 px-3 py-2 text-sm font-medium ${check.status === 'crashed' || problems.length ? 'text-bad' : result ? 'text-ok' : 'text-muted'}`} aria-live="polite" data-testid="studio-summary">
              {checking && <span className="h-2 w-2 shrink-0 animate-pulse rounded-full bg-accent" aria-hidden="true" />}
              <span>{summary}</span>
              {checking && result && <span className="text-xs font-normal text-faint">(checking again…)</span>}
            </p>
            {problems.length > 0 && (
              <ul className="max-h-40 overflow-y-auto px-2 pb-2" aria-label="Problems" data-testid="studio-problems">
                {problems.map((p, i) => (
                  <li key={i}>
                    <button type="button" onClick={() => goTo(p)} className="w-full rounded-md px-2 py-1.5 text-left text-sm hover:bg-surface-2">
                      <span className="font-mono text-xs font-semibold text-bad">
                        {p.file}
                        {p.line ? `:${p.line}` : ''}
                      </span>{' '}
                      <span className="text-ink">{p.message}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </section>

        {/* preview, replay, lab */}
        <section aria-label="Preview" className="flex min-w-0 flex-col overflow-hidden rounded-xl border border-line bg-surface">
          <div
            role="tablist"
            aria-label="View"
            onKeyDown={(e) =>
              tabKeys(e, ['preview', 'replay', 'lab'] as const, panel, (k) => {
                setPanel(k);
                if (k === 'lab') setLabOpened(true);
              }, (k) => `studio-view-${k}`)
            }
            className="flex gap-1 border-b border-line px-2 pt-2">
            {(
              [
                ['preview', 'Preview'],
                ['replay', 'Replay'],
                ['lab', 'Lab'],
              ] as const
            ).map(([k, label]) => (
              <button
                key={k}
                type="button"
                role="tab"
                id={`studio-view-${k}`}
                aria-selected={panel === k}
                tabIndex={panel === k ? 0 : -1}
                aria-controls={`studio-panel-${k}`}
                onClick={() => {
                  setPanel(k);
                  if (k === 'lab') setLabOpened(true);
                }}
                className={`-mb-px shrink-0 rounded-t-lg border px-3 py-1.5 text-sm ${panel === k ? 'border-line border-b-surface bg-surface font-medium text-ink' : 'border-transparent text-muted hover:text-ink'}`}
              >
                {label}
              </button>
            ))}
          </div>

          <div id="studio-panel-preview" role="tabpanel" aria-labelledby="studio-view-preview" hidden={panel !== 'preview'} className="h-[36rem] min-h-0 overflow-y-auto lg:h-[calc(100vh-20rem)] lg:min-h-[24rem]" tabIndex={0}>
            <LabContext.Provider value={labContext}>
              <article className="mx-auto w-full max-w-[46rem] px-5 pb-12 pt-6" aria-label="Lesson preview" data-testid="studio-preview">
                <p className="text-xs font-semibold uppercase tracking-[0.08em] text-accent">{typeof meta.module === 'string' ? meta.module : 'Module'} · Preview</p>
                <h2 className="mt-2 text-[1.7rem] font-bold leading-tight tracking-tight text-ink">{typeof meta.title === 'string' ? meta.title : 'Untitled lesson'}</h2>
                {typeof meta.summary === 'string' && <p className="mt-3 text-[1.05rem] leading-relaxed text-muted">{meta.summary}</p>}
                {Array.isArray(meta.objectives) && (
                  <section className="mt-5 rounded-xl border border-line bg-bg px-5 py-4" aria-label="Objectives">
                    <h3 className="text-xs font-semibold uppercase tracking-[0.08em] text-faint">You will</h3>
                    <ul className="mt-2 space-y-1.5">
                      {meta.objectives.map((o, i) => (
                        <li key={i} className="flex gap-2.5 text-[0.95rem] leading-snug text-ink">
                          <span className="mt-[0.45em] h-1.5 w-1.5 shrink-0 rounded-full bg-accent" aria-hidden="true" />
                          {String(o)}
                        </li>
                      ))}
                    </ul>
                  </section>
                )}
                {parsed.error ? (
                  <p className="mt-6 rounded-lg border-2 border-dashed border-bad/60 bg-bad-soft px-3 py-2 text-sm text-bad" role="status">
                    The MDX does not parse{parsed.error.line ? ` (index.mdx:${parsed.error.line})` : ''}: {parsed.error.message}
                  </p>
                ) : (
                  <div className="prose mt-8">{parsed.tree && <PreviewBody tree={parsed.tree} />}</div>
                )}
              </article>
            </LabContext.Provider>
          </div>

          <div id="studio-panel-replay" role="tabpanel" aria-labelledby="studio-view-replay" hidden={panel !== 'replay'} className="h-[36rem] min-h-0 overflow-y-auto p-4 lg:h-[calc(100vh-20rem)] lg:min-h-[24rem]" tabIndex={0}>
            <Replay check={check} result={result} />
          </div>

          <div id="studio-panel-lab" role="tabpanel" aria-labelledby="studio-view-lab" hidden={panel !== 'lab'} className="min-h-0">
            {labOpened && doc && (
              <StudioLab
                scenario={doc.texts['scenario.yaml']}
                files={doc.files}
                tasks={tasks}
                scenarioProblems={problems.filter((p) => p.file === 'scenario.yaml')}
                onReady={(paste) => {
                  labPaste.current = paste;
                  if (paste && pendingPaste.current) {
                    paste(pendingPaste.current);
                    pendingPaste.current = null;
                  }
                }}
              />
            )}
          </div>
        </section>
      </div>
    </main>
  );
}

function Replay({ check, result }: { check: CheckState; result: StudioCheckResult | undefined }) {
  if (!result) return <p className="text-sm text-muted">{check.status === 'crashed' ? `The checker stopped: ${check.message}` : 'Replaying…'}</p>;
  const r = result.replay;
  if (!r) {
    return (
      <p className="text-sm text-muted" data-testid="studio-replay-summary">
        The replay runs once the files have no problems it depends on: fix the {result.problems.length} problem{result.problems.length === 1 ? '' : 's'} below the editor first.
      </p>
    );
  }
  const solved = r.tasks.filter((t) => t.solved && !t.doneAtStart).length;
  const pass = solved === r.tasks.length && !result.problems.length;
  return (
    <div>
      <p className={`text-sm font-semibold ${pass ? 'text-ok' : 'text-bad'}`} data-testid="studio-replay-summary">
        {pass ? 'Replay passed' : 'Replay failed'}: {solved} of {r.tasks.length} tasks done by their own solution, replayed in order on a fresh cluster ({r.ms} ms)
        {check.status === 'running' && <span className="ml-2 font-normal text-faint">(replaying again…)</span>}
      </p>
      <p className="mt-1 text-xs text-muted">Each task is checked before anything runs (it must not be done yet), then after its own solution&apos;s commands, with five seconds of virtual time after each.</p>
      <ol className="mt-4 space-y-3">
        {r.tasks.map((t, i) => {
          const ok = t.solved && !t.doneAtStart;
          return (
            <li key={t.id} className={`rounded-xl border px-4 py-3 ${ok ? 'border-line bg-bg' : 'border-bad/40 bg-bad-soft'}`} data-replay-task={t.id} data-ok={ok ? 'true' : 'false'}>
              <p className="text-sm">
                <span className={`mr-2 font-semibold ${ok ? 'text-ok' : 'text-bad'}`}>{ok ? '✓' : '✗'}</span>
                <span className="mr-2 text-xs font-semibold uppercase tracking-wide text-faint">Task {i + 1}</span>
                <span className="font-mono text-xs text-muted">{t.id}</span> <span className="text-ink">{t.title}</span>
              </p>
              {t.doneAtStart && <p className="mt-1 text-sm text-bad">Already done before anything ran.</p>}
              {!t.solved && t.reason && <p className="mt-1 text-sm text-bad">Not done after its solution: {t.reason}</p>}
              {t.commands.length > 0 && (
                <ul className="mt-2 space-y-1.5">
                  {t.commands.map((c, j) => (
                    <li key={j}>
                      <details>
                        <summary className="cursor-pointer font-mono text-xs text-ink">
                          <span className={c.exitCode === 0 ? 'text-ok' : 'text-bad'}>{c.exitCode === 0 ? '$' : `exit ${c.exitCode}`}</span> {c.command}
                        </summary>
                        <pre className="mt-1 overflow-x-auto rounded-lg bg-term px-3 py-2 font-mono text-[12px] leading-snug text-[#d5dce5]">{c.output || '(no output)'}</pre>
                      </details>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
