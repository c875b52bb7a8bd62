'use client';
/** The learner's progress on the course map, read from localStorage after hydration. */
import Link from 'next/link';
import { useSyncExternalStore } from 'react';
import { PROGRESS_KEY, browserStore, readProgress, type ProgressIndex } from '@/lib/persistence';

let cached: { raw: string | null; value: ProgressIndex } | null = null;
const EMPTY: ProgressIndex = { lessons: {} };

function snapshot(): ProgressIndex {
  const store = browserStore();
  const raw = store?.getItem(PROGRESS_KEY) ?? null;
  if (cached && cached.raw === raw) return cached.value;
  cached = { raw, value: readProgress(store) };
  return cached.value;
}

function subscribe(cb: () => void) {
  window.addEventListener('storage', cb);
  return () => window.removeEventListener('storage', cb);
}

function useProgress(): ProgressIndex {
  return useSyncExternalStore(subscribe, snapshot, () => EMPTY);
}

export function LessonProgress({ slug, total }: { slug: string; total: number }) {
  const p = useProgress().lessons[slug];
  const done = Math.min(p?.done ?? 0, total);
  if (p?.completed || (total > 0 && done === total)) {
    return (
      <span className="inline-flex items-center gap-1 font-medium text-ok" data-progress={`${done}/${total}`}>
        ✓ Complete
      </span>
    );
  }
  return (
    <span className="inline-flex items-center gap-2" data-progress={`${done}/${total}`}>
      <span className="inline-block h-1.5 w-16 overflow-hidden rounded-full bg-surface-2" aria-hidden="true">
        <span className="block h-full rounded-full bg-accent" style={{ width: `${total ? (done / total) * 100 : 0}%` }} />
      </span>
      <span className={done > 0 ? 'text-muted' : ''}>
        {done}/{total} tasks
      </span>
    </span>
  );
}

/** A module's earned progress: tasks done of its lessons' tasks, and lessons complete. */
export function ModuleProgress({ name, lessons }: { name: string; lessons: { slug: string; taskCount: number }[] }) {
  const p = useProgress();
  let done = 0;
  let complete = 0;
  const total = lessons.reduce((n, l) => n + l.taskCount, 0);
  for (const l of lessons) {
    const e = p.lessons[l.slug];
    const d = Math.min(e?.done ?? 0, l.taskCount);
    done += d;
    if (e?.completed || (l.taskCount > 0 && d === l.taskCount)) complete++;
  }
  const pct = total ? Math.round((done / total) * 100) : 0;
  return (
    <span className="ml-auto inline-flex items-center gap-2 text-xs text-muted" data-testid="module-progress" data-progress={`${done}/${total}`}>
      <span
        className="inline-block h-1.5 w-20 overflow-hidden rounded-full bg-surface-2"
        role="progressbar"
        aria-label={`${name}: tasks done`}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${done} of ${total} tasks, ${complete} of ${lessons.length} lessons complete`}
      >
        <span className={`block h-full rounded-full ${complete === lessons.length && total > 0 ? 'bg-ok' : 'bg-accent'}`} style={{ width: `${pct}%` }} />
      </span>
      <span className="tabular-nums">
        {complete}/{lessons.length} {lessons.length === 1 ? 'lesson' : 'lessons'} · {done}/{total} tasks
      </span>
    </span>
  );
}

export function ContinueCard({ lessons }: { lessons: { slug: string; title: string; taskCount: number }[] }) {
  const p = useProgress();
  const last = p.last ? lessons.find((l) => l.slug === p.last!.id) : undefined;
  if (!last) return null;
  const e = p.lessons[last.slug];
  const idx = lessons.indexOf(last);
  const next = e?.completed ? lessons[idx + 1] : undefined;
  const target = next ?? last;
  return (
    <Link
      href={`/lessons/${target.slug}/`}
      className="mt-8 flex max-w-xl items-center gap-4 rounded-2xl border border-accent/40 bg-accent-soft px-5 py-4 hover:border-accent"
      data-testid="continue"
    >
      <div className="min-w-0 flex-1">
        <p className="text-xs font-semibold uppercase tracking-[0.08em] text-accent">{next ? 'Up next' : 'Continue where you left off'}</p>
        <p className="mt-0.5 truncate font-semibold text-ink">{target.title}</p>
        {!next && e && (
          <p className="text-sm text-muted">
            {e.done}/{e.total} tasks done
          </p>
        )}
      </div>
      <span className="text-lg text-accent" aria-hidden="true">
        →
      </span>
    </Link>
  );
}
