/**
 * The studio's drafts in localStorage: one per starting point (a course lesson, the blank
 * template, an import), most recent first, so picking a lesson again brings back your
 * edits. Bounded: at most MAX_DRAFTS drafts and MAX_DRAFT_CHARS characters in all — the
 * oldest go first; a single lesson bigger than the budget is not kept (the page says so).
 */
import type { LessonFiles } from '../lesson-check';

export const DRAFTS_KEY = 'netlab:studio:v1';
export const MAX_DRAFTS = 12;
/** Characters of JSON (localStorage counts UTF-16 units; browsers give an origin 5 M or more). */
export const MAX_DRAFT_CHARS = 1_000_000;

export interface StudioDraft {
  /** Where it started: `lesson:<slug>`, `blank`, `import`. */
  source: string;
  /** The folder name it exports as. */
  slug: string;
  lesson: LessonFiles;
}

interface Stored {
  v: 1;
  drafts: StudioDraft[];
}

export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function isDraft(x: unknown): x is StudioDraft {
  const d = x as StudioDraft;
  const text = (v: unknown) => v === undefined || typeof v === 'string';
  return (
    !!d &&
    typeof d.source === 'string' &&
    typeof d.slug === 'string' &&
    !!d.lesson &&
    text(d.lesson.mdx) &&
    text(d.lesson.tasksText) &&
    text(d.lesson.scenario) &&
    !!d.lesson.files &&
    typeof d.lesson.files === 'object' &&
    Object.values(d.lesson.files).every((v) => typeof v === 'string')
  );
}

export function readDrafts(storage: DraftStorage): StudioDraft[] {
  try {
    const s = JSON.parse(storage.getItem(DRAFTS_KEY) ?? 'null') as Stored | null;
    return s?.v === 1 && Array.isArray(s.drafts) ? s.drafts.filter(isDraft) : [];
  } catch {
    return [];
  }
}

export function findDraft(storage: DraftStorage, source: string): StudioDraft | undefined {
  return readDrafts(storage).find((d) => d.source === source);
}

export type SaveOutcome = { saved: true; dropped: string[] } | { saved: false; reason: string };

/** Keeps `draft` as the newest, dropping the oldest others to stay in bounds. */
export function saveDraft(storage: DraftStorage, draft: StudioDraft): SaveOutcome {
  const own = JSON.stringify(draft).length;
  if (own > MAX_DRAFT_CHARS) return { saved: false, reason: `this lesson is ${Math.ceil(own / 1000)} k characters, more than the ${MAX_DRAFT_CHARS / 1000} k the browser keeps for drafts: export it to keep it` };
  const drafts = [draft, ...readDrafts(storage).filter((d) => d.source !== draft.source)];
  const dropped: string[] = [];
  while (drafts.length > MAX_DRAFTS || (drafts.length > 1 && JSON.stringify({ v: 1, drafts }).length > MAX_DRAFT_CHARS)) dropped.push(drafts.pop()!.source);
  try {
    storage.setItem(DRAFTS_KEY, JSON.stringify({ v: 1, drafts } satisfies Stored));
  } catch (e) {
    return { saved: false, reason: `the browser refused to store the draft (${(e as Error).name}): export it to keep it` };
  }
  return { saved: true, dropped };
}

export function discardDraft(storage: DraftStorage, source: string): void {
  const drafts = readDrafts(storage).filter((d) => d.source !== source);
  if (drafts.length) storage.setItem(DRAFTS_KEY, JSON.stringify({ v: 1, drafts } satisfies Stored));
  else storage.removeItem(DRAFTS_KEY);
}
