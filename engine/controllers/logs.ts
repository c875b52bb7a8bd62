/**
 * Container logs (`kubectl logs`): each running container's startup lines, derived
 * from its image and start time the way the real program prints them, followed by
 * whatever other parts of the engine appended (the traffic room's access-log lines, a
 * one-shot command's output the kubelet recorded). Appended lines belong to one container
 * instance (its containerID: the runtime's log file), and the previous instance's are kept
 * for `--previous`. Only appended lines are state (snapshotted); startup lines are recomputed.
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import type { Container, Pod } from '../cluster/types';
import type { Change, KindStore } from '../cluster/store';
import { sha1, sha512 } from '../cluster/hash';
import { parseImage } from './images';
import { bindFailures, nginxVersion, runningAttempts, servedPorts, type BindFailure } from '../hosts/images';
import { corednsBuild, NODE_KERNEL_RELEASE } from '../cluster/release';
import { corednsStartError, parseCorefile, type Corefile } from './dns/corefile';

/** Plugins of the Corefile the simulation does not carry out, said in CoreDNS's log rather than dropped in silence. */
function unsimulatedLines(cf: Corefile): string[] {
  return cf.unsimulated.map((p) => `[WARNING] netlab: ${p} is not simulated here: CoreDNS answers as if it were not in the Corefile`);
}
import { configuredMode } from './system';
import { istioInitLines, istiodStartupLines, proxyStartupLines } from './istio/logs';

/**
 * The kubelet's containerLogMaxSize (10Mi): past it the container log manager rotates the
 * file, and `kubectl logs` reads only the current one.
 */
export const CONTAINER_LOG_MAX_SIZE = 10 * 1024 * 1024;

interface ContainerLog {
  uid: string;
  /** The container instance (its containerID) the lines belong to: each instance writes its own file. */
  cid?: string;
  lines: string[];
  /** bytes in the current file (lines and their newlines) */
  bytes?: number;
  /** the file was rotated: the startup lines are in an older file */
  rotated?: boolean;
  /** CoreDNS: the SHA512 of the Corefile the run started with (a reload since has changed the ConfigMap) */
  startCorefile?: { startedAt: string; sha: string };
  /** The instance before this one (what `kubectl logs --previous` reads): the kubelet keeps one dead container per container. */
  previous?: { cid?: string; lines: string[]; rotated?: boolean };
}

type StatusLike = { containerID?: string; state?: { running?: unknown; terminated?: { containerID?: string }; waiting?: unknown }; lastState?: { terminated?: { containerID?: string } } };

/** The container instance whose log `kubectl logs` reads: the running or dead one, the last dead one while it waits to restart. */
function currentInstance(st: StatusLike | undefined): string | undefined {
  if (!st) return undefined;
  if (st.state?.waiting) return st.lastState?.terminated?.containerID;
  return st.state?.terminated?.containerID ?? st.containerID;
}

export class LogsModule implements SimModule {
  readonly name = 'logs';
  /** `ns/pod/container` → appended lines (for the current pod uid) */
  private lines: Record<string, ContainerLog> = {};
  private unsubscribe?: () => void;

  constructor(private cluster: Cluster) {}

  private get store(): KindStore {
    return this.cluster.store;
  }

  init(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.cluster.store.subscribe((c: Change) => {
      if (c.type === 'DELETED' && c.object.kind === 'Pod') {
        const prefix = `${c.object.metadata.namespace}/${c.object.metadata.name}/`;
        for (const k of Object.keys(this.lines)) if (k.startsWith(prefix)) delete this.lines[k];
      }
      if (c.type === 'MODIFIED' && c.object.kind === 'ConfigMap' && c.object.metadata.name === 'coredns' && c.old) this.corefileReloaded(c.object.metadata.namespace ?? 'kube-system', String(c.old.data?.Corefile ?? ''), String(c.object.data?.Corefile ?? ''));
    });
  }

  snapshot(): unknown {
    return structuredClone(this.lines);
  }

  restore(data: unknown): void {
    this.lines = structuredClone((data as typeof this.lines) ?? {});
  }

