/**
 * curl 8.x. Messages follow curl's sources: lib/strerror.c (curl_easy_strerror), the
 * connect filter's "Failed to connect to %s port %u after %ld ms: %s", multi.c's
 * "Connection timed out after %ld milliseconds" (--max-time during connect), hostip.c's
 * "Could not resolve host: %s", the verbose "*   Trying %s:%d..." lines, and
 * src/tool_writeout.c for -w variables. The progress meter is lib/progress.c's layout.
 */
import type { CommandOutcome, HostRef, Streaming } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import type { ClusterRuntime } from '../../../controllers/runtime';
import { httpExchange, httpWire, parseUrl, type Exchange, type ParsedUrl } from './http';
import { noteTls } from '../tcpdump/capture';
import { hostUnreachText, netUnreachText, timedOutText } from './errno';
import { carriesIPv6, ipv6NotSimulated } from '../../../dataplane/walk';
import { hostIp, hostIp6 } from '../../../dataplane/topology';
import { hostImage, imageName, imageTag } from '../../../hosts/hosts';
import type { HttpRequest } from '../../../dataplane/apps';
import { strtod } from '../../text/delay';
import { isDottedQuad } from '../../../cluster/ipv4';
import { verifyChain } from '../../../tls/verify';
import { toBase64 } from '../../../tls/pem';
import { commonName, hostMatchesPattern, nameCurl, subjectAltNames, type Certificate } from '../../../tls/x509';
import { algorithmName, asn1Time } from '../../../tls/text';
import { readBundle } from '../tls/s_client';

/**
 * curl 8.5's seconds option (src/tool_paramhlp.c secs2ms → str2double with max
 * LONG_MAX/1000): strtod must take the whole string; an overflow (ERANGE: `1e400`) or a
 * value above the max (`1e308`, `inf`) is PARAM_NUMBER_TOO_LARGE, a negative one
 * PARAM_NEGATIVE_NUMERIC, anything else PARAM_BAD_NUMERIC; src/tool_helpers.c param2text
 * gives the words. Seconds, or the words of the refusal. (`nan` passes strtod and both
 * comparisons in C, then (long)(NaN*1000) is undefined; it is refused here.)
 */
function secs2ms(v: string): number | string {
  const r = strtod(v);
  if (r && (r.erange || r.value > LONG_MAX / 1000)) return 'too large number';
  if (!r || r.rest !== '' || Number.isNaN(r.value)) return 'expected a proper numerical parameter';
  if (r.value < 0) return 'expected a positive numerical parameter';
  return r.value;
}

/** A 64-bit C long's largest value, as a double. */
const LONG_MAX = 9223372036854775807;

interface CurlOpts {
  /** -6/--ipv6: resolve and connect over IPv6 only (not simulated: the tool says so). */
  ipv6?: boolean;
  /** -4/--ipv4: A records only. */
  ipv4?: boolean;
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  head: boolean;
  include: boolean;
  output?: string;
  remoteName: boolean;
  writeOut?: string;
  method?: string;
  data: string[];
  headers: [string, string][];
  maxTime?: number;
  connectTimeout?: number;
  insecure: boolean;
  location: boolean;
  fail: boolean;
  userAgent?: string;
  /** -u USER:PASSWORD: HTTP Basic credentials (a -u without ":" would prompt for the password; we send it empty) */
  user?: string;
  resolve: Map<string, string>;
  /** --cacert FILE: the CA bundle verification trusts instead of the system store. */
  cacert?: string;
  urls: string[];
  /** -V / --version: print the version block and stop (tool_getparam.c PARAM_VERSION_INFO_REQUESTED). */
  versionInfo?: boolean;
}

const NEEDS_ARG = new Set(['-o', '--output', '-w', '--write-out', '-X', '--request', '-d', '--data', '--data-raw', '--data-binary', '-H', '--header', '-m', '--max-time', '--connect-timeout', '-A', '--user-agent', '--resolve', '-e', '--referer', '-u', '--user', '--retry', '-x', '--proxy', '--cacert']);

/** The curl version a host carries (curlimages/curl by its tag; distributions' packages otherwise). */
export function curlVersion(cluster: ClusterRuntime, host: HostRef): string {
  if (host.kind === 'workstation') return '8.5.0';
  if (host.kind === 'node') return '7.88.1';
  const image = hostImage(cluster, host) ?? '';
  const name = imageName(image);
  if (name === 'curlimages/curl') {
    const tag = imageTag(image);
    return /^\d+\.\d+\.\d+$/.test(tag) ? tag : '8.11.1';
  }
  if (name.endsWith('netshoot')) return '8.7.1';
  if (name.endsWith('agnhost')) return '8.9.1';
  return '7.88.1';
}

/**
 * The libraries, protocols and features of each curl build we carry, as `curl -V` prints them
 * (src/tool_help.c tool_version_info: `curl VER (HOST) ` + curl_version(), Release-Date,
 * Protocols, Features). Debian 12's 7.88.1 (nginx images, nodes): the bookworm package's
 * configure (debian/rules: OpenSSL flavour with brotli, zstd, idn2, psl, libssh2, rtmp,
 * OpenLDAP, GSS-API) — its block as curl 7.88.1-10+deb12u8 prints it, the version Debian's
 * security updates carried when nginx 1.27.3 was built, with the "security patched" note
 * Debian's patch adds to Release-Date. Alpine's curl (netshoot on edge of May 2024: 8.7.1;
 * agnhost 8.9.1; curlimages/curl built on Alpine): aports main/curl APKBUILD (OpenSSL,
 * c-ares, brotli, zstd, idn2, psl, nghttp2, websockets on). Release dates from curl's
 * docs/RELEASE-NOTES and the releases page.
 */
