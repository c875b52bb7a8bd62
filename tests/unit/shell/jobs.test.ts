/**
 * Job control at an interactive terminal (engine/shell/jobs.ts, commands/text/jobs.ts): a
 * streaming command started with `&` keeps running between command lines. bash's texts
 * (jobs.c pretty_print_job, builtins/jobs.def, kill.def, wait.def).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../../engine';
import { SCENARIO } from '../../golden/tcpdump/scenario';

function term(interactive: boolean): Simulation {
  return createSimulation(SCENARIO, { seed: 7, interactive });
}

function line(sim: Simulation, text: string, steps = 0): { out: string; code: number | null } {
  const ex = sim.start(text);
  let n = 0;
  while (ex.running && n++ < steps) ex.step();
  if (ex.running) ex.interrupt();
  return { out: ex.takeOutput().map((c) => c.text).join(''), code: ex.exitCode };
}

describe('background jobs', () => {
  it('a job streams after each line; jobs, kill and the Terminated notice', () => {
    const sim = term(true);
    expect(line(sim, 'ssh node-1').code).toBe(0);
    const start = line(sim, 'tcpdump -nn -i tunl0 icmp &');
    expect(start).toEqual({ out: '[1] 4302\ntcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on tunl0, link-type RAW (Raw IP), snapshot length 262144 bytes\n', code: 0 });
    expect(line(sim, 'jobs')).toEqual({ out: '[1]+  Running                 tcpdump -nn -i tunl0 icmp &\n', code: 0 });
    expect(line(sim, 'jobs -p').out).toBe('4302\n');
    const ping = line(sim, 'ping -c 1 10.244.0.67');
    // ping's own output, then what the job captured while the line ran
    expect(ping.out).toMatch(/1 packets transmitted, 1 received, 0% packet loss[\s\S]*\n\d\d:\d\d:\d\d\.\d{6} IP 192\.168\.49\.2 > 10\.244\.0\.67: ICMP echo request, id \d+, seq 1, length 64\n\d\d:\d\d:\d\d\.\d{6} IP 10\.244\.0\.67 > 192\.168\.49\.2: ICMP echo reply, id \d+, seq 1, length 64\n$/);
    // on eth0 the same echo is IPIP between the nodes: an `icmp` filter does not see inside it
    expect(line(sim, 'tcpdump -nn -i eth0 -c 1 icmp', 1).out).toBe('tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n\n0 packets captured\n0 packets received by filter\n0 packets dropped by kernel\n');
    expect(line(sim, 'kill %1')).toEqual({ out: '\n2 packets captured\n2 packets received by filter\n0 packets dropped by kernel\n[1]+  Terminated              tcpdump -nn -i tunl0 icmp\n', code: 0 });
    expect(line(sim, 'jobs')).toEqual({ out: '', code: 0 });
    expect(line(sim, 'kill %1')).toEqual({ out: 'bash: kill: %1: no such job\n', code: 1 });
    expect(line(sim, 'kill 4302')).toEqual({ out: 'bash: kill: (4302) - No such process\n', code: 1 });
    expect(line(sim, 'kill')).toEqual({ out: 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n', code: 2 });
  });

  it('fg brings a job to the foreground: its command line, then Ctrl+C ends it', () => {
    const sim = term(true);
    line(sim, 'ssh node-1');
    line(sim, 'tcpdump -nn -i tunl0 &');
    expect(line(sim, 'fg', 1)).toEqual({ out: 'tcpdump -nn -i tunl0\n\n0 packets captured\n0 packets received by filter\n0 packets dropped by kernel\n', code: 0 });
    expect(line(sim, 'fg')).toEqual({ out: 'bash: fg: current: no such job\n', code: 1 });
  });

  it('wait lets a counted capture finish; kill -9 prints nothing of the job; leaving the shell hangs its jobs up', () => {
    const sim = term(true);
    line(sim, 'ssh node-1');
    line(sim, 'tcpdump -nn -c 1 -i eth0 &');
    line(sim, 'tcpdump -nn -i any &');
    const w = line(sim, 'kill -9 %2');
    expect(w.out).toBe('[2]+  Killed                  tcpdump -nn -i any\n');
    expect(line(sim, 'jobs').out).toBe('[1]+  Running                 tcpdump -nn -c 1 -i eth0 &\n');
    // wait blocks while the job has nothing to count; Ctrl+C ends the wait, not the job
    expect(line(sim, 'wait', 2)).toEqual({ out: '', code: 130 });
    const ping = line(sim, 'ping -c 1 192.168.49.3');
    expect(ping.out).toMatch(/ IP 192\.168\.49\.2 > 192\.168\.49\.3: ICMP echo request, id \d+, seq 1, length 64\n1 packet captured\n2 packets received by filter\n0 packets dropped by kernel\n\[1\]\+  Done                    tcpdump -nn -c 1 -i eth0\n$/);
    line(sim, 'tcpdump -nn -i any &');
    line(sim, 'exit');
    line(sim, 'ssh node-1');
    expect(line(sim, 'jobs').out).toBe('');
  });

  it('without a terminal (sim, the checker) `&` runs the job to its end on its line, as before', () => {
    const sim = term(false);
    const r = sim.run('ssh node-1 tcpdump -nn -i eth0 & echo after');
    expect(r.stdout).toBe('\nafter\n');
    expect(r.stderr).toBe('tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n0 packets captured\n0 packets received by filter\n0 packets dropped by kernel\n');
  });
});
