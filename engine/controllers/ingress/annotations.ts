/**
 * The nginx.ingress.kubernetes.io/* annotations of one Ingress, parsed as ingress-nginx
 * v1.12.0's annotation parsers parse them (internal/ingress/annotations/<name>/main.go):
 * a missing or invalid value (its Validator: parser.ValidateInt/ValidateBool/ValidateRegex/
 * ValidateOptions) falls back to the ConfigMap's default (defaults.Backend) or the parser's
 * own default. Only the parsers whose result the simulation renders or acts on are here:
 * rewrite, proxy, ratelimit, backendprotocol, log, portinredirect, upstreamvhost,
 * connection, xforwardedprefix, clientbodybuffersize, canary.
 */
import type { KubeObject } from '../../cluster/types';
import type { NginxConfiguration } from './config';
import { formatIPv4, parseCidr, parseIPv4 } from '../../cluster/ipv4';

export const ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io/';

export interface RateLimitZone {
  name: string;
  limit: number;
  burst: number;
  sharedSize: number;
}

/** annotations/ratelimit Config. */
export interface RateLimit {
  connections: RateLimitZone;
  rps: RateLimitZone;
  rpm: RateLimitZone;
  limitRate: number;
  limitRateAfter: number;
  name: string;
  id: string;
  allowlist: string[];
}

/** annotations/proxy Config. */
export interface ProxyConfig {
  bodySize: string;
  connectTimeout: number;
  sendTimeout: number;
  readTimeout: number;
  buffersNumber: number;
  bufferSize: string;
  cookieDomain: string;
  cookiePath: string;
  nextUpstream: string;
  nextUpstreamTimeout: number;
  nextUpstreamTries: number;
  proxyRedirectFrom: string;
  proxyRedirectTo: string;
  requestBuffering: string;
  proxyBuffering: string;
  proxyHTTPVersion: string;
  proxyMaxTempFileSize: string;
}

/** annotations/rewrite Config. */
export interface RewriteConfig {
  target: string;
  sslRedirect: boolean;
  forceSSLRedirect: boolean;
  preserveTrailingSlash: boolean;
  useRegex: boolean;
  appRoot: string;
}

export interface IngressAnnotations {
  rewrite: RewriteConfig;
  proxy: ProxyConfig;
  rateLimit: RateLimit;
  backendProtocol: string;
  logs: { access: boolean; rewrite: boolean };
  usePortInRedirects: boolean;
  upstreamVhost: string;
  connection: { enabled: boolean; header: string };
  xForwardedPrefix: string;
  clientBodyBufferSize: string;
  canary: boolean;
}

const SIZE = /^\d+[bkmgBKMG]?$/;
const ALNUM = String.raw`\-._~a-zA-Z0-9/:`;
const REGEX_PATH_WITH_CAPTURE = new RegExp(String.raw`^/?[${ALNUM}/$]*$`);
const URL_IS_VALID = new RegExp(String.raw`^[${ALNUM},:?&=]*$`);
const BASIC_CHARS = new RegExp(String.raw`^[/${ALNUM}]*$`);

type Validator = (v: string) => boolean;
const isInt: Validator = (v) => /^[+-]?\d+$/.test(v);
const isBool: Validator = (v) => ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v);
const options =
  (opts: string[], caseSensitive: boolean): Validator =>
  (v) =>
    opts.some((o) => (caseSensitive ? o === v.trim() : o.toLowerCase() === v.trim().toLowerCase()));
const matches =
  (re: RegExp): Validator =>
  (v) =>
    re.test(v);

/** Go's encoding/base64 URLEncoding without the padding (ratelimit encode). */
function base64Url(s: string): string {
  const bytes = new TextEncoder().encode(s);
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += A[(n >> 18) & 63] + A[(n >> 12) & 63] + (i + 1 < bytes.length ? A[(n >> 6) & 63] : '') + (i + 2 < bytes.length ? A[n & 63] : '');
  }
  return out;
}

/** internal/net ParseCIDRs: IPs as given, CIDRs as their network, sorted and deduplicated (entries that do not parse are left out). */
function parseCIDRs(s: string): string[] {
  const out = new Set<string>();
  for (const v of s.split(',').map((x) => x.trim())) {
    if (!v.includes('/')) {
      if (parseIPv4(v) !== undefined) out.add(v);
      continue;
    }
    const c = parseCidr(v);
    if (c) out.add(`${formatIPv4(c.network)}/${c.prefix}`);
  }
  return [...out].sort();
}

const emptyZone = (): RateLimitZone => ({ name: '', limit: 0, burst: 0, sharedSize: 0 });

