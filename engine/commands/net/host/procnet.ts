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
 *  - /proc/net/tcp, tcp6, udp, udp6: the sockets `ss` lists in the namespace (ss.ts hostSockets,
 *    hostEstablished) as net/ipv4/tcp_ipv4.c tcp4_seq_show / get_tcp4_sock, net/ipv6/tcp_ipv6.c
 *    get_tcp6_sock, net/ipv4/udp.c udp4_format_sock and net/ipv6/datagram.c
 *    __ip6_dgram_sock_seq_show print them: IPv4 header and rows padded to 149 (tcp,
 *    seq_setwidth(TMPSZ - 1)) or 127 (udp) columns, IPv6 unpadded; addresses as network-order
 *    words printed %08X (little-endian), ports %04X; st 0A LISTEN, 01 ESTABLISHED, 07 for an
 *    unbound UDP socket; a listener's rto 100 (TCP_TIMEOUT_INIT in clock ticks) and cwnd 10; an
 *    established one with Go's 15 s keepalive timer (02); uid 0 (the daemons and nginx's master
 *    run as root); inode numbers seeded per namespace and socket, stable; `%pK` is zeros in a
 *    container (no CAP_SYSLOG), a kernel address for root on the node (kptr_restrict=1); UDP's
 *    `sl` is its hash slot, udp_hashfn: (port + net_hash_mix) & mask;
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
import { sha1 } from '../../../cluster/hash';
import { hostEstablished, hostSockets, type Sock } from './ss';
import type { HostRef } from '../../../types';

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

/** An IPv6 address's four network-order words as get_tcp6_sock prints them (each %08X on a little-endian machine). */
function hex6(addr: string): string {
  const a = addr.replace(/^\[|\]$/g, '');
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (m) return '00000000' + '00000000' + 'FFFF0000' + hexWord(parseCidr(`${m[1]}/32`)!.network);
  if (a === '::' || a === '*') return '0'.repeat(32);
  const [head, tail = ''] = a.split('::');
  const hs = head ? head.split(':') : [];
  const ts = tail ? tail.split(':') : [];
  const groups = [...hs, ...Array(8 - hs.length - ts.length).fill('0'), ...ts].map((g) => parseInt(g, 16));
  let out = '';
  for (let i = 0; i < 8; i += 2) out += hexWord(((groups[i] << 16) | groups[i + 1]) >>> 0);
  return out;
}

function hex4(addr: string): string {
  const a = addr.split('%')[0];
  return hexWord(a === '*' || a === '0.0.0.0' ? 0 : parseCidr(`${a}/32`)!.network);
}

const hex = (n: number, w: number) => n.toString(16).toUpperCase().padStart(w, '0');

/** The socket's family as the kernel holds it: `*` and `[::]` are AF_INET6 (dual-stack), `[::ffff:a.b.c.d]` too. */
const isV6 = (x: Sock) => x.v6 || x.local.startsWith('[') || x.local === '*';

function seeded(key: string, mod: number): number {
  return parseInt(sha1(key).slice(0, 8), 16) % mod;
}

interface ProcSockView {
  nsKey: string;
  node: boolean;
  socks: Sock[];
}

function procSocks(cluster: ClusterRuntime, h: HostRef): ProcSockView | undefined {
  const ns = hostNamespace(cluster, h);
  if (!ns) return undefined;
  const ctx = { cluster, host: h };
  return { nsKey: ns.id, node: h.kind === 'node', socks: [...hostSockets(ctx), ...hostEstablished(ctx)] };
}

function inode(v: ProcSockView, x: Sock): number {
  // a namespace's sockets get inode numbers from the kernel's sockfs counter: a node's daemons low, a Pod's later
  return (v.node ? 18000 : 140000) + seeded(`${v.nsKey}/${x.proto}/${x.local}:${x.port}/${x.peer?.addr ?? ''}:${x.peer?.port ?? 0}`, 40000);
}

function kptr(v: ProcSockView, x: Sock): string {
  if (!v.node) return '0'.repeat(16);
  // a slab object: ffff8…, 64-byte aligned
  const h = sha1(`${v.nsKey}/sk/${x.proto}/${x.local}:${x.port}/${x.peer?.addr ?? ''}:${x.peer?.port ?? 0}`);
  return `ffff8${h.slice(0, 8)}${((parseInt(h.slice(8, 10), 16) & 0xc0) >> 4).toString(16)}00`.slice(0, 16).padEnd(16, '0');
}

