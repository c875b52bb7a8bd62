/**
 * The controller's configuration: ingress-nginx v1.12.0's config.NewDefault() merged with
 * the ConfigMap named by its --configmap flag, as template/configmap.go ReadConfig merges
 * them (the list keys split on ",", lua-shared-dicts, worker-processes "auto", then every
 * other key decoded by its json tag with mapstructure's WeaklyTypedInput: strconv.ParseBool
 * for booleans, ParseInt for numbers; a value that does not parse keeps the default).
 *
 * Upstream (kubernetes/ingress-nginx, tag controller-v1.12.0):
 * internal/ingress/controller/config/config.go (NewDefault and the json tags),
 * internal/ingress/controller/template/configmap.go (ReadConfig, defaultLuaSharedDicts,
 * dictStrToKb/dictKbToStr), internal/ingress/defaults/main.go (the Backend defaults the
 * annotations fall back to).
 *
 * Only the keys that change what this simulation renders or does are decoded; the others a
 * ConfigMap may carry are accepted and ignored (the controller keeps them, we have nothing
 * that reads them).
 */
import type { Cluster } from '../../cluster/cluster';
import type { KubeObject } from '../../cluster/types';

export interface NginxConfiguration {
  // defaults.Backend (what the annotations fall back to)
  proxyBodySize: string;
  proxyConnectTimeout: number;
  proxyReadTimeout: number;
  proxySendTimeout: number;
  proxyBuffersNumber: number;
  proxyBufferSize: string;
  proxyCookiePath: string;
  proxyCookieDomain: string;
  proxyNextUpstream: string;
  proxyNextUpstreamTimeout: number;
  proxyNextUpstreamTries: number;
  proxyRedirectFrom: string;
  proxyRedirectTo: string;
  proxyRequestBuffering: string;
  proxyBuffering: string;
  proxyHTTPVersion: string;
  proxyMaxTempFileSize: string;
  sslRedirect: boolean;
  forceSSLRedirect: boolean;
  preserveTrailingSlash: boolean;
  usePortInRedirects: boolean;
  skipAccessLogURLs: string[];
  limitRate: number;
  limitRateAfter: number;
  /** whitelist-source-range: the allowlist every location without the annotation gets */
  whitelistSourceRange: string[];
  // Configuration
  allowSnippetAnnotations: boolean;
  annotationsRiskLevel: string;
  allowCrossNamespaceResources: boolean;
  enableAuthAccessLog: boolean;
  noAuthLocations: string;
  accessLogParams: string;
  enableAccessLogForDefaultBackend: boolean;
  accessLogPath: string;
  httpAccessLogPath: string;
  streamAccessLogPath: string;
  workerCPUAffinity: string;
  errorLogPath: string;
  clientHeaderBufferSize: string;
  clientHeaderTimeout: number;
  clientBodyBufferSize: string;
  clientBodyTimeout: number;
  disableAccessLog: boolean;
  disableHTTPAccessLog: boolean;
  disableStreamAccessLog: boolean;
  enableUnderscoresInHeaders: boolean;
  ignoreInvalidHeaders: boolean;
  retryNonIdempotent: boolean;
  errorLogLevel: string;
  http2MaxFieldSize: string;
  http2MaxHeaderSize: string;
  http2MaxRequests: number;
  http2MaxConcurrentStreams: number;
  keepAlive: number;
  keepAliveRequests: number;
  largeClientHeaderBuffers: string;
  logFormatEscapeNone: boolean;
  logFormatEscapeJSON: boolean;
  logFormatUpstream: string;
  logFormatStream: string;
  enableMultiAccept: boolean;
  maxWorkerConnections: number;
  maxWorkerOpenFiles: number;
  mapHashBucketSize: number;
  nginxStatusIpv4Whitelist: string[];
  nginxStatusIpv6Whitelist: string[];
  proxyRealIPCIDR: string[];
  serverNameHashMaxSize: number;
  serverNameHashBucketSize: number;
  proxyHeadersHashMaxSize: number;
  proxyHeadersHashBucketSize: number;
  showServerTokens: boolean;
  sslCiphers: string;
  sslECDHCurve: string;
  sslProtocols: string;
  sslEarlyData: boolean;
  sslSessionCache: boolean;
  sslSessionCacheSize: string;
  sslSessionTickets: boolean;
  sslSessionTimeout: string;
  sslBufferSize: string;
  sslRejectHandshake: boolean;
  useProxyProtocol: boolean;
  enableAioWrite: boolean;
  useGzip: boolean;
  useGeoIP2: boolean;
  enableBrotli: boolean;
  brotliLevel: number;
  brotliMinLength: number;
  brotliTypes: string;
  useHTTP2: boolean;
  gzipDisable: string;
  gzipLevel: number;
  gzipMinLength: number;
  gzipTypes: string;
  workerProcesses: string;
  workerShutdownTimeout: string;
  variablesHashBucketSize: number;
  variablesHashMaxSize: number;
  upstreamKeepaliveConnections: number;
  upstreamKeepaliveTime: string;
  upstreamKeepaliveTimeout: number;
  upstreamKeepaliveRequests: number;
  limitConnZoneVariable: string;
  useForwardedHeaders: boolean;
  enableRealIP: boolean;
  forwardedForHeader: string;
  computeFullForwardedFor: boolean;
  generateRequestID: boolean;
  proxyAddOriginalURIHeader: boolean;
  mainSnippet: string;
  httpSnippet: string;
  serverSnippet: string;
  locationSnippet: string;
  streamSnippet: string;
  reusePort: boolean;
  hideHeaders: string[];
  limitReqStatusCode: number;
  limitConnStatusCode: number;
  enableSyslog: boolean;
  syslogHost: string;
  syslogPort: number;
  noTLSRedirectLocations: string;
  httpRedirectCode: number;
  allowBackendServerHeader: boolean;
  blockCIDRs: string[];
  blockUserAgents: string[];
  blockReferers: string[];
  luaSharedDicts: Record<string, number>;
  defaultType: string;
  debugConnections: string[];
  grpcBufferSizeKb: number;
  disableIpv6DNS: boolean;
}

