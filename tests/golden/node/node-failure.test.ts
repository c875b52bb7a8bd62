/**
 * A node whose kubelet stops: `systemctl stop kubelet`, the node lifecycle controller and the
 * taint-eviction controller, then `systemctl start kubelet`.
 * Upstream (kubernetes v1.34): pkg/controller/nodelifecycle/node_lifecycle_controller.go
 * (monitorNodeHealth every 5 s, tryUpdateNodeHealth's Unknown conditions "Kubelet stopped
 * posting node status." after --node-monitor-grace-period, 50 s since v1.32;
 * doNoScheduleTaintingPass; processTaintBaseEviction → doNoExecuteTaintingPass a pass
 * later), pkg/controller/util/node/controller_utils.go (MarkPodsNotReady and its
 * "Node is not ready" event, RecordNodeStatusChange "Node %s status is now: %s",
 * SwapNodeControllerTaint's timeAdded), pkg/controller/tainteviction/taint_eviction.go
 * (getMinTolerationTime, addConditionAndDeletePod's DisruptionTarget, "Marking for deletion
 * Pod %s"), plugin/pkg/admission/defaulttolerationseconds (300 s), pkg/kubelet/nodestatus
 * setters.go (the events of a kubelet that starts), kubectl's printNode (NotReady for
 * Unknown) and describe.go printTaintsMultilineWithIndent (sorted by effect,key);
 * systemd 249's status of a stopped unit (systemctl-show.c) and the journal lines of a stop
 * (core/job.c "Stopping %s...", "Stopped %s.", core/unit.c "Deactivated successfully.").
 */
