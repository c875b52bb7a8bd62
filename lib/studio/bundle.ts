/**
 * A lesson folder as one .zip file, for the studio's Export and Import: `<slug>/index.mdx`,
 * `<slug>/tasks.yaml`, `<slug>/scenario.yaml` and `<slug>/files/…` — the layout of
 * lessons/<slug>/, so unzipping the export into lessons/ is publishing it. Zips come and go
 * through fflate (deflate; an import may also be a zip made by any tool: stored or deflated,
 * with or without the top folder). An import is bounded and its paths checked before the
 * studio loads it; the checker then validates it like any lesson.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { SLUG_PATTERN } from '../lesson-schema';
import type { LessonFiles } from '../lesson-check';

/** The largest lesson the importer unpacks (all files, uncompressed). */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
/** At most this many files (the three, plus seed files). */
export const MAX_IMPORT_FILES = 200;

/** A fixed timestamp for every entry: the same lesson always exports the same bytes. */
const MTIME = new Date(Date.UTC(2024, 0, 1));

export function exportLessonZip(slug: string, lesson: LessonFiles): Uint8Array {
  const entries: Zippable = {};
  const put = (name: string, text: string | undefined) => {
    if (text !== undefined) entries[`${slug}/${name}`] = [strToU8(text), { mtime: MTIME }];
  };
  put('index.mdx', lesson.mdx);
  put('tasks.yaml', lesson.tasksText);
  put('scenario.yaml', lesson.scenario);
  for (const [p, text] of Object.entries(lesson.files).sort(([a], [b]) => (a < b ? -1 : 1))) put(`files/${p}`, text);
  return zipSync(entries, { level: 6 });
}

export interface ImportedLesson {
  /** The folder name in the zip, when it is a lesson slug. */
  slug?: string;
  lesson: LessonFiles;
}

export class ImportError extends Error {}

/** Reads a lesson zip (ours, or a folder zipped by hand). Throws ImportError with what is wrong. */
export function importLessonZip(bytes: Uint8Array): ImportedLesson {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new ImportError('not a .zip file (export a lesson from the studio, or zip its folder: index.mdx, tasks.yaml, scenario.yaml, files/)');
  let total = 0;
  let count = 0;
  let raw: Record<string, Uint8Array>;
  try {
    raw = unzipSync(bytes, {
      filter(f) {
        if (f.name.endsWith('/')) return false;
        count++;
        total += f.originalSize;
        if (count > MAX_IMPORT_FILES) throw new ImportError(`the zip holds more than ${MAX_IMPORT_FILES} files: a lesson is index.mdx, tasks.yaml, scenario.yaml and a few files under files/`);
        if (total > MAX_IMPORT_BYTES) throw new ImportError(`the zip unpacks to more than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: a lesson is a few text files`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError(`the zip cannot be read: ${(e as Error).message}`);
  }
  // Drop what archivers add (macOS resource forks, Finder's files).
  const names = Object.keys(raw).filter((n) => !n.startsWith('__MACOSX/') && !/(^|\/)\.DS_Store$/.test(n));
  for (const n of names) {
    if (n.startsWith('/') || n.split('/').includes('..') || n.includes('\\')) throw new ImportError(`the zip has an entry outside its folder (${n}): refusing it`);
  }
  const mdx = names.find((n) => /^([^/]+\/)?index\.mdx$/.test(n));
  if (!mdx) throw new ImportError('the zip has no index.mdx (at its top, or in one folder at its top): a lesson folder holds index.mdx, tasks.yaml and scenario.yaml');
  const prefix = mdx.slice(0, mdx.length - 'index.mdx'.length);
  const folder = prefix.replace(/\/$/, '');
  const text = (n: string) => {
    const b = raw[n];
    if (!b) return undefined;
    const s = strFromU8(b);
    if (s.includes('\u0000')) throw new ImportError(`${n} is not a text file`);
    return s.replace(/^\uFEFF/, '');
  };
  const files: Record<string, string> = {};
  for (const n of names) {
    if (n.startsWith(`${prefix}files/`)) files[n.slice(prefix.length + 'files/'.length)] = text(n)!;
  }
  return {
    slug: folder && SLUG_PATTERN.test(folder) ? folder : undefined,
    lesson: { mdx: text(mdx), tasksText: text(`${prefix}tasks.yaml`), scenario: text(`${prefix}scenario.yaml`), files },
  };
}
