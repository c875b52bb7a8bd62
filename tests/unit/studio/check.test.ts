/**
 * The authoring studio's checker (lib/studio/check.ts) is the CLI's: on a course lesson
 * it finds nothing and replays every solution; on edits it names the file and line the
 * CLI would, with the CLI's own words.
 */
import { describe, expect, it } from 'vitest';
import { listLessons, readRawLesson } from '../../../lib/lessons';
import { checkStudioLesson, type StudioCheckInput } from '../../../lib/studio/check';
import { checkLessonFiles } from '../../../lib/lesson-check';
import { compileLessonMdx } from '../../../lib/lessons';

const SLUG = '12-containers-in-a-pod';
const course = listLessons().map((l) => ({ slug: l.slug, order: l.order }));

function input(edit: (l: StudioCheckInput['lesson']) => void = () => {}): StudioCheckInput {
  const raw = readRawLesson(SLUG);
  const lesson = { mdx: raw.mdx, scenario: raw.scenario, tasksText: raw.tasksText, files: raw.files };
  edit(lesson);
  return { slug: SLUG, lesson, course };
}

describe('the studio checker', () => {
  it('passes an unedited lesson and replays every solution in order', async () => {
    const r = await checkStudioLesson(input());
    expect(r.problems).toEqual([]);
    expect(r.scenarioLoads).toBe(true);
    expect(r.replay?.tasks.map((t) => [t.id, t.solved, t.doneAtStart])).toEqual(r.replay?.tasks.map((t) => [t.id, true, false]));
    expect(r.replay?.tasks[0].commands).toEqual([expect.objectContaining({ command: 'kubectl exec duo -c tools -- ip -br addr', exitCode: 0 })]);
    expect(r.replay?.tasks[0].commands[0].output).toMatch(/^lo +UNKNOWN +127\.0\.0\.1\/8/);
  });

  it('names the line of a task the edit broke, in the CLI words', async () => {
    const r = await checkStudioLesson(input((l) => (l.tasksText = l.tasksText!.replace('    kind: question\n', '    kind: quiz\n'))));
    expect(r.problems).toEqual([
      { file: 'tasks.yaml', line: 4, message: 'tasks[0].kind: `kind` must be `do` or `question`' },
      { file: 'tasks.yaml', line: 10, message: 'tasks[0].check.answer: `answer:` checks belong to `kind: question` tasks' },
    ]);
    expect(r.replay).toBeUndefined();
  });

  it('finds a solution that no longer solves its task', async () => {
    const r = await checkStudioLesson(input((l) => (l.tasksText = l.tasksText!.replace('        - kubectl exec duo -c tools -- curl -s localhost\n', '        - kubectl get pods\n'))));
    expect(r.problems.map((p) => `${p.file}:${p.line}: ${p.message.split(':')[0]}`)).toEqual(['tasks.yaml:26: task "over-localhost" is not done after its own solution (replayed in order)']);
    expect(r.replay?.tasks.find((t) => t.id === 'over-localhost')?.solved).toBe(false);
  });

  it('reports an unknown component and a JavaScript expression as the CLI does (micromark parse vs mdx-bundler compile)', async () => {
    const edit = (l: StudioCheckInput['lesson']) => (l.mdx = l.mdx!.replace('## Recap', '<Quiz />\n\nTwo is {1 + 1}.\n\n## Recap'));
    const studio = await checkStudioLesson(input(edit));
    const lesson = input(edit).lesson;
    const cli = await checkLessonFiles(lesson, { file: (f) => f, slugs: course.map((c) => c.slug), analyzeMdx: (s) => compileLessonMdx(s, readRawLesson(SLUG).dir) });
    expect(studio.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual(cli.errors.map((e) => `${e.file}:${e.line}: ${e.message}`));
    expect(studio.problems.map((p) => p.message.slice(0, 30))).toEqual(['unknown component <Quiz> (know', '`{1 + 1}` is a JavaScript expr']);
  });

  it('reports an MDX syntax error at its line', async () => {
    const r = await checkStudioLesson(input((l) => (l.mdx = l.mdx!.replace('## Recap', '<Callout>\n\nunclosed\n\n## Recap'))));
    const line = input().lesson.mdx!.split('\n').indexOf('## Recap') + 1;
    expect(r.problems).toEqual([{ file: 'index.mdx', line, message: `MDX does not compile: Expected a closing tag for \`<Callout>\` (${line}:1-${line}:10): every <Component> needs a matching </Component> (or write it self-closing: <TaskList />)` }]);
  });

  it('checks the frontmatter against the course: order taken, prerequisite unknown', async () => {
    const other = course.find((c) => c.slug !== SLUG)!;
    const r = await checkStudioLesson(input((l) => (l.mdx = l.mdx!.replace(/^order: \d+$/m, `order: ${other.order}`).replace('prerequisites:\n  - 10-welcome', 'prerequisites:\n  - 99-nothing'))));
    expect(r.problems.map((p) => p.message.split(':')[0])).toEqual([`order ${other.order} is also used by ${other.slug}`, 'prerequisite "99-nothing" is not a lesson (lessons']);
  });

  it('says where a scenario the cluster rejects goes wrong', async () => {
    const r = await checkStudioLesson(input((l) => (l.scenario = 'cluster:\n  cni: calcio\nobjects: []\n')));
    expect(r.scenarioLoads).toBe(false);
    expect(r.problems[0]).toEqual({ file: 'scenario.yaml', line: 2, message: expect.stringContaining('calcio') });
  });
});