import { describe, expect, it } from 'vitest';
import { Simulation, createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { SCENARIO, out, transcript, webOn } from './outage-scenario';

describe('a node whose kubelet stops', () => {
  it('goes NotReady after the grace period, is tainted unreachable, and its Pods are evicted after 300 s', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const lost = webOn(sim, 'node-1');
    expect(lost).not.toBe('');
    let t = transcript(sim, ['kubectl get pods -o wide', 'ssh node-1 sudo systemctl stop kubelet', 'ssh node-1 systemctl status kubelet', 'ssh node-1 systemctl is-active kubelet', 'sleep 40', 'kubectl get nodes']);
    // the lease stopped at the last renewal before the stop; 55 s after the pass that saw it, the node is Unknown
    t += transcript(sim, ['kubectl get lease node-1 -n kube-node-lease -o jsonpath={.spec.renewTime}', 'sleep 30', 'kubectl get nodes', 'kubectl describe node node-1', 'kubectl get node node-1 -o jsonpath={.spec.taints}', `kubectl get pod ${lost} -o jsonpath={.status.conditions}`, 'kubectl get pods -o wide', `kubectl get pod ${lost} -o jsonpath={.spec.tolerations}`]);
    t += transcript(sim, ['sleep 300', 'kubectl get pods -o wide', 'kubectl get events --field-selector involvedObject.name=' + lost, `kubectl get pod ${lost} -o jsonpath={.status.conditions[-1:]}`]);
    golden('node/node-failure/stop.txt', t);
  });

  it('comes back when the kubelet starts: Ready, taints gone, the Terminating Pods finalized', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const lost = webOn(sim, 'node-1');
    sim.run('ssh node-1 systemctl stop kubelet');
    sim.run('sleep 400');
    expect(sim.run(`kubectl get pod ${lost} -o jsonpath={.metadata.deletionTimestamp}`).stdout).not.toBe('');
    const t = transcript(sim, ['ssh node-1 systemctl start kubelet', 'kubectl get nodes', 'kubectl get node node-1 -o jsonpath={.spec.taints}', 'sleep 5', 'kubectl get node node-1 -o jsonpath={.spec.taints}', 'kubectl get pods -o wide', 'kubectl describe node node-1', 'ssh node-1 journalctl -u kubelet --no-pager -n 8']);
    golden('node/node-failure/start.txt', t);
  });

  it('restarted before the grace period ends, it never goes NotReady', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    sim.run('ssh node-1 systemctl stop kubelet');
    sim.run('sleep 30');
    expect(sim.run('ssh node-1 systemctl restart kubelet').exitCode).toBe(0);
    sim.run('sleep 600');
    expect(sim.run(`kubectl get node node-1 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`).stdout).toBe('True');
    expect(sim.run('kubectl get node node-1 -o jsonpath={.spec.taints}').stdout).toBe('');
    expect(sim.run('kubectl get events -A --field-selector reason=NodeNotReady -o name').stdout).toBe('');
  });

  it('no request reaches a Pod on the unreachable node once its endpoint is not ready, and they do before', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const lost = webOn(sim, 'node-1');
    const kept = webOn(sim, 'node-2');
    const answers = (n: number) => Array.from({ length: n }, () => sim.run('kubectl exec client -- curl -s --max-time 2 web').stdout);
    sim.run('ssh node-1 systemctl stop kubelet');
    // the containers keep running and the endpoint is still ready: both Pods answer
    expect(new Set(answers(30))).toEqual(new Set([lost, kept]));
    sim.run('sleep 70');
    expect(sim.run(`kubectl get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{range .items[*].endpoints[*]}{.targetRef.name}={.conditions.ready} {end}'`).stdout.trim().split(' ').sort()).toEqual([`${kept}=true`, `${lost}=false`].sort());
    for (let round = 0; round < 8; round++) {
      expect(answers(10).every((a) => a !== lost)).toBe(true);
      sim.run('sleep 60');
    }
    // the Pod itself still answers at its own address: only the Service stopped sending there
    const ip = sim.run(`kubectl get pod ${lost} -o jsonpath={.status.podIP}`).stdout;
    expect(sim.run(`kubectl exec client -- curl -s --max-time 2 ${ip}:9376`).stdout).toBe(lost);
  });

  it('DaemonSet Pods tolerate unreachable for ever; every other Pod carries the 300 s tolerations', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const ds = sim.run(`kubectl get pods -n kube-system -l k8s-app=kube-proxy --field-selector spec.nodeName=node-1 -o jsonpath='{.items[0].metadata.name}'`).stdout;
    expect(sim.run(`kubectl get pod -n kube-system ${ds} -o jsonpath='{.spec.tolerations[?(@.key=="node.kubernetes.io/unreachable")]}'`).stdout).toBe('{"effect":"NoExecute","key":"node.kubernetes.io/unreachable","operator":"Exists"}');
    expect(sim.run(`kubectl get pod client -o jsonpath='{.spec.tolerations[?(@.key=="node.kubernetes.io/unreachable")]}'`).stdout).toBe('{"effect":"NoExecute","key":"node.kubernetes.io/unreachable","operator":"Exists","tolerationSeconds":300}');
    sim.run('ssh node-1 systemctl stop kubelet');
    sim.run('sleep 1800');
    expect(sim.run(`kubectl get pod -n kube-system ${ds} -o jsonpath={.metadata.deletionTimestamp}`).exitCode).toBe(0);
    expect(sim.run(`kubectl get pod -n kube-system ${ds} -o jsonpath={.metadata.deletionTimestamp}`).stdout).toBe('');
    // every Pod on node-1 that is not a DaemonSet's is Terminating
    const rows = sim.run(`kubectl get pods -A --field-selector spec.nodeName=node-1 -o jsonpath='{range .items[*]}{.metadata.ownerReferences[0].kind} {.metadata.deletionTimestamp}{"\\n"}{end}'`).stdout.trim().split('\n');
    for (const r of rows) expect(r.startsWith('DaemonSet ') ? r === 'DaemonSet ' : r.split(' ')[1] !== '').toBe(true);
  });

  it('a Pod\'s own tolerationSeconds decides: 30 s after the NoExecute taint, not 300', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    sim.run(`kubectl patch deployment web -p '{"spec":{"template":{"spec":{"tolerations":[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":30}]}}}}'`);
    sim.run('sleep 60');
    const pod = webOn(sim, 'node-1');
    // admission added only the not-ready toleration the template lacks
    expect(sim.run(`kubectl get pod ${pod} -o jsonpath={.spec.tolerations}`).stdout).toBe('[{"effect":"NoExecute","key":"node.kubernetes.io/unreachable","operator":"Exists","tolerationSeconds":30},{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":300}]');
    sim.run('ssh node-1 systemctl stop kubelet');
    sim.run('sleep 70');
    const taint = sim.run(`kubectl get node node-1 -o jsonpath='{.spec.taints[?(@.effect=="NoExecute")].timeAdded}'`).stdout;
    expect(taint).not.toBe('');
    sim.run('sleep 40');
    const events = sim.run(`kubectl get events --field-selector involvedObject.name=${pod},reason=TaintManagerEviction -o jsonpath={.items[0].lastTimestamp}`).stdout;
    expect(Date.parse(events) - Date.parse(taint)).toBe(30_000);
  });

  it('two nodes failing together: the zone\'s rate limiter taints the second 10 s after the first', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    sim.run('ssh node-1 systemctl stop kubelet');
    sim.run('ssh node-2 systemctl stop kubelet');
    sim.run('sleep 120');
    const added = (n: string) => Date.parse(sim.run(`kubectl get node ${n} -o jsonpath='{.spec.taints[?(@.effect=="NoExecute")].timeAdded}'`).stdout);
    const notReady = (n: string) => Date.parse(sim.run(`kubectl get node ${n} -o jsonpath='{.status.conditions[?(@.type=="Ready")].lastTransitionTime}'`).stdout);
    const [a, b] = [added('node-1'), added('node-2')].sort();
    expect(b - a).toBe(10_000);
    expect(Math.min(added('node-1') - notReady('node-1'), added('node-2') - notReady('node-2'))).toBe(5_000);
  });

  it('every node down (full disruption): NotReady and NoSchedule, but no NoExecute taint and no eviction', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    for (const n of ['control-plane', 'node-1', 'node-2']) sim.run(`ssh ${n} systemctl stop kubelet`);
    sim.run('sleep 900');
    expect(sim.run('kubectl get nodes --no-headers').stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[1])).toEqual(['NotReady', 'NotReady', 'NotReady']);
    for (const n of ['node-1', 'node-2']) expect(sim.run(`kubectl get node ${n} -o jsonpath={.spec.taints}`).stdout).toBe('[{"effect":"NoSchedule","key":"node.kubernetes.io/unreachable","timeAdded":' + JSON.stringify(sim.run(`kubectl get node ${n} -o jsonpath='{.status.conditions[?(@.type=="Ready")].lastTransitionTime}'`).stdout) + '}]');
    expect(sim.run('kubectl get pods -A -o jsonpath={.items[*].metadata.deletionTimestamp}').stdout).toBe('');
  });

  it('a snapshot taken while the kubelet is down restores it down, and the failure goes on', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    sim.run('ssh node-1 systemctl stop kubelet');
    sim.run('sleep 20');
    const again = Simulation.restore(JSON.parse(JSON.stringify(sim.snapshot())));
    expect(again.run('ssh node-1 systemctl is-active kubelet').stdout).toBe('inactive\n');
    again.run('sleep 60');
    expect(again.run(`kubectl get node node-1 -o jsonpath='{.status.conditions[?(@.type=="Ready")].reason}'`).stdout).toBe('NodeStatusUnknown');
  });

  it('kubectl exec and logs to a Pod there fail: the API server cannot dial the kubelet', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const lost = webOn(sim, 'node-1');
    sim.run('ssh node-1 systemctl stop kubelet');
    expect(out(sim.run(`kubectl exec ${lost} -- hostname`))).toBe('[stderr]\nError from server: error dialing backend: dial tcp 192.168.49.3:10250: connect: connection refused\n[exit 1]\n');
    expect(out(sim.run(`kubectl logs ${lost}`))).toBe(`[stderr]\nError from server: Get "https://192.168.49.3:10250/containerLogs/default/${lost}/hostname": dial tcp 192.168.49.3:10250: connect: connection refused\n[exit 1]\n`);
    // node-2's kubelet still serves its Pods
    expect(sim.run('kubectl exec client -- hostname').stdout).toBe('client\n');
    sim.run('ssh node-1 systemctl start kubelet');
    expect(sim.run(`kubectl exec ${lost} -- hostname`).stdout).toBe(`${lost}\n`);
  });

  it('a stopped kubelet has no process and no socket on its node; started again, it has both', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    sim.run('ssh node-1 systemctl stop kubelet');
    expect(sim.run('ssh node-1 ss -tlnp').stdout).not.toContain('kubelet');
    expect(sim.run('ssh node-1 ps -e -o comm').stdout.split('\n')).not.toContain('kubelet');
    sim.run('sleep 120');
    sim.run('ssh node-1 systemctl start kubelet');
    const status = sim.run('ssh node-1 systemctl status kubelet').stdout;
    const pid = /Main PID: (\d+) /.exec(status)![1];
    const since = /Active: active \(running\) since Wed 2025-01-15 (\d\d:\d\d:\d\d) UTC/.exec(status)![1];
    expect(sim.run('ssh node-1 ss -tlnp').stdout).toContain(`users:(("kubelet",pid=${pid},fd=24))`);
    // ps's start time is the restart's, as systemctl's "since"
    expect(sim.run(`ssh node-1 ps -p ${pid} -o lstart=`).stdout.trim()).toBe(`Wed Jan 15 ${since} 2025`);
    expect(since > '09:02:00').toBe(true);
  });

  it('systemctl refuses what it does not model with the real errors', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    expect(out(sim.run('ssh node-1 systemctl stop'))).toBe('[stderr]\nToo few arguments.\n[exit 1]\n');
    expect(out(sim.run('ssh node-1 systemctl stop docker'))).toBe('[stderr]\nFailed to stop docker.service: Unit docker.service not found.\n[exit 5]\n');
    // stopping an already stopped unit is no error
    sim.run('ssh node-1 systemctl stop kubelet');
    expect(out(sim.run('ssh node-1 systemctl stop kubelet'))).toBe('[exit 0]\n');
  });
});
