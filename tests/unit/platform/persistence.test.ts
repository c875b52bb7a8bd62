/**
 * Saved progress (lib/persistence.ts): versioned records with a small header beside them,
 * the per-lab size cap, records this build cannot use kept aside (never deleted) or — from
 * a newer build — left alone, the boot marker, the two-tab last-writer check, and a real
 * cluster snapshot surviving a JSON round trip through storage.
 */
import { describe, expect, it } from 'vitest';
import {
  BOOT_STALE_MS,
  HISTORY_SAVE_CHARS,
  PROGRESS_KEY,
  SAVE_CAP_CHARS,
  STORAGE_VERSION,
  bootFailed,
  bootKey,
  clearBoot,
  discardKept,
  formatSize,
  headKey,
  keepAside,
  keptKey,
  loadSave,
  markBoot,
  readHead,
  readKept,
  readProgress,
  recordKey,
  removeSave,
  sweepOldVersions,
  trimHistory,
  updateProgress,
  writeSave,
} from '../../../lib/persistence';
import { MemoryStore } from './memory-store';
import { Simulation, createSimulation, type SimSnapshot } from '../../../engine';

function body<S = unknown>(writer: string, snapshot: S = { version: 1 } as S, history = ['kubectl get pods']) {
  return { id: 'lesson-a', writer, snapshot, history, transcript: '$ kubectl get pods\r\n', tasks: { t1: true }, hints: { t2: 1 }, solutions: [] };
}

/** A store that counts reads per key (to pin what the header check reads). */
class CountingStore extends MemoryStore {
  reads = new Map<string, number>();
  getItem(k: string) {
    this.reads.set(k, (this.reads.get(k) ?? 0) + 1);
    return super.getItem(k);
  }
}

describe('records', () => {
  it('writes the record, then its header; reads both back', () => {
    const s = new MemoryStore();
    const w = writeSave(s, body('tab1'), 0, 1000);
    const text = s.getItem(recordKey('lesson-a'))!;
    expect(w).toEqual({ ok: true, seq: 1, chars: text.length });
    expect(JSON.parse(s.getItem(headKey('lesson-a'))!)).toEqual({ writer: 'tab1', seq: 1, savedAt: 1000, chars: text.length });
    const r = loadSave(s, 'lesson-a');
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.raw).toBe(text);
    expect(r.save).toMatchObject({ v: STORAGE_VERSION, seq: 1, savedAt: 1000, writer: 'tab1', history: ['kubectl get pods'], tasks: { t1: true } });
  });

  it('checks the last writer from the header alone, never reading the record', () => {
    const s = new CountingStore();
    writeSave(s, body('tab1', { version: 1, big: 'x'.repeat(50_000) }), 0, 1);
    s.reads.clear();
    expect(writeSave(s, body('tab1'), 1, 2)).toMatchObject({ ok: true, seq: 2 });
    expect(s.reads.get(headKey('lesson-a'))).toBe(1);
    expect(s.reads.get(recordKey('lesson-a'))).toBeUndefined();
    expect(readHead(s, 'lesson-a')).toMatchObject({ writer: 'tab1', seq: 2, savedAt: 2 });
    expect(s.reads.get(recordKey('lesson-a'))).toBeUndefined();
  });

  it('reads the header out of a record written before headers existed', () => {
    const s = new MemoryStore();
    const legacy = JSON.stringify({ v: 1, ...body('old-tab'), seq: 7, savedAt: 5 });
    s.setItem(recordKey('lesson-a'), legacy);
    expect(readHead(s, 'lesson-a')).toEqual({ writer: 'old-tab', seq: 7, savedAt: 5, chars: legacy.length });
    // The next write continues the sequence and adds the header.
    expect(writeSave(s, body('tab1'), 7, 6)).toMatchObject({ ok: true, seq: 8 });
    expect(JSON.parse(s.getItem(headKey('lesson-a'))!)).toMatchObject({ writer: 'tab1', seq: 8 });
  });

  it('returns damaged JSON as unusable, with its text, and removes nothing', () => {
    const s = new MemoryStore();
    s.setItem(recordKey('lesson-a'), '{"v":1,"id":"lesson-a",');
    expect(loadSave(s, 'lesson-a')).toEqual({ status: 'unusable', reason: 'the saved data was damaged (not valid JSON)', raw: '{"v":1,"id":"lesson-a",' });
    expect(s.getItem(recordKey('lesson-a'))).toBe('{"v":1,"id":"lesson-a",');
  });

  it('calls a record of an older storage version unusable, and one of a newer version newer', () => {
    const s = new MemoryStore();
    s.setItem(recordKey('lesson-a'), JSON.stringify({ ...body('x'), v: 0, seq: 1, savedAt: 1 }));
    expect(loadSave(s, 'lesson-a')).toMatchObject({ status: 'unusable', reason: 'the saved data was saved by an older version of Netlab (v0)' });
    const newer = JSON.stringify({ ...body('x'), v: 2, seq: 1, savedAt: 1, somethingNew: true });
    s.setItem(recordKey('lesson-a'), newer);
    expect(loadSave(s, 'lesson-a')).toEqual({ status: 'newer', reason: 'it was saved by a newer version of Netlab (storage v2)' });
    expect(s.getItem(recordKey('lesson-a'))).toBe(newer);
  });

  it('calls a record with a damaged field unusable', () => {
    const s = new MemoryStore();
    s.setItem(recordKey('lesson-a'), JSON.stringify({ ...body('x'), history: [1, 2], v: 1, seq: 1, savedAt: 1 }));
    expect(loadSave(s, 'lesson-a')).toMatchObject({ status: 'unusable', reason: 'the saved data was unusable: damaged terminal history' });
  });

  it('sweeps keys of older versions, keeps newer versions’ keys and lists them, keeps the theme and UI settings', () => {
    const s = new MemoryStore();
    s.setItem('netlab:theme', 'dark');
    s.setItem('netlab:ui:split', '40');
    s.setItem('netlab:v0:lesson:x', '{}');
    s.setItem('netlab:lesson:y', '{}');
    s.setItem('netlab:v2:lesson:lesson-a', '{}');
    s.setItem('netlab:v12:progress', '{}');
    s.setItem(recordKey('z'), '{}');
    s.setItem('other-app', '1');
    expect(sweepOldVersions(s)).toEqual({ removed: 2, newer: ['netlab:v2:lesson:lesson-a', 'netlab:v12:progress'] });
    expect([...s.map.keys()].sort()).toEqual(['netlab:theme', 'netlab:ui:split', 'netlab:v2:lesson:lesson-a', 'netlab:v12:progress', recordKey('z'), 'other-app'].sort());
  });

  it('reports a full storage, naming the biggest save', () => {
    const s = new MemoryStore();
    s.setItem(recordKey('lesson-big'), 'x'.repeat(2_400_000));
    s.setItem(recordKey('lesson-small'), 'x'.repeat(1_000));
    s.quota = 10;
    const w = writeSave(s, body('tab1'), 0, 1);
    expect(w).toEqual({
      ok: false,
      reason: 'quota',
      message: 'The browser’s storage for this site is full, so progress is not being saved. The biggest save is “lesson-big” (2.4 MB): resetting that lab frees it.',
    });
  });
});