  /**
   * A changed Corefile, as each running CoreDNS sees it: its reload plugin (when the running
   * Corefile has one) notices the new SHA512 and restarts the server (coredns/caddy's
   * restart: "[INFO] Reloading" … "[INFO] Reloading complete", plugin/reload/reload.go's
   * "Running configuration SHA512" in between). The log is append-only: the run's startup
   * lines keep the SHA it started with.
   */
  private corefileReloaded(namespace: string, before: string, after: string): void {
    if (before === after || !/^\s*reload\b/m.test(before)) return;
    for (const p of this.store.list('Pod', namespace)) {
      if (p.metadata.labels?.['k8s-app'] !== 'kube-dns') continue;
      const st = (p.status?.containerStatuses ?? []).find((x) => x.name === 'coredns');
      const startedAt = st?.state?.running?.startedAt;
      if (!startedAt) continue;
      const k = `${namespace}/${p.metadata.name}/coredns`;
      const cur = this.lines[k];
      const known = cur?.uid === p.metadata.uid && cur.startCorefile?.startedAt === startedAt;
      const cf = parseCorefile(after);
      // plugin/reload/reload.go: a file caddyfile.Parse itself refuses is only warned about, no
      // restart (the real plugin warns again at each check, every 30 s; said once here)
      if (cf.errorStage === 'syntax') {
        this.append(namespace, p.metadata.name, 'coredns', `[WARNING] plugin/reload: Corefile parse failed: ${cf.error}`);
        if (!known) this.lines[k].startCorefile = { startedAt, sha: sha512(before) };
        continue;
      }
      this.append(namespace, p.metadata.name, 'coredns', '[INFO] Reloading');
      if (!known) this.lines[k].startCorefile = { startedAt, sha: sha512(before) };
      if (cf.error) {
        // coredns/caddy Restart keeps the running instance; plugin/reload/reload.go logs the wrapped error
        this.append(namespace, p.metadata.name, 'coredns', `[ERROR] Restart failed: ${cf.error}`);
        this.append(namespace, p.metadata.name, 'coredns', `[ERROR] plugin/reload: Corefile changed but reload failed: starting with listener file descriptors: ${cf.error}`);
        continue;
      }
      this.append(namespace, p.metadata.name, 'coredns', `[INFO] plugin/reload: Running configuration SHA512 = ${sha512(after)}`);
      this.append(namespace, p.metadata.name, 'coredns', '[INFO] Reloading complete');
      for (const w of unsimulatedLines(cf)) this.append(namespace, p.metadata.name, 'coredns', w);
    }
  }

  /** Appends one line to a container's log (no trailing newline): the file of its current instance. */
  append(namespace: string, pod: string, container: string, line: string): void {
    const p = this.store.get('Pod', namespace, pod);
    if (!p) return;
    const k = `${namespace}/${pod}/${container}`;
    const cur = this.lines[k];
    const size = line.length + 1;
    const st = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].find((s) => s.name === container);
    const cid = currentInstance(st);
    if (!cur || cur.uid !== p.metadata.uid) this.lines[k] = { uid: p.metadata.uid, cid, lines: [line], bytes: size };
    else if (cid !== undefined && cur.cid !== undefined && cur.cid !== cid) {
      // a new instance (a restart): a new file; the kubelet keeps the last dead one's
      this.lines[k] = { uid: p.metadata.uid, cid, lines: [line], bytes: size, previous: { cid: cur.cid, lines: cur.lines, ...(cur.rotated ? { rotated: true } : {}) } };
    } else if ((cur.bytes ?? 0) + size > CONTAINER_LOG_MAX_SIZE) {
      // rotation: a fresh file holds what comes next
      this.lines[k] = { uid: p.metadata.uid, cid: cur.cid ?? cid, lines: [line], bytes: size, rotated: true, ...(cur.previous ? { previous: cur.previous } : {}) };
    } else {
      cur.cid ??= cid;
      cur.lines.push(line);
      cur.bytes = (cur.bytes ?? 0) + size;
    }
  }

  sizes(): Record<string, number> {
    let lines = 0;
    for (const l of Object.values(this.lines)) lines += l.lines.length;
    return { containers: Object.keys(this.lines).length, lines };
  }

  /**
   * The container's log lines so far; empty if it never started. Like the kubelet
   * (validateContainerLogStatus), a container waiting to restart (CrashLoopBackOff) shows
   * the log of its last, terminated run.
   */
  read(namespace: string, pod: string, container: string): string[] {
    const p = this.store.get('Pod', namespace, pod);
    if (!p) return [];
    // an init container's log is its finished run's (istio-init)
    const st = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].find((s) => s.name === container);
    const startedAt = st?.state?.running?.startedAt ?? st?.state?.terminated?.startedAt ?? (st?.state?.waiting ? st?.lastState?.terminated?.startedAt : undefined);
    if (!startedAt) return [];
    const file = this.instanceFile(p, container, currentInstance(st));
    // after a rotation the startup lines are in an older file kubectl logs does not read
    const out = file?.rotated ? [] : this.runLines(p, container, Date.parse(startedAt));
    if (file) out.push(...file.lines);
    return out;
  }

  /** What an instance of the container appended (its access log, its command's output), if it is the current or the previous one. */
  private instanceFile(p: Pod, container: string, cid: string | undefined): { lines: string[]; rotated?: boolean } | undefined {
    const log = this.lines[`${p.metadata.namespace}/${p.metadata.name}/${container}`];
    if (!log || log.uid !== p.metadata.uid) return undefined;
    // lines kept before instances were told apart belong to the current one
    if (log.cid === undefined || log.cid === cid) return log;
    return log.previous && log.previous.cid === cid ? log.previous : undefined;
  }

  /**
   * `kubectl logs --previous`: the log of the container's last terminated run, or the
   * kubelet's error when it has none.
   */
  readPrevious(namespace: string, pod: string, container: string): { lines: string[] } | { error: string } {
    const p = this.store.get('Pod', namespace, pod);
    const st = (p?.status?.containerStatuses ?? []).find((s) => s.name === container);
    const startedAt = st?.lastState?.terminated?.startedAt;
    if (!p || !startedAt) return { error: `previous terminated container "${container}" in pod "${pod}" not found` };
    const cid = st?.lastState?.terminated?.containerID;
    const log = this.lines[`${namespace}/${pod}/${container}`];
    const file = cid !== undefined && log?.uid === p.metadata.uid ? (log.cid === cid ? log : log.previous?.cid === cid ? log.previous : undefined) : undefined;
    return { lines: [...(file?.rotated ? [] : this.runLines(p, container, Date.parse(startedAt))), ...(file?.lines ?? [])] };
  }

  /** What one run of a container printed, started at `t`: its startup, or why it could not bind its port. */
  private runLines(p: Pod, container: string, t: number): string[] {
    const containers: Container[] = p.spec?.containers ?? [];
    const c = containers.find((x) => x.name === container);
    if (!c) {
      const init = (p.spec?.initContainers ?? []).find((x: Container) => x.name === container);
      return init ? initLines(p, init, t) : [];
    }
    // the other containers running now, and this run: did another one hold its port?
    const others = p.spec?.hostNetwork ? [] : runningAttempts(containers, p.status?.containerStatuses ?? []).filter((a) => a.name !== container);
    const failure = others.length ? bindFailures([...others, { name: container, spec: c, startedAt: t, order: containers.indexOf(c) }]).get(container) : undefined;
    if (failure) return bindFailureLines(p, c, t, failure);
    const started = this.lines[`${p.metadata.namespace}/${p.metadata.name}/${container}`];
    const corefileSha = started?.uid === p.metadata.uid && started.startCorefile && Date.parse(started.startCorefile.startedAt) === t ? started.startCorefile.sha : undefined;
    return startupLines(this.cluster, p, c, t, corefileSha);
  }
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** nginx's error-log time: 2025/01/15 08:55:02 */
function nginxTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** klog header: I0115 08:55:02.123456       1 file.go:66] */
function klogAt(ms: number, micros: number, file: string, msg: string, level: 'I' | 'E' = 'I'): string {
  const d = new Date(ms);
  return `${level}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(micros, 6)}       1 ${file}] ${msg}`;
}