/** What every parser returns for an Ingress without annotations. */
export function parseAnnotations(ing: KubeObject | undefined, cfg: NginxConfiguration): IngressAnnotations {
  const an: Record<string, string> = ing?.metadata.annotations ?? {};
  const raw = (k: string, v?: Validator): string | undefined => {
    const x = an[ANNOTATION_PREFIX + k];
    if (x === undefined) return undefined;
    return !v || v(x) ? x : undefined;
  };
  const str = (k: string, def: string, v?: Validator) => raw(k, v) ?? def;
  const int = (k: string, def: number) => {
    const x = raw(k, isInt);
    return x === undefined ? def : Number(x);
  };
  const bool = (k: string, def: boolean) => {
    const x = raw(k, isBool);
    return x === undefined ? def : ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(x);
  };

  const rpm = int('limit-rpm', 0);
  const rps = int('limit-rps', 0);
  const conn = int('limit-connections', 0);
  const mult = int('limit-burst-multiplier', 5);
  const lr = int('limit-rate', cfg.limitRate);
  const lra = int('limit-rate-after', cfg.limitRateAfter);
  let rateLimit: RateLimit = { connections: emptyZone(), rps: emptyZone(), rpm: emptyZone(), limitRate: lr, limitRateAfter: lra, name: '', id: '', allowlist: [] };
  if (ing && (rpm || rps || conn)) {
    const zone = `${ing.metadata.namespace ?? 'default'}_${ing.metadata.name}_${ing.metadata.uid ?? ''}`;
    const allow = raw('limit-allowlist') ?? raw('limit-whitelist') ?? '';
    rateLimit = {
      connections: { name: `${zone}_conn`, limit: conn, burst: conn * mult, sharedSize: 5 },
      rps: { name: `${zone}_rps`, limit: rps, burst: rps * mult, sharedSize: 5 },
      rpm: { name: `${zone}_rpm`, limit: rpm, burst: rpm * mult, sharedSize: 5 },
      limitRate: lr,
      limitRateAfter: lra,
      name: zone,
      id: base64Url(zone),
      allowlist: parseCIDRs(allow),
    };
  }

  return {
    rewrite: {
      target: str('rewrite-target', '', matches(REGEX_PATH_WITH_CAPTURE)),
      sslRedirect: bool('ssl-redirect', cfg.sslRedirect),
      forceSSLRedirect: bool('force-ssl-redirect', cfg.forceSSLRedirect),
      preserveTrailingSlash: bool('preserve-trailing-slash', cfg.preserveTrailingSlash),
      useRegex: bool('use-regex', false),
      // url.ParseRequestURI: an absolute path, not a URL with a scheme
      appRoot: ((v) => (v.startsWith('/') ? v : ''))(str('app-root', '', matches(REGEX_PATH_WITH_CAPTURE))),
    },
    proxy: {
      connectTimeout: int('proxy-connect-timeout', cfg.proxyConnectTimeout),
      sendTimeout: int('proxy-send-timeout', cfg.proxySendTimeout),
      readTimeout: int('proxy-read-timeout', cfg.proxyReadTimeout),
      buffersNumber: int('proxy-buffers-number', cfg.proxyBuffersNumber),
      bufferSize: str('proxy-buffer-size', cfg.proxyBufferSize, matches(SIZE)),
      cookiePath: str('proxy-cookie-path', cfg.proxyCookiePath, matches(URL_IS_VALID)),
      cookieDomain: str('proxy-cookie-domain', cfg.proxyCookieDomain, matches(BASIC_CHARS)),
      bodySize: str('proxy-body-size', cfg.proxyBodySize, matches(SIZE)),
      nextUpstream: str('proxy-next-upstream', cfg.proxyNextUpstream, matches(/^((error|timeout|invalid_header|http_500|http_502|http_503|http_504|http_403|http_404|http_429|non_idempotent|off)\s?)+$/)),
      nextUpstreamTimeout: int('proxy-next-upstream-timeout', cfg.proxyNextUpstreamTimeout),
      nextUpstreamTries: int('proxy-next-upstream-tries', cfg.proxyNextUpstreamTries),
      requestBuffering: str('proxy-request-buffering', cfg.proxyRequestBuffering, options(['on', 'off'], true)),
      proxyRedirectFrom: str('proxy-redirect-from', cfg.proxyRedirectFrom, matches(URL_IS_VALID)),
      proxyRedirectTo: str('proxy-redirect-to', cfg.proxyRedirectTo, matches(URL_IS_VALID)),
      proxyBuffering: str('proxy-buffering', cfg.proxyBuffering, options(['on', 'off'], true)),
      proxyHTTPVersion: str('proxy-http-version', cfg.proxyHTTPVersion, options(['1.0', '1.1'], true)),
      proxyMaxTempFileSize: str('proxy-max-temp-file-size', cfg.proxyMaxTempFileSize, matches(SIZE)),
    },
    rateLimit,
    backendProtocol: ing?.metadata.annotations ? str('backend-protocol', 'HTTP', options(['HTTP', 'HTTPS', 'AUTO_HTTP', 'GRPC', 'GRPCS', 'FCGI'], false)).trim() : 'HTTP',
    logs: { access: bool('enable-access-log', true), rewrite: bool('enable-rewrite-log', false) },
    usePortInRedirects: bool('use-port-in-redirects', cfg.usePortInRedirects),
    upstreamVhost: str('upstream-vhost', '', matches(/^[A-Za-z0-9.\-_:$]*$/)),
    connection: ((h) => ({ enabled: h !== undefined, header: h ?? '' }))(raw('connection-proxy-header', matches(/^(close|keep-alive)$/))),
    xForwardedPrefix: str('x-forwarded-prefix', '', matches(REGEX_PATH_WITH_CAPTURE)),
    clientBodyBufferSize: str('client-body-buffer-size', '', matches(SIZE)),
    canary: bool('canary', false),
  };
}