describe('the size cap', () => {
  it('does not write a record over SAVE_CAP_CHARS and leaves the stored one as it was', () => {
    const s = new MemoryStore();
    writeSave(s, body('tab1'), 0, 1);
    const before = s.getItem(recordKey('lesson-a'));
    const w = writeSave(s, body('tab1', { version: 1, blob: 'x'.repeat(SAVE_CAP_CHARS) }), 1, 2);
    expect(w).toMatchObject({ ok: false, reason: 'too-big' });
    if (w.ok || w.reason !== 'too-big') return;
    expect(w.chars).toBeGreaterThan(SAVE_CAP_CHARS);
    expect(s.getItem(recordKey('lesson-a'))).toBe(before);
    expect(readHead(s, 'lesson-a')).toMatchObject({ seq: 1 });
    // Just under the cap is written.
    const room = SAVE_CAP_CHARS - JSON.stringify({ v: 1, ...body('tab1', { version: 1, blob: '' }), seq: 2, savedAt: 3 }).length;
    expect(writeSave(s, body('tab1', { version: 1, blob: 'x'.repeat(room) }), 1, 3)).toEqual({ ok: true, seq: 2, chars: SAVE_CAP_CHARS });
  });

  it('keeps the newest history entries that fit in HISTORY_SAVE_CHARS', () => {
    const big = 'y'.repeat(30_000);
    const history = ['first', big, big, 'kubectl get pods', big];
    expect(trimHistory(history)).toEqual([big, 'kubectl get pods', big]);
    expect(trimHistory(['a', 'b'])).toEqual(['a', 'b']);
    expect(trimHistory(['z'.repeat(HISTORY_SAVE_CHARS + 1)])).toEqual([]);
    const s = new MemoryStore();
    writeSave(s, body('tab1', { version: 1 }, history), 0, 1);
    const r = loadSave(s, 'lesson-a');
    expect(r.status === 'ok' && r.save.history).toEqual([big, 'kubectl get pods', big]);
  });

  it('prints sizes for notices', () => {
    expect([formatSize(SAVE_CAP_CHARS), formatSize(1_449_000), formatSize(123_456), formatSize(12)]).toEqual(['1 MB', '1.4 MB', '123 kB', '1 kB']);
  });
});

