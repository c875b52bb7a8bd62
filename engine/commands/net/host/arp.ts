/**
 * arp: the neighbour table of the host's network namespace (/proc/net/arp), as busybox 1.36
 * (networking/arp.c arp_disp: "%s (%s) at ", "%s [%s] ", the flags, " on %s"; netshoot's arp is
 * Alpine's applet) and net-tools (a host that installs it; its table "Address                  HWtype  HWaddress           Flags Mask
 *   Iface", the BSD style with -a) print it. Names: "?" when the address has no reverse name
 * (none of a Pod's or node's neighbours has a PTR record here).
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { hostNamespace } from '../../../controllers/cni';
import { isBusyboxApplet } from '../../../hosts/hosts';

export const arpCommand: CommandSpec = {
  name: 'arp',
  summary: 'show the ARP cache',
  run(args: string[], ctx: CommandContext): RunResult {
    const bb = isBusyboxApplet(ctx.cluster, ctx.host, 'arp');
    let bsd = bb;
    for (const a of args) {
      if (/^-[anv]+$/.test(a)) {
        if (a.includes('a')) bsd = true;
      } else if (a.startsWith('-')) {
        return { stdout: '', stderr: bb ? `arp: invalid option -- '${a.slice(1, 2)}'\n` : `arp: invalid option -- '${a.slice(1, 2)}'\n`, exitCode: bb ? 1 : 255 };
      }
    }
    const ns = hostNamespace(ctx.cluster, ctx.host);
    // /proc/net/arp lists the resolved entries (NUD_VALID); FAILED ones are gone
    const entries = (ns?.neighbors ?? []).filter((n) => n.lladdr && n.state !== 'FAILED');
    let out = '';
    if (bsd) {
      for (const n of entries) out += `? (${n.ip}) at ${n.lladdr} [ether] ${n.state === 'PERMANENT' ? 'PERM ' : ''}${bb ? ' ' : ''}on ${n.dev}\n`;
    } else {
      out += 'Address                  HWtype  HWaddress           Flags Mask            Iface\n';
      for (const n of entries) out += `${n.ip.padEnd(23)}  ${'ether'.padEnd(8)}${n.lladdr!.padEnd(20)}${(n.state === 'PERMANENT' ? 'CM' : 'C').padEnd(6)}${''.padEnd(15)} ${n.dev}\n`;
    }
    return { stdout: out, stderr: '', exitCode: 0 };
  },
};
