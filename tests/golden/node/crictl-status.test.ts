/**
 * crictl inspect / inspectp / logs / images / version on a node, pinned whole.
 *
 * Upstream: kubernetes-sigs/cri-tools v1.34.0 cmd/crictl/container.go (containerStatus,
 * marshalContainerStatus: createdAt/startedAt/finishedAt as RFC3339Nano, the zero time
 * 0001-01-01T00:00:00Z), sandbox.go (podSandboxStatus), util.go (protobufObjectToJSON with
 * EmitDefaultValues, outputStatusData: encoding/json re-marshal, so keys sorted, two-space
 * indent), image.go (IMAGE TAG IMAGE ID SIZE, imageByRef, units.HumanSizeWithPrecision(size, 3),
 * getTruncatedID), logs.go (--tail), version.go (`Version:  0.1.0` … fmt.Println's spacing),
 * main.go (logrus.Fatal of the wrapped error); k8s.io/cri-client v0.34 remote_runtime.go +
 * internal/log.go:32 (the klog E-line); containerd v1.7.22 internal/cri (ContainerInfo /
 * SandboxInfo verbose info, "an error occurred when try to find container %q: not found");
 * containerd oci/mounts.go defaultMounts and internal/cri/opts/spec_linux.go WithMounts (the
 * OCI spec's mounts: the defaults, then the CRI binds ordered by their number of path parts).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { NODE_SCENARIO } from './runtime-scenario';
import { humanSize } from '../../../engine/commands/runtime/crictl-status';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

describe('crictl status commands', () => {
  it('inspects containers and sandboxes, lists images, prints logs and versions', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const ctr = sim.run('ssh node-1 crictl ps -q --name nginx').stdout.trim();
    const pod = sim.run('ssh node-1 crictl pods -q --name web').stdout.trim();
    const lines = [
      `crictl inspect ${ctr.slice(0, 5)}`,
      `crictl inspectp ${pod.slice(0, 13)}`,
      'crictl images',
      'crictl images -q nginx:1.27',
      `crictl logs --tail 2 ${ctr.slice(0, 13)}`,
      'crictl version',
      'crictl --version',
      'crictl inspect 0000',
      'crictl inspectp ffff',
      'crictl logs 0000',
      'crictl inspect',
      // util.go outputStatusData / templates.go tmplExecuteRawJSON; container.go and sandbox.go's table printers
      `crictl inspect -o go-template --template '{{.info.pid}}' ${ctr}`,
      `crictl inspectp -o go-template --template '{{.info.runtimeSpec.linux.namespaces}}' ${pod}`,
      `crictl inspectp --output go-template --template '{{range .info.runtimeSpec.linux.namespaces}}{{if eq .type "network"}}{{.path}}{{end}}{{end}}' ${pod}`,
      `crictl inspect -o go-template --template '{{json .info.runtimeSpec.process.args}}{{upper .status.metadata.name}}' ${ctr}`,
      `crictl inspect -o go-template --template '{{.info.pidx}}' ${ctr}`,
      `crictl inspect -o go-template --template '{{foo .info}}' ${ctr}`,
      `crictl inspect -o xml ${ctr}`,
      `crictl inspect -o yaml ${ctr}`,
      `crictl inspect -o table ${ctr}`,
      `crictl inspectp -o table -q ${pod}`,
      `crictl inspect -q ${ctr}`,
    ];
    golden('node/runtime/crictl-status.txt', lines.map((l) => `$ ${l}\n` + out(sim.run(`ssh node-1 ${l}`))).join(''));
  });

  it('agrees with ps, ip netns and the Pod: PID, network namespace, IP, logs', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const web = sim.get('Pod', 'default', 'web')!;
    const ctr = sim.run('ssh node-1 crictl ps -q --name nginx').stdout.trim();
    const pod = sim.run('ssh node-1 crictl pods -q --name web').stdout.trim();
    const c = JSON.parse(sim.run(`ssh node-1 crictl inspect ${ctr}`).stdout);
    const p = JSON.parse(sim.run(`ssh node-1 crictl inspectp ${pod}`).stdout);
    expect(sim.run(`ssh node-1 ps -p ${c.info.pid} -o args=`).stdout).toBe('nginx: master process nginx -g daemon off;\n');
    expect(sim.run(`ssh node-1 ps -p ${p.info.pid} -o args=`).stdout).toBe('/pause\n');
    expect(c.info.runtimeSpec.linux.namespaces).toContainEqual({ type: 'network', path: `/proc/${p.info.pid}/ns/net` });
    const netns = p.info.runtimeSpec.linux.namespaces.find((n: { type: string }) => n.type === 'network').path.split('/').pop();
    expect(sim.run('ssh node-1 ip netns').stdout).toContain(`${netns} (id: `);
    expect(p.status.network.ip).toBe(web.status.podIP);
    expect(c.info.sandboxID).toBe(pod);
    expect(sim.run(`ssh node-1 crictl logs ${ctr}`).stdout).toBe(sim.run('kubectl logs web').stdout);
    // every image crictl lists is one a Pod on the node runs, or the sandbox image
    const images = sim.run('ssh node-1 crictl images').stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(':'));
    expect(images).toContain('registry.k8s.io/pause:3.10.1');
    expect(images).toContain('docker.io/library/nginx:1.27');
    // SIZE is the pull's size, the one the kubelet's Pulled event reports
    const events = sim.run(`kubectl get events -o jsonpath='{range .items[*]}{.message}{"\\n"}{end}'`).stdout;
    const pulled = /Successfully pulled image "nginx:1.27".*Image size: (\d+) bytes/.exec(events);
    expect(pulled).not.toBeNull();
    {
      const row = sim.run('ssh node-1 crictl images nginx:1.27').stdout.trim().split('\n')[1].split(/\s+/);
      expect(row[3]).toBe(humanSize(Number(pulled![1])));
    }
    expect(humanSize(48_312_345)).toBe('48.3MB');
    expect(humanSize(4_200_000)).toBe('4.2MB');
    expect(humanSize(999)).toBe('999B');
  });
});