describe('records kept aside', () => {
  it('moves a record to kept:<id> with its reason, freeing the lab’s record and header', () => {
    const s = new MemoryStore();
    writeSave(s, body('tab1'), 0, 1);
    const raw = s.getItem(recordKey('lesson-a'))!;
    expect(keepAside(s, 'lesson-a', raw, 'restoring its cluster failed: boom', 50)).toBe(true);
    expect(s.getItem(recordKey('lesson-a'))).toBeNull();
    expect(s.getItem(headKey('lesson-a'))).toBeNull();
    expect(readKept(s, 'lesson-a')).toEqual({ reason: 'restoring its cluster failed: boom', at: 50, raw });
    // removeSave (what a reset does first) leaves the kept copy; discardKept removes it.
    removeSave(s, 'lesson-a');
    expect(readKept(s, 'lesson-a')?.raw).toBe(raw);
    discardKept(s, 'lesson-a');
    expect(s.getItem(keptKey('lesson-a'))).toBeNull();
    expect(readKept(s, 'lesson-a')).toBeNull();
  });

  it('says so when the browser has no room for the copy', () => {
    const s = new MemoryStore();
    s.quota = 100;
    expect(keepAside(s, 'lesson-a', 'z'.repeat(200), 'damaged', 1)).toBe(false);
    expect(readKept(s, 'lesson-a')).toBeNull();
  });
});

describe('the boot marker', () => {
  it('counts as a failed restore only when older than BOOT_STALE_MS', () => {
    const s = new MemoryStore();
    expect(bootFailed(s, 'lesson-a', 100_000)).toBe(false);
    markBoot(s, 'lesson-a', 100_000);
    // Another tab restoring right now.
    expect(bootFailed(s, 'lesson-a', 100_000 + BOOT_STALE_MS)).toBe(false);
    // A restore that never finished.
    expect(bootFailed(s, 'lesson-a', 100_000 + BOOT_STALE_MS + 1)).toBe(true);
    s.setItem(bootKey('lesson-a'), 'garbage');
    expect(bootFailed(s, 'lesson-a', 100_000)).toBe(true);
    clearBoot(s, 'lesson-a');
    expect(bootFailed(s, 'lesson-a', 10 ** 12)).toBe(false);
  });
});

describe('two tabs', () => {
  it('refuses to overwrite what another tab wrote since this tab last saw the record', () => {
    const s = new MemoryStore();
    const a1 = writeSave(s, body('A'), 0, 1);
    expect(a1).toMatchObject({ ok: true, seq: 1 });
    // Tab B opens the lesson: it has seen seq 1.
    const bSeen = 1;
    const a2 = writeSave(s, body('A'), 1, 2);
    expect(a2).toMatchObject({ ok: true, seq: 2 });
    const b = writeSave(s, body('B'), bSeen, 3);
    expect(b).toMatchObject({ ok: false, reason: 'conflict' });
    expect(JSON.parse(s.getItem(recordKey('lesson-a'))!).writer).toBe('A');
    // B chooses to keep its own state: it overwrites, with a higher sequence.
    const forced = writeSave(s, body('B'), bSeen, 4, true);
    expect(forced).toMatchObject({ ok: true, seq: 3 });
    // Now A is the stale one.
    expect(writeSave(s, body('A'), 2, 5)).toMatchObject({ ok: false, reason: 'conflict' });
  });
});

describe('progress index', () => {
  it('keeps one entry per lesson and the last visited lesson', () => {
    const s = new MemoryStore();
    updateProgress(s, 'a', { done: 1, total: 3, completed: false }, 10);
    updateProgress(s, 'b', { done: 2, total: 2, completed: true }, 20);
    updateProgress(s, 'playground', { done: 0, total: 0, completed: false }, 30);
    expect(readProgress(s)).toEqual({
      last: { id: 'b', at: 20 },
      lessons: {
        a: { done: 1, total: 3, completed: false, at: 10 },
        b: { done: 2, total: 2, completed: true, at: 20 },
        playground: { done: 0, total: 0, completed: false, at: 30 },
      },
    });
    removeSave(s, 'a');
    expect(Object.keys(readProgress(s).lessons)).toEqual(['b', 'playground']);
    s.setItem(PROGRESS_KEY, 'not json');
    expect(readProgress(s)).toEqual({ lessons: {} });
  });
});

describe('a real cluster through storage', () => {
  it('restores objects, files, history, answers and the clock exactly', () => {
    const sim = createSimulation(null, { seed: 7, interactive: true });
    sim.run('no-such-command');
    sim.fs.write({ kind: 'workstation' }, '/home/learner/web.yaml', 'kind: Service\n');
    sim.answers['q1'] = '10.96.0.10';
    sim.advance(90_000);
    const s = new MemoryStore();
    expect(writeSave<SimSnapshot>(s, body('A', sim.snapshot()), 0, 1)).toMatchObject({ ok: true, seq: 1 });
    const r = loadSave<SimSnapshot>(s, 'lesson-a');
    if (r.status !== 'ok') throw new Error(r.status);
    const back = Simulation.restore(r.save.snapshot, { interactive: true });
    expect(back.snapshot()).toEqual(sim.snapshot());
    expect(back.fs.read({ kind: 'workstation' }, '/home/learner/web.yaml')).toBe('kind: Service\n');
    expect(back.answers).toEqual({ q1: '10.96.0.10' });
    expect(back.history.map((h) => h.command)).toEqual(['no-such-command']);
  });
});