/** What the official image's /docker-entrypoint.sh prints before it execs nginx. */
const NGINX_ENTRYPOINT = [
  '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
  '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
  '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
  '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
  '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
  '/docker-entrypoint.sh: Configuration complete; ready for start up',
];

/** What an init container printed in its run. */
function initLines(pod: Pod, c: Partial<Container>, t: number): string[] {
  const ref = parseImage(String(c.image ?? ''));
  if (ref.repository === 'istio/proxyv2' && c.args?.[0] === 'istio-iptables') return istioInitLines(pod, t);
  return [];
}

/** A started container's pod is bound: spec.nodeName is set. */
function startupLines(cluster: Cluster, pod: Pod, c: Partial<Container>, t: number, corefileSha?: string): string[] {
  const store: KindStore = cluster.store;
  const ref = parseImage(String(c.image ?? ''));
  const repo = ref.repository;
  if (repo === 'library/nginx' && !(c.command?.length)) {
    const ts = nginxTime(t);
    const cpus = Number(store.get('Node', undefined, pod.spec?.nodeName ?? '')?.status?.capacity?.cpu ?? 2) || 2;
    // the version the image runs, as its Server header says it (hosts/images.ts): nginx:1.27 is the line's last patch
    const v = nginxVersion(String(c.image ?? '')).version;
    const alpine = ref.tag.includes('alpine');
    const lines = [
      ...NGINX_ENTRYPOINT,
      `${ts} [notice] 1#1: using the "epoll" event method`,
      `${ts} [notice] 1#1: nginx/${v}`,
      alpine ? `${ts} [notice] 1#1: built by gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309) ` : `${ts} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) `,
      `${ts} [notice] 1#1: OS: Linux ${NODE_KERNEL_RELEASE}`,
      `${ts} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
      `${ts} [notice] 1#1: start worker processes`,
    ];
    for (let i = 0; i < cpus; i++) lines.push(`${ts} [notice] 1#1: start worker process ${29 + i}`);
    return lines;
  }
  if (repo === 'library/httpd' && !(c.command?.length)) {
    const fqdn = httpdNoServerName(pod);
    return [fqdn, fqdn, apacheLine(t, 412345, 'mpm_event:notice', 'AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations'), apacheLine(t, 412689, 'core:notice', "AH00094: Command line: 'httpd -D FOREGROUND'")];
  }
  // kubernetes-engine-samples quickstarts/hello-app/main.go: log.Printf before ListenAndServe (Go's log: date and time)
  if (repo === 'google-samples/hello-app' || repo === 'google-samples/containers/gke/hello-app') return [`${nginxTime(t)} Server listening on port ${c.env?.find((e) => e.name === 'PORT')?.value || '8080'}`];
  if (repo === 'hashicorp/http-echo') return [`${nginxTime(t)} [INFO] server is listening on ${httpEchoListen(c)}`];
  // gateway-api conformance/echo-basic/echo-basic.go: the HTTP and h2c servers' fmt.Printf lines
  if (repo.endsWith('/echo-basic')) {
    const env = (n: string) => c.env?.find((e) => e.name === n)?.value || undefined;
    return [`Starting server, listening on port ${env('HTTP_PORT') ?? '3000'} (http)`, `Starting server, listening on port ${env('H2C_PORT') ?? '3001'} (h2c)`];
  }
  if (repo === 'coredns/coredns') {
    // a Corefile CoreDNS refuses: mustLogFatal's one line, then exit 1 (dns/corefile.ts)
    const refused = corednsStartError(cluster, pod.metadata.namespace ?? '', String(c.image ?? ''), t);
    if (refused !== undefined) return [refused];
    const cm = store.get('ConfigMap', pod.metadata.namespace, 'coredns');
    const corefile = String(cm?.data?.Corefile ?? '');
    const build = corednsBuild(ref.tag);
    return ['.:53', `[INFO] plugin/reload: Running configuration SHA512 = ${corefileSha ?? sha512(corefile)}`, `CoreDNS-${build.version}`, `linux/amd64, ${build.goVersion}, ${build.revision}`, ...(corefileSha === undefined ? unsimulatedLines(parseCorefile(corefile)) : [])];
  }
  // Istio 1.24.2's pilot-agent (sidecars and gateways) and istiod (controllers/istio/logs.ts)
  if (repo === 'istio/proxyv2' && c.args?.[0] === 'proxy') return proxyStartupLines(cluster, pod, c, t);
  if (repo === 'istio/pilot' && c.args?.[0] === 'discovery') return istiodStartupLines(pod, t);
  if (repo === 'calico/node' && !(c.command?.length)) return calicoNodeLines(cluster, pod, c, t);
  if (repo === 'calico/kube-controllers' && !(c.command?.length)) return calicoKubeControllersLines(pod, c, t);
  if (repo === 'kube-proxy') {
    // kube-proxy v1.34's start-up (cmd/kube-proxy/app/server.go, server_linux.go, pkg/proxy/config;
    // client-go v0.34 shared_informer.go:349/356 log "Waiting for caches to sync" / "Caches are
    // synced" with a controller key), as a v1.34 kube-proxy on an IPv4 node prints it; the
    // nodePortAddresses error is what kubeadm's config (nodePortAddresses: null) earns.
    const node = store.get('Node', undefined, pod.spec?.nodeName ?? '');
    // a dual-stack node has an InternalIP of each family, and kube-proxy retrieves both
    const ips = (node?.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address);
    const mode = cluster.settings.proxyMode;
    // Each Pod's process starts at its own instant within the second its status records, so
    // its clock readings differ from its siblings': a sub-second offset drawn from the Pod's
    // uid (stable across reads) moves every line of this run.
    const offset = parseInt(sha1(pod.metadata.uid ?? pod.metadata.name).slice(0, 8), 16) % 600_000;
    const klog = (ms: number, micros: number, file: string, msg: string, level: 'I' | 'E' = 'I') => {
      const us = micros + offset;
      return klogAt(ms + Math.floor(us / 1_000_000) * 1000, us % 1_000_000, file, msg, level);
    };
    const synced = (ms: number, micros: number, what: string) => klog(ms, micros, 'shared_informer.go:356', `"Caches are synced" controller="${what}"`);
    const waiting = (ms: number, micros: number, what: string) => klog(ms, micros, 'shared_informer.go:349', `"Waiting for caches to sync" controller="${what}"`);
    // server_linux.go platformApplyDefaults: "Using iptables proxy" only when config.conf leaves
    // the mode empty (kubeadm's default), and nftables mode defaults nodePortAddresses to
    // "primary", so server.go's nodePortAddresses complaint is not logged there.
    return [
      ...(configuredMode(mode) === '' ? [klog(t, 500113, 'server_linux.go:53', '"Using iptables proxy"')] : []),
      waiting(t, 918928, 'node informer cache'),
      synced(t + 1000, 19717, 'node informer cache'),
      klog(t + 1000, 19762, 'server.go:219', `"Successfully retrieved NodeIPs" NodeIPs=[${(ips.length ? ips : ['']).map((x) => `"${x}"`).join(',')}]`),
      ...(mode === 'nftables' ? [] : [klog(t + 1000, 94733, 'server.go:256', '"Kube-proxy configuration may be incomplete or incorrect" err="nodePortAddresses is unset; NodePort connections will be accepted on all local IPs. Consider using `--nodeport-addresses primary`"', 'E')]),
      klog(t + 1000, 189324, 'server_linux.go:132', `"Using ${mode} Proxier"`),
      ...(mode === 'iptables' ? [klog(t + 1000, 195144, 'proxier.go:242', '"Setting route_localnet=1 to allow node-ports on localhost; to change this either disable iptables.localhostNodePorts (--iptables-localhost-nodeports) or set nodePortAddresses (--nodeport-addresses) to filter loopback addresses" ipFamily="IPv4"')] : []),
      klog(t + 1000, 226391, 'server.go:527', `"Version info" version="${cluster.settings.kubernetesVersion}"`),
      klog(t + 1000, 226429, 'server.go:529', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""'),
      klog(t + 1000, 227756, 'config.go:200', '"Starting service config controller"'),
      klog(t + 1000, 227767, 'config.go:403', '"Starting serviceCIDR config controller"'),
      waiting(t + 1000, 227781, 'service config'),
      waiting(t + 1000, 227784, 'serviceCIDR config'),
      klog(t + 1000, 227782, 'config.go:106', '"Starting endpoint slice config controller"'),
      waiting(t + 1000, 227795, 'endpoint slice config'),
      klog(t + 1000, 227885, 'config.go:309', '"Starting node config controller"'),
      waiting(t + 1000, 227931, 'node config'),
      synced(t + 1000, 227941, 'node config'),
      synced(t + 1000, 328851, 'service config'),
      synced(t + 1000, 328956, 'endpoint slice config'),
      synced(t + 1000, 329088, 'serviceCIDR config'),
    ];
  }
  return [];
}

/** hashicorp/http-echo's -listen flag as given (default :5678). */
function httpEchoListen(c: Partial<Container>): string {
  const argv = [...(c.command ?? []), ...(c.args ?? [])].map(String);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i].replace(/^--/, '-');
    if (a === '-listen' && i + 1 < argv.length) return argv[i + 1];
    if (a.startsWith('-listen=')) return a.slice('-listen='.length);
  }
  return ':5678';
}

