/**
 * iproute2's and busybox's renderings of a network namespace.
 *
 * iproute2 (ip/ipaddress.c print_linkinfo/print_addrinfo, ip/iproute.c print_route,
 * ip/ipneigh.c, bridge/link.c): every field is printed as "name value " — hence the
 * trailing spaces real output has (`group default `, `dev eth0 `, `cost 2 `); `mode DEFAULT`
 * only in `ip link`; `qlen N` only for a non-zero txqueuelen; `link-netnsid N` for veths
 * whose peer is in another namespace; `-br` pads the name to 16 and the state to 14.
 *
 * busybox (networking/libiproute/ipaddress.c, iproute.c): no `group`/`mode`/`link-netnsid`,
 * `M-DOWN` among the flags of a link whose peer it cannot see (`eth0@if12`), and
 * `scope link  src A` with two spaces in routes.
 */
import type { NetAddr, NetLink, NetNamespace, NetNeighbor, NetRoute } from '../../dataplane/netns';

export type IpFlavour = 'iproute2' | 'busybox';

export interface AddrFilter {
  family?: 'inet' | 'inet6';
}

function linkName(l: NetLink): string {
  return l.peer ? `${l.name}@${l.peer}` : l.name;
}

function flagsOf(l: NetLink, flavour: IpFlavour): string {
  const f = [...l.flags];
  if (flavour === 'busybox' && l.peer && l.peer.startsWith('if')) f.push('M-DOWN');
  return `<${f.join(',')}>`;
}

/** First line of a link: `2: eth0: <…> mtu 1500 qdisc mq state UP group default qlen 1000`. */
export function linkHeader(l: NetLink, flavour: IpFlavour, cmd: 'addr' | 'link'): string {
  let s = `${l.ifindex}: ${linkName(l)}: ${flagsOf(l, flavour)} mtu ${l.mtu} qdisc ${l.qdisc} `;
  if (l.master) s += `master ${l.master} `;
  s += `state ${l.state} `;
  if (flavour === 'iproute2') {
    if (cmd === 'link') s += 'mode DEFAULT ';
    s += 'group default ';
  }
  if (l.qlen) s += `qlen ${l.qlen}`;
  return s;
}

function linkLine(l: NetLink, flavour: IpFlavour, details: boolean): string {
  let s = `    link/${l.linkType} ${l.mac} brd ${l.brd}`;
  if (flavour === 'iproute2' && l.linkNetnsid !== undefined) s += ` link-netnsid ${l.linkNetnsid}`;
  if (details && flavour === 'iproute2') s += ` promiscuity ${l.master && l.kind !== 'veth' ? 1 : 0} minmtu ${minMtu(l)} maxmtu ${maxMtu(l)} ` + detailLine(l);
  return s;
}

function minMtu(l: NetLink): number {
  return l.kind === 'loopback' ? 0 : l.kind === 'ipip' ? 0 : 68;
}

function maxMtu(l: NetLink): number {
  if (l.kind === 'loopback') return 0;
  if (l.kind === 'ipip') return 65515;
  if (l.kind === 'device') return 9216;
  return 65535;
}

const QUEUES = 'numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 ';

function detailLine(l: NetLink): string {
  const tail = `addrgenmode eui64 ${QUEUES}`;
  switch (l.kind) {
    case 'vxlan': {
      const v = l.vxlan!;
      const where = v.local ? `local ${v.local} dev ${v.dev} ` : 'external ';
      const id = v.local ? `id ${v.id} ` : '';
      return `\n    vxlan ${id}${where}srcport 0 0 dstport ${v.dstport} ${v.learning ? '' : 'nolearning '}ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx ${bridgeSlave(l)}${tail}`;
    }
    case 'veth':
      return `\n    veth ${bridgeSlave(l)}${tail}`;
    case 'bridge':
      return `\n    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 vlan_protocol 802.1Q bridge_id 8000.${l.mac.replace(/:/g, '')} designated_root 8000.${l.mac.replace(/:/g, '')} root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer  100.00 vlan_default_pvid 1 vlan_stats_enabled 0 vlan_stats_per_port 0 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3125 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 ${tail}`;
    case 'ipip':
      return `\n    ipip any remote any local any ttl inherit nopmtudisc ${tail}`;
    case 'dummy':
      return `\n    dummy ${tail}`;
    case 'openvswitch':
      return `\n    openvswitch ${tail}`;
    default:
      return tail;
  }
}

function bridgeSlave(l: NetLink): string {
  if (!l.master) return '';
  return `\n    bridge_slave state forwarding priority 32 cost 2 hairpin on guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off `;
}

function addrLines(l: NetLink, a: NetAddr): string {
  let s = `    ${a.family} ${a.local}/${a.prefix} `;
  if (a.brd) s += `brd ${a.brd} `;
  s += `scope ${a.scope} `;
  if (a.flags?.length) s += a.flags.map((f) => `${f} `).join('');
  if (a.family === 'inet') s += l.name;
  return s + '\n       valid_lft forever preferred_lft forever\n';
}

