/**
 * crictl exec on a node, pinned whole.
 *
 * Upstream: kubernetes-sigs/cri-tools v1.34.0 cmd/crictl/exec.go (runtimeExecCommand: fewer
 * than two arguments → ShowSubcommandHelp; `execing command in container %s[ synchronously]: %w`;
 * ExecSync's fmt.Println of stdout then stderr; stream(): "tty=true must be specified with
 * interactive=true"), main.go (logrus.Fatal); k8s.io/cri-client v0.34 remote_runtime.go (ExecSync's
 * CodeExitError "command '%s' exited with %v: %s", the klog E-line of internal/log.go:32);
 * client-go tools/remotecommand errorDecoderV4 ("command terminated with exit code %d");
 * containerd internal/cri ("an error occurred when try to find container %q: not found").
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { NODE_SCENARIO } from './runtime-scenario';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

describe('crictl exec', () => {
  it('runs a command in the container an ID prefix names, as kubectl exec does; -s, errors', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const web = sim.run('ssh node-1 crictl ps -q --name nginx').stdout.trim();
    const bb = sim.run('ssh node-1 crictl ps -q --name bb').stdout.trim();
    const lines = [
      `crictl exec ${web.slice(0, 6)} hostname`,
      `crictl exec ${bb.slice(0, 6)} cat /proc/net/route`,
      `crictl exec -s ${bb.slice(0, 6)} hostname`,
      `crictl exec --sync --timeout 5 ${bb.slice(0, 6)} sh -c 'echo oops >&2; exit 3'`,
      `crictl exec ${bb.slice(0, 6)} sh -c 'exit 4'`,
      `crictl exec -t ${bb.slice(0, 6)} sh`,
      `crictl exec --timeout x ${bb.slice(0, 6)} sh`,
      `crictl exec ${bb.slice(0, 6)}`,
      'crictl exec 0000 sh',
      'crictl exec -s 0000 sh',
      'crictl exec --name nginx hostname',
    ];
    golden('node/runtime/crictl-exec.txt', lines.map((l) => `$ ${l}\n` + out(sim.run(`ssh node-1 ${l}`))).join(''));
  });

  it('crictl exec -it ID sh enters the container\'s shell, the same one kubectl exec -it enters', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const bb = sim.run('ssh node-1 crictl ps -q --name bb').stdout.trim();
    const route = sim.run('kubectl exec bb -- cat /proc/net/route').stdout;
    sim.run('ssh node-1');
    expect(out(sim.run(`crictl exec -it ${bb.slice(0, 8)} sh`))).toBe('[exit 0]\n');
    const inside = sim.run('hostname').stdout;
    expect(inside).toBe('bb\n');
    expect(sim.run('cat /proc/net/route').stdout).toBe(route);
    sim.run('exit');
    expect(sim.run('hostname').stdout).toBe('node-1\n');
  });
});