/** Apache's error-log line: [Wed Jan 15 08:55:02.412345 2025] [module:level] [pid 1:tid 1] message (the kernel tid, as 2.4.62 logs it). */
function apacheLine(ms: number, micros: number, where: string, msg: string): string {
  const d = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `[${day} ${mon} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(micros, 6)} ${d.getUTCFullYear()}] [${where}] [pid 1:tid 1] ${msg}`;
}

/** AH00558: the Pod's hostname has no domain, so Apache names itself by the address /etc/hosts gives it. */
function httpdNoServerName(pod: Pod): string {
  const ip = pod.status?.podIP ?? '127.0.0.1';
  return `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ip}. Set the 'ServerName' directive globally to suppress this message`;
}

/**
 * What a server prints when another container of its Pod already holds its port (both
 * share the Pod's network namespace), in the program's own words:
 * - nginx (ngx_open_listening_sockets): five rounds 500 ms apart over its two listening
 *   sockets (0.0.0.0 and [::], the image's default.conf), each error also on stderr as
 *   "nginx: [emerg] …", then "still could not bind()"; the docker entrypoint ran first.
 * - Apache httpd: AH00558, then the [::] and the 0.0.0.0 socket fail, and it shuts down.
 * - hashicorp/http-echo: Go's net/http error through log.Fatalf.
 */
