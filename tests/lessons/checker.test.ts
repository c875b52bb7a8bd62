/**
 * The lesson checker on fixture lessons broken on purpose (tests/lessons/fixtures/<case>/):
 * each error must name the file, the line where there is one, and say how to fix it.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkLessons, formatError } from '../../scripts/lessons-check';
import { scaffoldLesson } from '../../scripts/lesson-new';

const fixtures = path.join(__dirname, 'fixtures');
const rel = (c: string) => path.relative(process.cwd(), path.join(fixtures, c));

async function errorsOf(c: string): Promise<string[]> {
  const r = await checkLessons(path.join(fixtures, c));
  return r.errors.map(formatError);
}

describe('lessons:check', () => {
  it('passes a sound lesson, replaying both solutions', async () => {
    const r = await checkLessons(path.join(fixtures, 'good'));
    expect(r.errors.map(formatError)).toEqual([]);
    expect(r.lessons).toEqual([expect.objectContaining({ slug: '10-fixture', tasks: 3, commands: 2 })]);
  });

  it('catches a task that is already satisfied at the start', async () => {
    expect(await errorsOf('satisfied-at-start')).toEqual([
      `${rel('satisfied-at-start')}/10-fixture/tasks.yaml:8: task "say-hello" is already done before the learner does anything: its check passes on the fresh scenario. Make the check require the change the task asks for (or remove from scenario.yaml what already satisfies it)`,
    ]);
  });

  it('catches a solution that does not solve its task, with the check\'s reason', async () => {
    expect(await errorsOf('unsolved')).toEqual([
      `${rel('unsolved')}/10-fixture/tasks.yaml:10: task "say-hello" is not done after its own solution (replayed in order): the ConfigMap greeting does not exist yet. Fix the solution so it does what the task asks, or the check so it accepts it`,
    ]);
  });

  it('catches broken scenario YAML, naming the lesson\'s scenario.yaml and the line', async () => {
    const errs = await errorsOf('broken-scenario');
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(new RegExp(`^${rel('broken-scenario')}/10-fixture/scenario\\.yaml:8: invalid YAML: `));
    expect(errs[0]).toContain('docs/authoring.md');
  });

  it('catches a task with fewer than two hints, at the hints line', async () => {
    expect(await errorsOf('missing-hint')).toEqual([
      `${rel('missing-hint')}/10-fixture/tasks.yaml:5: tasks[0].hints: give at least two \`hints:\` (strings), from a gentle nudge to nearly the answer`,
    ]);
  });

  it('catches an unknown MDX component, at its line in index.mdx', async () => {
    expect(await errorsOf('unknown-component')).toEqual([
      `${rel('unknown-component')}/10-fixture/index.mdx:18: unknown component <Quiz> (known: Callout, Try, Compare, Column, Diagram, TaskList, Task; see docs/authoring.md, "Components")`,
    ]);
  });

  it('catches a solution command that exits non-zero, at the command\'s line', async () => {
    const errs = await errorsOf('failing-command');
    expect(errs).toEqual([
      `${rel('failing-command')}/10-fixture/tasks.yaml:12: solution of "say-hello": \`answer greeting\` exited 2 (answer: missing value for task "greeting"). Every solution command must succeed when replayed in order from a fresh scenario — fix the command, or an earlier task's solution it depends on`,
    ]);
  });

  it('replays a lesson whose scenario draws faults under other seeds too, and names the seed and its draw', async () => {
    expect(await errorsOf('faults-unsolved')).toEqual([
      expect.stringMatching(/^tests\/lessons\/fixtures\/faults-unsolved\/10-fixture\/tasks\.yaml:11: with seed 6 \(faults drawn: target-port\), task "page-back" is not done after its own solution: http:\/\/shop\/ from Pod client gets no answer: the connection to shop port 80 is refused \(pod default\/shop-\w+-\w+ has no process listening on TCP port 8080\)\. Its solution must repair every fault its draw may pick$/),
    ]);
  });

  it('catches a task that an earlier task\'s solution already completes', async () => {
    expect(await errorsOf('early-done')).toEqual([
      `${rel('early-done')}/10-fixture/tasks.yaml:33: task "say-anything" is already done after the solution of "say-hello", before its own turn: the learner would see it tick too early. Make its check require what this task asks, or add \`- done: colour\` to it (under \`all:\`) so it only counts after the task before it`,
    ]);
  });

  it('catches a <Try> command the simulated cluster does not know, at its line', async () => {
    expect(await errorsOf('unknown-command')).toEqual([
      `${rel('unknown-command')}/10-fixture/index.mdx:18: <Try>frobnicate --colour settings</Try> does not work in the simulated cluster (bash: frobnicate: command not found): show a command the simulator runs, or get the command modeled first`,
    ]);
  });

  it('reports a missing folder', async () => {
    const r = await checkLessons(path.join(fixtures, 'no-such-folder'));
    expect(r.errors.map(formatError)).toEqual([`${rel('no-such-folder')}: the lessons folder does not exist`]);
  });
});

describe('lesson:new', () => {
  it('scaffolds a lesson that passes the checker unchanged', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'netlab-lessons-'));
    try {
      const r = scaffoldLesson('Hello, Services!', dir);
      expect(r.slug).toBe('10-hello-services');
      expect(readFileSync(path.join(r.folder, 'index.mdx'), 'utf8')).toContain('title: "Hello, Services!"');
      const check = await checkLessons(dir);
      expect(check.errors.map(formatError)).toEqual([]);
      expect(check.lessons[0]).toEqual(expect.objectContaining({ slug: '10-hello-services', tasks: 3 }));
      // A second lesson gets the next number and a later order.
      const second = scaffoldLesson('Second one', dir);
      expect(second.slug).toBe('11-second-one');
      expect((await checkLessons(dir)).errors).toEqual([]);
      expect(() => scaffoldLesson('Second one', dir)).toThrow(/already exists/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
