/**
 * The nginx.ingress.kubernetes.io/* annotations of one Ingress, parsed as ingress-nginx
 * v1.12.0's annotation parsers parse them (internal/ingress/annotations/<name>/main.go):
 * a missing or invalid value (its Validator: parser.ValidateInt/ValidateBool/ValidateRegex/
 * ValidateOptions) falls back to the ConfigMap's default (defaults.Backend) or the parser's
 * own default. Only the parsers whose result the simulation renders or acts on are here:
 * rewrite, proxy, ratelimit, backendprotocol, log, portinredirect, upstreamvhost,
 * connection, xforwardedprefix, clientbodybuffersize, canary, auth (basic), authreq
 * (external auth), cors, ipallowlist, snippet and serversnippet.
 *
 * annotations.go Extract: a parser's LocationDeniedError denies every location of the
 * Ingress (`Denied`, the first one kept; the template renders `return 503`); a parser's
 * ValidationError, or an annotation riskier than the ConfigMap's annotations-risk-level
 * (High by default: the *-snippet annotations are Critical), makes the store drop the whole
 * Ingress (store.go updateIngress: `klog.Error(err); return`) — see storeRejection.
 */
import type { KubeObject } from '../../cluster/types';
import type { NginxConfiguration } from './config';
import { formatIPv4, parseCidr, parseIPv4 } from '../../cluster/ipv4';
import { fromBase64 } from '../../tls/pem';

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

/** annotations/auth Config (basic only: digest is rendered but its check is not simulated). */
export interface BasicAuthConfig {
  type: string;
  realm: string;
  file: string;
  secured: boolean;
  secret: string;
  /** the htpasswd text the controller wrote to `file` */
  content: string;
}

/** annotations/authreq Config (the fields the template prints). */
export interface ExternalAuthConfig {
  url: string;
  host: string;
  signinURL: string;
  signinURLRedirectParam: string;
  method: string;
  responseHeaders: string[];
  requestRedirect: string;
  alwaysSetCookie: boolean;
  keepaliveShareVars: boolean;
}

/** annotations/cors Config. */
export interface CorsConfig {
  enabled: boolean;
  allowOrigin: string[];
  allowMethods: string;
  allowHeaders: string;
  allowCredentials: boolean;
  exposeHeaders: string;
  maxAge: number;
}

