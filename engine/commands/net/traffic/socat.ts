/**
 * socat (netshoot's `socat` package): `socat [-v] [-d…] ADDRESS1 ADDRESS2` with ADDRESS1 the
 * command's stdio (`-`, STDIO) and ADDRESS2 a client: TCP:host:port (TCP4, TCP-CONNECT,
 * TCP4-CONNECT) or UDP:host:port (UDP4, UDP-CONNECT, UDP4-CONNECT), through the packet walk
 * `nc` uses. stdin goes to the peer; an HTTP request on stdin gets the app's answer (the
 * same exchange curl makes), printed as it came off the socket. Other apps and UDP peers
 * send nothing back here, and socat ends when stdin does (exit 0).
 *
 * Diagnostics are socat's (error.c/sycls.c): `YYYY/MM/DD HH:MM:SS socat[PID] E …` on stderr,
 * exit 1: `connect(5, AF=2 IP:PORT, 16): Connection refused` (sycls.c Connect's trace of
 * connect(2); fd 5 after stdio and socat's internal pipes), `… Operation timed out` (musl's
 * strerror in netshoot; glibc's `Connection timed out` elsewhere, errno.ts) after
 * the kernel's SYN retries (socat sets no connect timeout), `getaddrinfo("NAME", "PORT",
 * {flags,family,socktype,protocol}, {}): <musl gai_strerror>` (xio-ip.c xiogetaddrinfo: flags
 * AI_PASSIVE, family 0 for TCP/UDP and 2 for TCP4/UDP4). `-v` writes each transfer to stderr
 * as socat.c's xiotransfer does: `> DATE.USEC  length=N from=A to=B`, then the bytes with CR as `\r`.
 * The PID is the exec'd process's in the container (7, as ps shows it). A listener typed
 * here (TCP-LISTEN, UDP-LISTEN, …) is not simulated: the walk answers from the workloads' own
 * processes and cannot host a server a learner starts by hand — but a Pod whose command is
 * `socat TCP-LISTEN:N,… ADDRESS` listens on N (hosts/images.ts socatListener), printing what a
 * client sends when ADDRESS is `-`/STDIO and echoing it with EXEC:cat.
 */
import type { CommandOutcome, RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import type { HttpRequest } from '../../../dataplane/apps';
import { connect, ipv6NotSimulated } from '../../../dataplane/walk';
import { httpExchange } from './http';
import { KERNEL_SYN_GIVEUP_MS } from './curl';
import { startServer } from './serve';
import { hostUnreachText, timedOutText } from './errno';
import { startedProcesses } from '../../../dataplane/started';

const PID = 7;

function stamp(ms: number, usec = false): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return usec ? `${base}.${p(d.getUTCMilliseconds() * 1000, 6)}` : base;
}

/**
 * `socat -v`'s dump of one transfer (socat.c xioprintblockheader and xiotransfer): the header
 * with gettimestamp's `DATE.USEC ` then ` length=…`, the bytes with \r \a \b \v \f and
 * backslash escaped, tab and newline kept, other unprintables as `.`; no newline added.
 */
function viewData(dir: '>' | '<', ms: number, data: string, from: number): string {
  const esc: Record<string, string> = { '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\v': '\\v', '\f': '\\f', '\\': '\\\\', '\t': '\t', '\n': '\n' };
  const text = [...data].map((c) => esc[c] ?? (c >= ' ' && c <= '~' ? c : '.')).join('');
  return `${dir} ${stamp(ms, true)}  length=${data.length} from=${from} to=${from + data.length - 1}\n${text}`;
}

/** The request on stdin, if it is one: `METHOD PATH HTTP/1.x`, headers, a blank line, a body. */
export function parseRequest(text: string): (HttpRequest & { version: string }) | undefined {
  const m = /^([A-Z]+) (\S+) HTTP\/(1\.[01])\r?\n/.exec(text);
  if (!m) return undefined;
  const rest = text.slice(m[0].length);
  const end = rest.search(/\r?\n\r?\n|^\r?\n/);
  const head = end < 0 ? rest : rest.slice(0, end);
  const headers: [string, string][] = head
    .split(/\r?\n/)
    .filter((l) => l.includes(':'))
    .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]);
  const body = end < 0 ? '' : rest.slice(end).replace(/^\r?\n?\r?\n/, '');
  return { method: m[1], path: m[2], headers, body, scheme: 'http', version: m[3] };
}

