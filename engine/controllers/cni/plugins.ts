/**
 * What each CNI plugin builds on a node and in a pod, derived from Nodes, Pods and the
 * allocations in module.ts. Device names, MTUs and routes follow what the plugins do:
 *  - flannel (vxlan backend): flannel.1 (VNI 1, dstport 8472, MTU 1450), the `cni0` bridge
 *    from the bridge plugin (gateway .1 of the node's podCIDR), vethXXXXXXXX ports
 *    (containernetworking/plugins ip.RandomVethName), routes `via <subnet>.0 dev flannel.1 onlink`.
 *  - calico (IPIP Always): tunl0 (MTU 1480), cali<sha1(ns.pod)[:11]> per pod with the host MAC
 *    ee:ee:ee:ee:ee:ee, /32 pod routes `scope link`, `blackhole <block> proto bird`, BIRD routes
 *    `via <nodeIP> dev tunl0 proto bird onlink`; pods route `default via 169.254.1.1`.
 *  - cilium (tunnel vxlan): cilium_net/cilium_host veth pair, cilium_vxlan, lxc<sha256[:12]>.
 *  - weave: the `weave` bridge, `datapath` (OVS), vethwe-*, vxlan-6784, vethwepl* (MTU 1376).
 *  - aws-vpc-cni: eni<sha1(ns.pod)[:11]> per pod, /32 routes, VPC-native (MTU 9001).
 */
import type { ClusterSettings, KubeObject } from '../../cluster/types';
import type { ClusterRuntime } from '../runtime';
import { sha1Hex, sha256Hex } from './hash';
import { broadcast, intToIp, parseCidr } from './ipv4';
import { ETHER_BRD, UP_FLAGS, type NetAddr, type NetLink, type NetNamespace, type NetNeighbor, type NetRoute } from './model';
import type { CniModule } from './module';
import { clusterNodes, type NodeInfo } from './topology';

/**
 * How the plugin is configured beyond its name, read where the real installs keep it:
 * flannel's backend from the kube-flannel-cfg ConfigMap (net-conf.json `Backend.Type`),
 * calico's encapsulation and MTU from the calico-node DaemonSet's env
 * (CALICO_IPV4POOL_IPIP / CALICO_IPV4POOL_VXLAN: Always|CrossSubnet|Never, FELIX_IPINIPMTU,
 * FELIX_VXLANMTU). Without them: flannel vxlan, calico IPIP — the manifests' defaults.
 */
export interface CniOptions {
  flannelBackend: 'vxlan' | 'host-gw';
  calicoEncap: 'ipip' | 'vxlan' | 'none';
  calicoMtu?: number;
}

export function cniOptions(sim: ClusterRuntime): CniOptions {
  const o: CniOptions = { flannelBackend: 'vxlan', calicoEncap: 'ipip' };
  if (sim.settings.cni === 'flannel') {
    const cm = sim.store.get('ConfigMap', 'kube-flannel', 'kube-flannel-cfg') ?? sim.store.get('ConfigMap', 'kube-system', 'kube-flannel-cfg');
    const text = cm?.data?.['net-conf.json'];
    if (typeof text === 'string') {
      try {
        const t = String(JSON.parse(text)?.Backend?.Type ?? '').toLowerCase();
        if (t === 'host-gw') o.flannelBackend = 'host-gw';
      } catch {
        // flanneld would refuse to start; the node keeps what it had
      }
    }
  }
  if (sim.settings.cni === 'calico') {
    const ds = sim.store.get('DaemonSet', 'kube-system', 'calico-node') ?? sim.store.get('DaemonSet', 'calico-system', 'calico-node');
    const env = new Map<string, string>();
    for (const c of (ds?.spec?.template?.spec?.containers ?? []) as { env?: { name: string; value?: string }[] }[]) {
      for (const e of c.env ?? []) if (typeof e.value === 'string') env.set(e.name, e.value);
    }
    const on = (v: string | undefined) => v === 'Always' || v === 'CrossSubnet';
    if (on(env.get('CALICO_IPV4POOL_VXLAN'))) o.calicoEncap = 'vxlan';
    else if (on(env.get('CALICO_IPV4POOL_IPIP')) || !ds) o.calicoEncap = 'ipip';
    else if (env.has('CALICO_IPV4POOL_IPIP') || env.has('CALICO_IPV4POOL_VXLAN')) o.calicoEncap = 'none';
    const mtu = Number(env.get(o.calicoEncap === 'vxlan' ? 'FELIX_VXLANMTU' : 'FELIX_IPINIPMTU'));
    if (o.calicoEncap !== 'none' && Number.isInteger(mtu) && mtu > 0) o.calicoMtu = mtu;
  }
  return o;
}

