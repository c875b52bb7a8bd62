/**
 * Issue 13 item 2: a command line that would not end, or prints too much, is stopped by
 * its budget (engine/shell/budget.ts) the way Ctrl+C stops it: what was printed stays, one
 * `netlab:` line says why, the status is 130, and the next line answers normally.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { err, out, run, sim } from './helpers';

const STEPS = 'netlab: stopped after 1,000,000 steps: this command line would not end (press ↑ to edit it)\n';
const BYTES = 'netlab: stopped after 64,000,000 bytes of output: this command line printed too much (press ↑ to edit it)\n';

describe('the budget of a command line', () => {
  it.each([
    'while true; do :; done',
    'until false; do :; done',
    'for i in $(seq 2000000); do :; done',
    'seq 100000000 | head -3',
    'echo {1..1000}{1..1000}{1..10} | wc -c',
    "sh -c 'while :; do :; done'",
  ])('%s stops with the message and status 130, then echo ok answers', (line) => {
    const s = sim();
    expect(run(s, line)).toEqual(err(STEPS, 130));
    expect(run(s, 'echo $?')).toEqual(out('130\n'));
    expect(run(s, 'echo ok')).toEqual(out('ok\n'));
  });
  it('what was printed before the budget ran out stays; the rest of the line is abandoned', () => {
    const s = sim();
    expect(run(s, 'echo before; while :; do :; done; echo never')).toEqual(err(STEPS, 130, 'before\n'));
    expect(run(s, 'echo ok')).toEqual(out('ok\n'));
  });
  it('a line that prints too much stops with its own message', () => {
    const s = sim();
    expect(run(s, "x=$(printf '%04000d' 0); while :; do echo $x; done | wc -l")).toEqual(err(BYTES, 130));
    expect(run(s, 'echo ok')).toEqual(out('ok\n'));
  });
  it('what reaches the terminal stops at 10 MB, while pipes may carry more', () => {
    const s = sim();
    // 3,000 lines of 4,001 bytes: 12 MB through a pipe is fine; the same straight to the terminal is not
    expect(run(s, "x=$(printf '%04000d' 0); for i in $(seq 3000); do echo $x; done | wc -l")).toEqual(out('3000\n'));
    // one command's 11 MB at once: the whole lines within 10 MB are shown, then the line stops
    const big = run(s, "printf '%09999d\\n' $(seq 1100)");
    expect([big.stdout.length, big.exitCode]).toEqual([1000 * 10_000, 130]);
    const r = run(s, "x=$(printf '%04000d' 0); for i in $(seq 3000); do echo $x; done");
    expect(r.exitCode).toBe(130);
    // the whole lines that fit: 2,499 of them
    expect(r.stdout.length).toBe(2499 * 4001);
    expect(r.stdout.endsWith('0\n')).toBe(true);
    expect(r.stderr).toBe('netlab: stopped after 10,000,000 bytes of output: this command line printed too much (press ↑ to edit it)\n');
    expect(run(s, 'echo ok')).toEqual(out('ok\n'));
  });
  it("printf '%s\\n' {1..300000} | wc -l counts them all (within the budget)", () => {
    expect(run(sim(), "printf '%s\\n' {1..300000} | wc -l")).toEqual(out('300000\n'));
  });
  it('yes does not exist here', () => {
    expect(run(sim(), 'yes | head -3')).toEqual(err('bash: yes: command not found\n', 0));
  });
  it('the terminal shows the message and ends the Execution with 130', () => {
    const s = createSimulation(null, { seed: 1 });
    const exec = s.start('echo a; while true; do :; done');
    expect(exec.running).toBe(false);
    expect(exec.exitCode).toBe(130);
    expect(exec.takeOutput()).toEqual([{ stream: 'stdout', text: 'a\n' }, { stream: 'stderr', text: STEPS }]);
  });
  it('a paced loop at the terminal starts a fresh budget each round and runs until Ctrl+C', () => {
    const s = createSimulation(null, { seed: 1 });
    // each round does ~0.6 of the budget of work, then sleeps: the terminal paces it
    const exec = s.start('while true; do for i in $(seq 20000); do :; done; echo round; sleep 1; done');
    for (let i = 0; i < 3; i++) {
      expect(exec.running).toBe(true);
      exec.step();
    }
    exec.interrupt();
    expect(exec.exitCode).toBe(130);
    expect(exec.takeOutput().map((c) => c.text).join('')).toBe('round\n'.repeat(4));
  });
});
