/**
 * ss (iproute2 misc/ss.c): the sockets of the host's network namespace — a node's daemons
 * (kubelet 10250 and 127.0.0.1:10248, kube-proxy 10256 and 127.0.0.1:10249, containerd,
 * sshd, the control plane's components, hostNetwork pods) or a pod's containers, as the
 * traffic room's apps.ts says they listen. Layout as render_calc_width does it: each column
 * as wide as its widest cell, addresses right-aligned, ports left-aligned, the peer port
 * glued to the Process column. Besides the listeners, a node holds the cluster's own
 * long-lived connections (dataplane/background.ts: the kubelet's, kube-proxy's, the CNI
 * agent's to the API server, the API server's side of them, etcd's, BIRD's BGP sessions):
 * ESTAB with empty queues, listed after the listeners as the kernel walks its listening hash
 * before its established one, in the established hash's (seeded) order. A learner's own
 * connections close when the command ends, so they leave none.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec, NodeProcessLookup } from '../../../shell/command';
import { ok, fail } from '../../../types';
import { findPod } from '../../../dataplane/topology';
import { nodeListeners, podListeners, type Listener } from '../../../dataplane/apps';
import { clusterNodes } from '../../../controllers/cni';
import { sha1 as sha1Hex } from '../../../cluster/hash';
import { backgroundSockets } from '../../../dataplane/background';
import { startedProcesses } from '../../../dataplane/started';
import { FilterError, parseSsFilter, runSsFilter, scanState, SS, SS_ALL, SS_CONN, SS_USAGE, type SsFilter } from './ssfilter';

/** What the socket lists read: the cluster, the host, and (ip netns exec / nsenter) the node's /proc. */
export type SockCtx = Pick<CommandContext, 'cluster' | 'host' | 'netnsExec' | 'nodeProcesses'>;

export interface Sock {
  proto: 'tcp' | 'udp';
  local: string;
  port: number;
  backlog: number;
  process: string;
  pid: number;
  fd: number;
  v6: boolean;
  /** An established connection's peer (no peer: a listening or unconnected socket). */
  peer?: { addr: string; port: number };
  /**
   * Every process holding the socket, as ss lists them (misc/ss.c user_ent_add pushes each
   * /proc/PID/fd entry onto its inode's list, so the highest PID comes first): nginx's master
   * and the workers that inherited its listening descriptor. Absent: `process`, `pid` alone.
   */
  owners?: { process: string; pid: number }[];
}

const SERVICES: Record<number, string> = { 22: 'ssh', 53: 'domain', 80: 'http', 179: 'bgp', 443: 'https', 8080: 'http-alt' };

/** A daemon's PID on a host, stable per host and daemon (shared with systemctl's Main PID). */
export function pidFor(seed: string, base: number): number {
  return base + (parseInt(sha1Hex(seed).slice(0, 4), 16) % 900);
}

/** systemd-resolved's PID on a node, from the process table (commands/runtime registers it: runtime imports this room). */
let resolvedPid: (ctx: SockCtx, node: string) => number | undefined = () => undefined;
export function setResolvedPid(f: typeof resolvedPid): void {
  resolvedPid = f;
}

/** systemd-resolved 249's stub listener: UDP and TCP on 127.0.0.53, bound to lo (SO_BINDTODEVICE, so ss prints `%lo`); 127.0.0.54 came with 251. */
function resolvedSockets(ctx: SockCtx, node: string): Sock[] {
  const pid = resolvedPid(ctx, node) ?? 0;
  return [
    { proto: 'udp', local: '127.0.0.53%lo', port: 53, backlog: 0, process: 'systemd-resolve', pid, fd: 13, v6: false },
    { proto: 'tcp', local: '127.0.0.53%lo', port: 53, backlog: 4096, process: 'systemd-resolve', pid, fd: 14, v6: false },
  ];
}

/** The kubelet's and containerd's PIDs on a node, from the process table (a unit started again is a new process; commands/runtime registers it). */
let unitPid: (ctx: SockCtx, node: string, unit: 'kubelet' | 'containerd') => number | undefined = () => undefined;
export function setUnitPid(f: typeof unitPid): void {
  unitPid = f;
}

