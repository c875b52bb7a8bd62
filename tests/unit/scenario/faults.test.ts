/**
 * The fault catalogue (engine/scenario/faults/) proven on the capstone's cluster
 * (lessons/85-capstone-break-and-fix): every fault, injected alone, breaks exactly the
 * outcomes it declares and no other; its reference fix, replayed as a learner would type
 * it, repairs them. The seed's draw is pinned, and the lesson's reference solutions solve
 * every seed's draw, not only the checker's default.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, loadScenario, ScenarioError, Simulation } from '../../../engine';
import { applySolution, evaluate, replayLesson, type Task } from '../../../engine/grading';
import { THINK_TIME_MS } from '../../../engine/grading/replay';
import { validateTasksDoc } from '../../../engine/grading/validate';
import { drawFaults, FAULTS, prepareFaults, type FaultOutcome } from '../../../engine/scenario/faults';
import { HOME } from '../../../engine/hosts/vfs';
import { parseYamlFile } from '../../../lib/lessons';
import { golden } from '../dns/golden';

const DIR = new URL('../../../lessons/85-capstone-break-and-fix/', import.meta.url).pathname;
const SCENARIO = readFileSync(`${DIR}scenario.yaml`, 'utf8');
const TASKS = validateTasksDoc(parseYamlFile(readFileSync(`${DIR}tasks.yaml`, 'utf8')).data).tasks as Task[];
/** The lesson's task that grades each outcome. */
const OUTCOME_TASK: Record<FaultOutcome, string> = { 'in-cluster': 'client-reaches-shop', public: 'public-host-answers' };
const task = (id: string) => TASKS.find((t) => t.id === id)!;

function outcomes(sim: Simulation): Record<FaultOutcome, { ok: boolean; reason?: string }> {
  const v = (o: FaultOutcome) => evaluate(sim, task(OUTCOME_TASK[o]).check, { taskId: OUTCOME_TASK[o], tasks: TASKS });
  return { 'in-cluster': v('in-cluster'), public: v('public') };
}

describe('the fault catalogue on the capstone cluster', () => {
  it('the healthy cluster (no fault) passes both outcome checks', () => {
    const sim = createSimulation(SCENARIO, { seed: 1, faults: [] });
    expect(sim.faults).toEqual([]);
    const o = outcomes(sim);
    expect(o['in-cluster']).toEqual({ ok: true });
    expect(o.public).toEqual({ ok: true });
  });

  it.each(FAULTS.map((f) => f.id))('%s: breaks what it declares, and its reference fix repairs it', (id) => {
    const fault = FAULTS.find((f) => f.id === id)!;
    const sim = createSimulation(SCENARIO, { seed: 1, faults: [id] });
    expect(sim.faults).toEqual([id]);
    // nothing the fault did went through the learner's shell
    expect(sim.history).toEqual([]);
    const before = outcomes(sim);
    for (const o of ['in-cluster', 'public'] as FaultOutcome[]) {
      expect({ outcome: o, ok: before[o].ok }).toEqual({ outcome: o, ok: !fault.breaks.includes(o) });
    }
    const prepared = prepareFaults(loadScenario(SCENARIO), 1, [id])!;
    const fix = fault.fix(prepared.ctx);
    for (const [path, content] of Object.entries(fix.files ?? {})) sim.fs.write({ kind: 'workstation' }, `${HOME}/${path}`, content);
    for (const command of fix.commands) {
      const r = sim.run(command);
      // kubectl apply on an object made without it warns about the last-applied annotation, as the real one does
      const stderr = r.stderr.replace(/^Warning: resource networkpolicies\/[\w-]+ is missing the kubectl\.kubernetes\.io\/last-applied-configuration annotation .*\n/, '');
      expect({ command, exitCode: r.exitCode, stderr }).toEqual({ command, exitCode: 0, stderr: '' });
      sim.advance(THINK_TIME_MS);
    }
    const after = outcomes(sim);
    expect(after['in-cluster']).toEqual({ ok: true });
    expect(after.public).toEqual({ ok: true });
  });

  it('the symptoms are the cluster\'s own: each fault leaves its mark in kubectl\'s view', () => {
    const look = (id: string, line: string) => createSimulation(SCENARIO, { seed: 1, faults: [id] }).run(line).stdout;
    expect(look('service-selector', 'kubectl get endpointslices -l kubernetes.io/service-name=shop')).toMatch(/<unset>\s+<unset>/);
    expect(look('target-port', 'kubectl get endpointslices -l kubernetes.io/service-name=shop')).toMatch(/IPv4\s+8080\s/);
    expect(look('readiness-probe', 'kubectl get pods -l app=shop')).toMatch(/0\/1\s+Running/);
    // the kubelet's event as prober.go words an HTTP probe whose connection is refused
    expect(look('readiness-probe', 'kubectl describe pod -l app=shop')).toMatch(/Warning {2}Unhealthy .* kubelet +Readiness probe failed: Get "http:\/\/10\.244\.\d+\.\d+:8080\/healthz": dial tcp 10\.244\.\d+\.\d+:8080: connect: connection refused\n/);
    expect(look('coredns-scaled-to-zero', 'kubectl -n kube-system get deploy coredns')).toMatch(/coredns\s+0\/0\s/);
    expect(look('dns-egress-policy', 'kubectl get networkpolicy')).toMatch(/^client-egress\s+app=client\s/m);
    expect(look('ingress-class', 'kubectl get ingress shop')).toMatch(/^shop\s+traefik\s+shop\.example\.com\s+80\s/m);
    expect(look('ingress-controller-scaled-to-zero', 'kubectl -n ingress-nginx get deploy,endpointslices')).toMatch(/ingress-nginx-controller\s+0\/0\s[\s\S]*<unset>\s+<unset>/);
    expect(look('kube-services-flushed', 'ssh node-2 iptables -t nat -L KUBE-SERVICES -n')).toBe('Chain KUBE-SERVICES (2 references)\ntarget     prot opt source               destination         \n');
  });
});

