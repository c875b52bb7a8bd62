/**
 * The image catalog: for each container image the simulation knows, what it ships (its
 * shell and userland: busybox applets or bash and GNU tools, which `nslookup`, which
 * network tools) and what its process serves (nginx on 80, CoreDNS on 53, agnhost
 * netexec on 8080…). The shell reads the first half (hosts.ts), the packet walk the
 * second (dataplane/apps.ts) — one table, so the two never disagree about an image.
 *
 * Images are matched by name as a registry reference resolves: `docker.io/library/nginx:1.27`
 * is `nginx`, `registry.k8s.io/e2e-test-images/agnhost:2.52` is `e2e-test-images/agnhost`.
 */
import { ALPINE_BASE, ALPINE_ROOT, BUSYBOX_ROOT, DEBIAN_ROOT, AGNHOST_PACKAGES, BUSYBOX_ALPINE_APPLETS, BUSYBOX_GLIBC_APPLETS, BUSYBOX_IMAGE_EXTRA, CURL_PACKAGES, DASH_BUILTINS, DEBIAN_SLIM, DNSUTILS_PACKAGES, KUBE_PROXY_IMAGE, NETSHOOT_PACKAGES, NGINX_PACKAGES, PAUSE_IMAGE, STATIC_BINARY } from './userland';

/** `docker.io/library/busybox:1.36@sha256:…` → `busybox`; `curlimages/curl:8.5.0` → `curlimages/curl`. */
export function imageName(image: string): string {
  let s = image.trim();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) s = s.slice(0, colon);
  const parts = s.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library' && parts.length > 1) parts.shift();
  return parts.join('/');
}

/** `nginx:1.27-alpine` → `1.27-alpine`; no tag → `latest`. */
export function imageTag(image: string): string {
  let s = image.trim();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  return colon > slash ? s.slice(colon + 1) : 'latest';
}

// ---- what an image ships --------------------------------------------------------------

export type ShellFlavour = 'bash' | 'busybox';
export type NslookupFlavour = 'busybox' | 'bind';

/** Extra tools of the workstation's and the nodes' full GNU userland (not in busybox). */
export const GNU_EXTRAS = ['bash', 'column', 'less', 'more', 'nano', 'vi', 'vim'];

/** An image family's userland, beyond the base tools every host has (hosts.ts BASE_TOOLS). */
export interface ImageProfile {
  family:
    | 'busybox'
    | 'busyboxplus'
    | 'alpine'
    | 'curl'
    | 'netshoot'
    | 'agnhost'
    | 'nginx'
    | 'nginx-alpine'
    | 'nginx-slim'
    | 'ingress-nginx'
    | 'httpd'
    | 'debian'
    | 'dnsutils'
    | 'cilium'
    | 'kube-proxy'
    | 'static'
    | 'pause'
    | 'hello-go';
  /** busybox ash and applets (ping, nc, traceroute, wget behave like busybox's), or bash and GNU tools */
  flavour: ShellFlavour;
  nslookup: NslookupFlavour;
  /** every command on the image's PATH (hosts/userland.ts) */
  tools: string[];
  /** the tools that are busybox applets in this image (not replaced by a package's binary) */
  applets: ReadonlySet<string>;
  /** the directories of its root filesystem, as `ls /` shows them in a container (userland.ts) */
  dirs: readonly string[];
  /** a distroless or scratch image: only `tools`, none of the base tools every other host has (hosts.ts BASE_TOOLS) */
  bare?: boolean;
  /** the image's USER (its /etc/passwd and /etc/group entries); root when the Dockerfile sets none */
  user?: ImageUser;
  /** the image's WORKDIR; / when the Dockerfile sets none */
  workdir?: string;
  /** the image's default command's shell (its CMD), for a container that sets no command: netshoot's `zsh` */
  cmdShell?: string;
}

/** Who a container runs as: the image's USER resolved through its /etc/passwd and /etc/group. */
export interface ImageUser {
  uid: number;
  user: string;
  gid: number;
  group: string;
  home: string;
}

export const ROOT_USER: ImageUser = { uid: 0, user: 'root', gid: 0, group: 'root', home: '/root' };

/**
 * curlimages/curl (curl/curl-container create_base_image.sh: `addgroup -S curl_group`,
 * `adduser -S curl_user -G curl_group`, `--workingdir /home/curl_user`; create_appliance_image.sh:
 * `--user curl_user`): busybox's adduser -S takes the first free system id from 100 — uid 100,
 * Alpine's /etc/group already holding 100(users), so curl_group is gid 101; -S creates the home.
 */
export const CURL_USER: ImageUser = { uid: 100, user: 'curl_user', gid: 101, group: 'curl_group', home: '/home/curl_user' };

/** The binaries a set of packages installs. */
function binaries(pkgs: Readonly<Record<string, readonly string[]>>, except: string[] = []): string[] {
  return Object.entries(pkgs).filter(([p]) => !except.includes(p)).flatMap(([, b]) => b);
}

/** An Alpine-based image: busybox's applets and Alpine's base, with packages on top; a package's binary replaces the applet of the same name. */
function alpineUserland(family: ImageProfile['family'], flavour: ShellFlavour, nslookup: NslookupFlavour, pkgs: Readonly<Record<string, readonly string[]>>): ImageProfile {
  const installed = new Set(binaries(pkgs, ['busybox-extras']));
  const applets = new Set([...BUSYBOX_ALPINE_APPLETS, ...(pkgs['busybox-extras'] ?? [])].filter((a) => !installed.has(a) && a !== 'busybox-extras'));
  return { family, flavour, nslookup, tools: [...new Set([...BUSYBOX_ALPINE_APPLETS, ...ALPINE_BASE, ...binaries(pkgs)])], applets, dirs: ALPINE_ROOT };
}