export const socatCommand: CommandSpec = {
  name: 'socat',
  summary: 'multipurpose relay (SOcket CAT)',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const cluster = ctx.cluster;
    const err = (msg: string): RunResult => ({ stdout: '', stderr: `${stamp(cluster.clock.now())} socat[${PID}] E ${msg}\n`, exitCode: 1 });
    let verbose = false;
    const addrs: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-v') verbose = true;
      else if (/^-d+$/.test(a) || a === '-u' || a === '-U' || a === '-s') continue;
      // -t/-T take a time (the half-close wait, the inactivity timeout), glued or as the next word
      else if (a === '-t' || a === '-T') i++;
      else if (/^-[tT]\d/.test(a)) continue;
      else if (['-h', '-hh', '-hhh', '-V', '-?'].includes(a)) return { stdout: '', stderr: `netlab: socat ${a} (its help and build information) is not simulated here\n`, exitCode: 1 };
      else if (a.startsWith('-') && a !== '-') return err(`unknown option "${a}"; use option "-h" for help`);
      else addrs.push(a);
    }
    if (addrs.length !== 2) return err(`exactly 2 addresses required (there are ${addrs.length}); use option "-h" for help`);
    const stdio = addrs.find((a) => /^(-|STDIO|STDIN|STDOUT)$/i.test(a.split(',')[0]));
    const other = addrs.find((a) => a !== stdio);
    const [kw, ...params] = (other ?? addrs[1]).split(',')[0].split(':');
    const keyword = kw.toUpperCase();
    const listen = addrs.map((a) => /^(TCP|TCP4|UDP|UDP4)-LISTEN:(\d+)((?:,[^,]*)*)$/i.exec(a)).find((m) => m);
    if (listen) return socatListen(ctx, args, listen, addrs.find((a) => !/-LISTEN:/i.test(a)) ?? '');
    if (/-LISTEN$|^LISTEN$|-RECVFROM$|-RECV$/.test(keyword)) {
      return { stdout: '', stderr: `netlab: socat ${addrs.join(' ')} is not simulated here (TCP-LISTEN:PORT and UDP-LISTEN:PORT with - or EXEC:cat are, and socat - TCP:HOST:PORT)\n`, exitCode: 1 };
    }
    const m = /^(TCP|UDP)(4)?(-CONNECT)?$/.exec(keyword);
    if (!stdio || !other || !m) {
      return { stdout: '', stderr: `netlab: socat ${addrs.join(' ')} is not simulated here (socat - TCP:HOST:PORT and socat - UDP:HOST:PORT are)\n`, exitCode: 1 };
    }
    const proto = m[1].toLowerCase() as 'tcp' | 'udp';
    const family = m[2] ? 2 : 0;
    if (params.length !== 2) return err(`"${kw}": wrong number of parameters (${params.length} instead of 2)`);
    const [host, portText] = params;
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
      return err(`getaddrinfo("${host}", "${portText}", {1,${family},${proto === 'tcp' ? 1 : 2},${proto === 'tcp' ? 6 : 17}}, {}): Servname not supported for ai_socktype`);
    }
    const port = Number(portText);
    const command = ['socat', ...args].join(' ');
    const stdin = ctx.stdin ?? '';
    const req = proto === 'tcp' ? parseRequest(stdin) : undefined;
    const ex = req ? httpExchange(cluster, ctx.host, { scheme: 'http', host: host.toLowerCase(), port, path: req.path, explicitPort: true }, req, { command, family: 4 }) : undefined;
    const r = ex?.conn ?? connect(cluster, ctx.host, host, port, proto, { command, family: 4 });
    if (r.ipv6) return { stdout: '', stderr: ipv6NotSimulated('socat', host), exitCode: 1 };
    if (r.outcome === 'nxdomain') {
      return err(`getaddrinfo("${host}", "${portText}", {1,${family},${proto === 'tcp' ? 1 : 2},${proto === 'tcp' ? 6 : 17}}, {}): ${r.dnsTimeout ? 'Temporary failure in name resolution' : 'Name does not resolve'}`);
    }
    const ip = r.address ?? host;
    const where = `connect(5, AF=2 ${ip}:${port}, 16)`;
    if (proto === 'tcp' && r.outcome === 'timeout') {
      cluster.advance(KERNEL_SYN_GIVEUP_MS);
      return err(`${where}: ${timedOutText(cluster, ctx.host)}`);
    }
    if (r.outcome === 'unreachable') {
      cluster.advance(3000);
      return err(`${where}: ${hostUnreachText(cluster, ctx.host)}`);
    }
    if (proto === 'tcp' && r.outcome === 'refused') return err(`${where}: Connection refused`);
    let stderr = '';
    const now = cluster.clock.now();
    if (verbose && stdin) stderr += viewData('>', now, stdin, 0);
    if (proto === 'udp' && r.outcome === 'refused') {
      // the ICMP port unreachable comes back on the next read of the connected socket
      return { stdout: '', stderr: stderr + `${stamp(now)} socat[${PID}] E read(5, 0x7f3c2a1e4000, 8192): Connection refused\n`, exitCode: 1 };
    }
    const res = ex?.response;
    if (!res || res.empty) return { stdout: '', stderr, exitCode: 0 };
    const headers = req?.version === '1.0' ? res.headers.map(([k, v]): [string, string] => (k.toLowerCase() === 'connection' ? [k, 'close'] : [k, v])) : res.headers;
    const body = req?.method === 'HEAD' ? '' : res.body;
    const reply = `HTTP/1.1 ${res.status} ${res.reason}\r\n` + headers.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n' + body;
    const at = now + (ex?.extraMs ?? 0) + 1;
    if (ex?.extraMs) cluster.advance(ex.extraMs);
    if (verbose) stderr += viewData('<', at, reply, 0);
    return { stdout: reply, stderr, exitCode: 0 };
  },
};

