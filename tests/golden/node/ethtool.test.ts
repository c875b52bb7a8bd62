/**
 * ethtool on a node (Ubuntu 22.04's ethtool 5.16) and in nicolaka/netshoot (Alpine's 6.x),
 * over the simulated links, as the node's 5.15 kernel answers:
 *  - ethtool netlink/settings.c (nl_gset, linkmodes_reply_cb, linkinfo_reply_cb,
 *    linkstate_reply_cb, print_enum's "Unknown! (%d)", "No data available" exit 75);
 *    ethtool.c dump_drvinfo (-i, exit 71 on failure), do_gnicstats (-S: "NIC statistics:",
 *    "no stats available" exit 94, exit 96 when the strings cannot be read), exit_bad_args.
 *  - linux v5.15 drivers/net/veth.c (veth_get_link_ksettings: SPEED_10000, DUPLEX_FULL,
 *    PORT_TP, AUTONEG_DISABLE; DRV_VERSION "1.0"; peer_ifindex and the per-queue
 *    veth_rq_stats_desc / veth_tq_stats_desc strings), net/bridge/br_device.c
 *    (br_get_link_ksettings: DUPLEX_UNKNOWN, PORT_OTHER, fastest up port; br_getinfo
 *    BR_VERSION "2.3", "N/A"), drivers/net/vxlan.c (VXLAN_VERSION "0.1", get_link only),
 *    drivers/net/loopback.c (get_link always_on, no get_drvinfo), drivers/net/dummy.c,
 *    net/ipv4/ipip.c, net/ethtool/ioctl.c ethtool_get_drvinfo (UTS_RELEASE default version,
 *    rtnl_link_ops->kind fallback, EOPNOTSUPP for lo).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { scenario } from '../../unit/dns/scenario';
import { on, node, pod } from '../../unit/dns/run';
import { golden } from '../../unit/dns/golden';
import type { Simulation } from '../../../engine/simulation';
import type { HostRef } from '../../../engine/types';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

function session(sim: Simulation, host: HostRef, lines: string[]): string {
  return lines.map((l) => `$ ${l}\n` + out(on(sim, host, l))).join('');
}

/** The host's interfaces as `ip -o link` lists them: [ifindex, name, peer]. */
function links(sim: Simulation, host: HostRef): [number, string, string | undefined][] {
  return on(sim, host, 'ip -o link').stdout.trim().split('\n').map((l) => {
    const m = /^(\d+): ([^:@]+)(?:@([^:]+))?:/.exec(l)!;
    return [Number(m[1]), m[2], m[3]];
  });
}

describe('ethtool', () => {
  it('a flannel node: eth0, cni0 (bridge over veths), flannel.1 (vxlan), a pod veth, lo; errors', () => {
    const sim = createSimulation(scenario('flannel'));
    const n = node('node-1');
    const veth = links(sim, n).find(([, name]) => name.startsWith('veth'))![1];
    const lines = [
      'ethtool eth0', 'ethtool -i eth0', 'ethtool -S eth0',
      'ethtool cni0', 'ethtool -i cni0', 'ethtool -S cni0',
      'ethtool flannel.1', 'ethtool -i flannel.1',
      `ethtool -i ${veth}`, `ethtool -S ${veth}`,
      'ethtool lo', 'ethtool -i lo', 'ethtool -S lo',
      'ethtool eth9', 'ethtool -i eth9', 'ethtool -S eth9',
      'ethtool', 'ethtool eth0 eth1', 'ethtool -Z eth0', 'ethtool -g eth0', 'ethtool --version',
    ];
    golden('node/ethtool/flannel-node.txt', session(sim, n, lines));
  });

  it('a Calico node in IPVS mode: tunl0 (ipip) and kube-ipvs0 (dummy) have no get_link', () => {
    const sim = createSimulation(scenario('calico', '', 'ipvs'));
    const n = node('node-1');
    const cali = links(sim, n).find(([, name]) => name.startsWith('cali'))![1];
    golden('node/ethtool/calico-ipvs-node.txt', session(sim, n, ['ethtool tunl0', 'ethtool -i tunl0', 'ethtool kube-ipvs0', 'ethtool -i kube-ipvs0', `ethtool ${cali}`, `ethtool -i ${cali}`]));
  });

  it('netshoot sees its Pod namespace: eth0 is a veth', () => {
    const sim = createSimulation(scenario('flannel'));
    golden('node/ethtool/netshoot.txt', session(sim, pod('default', 'tools'), ['ethtool eth0', 'ethtool -i eth0', 'ethtool -S eth0', 'ethtool cni0']));
  });

  it("each end's peer_ifindex is the other end's ifindex, as ip link's @ifN says", () => {
    for (const cni of ['flannel', 'calico']) {
      const sim = createSimulation(scenario(cni));
      const p = pod('default', 'tools');
      const [podIdx, , podPeer] = links(sim, p).find(([, name]) => name === 'eth0')!;
      const peerIdx = Number(/^if(\d+)$/.exec(podPeer!)![1]);
      const peerOf = (h: HostRef, dev: string) => Number(/peer_ifindex: (\d+)/.exec(on(sim, h, `ethtool -S ${dev}`).stdout)![1]);
      expect(peerOf(p, 'eth0')).toBe(peerIdx);
      const hostEnd = links(sim, node('node-1')).find(([i]) => i === peerIdx)!;
      expect(peerOf(node('node-1'), hostEnd[1])).toBe(podIdx);
    }
  });
});