/** What the controller's annotation parsers look up in its store (resolver.Resolver). */
export interface AnnotationResolver {
  secret(namespace: string, name: string): KubeObject | undefined;
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
  basicAuth: BasicAuthConfig;
  externalAuth: ExternalAuthConfig;
  cors: CorsConfig;
  /** annotations/ipallowlist: the sorted CIDRs and IPs (the ConfigMap's whitelist-source-range without the annotation) */
  allowlist: string[];
  configurationSnippet: string;
  serverSnippet: string;
  /** the Ingress's locations are denied (LocationDeniedError's text): `return 503` */
  denied?: string;
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

/** parser.normalizeString: every line trimmed. */
const normalize = (v: string) => v.split('\n').map((l) => l.trim()).join('\n');

const BASIC_CHARS_RE = /^[/\-._~a-zA-Z0-9/:]*$/;
const CHARS_WITH_SPACE = /^[/\-._~a-zA-Z0-9/: ]*$/;
const URL_WITH_NGINX_VARIABLE = /^[\-._~a-zA-Z0-9/:, ,:?&=$]*$/;
const URL_IS_VALID_RE = /^[\-._~a-zA-Z0-9/:,:?&=]*$/;
const HEADERS_VARIABLE = /^[A-Za-z0-9-_, ]*$/;
const CORS_ORIGIN_VALIDATOR = /^(((([a-z]+:\/\/)?(\*\.)?[A-Za-z0-9\-.]*(:\d+)?,?)+)|\*)?$/;
const CORS_ORIGIN = /^([a-z]+:\/\/(\*\.)?[A-Za-z0-9\-.]*(:\d+)?|\*)?$/;
const CORS_METHODS = /^([A-Za-z]+,?\s?)+$/;
const CORS_EXPOSE = /^(([A-Za-z0-9\-_]+|\*),?\s?)+$/;
const HEADER_NAME = /^[a-zA-Z\d\-_]+$/;
const METHODS = /(GET|HEAD|POST|PUT|PATCH|DELETE|CONNECT|OPTIONS|TRACE)/;

/** parser.ValidateRegex(re, removeSpace). */
const validRegex = (re: RegExp, removeSpace: boolean) => (v: string) => re.test(removeSpace ? v.replace(/ /g, '') : v);

/** The annotations of the parsers above whose risk (parser.AnnotationRisk*) is over Medium: the group Extract names. */
const RISKY: [string, 'Critical' | 'High', string][] = [
  ['configuration-snippet', 'Critical', 'ConfigurationSnippet'],
  ['server-snippet', 'Critical', 'ServerSnippet'],
  ['auth-snippet', 'Critical', 'ExternalAuth'],
  ['modsecurity-snippet', 'Critical', 'ModSecurity'],
  ['stream-snippet', 'Critical', 'StreamSnippet'],
  ['auth-url', 'High', 'ExternalAuth'],
  ['auth-signin', 'High', 'ExternalAuth'],
];
const RISK_ORDER = ['low', 'medium', 'high', 'critical'];

/**
 * Why the controller's store does not hold this Ingress at all (annotations.go Extract
 * fails; store.go:938 logs it with klog.Error and returns), or undefined. Extract walks its
 * parsers in Go map order; with several failing groups we name the first of RISKY.
 */
export function storeRejection(ing: KubeObject, cfg: NginxConfiguration, resolver?: AnnotationResolver): string | undefined {
  const an: Record<string, string> = ing.metadata.annotations ?? {};
  const max = Math.max(0, RISK_ORDER.indexOf(cfg.annotationsRiskLevel.toLowerCase()));
  for (const [key, risk, group] of RISKY) {
    if (an[ANNOTATION_PREFIX + key] !== undefined && RISK_ORDER.indexOf(risk.toLowerCase()) > max) return `annotation group ${group} contains risky annotation based on ingress configuration`;
  }
  // auth: a present auth-type that fails its validator is a ValidationError
  const at = an[ANNOTATION_PREFIX + 'auth-type'];
  if (at !== undefined && !/basic|digest/.test(at.replace(/ /g, ''))) return `annotation ${ANNOTATION_PREFIX}auth-type contains invalid value`;
  // auth-realm's validator (CharsWithSpace) failing is a ValidationError too, once auth/main.go has
  // read the Secret (a missing Secret denies the location first)
  const realm = an[ANNOTATION_PREFIX + 'auth-realm'];
  if (at !== undefined && realm !== undefined && realm !== '' && !CHARS_WITH_SPACE.test(realm)) {
    const ns = ing.metadata.namespace ?? 'default';
    const ref = normalize(an[ANNOTATION_PREFIX + 'auth-secret'] ?? '').split('/');
    const [sns, sname] = ref.length === 2 ? [ref[0] || ns, ref[1]] : [ns, ref[0]];
    if (ref.length <= 2 && sname && (sns === ns || cfg.allowCrossNamespaceResources) && resolver?.secret(sns, sname)) return `annotation ${ANNOTATION_PREFIX}auth-realm contains invalid value`;
  }
  return undefined;
}

/** What every parser returns for an Ingress without annotations. */
export function parseAnnotations(ing: KubeObject | undefined, cfg: NginxConfiguration, resolver?: AnnotationResolver): IngressAnnotations {
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
    ...securityAnnotations(ing, an, cfg, resolver),
  };
}

type Security = Pick<IngressAnnotations, 'basicAuth' | 'externalAuth' | 'cors' | 'allowlist' | 'configurationSnippet' | 'serverSnippet' | 'denied'>;

