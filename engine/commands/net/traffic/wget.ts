/**
 * busybox wget (networking/wget.c, busybox 1.36): "Connecting to %s (%s)", "saving to '%s'",
 * the progress bar of libbb/progress.c, "'%s' saved", and its errors: bb_error_msg_and_die
 * "bad address '%s'", "can't connect to remote host (%s): %s", "download timed out",
 * "server returned error: %s"; redirects followed up to 16 times; the file is opened with
 * O_EXCL unless -O names it ("can't open '%s': File exists"). -S (--server-response)
 * echoes each response's status and header lines to stderr, two spaces in, as
 * fgets_trim_sanitize prints them.
 */
import { BB_WGET_USAGE } from './bb-usage';
import type { CommandOutcome } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { httpExchange, parseUrl } from './http';
import { ipv6NotSimulated } from '../../../dataplane/walk';
import { bbNumber, INT_MAX } from './bb-number';
import { KERNEL_SYN_GIVEUP_MS } from './curl';
import { hostUnreachText, netUnreachText, timedOutText } from './errno';
import type { HttpRequest } from '../../../dataplane/apps';

const BB_WGET_TIMEOUT_S = 900;

function progressLine(name: string, size: number): string {
  // "%-20.20s%4u%% |%s| %5s %s" with a 32-star bar once complete, then "  0:00:00 ETA".
  const label = name.length > 20 ? name.slice(0, 20) : name.padEnd(20);
  return `${label} 100% |${'*'.repeat(32)}| ${String(size).padStart(5)}  0:00:00 ETA\n`;
}

