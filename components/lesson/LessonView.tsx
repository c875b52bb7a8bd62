'use client';
/**
 * A lesson page: the prose (MDX compiled and rendered at build time) beside the lab. On a desktop the
 * two sit in a resizable split; below 1024 px they stack (prose, then the lab).
 */
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Workspace } from '@/components/workspace/Workspace';
import { useLab } from '@/components/workspace/useLab';
import { browserStore, learnerSeed, randomSeed } from '@/lib/persistence';
import type { LabTask } from '@/components/workspace/types';
import { LabContext } from './LabContext';
import { SplitPane } from './SplitPane';

export interface LessonViewProps {
  slug: string;
  title: string;
  summary: string;
  module: string;
  minutes: number;
  objectives: string[];
  /** The lesson's CKA / CKAD / KCNA competency chips, rendered on the server (components/site/CompetencyChips.tsx: the curriculum's table stays out of the page's scripts). */
  competencies: React.ReactNode;
  /** The lesson's prose: its MDX, rendered on the server (./Mdx.tsx). */
  prose: React.ReactNode;
  scenario: string;
  files: Record<string, string>;
  tasks: LabTask[];
  prev: { slug: string; title: string } | null;
  next: { slug: string; title: string } | null;
  /** The lesson's recap bullets, shown on the completion card. */
  recap?: string[];
  position: { index: number; total: number };
}

export function LessonView(props: LessonViewProps) {
  const { slug, tasks, scenario, files } = props;
  // A scenario that draws its faults (a top-level faults: section) gets the learner's own seed: their broken cluster is theirs.
  const drawsFaults = /^faults:/m.test(scenario);
  const lab = useLab({ id: slug, spec: () => ({ scenario, files, ...(drawsFaults ? { seed: learnerSeed(browserStore(), slug, randomSeed) } : {}) }), tasks });
  const [expanded, setExpanded] = useState<string | null | undefined>(undefined);

  const focusTask = useCallback((id: string) => {
    setExpanded(id);
    const el = document.querySelector<HTMLElement>(`#task-panel [data-task="${CSS.escape(id)}"] button`);
    el?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    el?.focus({ preventScroll: true });
  }, []);

  const { openInEditor: labOpenInEditor } = lab;
  const openInEditor = useCallback(
    (name: string, content: string) => {
      labOpenInEditor(name, content);
      // Stacked layout (phone, narrow window): the lab is below the prose — bring it up.
      if (window.matchMedia('(max-width: 1023.98px)').matches) document.getElementById('lab')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    },
    [labOpenInEditor],
  );

  const ctx = useMemo(
    () => ({ tasks, results: lab.results, paste: lab.paste, focusTask, openInEditor }),
    [tasks, lab.results, lab.paste, focusTask, openInEditor],
  );

  const doneCount = lab.results.filter((r) => r.done).length;

  const prose = (
    <article className="mx-auto w-full max-w-[46rem] px-5 pb-16 pt-8 sm:px-8" aria-labelledby="lesson-title">
      <p className="text-xs font-semibold uppercase tracking-[0.08em] text-accent">
        {props.module} · Lesson {props.position.index + 1} of {props.position.total}
      </p>
      <h1 id="lesson-title" className="mt-2 text-[1.9rem] font-bold leading-tight tracking-tight text-ink sm:text-[2.1rem]">
        {props.title}
      </h1>
      <p className="mt-3 text-[1.05rem] leading-relaxed text-muted">{props.summary}</p>
      {props.competencies}
      <div className="mt-4 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-muted">
        <span>≈ {props.minutes} min</span>
        <span aria-hidden="true">·</span>
        <span>
          {doneCount}/{tasks.length} tasks done
        </span>
        <a href="#lab" className="ml-auto rounded-md text-accent underline-offset-4 hover:underline lg:hidden">
          Jump to the lab ↓
        </a>
      </div>
      <section className="mt-6 rounded-xl border border-line bg-surface px-5 py-4" aria-label="Objectives">
        <h2 className="text-xs font-semibold uppercase tracking-[0.08em] text-faint">You will</h2>
        <ul className="mt-2 space-y-1.5">
          {props.objectives.map((o) => (
            <li key={o} className="flex gap-2.5 text-[0.95rem] leading-snug text-ink">
              <span className="mt-[0.45em] h-1.5 w-1.5 shrink-0 rounded-full bg-accent" aria-hidden="true" />
              {o}
            </li>
          ))}
        </ul>
      </section>
      <div className="prose mt-8">
        {props.prose}
      </div>
      <nav aria-label="Lessons" className="mt-14 grid gap-3 border-t border-line pt-6 sm:grid-cols-2">
        {props.prev ? (
          <Link href={`/lessons/${props.prev.slug}/`} className="rounded-xl border border-line px-4 py-3 hover:bg-surface">
            <span className="block text-xs text-faint">← Previous</span>
            <span className="font-medium text-ink">{props.prev.title}</span>
          </Link>
        ) : (
          <Link href="/" prefetch={false} className="rounded-xl border border-line px-4 py-3 hover:bg-surface">
            <span className="block text-xs text-faint">← Course</span>
            <span className="font-medium text-ink">All lessons</span>
          </Link>
        )}
        {props.next && (
          <Link href={`/lessons/${props.next.slug}/`} className="rounded-xl border border-line px-4 py-3 text-right hover:bg-surface sm:col-start-2">
            <span className="block text-xs text-faint">Next →</span>
            <span className="font-medium text-ink">{props.next.title}</span>
          </Link>
        )}
      </nav>
    </article>
  );

  const workspace = (
    // below the stacked lab, room for the Lab jump button, so it covers nothing at the end
    <section id="lab" aria-label="Lab" className="h-full min-h-0 scroll-mt-14 max-lg:pb-16">
      <Workspace lab={lab} tasks={tasks} next={props.next} recap={props.recap} taskExpanded={expanded} onTaskExpand={setExpanded} />
    </section>
  );

  return (
    <LabContext.Provider value={ctx}>
      <SplitPane left={prose} right={workspace} storageKey="netlab:ui:split" />
      <LabJump />
    </LabContext.Provider>
  );
}

