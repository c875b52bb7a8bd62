/**
 * Grading: the checks instructors write in tasks.yaml, evaluated against the live
 * simulation after every command and editor save. The UI calls `checkTasks`; the lesson
 * checker calls `replayLesson`.
 */
import type { Simulation } from '../simulation';
import type { Task, TaskResult } from './types';
import { evaluate, rememberDone, rememberedDone } from './checks';
import { answerOf, derive } from './derived';
import { predictionNote } from './predict';

export * from './types';
export { evaluate, DONE_PREFIX } from './checks';
export { isPredict } from './predict';
export { derive, answerMatches } from './derived';
export type { DerivedValue } from './derived';
export { validateTasksDoc, validateCheck } from './validate';
export type { Problem } from './validate';
export { parseSelector, matchesSelector, getPath } from './query';
export { readyEndpoints, explainNoEndpoints, ruleProbability } from './cluster-facts';
export { createLessonSimulation, replayLesson, applySolution } from './replay';
export type { ReplayReport, ReplayStep, LessonSource } from './replay';
export { recordSolution, exportScenario, checkScenario, rebuildOn } from './recorder';
export type { ScenarioCheck, Rebuild, Dataplane, DroppedObject, ObjectRef, RebuildPlan } from './recorder';

/**
 * The state of every task, in order. Never throws. A task once done stays done for the
 * learner (`sticky`, the default) even if a later step changes what its check saw — a
 * "break the selector" task is still done after the "repair it" task that follows.
 */
export function checkTasks(sim: Simulation, tasks: Task[], options: { sticky?: boolean } = {}): TaskResult[] {
  const sticky = options.sticky ?? true;
  return tasks.map((t) => {
    const done = (): TaskResult => {
      const note = predictionNote(sim, t);
      return note ? { id: t.id, done: true, note } : { id: t.id, done: true };
    };
    if (sticky && rememberedDone(sim, t.id)) return done();
    const v = evaluate(sim, t.check, { taskId: t.id, tasks });
    if (v.ok && sticky) rememberDone(sim, t.id);
    return v.ok ? done() : { id: t.id, done: false, reason: v.reason };
  });
}

/** The answer a question task expects right now (for "show solution"), or why it cannot be derived. */
export function expectedAnswer(sim: Simulation, task: Task): { value?: string; reason?: string } {
  const d = answerOf(task.check);
  if (!d) return { reason: 'this task has no answer' };
  const v = derive(sim, d);
  return v.reason ? { reason: v.reason } : { value: v.value };
}
