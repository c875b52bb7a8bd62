/**
 * kubectl proxy — k8s.io/kubectl v0.34 pkg/cmd/proxy/proxy.go: an HTTP server on the
 * workstation (127.0.0.1:8001 by default, --port/-p, --address; port 0 takes a free one)
 * that sends each request on to the API server with the kubeconfig's credentials;
 * "Starting to serve on %s" (l.Addr()) once it listens, then it runs until stopped (a
 * streaming job like port-forward: `kubectl proxy &`). A port already taken fails as
 * net.Listen does: `error: listen tcp 127.0.0.1:8001: bind: address already in use`.
 *
 * The requests are answered by rest.ts (the API server's GET paths) as the server answers
 * curl (pretty JSON); the default filter (pkg/proxy/proxy_server.go DefaultHostAcceptRE,
 * DefaultPathRejectRE) refuses other Host headers and exec/attach paths with "Forbidden"
 * (403); writes (POST, PUT, PATCH, DELETE) are not modelled here.
 */
import type { CommandOutcome, Streaming } from '../../types';
import type { HttpRequest, HttpResponse } from '../../dataplane/apps';
import { addressInUse, closeForward, openForward } from '../../dataplane/port-forward';
import { isDottedQuad } from '../../cluster/ipv4';
import { flagBool, flagInt, flagString, type FlagDef } from './flags';
import { KubectlError, type Kctx } from './common';
import { restGet } from './rest';

export const PROXY_FLAGS: FlagDef[] = [
  { long: 'port', short: 'p', type: 'int' },
  { long: 'address', type: 'string' },
  { long: 'www', short: 'w', type: 'string' },
  { long: 'www-prefix', short: 'P', type: 'string' },
  { long: 'api-prefix', type: 'string' },
  { long: 'accept-paths', type: 'string' },
  { long: 'reject-paths', type: 'string' },
  { long: 'accept-hosts', type: 'string' },
  { long: 'reject-methods', type: 'string' },
  { long: 'disable-filter', type: 'bool' },
  { long: 'unix-socket', short: 'u', type: 'string' },
  { long: 'keepalive', type: 'string' },
  { long: 'append-server-path', type: 'bool' },
];

/** http.Date: `Mon, 02 Jan 2006 15:04:05 GMT`. */
function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

export function runProxy(k: Kctx): CommandOutcome {
  const f = k.flags;
  if (f.positional.length > 0) throw new KubectlError(`error: unknown command "${f.positional[0]}" for "kubectl proxy"`);
  const port = flagInt(f, 'port') ?? 8001;
  const address = flagString(f, 'address') ?? '127.0.0.1';
  if (flagString(f, 'unix-socket')) throw new KubectlError('error: kubectl proxy --unix-socket is not simulated here');
  if (port !== 8001 && flagString(f, 'unix-socket')) throw new KubectlError("error: Don't specify both --unix-socket and --port");
  const cluster = k.cluster;
  const host = k.ctx.host.kind === 'workstation' ? 'workstation' : 'other';
  // net.Listen("tcp", address:port)
  if (!isDottedQuad(address) && address !== 'localhost') throw new KubectlError(`error: listen tcp: lookup ${address}: no such host`);
  const ip = address === 'localhost' ? '127.0.0.1' : address;
  const bindable = ip === '0.0.0.0' || ip.startsWith('127.');
  if (port < 0 || port > 65535) throw new KubectlError(`error: listen tcp: address ${port}: invalid port`);
  let local = port;
  if (local === 0) {
    do local = 32768 + cluster.rng.int(28232);
    while (addressInUse(cluster, ip, local, host));
  }
  if (!bindable) throw new KubectlError(`error: listen tcp ${ip}:${local}: bind: cannot assign requested address`);
  if (host === 'workstation' && local < 1024) throw new KubectlError(`error: listen tcp ${ip}:${local}: bind: permission denied`);
  if (addressInUse(cluster, ip, local, host)) throw new KubectlError(`error: listen tcp ${ip}:${local}: bind: address already in use`);

  const hostOk = (h: string) => /^localhost$|^127\.0\.0\.1$|^\[::1\]$/.test(h);
  const serve = (req: HttpRequest): HttpResponse => {
    const date: [string, string] = ['Date', httpDate(cluster.clock.now())];
    const hostHeader = (req.headers.find(([n]) => n.toLowerCase() === 'host')?.[1] ?? '').replace(/:\d+$/, '');
    const path = req.path.split('?')[0];
    const rejectedPath = /^\/api\/.*\/pods\/.*\/exec|^\/api\/.*\/pods\/.*\/attach/.test(path);
    // --reject-methods defaults to ^$: no method is refused by the filter
    if (!flagBool(f, 'disable-filter') && (!hostOk(hostHeader) || rejectedPath)) {
      // proxy_server.go FilterServer.ServeHTTP: http.StatusForbidden, "Forbidden"
      return { status: 403, reason: 'Forbidden', headers: [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff'], date, ['Content-Length', '10']], body: 'Forbidden\n' };
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const body = `netlab: ${req.method} through kubectl proxy is not simulated here\n`;
      return { status: 501, reason: 'Not Implemented', headers: [date, ['Content-Type', 'text/plain; charset=utf-8'], ['Content-Length', String(body.length)]], body };
    }
    const ua = req.headers.find(([n]) => n.toLowerCase() === 'user-agent')?.[1] ?? '';
    const r = restGet(cluster, req.path, /^(curl|Wget|Mozilla\/5\.0)/.test(ua));
    const reason = r.status === 200 ? 'OK' : r.status === 404 ? 'Not Found' : r.status === 501 ? 'Not Implemented' : 'Error';
    const headers: [string, string][] = [
      ['Audit-Id', cluster.api.uid()],
      ['Cache-Control', 'no-cache, private'],
      ['Content-Type', r.contentType],
      date,
    ];
    if (r.contentType.startsWith('text/plain')) headers.push(['X-Content-Type-Options', 'nosniff']);
    headers.push(['Content-Length', String(new TextEncoder().encode(r.body).length)]);
    return { status: r.status, reason, headers, body: req.method === 'HEAD' ? '' : r.body };
  };
  const fw = openForward(cluster, { addresses: [ip], local, remote: 0, namespace: '', pod: '', uid: '', host, connections: [], api: serve });
  const stream: Streaming = {
    streaming: true,
    stdout: `Starting to serve on ${ip}:${local}\n`,
    stderr: '',
    intervalMs: 1000,
    step: () => ({}),
    interrupt: () => {
      closeForward(fw);
      return { exitCode: 0 };
    },
  };
  return stream;
}