/** Devices a node has from boot (before any pod), in creation order. */
export function baseDevices(settings: ClusterSettings, o: CniOptions = { flannelBackend: 'vxlan', calicoEncap: 'ipip' }): string[] {
  const out = ['lo', 'eth0'];
  if (settings.proxyMode === 'ipvs') out.push('kube-ipvs0');
  switch (settings.cni) {
    case 'flannel':
      if (o.flannelBackend === 'vxlan') out.push('flannel.1');
      break;
    case 'calico':
      if (o.calicoEncap === 'ipip') out.push('tunl0');
      if (o.calicoEncap === 'vxlan') out.push('vxlan.calico');
      break;
    case 'cilium':
      out.push('cilium_net', 'cilium_host', 'cilium_vxlan');
      break;
    case 'weave':
      out.push('datapath', 'weave', 'vethwe-datapath', 'vethwe-bridge', 'vxlan-6784');
      break;
    case 'aws-vpc-cni':
      break;
  }
  return out;
}

/** A bridge the plugin creates with the first pod on a node. */
export function lazyBridge(settings: ClusterSettings): string | undefined {
  return settings.cni === 'flannel' ? 'cni0' : undefined;
}

export function nodeMtu(settings: ClusterSettings): number {
  return settings.cni === 'aws-vpc-cni' ? 9001 : 1500;
}

/** The MTU pods get under the plugin's actual configuration. */
export function podMtuFor(sim: ClusterRuntime): number {
  const o = cniOptions(sim);
  if (sim.settings.cni === 'flannel' && o.flannelBackend === 'host-gw') return 1500;
  if (sim.settings.cni === 'calico') {
    if (o.calicoEncap === 'none') return 1500;
    return o.calicoMtu ?? (o.calicoEncap === 'vxlan' ? 1450 : 1480);
  }
  return podMtu(sim.settings);
}

/** The MTU pods get by default: the wire MTU minus the plugin's encapsulation overhead. */
export function podMtu(settings: ClusterSettings): number {
  switch (settings.cni) {
    case 'flannel':
      return 1450; // VXLAN: 50 bytes of outer Ethernet/IP/UDP/VXLAN headers
    case 'calico':
      return 1480; // IPIP: a 20-byte outer IP header
    case 'cilium':
      return 1450;
    case 'weave':
      return 1376; // weave's default for fastdp with encryption headroom
    case 'aws-vpc-cni':
      return 9001;
  }
}

