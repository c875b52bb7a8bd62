/**
 * Properties of grading on the real lessons (whatever is in lessons/ and passes the
 * checker): checking tasks after every command never changes what the learner sees, and
 * a lab restored from a snapshot grades the same as the one it came from.
 */
import { describe, expect, it } from 'vitest';
import { listLessons, readRawLesson } from '../../lib/lessons';
import { parseYamlFile } from '../../lib/lessons';
import { validateTasksDoc } from '../../engine/grading/validate';
import { applySolution, checkTasks, createLessonSimulation, type Task } from '../../engine/grading';
import { Simulation } from '../../engine';
import type { RunResult } from '../../engine';

const lessons = listLessons();

function load(slug: string) {
  const raw = readRawLesson(slug);
  const tasks = validateTasksDoc(parseYamlFile(raw.tasksText ?? '').data).tasks as Task[];
  return { source: { scenario: raw.scenario ?? '', files: raw.files }, tasks };
}

describe.each(lessons.map((l) => l.slug))('lesson %s', (slug) => {
  it('grading after every command does not change any output', () => {
    const { source, tasks } = load(slug);
    const outputs = (grade: boolean) => {
      const sim = createLessonSimulation(source, { seed: 7 });
      const seen: RunResult[] = [];
      for (const t of tasks) {
        applySolution(sim, t, (s) => {
          seen.push(s.result);
          if (grade) checkTasks(sim, tasks);
        });
      }
      return { seen, traces: sim.traceCounter };
    };
    const plain = outputs(false);
    const graded = outputs(true);
    expect(graded.seen).toEqual(plain.seen);
    expect(graded.traces).toBe(plain.traces);
  });

  it('a lab restored from a snapshot mid-lesson grades the same', () => {
    const { source, tasks } = load(slug);
    const sim = createLessonSimulation(source, { seed: 3 });
    const half = Math.ceil(tasks.length / 2);
    // The UI grades after every command and every answer; a finished task stays finished.
    const solve = (on: Simulation, t: Task) => {
      applySolution(on, t, () => checkTasks(on, tasks));
      checkTasks(on, tasks);
    };
    for (const t of tasks.slice(0, half)) solve(sim, t);
    const before = checkTasks(sim, tasks);
    const restored = Simulation.restore(sim.snapshot());
    expect(checkTasks(restored, tasks)).toEqual(before);
    for (const t of tasks.slice(half)) solve(restored, t);
    expect(checkTasks(restored, tasks).filter((r) => !r.done)).toEqual([]);
  });
});
