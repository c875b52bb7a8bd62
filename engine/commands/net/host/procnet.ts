/**
 * /proc files a node's and a container's filesystem derive from the kernel state the
 * simulation keeps:
 *  - /proc/version: the nodes' kernel banner (cluster/release.ts), the same in every container;
 *  - /proc/net/route: the network namespace's main-table IPv4 routes as net/ipv4/fib_trie.c
 *    fib_route_seq_show prints them — the header and each row padded to 127 columns
 *    (seq_setwidth/seq_pad), "%s\t%08X\t%08X\t%04X\t%d\t%u\t%d\t%08X\t%d\t%u\t%u" with the
 *    addresses as the raw network-order word (10.244.0.1 is 0100F40A), flags from
 *    fib_flag_trans (RTF_UP 1, RTF_GATEWAY 2, RTF_HOST 4 for a /32), in the FIB's order;
 *  - /proc/net/arp: the neighbour table as net/ipv4/arp.c arp_seq_show prints it,
 *    "%-16s 0x%-10x0x%-10x%-17s     %-8s %s\n" with hatype 0x1 (ARPHRD_ETHER) and
 *    arp_state_to_flags (0x6 PERMANENT, 0x2 valid), the entries `arp` lists;
 *  - /sys/class/net/<dev>/…: the attributes net/core/net-sysfs.c shows for each link of the
 *    namespace — ifindex, iflink (a veth's peer ifindex: the "which host veth is this Pod's"
 *    recipe, equal to `ip link`'s `@ifN`; 0 for tunl0@NONE), mtu, address, broadcast,
 *    addr_len, type (ARPHRD_ETHER 1, ARPHRD_TUNNEL 768, ARPHRD_LOOPBACK 772), operstate,
 *    carrier (only readable while the link is up: netif_running), tx_queue_len;
 *  - /run/netns (and /var/run/netns, its older path) on a node: one nsfs mount per pod
 *    sandbox, the names `ip netns list` reads from that directory (ip/ipnetns.c NETNS_RUN_DIR).
 */
import type { ClusterRuntime } from '../../../controllers/runtime';
import { hostNamespace } from '../../../controllers/cni';
import { parseCidr, prefixMask } from '../../../cluster/ipv4';
import type { NetLink, NetNamespace } from '../../../dataplane/netns';
import { netnsName } from '../../../controllers/cni/netdev';
import { cniModule } from '../../../controllers/cni/module';
import { NODE_PROC_VERSION } from '../../../cluster/release';

/** The network-order word of an address as %08X prints it on a little-endian machine. */
function hexWord(n: number): string {
  const le = (((n & 0xff) << 24) | (((n >>> 8) & 0xff) << 16) | (((n >>> 16) & 0xff) << 8) | (n >>> 24)) >>> 0;
  return le.toString(16).toUpperCase().padStart(8, '0');
}

const pad127 = (s: string) => s.padEnd(127) + '\n';

export function procNetRoute(ns: NetNamespace | undefined): string {
  let out = pad127('Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT');
  const rows = (ns?.routes ?? [])
    .map((r) => {
      const c = r.dst === 'default' ? { network: 0, prefix: 0 } : parseCidr(r.dst.includes('/') ? r.dst : `${r.dst}/32`);
      return c ? { r, net: c.network >>> 0, prefix: c.prefix } : undefined;
    })
    .filter((x): x is NonNullable<typeof x> => !!x)
    .sort((a, b) => a.net - b.net || b.prefix - a.prefix);
  for (const { r, net, prefix } of rows) {
    const gw = r.via ? parseCidr(r.via)?.network ?? 0 : 0;
    const flags = 1 | (r.via ? 2 : 0) | (prefix === 32 ? 4 : 0);
    const dev = r.type === 'blackhole' ? '*' : r.dev ?? '*';
    out += pad127(`${dev}\t${hexWord(net)}\t${hexWord(gw)}\t${flags.toString(16).toUpperCase().padStart(4, '0')}\t0\t0\t${r.metric ?? 0}\t${hexWord(prefixMask(prefix))}\t0\t0\t0`);
  }
  return out;
}