const CURL_BUILDS: Record<string, { host: string; libs: string; date: string; protocols: string; features: string }> = {
  '7.88.1': {
    host: 'x86_64-pc-linux-gnu',
    libs: 'OpenSSL/3.0.15 zlib/1.2.13 brotli/1.0.9 zstd/1.5.4 libidn2/2.3.3 libpsl/0.21.2 (+libidn2/2.3.3) libssh2/1.10.0 nghttp2/1.52.0 librtmp/2.3 OpenLDAP/2.5.13',
    date: '2023-02-20, security patched: 7.88.1-10+deb12u8',
    protocols: 'dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtmp rtsp scp sftp smb smbs smtp smtps telnet tftp',
    features: 'alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM NTLM_WB PSL SPNEGO SSL threadsafe TLS-SRP UnixSockets zstd',
  },
  '8.5.0': {
    host: 'x86_64-pc-linux-gnu',
    libs: 'OpenSSL/3.0.13 zlib/1.3 brotli/1.1.0 zstd/1.5.5 libidn2/2.4.0 libpsl/0.21.2 (+libidn2/2.3.7) libssh/0.10.6/openssl/zlib nghttp2/1.59.0 librtmp/2.3 OpenLDAP/2.6.7',
    date: '2023-12-06, security patched: 8.5.0-2ubuntu10.6',
    protocols: 'dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtmp rtsp scp sftp smb smbs smtp smtps telnet tftp',
    features: 'alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM PSL SPNEGO SSL threadsafe TLS-SRP UnixSockets zstd',
  },
  '8.7.1': {
    host: 'x86_64-alpine-linux-musl',
    libs: 'OpenSSL/3.3.0 zlib/1.3.1 brotli/1.1.0 zstd/1.5.6 c-ares/1.28.1 libidn2/2.3.7 libpsl/0.21.5 nghttp2/1.62.1',
    date: '2024-03-27',
    protocols: 'dict file ftp ftps gopher gophers http https imap imaps ipfs ipns mqtt pop3 pop3s rtsp smb smbs smtp smtps telnet tftp ws wss',
    features: 'alt-svc AsynchDNS brotli HSTS HTTP2 HTTPS-proxy IDN IPv6 Largefile libz NTLM NTLM_WB PSL SSL threadsafe TLS-SRP UnixSockets zstd',
  },
};
const CURL_RELEASE_DATES: Record<string, string> = { '8.9.1': '2024-07-31', '8.10.1': '2024-09-18', '8.11.0': '2024-11-06', '8.11.1': '2024-12-11', '8.12.1': '2025-02-13', '8.13.0': '2025-04-02', '8.14.1': '2025-06-04' };

/** `curl -V`: the version block of the curl this host carries. */
export function curlVersionInfo(cluster: ClusterRuntime, host: HostRef): string {
  const version = curlVersion(cluster, host);
  const b = CURL_BUILDS[version] ?? {
    // a later Alpine build: the same configure, OpenSSL 3.3, NTLM_WB gone (curl 8.8.0 removed it)
    host: 'x86_64-alpine-linux-musl',
    libs: `OpenSSL/${opensslOf(version)} zlib/1.3.1 brotli/1.1.0 zstd/1.5.6 c-ares/1.34.3 libidn2/2.3.7 libpsl/0.21.5 nghttp2/1.64.0`,
    date: CURL_RELEASE_DATES[version] ?? '[unreleased]',
    protocols: 'dict file ftp ftps gopher gophers http https imap imaps ipfs ipns mqtt pop3 pop3s rtsp smb smbs smtp smtps telnet tftp ws wss',
    features: 'alt-svc AsynchDNS brotli HSTS HTTP2 HTTPS-proxy IDN IPv6 Largefile libz NTLM PSL SSL threadsafe TLS-SRP UnixSockets zstd',
  };
  return `curl ${version} (${b.host}) libcurl/${version} ${b.libs}\nRelease-Date: ${b.date}\nProtocols: ${b.protocols}\nFeatures: ${b.features}\n`;
}

