/** The studio's lesson zip (lib/studio/bundle.ts) and its drafts in localStorage (lib/studio/drafts.ts). */
import { describe, expect, it } from 'vitest';
import { zipSync, strToU8, unzipSync, strFromU8 } from 'fflate';
import { readRawLesson } from '../../../lib/lessons';
import { exportLessonZip, importLessonZip, ImportError, MAX_IMPORT_BYTES } from '../../../lib/studio/bundle';
import { DRAFTS_KEY, MAX_DRAFT_CHARS, MAX_DRAFTS, discardDraft, findDraft, readDrafts, saveDraft, type DraftStorage, type StudioDraft } from '../../../lib/studio/drafts';

const SLUG = '12-containers-in-a-pod';
const raw = readRawLesson(SLUG);
const lesson = { mdx: raw.mdx, tasksText: raw.tasksText, scenario: raw.scenario, files: { 'web.yaml': 'kind: Pod\n', 'sub/a.txt': 'a\n' } };

describe('lesson zip', () => {
  it('exports the folder layout of lessons/<slug>/ and imports it back unchanged', () => {
    const zip = exportLessonZip(SLUG, lesson);
    expect(Object.keys(unzipSync(zip))).toEqual([`${SLUG}/index.mdx`, `${SLUG}/tasks.yaml`, `${SLUG}/scenario.yaml`, `${SLUG}/files/sub/a.txt`, `${SLUG}/files/web.yaml`]);
    expect(importLessonZip(zip)).toEqual({ slug: SLUG, lesson });
    // the same lesson, the same bytes (fixed timestamps)
    expect(exportLessonZip(SLUG, lesson)).toEqual(zip);
  });

  it('imports a folder zipped by hand: stored, no top folder, with archivers\' litter', () => {
    const zip = zipSync({ 'index.mdx': strToU8('---\ntitle: x\n---\n'), 'tasks.yaml': strToU8('tasks: []\n'), '__MACOSX/._index.mdx': strToU8('junk'), '.DS_Store': strToU8('junk') }, { level: 0 });
    expect(importLessonZip(zip)).toEqual({ slug: undefined, lesson: { mdx: '---\ntitle: x\n---\n', tasksText: 'tasks: []\n', scenario: undefined, files: {} } });
  });

  it('refuses what is not a lesson zip, with the reason', () => {
    const refuse = (bytes: Uint8Array) => {
      try {
        importLessonZip(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(ImportError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refuse(strToU8('tasks: []'))).toMatch(/^not a \.zip file/);
    expect(refuse(zipSync({ 'x/tasks.yaml': strToU8('') }))).toMatch(/^the zip has no index\.mdx/);
    expect(refuse(zipSync({ '../index.mdx': strToU8('') }))).toBe('the zip has an entry outside its folder (../index.mdx): refusing it');
    expect(refuse(zipSync({ 'index.mdx': new Uint8Array(MAX_IMPORT_BYTES + 1) }))).toBe('the zip unpacks to more than 2 MB: a lesson is a few text files');
    expect(refuse(zipSync({ 'index.mdx': new Uint8Array([0x41, 0, 0x42]) }))).toBe('index.mdx is not a text file');
  });

  it('round-trips text through UTF-8', () => {
    const zip = exportLessonZip('20-x', { mdx: 'Ünïcode → ✓\n', files: {} });
    expect(strFromU8(unzipSync(zip)['20-x/index.mdx'])).toBe('Ünïcode → ✓\n');
  });
});

function memory(): DraftStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}
const draft = (source: string, size = 10): StudioDraft => ({ source, slug: '20-x', lesson: { mdx: 'x'.repeat(size), files: {} } });

describe('studio drafts', () => {
  it('keeps the newest first, one per source', () => {
    const s = memory();
    saveDraft(s, draft('lesson:a'));
    saveDraft(s, draft('blank'));
    saveDraft(s, { ...draft('lesson:a'), slug: '21-y' });
    expect(readDrafts(s).map((d) => [d.source, d.slug])).toEqual([['lesson:a', '21-y'], ['blank', '20-x']]);
    expect(findDraft(s, 'blank')?.lesson.mdx).toBe('x'.repeat(10));
    discardDraft(s, 'lesson:a');
    discardDraft(s, 'blank');
    expect(s.map.has(DRAFTS_KEY)).toBe(false);
  });

  it('stays within its bounds, dropping the oldest', () => {
    const s = memory();
    for (let i = 0; i < MAX_DRAFTS + 3; i++) saveDraft(s, draft(`lesson:${i}`));
    expect(readDrafts(s).length).toBe(MAX_DRAFTS);
    expect(readDrafts(s)[0].source).toBe(`lesson:${MAX_DRAFTS + 2}`);
    const big = saveDraft(s, draft('big', MAX_DRAFT_CHARS * 0.6));
    expect(big).toEqual({ saved: true, dropped: ['lesson:3'] });
    const r = saveDraft(s, draft('big2', MAX_DRAFT_CHARS * 0.6));
    expect(r.saved && r.dropped[r.dropped.length - 1]).toBe('big');
    expect(s.map.get(DRAFTS_KEY)!.length).toBeLessThanOrEqual(MAX_DRAFT_CHARS);
    expect(saveDraft(s, draft('huge', MAX_DRAFT_CHARS))).toEqual({ saved: false, reason: expect.stringMatching(/^this lesson is 1001 k characters, more than the 1000 k/) });
  });

  it('ignores what it cannot read', () => {
    const s = memory();
    s.setItem(DRAFTS_KEY, '{"v":1,"drafts":[{"source":1}]}');
    expect(readDrafts(s)).toEqual([]);
    s.setItem(DRAFTS_KEY, 'not json');
    expect(readDrafts(s)).toEqual([]);
  });
});
