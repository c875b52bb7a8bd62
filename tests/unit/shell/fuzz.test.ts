/**
 * Property test: thousands of random command lines (tokens, quotes, operators,
 * substitutions, redirections, junk, 10,000-character lines) never throw out of
 * `run`, always end with an exit code in 0..255, answer quickly, and leave the shell
 * usable (a known command still prints what it should, on the expected host).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'echo', 'cat', 'ls', 'grep', 'awk', 'sed', 'sort', 'uniq', 'wc', 'head', 'tail', 'cut', 'tr', 'xargs', 'cd', 'pwd',
  'export', 'unset', 'env', 'printf', 'seq', 'exit', 'sh', 'bash', 'ssh', 'node-1', 'history', 'base64', 'column', 'tee',
  'mkdir', 'rm', 'touch', 'true', 'false', 'sleep', 'date', 'which', 'type', 'help', 'hostname', 'whoami', 'clear', 'nope',
  '|', '||', '&&', ';', '&', '>', '>>', '<', '2>', '2>&1', '&>', '<<', '<<-', '<<<', '(', ')', '{', '}', '!', '\n',
  '"', "'", '\\', '`', '$', '$(', '${', '$((', '))', '}', '$?', '$HOME', '$1', '*', '?', '[', ']', '~', '#', '=', 'X=1',
  'if', 'then', 'else', 'fi', 'for', 'in', 'do', 'done', 'while', 'until', 'case', 'esac', ';;', 'function', 'f()', 'f', 'return', 'local',
  'alias', 'x=ls', 'break', 'continue', '{1..3}', 'a{b,c}', 'read', 'test', '[', ']', 'watch', 'sleep 1', 'while true; do', 'done;',
  '-n', '-e', '-c', '-l', '-v', '-k2', '-t:', '-f1', '-d,', '/tmp', '/', '..', 'f.txt', 'EOF', '{print $1}', 's/a/b/g',
  '1', '0', '-1', '999999999999', '%s', '%d', '\x00', '\t', 'é', '😀', '\x1b[31m',
];

function randomLine(r: () => number): string {
  if (r() < 0.02) {
    // a long line of junk
    let s = '';
    while (s.length < 10000) s += String.fromCharCode(32 + Math.floor(r() * 95));
    return s;
  }
  const n = 1 + Math.floor(r() * 12);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(r() < 0.85 ? PIECES[Math.floor(r() * PIECES.length)] : String.fromCharCode(Math.floor(r() * 128)));
  }
  return parts.join(r() < 0.7 ? ' ' : '');
}

describe('random command lines', () => {
  it('never throw, exit in 0..255, and leave the shell usable', () => {
    const r = rng(20250115);
    let sim = createSimulation(null, { seed: 7 });
    const N = 3000;
    let slowest = 0;
    for (let i = 0; i < N; i++) {
      const line = randomLine(r);
      const t0 = performance.now();
      let res;
      try {
        res = sim.run(line);
      } catch (e) {
        throw new Error(`run threw on ${JSON.stringify(line)}: ${(e as Error).stack}`);
      }
      slowest = Math.max(slowest, performance.now() - t0);
      expect(Number.isInteger(res.exitCode), JSON.stringify(line)).toBe(true);
      expect(res.exitCode).toBeGreaterThanOrEqual(0);
      expect(res.exitCode).toBeLessThanOrEqual(255);
      expect(typeof res.stdout).toBe('string');
      expect(typeof res.stderr).toBe('string');
      // needsMoreInput and completion must not throw either
      sim.needsMoreInput(line);
      sim.complete(line, Math.floor(r() * (line.length + 1)));
      if (i % 500 === 499) {
        // the state still round-trips and the shell still works
        const snap = JSON.parse(JSON.stringify(sim.snapshot()));
        sim = (sim.constructor as typeof import('../../../engine').Simulation).restore(snap);
      }
    }
    // get back to the workstation and check the shell answers normally
    for (let k = 0; k < 20 && sim.shell.frames.length > 1; k++) sim.run('exit');
    expect(sim.shell.frames.length).toBe(1);
    expect(sim.prompt()).toMatch(/^learner@workstation:.*\$ $/);
    const ok = sim.run('cd ~ && echo "still $((40+2))" | tr a-z A-Z');
    expect(ok).toEqual({ stdout: 'STILL 42\n', stderr: '', exitCode: 0 });
    expect(sim.history.length).toBeGreaterThan(100);
    expect(slowest).toBeLessThan(2000);
  });

  it('holds inside a busybox container at an interactive terminal too', () => {
    const r = rng(424242);
    const sim = createSimulation(null, { seed: 9, interactive: true });
    sim.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bb', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } });
    const pod = { kind: 'pod' as const, namespace: 'default', pod: 'bb', container: 'c' };
    for (let i = 0; i < 800; i++) {
      if (sim.shell.frames.length === 1) sim.shell.enter(pod, { via: 'kubectl' });
      const line = randomLine(r);
      const exec = sim.start(line);
      // drive it like the terminal: a few steps, then Ctrl+C; close any editor
      for (let k = 0; k < 3 && exec.running; k++) exec.step();
      if (exec.running) exec.interrupt();
      if (exec.edit) exec.edit.finish(r() < 0.5 ? null : 'saved\n');
      exec.takeOutput();
      expect(exec.running).toBe(false);
      expect(exec.exitCode === null || (exec.exitCode >= 0 && exec.exitCode <= 255)).toBe(true);
    }
    for (let k = 0; k < 50 && sim.shell.frames.length > 1; k++) sim.run('exit');
    expect(sim.run('echo ok')).toEqual({ stdout: 'ok\n', stderr: '', exitCode: 0 });
  });

  it('answers 10,000 characters of junk quickly with an error', () => {
    const sim = createSimulation(null, { seed: 1 });
    for (const junk of ['('.repeat(10000), '$('.repeat(5000), '"'.repeat(9999), '|'.repeat(10000), '${'.repeat(5000), "'".repeat(9999), '`'.repeat(9999), ';'.repeat(10000), '<'.repeat(10000)]) {
      const t0 = performance.now();
      const r = sim.run(junk);
      // a hang detector (a quadratic parser takes minutes here), roomy for a loaded CI machine
      expect(performance.now() - t0).toBeLessThan(5_000);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).not.toBe('');
      sim.needsMoreInput(junk);
    }
  });
});
