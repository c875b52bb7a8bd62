/**
 * crictl pods / ps on a node (cri-tools v1.34 cmd/crictl: sandbox.go OutputPodSandboxes,
 * container.go OutputContainers, display.go newDefaultTableDisplay = tabwriter minwidth 20,
 * padding 3): sandboxes and containers newest first, IDs cut to 13, CREATED from
 * go-units HumanDuration. The container IDs are the kubelet's (status.containerStatuses).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { humanDuration, sandboxId } from '../../../engine/commands/runtime/crictl';

const SCENARIO = `
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: duo }
    spec:
      nodeName: node-2
      containers:
        - { name: web, image: "nginx:1.27" }
        - { name: tools, image: "nicolaka/netshoot:v0.13", command: [sleep, infinity] }
`;

describe('crictl', () => {
  it('lists one sandbox per Pod and the containers inside it', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const pod = sim.get('Pod', 'default', 'duo')!;
    const sb = sandboxId(pod);
    const [web, tools] = pod.status.containerStatuses.map((s: { containerID: string }) => s.containerID.replace('containerd://', ''));
    expect(sim.run('ssh node-2 crictl pods --name duo')).toEqual({
      stdout:
        'POD ID              CREATED             STATE               NAME                NAMESPACE           ATTEMPT             RUNTIME\n' +
        `${sb.slice(0, 13)}       5 minutes ago       Ready               duo                 default             0                   (default)\n`,
      stderr: '',
      exitCode: 0,
    });
    expect(sim.run('ssh node-2 crictl pods --name duo -q').stdout).toBe(`${sb}\n`);
    const ps = sim.run(`ssh node-2 crictl ps --pod ${sb.slice(0, 13)}`).stdout.split('\n');
    expect(ps[0]).toBe('CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID              POD                 NAMESPACE');
    // same start: the ID breaks the tie; the pause container is the sandbox, not a listed container
    expect(ps.slice(1, -1).map((l) => l.split(/\s{2,}/).filter((x) => !/^[0-9a-f]{13}$/.test(x)).join('|')).sort()).toEqual([
      '5 minutes ago|Running|tools|0|duo|default',
      '5 minutes ago|Running|web|0|duo|default',
    ]);
    expect(ps.slice(1, -1).map((l) => l.slice(0, 13)).sort()).toEqual([web.slice(0, 13), tools.slice(0, 13)].sort());
    // no such sandbox
    expect(sim.run('ssh node-2 crictl ps --pod ffffffffffff').exitCode).toBe(1);
    // the tool is on nodes, not on the workstation; unmodeled subcommands say so
    expect(sim.run('crictl pods').exitCode).toBe(127);
    expect(sim.run('ssh node-2 crictl stats')).toEqual({ stdout: '', stderr: 'crictl: "crictl stats" is not modeled by this simulated cluster (pods, ps, exec, inspect, inspectp, logs, images and version are)\n', exitCode: 1 });
    expect(sim.run('ssh node-2 cat /etc/crictl.yaml').stdout).toBe('runtime-endpoint: unix:///run/containerd/containerd.sock\n');
  });

  it('keeps an exited run of a crash-looping container listed with -a', () => {
    const sim = createSimulation(`
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: shop }
    spec:
      nodeName: node-1
      containers:
        - { name: docs, image: "httpd:2.4" }
        - { name: web, image: "nginx:1.27" }
`, { seed: 1 });
    expect(sim.run('ssh node-1 crictl ps --name web').stdout.split('\n')).toHaveLength(2);
    const all = sim.run('ssh node-1 crictl ps -a --name web').stdout.split('\n');
    expect(all[1]).toMatch(/^[0-9a-f]{13} {7}[0-9a-f]{13} {7}2 minutes ago {7}Exited {14}web {17}5 {19}[0-9a-f]{13} {7}shop {16}default$/);
  });

  it('says durations the way docker/go-units does', () => {
    expect([0, 1000, 59_000, 60_000, 119_000, 3_540_000, 5_400_000, 47 * 3600_000, 5 * 86400_000, 20 * 86400_000, 90 * 86400_000, 800 * 86400_000].map(humanDuration)).toEqual([
      'Less than a second', '1 second', '59 seconds', 'About a minute', 'About a minute', '59 minutes', '2 hours', '47 hours', '5 days', '2 weeks', '3 months', '2 years',
    ]);
  });
});