function nodeSockets(ctx: SockCtx, node: string): Sock[] {
  const out: Sock[] = [];
  const ls = nodeListeners(ctx.cluster, node, { loopback: true });
  const kubelet = unitPid(ctx, node, 'kubelet') ?? pidFor(`${node}/kubelet`, 1000);
  const proxy = pidFor(`${node}/kube-proxy`, 2000);
  const containerd = unitPid(ctx, node, 'containerd') ?? pidFor(`${node}/containerd`, 300);
  const ip = clusterNodes(ctx.cluster).find((n) => n.name === node)?.ip ?? '0.0.0.0';
  // containerd's CRI streaming server (stream_server_address 127.0.0.1, port 0: a free port); gone with containerd
  if (ctx.cluster.kubelet.runtimeUp(node)) out.push({ proto: 'tcp', local: '127.0.0.1', port: 30000 + (parseInt(sha1Hex(`${node}/containerd-port`).slice(0, 4), 16) % 30000), backlog: 4096, process: 'containerd', pid: containerd, fd: 10, v6: false });
  // the kubelet's healthz and kube-proxy's metrics bind localhost only (--healthz-bind-address, --metrics-bind-address defaults)
  if (!ls.some((l) => l.port === 10248)) out.unshift({ proto: 'tcp', local: '127.0.0.1', port: 10248, backlog: 4096, process: 'kubelet', pid: kubelet, fd: 20, v6: false });
  if (!ls.some((l) => l.port === 10249)) out.unshift({ proto: 'tcp', local: '127.0.0.1', port: 10249, backlog: 4096, process: 'kube-proxy', pid: proxy, fd: 12, v6: false });
  // a stopped kubelet listens nowhere (systemctl stop kubelet)
  if (!ctx.cluster.kubelet.running(node)) {
    for (let i = out.length - 1; i >= 0; i--) if (out[i].process === 'kubelet') out.splice(i, 1);
  }
  for (const l of ls) {
    if (l.description.startsWith('kubelet') && !ctx.cluster.kubelet.running(node)) continue;
    switch (l.description) {
      case 'sshd':
        out.push({ proto: 'tcp', local: '0.0.0.0', port: 22, backlog: 128, process: 'sshd', pid: pidFor(`${node}/sshd`, 100), fd: 3, v6: false });
        out.push({ proto: 'tcp', local: '[::]', port: 22, backlog: 128, process: 'sshd', pid: pidFor(`${node}/sshd`, 100), fd: 4, v6: true });
        break;
      case 'kubelet':
        out.push({ proto: 'tcp', local: '*', port: 10250, backlog: 4096, process: 'kubelet', pid: kubelet, fd: 24, v6: true });
        break;
      case 'kube-proxy healthz':
        out.push({ proto: 'tcp', local: '*', port: 10256, backlog: 4096, process: 'kube-proxy', pid: proxy, fd: 11, v6: true });
        break;
      case 'kubelet healthz':
        out.push({ proto: 'tcp', local: '127.0.0.1', port: 10248, backlog: 4096, process: 'kubelet', pid: kubelet, fd: 20, v6: false });
        break;
      case 'kube-proxy metrics':
        out.push({ proto: 'tcp', local: '127.0.0.1', port: 10249, backlog: 4096, process: 'kube-proxy', pid: proxy, fd: 12, v6: false });
        break;
      case 'kube-apiserver':
        out.push({ proto: 'tcp', local: '*', port: l.port, backlog: 4096, process: 'kube-apiserver', pid: pidFor(`${node}/apiserver`, 1500), fd: 3, v6: true });
        break;
      case 'etcd':
        out.push({ proto: 'tcp', local: '127.0.0.1', port: 2379, backlog: 4096, process: 'etcd', pid: pidFor(`${node}/etcd`, 1400), fd: 8, v6: false });
        out.push({ proto: 'tcp', local: ip, port: 2379, backlog: 4096, process: 'etcd', pid: pidFor(`${node}/etcd`, 1400), fd: 9, v6: false });
        break;
      case 'etcd peer':
        out.push({ proto: 'tcp', local: ip, port: 2380, backlog: 4096, process: 'etcd', pid: pidFor(`${node}/etcd`, 1400), fd: 7, v6: false });
        break;
      case 'kube-controller-manager':
        out.push({ proto: 'tcp', local: '127.0.0.1', port: l.port, backlog: 4096, process: 'kube-controller', pid: pidFor(`${node}/kcm`, 1300), fd: 3, v6: false });
        break;
      case 'bird':
        // BIRD's listen(fd, 8) on the BGP port (sysdep/unix/io.c sk_open)
        out.push({ proto: 'tcp', local: '0.0.0.0', port: 179, backlog: 8, process: 'bird', pid: pidFor(`${node}/bird`, 4000), fd: 7, v6: false });
        break;
      case 'calico-node felix health':
        out.push({ proto: 'tcp', local: '127.0.0.1', port: 9099, backlog: 4096, process: 'calico-node', pid: pidFor(`${node}/felix`, 4000), fd: 9, v6: false });
        break;
      case 'kube-scheduler':
        out.push({ proto: 'tcp', local: '127.0.0.1', port: l.port, backlog: 4096, process: 'kube-scheduler', pid: pidFor(`${node}/sched`, 1200), fd: 3, v6: false });
        break;
      default: {
        // a server started by hand in the node's shell (its PID is the node's) or a hostNetwork Pod (a node PID for its container's one)
        const owner = startedProcesses(ctx.cluster).owner(l);
        if (owner) {
          // -p names the processes of the viewer's own PID namespace: a hostNetwork Pod's container
          // sees its own by their PIDs there, the node sees every one by a node PID, others none
          const h = ctx.host;
          const viewerUid = h.kind === 'pod' ? ctx.cluster.store.get('Pod', h.namespace, h.pod)?.metadata.uid : undefined;
          const own = h.kind === 'pod' && viewerUid === owner.uid && h.container === owner.container;
          const socks = listenerSockets(l, owner.comm, own || (h.kind === 'node' && !owner.pod) ? owner.pid : pidFor(`${node}/${owner.uid}/${owner.pid}`, 3000), { next: owner.comm === 'socat' ? 5 : 3 });
          out.push(...(own || h.kind === 'node' ? socks : socks.map((x) => ({ ...x, process: '' }))));
          break;
        }
        // a hostNetwork pod's server (the listener names its pod; older apps.ts: `namespace/pod/container`)
        const lp = (l as Listener & { pod?: { obj?: { spec?: { containers?: { name: string; image?: string }[] } } } }).pod;
        const [pns, pname, cname] = l.container.split('/');
        const p = lp?.obj ?? (pns && pname ? ctx.cluster.store.get('Pod', pns, pname) : undefined);
        const cn = cname ?? l.container;
        const c = ((p?.spec?.containers ?? []) as { name: string; image?: string }[]).find((x) => x.name === cn);
        out.push(...listenerSockets(l, commOf(c?.image, cn || 'app'), pidFor(`${node}/${l.container}/${l.port}`, 3000), { next: 3 }));
      }
    }
  }
  // localhost listeners first, then the rest, as the kernel's listening hash happens to list them here
  return [...out.filter((x) => x.local === '127.0.0.1').sort((a, b) => a.port - b.port), ...resolvedSockets(ctx, node), ...out.filter((x) => x.local !== '127.0.0.1')];
}