function bindFailureLines(pod: Pod, c: Partial<Container>, t: number, f: BindFailure): string[] {
  const repo = parseImage(String(c.image ?? '')).repository;
  const app = servedPorts(c as Container).find((p) => p.port === f.port)?.app;
  if (app === 'nginx' && !(c.command?.length)) {
    const lines = NGINX_ENTRYPOINT.slice();
    for (let round = 0; round < 5; round++) {
      const ts = nginxTime(t + round * 500);
      for (const addr of [`0.0.0.0:${f.port}`, `[::]:${f.port}`]) {
        lines.push(`${ts} [emerg] 1#1: bind() to ${addr} failed (98: Address already in use)`, `nginx: [emerg] bind() to ${addr} failed (98: Address already in use)`);
      }
      lines.push(`${ts} [notice] 1#1: try again to bind() after 500ms`);
    }
    lines.push(`${nginxTime(t + 2500)} [emerg] 1#1: still could not bind()`, 'nginx: [emerg] still could not bind()');
    return lines;
  }
  if (repo === 'library/httpd' && !(c.command?.length)) {
    return [
      httpdNoServerName(pod),
      `(98)Address already in use: AH00072: make_sock: could not bind to address [::]:${f.port}`,
      `(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:${f.port}`,
      'no listening sockets available, shutting down',
      'AH00015: Unable to open logs',
    ];
  }
  if (repo === 'hashicorp/http-echo') {
    const listen = httpEchoListen(c);
    return [`${nginxTime(t)} [INFO] server is listening on ${listen}`, `${nginxTime(t)} [ERR] server exited with: listen tcp ${listen}: bind: address already in use`];
  }
  // a program whose words we do not know prints nothing we could show truthfully
  return [];
}

