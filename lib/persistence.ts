/**
 * Progress in the browser: one versioned localStorage record per lesson (and one for the
 * playground), a small header beside it, and a progress index the course map reads.
 *
 * Keys (all under `netlab:v1:`):
 *   lesson:<id>  the record (WorkspaceSave, JSON): everything a reload needs — the cluster
 *                (sim.snapshot(), which carries files and answers), the terminal's history
 *                and transcript, task status, hints revealed. Self-contained: its header
 *                fields are inside it too.
 *   head:<id>    the record's header alone (SaveHead, ~100 bytes), written after the record.
 *                The last-writer check before every save reads this, never the record.
 *   kept:<id>    a record this build could not use (damaged, from an older simulator, or
 *                one whose restore failed or ran over budget), kept as it was so the
 *                learner can download it. One per lab; the lab itself starts over.
 *   boot:<id>    set while a record is being restored, cleared once the lab runs. Found
 *                stale at the next load, it means that restore hung or crashed the tab:
 *                the record is kept aside and the lab starts on its scenario.
 *   drafts:<id>  the editor's unsaved buffers (path → text, JSON), written as the learner
 *                types; every command saves them into the cluster's files first.
 *
 * Limits: a record may be at most SAVE_CAP_CHARS long (a bigger one is not written, and
 * the lab says so); the terminal history inside it at most HISTORY_SAVE_CHARS.
 *
 * Newer builds: a record with a newer storage or simulator version, and keys of a newer
 * storage version (`netlab:v2:…`), are never removed or overwritten here.
 *
 * Two tabs of one lesson: every record carries the id of the tab that wrote it and a
 * sequence number. A tab writes only if the stored sequence is still the one it last saw
 * (last-writer check); it also listens for `storage` events. When another tab wrote, this
 * tab stops saving and offers to load the newer state or to keep its own (which then
 * overwrites, and the other tab is told in turn). Nothing is ever merged field by field,
 * so a record is always one tab's complete, consistent state.
 */

export const STORAGE_VERSION = 1;
const PREFIX = `netlab:v${STORAGE_VERSION}:`;

/**
 * The most a lab's record may take, in characters (what localStorage counts; ≈ bytes for
 * this ASCII JSON). A lesson's record is 100–300 K: the cluster snapshot ~90–135 K, the
 * transcript ≤ 120 K, the history ≤ HISTORY_SAVE_CHARS. Browsers give a site ~5 M
 * characters of localStorage in all, so 1 M leaves room for real work in one lab and
 * keeps any one lab from crowding out the others (ten typical labs plus two at the cap
 * still fit).
 */
export const SAVE_CAP_CHARS = 1_000_000;

/** The newest terminal history entries that fit in this many characters are saved. */
export const HISTORY_SAVE_CHARS = 64_000;

/** A restore that takes longer than this is abandoned: the lab starts on its scenario. */
export const RESTORE_BUDGET_MS = 4_000;

/**
 * A boot marker older than this was left by a restore that never finished (the tab hung
 * or crashed). A healthy lab clears its marker within a few seconds of restoring
 * (lab-session.ts), so this also tells it apart from another tab restoring right now.
 */
export const BOOT_STALE_MS = 10_000;

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
  /** The further terminal tabs (shell sessions 1, 2 …): each its own history and screen. */
  terminals?: SavedTerminal[];
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

/** A further terminal tab of a lab, as saved. */
export interface SavedTerminal {
  session: number;
  history: string[];
  transcript: string;
}

/** The further terminals of a record that are well formed (a damaged one is dropped, not the save). */
export function savedTerminals(x: unknown, maxSessions: number): SavedTerminal[] {
  if (!Array.isArray(x)) return [];
  const seen = new Set<number>();
  const out: SavedTerminal[] = [];
  for (const t of x as unknown[]) {
    if (!isObject(t)) continue;
    const { session, history, transcript } = t;
    if (typeof session !== 'number' || !Number.isInteger(session) || session < 1 || session >= maxSessions || seen.has(session)) continue;
    if (!Array.isArray(history) || !history.every((h) => typeof h === 'string') || typeof transcript !== 'string') continue;
    seen.add(session);
    out.push({ session, history: history as string[], transcript });
  }
  return out.sort((a, b) => a.session - b.session);
}

/** What head:<id> holds: the record's header and size. */
export interface SaveHead {
  writer: string;
  seq: number;
  savedAt: number;
  chars: number;
}

