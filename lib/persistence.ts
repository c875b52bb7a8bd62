/**
 * Progress in the browser: one versioned localStorage record per lesson (and one for the
 * playground), plus a small progress index the course map reads.
 *
 * Record: `netlab:v1:lesson:<slug>` → LessonSave (JSON). Everything a reload needs to
 * restore the workspace exactly: the cluster (sim.snapshot(), which carries the files and
 * the answers), the terminal's history and transcript, task status, hints revealed.
 *
 * Two tabs of one lesson: every record carries the id of the tab that wrote it and a
 * sequence number. A tab writes only if the stored sequence is still the one it last saw
 * (last-writer check); it also listens for `storage` events. When another tab wrote, this
 * tab stops saving and offers to load the newer state or to keep its own (which then
 * overwrites, and the other tab is told in turn). Nothing is ever merged field by field,
 * so a record is always one tab's complete, consistent state.
 *
 * Anything unreadable — bad JSON, another version, a snapshot the engine refuses — is
 * removed and reported to the learner with a visible notice; never a crash.
 */

export const STORAGE_VERSION = 1;
const PREFIX = `netlab:v${STORAGE_VERSION}:`;

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  key(index: number): string | null;
  readonly length: number;
}

export interface WorkspaceSave<Snapshot = unknown> {
  v: typeof STORAGE_VERSION;
  id: string;
  writer: string;
  seq: number;
  savedAt: number;
  snapshot: Snapshot;
  history: string[];
  transcript: string;
  /** Task id → done, as last graded. */
  tasks: Record<string, boolean>;
  /** Task id → number of hints revealed. */
  hints: Record<string, number>;
  /** Task ids whose reference solution was revealed. */
  solutions: string[];
  /** The file open in the editor. */
  openFile?: string;
  /** Free-form extras (the playground keeps its settings and recording here). */
  extra?: Record<string, unknown>;
}

export type LoadResult<S> =
  | { status: 'none' }
  | { status: 'ok'; save: WorkspaceSave<S> }
  | { status: 'reset'; reason: string };

export interface ProgressEntry {
  done: number;
  total: number;
  completed: boolean;
  at: number;
}

export interface ProgressIndex {
  last?: { id: string; at: number };
  lessons: Record<string, ProgressEntry>;
}

export function recordKey(id: string): string {
  return `${PREFIX}lesson:${id}`;
}

export const PROGRESS_KEY = `${PREFIX}progress`;

