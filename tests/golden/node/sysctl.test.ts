/**
 * sysctl and /proc/sys/net on a node, derived from the cluster's settings.
 * Format and errors: procps-ng 3.3.17 sysctl.c (ReadSetting prints `name = value`, the
 * key's dots and slashes swapped by slashdot() — so a device named flannel.1 reads
 * `net.ipv4.conf.flannel/1.forwarding`; a missing key is xwarn("cannot stat %s") with
 * ENOENT and exit 255; WriteSetting echoes `name = value`; DisplayAll walks /proc/sys,
 * whose directories the kernel lists sorted, kernel/sysctl.c's rbtree).
 * Values: kube-proxy cmd/kube-proxy/app/server_linux.go setupConntrack/getConntrackMax
 * (max(32768 × 2 CPUs, 131072)), pkg/proxy/iptables/proxier.go (route_localnet=1),
 * pkg/proxy/ipvs/proxier.go (vs/conntrack, expire_nodest_conn, expire_quiescent_template);
 * devinet.c inet_forward_change (ip_forward sets every device's forwarding).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { scenario } from '../../unit/dns/scenario';
import { on, node, pod } from '../../unit/dns/run';
import { golden } from '../../unit/dns/golden';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

describe('sysctl on a node', () => {
  it('sysctl -a on a flannel node in iptables mode', () => {
    const sim = createSimulation(scenario('flannel'));
    golden('node/sysctl/flannel-iptables-a.txt', out(on(sim, node('node-1'), 'sysctl -a')));
  });
  it('IPVS mode: the vs keys kube-proxy sets, no route_localnet; kube-ipvs0 has its conf', () => {
    const sim = createSimulation(scenario('calico', '', 'ipvs'));
    const r = on(sim, node('node-1'), 'sysctl net.ipv4.vs net.ipv4.conf.all.route_localnet net.ipv4.conf.kube-ipvs0.forwarding');
    golden('node/sysctl/calico-ipvs-vs.txt', out(r));
  });
  it('Calico: Felix configures each cali* device', () => {
    const sim = createSimulation(scenario('calico'));
    const dev = on(sim, node('node-1'), 'sysctl -N -r cali -a').stdout.split('\n')[0].split('.')[3];
    expect(dev).toMatch(/^cali[0-9a-f]{11}$/);
    expect(on(sim, node('node-1'), `sysctl net.ipv4.conf.${dev}`).stdout).toBe(
      ['accept_local = 0', 'accept_redirects = 1', 'arp_announce = 0', 'arp_ignore = 0', 'forwarding = 1', 'proxy_arp = 1', 'route_localnet = 1', 'rp_filter = 1', 'send_redirects = 1'].map((x) => `net.ipv4.conf.${dev}.${x}\n`).join(''),
    );
  });
  it('reads, values only, errors, and writes', () => {
    const sim = createSimulation(scenario('flannel'));
    const n = node('node-2');
    const lines = [
      'sysctl net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables',
      'sysctl -n net.netfilter.nf_conntrack_max net.core.somaxconn',
      'sysctl net/ipv4/ip_local_port_range',
      'sysctl net.ipv4.conf.flannel/1.rp_filter',
      'sysctl net.ipv4.nope',
      'sysctl -e net.ipv4.nope',
      'sysctl -w net.ipv4.ip_forward',
      'sysctl -w net.ipv4.ip_forward=abc',
      'sysctl -w net.ipv4.ip_forward=0',
      'sysctl -r forwarding -a',
      'sysctl net.netfilter.nf_conntrack_max=262144',
      'sysctl net.nf_conntrack_max',
      'sysctl',
    ];
    golden('node/sysctl/flannel-read-write.txt', lines.map((l) => `$ ${l}\n` + out(on(sim, n, l))).join(''));
  });
  it('/proc/sys/net reads the same values, and a write there is what sysctl sees', () => {
    const sim = createSimulation(scenario('flannel'));
    const run = (l: string) => sim.run(l);
    expect(run('ssh node-1 cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/netfilter/nf_conntrack_max').stdout).toBe('1\n131072\n');
    expect(run('ssh node-1 ls /proc/sys/net/ipv4/conf').stdout).toBe('all\ncni0\ndefault\neth0\nflannel.1\nlo\n');
    run("ssh node-1 sh -c 'echo 0 > /proc/sys/net/ipv4/conf/all/forwarding'");
    expect(on(sim, node('node-1'), 'sysctl -n net.ipv4.ip_forward net.ipv4.conf.eth0.forwarding').stdout).toBe('0\n0\n');
    // the other node is untouched
    expect(on(sim, node('node-2'), 'sysctl -n net.ipv4.ip_forward').stdout).toBe('1\n');
  });
  it('nf_conntrack_count is the node\'s conntrack table', () => {
    const sim = createSimulation(scenario('flannel'));
    const count = on(sim, node('node-1'), 'sysctl -n net.netfilter.nf_conntrack_count').stdout;
    expect(count).toBe(sim.run('ssh node-1 conntrack -C').stdout);
  });
  it('in a pod it says it is not simulated', () => {
    const sim = createSimulation(scenario('flannel'));
    expect(out(on(sim, pod('default', 'tools'), 'sysctl -a'))).toBe('[stderr]\nnetlab: sysctl is installed in this image but is not simulated here\n[exit 1]\n');
  });
});
