/**
 * Replaying a lesson's reference solutions in a fresh simulation: the proof that every
 * exercise can be done. The lesson checker (scripts/lessons-check.ts) reports what this
 * finds; the UI uses `createLessonSimulation` to start a lesson's lab.
 */
import { createSimulation, type Simulation, type SimulationOptions } from '../simulation';
import { HOME } from '../hosts/vfs';
import type { RunResult } from '../types';
import type { Task, TaskResult } from './types';
import { isPredict, prediction } from './predict';
import { evaluate, rememberDone } from './checks';
import { answerOf, derive } from './derived';

export interface LessonSource {
  /** scenario.yaml as text. */
  scenario: string;
  /** Seed files for the editor (the lesson's files/ folder): path relative to ~ → content. */
  files?: Record<string, string>;
}

/** A fresh lab for a lesson: its scenario, plus its seed files in the learner's home directory. */
export function createLessonSimulation(source: LessonSource, options: SimulationOptions = {}): Simulation {
  const sim = createSimulation(source.scenario, options);
  for (const [path, content] of Object.entries(source.files ?? {})) {
    sim.fs.write({ kind: 'workstation' }, path.startsWith('/') ? path : `${HOME}/${path}`, content);
  }
  return sim;
}

/** Virtual time the replay lets pass after each command, as a learner reading the output would. */
export const THINK_TIME_MS = 5000;

export interface ReplayStep {
  taskId: string;
  command: string;
  result: RunResult;
}

export interface ReplayReport {
  /** Tasks already satisfied before anything was done (each one is a lesson bug). */
  satisfiedAtStart: TaskResult[];
  /** Tasks already done by an earlier task's solution (reason: that task's id) — the learner would see them tick too early. */
  earlyDone: TaskResult[];
  /** Solution commands that exited non-zero. */
  failedCommands: ReplayStep[];
  /** Tasks not satisfied right after their own solution, with the check's reason. */
  unsolved: TaskResult[];
  /** Every command run, in order. */
  steps: ReplayStep[];
  /** Every accepted answer of each question task, as derived from the cluster when its turn came. */
  answers: Record<string, string[]>;
  /** Wall-clock milliseconds the replay took. */
  elapsedMs: number;
}

/** Writes a task's solution files and runs its commands (for question tasks, answers with the derived value). */
export function applySolution(sim: Simulation, task: Task, onStep?: (s: ReplayStep) => void): string[] {
  // a prediction is made before the command that settles it runs
  const predicted = isPredict(task.check) ? answerDerived(sim, task) : [];
  for (const [path, content] of Object.entries(task.solution.files ?? {})) {
    sim.fs.write({ kind: 'workstation' }, path.startsWith('/') ? path : `${HOME}/${path}`, content);
  }
  for (const command of task.solution.commands ?? []) {
    const result = sim.run(command);
    onStep?.({ taskId: task.id, command, result });
    sim.advance(THINK_TIME_MS);
  }
  if (isPredict(task.check)) return predicted;
  return task.kind === 'question' ? answerDerived(sim, task) : [];
}

/** Answers a question task with the value derived from the cluster now; returns every accepted answer. */
function answerDerived(sim: Simulation, task: Task): string[] {
  const d = answerOf(task.check);
  if (!d) return [];
  const v = derive(sim, d);
  if (v.value === undefined) return [];
  sim.answers[task.id] = v.value;
  // a prediction counts from the moment it is made, as the task panel's grading records it
  if (isPredict(task.check)) prediction(sim, task.id);
  return [...new Set([v.value, ...(v.oneOf ?? []), ...(v.alternatives ?? [])])];
}

/**
 * Starts the lesson fresh, checks that no task is done yet, then applies each task's
 * solution in order (cumulatively) and checks that the task is done right after it.
 */
export function replayLesson(source: LessonSource, tasks: Task[], options: SimulationOptions = {}): ReplayReport {
  const t0 = Date.now();
  const sim = createLessonSimulation(source, options);
  const report: ReplayReport = { satisfiedAtStart: [], earlyDone: [], failedCommands: [], unsolved: [], steps: [], answers: {}, elapsedMs: 0 };
  for (const t of tasks) {
    const v = evaluate(sim, t.check, { taskId: t.id, tasks });
    if (v.ok) report.satisfiedAtStart.push({ id: t.id, done: true });
  }
  for (const t of tasks) {
    const expected = applySolution(sim, t, (s) => {
      report.steps.push(s);
      if (s.result.exitCode !== 0) report.failedCommands.push(s);
    });
    if (expected.length) report.answers[t.id] = expected;
    const v = evaluate(sim, t.check, { taskId: t.id, tasks });
    if (!v.ok) report.unsolved.push({ id: t.id, done: false, reason: v.reason });
    else rememberDone(sim, t.id);
    // A task must not be done before its own turn: check the ones still ahead.
    for (const later of tasks.slice(tasks.indexOf(t) + 1)) {
      if (report.earlyDone.some((e) => e.id === later.id) || report.satisfiedAtStart.some((e) => e.id === later.id)) continue;
      if (evaluate(sim, later.check, { taskId: later.id, tasks }).ok) report.earlyDone.push({ id: later.id, done: true, reason: t.id });
    }
  }
  report.elapsedMs = Date.now() - t0;
  return report;
}
