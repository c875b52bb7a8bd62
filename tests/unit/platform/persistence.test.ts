/**
 * Saved progress (lib/persistence.ts): versioned records, damaged or old data reset with
 * a reason, the two-tab last-writer check, and a real cluster snapshot surviving a
 * JSON round trip through storage.
 */
import { describe, expect, it } from 'vitest';
import {
  PROGRESS_KEY,
  STORAGE_VERSION,
  loadSave,
  readProgress,
  recordKey,
  removeSave,
  sweepOldVersions,
  updateProgress,
  writeSave,
} from '../../../lib/persistence';
import { MemoryStore } from './memory-store';
import { Simulation, createSimulation, type SimSnapshot } from '../../../engine';

function body<S = unknown>(writer: string, snapshot: S = { version: 1 } as S) {
  return { id: 'lesson-a', writer, snapshot, history: ['kubectl get pods'], transcript: '$ kubectl get pods\r\n', tasks: { t1: true }, hints: { t2: 1 }, solutions: [] };
}

describe('records', () => {
  it('writes and reads back a versioned record with a sequence number', () => {
    const s = new MemoryStore();
    const w = writeSave(s, body('tab1'), 0, 1000);
    expect(w).toEqual({ ok: true, seq: 1 });
    const r = loadSave(s, 'lesson-a');
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.save).toMatchObject({ v: STORAGE_VERSION, seq: 1, savedAt: 1000, writer: 'tab1', history: ['kubectl get pods'], tasks: { t1: true } });
  });

  it('resets damaged JSON with a reason and removes it', () => {
    const s = new MemoryStore();
    s.setItem(recordKey('lesson-a'), '{"v":1,"id":"lesson-a",');
    expect(loadSave(s, 'lesson-a')).toEqual({ status: 'reset', reason: 'the saved data was damaged (not valid JSON)' });
    expect(s.getItem(recordKey('lesson-a'))).toBeNull();
  });

  it('resets a record from another storage version', () => {
    const s = new MemoryStore();
    s.setItem(recordKey('lesson-a'), JSON.stringify({ ...body('x'), v: 0, seq: 1, savedAt: 1 }));
    expect(loadSave(s, 'lesson-a')).toEqual({ status: 'reset', reason: 'the saved data was saved by another version of Netlab (v0)' });
  });

  it('resets a record with a damaged field', () => {
    const s = new MemoryStore();
    s.setItem(recordKey('lesson-a'), JSON.stringify({ ...body('x'), history: [1, 2], v: 1, seq: 1, savedAt: 1 }));
    expect(loadSave(s, 'lesson-a')).toEqual({ status: 'reset', reason: 'the saved data was unusable: damaged terminal history' });
  });

  it('sweeps keys of other versions but keeps the theme and UI settings', () => {
    const s = new MemoryStore();
    s.setItem('netlab:theme', 'dark');
    s.setItem('netlab:ui:split', '40');
    s.setItem('netlab:v0:lesson:x', '{}');
    s.setItem('netlab:lesson:y', '{}');
    s.setItem(recordKey('z'), '{}');
    s.setItem('other-app', '1');
    expect(sweepOldVersions(s)).toBe(2);
    expect([...s.map.keys()].sort()).toEqual(['netlab:theme', 'netlab:ui:split', recordKey('z'), 'other-app'].sort());
  });

  it('reports a full storage instead of throwing', () => {
    const s = new MemoryStore();
    s.quota = 10;
    const w = writeSave(s, body('tab1'), 0, 1);
    expect(w).toMatchObject({ ok: false, reason: 'quota' });
  });
});

describe('two tabs', () => {
  it('refuses to overwrite what another tab wrote since this tab last saw the record', () => {
    const s = new MemoryStore();
    const a1 = writeSave(s, body('A'), 0, 1);
    expect(a1).toEqual({ ok: true, seq: 1 });
    // Tab B opens the lesson: it has seen seq 1.
    const bSeen = 1;
    const a2 = writeSave(s, body('A'), 1, 2);
    expect(a2).toEqual({ ok: true, seq: 2 });
    const b = writeSave(s, body('B'), bSeen, 3);
    expect(b).toMatchObject({ ok: false, reason: 'conflict' });
    expect(JSON.parse(s.getItem(recordKey('lesson-a'))!).writer).toBe('A');
    // B chooses to keep its own state: it overwrites, with a higher sequence.
    const forced = writeSave(s, body('B'), bSeen, 4, true);
    expect(forced).toEqual({ ok: true, seq: 3 });
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
    expect(writeSave<SimSnapshot>(s, body('A', sim.snapshot()), 0, 1)).toEqual({ ok: true, seq: 1 });
    const r = loadSave<SimSnapshot>(s, 'lesson-a');
    if (r.status !== 'ok') throw new Error(r.status);
    const back = Simulation.restore(r.save.snapshot, { interactive: true });
    expect(back.snapshot()).toEqual(sim.snapshot());
    expect(back.fs.read({ kind: 'workstation' }, '/home/learner/web.yaml')).toBe('kind: Service\n');
    expect(back.answers).toEqual({ q1: '10.96.0.10' });
    expect(back.history.map((h) => h.command)).toEqual(['no-such-command']);
  });
});
