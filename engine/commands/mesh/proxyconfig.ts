/**
 * `istioctl proxy-config` (alias `pc`; istioctl/pkg/proxyconfig/proxyconfig.go at 1.24.2):
 * what istiod pushed to one Envoy, derived from the mesh's state the way pilot builds it.
 *
 * - `cluster` (`clusters`, `c`): istioctl/pkg/writer/envoy/configdump/cluster.go
 *   PrintClusterSummary — SERVICE FQDN, PORT, SUBSET, DIRECTION, TYPE, DESTINATION RULE,
 *   tabwriter (0, 8, 5, ' ', 0), sorted by FQDN, subset, port, direction (Go string order).
 *   The clusters are pilot's (pilot/pkg/networking/core/cluster.go): `outbound|PORT||FQDN`
 *   for every TCP Service port in the mesh (the default Sidecar scope sees every namespace;
 *   EDS, a headless Service ORIGINAL_DST, an ExternalName STRICT_DNS), one per
 *   DestinationRule subset, a ServiceEntry's hosts by resolution, `inbound|PORT||` for each
 *   port a Service sends to this Pod (ORIGINAL_DST), and the bootstrap's static clusters
 *   (agent, prometheus_stats, sds-grpc, xds-grpc, zipkin) with BlackHoleCluster,
 *   PassthroughCluster and, on a sidecar, InboundPassthroughCluster.
 * - `endpoint` (`endpoints`, `ep`): istioctl/pkg/writer/envoy/clusters/clusters.go
 *   PrintEndpointsSummary over Envoy's /clusters — ENDPOINT, STATUS, OUTLIER CHECK, CLUSTER,
 *   sorted by address (as strings), port, cluster. EDS sends ready endpoints only.
 *
 * The other sub-commands (listener, route, secret, bootstrap, log, all, ecds, rootca-compare)
 * and `-o json|yaml` say they are not simulated.
 */
import type { RunResult } from '../../types';
import type { ClusterRuntime } from '../../controllers/runtime';
import type { KubeObject } from '../../cluster/types';
import { fail, ok } from '../../types';
import { tabwrite } from '../../printers/kubectl/tabwriter';
import { hasSidecar } from '../../controllers/istio/inject';
import { proxyRunning } from '../../controllers/istio';
import { ISTIO_NAMESPACE } from '../../controllers/istio/install';
import { selectorMatches } from '../../dataplane/policy';
import { serviceEndpoints } from '../../dataplane/topology';

interface EnvoyCluster {
  name: string;
  type: 'EDS' | 'STATIC' | 'ORIGINAL_DST' | 'STRICT_DNS';
  /** The DestinationRule behind it, `name.namespace` (cluster metadata istio.config). */
  dr?: string;
  /** The hosts Envoy's /clusters lists for it. */
  hosts: { address: string; port?: number }[];
}

type ServicePort = { name?: string; port: number; protocol?: string; targetPort?: number | string };

/** model.ParseSubsetKey: direction|port|subset|fqdn; other names are their own FQDN. */
function parseKey(name: string): { direction: string; port: number; subset: string; fqdn: string } {
  const p = name.split('|');
  if (p.length > 3) return { direction: p[0], port: Number(p[1]) || 0, subset: p[2], fqdn: p[3] };
  return { direction: '', port: 0, subset: '', fqdn: name };
}

/** Go's `<` on strings: byte order, not the locale's. */
function goLess(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The DestinationRule a host's clusters carry: the client's namespace first, then the host's, then the root namespace. */
function destinationRule(rt: ClusterRuntime, fqdn: string, clientNs: string, domain: string): KubeObject | undefined {
  const matches = rt.store.list('DestinationRule').filter((dr) => {
    const h: string = dr.spec?.host ?? '';
    const full = !h.startsWith('*') && !h.includes('.') ? `${h}.${dr.metadata.namespace}.svc.${domain}` : h.split('.').length === 2 ? `${h}.svc.${domain}` : h;
    return full === fqdn || (full.startsWith('*.') && fqdn.endsWith(full.slice(1))) || full === '*';
  });
  const rank = (dr: KubeObject) => (dr.metadata.namespace === clientNs ? 0 : dr.metadata.namespace === ISTIO_NAMESPACE ? 2 : 1);
  return matches.sort((a, b) => rank(a) - rank(b) || String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)))[0];
}

