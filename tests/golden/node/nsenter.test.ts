/**
 * nsenter on a node (util-linux 2.37.2 sys-utils/nsenter.c): into a Pod sandbox's network
 * namespace by a process's PID (`-t PID -n`) or by the netns file containerd bind-mounts
 * (`--net=/var/run/netns/cni-…`), the node's own binaries running there as `ip netns exec`
 * runs them; `-m`/`-a` into a container's mount namespace, where its image's tools run; and
 * nsenter's errors (open_target_fd's `cannot open /proc/N/ns/net`, `neither filename nor
 * target pid supplied for ns/net`, `no target PID specified for --all`, strtoul_or_err's
 * `failed to parse pid`, errexec's `failed to execute` with status 127, getopt's `invalid
 * option`).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { NODE_SCENARIO } from './runtime-scenario';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

describe('nsenter', () => {
  it('runs the node\'s tools in a Pod\'s network namespace and a container\'s in its mount namespace', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const master = sim.run('ssh node-1 pgrep -f "nginx: master"').stdout.trim();
    const pause = sim.run(`ssh node-1 ps -o ppid= -p ${master}`).stdout.trim();
    const sleeper = sim.run('ssh node-1 pgrep -x sleep').stdout.trim();
    const podPause = sim.run(`ssh node-1 ps --ppid ${sim.run(`ssh node-1 ps -o ppid= -p ${sleeper}`).stdout.trim()} -o pid= -o comm=`).stdout.split('\n').find((l) => l.endsWith('pause'))!.trim().split(/\s+/)[0];
    const web = sim.get('Pod', 'default', 'web')!;
    const netns = JSON.parse(sim.run(`ssh node-1 crictl inspectp ${sim.run('ssh node-1 crictl pods -q --name web').stdout.trim()}`).stdout).info.runtimeSpec.linux.namespaces.find((n: { type: string }) => n.type === 'network').path;
    const lines = [
      `nsenter -t ${master} -n ip -br addr`,
      `nsenter --target ${podPause} --net ip route`,
      `nsenter --net=${netns} ip -br addr`,
      `nsenter -n${netns} ss -tln`,
      `nsenter -t 1 -n ip -br link show eth0`,
      `nsenter -t ${master} -m -n cat /etc/hostname`,
      `nsenter -t ${sleeper} -a hostname`,
      `nsenter -t ${sleeper} -a ls /no/such`,
      `nsenter -t ${master} -m ip addr`,
      `nsenter -t ${pause} -n nosuchtool`,
      'nsenter -t 999999 -n ip addr',
      'nsenter -t 999999 -a true',
      'nsenter -n ip addr',
      'nsenter -a true',
      'nsenter -t web -n true',
      'nsenter --net=/var/run/netns/cni-nope ip addr',
      'nsenter -q',
    ];
    const text = lines.map((l) => `$ ${l}\n` + out(sim.run(`ssh node-1 ${l}`))).join('');
    golden('node/runtime/nsenter.txt', text);
    expect(text).toContain(`${web.status.podIP}/32`);
  });

  it('is the same namespace ip netns exec enters', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const master = sim.run('ssh node-1 pgrep -f "nginx: master"').stdout.trim();
    const netns = sim.run('ssh node-1 ip netns').stdout.split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
    const viaPid = sim.run(`ssh node-1 nsenter -t ${master} -n ip addr`).stdout;
    expect(netns.filter((n) => sim.run(`ssh node-1 ip netns exec ${n} ip addr`).stdout === viaPid)).toHaveLength(1);
  });
});
