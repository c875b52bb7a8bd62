/**
 * What Istio 1.24.2's programs print to their container logs, derived from the cluster:
 *
 * - istio-init (`pilot-agent istio-iptables …`): tools/istio-iptables/pkg/capture/run.go Run —
 *   logConfig's environment dump, config.go Print's variables, then executeCommands: the
 *   state check (VerifyIptablesState runs iptables-save and ip6tables-save, finds a clean
 *   network namespace), "Applying iptables chains and rules", the iptables-restore input (the
 *   very rules `captureRules` installs in the Pod's netns), and the deferred iptables-save
 *   whose output is the Pod's nat table as the image's iptables-save prints it. Each command
 *   through dependencies/implementation_linux.go executeXTablesWithOutput: the proxyv2 image
 *   (docker/Dockerfile.base: ubuntu:noble, iptables 1.8.10, `update-alternatives --set iptables
 *   /usr/sbin/iptables-legacy`) runs the legacy binaries, so a write takes the xtables lock
 *   ("with wait lock", `--wait=30`) and a read does not ("without lock").
 * - istio-proxy (`pilot-agent proxy sidecar|router`): pilot/cmd/pilot-agent/app/cmd.go (Version,
 *   ulimit, "Proxy role", "Effective config"), config/config.go (concurrency from the CPU limit),
 *   options/security.go (JWT policy, credential fetcher), pkg/istio-agent/agent.go (CA endpoint, Pilot SAN),
 *   status/server.go ("Opening status port"), pkg/envoy/agent.go and proxy.go ("Starting proxy
 *   agent", "Envoy command"), xds_proxy_delta.go (the delta XDS stream to istiod, scope
 *   xdsproxy), metrics/metrics.go and status/server.go (readiness).
 * - istiod (`pilot-discovery discovery`): pilot/pkg/bootstrap/mesh.go and server.go (mesh
 *   configuration, version, the listeners it serves), pilot/pkg/xds/discovery.go (caches
 *   synced, scope ads); then, as proxies come and go, pilot/pkg/xds/delta.go's "ADS: new delta
 *   connection for node:ID-N" and "ADS: "PEER" ID-N terminated" (scope delta), appended to
 *   the log as they happen (`IstioConnections`).
 *
 * Only those lines are printed. Not simulated here: the flag dumps (`FLAG: --…`, which include
 * Go's global flag set of the built binary), pilot-agent's "Apply proxy config from env" (the
 * injector's PROXY_CONFIG is not modelled), istiod's "mesh configuration:" and "flags:" dumps
 * (the whole MeshConfig with defaults, PilotArgs as JSON), its CA, webhook-patching and
 * "Push debounce stable" lines, and the agent's SDS/certificate lines; a proxy whose istiod
 * goes away reconnects to a remaining one, whose log shows it (the old Pod's log goes with it).
 *
 * Log lines follow pkg/log: `2006-01-02T15:04:05.000000Z<TAB>level<TAB>[scope<TAB>]message`,
 * labels appended as `<TAB>k=v k=v`; the default scope prints no scope name.
 */
import type { Cluster } from '../../cluster/cluster';
import type { ClusterRuntime } from '../runtime';
import type { Change } from '../../cluster/store';
import type { Container, KubeObject, Pod } from '../../cluster/types';
import { parse, stringify } from 'yaml';
import { sha1 } from '../../cluster/hash';
import { podInfo } from '../../dataplane/topology';
import { iptablesSaveTable } from '../../printers/netfilter/save';
import { ISTIO_NAMESPACE, ISTIO_VERSION } from './install';
import { captureRules, captureTables, istioInit, parseCaptureArgs, restoreInput } from './iptables';
import { hasSidecar } from './inject';

