/**
 * The lesson "Dual-stack" (52-dual-stack), task ping6-pod, played by learners who do not
 * follow the reference solution: the echo must reach a web Pod. Pinging the client's own
 * IPv6 address (it answers, exit 0) or a web Pod's address that is not one does not count;
 * a web Pod's IPv6 address does, typed or expanded from `$(kubectl get …)`, from the
 * workstation or inside the Pod.
 */
import { describe, expect, it } from 'vitest';
import { parseYamlFile, readRawLesson } from '../../lib/lessons';
import { validateTasksDoc } from '../../engine/grading/validate';
import { checkTasks, createLessonSimulation, type Task } from '../../engine/grading';
import type { Simulation } from '../../engine';

const SLUG = '52-dual-stack';

function lab() {
  const raw = readRawLesson(SLUG);
  const tasks = validateTasksDoc(parseYamlFile(raw.tasksText ?? '').data).tasks as Task[];
  const sim = createLessonSimulation({ scenario: raw.scenario ?? '', files: raw.files }, { seed: 1 });
  return { sim, tasks };
}

function status(sim: Simulation, tasks: Task[], id: string) {
  return checkTasks(sim, tasks).find((t) => t.id === id)!;
}

function ipv6Of(sim: Simulation, name: string): string {
  const pod = sim.store.get('Pod', 'default', name)!;
  return ((pod.status?.podIPs ?? []) as { ip: string }[]).map((x) => x.ip).find((ip) => ip.includes(':'))!;
}

function webPods(sim: Simulation): string[] {
  return sim.store.list('Pod', 'default').filter((p) => p.metadata.labels?.app === 'web').map((p) => p.metadata.name);
}

describe(`${SLUG}: ping6-pod`, () => {
  it("pinging the client's own IPv6 address succeeds but does not pass", () => {
    const { sim, tasks } = lab();
    const own = ipv6Of(sim, 'client');
    const r = sim.run(`kubectl exec client -- ping -6 -c 2 ${own}`);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`64 bytes from ${own}: icmp_seq=1`);
    const s = status(sim, tasks, 'ping6-pod');
    expect(s.done).toBe(false);
    expect(s.reason).toContain('not to an address of a Pod with app=web');
  });

  it("pinging a web Pod's IPv6 address passes, from the workstation or inside the client Pod", () => {
    const { sim, tasks } = lab();
    const target = ipv6Of(sim, webPods(sim)[0]);
    expect(sim.run(`kubectl exec client -- ping -6 -c 2 ${target}`).exitCode).toBe(0);
    expect(status(sim, tasks, 'ping6-pod').done).toBe(true);

    const inside = lab();
    const other = ipv6Of(inside.sim, webPods(inside.sim)[1]);
    inside.sim.run('kubectl exec -it client -- sh');
    expect(inside.sim.run(`ping -6 -c 1 ${other}`).exitCode).toBe(0);
    expect(status(inside.sim, inside.tasks, 'ping6-pod').done).toBe(true);
  });

  it('counts the address a command substitution expanded to, and an abbreviated spelling of it', () => {
    const { sim, tasks } = lab();
    sim.run(`kubectl exec client -- ping -6 -c 2 $(kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIPs[1].ip}')`);
    expect(status(sim, tasks, 'ping6-pod').done).toBe(true);

    const again = lab();
    // the same address with its zero groups written out: fd00:10:244:1::5 → fd00:10:244:1:0:0:0:5
    const target = ipv6Of(again.sim, webPods(again.sim)[0]);
    const long = target.replace('::', ':' + '0:'.repeat(9 - target.split(':').length).slice(0, -1) + ':');
    expect(long).not.toBe(target);
    expect(again.sim.run(`kubectl exec client -- ping -6 -c 2 ${long}`).exitCode).toBe(0);
    expect(status(again.sim, again.tasks, 'ping6-pod').done).toBe(true);
  });
});
