/**
 * ip — iproute2's (ip/ip.c, ipaddress.c, iplink.c, iproute.c, ipneigh.c) or busybox's
 * (networking/libiproute) view of the host's network namespace, derived by the CNI room.
 * Objects and commands match by prefix as iproute2's `matches()` does (`ip a s`, `ip r`).
 * Changes (add/del/set) need CAP_NET_ADMIN, which a pod does not have.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { ok, fail } from '../../../types';
import { hostNamespace } from '../../../controllers/cni';
import { lookupRoute, routeSource, type NetLink, type NetNamespace, type NetRoute } from '../../../controllers/cni/model';
import { ipAddr, ipAddrBrief, ipAddrOneline, ipLink, ipLinkBrief, ipLinkOneline, ipNeigh, ipRoute, ipRoute6, type IpFlavour } from '../../../printers/iproute';
import { isDottedQuad, parseCidr } from '../../../cluster/ipv4';
import { ipFlavour } from './flavour';
import { ipRules, linkStats, localLookup, localTable, printLocalRoutes } from './fib';
import { cniModule } from '../../../controllers/cni/module';
import { netnsName, sortRoutes6 } from '../../../controllers/cni/netdev';
import { cidr6Text, isIPv6, parseCidr6 } from '../../../cluster/ipv6';
import type { HostRef } from '../../../types';
import { isStreaming, isEditRequest } from '../../../types';

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | stats | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

const BUSYBOX_USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]

OPTIONS := -f[amily] inet|inet6|link | -o[neline]

ip addr add|del IFADDR dev IFACE | show|flush [dev IFACE] [to PREFIX]
ip route list|flush|add|del|change|append|replace|test ROUTE
ip link set IFACE [up|down] [arp on|off] [multicast on|off]
	[promisc on|off] [mtu NUM] [name NAME] [qlen NUM] [address MAC]
	[master IFACE | nomaster] [netns PID]
ip tunnel add|change|del|show [NAME]
	[mode ipip|gre|sit] [remote ADDR] [local ADDR] [ttl TTL]
ip neigh show|flush [to PREFIX] [dev DEV] [nud STATE]
ip rule [list] | add|del SELECTOR ACTION
`;

/** iproute2's matches(): the word is a prefix of the keyword. */
function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

interface Opts {
  family?: 'inet' | 'inet6';
  brief: boolean;
  details: boolean;
  oneline: boolean;
  /** -s: the counters block after each link (`ip -s link`). */
  stats: boolean;
}

function noDevice(name: string, flavour: IpFlavour): RunResult {
  return flavour === 'busybox' ? fail(`ip: can't find device '${name}'\n`, 1) : fail(`Device "${name}" does not exist.\n`, 1);
}

function notPermitted(): RunResult {
  return fail('RTNETLINK answers: Operation not permitted\n', 2);
}

function selectLinks(ns: NetNamespace, args: string[], flavour: IpFlavour, allowType: boolean): NetLink[] | RunResult {
  let links = ns.links;
  let dev: string | undefined;
  let type: string | undefined;
  let master: string | undefined;
  let up = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'master' && flavour === 'iproute2') {
      // `ip link show master cni0`: the devices enslaved to it (ipaddress.c filter.master)
      master = args[++i];
      if (master === undefined) return fail('Command line is not complete. Try option "help"\n', 255);
      if (!links.some((l) => l.name === master)) return noDevice(master, flavour);
    } else if (a === 'dev') {
      dev = args[++i];
      if (dev === undefined) return fail('Command line is not complete. Try option "help"\n', 255);
    } else if (a === 'up') up = true;
    else if (allowType && a === 'type') {
      type = args[++i];
      if (type === undefined) return fail('Command line is not complete. Try option "help"\n', 255);
    } else if (a === 'help') return fail(USAGE, 255);
    else if (dev === undefined) dev = a;
    else return fail(`Error: either "dev" is duplicate, or "${a}" is a garbage.\n`, 255);
  }
  if (dev !== undefined) {
    const l = links.find((x) => x.name === dev || `${x.name}@${x.peer}` === dev);
    if (!l) return noDevice(dev, flavour);
    links = [l];
  }
  if (master !== undefined) links = links.filter((l) => l.master === master);
  if (up) links = links.filter((l) => l.flags.includes('UP'));
  if (type !== undefined) {
    const kinds = ['veth', 'vxlan', 'bridge', 'ipip', 'dummy', 'openvswitch', 'vlan', 'macvlan', 'bond', 'tun', 'geneve', 'wireguard', 'gre', 'sit', 'ip6tnl'];
    if (!kinds.includes(type)) return fail(`Error: "${type}" is not a valid link type.\n`, 255);
    links = links.filter((l) => l.kind === type);
  }
  return links;
}