/** Is `version` at least `min` (dotted numbers)? */
export function atLeast(version: string, min: string): boolean {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/**
 * What differs between the curl versions we carry (7.88.1 on Debian 12 images and nodes,
 * 8.5.0 on the workstation, 8.11.1 in curlimages/curl): lib/strerror.c says "Could not
 * connect to server" from 8.6 on ("Couldn't" before); 8.x drops the "(#0)" of "Connected
 * to", names the local end in "connect to … from … port … failed", and ends a failed
 * transfer with "closing connection #0" (7.x: "Closing connection 0"); 8.5 added the
 * "Host … was resolved." / "IPv6:" / "IPv4:" lines, "using HTTP/1.x" and "Request completely
 * sent off".
 */
function flavour(version: string) {
  return {
    couldnt: atLeast(version, '8.6.0') ? 'Could not connect to server' : "Couldn't connect to server",
    v8: atLeast(version, '8.0.0'),
    resolvedLines: atLeast(version, '8.5.0'),
  };
}

/** The host as curl keeps it (conn->host.name): an IPv6 literal without its brackets (lib/url.c "cut off the brackets!"). */
function bare(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}

function parseArgs(args: string[]): CurlOpts | { error: string; code: number } {
  const o: CurlOpts = { silent: false, showError: false, verbose: false, head: false, include: false, remoteName: false, data: [], headers: [], insecure: false, location: false, fail: false, resolve: new Map(), urls: [] };
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    let val: string | undefined;
    if (a.startsWith('--') && a.includes('=')) {
      val = a.slice(a.indexOf('=') + 1);
      a = a.slice(0, a.indexOf('='));
    }
    // Bundled short flags: -sS, -sSL, -sv, -kv, -so file
    if (/^-[a-zA-Z]{2,}$/.test(a) && !NEEDS_ARG.has(a)) {
      const flags = a.slice(1).split('');
      const expanded: string[] = [];
      for (let j = 0; j < flags.length; j++) {
        const f = '-' + flags[j];
        if (NEEDS_ARG.has(f)) {
          expanded.push(f);
          const rest = flags.slice(j + 1).join('');
          if (rest) expanded.push(rest);
          break;
        }
        expanded.push(f);
      }
      args = [...args.slice(0, i), ...expanded, ...args.slice(i + 1)];
      a = args[i];
    }
    const next = (): string | undefined => val ?? (i + 1 < args.length ? args[++i] : undefined);
    const need = (): string | { error: string; code: number } => {
      const v = next();
      return v === undefined ? { error: `curl: option ${a}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`, code: 2 } : v;
    };
    if (a === '-6' || a === '--ipv6') {
      o.ipv6 = true;
      continue;
    }
    if (a === '-4' || a === '--ipv4') {
      o.ipv4 = true;
      continue;
    }
    switch (a) {
      case '-s': case '--silent': o.silent = true; break;
      case '-S': case '--show-error': o.showError = true; break;
      case '-v': case '--verbose': o.verbose = true; break;
      case '-I': case '--head': o.head = true; break;
      case '-i': case '--include': o.include = true; break;
      case '-k': case '--insecure': o.insecure = true; break;
      case '-L': case '--location': o.location = true; break;
      case '-f': case '--fail': o.fail = true; break;
      case '-O': case '--remote-name': o.remoteName = true; break;
      // curl stops parsing at -V and prints the version block, whatever follows (tool_getparam.c)
      case '-V': case '--version': o.versionInfo = true; return o;
      case '-4': case '--ipv4': case '-N': case '--no-buffer': case '--http1.1': case '--compressed': case '-g': case '--globoff': break;
      default: {
        if (NEEDS_ARG.has(a)) {
          const v = need();
          if (typeof v !== 'string') return v;
          switch (a) {
            case '-o': case '--output': o.output = v; break;
            case '-w': case '--write-out': o.writeOut = v; break;
            case '-X': case '--request': o.method = v; break;
            case '-d': case '--data': case '--data-raw': case '--data-binary': o.data.push(v); break;
            case '-H': case '--header': {
              const c = v.indexOf(':');
              if (c > 0) o.headers.push([v.slice(0, c).trim(), v.slice(c + 1).trim()]);
              break;
            }
            case '-m': case '--max-time':
            case '--connect-timeout': {
              const n = secs2ms(v);
              if (typeof n === 'string') return { error: `curl: option ${a}: ${n}\ncurl: try 'curl --help' or 'curl --manual' for more information\n`, code: 2 };
              if (a === '--connect-timeout') o.connectTimeout = n;
              else o.maxTime = n;
              break;
            }
            case '-A': case '--user-agent': o.userAgent = v; break;
            case '-u': case '--user': o.user = v; break;
            case '--cacert': o.cacert = v; break;
            case '-e': case '--referer': o.headers.push(['Referer', v]); break;
            case '--resolve': {
              const m = v.match(/^([^:]+):(\d+):(.+)$/);
              if (m) o.resolve.set(`${m[1].toLowerCase()}:${m[2]}`, m[3].replace(/^\[|\]$/g, ''));
              break;
            }
            default: break;
          }
        } else if (a.startsWith('-') && a.length > 1) {
          return { error: `curl: option ${a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`, code: 2 };
        } else {
          o.urls.push(args[i]);
        }
      }
    }
  }
  return o;
}

/** lib/progress.c max5data: a size in at most five characters. */
function max5(n: number): string {
  const K = 1024;
  const M = K * K;
  if (n < 100000) return String(Math.floor(n)).padStart(5);
  if (n < 10000 * K) return `${String(Math.floor(n / K)).padStart(4)}k`;
  if (n < 100 * M) return `${String(Math.floor(n / M)).padStart(2)}.${Math.floor((n % M) / (M / 10))}M`;
  return `${String(Math.floor(n / M)).padStart(4)}M`;
}

const PROGRESS_HEAD = '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n';

function p3(x: number): string {
  return String(x).padStart(3);
}

/** The meter's first refresh, before anything arrived (no newline: the next write lands after it). */
const PROGRESS_ZERO = `\r${p3(0)} ${max5(0)}  ${p3(0)} ${max5(0)}  ${p3(0)} ${max5(0)}  ${max5(0)}  ${max5(0)} --:--:-- --:--:-- --:--:-- ${max5(0)}`;

function progressDone(size: number, ms: number): string {
  const speed = ms > 0 ? (size * 1000) / ms : size;
  return `\r${p3(100)} ${max5(size)}  ${p3(100)} ${max5(size)}  ${p3(0)} ${max5(0)}  ${max5(speed)}  ${max5(0)} --:--:-- --:--:-- --:--:-- ${max5(speed)}\n`;
}

function writeOut(fmt: string, vars: Record<string, string>): string {
  return fmt
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/\\r/g, '\r')
    .replace(/%\{([a-z_]+)\}/g, (m, k: string) => (k in vars ? vars[k] : ''))
    .replace(/%%/g, '%');
}

interface Attempt {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Virtual time the attempt took. */
  elapsedMs: number;
  /** Connection hangs and curl has no timeout: streams in a terminal. */
  hang?: { url: ParsedUrl; address: string; port: number };
}

export const KERNEL_SYN_GIVEUP_MS = 127000; // tcp_syn_retries=6: 1+2+4+8+16+32+64 s
/** The stub resolver's patience with a silent nameserver: resolv.conf's default timeout:5 × attempts:2. */
const RESOLVER_GIVEUP_MS = 10_000;

