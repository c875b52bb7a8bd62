/**
 * The Execution the terminal drives: streaming commands (here `tail -f`, which waits
 * until Ctrl+C) stream when they are the last stage writing to the terminal, are
 * bounded elsewhere; Ctrl+C abandons the rest of the line; history gets the final status;
 * every command line moves the virtual clock by a second and each step by its interval.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import type { OutputChunk } from '../../../engine/types';

const text = (chunks: OutputChunk[]) => chunks.map((c) => `${c.stream}:${c.text}`).join('');

describe('Execution', () => {
  it('streams the last stage, steps with the clock, interrupts with 130', () => {
    const sim = createSimulation(null, { seed: 1 });
    sim.fs.write({ kind: 'workstation' }, '/home/learner/log', 'one\ntwo\n');
    const t0 = sim.clock.now();
    const exec = sim.start('echo start; tail -f log; echo never');
    expect(exec.running).toBe(true);
    expect(exec.exitCode).toBeNull();
    expect(exec.intervalMs).toBe(1000);
    expect(text(exec.takeOutput())).toBe('stdout:start\nstdout:one\ntwo\n');
    expect(sim.clock.now() - t0).toBe(1000);
    exec.step();
    exec.step();
    expect(sim.clock.now() - t0).toBe(3000);
    expect(exec.takeOutput()).toEqual([]);
    exec.interrupt();
    expect(exec.running).toBe(false);
    expect(exec.exitCode).toBe(130);
    expect(exec.takeOutput()).toEqual([]);
    expect(sim.history[sim.history.length - 1]).toMatchObject({ command: 'echo start; tail -f log; echo never', exitCode: 130 });
    expect(sim.run('echo $?')).toEqual({ stdout: '130\n', stderr: '', exitCode: 0 });
  });
  it('bounds a streaming command that is not the last stage or not at the terminal', () => {
    const sim = createSimulation(null, { seed: 1 });
    sim.fs.write({ kind: 'workstation' }, '/home/learner/log', 'a\nb\n');
    expect(sim.run('tail -f log | wc -l')).toEqual({ stdout: '2\n', stderr: '', exitCode: 0 });
    const exec = sim.start('tail -f log > copy; cat copy');
    expect(exec.running).toBe(false);
    expect(text(exec.takeOutput())).toBe('stdout:a\nb\n');
    expect(sim.run('x=$(tail -f log); echo "$x" | tr a-z A-Z')).toEqual({ stdout: 'A\nB\n', stderr: '', exitCode: 0 });
  });
  it('sim.run gives streaming commands a bounded number of steps', () => {
    const sim = createSimulation(null, { seed: 1, maxStreamSteps: 3 });
    sim.fs.write({ kind: 'workstation' }, '/home/learner/log', 'x\n');
    const t0 = sim.clock.now();
    expect(sim.run('tail -f log')).toEqual({ stdout: 'x\n', stderr: '', exitCode: 130 });
    expect(sim.clock.now() - t0).toBe(1000 + 3000);
  });
  it('records every line with its host and status; empty lines are not recorded', () => {
    const sim = createSimulation(null, { seed: 1 });
    const t0 = sim.clock.now();
    sim.run('');
    sim.run('   ');
    sim.run('true');
    sim.run('false');
    sim.run('sleep 10');
    expect(sim.history.map((h) => [h.command, h.exitCode, h.host.kind, h.time - t0])).toEqual([
      ['true', 0, 'workstation', 1000],
      ['false', 1, 'workstation', 2000],
      ['sleep 10', 0, 'workstation', 3000],
    ]);
    expect(sim.clock.now() - t0).toBe(13000);
  });
  it('emits clear and context events', () => {
    const sim = createSimulation(null, { seed: 1 });
    const events: string[] = [];
    sim.on((e) => {
      if (e.type === 'clear') events.push('clear');
      if (e.type === 'context') events.push(`context:${e.prompt}`);
    });
    sim.run('clear');
    sim.run('ssh node-2');
    sim.run('exit');
    expect(events).toEqual(['clear', 'context:root@node-2:~# ', 'context:learner@workstation:~$ ']);
  });
});

describe('editor requests', () => {
  it('surface as exec.edit; the output arrives through the Execution once', async () => {
    const sim = createSimulation(null, { seed: 1 });
    sim.run('kubectl create deployment web --image=nginx');
    const exec = sim.start('kubectl edit deployment web; echo after');
    expect(exec.running).toBe(false);
    expect(exec.edit?.content).toContain('kind: Deployment');
    const r = exec.edit!.finish(exec.edit!.content.replace('replicas: 1', 'replicas: 2'));
    expect(r).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(exec.edit).toBeUndefined();
    expect(exec.exitCode).toBe(0);
    expect(text(exec.takeOutput())).toBe('stdout:deployment.apps/web edited\nstdout:after\n');
    expect(sim.store.get('Deployment', 'default', 'web')?.spec.replicas).toBe(2);
  });
});

describe('paced loops', () => {
  it('a loop that sleeps hands each round to the terminal; Ctrl+C stops it', () => {
    const sim = createSimulation(null, { seed: 1 });
    const exec = sim.start('while true; do date +%T; sleep 2; done; echo never');
    expect(exec.running).toBe(true);
    expect(exec.intervalMs).toBe(2000);
    expect(text(exec.takeOutput())).toBe('stdout:09:00:01\n');
    exec.step();
    expect(text(exec.takeOutput())).toBe('stdout:09:00:03\n');
    exec.step();
    exec.interrupt();
    expect(text(exec.takeOutput())).toBe('stdout:09:00:05\n');
    expect(exec.running).toBe(false);
    expect(exec.exitCode).toBe(130);
    expect(sim.history[sim.history.length - 1].exitCode).toBe(130);
  });
  it('finite loops finish on their own; sim.run bounds infinite ones', () => {
    const sim = createSimulation(null, { seed: 1, maxStreamSteps: 2 });
    expect(sim.run('for i in 1 2; do echo $i; sleep 1; done; echo end')).toEqual({ stdout: '1\n2\nend\n', stderr: '', exitCode: 0 });
    expect(sim.run('while :; do echo x; sleep 1; done 2>/dev/null')).toEqual({ stdout: 'x\nx\nx\n', stderr: '', exitCode: 130 });
    expect(sim.run('while true; do echo y; sleep 1; done')).toEqual({ stdout: 'y\ny\ny\n', stderr: '', exitCode: 130 });
    expect(sim.run('while true; do echo z; sleep 1; done | wc -l')).toEqual({ stdout: '3\n', stderr: '', exitCode: 0 });
  });
});

describe('terminal editors and pagers', () => {
  it('vi opens the file in the editor pane; saving writes it', () => {
    const sim = createSimulation(null, { seed: 1 });
    sim.run('echo "replicas: 1" > web.yaml');
    const exec = sim.start('vi web.yaml');
    expect(exec.edit).toMatchObject({ editing: true, path: '/home/learner/web.yaml', content: 'replicas: 1\n' });
    expect(exec.edit!.finish('replicas: 3\n')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(sim.run('cat web.yaml; vim new.yaml; cat new.yaml')).toEqual({ stdout: 'replicas: 3\n', stderr: 'cat: new.yaml: No such file or directory\n', exitCode: 1 });
    expect(sim.run('kubectl get pods 2>/dev/null | less | head -0; echo a | more')).toEqual({ stdout: 'a\n', stderr: '', exitCode: 0 });
  });
});

describe('the simple commands of a history entry', () => {
  it('records each one with its words as typed, its expanded argv and its own status', () => {
    const sim = createSimulation(null, { seed: 1 });
    sim.run('alias k=kubectl');
    const r = sim.run('P=nope; true && false | cat; k get cm "$P" 2>/dev/null; echo $(echo hi) >/dev/null; sh -c "exit 3"; bash -c \'false\' || true');
    expect(r.exitCode).toBe(0);
    const e = sim.history[sim.history.length - 1];
    expect(e.exitCode).toBe(0);
    expect(e.commands).toEqual([
      { text: 'true', exitCode: 0 },
      { text: 'false', exitCode: 1 },
      { text: 'cat', exitCode: 0 },
      // aliases expanded; the text keeps the quotes, argv has the value
      { text: 'kubectl get cm "$P"', argv: ['kubectl', 'get', 'cm', 'nope'], exitCode: 1 },
      // a command substitution runs before the command it is in
      { text: 'echo hi', exitCode: 0 },
      { text: 'echo $(echo hi)', argv: ['echo', 'hi'], exitCode: 0 },
      // sh -c and bash -c on the same host: the script's commands too
      { text: 'sh -c "exit 3"', argv: ['sh', '-c', 'exit 3'], exitCode: 3 },
      { text: 'exit 3', exitCode: 3 },
      // `false` and `true` ran again: their first records stand for them
      { text: "bash -c 'false'", argv: ['bash', '-c', 'false'], exitCode: 1 },
    ]);
  });

  it('records a command a loop repeats once, succeeded if one of its runs did', () => {
    const sim = createSimulation(null, { seed: 1 });
    sim.run('for i in 1 2 3; do test $i = 2; done; for i in 1 2; do test $i = 3; done');
    expect(sim.history[sim.history.length - 1].commands).toEqual([
      { text: 'test $i = 2', argv: ['test', '1', '=', '2'], exitCode: 1 },
      { text: 'test $i = 2', argv: ['test', '2', '=', '2'], exitCode: 0 },
      { text: 'test $i = 2', argv: ['test', '3', '=', '2'], exitCode: 1 },
      { text: 'test $i = 3', argv: ['test', '1', '=', '3'], exitCode: 1 },
      { text: 'test $i = 3', argv: ['test', '2', '=', '3'], exitCode: 1 },
    ]);
    // test fails, succeeds, fails: one record, and it succeeded
    sim.run('for i in 1 2 3; do test -f x && rm x || touch x; done; echo end');
    expect(sim.history[sim.history.length - 1].commands).toEqual([
      { text: 'test -f x', exitCode: 0 },
      { text: 'touch x', exitCode: 0 },
      { text: 'rm x', exitCode: 0 },
      { text: 'echo end', exitCode: 0 },
    ]);
  });

  it('keeps commands of this host only, at most 100 per line, and 130 for one Ctrl+C ended', () => {
    const sim = createSimulation(null, { seed: 1 });
    sim.run('for i in $(seq 1 300); do echo $i; done >/dev/null');
    const loop = sim.history[sim.history.length - 1];
    expect(loop.commands).toHaveLength(100);
    expect(loop.commands![0]).toEqual({ text: 'seq 1 300', exitCode: 0 });
    expect(loop.commands![99]).toEqual({ text: 'echo $i', argv: ['echo', '99'], exitCode: 0 });
    sim.run('ssh node-1 true');
    expect(sim.history[sim.history.length - 1].commands).toEqual([{ text: 'ssh node-1 true', exitCode: 0 }]);
    sim.fs.write({ kind: 'workstation' }, '/home/learner/log', 'one\n');
    const exec = sim.start('true; tail -f log');
    exec.interrupt();
    expect(sim.history[sim.history.length - 1].commands).toEqual([
      { text: 'true', exitCode: 0 },
      { text: 'tail -f log', exitCode: 130 },
    ]);
  });
});

describe('history expansion (interactive bash)', () => {
  it('expands !! !$ !n !prefix and echoes the line; unknown events fail', () => {
    const sim = createSimulation(null, { seed: 1, interactive: true });
    sim.run('echo one two');
    expect(sim.run('!!')).toEqual({ stdout: 'echo one two\none two\n', stderr: '', exitCode: 0 });
    expect(sim.run('echo !$')).toEqual({ stdout: 'echo two\ntwo\n', stderr: '', exitCode: 0 });
    expect(sim.run('!1 three')).toEqual({ stdout: 'echo one two three\none two three\n', stderr: '', exitCode: 0 });
    expect(sim.run("echo '!!' hi!")).toEqual({ stdout: '!! hi!\n', stderr: '', exitCode: 0 });
    expect(sim.run('!nope')).toEqual({ stdout: '', stderr: 'bash: !nope: event not found\n', exitCode: 0 });
    expect(sim.history.map((h) => h.command).slice(1, 4)).toEqual(['echo one two', 'echo two', 'echo one two three']);
    // the sim CLI and the checker are not interactive: no expansion
    const batch = createSimulation(null, { seed: 1 });
    expect(batch.run('echo hi!!')).toEqual({ stdout: 'hi!!\n', stderr: '', exitCode: 0 });
  });
});

describe('background jobs', () => {
  it('run in a subshell right away; an interactive shell announces them', () => {
    const sim = createSimulation(null, { seed: 1, interactive: true });
    expect(sim.run('cd /tmp & pwd')).toEqual({ stdout: '/home/learner\n', stderr: '[1] 4301\n', exitCode: 0 });
    const batch = createSimulation(null, { seed: 1 });
    expect(batch.run('echo bg & echo fg')).toEqual({ stdout: 'bg\nfg\n', stderr: '', exitCode: 0 });
  });
});
