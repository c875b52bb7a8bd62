/**
 * nc: busybox's applet in busybox-based pods (networking/nc_bloaty.c: "%s (%s:%u) open",
 * bb_perror_msg's "nc: %s (%s:%u): %s" — refusals only at -vv; a -w timeout is a faked
 * ETIMEDOUT), OpenBSD netcat elsewhere
 * (netcat.c connection_info: "Connection to %s[ (%s)] %s port [%s/%s] succeeded!", the address
 * when it differs from the name typed and -n is not given; "connect to %s port %s (%s)
 * failed: %s", "getaddrinfo for host \"%s\" port %s: %s").
 * Supports -z (scan), -v, -w SECS, -u (UDP; a UDP "connect" succeeds unless an ICMP port
 * unreachable comes back), -p PORT (the local port: busybox's bb_lookup_port, "bad port";
 * OpenBSD's getaddrinfo(sflag, pflag) in remote_connect, "getaddrinfo: %s") — so a learner can
 * send on a tuple a node's conntrack table already holds.
 */
import type { CommandOutcome } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { connect, ipv6NotSimulated } from '../../../dataplane/walk';
import { isBusyboxHost } from '../../../hosts/hosts';
import { serviceName } from './http';
import { bbNumber, INT_MAX } from './bb-number';
import { BB_NC_USAGE } from './bb-usage';
import { httpExchange } from './http';
import { parseRequest } from './socat';
import { listenerOn, nginxErrorPage, serverRefFor, httpDate, type HttpResponse } from '../../../dataplane/apps';
import type { ClusterRuntime } from '../../../controllers/runtime';
import type { ConnectResult } from '../../../dataplane/walk';
import { startServer } from './serve';
import { hostUnreachText, timedOutText } from './errno';
import { isIP } from '../../../cluster/ipv4';

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
  return bb ? { stdout: '', stderr: `nc: ${word.startsWith('--') ? `unrecognized option '${word}'` : `invalid option -- '${letter ?? ''}'`}\n${BB_NC_USAGE}`, exitCode: 1 } : { stdout: '', stderr: `nc: invalid option -- '${letter ?? ''}'\nusage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n`, exitCode: 1 };
}