function debianUserland(family: ImageProfile['family'], extra: readonly string[], dirs: readonly string[] = DEBIAN_ROOT): ImageProfile {
  return { family, flavour: 'bash', nslookup: 'bind', tools: [...new Set([...DEBIAN_SLIM, ...extra])], applets: new Set(), dirs };
}

/** httpd:2.4 (docker-library/httpd 2.4/Dockerfile): built into /usr/local/apache2, its bin/ first on PATH. */
const HTTPD_BIN = ['ab', 'apachectl', 'apxs', 'checkgid', 'dbmmanage', 'envvars', 'envvars-std', 'fcgistarter', 'htcacheclean', 'htdbm', 'htdigest', 'htpasswd', 'httpd', 'httxt2dbm', 'logresolve', 'rotatelogs', 'httpd-foreground'];

const USERLANDS: Record<ImageProfile['family'], ImageProfile> = {
  busybox: { family: 'busybox', flavour: 'busybox', nslookup: 'busybox', tools: [...BUSYBOX_GLIBC_APPLETS, ...BUSYBOX_IMAGE_EXTRA], applets: new Set(BUSYBOX_GLIBC_APPLETS), dirs: BUSYBOX_ROOT },
  alpine: alpineUserland('alpine', 'busybox', 'busybox', {}),
  // curlimages/curl is alpine with curl on top
  curl: { ...alpineUserland('curl', 'busybox', 'busybox', CURL_PACKAGES), user: CURL_USER, workdir: CURL_USER.home, dirs: [...ALPINE_ROOT, CURL_USER.home] },
  // nicolaka/netshoot: alpine with bash, bind-tools, iproute2, iptables, nftables, ipvsadm, conntrack-tools, tcpdump…
  // its Dockerfile (v0.13): USER root, WORKDIR /root, CMD ["zsh"]
  netshoot: { ...alpineUserland('netshoot', 'bash', 'bind', NETSHOOT_PACKAGES), workdir: '/root', cmdShell: 'zsh' },
  // registry.k8s.io/e2e-test-images/agnhost: alpine + bind-tools, curl, netcat, iproute2 (test/images/agnhost/Dockerfile)
  agnhost: alpineUserland('agnhost', 'busybox', 'bind', AGNHOST_PACKAGES),
  // the official nginx image is debian-slim with curl (and libc-bin's getent); no ping, ip, ps or nslookup
  // nginx:*-alpine (docker-nginx mainline/alpine-slim and alpine Dockerfiles): Alpine with nginx.org's
  // nginx packages, gettext's envsubst kept, tzdata; the non-slim image adds curl and ca-certificates
  'nginx-alpine': alpineUserland('nginx-alpine', 'busybox', 'busybox', { nginx: NGINX_PACKAGES.nginx, 'gettext (envsubst)': ['envsubst'], curl: ['curl'] }),
  nginx: {
    ...debianUserland('nginx', binaries(NGINX_PACKAGES), [...DEBIAN_ROOT, '/docker-entrypoint.d', '/etc/nginx', '/etc/nginx/conf.d', '/etc/nginx/modules', '/usr/lib/nginx', '/usr/lib/nginx/modules', '/usr/share/nginx', '/usr/share/nginx/html', '/var/cache/nginx', '/var/log/nginx']),
  },
  // registry.k8s.io/ingress-nginx/controller v1.12.0: ingress-nginx's nginx image (images/nginx/rootfs/Dockerfile: alpine:3.21,
  // apk bash openssl patch dumb-init ca-certificates…, nginx 1.25.5 under /usr/local/nginx linked as /sbin/nginx) plus the
  // controller's rootfs/Dockerfile (diffutils, /usr/bin/nginx, USER www-data — adduser -S -u 101 -G www-data —, WORKDIR /etc/nginx)
  'ingress-nginx': {
    ...alpineUserland('ingress-nginx', 'busybox', 'busybox', { bash: ['bash'], openssl: ['openssl'], patch: ['patch'], 'dumb-init': ['dumb-init'], 'ca-certificates': ['update-ca-certificates'], diffutils: ['cmp', 'diff', 'diff3', 'sdiff'], nginx: ['nginx'] }),
    dirs: [...ALPINE_ROOT, '/etc/ingress-controller', '/etc/ingress-controller/auth', '/etc/ingress-controller/geoip', '/etc/ingress-controller/ssl', '/etc/ingress-controller/telemetry', '/etc/nginx', '/etc/nginx/lua', '/etc/nginx/modules', '/etc/nginx/template', '/tmp/nginx', '/usr/local/nginx', '/usr/local/nginx/sbin', '/var/log/nginx'],
    user: { uid: 101, user: 'www-data', gid: 82, group: 'www-data', home: '/usr/local/nginx' },
    workdir: '/etc/nginx',
  },
  httpd: debianUserland('httpd', HTTPD_BIN),
  debian: debianUserland('debian', []),
  // quay.io/cilium/cilium: ubuntu with the agent's CLIs (cilium-dbg, also as cilium; hubble, which talks to the local agent's socket), iproute2 and iptables
  cilium: debianUserland('cilium', ['cilium', 'cilium-dbg', 'hubble', 'ip', 'iptables', 'iptables-save', 'ip6tables']),
  // radial/busyboxplus: buildroot's busybox with curl (and git in :git); its sh is busybox ash
  busyboxplus: { family: 'busyboxplus', flavour: 'busybox', nslookup: 'busybox', tools: [...BUSYBOX_GLIBC_APPLETS, 'busybox', 'curl', 'git'], applets: new Set(BUSYBOX_GLIBC_APPLETS), dirs: BUSYBOX_ROOT },
  dnsutils: debianUserland('dnsutils', binaries(DNSUTILS_PACKAGES)),
  // registry.k8s.io/kube-proxy: the distroless-iptables base (userland.ts KUBE_PROXY_IMAGE), dash as sh
  'kube-proxy': { family: 'kube-proxy', flavour: 'bash', nslookup: 'bind', tools: [...KUBE_PROXY_IMAGE, ...DASH_BUILTINS], applets: new Set(), dirs: ['/', '/bin', '/etc', '/lib', '/lib64', '/sbin', '/tmp', '/usr', '/usr/bin', '/usr/local', '/usr/local/bin', '/usr/sbin', '/var', '/dev', '/proc', '/sys'], bare: true },
  // one static binary on scratch or distroless/static (userland.ts STATIC_BINARY)
  static: { family: 'static', flavour: 'bash', nslookup: 'bind', tools: binaries(STATIC_BINARY), applets: new Set(), dirs: ['/', '/dev', '/proc', '/sys'], bare: true },
  // registry.k8s.io/pause: /pause on scratch (userland.ts PAUSE_IMAGE); no shell to exec into
  pause: { family: 'pause', flavour: 'bash', nslookup: 'bind', tools: [...PAUSE_IMAGE], applets: new Set(), dirs: ['/', '/dev', '/proc', '/sys'], bare: true },
  // registry.k8s.io/nginx-slim:0.24 (kubernetes/ingress-nginx images/nginx-slim at 87b1d137d, "Release nginx-slim 0.24"):
  // gcr.io/google_containers/ubuntu-slim:0.14 with nginx 1.13.5 built by build.sh (bash, curl and openssl stay installed)
  'nginx-slim': debianUserland('nginx-slim', ['nginx', 'curl', 'openssl', 'update-ca-certificates'], [...DEBIAN_ROOT, '/etc/nginx', '/usr/share/nginx', '/usr/share/nginx/html', '/var/log/nginx']),
  // gcr.io/google-samples/hello-go-gke: kelseyhightower/app hello/Dockerfile, FROM alpine:3.1 with /usr/bin/hello
  'hello-go': alpineUserland('hello-go', 'busybox', 'busybox', { hello: ['hello'] }),
};

