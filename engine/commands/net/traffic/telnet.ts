/**
 * telnet — busybox 1.36's applet (networking/telnet.c) through the packet's walk.
 * telnet_main: `HOST [PORT]` (bb_lookup_port: a number, or a name from /etc/services,
 * else "bad port '%s'"; no port is 23), create_and_connect_stream_or_die — a name that
 * does not resolve is libbb's "bad address '%s'", a failed connect bb_perror_msg_and_die's
 * "can't connect to remote host (%s): <errno>" (xconnect.c), exit 1 — then
 * `printf("Connected to %s\n", host)` with the host as typed. The session then copies
 * stdin to the socket and stops at stdin's end (`if (len <= 0) doexit(EXIT_SUCCESS)`):
 * `kubectl exec` without -i gives it an empty stdin, and a piped request ends before the
 * reply is read, so it prints nothing more and exits 0. A connect that gets no answer
 * waits out the kernel's SYN retries (tcp_syn_retries 6: about 127 s).
 * Other builds of telnet (inetutils) are not modelled.
 */
import type { CommandOutcome } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { connect, ipv6NotSimulated } from '../../../dataplane/walk';
import { isBusyboxApplet, isBusyboxHost } from '../../../hosts/hosts';
import { unmodelledCommand } from '../catalog/unmodelled';
import { hostUnreachText, timedOutText } from './errno';

const USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: telnet [-a] [-l USER] HOST [PORT]

Connect to telnet server

	-a	Automatic login with $USER variable
	-l USER	Automatic login as USER
`;

/** busybox images' /etc/services names for the ports a learner types. */
const SERVICES: Record<string, number> = { ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, www: 80, https: 443, 'http-alt': 8080 };

const unmodelled = unmodelledCommand('telnet');

export const telnetCommand: CommandSpec = {
  name: 'telnet',
  summary: 'connect to a TCP port (busybox telnet)',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    // busybox's applet: the busybox images', and busybox-extras' in Alpine images (netshoot)
    if (!isBusyboxHost(ctx.cluster, ctx.host) && !isBusyboxApplet(ctx.cluster, ctx.host, 'telnet')) return unmodelled.run(args, ctx);
    const pos: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-a') continue;
      if (a === '-l') {
        if (i + 1 >= args.length) return { stdout: '', stderr: `telnet: option requires an argument -- 'l'\n${USAGE}`, exitCode: 1 };
        i++;
      } else if (a.startsWith('-l')) continue;
      else if (a.startsWith('-') && a.length > 1) return { stdout: '', stderr: `telnet: invalid option -- '${a[1]}'\n${USAGE}`, exitCode: 1 };
      else pos.push(a);
    }
    if (pos.length < 1 || pos.length > 2) return { stdout: '', stderr: USAGE, exitCode: 1 };
    const [host, portText] = pos;
    let port = 23;
    if (portText !== undefined) {
      const n = /^\d+$/.test(portText) ? Number(portText) : NaN;
      if (Number.isInteger(n) && n <= 65535) port = n;
      else if (SERVICES[portText] !== undefined) port = SERVICES[portText];
      else return { stdout: '', stderr: `telnet: bad port '${portText}'\n`, exitCode: 1 };
    }
    const r = connect(ctx.cluster, ctx.host, host, port, 'tcp', { command: ['telnet', ...args].join(' ') });
    if (r.ipv6) return { stdout: '', stderr: ipv6NotSimulated('telnet', host), exitCode: 1 };
    if (r.outcome === 'nxdomain') return { stdout: '', stderr: `telnet: bad address '${host}'\n`, exitCode: 1 };
    const ip = r.address ?? host;
    if (r.outcome === 'delivered') return { stdout: `Connected to ${host}\n`, stderr: '', exitCode: 0 };
    if (r.outcome === 'timeout') ctx.cluster.advance(127_000);
    if (r.outcome === 'unreachable') ctx.cluster.advance(3000);
    // strerror: busybox:1.36 is glibc's build, netshoot's busybox-extras musl's (errno.ts)
    const errno = r.outcome === 'refused' ? 'Connection refused' : r.outcome === 'timeout' ? timedOutText(ctx.cluster, ctx.host) : hostUnreachText(ctx.cluster, ctx.host);
    return { stdout: '', stderr: `telnet: can't connect to remote host (${ip}): ${errno}\n`, exitCode: 1 };
  },
};
