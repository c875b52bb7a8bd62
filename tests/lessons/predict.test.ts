/**
 * Predict, then check (engine/grading/predict.ts): the learner's first answer is their
 * prediction, the task is done once they ran the settling command after it — right or
 * wrong — and the panel and the `answer` command say how the prediction fared.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, Simulation } from '../../engine';
import { checkTasks, replayLesson, validateTasksDoc, type Task } from '../../engine/grading';

const SCENARIO = `
objects:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: settings }
    data: { color: blue }
`;

const PREDICT: Task = {
  id: 'guess-colour',
  title: 'Predict the colour',
  kind: 'question',
  question: 'Before you look: what colour does the ConfigMap settings hold?',
  hints: ['a', 'b'],
  check: { predict: { answer: { field: { kind: 'ConfigMap', name: 'settings', path: 'data.color' } }, then: { pattern: '^kubectl get (configmap|cm) settings', what: 'kubectl get configmap settings -o yaml' } } },
  solution: { commands: ['kubectl get configmap settings -o yaml'] },
};

const sim = () => createSimulation(SCENARIO, { seed: 1 });

describe('predict, then check', () => {
  it('asks for the prediction first; a look taken before it does not settle it', () => {
    const s = sim();
    expect(checkTasks(s, [PREDICT])).toEqual([
      { id: 'guess-colour', done: false, reason: 'predict first: type your answer in the task panel (or run: answer guess-colour VALUE) before you look — your first answer is the one that counts' },
    ]);
    s.run('kubectl get configmap settings -o yaml');
    s.answers['guess-colour'] = 'blue';
    expect(checkTasks(s, [PREDICT])).toEqual([{ id: 'guess-colour', done: false, reason: 'you predicted "blue": now run `kubectl get configmap settings -o yaml` and see' }]);
    s.run('kubectl get cm settings');
    expect(checkTasks(s, [PREDICT])).toEqual([{ id: 'guess-colour', done: true, note: 'You predicted “blue”, and the cluster agrees.' }]);
  });

  it('a wrong prediction is done too, and says what the cluster showed; answering again does not change it', () => {
    const s = sim();
    s.answers['guess-colour'] = 'red';
    checkTasks(s, [PREDICT]);
    s.answers['guess-colour'] = 'blue';
    expect(checkTasks(s, [PREDICT])[0].reason).toBe('you predicted "red": now run `kubectl get configmap settings -o yaml` and see');
    s.run('kubectl get configmap settings -o yaml');
    const done = { id: 'guess-colour', done: true, note: 'You predicted “red”; the cluster says “blue”. Read on for why.' };
    expect(checkTasks(s, [PREDICT])).toEqual([done]);
    // the verdict is the one of the moment it was settled, across a snapshot
    s.api.update({ ...s.get('ConfigMap', 'default', 'settings')!, data: { color: 'red' } });
    expect(checkTasks(Simulation.restore(s.snapshot()), [PREDICT])).toEqual([done]);
  });

  it('the answer command records the prediction and says what comes next, then how it fared', () => {
    const s = sim();
    s.answerJudge = (id) => {
      const r = checkTasks(s, [PREDICT]).find((x) => x.id === id);
      return r ? { kind: 'prediction', text: (r.done ? r.note : r.reason) ?? '' } : { kind: 'unknown' };
    };
    expect(s.run('answer guess-colour green').stdout).toBe('guess-colour: you predicted "green": now run `kubectl get configmap settings -o yaml` and see\n');
    s.run('kubectl get configmap settings -o yaml');
    expect(s.run('answer guess-colour blue').stdout).toBe('guess-colour: You predicted “green”; the cluster says “blue”. Read on for why.\n');
  });

  it('the lesson replay predicts before it runs the settling command', () => {
    const r = replayLesson({ scenario: SCENARIO }, [PREDICT], { seed: 1 });
    expect(r.unsolved).toEqual([]);
    expect(r.satisfiedAtStart).toEqual([]);
    expect(r.answers).toEqual({ 'guess-colour': ['blue'] });
  });

  it('belongs to question tasks and needs the value and the settling command', () => {
    const base = { title: 't', hints: ['1', '2'], solution: { commands: ['true'] } };
    const { problems } = validateTasksDoc({
      tasks: [
        { ...base, id: 'a', kind: 'do', check: PREDICT.check },
        { ...base, id: 'b', kind: 'question', question: 'q?', check: { predict: { answer: { field: { kind: 'ConfigMap', name: 'settings', path: 'data.color' } } } } },
        { ...base, id: 'c', kind: 'question', question: 'q?', check: { predict: { answer: { value: 'blue' }, then: { pattern: '(' } } } },
      ],
    });
    expect(problems).toEqual([
      { path: ['tasks', 0, 'check', 'predict'], message: '`predict:` checks belong to `kind: question` tasks' },
      { path: ['tasks', 1, 'check', 'predict'], message: '`predict:` takes `{ answer: DERIVED, then: { pattern, what?, on?, succeeded? } }`: the value the cluster will show, and the command that shows it' },
      { path: ['tasks', 2, 'check', 'predict', 'answer', 'value'], message: expect.stringMatching(/^an answer must be derived from the cluster/) },
      { path: ['tasks', 2, 'check', 'predict', 'then', 'pattern'], message: expect.stringMatching(/^not a valid regular expression/) },
    ]);
  });
});