export const ncCommand: CommandSpec = {
  name: 'nc',
  summary: 'arbitrary TCP and UDP connections',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const cluster = ctx.cluster;
    const bb = isBusyboxHost(cluster, ctx.host);
    if (bb && args[0] === '--help') return { stdout: '', stderr: BB_NC_USAGE, exitCode: 0 };
    if (args.some((a) => /^-[a-zA-Z]*l/.test(a))) return ncListen(args, ctx, bb);
    let zero = false;
    let verbose = 0;
    let udp = false;
    let numeric = false;
    let wait: number | undefined;
    let localPort: string | undefined;
    const pos: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (/^-[zvunwp]/.test(a)) {
        // a group of flags (`-zv`, `-zw 2`, `-w2`): w takes the rest of the group or the next word
        for (let k = 1; k < a.length; k++) {
          const f = a[k];
          if (f === 'w') {
            const t = waitSeconds(bb, k + 1 < a.length ? a.slice(k + 1) : args[++i] ?? '');
            if ('error' in t) return { stdout: '', stderr: t.error, exitCode: 1 };
            wait = t.value;
            break;
          }
          if (f === 'p') {
            localPort = k + 1 < a.length ? a.slice(k + 1) : args[++i];
            if (localPort === undefined) return badOption(bb, a, f);
            break;
          }
          if (f === 'z') zero = true;
          else if (f === 'v') verbose++;
          else if (f === 'u') udp = true;
          else if (f === 'n') numeric = true;
          else return badOption(bb, a, f);
        }
      } else if (a.startsWith('-')) {
        return badOption(bb, a, a.replace(/^-+/, '')[0]);
      } else pos.push(a);
    }
    if (pos.length < 2) {
      return bb ? { stdout: '', stderr: BB_NC_USAGE, exitCode: 1 } : { stdout: '', stderr: 'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n', exitCode: 1 };
    }
    const [host, portStr] = pos;
    if (!/^\d+$/.test(portStr) || Number(portStr) < 1 || Number(portStr) > 65535) {
      return bb ? { stdout: '', stderr: `nc: bad port '${portStr}'\n`, exitCode: 1 } : { stdout: '', stderr: /^\d+$/.test(portStr) ? `nc: port number invalid: ${portStr}\n` : `nc: getaddrinfo for host "${host}" port ${portStr}: Servname not supported for ai_socktype\n`, exitCode: 1 };
    }
    const port = Number(portStr);
    const proto = udp ? 'udp' : 'tcp';
    let sport: number | undefined;
    if (localPort !== undefined) {
      if (!/^\d+$/.test(localPort) || Number(localPort) > 65535) return { stdout: '', stderr: bb ? `nc: bad port '${localPort}'\n` : 'nc: getaddrinfo: Servname not supported for ai_socktype\n', exitCode: 1 };
      sport = Number(localPort);
    }
    // OpenBSD netcat -n: getaddrinfo with AI_NUMERICHOST, so a name does not resolve
    if (numeric && !bb && !isIP(host)) return { stdout: '', stderr: `nc: getaddrinfo for host "${host}" port ${portStr}: Name or service not known\n`, exitCode: 1 };
    const r = connect(cluster, ctx.host, host, port, proto, { command: ['nc', ...args].join(' '), ...(sport ? { sport } : {}) });
    if (r.ipv6) return { stdout: '', stderr: ipv6NotSimulated('nc', host), exitCode: 1 };
    if (r.outcome === 'nxdomain') {
      return bb ? { stdout: '', stderr: `nc: bad address '${host}'\n`, exitCode: 1 } : { stdout: '', stderr: `nc: getaddrinfo for host "${host}" port ${portStr}: ${r.dnsTimeout ? 'Temporary failure in name resolution' : 'Name or service not known'}\n`, exitCode: 1 };
    }
    const ip = r.address ?? host;
    // connection_info(): the service name unless -n; the address in parentheses when it is not what was typed
    const svc = numeric && !bb ? '*' : serviceName(port, proto);
    const shown = !numeric && host !== ip ? `${host} (${ip})` : host;
    // UDP has no handshake: only an ICMP port-unreachable says no; silence looks like success.
    const ok = r.outcome === 'delivered' || (udp && r.outcome === 'timeout');
    if (ok) {
      if (r.outcome === 'timeout' && wait) cluster.advance(wait * 1000);
      const msg = bb ? (verbose ? `${host} (${ip}:${port}) open\n` : '') : verbose ? `Connection to ${shown} ${port} port [${proto}/${svc}] succeeded!\n` : '';
      // Without -z nc copies stdin to the socket and the socket to stdout until the server closes
      // (busybox nc_bloaty readwrite(), OpenBSD netcat readwrite()): what the app answers that input
      if (!zero && !udp && ctx.stdin && r.outcome === 'delivered') {
        const reply = serverReply(cluster, ctx.host, host, port, ctx.stdin, r, ['nc', ...args].join(' '));
        return { stdout: reply, stderr: msg, exitCode: 0 };
      }
      return { stdout: '', stderr: msg, exitCode: 0 };
    }
    if (r.outcome === 'timeout') {
      const secs = wait ?? 127;
      cluster.advance(secs * 1000);
      if (bb) return { stdout: '', stderr: verbose ? `nc: ${host} (${ip}:${port}): ${timedOutText(cluster, ctx.host)}\n` : '', exitCode: 1 };
      return { stdout: '', stderr: verbose ? `nc: connect to ${host} port ${port} (${proto}) timed out: Operation now in progress\n` : '', exitCode: 1 };
    }
    const errno = r.outcome === 'refused' ? 'Connection refused' : hostUnreachText(cluster, ctx.host);
    if (r.outcome === 'unreachable') cluster.advance(3000);
    // nc_bloaty: "if we're scanning at a 'one -v' verbosity level, don't print refusals".
    if (bb) return { stdout: '', stderr: verbose > 1 || (verbose && r.outcome !== 'refused') ? `nc: ${host} (${ip}:${port}): ${errno}\n` : '', exitCode: 1 };
    return { stdout: '', stderr: verbose ? `nc: connect to ${host} port ${port} (${proto}) failed: ${errno}\n` : '', exitCode: 1 };
  },
};

/** An HTTP response as it comes over the socket: status line, headers, blank line, body. */
function wire(res: HttpResponse, headOnly: boolean): string {
  return `HTTP/1.1 ${res.status} ${res.reason}\r\n` + res.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n' + (headOnly ? '' : res.body);
}

/** Go's net/http answer to a request line it cannot parse (server.go: "400 Bad Request" and close). */
const GO_BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request';
const GO_APPS = new Set(['netexec', 'serve-hostname', 'http-echo', 'echo-basic', 'jmalloc-echo']);

/**
 * What comes back on the socket for `input`: an HTTP request goes to the app as curl's does
 * (the same exchange, so the same response and access-log line; an HTTP/1.0 request gets
 * `Connection: close`); any other text gets what the app's parser answers it — nginx's
 * `400 Bad Request` page (ngx_http_parse_request_line: an invalid method), Go net/http's
 * plain 400 — and nothing from a server that does not speak HTTP.
 */