/**
 * `socat TCP-LISTEN:PORT[,fork][,reuseaddr] ADDRESS` typed in a container's shell: a listener
 * while socat runs (serve.ts). xio-listen.c: an AF_INET socket on 0.0.0.0 (no pf option), the
 * listen backlog's default 5; without `fork` socat serves one connection and exits. ADDRESS `-`
 * or STDIO prints what a client sends on the terminal; EXEC:cat / SYSTEM:cat sends it back.
 * A port already held: the bind fails — `E bind(5, AF=2 0.0.0.0:PORT, 16): Address in use`
 * (musl's EADDRINUSE), exit 1. socat catches SIGINT, SIGTERM and SIGHUP (socat_signal) and
 * exits with 128 + the signal.
 */
function socatListen(ctx: CommandContext, args: string[], m: RegExpExecArray, other: string): CommandOutcome {
  const port = Number(m[2]);
  const proto = m[1].toUpperCase().startsWith('UDP') ? 'udp' : 'tcp';
  const opts = m[3].split(',').filter(Boolean).map((o) => o.toLowerCase());
  const h = ctx.host;
  const uid = h.kind === 'pod' ? ctx.cluster.store.get('Pod', h.namespace, h.pod)?.metadata.uid ?? '' : '';
  const pid = h.kind === 'pod' ? startedProcesses(ctx.cluster).nextPid(uid, h.container) : PID;
  const stamp0 = () => stamp(ctx.cluster.clock.now());
  if (!(port >= 1 && port <= 65535)) return { stdout: '', stderr: `${stamp0()} socat[${pid}] E ${m[1]}-LISTEN: wrong port "${m[2]}"\n`, exitCode: 1 };
  const word = other.split(',')[0];
  const relay = /^(-|STDIO|STDOUT|STDIN)$/i.test(word) ? 'print' : /^(EXEC|SYSTEM):['"]?(\/bin\/)?cat['"]?$/i.test(word) ? 'echo' : undefined;
  if (!relay) return { stdout: '', stderr: `netlab: socat ${m[0]} ${other} is not simulated here (a listener's other address may be -, STDIO or EXEC:cat)\n`, exitCode: 1 };
  const keyword = `${m[1].toUpperCase()}-LISTEN`;
  return startServer(ctx, {
    comm: 'socat',
    argv: ['socat', ...args],
    listeners: [{ port, proto, app: proto, description: `socat ${keyword}`, params: { relay, bind: '0.0.0.0', backlog: proto === 'udp' ? '0' : '5', once: opts.includes('fork') ? '' : '1' } }],
    addressInUse: () => ({ stdout: '', stderr: `${stamp0()} socat[${pid}] E bind(5, AF=2 0.0.0.0:${port}, 16): Address in use\n`, exitCode: 1 }),
    permissionDenied: () => ({ stdout: '', stderr: `${stamp0()} socat[${pid}] E bind(5, AF=2 0.0.0.0:${port}, 16): Permission denied\n`, exitCode: 1 }),
    interrupted: (_p, sig) => ({ exitCode: 128 + { INT: 2, TERM: 15, HUP: 1, KILL: 9 }[sig], exited: sig !== 'KILL' }),
    notHere: () => ({ stdout: '', stderr: `netlab: socat ${keyword} on a node or in a hostNetwork Pod is not simulated here (a hand-started server listens in a Pod's own network namespace)\n`, exitCode: 1 }),
  });
}
