/**
 * Predict, then check. A `predict:` task asks the learner to commit to an answer before
 * they run the command that settles it: their first answer is the prediction (answering
 * again does not change it), and the task is done once they ran the settling command after
 * predicting — right or wrong, since the point is the moment of comparison. The verdict
 * (the prediction against what the cluster showed when it was settled) is kept, and the
 * task panel says it.
 *
 * Both records live in the simulation's answers, so they survive a snapshot, under keys no
 * task id can take (ids have no colon).
 */
import type { Simulation } from '../simulation';
import type { Check, Task } from './types';

const PREDICTED = 'predicted:';
const SETTLED = 'settled:';

/** What the learner predicted, and how much history there was then (commands after it count). */
export interface Prediction {
  value: string;
  /** sim.history.length when the prediction was made. */
  at: number;
  /** The virtual clock then: a history trimmed at its front still tells later commands apart. */
  time: number;
}

/** The learner's prediction for a task: recorded the first time an answer is seen. */
export function prediction(sim: Simulation, taskId: string): Prediction | null {
  const kept = sim.answers[PREDICTED + taskId];
  if (kept !== undefined) {
    try {
      const p = JSON.parse(kept) as Prediction;
      if (typeof p.value === 'string' && typeof p.at === 'number' && typeof p.time === 'number') return p;
    } catch {
      // a damaged record is taken afresh below
    }
  }
  const given = sim.answers[taskId];
  if (given === undefined || given.trim() === '') return null;
  const p: Prediction = { value: given.trim(), at: sim.history.length, time: sim.clock.now() };
  sim.answers[PREDICTED + taskId] = JSON.stringify(p);
  return p;
}

/** The commands run since the prediction. */
export function historySince(sim: Simulation, p: Prediction) {
  return sim.history.filter((e, i) => i >= p.at || e.time > p.time);
}

/** Remembers, once, what the cluster said when the prediction was settled. */
export function settle(sim: Simulation, taskId: string, verdict: { right: boolean; truth?: string }): void {
  if (sim.answers[SETTLED + taskId] === undefined) sim.answers[SETTLED + taskId] = JSON.stringify(verdict);
}

/** The panel's words for a settled prediction, or undefined. */
export function predictionNote(sim: Simulation, task: Task): string | undefined {
  if (!isPredict(task.check)) return undefined;
  const kept = sim.answers[SETTLED + task.id];
  const p = prediction(sim, task.id);
  if (kept === undefined || !p) return undefined;
  try {
    const v = JSON.parse(kept) as { right: boolean; truth?: string };
    if (v.right) return `You predicted “${p.value}”, and the cluster agrees.`;
    return v.truth !== undefined ? `You predicted “${p.value}”; the cluster says “${v.truth}”. Read on for why.` : `You predicted “${p.value}”; the cluster says otherwise. Read on for why.`;
  } catch {
    return undefined;
  }
}

export function isPredict(c: Check): c is Extract<Check, { predict: unknown }> {
  return typeof c === 'object' && c !== null && 'predict' in c;
}
