/**
 * Leases (coordination.k8s.io/v1) and node heartbeats.
 * Upstream: k8s.io/component-helpers/apimachinery/lease/controller.go (the kubelet's node
 * lease: holderIdentity the node, leaseDurationSeconds 40, renewed every 0.25 × 40 s with
 * wait.JitterUntil's 0.04 jitter, the Node as owner), pkg/kubelet/kubelet_node_status.go
 * (an unchanged status posted every nodeStatusReportFrequency, 5 m), client-go
 * tools/leaderelection (kube-controller-manager's and kube-scheduler's leases: 15 s, renewed
 * every RetryPeriod 2 s, holder `<hostname>_<uuid>`), pkg/controlplane/apiserver/config.go
 * (the API server's identity lease `apiserver-<base32(sha256(len-prefixed hostname,
 * "kube-apiserver"))[:16]>`, 3600 s, labelled apiserver.kubernetes.io/identity);
 * kubectl: pkg/printers/internalversion/printers.go printLease (NAME HOLDER AGE),
 * pkg/describe/describe.go describeNode's Lease block and the genericDescriber a Lease gets.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { SCENARIO } from './node-scenario';


function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

/** Go's base32.StdEncoding without padding, lower-cased, written out here to check the engine's. */
function apiserverLeaseName(hostname: string): string {
  const lp = (s: string) => Buffer.concat([Buffer.from([s.length >> 8, s.length & 0xff]), Buffer.from(s)]);
  const hash = createHash('sha256').update(Buffer.concat([lp(hostname), lp('kube-apiserver')])).digest().subarray(0, 16);
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const b of hash) bits += b.toString(2).padStart(8, '0');
  let s = '';
  for (let i = 0; i < bits.length; i += 5) s += A[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return 'apiserver-' + s.toLowerCase();
}

const renewOf = (sim: ReturnType<typeof createSimulation>, ns: string, name: string) => Date.parse(sim.run(`kubectl get lease -n ${ns} ${name} -o jsonpath='{.spec.renewTime}'`).stdout);
const now = (sim: ReturnType<typeof createSimulation>) => Date.parse(sim.run(`date -u +%Y-%m-%dT%H:%M:%SZ`).stdout.trim());

describe('leases', () => {
  it('kubectl get, -o yaml, describe and api-resources, before and after the clock moves', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const lines = [
      'kubectl get leases -A',
      'kubectl api-resources --api-group=coordination.k8s.io',
      'kubectl get lease -n kube-node-lease node-1 -o yaml',
      'sleep 30',
      'kubectl get lease -n kube-node-lease node-1 -o yaml',
      'kubectl describe lease -n kube-system kube-scheduler',
      `kubectl describe lease -n kube-system ${apiserverLeaseName('control-plane')}`,
      'kubectl describe node node-1 | grep -A3 "^Lease:"',
      'kubectl get lease -n kube-node-lease nope',
    ];
    golden('node/leases/calico.txt', lines.map((l) => `$ ${l}\n` + out(sim.run(l))).join(''));
  });

  it('the API server\'s identity lease is named as config.go names it, and labelled', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const name = apiserverLeaseName('control-plane');
    expect(sim.run('kubectl get lease -n kube-system -l apiserver.kubernetes.io/identity=kube-apiserver -o name').stdout).toBe(`lease.coordination.k8s.io/${name}\n`);
    expect(sim.run(`kubectl get lease -n kube-system ${name} -o jsonpath='{.spec.holderIdentity}'`).stdout).toMatch(new RegExp(`^${name}_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
  });

  it('renewTime follows the clock: a node lease within its jittered 10 s, a leader lease within 2 s; no resourceVersion spent', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const rv = sim.run("kubectl get lease -n kube-node-lease node-2 -o jsonpath='{.metadata.resourceVersion}'").stdout;
    let last = 0;
    for (const wait of ['7', '13', '61', '3600']) {
      sim.run(`sleep ${wait}`);
      const t = now(sim);
      const node = renewOf(sim, 'kube-node-lease', 'node-2');
      expect(t - node).toBeGreaterThanOrEqual(-1000);
      expect(t - node).toBeLessThan(10_400 + 1000);
      expect(node).toBeGreaterThan(last);
      last = node;
      const leader = renewOf(sim, 'kube-system', 'kube-controller-manager');
      expect(t - leader).toBeLessThan(2_000 + 1000);
    }
    expect(sim.run("kubectl get lease -n kube-node-lease node-2 -o jsonpath='{.metadata.resourceVersion}'").stdout).toBe(rv);
  });

  it('the kubelet\'s conditions heartbeat every status report (5 m), the CNI\'s condition keeps its own time', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    for (const wait of ['30', '400', '7200']) {
      sim.run(`sleep ${wait}`);
      const t = now(sim);
      const times = sim.run("kubectl get node node-1 -o jsonpath='{range .status.conditions[*]}{.type}={.lastHeartbeatTime} {end}'").stdout.trim().split(' ');
      for (const kv of times) {
        const [type, at] = kv.split('=');
        if (type === 'NetworkUnavailable') expect(at).toBe('2025-01-10T06:00:00Z');
        else {
          expect(t - Date.parse(at)).toBeGreaterThanOrEqual(0);
          // 30 status syncs of 10 s plus up to 4 % jitter each
          expect(t - Date.parse(at)).toBeLessThan(312_000 + 1000);
        }
      }
    }
  });

  it('a deleted node lease is made again by its kubelet; one a learner makes is left alone', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    expect(sim.run("kubectl delete lease -n kube-node-lease node-1")).toEqual({ stdout: "lease.coordination.k8s.io \"node-1\" deleted from kube-node-lease namespace\n", stderr: "", exitCode: 0 });
    expect(sim.run('kubectl get lease -n kube-node-lease node-1 -o jsonpath={.spec.holderIdentity}').stdout).toBe('node-1');
    sim.run(`kubectl apply -f - <<EOF
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: mine, namespace: default}
spec: {holderIdentity: me, leaseDurationSeconds: 30, renewTime: "2025-01-15T09:00:00.000000Z"}
EOF`);
    sim.run('sleep 60');
    expect(sim.run('kubectl get lease mine -o jsonpath={.spec.renewTime}').stdout).toBe('2025-01-15T09:00:00.000000Z');
    expect(sim.run('kubectl get lease').stdout).toMatch(/^NAME   HOLDER   AGE\nmine   me       6\ds\n$/);
  });
});