// ---- what an image serves ---------------------------------------------------------------

/** The application behind a socket (dataplane/apps.ts answers each). */
export type AppKind =
  | 'nginx'
  | 'httpd'
  | 'http-echo'
  | 'ealen-echo'
  | 'jmalloc-echo'
  | 'echo-basic'
  | 'echoserver'
  | 'netexec'
  | 'agnhost-liveness'
  | 'grpc-health'
  | 'serve-hostname'
  | 'hello-app'
  | 'node-hello'
  | 'hello-go'
  | 'goproxy'
  | 'nginx-proxy'
  | 'json-api'
  | 'generic-http'
  | 'coredns'
  | 'coredns-health'
  | 'ingress-nginx'
  | 'ingress-nginx-health'
  | 'envoy-gateway'
  | 'tcp'
  | 'udp'
  | 'ssh'
  | 'kubelet'
  | 'kubelet-healthz'
  | 'kube-proxy-health'
  | 'kube-proxy-metrics'
  | 'apiserver'
  | 'internet'
  | 'iperf3';

/** A socket a container's process opens. */
export interface ServedPort {
  port: number;
  proto: 'tcp' | 'udp';
  app: AppKind;
  /** For the trace: "nginx 1.27.3", "coredns", … */
  description: string;
  /** App parameters: the http-echo text, the image version, … */
  params?: Record<string, string>;
  /** Speaks TLS on this port. */
  tls?: boolean;
}

/** The parts of a container spec that decide what it serves. */
export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath?: string } } }[];
  ports?: { containerPort: number; protocol?: string; name?: string }[];
}

/** nginx minor lines → their last patch release, and the release day (the welcome page's mtime). */
const NGINX_RELEASES: Record<string, { version: string; mtime: number }> = {
  '1.27': { version: '1.27.3', mtime: Date.UTC(2024, 10, 26, 15, 55, 0) },
  '1.26': { version: '1.26.2', mtime: Date.UTC(2024, 7, 12, 17, 0, 0) },
  '1.25': { version: '1.25.5', mtime: Date.UTC(2024, 3, 16, 15, 0, 0) },
  '1.24': { version: '1.24.0', mtime: Date.UTC(2023, 3, 11, 1, 45, 34) },
  '1.23': { version: '1.23.4', mtime: Date.UTC(2023, 2, 28, 15, 1, 54) },
  '1.22': { version: '1.22.1', mtime: Date.UTC(2022, 9, 19, 8, 2, 20) },
  '1.21': { version: '1.21.6', mtime: Date.UTC(2022, 0, 25, 15, 3, 52) },
};

export function nginxVersion(image: string): { version: string; mtime: number } {
  const tag = imageTag(image).replace(/-(alpine|perl|alpine-perl|alpine-slim|bookworm|bullseye).*$/, '');
  if (tag === 'stable') return NGINX_RELEASES['1.26'];
  const m = tag.match(/^(\d+)\.(\d+)(?:\.(\d+))?$/);
  if (m) {
    const line = NGINX_RELEASES[`${m[1]}.${m[2]}`];
    if (m[3] !== undefined) return { version: `${m[1]}.${m[2]}.${m[3]}`, mtime: line?.mtime ?? NGINX_RELEASES['1.27'].mtime };
    if (line) return line;
    return { version: `${m[1]}.${m[2]}.0`, mtime: NGINX_RELEASES['1.27'].mtime };
  }
  return NGINX_RELEASES['1.27'];
}