export const wgetCommand: CommandSpec = {
  name: 'wget',
  summary: 'retrieve files via HTTP',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const cluster = ctx.cluster;
    let quiet = false;
    let spider = false;
    let serverResponse = false;
    let output: string | undefined;
    let timeout = BB_WGET_TIMEOUT_S;
    let timeoutArg: string | undefined;
    const headers: [string, string][] = [];
    let userAgent = 'Wget';
    const urls: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-q' || a === '--quiet') quiet = true;
      else if (a === '-S' || a === '--server-response') serverResponse = true;
      else if (/^-[qS]+$/.test(a)) {
        // getopt32 groups: -qS, -Sq
        quiet ||= a.includes('q');
        serverResponse ||= a.includes('S');
      } else if (/^-[qS]*O-?$/.test(a) && a.length > 2 && a !== '-O-') {
        quiet ||= a.includes('q');
        serverResponse ||= a.includes('S');
        output = a.endsWith('-') ? '-' : args[++i];
      }
      else if (a === '--spider') spider = true;
      // wget_longopts has it whatever the TLS build; busybox's own TLS (FEATURE_WGET_HTTPS) checks no certificate anyway
      else if (a === '--no-check-certificate') continue;
      else if (a === '-O' || a === '--output-document') output = args[++i];
      else if (a.startsWith('-O') && a.length > 2) output = a.slice(2);
      else if (a === '-T' || a === '--timeout') timeoutArg = args[++i] ?? '';
      else if (a.startsWith('-T') && a.length > 2) timeoutArg = a.slice(2);
      else if (a.startsWith('--timeout=')) timeoutArg = a.slice(10);
      else if (a === '--header') {
        const h = args[++i] ?? '';
        const c = h.indexOf(':');
        if (c > 0) headers.push([h.slice(0, c).trim(), h.slice(c + 1).trim()]);
      } else if (a === '-U' || a === '--user-agent') userAgent = args[++i] ?? userAgent;
      else if (a === '-qO-' || a === '-qO') {
        quiet = true;
        output = a === '-qO-' ? '-' : args[++i];
      } else if (a.startsWith('-') && a !== '-') {
        if (a === '--help' && i === 0) return { stdout: '', stderr: BB_WGET_USAGE, exitCode: 0 };
        return { stdout: '', stderr: `wget: unrecognized option '${a.replace(/^-+/, '--').replace(/^--(.)$/, '-$1')}'\n${BB_WGET_USAGE}`, exitCode: 1 };
      } else urls.push(a);
    }
    if (timeoutArg !== undefined) {
      // getopt32 "T:+": xatoi_positive
      const t = bbNumber('wget', timeoutArg, 0, INT_MAX);
      if ('error' in t) return { stdout: '', stderr: t.error, exitCode: 1 };
      timeout = t.value;
    }
    if (urls.length === 0) {
      return { stdout: '', stderr: BB_WGET_USAGE, exitCode: 1 };
    }
    let stdout = '';
    let stderr = '';
    const say = (s: string) => {
      if (!quiet) stderr += s;
    };
    const cmdline = ['wget', ...args].join(' ');
    for (const raw of urls) {
      let url = parseUrl(raw, true);
      if ('error' in url) {
        stderr += `wget: not an http or ftp url: ${raw}\n`;
        return { stdout, stderr, exitCode: 1 };
      }
      // Output name from the URL as first given (redirects do not rename the file).
      const name = output ?? (url.path.split('?')[0].split('/').pop() || 'index.html');
      let r;
      for (let redirects = 16; ; ) {
        const hostHeader = url.explicitPort ? `${url.host}:${url.port}` : url.host;
        const req: HttpRequest = {
          method: 'GET',
          path: url.path,
          headers: [['Host', hostHeader], ['User-Agent', userAgent], ['Connection', 'close'], ...headers],
          body: '',
          scheme: url.scheme,
        };
        const ex = httpExchange(cluster, ctx.host, url, req, { command: cmdline });
        const c = ex.conn;
        if (c.ipv6) return { stdout, stderr: stderr + ipv6NotSimulated('wget', url.host), exitCode: 1 };
        if (c.outcome === 'nxdomain') {
          cluster.advance(c.dnsTimeout ? 10000 : 5);
          stderr += `wget: bad address '${url.host}'\n`;
          return { stdout, stderr, exitCode: 1 };
        }
        // xmalloc_sockaddr2dotted: "[%s]:%u" for an IPv6 peer
        const peer = c.address ?? url.host.replace(/^\[|\]$/g, '');
        say(`Connecting to ${hostHeader} (${peer.includes(':') ? `[${peer}]` : peer}:${url.port})\n`);
        if (c.netUnreachable) {
          // xconnect: an AF_INET6 peer gets bb_simple_perror_msg_and_die("can't connect to remote host")
          stderr += `wget: can't connect to remote host: ${netUnreachText(cluster, ctx.host)}\n`;
          return { stdout, stderr, exitCode: 1 };
        }
        if (c.outcome === 'timeout') {
          // open_socket: set_alarm() (-T, 900 s by default; 0 sets none) around xconnect_stream.
          // A dropped SYN: the kernel gives up after its retries (~127 s) and connect() fails
          // with ETIMEDOUT first, unless the alarm fires sooner ("download timed out").
          if (timeout > 0 && timeout * 1000 < KERNEL_SYN_GIVEUP_MS) {
            cluster.advance(timeout * 1000);
            stderr += 'wget: download timed out\n';
            return { stdout, stderr, exitCode: 1 };
          }
          cluster.advance(KERNEL_SYN_GIVEUP_MS);
          stderr += `wget: can't connect to remote host (${c.address}): ${timedOutText(cluster, ctx.host)}\n`;
          return { stdout, stderr, exitCode: 1 };
        }
        if (c.outcome === 'refused' || c.outcome === 'unreachable') {
          // xconnect: bb_perror_msg_and_die("%s (%s)", "can't connect to remote host", inet_ntoa(...)) —
          // strerror as busybox:1.36's C library (glibc; uClibc alike) words EHOSTUNREACH.
          if (c.outcome === 'unreachable') cluster.advance(3000);
          stderr += `wget: can't connect to remote host (${c.address}): ${c.outcome === 'refused' ? 'Connection refused' : hostUnreachText(cluster, ctx.host)}\n`;
          return { stdout, stderr, exitCode: 1 };
        }
        if (url.scheme === 'https') {
          // busybox's internal TLS client (spawn_ssl_client) does not check certificates.
          stderr += 'wget: note: TLS certificate validation not implemented\n';
          if (ex.tlsError) {
            stderr += 'wget: TLS error from peer (alert code 80): internal error\nwget: error getting response: Connection reset by peer\n';
            return { stdout, stderr, exitCode: 1 };
          }
        }
        r = ex.response;
        if (!r || r.empty) {
          stderr += 'wget: error getting response: Connection reset by peer\n';
          return { stdout, stderr, exitCode: 1 };
        }
        // -S: fgets_trim_sanitize(sfp, "  %s\n") echoes the status line and every header line
        // as received (before get_sanitized_hdr lowercases the name), and the blank line that
        // ends them — even with -q
        if (serverResponse) stderr += `  HTTP/${r.httpVersion ?? '1.1'} ${r.status} ${r.reason}\n` + r.headers.map(([k, v]) => `  ${k}: ${v}\n`).join('') + '  \n';
        const location = r.headers.find(([k]) => k.toLowerCase() === 'location')?.[1];
        if ([300, 301, 302, 303, 307, 308].includes(r.status) && location) {
          if (--redirects === 0) {
            stderr += 'wget: too many redirections\n';
            return { stdout, stderr, exitCode: 1 };
          }
          const next = parseUrl(location.startsWith('/') ? `${url.scheme}://${hostHeader}${location}` : location);
          if ('error' in next) {
            stderr += `wget: not an http or ftp url: ${location}\n`;
            return { stdout, stderr, exitCode: 1 };
          }
          url = next;
          continue;
        }
        break;
      }
      if (!(r.status >= 200 && r.status <= 204) && !(r.status >= 300 && r.status <= 308)) {
        stderr += `wget: server returned error: HTTP/${r.httpVersion ?? '1.1'} ${r.status} ${r.reason}\n`;
        return { stdout, stderr, exitCode: 1 };
      }
      if (spider) {
        say('remote file exists\n');
        continue;
      }
      const size = new TextEncoder().encode(r.body).length;
      if (name === '-') {
        say('writing to stdout\n');
        stdout += r.body;
        say(progressLine('-', size));
        say('written to stdout\n');
      } else {
        const path = name.startsWith('/') ? name : `${ctx.cwd.replace(/\/$/, '')}/${name}`;
        if (output === undefined && cluster.fs.read(ctx.host, path) !== undefined) {
          stderr += `wget: can't open '${name}': File exists\n`;
          return { stdout, stderr, exitCode: 1 };
        }
        say(`saving to '${name}'\n`);
        cluster.fs.write(ctx.host, path, r.body);
        say(progressLine(name.split('/').pop() ?? name, size));
        say(`'${name}' saved\n`);
      }
    }
    return { stdout, stderr, exitCode: 0 };
  },
};
