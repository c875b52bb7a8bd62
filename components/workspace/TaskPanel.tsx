'use client';
import Link from 'next/link';
import { Suspense, lazy, useEffect, useRef, useState } from 'react';
import type { LabTask, LabTaskResult } from './types';
import type { BroughtFile } from './lab-session';
import { InlineMd } from './InlineMd';

/** Shown on request only: its own chunk, out of the page's first load. */
const Solution = lazy(() => import('./Solution'));

export interface TaskPanelProps {
  tasks: LabTask[];
  results: LabTaskResult[];
  hints: Record<string, number>;
  solutions: string[];
  answers: Record<string, string>;
  completedNow: boolean;
  next?: { slug: string; title: string } | null;
  /** The lesson's recap bullets (its `## Recap`), on the completion card. */
  recap?: string[];
  onHint(id: string): void;
  onSolution(id: string): void;
  onAnswer(id: string, value: string): void;
  onPaste(command: string): void;
  /** Opens a solution's file in the editor. */
  onOpenFile?(name: string, content: string): void;
  /** Writes the solution files a command names, before it is pasted. */
  onBringFiles?(files: Record<string, string>, command: string): BroughtFile[];
  compact?: boolean;
  /** The list is shown (default); false leaves the header, with its progress, as a bar to open it by. */
  open?: boolean;
  onToggle?(): void;
  /** Controlled expansion (the prose's inline tasks open a task here). */
  expanded?: string | null;
  onExpand?(id: string | null): void;
}

function StatusIcon({ done, active }: { done: boolean; active: boolean }) {
  if (done) {
    return (
      <span className="mt-0.5 inline-flex h-5 w-5 shrink-0 items-center justify-center rounded-full bg-ok text-white dark:text-[#0c1015]" aria-hidden="true">
        <svg width="12" height="12" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round">
          <path d="M3.5 8.5l3 3 6-7" />
        </svg>
      </span>
    );
  }
  return (
    <span
      className={`mt-0.5 inline-block h-5 w-5 shrink-0 rounded-full border-2 ${active ? 'border-accent' : 'border-line'}`}
      aria-hidden="true"
    />
  );
}