/** configmap.go defaultLuaSharedDicts (sizes in KiB). */
const DEFAULT_LUA_SHARED_DICTS: Record<string, number> = {
  configuration_data: 20480,
  certificate_data: 20480,
  balancer_ewma: 10240,
  balancer_ewma_last_touched_at: 10240,
  balancer_ewma_locks: 1024,
  certificate_servers: 5120,
  ocsp_response_cache: 5120,
};

/** config.go NewDefault(), less WorkerProcesses (runtime.NumCPU() of the controller's node). */
export function newDefault(numCPU: number): NginxConfiguration {
  return {
    proxyBodySize: '1m',
    proxyConnectTimeout: 5,
    proxyReadTimeout: 60,
    proxySendTimeout: 60,
    proxyBuffersNumber: 4,
    proxyBufferSize: '4k',
    proxyCookieDomain: 'off',
    proxyCookiePath: 'off',
    proxyNextUpstream: 'error timeout',
    proxyNextUpstreamTimeout: 0,
    proxyNextUpstreamTries: 3,
    proxyRequestBuffering: 'on',
    proxyRedirectFrom: 'off',
    proxyRedirectTo: 'off',
    preserveTrailingSlash: false,
    sslRedirect: true,
    forceSSLRedirect: false,
    usePortInRedirects: false,
    skipAccessLogURLs: [],
    limitRate: 0,
    limitRateAfter: 0,
    whitelistSourceRange: [],
    allowSnippetAnnotations: false,
    annotationsRiskLevel: 'High',
    allowCrossNamespaceResources: false,
    enableAuthAccessLog: false,
    noAuthLocations: '/.well-known/acme-challenge',
    proxyBuffering: 'off',
    proxyHTTPVersion: '1.1',
    proxyMaxTempFileSize: '1024m',
    accessLogPath: '/var/log/nginx/access.log',
    httpAccessLogPath: '',
    streamAccessLogPath: '',
    accessLogParams: '',
    enableAccessLogForDefaultBackend: false,
    workerCPUAffinity: '',
    errorLogPath: '/var/log/nginx/error.log',
    blockCIDRs: [],
    blockUserAgents: [],
    blockReferers: [],
    brotliLevel: 4,
    brotliMinLength: 20,
    brotliTypes:
      'application/xml+rss application/atom+xml application/javascript application/x-javascript application/json application/rss+xml application/vnd.ms-fontobject application/x-font-ttf application/x-web-app-manifest+json application/xhtml+xml application/xml font/opentype image/svg+xml image/x-icon text/css text/javascript text/plain text/x-component',
    clientHeaderBufferSize: '1k',
    clientHeaderTimeout: 60,
    clientBodyBufferSize: '8k',
    clientBodyTimeout: 60,
    disableAccessLog: false,
    disableHTTPAccessLog: false,
    disableStreamAccessLog: false,
    enableUnderscoresInHeaders: false,
    errorLogLevel: 'notice',
    useForwardedHeaders: false,
    enableRealIP: false,
    forwardedForHeader: 'X-Forwarded-For',
    computeFullForwardedFor: false,
    proxyAddOriginalURIHeader: false,
    generateRequestID: true,
    http2MaxFieldSize: '',
    http2MaxHeaderSize: '',
    http2MaxRequests: 0,
    http2MaxConcurrentStreams: 128,
    ignoreInvalidHeaders: true,
    retryNonIdempotent: false,
    gzipLevel: 1,
    gzipMinLength: 256,
    gzipDisable: '',
    gzipTypes:
      'application/atom+xml application/javascript application/x-javascript application/json application/rss+xml application/vnd.ms-fontobject application/x-font-ttf application/x-web-app-manifest+json application/xhtml+xml application/xml font/opentype image/svg+xml image/x-icon text/css text/javascript text/plain text/x-component',
    keepAlive: 75,
    keepAliveRequests: 1000,
    largeClientHeaderBuffers: '4 8k',
    logFormatEscapeNone: false,
    logFormatEscapeJSON: false,
    logFormatStream: '[$remote_addr] [$time_local] $protocol $status $bytes_sent $bytes_received $session_time',
    logFormatUpstream:
      '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id',
    enableMultiAccept: true,
    maxWorkerConnections: 16384,
    maxWorkerOpenFiles: 0,
    mapHashBucketSize: 64,
    nginxStatusIpv4Whitelist: ['127.0.0.1'],
    nginxStatusIpv6Whitelist: ['::1'],
    proxyRealIPCIDR: ['0.0.0.0/0'],
    serverNameHashMaxSize: 1024,
    serverNameHashBucketSize: 0,
    proxyHeadersHashMaxSize: 512,
    proxyHeadersHashBucketSize: 64,
    reusePort: true,
    showServerTokens: false,
    sslBufferSize: '4k',
    sslCiphers:
      'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384',
    sslECDHCurve: 'auto',
    sslProtocols: 'TLSv1.2 TLSv1.3',
    sslEarlyData: false,
    sslRejectHandshake: false,
    sslSessionCache: true,
    sslSessionCacheSize: '10m',
    sslSessionTickets: false,
    sslSessionTimeout: '10m',
    useProxyProtocol: false,
    enableBrotli: false,
    enableAioWrite: true,
    useGzip: false,
    useGeoIP2: false,
    workerProcesses: String(numCPU),
    workerShutdownTimeout: '240s',
    variablesHashBucketSize: 256,
    variablesHashMaxSize: 2048,
    useHTTP2: true,
    upstreamKeepaliveConnections: 320,
    upstreamKeepaliveTime: '1h',
    upstreamKeepaliveTimeout: 60,
    upstreamKeepaliveRequests: 10000,
    limitConnZoneVariable: '$binary_remote_addr',
    limitReqStatusCode: 503,
    limitConnStatusCode: 503,
    syslogHost: '',
    syslogPort: 514,
    enableSyslog: false,
    noTLSRedirectLocations: '/.well-known/acme-challenge',
    httpRedirectCode: 308,
    allowBackendServerHeader: false,
    mainSnippet: '',
    httpSnippet: '',
    serverSnippet: '',
    locationSnippet: '',
    streamSnippet: '',
    hideHeaders: [],
    luaSharedDicts: { ...DEFAULT_LUA_SHARED_DICTS },
    defaultType: 'text/html',
    debugConnections: [],
    grpcBufferSizeKb: 0,
    disableIpv6DNS: false,
  };
}

