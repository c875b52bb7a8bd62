/**
 * Container logs (`kubectl logs`): each running container's startup lines, derived
 * from its image and start time the way the real program prints them, followed by
 * whatever other parts of the engine appended (the traffic room's access-log lines).
 * Only appended lines are state (snapshotted); startup lines are recomputed.
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import type { Container, Pod } from '../cluster/types';
import type { Change, KindStore } from '../cluster/store';
import { sha512 } from '../cluster/hash';
import { parseImage } from './images';

/**
 * The kubelet's containerLogMaxSize (10Mi): past it the container log manager rotates the
 * file, and `kubectl logs` reads only the current one.
 */
export const CONTAINER_LOG_MAX_SIZE = 10 * 1024 * 1024;

interface ContainerLog {
  uid: string;
  lines: string[];
  /** bytes in the current file (lines and their newlines) */
  bytes?: number;
  /** the file was rotated: the startup lines are in an older file */
  rotated?: boolean;
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
    });
  }

  snapshot(): unknown {
    return structuredClone(this.lines);
  }

  restore(data: unknown): void {
    this.lines = structuredClone((data as typeof this.lines) ?? {});
  }

  /** Appends one line to a container's log (no trailing newline). */
  append(namespace: string, pod: string, container: string, line: string): void {
    const p = this.store.get('Pod', namespace, pod);
    if (!p) return;
    const k = `${namespace}/${pod}/${container}`;
    const cur = this.lines[k];
    const size = line.length + 1;
    if (!cur || cur.uid !== p.metadata.uid) this.lines[k] = { uid: p.metadata.uid, lines: [line], bytes: size };
    else if ((cur.bytes ?? 0) + size > CONTAINER_LOG_MAX_SIZE) {
      // rotation: a fresh file holds what comes next
      this.lines[k] = { uid: p.metadata.uid, lines: [line], bytes: size, rotated: true };
    } else {
      cur.lines.push(line);
      cur.bytes = (cur.bytes ?? 0) + size;
    }
  }

  sizes(): Record<string, number> {
    let lines = 0;
    for (const l of Object.values(this.lines)) lines += l.lines.length;
    return { containers: Object.keys(this.lines).length, lines };
  }

  /** The container's log lines so far; empty if it never started. */
  read(namespace: string, pod: string, container: string): string[] {
    const p = this.store.get('Pod', namespace, pod);
    if (!p) return [];
    const st = (p.status?.containerStatuses ?? []).find((s) => s.name === container);
    const startedAt = st?.state?.running?.startedAt ?? st?.state?.terminated?.startedAt;
    if (!startedAt) return [];
    const c = (p.spec?.containers ?? []).find((x) => x.name === container);
    const extra = this.lines[`${namespace}/${pod}/${container}`];
    const out = extra?.rotated && extra.uid === p.metadata.uid ? [] : startupLines(this.cluster, p, c ?? {}, Date.parse(startedAt));
    if (extra && extra.uid === p.metadata.uid) out.push(...extra.lines);
    return out;
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
function klog(ms: number, micros: number, file: string, msg: string): string {
  const d = new Date(ms);
  return `I${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(micros, 6)}       1 ${file}] ${msg}`;
}

/** NGINX_VERSION of the official image for a tag (the version the image's entrypoint runs). */
function nginxVersion(tag: string): string {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag);
  if (m) return `${m[1]}.${m[2]}.${m[3] ?? '0'}`;
  if (tag.startsWith('stable')) return '1.26.2';
  return '1.27.3';
}

/** A started container's pod is bound: spec.nodeName is set. */
function startupLines(cluster: Cluster, pod: Pod, c: Partial<Container>, t: number): string[] {
  const store: KindStore = cluster.store;
  const ref = parseImage(String(c.image ?? ''));
  const repo = ref.repository;
  if (repo === 'library/nginx' && !(c.command?.length)) {
    const ts = nginxTime(t);
    const cpus = Number(store.get('Node', undefined, pod.spec?.nodeName ?? '')?.status?.capacity?.cpu ?? 2) || 2;
    const v = nginxVersion(ref.tag);
    const alpine = ref.tag.includes('alpine');
    const lines = [
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
      '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
      `${ts} [notice] 1#1: using the "epoll" event method`,
      `${ts} [notice] 1#1: nginx/${v}`,
      alpine ? `${ts} [notice] 1#1: built by gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309) ` : `${ts} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) `,
      `${ts} [notice] 1#1: OS: Linux 5.15.0-119-generic`,
      `${ts} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
      `${ts} [notice] 1#1: start worker processes`,
    ];
    for (let i = 0; i < cpus; i++) lines.push(`${ts} [notice] 1#1: start worker process ${29 + i}`);
    return lines;
  }
  if (repo === 'coredns/coredns') {
    const cm = store.get('ConfigMap', pod.metadata.namespace, 'coredns');
    const corefile = String(cm?.data?.Corefile ?? '');
    const version = ref.tag.replace(/^v/, '') || '1.11.3';
    return ['.:53', `[INFO] plugin/reload: Running configuration SHA512 = ${sha512(corefile)}`, `CoreDNS-${version}`, 'linux/amd64, go1.21.11, a6338e9'];
  }
  if (repo === 'kube-proxy') {
    const node = store.get('Node', undefined, pod.spec?.nodeName ?? '');
    const ip = node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
    const mode = cluster.settings.proxyMode;
    return [
      klog(t, 512305, 'server_linux.go:66', `"Using ${mode} proxy"`),
      klog(t, 640187, 'server.go:677', `"Successfully retrieved node IP(s)" IPs=["${ip}"]`),
      klog(t, 689114, 'server_linux.go:169', `"Using ${mode} Proxier"`),
      klog(t, 701522, 'server.go:483', `"Version info" version="${cluster.settings.kubernetesVersion}"`),
      klog(t, 701563, 'server.go:485', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""'),
      klog(t, 703904, 'config.go:199', '"Starting service config controller"'),
      klog(t, 703946, 'shared_informer.go:313', 'Waiting for caches to sync for service config'),
      klog(t, 703981, 'config.go:105', '"Starting endpoint slice config controller"'),
      klog(t, 703990, 'shared_informer.go:313', 'Waiting for caches to sync for endpoint slice config'),
      klog(t + 100, 804912, 'shared_informer.go:320', 'Caches are synced for endpoint slice config'),
      klog(t + 100, 804951, 'shared_informer.go:320', 'Caches are synced for service config'),
    ];
  }
  return [];
}
