/**
 * ss -p run by root on a node inside a Pod's network namespace (`ip netns exec cni-… ss
 * -ltnp`, `nsenter -t PID -n ss -ltnp`): the sockets are the Pod's, /proc is the node's, so
 * the Process column names every process holding the listening descriptor by its node PID —
 * nginx's master and its workers, highest PID first (iproute2 5.15 misc/ss.c:
 * user_ent_hash_build walks /proc/PID/fd and user_ent_add pushes each entry onto the
 * inode's list; print_sock_users / find_entry print `("COMM",pid=N,fd=N)` joined by `,`
 * inside `users:(…)`). Inside the container (kubectl exec) the same socket shows the
 * container's own PID namespace; without -p no process at all.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { NODE_SCENARIO } from './runtime-scenario';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

describe('ss -p in a Pod network namespace from the node', () => {
  it('names the Pod\'s processes by their node PIDs, through ip netns exec and nsenter alike', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const master = sim.run('ssh node-1 pgrep -f "nginx: master"').stdout.trim();
    const nginx = sim.run('ssh node-1 pgrep -x nginx').stdout.trim().split('\n').map(Number);
    const web = sim.get('Pod', 'default', 'web')!;
    const netns = sim.run('ssh node-1 ip netns').stdout.split('\n').map((l) => l.split(' ')[0]).filter(Boolean)
      .find((n) => sim.run(`ssh node-1 ip netns exec ${n} ip -br addr show eth0`).stdout.includes(`${web.status.podIP}/`))!;
    const lines = [
      `ssh node-1 pgrep -a nginx`,
      `ssh node-1 ip netns exec ${netns} ss -ltnp`,
      `ssh node-1 nsenter -t ${master} -n ss -ltnp`,
      `ssh node-1 nsenter -t ${master} -n ss -ltn`,
    ];
    const text = lines.map((l) => `$ ${l}\n` + out(sim.run(l))).join('');
    golden('node/runtime/ss-netns.txt', text);
    // every nginx process on the node holds the socket, the highest PID first
    const users = [...nginx].sort((a, b) => b - a).map((p) => `("nginx",pid=${p},fd=3)`).join(',');
    expect(sim.run(`ssh node-1 ip netns exec ${netns} ss -ltnp`).stdout).toContain(`users:(${users})`);
    expect(sim.run(`ssh node-1 nsenter -t ${master} -n ss -ltnp`).stdout).toBe(sim.run(`ssh node-1 ip netns exec ${netns} ss -ltnp`).stdout);
  });
});
