/**
 * The check API against a live simulation: object queries, endpoints with learner-facing
 * reasons, derived answers (kube-proxy's probability), history, combinators, and the
 * `answer` command.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, Simulation } from '../../engine';
import { checkTasks, evaluate, expectedAnswer, ruleProbability, answerMatches, parseSelector, matchesSelector, validateTasksDoc, recordSolution, type Task } from '../../engine/grading';

function sim() {
  return createSimulation('cluster: { cni: calico }\nobjects: []\n', { seed: 1 });
}

function pod(name: string, labels: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };
}

const ctx = { taskId: 't' };

describe('label selectors', () => {
  it('reads kubectl selector syntax', () => {
    const r = parseSelector('app=web,tier!=db,env in (prod, staging),!canary,team');
    expect(r).toEqual([
      { key: 'app', op: '=', values: ['web'] },
      { key: 'tier', op: '!=', values: ['db'] },
      { key: 'env', op: 'in', values: ['prod', 'staging'] },
      { key: 'canary', op: '!', values: [] },
      { key: 'team', op: 'exists', values: [] },
    ]);
    expect(matchesSelector({ app: 'web', env: 'prod', team: 'a' }, r)).toBe(true);
    expect(matchesSelector({ app: 'web', env: 'prod', team: 'a', canary: 'x' }, r)).toBe(false);
    expect(matchesSelector({ app: 'web', env: 'dev', team: 'a' }, r)).toBe(false);
    expect(() => parseSelector('app=web,,x')).toThrow(/empty requirement/);
  });
});

describe("kube-proxy's probability", () => {
  it('is printed as iptables-save prints it back', () => {
    // 1/3 written as 0.3333333333, stored as lround(p·2^31) = 715827883, printed %.11f.
    expect(ruleProbability(3, 1)).toEqual({ written: '0.3333333333', printed: '0.33333333349' });
    expect(ruleProbability(3, 2)).toEqual({ written: '0.5000000000', printed: '0.50000000000' });
    expect(ruleProbability(4, 1)).toEqual({ written: '0.2500000000', printed: '0.25000000000' });
    expect(ruleProbability(3, 3)).toBeUndefined(); // the last endpoint has no probability
  });
  it('accepts the learner writing it any sensible way', () => {
    const v = { value: '0.33333333349', alternatives: ['0.3333333333'], numeric: true };
    for (const a of ['0.33333333349', '0.3333333333', '0.333', '1/3', ' 0.3333 ']) expect(answerMatches(a, v)).toBe(true);
    for (const a of ['0.3', '0.5', '33', 'a third']) expect(answerMatches(a, v)).toBe(false);
  });
});

describe('object checks', () => {
  it('exists, field and count, with reasons', () => {
    const s = sim();
    expect(evaluate(s, { exists: { kind: 'Service', name: 'web' } }, ctx)).toEqual({ ok: false, reason: 'the Service web does not exist yet' });
    s.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
    expect(evaluate(s, { exists: { kind: 'svc', name: 'web' } }, ctx)).toEqual({ ok: true });
    expect(evaluate(s, { field: { kind: 'Service', name: 'web', path: 'spec.ports[0].targetPort', equals: 8080 } }, ctx)).toEqual({ ok: true });
    expect(evaluate(s, { field: { kind: 'Service', name: 'web', path: 'spec.ports[0].port', equals: 8080 } }, ctx)).toEqual({ ok: false, reason: 'the Service web has spec.ports[0].port = 80, not 8080' });
    expect(evaluate(s, { count: { kind: 'Pod', selector: 'app=web', atLeast: 2 } }, ctx)).toEqual({ ok: false, reason: 'there are 0 Pods with labels app=web in namespace default; expected at least 2' });
  });

  it('explains a Service without endpoints in learner terms', () => {
    const s = sim();
    s.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    s.api.create(pod('web-1', { app: 'webapp' }));
    const v = evaluate(s, { endpoints: { service: 'web' } }, ctx);
    expect(v).toEqual({ ok: false, reason: 'the Service web has no endpoints: its selector app=web matches no Pod (Pods in default have app=webapp)' });
    expect(evaluate(s, { endpoints: { service: 'web', equals: 0 } }, ctx)).toEqual({ ok: true });
  });

  it('combines checks with all, any and not', () => {
    const s = sim();
    const no = { exists: { kind: 'ConfigMap', name: 'nope' } };
    const yes = { count: { kind: 'ConfigMap', atLeast: 0 } };
    expect(evaluate(s, { all: [yes, no] }, ctx)).toEqual({ ok: false, reason: 'the ConfigMap nope does not exist yet' });
    expect(evaluate(s, { any: [no, yes] }, ctx)).toEqual({ ok: true });
    expect(evaluate(s, { not: yes, because: 'still there' }, ctx)).toEqual({ ok: false, reason: 'still there' });
    expect(evaluate(s, { not: no }, ctx)).toEqual({ ok: true });
  });
});

describe('history and answers', () => {
  const tasks: Task[] = [
    { id: 'greet', title: 'greet', kind: 'do', hints: ['a', 'b'], check: { history: { pattern: '^answer greeting ', what: 'answer greeting …' } }, solution: { commands: ['answer greeting hi'] } },
    { id: 'colour', title: 'colour', kind: 'question', question: 'which?', hints: ['a', 'b'], check: { answer: { field: { kind: 'ConfigMap', name: 'settings', path: 'data.color' } } }, solution: { commands: [] } },
  ];

  it('grades live: after each command, with reasons until done', () => {
    const s = sim();
    s.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { color: 'blue' } });
    expect(checkTasks(s, tasks)).toEqual([
      { id: 'greet', done: false, reason: 'you have not run `answer greeting …` yet' },
      { id: 'colour', done: false, reason: 'not answered yet (type it in the task panel, or run: answer colour VALUE)' },
    ]);
    expect(s.run('answer greeting')).toEqual({ stdout: '', stderr: 'answer: missing value for task "greeting"\nusage: answer TASK-ID VALUE\n       answer            (list your answers)\n', exitCode: 2 });
    expect(s.run('answer colour red')).toEqual({ stdout: 'answer recorded for colour: red\n', stderr: '', exitCode: 0 });
    expect(checkTasks(s, tasks)[1]).toEqual({ id: 'colour', done: false, reason: '"red" is not right yet' });
    s.run('answer colour Blue');
    s.run('answer greeting hi');
    expect(checkTasks(s, tasks)).toEqual([
      { id: 'greet', done: true },
      { id: 'colour', done: true },
    ]);
    expect(expectedAnswer(s, tasks[1])).toEqual({ value: 'blue' });
    // The answer is derived: change the cluster and the right answer changes with it …
    s.api.update({ ...s.get('ConfigMap', 'default', 'settings')!, data: { color: 'green' } });
    expect(checkTasks(s, tasks, { sticky: false })[1]).toEqual({ id: 'colour', done: false, reason: '"Blue" is not right yet' });
    // … but a task the learner finished stays finished, across snapshot and restore.
    expect(checkTasks(s, tasks)[1]).toEqual({ id: 'colour', done: true });
    const restored = Simulation.restore(s.snapshot());
    expect(checkTasks(restored, tasks)).toEqual([
      { id: 'greet', done: true },
      { id: 'colour', done: true },
    ]);
    expect(restored.run('answer').stdout).toBe('colour: Blue\ngreeting: hi\n');
    expect(recordSolution(s.history).commands).toEqual(['answer colour red', 'answer colour Blue', 'answer greeting hi']);
    expect(recordSolution(s.history).skipped).toEqual(['answer greeting']);
  });
});

describe('history checks judge the command the pattern is about', () => {
  const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata: { a: b }\n';
  const ran = (s: Simulation, pattern: string, extra: { succeeded?: boolean; what?: string } = {}) => evaluate(s, { history: { pattern, ...extra } }, ctx);
  const FAILED = { ok: false, reason: 'you ran the command, but it did not succeed yet — read its error and try again' };

  it('in a ; list: the apply succeeded although the grep after it (and the line) failed', () => {
    const s = sim();
    s.fs.write({ kind: 'workstation' }, '/home/learner/x.yaml', CM);
    expect(s.run('kubectl apply -f x.yaml; kubectl get pods | grep nope').exitCode).toBe(1);
    expect(ran(s, '^kubectl apply -f')).toEqual({ ok: true });
    expect(ran(s, '^kubectl get pods$')).toEqual({ ok: true });
    // a pattern that spans the pipeline is tried on the whole line, and the line failed
    expect(ran(s, 'kubectl get .* \\| grep')).toEqual(FAILED);
    expect(ran(s, 'kubectl get .* \\| grep', { succeeded: false })).toEqual({ ok: true });
  });

  it('in a pipeline: the command the pattern names decides, not the last stage', () => {
    const s = sim();
    expect(s.run('kubectl get configmap nope | cat').exitCode).toBe(0);
    expect(ran(s, '^kubectl get configmap')).toEqual(FAILED);
    expect(ran(s, '^kubectl get configmap', { succeeded: false })).toEqual({ ok: true });
    // the same command succeeding later in another line counts
    s.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nope' }, data: {} });
    expect(s.run('kubectl get configmap nope | grep -q absent').exitCode).toBe(1);
    expect(ran(s, '^kubectl get configmap')).toEqual({ ok: true });
  });

  it('matches the expanded argv, and commands inside sh -c / bash -c', () => {
    const s = sim();
    s.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: {} });
    s.run('C=x; kubectl get configmap "$C" && false');
    expect(ran(s, '^kubectl get configmap x$')).toEqual({ ok: true });
    s.run(`sh -c 'kubectl describe configmap x; exit 1'`);
    expect(ran(s, '^kubectl describe configmap')).toEqual({ ok: true });
    s.run(`bash -c 'kubectl delete configmap x' && kubectl get configmap x`);
    expect(ran(s, '^kubectl delete configmap x')).toEqual({ ok: true });
    // a redirection is not part of a command's text: such a pattern falls back to the line
    s.run('kubectl get configmap -o yaml > out.yaml');
    expect(ran(s, 'kubectl get configmap -o yaml > out\\.yaml')).toEqual({ ok: true });
  });

  it('judges entries saved before commands were recorded by the whole line, as before', () => {
    const s = sim();
    s.run('kubectl get pods && false');
    s.run('kubectl get services | grep -q nope');
    const snap = s.snapshot();
    for (const e of snap.shell.history) delete e.commands;
    const old = Simulation.restore(snap);
    expect(old.history.every((e) => e.commands === undefined)).toBe(true);
    expect(ran(old, '^kubectl get pods')).toEqual(FAILED);
    expect(ran(old, '^kubectl get services')).toEqual(FAILED);
    // new lines record their commands next to the old ones
    old.run('kubectl get pods && false');
    expect(ran(old, '^kubectl get pods')).toEqual({ ok: true });
    expect(ran(old, '^kubectl get services')).toEqual(FAILED);
  });
});

describe('ordering with done:', () => {
  it('counts a task only after the one it names, remembering completion', () => {
    const s = sim();
    const tasks: Task[] = [
      { id: 'make', title: 'Create the ConfigMap x', kind: 'do', hints: ['a', 'b'], check: { exists: { kind: 'ConfigMap', name: 'x' } }, solution: { commands: ['true'] } },
      { id: 'remove', title: 'Delete it again', kind: 'do', hints: ['a', 'b'], check: { all: [{ done: 'make' }, { not: { exists: { kind: 'ConfigMap', name: 'x' } } }] }, solution: { commands: ['true'] } },
    ];
    expect(checkTasks(s, tasks)).toEqual([
      { id: 'make', done: false, reason: 'the ConfigMap x does not exist yet' },
      { id: 'remove', done: false, reason: 'do the task "Create the ConfigMap x" first' },
    ]);
    s.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: {} });
    expect(checkTasks(s, tasks).map((r) => r.done)).toEqual([true, false]);
    s.api.delete('ConfigMap', 'default', 'x');
    expect(checkTasks(s, tasks)).toEqual([
      { id: 'make', done: true },
      { id: 'remove', done: true },
    ]);
  });

  it('must name an earlier task', () => {
    const { problems } = validateTasksDoc({
      tasks: [
        { id: 'a', title: 'x', kind: 'do', hints: ['1', '2'], check: { done: 'b' }, solution: { commands: ['true'] } },
        { id: 'b', title: 'y', kind: 'do', hints: ['1', '2'], check: { all: [{ done: 'zzz' }] }, solution: { commands: ['true'] } },
      ],
    });
    expect(problems).toEqual([
      { path: ['tasks', 0, 'check', 'done'], message: '`done: b` must name an earlier task (tasks are done in order)' },
      { path: ['tasks', 1, 'check', 'all', 0, 'done'], message: '`done: zzz` names no task of this lesson (ids: a, b)' },
    ]);
  });
});

describe('tasks.yaml validation', () => {
  it('names the path of every problem', () => {
    const { problems } = validateTasksDoc({
      tasks: [
        { id: 'a', title: 'x', kind: 'do', hints: ['only one'], check: { exists: { kind: 'Servce', name: 'web' } }, solution: { commands: ['true'] } },
        { id: 'a', title: 'y', kind: 'question', question: 'q?', hints: ['1', '2'], check: { answer: { value: 42 } }, solution: { commands: [] } },
        { id: 'b', title: 'z', kind: 'do', hints: ['1', '2'], check: { exists: { kind: 'Pod', name: 'p' }, field: {} }, solution: { commands: [] } },
      ],
    });
    expect(problems).toEqual([
      { path: ['tasks', 0, 'hints'], message: 'give at least two `hints:` (strings), from a gentle nudge to nearly the answer' },
      { path: ['tasks', 0, 'check', 'exists', 'kind'], message: expect.stringMatching(/^unknown kind "Servce" — did you mean Service\? \(kinds: ComponentStatus, ConfigMap, Endpoints, /) },
      { path: ['tasks', 1, 'id'], message: 'task id "a" is used twice (also tasks[0]); ids must be unique within the lesson' },
      { path: ['tasks', 1, 'check', 'answer', 'value'], message: 'an answer must be derived from the cluster (field, count, endpoints, endpoint, probability, setting, resolve, resolvConf, veth, gateway, route, neighbor, ready, listener, proxyChain, ruleCount, cniConfig), never typed into the lesson' },
      { path: ['tasks', 2, 'check'], message: 'a check has exactly one of exists, field, count, endpoints, reach, dns, http, history, answer, predict, done, all, any, not (found exists, field); combine several with `all:`' },
      { path: ['tasks', 2, 'solution', 'commands'], message: "a `do` task's solution needs at least one command" },
    ]);
  });
});