/** The clusters istiod pushes to this Pod's Envoy. */
export function envoyClusters(rt: ClusterRuntime, pod: KubeObject): EnvoyCluster[] {
  const domain = rt.settings.clusterDomain ?? 'cluster.local';
  const ns = pod.metadata.namespace ?? 'default';
  const sidecar = hasSidecar(pod);
  const out: EnvoyCluster[] = [];
  for (const svc of rt.store.list('Service')) {
    const fqdn = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${domain}`;
    const external = svc.spec?.type === 'ExternalName';
    const headless = svc.spec?.clusterIP === 'None';
    const type = external ? 'STRICT_DNS' : headless ? 'ORIGINAL_DST' : 'EDS';
    const dr = destinationRule(rt, fqdn, ns, domain);
    const drName = dr ? `${dr.metadata.name}.${dr.metadata.namespace}` : undefined;
    for (const p of (svc.spec?.ports ?? []) as ServicePort[]) {
      if ((p.protocol ?? 'TCP') !== 'TCP') continue;
      const eps = type === 'EDS' ? serviceEndpoints(rt, svc, p).filter((e) => e.ready) : [];
      out.push({ name: `outbound|${p.port}||${fqdn}`, type, dr: drName, hosts: eps.map((e) => ({ address: e.ip, port: e.port })) });
      for (const ss of (dr?.spec?.subsets ?? []) as { name: string; labels?: Record<string, string> }[]) {
        const sub = eps.filter((e) => e.pod && selectorMatches({ matchLabels: ss.labels ?? {} }, e.pod.labels));
        out.push({ name: `outbound|${p.port}|${ss.name}|${fqdn}`, type, dr: drName, hosts: sub.map((e) => ({ address: e.ip, port: e.port })) });
      }
    }
  }
  for (const se of rt.store.list('ServiceEntry')) {
    const res: string = se.spec?.resolution ?? 'NONE';
    const type = res === 'DNS' || res === 'DNS_ROUND_ROBIN' ? 'STRICT_DNS' : res === 'STATIC' ? 'EDS' : 'ORIGINAL_DST';
    for (const h of (se.spec?.hosts ?? []) as string[]) {
      for (const p of (se.spec?.ports ?? []) as { number: number; protocol?: string }[]) {
        if ((p.protocol ?? 'TCP').toUpperCase() === 'UDP') continue;
        const dr = destinationRule(rt, h, ns, domain);
        out.push({ name: `outbound|${p.number}||${h}`, type, dr: dr ? `${dr.metadata.name}.${dr.metadata.namespace}` : undefined, hosts: [] });
      }
    }
  }
  if (sidecar) {
    // one inbound cluster per port a Service sends to this Pod (the target port)
    const ports = new Set<number>();
    for (const svc of rt.store.list('Service', ns)) {
      const sel = svc.spec?.selector as Record<string, string> | undefined;
      if (!sel || !Object.keys(sel).length || !selectorMatches({ matchLabels: sel }, pod.metadata.labels ?? {})) continue;
      for (const p of (svc.spec?.ports ?? []) as ServicePort[]) {
        if ((p.protocol ?? 'TCP') !== 'TCP') continue;
        let target = typeof p.targetPort === 'number' ? p.targetPort : p.targetPort === undefined ? p.port : undefined;
        if (typeof p.targetPort === 'string') for (const c of pod.spec?.containers ?? []) for (const cp of c.ports ?? []) if (cp.name === p.targetPort) target = cp.containerPort;
        if (target !== undefined) ports.add(target);
      }
    }
    for (const port of ports) out.push({ name: `inbound|${port}||`, type: 'ORIGINAL_DST', hosts: [] });
    out.push({ name: 'InboundPassthroughCluster', type: 'ORIGINAL_DST', hosts: [] });
  }
  out.push(
    { name: 'BlackHoleCluster', type: 'STATIC', hosts: [] },
    { name: 'PassthroughCluster', type: 'ORIGINAL_DST', hosts: [] },
    // the bootstrap's (tools/packaging/common/envoy_bootstrap.json)
    { name: 'agent', type: 'STATIC', hosts: [{ address: '127.0.0.1', port: 15020 }] },
    { name: 'prometheus_stats', type: 'STATIC', hosts: [{ address: '127.0.0.1', port: 15000 }] },
    { name: 'sds-grpc', type: 'STATIC', hosts: [{ address: './var/run/secrets/workload-spiffe-uds/socket' }] },
    { name: 'xds-grpc', type: 'STATIC', hosts: [{ address: './etc/istio/proxy/XDS' }] },
    // the demo profile's tracer (meshConfig.defaultConfig.tracing.zipkin: zipkin.istio-system:9411); no zipkin Service, no host
    { name: 'zipkin', type: 'STRICT_DNS', hosts: [] },
  );
  return out.sort((a, b) => {
    const x = parseKey(a.name);
    const y = parseKey(b.name);
    return goLess(x.fqdn, y.fqdn) || goLess(x.subset, y.subset) || x.port - y.port || goLess(x.direction, y.direction);
  });
}

interface Flags {
  target?: string;
  namespace?: string;
  output: string;
  fqdn?: string;
  port?: number;
  subset?: string;
  direction?: string;
  address?: string;
  cluster?: string;
  status?: string;
  bad?: string;
}

function parse(args: string[]): Flags {
  const f: Flags = { output: 'short' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const val = (): string => (a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : args[++i] ?? '');
    switch (name) {
      case '-n': case '--namespace': f.namespace = val(); break;
      case '-o': case '--output': f.output = val(); break;
      case '--fqdn': f.fqdn = val(); break;
      case '--port': f.port = Number(val()); break;
      case '--subset': f.subset = val(); break;
      case '--direction': f.direction = val(); break;
      case '--address': f.address = val(); break;
      case '--cluster': f.cluster = val(); break;
      case '--status': f.status = val(); break;
      case '-i': case '--istioNamespace': val(); break;
      default:
        if (a.startsWith('-')) f.bad = f.bad ?? a;
        else if (f.target === undefined) f.target = a;
    }
  }
  return f;
}

/** handlers.InferPodInfoFromTypedResource: `pod`, `pod.ns`, `pod/NAME`, `deploy/NAME` (its first Pod). */
function findProxyPod(rt: ClusterRuntime, target: string, ns: string): KubeObject | string {
  let [kind, name] = target.includes('/') ? target.split('/', 2) : ['pod', target];
  if (name.includes('.')) [name, ns] = name.split('.', 2);
  kind = kind.toLowerCase();
  if (['pod', 'pods', 'po'].includes(kind)) {
    const pod = rt.store.get('Pod', ns, name);
    return pod ?? `Error: failed to execute command on sidecar: error execing into ${name}/${ns} istio-proxy container: pods "${name}" not found\n`;
  }
  const kinds: Record<string, string> = { deployment: 'Deployment', deployments: 'Deployment', deploy: 'Deployment', service: 'Service', services: 'Service', svc: 'Service' };
  const k = kinds[kind];
  if (!k) return `Error: the server doesn't have a resource type "${kind}"\n`;
  const owner = rt.store.get(k, ns, name);
  if (!owner) return `Error: ${k === 'Service' ? 'services' : 'deployments.apps'} "${name}" not found\n`;
  const sel = (k === 'Service' ? owner.spec?.selector : owner.spec?.selector?.matchLabels) as Record<string, string> | undefined;
  const pods = rt.store.list('Pod', ns).filter((p) => sel && selectorMatches({ matchLabels: sel }, p.metadata.labels ?? {})).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return pods[0] ?? `Error: no pods found for ${kind}/${name}\n`;
}

const SUBCOMMANDS: Record<string, string> = {
  cluster: 'cluster', clusters: 'cluster', c: 'cluster',
  endpoint: 'endpoint', endpoints: 'endpoint', ep: 'endpoint',
  listener: 'listener', listeners: 'listener', l: 'listener',
  route: 'route', routes: 'route', r: 'route',
  secret: 'secret', secrets: 'secret', s: 'secret',
  bootstrap: 'bootstrap', b: 'bootstrap',
  log: 'log', o: 'log',
  all: 'all', a: 'all',
  ecds: 'ecds', ec: 'ecds',
  'rootca-compare': 'rootca-compare', rc: 'rootca-compare',
  eds: 'eds',
};

export function proxyConfig(rt: ClusterRuntime, args: string[], defaultNs: string): RunResult {
  const [sub0, ...rest] = args;
  if (sub0 === undefined) return fail('Error: must specify a subcommand\n', 1);
  const sub = SUBCOMMANDS[sub0];
  if (!sub) return fail(`Error: unknown command "${sub0}" for "istioctl proxy-config"\nRun 'istioctl proxy-config --help' for usage.\n`, 1);
  if (sub !== 'cluster' && sub !== 'endpoint') return fail(`netlab: istioctl proxy-config ${sub} is not simulated here (proxy-config cluster and endpoint are)\n`, 1);
  const f = parse(rest);
  if (f.bad) return fail(`Error: unknown flag: ${f.bad}\n`, 1);
  if (!f.target) return fail(`Error: ${sub} requires pod name or --file parameter\n`, 1);
  if (f.output !== 'short') {
    if (f.output === 'json' || f.output === 'yaml') return fail(`netlab: istioctl proxy-config ${sub} -o ${f.output} is not simulated here (the summary table is)\n`, 1);
    return fail(`Error: output format "${f.output}" not supported\n`, 1);
  }
  const pod = findProxyPod(rt, f.target, f.namespace ?? defaultNs);
  if (typeof pod === 'string') return fail(pod, 1);
  const ns = pod.metadata.namespace ?? 'default';
  if (!hasSidecar(pod) && !(ns === ISTIO_NAMESPACE && /gateway$/.test(pod.metadata.labels?.istio ?? ''))) {
    return fail(`Error: failed to execute command on sidecar: error execing into ${pod.metadata.name}/${ns} istio-proxy container: container istio-proxy is not valid for pod ${pod.metadata.name}\n`, 1);
  }
  if (!proxyRunning(pod)) return fail(`Error: failed to execute command on sidecar: error execing into ${pod.metadata.name}/${ns} istio-proxy container: container not found ("istio-proxy")\n`, 1);
  const clusters = envoyClusters(rt, pod);
  if (sub === 'cluster') {
    const rows = clusters.filter((c) => {
      if (f.fqdn && !c.name.includes(f.fqdn)) return false;
      if (f.direction && !c.name.includes(f.direction)) return false;
      if (f.subset && !c.name.includes(f.subset)) return false;
      if (f.port && !c.name.includes(`|${f.port}|`)) return false;
      return true;
    }).map((c) => {
      if (c.name.split('|').length > 3) {
        const k = parseKey(c.name);
        return [k.fqdn, String(k.port), k.subset || '-', k.direction, c.type, c.dr ?? ''].join('\t');
      }
      return [c.name, '-', '-', '-', c.type, c.dr ?? ''].join('\t');
    });
    return ok(tabwrite(['SERVICE FQDN\tPORT\tSUBSET\tDIRECTION\tTYPE\tDESTINATION RULE', ...rows].join('\n') + '\n', { minwidth: 0, padding: 5 }));
  }
  const eps: { address: string; port?: number; cluster: string }[] = [];
  for (const c of clusters) {
    for (const h of c.hosts) {
      if (f.address && h.address !== f.address) continue;
      if (f.port && h.port !== f.port) continue;
      if (f.cluster && c.name !== f.cluster) continue;
      if (f.status && f.status !== 'healthy') continue;
      eps.push({ address: h.address, port: h.port, cluster: c.name });
    }
  }
  eps.sort((a, b) => goLess(a.address, b.address) || (a.port ?? 0) - (b.port ?? 0) || goLess(a.cluster, b.cluster));
  const rows = eps.map((e) => [e.port ? `${e.address}:${e.port}` : e.address, 'HEALTHY', 'OK', e.cluster].join('\t'));
  return ok(tabwrite(['ENDPOINT\tSTATUS\tOUTLIER CHECK\tCLUSTER', ...rows].join('\n') + '\n', { minwidth: 0, padding: 5 }));
}
