/**
 * The lesson "kube-proxy in nftables mode" (32-kube-proxy-nftables) played by learners
 * who do not follow the reference solution: the checks accept what a real node would
 * accept and refuse near misses (the wrong rule, the wrong node, a flush instead of a
 * delete, an answer given before the change it predicts).
 */
import { describe, expect, it } from 'vitest';
import { parseYamlFile, readRawLesson } from '../../lib/lessons';
import { validateTasksDoc } from '../../engine/grading/validate';
import { checkTasks, createLessonSimulation, derive, type Task } from '../../engine/grading';
import type { Simulation } from '../../engine';

const SLUG = '32-kube-proxy-nftables';
const WEB_CHAIN = 'service-PFISGYVC-default/web/tcp/';

function lab() {
  const raw = readRawLesson(SLUG);
  const tasks = validateTasksDoc(parseYamlFile(raw.tasksText ?? '').data).tasks as Task[];
  const sim = createLessonSimulation({ scenario: raw.scenario ?? '', files: raw.files }, { seed: 1 });
  return { sim, tasks };
}

/** A learner types a command, reads the output for a few seconds; the panel re-checks. */
function type(sim: Simulation, tasks: Task[], command: string, thinkMs = 3000) {
  const r = sim.run(command);
  checkTasks(sim, tasks);
  sim.advance(thinkMs);
  return r;
}

function status(sim: Simulation, tasks: Task[], id: string) {
  return checkTasks(sim, tasks).find((t) => t.id === id)!;
}

function handleOf(listing: string, pattern: RegExp): string {
  const line = listing.split('\n').find((l) => pattern.test(l));
  return /# handle (\d+)$/.exec(line ?? '')![1];
}