export type LoadResult<S> =
  | { status: 'none' }
  | { status: 'ok'; save: WorkspaceSave<S>; raw: string }
  /** Written by a newer build: left where it is, untouched. */
  | { status: 'newer'; reason: string }
  /** Damaged or from an older build: the caller keeps it aside (keepAside) and starts over. */
  | { status: 'unusable'; reason: string; raw: string };

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

export function headKey(id: string): string {
  return `${PREFIX}head:${id}`;
}

export function keptKey(id: string): string {
  return `${PREFIX}kept:${id}`;
}

export function bootKey(id: string): string {
  return `${PREFIX}boot:${id}`;
}

export function draftsKey(id: string): string {
  return `${PREFIX}drafts:${id}`;
}

export function seedKey(id: string): string {
  return `${PREFIX}seed:${id}`;
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

function tryGet(store: KeyValueStore, key: string): string | null {
  try {
    return store.getItem(key);
  } catch {
    return null;
  }
}

function tryRemove(store: KeyValueStore, key: string): void {
  try {
    store.removeItem(key);
  } catch {
    /* nothing more to do */
  }
}

/** "1.4 MB", "320 kB": sizes for notices (characters ≈ bytes for this JSON). */
export function formatSize(chars: number): string {
  if (chars >= 1_000_000) return `${(chars / 1_000_000).toFixed(1).replace(/\.0$/, '')} MB`;
  return `${Math.max(1, Math.round(chars / 1000))} kB`;
}

/** Checks a parsed record's shape; returns why it is unusable, or null. */
export function validateSave(x: unknown, id: string): string | null {
  if (!isObject(x)) return 'not an object';
  if (typeof x.v === 'number' && x.v < STORAGE_VERSION) return `saved by an older version of Netlab (v${x.v})`;
  if (x.v !== STORAGE_VERSION) return `saved by another version of Netlab (v${String(x.v)})`;
  if (x.id !== id) return 'saved for another lesson';
  if (typeof x.writer !== 'string' || typeof x.seq !== 'number' || typeof x.savedAt !== 'number') return 'missing header fields';
  if (!isObject(x.snapshot)) return 'missing the cluster snapshot';
  if (!Array.isArray(x.history) || !x.history.every((h) => typeof h === 'string')) return 'damaged terminal history';
  if (typeof x.transcript !== 'string') return 'damaged terminal transcript';
  if (!isObject(x.tasks) || !isObject(x.hints) || !Array.isArray(x.solutions)) return 'damaged task state';
  return null;
}

/** `netlab:v<N>:` → N, for any key of a versioned layout. */
function versionOf(key: string): number | null {
  const m = /^netlab:v(\d+):/.exec(key);
  return m ? Number(m[1]) : null;
}

/**
 * Removes records written by older storage versions (`netlab:v0:…`, or the unversioned
 * `netlab:lesson:…`). Keys of newer versions are left alone and listed, so a lab can say
 * that a newer build keeps progress for it too. The theme and UI settings stay.
 */
export function sweepOldVersions(store: KeyValueStore): { removed: number; newer: string[] } {
  const stale: string[] = [];
  const newer: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const k = store.key(i);
    if (!k || !k.startsWith('netlab:')) continue;
    if (k === 'netlab:theme' || k.startsWith('netlab:ui:') || k.startsWith(PREFIX)) continue;
    const v = versionOf(k);
    if (v !== null && v > STORAGE_VERSION) newer.push(k);
    else stale.push(k);
  }
  for (const k of stale) tryRemove(store, k);
  return { removed: stale.length, newer };
}

/** True if a newer storage version holds a record for this lab (from sweepOldVersions' list). */
export function newerRecordFor(newerKeys: string[], id: string): boolean {
  return newerKeys.some((k) => k.endsWith(`:lesson:${id}`));
}

/**
 * Reads a lab's record. Nothing is removed here: a newer build's record stays where it
 * is; an unusable one is returned with its text, for the caller to keep aside.
 */
export function loadSave<S>(store: KeyValueStore, id: string): LoadResult<S> {
  const raw = tryGet(store, recordKey(id));
  if (raw === null) return { status: 'none' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { status: 'unusable', reason: 'the saved data was damaged (not valid JSON)', raw };
  }
  if (isObject(parsed) && typeof parsed.v === 'number' && parsed.v > STORAGE_VERSION) {
    return { status: 'newer', reason: `it was saved by a newer version of Netlab (storage v${parsed.v})` };
  }
  const why = validateSave(parsed, id);
  if (why) return { status: 'unusable', reason: `the saved data was ${why.startsWith('saved') ? why : 'unusable: ' + why}`, raw };
  return { status: 'ok', save: parsed as WorkspaceSave<S>, raw };
}

