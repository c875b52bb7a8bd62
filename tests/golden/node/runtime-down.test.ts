/**
 * A node whose containerd stops (`systemctl stop containerd`), then starts again.
 * Upstream:
 * - containerd's containerd.service (ExecStartPre=-/sbin/modprobe overlay, Type=notify,
 *   KillMode=process, TasksMax=infinity): SIGTERM reaches containerd alone, its
 *   containerd-shim-runc-v2 processes and the containers they hold keep running; systemd 249
 *   src/core/unit.c ("Unit process %d (%s) remains running after unit stopped.", log_leftover's
 *   "Found left-over process … Ignoring.\nThis usually indicates …"), journalctl output.c
 *   print_multiline (a message's second line indented under its first), systemctl-show.c
 *   print_status_info (Process: lines, code=exited status=0/SUCCESS, activating (auto-restart)).
 * - cri-tools v1.34 vendor/k8s.io/cri-client/pkg/remote_runtime.go and remote_image.go
 *   ("validate service connection: %w", "validate CRI v1 runtime API for endpoint %q: %w"),
 *   grpc-go internal/transport/http2_client.go ("transport: Error while dialing: %v") and
 *   transport.go ConnectionError ("connection error: desc = %q"); crictl's logrus.Fatal.
 * - kubernetes v1.34 pkg/kubelet/runtime.go runtimeErrors ("container runtime is down" once
 *   the last good updateRuntimeUp is maxWaitForContainerRuntime, 30 s, old; "%s is not
 *   healthy: %v" for the PLEG), pkg/kubelet/pleg/generic.go Healthy ("pleg was last seen
 *   active %v ago; threshold is %v", genericPlegRelistThreshold 3 min), nodestatus/setters.go
 *   ReadyCondition (KubeletNotReady, utilerrors.NewAggregate's "[a, b]"), kubelet.go syncLoop
 *   ("Skipping pod synchronization", back-off 100 ms → 5 s) and updateRuntimeUp ("Container
 *   runtime sanity check failed"), findContainer → GetPods (exec: the kubelet's 500 and
 *   client-go's spdy "unable to upgrade connection: %s"), kuberuntime GetContainerLogs ("unable
 *   to retrieve container logs for %v", a 400 the API server passes on as BadRequest),
 *   cmd/kubelet via component-base cli/run.go ("command failed" err="failed to run Kubelet: …"),
 *   pkgs.k8s.io kubelet.service (Restart=always, RestartSec=10).
 * - pkg/controller/nodelifecycle: a Ready=False the kubelet posts gets NodeNotReady and
 *   MarkPodsNotReady at the next pass, the not-ready taints after.
 */
