/**
 * kubeadm's files on the nodes, derived from the scenario.
 * Manifests: kubernetes cmd/kubeadm/app/phases/controlplane/manifests.go (getAPIServerCommand,
 * getControllerManagerCommand, getSchedulerCommand), phases/etcd/local.go (etcd 3.6 flags),
 * util/staticpod/utils.go (probes on the named probe-port), controlplane/volumes.go (hostPath
 * volumes sorted by name). admin.conf: phases/kubeconfig (cluster `kubernetes`, user
 * `kubernetes-admin`, context `kubernetes-admin@kubernetes`). /etc/os-release: Ubuntu 22.04
 * base-files. /opt/cni/bin: containernetworking/plugins' release layout plus the plugin's
 * own binaries.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';

const SCENARIO = (extra: string) => `
cluster:
  cni: calico
  clusterDomain: corp.local
  podCIDR: 10.32.0.0/16
  serviceCIDR: 10.100.0.0/16
${extra}
`;

describe('kubeadm files', () => {
  const sim = createSimulation(SCENARIO(''));
  const cat = (host: string, path: string) => sim.run(`ssh ${host} cat ${path}`);
  for (const c of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd']) {
    it(`/etc/kubernetes/manifests/${c}.yaml carries the scenario's ranges`, () => {
      const r = cat('control-plane', `/etc/kubernetes/manifests/${c}.yaml`);
      expect(r.exitCode).toBe(0);
      golden(`node/kubeadm/${c}.yaml`, r.stdout);
    });
  }
  it('the mirror Pods run the manifests\' command lines', () => {
    for (const c of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd']) {
      const manifest = cat('control-plane', `/etc/kubernetes/manifests/${c}.yaml`).stdout;
      const cmd = JSON.parse(sim.run(`kubectl -n kube-system get pod ${c}-control-plane -o jsonpath='{.spec.containers[0].command}'`).stdout) as string[];
      expect(manifest).toContain(cmd.map((a) => `    - ${a}\n`).join(''));
    }
  });
  it('only the control plane has them; every node has the kubelet config, os-release and the CNI binaries', () => {
    expect(sim.run('ssh control-plane ls /etc/kubernetes/manifests').stdout).toBe('etcd.yaml\nkube-apiserver.yaml\nkube-controller-manager.yaml\nkube-scheduler.yaml\n');
    expect(sim.run('ssh node-1 ls /etc/kubernetes/manifests').stdout).toBe('');
    expect(sim.run('ssh node-1 cat /etc/kubernetes/admin.conf').exitCode).toBe(1);
    const kubelet = cat('node-2', '/var/lib/kubelet/config.yaml').stdout;
    expect(kubelet).toContain('clusterDNS:\n- 10.100.0.10\nclusterDomain: corp.local\n');
    expect(kubelet).toBe(sim.run("kubectl -n kube-system get cm kubelet-config -o jsonpath='{.data.kubelet}'").stdout);
    golden('node/kubeadm/os-release.txt', cat('node-1', '/etc/os-release').stdout);
    golden('node/kubeadm/opt-cni-bin-calico.txt', sim.run('ssh node-1 ls /opt/cni/bin').stdout);
    golden('node/kubeadm/admin.conf', cat('control-plane', '/etc/kubernetes/admin.conf').stdout);
  });
  it('the CNI binaries follow the plugin', () => {
    const flannel = createSimulation('cluster:\n  cni: flannel\n');
    expect(flannel.run('ssh node-1 ls /opt/cni/bin').stdout.split('\n')).toContain('flannel');
    expect(flannel.run('ssh node-1 ls /opt/cni/bin').stdout.split('\n')).not.toContain('calico');
  });
});
