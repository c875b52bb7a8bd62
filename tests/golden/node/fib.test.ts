/**
 * The kernel's tables beside main, as iproute2 prints them on a node.
 * Local table: net/ipv4/fib_frontend.c fib_add_ifaddr (a `local` route for every address on
 * any device — kube-ipvs0 is DOWN and still makes each ClusterIP local; the loopback's prefix
 * route is `local`; `broadcast` for the subnet of an up device), dumped in trie order.
 * Print: iproute2 ip/iproute.c print_route (`table local` only when the listing is not
 * filtered on that table; `ip route get` of a local address: `local … dev lo table local`,
 * `cache <local>` from RTCF_LOCAL), ip/iprule.c print_rule (`0:\tfrom all lookup local `),
 * ip/ipaddress.c print_link_stats64 (`ip -s link`). Rules: fib4_rules_init (0, 32766,
 * 32767), fib6_rules (no default rule).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { scenario } from '../../unit/dns/scenario';
import { on, node, pod } from '../../unit/dns/run';
import { golden } from '../../unit/dns/golden';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}
const transcript = (sim: ReturnType<typeof createSimulation>, host: ReturnType<typeof node>, lines: string[]) => lines.map((l) => `$ ${l}\n` + out(on(sim, host, l))).join('');

describe('ip rule, local table and ip -s link', () => {
  it('flannel, iptables mode', () => {
    const sim = createSimulation(scenario('flannel'));
    golden('node/fib/flannel-iptables.txt', transcript(sim, node('node-1'), [
      'ip rule',
      'ip -6 rule show',
      'ip route show table local',
      'ip route show table all',
      'ip route show table local type broadcast',
      'ip route show table 100',
      'ip route show table foo',
      'ip route get 192.168.49.2',
      'ip route get 127.0.0.53',
      'ip route get 10.244.0.255',
      'ip route get 10.96.0.10',
      'ip -s link show lo',
      'ip -s link show flannel.1',
      'ip rule add from 10.0.0.0/8 lookup 100',
    ]));
  });
  it('IPVS: every ClusterIP is a local route on kube-ipvs0 and `ip route get` answers local', () => {
    const sim = createSimulation(scenario('flannel', '', 'ipvs'));
    golden('node/fib/flannel-ipvs.txt', transcript(sim, node('node-2'), ['ip route show table local dev kube-ipvs0', 'ip route get 10.96.0.10']));
    // the same ClusterIP leaves by the default route in iptables mode
    const ipt = createSimulation(scenario('flannel'));
    expect(on(ipt, node('node-2'), 'ip route get 10.96.0.10').stdout).toMatch(/^10\.96\.0\.10 via /);
  });
  it('every address of every device has its local route', () => {
    const sim = createSimulation(scenario('calico', '', 'ipvs'));
    const addrs = on(sim, node('node-1'), 'ip -o -4 addr').stdout.trim().split('\n').map((l) => l.split(/\s+/)[3].split('/')[0]);
    const local = on(sim, node('node-1'), 'ip route show table local type local').stdout;
    for (const a of addrs) expect(local).toContain(`local ${a} dev `);
  });
  it('in a pod: busybox prints the same rules, the pod has its own local table', () => {
    const sim = createSimulation(scenario('flannel'));
    golden('node/fib/pods.txt', transcript(sim, pod('default', 'client'), ['ip rule']) + transcript(sim, pod('default', 'tools'), ['ip route show table local', 'ip rule del pref 0']));
  });
});
