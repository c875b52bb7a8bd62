/**
 * Issue 13: durations a learner can type that used to push the virtual clock past the
 * range of Dates. Each tool answers as the real one does (coreutils 9 src/sleep.c and
 * src/timeout.c parse_duration; curl 8.5 src/tool_paramhlp.c secs2ms/str2double and
 * src/tool_helpers.c param2text), a wait too long to jump streams until Ctrl+C, and
 * afterwards the cluster still answers with finite ages.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { err, out, run, sim } from './helpers';

const curlErr = (opt: string, why: string) => err(`curl: option ${opt}: ${why}\ncurl: try 'curl --help' or 'curl --manual' for more information\n`, 2);

describe('sleep reads durations as coreutils does', () => {
  it('sums hexadecimal, exponent and suffixed operands', () => {
    expect(run(sim(), 'sleep 0x10 1.5m 1e1; date +%T')).toEqual(out('09:01:57\n'));
  });
  it.each(['nan', '-1', '1x', '1ss', ''])('refuses %j', (a) => {
    expect(run(sim(), `sleep '${a}'`)).toEqual(err(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`, 1));
  });
  it.each(['inf', 'infinity', '1e400', '1e308d', '400d'])('sleep %s waits until Ctrl+C (130), the clock one second a step', (a) => {
    const s = sim();
    expect(run(s, `sleep ${a}; echo never`)).toEqual(out('', 130));
    expect(run(s, 'date +%T')).toEqual(out('09:00:07\n')); // 5 steps + a second for each line
  });
  it('a long sleep in the terminal streams and Ctrl+C ends it', () => {
    const s = createSimulation(null, { seed: 1 });
    const exec = s.start('sleep inf; echo never');
    expect(exec.running).toBe(true);
    expect(exec.intervalMs).toBe(1000);
    for (let i = 0; i < 3; i++) exec.step();
    exec.interrupt();
    expect(exec.takeOutput()).toEqual([]);
    expect(exec.exitCode).toBe(130);
    expect(s.run('date +%T').stdout).toBe('09:00:05\n'); // 3 steps + a second for each line
  });
  it('up to a year is still one jump', () => {
    expect(run(sim(), 'sleep 365d; date +%F')).toEqual(out('2026-01-15\n'));
  });
});

describe('timeout reads durations as coreutils does', () => {
  it.each(['nan', '1x', '-inf'])('refuses %j with 125', (a) => {
    expect(run(sim(), `timeout -- '${a}' true`)).toEqual(err(`timeout: invalid time interval '${a}'\nTry 'timeout --help' for more information.\n`, 125));
  });
  it('accepts inf and overflowing limits: a timer that never fires', () => {
    expect(run(sim(), 'timeout inf echo hi')).toEqual(out('hi\n'));
    expect(run(sim(), 'timeout 1e400 true; echo $?')).toEqual(out('0\n'));
    expect(run(sim(), 'timeout 100000000d ping -c 1 10.96.0.1 >/dev/null; echo $?')).toEqual(out('1\n'));
  });
  it('stops a streaming command when a short limit passes (124)', () => {
    expect(run(sim(), 'timeout 5 sleep inf; echo $?; date +%T')).toEqual(out('124\n09:00:06\n'));
  });
  it('a sleep longer than the limit is killed at the limit: 124, or 128+signal (coreutils timeout.c)', () => {
    expect(run(sim(), 'timeout 5 sleep 10; echo $?; date +%T')).toEqual(out('124\n09:00:06\n'));
    expect(run(sim(), 'timeout 10 sleep 1; echo $?; date +%T')).toEqual(out('0\n09:00:02\n'));
    expect(run(sim(), 'timeout -s KILL 1 sleep 5; echo $?')).toEqual(out('137\n'));
    expect(run(sim(), 'timeout --preserve-status 1 sleep 5; echo $?')).toEqual(out('143\n'));
    expect(run(sim(), 'timeout --signal=INT --preserve-status 1 sleep 5; echo $?')).toEqual(out('130\n'));
    // the outer limit fires first: the inner timeout dies with its command
    expect(run(sim(), 'timeout 2 timeout 10 sleep 5; echo $?; date +%T')).toEqual(out('124\n09:00:03\n'));
    expect(run(sim(), 'timeout -s FOO 1 sleep 5')).toEqual(err("timeout: FOO: invalid signal\nTry 'timeout --help' for more information.\n", 125));
  });
  it('a script under a limit is killed with it: sh -c, a loop; 0 disables the limit', () => {
    expect(run(sim(), 'timeout 2 sh -c "sleep 1; echo one; sleep 1; echo no"; echo $?; date +%T')).toEqual(out('one\n124\n09:00:03\n'));
    // the third sleep would end just as the signal comes: the signal wins, as it does for real
    expect(run(sim(), 'timeout 3 bash -c "for i in 1 2 3 4 5; do echo \\$i; sleep 1; done"; echo $?')).toEqual(out('1\n2\n3\n124\n'));
    expect(run(sim(), 'timeout 5 sh -c "sleep 1; exit 3"; echo $?')).toEqual(out('3\n'));
    expect(run(sim(), 'timeout 0 sleep 3; echo $?; date +%T')).toEqual(out('0\n09:00:04\n'));
  });
  it('under a long limit a streaming command streams on, and Ctrl+C reaches it', () => {
    const s = sim();
    const r = run(s, 'timeout 100000000d ping 10.96.0.1');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^PING 10\.96\.0\.1 .*\n\n--- 10\.96\.0\.1 ping statistics ---\n6 packets transmitted, 0 received, 100% packet loss, time 500\dms\n$/);
    expect(run(s, 'date +%F')).toEqual(out('2025-01-15\n'));
  });
});

describe('curl --max-time / --connect-timeout (curl 8.5 secs2ms)', () => {
  it.each([
    ['--max-time', '1e308', 'too large number'],
    ['-m', '1e400', 'too large number'],
    ['-m', 'inf', 'too large number'],
    ['-m', '9.3e15', 'too large number'],
    ['-m', '1e-400', 'too large number'],
    ['--connect-timeout', '1e308', 'too large number'],
    ['-m', '-1', 'expected a positive numerical parameter'],
    ['-m', '-inf', 'expected a positive numerical parameter'],
    ['-m', 'nan', 'expected a proper numerical parameter'],
    ['-m', '2x', 'expected a proper numerical parameter'],
  ])('%s %s: %s', (opt, v, why) => {
    expect(run(sim(), `curl ${opt} ${v} http://10.96.0.1`)).toEqual(curlErr(opt, why));
  });
  it('a limit longer than the kernel SYN retries: the kernel gives up first', () => {
    const r = run(sim(), 'curl -sS -m 9e15 http://10.96.0.1');
    expect(r).toEqual(err(expect.stringMatching(/^curl: \(28\) Failed to connect to 10\.96\.0\.1 port 80 after 12\d{4} ms: Couldn't connect to server\n$/) as unknown as string, 28));
  });
});

describe('after any hostile duration the cluster still answers', () => {
  const lines = [
    'sleep inf', 'sleep 1e308d', 'timeout 100000000d ping 10.96.0.1', 'timeout inf sleep inf',
    'curl --max-time 1e308 http://10.96.0.1', 'curl -m 9e15 http://10.96.0.1', 'curl --connect-timeout 9e15 http://10.96.0.1',
    'wget -T 100000000000 http://10.96.0.1', 'nc -w 100000000000 10.96.0.1 80', 'ping -c 1 -W 1e308 10.96.0.1',
  ];
  it.each(lines)('%s', (line) => {
    const s = sim();
    run(s, 'kubectl run t --image=busybox:1.36 --restart=Never -- sleep 3600', 'sleep 5');
    s.run(line);
    const r = s.run('kubectl get pods');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE\nt +\d\/1 +\w+ +\d+ +(\d+[smhdy])+\n$/);
    expect(s.run('date').stdout).toMatch(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC (2025|2026|2125)\n$/);
    expect(s.clock.now()).toBeLessThanOrEqual(s.clock.horizon);
  });
});