import { describe, expect, it } from 'vitest';
import { Simulation, createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { SCENARIO, transcript, webOn } from './outage-scenario';

const READY = `kubectl get node node-1 -o jsonpath='{range .status.conditions[?(@.type=="Ready")]}{.status} {.reason} {.message} {.lastTransitionTime}{end}'`;

describe('a node whose containerd stops', () => {
  it('keeps its containers, loses crictl, exec and logs, goes NotReady after 30 s and reports the PLEG after 3 min', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const lost = webOn(sim, 'node-1');
    const ip = sim.run(`kubectl get pod ${lost} -o jsonpath={.status.podIP}`).stdout;
    let t = transcript(sim, [
      'ssh node-1 sudo systemctl stop containerd',
      'ssh node-1 systemctl status containerd',
      'ssh node-1 systemctl is-active containerd',
      'ssh node-1 crictl ps',
      'ssh node-1 crictl images',
      'ssh node-1 pgrep -a containerd',
      `kubectl exec client -- curl -s --max-time 2 ${ip}:9376`,
      `kubectl exec ${lost} -- hostname`,
      `kubectl logs ${lost}`,
      READY,
      'sleep 40',
      'kubectl get nodes',
      READY,
      'kubectl get events --field-selector involvedObject.kind=Node',
      'ssh node-1 journalctl -u kubelet --no-pager -n 6',
      `kubectl run late --image=busybox:1.36 --overrides='{"spec":{"nodeName":"node-1"}}' -- sleep 3600`,
      'sleep 180',
      READY,
      'kubectl get pods -o wide',
    ]);
    t += transcript(sim, ['ssh node-1 sudo systemctl start containerd', 'kubectl get nodes', READY, 'sleep 10', 'kubectl get pods -o wide', 'ssh node-1 journalctl -u containerd --no-pager -n 11', 'ssh node-1 crictl ps --name hostname']);
    golden('node/runtime-down/stop-start.txt', t);
  });

  it('a kubelet restarted meanwhile cannot start: it fails its CRI validation every 10 s until containerd is back', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    sim.run('ssh node-1 sudo systemctl stop containerd');
    sim.run('sleep 60');
    const t = transcript(sim, ['ssh node-1 sudo systemctl restart kubelet', 'sleep 25', 'ssh node-1 systemctl status kubelet', 'ssh node-1 systemctl is-active kubelet', 'ssh node-1 ss -tlnp', 'ssh node-1 sudo systemctl start containerd', 'ssh node-1 systemctl is-active kubelet containerd', 'kubectl get nodes']);
    golden('node/runtime-down/kubelet-restart-loop.txt', t);
  });

  it('systemctl restart containerd: the node stays Ready, containerd is a new process, the shims are the same', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const shims = sim.run('ssh node-1 pgrep -f containerd-shim').stdout;
    const before = sim.run('ssh node-1 pidof containerd').stdout;
    expect(sim.run('ssh node-1 sudo systemctl restart containerd').exitCode).toBe(0);
    const after = sim.run('ssh node-1 pidof containerd').stdout;
    expect(after).not.toBe(before);
    expect(sim.run('ssh node-1 pgrep -f containerd-shim').stdout).toBe(shims);
    expect(sim.run('ssh node-1 systemctl status containerd').stdout).toContain(`Main PID: ${after.trim()} (containerd)`);
    expect(sim.run(`ssh node-1 ss -tlnp`).stdout).toContain(`users:(("containerd",pid=${after.trim()},fd=10))`);
    sim.run('sleep 300');
    expect(sim.run(`kubectl get node node-1 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`).stdout).toBe('True');
    expect(sim.run('kubectl get events -A --field-selector reason=NodeNotReady -o name').stdout).toBe('');
  });

  it('new Pods there wait, deleted ones stay Terminating, until containerd is back', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    sim.run('ssh node-1 sudo systemctl stop containerd');
    sim.run(`kubectl run late --image=busybox:1.36 --overrides='{"spec":{"nodeName":"node-1"}}' -- sleep 3600`);
    const lost = webOn(sim, 'node-1');
    sim.run(`kubectl delete pod ${lost} --wait=false`);
    sim.run('sleep 120');
    expect(sim.run('kubectl get pod late -o jsonpath={.status.phase}').stdout).toBe('Pending');
    expect(sim.run('kubectl get pod late -o jsonpath={.status.containerStatuses}').stdout).toBe('');
    expect(sim.run(`kubectl get pod ${lost} -o jsonpath={.metadata.deletionTimestamp}`).stdout).not.toBe('');
    sim.run('ssh node-1 sudo systemctl start containerd');
    sim.run('sleep 60');
    expect(sim.run('kubectl get pod late -o jsonpath={.status.phase}').stdout).toBe('Running');
    expect(sim.run(`kubectl get pod ${lost}`).exitCode).toBe(1);
  });

  it('the node controller marks the Pods not ready; the kubelet puts Ready back only once its sync loop runs again', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const lost = webOn(sim, 'node-1');
    const ready = () => sim.run(`kubectl get pod ${lost} -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`).stdout;
    sim.run('ssh node-1 sudo systemctl stop containerd');
    sim.run('sleep 60');
    expect(ready()).toBe('False');
    expect(sim.run(`kubectl get events --field-selector involvedObject.name=${lost},reason=NodeNotReady -o jsonpath={.items[0].message}`).stdout).toBe('Node is not ready');
    sim.run('sleep 100');
    expect(ready()).toBe('False');
    sim.run('ssh node-1 sudo systemctl start containerd');
    expect(ready()).toBe('True');
  });

  it('a snapshot taken while containerd is down restores it down', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    sim.run('ssh node-1 sudo systemctl stop containerd');
    sim.run('sleep 20');
    const again = Simulation.restore(JSON.parse(JSON.stringify(sim.snapshot())));
    expect(again.run('ssh node-1 systemctl is-active containerd').stdout).toBe('inactive\n');
    again.run('sleep 60');
    expect(again.run(`kubectl get node node-1 -o jsonpath='{.status.conditions[?(@.type=="Ready")].message}'`).stdout).toBe('container runtime is down');
    expect(again.run('ssh node-1 crictl pods').exitCode).toBe(1);
  });
});

describe('a restarted kubelet is a new process', () => {
  it('ps, systemctl, ss and /proc agree on the new PID; the old one is gone; stopped, 10250 and 10248 refuse', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const old = sim.run('ssh node-1 pidof kubelet').stdout.trim();
    let t = transcript(sim, ['ssh node-1 pidof kubelet', `ssh node-1 cat /proc/${old}/comm`, 'sleep 60', 'ssh node-1 sudo systemctl restart kubelet', 'ssh node-1 pidof kubelet', `ssh node-1 cat /proc/${old}/comm`]);
    const pid = sim.run('ssh node-1 pidof kubelet').stdout.trim();
    expect(pid).not.toBe(old);
    t += transcript(sim, [`ssh node-1 ps -o pid,ppid,lstart,comm -p ${pid}`, "ssh node-1 systemctl status kubelet | grep 'Main PID'", 'ssh node-1 ss -tlnp sport = :10250', `ssh node-1 cat /proc/${pid}/comm`]);
    t += transcript(sim, ['ssh node-1 sudo systemctl stop kubelet', 'ssh node-1 curl -sk https://192.168.49.3:10250/healthz', 'ssh node-1 curl -s http://localhost:10248/healthz', 'ssh node-1 ss -tlnp sport = :10250', `ssh node-1 cat /proc/${pid}/comm`, 'ssh node-1 sudo systemctl start kubelet', 'ssh node-1 curl -s http://localhost:10248/healthz']);
    golden('node/runtime-down/kubelet-restart-pid.txt', t);
  });
});