/** auth, authreq, cors, ipallowlist and the snippets (their main.go Parse), with the first LocationDenied reason. */
function securityAnnotations(ing: KubeObject | undefined, an: Record<string, string>, cfg: NginxConfiguration, resolver: AnnotationResolver | undefined): Security {
  let denied: string | undefined;
  const deny = (reason: string) => {
    denied ??= reason;
  };
  /** GetStringAnnotation: undefined when missing, 'invalid' when its validator fails, else normalized (and '' → missing). */
  const get = (k: string, valid?: (v: string) => boolean): string | undefined | { invalid: true } => {
    const v = an[ANNOTATION_PREFIX + k];
    if (v === undefined) return undefined;
    if (valid && !valid(v)) return { invalid: true };
    const n = normalize(v);
    return n === '' ? undefined : n;
  };
  const getStr = (k: string, valid?: (v: string) => boolean) => {
    const v = get(k, valid);
    return typeof v === 'string' ? v : undefined;
  };
  const ns = ing?.metadata.namespace ?? 'default';

  // auth/main.go
  const basicAuth: BasicAuthConfig = { type: '', realm: '', file: '', secured: false, secret: '', content: '' };
  const at = getStr('auth-type', validRegex(/basic|digest/, true));
  if (ing && at !== undefined) {
    const secretType = getStr('auth-secret-type', validRegex(/auth-file|auth-map/, true)) ?? 'auth-file';
    const s = getStr('auth-secret', validRegex(BASIC_CHARS_RE, true));
    if (s === undefined) {
      deny(`error reading secret name from annotation: ${an[ANNOTATION_PREFIX + 'auth-secret'] === undefined ? 'ingress rule without annotations' : `annotation ${ANNOTATION_PREFIX}auth-secret contains invalid value`}`);
    } else {
      const parts = s.split('/');
      if (parts.length > 2) deny(`error reading secret name from annotation: unexpected key format: ${JSON.stringify(s)}`);
      else {
        const [sns, sname] = parts.length === 2 ? [parts[0] || ns, parts[1]] : [ns, parts[0]];
        if (!cfg.allowCrossNamespaceResources && sns !== ns) deny('cross namespace usage of secrets is not allowed');
        else {
          const key = `${sns}/${sname}`;
          const secret = resolver?.secret(sns, sname);
          if (!secret) deny(`unexpected error reading secret ${key}: no object matching key "${key}" in local store`);
          else {
            const data: Record<string, string> = secret.data ?? {};
            const decode = (b: string) => new TextDecoder().decode(fromBase64(b) ?? new Uint8Array());
            let content: string | undefined;
            if (secretType === 'auth-map') content = Object.keys(data).sort().map((u) => `${u}:${decode(data[u])}\n`).join('');
            else if (data.auth === undefined) deny(`the secret ${sname} does not contain a key with value auth`);
            else content = decode(data.auth);
            if (content !== undefined) {
              Object.assign(basicAuth, {
                type: at,
                realm: getStr('auth-realm', validRegex(CHARS_WITH_SPACE, false)) ?? '',
                file: `/etc/ingress-controller/auth/${ns}-${ing.metadata.uid}-${secret.metadata.uid}.passwd`,
                secured: true,
                secret: key,
                content,
              });
            }
          }
        }
      }
    }
  }

  // authreq/main.go (auth-keepalive is 0 by default: the template's auth_request path)
  const externalAuth: ExternalAuthConfig = { url: '', host: '', signinURL: '', signinURLRedirectParam: '', method: '', responseHeaders: [], requestRedirect: '', alwaysSetCookie: false, keepaliveShareVars: false };
  const url = getStr('auth-url', validRegex(URL_WITH_NGINX_VARIABLE, true));
  if (url !== undefined) {
    // parser.StringToURL: url.Parse, and a host is required
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)/.exec(url);
    if (!m || m[2] === '') deny(`could not parse auth-url annotation: ${m ? 'url.Parse: host is empty' : `${url} is not a valid URL: parse "${url}": invalid URI for request`}`);
    else {
      const method = get('auth-method', validRegex(METHODS, true));
      const hstr = get('auth-response-headers', validRegex(HEADERS_VARIABLE, true));
      const headers = typeof hstr === 'string' ? hstr.split(',').map((h) => h.trim()).filter((h) => h !== '') : [];
      if (typeof method === 'object') deny('invalid HTTP method');
      else if (typeof hstr === 'object') deny('validation error');
      else if (headers.some((h) => !HEADER_NAME.test(h))) deny('invalid headers list');
      else {
        const host = m[2].replace(/^[^@]*@/, '').replace(/:\d*$/, '').replace(/^\[(.*)\]$/, '$1');
        Object.assign(externalAuth, {
          url,
          host,
          signinURL: getStr('auth-signin', validRegex(URL_WITH_NGINX_VARIABLE, true)) ?? '',
          signinURLRedirectParam: getStr('auth-signin-redirect-param', validRegex(URL_IS_VALID_RE, true)) ?? '',
          method: method ?? '',
          responseHeaders: headers,
          requestRedirect: getStr('auth-request-redirect', validRegex(URL_IS_VALID_RE, true)) ?? '',
          alwaysSetCookie: an[ANNOTATION_PREFIX + 'auth-always-set-cookie'] !== undefined && isBool(an[ANNOTATION_PREFIX + 'auth-always-set-cookie']) && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(an[ANNOTATION_PREFIX + 'auth-always-set-cookie']),
        });
      }
    }
  }

  // cors/main.go
  const b = (k: string): boolean | undefined => {
    const v = an[ANNOTATION_PREFIX + k];
    return v !== undefined && isBool(v) ? ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v) : undefined;
  };
  const originRaw = get('cors-allow-origin', validRegex(CORS_ORIGIN_VALIDATOR, true));
  let allowOrigin: string[] = [];
  if (typeof originRaw === 'string') {
    for (const o of originRaw.split(',').map((x) => x.trim())) {
      if (o === '') continue;
      if (o === '*') {
        allowOrigin = ['*'];
        break;
      }
      if (CORS_ORIGIN.test(o)) allowOrigin.push(o);
    }
  } else allowOrigin = ['*'];
  const allowHeaders = getStr('cors-allow-headers', validRegex(HEADERS_VARIABLE, true));
  const allowMethods = getStr('cors-allow-methods', validRegex(CORS_METHODS, true));
  const expose = getStr('cors-expose-headers', validRegex(CORS_EXPOSE, true));
  const maxAge = an[ANNOTATION_PREFIX + 'cors-max-age'];
  const cors: CorsConfig = {
    enabled: b('enable-cors') ?? false,
    allowOrigin,
    allowHeaders: allowHeaders !== undefined && HEADERS_VARIABLE.test(allowHeaders) ? allowHeaders : 'DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization',
    allowMethods: allowMethods !== undefined && CORS_METHODS.test(allowMethods) ? allowMethods : 'GET, PUT, POST, DELETE, PATCH, OPTIONS',
    allowCredentials: b('cors-allow-credentials') ?? true,
    exposeHeaders: expose !== undefined && CORS_EXPOSE.test(expose) ? expose : '',
    maxAge: maxAge !== undefined && /^[+-]?\d+$/.test(maxAge) ? Number(maxAge) : 1728000,
  };

  // ipallowlist/main.go: allowlist-source-range, alias whitelist-source-range
  let allowlist = [...cfg.whitelistSourceRange].sort();
  const alKey = an[ANNOTATION_PREFIX + 'allowlist-source-range'] !== undefined ? 'allowlist-source-range' : 'whitelist-source-range';
  const al = an[ANNOTATION_PREFIX + alKey];
  if (al !== undefined) {
    const entries = normalize(al).split(',').map((x) => x.trim());
    const bad = entries.find((e) => (e.includes('/') ? !parseCidr(e) : parseIPv4(e) === undefined));
    if (normalize(al) === '') deny(`the annotation ${ANNOTATION_PREFIX}${alKey} does not contain a valid value (${al})`);
    // parser.checkAnnotation names the alias when the value came from it
    else if (bad !== undefined) deny(`annotation ${ANNOTATION_PREFIX}${alKey} contains invalid value`);
    else allowlist = [...new Set(entries.map((e) => (e.includes('/') ? ((c) => `${formatIPv4(c!.network)}/${c!.prefix}`)(parseCidr(e)) : e)))].sort();
  }

  return {
    basicAuth,
    externalAuth,
    cors,
    allowlist,
    configurationSnippet: getStr('configuration-snippet') ?? '',
    serverSnippet: getStr('server-snippet') ?? '',
    ...(denied !== undefined ? { denied } : {}),
  };
}