/** version.Info.String() of the 1.24.2 release images: Version-GitRevision-BuildStatus (the tag's commit). */
export const ISTIO_BUILD = `${ISTIO_VERSION}-7754674f65d38523e49b692cbb95a5bb1e2a93b8-Clean`;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** pkg/log formatDate: UTC, microseconds, Z. */
export function istioTime(ms: number, micros = 0): string {
  const d = new Date(ms + Math.floor(micros / 1000));
  const us = (d.getUTCMilliseconds() * 1000 + (micros % 1000));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(us, 6)}Z`;
}

/** Go's time.Duration String() for a duration in microseconds (under a minute). */
export function goDuration(micros: number): string {
  const trim = (v: string) => v.replace(/\.?0+$/, '');
  if (micros < 1000) return `${micros}µs`;
  if (micros < 1_000_000) return `${trim((micros / 1000).toFixed(3))}ms`;
  return `${trim((micros / 1_000_000).toFixed(6))}s`;
}

/** One pkg/log line (may hold newlines: a message logged with them prints them). */
function line(ms: number, micros: number, msg: string, scope?: string, level = 'info'): string {
  return `${istioTime(ms, micros)}\t${level}\t${scope ? `${scope}\t` : ''}${msg}`;
}

/**
 * A Pod's process starts at its own instant within the second its status records: a stable
 * offset from its uid, in microseconds. istio-init runs to completion (under 200 ms) before
 * istio-proxy starts, so the proxy's offset begins after it.
 */
function offsetOf(pod: KubeObject, salt: string): number {
  const r = parseInt(sha1(`${pod.metadata.uid ?? pod.metadata.name}/${salt}`).slice(0, 8), 16);
  return salt === 'istio-proxy' ? 200_000 + (r % 300_000) : r % 190_000;
}

/** When the proxy's agent opened its XDS stream (its xdsproxy line), in microseconds. */
const XDS_CONNECT_US = 233_540;
function proxyConnectAt(pod: KubeObject, startedAt: string): number {
  return Date.parse(startedAt) * 1000 + offsetOf(pod, 'istio-proxy') + XDS_CONNECT_US;
}

/** ctime(3) as iptables-save prints it on its `# Generated by` line. */
function ctime(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/**
 * istio-init's log: one run of istio-iptables (capture/run.go Run) in the Pod's fresh network
 * namespace, with the arguments the injector gave it.
 */
export function istioInitLines(pod: Pod, t: number): string[] {
  const init = istioInit(pod);
  if (!init) return [];
  const args = init.args ?? [];
  const cfg = parseCaptureArgs(args);
  const us = offsetOf(pod, 'istio-init');
  const at = (step: number, msg: string, level = 'info') => line(t, us + step, msg, undefined, level);
  // run.go logConfig: the environment variables, none of which the injection template sets
  const env = ['ENVOY_PORT', 'INBOUND_CAPTURE_PORT', 'ISTIO_INBOUND_INTERCEPTION_MODE', 'ISTIO_INBOUND_TPROXY_ROUTE_TABLE', 'ISTIO_INBOUND_PORTS', 'ISTIO_OUTBOUND_PORTS', 'ISTIO_LOCAL_EXCLUDE_PORTS', 'ISTIO_EXCLUDE_INTERFACES', 'ISTIO_SERVICE_CIDR', 'ISTIO_SERVICE_EXCLUDE_CIDR', 'ISTIO_META_DNS_CAPTURE', 'INVALID_DROP'];
  const environment = env.map((k) => `${k}=\n`).join('');
  // config.go Print, over config.DefaultConfig() and the flags (root.go); the group defaults to the user
  const flagValue = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] ?? '' : '';
  };
  const variables = [
    ['PROXY_PORT', cfg.proxyPort], ['PROXY_INBOUND_CAPTURE_PORT', cfg.inboundCapturePort], ['PROXY_TUNNEL_PORT', cfg.inboundTunnelPort],
    ['PROXY_UID', cfg.uids.join(',')], ['PROXY_GID', cfg.gids.join(',')], ['INBOUND_INTERCEPTION_MODE', cfg.mode],
    ['INBOUND_TPROXY_MARK', '1337'], ['INBOUND_TPROXY_ROUTE_TABLE', '133'],
    ['INBOUND_PORTS_INCLUDE', cfg.inboundPortsInclude], ['INBOUND_PORTS_EXCLUDE', cfg.inboundPortsExclude],
    ['OUTBOUND_OWNER_GROUPS_INCLUDE', '*'], ['OUTBOUND_OWNER_GROUPS_EXCLUDE', ''],
    ['OUTBOUND_IP_RANGES_INCLUDE', cfg.outboundIpRangesInclude], ['OUTBOUND_IP_RANGES_EXCLUDE', cfg.outboundIpRangesExclude],
    ['OUTBOUND_PORTS_INCLUDE', flagValue('-q')], ['OUTBOUND_PORTS_EXCLUDE', cfg.outboundPortsExclude],
    ['KUBE_VIRT_INTERFACES', ''], ['ENABLE_INBOUND_IPV6', 'false'], ['DUAL_STACK', 'false'], ['DNS_CAPTURE', 'false'],
    ['DROP_INVALID', 'false'], ['CAPTURE_ALL_DNS', 'false'], ['DNS_SERVERS', '[],[]'], ['NETWORK_NAMESPACE', ''],
    ['CNI_MODE', 'false'], ['EXCLUDE_INTERFACES', ''], ['RECONCILE', 'false'], ['CLEANUP_ONLY', 'false'], ['FORCE_APPLY', 'false'],
  ].map(([k, v]) => `${k}=${v}\n`).join('');
  const v4 = restoreInput(captureRules(cfg)).trim();
  // the deferred iptables-save: what the Pod's netns holds now (the engine's own tables)
  const saveMs = t + Math.floor((us + 4_200) / 1000);
  const save = iptablesSaveTable(captureTables(cfg), 'nat', ctime(saveMs), false, 'iptables-save', 'v1.8.10');
  return [
    at(0, `Istio iptables environment:\n${environment}`),
    at(31, `Istio iptables variables:\n${variables}`),
    at(1_012, 'Running command (without lock): iptables-save '),
    at(1_790, 'Running command (without lock): ip6tables-save '),
    at(2_455, 'Clean-state detected, new iptables are needed'),
    at(2_470, 'Applying iptables chains and rules'),
    at(2_481, `Running iptables restore with: iptables-restore and the following input:\n${v4}`),
    at(2_502, 'Running command (with wait lock): iptables-restore --noflush --wait=30'),
    at(3_377, 'Running iptables restore with: ip6tables-restore and the following input:\n'),
    at(3_390, 'Running command (with wait lock): ip6tables-restore --noflush --wait=30'),
    at(4_180, 'Running command (without lock): iptables-save '),
    at(4_950, `Command output: \n${save}`),
  ].flatMap((l) => l.split('\n'));
}