function isResult(x: unknown): x is RunResult {
  return typeof x === 'object' && x !== null && 'exitCode' in x;
}

function addr(ns: NetNamespace, args: string[], o: Opts, flavour: IpFlavour): RunResult {
  const [sub = 'show', ...rest] = args;
  if (matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') {
    const links = selectLinks(ns, rest, flavour, false);
    if (isResult(links)) return links;
    if (o.brief) return ok(ipAddrBrief(links, { family: o.family }));
    if (o.oneline) return ok(ipAddrOneline(links, { family: o.family }));
    return ok(ipAddr(links, flavour, { family: o.family }, o.details));
  }
  if (['add', 'del', 'delete', 'change', 'replace', 'flush'].some((c) => matches(sub, c))) return notPermitted();
  if (sub === 'help') return fail('Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]\n                                                      [ CONFFLAG-LIST ]\n       ip address del IFADDR dev IFNAME [mngtmpaddr]\n       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]\n                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]\n       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]\n                         [ nomaster ]\n                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]\n                         [ label LABEL ] [up] [ vrf NAME ]\n                         [ proto ADDRPROTO ] ]\n', 255);
  // `ip addr eth0` is read as `ip addr show eth0` by neither tool: it is an unknown command
  return fail(flavour === 'busybox' ? `ip: command '${sub}' is unknown\n` : `Command "${sub}" is unknown, try "ip address help".\n`, 1);
}

function link(ns: NetNamespace, args: string[], o: Opts, flavour: IpFlavour): RunResult {
  const [sub = 'show', ...rest] = args;
  if (matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') {
    const links = selectLinks(ns, rest, flavour, true);
    if (isResult(links)) return links;
    if (o.brief) return ok(ipLinkBrief(links));
    if (o.oneline) return ok(ipLinkOneline(links, flavour));
    if (o.stats) return ok(links.map((l) => ipLink([l], flavour, o.details) + linkStats()).join(''));
    return ok(ipLink(links, flavour, o.details));
  }
  if (['add', 'del', 'delete', 'set', 'change'].some((c) => matches(sub, c))) {
    const dev = rest[0] === 'dev' ? rest[1] : rest[0];
    if (dev && (matches(sub, 'set') || matches(sub, 'del') || sub === 'delete') && !ns.links.some((l) => l.name === dev)) {
      return flavour === 'busybox' ? noDevice(dev, flavour) : fail(`Cannot find device "${dev}"\n`, 1);
    }
    return notPermitted();
  }
  return fail(flavour === 'busybox' ? `ip: command '${sub}' is unknown\n` : `Command "${sub}" is unknown, try "ip link help".\n`, 1);
}

/** Longest-prefix match over the main table, as `ip route get` asks the kernel. */
function routeGet(ns: NetNamespace, dst: string, flavour: IpFlavour): RunResult {
  if (!isDottedQuad(dst)) return fail(`Error: any valid prefix is expected rather than "${dst}".\n`, 1);
  // rule 0 looks in the local table first: the node's own addresses (and, in IPVS mode, every
  // ClusterIP on kube-ipvs0) are delivered locally through lo (RTCF_LOCAL: `cache <local>`)
  const local = localLookup(ns, dst);
  if (local) {
    const uid = flavour === 'iproute2' ? 'uid 0 ' : '';
    if (local.type === 'broadcast') return ok(`broadcast ${dst} dev ${local.dev} table local src ${local.src} ${uid}\n    cache <local,brd> \n`);
    return ok(`local ${dst} dev lo table local src ${local.src} ${uid}\n    cache <local> \n`);
  }
  const best = lookupRoute(ns, dst);
  if (!best) return fail('RTNETLINK answers: Network is unreachable\n', 2);
  if (best.type === 'blackhole') return fail('RTNETLINK answers: Invalid argument\n', 2);
  const dev = best.dev!;
  // the same choice the walk makes for the node's own packets and ICMP errors (dataplane/netns routeSource)
  const src = routeSource(ns, best, dst);
  let s = `${dst} `;
  if (best.via) s += `via ${best.via} `;
  s += `dev ${dev} `;
  if (src) s += `src ${src} `;
  if (flavour === 'iproute2') s += 'uid 0 ';
  s += '\n    cache ';
  if (best.mtu) s += `mtu ${best.mtu} `;
  return ok(s + '\n');
}

