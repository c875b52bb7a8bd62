/**
 * A hand-started server on a port below 1024 (commands/net/traffic/privileged-port.ts): the
 * kernel's __inet_bind (net/ipv4/af_inet.c, 5.15) answers EACCES when the port is below the
 * namespace's net.ipv4.ip_unprivileged_port_start and the process lacks CAP_NET_BIND_SERVICE,
 * before it looks the port up. The nodes run containerd v1.7.22, whose CRI plugin leaves
 * `enable_unprivileged_ports` off (it defaults on only from containerd 2.0:
 * containerd/containerd#9348, #6924, #11502), so a Pod keeps the kernel's 1024 unless its
 * securityContext.sysctls sets the key; a non-root process has no capabilities after execve
 * (no ambient capabilities: kubernetes/kubernetes#56374); root keeps containerd's default set
 * (NET_BIND_SERVICE among it) unless capabilities.drop takes it away.
 *
 * Texts:
 * - busybox 1.36 networking/nc_bloaty.c: xbind → bb_perror_msg_and_die("bind"): `nc: bind: Permission denied`;
 * - netcat-openbsd (netshoot; Debian's patched netcat.c): local_listen returns -1, `err(1, NULL)`:
 *   `nc: Permission denied`;
 * - iperf 3.17.1 src/iperf_error.c IELISTEN + strerror, then iperf_errexit's `exiting`;
 * - socat 1.8 xio-listen.c's bind failure, as its `E bind(…)` line.
 */
import { describe, it } from 'vitest';
import { createSimulation, type Simulation } from '../../../engine';
import { Rng } from '../../../engine/cluster/rng';
import { golden } from '../../unit/dns/golden';
import { dnsLayer, pod, scenario } from '../../unit/dataplane/fixtures';

const SHOOT = 'nicolaka/netshoot:v0.13';

function cluster(): Simulation {
  const c = (name: string, image: string, sc?: object) => ({ containers: [{ name: 'main', image, command: ['sleep', 'infinity'], ...(sc ? { securityContext: sc } : {}) }] });
  const s = createSimulation(
    scenario({ cni: 'calico', proxyMode: 'iptables' }, [
      ...dnsLayer(),
      pod('default', 'shoot-user', 'node-1', '10.244.0.42', SHOOT, {}, c('main', SHOOT, { runAsUser: 1000 })),
      pod('default', 'bb-user', 'node-1', '10.244.0.43', 'busybox:1.36', {}, c('main', 'busybox:1.36', { runAsUser: 65534 })),
      pod('default', 'shoot-root', 'node-2', '10.244.1.62', SHOOT, {}, c('main', SHOOT)),
      pod('default', 'shoot-nocaps', 'node-2', '10.244.1.63', SHOOT, {}, c('main', SHOOT, { capabilities: { drop: ['ALL'] } })),
      pod('default', 'shoot-addcap', 'node-2', '10.244.1.64', SHOOT, {}, c('main', SHOOT, { runAsUser: 1000, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })),
      pod('default', 'shoot-sysctl', 'node-2', '10.244.1.65', SHOOT, {}, { ...c('main', SHOOT, { runAsUser: 1000 }), securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] } }),
    ]),
    { seed: 1, interactive: true },
  );
  s.rng.setState(new Rng(7936).state());
  return s;
}

function term(s: Simulation, text: string): string {
  const ex = s.start(text, 0);
  if (ex.running) ex.interrupt();
  return `$ ${text}\n${ex.takeOutput().map((c) => c.text).join('')}(exit ${ex.exitCode})\n`;
}

describe('binding a privileged port', () => {
  it('non-root gets EACCES below 1024 (busybox, OpenBSD nc, iperf3, socat); root, a pod sysctl, ports ≥ 1024 bind', () => {
    const s = cluster();
    golden('traffic/privileged/bind.txt', [
      'kubectl exec bb-user -- id',
      'kubectl exec bb-user -- nc -l -p 80',
      'kubectl exec bb-user -- nc -lu -p 53',
      'kubectl exec shoot-user -- nc -l -p 80',
      'kubectl exec shoot-user -- nc -l 1023',
      'kubectl exec shoot-user -- iperf3 -s -p 443',
      'kubectl exec shoot-user -- socat TCP-LISTEN:80 -',
      // 1024 is the first unprivileged port: the server runs (Ctrl+C ends it)
      'kubectl exec shoot-user -- nc -lv 1024',
      // root with containerd's default capabilities; without NET_BIND_SERVICE; non-root with it added (no ambient caps)
      'kubectl exec shoot-root -- nc -lv 80',
      'kubectl exec shoot-nocaps -- nc -l 80',
      'kubectl exec shoot-addcap -- nc -l 80',
      // the Pod's sysctl lowers the threshold for its network namespace
      'kubectl exec shoot-sysctl -- nc -lv 80',
      // the workstation is outside the simulated cluster (and sudo there carries no identity to tell root's bind from the learner's)
      'nc -l -p 80',
    ].map((l) => term(s, l)).join(''));
  });
});