type Kind = 'bool' | 'int' | 'string';
type Field = { [K in keyof NginxConfiguration]: NginxConfiguration[K] extends boolean | number | string ? K : never }[keyof NginxConfiguration];

/** The json tags of the scalar fields this simulation reads (config.go, defaults/main.go). */
const TAGS: [string, Field, Kind][] = [
  ['proxy-body-size', 'proxyBodySize', 'string'],
  ['proxy-connect-timeout', 'proxyConnectTimeout', 'int'],
  ['proxy-read-timeout', 'proxyReadTimeout', 'int'],
  ['proxy-send-timeout', 'proxySendTimeout', 'int'],
  ['proxy-buffers-number', 'proxyBuffersNumber', 'int'],
  ['proxy-buffer-size', 'proxyBufferSize', 'string'],
  ['proxy-cookie-path', 'proxyCookiePath', 'string'],
  ['proxy-cookie-domain', 'proxyCookieDomain', 'string'],
  ['proxy-next-upstream', 'proxyNextUpstream', 'string'],
  ['proxy-next-upstream-timeout', 'proxyNextUpstreamTimeout', 'int'],
  ['proxy-next-upstream-tries', 'proxyNextUpstreamTries', 'int'],
  ['proxy-redirect-from', 'proxyRedirectFrom', 'string'],
  ['proxy-redirect-to', 'proxyRedirectTo', 'string'],
  ['proxy-request-buffering', 'proxyRequestBuffering', 'string'],
  ['proxy-buffering', 'proxyBuffering', 'string'],
  ['proxy-http-version', 'proxyHTTPVersion', 'string'],
  ['proxy-max-temp-file-size', 'proxyMaxTempFileSize', 'string'],
  ['ssl-redirect', 'sslRedirect', 'bool'],
  ['force-ssl-redirect', 'forceSSLRedirect', 'bool'],
  ['preserve-trailing-slash', 'preserveTrailingSlash', 'bool'],
  ['use-port-in-redirects', 'usePortInRedirects', 'bool'],
  ['limit-rate', 'limitRate', 'int'],
  ['limit-rate-after', 'limitRateAfter', 'int'],
  ['allow-snippet-annotations', 'allowSnippetAnnotations', 'bool'],
  ['annotations-risk-level', 'annotationsRiskLevel', 'string'],
  ['allow-cross-namespace-resources', 'allowCrossNamespaceResources', 'bool'],
  ['enable-auth-access-log', 'enableAuthAccessLog', 'bool'],
  ['no-auth-locations', 'noAuthLocations', 'string'],
  ['access-log-params', 'accessLogParams', 'string'],
  ['enable-access-log-for-default-backend', 'enableAccessLogForDefaultBackend', 'bool'],
  ['access-log-path', 'accessLogPath', 'string'],
  ['http-access-log-path', 'httpAccessLogPath', 'string'],
  ['stream-access-log-path', 'streamAccessLogPath', 'string'],
  ['worker-cpu-affinity', 'workerCPUAffinity', 'string'],
  ['error-log-path', 'errorLogPath', 'string'],
  ['client-header-buffer-size', 'clientHeaderBufferSize', 'string'],
  ['client-header-timeout', 'clientHeaderTimeout', 'int'],
  ['client-body-buffer-size', 'clientBodyBufferSize', 'string'],
  ['client-body-timeout', 'clientBodyTimeout', 'int'],
  ['disable-access-log', 'disableAccessLog', 'bool'],
  ['disable-http-access-log', 'disableHTTPAccessLog', 'bool'],
  ['disable-stream-access-log', 'disableStreamAccessLog', 'bool'],
  ['enable-underscores-in-headers', 'enableUnderscoresInHeaders', 'bool'],
  ['ignore-invalid-headers', 'ignoreInvalidHeaders', 'bool'],
  ['retry-non-idempotent', 'retryNonIdempotent', 'bool'],
  ['error-log-level', 'errorLogLevel', 'string'],
  ['http2-max-field-size', 'http2MaxFieldSize', 'string'],
  ['http2-max-header-size', 'http2MaxHeaderSize', 'string'],
  ['http2-max-requests', 'http2MaxRequests', 'int'],
  ['http2-max-concurrent-streams', 'http2MaxConcurrentStreams', 'int'],
  ['keep-alive', 'keepAlive', 'int'],
  ['keep-alive-requests', 'keepAliveRequests', 'int'],
  ['large-client-header-buffers', 'largeClientHeaderBuffers', 'string'],
  ['log-format-escape-none', 'logFormatEscapeNone', 'bool'],
  ['log-format-escape-json', 'logFormatEscapeJSON', 'bool'],
  ['log-format-upstream', 'logFormatUpstream', 'string'],
  ['log-format-stream', 'logFormatStream', 'string'],
  ['enable-multi-accept', 'enableMultiAccept', 'bool'],
  ['max-worker-connections', 'maxWorkerConnections', 'int'],
  ['max-worker-open-files', 'maxWorkerOpenFiles', 'int'],
  ['map-hash-bucket-size', 'mapHashBucketSize', 'int'],
  ['server-name-hash-max-size', 'serverNameHashMaxSize', 'int'],
  ['server-name-hash-bucket-size', 'serverNameHashBucketSize', 'int'],
  ['proxy-headers-hash-max-size', 'proxyHeadersHashMaxSize', 'int'],
  ['proxy-headers-hash-bucket-size', 'proxyHeadersHashBucketSize', 'int'],
  ['server-tokens', 'showServerTokens', 'bool'],
  ['ssl-ciphers', 'sslCiphers', 'string'],
  ['ssl-ecdh-curve', 'sslECDHCurve', 'string'],
  ['ssl-protocols', 'sslProtocols', 'string'],
  ['ssl-early-data', 'sslEarlyData', 'bool'],
  ['ssl-session-cache', 'sslSessionCache', 'bool'],
  ['ssl-session-cache-size', 'sslSessionCacheSize', 'string'],
  ['ssl-session-tickets', 'sslSessionTickets', 'bool'],
  ['ssl-session-timeout', 'sslSessionTimeout', 'string'],
  ['ssl-buffer-size', 'sslBufferSize', 'string'],
  ['ssl-reject-handshake', 'sslRejectHandshake', 'bool'],
  ['use-proxy-protocol', 'useProxyProtocol', 'bool'],
  ['enable-aio-write', 'enableAioWrite', 'bool'],
  ['use-gzip', 'useGzip', 'bool'],
  ['use-geoip2', 'useGeoIP2', 'bool'],
  ['enable-brotli', 'enableBrotli', 'bool'],
  ['brotli-level', 'brotliLevel', 'int'],
  ['brotli-min-length', 'brotliMinLength', 'int'],
  ['brotli-types', 'brotliTypes', 'string'],
  ['use-http2', 'useHTTP2', 'bool'],
  ['gzip-disable', 'gzipDisable', 'string'],
  ['gzip-level', 'gzipLevel', 'int'],
  ['gzip-min-length', 'gzipMinLength', 'int'],
  ['gzip-types', 'gzipTypes', 'string'],
  ['worker-shutdown-timeout', 'workerShutdownTimeout', 'string'],
  ['variables-hash-bucket-size', 'variablesHashBucketSize', 'int'],
  ['variables-hash-max-size', 'variablesHashMaxSize', 'int'],
  ['upstream-keepalive-connections', 'upstreamKeepaliveConnections', 'int'],
  ['upstream-keepalive-time', 'upstreamKeepaliveTime', 'string'],
  ['upstream-keepalive-timeout', 'upstreamKeepaliveTimeout', 'int'],
  ['upstream-keepalive-requests', 'upstreamKeepaliveRequests', 'int'],
  ['limit-conn-zone-variable', 'limitConnZoneVariable', 'string'],
  ['use-forwarded-headers', 'useForwardedHeaders', 'bool'],
  ['enable-real-ip', 'enableRealIP', 'bool'],
  ['forwarded-for-header', 'forwardedForHeader', 'string'],
  ['compute-full-forwarded-for', 'computeFullForwardedFor', 'bool'],
  ['generate-request-id', 'generateRequestID', 'bool'],
  ['proxy-add-original-uri-header', 'proxyAddOriginalURIHeader', 'bool'],
  ['main-snippet', 'mainSnippet', 'string'],
  ['http-snippet', 'httpSnippet', 'string'],
  ['server-snippet', 'serverSnippet', 'string'],
  ['location-snippet', 'locationSnippet', 'string'],
  ['stream-snippet', 'streamSnippet', 'string'],
  ['reuse-port', 'reusePort', 'bool'],
  ['limit-req-status-code', 'limitReqStatusCode', 'int'],
  ['limit-conn-status-code', 'limitConnStatusCode', 'int'],
  ['enable-syslog', 'enableSyslog', 'bool'],
  ['syslog-host', 'syslogHost', 'string'],
  ['syslog-port', 'syslogPort', 'int'],
  ['no-tls-redirect-locations', 'noTLSRedirectLocations', 'string'],
  ['allow-backend-server-header', 'allowBackendServerHeader', 'bool'],
  ['default-type', 'defaultType', 'string'],
  ['grpc-buffer-size-kb', 'grpcBufferSizeKb', 'int'],
];