function route(ns: NetNamespace, args: string[], o: Opts, flavour: IpFlavour): RunResult {
  const [sub = 'show', ...rest] = args;
  if (matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') {
    if (o.family === 'inet6') {
      let routes = ipv6Routes(ns);
      for (let i = 0; i < rest.length; i++) {
        if (rest[i] === 'dev') {
          const d = rest[++i];
          if (!ns.links.some((l) => l.name === d)) return noDevice(d ?? '', flavour);
          routes = routes.filter((r) => r.dev === d);
        } else if (rest[i] === 'table' && (rest[i + 1] === 'main' || rest[i + 1] === '254')) i++;
        else if (rest[i] === 'table' && rest[i + 1] !== undefined && tableId(rest[i + 1]) !== undefined) {
          return fail('netlab: the IPv6 local table is not simulated here (`ip -6 route` lists the main table)\n', 1);
        } else if (rest[i] === 'default') routes = routes.filter((r) => r.dst === 'default');
        else return fail(`Error: either "to" is duplicate, or "${rest[i]}" is a garbage.\n`, 255);
      }
      return ok(ipRoute6(routes, flavour));
    }
    let routes = ns.routes;
    let table: 'main' | 'local' | 'all' | 'none' = 'main';
    let devFilter: string | undefined;
    let typeFilter: string | undefined;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === 'dev') {
        const d = rest[++i];
        if (!ns.links.some((l) => l.name === d)) return noDevice(d ?? '', flavour);
        routes = routes.filter((r) => r.dev === d);
        devFilter = d;
      } else if (rest[i] === 'table') {
        const t = rest[++i];
        if (t === undefined) return fail('Command line is not complete. Try option "help"\n', 255);
        const id = tableId(t);
        if (id === undefined) return fail(`Error: argument "${t}" is wrong: table id value is invalid\n\n`, 255);
        table = id === 254 ? 'main' : id === 255 ? 'local' : id === 0 ? 'all' : 'none';
      } else if (rest[i] === 'type' && (rest[i + 1] === 'local' || rest[i + 1] === 'broadcast' || rest[i + 1] === 'unicast')) {
        typeFilter = rest[++i];
      } else if (rest[i] === 'default') routes = routes.filter((r) => r.dst === 'default');
      else if (parseCidr(rest[i])) {
        const want = rest[i];
        routes = routes.filter((r) => r.dst === want || r.dst === `${want}/32` || r.dst.split('/')[0] === want);
      } else return fail(`Error: either "to" is duplicate, or "${rest[i]}" is a garbage.\n`, 255);
    }
    if (flavour === 'busybox') routes = routes.map((r) => ({ ...r, proto: undefined }));
    if (table === 'none') return ok('');
    let local = localTable(ns).filter((r) => devFilter === undefined || r.dev === devFilter);
    if (typeFilter) {
      local = local.filter((r) => r.type === typeFilter);
      routes = typeFilter === 'unicast' ? routes.filter((r) => !r.type) : [];
    }
    if (table === 'local') return ok(printLocalRoutes(local, false));
    if (table === 'all') return ok(ipRoute(routes, flavour) + printLocalRoutes(local, true));
    return ok(ipRoute(routes, flavour));
  }
  if (matches(sub, 'get')) {
    const dst = rest.find((a) => a !== 'to');
    if (!dst) return fail('Command line is not complete. Try option "help"\n', 255);
    if (ns.routes6 && isIPv6(dst.replace(/\/128$/, ''))) return fail('netlab: `ip route get` for an IPv6 destination is not simulated here (`ip -6 route` lists the IPv6 table)\n', 1);
    return routeGet(ns, dst.replace(/\/32$/, ''), flavour);
  }
  if (['add', 'del', 'delete', 'change', 'append', 'replace', 'flush'].some((c) => matches(sub, c))) return notPermitted();
  return fail(flavour === 'busybox' ? `ip: command '${sub}' is unknown\n` : `Command "${sub}" is unknown, try "ip route help".\n`, 1);
}

/**
 * The IPv6 main table: the kernel's own routes — ::1 on lo, a prefix route (proto kernel,
 * metric 256; addrconf_prefix_route) for every global address of an up link and fe80::/64
 * on every link with a link-local address — and what the CNI and the node's network added
 * (ns.routes6), in fib6's dump order.
 */
