/**
 * Two terminals on one cluster (issue 14, item 5): each terminal is its own shell session —
 * host stack, working directory, variables and history, as a second `ssh` login is — while
 * the cluster, its clock and the task checks are shared.
 */
import { describe, expect, it } from 'vitest';
import { Simulation, createSimulation, type SimEvent } from '../../../engine';

/** Runs a line in terminal `session` to its end and returns what it printed. */
function run(sim: Simulation, line: string, session: number) {
  const exec = sim.start(line, session);
  const out = exec.takeOutput().map((c) => c.text).join('');
  return { out, exitCode: exec.exitCode, running: exec.running };
}

describe('shell sessions', () => {
  it('keep their own working directory, variables and host', () => {
    const sim = createSimulation(null, { seed: 1, interactive: true });
    run(sim, 'mkdir -p /tmp/a; cd /tmp/a; X=one', 0);
    expect(sim.prompt(0)).toBe('learner@workstation:/tmp/a$ ');
    expect(sim.prompt(1)).toBe('learner@workstation:~$ ');
    expect(run(sim, 'pwd; echo "[$X]"', 1).out).toBe('/home/learner\n[]\n');
    run(sim, 'ssh node-1', 1);
    expect(sim.prompt(1)).toBe('root@node-1:~# ');
    expect(sim.prompt(0)).toBe('learner@workstation:/tmp/a$ ');
    expect(run(sim, 'hostname', 0).out).toBe('workstation\n');
    expect(run(sim, 'hostname', 1).out).toBe('node-1\n');
  });

  it('keep their own history; the checks read every terminal’s, in order', () => {
    const sim = createSimulation(null, { seed: 1, interactive: true });
    run(sim, 'echo a', 0);
    run(sim, 'echo b', 1);
    run(sim, 'echo c', 0);
    expect(run(sim, 'history', 1).out).toBe('    1  echo b\n    2  history\n');
    expect(run(sim, 'echo !!', 0).out).toBe('echo echo c\necho c\n');
    expect(sim.history.map((h) => h.command)).toEqual(['echo a', 'echo b', 'echo c', 'history', 'echo echo c']);
  });

  it('share one cluster: what one terminal creates the other sees', () => {
    const sim = createSimulation(null, { seed: 1, interactive: true });
    expect(run(sim, 'kubectl create deployment web --image=nginx', 1).out).toBe('deployment.apps/web created\n');
    expect(run(sim, 'kubectl get deploy -o name', 0).out).toBe('deployment.apps/web\n');
  });

  it('tell the page which terminal changed its prompt or cleared its screen', () => {
    const sim = createSimulation(null, { seed: 1, interactive: true });
    const events: SimEvent[] = [];
    sim.on((e) => {
      if (e.type === 'context' || e.type === 'clear') events.push(e);
    });
    run(sim, 'cd /tmp', 1);
    run(sim, 'clear', 1);
    run(sim, 'cd /etc', 0);
    expect(events).toEqual([
      { type: 'context', prompt: 'learner@workstation:/tmp$ ', session: 1 },
      { type: 'clear', session: 1 },
      { type: 'context', prompt: 'learner@workstation:/etc$ ' },
    ]);
  });

  it('a stream in one terminal runs while the other runs commands; Ctrl+C stops only its own', () => {
    const sim = createSimulation(null, { seed: 1, interactive: true });
    const ping = sim.start('ping 10.96.0.10', 0);
    expect(ping.running).toBe(true);
    ping.step();
    expect(run(sim, 'echo meanwhile', 1).out).toBe('meanwhile\n');
    const watch = sim.start('kubectl get ns -w', 1);
    watch.step();
    watch.interrupt();
    expect(watch.running).toBe(false);
    expect(ping.running).toBe(true);
    ping.interrupt();
    expect(ping.takeOutput().map((c) => c.text).join('')).toMatch(/--- 10\.96\.0\.10 ping statistics ---/);
  });

  it('two streams at once keep the clock at real time, not double', () => {
    const sim = createSimulation(null, { seed: 1, interactive: true });
    const a = sim.start('ping 10.96.0.10', 0);
    const b = sim.start('ping 10.96.0.10', 1);
    const t0 = sim.clock.now();
    for (let i = 0; i < 5; i++) {
      a.step();
      b.step();
    }
    // each ping steps once a second: five seconds passed, whichever stepped first
    expect(sim.clock.now() - t0).toBe(5000);
  });

  it('survive a snapshot: the second terminal’s place and history come back', () => {
    const sim = createSimulation(null, { seed: 1, interactive: true });
    run(sim, 'cd /etc; echo two', 1);
    const snap = sim.snapshot();
    expect(snap.sessions).toHaveLength(1);
    const back = Simulation.restore(snap, { interactive: true });
    expect(back.sessionCount).toBe(2);
    expect(back.prompt(1)).toBe('learner@workstation:/etc$ ');
    expect(back.prompt(0)).toBe('learner@workstation:~$ ');
    expect(back.session(1).history.map((h) => h.command)).toEqual(['cd /etc; echo two']);
    // a lab with one terminal saves what it always saved
    expect(createSimulation(null, { seed: 1 }).snapshot()).not.toHaveProperty('sessions');
  });

  it('refuses a terminal number out of range', () => {
    const sim = createSimulation(null, { seed: 1 });
    expect(() => sim.session(4)).toThrow(RangeError);
    expect(() => sim.session(-1)).toThrow(RangeError);
  });
});