function argValue(args: string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    for (const n of names) {
      if (a === n && i + 1 < args.length) return args[i + 1];
      if (a.startsWith(n + '=')) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

function envOf(c: ContainerSpec, name: string): string | undefined {
  return c.env?.find((e) => e.name === name)?.value;
}

/**
 * An env var the app reads, as params: `KEY` its literal value, or `KEY.fieldRef` the pod
 * field the kubelet fills it from (the downward API), resolved against the Pod when serving.
 */
function envParam(c: ContainerSpec, name: string, key: string): Record<string, string> {
  const e = c.env?.find((v) => v.name === name);
  const path = e?.valueFrom?.fieldRef?.fieldPath;
  if (path) return { [`${key}.fieldRef`]: path };
  return { [key]: e?.value ?? '' };
}

function declaredTcp(c: ContainerSpec): number[] {
  return (c.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort);
}

function argvOf(c: ContainerSpec): string[] {
  return [...(c.command ?? []), ...(c.args ?? [])];
}

/** The words of a command line, `sh -c "…"` strings split on blanks, each stopping at a shell separator (`;`, `&`, `|`). */
function commandWords(argv: string[]): string[][] {
  const out: string[][] = [[]];
  for (const w of argv.flatMap((a) => a.split(/\s+/)).filter(Boolean)) {
    const parts = w.split(/([;&|]+)/);
    for (const p of parts) {
      if (!p) continue;
      if (/^[;&|]+$/.test(p)) out.push([]);
      else out[out.length - 1].push(p);
    }
  }
  return out.filter((ws) => ws.length);
}

/**
 * The port an `iperf3 -s` in the command listens on (iperf 3.17.1 iperf_api.c
 * iperf_parse_arguments: -s/--server, -p/--port N or -pN or --port=N, default PORT 5201 in
 * iperf.h; -D daemonizes but keeps listening). A port iperf3 would refuse (atoi outside
 * 1..65535) starts no server.
 */
export function iperf3ServerPort(argv: string[]): number | undefined {
  for (const ws of commandWords(argv)) {
    const at = ws.findIndex((w) => w === 'iperf3' || w.endsWith('/iperf3'));
    if (at < 0) continue;
    const rest = ws.slice(at + 1);
    let server = false;
    let port = 5201;
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      if (a === '-s' || a === '--server' || /^-[1DVJd]*s[1DVJd]*$/.test(a)) server = true;
      else if (a === '-c' || a === '--client' || /^-c./.test(a) || a.startsWith('--client=')) return undefined;
      else if (a === '-p' || a === '--port') port = parseInt(rest[++i] ?? '', 10);
      else if (/^-p\d/.test(a)) port = parseInt(a.slice(2), 10);
      else if (a.startsWith('--port=')) port = parseInt(a.slice(7), 10);
    }
    if (!server) return undefined;
    return Number.isInteger(port) && port >= 1 && port <= 65535 ? port : undefined;
  }
  return undefined;
}

/**
 * What a hand-started listener does with the bytes a client sends: `echo` (they go to `cat`,
 * which writes them back: nc -e cat, socat … EXEC:cat), `print` (to the process's stdout, the
 * container's log: nc -l with no program, socat … - / STDIO), or nothing modelled (another program).
 */
function relayParams(words: string, echo: RegExp, program: RegExp, stdio?: RegExp): Record<string, string> | undefined {
  if (echo.test(words)) return { relay: 'echo' };
  if (program.test(words)) return undefined;
  if (!stdio || stdio.test(words)) return { relay: 'print' };
  return undefined;
}

/** socat's listening addresses in a command (`socat TCP-LISTEN:8080,fork,reuseaddr EXEC:cat`, `UDP4-LISTEN:9000 -`): the port, its protocol, the keyword. */
export function socatListener(argv: string[]): { port: number; proto: 'tcp' | 'udp'; keyword: string; other: string } | undefined {
  for (const ws of commandWords(argv)) {
    const at = ws.findIndex((w) => w === 'socat' || w.endsWith('/socat'));
    if (at < 0) continue;
    const addrs = ws.slice(at + 1).filter((w) => !/^-[a-zA-Z]/.test(w));
    for (const w of addrs) {
      const m = /^(TCP|TCP4|TCP6|UDP|UDP4|UDP6)-(LISTEN|RECVFROM|RECV):(\d+)(?:,|$)/i.exec(w.replace(/^['"]|['"]$/g, ''));
      if (!m) continue;
      const port = Number(m[3]);
      if (port < 1 || port > 65535) return undefined;
      return { port, proto: m[1].toLowerCase().startsWith('udp') ? 'udp' : 'tcp', keyword: `${m[1].toUpperCase()}-${m[2].toUpperCase()}`, other: addrs.find((x) => x !== w) ?? '' };
    }
  }
  return undefined;
}

const P = (port: number, proto: 'tcp' | 'udp', app: AppKind, description: string, params?: Record<string, string>, tls?: boolean): ServedPort => ({ port, proto, app, description, params, tls });

/** Databases and queues: a TCP port, no protocol spoken beyond the handshake. */
const WELL_KNOWN: Record<string, number> = { redis: 6379, postgres: 5432, mysql: 3306, mariadb: 3306, mongo: 27017, memcached: 11211, rabbitmq: 5672 };
/** Client images: a server only if the command starts one. */
const CLIENTS = ['busybox', 'alpine', 'curl', 'netshoot', 'debian', 'ubuntu', 'pause', 'bash'];

interface ImageRef {
  /** `curlimages/curl` */
  name: string;
  /** the last path element: `curl` */
  last: string;
  image: string;
}

interface CatalogEntry {
  /** What this row is, for a reader of the table. */
  title: string;
  match(ref: ImageRef, c: ContainerSpec): boolean;
  serves(c: ContainerSpec, ref: ImageRef): ServedPort[];
}

/** What each image serves, first match wins (an image not listed serves its declared ports). */
const SERVERS: CatalogEntry[] = [
  {
    // calico-node (host network): BIRD's BGP listener when CALICO_NETWORKING_BACKEND is bird (calico.yaml's default; not with vxlan),
    // Felix's health endpoint on localhost (FELIX_HEALTHHOST defaults to localhost, FELIX_HEALTHPORT to 9099: felix/config/config_params.go)
    title: 'calico-node (BIRD, Felix)',
    match: (r) => r.name === 'calico/node',
    serves: (c) => [...((envOf(c, 'CALICO_NETWORKING_BACKEND') ?? 'bird') === 'bird' ? [P(179, 'tcp', 'tcp', 'bird')] : []), P(9099, 'tcp', 'tcp', 'calico-node felix health')],
  },
  {
    title: 'ingress-nginx controller',
    match: (r) => r.name.includes('ingress-nginx/controller') || r.last === 'nginx-ingress-controller',
    serves: () => [
      P(80, 'tcp', 'ingress-nginx', 'ingress-nginx controller'),
      P(443, 'tcp', 'ingress-nginx', 'ingress-nginx controller', undefined, true),
      P(10254, 'tcp', 'ingress-nginx-health', 'ingress-nginx healthz'),
      P(8443, 'tcp', 'tcp', 'ingress-nginx admission webhook', undefined, true),
    ],
  },
  {
    title: 'Envoy managed by Envoy Gateway (its HTTP listeners come over xDS: controllers/gateway)',
    match: (r) => r.name === 'envoyproxy/envoy',
    serves: () => [P(19001, 'tcp', 'tcp', 'envoy stats'), P(19003, 'tcp', 'tcp', 'envoy readiness')],
  },
  {
    title: 'nginx (the official image; nginx-unprivileged on 8080)',
    match: (r) => r.last === 'nginx' || r.last === 'nginx-unprivileged',
    serves: (_c, r) => {
      const v = nginxVersion(r.image);
      return [P(r.last === 'nginx-unprivileged' ? 8080 : 80, 'tcp', 'nginx', `nginx ${v.version}`, { version: v.version, mtime: String(v.mtime) })];
    },
  },
  {
    // registry.k8s.io/nginx-slim:0.24 (ingress-nginx images/nginx-slim at 87b1d137d: build.sh NGINX_VERSION=1.13.5,
    // the Dockerfile's CMD nginx -g 'daemon off;', EXPOSE 80 443; nginx's make install puts html/index.html in
    // the prefix): the stock welcome page on 80. The page's Last-Modified is 1.13.5's release day
    // (nginx.org CHANGES, 05 Sep 2017): the image's build time is not in its sources. 443 has no certificate configured.
    title: 'nginx-slim (nginx 1.13.5)',
    match: (r) => r.last === 'nginx-slim',
    serves: () => [P(80, 'tcp', 'nginx', 'nginx 1.13.5', { version: '1.13.5', mtime: String(Date.UTC(2017, 8, 5, 12, 0, 0)) })],
  },
  {
    // gcr.io/google-samples/hello-frontend:1.0 (kubernetes/website content/en/examples/service/access/Dockerfile:
    // FROM nginx:1.9.14, default.conf removed, frontend.conf: `upstream Backend { server hello; }`, `listen 80`,
    // `location / { proxy_pass http://Backend; }`): every request goes to the Service named hello, port 80
    title: 'hello-frontend (nginx 1.9.14 proxying to http://hello)',
    match: (r) => r.name === 'google-samples/hello-frontend',
    serves: () => [P(80, 'tcp', 'nginx-proxy', 'nginx 1.9.14 (proxy to hello)', { version: '1.9.14', upstream: 'hello', upstreamPort: '80' })],
  },
  {
    // gcr.io/google-samples/hello-go-gke:1.0, the backend of Connect a Frontend to a Backend: kelseyhightower/app
    // hello/main.go (-http 0.0.0.0:80: HelloHandler's {"message":"Hello"}; -health 0.0.0.0:81: /healthz, /readiness)
    title: 'hello-go-gke (80, health on 81)',
    match: (r) => r.name === 'google-samples/hello-go-gke',
    serves: () => [P(80, 'tcp', 'hello-go', 'hello (kelseyhightower/app)'), P(81, 'tcp', 'hello-go', 'hello health', { health: 'true' })],
  },
  {
    // registry.k8s.io/goproxy:0.1 (kubernetes test/images/goproxy/goproxy.go: elazarl/goproxy's
    // NewProxyHttpServer on http.ListenAndServe(":8080")), the TCP probes example's server
    title: 'goproxy (an HTTP proxy on 8080)',
    match: (r) => r.last === 'goproxy',
    serves: () => [P(8080, 'tcp', 'goproxy', 'goproxy')],
  },
  { title: 'Apache httpd', match: (r) => r.last === 'httpd', serves: () => [P(80, 'tcp', 'httpd', 'Apache httpd 2.4')] },
  {
    title: 'hashicorp/http-echo (-listen, -text)',
    match: (r) => r.name === 'hashicorp/http-echo' || r.last === 'http-echo',
    serves: (c) => {
      const argv = argvOf(c);
      const listen = argValue(argv, ['-listen', '--listen']) ?? ':5678';
      const port = Number(listen.split(':').pop()) || 5678;
      return [P(port, 'tcp', 'http-echo', 'http-echo', { text: argValue(argv, ['-text', '--text']) ?? '' })];
    },
  },
  { title: 'ealen/echo-server ($PORT, 80)', match: (r) => r.name === 'ealen/echo-server', serves: (c) => [P(Number(envOf(c, 'PORT')) || 80, 'tcp', 'ealen-echo', 'echo-server')] },
  {
    title: 'jmalloc/echo-server, kicbase/echo-server ($PORT, 8080)',
    match: (r) => r.name === 'jmalloc/echo-server' || r.name === 'kicbase/echo-server',
    serves: (c) => [P(Number(envOf(c, 'PORT')) || 8080, 'tcp', 'jmalloc-echo', 'echo-server')],
  },
  {
    // gateway-api conformance/echo-basic/echo-basic.go (the Gateway API conformance backend, Envoy
    // Gateway's quickstart app): HTTP on $HTTP_PORT (3000) and h2c on $H2C_PORT (3001), echoing
    // the request as JSON with its context from NAMESPACE, INGRESS_NAME, SERVICE_NAME, POD_NAME.
    // Its gRPC and TCP modes (GRPC_ECHO_SERVER, TCP_ECHO_SERVER) and HTTPS (TLS_SERVER_CERT) are not modelled.
    title: 'gateway-api echo-basic ($HTTP_PORT 3000, $H2C_PORT 3001)',
    match: (r) => r.last === 'echo-basic',
    serves: (c) => {
      const httpPort = envOf(c, 'HTTP_PORT') || '3000';
      const h2cPort = envOf(c, 'H2C_PORT') || '3001';
      const context = { ...envParam(c, 'NAMESPACE', 'namespace'), ...envParam(c, 'INGRESS_NAME', 'ingress'), ...envParam(c, 'SERVICE_NAME', 'service'), ...envParam(c, 'POD_NAME', 'pod') };
      return [
        P(Number(httpPort) || 3000, 'tcp', 'echo-basic', 'echo-basic', { ...context, httpPort }),
        P(Number(h2cPort) || 3001, 'tcp', 'echo-basic', 'echo-basic (h2c)', { ...context, httpPort, h2c: 'true' }),
      ];
    },
  },
  { title: 'echoserver (nginx 1.13.3 + lua)', match: (r) => r.last === 'echoserver', serves: () => [P(8080, 'tcp', 'echoserver', 'echoserver (nginx 1.13.3 + lua)')] },
  {
    title: 'agnhost netexec | liveness | serve-hostname',
    match: (r) => r.last === 'agnhost',
    serves: (c) => {
      const argv = argvOf(c);
      if (argv.includes('netexec')) {
        const http = Number(argValue(argv, ['--http-port'])) || 8080;
        const udp = Number(argValue(argv, ['--udp-port'])) || 8081;
        const out = [P(http, 'tcp', 'netexec', 'agnhost netexec')];
        if (udp > 0) out.push(P(udp, 'udp', 'udp', 'agnhost netexec (UDP)'));
        return out;
      }
      // test/images/agnhost/liveness/server.go: http.ListenAndServe(":8080"), /healthz healthy for its first 10 s
      if (argv.includes('liveness')) return [P(8080, 'tcp', 'agnhost-liveness', 'agnhost liveness')];
      // test/images/agnhost/grpc-health-checking: grpc.health.v1.Health on --port (5000) for --service (""),
      // NOT_SERVING from --delay-unhealthy-sec on (-1: never). Its HTTP control port (--http-port 8080,
      // /make-serving and /make-not-serving) is not modelled.
      if (argv.includes('grpc-health-checking')) {
        const port = Number(argValue(argv, ['--port', '-port'])) || 5000;
        const delay = argValue(argv, ['--delay-unhealthy-sec', '-delay-unhealthy-sec']) ?? '-1';
        return [P(port, 'tcp', 'grpc-health', 'agnhost grpc-health-checking', { service: argValue(argv, ['--service', '-service']) ?? '', delay })];
      }
      if (argv.includes('serve-hostname')) {
        const port = Number(argValue(argv, ['--port'])) || 9376;
        return [P(port, argv.includes('--udp') ? 'udp' : 'tcp', 'serve-hostname', 'agnhost serve-hostname')];
      }
      return [];
    },
  },
  {
    // kubernetes/contrib serve_hostname (the image the Debug Services page runs): HTTP on 9376 answering the hostname;
    // -tcp/-udp serve it raw instead, -port moves it (the same program agnhost serve-hostname grew from)
    title: 'serve_hostname (9376)',
    match: (r) => r.last === 'serve_hostname',
    serves: (c) => {
      const argv = argvOf(c);
      const port = Number(argValue(argv, ['-port', '--port'])) || 9376;
      const raw = argv.some((a) => /^--?(tcp|udp)(=true)?$/.test(a));
      if (!raw) return [P(port, 'tcp', 'serve-hostname', 'serve_hostname')];
      const out: ServedPort[] = [];
      if (argv.some((a) => /^--?tcp(=true)?$/.test(a))) out.push(P(port, 'tcp', 'tcp', 'serve_hostname (TCP)'));
      if (argv.some((a) => /^--?udp(=true)?$/.test(a))) out.push(P(port, 'udp', 'udp', 'serve_hostname (UDP)'));
      return out;
    },
  },
  {
    // kubernetes-engine-samples quickstarts/hello-app/main.go: $PORT (8080), "Hello, world!", the version, the hostname
    title: 'google-samples hello-app ($PORT, 8080)',
    match: (r) => HELLO_APP.has(r.name),
    serves: (c, r) => [P(Number(envOf(c, 'PORT')) || 8080, 'tcp', 'hello-app', 'hello-app', { version: imageTag(r.image) === '2.0' ? '2.0.0' : '1.0.0' })],
  },
  {
    // gcr.io/google-samples/node-hello:1.0, the kubernetes.io load-balancer example: a Node.js
    // http server on 8080 answering every request "Hello Kubernetes!" (the page's expected output)
    title: 'google-samples node-hello (8080)',
    match: (r) => r.name === 'google-samples/node-hello',
    serves: () => [P(8080, 'tcp', 'node-hello', 'node-hello')],
  },
  {
    title: 'CoreDNS',
    match: (r) => r.last === 'coredns',
    serves: (_c, r) => [P(53, 'udp', 'coredns', 'CoreDNS'), P(53, 'tcp', 'coredns', 'CoreDNS'), P(8080, 'tcp', 'coredns-health', 'CoreDNS health'), P(8181, 'tcp', 'coredns-health', 'CoreDNS ready'), P(9153, 'tcp', 'coredns-health', 'CoreDNS metrics', { tag: imageTag(r.image) })],
  },
  {
    // pilot-agent + Envoy (istio/proxyv2): `proxy sidecar` in an injected Pod, `proxy router` in a gateway
    // (pkg/config/constants: 15001 outbound, 15006 inbound, 15020 merged metrics, 15021 health, 15090 Envoy's Prometheus)
    title: 'Istio proxy (pilot-agent and Envoy: sidecar or gateway)',
    match: (r) => r.name === 'istio/proxyv2',
    serves: (c) => {
      const router = argvOf(c).includes('router');
      const common = [P(15020, 'tcp', 'tcp', 'pilot-agent (merged metrics)'), P(15021, 'tcp', 'tcp', 'Envoy (health)'), P(15090, 'tcp', 'tcp', 'Envoy (Prometheus)')];
      if (router) return [P(8080, 'tcp', 'tcp', 'Envoy (gateway http)'), P(8443, 'tcp', 'tcp', 'Envoy (gateway https)', undefined, true), ...common];
      return [P(15001, 'tcp', 'tcp', 'Envoy (outbound capture)'), P(15006, 'tcp', 'tcp', 'Envoy (inbound capture)'), ...common];
    },
  },
  {
    // pilot-discovery (istio/pilot): xDS plaintext and TLS, monitoring, the injection webhook
    title: 'istiod (pilot-discovery)',
    match: (r) => r.name === 'istio/pilot',
    serves: () => [P(8080, 'tcp', 'tcp', 'istiod (debug)'), P(15010, 'tcp', 'tcp', 'istiod (xDS, plaintext gRPC)'), P(15012, 'tcp', 'tcp', 'istiod (xDS over mTLS)', undefined, true), P(15014, 'tcp', 'tcp', 'istiod (monitoring)'), P(15017, 'tcp', 'tcp', 'istiod (injection webhook)', undefined, true)],
  },
  { title: 'databases and queues', match: (r) => !!WELL_KNOWN[r.last], serves: (_c, r) => [P(WELL_KNOWN[r.last], 'tcp', 'tcp', r.last)] },
  {
    title: 'client images (a server only if the command starts one: nc -l, busybox httpd, iperf3 -s, socat TCP-LISTEN)',
    match: (r) => CLIENTS.includes(r.last),
    serves: (c) => {
      const joined = argvOf(c).join(' ');
      const nc = joined.match(/\bnc\b[^;&|]*?-l[^;&|]*?(?:-p\s*)?(\d{2,5})/);
      if (nc) return [P(Number(nc[1]), joined.match(/\bnc\b[^;&|]*-u/) ? 'udp' : 'tcp', 'tcp', 'nc -l', relayParams(joined.match(/\bnc\b[^;&|]*/)![0], /\s-[ec]\s*(?:\/bin\/)?cat\b/, /\s-[ec]\s/))];
      const httpd = joined.match(/\bhttpd\b[^;&|]*-p\s*(?:[\d.]*:)?(\d+)/);
      if (httpd) return [P(Number(httpd[1]), 'tcp', 'generic-http', 'busybox httpd')];
      // only an image that ships the binary (netshoot) runs it; elsewhere the exec fails
      const ships = (tool: string) => imageProfile(c.image).tools.includes(tool);
      const iperf = ships('iperf3') ? iperf3ServerPort(argvOf(c)) : undefined;
      if (iperf !== undefined) return [P(iperf, 'tcp', 'iperf3', 'iperf3 -s')];
      const socat = ships('socat') ? socatListener(argvOf(c)) : undefined;
      if (socat) return [P(socat.port, socat.proto, socat.proto === 'udp' ? 'udp' : 'tcp', `socat ${socat.keyword}`, relayParams(` ${socat.other}`, /^\s*(EXEC|SYSTEM):['"]?(\/bin\/)?cat['"]?$/i, /^\s*(EXEC|SYSTEM):/i, /^\s*(-|STDIO|STDOUT|STDIN)(,|$)/i))];
      return [];
    },
  },
  {
    // hostNetwork static Pods: the node's own sockets (6443, 2379/2380, 10257, 10259) are modelled with the node, not here —
    // without this entry kube-apiserver matched the JSON-API rule below and showed a listener on 8080 it does not have
    title: 'the control plane (kube-apiserver, etcd, kube-controller-manager, kube-scheduler: the node serves their ports)',
    match: (r) => ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'].includes(r.last),
    serves: () => [],
  },
  {
    title: 'a JSON API (an image named *api* or *backend*, or NETLAB_APP=json)',
    match: (r, c) => /api|backend/.test(r.name) || envOf(c, 'NETLAB_APP') === 'json',
    serves: (c, r) => {
      const ports = declaredTcp(c);
      return (ports.length ? ports : [8080]).map((p) => P(p, 'tcp', 'json-api', `${r.last} (JSON API)`));
    },
  },
];

/** hello-app's names: gcr.io's, and Artifact Registry's where Google publishes it now. */
const HELLO_APP = new Set(['google-samples/hello-app', 'google-samples/containers/gke/hello-app']);

function refOf(image: string): ImageRef {
  const name = imageName(image);
  return { name, last: name.split('/').pop() ?? '', image };
}

/** Every tool name some image's userland ships (the command table answers each one, modelled or not). */
export function catalogToolNames(): string[] {
  return [...new Set(Object.values(USERLANDS).flatMap((u) => u.tools))];
}

/** What an image ships: its shell, its nslookup, its network tools. */
export function imageProfile(image: string | undefined): ImageProfile {
  const { name, last } = refOf(image ?? '');
  if (last === 'busybox') return USERLANDS.busybox;
  if (last === 'alpine') return USERLANDS.alpine;
  if (name === 'curlimages/curl' || last === 'curl') return USERLANDS.curl;
  if (last === 'netshoot') return USERLANDS.netshoot;
  if (last === 'agnhost') return USERLANDS.agnhost;
  if (last === 'nginx' || last === 'nginx-unprivileged') return imageTag(image ?? '').includes('alpine') ? USERLANDS['nginx-alpine'] : USERLANDS.nginx;
  if (name.endsWith('ingress-nginx/controller') || last === 'nginx-ingress-controller') return USERLANDS['ingress-nginx'];
  if (last === 'httpd') return USERLANDS.httpd;
  if (name === 'cilium/cilium') return USERLANDS.cilium;
  if (name === 'radial/busyboxplus') return USERLANDS.busyboxplus;
  if (last === 'jessie-dnsutils') return USERLANDS.dnsutils;
  if (last === 'kube-proxy') return USERLANDS['kube-proxy'];
  if (last === 'serve_hostname' || last === 'goproxy' || HELLO_APP.has(name)) return USERLANDS.static;
  if (last === 'pause') return USERLANDS.pause;
  if (last === 'nginx-slim') return USERLANDS['nginx-slim'];
  if (name === 'google-samples/hello-go-gke') return USERLANDS['hello-go'];
  // hello-frontend (kubernetes/website examples/service/access/Dockerfile): FROM nginx:1.9.14, Debian's nginx image
  if (name === 'google-samples/hello-frontend') return USERLANDS.nginx;
  return USERLANDS.debian;
}

/** The sockets one container's process opens, by its image, command and env. */
export function servedPorts(c: ContainerSpec): ServedPort[] {
  const ref = refOf(c.image ?? '');
  const entry = SERVERS.find((e) => e.match(ref, c));
  if (entry) return entry.serves(c, ref);
  // anything else serves plain HTTP on the TCP ports it declares (and UDP ones as raw UDP)
  return [
    ...declaredTcp(c).map((p) => P(p, 'tcp', 'generic-http', ref.last || 'app')),
    ...(c.ports ?? []).filter((p) => p.protocol === 'UDP').map((p) => P(p.containerPort, 'udp', 'udp', ref.last || 'app')),
  ];
}

// ---- one network namespace, one port space ---------------------------------------------

/** A container's process trying to open its sockets: who, from which start, in which spec position. */
export interface BindAttempt {
  name: string;
  spec: ContainerSpec;
  /** When this instance of the process started (ms). */
  startedAt: number;
  /** The container's index in spec.containers: the kubelet starts them in that order. */
  order: number;
}

/** A process that could not bind: the first of its ports another container of the Pod already holds. */
export interface BindFailure {
  name: string;
  port: number;
  proto: 'tcp' | 'udp';
  /** The container whose process holds the port. */
  holder: string;
}

/**
 * Which processes of one Pod fail to start because another container of the same Pod
 * holds a port they need. Every container of a Pod shares the sandbox's network
 * namespace, so a TCP or UDP port can be bound once: the process that binds first keeps
 * it and the next gets EADDRINUSE. "First" is the earlier start; at the same start, the
 * container listed first (the kubelet starts containers in spec order). A process that
 * fails holds nothing, so a third container on the same port fails on the first holder.
 */
export function bindFailures(attempts: BindAttempt[]): Map<string, BindFailure> {
  const taken = new Map<string, string>();
  const failed = new Map<string, BindFailure>();
  const ordered = [...attempts].sort((a, b) => a.startedAt - b.startedAt || a.order - b.order);
  for (const a of ordered) {
    const ports = servedPorts(a.spec);
    const clash = ports.find((p) => taken.has(`${p.proto}/${p.port}`));
    if (clash) {
      failed.set(a.name, { name: a.name, port: clash.port, proto: clash.proto, holder: taken.get(`${clash.proto}/${clash.port}`)! });
      continue;
    }
    for (const p of ports) taken.set(`${p.proto}/${p.port}`, a.name);
  }
  return failed;
}

/** The status fields bindFailures needs: a container's name and when its running process started. */
export interface RunningState {
  name: string;
  state?: { running?: { startedAt?: string | null } | null } | null;
}

/** The processes of a Pod that are running now, as bind attempts (from its containers and their statuses). */
export function runningAttempts(containers: ContainerSpec[], statuses: RunningState[]): BindAttempt[] {
  const out: BindAttempt[] = [];
  containers.forEach((spec, order) => {
    const started = statuses.find((s) => s.name === spec.name)?.state?.running?.startedAt;
    if (started) out.push({ name: spec.name, spec, startedAt: Date.parse(started), order });
  });
  return out;
}