function ipv6Routes(ns: NetNamespace): NetRoute[] {
  const kernel: NetRoute[] = [];
  if (ns.links.some((l) => l.name === 'lo' && l.addrs.some((a) => a.local === '::1'))) kernel.push({ dst: '::1', dev: 'lo', proto: 'kernel', metric: 256 });
  for (const l of ns.links) {
    if (l.name === 'lo') continue;
    for (const a of l.addrs) {
      if (a.family !== 'inet6' || a.scope !== 'global') continue;
      const c = parseCidr6(`${a.local}/${a.prefix}`)!;
      kernel.push({ dst: a.prefix === 128 ? a.local : cidr6Text(c), dev: l.name, proto: 'kernel', metric: 256 });
    }
  }
  for (const l of ns.links) {
    if (l.name !== 'lo' && l.addrs.some((a) => a.family === 'inet6' && a.scope === 'link')) kernel.push({ dst: 'fe80::/64', dev: l.name, proto: 'kernel', metric: 256 });
  }
  return sortRoutes6([...kernel, ...(ns.routes6 ?? [])]);
}

/** iproute2's table names (/etc/iproute2/rt_tables) or a number; undefined when neither. */
function tableId(t: string): number | undefined {
  const names: Record<string, number> = { unspec: 0, all: 0, default: 253, main: 254, local: 255 };
  if (t in names) return names[t];
  return /^\d+$/.test(t) && Number(t) <= 0xffffffff ? Number(t) : undefined;
}

/** `ip rule`: the kernel's default policy rules; changing them needs CAP_NET_ADMIN (and is not modelled on nodes). */
function rule(args: string[], o: Opts, flavour: IpFlavour): RunResult {
  const [sub = 'show', ...rest] = args;
  if (matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') {
    if (rest.length) return fail(`Error: argument "${rest[0]}" is wrong: Failed to parse rule type\n`, 255);
    return ok(ipRules(o.family === 'inet6' ? 'inet6' : 'inet'));
  }
  if (['add', 'del', 'delete', 'flush'].some((c) => matches(sub, c))) return notPermitted();
  return fail(flavour === 'busybox' ? `ip: command '${sub}' is unknown\n` : `Command "${sub}" is unknown, try "ip rule help".\n`, 1);
}

function neigh(ns: NetNamespace, args: string[], o: Opts, flavour: IpFlavour): RunResult {
  const [sub = 'show', ...rest] = args;
  if (matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') {
    // -4/-6 keep one family's entries (the neighbour tables are per family: ARP and NDP)
    let list = o.family ? ns.neighbors.filter((n) => n.ip.includes(':') === (o.family === 'inet6')) : ns.neighbors;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === 'dev') {
        const d = rest[++i];
        if (!ns.links.some((l) => l.name === d)) return noDevice(d ?? '', flavour);
        list = list.filter((n) => n.dev === d);
      }
    }
    return ok(ipNeigh(list));
  }
  if (['add', 'del', 'delete', 'change', 'replace', 'flush'].some((c) => matches(sub, c))) return notPermitted();
  return fail(flavour === 'busybox' ? `ip: command '${sub}' is unknown\n` : `Command "${sub}" is unknown, try "ip neigh help".\n`, 1);
}

/**
 * `ip netns`: containerd names each pod sandbox's namespace `cni-<uuid>` under /var/run/netns
 * (listed newest first, with the id the host knows it by); `ip netns exec NAME CMD` runs a
 * command inside it — the way to look at a pod's interfaces from its node.
 */

function netns(ctx: CommandContext, args: string[]): RunResult {
  if (ctx.host.kind !== 'node') return args[0] === undefined || matches(args[0], 'list') ? ok('') : fail(`Cannot open network namespace "${args[1] ?? ''}": No such file or directory\n`, 1);
  const node = ctx.host.node;
  const allocs = cniModule(ctx.cluster).podAllocs(node);
  const nameOf = (a: { namespace: string; name: string; uid: string }) => {
    const p = ctx.cluster.store.get('Pod', a.namespace, a.name);
    return p && p.metadata.uid === a.uid ? netnsName(p) : `cni-${a.uid}`;
  };
  const [sub = 'list', ...rest] = args;
  if (matches(sub, 'list') || sub === 'show') {
    return ok([...allocs].reverse().map((a) => `${nameOf(a)} (id: ${a.netnsid})\n`).join(''));
  }
  if (matches(sub, 'exec')) {
    const [name, cmd, ...cargs] = rest;
    if (!name || !cmd) return fail('No netns name specified\n', 255);
    const a = allocs.find((x) => nameOf(x) === name);
    if (!a) return fail(`Cannot open network namespace "${name}": No such file or directory\n`, 1);
    const pod = ctx.cluster.store.get('Pod', a.namespace, a.name);
    const host: HostRef = { kind: 'pod', namespace: a.namespace, pod: a.name, container: pod?.spec?.containers?.[0]?.name ?? a.name };
    // the node's own binaries, in the pod's network namespace: iproute2 ip, not the image's busybox
    if (cmd === 'ip') return runIpAs(cargs, { ...ctx, host }, 'iproute2');
    const spec = ctx.commands.find(cmd);
    if (!spec) return fail(`exec of "${cmd}" failed: No such file or directory\n`, 255);
    const out = spec.run(cargs, { ...ctx, host, name: cmd, netnsExec: true });
    if (isStreaming(out) || isEditRequest(out)) return fail(`exec of "${cmd}" failed: Operation not supported\n`, 255);
    return out;
  }
  if (['add', 'delete', 'del', 'attach', 'set'].some((c) => matches(sub, c))) return fail('mount --make-shared /run/netns failed: Operation not permitted\n', 1);
  if (sub === 'identify') return ok('\n');
  return fail(`Command "${sub}" is unknown, try "ip netns help".\n`, 1);
}

