/**
 * route: busybox 1.36's applet (networking/route.c bb_displayroutes; netshoot's too, Alpine's
 * busybox) and net-tools' route (a host that installs net-tools), which print /proc/net/route the same way: the main table's IPv4 routes in the
 * FIB's order (by destination, the longer prefix first), "%-15.15s %-15.15s %-16s%-6s" then
 * "%-6d %-2d %7d %s" (`netstat -r`: "%5d %-5d %6d %s" under "  MSS Window  irtt"). Flags:
 * U, G for a gateway, H for a host route. Without -n the unspecified address reads "default"
 * as a destination and "*" as a gateway (INET_rresolve); the gateways of a Pod's routes
 * (169.254.1.1, the bridge's .1) have no PTR record, so they stay numeric.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { hostNamespace } from '../../../controllers/cni';
import { isBusyboxApplet } from '../../../hosts/hosts';
import { formatIPv4, parseCidr } from '../../../cluster/ipv4';

function maskOf(prefix: number): string {
  return formatIPv4(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
}

/** The routing table as route and netstat -r print it. */
export function routeTable(ctx: CommandContext, numeric: boolean, format: 'route' | 'netstat'): string {
  const ns = hostNamespace(ctx.cluster, ctx.host);
  let out = `Kernel IP routing table\nDestination     Gateway         Genmask         Flags ${format === 'netstat' ? '  MSS Window  irtt' : 'Metric Ref    Use'} Iface\n`;
  const rows = (ns?.routes ?? [])
    .map((r) => {
      const c = r.dst === 'default' ? { network: 0, prefix: 0 } : parseCidr(r.dst.includes('/') ? r.dst : `${r.dst}/32`);
      return c ? { r, net: c.network >>> 0, prefix: c.prefix } : undefined;
    })
    .filter((x): x is NonNullable<typeof x> => !!x)
    .sort((a, b) => a.net - b.net || b.prefix - a.prefix);
  for (const { r, net, prefix } of rows) {
    const dest = net === 0 && !numeric ? 'default' : formatIPv4(net);
    const gw = r.via ?? (numeric ? '0.0.0.0' : '*');
    const flags = 'U' + (r.via ? 'G' : '') + (prefix === 32 ? 'H' : '');
    const dev = r.type === 'blackhole' ? '*' : r.dev ?? '*';
    out += `${dest.slice(0, 15).padEnd(15)} ${gw.slice(0, 15).padEnd(15)} ${maskOf(prefix).padEnd(16)}${flags.padEnd(6)}`;
    out += format === 'netstat' ? `${'0'.padStart(5)} ${'0'.padEnd(5)} ${'0'.padStart(6)} ${dev}\n` : `${String(r.metric ?? 0).padEnd(6)} ${'0'.padEnd(2)} ${'0'.padStart(7)} ${dev}\n`;
  }
  return out;
}

export const routeCommand: CommandSpec = {
  name: 'route',
  summary: 'show the IP routing table',
  run(args: string[], ctx: CommandContext): RunResult {
    const bb = isBusyboxApplet(ctx.cluster, ctx.host, 'route');
    let numeric = false;
    let extended = false;
    for (const a of args) {
      if (a === '-n') numeric = true;
      else if (a === '-e' || a === '-ee') extended = true;
      else if (/^-[ne]+$/.test(a)) {
        numeric ||= a.includes('n');
        extended ||= a.includes('e');
      } else if (a === 'add' || a === 'del' || a === 'delete') {
        // changing routes needs CAP_NET_ADMIN, which a Pod's container does not have
        return { stdout: '', stderr: 'SIOCADDRT: Operation not permitted\n', exitCode: bb ? 1 : 7 };
      } else if (a.startsWith('-')) {
        return bb
          ? { stdout: '', stderr: `route: invalid option -- '${a.slice(1, 2)}'\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: route [-ne] [-A inet[6]] [{add|del} [-net|-host] TARGET [netmask MASK]\n\t[gw GATEWAY] [metric N] [mss BYTES] [window BYTES] [reject] [IFACE]]\n`, exitCode: 1 }
          : { stdout: '', stderr: `route: invalid option -- '${a.slice(1, 2)}'\n`, exitCode: 4 };
      }
    }
    return { stdout: routeTable(ctx, numeric, extended ? 'netstat' : 'route'), stderr: '', exitCode: 0 };
  },
};