/** The browser's localStorage, or null when it is unavailable (private mode, blocked). */
export function browserStore(): KeyValueStore | null {
  try {
    const s = window.localStorage;
    const probe = `${PREFIX}probe`;
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Checks a parsed record's shape; returns why it is unusable, or null. */
export function validateSave(x: unknown, id: string): string | null {
  if (!isObject(x)) return 'not an object';
  if (x.v !== STORAGE_VERSION) return `saved by another version of Netlab (v${String(x.v)})`;
  if (x.id !== id) return 'saved for another lesson';
  if (typeof x.writer !== 'string' || typeof x.seq !== 'number' || typeof x.savedAt !== 'number') return 'missing header fields';
  if (!isObject(x.snapshot)) return 'missing the cluster snapshot';
  if (!Array.isArray(x.history) || !x.history.every((h) => typeof h === 'string')) return 'damaged terminal history';
  if (typeof x.transcript !== 'string') return 'damaged terminal transcript';
  if (!isObject(x.tasks) || !isObject(x.hints) || !Array.isArray(x.solutions)) return 'damaged task state';
  return null;
}

/**
 * Removes records written by other storage versions (`netlab:v0:…`, `netlab:v2:…`, or the
 * unversioned `netlab:lesson:…`). Returns how many were removed, for the notice.
 */
export function sweepOldVersions(store: KeyValueStore): number {
  const stale: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const k = store.key(i);
    if (!k || !k.startsWith('netlab:')) continue;
    if (k === 'netlab:theme' || k.startsWith('netlab:ui:') || k.startsWith(PREFIX)) continue;
    stale.push(k);
  }
  for (const k of stale) store.removeItem(k);
  return stale.length;
}

export function loadSave<S>(store: KeyValueStore, id: string): LoadResult<S> {
  let raw: string | null;
  try {
    raw = store.getItem(recordKey(id));
  } catch {
    return { status: 'none' };
  }
  if (raw === null) return { status: 'none' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    store.removeItem(recordKey(id));
    return { status: 'reset', reason: 'the saved data was damaged (not valid JSON)' };
  }
  const why = validateSave(parsed, id);
  if (why) {
    store.removeItem(recordKey(id));
    return { status: 'reset', reason: `the saved data was ${why.startsWith('saved') ? why : 'unusable: ' + why}` };
  }
  return { status: 'ok', save: parsed as WorkspaceSave<S> };
}

/** The header of what is stored now (writer and sequence), without parsing the snapshot twice. */
export function peekHeader(store: KeyValueStore, id: string): { writer: string; seq: number } | null {
  const raw = store.getItem(recordKey(id));
  if (!raw) return null;
  try {
    const x = JSON.parse(raw) as { writer?: unknown; seq?: unknown };
    if (typeof x.writer === 'string' && typeof x.seq === 'number') return { writer: x.writer, seq: x.seq };
  } catch {
    /* damaged: treat as absent */
  }
  return null;
}

export type WriteOutcome = { ok: true; seq: number } | { ok: false; reason: 'conflict' | 'quota' | 'unavailable'; message: string };

/**
 * Writes a tab's state if nobody else wrote since `knownSeq` (or if `force`).
 * Returns the new sequence number, or why it did not write.
 */
export function writeSave<S>(
  store: KeyValueStore,
  save: Omit<WorkspaceSave<S>, 'v' | 'seq' | 'savedAt'>,
  knownSeq: number,
  now: number,
  force = false,
): WriteOutcome {
  const head = peekHeader(store, save.id);
  if (!force && head && head.seq > knownSeq && head.writer !== save.writer) {
    return { ok: false, reason: 'conflict', message: 'Another tab changed this lesson.' };
  }
  const seq = Math.max(knownSeq, head?.seq ?? 0) + 1;
  const record: WorkspaceSave<S> = { v: STORAGE_VERSION, ...save, seq, savedAt: now };
  try {
    store.setItem(recordKey(save.id), JSON.stringify(record));
  } catch (e) {
    const quota = e instanceof Error && /quota/i.test(`${e.name} ${e.message}`);
    return quota
      ? { ok: false, reason: 'quota', message: 'The browser’s storage for this site is full; progress is not being saved.' }
      : { ok: false, reason: 'unavailable', message: 'The browser refused to save progress.' };
  }
  return { ok: true, seq };
}

export function removeSave(store: KeyValueStore, id: string): void {
  store.removeItem(recordKey(id));
  const p = readProgress(store);
  if (p.lessons[id]) {
    delete p.lessons[id];
    writeProgress(store, p);
  }
}

export function readProgress(store: KeyValueStore | null): ProgressIndex {
  if (!store) return { lessons: {} };
  try {
    const raw = store.getItem(PROGRESS_KEY);
    if (!raw) return { lessons: {} };
    const x = JSON.parse(raw) as unknown;
    if (!isObject(x) || !isObject(x.lessons)) return { lessons: {} };
    const lessons: Record<string, ProgressEntry> = {};
    for (const [k, v] of Object.entries(x.lessons)) {
      if (isObject(v) && typeof v.done === 'number' && typeof v.total === 'number') {
        lessons[k] = { done: v.done, total: v.total, completed: v.completed === true, at: typeof v.at === 'number' ? v.at : 0 };
      }
    }
    const last = isObject(x.last) && typeof x.last.id === 'string' ? { id: x.last.id, at: Number(x.last.at) || 0 } : undefined;
    return { last, lessons };
  } catch {
    return { lessons: {} };
  }
}

function writeProgress(store: KeyValueStore, p: ProgressIndex): void {
  try {
    store.setItem(PROGRESS_KEY, JSON.stringify(p));
  } catch {
    /* the index is a convenience; the lesson record is what matters */
  }
}

/** Records a lesson's task count in the index (read-modify-write of its own entry only). */
export function updateProgress(store: KeyValueStore, id: string, entry: Omit<ProgressEntry, 'at'>, now: number, visit = true): void {
  const p = readProgress(store);
  p.lessons[id] = { ...entry, at: now };
  if (visit && id !== 'playground') p.last = { id, at: now };
  writeProgress(store, p);
}

/** A random id for this tab (UI code; the engine never uses Math.random). */
export function newTabId(): string {
  return Math.random().toString(36).slice(2, 10) + Date.now().toString(36).slice(-4);
}