/** calico/node's release (engine/controllers/cni/plugins/calico: docker.io/calico/node:v3.28.2) as its build stamps it. */
const CALICO_BUILD: Record<string, { commit: string; date: string }> = {
  // lib.Makefile: GIT_COMMIT = git rev-parse HEAD of the tag; DATE = date -u +'%FT%T%z' (the tag's commit time)
  'v3.28.2': { commit: '9a96ee39f3833c3eabde151add8a84d546bcf24d', date: '2024-09-18T16:47:55+0000' },
};

/** libcalico-go lib/logutils Formatter: `2006-01-02 15:04:05.000 [INFO][pid] component/file.go line: message`. */
function calicoLine(ms: number, pid: number, where: string, msg: string, level = 'INFO'): string {
  const d = new Date(ms);
  const stamp = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  return `${stamp} [${level}][${pid}] ${where}: ${msg}`;
}

/** A small PID inside the container's PID namespace, fixed per Pod (start_runit is PID 1). */
function containerPid(pod: Pod, what: string, base: number, spread: number): number {
  return base + (parseInt(sha1(`${pod.metadata.uid}/${what}`).slice(0, 4), 16) % spread);
}

/**
 * calico/node v3.28's container log: start_runit runs `calico-node -startup` (component
 * "startup"), then runsvdir starts Felix (component "felix"). Lines and line numbers from
 * the v3.28.2 tree: node/pkg/lifecycle/startup/startup.go, node/pkg/lifecycle/utils/utils.go
 * (DetermineNodeName), startup/autodetection/autodetection_methods.go (first-found),
 * node/filesystem/etc/rc.local (its echo lines once the services are enabled),
 * felix/daemon/daemon.go and felix/dataplane/driver.go. The default pool is created by the
 * first node only; the others find it exists and say nothing.
 */