function addrsOf(l: NetLink, f: AddrFilter): NetAddr[] {
  return l.addrs.filter((a) => !f.family || a.family === f.family);
}

/** `ip addr show` */
export function ipAddr(links: NetLink[], flavour: IpFlavour, f: AddrFilter = {}, details = false): string {
  let out = '';
  for (const l of links) {
    const addrs = addrsOf(l, f);
    if (f.family && addrs.length === 0) continue;
    out += linkHeader(l, flavour, 'addr') + '\n';
    if (!f.family) out += linkLine(l, flavour, details) + '\n';
    for (const a of addrs) out += addrLines(l, a);
  }
  return out;
}

/** `ip link show` */
export function ipLink(links: NetLink[], flavour: IpFlavour, details = false): string {
  let out = '';
  for (const l of links) out += linkHeader(l, flavour, 'link') + '\n' + linkLine(l, flavour, details) + '\n';
  return out;
}

/** `ip -br addr`: name (16) state (14) addresses. */
export function ipAddrBrief(links: NetLink[], f: AddrFilter = {}): string {
  let out = '';
  for (const l of links) {
    const addrs = addrsOf(l, f);
    if (f.family && addrs.length === 0) continue;
    out += `${linkName(l).padEnd(16)} ${l.state.padEnd(14)} ${addrs.map((a) => `${a.local}/${a.prefix} `).join('')}\n`;
  }
  return out;
}

/** `ip -br link`: name (16) state (14) mac flags. */
export function ipLinkBrief(links: NetLink[]): string {
  let out = '';
  for (const l of links) out += `${linkName(l).padEnd(16)} ${l.state.padEnd(14)} ${l.mac} ${flagsOf(l, 'iproute2')} \n`;
  return out;
}

/** `ip route show` */
export function ipRoute(routes: NetRoute[], flavour: IpFlavour): string {
  let out = '';
  for (const r of routes) {
    let s = '';
    if (r.type) s += `${r.type} `;
    s += `${r.dst} `;
    if (r.via) s += `via ${r.via} `;
    if (r.dev) s += `dev ${r.dev} `;
    if (flavour === 'iproute2') {
      if (r.proto) s += `proto ${r.proto} `;
      if (r.scope) s += `scope ${r.scope} `;
      if (r.src) s += `src ${r.src} `;
      if (r.metric !== undefined) s += `metric ${r.metric} `;
      if (r.onlink) s += 'onlink ';
      if (r.mtu) s += `mtu ${r.mtu} `;
    } else {
      if (r.scope) s += `scope ${r.scope} `;
      if (r.src) s += ` src ${r.src} `;
      if (r.metric !== undefined) s += ` metric ${r.metric} `;
      if (r.onlink) s += 'onlink ';
    }
    out += s + '\n';
  }
  return out;
}

/**
 * `ip -6 route show`: iproute2's print_route for AF_INET6 (ip/iproute.c): dst, via, dev,
 * proto unless boot, scope unless universe, src, metric (IPv6 routes always carry one),
 * flags (onlink), metrics (mtu), then `pref medium` with no trailing space. BusyBox's
 * `ip` prints dst, via, dev, then `  metric N `.
 */
export function ipRoute6(routes: NetRoute[], flavour: IpFlavour): string {
  let out = '';
  for (const r of routes) {
    let s = `${r.type ? `${r.type} ` : ''}${r.dst} `;
    if (r.via) s += `via ${r.via} `;
    if (r.dev) s += `dev ${r.dev} `;
    if (flavour === 'iproute2') {
      if (r.proto) s += `proto ${r.proto} `;
      if (r.scope) s += `scope ${r.scope} `;
      if (r.src) s += `src ${r.src} `;
      s += `metric ${r.metric ?? 1024} `;
      if (r.onlink) s += 'onlink ';
      if (r.mtu) s += `mtu ${r.mtu} `;
      s += 'pref medium';
    } else {
      s += ` metric ${r.metric ?? 1024} `;
    }
    out += s + '\n';
  }
  return out;
}

/** `ip neigh show` */
export function ipNeigh(neighbors: NetNeighbor[]): string {
  let out = '';
  for (const n of neighbors) {
    let s = `${n.ip} dev ${n.dev} `;
    if (n.lladdr) s += `lladdr ${n.lladdr} `;
    if (n.router) s += 'router ';
    out += s + n.state + '\n';
  }
  return out;
}

/** `bridge link show`: every port enslaved to a bridge. */
export function bridgeLink(ns: NetNamespace): string {
  let out = '';
  const bridges = new Set(ns.links.filter((l) => l.kind === 'bridge').map((l) => l.name));
  for (const l of ns.links) {
    if (!l.master || !bridges.has(l.master)) continue;
    out += `${l.ifindex}: ${linkName(l)}: ${flagsOf(l, 'iproute2')} mtu ${l.mtu} master ${l.master} state forwarding priority 32 cost 2 \n`;
  }
  return out;
}