describe('the http check', () => {
  it('says why the page did not come, in the words of what failed', () => {
    const reason = (faults: string[], id: string) => evaluate(createSimulation(SCENARIO, { seed: 1, faults }), task(id).check, { taskId: id, tasks: TASKS }).reason;
    expect(reason(['ingress-class'], 'public-host-answers')).toBe('http://203.0.113.1/ (Host: shop.example.com) from your workstation answers 404, not 200');
    expect(reason(['ingress-backend-port'], 'public-host-answers')).toBe('http://203.0.113.1/ (Host: shop.example.com) from your workstation answers 503, not 200');
    expect(reason(['ingress-controller-scaled-to-zero'], 'public-host-answers')).toMatch(/^http:\/\/203\.0\.113\.1\/ \(Host: shop\.example\.com\) from your workstation gets no answer: the connection to 203\.0\.113\.1 port 80 is refused/);
    expect(reason(['dns-egress-policy'], 'client-reaches-shop')).toBe('http://shop/ from Pod client gets no answer: shop does not resolve');
    expect(reason(['target-port'], 'client-reaches-shop')).toMatch(/^http:\/\/shop\/ from Pod client gets no answer: the connection to shop port 80 is refused/);
    expect(reason(['app-ingress-policy'], 'client-reaches-shop')).toMatch(/^http:\/\/shop\/ from Pod client gets no answer: the connection to shop port 80 times out/);
  });

  it('leaves nothing behind: no trace, no access-log line, the same random stream', () => {
    const sim = createSimulation(SCENARIO, { seed: 1, faults: [] });
    const logs = () => sim.run('kubectl logs -n ingress-nginx deploy/ingress-nginx-controller').stdout + sim.run('kubectl logs deploy/shop').stdout;
    const before = { logs: logs(), traces: sim.traceCounter, rng: sim.rng.state() };
    for (const t of TASKS) evaluate(sim, t.check, { taskId: t.id, tasks: TASKS });
    expect({ logs: logs(), traces: sim.traceCounter, rng: sim.rng.state() }).toEqual({ ...before, rng: before.rng, logs: before.logs });
  });
});