export function TaskPanel(props: TaskPanelProps) {
  const { tasks, results, completedNow, next } = props;
  const byId = new Map(results.map((r) => [r.id, r]));
  const doneCount = tasks.filter((t) => byId.get(t.id)?.done).length;
  const revealedCount = tasks.filter((t) => byId.get(t.id)?.done && props.solutions.includes(t.id)).length;
  const allDone = tasks.length > 0 && doneCount === tasks.length;
  const firstOpen = tasks.find((t) => !byId.get(t.id)?.done)?.id;
  const [expandedLocal, setExpandedLocal] = useState<string | null>(null);
  const expanded = props.expanded !== undefined ? props.expanded : expandedLocal;
  const setExpanded = (id: string | null) => (props.onExpand ? props.onExpand(id) : setExpandedLocal(id));
  const active = expanded ?? firstOpen ?? null;

  // The task whose answer was just checked in this panel: it stays open showing one message
  // (a correct answer used to jump straight to the next task, so "Correct." was never seen).
  const [answered, setAnswered] = useState<string | null>(null);
  const pendingAnswer = useRef<string | null>(null);
  /** The results when the answer was checked: the engine's worker grades it and sends new ones. */
  const resultsAtCheck = useRef<LabTaskResult[] | null>(null);
  // the same, for rendering: until new results come, the old verdict is not shown as this answer's
  const [gradingFrom, setGradingFrom] = useState<LabTaskResult[] | null>(null);
  const grading = gradingFrom === results;
  const [checks, setChecks] = useState(0);
  const answer = (id: string, value: string) => {
    setExpanded(id);
    setAnswered(id);
    pendingAnswer.current = id;
    resultsAtCheck.current = results;
    setGradingFrom(results);
    setChecks((n) => n + 1);
    props.onAnswer(id, value);
  };
  const panelRef = useRef<HTMLElement>(null);
  const nextOpenAfter = (id: string) => {
    const i = tasks.findIndex((t) => t.id === id);
    return [...tasks.slice(i + 1), ...tasks.slice(0, i)].find((t) => !byId.get(t.id)?.done)?.id ?? null;
  };
  const goNext = (id: string) => {
    const to = nextOpenAfter(id);
    if (!to) return;
    setAnswered(null);
    setExpanded(to);
    // Focus follows the learner to the task they asked for.
    requestAnimationFrame(() => {
      const li = panelRef.current?.querySelector<HTMLElement>(`[data-task="${CSS.escape(to)}"]`);
      (li?.querySelector<HTMLElement>('input') ?? li?.querySelector<HTMLElement>('button'))?.focus();
    });
  };

  // One live region for the panel; each change is said once (a keyed node is re-read even
  // when the text repeats, e.g. the same wrong answer twice).
  const [announcement, setAnnouncement] = useState({ text: '', n: 0 });
  const prevDone = useRef<Set<string> | null>(null);
  useEffect(() => {
    // an answer was checked and its grading is still on its way: say nothing until it is here
    if (pendingAnswer.current && results === resultsAtCheck.current) return;
    const now = new Set(results.filter((r) => r.done).map((r) => r.id));
    const before = prevDone.current;
    prevDone.current = now;
    const checked = pendingAnswer.current;
    pendingAnswer.current = null;
    const parts: string[] = [];
    if (checked) {
      const task = tasks.find((t) => t.id === checked);
      if (task) parts.push(answerFeedback(task, results.find((r) => r.id === checked), props.answers[checked] ?? '').text);
    }
    const newly = before ? tasks.filter((t) => now.has(t.id) && !before.has(t.id)) : [];
    const others = newly.filter((t) => t.id !== checked);
    if (others.length > 0) parts.push(`Done: ${others.map((t) => t.title).join(', ')}.`);
    if (newly.length > 0 && allDone) parts.push(`All ${tasks.length} tasks done. Lesson complete.`);
    if (parts.length === 0) return;
    const t = setTimeout(() => setAnnouncement((a) => ({ text: parts.join(' '), n: a.n + 1 })), 0);
    return () => clearTimeout(t);
    // props.answers is read when a check was made, which `checks` marks
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [results, tasks, allDone, checks]);

  if (tasks.length === 0) return null;

  return (
    <section ref={panelRef} aria-labelledby="tasks-heading" className="flex min-h-0 flex-1 flex-col" data-testid="task-panel">
      <div className={`flex items-center gap-3 px-4 py-2.5 ${props.open === false ? '' : 'border-b border-line'}`}>
        <h2 id="tasks-heading" className="text-sm font-semibold tracking-tight">
          {props.onToggle ? (
            <button
              type="button"
              onClick={props.onToggle}
              aria-expanded={props.open !== false}
              aria-controls="task-list"
              className="-mx-1 inline-flex items-center gap-1.5 rounded px-1 hover:text-accent"
              data-testid="tasks-toggle"
            >
              <span aria-hidden="true" className={`inline-block text-[10px] transition-transform ${props.open === false ? '-rotate-90' : ''}`}>
                ▼
              </span>
              Tasks
            </button>
          ) : (
            'Tasks'
          )}
        </h2>
        <div
          className="h-1.5 flex-1 overflow-hidden rounded-full bg-surface-2"
          role="progressbar"
          aria-label="Tasks done"
          aria-valuemin={0}
          aria-valuemax={tasks.length}
          aria-valuenow={doneCount}
        >
          <div className="h-full rounded-full bg-ok transition-[width] duration-500" style={{ width: `${(doneCount / tasks.length) * 100}%` }} />
        </div>
        <span className="text-xs tabular-nums text-muted" data-testid="task-count">
          {doneCount}/{tasks.length}
        </span>
      </div>
      <div className="sr-only" aria-live="polite" data-testid="task-announcer">
        <span key={announcement.n}>{announcement.text}</span>
      </div>
      <div id="task-list" hidden={props.open === false} className="relative min-h-0 flex-1 overflow-y-auto px-2 py-2">
        {allDone && (
          <div
            className={`mx-2 mb-2 rounded-xl border border-ok/40 bg-ok-soft px-4 py-3 ${completedNow ? 'animate-[pop_600ms_ease-out]' : ''}`}
            data-testid="lesson-complete"
          >
            <h3 className="font-semibold text-ok">Lesson complete</h3>
            <p className="mt-0.5 text-sm text-muted">
              All {tasks.length} tasks pass against the live cluster
              {revealedCount > 0 ? `, ${revealedCount} of them with the solution shown` : ''}. Keep experimenting — the checks stay live.
            </p>
            {props.recap && props.recap.length > 0 && (
              <div className="mt-3" data-testid="lesson-recap">
                <h4 className="text-xs font-semibold uppercase tracking-[0.08em] text-muted">What you saw</h4>
                <ul className="mt-1.5 space-y-1 text-sm leading-snug text-ink">
                  {props.recap.map((item) => (
                    <li key={item} className="flex gap-2">
                      <span className="mt-[0.5em] h-1 w-1 shrink-0 rounded-full bg-ok" aria-hidden="true" />
                      <span className="min-w-0">
                        <InlineMd text={item} />
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {next && (
              <Link href={`/lessons/${next.slug}/`} className="mt-2 inline-flex items-center gap-1 rounded-lg bg-ok px-3 py-1.5 text-sm font-semibold text-white dark:text-[#0c1015]">
                Next: {next.title} <span aria-hidden="true">→</span>
              </Link>
            )}
          </div>
        )}
        <ol className="space-y-1">
          {tasks.map((t, i) => {
            const r = byId.get(t.id);
            const done = !!r?.done;
            const open = active === t.id;
            const revealed = props.solutions.includes(t.id);
            return (
              <li
                key={t.id}
                data-task={t.id}
                data-done={done ? 'true' : 'false'}
                data-revealed={revealed ? 'true' : 'false'}
                className={`rounded-lg ${open ? 'bg-surface-2' : ''}`}
              >
                <button
                  type="button"
                  className="flex w-full items-start gap-3 rounded-lg px-2.5 py-2 text-left hover:bg-surface-2"
                  aria-expanded={open}
                  onClick={() => setExpanded(open ? (firstOpen === t.id ? '' : null) : t.id)}
                >
                  <StatusIcon done={done} active={open} />
                  <span className="min-w-0 flex-1">
                    <span className="sr-only">{done ? (revealed ? 'Done with the solution shown: ' : 'Done: ') : 'Not done: '}</span>
                    <span className={`text-sm font-medium leading-snug ${done ? 'text-muted' : 'text-ink'}`}>
                      <span className="mr-1 tabular-nums text-faint">{i + 1}.</span>
                      {t.challenge && (
                        <span className="mr-1.5 rounded border border-accent/50 px-1 py-px align-[1px] text-[11px] font-semibold uppercase tracking-wide text-accent" data-testid="challenge-badge">
                          Challenge
                        </span>
                      )}
                      {isPredictTask(t) && (
                        <span className="mr-1.5 rounded border border-line px-1 py-px align-[1px] text-[11px] font-semibold uppercase tracking-wide text-muted" data-testid="predict-badge">
                          Predict
                        </span>
                      )}
                      <InlineMd text={t.title} />
                    </span>
                    {done && revealed && (
                      <span className="mt-0.5 block text-xs text-muted" aria-hidden="true">
                        Solution shown
                      </span>
                    )}
                  </span>
                </button>
                {open && (
                  <TaskDetail
                    {...props}
                    task={t}
                    result={r}
                    onAnswer={answer}
                    showFeedback={answered === t.id && !grading}
                    onEdit={() => setAnswered((a) => (a === t.id ? null : a))}
                    nextTask={done && answered === t.id ? nextOpenAfter(t.id) : null}
                    onNext={() => goNext(t.id)}
                  />
                )}
              </li>
            );
          })}
        </ol>
      </div>
    </section>
  );
}

function TaskDetail({
  task,
  result,
  hints,
  solutions,
  answers,
  onHint,
  onSolution,
  onAnswer,
  onPaste,
  onOpenFile,
  onBringFiles,
  showFeedback,
  onEdit,
  nextTask,
  onNext,
}: TaskPanelProps & {
  task: LabTask;
  result?: LabTaskResult;
  /** The learner just checked an answer here: say whether it is right (once). */
  showFeedback: boolean;
  onEdit(): void;
  /** After a correct answer: the next open task, if any. */
  nextTask: string | null;
  onNext(): void;
}) {
  const shown = hints[task.id] ?? 0;
  const solutionShown = solutions.includes(task.id);
  const [draft, setDraft] = useState(answers[task.id] ?? '');
  const done = !!result?.done;
  const feedback = showFeedback && answers[task.id] !== undefined ? answerFeedback(task, result, answers[task.id]) : null;
  return (
    <div className="space-y-3 px-3 pb-3 pl-10 text-sm">
      {task.kind === 'question' && (
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            onAnswer(task.id, draft);
          }}
        >
          {task.question && (
            <label htmlFor={`answer-${task.id}`} className="block leading-relaxed text-ink">
              <InlineMd text={task.question} />
            </label>
          )}
          <div className="flex gap-2">
            <input
              id={`answer-${task.id}`}
              value={draft}
              onChange={(e) => {
                setDraft(e.target.value);
                onEdit();
              }}
              className="min-w-0 flex-1 rounded-lg border border-line bg-surface px-2.5 py-1.5 font-mono text-[13px] text-ink placeholder:text-faint"
              placeholder="Your answer"
              autoComplete="off"
              spellCheck={false}
              aria-label={task.question ? undefined : `Answer to ${task.title}`}
            />
            <button type="submit" className="shrink-0 rounded-lg bg-accent px-3 py-1.5 font-semibold text-accent-ink hover:opacity-90">
              Check
            </button>
          </div>
          {feedback && (
            // Not a live region itself: the panel's announcer says the same words once.
            <div
              className={`flex flex-wrap items-center gap-x-3 gap-y-1.5 rounded-lg border px-3 py-2 text-[13px] leading-snug ${feedback.ok ? 'border-ok/40 bg-ok-soft text-ink' : 'border-bad/40 bg-bad-soft text-ink'}`}
              data-testid="answer-feedback"
              data-correct={feedback.ok ? 'true' : 'false'}
            >
              <p className="min-w-0 flex-1">
                <span className={`font-semibold ${feedback.ok ? 'text-ok' : 'text-bad'}`}>{feedback.label}</span>
                {' — '}
                <InlineMd text={feedback.detail} />
              </p>
              {nextTask && (
                <button type="button" onClick={onNext} className="shrink-0 rounded-md bg-ok px-2.5 py-1 text-xs font-semibold text-white dark:text-[#0c1015]">
                  Next task <span aria-hidden="true">→</span>
                </button>
              )}
            </div>
          )}
          <p className="text-xs text-faint">
            Or in the terminal: <code className="font-mono">answer {task.id} VALUE</code>
          </p>
        </form>
      )}
      {done && result?.note && !feedback && (
        <p className="text-[13px] text-muted" data-testid="task-note">
          <InlineMd text={result.note} />
        </p>
      )}
      {!done && result?.reason && shown > 0 && !feedback && (
        <p className="text-[13px] text-muted">
          <span className="font-medium text-ink">Not yet:</span> <InlineMd text={result.reason} />
        </p>
      )}
      {shown > 0 && (
        <ol className="space-y-2">
          {task.hints.slice(0, shown).map((h, i) => (
            <li key={i} className="rounded-lg border border-warn/30 bg-warn-soft px-3 py-2 text-[13px] leading-relaxed text-ink">
              <span className="mr-1.5 text-xs font-semibold uppercase tracking-wide text-warn">Hint {i + 1}</span>
              <InlineMd text={h} />
            </li>
          ))}
        </ol>
      )}
      <div className="flex flex-wrap gap-2">
        {shown < task.hints.length && (
          <button type="button" onClick={() => onHint(task.id)} className="rounded-lg border border-line bg-surface px-2.5 py-1 text-[13px] font-medium text-ink hover:bg-surface-2">
            {shown === 0 ? 'Show a hint' : 'Another hint'}
            <span className="ml-1 text-faint">
              ({shown + 1}/{task.hints.length})
            </span>
          </button>
        )}
        {!solutionShown && (
          <button
            type="button"
            onClick={() => onSolution(task.id)}
            disabled={task.challenge ? shown < task.hints.length : shown === 0}
            title={task.challenge ? (shown < task.hints.length ? 'A challenge: take every hint first' : 'The task will count as done with the solution shown') : shown === 0 ? 'Look at a hint first' : undefined}
            className="rounded-lg border border-line bg-surface px-2.5 py-1 text-[13px] font-medium text-ink hover:bg-surface-2 disabled:cursor-not-allowed disabled:opacity-45"
          >
            Show solution
          </button>
        )}
      </div>
      {task.challenge && !solutionShown && (
        <p className="text-xs text-muted">A challenge: its solution opens after the last hint, and the task then counts as done with the solution shown.</p>
      )}
      {solutionShown && (
        <Suspense fallback={null}>
          <Solution task={task} onPaste={onPaste} onOpenFile={onOpenFile} onBringFiles={onBringFiles} />
        </Suspense>
      )}
    </div>
  );
}

/**
 * The one message a checked answer gets: right or wrong, and what it was checked against.
 * A grader's own reason is kept when it says more than "not right" (the cluster has no such
 * object yet, say).
 */
export function answerFeedback(task: LabTask, result: LabTaskResult | undefined, given: string): { ok: boolean; label: string; text: string; detail: string } {
  const value = given.trim();
  // predict, then check: the first answer is a prediction, neither right nor wrong until the cluster settles it
  if (isPredictTask(task) && value !== '') {
    if (result?.done) {
      const detail = result.note ?? 'the cluster has settled your prediction.';
      return { ok: true, label: 'Checked', detail, text: `Checked — ${detail}` };
    }
    const reason = result?.reason ?? '';
    const detail = reason.replace(/^./, (c) => c.toUpperCase()) + (/[.!?]$/.test(reason) ? '' : '.');
    return { ok: true, label: 'Prediction recorded', detail, text: `Prediction recorded — ${detail.replace(/`|\*\*/g, '')}` };
  }
  if (result?.done) {
    const detail = `“${value}” matches what the live cluster shows.`;
    return { ok: true, label: 'Correct', detail, text: `Correct — ${detail}` };
  }
  if (value === '') return { ok: false, label: 'Not quite', detail: 'type an answer first.', text: 'Not quite — type an answer first.' };
  const reason = result?.reason;
  const plain = !reason || /is not right yet|not answered yet/.test(reason);
  const detail = plain
    ? `“${value}” is not what the live cluster shows. Look again${task.hints.length > 0 ? ', or take a hint' : ''}.`
    : reason.replace(/^./, (c) => c.toUpperCase()) + (/[.!?]$/.test(reason) ? '' : '.');
  return { ok: false, label: 'Not quite', detail, text: `Not quite — ${detail.replace(/`|\*\*/g, '')}` };
}

/** A predict-then-check task (its check is `predict:`, engine/grading/predict.ts). */
export function isPredictTask(task: LabTask): boolean {
  const c = task.check;
  return typeof c === 'object' && c !== null && 'predict' in c;
}
