/**
 * systemctl and journalctl for the kubelet and containerd on a node.
 * Formats: systemd 249 src/systemctl/systemctl-show.c print_status_info, basic/time-util.c
 * format_timestamp / format_timestamp_relative, journalctl's short output and its
 * `-- Journal begins at …, ends at … --` header (logs-show.c, journalctl.c); unknown units
 * as systemctl says them (`Unit foo.service could not be found.`, is-active `inactive`/3).
 * Lines: kubelet's klog header (k8s.io/klog/v2), pkg/kubelet/kubelet.go "SyncLoop ADD",
 * pkg/kubelet/prober/prober.go "Probe failed"; containerd's logrus text line for
 * RunPodSandbox (internal/cri/server/sandbox_run.go). The unit's flags: kubeadm's
 * 10-kubeadm.conf and kubeadm-flags.env.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { scenario } from '../../unit/dns/scenario';
import { golden } from '../../unit/dns/golden';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

const PROBED = `
  - apiVersion: v1
    kind: Pod
    metadata: { name: notready, namespace: default }
    spec:
      nodeName: node-2
      containers:
        - name: app
          image: nginx:1.27
          readinessProbe:
            exec: { command: [sh, -c, "exit 1"] }
            periodSeconds: 10
`;

describe('systemctl and journalctl', () => {
  it('status, is-active and the journal follow the node\'s pods and probe failures', () => {
    const sim = createSimulation(scenario('flannel', PROBED));
    sim.run('sleep 30');
    const lines = [
      'ssh node-2 systemctl status kubelet',
      'ssh node-2 systemctl is-active kubelet containerd',
      'ssh node-2 systemctl is-active docker',
      'ssh node-2 systemctl status docker',
      'ssh node-2 journalctl -u kubelet --no-pager -n 4',
      'ssh node-2 journalctl -u containerd --no-pager',
      'ssh node-2 journalctl -u nope --no-pager',
    ];
    golden('node/systemd/flannel-node-2.txt', lines.map((l) => `$ ${l}\n` + out(sim.run(l))).join(''));
  });
  it('status accounting: Tasks, Memory and CPU are the cgroup\'s processes as ps counts them', () => {
    // systemd 249 systemctl-show.c print_status_info: "Tasks: %" PRIu64 " (limit: %" PRIu64 ")",
    // "Memory: " format_bytes, "CPU: " format_timespan(USEC_PER_MSEC); containerd's cgroup holds its shims
    const sim = createSimulation(scenario('flannel', PROBED));
    sim.run('sleep 30');
    golden('node/systemd/status-containerd.txt', out(sim.run('ssh node-2 systemctl status containerd --no-pager')));
    const status = sim.run('ssh node-2 systemctl status kubelet').stdout;
    const [pid, nlwp, rss] = sim.run('ssh node-2 ps -o pid,nlwp,rss,comm -C kubelet').stdout.split('\n')[1].trim().split(/\s+/).map(Number);
    expect(status).toContain(`Main PID: ${pid} (kubelet)`);
    expect(status).toContain(`Tasks: ${nlwp} (limit: `);
    const mb = (rss * 1024) / 1024 ** 2;
    expect(status).toContain(`Memory: ${Math.floor(mb)}.${Math.floor(mb * 10) % 10}M`);
  });
  it('journalctl -o short-precise: every entry its own microsecond, klog\'s header the same stamp', () => {
    // journalctl's short-precise (logs-show.c output_timestamp_realtime: "%b %d %H:%M:%S" then
    // ".%06lu"); klog's header repeats the entry's time to the microsecond; output_mode_from_string's
    // "Unknown output format '%s'." for a mode systemd 249 lacks
    const sim = createSimulation(scenario('flannel', PROBED));
    sim.run('sleep 30');
    const lines = ['ssh node-2 journalctl -u kubelet --no-pager -o short-precise', 'ssh node-2 journalctl -u kubelet --no-pager -n 2 -o cat', 'ssh node-2 journalctl -u kubelet -o fancy'];
    golden('node/systemd/short-precise.txt', lines.map((l) => `$ ${l}\n` + out(sim.run(l))).join(''));
    const precise = sim.run('ssh node-2 journalctl -u kubelet --no-pager -o short-precise').stdout.split('\n').filter((l) => l.includes('kubelet['));
    const stamps = precise.map((l) => /^\w{3} \d\d (\d\d:\d\d:\d\d\.\d{6}) /.exec(l)![1]);
    expect(new Set(stamps).size).toBe(stamps.length);
    for (const l of precise) expect(l).toContain(` ${/^\w{3} \d\d (\S+)/.exec(l)![1]}    `);
  });
  it('every Pod bound to the node has its SyncLoop ADD, and only those', () => {
    const sim = createSimulation(scenario('flannel', PROBED));
    const journal = sim.run('ssh node-1 journalctl -u kubelet --no-pager').stdout;
    const pods = sim.run("kubectl get pods -A --field-selector spec.nodeName=node-1 -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name} {end}'").stdout.trim().split(' ');
    for (const p of pods) expect(journal).toContain(`"SyncLoop ADD" source="api" pods=["${p}"]`);
    expect(journal).not.toContain('default/notready');
  });
  it('the Main PID is the process ss names as the kubelet\'s and containerd\'s', () => {
    const sim = createSimulation(scenario('flannel'));
    for (const unit of ['kubelet', 'containerd']) {
      const pid = /Main PID: (\d+) /.exec(sim.run(`ssh node-1 systemctl status ${unit}`).stdout)![1];
      expect(sim.run('ssh node-1 ss -tlnp').stdout).toContain(`users:(("${unit}",pid=${pid},`);
    }
  });
  it('a probe failure is in the kubelet\'s journal', () => {
    const sim = createSimulation(scenario('flannel', PROBED));
    sim.run('sleep 30');
    expect(sim.run('ssh node-2 journalctl -u kubelet --no-pager').stdout).toMatch(/kubelet\[\d+\]: I\d{4} [\d:.]+ +\d+ prober\.go:107\] "Probe failed" probeType="Readiness" pod="default\/notready" podUID="[0-9a-f-]+" containerName="app" probeResult="failure" output=""\n/);
  });
});
