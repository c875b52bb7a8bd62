/**
 * The cluster's own long-lived connections (engine/dataplane/background.ts) as a node's
 * tools show them.
 * conntrack-tools 1.4.6: libnetfilter_conntrack src/conntrack/snprintf_default.c (`tcp      6
 * <secs> ESTABLISHED src= dst= sport= dport= src= dst= sport= dport= [ASSURED] mark=0 use=1`);
 * the ESTABLISHED timer: nf_conntrack_proto_tcp.c restarts it on every packet, at
 * nf_conntrack_tcp_timeout_established — 86400 where kube-proxy runs
 * (pkg/proxy/apis/config/v1alpha1/defaults.go conntrack.tcpEstablishedTimeout 24h).
 * MASQUERADE --random-fully: net/netfilter/nf_nat_proto.c nf_nat_l4proto_unique_tuple (a
 * random port over 1024–65535), so the reply tuple's port is not the original one.
 * iproute2 misc/ss.c: ESTAB rows, `users:(("comm",pid=N,fd=N))`, IPv4-mapped addresses of
 * an AF_INET6 socket printed `[::ffff:a.b.c.d]`, print_summary's estab count.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { SCENARIO } from './node-scenario';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

const entries = (s: string) => s.split('\n').filter((l) => l.startsWith('tcp'));

describe('background connections', () => {
  it('conntrack and ss on a worker and on the control plane (Calico, iptables)', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const lines = [
      'ssh node-1 conntrack -L',
      'ssh node-1 conntrack -C',
      'ssh node-1 conntrack -L -p tcp --dport 6443',
      'ssh node-1 conntrack -L -d 10.96.0.1',
      'ssh node-1 ss -tnp',
      'ssh node-1 ss -s',
      'ssh node-1 ss -ta | head -4',
      'ssh control-plane conntrack -L -p tcp --dport 179',
      'ssh control-plane conntrack -L -p tcp --dport 2379',
      'ssh control-plane ss -tnp | grep -e etcd -e State',
    ];
    golden('node/background/calico.txt', lines.map((l) => `$ ${l}\n` + out(sim.run(l))).join(''));
  });

  it('Flannel: flanneld through the kubernetes Service; Cilium without kube-proxy: cilium-agent dials the API server itself', () => {
    const flannel = createSimulation(SCENARIO.replace('cni: calico', 'cni: flannel'), { seed: 1 });
    const cilium = createSimulation(SCENARIO.replace('cni: calico\n  proxyMode: iptables', 'cni: cilium\n  kubeProxyReplacement: true'), { seed: 1 });
    golden('node/background/flannel-cilium.txt', [
      `$ ssh node-2 ss -tnp   # flannel\n${out(flannel.run('ssh node-2 ss -tnp'))}`,
      `$ ssh node-2 conntrack -L   # flannel\n${out(flannel.run('ssh node-2 conntrack -L'))}`,
      `$ ssh node-2 ss -tnp   # cilium, kubeProxyReplacement\n${out(cilium.run('ssh node-2 ss -tnp'))}`,
      `$ ssh node-2 conntrack -L   # cilium, kubeProxyReplacement\n${out(cilium.run('ssh node-2 conntrack -L'))}`,
    ].join(''));
  });

  it('a hostNetwork Pod shares its node\'s sockets: netstat (busybox\'s applet, in busybox and in netshoot) lists them ESTABLISHED', () => {
    // busybox networking/netstat.c ("%s   %6lu %6lu %-23s %-23s %-12s"): netshoot installs no net-tools, so its netstat is the applet (hosts/userland.ts)
    const sim = createSimulation(SCENARIO.replace('objects:\n', `objects:
  - apiVersion: v1
    kind: Pod
    metadata: {name: hn}
    spec:
      nodeName: node-1
      hostNetwork: true
      containers: [{name: shoot, image: "nicolaka/netshoot:v0.13", command: ["sleep","infinity"]}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: hb}
    spec:
      nodeName: node-1
      hostNetwork: true
      containers: [{name: bb, image: "busybox:1.36", command: ["sleep","3600"]}]
`), { seed: 1 });
    const lines = ['kubectl exec hn -- netstat -tn', 'kubectl exec hn -- netstat -tan', 'kubectl exec hb -- netstat -tn', 'kubectl exec bb -- netstat -tn'];
    golden('node/background/netstat.txt', lines.map((l) => `$ ${l}\n` + out(sim.run(l))).join(''));
  });

  it('every timer counts down with the clock and restarts at the connection\'s next packet', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    for (const wait of ['1', '45', '600', '86400']) {
      sim.run(`sleep ${wait}`);
      for (const l of entries(sim.run('ssh node-1 conntrack -L').stdout)) {
        const secs = Number(l.split(/\s+/)[2]);
        // the longest quiet period: BIRD's keepalive (80 s)
        expect(secs).toBeGreaterThan(86400 - 81);
        expect(secs).toBeLessThanOrEqual(86400);
        expect(l).toMatch(/ ESTABLISHED .* \[ASSURED\] mark=0 use=1$/);
      }
    }
  });

  it('a deleted entry comes back with the connection\'s next packet; a learner\'s traffic is listed after them and does not move them', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const before = entries(sim.run('ssh node-1 conntrack -L').stdout);
    expect(sim.run('ssh node-1 conntrack -D -p tcp --dport 6443').stderr).toBe('conntrack v1.4.6 (conntrack-tools): 2 flow entries have been deleted.\n');
    expect(sim.run('ssh node-1 conntrack -L -p tcp --dport 6443').stdout).toBe('');
    sim.run('sleep 30');
    expect(entries(sim.run('ssh node-1 conntrack -L -p tcp --dport 6443').stdout)).toHaveLength(2);
    sim.run('kubectl exec bb -- wget -qO- http://web');
    const after = entries(sim.run('ssh node-1 conntrack -L').stdout);
    const tuple = (l: string) => l.replace(/^tcp\s+6 \d+ /, '');
    expect(after.slice(0, before.length).map(tuple).sort()).toEqual(before.map(tuple).sort());
    expect(after.slice(before.length).some((l) => / TIME_WAIT .* dport=80 /.test(l))).toBe(true);
  });

  it('each host process\'s socket in ss is a conntrack entry of the node, and the API server sees the port conntrack\'s reply names', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const ct = entries(sim.run('ssh node-1 conntrack -L').stdout);
    const ss = sim.run('ssh node-1 ss -tn').stdout.split('\n').slice(1).filter(Boolean);
    for (const row of ss) {
      const [, , , local, peer] = row.trim().split(/\s+/);
      const [lip, lport] = [local.slice(0, local.lastIndexOf(':')), local.slice(local.lastIndexOf(':') + 1)];
      const [pip, pport] = [peer.slice(0, peer.lastIndexOf(':')), peer.slice(peer.lastIndexOf(':') + 1)];
      const asClient = ct.some((l) => l.includes(`src=${lip} dst=${pip} sport=${lport} dport=${pport} `));
      const asServer = ct.some((l) => l.includes(`src=${pip} dst=${lip} sport=${pport} dport=${lport} `));
      expect(asClient || asServer, row).toBe(true);
    }
    // calico-node's watch through 10.96.0.1: masqueraded with a drawn port, which the API server's socket shows
    const felix = ct.find((l) => l.includes('src=192.168.49.3 dst=10.96.0.1'))!;
    const natPort = /src=192\.168\.49\.2 dst=192\.168\.49\.3 sport=6443 dport=(\d+)/.exec(felix)![1];
    expect(felix).not.toMatch(new RegExp(`sport=${natPort} dport=443`));
    expect(sim.run('ssh control-plane ss -tn').stdout).toContain(`[::ffff:192.168.49.3]:${natPort} `);
  });
});
