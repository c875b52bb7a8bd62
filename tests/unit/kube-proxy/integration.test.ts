/**
 * The whole stack: a learner deletes kube-proxy's rule for a Service on the client's node,
 * traffic from the pod times out, and kube-proxy's periodic full sync (syncPeriod 30 s of
 * virtual time) puts the rule back.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { twoNodeWeb } from './fixtures/two-node-web';

const SCENARIO = twoNodeWeb();

describe('iptables -D on a node, traffic, resync', () => {
  it('breaks the Service from that node until kube-proxy resyncs', () => {
    const sim = createSimulation(SCENARIO, { seed: 2 });
    expect(sim.run('kubectl exec client -- wget -qO- -T 2 web').exitCode).toBe(0);
    expect(sim.run('ssh node-1').exitCode).toBe(0);
    const rules = sim.run('iptables -t nat -S KUBE-SERVICES').stdout.split('\n');
    const rule = rules.find((l) => l.includes('"default/web cluster IP"'))!;
    expect(rule).toMatch(/^-A KUBE-SERVICES -d 10\.96\.50\.50\/32 -p tcp -m comment --comment "default\/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-[A-Z2-7]{16}$/);
    expect(sim.run(`iptables -t nat -D ${rule.slice(3)}`).exitCode).toBe(0);
    expect(sim.run('exit').exitCode).toBe(0);
    const broken = sim.run('kubectl exec client -- wget -qO- -T 2 web');
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toContain('wget: download timed out');
    sim.run('sleep 31');
    expect(sim.run('kubectl exec client -- wget -qO- -T 2 web').exitCode).toBe(0);
    sim.run('ssh node-1');
    expect(sim.run('iptables -t nat -S KUBE-SERVICES').stdout.split('\n')).toContain(rule);
  });
});