function tcpRow(v: ProcSockView, x: Sock, i: number, six: boolean, clockMs: number): string {
  const addr = six ? hex6 : hex4;
  const peer = x.peer ? `${addr(x.peer.addr)}:${hex(x.peer.port, 4)}` : `${addr(six ? '::' : '0.0.0.0')}:0000`;
  const est = !!x.peer;
  // Go's net.Dialer/ListenConfig turn keepalive on at 15 s: the timer's remaining clock ticks (USER_HZ 100)
  const keep = 1500 - (Math.floor(clockMs / 10) + seeded(`${v.nsKey}/ka/${x.local}:${x.port}`, 1500)) % 1500;
  const timer = est ? `02:${hex(keep, 8)}` : '00:00000000';
  const tail = est ? `2 ${kptr(v, x)} 20 4 30 10 -1` : `1 ${kptr(v, x)} 100 0 0 10 0`;
  return `${String(i).padStart(4)}: ${addr(x.local)}:${hex(x.port, 4)} ${peer} ${est ? '01' : '0A'} 00000000:00000000 ${timer} 00000000 ${'0'.padStart(5)} ${'0'.padStart(8)} ${inode(v, x)} ${tail}`;
}

export function procNetTcp(v: ProcSockView | undefined, six: boolean, clockMs: number): string {
  const socks = (v?.socks ?? []).filter((x) => x.proto === 'tcp' && isV6(x) === six);
  if (six) {
    let out = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
    socks.forEach((x, i) => (out += tcpRow(v!, x, i, true, clockMs) + '\n'));
    return out;
  }
  let out = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'.padEnd(149) + '\n';
  socks.forEach((x, i) => (out += tcpRow(v!, x, i, false, clockMs).padEnd(149) + '\n'));
  return out;
}

export function procNetUdp(v: ProcSockView | undefined, six: boolean): string {
  const socks = (v?.socks ?? []).filter((x) => x.proto === 'udp' && isV6(x) === six);
  const addr = six ? hex6 : hex4;
  // udp_hashfn: (port + net_hash_mix(net)) & udptable->mask; the mix is the namespace's random hash_mix
  const mix = v ? seeded(`${v.nsKey}/hash_mix`, 1 << 30) : 0;
  const rows = socks.map((x) => ({ x, slot: (x.port + mix) & 1023 })).sort((a, b) => a.slot - b.slot);
  const fmt = (x: Sock, slot: number) => `${String(slot).padStart(5)}: ${addr(x.local)}:${hex(x.port, 4)} ${addr(six ? '::' : '0.0.0.0')}:0000 07 00000000:00000000 00:00000000 00000000 ${'0'.padStart(5)} ${'0'.padStart(8)} ${inode(v!, x)} 2 ${kptr(v!, x)} 0`;
  if (six) {
    let out = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n';
    for (const r of rows) out += fmt(r.x, r.slot) + '\n';
    return out;
  }
  let out = pad127('   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops');
  for (const r of rows) out += pad127(fmt(r.x, r.slot));
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

/** Registers /proc/version, /proc/net/route, /proc/net/{tcp,tcp6,udp,udp6}, /proc/net/arp and /sys/class/net on nodes and in containers, /run/netns on nodes. */
export function registerProcNet(cluster: ClusterRuntime): void {
  const machine = (h: { kind: string }) => h.kind === 'node' || h.kind === 'pod';
  cluster.fs.provide(machine, '/proc/version', () => NODE_PROC_VERSION + '\n');
  cluster.fs.provide(machine, '/proc/net/route', (h) => procNetRoute(hostNamespace(cluster, h)));
  cluster.fs.provide(machine, '/proc/net/tcp', (h) => procNetTcp(procSocks(cluster, h), false, cluster.clock.now()));
  cluster.fs.provide(machine, '/proc/net/tcp6', (h) => procNetTcp(procSocks(cluster, h), true, cluster.clock.now()));
  cluster.fs.provide(machine, '/proc/net/udp', (h) => procNetUdp(procSocks(cluster, h), false));
  cluster.fs.provide(machine, '/proc/net/udp6', (h) => procNetUdp(procSocks(cluster, h), true));
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

