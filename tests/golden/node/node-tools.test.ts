/**
 * The node's own binaries, pinned whole: versions, ctr, lsmod, kubectl without and with a
 * kubeconfig.
 *
 * Upstream: kubernetes cmd/kubeadm/app/cmd/version.go (RunVersion: `kubeadm version: %#v`,
 * -o short|yaml|json, "invalid output format"), component-base/version/verflag (kubelet
 * --version: `Kubernetes v1.34.2`); containerd v1.7.22 cmd/containerd (--version line) and
 * cmd/ctr/commands (version/version.go; containers/containers.go and tasks/list.go:
 * tabwriter.NewWriter(os.Stdout, 4, 8, 4, ' ', 0), the k8s.io namespace the CRI plugin
 * uses); runc main.go printVersion; kmod tools/lsmod.c (`Module                  Size  Used
 * by`, `%-19s %8ld  %d` and the holders); client-go discovery/cached/memory/memcache.go:265
 * and kubectl's "The connection to the server localhost:8080 was refused - did you specify
 * the right host or port?" when no kubeconfig is found.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { NODE_SCENARIO } from './runtime-scenario';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

describe('node binaries', () => {
  it('print their versions and what containerd holds', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const lines = [
      'kubelet --version',
      'kubeadm version',
      'kubeadm version -o short',
      'kubeadm version -o yaml',
      'kubeadm version -o json',
      'kubeadm version -o xml',
      'containerd --version',
      'runc --version',
      'ctr version',
      'ctr containers ls',
      'ctr -n k8s.io containers ls',
      'ctr -n k8s.io tasks ls',
      'kubectl get pods',
      'kubectl version',
      'kubectl version --client',
      'free -m',
      'dmesg',
    ];
    golden('node/runtime/binaries-node-1.txt', lines.map((l) => `$ ${l}\n` + out(sim.run(`ssh node-1 ${l}`))).join(''));
  });

  it('kubectl on the control plane works with admin.conf, as on the workstation', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const ws = sim.run('kubectl get pods -A -o name').stdout;
    expect(sim.run('ssh control-plane kubectl --kubeconfig /etc/kubernetes/admin.conf get pods -A -o name').stdout).toBe(ws);
    expect(sim.run('ssh control-plane KUBECONFIG=/etc/kubernetes/admin.conf kubectl get pods -A -o name').stdout).toBe(ws);
    expect(sim.run('ssh control-plane kubectl get pods').stderr).toMatch(/^(E\d{4} [\d:.]+ +\d+ memcache\.go:265\] "Unhandled Error" err="couldn't get current server API group list: Get \\"http:\/\/localhost:8080\/api\?timeout=32s\\": dial tcp 127\.0\.0\.1:8080: connect: connection refused"\n){5}The connection to the server localhost:8080 was refused - did you specify the right host or port\?\n$/);
    // kubeadm init's advice: copy admin.conf to ~/.kube/config
    sim.run('ssh control-plane mkdir -p /root/.kube');
    sim.run('ssh control-plane "cat /etc/kubernetes/admin.conf > /root/.kube/config"');
    expect(sim.run('ssh control-plane kubectl get pods -A -o name').stdout).toBe(ws);
    expect(sim.run('ssh control-plane kubectl --kubeconfig /nope get pods')).toEqual({ stdout: '', stderr: 'error: stat /nope: no such file or directory\n', exitCode: 1 });
    // a worker has no admin.conf
    expect(sim.run('ssh node-1 kubectl --kubeconfig /etc/kubernetes/admin.conf get pods').stderr).toBe('error: stat /etc/kubernetes/admin.conf: no such file or directory\n');
  });

  it('lsmod follows the proxy mode, the CNI and the node\'s links', () => {
    const text: string[] = [];
    for (const [cni, mode] of [['calico', 'iptables'], ['flannel', 'ipvs'], ['cilium', 'nftables']]) {
      const sim = createSimulation(`cluster:\n  cni: ${cni}\n  proxyMode: ${mode}\n`, { seed: 1 });
      text.push(`# ${cni}, ${mode}\n` + out(sim.run('ssh node-1 lsmod')));
    }
    golden('node/runtime/lsmod.txt', text.join(''));
    expect(text[0]).toMatch(/^ipip +20480/m);
    expect(text[1]).toMatch(/^ip_vs_rr +16384/m);
    expect(text[1]).toMatch(/^vxlan +94208/m);
  });
});
