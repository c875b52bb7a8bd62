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
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Node as YamlNode } from 'yaml';
import { validateTasksDoc } from '../engine/grading/validate';
import type { Task } from '../engine/grading/types';
import { SLUG_PATTERN, validateFrontmatter, type Lesson, type LessonMeta, type LessonSummary } from './lesson-schema';
import { remarkCodeMeta } from './code-blocks';

export type { Lesson, LessonSummary, LessonMeta, LessonLink } from './lesson-schema';

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

export interface FrontmatterBlock {
  data: unknown;
  /** Line (1-based) of each top-level frontmatter key in index.mdx. */
  lines: Record<string, number>;
  /** Lines the block occupies, including both `---`. */
  lineCount: number;
  error?: { message: string; line?: number };
}

/** Reads the `---` frontmatter block at the top of index.mdx, keeping key line numbers. */
export function parseFrontmatter(source: string): FrontmatterBlock {
  const m = source.match(/^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/);
  if (!m) return { data: undefined, lines: {}, lineCount: 0, error: { message: 'index.mdx must start with a frontmatter block: a line `---`, `title: …` and the other fields, then `---`', line: 1 } };
  const lc = new LineCounter();
  const doc = parseDocument(m[1], { lineCounter: lc, prettyErrors: false });
  const lineCount = m[0].split('\n').length - (m[0].endsWith('\n') ? 1 : 0);
  if (doc.errors.length) {
    const e = doc.errors[0];
    return { data: undefined, lines: {}, lineCount, error: { message: `frontmatter is not valid YAML: ${e.message.split('\n')[0]}`, line: lc.linePos(e.pos[0]).line + 1 } };
  }
  const lines: Record<string, number> = {};
  if (isMap(doc.contents)) {
    for (const item of doc.contents.items) {
      if (isScalar(item.key) && item.key.range) lines[String(item.key.value)] = lc.linePos(item.key.range[0]).line + 1;
    }
  }
  return { data: doc.toJS(), lines, lineCount };
}

/** A parsed YAML file that can say which line a path (`tasks[1].hints`) is on. */
export interface YamlFile {
  data: unknown;
  error?: { message: string; line?: number };
  lineOf(p: (string | number)[]): number | undefined;
}

export function parseYamlFile(text: string): YamlFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    return { data: undefined, error: { message: e.message.split('\n')[0], line: lc.linePos(e.pos[0]).line }, lineOf: () => undefined };
  }
  const lineOf = (p: (string | number)[]): number | undefined => {
    let node: unknown = doc.contents;
    let best: number | undefined = rangeLine(node);
    for (const seg of p) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
        if (!pair) break;
        best = rangeLine(pair.key) ?? best;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        best = rangeLine(node) ?? best;
      } else break;
    }
    return best;
  };
  function rangeLine(n: unknown): number | undefined {
    const r = (n as YamlNode | undefined)?.range;
    return r ? lc.linePos(r[0]).line : undefined;
  }
  return { data: doc.toJS(), lineOf };
}

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

export interface JsxUse {
  name: string;
  line?: number;
  attributes: { name: string; value: string | number | boolean | null; expression: boolean }[];
  /** The text inside (for components whose children are text). */
  text: string;
  hasChildren: boolean;
}

export interface CompiledMdx {
  code?: string;
  error?: { message: string; line?: number };
  components: JsxUse[];
  links: { url: string; line?: number }[];
  /** import/export statements (not allowed in lessons). */
  esm: { line?: number }[];
  /** `{…}` JavaScript expressions in the prose (not allowed in lessons). */
  expressions: { line?: number; text: string }[];
}

interface MdNode {
  type: string;
  name?: string | null;
  url?: string;
  value?: string;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: MdNode[];
  position?: { start: { line: number } };
}

function textOf(n: MdNode): string {
  if (typeof n.value === 'string' && (n.type === 'text' || n.type === 'inlineCode' || n.type === 'code')) return n.value;
  return (n.children ?? []).map(textOf).join('');
}

/** Compiles a lesson's MDX with mdx-bundler and reports which components and links it uses (with lines). */
export async function compileLessonMdx(source: string, cwd: string): Promise<CompiledMdx> {
  const found: CompiledMdx = { components: [], links: [], esm: [], expressions: [] };
  const collect = () => (tree: MdNode) => {
    const visit = (n: MdNode) => {
      const line = n.position?.start.line;
      if ((n.type === 'mdxJsxFlowElement' || n.type === 'mdxJsxTextElement') && n.name) {
        const attributes = (n.attributes ?? []).map((a) =>
          a.type === 'mdxJsxAttribute'
            ? { name: a.name ?? '', value: typeof a.value === 'object' && a.value !== null ? null : ((a.value ?? true) as string | boolean), expression: typeof a.value === 'object' && a.value !== null }
            : { name: '{...}', value: null, expression: true },
        );
        found.components.push({ name: n.name, line, attributes, text: textOf(n).trim(), hasChildren: (n.children ?? []).length > 0 });
        const href = attributes.find((a) => a.name === 'href');
        if (typeof href?.value === 'string') found.links.push({ url: href.value, line });
      }
      if ((n.type === 'link' || n.type === 'definition') && n.url) found.links.push({ url: n.url, line });
      if (n.type === 'mdxjsEsm' && line !== undefined) found.esm.push({ line });
      if ((n.type === 'mdxFlowExpression' || n.type === 'mdxTextExpression') && line !== undefined) found.expressions.push({ line, text: String(n.value ?? '') });
      for (const c of n.children ?? []) visit(c);
    };
    visit(tree);
  };
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

/** esbuild wraps MDX errors as "Cannot process MDX file with esbuild:\n  75:43: reason"; keep the reason and say how to fix the usual ones. */
function explainMdxError(text: string): string {
  const reason = text.replace(/^Cannot process MDX file with esbuild:\s*/, '').replace(/^\d+:\d+(-\d+:\d+)?:\s*/, '').trim();
  if (/acorn|expression/i.test(reason)) {
    return `${reason}: in MDX a \`{\` starts a JavaScript expression. Put text with braces in backticks (<Try>\`kubectl patch … '{"spec":…}'\`</Try>) or escape it as \\{`;
  }
  if (/closing tag|end tag|Expected a closing/i.test(reason)) return `${reason}: every <Component> needs a matching </Component> (or write it self-closing: <TaskList />)`;
  return reason;
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