export function runIp(args: string[], ctx: CommandContext): RunResult {
  return runIpAs(args, ctx, ipFlavour(ctx.cluster, ctx.host));
}

function runIpAs(args: string[], ctx: CommandContext, flavour: IpFlavour): RunResult {
  const o: Opts = { brief: false, details: false, oneline: false, stats: false };
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const a = args[i].replace(/^--?/, '-');
    if (a === '-4') o.family = 'inet';
    else if (a === '-6') o.family = 'inet6';
    else if (flavour === 'iproute2' && a.length > 2 && '-brief'.startsWith(a) && a.startsWith('-br')) o.brief = true;
    else if (flavour === 'iproute2' && '-details'.startsWith(a)) o.details = true;
    else if (flavour === 'iproute2' && a.length > 1 && ('-statistics'.startsWith(a) || a === '-stats')) o.stats = true;
    else if (flavour === 'iproute2' && ('-color'.startsWith(a) || '-numeric'.startsWith(a) || '-resolve'.startsWith(a))) continue;
    else if (a.length > 1 && '-oneline'.startsWith(a)) o.oneline = true;
    else if (a === '-f' || '-family'.startsWith(a)) {
      const f = args[++i];
      if (f === 'inet') o.family = 'inet';
      else if (f === 'inet6') o.family = 'inet6';
      else if (f !== 'link') return fail(`Error: argument "${f}" is wrong: invalid protocol family\n`, 255);
    } else if (a === '-V' || a === '-Version') return ok(flavour === 'busybox' ? '' : 'ip utility, iproute2-6.1.0, libbpf 1.1.0\n');
    else if (a === '-h' || a === '-help') return fail(USAGE, 255);
    else return flavour === 'busybox' ? fail(BUSYBOX_USAGE, 1) : fail(`Option "${args[i]}" is unknown, try "ip -help".\n`, 255);
  }
  const object = args[i];
  const rest = args.slice(i + 1);
  if (object === undefined) return flavour === 'busybox' ? fail(BUSYBOX_USAGE, 1) : fail(USAGE, 255);
  const ns = hostNamespace(ctx.cluster, ctx.host);
  if (!ns) {
    // the workstation: a laptop on the nodes' network
    return fail('Cannot open netlink socket: Operation not permitted\n', 1);
  }
  if (object === 'help') return fail(USAGE, 255);
  if (flavour === 'iproute2' && object.length >= 4 && matches(object, 'netns')) return netns(ctx, rest);
  if (matches(object, 'address') || object === 'addr') return addr(ns, rest, o, flavour);
  if (matches(object, 'link')) return link(ns, rest, o, flavour);
  if (matches(object, 'route') || object === 'r') return route(ns, rest, o, flavour);
  if (matches(object, 'neighbor') || matches(object, 'neighbour')) return neigh(ns, rest, o, flavour);
  if (matches(object, 'rule')) return rule(rest, o, flavour);
  return flavour === 'busybox' ? fail(BUSYBOX_USAGE, 1) : fail(`Object "${object}" is unknown, try "ip help".\n`, 1);
}

export const ipCommand: CommandSpec = {
  name: 'ip',
  summary: 'show routing, network devices, interfaces and tunnels',
  run: runIp,
  complete(args) {
    if (args.length <= 1) return ['address', 'link', 'route', 'neighbour'].filter((w) => w.startsWith(args[0] ?? ''));
    if (args.length === 2) return ['show', 'list'].filter((w) => w.startsWith(args[1]));
    return [];
  },
};