/**
 * A node's established sockets. One the API server accepted on its dual-stack `*:6443` is an
 * AF_INET6 socket whose IPv4 addresses print mapped (`[::ffff:192.168.49.2]`).
 */
function establishedSockets(ctx: SockCtx, node: string): Sock[] {
  const out: Sock[] = backgroundSockets(ctx.cluster, node).map((b) => ({
    proto: 'tcp',
    local: b.mapped ? `[::ffff:${b.local}]` : b.local,
    port: b.lport,
    backlog: 0,
    process: b.process,
    pid: pidFor(b.pidKey, b.pidBase),
    fd: b.fd,
    v6: !!b.mapped,
    peer: { addr: b.mapped ? `[::ffff:${b.peer}]` : b.peer, port: b.pport },
  }));
  // the established hash's bucket order: a hash of the four-tuple
  const order = (x: Sock) => sha1Hex(`${x.local}:${x.port}-${x.peer!.addr}:${x.peer!.port}`);
  return out.map((x) => ({ x, k: order(x) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map(({ x }) => x);
}

/** A server the container's command starts in a client image (hosts/images.ts): its program's name, not the image's. */
function startedComm(l: Listener): string | undefined {
  if (l.app === 'iperf3') return 'iperf3';
  if (l.description.startsWith('socat ')) return 'socat';
  if (l.description === 'nc -l') return 'nc';
  return undefined;
}

/** A process's comm name: the image's name, cut to the kernel's 15 characters (TASK_COMM_LEN - 1). */
function commOf(image: string | undefined, fallback: string): string {
  const base = (image ?? '').split('@')[0].split('/').pop()!.split(':')[0];
  return (base || fallback).slice(0, 15);
}

/** Sockets a container's server opens: nginx binds IPv4 and IPv6 (default.conf), Go servers one dual-stack `*`. */
function listenerSockets(l: Listener, proc: string, pid: number, fds: { next: number }): Sock[] {
  const proto = l.proto === 'udp' ? 'udp' : 'tcp';
  if (l.app === 'nginx') {
    return [
      { proto, local: '0.0.0.0', port: l.port, backlog: 511, process: proc, pid, fd: fds.next++, v6: false },
      { proto, local: '[::]', port: l.port, backlog: 511, process: proc, pid, fd: fds.next++, v6: true },
    ];
  }
  // a server that binds IPv4's wildcard (nc, socat: an AF_INET socket), with its listen() backlog
  if (l.params?.bind) return [{ proto, local: l.params.bind, port: l.port, backlog: Number(l.params.backlog ?? 4096), process: proc, pid, fd: fds.next++, v6: false }];
  return [{ proto, local: '*', port: l.port, backlog: Number(l.params?.backlog ?? 4096), process: proc, pid, fd: fds.next++, v6: true }];
}

/**
 * A pod's sockets, seen from one of its containers. The network namespace is shared, so
 * every container's listening sockets show; the process behind a socket only shows when
 * ss can see it in /proc: its own container's (pid 1 in its own PID namespace), or every
 * container's when the Pod shares one PID namespace (shareProcessNamespace: the pause
 * process is pid 1 there, the containers' processes come after).
 */
function podSockets(ctx: SockCtx, ns: string, name: string, from: string): Sock[] {
  const pi = findPod(ctx.cluster, ns, name);
  if (!pi) return [];
  if (pi.hostNetwork) return nodeSockets(ctx, pi.node);
  if (ctx.netnsExec && ctx.nodeProcesses) return podSocketsFromNode(ctx, pi, ctx.nodeProcesses);
  const containers = (pi.obj.spec?.containers ?? []) as { name: string; image?: string }[];
  const shared = pi.obj.spec?.shareProcessNamespace === true;
  const fds = new Map<string, { next: number }>();
  return podListeners(pi).flatMap((l) => {
    const c = containers.find((x) => x.name === l.container);
    const pid = shared ? 7 + containers.indexOf(c ?? containers[0]) * 10 : 1;
    let f = fds.get(l.container);
    if (!f) fds.set(l.container, (f = { next: 3 }));
    const socks = listenerSockets(l, startedComm(l) ?? commOf(c?.image, l.container), pid, f);
    return shared || l.container === from ? socks : socks.map((x) => ({ ...x, process: '' }));
  }).concat(startedSockets(ctx, pi, from));
}

/**
 * The sockets of servers a learner started by hand in the Pod (dataplane/started.ts): each
 * process's own descriptor table (its listening socket is fd 3: iperf3's netannounce, nc's
 * listen socket; socat's 5, after its stdio and internal pipes); the process shows to ss in its
 * own container (its own PID namespace) only.
 */
function startedSockets(ctx: SockCtx, pi: NonNullable<ReturnType<typeof findPod>>, from: string): Sock[] {
  return startedProcesses(ctx.cluster).inPod(pi).flatMap((p) => {
    const fds = { next: p.comm === 'socat' ? 5 : 3 };
    const socks = p.listeners.flatMap((l) => listenerSockets(l, p.comm, p.pid, fds));
    return p.container === from || pi.obj.spec?.shareProcessNamespace === true ? socks : socks.map((x) => ({ ...x, process: '' }));
  });
}

/**
 * A Pod's sockets seen by root on its node from inside the Pod's network namespace (`ip netns
 * exec cni-… ss -ltnp`, `nsenter -t PID -n ss -ltnp`): the namespace is the Pod's, but /proc
 * is the node's, so every container's sockets name their processes by node PIDs — each
 * process of the container that holds the listening descriptor (the server's task name; the
 * container's first process when none carries it).
 */
function podSocketsFromNode(ctx: SockCtx, pi: NonNullable<ReturnType<typeof findPod>>, lookup: NodeProcessLookup): Sock[] {
  const containers = (pi.obj.spec?.containers ?? []) as { name: string; image?: string }[];
  const uid = pi.obj.metadata.uid;
  const procs = lookup(pi.node).filter((p) => p.pod?.metadata.uid === uid && p.container);
  const fds = new Map<string, { next: number }>();
  return podListeners(pi).flatMap((l) => {
    const c = containers.find((x) => x.name === l.container);
    const comm = commOf(c?.image, l.container);
    const mine = procs.filter((p) => p.container === l.container);
    const holding = mine.some((p) => p.comm === comm) ? mine.filter((p) => p.comm === comm) : mine.slice(0, 1);
    const owners = holding.map((p) => ({ process: p.comm, pid: p.pid })).sort((a, b) => b.pid - a.pid);
    let f = fds.get(l.container);
    if (!f) fds.set(l.container, (f = { next: 3 }));
    return listenerSockets(l, owners[0]?.process ?? '', owners[0]?.pid ?? 0, f).map((x) => (owners.length ? { ...x, owners } : { ...x, process: '' }));
  });
}

/** The listening sockets of the host's network namespace, as ss lists them (netstat reads the same). */
export function hostSockets(ctx: SockCtx): Sock[] {
  const host = ctx.host;
  return host.kind === 'node' ? nodeSockets(ctx, host.node) : host.kind === 'pod' ? podSockets(ctx, host.namespace, host.pod, host.container) : [];
}

/** The established sockets of the host's network namespace: a node's (or a hostNetwork Pod's, which shares it). */
export function hostEstablished(ctx: SockCtx): Sock[] {
  const host = ctx.host;
  if (host.kind === 'node') return establishedSockets(ctx, host.node);
  if (host.kind !== 'pod') return [];
  const pi = findPod(ctx.cluster, host.namespace, host.pod);
  return pi?.hostNetwork ? establishedSockets(ctx, pi.node) : [];
}

export function runSs(args: string[], ctx: CommandContext): RunResult {
  let tcp = false, udp = false, listening = false, all = false, numeric = false, procs = false, v4 = false, v6 = false, summary = false;
  // getopt_long permutes: every word that is not an option is the FILTER, in order
  const rest: string[] = [];
  for (const a of args) {
    if (a === '--summary') summary = true;
    else if (a === '--tcp') tcp = true;
    else if (a === '--udp') udp = true;
    else if (a === '--listening') listening = true;
    else if (a === '--all') all = true;
    else if (a === '--numeric') numeric = true;
    else if (a === '--processes') procs = true;
    else if (a.startsWith('-') && !a.startsWith('--')) {
      for (const c of a.slice(1)) {
        if (c === 't') tcp = true;
        else if (c === 'u') udp = true;
        else if (c === 'l') listening = true;
        else if (c === 'a') all = true;
        else if (c === 'n') numeric = true;
        else if (c === 'p') procs = true;
        else if (c === '4') v4 = true;
        else if (c === '6') v6 = true;
        else if (c === 's') summary = true;
        else if (c === 'e' || c === 'm' || c === 'i' || c === 'o' || c === 'H') continue;
        else return fail(`ss: invalid option -- '${c}'\nUsage: ss [ OPTIONS ]\n       ss [ OPTIONS ] [ FILTER ]\n`, 1);
      }
    } else rest.push(a);
  }
  // main: `state X` / `exclude X` words first (scan_state), then ssfilter_parse over the rest
  let stateFilter = listening ? (1 << SS.LISTEN) | (1 << SS.CLOSE) : all ? SS_ALL : 0;
  let sawStates = false;
  let filter: SsFilter | undefined;
  try {
    while (rest.length > 0 && (rest[0] === 'state' || rest[0] === 'exclude' || rest[0] === 'excl')) {
      const word = rest.shift()!;
      // NEXT_ARG: a missing state word is incomplete_command()
      if (rest.length === 0) return fail('Command line is not complete. Try option "help"\n', 255);
      const bits = scanState(rest.shift()!, SS_USAGE);
      if (word === 'state') {
        if (!sawStates) stateFilter = 0;
        stateFilter |= bits;
      } else {
        if (!sawStates) stateFilter = SS_ALL;
        stateFilter &= ~bits;
      }
      sawStates = true;
    }
    filter = parseSsFilter(rest, SS_USAGE);
  } catch (e) {
    if (e instanceof FilterError) return fail(e.text, e.code);
    throw e;
  }
  const states = stateFilter || SS_CONN;
  const host = ctx.host;
  // misc/ss.c main: the summary, then exit unless a socket table (-t, -u) was asked for too
  const head0 = summary ? printSummary([...hostSockets(ctx), ...hostEstablished(ctx)]) : '';
  if (summary && !tcp && !udp) return ok(head0);
  if (!tcp && !udp) tcp = true;
  const listeners: Sock[] = host.kind === 'node' ? nodeSockets(ctx, host.node) : host.kind === 'pod' ? podSockets(ctx, host.namespace, host.pod, host.container) : [];
  // -l: listening sockets only; -a: both; neither: the connected ones (ss's default state filter)
  const stateOf = (x: Sock) => (x.peer ? SS.ESTABLISHED : x.proto === 'udp' ? SS.CLOSE : SS.LISTEN);
  let socks: Sock[] = [...listeners, ...hostEstablished(ctx)].filter((x) => (states & (1 << stateOf(x))) !== 0);
  socks = socks.filter((s) => (s.proto === 'tcp' && tcp) || (s.proto === 'udp' && udp));
  if (filter) {
    const f = filter;
    const anyAddr = (x: Sock) => (x.local === '*' ? '*' : x.v6 ? '[::]' : '0.0.0.0');
    socks = socks.filter((x) => runSsFilter(f, { local: x.local, lport: x.port, remote: x.peer?.addr ?? anyAddr(x), rport: x.peer?.port ?? 0 }));
  }
  // main: one state asked for, no State column (`ss state established`); -l is LISTEN and UNCONN
  const stateColumn = (states & (states - 1)) !== 0;
  if (v4 && !v6) socks = socks.filter((s) => !s.v6 || (!s.peer && s.local === '*'));
  if (v6 && !v4) socks = socks.filter((s) => s.v6);
  socks.sort((a, b) => (a.proto !== b.proto ? (a.proto === 'udp' ? -1 : 1) : 0));
  const multi = tcp && udp;
  const rows = socks.map((s) => {
    const name = (p: number) => (numeric ? String(p) : SERVICES[p] ?? String(p));
    const port = name(s.port);
    const peer = s.peer ? s.peer.addr : s.v6 && s.local !== '*' ? '[::]' : s.local === '*' ? '*' : '0.0.0.0';
    return {
      netid: s.proto,
      state: s.peer ? 'ESTAB' : s.proto === 'udp' ? 'UNCONN' : 'LISTEN',
      recv: '0',
      send: s.proto === 'udp' || s.peer ? '0' : String(s.backlog),
      laddr: s.local,
      lport: port,
      paddr: peer,
      pport: s.peer ? name(s.peer.port) : '*',
      // with -p the process cell carries a leading space the header does not (misc/ss.c)
      proc: procs && s.process ? ` users:(${(s.owners ?? [{ process: s.process, pid: s.pid }]).map((u) => `("${u.process}",pid=${u.pid},fd=${s.fd})`).join(',')})` : '',
    };
  });
  const head = { netid: 'Netid', state: 'State', recv: 'Recv-Q', send: 'Send-Q', laddr: 'Local Address', lport: 'Port', paddr: 'Peer Address', pport: 'Port', proc: 'Process' };
  const all2 = [head, ...rows];
  const w = (k: keyof typeof head) => Math.max(...all2.map((r) => r[k].length));
  const line = (r: typeof head) => {
    let s = '';
    if (multi) s += r.netid.padEnd(w('netid')) + ' ';
    if (stateColumn) s += r.state.padEnd(w('state')) + ' ';
    s += r.recv.padEnd(w('recv')) + ' ' + r.send.padEnd(w('send')) + ' ';
    s += r.laddr.padStart(w('laddr')) + ':' + r.lport.padEnd(w('lport')) + ' ';
    s += r.paddr.padStart(w('paddr')) + ':' + r.pport.padEnd(w('pport'));
    s += r.proc.padEnd(w('proc'));
    return s + '\n';
  };
  return ok(head0 + all2.map((r) => line(r)).join(''));
}

/**
 * `ss -s` (misc/ss.c print_summary over /proc/net/sockstat and sockstat6, and Tcp:
 * CurrEstab from /proc/net/snmp). The counts come from the sockets this namespace holds in
 * the simulation: listening TCP and UDP sockets (a dual-stack `*` or `[::]` socket is an
 * AF_INET6 one, in TCP6/UDP6) and the node's established background connections (an
 * accepted IPv4-mapped one is AF_INET6 too), no time-wait sockets, no raw sockets
 * or fragments; "Total" (sockets: used) counts those same sockets, as the simulation keeps
 * no unix or netlink sockets.
 */
function printSummary(socks: Sock[]): string {
  const tcp4 = socks.filter((x) => x.proto === 'tcp' && !x.v6).length;
  const tcp6 = socks.filter((x) => x.proto === 'tcp' && x.v6).length;
  const udp4 = socks.filter((x) => x.proto === 'udp' && !x.v6).length;
  const udp6 = socks.filter((x) => x.proto === 'udp' && x.v6).length;
  const tcpTotal = tcp4 + tcp6;
  const estab = socks.filter((x) => x.peer).length, orphans = 0, tws = 0;
  const col = (a: number, b: number, c: number) => `${String(a).padEnd(9)} ${String(b).padEnd(9)} ${String(c).padEnd(9)}`;
  return (
    `Total: ${socks.length}\n` +
    `TCP:   ${tcpTotal + tws} (estab ${estab}, closed ${tcpTotal - (tcp4 + tcp6 - tws)}, orphaned ${orphans}, timewait ${tws})\n` +
    '\n' +
    'Transport Total     IP        IPv6\n' +
    `RAW\t  ${col(0, 0, 0)}\n` +
    `UDP\t  ${col(udp4 + udp6, udp4, udp6)}\n` +
    `TCP\t  ${col(tcp4 + tcp6, tcp4, tcp6)}\n` +
    `INET\t  ${col(udp4 + udp6 + tcp4 + tcp6, udp4 + tcp4, udp6 + tcp6)}\n` +
    `FRAG\t  ${col(0, 0, 0)}\n` +
    '\n'
  );
}

export const ssCommand: CommandSpec = {
  name: 'ss',
  summary: 'investigate sockets',
  run: runSs,
};
