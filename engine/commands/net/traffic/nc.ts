/**
 * nc: busybox's applet in busybox-based pods (networking/nc_bloaty.c: "%s (%s:%u) open",
 * bb_perror_msg's "nc: %s (%s:%u): %s" — refusals only at -vv; a -w timeout is a faked
 * ETIMEDOUT), OpenBSD netcat elsewhere
 * (netcat.c: "Connection to %s %s port [%s/%s] succeeded!", "connect to %s port %s (%s)
 * failed: %s", "getaddrinfo for host \"%s\" port %s: %s").
 * Supports -z (scan), -v, -w SECS, -u (UDP; a UDP "connect" succeeds unless an ICMP port
 * unreachable comes back).
 */
import type { CommandOutcome } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { connect, ipv6NotSimulated } from '../../../dataplane/walk';
import { isBusyboxHost } from '../../../hosts/hosts';
import { serviceName } from './http';
import { bbNumber, INT_MAX } from './bb-number';

/**
 * -w SECS: busybox reads it with xatoi_positive (bb-number.ts); OpenBSD netcat with
 * `strtonum(optarg, 0, INT_MAX / 1000, &errstr)` and `errx(1, "timeout %s: %s", errstr, optarg)`.
 */
function waitSeconds(bb: boolean, text: string): { value: number } | { error: string } {
  if (bb) return bbNumber('nc', text, 0, INT_MAX);
  const max = Math.floor(INT_MAX / 1000);
  // strtonum: strtoll's syntax (blanks, a sign, digits) and nothing after
  if (!/^\s*[+-]?\d+$/.test(text)) return { error: `nc: timeout invalid: ${text}\n` };
  const n = Number(text);
  if (n < 0) return { error: `nc: timeout too small: ${text}\n` };
  if (n > max) return { error: `nc: timeout too large: ${text}\n` };
  return { value: n };
}

function badOption(bb: boolean, word: string, letter: string | undefined): { stdout: string; stderr: string; exitCode: number } {
  return bb ? { stdout: '', stderr: `nc: unrecognized option '${word}'\n`, exitCode: 1 } : { stdout: '', stderr: `nc: invalid option -- '${letter ?? ''}'\nusage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n`, exitCode: 1 };
}

export const ncCommand: CommandSpec = {
  name: 'nc',
  summary: 'arbitrary TCP and UDP connections',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const cluster = ctx.cluster;
    const bb = isBusyboxHost(cluster, ctx.host);
    let zero = false;
    let verbose = 0;
    let udp = false;
    let wait: number | undefined;
    const pos: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (/^-[zvunw]/.test(a)) {
        // a group of flags (`-zv`, `-zw 2`, `-w2`): w takes the rest of the group or the next word
        for (let k = 1; k < a.length; k++) {
          const f = a[k];
          if (f === 'w') {
            const t = waitSeconds(bb, k + 1 < a.length ? a.slice(k + 1) : args[++i] ?? '');
            if ('error' in t) return { stdout: '', stderr: t.error, exitCode: 1 };
            wait = t.value;
            break;
          }
          if (f === 'z') zero = true;
          else if (f === 'v') verbose++;
          else if (f === 'u') udp = true;
          else if (f !== 'n') return badOption(bb, a, f);
        }
      } else if (a.startsWith('-')) {
        return badOption(bb, a, a.replace(/^-+/, '')[0]);
      } else pos.push(a);
    }
    if (pos.length < 2) {
      return bb ? { stdout: '', stderr: 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n', exitCode: 1 } : { stdout: '', stderr: 'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n', exitCode: 1 };
    }
    const [host, portStr] = pos;
    if (!/^\d+$/.test(portStr) || Number(portStr) < 1 || Number(portStr) > 65535) {
      return bb ? { stdout: '', stderr: `nc: bad port '${portStr}'\n`, exitCode: 1 } : { stdout: '', stderr: /^\d+$/.test(portStr) ? `nc: port number invalid: ${portStr}\n` : `nc: getaddrinfo for host "${host}" port ${portStr}: Servname not supported for ai_socktype\n`, exitCode: 1 };
    }
    const port = Number(portStr);
    const proto = udp ? 'udp' : 'tcp';
    const r = connect(cluster, ctx.host, host, port, proto, { command: ['nc', ...args].join(' ') });
    if (r.ipv6) return { stdout: '', stderr: ipv6NotSimulated('nc', host), exitCode: 1 };
    if (r.outcome === 'nxdomain') {
      return bb ? { stdout: '', stderr: `nc: bad address '${host}'\n`, exitCode: 1 } : { stdout: '', stderr: `nc: getaddrinfo for host "${host}" port ${portStr}: ${r.dnsTimeout ? 'Temporary failure in name resolution' : 'Name or service not known'}\n`, exitCode: 1 };
    }
    const ip = r.address ?? host;
    const svc = serviceName(port, proto);
    // UDP has no handshake: only an ICMP port-unreachable says no; silence looks like success.
    const ok = r.outcome === 'delivered' || (udp && r.outcome === 'timeout');
    if (ok) {
      if (r.outcome === 'timeout' && wait) cluster.advance(wait * 1000);
      const msg = bb ? (verbose ? `${host} (${ip}:${port}) open\n` : '') : verbose ? `Connection to ${host} ${port} port [${proto}/${svc}] succeeded!\n` : '';
      // Without -z nc would go on to copy stdin to the socket; a command line has no stdin
      // to send, so the session ends here just the same.
      if (!zero && ctx.stdin) return { stdout: '', stderr: msg, exitCode: 0 };
      return { stdout: '', stderr: msg, exitCode: 0 };
    }
    if (r.outcome === 'timeout') {
      const secs = wait ?? 127;
      cluster.advance(secs * 1000);
      if (bb) return { stdout: '', stderr: verbose ? `nc: ${host} (${ip}:${port}): Connection timed out\n` : '', exitCode: 1 };
      return { stdout: '', stderr: verbose ? `nc: connect to ${host} port ${port} (${proto}) timed out: Operation now in progress\n` : '', exitCode: 1 };
    }
    const errno = r.outcome === 'refused' ? 'Connection refused' : 'No route to host';
    if (r.outcome === 'unreachable') cluster.advance(3000);
    // nc_bloaty: "if we're scanning at a 'one -v' verbosity level, don't print refusals".
    if (bb) return { stdout: '', stderr: verbose > 1 || (verbose && r.outcome !== 'refused') ? `nc: ${host} (${ip}:${port}): ${errno}\n` : '', exitCode: 1 };
    return { stdout: '', stderr: verbose ? `nc: connect to ${host} port ${port} (${proto}) failed: ${errno}\n` : '', exitCode: 1 };
  },
};
