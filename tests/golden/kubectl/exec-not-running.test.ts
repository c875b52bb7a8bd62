/**
 * `kubectl exec` into a container that is not running: the kubelet looks the container up
 * among the runtime's running containers (pkg/kubelet/kubelet_pods.go findContainer → GetExec)
 * and answers `container not found ("NAME")`, which kubectl prints after "unable to upgrade
 * connection" (the SPDY/websocket upgrade the kubelet refused). A CrashLoopBackOff container
 * is waiting between restarts, so exec fails until it runs again.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';

describe('kubectl exec into a container that is not running', () => {
  it('a netshoot Pod without a command crash-loops; exec says container not found, exit 1', () => {
    const sim = createSimulation(null, { seed: 1 });
    expect(sim.run('kubectl run probe --image=nicolaka/netshoot').stdout).toBe('pod/probe created\n');
    sim.run('sleep 120');
    expect(sim.run('kubectl get pod probe -o jsonpath={.status.containerStatuses[0].state.waiting.reason}').stdout).toBe('CrashLoopBackOff');
    expect(sim.run('kubectl exec probe -- ip -br addr')).toEqual({ stdout: '', stderr: 'error: unable to upgrade connection: container not found ("probe")\n', exitCode: 1 });
  });

  it('the same image kept running with a command answers', () => {
    const sim = createSimulation(null, { seed: 1 });
    sim.run('kubectl run probe --image=nicolaka/netshoot --command -- sleep infinity');
    sim.run('sleep 30');
    const r = sim.run('kubectl exec probe -- hostname');
    expect([r.stdout, r.exitCode]).toEqual(['probe\n', 0]);
  });
});