function calicoNodeLines(cluster: Cluster, pod: Pod, c: Partial<Container>, t: number): string[] {
  const store: KindStore = cluster.store;
  const env = new Map((c.env ?? []).map((e) => [e.name, e.value ?? '']));
  const nodeName = pod.spec?.nodeName ?? '';
  const node = store.get('Node', undefined, nodeName);
  const ip = (node?.status?.addresses ?? []).find((a) => a.type === 'InternalIP' && !a.address.includes(':'))?.address;
  const version = parseImage(String(c.image ?? '')).tag;
  const build = CALICO_BUILD[version] ?? { commit: '<unknown>', date: '' };
  const cpus = Number(node?.status?.capacity?.cpu ?? 2) || 2;
  const sp = containerPid(pod, 'startup', 9, 4);
  const s = (ms: number, where: string, msg: string, level?: string) => calicoLine(t + ms, sp, `startup/${where}`, msg, level);
  const out = [
    s(12, 'startup.go 431', 'Early log level set to info'),
    env.has('NODENAME') ? s(12, 'utils.go 126', `Using NODENAME environment for node name ${nodeName}`) : s(12, 'utils.go 130', `Using HOSTNAME environment (lowercase) for node name ${nodeName}`),
    s(12, 'utils.go 138', `Determined node name: ${nodeName}`),
    s(13, 'startup.go 95', `Starting node ${nodeName} with version ${version}`),
  ];
  if (env.get('WAIT_FOR_DATASTORE') === 'true') out.push(s(14, 'startup.go 436', 'Checking datastore connection'), s(31, 'startup.go 460', 'Datastore connection verified'), s(31, 'startup.go 105', 'Datastore is ready'));
  else out.push(s(14, 'startup.go 107', 'Skipping datastore connection test'));
  out.push(s(52, 'startup.go 489', 'Initialize BGP data'));
  if (ip) out.push(s(53, 'autodetection_methods.go 103', `Using autodetected IPv4 address on interface eth0: ${ip}/24`));
  const bgp = (env.get('CALICO_NETWORKING_BACKEND') || 'bird') !== 'none';
  if (bgp) out.push(env.get('AS') ? s(53, 'startup.go 706', `Using AS number specified in environment (AS=${env.get('AS')})`) : s(53, 'startup.go 712', 'No AS number configured on node resource, using global value'));
  const cidr = env.get('CALICO_IPV4POOL_CIDR');
  if (cidr) {
    const ipip = env.get('CALICO_IPV4POOL_IPIP') || 'Never';
    const vxlan = env.get('CALICO_IPV4POOL_VXLAN') || 'Never';
    const nat = (env.get('CALICO_IPV4POOL_NAT_OUTGOING') || 'true') !== 'false';
    out.push(s(71, 'startup.go 920', `Ensure default IPv4 pool is created. IPIP mode: ${ipip}, VXLAN mode: ${vxlan}, DisableBGPExport: false`));
    // the first calico-node to start creates the pool; the others get AlreadyExists and log nothing
    if (firstCalicoNode(cluster, pod)) out.push(s(79, 'startup.go 930', `Created default IPv4 pool (${cidr}) with NAT outgoing ${nat}. IPIP mode: ${ipip}, VXLAN mode: ${vxlan}, DisableBGPExport: false`));
  }
  out.push(s(96, 'startup.go 215', `Using node name: ${nodeName}`));
  // node/filesystem/etc/rc.local: after -startup and -allocate-tunnel-addrs-run-once, it enables the services and says so
  const backend = env.get('CALICO_NETWORKING_BACKEND') || 'bird';
  if (backend === 'none') out.push('CALICO_NETWORKING_BACKEND is none - no BGP daemon running');
  else if (backend === 'vxlan') out.push('CALICO_NETWORKING_BACKEND is vxlan - no need to run a BGP daemon');
  out.push('Calico node started successfully');
  const fp = containerPid(pod, 'felix', 60, 40);
  const f = (ms: number, where: string, msg: string) => calicoLine(t + ms, fp, `felix/${where}`, msg);
  out.push(
    // appendKVsAndNewLine: keys sorted, values without a String() method printed with %#v
    f(1204, 'daemon.go 146', `Felix starting up GOMAXPROCS=${cpus} builddate="${build.date}" gitcommit="${build.commit}" version="${version}"`),
    f(1205, 'daemon.go 165', `Kubernetes server override env vars. KUBERNETES_SERVICE_HOST="${kubernetesServiceHost(cluster)}" KUBERNETES_SERVICE_PORT="443"`),
    f(1205, 'daemon.go 170', 'Loading configuration...'),
    f(1205, 'daemon.go 196', 'Loading config file: /etc/calico/felix.cfg'),
    f(1327, 'driver.go 68', 'Using internal (linux) dataplane driver.'),
  );
  if (backend === 'bird') out.push(...birdLines(cluster, pod, nodeName, t));
  return out;
}

/** When a calico-node Pod's container started (ms), by node; nodes without a running one are absent. */
function calicoStarts(cluster: Cluster, namespace: string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const p of cluster.store.list('Pod', namespace)) {
    if (p.metadata.labels?.['k8s-app'] !== 'calico-node' || !p.spec?.nodeName) continue;
    const at = (p.status?.containerStatuses ?? []).find((x: { name: string }) => x.name === 'calico-node')?.state?.running?.startedAt;
    if (at) m.set(p.spec.nodeName, Date.parse(at));
  }
  return m;
}

/**
 * BIRD's own lines (projectcalico/bird, BIRD 1.6): runit's bird service runs `bird -R -d`,
 * so it logs to stderr with the "bird: " prefix (sysdep/unix/log.c, terminal_flag) and starts
 * in graceful-restart recovery. bird.cfg (confd templates/bird.cfg.template) gives device1,
 * direct1 and the bgp_template `debug { states }`; kernel1 has none. nest/proto.c:
 * "Initializing" per protocol at config commit, the device protocol started first, then the
 * others ("Starting"; PS_UP: "Connected to table master", "State changed to feed"; BGP:
 * "State changed to start"); main.c "Graceful restart started" and "Started"; the feeds end
 * in the I/O loop ("up"). A Mesh_<ip> session (one per other node, lsdir order: by node
 * name) establishes once both speakers run (connect delay time 2); each BGP protocol holds a
 * graceful-restart lock (bgp.c bgp_start), released at establishment when the peer restarts
 * too (bgp_conn_enter_established); the last release fires gr_wait_timer at 0: "Graceful
 * restart done". A peer whose BIRD ran before ours is not restarting: its session waits
 * for End-of-RIB ("wait"), and its export starts when the recovery ends. Lines are shown once
 * the virtual clock has reached them.
 */
