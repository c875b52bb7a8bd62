/**
 * The prober's pieces (engine/controllers/prober.ts): a container's `sh -c` script as steps
 * on the clock, exec probes run against the Pod's files with the image's own tool texts
 * (busybox coreutils/cat.c via libbb's "can't open '%s'"; GNU coreutils cat "%s: %s"; busybox
 * ls "x: No such file or directory" exit 1, GNU ls "cannot access 'x'" exit 2), and the
 * probe timers staying bounded while every probe passes.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../../engine';
import { parseScript, scriptSteps } from '../../../engine/controllers/prober';

describe('container scripts', () => {
  it('the Probes page script is three file steps and two sleeps', () => {
    expect(scriptSteps({ name: 'c', args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'] })).toEqual([{ touch: ['/tmp/healthy'] }, { sleep: 30 }, { rm: ['/tmp/healthy'] }, { sleep: 600 }]);
  });

  it('stops at the first command it does not run, and has nothing to do without a file step', () => {
    expect(scriptSteps({ name: 'c', command: ['sh', '-c', 'echo ok > /tmp/ready && nginx -g "daemon off;"; touch /x'] })).toEqual([{ write: '/tmp/ready', text: 'ok\n', append: false }]);
    expect(scriptSteps({ name: 'c', command: ['sh', '-c', 'sleep 3600'] })).toEqual([]);
    expect(scriptSteps({ name: 'c', command: ['sh', '-c', 'while true; do touch /x; sleep 1; done'] })).toEqual([]);
  });

  it('parses operators and quotes; pipes, substitutions and redirections are not modelled', () => {
    expect(parseScript(`test -f '/tmp/a b' && cat /tmp/x || exit 1`)).toEqual([
      { argv: ['test', '-f', '/tmp/a b'], op: ';' },
      { argv: ['cat', '/tmp/x'], op: '&&' },
      { argv: ['exit', '1'], op: '||' },
    ]);
    for (const s of ['cat /x | grep y', 'echo $(date)', 'cat /x > /y', 'ls *', 'echo "unterminated']) expect(parseScript(s)).toBeUndefined();
  });
});

const SCENARIO = `
cluster:
  nodes:
    - { name: node-1, ip: 192.168.49.2 }
`;

function unhealthy(sim: Simulation, pod: string): string[] {
  const r = sim.run(`kubectl get events --field-selector involvedObject.name=${pod},reason=Unhealthy -o jsonpath={.items[*].message}`);
  return r.stdout ? [r.stdout] : [];
}

function probePod(name: string, image: string, command: string[]) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image, command: ['sh', '-c', 'sleep 3600'], readinessProbe: { exec: { command }, periodSeconds: 5 } }] } };
}

describe('exec probes against the Pod files', () => {
  it('busybox and GNU cat and ls print their own errors; a passing probe makes the Pod Ready', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    sim.api.create(probePod('bb-cat', 'busybox:1.36', ['cat', '/tmp/nope']));
    sim.api.create(probePod('deb-cat', 'debian:bookworm-slim', ['cat', '/tmp/nope']));
    sim.api.create(probePod('bb-ls', 'busybox:1.36', ['ls', '/tmp/nope']));
    sim.api.create(probePod('deb-ls', 'debian:bookworm-slim', ['sh', '-c', 'ls /tmp/nope']));
    sim.api.create(probePod('ok', 'busybox:1.36', ['sh', '-c', '[ -d /tmp ] && test ! -e /tmp/nope']));
    sim.advance(12_000);
    expect(unhealthy(sim, 'bb-cat')).toEqual(["Readiness probe failed: cat: can't open '/tmp/nope': No such file or directory\n"]);
    expect(unhealthy(sim, 'deb-cat')).toEqual(['Readiness probe failed: cat: /tmp/nope: No such file or directory\n']);
    expect(unhealthy(sim, 'bb-ls')).toEqual(['Readiness probe failed: ls: /tmp/nope: No such file or directory\n']);
    expect(unhealthy(sim, 'deb-ls')).toEqual(["Readiness probe failed: ls: cannot access '/tmp/nope': No such file or directory\n"]);
    expect(unhealthy(sim, 'ok')).toEqual([]);
    expect(sim.run('kubectl get pod ok -o jsonpath={.status.containerStatuses[0].ready}').stdout).toBe('true');
    expect(sim.run('kubectl get pod bb-cat -o jsonpath={.status.containerStatuses[0].ready}').stdout).toBe('false');
  });

  it('passing probes do not tick: an hour of a hundred probed Pods leaves the kubelet with no probe timers', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    for (let i = 0; i < 100; i++) {
      sim.api.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p${i}` },
        spec: { containers: [{ name: 'c', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 }, livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 } }] },
      });
    }
    sim.advance(3_600_000);
    const timers = (sim.snapshot().modules.kubelet as { timers: { step: string }[] }).timers;
    expect(timers.filter((t) => ['probe', 'liveness', 'startup', 'ready', 'script'].includes(t.step))).toEqual([]);
    expect(sim.run('kubectl get pods --no-headers').stdout.split('\n').filter((l) => l.includes('1/1')).length).toBe(100);
  });
});