/** A locally administered unicast MAC derived from a seed (the kernel picks random ones). */
export function macFor(seed: string): string {
  const h = sha1Hex(seed);
  const b = [0, 1, 2, 3, 4, 5].map((i) => parseInt(h.slice(i * 2, i * 2 + 2), 16));
  b[0] = (b[0] & 0xfe) | 0x02;
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Docker's MAC for a container on a bridge network: 02:42 + the IPv4 address (minikube/kind node eth0). */
export function dockerMac(ip: string): string {
  return ['02', '42', ...ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':');
}

/** The EUI-64 IPv6 link-local address the kernel derives from a MAC (addrgenmode eui64). */
export function linkLocal(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const groups = [((b[0] ^ 2) << 8) | b[1], (b[2] << 8) | 0xff, (0xfe << 8) | b[3], (b[4] << 8) | b[5]];
  while (groups.length && groups[0] === 0) groups.shift();
  return 'fe80::' + groups.map((g) => g.toString(16)).join(':');
}

/**
 * A stable stand-in for the randomness plugins draw per sandbox (veth names, MACs, netns
 * names): the pod's identity and creation time, so a recreated pod gets new ones while
 * outputs do not shift when unrelated objects draw from the simulation's RNG.
 */
export function sandboxSeed(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}/${pod.metadata.creationTimestamp ?? ''}`;
}

/** containerd's netns name for a sandbox: `cni-` + a UUID. */
export function netnsName(pod: KubeObject): string {
  const h = sha1Hex(`netns/${sandboxSeed(pod)}`);
  return `cni-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The host-side interface name the plugin gives a pod's veth. */
export function hostVethName(settings: ClusterSettings, pod: KubeObject): string {
  const ns = pod.metadata.namespace ?? 'default';
  const name = pod.metadata.name;
  const seed = sandboxSeed(pod);
  switch (settings.cni) {
    case 'calico':
      return 'cali' + sha1Hex(`${ns}.${name}`).slice(0, 11);
    case 'aws-vpc-cni':
      return 'eni' + sha1Hex(`${ns}.${name}`).slice(0, 11);
    case 'cilium':
      return 'lxc' + sha256Hex(seed).slice(0, 12);
    case 'weave':
      return 'vethwepl' + sha1Hex(seed).slice(0, 7);
    case 'flannel':
      return 'veth' + sha1Hex(seed).slice(0, 8);
  }
}

/**
 * ifindex of eth0 inside a pod: with the ipip module loaded (calico IPIP) every netns gets
 * tunl0@NONE at 2 and calico's veth pair takes 3 and 4; plugins that create the pair with
 * the peer already in the host namespace leave eth0 at 2.
 */
export function podEth0Index(settings: ClusterSettings, o?: CniOptions): number {
  return settings.cni === 'calico' && (o?.calicoEncap ?? 'ipip') === 'ipip' ? 4 : 2;
}

/** The gateway pods use. */
export function podGateway(settings: ClusterSettings, node: NodeInfo): string {
  const c = parseCidr(node.podCIDR)!;
  switch (settings.cni) {
    case 'calico':
    case 'aws-vpc-cni':
      return '169.254.1.1';
    default:
      return intToIp(c.network + 1); // cni0 / cilium_host / weave bridge
  }
}

function lo(): NetLink {
  return {
    ifindex: 1, name: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, qdisc: 'noqueue', state: 'UNKNOWN', qlen: 1000,
    linkType: 'loopback', mac: '00:00:00:00:00:00', brd: '00:00:00:00:00:00', kind: 'loopback',
    addrs: [
      { family: 'inet', local: '127.0.0.1', prefix: 8, scope: 'host' },
      { family: 'inet6', local: '::1', prefix: 128, scope: 'host' },
    ],
  };
}

function ether(ifindex: number, name: string, mac: string, mtu: number, kind: NetLink['kind'], extra: Partial<NetLink> = {}): NetLink {
  return {
    ifindex, name, flags: [...UP_FLAGS], mtu, qdisc: 'noqueue', state: 'UP', qlen: 0, linkType: 'ether', mac, brd: ETHER_BRD, kind,
    addrs: [], ...extra,
  };
}

function v4(ip: string, prefix: number, withBrd = true): NetAddr {
  const c = parseCidr(`${ip}/${prefix}`)!;
  return { family: 'inet', local: ip, prefix, scope: 'global', ...(withBrd && prefix < 31 ? { brd: intToIp(broadcast(c)) } : {}) };
}

function ll(mac: string): NetAddr {
  return { family: 'inet6', local: linkLocal(mac), prefix: 64, scope: 'link' };
}

/** Everything a node's host network namespace holds. */
export function buildNodeNamespace(sim: ClusterRuntime, mod: CniModule, node: NodeInfo, nodes: NodeInfo[]): NetNamespace {
  const s = sim.settings;
  const alloc = mod.node(node.name);
  const idx = (dev: string) => alloc.devices[dev];
  const links: NetLink[] = [lo()];
  const eth0Mac = dockerMac(node.ip);
  links.push({
    ...ether(idx('eth0'), 'eth0', eth0Mac, nodeMtu(s), 'device', { qdisc: 'mq', qlen: 1000 }),
    addrs: [v4(node.ip, 24), ll(eth0Mac)],
  });
  const routes: NetRoute[] = [
    { dst: 'default', via: node.gateway, dev: 'eth0' },
    { dst: `${intToIp(node.subnet.network)}/24`, dev: 'eth0', proto: 'kernel', scope: 'link', src: node.ip },
  ];
  const neighbors: NetNeighbor[] = [{ ip: node.gateway, dev: 'eth0', lladdr: dockerMac(node.gateway).replace(/^02:42/, '02:42'), state: 'REACHABLE' }];
  for (const other of nodes) {
    if (other.name !== node.name) neighbors.push({ ip: other.ip, dev: 'eth0', lladdr: dockerMac(other.ip), state: 'REACHABLE' });
  }

  if (s.proxyMode === 'ipvs') {
    const mac = macFor(`${node.name}/kube-ipvs0`);
    links.push({
      ifindex: idx('kube-ipvs0'), name: 'kube-ipvs0', flags: ['BROADCAST', 'NOARP'], mtu: 1500, qdisc: 'noop', state: 'DOWN', qlen: 0,
      linkType: 'ether', mac, brd: ETHER_BRD, kind: 'dummy',
      addrs: serviceAddresses(sim).map((ip) => ({ family: 'inet', local: ip, prefix: 32, scope: 'global' }) as NetAddr),
    });
  }

  const cidr = parseCidr(node.podCIDR)!;
  const opts = cniOptions(sim);
  const mtu = podMtuFor(sim);
  const podLinks: NetLink[] = [];
  const podRoutes: NetRoute[] = [];
  // the pods wired on this node, from the CNI's own allocations (no scan of every pod)
  for (const a of mod.podAllocs(node.name)) {
    const p = sim.store.get('Pod', a.namespace, a.name);
    if (!p || p.metadata.uid !== a.uid || !p.status?.podIP) continue;
    const name = hostVethName(s, p);
    const mac = s.cni === 'calico' ? 'ee:ee:ee:ee:ee:ee' : macFor(`${node.name}/${name}`);
    const link = ether(a.ifindex, name, mac, mtu, 'veth', { peer: `if${podEth0Index(s, opts)}`, linkNetnsid: a.netnsid, addrs: [ll(mac)] });
    if (s.cni === 'flannel') link.master = 'cni0';
    if (s.cni === 'weave') link.master = 'weave';
    podLinks.push(link);
    if (s.cni === 'calico' || s.cni === 'aws-vpc-cni') podRoutes.push({ dst: p.status.podIP, dev: name, scope: 'link' });
  }

  const gw = intToIp(cidr.network + 1);
  switch (s.cni) {
    case 'flannel': {
      if (idx('flannel.1') !== undefined && opts.flannelBackend === 'vxlan') {
        const mac = macFor(`${node.name}/flannel.1`);
        links.push({
          ...ether(idx('flannel.1'), 'flannel.1', mac, 1450, 'vxlan', { state: 'UNKNOWN' }),
          vxlan: { id: 1, local: node.ip, dev: 'eth0', dstport: 8472, learning: false },
          addrs: [{ family: 'inet', local: intToIp(cidr.network), prefix: 32, scope: 'global' }, ll(mac)],
        });
      }
      if (idx('cni0') !== undefined) {
        const bmac = macFor(`${node.name}/cni0`);
        const hasPorts = podLinks.length > 0;
        links.push({
          ...ether(idx('cni0'), 'cni0', bmac, mtu, 'bridge', hasPorts ? {} : { flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP'], state: 'DOWN' }),
          addrs: [v4(gw, 24), ll(bmac)],
        });
        routes.push({ dst: node.podCIDR, dev: 'cni0', proto: 'kernel', scope: 'link', src: gw });
      }
      for (const other of nodes) {
        if (other.name === node.name) continue;
        const oc = parseCidr(other.podCIDR)!;
        if (opts.flannelBackend === 'host-gw') {
          // backend/hostgw: a plain route to the other node's subnet via its address (needs L2 adjacency)
          routes.push({ dst: other.podCIDR, via: other.ip, dev: 'eth0' });
        } else {
          routes.push({ dst: other.podCIDR, via: intToIp(oc.network), dev: 'flannel.1', onlink: true });
          neighbors.push({ ip: intToIp(oc.network), dev: 'flannel.1', lladdr: macFor(`${other.name}/flannel.1`), state: 'PERMANENT' });
        }
      }
      break;
    }
    case 'calico': {
      if (opts.calicoEncap === 'ipip' && idx('tunl0') !== undefined) {
        links.push({
          ifindex: idx('tunl0'), name: 'tunl0', peer: 'NONE', flags: ['NOARP', 'UP', 'LOWER_UP'], mtu, qdisc: 'noqueue', state: 'UNKNOWN',
          qlen: 1000, linkType: 'ipip', mac: '0.0.0.0', brd: '0.0.0.0', kind: 'ipip',
          addrs: [{ family: 'inet', local: intToIp(cidr.network), prefix: 32, scope: 'global' }],
        });
      }
      if (opts.calicoEncap === 'vxlan' && idx('vxlan.calico') !== undefined) {
        const vmac = macFor(`${node.name}/vxlan.calico`);
        links.push({
          ...ether(idx('vxlan.calico'), 'vxlan.calico', vmac, mtu, 'vxlan', { state: 'UNKNOWN' }),
          vxlan: { id: 4096, local: node.ip, dev: 'eth0', dstport: 4789, learning: false },
          addrs: [{ family: 'inet', local: intToIp(cidr.network), prefix: 32, scope: 'global' }, ll(vmac)],
        });
      }
      routes.push({ type: 'blackhole', dst: node.podCIDR, proto: 'bird' });
      for (const other of nodes) {
        if (other.name === node.name) continue;
        const oc = parseCidr(other.podCIDR)!;
        if (opts.calicoEncap === 'ipip') routes.push({ dst: other.podCIDR, via: other.ip, dev: 'tunl0', proto: 'bird', onlink: true });
        else if (opts.calicoEncap === 'vxlan') {
          // felix programs VXLAN routes itself (route table "proto 80"), via the peer's tunnel address
          routes.push({ dst: other.podCIDR, via: intToIp(oc.network), dev: 'vxlan.calico', proto: '80', onlink: true });
          neighbors.push({ ip: intToIp(oc.network), dev: 'vxlan.calico', lladdr: macFor(`${other.name}/vxlan.calico`), state: 'PERMANENT' });
        } else routes.push({ dst: other.podCIDR, via: other.ip, dev: 'eth0', proto: 'bird' });
      }
      break;
    }
    case 'cilium': {
      const router = gw;
      const hmac = macFor(`${node.name}/cilium_host`);
      const nmac = macFor(`${node.name}/cilium_net`);
      links.push(ether(idx('cilium_net'), 'cilium_net', nmac, 1500, 'veth', { peer: 'cilium_host', addrs: [ll(nmac)] }));
      links.push(ether(idx('cilium_host'), 'cilium_host', hmac, 1500, 'veth', { peer: 'cilium_net', addrs: [{ family: 'inet', local: router, prefix: 32, scope: 'global' }, ll(hmac)] }));
      const vmac = macFor(`${node.name}/cilium_vxlan`);
      links.push({ ...ether(idx('cilium_vxlan'), 'cilium_vxlan', vmac, 1500, 'vxlan', { state: 'UNKNOWN' }), vxlan: { id: 0, local: '', dev: '', dstport: 8472, learning: false }, addrs: [ll(vmac)] });
      routes.push({ dst: router, dev: 'cilium_host', proto: 'kernel', scope: 'link' });
      for (const other of nodes) {
        routes.push({ dst: other.podCIDR, via: router, dev: 'cilium_host', proto: 'kernel', src: router, ...(other.name === node.name ? {} : { mtu: 1450 }) });
      }
      break;
    }
    case 'weave': {
      const clusterCidr = parseCidr(s.podCIDR)!;
      const dmac = macFor(`${node.name}/datapath`);
      const wmac = macFor(`${node.name}/weave`);
      links.push(ether(idx('datapath'), 'datapath', dmac, 1376, 'openvswitch', { state: 'UNKNOWN', addrs: [ll(dmac)] }));
      links.push(ether(idx('weave'), 'weave', wmac, 1376, 'bridge', { addrs: [v4(gw, clusterCidr.prefix), ll(wmac)] }));
      const vdm = macFor(`${node.name}/vethwe-datapath`);
      const vbm = macFor(`${node.name}/vethwe-bridge`);
      links.push(ether(idx('vethwe-datapath'), 'vethwe-datapath', vdm, 1376, 'veth', { peer: 'vethwe-bridge', master: 'datapath', addrs: [ll(vdm)] }));
      links.push(ether(idx('vethwe-bridge'), 'vethwe-bridge', vbm, 1376, 'veth', { peer: 'vethwe-datapath', master: 'weave', addrs: [ll(vbm)] }));
      const xmac = macFor(`${node.name}/vxlan-6784`);
      links.push({
        ...ether(idx('vxlan-6784'), 'vxlan-6784', xmac, 65535, 'vxlan', { state: 'UNKNOWN', master: 'datapath', qlen: 1000 }),
        vxlan: { id: 0, local: '', dev: '', dstport: 6784, learning: false }, addrs: [ll(xmac)],
      });
      routes.push({ dst: s.podCIDR, dev: 'weave', proto: 'kernel', scope: 'link', src: gw });
      break;
    }
    case 'aws-vpc-cni':
      break;
  }
  links.push(...podLinks);
  routes.push(...podRoutes);
  links.sort((a, b) => a.ifindex - b.ifindex);
  return { id: `node/${node.name}`, links, routes: sortRoutes(routes), neighbors };
}

/** Every ClusterIP, externalIP and LoadBalancer ingress IP kube-proxy binds to kube-ipvs0 in IPVS mode. */
export function serviceAddresses(sim: ClusterRuntime): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (ip: unknown) => {
    if (typeof ip === 'string' && ip && ip !== 'None' && !ip.includes(':') && !seen.has(ip)) {
      seen.add(ip);
      out.push(ip);
    }
  };
  for (const svc of sim.store.list('Service')) {
    if (svc.spec?.type === 'ExternalName') continue;
    add(svc.spec?.clusterIP);
    for (const ip of svc.spec?.externalIPs ?? []) add(ip);
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) add(ing.ip);
  }
  return out;
}

/** A pod sandbox's namespace: lo, [tunl0], eth0@ifN and its routes. */
export function buildPodNamespace(sim: ClusterRuntime, mod: CniModule, pod: KubeObject, node: NodeInfo): NetNamespace | undefined {
  const s = sim.settings;
  const a = mod.podAlloc(node.name, pod.metadata.uid);
  if (!a) return undefined;
  const ip = pod.status.podIP as string;
  const mtu = podMtuFor(sim);
  const opts = cniOptions(sim);
  const idx = podEth0Index(s, opts);
  const mac = macFor(`${sandboxSeed(pod)}/eth0`);
  const links: NetLink[] = [lo()];
  if (s.cni === 'calico' && opts.calicoEncap === 'ipip') {
    links.push({
      ifindex: 2, name: 'tunl0', peer: 'NONE', flags: ['NOARP'], mtu: 1480, qdisc: 'noop', state: 'DOWN', qlen: 1000,
      linkType: 'ipip', mac: '0.0.0.0', brd: '0.0.0.0', kind: 'ipip', addrs: [],
    });
  }
  const gw = podGateway(s, node);
  const routes: NetRoute[] = [];
  const clusterCidr = parseCidr(s.podCIDR)!;
  let prefix = 24;
  switch (s.cni) {
    case 'calico':
    case 'aws-vpc-cni':
    case 'cilium':
      prefix = 32;
      routes.push({ dst: 'default', via: gw, dev: 'eth0', ...(s.cni === 'cilium' ? { mtu: 1450 } : {}) });
      routes.push({ dst: gw, dev: 'eth0', scope: 'link' });
      break;
    case 'flannel':
      routes.push({ dst: 'default', via: gw, dev: 'eth0' });
      routes.push({ dst: s.podCIDR, via: gw, dev: 'eth0' });
      routes.push({ dst: node.podCIDR, dev: 'eth0', proto: 'kernel', scope: 'link', src: ip });
      break;
    case 'weave':
      prefix = clusterCidr.prefix;
      routes.push({ dst: 'default', via: gw, dev: 'eth0' });
      routes.push({ dst: s.podCIDR, dev: 'eth0', proto: 'kernel', scope: 'link', src: ip });
      break;
  }
  links.push(ether(idx, 'eth0', mac, mtu, 'veth', { peer: `if${a.ifindex}`, linkNetnsid: 0, addrs: [v4(ip, prefix, prefix < 32), ll(mac)] }));
  const gwMac = s.cni === 'calico' ? 'ee:ee:ee:ee:ee:ee' : macFor(`${node.name}/${s.cni === 'flannel' ? 'cni0' : s.cni === 'weave' ? 'weave' : hostVethName(s, pod)}`);
  const neighbors: NetNeighbor[] = [{ ip: gw, dev: 'eth0', lladdr: gwMac, state: 'REACHABLE' }];
  return { id: `pod/${pod.metadata.namespace}/${pod.metadata.name}`, links, routes: sortRoutes(routes), neighbors };
}

/** The kernel's main-table dump order: default first, then by destination address, longer prefixes first on a tie. */
export function sortRoutes(routes: NetRoute[]): NetRoute[] {
  const key = (r: NetRoute): [number, number] => {
    if (r.dst === 'default') return [-1, 0];
    const c = parseCidr(r.dst)!;
    return [c.network, c.prefix];
  };
  return [...routes].sort((a, b) => {
    const [na, pa] = key(a);
    const [nb, pb] = key(b);
    return na !== nb ? na - nb : pb - pa;
  });
}

export { clusterNodes };