/**
 * Stacked layout (a phone, a narrow window): the lab sits below the prose. One tap on this
 * button goes to the lab; from the lab, one tap goes back to where the reader was.
 */
function LabJump() {
  const [inLab, setInLab] = useState(false);
  const readingAt = useRef<number | null>(null);
  useEffect(() => {
    const lab = document.getElementById('lab');
    if (!lab || typeof IntersectionObserver === 'undefined') return;
    // "in the lab" once it fills most of the screen
    const io = new IntersectionObserver(([e]) => setInLab(e.intersectionRect.height >= Math.min(e.boundingClientRect.height, window.innerHeight) * 0.5), {
      threshold: [0, 0.25, 0.5, 0.75, 1],
    });
    io.observe(lab);
    return () => io.disconnect();
  }, []);
  const go = () => {
    const lab = document.getElementById('lab');
    if (!lab) return;
    if (inLab) {
      window.scrollTo({ top: readingAt.current ?? 0, behavior: 'smooth' });
      readingAt.current = null;
    } else {
      readingAt.current = window.scrollY;
      lab.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  };
  return (
    <button
      type="button"
      onClick={go}
      className="fixed bottom-3 right-3 z-30 rounded-full bg-accent px-3.5 py-2 text-sm font-semibold text-accent-ink shadow-lg lg:hidden"
      data-testid="lab-jump"
      data-in-lab={inLab ? 'true' : 'false'}
      aria-label={inLab ? 'Back to the text' : 'Go to the lab'}
    >
      {inLab ? 'Text ↑' : 'Lab ↓'}
    </button>
  );
}