export function procNetArp(ns: NetNamespace | undefined): string {
  let out = 'IP address       HW type     Flags       HW address            Mask     Device\n';
  for (const n of (ns?.neighbors ?? []).filter((x) => x.lladdr && x.state !== 'FAILED' && !x.ip.includes(':'))) {
    const flags = n.state === 'PERMANENT' ? 0x6 : 0x2;
    out += `${n.ip.padEnd(16)} 0x${'1'.padEnd(10)}0x${flags.toString(16).padEnd(10)}${n.lladdr!.padEnd(17)}     ${'*'.padEnd(8)} ${n.dev}\n`;
  }
  return out;
}

const ARPHRD: Record<NetLink['linkType'], number> = { ether: 1, ipip: 768, loopback: 772 };

/** A link's IFLA_LINK as net-sysfs's iflink shows it: the peer's index for `@ifN`, 0 for `@NONE`, its own otherwise. */
function iflink(l: NetLink, ns: NetNamespace): number {
  if (!l.peer) return l.ifindex;
  if (l.peer === 'NONE') return 0;
  const m = /^if(\d+)$/.exec(l.peer);
  if (m) return Number(m[1]);
  return ns.links.find((x) => x.name === l.peer)?.ifindex ?? l.ifindex;
}

export function sysClassNet(ns: NetNamespace | undefined): Record<string, string> | undefined {
  if (!ns) return undefined;
  const out: Record<string, string> = {};
  for (const l of ns.links) {
    const up = l.flags.includes('UP');
    const files: Record<string, string | number | undefined> = {
      addr_len: l.linkType === 'ipip' ? 4 : 6,
      address: l.linkType === 'ipip' ? '00:00:00:00' : l.mac,
      broadcast: l.linkType === 'ipip' ? '00:00:00:00' : l.brd,
      carrier: up ? (l.flags.includes('LOWER_UP') ? 1 : 0) : undefined,
      ifindex: l.ifindex,
      iflink: iflink(l, ns),
      mtu: l.mtu,
      operstate: l.state.toLowerCase(),
      tx_queue_len: l.qlen,
      type: ARPHRD[l.linkType],
    };
    for (const [k, v] of Object.entries(files)) if (v !== undefined) out[`${l.name}/${k}`] = `${v}\n`;
  }
  return out;
}

/** Registers /proc/version, /proc/net/route, /proc/net/arp and /sys/class/net on nodes and in containers, /run/netns on nodes. */
export function registerProcNet(cluster: ClusterRuntime): void {
  const machine = (h: { kind: string }) => h.kind === 'node' || h.kind === 'pod';
  cluster.fs.provide(machine, '/proc/version', () => NODE_PROC_VERSION + '\n');
  cluster.fs.provide(machine, '/proc/net/route', (h) => procNetRoute(hostNamespace(cluster, h)));
  cluster.fs.provide(machine, '/proc/net/arp', (h) => procNetArp(hostNamespace(cluster, h)));
  cluster.fs.provideFamily(machine, '/sys/class/net', (h) => sysClassNet(hostNamespace(cluster, h)));
  const sandboxes = (h: { kind: string; node?: string }) => {
    if (h.kind !== 'node' || !h.node) return undefined;
    const out: Record<string, string> = {};
    for (const a of cniModule(cluster).podAllocs(h.node)) {
      const p = cluster.store.get('Pod', a.namespace, a.name);
      out[p && p.metadata.uid === a.uid ? netnsName(p) : `cni-${a.uid}`] = '';
    }
    return out;
  };
  const node = (h: { kind: string }) => h.kind === 'node';
  cluster.fs.provideFamily(node, '/run/netns', sandboxes);
  cluster.fs.provideFamily(node, '/var/run/netns', sandboxes);
}