function runCurl(ctx: CommandContext, o: CurlOpts, raw: string, version: string, cmdline: string): Attempt {
  const cluster = ctx.cluster;
  const fl = flavour(version);
  let stdout = '';
  let stderr = '';
  let elapsed = 0;
  const showErr = !o.silent || o.showError;
  const verbose = (s: string) => {
    if (o.verbose) stderr += s;
  };
  const parsed = parseUrl(raw, true);
  const wvars: Record<string, string> = { http_code: '000', response_code: '000', remote_ip: '', remote_port: '', local_ip: '', size_download: '0', url_effective: raw, content_type: '', num_connects: '0', time_total: '0.000000', exitcode: '0', errormsg: '', method: o.method ?? (o.head ? 'HEAD' : o.data.length ? 'POST' : 'GET') };
  const finishFail = (code: number, msg: string): Attempt => {
    if (o.verbose) stderr += `* ${msg}\n`;
    if (o.verbose && code !== 6 && code !== 3 && code !== 1) stderr += fl.v8 ? '* closing connection #0\n' : '* Closing connection 0\n';
    wvars.exitcode = String(code);
    wvars.errormsg = msg;
    if (o.writeOut) stdout += writeOut(o.writeOut, wvars);
    if (showErr) stderr += `curl: (${code}) ${msg}\n`;
    return { stdout, stderr, exitCode: code, elapsedMs: elapsed };
  };
  if ('error' in parsed) {
    if (parsed.error === 'scheme') return finishFail(1, `Protocol "${parsed.scheme}" not supported`);
    if (parsed.error === 'port') return finishFail(3, 'URL rejected: Port number was not a decimal number between 0 and 65535');
    return finishFail(3, 'URL rejected: Malformed input to a URL function');
  }
  let url = parsed;
  let redirects = 0;
  for (;;) {
    const method = o.method ?? (o.head ? 'HEAD' : o.data.length ? 'POST' : 'GET');
    const hostHeader = url.explicitPort ? `${url.host}:${url.port}` : url.host;
    const headers: [string, string][] = [];
    const userHas = (n: string) => o.headers.some(([k]) => k.toLowerCase() === n);
    // A custom Host: replaces curl's own, in its place (lib/http.c http_host()).
    const customHost = o.headers.find(([k]) => k.toLowerCase() === 'host');
    headers.push(['Host', customHost ? customHost[1] : hostHeader]);
    // lib/http.c: Curl_http_output_auth puts Authorization right after Host (lib/http_basic.c: base64 of USER:PASSWORD)
    if (o.user !== undefined && !userHas('authorization')) headers.push(['Authorization', `Basic ${toBase64(new TextEncoder().encode(o.user.includes(':') ? o.user : `${o.user}:`))}`]);
    if (!userHas('user-agent')) headers.push(['User-Agent', o.userAgent ?? `curl/${version}`]);
    if (!userHas('accept')) headers.push(['Accept', '*/*']);
    const body = o.data.join('&');
    for (const h of o.headers) if (h[1] !== '' && h[0].toLowerCase() !== 'host') headers.push(h);
    if (o.data.length) {
      if (!userHas('content-length')) headers.push(['Content-Length', String(body.length)]);
      if (!userHas('content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    }
    const req: HttpRequest = { method, path: url.path, headers, body, scheme: url.scheme };
    if (o.ipv6 && cluster.settings.podCIDRv6 && !carriesIPv6(cluster)) return { stdout, stderr: stderr + ipv6NotSimulated('curl -6', url.host), exitCode: 1, elapsedMs: 0 };
    // curl's happy eyeballs starts with the AAAA answers (lib/cf-ip-happy.c: last_attempt_ai_family
    // = AF_INET "so AF_INET6 is next"), the A answers 200 ms later if IPv6 has not connected by then
    const family = o.ipv6 ? 6 : o.ipv4 ? 4 : 'prefer6';
    let ex: Exchange = httpExchange(cluster, ctx.host, url, req, { command: cmdline, resolveOverride: o.resolve, family });
    // the other half of happy eyeballs: when the IPv6 attempt does not connect (no answer within
    // 200 ms, or refused at once) curl starts the A answer and keeps whichever connects first
    let failed6: { address: string; outcome: string; sport?: number; netUnreachable?: boolean } | undefined;
    const a4 = ex.conn.resolution?.addresses?.[0];
    if (family === 'prefer6' && ex.conn.address?.includes(':') && a4 && ex.conn.resolution && (ex.conn.outcome === 'timeout' || ex.conn.outcome === 'refused' || ex.conn.outcome === 'unreachable')) {
      failed6 = { address: ex.conn.address, outcome: ex.conn.outcome, sport: ex.conn.sourcePort, netUnreachable: ex.conn.netUnreachable };
      const resolution = ex.conn.resolution;
      ex = httpExchange(cluster, ctx.host, url, req, { command: cmdline, resolveOverride: new Map([...(o.resolve ?? []), [`${url.host}:${url.port}`, a4]]), family: 4 });
      ex.conn.resolution = resolution;
      ex.conn.address = a4;
    }
    const c = ex.conn;
    if (c.ipv6) return { stdout, stderr: stderr + ipv6NotSimulated('curl', c.ipv6 === url.host.replace(/^\[|\]$/g, '') ? url.host : `${url.host} (${c.ipv6})`), exitCode: 1, elapsedMs: 0 };
    const address = c.address ?? url.host;
    const isName = address !== url.host.replace(/^\[|\]$/g, '');
    const six = address.includes(':');
    // The progress meter runs when the body goes to a file (not the terminal) and -s is off.
    const toFile = o.output !== undefined || o.remoteName;
    const meter = toFile && !o.silent;
    if (meter && redirects === 0) stderr += PROGRESS_HEAD + PROGRESS_ZERO;
    if (c.outcome === 'nxdomain') {
      // A nameserver that never answers holds curl in its resolving state until the
      // resolver gives up (timeout 5 × attempts 2) or curl's own limit fires first:
      // multi_handle_timeout() then reports the state it was in (lib/multi.c).
      if (c.dnsTimeout) {
        const ct = o.connectTimeout !== undefined && o.connectTimeout > 0 ? o.connectTimeout * 1000 : Infinity;
        const mt = o.maxTime !== undefined && o.maxTime > 0 ? o.maxTime * 1000 : Infinity;
        const limitMs = Math.min(ct, mt);
        if (limitMs < RESOLVER_GIVEUP_MS) {
          elapsed += limitMs + 1 + cluster.rng.int(3);
          return finishFail(28, `Resolving timed out after ${elapsed} milliseconds`);
        }
      }
      elapsed += c.dnsTimeout ? RESOLVER_GIVEUP_MS : 2;
      return finishFail(6, `Could not resolve host: ${url.host}`);
    }
    if (isName && o.verbose && fl.resolvedLines) {
      // a dual-stack name lists its AAAA answers too (-4/-6 ask for one family: the other is "(none)");
      // where the walk carries IPv6 (carriesIPv6) curl tries the AAAA answer first, elsewhere the A answer
      const list = (xs: string[] | undefined) => (xs?.length ? xs.join(', ') : '(none)');
      stderr += `* Host ${url.host}:${url.port} was resolved.\n* IPv6: ${o.ipv4 ? '(none)' : list(c.resolution?.addresses6)}\n* IPv4: ${o.ipv6 ? '(none)' : list(c.resolution?.addresses ?? [address])}\n`;
    }
    if (failed6) {
      verbose(`*   Trying [${failed6.address}]:${url.port}...\n`);
      if (failed6.outcome === 'timeout') elapsed += 200; // CURL_HET_DEFAULT: the next family after 200 ms
      // cf-socket.c cf_tcp_connect: connect() itself failed ("Immediate connect fail for %s: %s")
      else if (failed6.netUnreachable) verbose(`* Immediate connect fail for ${failed6.address}: ${netUnreachText(cluster, ctx.host)}\n`);
      else verbose(`* connect to ${failed6.address} port ${url.port}${fl.v8 ? ` from ${hostIp6(cluster, ctx.host)} port ${failed6.sport ?? 0}` : ''} failed: ${failed6.outcome === 'refused' ? 'Connection refused' : hostUnreachText(cluster, ctx.host)}\n`);
    }
    // lib/cf-socket.c: an IPv6 peer is written in brackets ("Trying [%s]:%d...")
    verbose(six ? `*   Trying [${address}]:${url.port}...\n` : `*   Trying ${address}:${url.port}...\n`);
    const src = six ? hostIp6(cluster, ctx.host) : hostIp(cluster, ctx.host);
    const oneWay = c.latencyMs ?? 0.1;
    const limit = (() => {
      const ct = o.connectTimeout !== undefined && o.connectTimeout > 0 ? o.connectTimeout * 1000 : undefined;
      const mt = o.maxTime !== undefined && o.maxTime > 0 ? o.maxTime * 1000 : undefined;
      if (ct !== undefined && (mt === undefined || ct <= mt)) return { ms: ct, kind: 'connect' as const };
      if (mt !== undefined) return { ms: mt, kind: 'max' as const };
      return undefined;
    })();
    if (c.outcome === 'timeout') {
      // a limit longer than the kernel's SYN retries never fires: the kernel gives up first
      if (!limit || limit.ms > KERNEL_SYN_GIVEUP_MS) {
        if (ctx.interactive) return { stdout, stderr, exitCode: 0, elapsedMs: elapsed, hang: { url, address, port: url.port } };
        elapsed += KERNEL_SYN_GIVEUP_MS + 1000 + cluster.rng.int(1000);
        verbose(`* connect to ${address} port ${url.port}${fl.v8 ? ` from ${src} port ${c.sourcePort ?? 0}` : ''} failed: ${timedOutText(cluster, ctx.host)}\n`);
        return finishFail(28, `Failed to connect to ${bare(url.host)} port ${url.port} after ${elapsed} ms: ${fl.couldnt}`);
      }
      elapsed += limit.ms + 1 + cluster.rng.int(3);
      if (limit.kind === 'connect') return finishFail(28, `Failed to connect to ${bare(url.host)} port ${url.port} after ${elapsed} ms: Timeout was reached`);
      return finishFail(28, `Connection timed out after ${elapsed} milliseconds`);
    }
    if (c.netUnreachable) {
      verbose(`* Immediate connect fail for ${address}: ${netUnreachText(cluster, ctx.host)}\n`);
      return finishFail(7, `Failed to connect to ${bare(url.host)} port ${url.port} after ${elapsed} ms: ${fl.couldnt}`);
    }
    if (c.outcome === 'refused' || c.outcome === 'unreachable') {
      // Curl_strerror: the C library's strerror_r text (musl's in Alpine images, errno.ts)
      const errno = c.outcome === 'refused' ? 'Connection refused' : hostUnreachText(cluster, ctx.host);
      elapsed += c.outcome === 'refused' ? Math.floor(oneWay * 2) : 3000 + cluster.rng.int(100);
      verbose(`* connect to ${address} port ${url.port}${fl.v8 ? ` from ${src} port ${c.sourcePort ?? 0}` : ''} failed: ${errno}\n`);
      return finishFail(7, `Failed to connect to ${bare(url.host)} port ${url.port} after ${elapsed} ms: ${fl.couldnt}`);
    }
    // Connected.
    elapsed += Math.max(1, Math.round(oneWay * 4));
    wvars.remote_ip = address;
    wvars.remote_port = String(url.port);
    wvars.local_ip = src;
    wvars.num_connects = '1';
    verbose(`* Connected to ${bare(url.host)} (${address}) port ${url.port}${fl.v8 ? '' : ' (#0)'}\n`);
    // ingress-nginx offers h2 over TLS (ALPN), and curl prefers it.
    const h2 = url.scheme === 'https' && (ex.listener?.app === 'ingress-nginx' || ex.listener?.app === 'envoy-gateway');
    if (url.scheme === 'https') {
      if (ex.tlsError) {
        verbose('* ALPN: curl offers h2,http/1.1\n* TLSv1.3 (OUT), TLS handshake, Client hello (1):\n');
        return finishFail(35, `OpenSSL/${opensslOf(version)}: error:0A00010B:SSL routines::wrong version number`);
      }
      const tls = tlsSession(ctx, o, url.host, ex.cert?.chain ?? [], h2, version);
      // a running tcpdump sees the session's TLS records (tcpdump/wire.ts tlsFlights), not plaintext
      const leaf = ex.cert?.chain[0];
      if (ex.conn.outcome === 'delivered' && leaf) {
        const resp = ex.response && !ex.response.empty ? httpWire(`HTTP/1.1 ${ex.response.status} ${ex.response.reason}`, ex.response.headers, ex.response.body).bytes : undefined;
        noteTls(ctx.cluster, ex.conn, {
          chain: (ex.cert?.chain ?? []).map((c) => c.der.length), sigBytes: Math.ceil(leaf.publicKey.bits / 8), sni: !isDottedQuad(url.host), alpn: h2 ? 'h2' : 'http/1.1',
          ...(tls.fail ? { abort: tls.closeNotify ? 'close' : 'alert' } : { request: httpWire(`${method} ${url.path} HTTP/1.1`, headers, body).bytes, response: resp }),
        });
      }
      stderr += o.verbose ? tls.verbose : '';
      if (tls.fail) {
        const { code, msg } = tls.fail;
        if (o.verbose) stderr += `* ${msg}\n`;
        // lib/url.c conn_shutdown ("Closing connection", 8.0–8.10; 7.x adds the id; 8.11's
        // conncache.c says "closing connection #0"), then the close_notify of a finished handshake.
        if (o.verbose) stderr += `* ${atLeast(version, '8.11.0') ? 'closing connection #0' : fl.v8 ? 'Closing connection' : 'Closing connection 0'}\n${tls.closeNotify ? '* TLSv1.3 (OUT), TLS alert, close notify (256):\n' : ''}`;
        wvars.exitcode = String(code);
        wvars.errormsg = msg;
        if (o.writeOut) stdout += writeOut(o.writeOut, wvars);
        if (showErr) stderr += `curl: (${code}) ${msg}\n${code === 60 ? SSLCERTS_ADVICE : ''}`;
        return { stdout, stderr, exitCode: code, elapsedMs: elapsed };
      }
    }
    if (o.verbose) {
      // lib/http.c output_auth_headers, after the protocol is chosen and before the request goes out
      const authLine = o.user !== undefined && !o.headers.some(([k]) => k.toLowerCase() === 'authorization') ? `* Server auth using Basic with user '${o.user.split(':')[0]}'\n` : '';
      if (h2) {
        if (fl.resolvedLines) stderr += '* using HTTP/2\n';
        stderr += authLine;
        if (fl.v8) {
          // lib/http2.c: the request's pseudo-headers and headers as the stream opens.
          const authority = url.explicitPort ? `${url.host}:${url.port}` : url.host;
          stderr += `* [HTTP/2] [1] OPENED stream for ${url.scheme}://${authority}${url.path}\n* [HTTP/2] [1] [:method: ${method}]\n* [HTTP/2] [1] [:scheme: https]\n* [HTTP/2] [1] [:authority: ${headers.find(([k]) => k === 'Host')?.[1] ?? authority}]\n* [HTTP/2] [1] [:path: ${url.path}]\n`;
          for (const [k, v] of headers) if (k !== 'Host') stderr += `* [HTTP/2] [1] [${k.toLowerCase()}: ${v}]\n`;
        }
      } else {
        if (fl.resolvedLines) stderr += '* using HTTP/1.x\n';
        stderr += authLine;
      }
      stderr += `> ${method} ${url.path} ${h2 ? 'HTTP/2' : 'HTTP/1.1'}\r\n`;
      for (const [k, v] of headers) stderr += `> ${k}: ${v}\r\n`;
      stderr += '> \r\n';
      if (fl.resolvedLines) stderr += '* Request completely sent off\n';
    }
    // proxies in the path (controllers/istio): time they held the request, a reset instead of a reply
    if (ex.extraMs) {
      const mt = o.maxTime !== undefined && o.maxTime > 0 ? o.maxTime * 1000 : undefined;
      if (mt !== undefined && elapsed + ex.extraMs > mt) {
        elapsed = Math.max(elapsed, mt) + 1 + cluster.rng.int(3);
        return finishFail(28, `Operation timed out after ${elapsed} milliseconds with 0 bytes received`);
      }
      elapsed += Math.round(ex.extraMs);
    }
    if (ex.reset) return finishFail(56, 'Recv failure: Connection reset by peer');
    const r = ex.response;
    // lib/http.c: bytes that cannot begin "HTTP/" are an HTTP/0.9 reply, refused by default (CURLE_UNSUPPORTED_PROTOCOL)
    if (r?.raw) return finishFail(1, 'Received HTTP/0.9 when not allowed');
    if (!r || r.empty) return finishFail(52, 'Empty reply from server');
    // HTTP/2 has no reason phrase (curl prints "HTTP/2 200 "), lower-case header names and no
    // connection-specific headers.
    const statusLine = h2 ? `HTTP/2 ${r.status} ` : `HTTP/${r.httpVersion ?? '1.1'} ${r.status} ${r.reason}`;
    const respHeaders: [string, string][] = h2 ? r.headers.filter(([k]) => !['connection', 'keep-alive', 'transfer-encoding'].includes(k.toLowerCase())).map(([k, v]) => [k.toLowerCase(), v]) : r.headers;
    const headerBlock = `${statusLine}\r\n${respHeaders.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    if (o.verbose) {
      stderr += `< ${statusLine}\r\n`;
      for (const [k, v] of respHeaders) stderr += `< ${k}: ${v}\r\n`;
      stderr += '< \r\n';
    }
    const location = r.headers.find(([k]) => k.toLowerCase() === 'location')?.[1];
    if (o.location && location && r.status >= 300 && r.status < 400 && redirects < 50) {
      if (o.include || o.head) stdout += headerBlock;
      verbose(`* Ignoring the response-body\n* Connection #0 to host ${bare(url.host)} left intact\n* Issue another request to this URL: '${location}'\n`);
      const next = parseUrl(location.startsWith('/') ? `${url.scheme}://${url.explicitPort ? `${url.host}:${url.port}` : url.host}${location}` : location);
      if ('error' in next) return finishFail(3, 'URL rejected: Malformed input to a URL function');
      url = next;
      redirects++;
      continue;
    }
    wvars.http_code = wvars.response_code = String(r.status).padStart(3, '0');
    wvars.content_type = r.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    wvars.url_effective = `${url.scheme}://${url.explicitPort ? `${url.host}:${url.port}` : url.host}${url.path}`;
    if (o.fail && r.status >= 400) {
      verbose(`* The requested URL returned error: ${r.status}\n${fl.v8 ? '* closing connection #0' : '* Closing connection 0'}\n`);
      wvars.exitcode = '22';
      if (o.writeOut) stdout += writeOut(o.writeOut, wvars);
      if (showErr) stderr += `curl: (22) The requested URL returned error: ${r.status}\n`;
      return { stdout, stderr, exitCode: 22, elapsedMs: elapsed };
    }
    const bodyOut = method === 'HEAD' ? '' : r.body;
    wvars.size_download = String(new TextEncoder().encode(bodyOut).length);
    wvars.time_total = ((elapsed + 1) / 1000).toFixed(6);
    let content = (o.head || o.include ? headerBlock : '') + bodyOut;
    const file = o.output ?? (o.remoteName ? url.path.split('?')[0].split('/').pop() ?? '' : undefined);
    if (o.remoteName && !o.output && !file) return finishFail(23, 'Remote file name has no length');
    if (file !== undefined && file !== '-') {
      const path = file.startsWith('/') ? file : `${ctx.cwd.replace(/\/$/, '')}/${file}`;
      if (file !== '/dev/null') cluster.fs.write(ctx.host, path, content);
      if (o.verbose && bodyOut) stderr += `{ [${wvars.size_download} bytes data]\n`;
      if (meter) stderr += progressDone(Number(wvars.size_download), elapsed + 1);
      content = '';
    }
    stdout += content;
    verbose(`* Connection #0 to host ${bare(url.host)} left intact\n`);
    if (o.writeOut) stdout += writeOut(o.writeOut, wvars);
    return { stdout, stderr, exitCode: 0, elapsedMs: elapsed };
  }
}

/**
 * The OpenSSL a curl build links: Ubuntu 24.04's curl 8.5.0 has 3.0.13, Debian 12's 7.88.1
 * has 3.0.15, the Alpine-based images (curlimages/curl, netshoot, agnhost) 3.3.
 */
function opensslOf(curlVersion: string): string {
  if (curlVersion === '8.5.0') return '3.0.13';
  if (!atLeast(curlVersion, '8.0.0')) return '3.0.15';
  return '3.3.2';
}

/** What curl prints after a failed certificate check (src/tool_operate.c). */
const SSLCERTS_ADVICE = 'More details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the webpage mentioned above.\n';

/** The TLS alert OpenSSL sends when it rejects the peer's chain (ssl/statem ssl_x509err2alert), as curl's trace names it. */
function rejectAlert(code: number): string {
  if (code === 10) return 'certificate expired (557)';
  if (code === 9) return 'bad certificate (554)';
  return 'unknown CA (560)';
}

/** OpenSSL's security bits for an RSA modulus (crypto/rsa/rsa_lib.c ossl_ifc_ffc_compute_security_bits). */
function rsaSecurityBits(bits: number): number {
  if (bits >= 15360) return 256;
  if (bits >= 7680) return 192;
  if (bits >= 3072) return 128;
  if (bits >= 2048) return 112;
  if (bits >= 1024) return 80;
  return 0;
}

/**
 * curl 8.5 with OpenSSL (lib/vtls/openssl.c): the handshake trace, then servercert() —
 * subject, dates, Curl_ossl_verifyhost (SANs; the CN only when there are none), issuer,
 * the verify result and infof_certstack. Verification runs inside the handshake: with
 * verifypeer on (no -k) a chain that does not lead to a trusted CA (the system store, or
 * --cacert's file) aborts right after the Certificate message with "SSL certificate
 * problem: …"; -k turns off both the chain check and the host check.
 */
function tlsSession(ctx: CommandContext, o: CurlOpts, host: string, chain: Certificate[], h2: boolean, version: string): { verbose: string; fail?: { code: number; msg: string }; closeNotify?: boolean } {
  // 7.88 says "ALPN: offers", has a two-field "SSL connection using" and no infof_certstack;
  // the name in a host mismatch is bare through 8.6, "host name …" in 8.7, "hostname …" from 8.9.
  const v8 = atLeast(version, '8.0.0');
  const ip = isDottedQuad(host);
  const tname = atLeast(version, '8.9.0') ? (ip ? 'ipv4 address' : 'hostname') : atLeast(version, '8.7.0') ? (ip ? 'ipv4 address' : 'host name') : '';
  const targetName = tname || 'host name';
  let v = `* ALPN: ${v8 ? 'curl offers' : 'offers'} h2,http/1.1\n* TLSv1.3 (OUT), TLS handshake, Client hello (1):\n`;
  let trusted: Certificate[] = [];
  if (!o.insecure) {
    const caFile = o.cacert ?? '/etc/ssl/certs/ca-certificates.crt';
    if (o.cacert !== undefined) {
      const path = o.cacert.startsWith('/') ? o.cacert : `${ctx.cwd.replace(/\/$/, '')}/${o.cacert}`;
      const text = ctx.cluster.fs.read(ctx.host, path);
      trusted = text === undefined ? [] : readBundle(text);
      if (!trusted.length) return { verbose: v, fail: { code: 77, msg: `error setting certificate file: ${o.cacert}` } };
    }
    v += `*  CAfile: ${caFile}\n*  CApath: /etc/ssl/certs\n`;
  }
  v += '* TLSv1.3 (IN), TLS handshake, Server hello (2):\n* TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):\n* TLSv1.3 (IN), TLS handshake, Certificate (11):\n';
  const leaf = chain[0];
  const r = verifyChain(chain, trusted, ctx.cluster.clock.now());
  if (!o.insecure && r.code !== 0) {
    v += `* TLSv1.3 (OUT), TLS alert, ${rejectAlert(r.code)}:\n`;
    return { verbose: v, fail: { code: 60, msg: `SSL certificate problem: ${r.text}` } };
  }
  v += '* TLSv1.3 (IN), TLS handshake, CERT verify (15):\n* TLSv1.3 (IN), TLS handshake, Finished (20):\n* TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):\n* TLSv1.3 (OUT), TLS handshake, Finished (20):\n';
  // The group's name: OBJ_nid2sn ("X25519") before OpenSSL 3.2, SSL_get0_group_name ("x25519") after.
  const group = atLeast(opensslOf(version), '3.2.0') ? 'x25519' : 'X25519';
  v += v8 ? `* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384 / ${group} / RSASSA-PSS\n` : '* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384\n';
  v += `* ALPN: server accepted ${h2 ? 'h2' : 'http/1.1'}\n`;
  v += `* Server certificate:\n*  subject: ${nameCurl(leaf.subject)}\n*  start date: ${asn1Time(leaf.notBefore)}\n*  expire date: ${asn1Time(leaf.notAfter)}\n`;
  if (!o.insecure) {
    const sans = subjectAltNames(leaf);
    const match = sans.find((g) => (ip ? g.type === 'IP' && g.value === host : g.type === 'DNS' && hostMatchesPattern(g.value, host)));
    if (match) v += ip ? `*  subjectAltName: host "${host}" matched cert's IP address!\n` : `*  subjectAltName: host "${host}" matched cert's "${match.value}"\n`;
    else if (sans.some((g) => g.type === 'DNS' || g.type === 'IP')) {
      v += `*  subjectAltName does not match ${tname ? `${tname} ` : ''}${host}\n`;
      return { verbose: v, fail: { code: 60, msg: `SSL: no alternative certificate subject name matches target ${targetName} '${host}'` }, closeNotify: true };
    } else {
      const cn = commonName(leaf.subject);
      if (cn === undefined) return { verbose: v, fail: { code: 60, msg: 'SSL: unable to obtain common name from peer certificate' }, closeNotify: true };
      if (!hostMatchesPattern(cn, host)) return { verbose: v, fail: { code: 60, msg: `SSL: certificate subject name '${cn}' does not match target ${atLeast(version, '8.9.0') ? 'hostname' : 'host name'} '${host}'` }, closeNotify: true };
      v += `*  common name: ${cn} (matched)\n`;
    }
  }
  v += `*  issuer: ${nameCurl(leaf.issuer)}\n`;
  v += r.code === 0 ? '*  SSL certificate verify ok.\n' : `*  SSL certificate verify result: ${r.last.text} (${r.last.code}), continuing anyway.\n`;
  const stack = !v8 ? [] : r.code === 0 ? r.path : chain;
  stack.forEach((c, i) => {
    v += `*   Certificate level ${i}: Public key type RSA (${c.publicKey.bits}/${rsaSecurityBits(c.publicKey.bits)} Bits/secBits), signed using ${algorithmName(c.signatureAlgorithm)}\n`;
  });
  return { verbose: v };
}

export const curlCommand: CommandSpec = {
  name: 'curl',
  summary: 'transfer a URL',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const o = parseArgs(args);
    if ('error' in o) return { stdout: '', stderr: o.error, exitCode: o.code };
    if (o.versionInfo) return { stdout: curlVersionInfo(ctx.cluster, ctx.host), stderr: '', exitCode: 0 };
    if (o.urls.length === 0) {
      return { stdout: '', stderr: "curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n", exitCode: 2 };
    }
    const version = curlVersion(ctx.cluster, ctx.host);
    const cmdline = ['curl', ...args].join(' ');
    let stdout = '';
    let stderr = '';
    let code = 0;
    for (let i = 0; i < o.urls.length; i++) {
      const a = runCurl(ctx, o, o.urls[i], version, cmdline);
      stdout += a.stdout;
      stderr += a.stderr;
      if (a.hang) {
        // No timeout and nothing answers: the terminal waits (curl's connect timeout is 300 s,
        // the kernel gives up on the SYN after ~127 s) until the learner presses Ctrl+C.
        return hangingCurl(ctx, o, a, stdout, stderr);
      }
      ctx.cluster.advance(a.elapsedMs);
      if (a.exitCode !== 0) code = a.exitCode;
    }
    return { stdout, stderr, exitCode: code };
  },
};

function hangingCurl(ctx: CommandContext, o: CurlOpts, a: Attempt, stdout: string, stderr: string): Streaming {
  let waited = 0;
  const hang = a.hang!;
  return {
    streaming: true,
    stdout,
    stderr,
    intervalMs: 1000,
    step() {
      // the shell has moved the clock by intervalMs before each step
      waited += 1000;
      if (waited >= KERNEL_SYN_GIVEUP_MS) {
        const ms = waited + ctx.cluster.rng.int(1000);
        let err = '';
        const couldnt = flavour(curlVersion(ctx.cluster, ctx.host)).couldnt;
        if (o.verbose) err += `* connect to ${hang.address} port ${hang.port} failed: ${timedOutText(ctx.cluster, ctx.host)}\n* Failed to connect to ${bare(hang.url.host)} port ${hang.port} after ${ms} ms: ${couldnt}\n`;
        if (!o.silent || o.showError) err += `curl: (28) Failed to connect to ${bare(hang.url.host)} port ${hang.port} after ${ms} ms: ${couldnt}\n`;
        return { stderr: err, done: true, exitCode: 28 };
      }
      return {};
    },
    interrupt() {
      return { exitCode: 130 };
    },
  };
}