/** What `bridge fdb show` may be narrowed to (bridge/fdb.c fdb_show). */
export interface FdbFilter {
  /** `br BRIDGE`: the bridge and its ports (the kernel filters on IFLA_MASTER). */
  br?: string;
  /** `dev DEV` / `brport DEV`: one device's entries; iproute2 then leaves out `dev DEV`. */
  dev?: string;
  /** `dynamic`: only learned entries (no permanent ones). */
  dynamic?: boolean;
}

interface FdbEntry {
  mac: string;
  dev: string;
  dst?: string;
  vlan?: number;
  self?: boolean;
  master?: string;
  /** NUD_PERMANENT prints `permanent`; a learned (NUD_REACHABLE) entry prints nothing after `master BR `. */
  permanent: boolean;
}

/**
 * The link-layer multicast addresses a device listens on, which `bridge fdb` lists as `self`
 * entries (ndo_dflt_fdb_dump of dev->mc): IPv6 all-nodes (33:33:00:00:00:01, joined when the
 * device registers), IPv4 all-hosts (01:00:5e:00:00:01, joined when it comes up), then the
 * solicited-node group of each IPv6 link-local address (33:33:ff + its last 24 bits, which
 * an EUI-64 address takes from the MAC).
 */
function multicastMacs(l: NetLink): string[] {
  if (l.linkType !== 'ether' || l.kind === 'dummy' || l.kind === 'vxlan' || !l.flags.includes('UP')) return [];
  const out = ['33:33:00:00:00:01', '01:00:5e:00:00:01'];
  for (const a of l.addrs) {
    if (a.family !== 'inet6' || a.scope !== 'link') continue;
    const mac = `33:33:ff:${l.mac.slice(9)}`;
    if (!out.includes(mac)) out.push(mac);
  }
  return out;
}

/**
 * `bridge fdb show` (bridge/fdb.c print_fdb), device by device in the order the kernel
 * walks them (rtnl_fdb_dump): a bridge port's entries in its bridge first — what it learned
 * (each pod's MAC, newest first), then its own address, for VLAN 1 and untagged — and its
 * multicast `self` entries; a bridge's `self` entries, then its own address; a VXLAN
 * device's forwarding entries (flanneld's VTEPs); any other Ethernet device's `self` entries.
 */
export function bridgeFdb(ns: NetNamespace, vtepFdb: { mac: string; dst: string; dev: string }[], filter: FdbFilter = {}): string {
  const bridges = new Set(ns.links.filter((l) => l.kind === 'bridge').map((l) => l.name));
  const entries: FdbEntry[] = [];
  for (const l of [...ns.links].sort((a, b) => a.ifindex - b.ifindex)) {
    if (filter.br !== undefined && !(l.name === filter.br && bridges.has(l.name)) && !(l.master === filter.br && bridges.has(filter.br))) continue;
    if (filter.dev !== undefined && l.name !== filter.dev) continue;
    const self = multicastMacs(l).map((mac): FdbEntry => ({ mac, dev: l.name, self: true, permanent: true }));
    if (l.master && bridges.has(l.master)) {
      for (const m of ns.learned ?? []) if (m.dev === l.name) entries.push({ mac: m.mac, dev: l.name, master: l.master, permanent: false });
      entries.push({ mac: l.mac, dev: l.name, vlan: 1, master: l.master, permanent: true }, { mac: l.mac, dev: l.name, master: l.master, permanent: true }, ...self);
    } else if (l.kind === 'bridge') {
      entries.push(...self, { mac: l.mac, dev: l.name, vlan: 1, master: l.name, permanent: true }, { mac: l.mac, dev: l.name, master: l.name, permanent: true });
    } else if (l.kind === 'vxlan') {
      for (const v of vtepFdb) if (v.dev === l.name) entries.push({ mac: v.mac, dev: v.dev, dst: v.dst, self: true, permanent: true });
    } else {
      entries.push(...self);
    }
  }
  let out = '';
  for (const e of entries) {
    if (filter.dynamic && e.permanent) continue;
    let line = `${e.mac} `;
    if (filter.dev === undefined) line += `dev ${e.dev} `;
    if (e.dst) line += `dst ${e.dst} `;
    if (e.vlan) line += `vlan ${e.vlan} `;
    if (e.self) line += 'self ';
    if (e.master) line += `master ${e.master} `;
    out += line + (e.permanent ? 'permanent' : '') + '\n';
  }
  return out;
}

/** `ip -o addr`: one line per address, `\` where the multi-line form breaks (ipaddress.c with oneline). */
export function ipAddrOneline(links: NetLink[], f: AddrFilter = {}): string {
  let out = '';
  for (const l of links) {
    for (const a of addrsOf(l, f)) out += `${l.ifindex}: ${l.name}` + addrLines(l, a).replace(/\n(?=.)/g, '\\').replace(/^ {4}/, '    ');
  }
  return out;
}

/** `ip -o link`: the two lines of each link joined by `\`. */
export function ipLinkOneline(links: NetLink[], flavour: IpFlavour): string {
  return links.map((l) => linkHeader(l, flavour, 'link') + '\\' + linkLine(l, flavour, false) + '\n').join('');
}