function birdLines(cluster: Cluster, pod: Pod, nodeName: string, t: number): string[] {
  const now = cluster.clock.now();
  const starts = calicoStarts(cluster, pod.metadata.namespace);
  const start = t + 1500; // runsv starts bird once confd has written bird.cfg
  const peers = cluster.store.list('Node').map((n) => ({ name: n.metadata.name, ip: (n.status?.addresses ?? []).find((a: { type: string; address: string }) => a.type === 'InternalIP' && !a.address.includes(':'))?.address as string | undefined }))
    .filter((n) => n.name !== nodeName && n.ip)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((n) => ({ proto: `Mesh_${n.ip!.replace(/\./g, '_')}`, started: starts.get(n.name) }));
  const b = (msg: string) => `bird: ${msg}`;
  const out: string[] = [
    b('device1: Initializing'), b('direct1: Initializing'), ...peers.map((p) => b(`${p.proto}: Initializing`)),
    b('device1: Starting'), b('device1: Connected to table master'), b('device1: State changed to feed'),
    b('direct1: Starting'), b('direct1: Connected to table master'), b('direct1: State changed to feed'),
    ...peers.flatMap((p) => [b(`${p.proto}: Starting`), b(`${p.proto}: State changed to start`)]),
    b('Graceful restart started'), b('Started'),
    b('device1: State changed to up'), b('direct1: State changed to up'),
  ];
  // each session: when it is established, and whether the peer was restarting then
  const sessions = peers.filter((p) => p.started !== undefined).map((p) => {
    const peerBird = p.started! + 1500;
    return { proto: p.proto, at: Math.max(start, peerBird) + 2000, restarting: peerBird >= start };
  }).sort((x, y) => x.at - y.at);
  const timerAt = start + 240_000; // gr_wait default: peers that never come up do not hold the recovery for ever
  const waiting: string[] = [];
  let locks = peers.length;
  let done = locks === 0;
  const finish = () => {
    done = true;
    out.push(b('Graceful restart done'), ...waiting.flatMap((w) => [b(`${w}: State changed to feed`), b(`${w}: State changed to up`)]));
  };
  for (const s of sessions) {
    if (!done && timerAt < s.at && timerAt <= now) finish();
    if (s.at > now) break;
    if (done || s.restarting) {
      out.push(b(`${s.proto}: Connected to table master`), b(`${s.proto}: State changed to feed`), b(`${s.proto}: State changed to up`));
    } else {
      // End-of-RIB from the running peer releases its lock; our export waits for the recovery's end
      waiting.push(s.proto);
      out.push(b(`${s.proto}: Connected to table master`), b(`${s.proto}: State changed to wait`));
    }
    if (!done && --locks === 0) finish();
  }
  if (!done && timerAt <= now) finish();
  return out;
}

/** The kubernetes Service's ClusterIP: what the kubelet puts in KUBERNETES_SERVICE_HOST. */
function kubernetesServiceHost(cluster: Cluster): string {
  return String(cluster.store.get('Service', 'default', 'kubernetes')?.spec?.clusterIP ?? '');
}

/** Is this the calico-node Pod that started first (by start time, then name)? */
function firstCalicoNode(cluster: Cluster, pod: Pod): boolean {
  const started = (p: { status?: { startTime?: string }; metadata: { creationTimestamp?: string } }) => p.status?.startTime ?? p.metadata.creationTimestamp ?? '';
  const peers = cluster.store.list('Pod', pod.metadata.namespace).filter((p) => p.metadata.labels?.['k8s-app'] === 'calico-node');
  peers.sort((a, b) => started(a).localeCompare(started(b)) || a.metadata.name.localeCompare(b.metadata.name));
  return peers[0]?.metadata.uid === pod.metadata.uid;
}

/**
 * calico/kube-controllers v3.28: kube-controllers/cmd/kube-controllers/main.go (the
 * Formatter without a component; lines 122, 147, 184, 187, 201, 210, 492), one "Starting
 * controller" per ENABLED_CONTROLLERS entry; the metrics port is the default
 * KubeControllersConfiguration's prometheusMetricsPort (9094).
 */
function calicoKubeControllersLines(pod: Pod, c: Partial<Container>, t: number): string[] {
  const pid = 1;
  const l = (ms: number, where: string, msg: string) => calicoLine(t + ms, pid, where, msg);
  const enabled = (c.env?.find((e) => e.name === 'ENABLED_CONTROLLERS')?.value ?? 'node').split(',').map((x) => x.trim()).filter(Boolean);
  const type: Record<string, string> = { node: 'Node', policy: 'NetworkPolicy', workloadendpoint: 'Pod', namespace: 'Namespace', serviceaccount: 'ServiceAccount' };
  return [
    l(18, 'main.go 122', 'Ensuring Calico datastore is initialized'),
    l(41, 'main.go 147', 'Calico datastore is initialized'),
    l(41, 'main.go 184', 'Getting initial config snapshot from datastore'),
    l(57, 'main.go 187', 'Got initial config snapshot'),
    l(57, 'main.go 201', 'Starting status report routine'),
    l(57, 'main.go 210', 'Starting Prometheus metrics server on port 9094'),
    ...enabled.filter((e) => type[e]).map((e) => l(58, 'main.go 492', `Starting controller ControllerType="${type[e]}"`)),
  ];
}