describe('the draw', () => {
  const spec = loadScenario(SCENARIO).faults!;

  it('pins the faults seeds 1..8 draw for the capstone', () => {
    const lines = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => `seed ${s}: ${drawFaults(spec, s).join(' ')}`);
    golden('faults/capstone-draws.txt', lines.join('\n') + '\n');
  });

  it('different seeds draw different sets, each with two in-cluster faults and one public-only fault', () => {
    const sets = new Set<string>();
    for (let s = 1; s <= 40; s++) {
      const ids = drawFaults(spec, s);
      expect(ids).toHaveLength(3);
      expect(new Set(ids).size).toBe(3);
      expect(spec.draw[0].from).toContain(ids[0]);
      expect(spec.draw[0].from).toContain(ids[1]);
      expect(spec.draw[1].from).toContain(ids[2]);
      sets.add([...ids].sort().join(' '));
    }
    // 15 pairs × 3 = 45 possible sets; 40 seeds see many of them
    expect(sets.size).toBeGreaterThanOrEqual(20);
  });

  it('the draw is the simulation\'s, survives a snapshot, and a restored lab keeps its faults', () => {
    const sim = createSimulation(SCENARIO, { seed: 4 });
    expect(sim.faults).toEqual(drawFaults(spec, 4));
    const back = Simulation.restore(JSON.parse(JSON.stringify(sim.snapshot())));
    expect(back.faults).toEqual(sim.faults);
    expect(back.run('kubectl get ingress shop -o jsonpath={.spec.ingressClassName}').stdout).toBe(sim.run('kubectl get ingress shop -o jsonpath={.spec.ingressClassName}').stdout);
  });

  it('an unknown fault id is the scenario\'s error, with its line', () => {
    const bad = SCENARIO.replace('from: [ingress-class, ingress-backend-port,', 'from: [ingress-class, ingress-clas,');
    let err: unknown;
    try {
      createSimulation(bad, { seed: 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).message).toMatch(/^faults\.draw\[1\]\.from: "ingress-clas" is not a fault of the catalogue \(faults: service-selector, /);
    expect((err as ScenarioError).line).toBe(SCENARIO.split('\n').findIndex((l) => l.includes('from: [ingress-class, ingress-backend-port,')) + 1);
  });

  it('the faults: section\'s form is checked where it is loaded', () => {
    const withFaults = (faults: string) => () => loadScenario(`objects: []\nfaults:\n${faults}`);
    expect(withFaults('  target: { service: a, deployment: a }\n  draw: [{ pick: 1, from: [x] }]')).toThrow('faults.target.client is required');
    expect(withFaults('  target: { service: a, deployment: a, client: c }\n  draw: [{ pick: 2, from: [x] }]')).toThrow('faults.draw[0].pick 2 must be a whole number from 1 to 1 (the faults listed)');
    expect(withFaults('  target: { service: a, deployment: a, client: c }\n  draw: []')).toThrow('faults.draw: must list at least one group');
    expect(withFaults('  target: { service: a, deployment: a, client: c, pod: x }\n  draw: [{ pick: 1, from: [x] }]')).toThrow('unknown key faults.target.pod');
  });
});

describe('the capstone\'s reference solutions', () => {
  it('relabelling Pods to match a wrong selector brings the page back but does not count as the repair', () => {
    const sim = createSimulation(SCENARIO, { seed: 1, faults: ['service-selector'] });
    for (const pod of sim.list('Pod', 'default').filter((p) => p.metadata.labels?.app === 'shop')) sim.run(`kubectl label pod ${pod.metadata.name} app=shop-frontend --overwrite`);
    sim.advance(THINK_TIME_MS);
    const check = task('client-reaches-shop').check as { all: Parameters<typeof evaluate>[1][] };
    // the page answers again (through the relabelled Pods)…
    expect(evaluate(sim, check.all[0], { taskId: 'x' })).toEqual({ ok: true });
    // …but the Service still selects what no Pod of the Deployment carries
    const v = evaluate(sim, check, { taskId: 'client-reaches-shop', tasks: TASKS });
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/spec\.selector\.app/);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('solve the draw of seed %i, and no task is done before its turn', (seed) => {
    const r = replayLesson({ scenario: SCENARIO }, TASKS, { seed });
    expect({ seed, start: r.satisfiedAtStart, early: r.earlyDone, failed: r.failedCommands.map((s) => `${s.command}: ${s.result.stderr}`), unsolved: r.unsolved }).toEqual({ seed, start: [], early: [], failed: [], unsolved: [] });
  });

  it('a removed readiness probe makes the pods Ready but does not count as the repair', () => {
    const sim = createSimulation(SCENARIO, { seed: 1, faults: ['readiness-probe'] });
    sim.run(`kubectl patch deployment shop --type=json -p '[{"op":"remove","path":"/spec/template/spec/containers/0/readinessProbe"}]'`);
    sim.run('kubectl rollout status deployment shop');
    sim.advance(THINK_TIME_MS);
    const v = evaluate(sim, task('client-reaches-shop').check, { taskId: 'client-reaches-shop', tasks: TASKS });
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/readinessProbe\.httpGet/);
    applySolution(sim, task('client-reaches-shop'));
    expect(evaluate(sim, task('client-reaches-shop').check, { taskId: 'client-reaches-shop', tasks: TASKS })).toEqual({ ok: true });
  });
});
