/**
 * netstat: busybox 1.36's applet (networking/netstat.c) wherever the image's netstat is one
 * (busybox, Alpine, netshoot: hosts/userland.ts), net-tools' (netstat.c) on a host that
 * installs it. Both read /proc/net/{tcp,tcp6,udp,udp6}; here the sockets are the ones ss
 * lists (ss.ts hostSockets: what apps.ts says listens in this network namespace, and
 * hostEstablished: a node's own long-lived connections, which a hostNetwork Pod shares). A
 * Pod's own namespace keeps no idle connections: without -l or -a its tables are empty.
 *
 * busybox: "Active Internet connections (only servers)", FMT_NET_CONN_HEADER
 * "\nProto Recv-Q Send-Q %-23s %-23s State       %s\n", rows "%s   %6lu %6lu %-23s %-23s %-12s"
 * with "tcp"/"udp" for both families, `-p` "%.20s" of "PID/prog" (or "-"), `-r` bb_displayroutes.
 * net-tools: rows "%-4s  %6ld %6ld %-*s %-*s %-11s" (tcp, tcp6) and "%-5s %6ld %6ld %-23s %-23s
 * %-11s" (udp, udp6), `-p` " %-20s", the header "Proto Recv-Q Send-Q Local Address           Foreign
 * Address         State      ".
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { isBusyboxApplet } from '../../../hosts/hosts';
import { hostEstablished, hostSockets, type Sock } from './ss';
import { findPod } from '../../../dataplane/topology';
import { startedProcesses } from '../../../dataplane/started';
import { routeTable } from './route';

const PORT_NAMES = new Map<number, string>([[22, 'ssh'], [53, 'domain'], [80, 'http'], [443, 'https'], [8080, 'http-alt']]);

interface Opts {
  tcp: boolean;
  udp: boolean;
  listening: boolean;
  all: boolean;
  numeric: boolean;
  programs: boolean;
  route: boolean;
  extend: boolean;
}

function addrOf(s: Sock, port: string, peerPort: string): { v6: boolean; local: string; remote: string } {
  const v6 = s.v6;
  // an IPv4-mapped address of an AF_INET6 socket prints bare: ::ffff:192.168.49.2
  // netstat reads /proc/net/tcp, which has no bound device: ss's `127.0.0.53%lo` is 127.0.0.53 here
  const bare = (a: string) => a.replace(/^\[(.*)\]$/, '$1').replace(/%[^%]+$/, '');
  const host = s.local === '*' || s.local === '[::]' ? '::' : bare(s.local);
  if (s.peer) return { v6, local: `${host}:${port}`, remote: `${bare(s.peer.addr)}:${peerPort}` };
  return { v6, local: `${v6 ? host : host}:${port}`, remote: v6 ? ':::*' : '0.0.0.0:*' };
}

export const netstatCommand: CommandSpec = {
  name: 'netstat',
  summary: 'print network connections and routing tables',
  run(args: string[], ctx: CommandContext): RunResult {
    const bb = isBusyboxApplet(ctx.cluster, ctx.host, 'netstat');
    const o: Opts = { tcp: false, udp: false, listening: false, all: false, numeric: false, programs: false, route: false, extend: false };
    for (const a of args) {
      const flags = a.startsWith('--') ? [a.slice(2)] : a.startsWith('-') ? [...a.slice(1)] : null;
      if (!flags) return bb ? { stdout: '', stderr: BB_USAGE, exitCode: 1 } : { stdout: '', stderr: NT_USAGE, exitCode: 5 };
      for (const f of flags) {
        if (f === 't' || f === 'tcp') o.tcp = true;
        else if (f === 'u' || f === 'udp') o.udp = true;
        else if (f === 'l' || f === 'listening') o.listening = true;
        else if (f === 'a' || f === 'all') o.all = true;
        else if (f === 'n' || f === 'numeric') o.numeric = true;
        else if (f === 'p' || f === 'programs') o.programs = true;
        else if (f === 'r' || f === 'route') o.route = true;
        else if (f === 'e' || f === 'extend') o.extend = true;
        else if (f === 'W' || f === 'w' || f === 'x' || f === '4' || f === '6' || f === 'wide') continue;
        else return bb ? { stdout: '', stderr: `netstat: unrecognized option: ${f}\n${BB_USAGE}`, exitCode: 1 } : { stdout: '', stderr: `netstat: invalid option -- '${f}'\n${NT_USAGE}`, exitCode: 5 };
      }
    }
    if (o.route) return { stdout: routeTable(ctx, o.numeric, o.extend ? 'route' : 'netstat'), stderr: '', exitCode: 0 };
    const both = !o.tcp && !o.udp;
    const listening = o.listening || o.all;
    const title = `Active Internet connections ${o.all ? '(servers and established)' : o.listening ? '(only servers)' : '(w/o servers)'}`;
    let out: string;
    if (bb) out = `${title}\nProto Recv-Q Send-Q Local Address           Foreign Address         State       ${o.programs ? 'PID/Program name    ' : ''}\n`;
    else out = `${title}\nProto Recv-Q Send-Q Local Address           Foreign Address         State      ${o.programs ? ' ' + 'PID/Program name'.padEnd(20) : ''}\n`;
    // /proc/net/tcp lists the listening sockets, then the established ones (a hostNetwork Pod's are its node's)
    const socks = [...(listening ? hostSockets(ctx) : []), ...(!o.listening || o.all ? hostEstablished(ctx) : [])];
    const proto = (p: 'tcp' | 'udp') => [...socks.filter((s) => s.proto === p && !s.v6), ...socks.filter((s) => s.proto === p && s.v6)];
    const port = (n: number) => (o.numeric ? String(n) : PORT_NAMES.get(n) ?? String(n));
    // PID/Program name: the pid and the basename of the process's argv[0] (/proc/PID/cmdline), "-" for a process this container cannot see
    const own = ctx.host.kind === 'pod' ? ctx.cluster.store.get('Pod', ctx.host.namespace, ctx.host.pod)?.spec?.containers?.find((c: { name: string }) => c.name === (ctx.host as { container: string }).container) : undefined;
    const argv0 = (own?.command?.[0] as string | undefined)?.split('/').pop();
    // a server started by hand in this container (dataplane/started.ts): its own argv[0]
    const info = ctx.host.kind === 'pod' ? findPod(ctx.cluster, ctx.host.namespace, ctx.host.pod) : undefined;
    const started = info && ctx.host.kind === 'pod' ? startedProcesses(ctx.cluster).inPod(info, ctx.host.container) : [];
    const prog = (s: Sock) => {
      if (!s.process) return '-';
      const hand = started.find((x) => x.pid === s.pid);
      return `${s.pid}/${hand ? hand.argv[0].split('/').pop() : argv0 ?? s.process}`;
    };
    for (const p of ['tcp', 'udp'] as const) {
      if (!(both || (p === 'tcp' ? o.tcp : o.udp))) continue;
      for (const s of proto(p)) {
        const a = addrOf(s, port(s.port), s.peer ? port(s.peer.port) : '');
        const state = p === 'tcp' ? (s.peer ? 'ESTABLISHED' : 'LISTEN') : '';
        if (bb) out += `${p}   ${'0'.padStart(6)} ${'0'.padStart(6)} ${a.local.padEnd(23)} ${a.remote.padEnd(23)} ${state.padEnd(12)}${o.programs ? prog(s).slice(0, 20) : ''}\n`;
        else if (p === 'tcp') out += `${(a.v6 ? 'tcp6' : 'tcp').padEnd(4)}  ${'0'.padStart(6)} ${'0'.padStart(6)} ${a.local.padEnd(23)} ${a.remote.padEnd(23)} ${state.padEnd(11)}${o.programs ? ' ' + prog(s).padEnd(20) : ''}\n`;
        else out += `${(a.v6 ? 'udp6' : 'udp').padEnd(5)} ${'0'.padStart(6)} ${'0'.padStart(6)} ${a.local.padEnd(23)} ${a.remote.padEnd(23)} ${state.padEnd(11)}${o.programs ? ' ' + prog(s).padEnd(20) : ''}\n`;
      }
    }
    if (both) {
      // no -t/-u: the UNIX domain sockets follow (none are simulated, so the table is empty)
      const u = `Active UNIX domain sockets ${o.all ? '(servers and established)' : o.listening ? '(only servers)' : '(w/o servers)'}`;
      out += bb ? `${u}\nProto RefCnt Flags       Type       State         I-Node ${o.programs ? 'PID/Program name    ' : ''}Path\n` : `${u}\nProto RefCnt Flags       Type       State         I-Node  ${o.programs ? ' ' + 'PID/Program name'.padEnd(20) : ''} Path\n`;
    }
    return { stdout: out, stderr: '', exitCode: 0 };
  },
};

const BB_USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: netstat [-ral] [-tuwx] [-enWp]

Display networking information

	-r	Routing table
	-a	All sockets
	-l	Listening sockets
		Else: connected sockets
	-t	TCP sockets
	-u	UDP sockets
	-w	Raw sockets
	-x	Unix sockets
		Else: all socket types
	-e	Other/more information
	-n	Don't resolve names
	-W	Wide display
	-p	Show PID/program name for sockets
`;

const NT_USAGE = `usage: netstat [-vWeenNcCF] [<Af>] -r         netstat {-V|--version|-h|--help}
       netstat [-vWnNcaeol] [<Socket> ...]
       netstat { [-vWeenNac] -i | [-cnNe] -M | -s [-6tuw] }
`;
