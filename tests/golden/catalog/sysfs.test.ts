/**
 * sysfs and the netns run directory, derived from the namespaces `ip link` and `ip netns` print.
 *
 * /sys/class/net/<dev>/…: the attributes linux net/core/net-sysfs.c shows (ifindex, iflink —
 * dev_get_iflink: a veth's peer index, 0 for an ipip tunnel without a lower device —, mtu,
 * address, broadcast, addr_len, type as include/uapi/linux/if_arp.h numbers it, operstate,
 * carrier, tx_queue_len), each a line. The recipe it pins is the common "which host veth is this
 * Pod's": the Pod's eth0 iflink equals the host link's ifindex, and `ip link`'s `@ifN`.
 * /run/netns and /var/run/netns: iproute2 ip/ipnetns.c lists NETNS_RUN_DIR ("/var/run/netns"),
 * where containerd bind-mounts each sandbox's namespace, so `ls` and `ip netns list` agree.
 */
import { expect, it } from 'vitest';
import { golden, session } from './golden';
import { cluster } from './scenario';

it('sysfs: a Pod and its node read the links ip link shows; the netns directory lists what ip netns does', () => {
  golden('sysfs', session('calico', [
    'kubectl exec bb -- ls /sys/class/net',
    'kubectl exec bb -- cat /sys/class/net/eth0/iflink /sys/class/net/eth0/ifindex /sys/class/net/eth0/mtu /sys/class/net/eth0/operstate',
    'kubectl exec bb -- ip -o link show eth0',
    'ssh node-1 ls /sys/class/net',
    'ssh node-1 "cat /sys/class/net/tunl0/iflink /sys/class/net/tunl0/type /sys/class/net/tunl0/addr_len /sys/class/net/lo/type"',
    'ssh node-1 ls /sys/class/net/eth0',
    'ssh node-1 ls /var/run/netns',
    'ssh node-1 ip netns list',
    'kubectl exec bb -- cat /sys/class/net/eth9/mtu',
  ]));
});

it("a Pod's eth0 iflink is the ifindex of exactly one host link, the cali veth the CNI made for it", () => {
  const sim = cluster('calico');
  const pods = sim.run("kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name} {.spec.nodeName}{\"\\n\"}{end}'").stdout.trim().split('\n');
  expect(pods.length).toBeGreaterThan(1);
  for (const line of pods) {
    const [pod, node] = line.split(' ');
    const iflink = sim.run(`kubectl exec ${pod} -- cat /sys/class/net/eth0/iflink`);
    if (iflink.exitCode !== 0) continue; // an image without cat
    const idx = iflink.stdout.trim();
    const links = sim.run(`ssh ${node} "grep -lx ${idx} /sys/class/net/*/ifindex"`).stdout.trim().split('\n');
    expect(links).toHaveLength(1);
    const dev = links[0].split('/')[4];
    expect(dev).toMatch(/^cali/);
    expect(sim.run(`ssh ${node} ip -o link show ${dev}`).stdout).toMatch(new RegExp(`^${idx}: ${dev}@`));
  }
});