/** Go's strconv.ParseBool. */
function parseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** strconv.ParseInt(s, 0, 64) for the forms a ConfigMap carries (decimal, 0x, 0o, 0b, a sign). */
function parseInt0(s: string): number | undefined {
  const m = /^([+-]?)(0x[0-9a-fA-F]+|0o?[0-7]+|0b[01]+|[1-9][0-9]*|0)$/.exec(s);
  if (!m) return undefined;
  const body = m[2];
  const v = body.startsWith('0x') ? parseInt(body.slice(2), 16) : body.startsWith('0b') ? parseInt(body.slice(2), 2) : body.length > 1 && body.startsWith('0') ? parseInt(body.replace(/^0o?/, ''), 8) : Number(body);
  return m[1] === '-' ? -v : v;
}

/** configmap.go splitAndTrimSpace (strings.FieldsFunc on the separator, each value trimmed). */
export function splitAndTrimSpace(s: string, sep = ','): string[] {
  return s.split(sep).filter((v) => v !== '').map((v) => v.trim());
}

/** configmap.go dictStrToKb: "10M" → 10240; -1 when it is not a size. */
function dictStrToKb(s: string): number {
  const m = /^(\d+)([kKmM])?$/.exec(s);
  if (!m) return -1;
  const n = Number(m[1]);
  return !m[2] || m[2].toLowerCase() === 'm' ? n * 1024 : n;
}