/**
 * The header of what is stored now (writer, sequence, size), from head:<id>. A record
 * without a header (written before headers existed) is parsed once to get it.
 */
export function readHead(store: KeyValueStore, id: string): SaveHead | null {
  const h = tryGet(store, headKey(id));
  if (h !== null) {
    try {
      const x = JSON.parse(h) as Record<string, unknown>;
      if (typeof x.writer === 'string' && typeof x.seq === 'number') {
        return { writer: x.writer, seq: x.seq, savedAt: Number(x.savedAt) || 0, chars: Number(x.chars) || 0 };
      }
    } catch {
      /* damaged header: read the record */
    }
  }
  const raw = tryGet(store, recordKey(id));
  if (!raw) return null;
  try {
    const x = JSON.parse(raw) as Record<string, unknown>;
    if (typeof x.writer === 'string' && typeof x.seq === 'number') return { writer: x.writer, seq: x.seq, savedAt: Number(x.savedAt) || 0, chars: raw.length };
  } catch {
    /* damaged: treat as absent */
  }
  return null;
}

/** The newest history entries whose lengths add up to at most `budget` characters. */
export function trimHistory(history: string[], budget = HISTORY_SAVE_CHARS): string[] {
  let used = 0;
  let i = history.length;
  while (i > 0 && used + history[i - 1].length <= budget) {
    used += history[i - 1].length;
    i--;
  }
  return i === 0 ? history : history.slice(i);
}

export type WriteOutcome =
  | { ok: true; seq: number; chars: number }
  | { ok: false; reason: 'conflict'; message: string }
  | { ok: false; reason: 'too-big'; chars: number; message: string }
  | { ok: false; reason: 'quota' | 'unavailable'; message: string };

/**
 * Writes a tab's state if nobody else wrote since `knownSeq` (or if `force`), and if it
 * fits under SAVE_CAP_CHARS. Returns the new sequence number, or why it did not write
 * (the stored record is then left as it was).
 */
export function writeSave<S>(
  store: KeyValueStore,
  save: Omit<WorkspaceSave<S>, 'v' | 'seq' | 'savedAt'>,
  knownSeq: number,
  now: number,
  force = false,
): WriteOutcome {
  const head = readHead(store, save.id);
  if (!force && head && head.seq > knownSeq && head.writer !== save.writer) {
    return { ok: false, reason: 'conflict', message: 'Another tab changed this lesson.' };
  }
  const seq = Math.max(knownSeq, head?.seq ?? 0) + 1;
  const record: WorkspaceSave<S> = {
    v: STORAGE_VERSION,
    ...save,
    history: trimHistory(save.history),
    ...(save.terminals ? { terminals: save.terminals.map((t) => ({ ...t, history: trimHistory(t.history) })) } : {}),
    seq,
    savedAt: now,
  };
  const text = JSON.stringify(record);
  if (text.length > SAVE_CAP_CHARS) {
    return { ok: false, reason: 'too-big', chars: text.length, message: `This lab’s state is ${formatSize(text.length)}, more than the ${formatSize(SAVE_CAP_CHARS)} one lab may keep in this browser.` };
  }
  const newHead: SaveHead = { writer: save.writer, seq, savedAt: now, chars: text.length };
  try {
    // The record first: a header never announces a record that is not there.
    store.setItem(recordKey(save.id), text);
    store.setItem(headKey(save.id), JSON.stringify(newHead));
  } catch (e) {
    const quota = e instanceof Error && /quota/i.test(`${e.name} ${e.message}`);
    if (!quota) return { ok: false, reason: 'unavailable', message: 'The browser refused to save progress.' };
    const big = largestRecord(store, save.id);
    return {
      ok: false,
      reason: 'quota',
      message: big
        ? `The browser’s storage for this site is full, so progress is not being saved. The biggest save is “${big.id}” (${formatSize(big.chars)}): resetting that lab frees it.`
        : 'The browser’s storage for this site is full; progress is not being saved.',
    };
  }
  return { ok: true, seq, chars: text.length };
}

/** The largest lab record other than `except`, by length (no parsing). */
export function largestRecord(store: KeyValueStore, except?: string): { id: string; chars: number } | null {
  const prefix = `${PREFIX}lesson:`;
  let best: { id: string; chars: number } | null = null;
  for (let i = 0; i < store.length; i++) {
    const k = store.key(i);
    if (!k || !k.startsWith(prefix) || k === recordKey(except ?? '')) continue;
    const chars = tryGet(store, k)?.length ?? 0;
    if (!best || chars > best.chars) best = { id: k.slice(prefix.length), chars };
  }
  return best;
}