function serverReply(cluster: ClusterRuntime, from: Parameters<typeof httpExchange>[1], host: string, port: number, input: string, conn: ConnectResult, command: string): string {
  const req = parseRequest(input);
  if (req) {
    const ex = httpExchange(cluster, from, { scheme: 'http', host: host.toLowerCase(), port, path: req.path, explicitPort: true }, req, { command, family: 4 });
    const res = ex.response;
    if (!res || res.empty) return '';
    if (ex.extraMs) cluster.advance(ex.extraMs);
    const headers = req.version === '1.0' ? res.headers.map(([k, v]): [string, string] => (k.toLowerCase() === 'connection' ? [k, 'close'] : [k, v])) : res.headers;
    return wire({ ...res, headers }, req.method === 'HEAD');
  }
  const ref = conn.server ? serverRefFor(cluster, conn.server.host as { kind: string; namespace?: string; pod?: string; node?: string; ip?: string }) : undefined;
  const l = ref && conn.server ? listenerOn(cluster, ref, conn.server.port, 'tcp', conn.server.ip) : undefined;
  if (!l || l.tls) return '';
  if (l.app === 'nginx') {
    const version = l.params?.version ?? '1.27.3';
    const body = nginxErrorPage(400, version);
    return wire({ status: 400, reason: 'Bad Request', headers: [['Server', `nginx/${version}`], ['Date', httpDate(cluster.clock.now())], ['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ['Connection', 'close']], body }, false);
  }
  if (GO_APPS.has(l.app)) return GO_BAD_REQUEST;
  return '';
}

/**
 * `nc -l` typed in a container's shell: a listener for as long as nc runs (serve.ts). OpenBSD
 * netcat (netshoot; Alpine's netcat-openbsd, Debian's patches): `-l [-k] [-u] [-v] [-n]
 * [-p PORT | PORT]`; local_listen binds getaddrinfo's first passive address (musl lists
 * 0.0.0.0 before ::) and listen(s, 1); -v prints `Listening on 0.0.0.0 PORT` and, per
 * connection, `Connection received on ADDR PORT` (the address numeric, as with -n); what a
 * client sends goes to stdout; without -k nc exits when its one connection ends. busybox
 * (nc_bloaty.c): `-l -p PORT` (no -p: the usage), an AF_INET socket, xlisten(fd, 1), `-lk`
 * keeps listening. A port something already holds: OpenBSD's `nc: Address in use` (err(1,
 * NULL) after bind, musl's text; glibc's `Address already in use` on a node), busybox's `nc: bind:
 * Address already in use` (glibc). A port below ip_unprivileged_port_start for a process without
 * CAP_NET_BIND_SERVICE (a non-root USER or runAsUser; privileged-port.ts): busybox's `nc: bind:
 * Permission denied`, OpenBSD's `nc: Permission denied`, exit 1. On a node's shell or in a
 * hostNetwork Pod it listens on the node.
 */
function ncListen(args: string[], ctx: CommandContext, bb: boolean): CommandOutcome {
  let keep = false;
  let udp = false;
  let verbose = 0;
  let portText: string | undefined;
  const pos: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const f = a[k];
        if (f === 'p') {
          portText = k + 1 < a.length ? a.slice(k + 1) : args[++i];
          if (portText === undefined) return bb ? { stdout: '', stderr: `nc: option requires an argument -- 'p'\n${BB_NC_USAGE}`, exitCode: 1 } : badOption(false, a, 'p');
          break;
        }
        if (f === 'l') continue;
        if (f === 'k') keep = true;
        else if (f === 'u') udp = true;
        else if (f === 'v') verbose++;
        else if (f === 'n' || f === '4') continue;
        else return badOption(bb, a, f);
      }
    } else pos.push(a);
  }
  if (portText === undefined && !bb) portText = pos[pos.length - 1];
  if (portText === undefined) return { stdout: '', stderr: BB_NC_USAGE, exitCode: 1 };
  const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) return bb ? { stdout: '', stderr: `nc: bad port '${portText}'\n`, exitCode: 1 } : { stdout: '', stderr: `nc: port number invalid: ${portText}\n`, exitCode: 1 };
  const proto = udp ? 'udp' : 'tcp';
  return startServer(ctx, {
    comm: 'nc',
    argv: ['nc', ...args],
    listeners: [{ port, proto, app: proto, description: 'nc -l', params: { relay: 'print', bind: '0.0.0.0', backlog: udp ? '0' : '1', once: keep || udp ? '' : '1', ...(!bb && verbose ? { announce: 'openbsd' } : {}) } }],
    banner: !bb && verbose ? `Listening on 0.0.0.0 ${port}\n` : '',
    // err(1, NULL) prints strerror(EADDRINUSE): musl's text in netshoot, glibc's on a node
    addressInUse: () => ({ stdout: '', stderr: bb || ctx.host.kind === 'node' ? `nc: ${bb ? 'bind: ' : ''}Address already in use\n` : 'nc: Address in use\n', exitCode: 1 }),
    // busybox: xbind's bb_perror_msg_and_die("bind"); OpenBSD: local_listen finds no address it may bind, err(1, NULL)
    permissionDenied: () => ({ stdout: '', stderr: `nc: ${bb ? 'bind: ' : ''}Permission denied\n`, exitCode: 1 }),
    // nc does not catch SIGINT/SIGTERM/SIGHUP: it dies of the signal, printing nothing
    interrupted: (_p, sig) => ({ exitCode: 128 + { INT: 2, TERM: 15, HUP: 1, KILL: 9 }[sig] }),
    // startServer hosts it in a Pod or on a node; the workstation (where sudo carries no other identity to tell EACCES from root) is outside the cluster
    notHere: () => ({ stdout: '', stderr: `netlab: nc -l ${ctx.host.kind === 'workstation' ? 'on the workstation' : 'on a node or in a hostNetwork Pod'} is not simulated here (a hand-started server listens in a Pod's own network namespace or on a node)\n`, exitCode: 1 }),
  });
}