/** configmap.go dictKbToStr. */
export function dictKbToStr(size: number): string {
  return size % 1024 === 0 ? `${size / 1024}M` : `${size}K`;
}

const isIPorCIDR = (s: string) => /^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/.test(s) || (/^[0-9a-fA-F:]+(\/\d{1,3})?$/.test(s) && s.includes(':'));

/** template/configmap.go ReadConfig over the ConfigMap's data. */
export function readConfig(data: Record<string, string>, numCPU: number, ipv6: boolean): NginxConfiguration {
  const to = newDefault(numCPU);
  const conf = { ...data };
  const take = (k: string): string | undefined => {
    const v = conf[k];
    delete conf[k];
    return v;
  };
  const lsd = take('lua-shared-dicts');
  if (lsd !== undefined) {
    const dicts: Record<string, number> = {};
    for (const v of splitAndTrimSpace(lsd)) {
      const parts = v.replace(/ /g, '').split(':');
      // a poorly formatted entry, a size that does not parse, over 200M or past the 100th dictionary is ignored (klog.Errorf)
      if (parts.length < 2) continue;
      const [name, ...rest] = parts;
      const size = dictStrToKb(rest.join(':'));
      if (size >= 0 && size <= 204800 && Object.keys(dicts).length + 1 <= 100) dicts[name] = size;
    }
    to.luaSharedDicts = { ...DEFAULT_LUA_SHARED_DICTS, ...dicts };
  }
  const list = (k: string): string[] | undefined => {
    const v = take(k);
    return v === undefined ? undefined : splitAndTrimSpace(v);
  };
  to.hideHeaders = list('hide-headers') ?? [];
  to.skipAccessLogURLs = list('skip-access-log-urls') ?? [];
  to.proxyRealIPCIDR = list('proxy-real-ip-cidr') ?? ['0.0.0.0/0'];
  to.blockCIDRs = list('block-cidrs') ?? [];
  to.whitelistSourceRange = list('whitelist-source-range') ?? [];
  to.blockUserAgents = list('block-user-agents') ?? [];
  to.blockReferers = list('block-referers') ?? [];
  to.nginxStatusIpv4Whitelist = list('nginx-status-ipv4-whitelist') ?? to.nginxStatusIpv4Whitelist;
  to.nginxStatusIpv6Whitelist = list('nginx-status-ipv6-whitelist') ?? to.nginxStatusIpv6Whitelist;
  const code = take('http-redirect-code');
  if (code !== undefined) {
    // strconv.Atoi, then validRedirectCodes; anything else keeps the default (klog.Warningf)
    const j = /^[+-]?\d+$/.test(code) ? Number(code) : NaN;
    if ([301, 302, 307, 308].includes(j)) to.httpRedirectCode = j;
  }
  const wp = take('worker-processes');
  if (wp !== undefined) to.workerProcesses = wp === 'auto' ? String(numCPU) : wp;
  const dc = list('debug-connections');
  if (dc) {
    // an entry that is neither an IP nor a CIDR is dropped (klog.Warningf)
    to.debugConnections = dc.filter(isIPorCIDR);
  }
  to.disableIpv6DNS = !ipv6;
  const t = to as unknown as Record<string, unknown>;
  for (const [key, field, kind] of TAGS) {
    const v = conf[key];
    if (v === undefined) continue;
    if (kind === 'string') t[field] = v;
    else if (kind === 'bool') {
      // mapstructure's weak decode: "" is false; what ParseBool rejects keeps the default ("unexpected error merging defaults")
      const b = v === '' ? false : parseBool(v);
      if (b !== undefined) t[field] = b;
    } else {
      const n = v === '' ? 0 : parseInt0(v);
      if (n !== undefined) t[field] = n;
    }
  }
  return to;
}