describe(SLUG, () => {
  it('takes the endpoint chain of the Pod on node-1 in full or as prefix and hash, not another Pod\'s', () => {
    const { sim, tasks } = lab();
    const onNode1 = sim.store.list('Pod', 'default').filter((p) => p.metadata.labels?.app === 'web' && p.spec?.nodeName === 'node-1');
    expect(onNode1).toHaveLength(1);
    const ip = onNode1[0].status!.podIP as string;
    type(sim, tasks, 'ssh node-1');
    const chain = type(sim, tasks, `nft list chain ip kube-proxy ${WEB_CHAIN}`).stdout;
    const names = [...chain.matchAll(/goto (endpoint-\S+?)(?=[,} ])/g)].map((m) => m[1]);
    expect(names).toHaveLength(3);
    const mine = names.find((n) => n.endsWith(`__${ip}/80`))!;
    const other = names.find((n) => n !== mine)!;
    sim.answers['endpoint-chain'] = other;
    expect(status(sim, tasks, 'endpoint-chain').done).toBe(false);
    sim.answers['endpoint-chain'] = mine.slice(0, 'endpoint-'.length + 8);
    expect(status(sim, tasks, 'endpoint-chain').done).toBe(true);
  });

  it('a prediction counts once the scale is done: 5 before scaling is not yet right, 3 after is wrong', () => {
    const { sim, tasks } = lab();
    sim.answers['scale-mod'] = '5';
    expect(status(sim, tasks, 'scale-mod')).toEqual({ id: 'scale-mod', done: false, reason: 'the Deployment web has spec.replicas = 3, not 5' });
    // answered with what the rules showed before the new Pods were Ready: not the prediction asked for
    sim.answers['scale-mod'] = '3';
    sim.run('kubectl scale deployment web --replicas=5');
    expect(status(sim, tasks, 'scale-mod')).toEqual({ id: 'scale-mod', done: false, reason: 'the Service web has 3 ready endpoints; expected 5' });
    sim.advance(10_000);
    expect(status(sim, tasks, 'scale-mod')).toEqual({ id: 'scale-mod', done: false, reason: '"3" is not right yet' });
    sim.answers['scale-mod'] = '5';
    expect(status(sim, tasks, 'scale-mod').done).toBe(true);
    // the rule count does not move with the endpoints
    sim.answers['rule-count'] = '2';
    expect(status(sim, tasks, 'rule-count').done).toBe(true);
    expect(derive(sim, { ruleCount: { node: 'node-1', chain: WEB_CHAIN } }).value).toBe('2');
  });

  it('breaking web takes the right rule, on node-1, deleted by handle', () => {
    const { sim, tasks } = lab();
    type(sim, tasks, 'ssh node-1');
    // a flush breaks web, but it is not a delete by handle
    type(sim, tasks, `nft flush chain ip kube-proxy ${WEB_CHAIN}`);
    expect(status(sim, tasks, 'break-node-1').reason).toBe('you have not run `nft delete rule ip kube-proxy CHAIN handle N` on node-1 yet');
    expect(type(sim, tasks, 'exit').exitCode).toBe(0);
    expect(type(sim, tasks, 'kubectl exec client -- curl -sS -m 3 http://web').stderr).toContain('Failed to connect to web port 80');
    // the full sync puts it back
    type(sim, tasks, 'sleep 30');
    expect(type(sim, tasks, 'kubectl exec client -- curl -sS -m 3 -o /dev/null -w "%{http_code}" http://web').stdout).toBe('200');
    // the masquerade rule is the wrong one: client still gets through
    type(sim, tasks, 'ssh node-1');
    let listing = type(sim, tasks, `nft -a list chain ip kube-proxy ${WEB_CHAIN}`, 1000).stdout;
    expect(type(sim, tasks, `nft delete rule ip kube-proxy ${WEB_CHAIN} handle ${handleOf(listing, /mark-for-masquerade/)}`).exitCode).toBe(0);
    expect(status(sim, tasks, 'break-node-1').reason).toBe('Pod client → the Service web port 80 still connects: nothing blocks it yet');
    // a handle listed before the next full sync is gone: nft says so
    type(sim, tasks, 'sleep 30');
    const r = type(sim, tasks, `nft delete rule ip kube-proxy ${WEB_CHAIN} handle ${handleOf(listing, /numgen/)}`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^Error: Could not process rule: No such file or directory\n/);
    // on node-2 the break does not reach client
    type(sim, tasks, 'exit');
    type(sim, tasks, 'ssh node-2');
    listing = type(sim, tasks, `nft -a list chain ip kube-proxy ${WEB_CHAIN}`, 1000).stdout;
    type(sim, tasks, `nft delete rule ip kube-proxy ${WEB_CHAIN} handle ${handleOf(listing, /numgen/)}`);
    expect(status(sim, tasks, 'break-node-1').done).toBe(false);
    // the real thing: on node-1, the numgen rule, by its current handle
    type(sim, tasks, 'exit');
    type(sim, tasks, 'sleep 30');
    type(sim, tasks, 'ssh node-1');
    listing = type(sim, tasks, `nft -a list chain ip kube-proxy ${WEB_CHAIN}`, 1000).stdout;
    type(sim, tasks, `nft delete rule ip kube-proxy ${WEB_CHAIN} handle ${handleOf(listing, /numgen/)}`);
    expect(status(sim, tasks, 'break-node-1').done).toBe(true);
    expect(status(sim, tasks, 'kube-proxy-repairs').done).toBe(false);
    type(sim, tasks, 'sleep 30');
    expect(status(sim, tasks, 'kube-proxy-repairs').done).toBe(true);
  });

  it('a delete followed by a curl that fails, as it should, counts: the delete succeeded', () => {
    const { sim, tasks } = lab();
    type(sim, tasks, 'ssh node-1');
    const listing = type(sim, tasks, `nft -a list chain ip kube-proxy ${WEB_CHAIN}`, 1000).stdout;
    const r = type(sim, tasks, `nft delete rule ip kube-proxy ${WEB_CHAIN} handle ${handleOf(listing, /numgen/)} && curl -sS -m 2 http://10.96.0.20`);
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toContain("Couldn't connect to server");
    expect(status(sim, tasks, 'break-node-1')).toEqual({ id: 'break-node-1', done: true });
  });

  it('a delete that fails is still not a delete, whatever runs after it', () => {
    const { sim, tasks } = lab();
    type(sim, tasks, 'ssh node-1');
    type(sim, tasks, `nft -a list chain ip kube-proxy ${WEB_CHAIN}`, 1000);
    expect(type(sim, tasks, `nft delete rule ip kube-proxy ${WEB_CHAIN} handle 99999; echo done`).exitCode).toBe(0);
    expect(status(sim, tasks, 'break-node-1').reason).toBe('you ran `nft delete rule ip kube-proxy CHAIN handle N` on node-1, but it did not succeed yet — read its error and try again');
  });

  it('a change to web repairs its chain before any full sync (a partial sync rewrites it)', () => {
    const { sim, tasks } = lab();
    type(sim, tasks, 'ssh node-1');
    const listing = type(sim, tasks, `nft -a list chain ip kube-proxy ${WEB_CHAIN}`, 1000).stdout;
    type(sim, tasks, `nft delete rule ip kube-proxy ${WEB_CHAIN} handle ${handleOf(listing, /numgen/)}`, 1000);
    expect(status(sim, tasks, 'break-node-1').done).toBe(true);
    type(sim, tasks, 'exit', 1000);
    type(sim, tasks, 'kubectl scale deployment web --replicas=4', 1000);
    expect(status(sim, tasks, 'kube-proxy-repairs').done).toBe(true);
  });
});
