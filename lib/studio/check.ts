/**
 * The authoring studio's checker: the CLI's checks (lib/lesson-check.ts checkLessonFiles —
 * tasks, scenario, MDX use, the reference-solution replay, every task unsolved at the start)
 * plus the frontmatter rules of one lesson against the rest of the course, on the files as
 * the editor holds them. Runs in a Web Worker (check-worker.ts); pure, so the unit tests run
 * it in Node too. The result is plain data (it crosses postMessage).
 */
import { checkLessonFiles, type LessonFiles } from '../lesson-check';
import { parseFrontmatter } from '../lesson-parse';
import { SLUG_PATTERN, validateFrontmatter } from '../lesson-schema';
import { analyzeMdx } from './mdx';

import { STUDIO_FILES, type StudioFile } from './files';

export { STUDIO_FILES, type StudioFile } from './files';

export interface StudioProblem {
  file: StudioFile;
  line?: number;
  message: string;
}

/** The other lessons of the course, as the checker needs them (prerequisites, order, links). */
export interface CourseLesson {
  slug: string;
  order: number;
}

export interface StudioCheckInput {
  /** The folder name the lesson will have (lessons/<slug>/). */
  slug: string;
  lesson: LessonFiles;
  course: CourseLesson[];
}

export interface ReplayedTask {
  id: string;
  title: string;
  /** Done right after its own solution (replayed in order from a fresh scenario). */
  solved: boolean;
  /** Already done before anything ran (a lesson bug). */
  doneAtStart: boolean;
  reason?: string;
  commands: { command: string; exitCode: number; output: string }[];
}

export interface StudioCheckResult {
  problems: StudioProblem[];
  /** The replay of the reference solutions; absent when the lesson has errors it needs fixed first. */
  replay?: { tasks: ReplayedTask[]; ms: number };
  /** The scenario loaded into a fresh cluster. */
  scenarioLoads: boolean;
  taskCount: number;
}

/** Output a step shows: its first lines, bounded. */
function excerpt(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  const head = lines.slice(0, 6).join('\n');
  return (head.length > 600 ? head.slice(0, 600) + '…' : head) + (lines.length > 6 ? '\n…' : '');
}

export async function checkStudioLesson(input: StudioCheckInput): Promise<StudioCheckResult> {
  const { slug, lesson, course } = input;
  const problems: StudioProblem[] = [];
  const others = course.filter((c) => c.slug !== slug);
  const slugs = [...new Set([...others.map((c) => c.slug), slug])].sort();

  if (!SLUG_PATTERN.test(slug)) problems.push({ file: 'index.mdx', line: 1, message: `folder name "${slug}" is not a lesson slug: use two digits, a dash and lowercase words (e.g. 25-my-lesson)` });

  // Frontmatter: the CLI's first pass (scripts/lessons-check.ts), for this lesson against the course.
  if (lesson.mdx !== undefined) {
    const fm = parseFrontmatter(lesson.mdx);
    if (fm.error) problems.push({ file: 'index.mdx', line: fm.error.line, message: fm.error.message });
    else {
      const { meta, problems: fp } = validateFrontmatter(fm.data);
      for (const p of fp) problems.push({ file: 'index.mdx', line: fm.lines[p.field] ?? 1, message: p.message });
      if (meta) {
        const same = others.find((o) => o.order === meta.order);
        if (same) problems.push({ file: 'index.mdx', line: fm.lines.order, message: `order ${meta.order} is also used by ${same.slug}: give each lesson its own order so the course sequence is unambiguous` });
        for (const p of meta.prerequisites) {
          const line = fm.lines.prerequisites;
          const other = others.find((o) => o.slug === p);
          if (p === slug) problems.push({ file: 'index.mdx', line, message: 'a lesson cannot be its own prerequisite' });
          else if (!other) problems.push({ file: 'index.mdx', line, message: `prerequisite "${p}" is not a lesson (lessons: ${slugs.join(', ')})` });
          else if (other.order >= meta.order) problems.push({ file: 'index.mdx', line, message: `prerequisite "${p}" comes later in the course (order ${other.order} ≥ ${meta.order}): a prerequisite must come first` });
        }
      }
    }
  }

  const one = await checkLessonFiles(lesson, { file: (f) => f, slugs, analyzeMdx });
  for (const e of one.errors) problems.push({ file: e.file as StudioFile, line: e.line, message: e.message });

  let replay: StudioCheckResult['replay'];
  if (one.replay) {
    const r = one.replay;
    replay = {
      ms: r.elapsedMs,
      tasks: one.tasks.map((t) => {
        const unsolved = r.unsolved.find((u) => u.id === t.id);
        const atStart = r.satisfiedAtStart.find((u) => u.id === t.id);
        return {
          id: t.id,
          title: t.title,
          solved: !unsolved,
          doneAtStart: !!atStart,
          reason: unsolved?.reason,
          commands: r.steps.filter((s) => s.taskId === t.id).map((s) => ({ command: s.command, exitCode: s.result.exitCode, output: excerpt(s.result.exitCode === 0 ? s.result.stdout : s.result.stderr || s.result.stdout) })),
        };
      }),
    };
  }
  // In file order within each file, as the CLI prints them.
  const order = (f: StudioFile) => STUDIO_FILES.indexOf(f);
  problems.sort((a, b) => order(a.file) - order(b.file));
  const scenarioLoads = lesson.scenario !== undefined && !one.errors.some((e) => e.file === 'scenario.yaml');
  return { problems, replay, scenarioLoads, taskCount: one.tasks.length };
}
