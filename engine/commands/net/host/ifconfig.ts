/**
 * ifconfig — busybox 1.36's applet (networking/ifconfig.c, display_interfaces and
 * ife_print in networking/interface.c) over the host's network namespace as the CNI room
 * derives it: every interface that is UP (all of them with -a, or the one named), in
 * ifindex order as /proc/net/dev lists them. Link encap from the ARPHRD type (Local
 * Loopback, Ethernet with its HWaddr in capitals; an IPIP tunnel has no hwtype of its own,
 * so UNSPEC and sixteen zero bytes), the IPv4 address with P-t-P/Bcast/Mask, each IPv6
 * address from /proc/net/if_inet6 with its scope, the flags in IFF_* order, MTU and Metric,
 * then the counters — zero, as `ip -s link` shows them (the simulation counts no bytes on
 * interfaces) — and txqueuelen. Changing an interface needs CAP_NET_ADMIN.
 * netshoot's ifconfig is this applet too (Alpine's busybox: netshoot installs no net-tools).
 * net-tools' ifconfig prints another layout, not modelled here.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { hostNamespace } from '../../../controllers/cni';
import { isBusyboxApplet } from '../../../hosts/hosts';
import { formatIPv4 } from '../../../cluster/ipv4';
import type { NetLink } from '../../../dataplane/netns';
import { unmodelledCommand } from '../catalog/unmodelled';

const USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: ifconfig [-a] IFACE [ADDRESS]

Configure a network interface

	[add ADDRESS[/PREFIXLEN]]
	[del ADDRESS[/PREFIXLEN]]
	[[-]broadcast [ADDRESS]] [[-]pointopoint [ADDRESS]]
	[netmask ADDRESS] [dstaddr ADDRESS]
	[hw ether ADDRESS] [metric NUM] [mtu NUM]
	[[-]trailers] [[-]arp] [[-]allmulti]
	[multicast] [[-]promisc] [txqueuelen NUM] [[-]dynamic]
	[up|down] ...
`;

/** IFF_* in ife_print's order, from the flag names iproute2 prints (LOWER_UP is IFF_RUNNING as SIOCGIFFLAGS reports it). */
const FLAG_ORDER: [string, string][] = [
  ['UP', 'UP'], ['BROADCAST', 'BROADCAST'], ['DEBUG', 'DEBUG'], ['LOOPBACK', 'LOOPBACK'], ['POINTOPOINT', 'POINTOPOINT'],
  ['NOTRAILERS', 'NOTRAILERS'], ['LOWER_UP', 'RUNNING'], ['NOARP', 'NOARP'], ['PROMISC', 'PROMISC'], ['ALLMULTI', 'ALLMULTI'],
  ['SLAVE', 'SLAVE'], ['MASTER', 'MASTER'], ['MULTICAST', 'MULTICAST'],
];

function maskOf(prefix: number): string {
  return formatIPv4(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
}

/** print_bytes_scaled: "X bytes:N (I.F xiB)". */
function bytesScaled(n: number): string {
  let int = n, frac = 0, ext = '';
  for (const e of ['Ki', 'Mi', 'Gi', 'Ti']) {
    if (int < 1024) break;
    frac = Math.floor(((int % 1024) * 10) / 1024);
    int = Math.floor(int / 1024);
    ext = e;
  }
  return `X bytes:${n} (${int}.${frac} ${ext}B)`;
}

/** In6 scope as if_inet6 reports it (IPV6_ADDR_SCOPE_MASK): Host for ::1, Link for fe80::/10, Global otherwise. */
function scopeName(scope: string): string {
  return scope === 'host' ? 'Host' : scope === 'link' ? 'Link' : 'Global';
}

export function ifePrint(l: NetLink): string {
  const up = l.flags.includes('UP');
  const encap = l.linkType === 'loopback' ? 'Local Loopback' : l.linkType === 'ether' ? 'Ethernet' : 'UNSPEC';
  let out = `${l.name.padEnd(9)} Link encap:${encap}  `;
  if (l.linkType === 'ether') out += `HWaddr ${l.mac.toUpperCase()}  `;
  else if (l.linkType !== 'loopback') out += `HWaddr ${Array(16).fill('00').join('-')}  `;
  out += '\n';
  const v4 = l.addrs.find((a) => a.family === 'inet');
  if (v4) {
    out += `          inet addr:${v4.local} `;
    if (l.flags.includes('POINTOPOINT')) out += ` P-t-P:${v4.local} `;
    if (l.flags.includes('BROADCAST')) out += ` Bcast:${v4.brd ?? '0.0.0.0'} `;
    out += ` Mask:${maskOf(v4.prefix)}\n`;
  }
  for (const a of l.addrs.filter((x) => x.family === 'inet6')) out += `          inet6 addr: ${a.local}/${a.prefix} Scope:${scopeName(a.scope)}\n`;
  const flags = FLAG_ORDER.filter(([k]) => l.flags.includes(k) || (k === 'UP' && up)).map(([, v]) => v);
  out += '          ' + (flags.length ? flags.map((f) => f + ' ').join('') : '[NO FLAGS] ') + ` MTU:${l.mtu}  Metric:1\n`;
  out += '          RX packets:0 errors:0 dropped:0 overruns:0 frame:0\n';
  out += '          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0\n';
  out += `          collisions:0 txqueuelen:${l.qlen} \n`;
  out += `          R${bytesScaled(0)}  T${bytesScaled(0)}\n`;
  return out + '\n';
}

const unmodelled = unmodelledCommand('ifconfig');

export const ifconfigCommand: CommandSpec = {
  name: 'ifconfig',
  summary: 'configure a network interface',
  run(args: string[], ctx: CommandContext): RunResult {
    if (!isBusyboxApplet(ctx.cluster, ctx.host, 'ifconfig')) return unmodelled.run(args, ctx) as RunResult;
    let rest = args;
    let all = false;
    if (rest[0] === '-a') {
      all = true;
      rest = rest.slice(1);
    }
    if (rest[0]?.startsWith('-') && rest[0] !== '-') {
      return { stdout: '', stderr: `ifconfig: invalid option -- '${rest[0].slice(1, 2)}'\n${USAGE}`, exitCode: 1 };
    }
    const links = hostNamespace(ctx.cluster, ctx.host)?.links ?? [];
    const sorted = [...links].sort((a, b) => a.ifindex - b.ifindex);
    if (rest.length >= 2) {
      // setting anything goes through SIOCSIF*: a Pod's container lacks CAP_NET_ADMIN
      if (!sorted.some((l) => l.name === rest[0])) return { stdout: '', stderr: `ifconfig: SIOCGIFFLAGS: No such device\n`, exitCode: 1 };
      return { stdout: '', stderr: `ifconfig: SIOCSIFFLAGS: Operation not permitted\n`, exitCode: 1 };
    }
    if (rest.length === 1) {
      const l = sorted.find((x) => x.name === rest[0]);
      if (!l) return { stdout: '', stderr: `ifconfig: ${rest[0]}: error fetching interface information: Device not found\n`, exitCode: 1 };
      return { stdout: ifePrint(l), stderr: '', exitCode: 0 };
    }
    return { stdout: sorted.filter((l) => all || l.flags.includes('UP')).map(ifePrint).join(''), stderr: '', exitCode: 0 };
  },
};