/** `$(POD_NAMESPACE)` and friends, as the kubelet expands them in args (only the downward-API env the injector sets). */
function expand(arg: string, pod: Pod): string {
  return arg.replace(/\$\(POD_NAMESPACE\)/g, pod.metadata.namespace ?? 'default').replace(/\$\(POD_NAME\)/g, pod.metadata.name);
}

/** A flag's value among the container's args (`--name=value` or `--name value`). */
function argValue(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
  }
  return undefined;
}

/** Kubernetes' CPU quantity as pilot-agent's CPU limit (the downward API rounds up to whole cores). */
function cpuLimit(c: Partial<Container>): number {
  const q = String(c.resources?.limits?.cpu ?? '');
  if (!q) return 0;
  const n = q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q);
  return Number.isFinite(n) ? Math.ceil(n) : 0;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Keys sorted at every level, as sigs.k8s.io/yaml's JSONToYAML writes a map. */
function sortedKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys(v[k])]));
  return v;
}

/** A YAML map, or nothing (a missing or malformed document). */
function yamlMap(text: unknown): Record<string, Json> {
  try {
    const v = parse(String(text ?? '')) as Json;
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

/**
 * The proxy's effective ProxyConfig (pilot/cmd/pilot-agent/config/config.go
 * ConstructProxyConfig): pkg/config/mesh/mesh.go DefaultProxyConfig, the mesh's
 * defaultConfig (the `istio` ConfigMap) and the Pod's proxy.istio.io/config annotation over
 * it, the concurrency from the CPU limit when none is set.
 */
export function effectiveProxyConfig(cluster: Cluster, pod: Pod, cpus: number): { cfg: Record<string, Json>; fromCpuLimit: boolean } {
  const mesh = yamlMap(cluster.store.get('ConfigMap', ISTIO_NAMESPACE, 'istio')?.data?.mesh);
  const meshDefault = mesh.defaultConfig && typeof mesh.defaultConfig === 'object' && !Array.isArray(mesh.defaultConfig) ? mesh.defaultConfig : {};
  const cfg: Record<string, Json> = {
    configPath: './etc/istio/proxy', serviceCluster: 'istio-proxy', drainDuration: '45s', terminationDrainDuration: '5s',
    proxyAdminPort: 15000, controlPlaneAuthPolicy: 'MUTUAL_TLS', discoveryAddress: `istiod.${ISTIO_NAMESPACE}.svc:15012`,
    binaryPath: '/usr/local/bin/envoy', statNameLength: 189, statusPort: 15020,
    ...meshDefault,
    ...yamlMap(pod.metadata.annotations?.['proxy.istio.io/config']),
  };
  const fromCpuLimit = cfg.concurrency === undefined && cpus > 0;
  if (fromCpuLimit) cfg.concurrency = cpus;
  return { cfg, fromCpuLimit };
}

/** protomarshal.ToYAML: protojson through sigs.k8s.io/yaml (sorted keys, sequences not indented). */
function protoYaml(v: Record<string, Json>): string {
  return stringify(sortedKeys(v), { indentSeq: false, lineWidth: 0 });
}

/** A protobuf Duration's seconds ("45s", "1m" is not protojson's spelling but is accepted). */
function durationSeconds(v: Json, fallback: number): number {
  const m = /^(\d+(?:\.\d+)?)s$/.exec(String(v ?? ''));
  return m ? Math.floor(Number(m[1])) : fallback;
}

/**
 * pilot-agent and Envoy starting in a sidecar or gateway: the agent's startup lines up to the
 * XDS stream to istiod and Envoy's readiness. `startedAt` is the container's start.
 */
export function proxyStartupLines(cluster: Cluster, pod: Pod, c: Partial<Container>, t: number): string[] {
  const args = (c.args ?? []).map((a) => expand(String(a), pod));
  const type = args[1] === 'router' ? 'router' : 'sidecar';
  const ns = pod.metadata.namespace ?? 'default';
  const domain = argValue(args, 'domain') ?? `${ns}.svc.cluster.local`;
  const ips = (pod.status?.podIPs ?? (pod.status?.podIP ? [{ ip: pod.status.podIP }] : [])).map((p) => p.ip);
  const logLevel = argValue(args, 'proxyLogLevel') ?? 'warning,misc:error';
  const [level, ...components] = logLevel.split(',');
  const componentLevel = components.length ? components.join(',') : (argValue(args, 'proxyComponentLogLevel') ?? '');
  const cpus = cpuLimit(c);
  const discovery = `istiod.${ISTIO_NAMESPACE}.svc:15012`;
  const us = offsetOf(pod, 'istio-proxy');
  const at = (ms: number, micros: number, msg: string, scope?: string) => line(t + ms, us + micros, msg, scope);
  // pkg/envoy/proxy.go args: the bootstrap file, the drain time (the mesh default 45s), the log levels, the concurrency
  const { cfg, fromCpuLimit } = effectiveProxyConfig(cluster, pod, cpus);
  const concurrency = typeof cfg.concurrency === 'number' ? cfg.concurrency : 0;
  const envoyArgs = [
    '-c', 'etc/istio/proxy/envoy-rev.json', '--drain-time-s', String(durationSeconds(cfg.drainDuration, 45)), '--drain-strategy', 'immediate',
    '--local-address-ip-version', ips.length && ips.every((ip) => String(ip).includes(':')) ? 'v6' : 'v4',
    '--file-flush-interval-msec', '1000', '--disable-hot-restart', '--allow-unknown-static-fields',
    '-l', level, ...(componentLevel ? ['--component-log-level', componentLevel] : []),
    ...(concurrency > 0 ? ['--concurrency', String(concurrency)] : []),
  ];
  const ready = readinessDelayMs(pod);
  return ([
    at(0, 0, `Version ${ISTIO_BUILD}`),
    at(0, 412, 'Set max file descriptors (ulimit -n) to: 1048576'),
    at(0, 5_119, `Proxy role\tips=[${ips.join(' ')}] type=${type} id=${pod.metadata.name}.${ns} domain=${domain}`),
    ...(fromCpuLimit ? [at(0, 6_870, `cpu limit detected as ${cpus}, setting concurrency`)] : []),
    at(0, 7_015, `Effective config: ${protoYaml(cfg)}`),
    at(0, 9_642, 'JWT policy is third-party-jwt'),
    at(0, 9_688, 'using credential fetcher of JWT type in cluster.local trust domain'),
    at(0, 14_331, `CA Endpoint ${discovery}, provider Citadel`),
    at(0, 14_502, 'Opening status port 15020'),
    at(0, 21_877, `Pilot SAN: [istiod.${ISTIO_NAMESPACE}.svc]`),
    at(0, 23_016, 'Starting proxy agent'),
    at(0, 23_109, `Envoy command: [${envoyArgs.join(' ')}]`),
    at(0, XDS_CONNECT_US, `connected to delta upstream XDS server: ${discovery}\tid=1`, 'xdsproxy'),
    at(ready, 0, `Readiness succeeded in ${goDuration(ready * 1000 + 214)}`),
    at(ready, 61, 'Envoy proxy is ready'),
  ]).flatMap((l) => l.split('\n'));
}

/** How long after its start Envoy answered its first readiness check (under a second, stable per Pod). */
function readinessDelayMs(pod: KubeObject): number {
  return 600 + (parseInt(sha1(`${pod.metadata.uid}/ready`).slice(0, 4), 16) % 350);
}

/** istiod's startup (pilot-discovery discovery): the mesh configuration, its listeners, its caches. */
export function istiodStartupLines(pod: Pod, t: number): string[] {
  const us = offsetOf(pod, 'discovery');
  const at = (ms: number, micros: number, msg: string, scope?: string) => line(t + ms, us + micros, msg, scope);
  const synced = istiodSyncMs(pod);
  return [
    at(0, 0, 'initializing mesh configuration ./etc/istio/config/mesh'),
    at(0, 3_411, `version: ${ISTIO_BUILD}`),
    at(synced - 40, 117, 'Starting Istiod Server with primary cluster Kubernetes'),
    at(synced - 40, 3_020, 'Waiting for caches to be synced'),
    at(synced, 0, `All controller caches have been synced up in ${goDuration(40_000 - 3_020 + 118)}`),
    at(synced, 4_211, `All caches have been synced up in ${goDuration(synced * 1000 + 4_211)}, marking server ready`, 'ads'),
    at(synced, 4_680, 'starting secure gRPC discovery service at [::]:15012'),
    at(synced, 4_702, 'starting gRPC discovery service at [::]:15010'),
    at(synced, 4_733, 'starting webhook service at [::]:15017'),
    at(synced, 4_790, 'starting HTTP service at [::]:8080'),
  ];
}

/** How long istiod takes to sync its caches and open its listeners (1–1.5 s, stable per Pod). */
function istiodSyncMs(pod: KubeObject): number {
  return 1_000 + (parseInt(sha1(`${pod.metadata.uid}/synced`).slice(0, 4), 16) % 500);
}

/** When istiod's listeners opened (its last startup line), in microseconds: no stream is logged before. */
function istiodReadyAt(istiod: KubeObject): number {
  const st = (istiod.status?.containerStatuses ?? []).find((c: { name: string }) => c.name === 'discovery');
  const started = Date.parse(st?.state?.running?.startedAt ?? '') || 0;
  return (started + istiodSyncMs(istiod)) * 1000 + offsetOf(istiod, 'discovery') + 4_790;
}

interface Connection {
  /** the istiod Pod (uid) holding the stream */
  istiod: string;
  /** the proxy's connection ID: node ID and istiod's connection counter */
  id: string;
  /** the agent's address and ephemeral port, as istiod sees the peer */
  peer: string;
  /** the proxy container's start this stream belongs to */
  startedAt: string;
}

/**
 * The XDS streams between the proxies and istiod, each one logged by istiod when it opens and
 * when it ends (pilot/pkg/xds/delta.go; connectionID in ads.go numbers them per istiod process).
 * Kept: one entry per connected proxy and a counter per istiod Pod — bounded by the Pods.
 */
export class IstioConnections {
  private conns: Record<string, Connection> = {};
  /** per istiod Pod (uid): its connection counter and the time of its last logged line */
  private counters: Record<string, { n: number; last: number }> = {};

  constructor(private cluster: ClusterRuntime) {}

  snapshot(): unknown {
    return structuredClone({ conns: this.conns, counters: this.counters });
  }

  restore(data: unknown): void {
    const d = (data ?? {}) as { conns?: Record<string, Connection>; counters?: Record<string, { n: number; last: number }> };
    this.conns = structuredClone(d.conns ?? {});
    this.counters = structuredClone(d.counters ?? {});
  }

  sizes(): Record<string, number> {
    return { connections: Object.keys(this.conns).length, istiods: Object.keys(this.counters).length };
  }

  /** A Pod changed: open or close its stream; an istiod Pod that became ready takes the waiting proxies. */
  changed(c: Change): void {
    const pod = c.object;
    if (pod.kind !== 'Pod') return;
    const key = pod.metadata.uid;
    if (pod.metadata.namespace === ISTIO_NAMESPACE && pod.metadata.labels?.app === 'istiod') {
      if (c.type === 'DELETED' || !podInfo(pod).ready) this.istiodGone(pod);
      else if (!(c.old && podInfo(c.old).ready)) this.connectAll();
      return;
    }
    if (!isProxy(pod)) return;
    const startedAt = proxyStartedAt(pod);
    const cur = this.conns[key];
    if (cur && (c.type === 'DELETED' || cur.startedAt !== startedAt)) this.close(key);
    if (c.type !== 'DELETED' && startedAt && !this.conns[key]) this.connect(pod, startedAt);
  }

  private istiodFor(): KubeObject | undefined {
    return this.cluster.store
      .list('Pod', ISTIO_NAMESPACE)
      .filter((p) => p.metadata.labels?.app === 'istiod' && podInfo(p).ready && !p.metadata.deletionTimestamp)
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
  }

  private connect(pod: KubeObject, startedAt: string, reconnect = false): void {
    const istiod = this.istiodFor();
    if (!istiod?.metadata.uid) return;
    const counter = (this.counters[istiod.metadata.uid] ??= { n: 0, last: istiodReadyAt(istiod) });
    const n = ++counter.n;
    const id = `${pod.metadata.name}.${pod.metadata.namespace}-${n}`;
    const port = 32768 + (parseInt(sha1(`${pod.metadata.uid}/${startedAt}/${n}`).slice(0, 6), 16) % 28232);
    this.conns[pod.metadata.uid] = { istiod: istiod.metadata.uid, id, peer: `${pod.status?.podIP ?? ''}:${port}`, startedAt };
    // the stream opens when the agent connects (its xdsproxy line); one that waited for istiod, once istiod serves
    // (a reconnect after its istiod went away happens now)
    const at = reconnect ? this.cluster.clock.now() * 1000 + 250_000 + (n % 1000) * 113 : proxyConnectAt(pod, startedAt) + 1_311;
    this.log(istiod, counter, at, `ADS: new delta connection for node:${id}`);
  }

  /** Appends a delta-scope line to istiod's log at `us` (microseconds), never earlier than its last one. */
  private log(istiod: KubeObject, counter: { last: number }, us: number, msg: string): void {
    const at = Math.max(us, counter.last + 137);
    counter.last = at;
    this.cluster.logs.append(ISTIO_NAMESPACE, istiod.metadata.name, 'discovery', line(Math.floor(at / 1000), at % 1000, msg, 'delta'));
  }

  private close(key: string): void {
    const conn = this.conns[key];
    delete this.conns[key];
    const istiod = this.cluster.store.list('Pod', ISTIO_NAMESPACE).find((p) => p.metadata.uid === conn.istiod);
    if (!istiod) return;
    const counter = (this.counters[istiod.metadata.uid] ??= { n: 0, last: istiodReadyAt(istiod) });
    this.log(istiod, counter, this.cluster.clock.now() * 1000 + 120_000 + (parseInt(sha1(conn.id).slice(0, 4), 16) % 1000), `ADS: "${conn.peer}" ${conn.id} terminated`);
  }

  private istiodGone(istiod: KubeObject): void {
    for (const [k, v] of Object.entries(this.conns)) if (v.istiod === istiod.metadata.uid) delete this.conns[k];
    delete this.counters[istiod.metadata.uid];
    // the agents reconnect to a remaining istiod
    this.connectAll(true);
  }

  private connectAll(reconnect = false): void {
    for (const p of this.cluster.store.list('Pod')) {
      if (!isProxy(p) || this.conns[p.metadata.uid]) continue;
      const startedAt = proxyStartedAt(p);
      if (startedAt) this.connect(p, startedAt, reconnect);
    }
  }
}

function isProxy(pod: KubeObject): boolean {
  return hasSidecar(pod) || (pod.metadata.namespace === ISTIO_NAMESPACE && /gateway$/.test(pod.metadata.labels?.istio ?? ''));
}

/** The istio-proxy container's current start, while it runs. */
function proxyStartedAt(pod: KubeObject): string | undefined {
  if (pod.metadata.deletionTimestamp) return undefined;
  const st = (pod.status?.containerStatuses ?? []).find((c: { name: string }) => c.name === 'istio-proxy');
  return st?.state?.running?.startedAt && podInfo(pod).running ? st.state.running.startedAt : undefined;
}