/** Removes a lab's record, its header, its boot marker and its progress entry (not a kept copy). */
export function removeSave(store: KeyValueStore, id: string): void {
  tryRemove(store, recordKey(id));
  tryRemove(store, headKey(id));
  tryRemove(store, bootKey(id));
  const p = readProgress(store);
  if (p.lessons[id]) {
    delete p.lessons[id];
    writeProgress(store, p);
  }
}

// ---- the learner's own seed -------------------------------------------------------------

/** Seeds a learner may get: 1 … 2^31 − 1 (the engine's Rng takes any 32-bit number; this stays readable). */
export const MAX_LEARNER_SEED = 2 ** 31 - 1;

/**
 * The seed of a lab whose scenario draws its faults (a `faults:` section): drawn once per
 * learner and lesson with `draw`, then kept under seed:<id>, so the learner's broken
 * cluster is their own and stays the same across reloads and a "start over" (removeSave
 * leaves it). A stored seed that is not a whole number in range is drawn again. Without
 * storage the seed is drawn for this visit only.
 */
export function learnerSeed(store: KeyValueStore | null, id: string, draw: () => number): number {
  const valid = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_LEARNER_SEED;
  const stored = store ? Number(tryGet(store, seedKey(id)) ?? NaN) : NaN;
  if (valid(stored)) return stored;
  let seed = Math.floor(draw());
  if (!valid(seed)) seed = 1 + (Math.abs(seed) % MAX_LEARNER_SEED || 0);
  try {
    store?.setItem(seedKey(id), String(seed));
  } catch {
    /* a full or blocked storage: the seed lasts this visit */
  }
  return seed;
}

/** A seed from the browser's cryptographic random source (the UI's side: the engine itself only takes seeds). */
export function randomSeed(): number {
  const a = new Uint32Array(1);
  globalThis.crypto.getRandomValues(a);
  return 1 + (a[0] % MAX_LEARNER_SEED);
}

// ---- records kept aside -----------------------------------------------------------------

export interface KeptSave {
  /** Why it could not be used, in words for the learner. */
  reason: string;
  /** When it was kept aside (ms since the epoch). */
  at: number;
  /** The record exactly as it was stored. */
  raw: string;
}

/**
 * Moves an unusable record out of the lab's way into kept:<id>, so the lab can start over
 * and the learner can still download it. Returns false if the browser refused to store
 * the copy (the caller then holds it in memory for this visit).
 */
export function keepAside(store: KeyValueStore, id: string, raw: string, reason: string, now: number): boolean {
  // Free the record's room first, so the copy fits where the record was.
  tryRemove(store, recordKey(id));
  tryRemove(store, headKey(id));
  try {
    store.setItem(keptKey(id), `${JSON.stringify({ reason, at: now })}\n${raw}`);
    return true;
  } catch {
    return false;
  }
}

export function readKept(store: KeyValueStore, id: string): KeptSave | null {
  const text = tryGet(store, keptKey(id));
  if (text === null) return null;
  const nl = text.indexOf('\n');
  try {
    const meta = JSON.parse(nl < 0 ? text : text.slice(0, nl)) as { reason?: unknown; at?: unknown };
    return { reason: typeof meta.reason === 'string' ? meta.reason : 'it could not be restored', at: Number(meta.at) || 0, raw: nl < 0 ? '' : text.slice(nl + 1) };
  } catch {
    return { reason: 'it could not be restored', at: 0, raw: text };
  }
}

export function discardKept(store: KeyValueStore, id: string): void {
  tryRemove(store, keptKey(id));
}

// ---- the boot marker --------------------------------------------------------------------

/** Marks that this lab's record is being restored now. */
export function markBoot(store: KeyValueStore, id: string, now: number): void {
  try {
    store.setItem(bootKey(id), JSON.stringify({ at: now }));
  } catch {
    /* without the marker a hang is only caught by the next tab's budget; nothing else to do */
  }
}

export function clearBoot(store: KeyValueStore, id: string): void {
  tryRemove(store, bootKey(id));
}

/** True if an earlier restore of this lab started over BOOT_STALE_MS ago and never finished. */
export function bootFailed(store: KeyValueStore, id: string, now: number): boolean {
  const text = tryGet(store, bootKey(id));
  if (text === null) return false;
  let at = 0;
  try {
    at = Number((JSON.parse(text) as { at?: unknown }).at) || 0;
  } catch {
    /* a damaged marker counts as an old one */
  }
  return now - at > BOOT_STALE_MS;
}

// ---- the progress index -----------------------------------------------------------------

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
