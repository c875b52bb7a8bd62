/**
 * The lesson loader: reads `lessons/<nn-slug>/` folders for the Next.js pages (at build
 * time, and on every request in `next dev` so edits show up at once) and for the lesson
 * checker. Server-only: it uses the filesystem and mdx-bundler.
 *
 * Folders that do not look like `<nn-slug>` (e.g. `_drafts/`, `.something`) are ignored.
 * The directory defaults to `<cwd>/lessons`; `NETLAB_LESSONS_DIR` or the `dir` argument
 * points it elsewhere (the checker's tests use fixture folders).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { lessonRecap } from './recap';
import path from 'node:path';
import { collectMdxUses, explainMdxError, parseFrontmatter, parseYamlFile, type CompiledMdx, type MdNode } from './lesson-parse';
import { validateTasksDoc } from '../engine/grading/validate';
import type { Task } from '../engine/grading/types';
import { SLUG_PATTERN, validateFrontmatter, type Lesson, type LessonMeta, type LessonSummary } from './lesson-schema';
import { remarkCodeMeta } from './code-blocks';

export type { Lesson, LessonSummary, LessonMeta, LessonLink } from './lesson-schema';
export { parseFrontmatter, parseYamlFile } from './lesson-parse';
export type { FrontmatterBlock, YamlFile, JsxUse, CompiledMdx } from './lesson-parse';

/** A problem in a lesson's files, with where it is and how to fix it. */
export class LessonError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${problem}`);
    this.name = 'LessonError';
  }
}

export function lessonsDir(dir?: string): string {
  return path.resolve(dir ?? process.env.NETLAB_LESSONS_DIR ?? path.join(process.cwd(), 'lessons'));
}

/** Lesson folder names in the directory (not yet validated), sorted by name. */
export function lessonFolders(dir?: string): string[] {
  const root = lessonsDir(dir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && SLUG_PATTERN.test(e.name))
    .map((e) => e.name)
    .sort();
}

// ---- raw files --------------------------------------------------------------------------

function readFilesDir(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(root)) return out;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out[path.relative(root, full).split(path.sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return out;
}

export interface RawLesson {
  slug: string;
  dir: string;
  mdx?: string;
  scenario?: string;
  tasksText?: string;
  files: Record<string, string>;
}

export function readRawLesson(slug: string, dir?: string): RawLesson {
  const folder = path.join(lessonsDir(dir), slug);
  const read = (f: string) => (existsSync(path.join(folder, f)) ? readFileSync(path.join(folder, f), 'utf8') : undefined);
  return { slug, dir: folder, mdx: read('index.mdx'), scenario: read('scenario.yaml'), tasksText: read('tasks.yaml'), files: readFilesDir(path.join(folder, 'files')) };
}

// ---- typed loading (throws LessonError) -------------------------------------------------

function rel(slug: string, file: string): string {
  return `lessons/${slug}/${file}`;
}

function loadMeta(raw: RawLesson): LessonMeta {
  if (raw.mdx === undefined) throw new LessonError(rel(raw.slug, 'index.mdx'), undefined, 'missing: every lesson folder needs an index.mdx (run `npm run lesson:new -- "Title"` for a template)');
  const fm = parseFrontmatter(raw.mdx);
  if (fm.error) throw new LessonError(rel(raw.slug, 'index.mdx'), fm.error.line, fm.error.message);
  const { meta, problems } = validateFrontmatter(fm.data);
  if (!meta) throw new LessonError(rel(raw.slug, 'index.mdx'), fm.lines[problems[0].field] ?? 1, problems[0].message);
  return meta;
}

function loadTasks(raw: RawLesson): Task[] {
  if (raw.tasksText === undefined) throw new LessonError(rel(raw.slug, 'tasks.yaml'), undefined, 'missing: every lesson needs a tasks.yaml with at least one task');
  const y = parseYamlFile(raw.tasksText);
  if (y.error) throw new LessonError(rel(raw.slug, 'tasks.yaml'), y.error.line, `not valid YAML: ${y.error.message}`);
  const { tasks, problems } = validateTasksDoc(y.data);
  if (problems.length) {
    const p = problems[0];
    throw new LessonError(rel(raw.slug, 'tasks.yaml'), y.lineOf(p.path), p.message);
  }
  return tasks;
}

interface Cached {
  summaries: LessonSummary[];
}
let cache: { dir: string; value: Cached } | undefined;
const cachingEnabled = () => process.env.NODE_ENV === 'production';

function summaries(dir?: string): LessonSummary[] {
  const root = lessonsDir(dir);
  if (cachingEnabled() && cache?.dir === root) return cache.value.summaries;
  const list: LessonSummary[] = lessonFolders(root).map((slug) => {
    const raw = readRawLesson(slug, root);
    const meta = loadMeta(raw);
    const tasks = loadTasks(raw);
    return { slug, ...meta, taskCount: tasks.length };
  });
  list.sort((a, b) => a.order - b.order || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  if (cachingEnabled()) cache = { dir: root, value: { summaries: list } };
  return list;
}

/** Every lesson, in course order (by `order`, then slug). Throws LessonError on a malformed lesson. */
export function listLessons(dir?: string): LessonSummary[] {
  return summaries(dir);
}

export function getLessonSlugs(dir?: string): string[] {
  return summaries(dir).map((l) => l.slug);
}

/** Everything a lesson page needs. The MDX is compiled here (server-side). */
export async function getLesson(slug: string, dir?: string): Promise<Lesson> {
  const all = summaries(dir);
  const i = all.findIndex((l) => l.slug === slug);
  if (i < 0) throw new LessonError(`lessons/${slug}`, undefined, `no lesson "${slug}" (lessons: ${all.map((l) => l.slug).join(', ') || 'none'})`);
  const raw = readRawLesson(slug, dir);
  const meta = loadMeta(raw);
  const tasks = loadTasks(raw);
  if (raw.scenario === undefined) throw new LessonError(rel(slug, 'scenario.yaml'), undefined, 'missing: every lesson needs a scenario.yaml (an empty file gives the default cluster)');
  const compiled = await compileLessonMdx(raw.mdx!, raw.dir);
  if (compiled.error) throw new LessonError(rel(slug, 'index.mdx'), compiled.error.line, compiled.error.message);
  const link = (l: LessonSummary | undefined) => (l ? { slug: l.slug, title: l.title } : null);
  return { slug, meta, mdxCode: compiled.code!, scenario: raw.scenario, tasks, files: raw.files, prev: link(all[i - 1]), next: link(all[i + 1]), recap: lessonRecap(raw.mdx!) };
}

// ---- MDX --------------------------------------------------------------------------------

/** Compiles a lesson's MDX with mdx-bundler and reports which components and links it uses (with lines). */
export async function compileLessonMdx(source: string, cwd: string): Promise<CompiledMdx> {
  const found: CompiledMdx = { components: [], links: [], esm: [], expressions: [] };
  const collect = () => (tree: MdNode) => collectMdxUses(tree, found);
  try {
    const { bundleMDX } = await import('mdx-bundler');
    const { default: remarkGfm } = await import('remark-gfm');
    const result = await bundleMDX({
      source,
      cwd,
      mdxOptions(options) {
        // GitHub-flavoured Markdown: tables (lesson 60's node list), strikethrough, autolinks.
        options.remarkPlugins = [...(options.remarkPlugins ?? []), remarkGfm, remarkCodeMeta, collect];
        return options;
      },
      esbuildOptions(options) {
        // Errors come back to the caller with file and line; do not also print them.
        options.logLevel = 'silent';
        return options;
      },
    });
    found.code = result.code;
  } catch (e) {
    const err = e as { errors?: { text: string; location?: { line: number } | null }[]; message?: string };
    const first = err.errors?.[0];
    if (first) {
      // MDX reports "1:1: Expected a closing tag for `<Diagram>` (73:1-73:195)" with no location: take the line it names.
      const named = first.text.match(/\((\d+):\d+-\d+:\d+\)/);
      const line = first.location?.line || (named ? Number(named[1]) : undefined) || undefined;
      found.error = { message: explainMdxError(first.text), line };
    } else found.error = { message: String(err.message ?? e) };
  }
  return found;
}

/** Milliseconds-resolution fingerprint of a lesson folder's files (dev live preview uses it). */
export function lessonFingerprint(slug: string, dir?: string): string {
  const folder = path.join(lessonsDir(dir), slug);
  const parts: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else parts.push(`${path.relative(folder, full)}:${statSync(full).mtimeMs}`);
    }
  };
  walk(folder);
  return parts.sort().join('|');
}
