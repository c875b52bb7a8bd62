/**
 * /opt/cni/bin on a node: the binaries of containernetworking/plugins v1.6.2
 * (cni-plugins-linux-amd64-v1.6.2.tgz, their sizes as unpacked) plus the CNI's own
 * (flannel's cni-plugin; Calico's calico/calico-ipam at approximate sizes). ls -l: coreutils
 * ls.c (mode, the size column as wide as the widest, "total" in 1K blocks); -h's human sizes.
 * A plugin run by hand: containernetworking/cni pkg/skel/skel.go pluginMain — with no
 * CNI_COMMAND it prints buildversion.BuildString ("CNI %s plugin %s") and "CNI protocol
 * versions supported: …" (version.All) to stderr, exit 0. The simulation holds no binary
 * bytes: cat and the other text tools say so instead of printing a stand-in.
 */
import { expect, it } from 'vitest';
import { createSimulation } from '../../../engine';

function run(sim: ReturnType<typeof createSimulation>, line: string): string {
  const r = sim.run(line);
  return `$ ${line}\n${r.stdout}${r.stderr ? `[stderr] ${r.stderr}` : ''}[exit ${r.exitCode}]\n`;
}

it('ls -l, cat, grep and running a plugin on a Flannel node', () => {
  const sim = createSimulation('cluster:\n  cni: flannel\n', { seed: 1 });
  const lines = [
    'ssh node-1 ls -l /opt/cni/bin',
    'ssh node-1 ls -lh /opt/cni/bin/bridge /opt/cni/bin/flannel',
    'ssh node-1 cat /opt/cni/bin/bridge',
    'ssh node-1 grep -c x /opt/cni/bin/portmap',
    'ssh node-1 /opt/cni/bin/bridge --version',
    "ssh node-1 'cd /opt/cni/bin && ./host-local 2>&1 | head -1'",
    'ssh node-1 /opt/cni/bin/flannel',
  ];
  expect(lines.map((l) => run(sim, l)).join('')).toBe(`$ ssh node-1 ls -l /opt/cni/bin
total 92528
-rwxr-xr-x 1 root root  4655178 Jan 15 09:00 bandwidth
-rwxr-xr-x 1 root root  5287212 Jan 15 09:00 bridge
-rwxr-xr-x 1 root root 12762814 Jan 15 09:00 dhcp
-rwxr-xr-x 1 root root  4847854 Jan 15 09:00 dummy
-rwxr-xr-x 1 root root  5315134 Jan 15 09:00 firewall
-rwxr-xr-x 1 root root  2835118 Jan 15 09:00 flannel
-rwxr-xr-x 1 root root  4792010 Jan 15 09:00 host-device
-rwxr-xr-x 1 root root  4060355 Jan 15 09:00 host-local
-rwxr-xr-x 1 root root  4870719 Jan 15 09:00 ipvlan
-rwxr-xr-x 1 root root  4114939 Jan 15 09:00 loopback
-rwxr-xr-x 1 root root  4903324 Jan 15 09:00 macvlan
-rwxr-xr-x 1 root root  4713429 Jan 15 09:00 portmap
-rwxr-xr-x 1 root root  5076613 Jan 15 09:00 ptp
-rwxr-xr-x 1 root root  4333422 Jan 15 09:00 sbr
-rwxr-xr-x 1 root root  3651755 Jan 15 09:00 static
-rwxr-xr-x 1 root root  4928874 Jan 15 09:00 tap
-rwxr-xr-x 1 root root  4208424 Jan 15 09:00 tuning
-rwxr-xr-x 1 root root  4868252 Jan 15 09:00 vlan
-rwxr-xr-x 1 root root  4488658 Jan 15 09:00 vrf
[exit 0]
$ ssh node-1 ls -lh /opt/cni/bin/bridge /opt/cni/bin/flannel
-rwxr-xr-x 1 root root 5.1M Jan 15 09:00 /opt/cni/bin/bridge
-rwxr-xr-x 1 root root 2.8M Jan 15 09:00 /opt/cni/bin/flannel
[exit 0]
$ ssh node-1 cat /opt/cni/bin/bridge
[stderr] cat: /opt/cni/bin/bridge: binary file (not shown in this simulation)
[exit 1]
$ ssh node-1 grep -c x /opt/cni/bin/portmap
[stderr] grep: /opt/cni/bin/portmap: binary file (not shown in this simulation)
[exit 2]
$ ssh node-1 /opt/cni/bin/bridge --version
[stderr] CNI bridge plugin v1.6.2
CNI protocol versions supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0
[exit 0]
$ ssh node-1 'cd /opt/cni/bin && ./host-local 2>&1 | head -1'
CNI host-local plugin v1.6.2
[exit 0]
$ ssh node-1 /opt/cni/bin/flannel
[stderr] netlab: /opt/cni/bin/flannel runs when the container runtime calls it; running it by hand is not simulated here
[exit 126]
`);
});
