/**
 * `npm run lessons:check` — proves every lesson under lessons/ is well-formed and
 * solvable: frontmatter, MDX (compiles, only known components, links resolve), scenario
 * (loads into a fresh cluster), tasks (ids, hints, checks, solutions), then a replay of
 * every reference solution in a fresh simulation. Each error names the file and line and
 * says how to fix it. Exits non-zero on any error.
 *
 *   npm run lessons:check                 every lesson
 *   npm run lessons:check -- 20-services  only lessons whose slug starts with this
 *   npm run lessons:check -- --dir PATH   another lessons folder
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileLessonMdx, lessonsDir, parseFrontmatter, readRawLesson } from '../lib/lessons';
import { SLUG_PATTERN, validateFrontmatter, type LessonMeta } from '../lib/lesson-schema';
import { checkLessonFiles, formatError, type CheckError } from '../lib/lesson-check';

// The checks of one lesson's files live in lib/lesson-check.ts (the authoring studio runs them in the browser).
export { formatError, checkMdxUse, checkStructure, type CheckError } from '../lib/lesson-check';

export interface LessonReport {
  slug: string;
  tasks: number;
  commands: number;
  replayMs: number;
}

export interface CheckResult {
  errors: CheckError[];
  lessons: LessonReport[];
  elapsedMs: number;
}

export async function checkLessons(dir?: string, options: { only?: string } = {}): Promise<CheckResult> {
  const t0 = Date.now();
  const root = lessonsDir(dir);
  const relRoot = path.relative(process.cwd(), root) || '.';
  const errors: CheckError[] = [];
  const lessons: LessonReport[] = [];
  const file = (slug: string, f?: string) => [relRoot, slug, f].filter(Boolean).join('/');

  if (!existsSync(root)) {
    errors.push({ file: relRoot, message: 'the lessons folder does not exist' });
    return { errors, lessons, elapsedMs: Date.now() - t0 };
  }

  // Folder names: <nn-slug>; `_name` and `.name` are ignored on purpose (drafts).
  const all = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const e of all) {
    if (e.name.startsWith('_') || e.name.startsWith('.') || SLUG_PATTERN.test(e.name)) continue;
    errors.push({ file: file(e.name), message: `folder name "${e.name}" is not a lesson slug: use two digits, a dash and lowercase words (e.g. 25-${e.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'my-lesson'}), or prefix it with _ to keep it as a draft` });
  }
  const slugs = all.map((e) => e.name).filter((n) => SLUG_PATTERN.test(n)).sort();
  const metas = new Map<string, LessonMeta>();
  const fmLines = new Map<string, Record<string, number>>();

  // Pass 1: frontmatter of every lesson (links and prerequisites need all slugs).
  for (const slug of slugs) {
    const raw = readRawLesson(slug, root);
    if (raw.mdx === undefined) {
      errors.push({ file: file(slug, 'index.mdx'), message: 'missing: every lesson folder needs an index.mdx with frontmatter and prose (npm run lesson:new -- "Title" makes one)' });
      continue;
    }
    const fm = parseFrontmatter(raw.mdx);
    if (fm.error) {
      errors.push({ file: file(slug, 'index.mdx'), line: fm.error.line, message: fm.error.message });
      continue;
    }
    fmLines.set(slug, fm.lines);
    const { meta, problems } = validateFrontmatter(fm.data);
    for (const p of problems) errors.push({ file: file(slug, 'index.mdx'), line: fm.lines[p.field] ?? 1, message: p.message });
    if (meta) metas.set(slug, meta);
  }

  const orders = new Map<number, string>();
  for (const [slug, meta] of metas) {
    const other = orders.get(meta.order);
    if (other) errors.push({ file: file(slug, 'index.mdx'), line: fmLines.get(slug)?.order, message: `order ${meta.order} is also used by ${other}: give each lesson its own order so the course sequence is unambiguous` });
    else orders.set(meta.order, slug);
    meta.prerequisites.forEach((p) => {
      const line = fmLines.get(slug)?.prerequisites;
      if (p === slug) errors.push({ file: file(slug, 'index.mdx'), line, message: 'a lesson cannot be its own prerequisite' });
      else if (!metas.has(p) && !slugs.includes(p)) errors.push({ file: file(slug, 'index.mdx'), line, message: `prerequisite "${p}" is not a lesson (lessons: ${slugs.join(', ')})` });
      else if (metas.get(p) && metas.get(p)!.order >= meta.order) errors.push({ file: file(slug, 'index.mdx'), line, message: `prerequisite "${p}" comes later in the course (order ${metas.get(p)!.order} ≥ ${meta.order}): a prerequisite must come first` });
    });
  }

  // Pass 2: each lesson in full.
  for (const slug of slugs) {
    if (options.only && !slug.startsWith(options.only)) continue;
    const raw = readRawLesson(slug, root);

    const one = await checkLessonFiles(raw, { file: (f) => file(slug, f), slugs, analyzeMdx: (source) => compileLessonMdx(source, raw.dir) });
    errors.push(...one.errors);
    lessons.push({ slug, ...one.report });
  }
  return { errors, lessons, elapsedMs: Date.now() - t0 };
}

async function main() {
  const args = process.argv.slice(2);
  let dir: string | undefined;
  let only: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--dir') dir = args[++i];
    else if (args[i].startsWith('--dir=')) dir = args[i].slice(6);
    else if (args[i] === '-h' || args[i] === '--help') {
      console.log('usage: npm run lessons:check [-- [SLUG-PREFIX] [--dir PATH]]\n\nChecks every lesson under lessons/ (or PATH): format, MDX, scenario, tasks, and a replay of every solution.\nThe guide: docs/authoring.md');
      process.exit(0);
    } else if (args[i].startsWith('-')) {
      console.error(`lessons:check: unknown option ${args[i]} (try --help)`);
      process.exit(2);
    } else only = args[i];
  }
  const result = await checkLessons(dir, { only });
  for (const e of result.errors) console.error(formatError(e));
  for (const l of result.lessons) console.log(`  ${l.slug}: ${l.tasks} tasks, ${l.commands} solution commands replayed in ${l.replayMs} ms`);
  const tasks = result.lessons.reduce((n, l) => n + l.tasks, 0);
  const status = result.errors.length ? `${result.errors.length} error${result.errors.length === 1 ? '' : 's'}` : 'all good';
  console.log(`lessons:check: ${result.lessons.length} lesson${result.lessons.length === 1 ? '' : 's'}, ${tasks} tasks, ${status} (${result.elapsedMs} ms)`);
  process.exit(result.errors.length ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error(`lessons:check crashed: ${(e as Error).stack ?? e}`);
    process.exit(2);
  });
}