/** The controller container of a controller Pod (the one running the controller image). */
export function controllerContainer(pod: KubeObject | undefined): { name: string; args?: string[]; command?: string[]; image?: string } | undefined {
  const cs = (pod?.spec?.containers ?? []) as { name: string; args?: string[]; command?: string[]; image?: string }[];
  return cs.find((c) => /(^|\/)ingress-nginx\/controller(:|@|$)|nginx-ingress-controller/.test(c.image ?? '')) ?? cs[0];
}

/** The value of a controller flag (--name=value or --name value), $(POD_NAMESPACE) expanded as the kubelet expands it from the env. */
export function controllerFlag(pod: KubeObject | undefined, name: string): string | undefined {
  const c = controllerContainer(pod);
  const argv = [...(c?.command ?? []), ...(c?.args ?? [])];
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}` || a === `-${name}`) value = argv[i + 1];
    else if (a.startsWith(`--${name}=`) || a.startsWith(`-${name}=`)) value = a.slice(a.indexOf('=') + 1);
  }
  return value?.replace(/\$\(POD_NAMESPACE\)/g, pod?.metadata.namespace ?? 'default').replace(/\$\(POD_NAME\)/g, pod?.metadata.name ?? '');
}

/** The ConfigMap the controller watches (--configmap=NAMESPACE/NAME); undefined when the flag is absent. */
export function controllerConfigMapKey(pod: KubeObject | undefined): { namespace: string; name: string } | undefined {
  const v = controllerFlag(pod, 'configmap');
  if (!v) return undefined;
  const i = v.indexOf('/');
  return i < 0 ? { namespace: pod?.metadata.namespace ?? 'default', name: v } : { namespace: v.slice(0, i), name: v.slice(i + 1) };
}

/** runtime.NumCPU() in the controller's container: the CPUs of its node (Go ignores the CFS quota). */
export function controllerNumCPU(cluster: Cluster, pod: KubeObject | undefined): number {
  const node = pod?.spec?.nodeName ? cluster.store.get('Node', undefined, pod.spec.nodeName) : undefined;
  const n = Number(node?.status?.capacity?.cpu ?? 2);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 2;
}

/** The controller's configuration as its store holds it for this Pod. */
export function controllerConfig(cluster: Cluster, pod: KubeObject | undefined, ipv6 = true): NginxConfiguration {
  const key = controllerConfigMapKey(pod);
  const cm = key ? cluster.store.get('ConfigMap', key.namespace, key.name) : undefined;
  return readConfig((cm?.data ?? {}) as Record<string, string>, controllerNumCPU(cluster, pod), ipv6);
}

/**
 * The configuration the controller's store parses Ingresses with: its Deployment's (or
 * DaemonSet's) pod template read as a Pod — the same --configmap flag every replica has.
 */
export function storeConfig(cluster: Cluster): NginxConfiguration {
  const image = /(^|\/)ingress-nginx\/controller(:|@|$)|nginx-ingress-controller/;
  const w = [...cluster.store.list('Deployment'), ...cluster.store.list('DaemonSet')].find((d) => (d.spec?.template?.spec?.containers ?? []).some((c: { image?: string }) => image.test(c.image ?? '')));
  const pod = w ? ({ metadata: { name: w.metadata.name, namespace: w.metadata.namespace ?? 'default' }, spec: w.spec?.template?.spec ?? {} } as unknown as KubeObject) : undefined;
  const key = controllerConfigMapKey(pod);
  const cm = key ? cluster.store.get('ConfigMap', key.namespace, key.name) : undefined;
  return readConfig((cm?.data ?? {}) as Record<string, string>, 2, true);
}
