/**
 * istioctl 1.24.2 on the workstation: `install` (operator/cmd/mesh/install.go: the logo,
 * the confirmation, one "✔ <component> installed <icon>" line per component as
 * operator/pkg/util/progress reports them, waiting for the Deployments to be ready),
 * `version` (client, control plane, data plane), `proxy-status`
 * (istioctl/pkg/writer/pilot/status.go: NAME CLUSTER CDS LDS EDS RDS ECDS ISTIOD VERSION,
 * tabwriter padding 5), `experimental describe pod` (istioctl/pkg/describe/describe.go) and
 * `analyze` with the injection analyzers (IST0102 namespace not injected, IST0103 pod
 * missing the proxy). Everything is read from the cluster's objects.
 */
import type { RunResult } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { ClusterRuntime } from '../../controllers/runtime';
import type { KubeObject, Manifest } from '../../cluster/types';
import { fail, ok } from '../../types';
import { ApiError } from '../../cluster/api';
import { tabwrite } from '../../printers/kubectl/tabwriter';
import { translateTimestampSince } from '../../printers/kubectl/tables';
import { contextNamespace } from '../kubectl/kubeconfig';
import { ISTIO_NAMESPACE, ISTIO_VERSION, istiodPods, meshProxies } from '../../controllers/istio';
import { PROFILES, profileComponents, renderProfile } from '../../controllers/istio/install';
import { hasSidecar } from '../../controllers/istio/inject';
import { proxyConfig } from './proxyconfig';
import { destinationRuleFor, fqdn, peerAuthentication, virtualServiceFor } from '../../controllers/istio/proxy';
import { selectorMatches } from '../../dataplane/policy';
import { podInfo } from '../../dataplane/topology';

/** pkg/art/istio-ascii.txt, printed (in bold blue on a terminal) before an install. */
const LOGO = [
  '        |\\          ',
  '        | \\         ',
  '        |  \\        ',
  '        |   \\       ',
  '      /||    \\      ',
  '     / ||     \\     ',
  '    /  ||      \\    ',
  '   /   ||       \\   ',
  '  /    ||        \\  ',
  ' /     ||         \\ ',
  '/______||__________\\',
  '____________________',
  '  \\__       _____/  ',
  '     \\_____/        ',
].join('\n');

const COMPONENT_LINES: Record<string, string> = {
  base: '✔ Istio core installed ⛵️',
  pilot: '✔ Istiod installed 🧠',
  egress: '✔ Egress gateways installed 🛫',
  ingress: '✔ Ingress gateways installed 🛬',
};

const USAGE = `Istio configuration command line utility for service operators to
debug and diagnose their Istio mesh.

Usage:
  istioctl [command]

Available Commands:
  admin                Manage control plane (istiod) configuration
  analyze              Analyze Istio configuration and print validation messages
  authz                (authz is experimental. Use \`istioctl experimental authz\`)
  bug-report           Cluster information and log capture support tool.
  completion           Generate the autocompletion script for the specified shell
  create-remote-secret Create a secret with credentials to allow Istio to access remote Kubernetes apiservers
  dashboard            Access to Istio web UIs
  experimental         Experimental commands that may be modified or deprecated
  help                 Help about any command
  install              Applies an Istio manifest, installing or reconfiguring Istio on a cluster.
  kube-inject          Inject Istio sidecar into Kubernetes pod resources
  manifest             Commands related to Istio manifests
  proxy-config         Retrieve information about proxy configuration from Envoy [kube only]
  proxy-status         Retrieves the synchronization status of each Envoy in the mesh
  remote-clusters      Lists the remote clusters each istiod instance is connected to.
  tag                  Command group used to interact with revision tags
  uninstall            Uninstall Istio from a cluster
  upgrade              Upgrade Istio control plane in-place
  validate             Validate Istio policy and rules files
  version              Prints out build version information
  waypoint             Manage waypoint configuration
  ztunnel-config       Update or retrieve current Ztunnel configuration.

Flags:
  -h, --help   help for istioctl

Use "istioctl [command] --help" for more information about a command.
`;

/**
 * The commands istioctl 1.24.2 has (istioctl/cmd/root.go; `experimental`'s in the same file)
 * that this simulation does not model: they say so instead of claiming not to exist.
 */
const NOT_SIMULATED = new Set(['admin', 'bug-report', 'completion', 'create-remote-secret', 'dashboard', 'dash', 'd', 'kube-inject', 'manifest', 'remote-clusters', 'tag', 'uninstall', 'upgrade', 'validate', 'v', 'waypoint', 'ztunnel-config']);
const EXPERIMENTAL_NOT_SIMULATED = new Set(['authz', 'check-inject', 'config', 'envoy-stats', 'es', 'injector', 'internal-debug', 'metrics', 'precheck', 'proxy-status', 'workload']);

function notSimulated(what: string): RunResult {
  return fail(`netlab: istioctl ${what} is not simulated here\n`, 1);
}

function unknownCommand(cmd: string, parent = 'istioctl'): RunResult {
  return fail(`Error: unknown command "${cmd}" for "${parent}"\nRun '${parent} --help' for usage.\n`, 1);
}

/** Flags shared by the subcommands: -n/--namespace, -i/--istioNamespace, -A. */
interface Common {
  namespace?: string;
  rest: string[];
  sets: string[];
  yes: boolean;
  all: boolean;
  bad?: string;
}

function parseFlags(args: string[]): Common {
  const c: Common = { rest: [], sets: [], yes: false, all: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const val = (): string | undefined => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i]);
    if (a === '-n' || a === '--namespace' || a.startsWith('--namespace=')) c.namespace = val();
    else if (a === '-s' || a === '--set' || a.startsWith('--set=')) {
      const v = val();
      if (v !== undefined) c.sets.push(v);
    } else if (a === '-y' || a === '--skip-confirmation') c.yes = true;
    else if (a === '-A' || a === '--all-namespaces') c.all = true;
    else if (a === '-i' || a === '--istioNamespace' || a.startsWith('--istioNamespace=')) val();
    else if (a.startsWith('-') && a !== '-') c.bad = c.bad ?? a;
    else c.rest.push(a);
  }
  return c;
}

// ---- install ---------------------------------------------------------------------------

function applyManifest(cluster: ClusterRuntime, m: Manifest): void {
  const kind = m.kind as string;
  const meta = m.metadata as { name: string; namespace?: string };
  const existing = cluster.store.get(kind, meta.namespace, meta.name);
  if (!existing) {
    cluster.api.create(m);
    return;
  }
  const next = structuredClone(existing);
  for (const [k, v] of Object.entries(m)) if (k !== 'metadata' && k !== 'status') (next as Record<string, unknown>)[k] = structuredClone(v);
  next.metadata.labels = { ...(existing.metadata.labels ?? {}), ...((m.metadata as { labels?: Record<string, string> }).labels ?? {}) };
  if (kind === 'Service') next.spec = { ...existing.spec, ...(m.spec as object), clusterIP: existing.spec?.clusterIP, clusterIPs: existing.spec?.clusterIPs };
  cluster.api.update(next);
}

function deploymentsReady(cluster: ClusterRuntime, names: string[]): boolean {
  return names.every((n) => {
    const d = cluster.store.get('Deployment', ISTIO_NAMESPACE, n);
    return !!d && (d.status?.readyReplicas ?? 0) >= (d.spec?.replicas ?? 1) && (d.status?.updatedReplicas ?? 0) >= (d.spec?.replicas ?? 1);
  });
}

function install(args: string[], ctx: CommandContext): RunResult {
  const f = parseFlags(args);
  if (f.bad) return fail(`Error: unknown flag: ${f.bad}\n`, 1);
  let profile = 'default';
  for (const s of f.sets) {
    const [k, v = ''] = s.split('=');
    if (k === 'profile') profile = v;
    else if (!k.startsWith('values.') && !k.startsWith('meshConfig.') && !k.startsWith('components.') && k !== 'hub' && k !== 'tag' && k !== 'revision' && k !== 'namespace') {
      return fail(`Error: generate config: unknown field "${k.split('.')[0]}" in IstioOperator\n`, 1);
    }
  }
  if (!PROFILES.includes(profile)) return fail(`Error: generate config: profile "${profile}" not found\n`, 1);
  if (profile !== 'demo' && profile !== 'default') return fail(`Error: this cluster builds the "demo" and "default" profiles only, not "${profile}"\n`, 1);
  const cluster = ctx.cluster;
  let stdout = '';
  let stderr = `${LOGO}\n\n`;
  if (!f.yes) {
    stdout += `This will install the Istio ${ISTIO_VERSION} profile "${profile}" into the cluster. Proceed? (y/N) `;
    const answer = (ctx.stdin.split('\n')[0] ?? '').trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') return { stdout: stdout + 'Cancelled.\n', stderr, exitCode: 1 };
  }
  try {
    if (!cluster.store.get('Namespace', undefined, ISTIO_NAMESPACE)) cluster.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ISTIO_NAMESPACE } });
    const manifests = renderProfile(profile);
    const comps = profileComponents(profile);
    const deploymentOf: Record<string, string> = { pilot: 'istiod', egress: 'istio-egressgateway', ingress: 'istio-ingressgateway' };
    const done: string[] = [];
    // core (the mesh config), then istiod, then the gateways — each applied and waited for
    for (const comp of comps) {
      const mine = manifests.filter((m) => {
        const name = (m.metadata as { name: string }).name;
        if (comp === 'base') return m.kind === 'CustomResourceDefinition' || (m.kind === 'ConfigMap' && name === 'istio');
        if (comp === 'pilot') return name === 'istiod' || name === 'istio-sidecar-injector';
        return name === deploymentOf[comp];
      });
      for (const m of mine) applyManifest(cluster, m);
      if (deploymentOf[comp]) {
        for (let waited = 0; waited < 300 && !deploymentsReady(cluster, [deploymentOf[comp]]); waited++) cluster.advance(1000);
        if (!deploymentsReady(cluster, [deploymentOf[comp]])) {
          stderr += `✘ ${comp === 'pilot' ? 'Istiod' : comp === 'egress' ? 'Egress gateways' : 'Ingress gateways'} encountered an error: failed to wait for resource: resources not ready after 5m0s: context deadline exceeded\n  Deployment/${ISTIO_NAMESPACE}/${deploymentOf[comp]} (container failed to start)\n`;
          return { stdout, stderr: stderr + `Error: failed to install manifests: errors occurred during operation\n`, exitCode: 1 };
        }
      }
      done.push(COMPONENT_LINES[comp]);
    }
    stderr += done.join('\n') + '\n✔ Installation complete\n';
  } catch (e) {
    if (e instanceof ApiError) return { stdout, stderr: stderr + `Error: failed to install manifests: ${e.message}\n`, exitCode: 1 };
    throw e;
  }
  return { stdout, stderr, exitCode: 0 };
}

// ---- version ---------------------------------------------------------------------------

function versionCmd(args: string[], ctx: CommandContext): RunResult {
  const f = parseFlags(args);
  if (f.bad === '--remote=false' || f.bad === '--short') return ok(`${ISTIO_VERSION}\n`);
  if (f.bad) return fail(`Error: unknown flag: ${f.bad}\n`, 1);
  const cluster = ctx.cluster;
  if (istiodPods(cluster).length === 0) {
    return { stdout: `client version: ${ISTIO_VERSION}\n`, stderr: `Istio is not present in the cluster: no running Istio pods in namespace "${ISTIO_NAMESPACE}"\n`, exitCode: 0 };
  }
  const proxies = meshProxies(cluster).length;
  return ok(`client version: ${ISTIO_VERSION}\ncontrol plane version: ${ISTIO_VERSION}\ndata plane version: ${ISTIO_VERSION} (${proxies} ${proxies === 1 ? 'proxy' : 'proxies'})\n`);
}

// ---- proxy-status ------------------------------------------------------------------------

/** When istiod last pushed to this proxy: its start, or the newest mesh config it had to receive since. */
function lastPush(cluster: ClusterRuntime, pod: KubeObject): number {
  const st = (pod.status?.containerStatuses ?? []).find((c: { name: string }) => c.name === 'istio-proxy');
  let t = Date.parse(st?.state?.running?.startedAt ?? pod.metadata.creationTimestamp ?? '') || cluster.clock.now();
  for (const kind of ['VirtualService', 'DestinationRule', 'PeerAuthentication', 'Service']) {
    for (const o of cluster.store.list(kind)) {
      const c = Date.parse(o.metadata.creationTimestamp ?? '');
      if (c > t && c <= cluster.clock.now()) t = c;
    }
  }
  return t;
}

function proxyStatus(args: string[], ctx: CommandContext): RunResult {
  const f = parseFlags(args);
  if (f.bad) return fail(`Error: unknown flag: ${f.bad}\n`, 1);
  const cluster = ctx.cluster;
  const istiods = istiodPods(cluster);
  if (!istiods.length) return fail(`Error: no running Istio pods in "${ISTIO_NAMESPACE}"\n`, 1);
  const istiod = [...istiods].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0].metadata.name;
  let proxies = meshProxies(cluster);
  if (f.rest[0]) {
    const [name, ns = f.namespace ?? contextNamespace(cluster, ctx)] = f.rest[0].split('.');
    proxies = proxies.filter((p) => p.metadata.name === name && p.metadata.namespace === ns);
    if (!proxies.length) return fail(`Error: could not find pod ${name}.${ns} in the mesh\n`, 1);
  } else if (f.namespace) proxies = proxies.filter((p) => p.metadata.namespace === f.namespace);
  const now = cluster.clock.now();
  const rows = proxies
    .map((p) => {
      const since = `SYNCED (${translateTimestampSince(new Date(lastPush(cluster, p)).toISOString(), now)})`;
      const gateway = !hasSidecar(p);
      return [`${p.metadata.name}.${p.metadata.namespace}`, 'Kubernetes', since, since, since, gateway ? 'NOT SENT' : since, 'IGNORED', istiod, ISTIO_VERSION];
    })
    .sort((a, b) => a[0].localeCompare(b[0]));
  const text = ['NAME\tCLUSTER\tCDS\tLDS\tEDS\tRDS\tECDS\tISTIOD\tVERSION', ...rows.map((r) => r.join('\t'))].join('\n') + '\n';
  return ok(tabwrite(text, { minwidth: 0, padding: 5 }));
}

// ---- experimental describe pod ---------------------------------------------------------

function portProtocol(p: { name?: string; port: number; protocol?: string; appProtocol?: string }): string {
  if (!p.name && !p.appProtocol) return 'auto-detect';
  const n = (p.appProtocol ?? p.name ?? '').toLowerCase();
  const pre = n.split('-')[0];
  const map: Record<string, string> = { http: 'HTTP', http2: 'HTTP2', https: 'HTTPS', grpc: 'GRPC', 'grpc-web': 'GRPC-Web', tcp: 'TCP', tls: 'TLS', mongo: 'Mongo', redis: 'Redis', mysql: 'MySQL' };
  return map[n] ?? map[pre] ?? 'UnsupportedProtocol';
}

function describePod(args: string[], ctx: CommandContext): RunResult {
  const f = parseFlags(args);
  if (f.bad) return fail(`Error: unknown flag: ${f.bad}\n`, 1);
  if (!f.rest[0]) return fail('Error: expecting pod name\n', 1);
  const cluster = ctx.cluster;
  const [name, given] = f.rest[0].split('.');
  const ns = given ?? f.namespace ?? contextNamespace(cluster, ctx);
  const pod = cluster.store.get('Pod', ns, name);
  if (!pod) return fail(`Error: pods "${name}" not found\n`, 1);
  const kname = (o: KubeObject) => (o.metadata.namespace === ns ? o.metadata.name : `${o.metadata.name}.${o.metadata.namespace}`);
  let out = '';
  const ports: string[] = [];
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) ports.push(`${p.containerPort}${(p.protocol ?? 'TCP') !== 'TCP' ? `/${p.protocol}` : ''} (${c.name})`);
  out += `Pod: ${kname(pod)}\n   Pod Revision: ${pod.metadata.annotations?.['istio.io/rev'] ?? 'default'}\n`;
  out += ports.length ? `   Pod Ports: ${ports.join(', ')}\n` : '   Pod does not expose ports\n';
  if (podInfo(pod).phase !== 'Running') return ok(out + `   Pod is not Running (${podInfo(pod).phase})\n`);
  for (const st of pod.status?.containerStatuses ?? []) if (!st.ready) out += `WARNING: Pod ${kname(pod)} Container ${st.name} NOT READY\n`;
  if (!hasSidecar(pod)) return ok(out + `WARNING: ${kname(pod)} is not part of mesh; no Istio sidecar\n`);
  const labels = pod.metadata.labels ?? {};
  const svcs = cluster.store.list('Service', ns).filter((s) => s.spec?.selector && Object.keys(s.spec.selector).length && selectorMatches({ matchLabels: s.spec.selector }, labels));
  if (!svcs.length) out += `Warning: No Kubernetes Services select pod ${kname(pod)} (see https://istio.io/docs/setup/kubernetes/additional-setup/requirements/ )\n`;
  out += '--------------------\n';
  const domain = cluster.settings.clusterDomain ?? 'cluster.local';
  svcs.forEach((svc, row) => {
    if (row) out += '--------------------\n';
    out += `Service: ${kname(svc)}\n`;
    const sports = (svc.spec?.ports ?? []) as { name?: string; port: number; targetPort?: number | string; protocol?: string; appProtocol?: string }[];
    for (const p of sports) {
      if ((p.protocol ?? 'TCP') !== 'TCP') continue;
      let target: number | undefined = typeof p.targetPort === 'number' ? p.targetPort : undefined;
      if (typeof p.targetPort === 'string') for (const c of pod.spec?.containers ?? []) for (const cp of c.ports ?? []) if (cp.name === p.targetPort) target = cp.containerPort;
      if (p.targetPort === undefined) target = p.port;
      out += target !== undefined ? `   Port: ${p.name ?? ''} ${p.port}/${portProtocol(p)} targets pod port ${target}\n` : `   no container port named ${p.targetPort}\n`;
    }
    const host = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${domain}`;
    const dr = destinationRuleFor(cluster, host, ns);
    const subsets = ((dr?.spec?.subsets ?? []) as { name: string; labels?: Record<string, string> }[]);
    const matching = subsets.filter((s) => selectorMatches({ matchLabels: s.labels ?? {} }, labels)).map((s) => s.name);
    const nonmatching = subsets.filter((s) => !matching.includes(s.name)).map((s) => s.name);
    if (dr) {
      out += `DestinationRule: ${kname(dr)} for "${dr.spec?.host}"\n`;
      if (subsets.length) {
        if (!matching.length) out += `   WARNING POD DOES NOT MATCH ANY SUBSETS.  (Non matching subsets ${nonmatching.join(',')})\n`;
        out += `   Matching subsets: ${matching.join(',')}\n`;
        if (nonmatching.length) out += `      (Non-matching subsets ${nonmatching.join(',')})\n`;
      }
      const tp = dr.spec?.trafficPolicy;
      if (!tp) out += '   No Traffic Policy\n';
      else {
        if (tp.tls) out += `   Traffic Policy TLS Mode: ${tp.tls.mode ?? 'DISABLE'}\n`;
        const extra = [tp.loadBalancer && 'load balancer', tp.connectionPool && 'connection pool', tp.outlierDetection && 'outlier detection'].filter(Boolean);
        if (extra.length) out += `   Policies: ${extra.join('/')}\n`;
      }
    }
    const vs = virtualServiceFor(cluster, host);
    if (vs) {
      out += `VirtualService: ${kname(vs)}\n`;
      let matches = 0;
      const http = (vs.spec?.http ?? []) as { route?: { destination?: { host?: string; subset?: string }; weight?: number }[]; match?: unknown[]; fault?: unknown }[];
      for (const r of http) {
        const facts: string[] = [];
        let match = false;
        for (const d of r.route ?? []) {
          const dh = fqdn(d.destination?.host ?? '', vs.metadata.namespace ?? 'default', domain);
          if (dh !== host) {
            facts.push(d.destination?.subset ? `Route to ${d.destination?.host} with invalid config` : `Route to host "${d.destination?.host}" with weight ${d.weight ?? 0}%`);
            continue;
          }
          if (d.destination?.subset && !matching.includes(d.destination.subset)) continue;
          match = true;
          if ((d.weight ?? 0) > 0) facts.push(`Route to host "${d.destination?.host}"${d.destination?.subset ? ` subset "${d.destination.subset}"` : ''} with weight ${d.weight}%`);
        }
        if (match) {
          matches++;
          for (const fact of facts) out += `   ${fact}\n`;
        }
      }
      if (!matches && http.length) out += `   WARNING: No destinations match pod subsets (checked ${http.length} HTTP routes)\n`;
      else if (matches < http.length) out += `   ${http.length - matches} additional destination(s) that will not reach this pod\n`;
      else if (!out.endsWith('%\n') && http.length) out += `   ${http.length} HTTP route(s)\n`;
    }
  });
  out += '--------------------\n';
  const pa = peerAuthentication(cluster, pod);
  out += `Effective PeerAuthentication:\n   Workload mTLS mode: ${pa.mode}\n`;
  if (pa.applied.length) out += `Applied PeerAuthentication:\n   ${pa.applied.map((p) => `${p.metadata.name}.${p.metadata.namespace}`).join(', ')}\n`;
  return ok(out);
}

function experimental(args: string[], ctx: CommandContext): RunResult {
  const [sub, what, ...rest] = args;
  if (sub === 'describe' || sub === 'des') {
    if (what === 'pod' || what === 'po' || what === 'pods') return describePod(rest, ctx);
    if (what === undefined) return fail('Error: must specify a subcommand: pod or service\n', 1);
    if (what === 'service' || what === 'svc') return notSimulated(`experimental describe ${what}`);
    return unknownCommand(what, 'istioctl experimental describe');
  }
  if (sub === undefined) return fail('Error: must specify a subcommand\n', 1);
  if (EXPERIMENTAL_NOT_SIMULATED.has(sub)) return notSimulated(`experimental ${sub}`);
  return unknownCommand(sub, 'istioctl experimental');
}

// ---- analyze ---------------------------------------------------------------------------

/** One analyzer message: level, code, the resource it names (`VirtualService shop/web`), the text. */
interface AnalysisMessage {
  level: 'Error' | 'Warning' | 'Info';
  code: string;
  origin: string;
  text: string;
}

const LEVEL_ORDER = { Error: 0, Warning: 1, Info: 2 };

/** util.ConvertHostToFQDN: a short name (no dot, no wildcard) gets the namespace and svc.cluster.local. */
function analyzerFqdn(ns: string, host: string): string {
  return !host.startsWith('*') && !host.includes('.') ? `${host}.${ns}.svc.cluster.local` : host;
}

/** util.GetResourceNameFromHost: NAME.NS.svc.cluster.local names NS/NAME; anything else is a name in the default namespace. */
function resourceNameFromHost(ns: string, host: string): string {
  const m = /^(.+)\.(.+)\.svc\.cluster\.local$/.exec(host);
  return m ? `${m[2]}/${m[1]}` : `${ns}/${host}`;
}

interface RouteDestination { destination?: { host?: string; subset?: string } }

/** Every route destination of a VirtualService (analyzers/virtualservice/util.go getRouteDestinations: tcp, tls, then http). */
function routeDestinations(vs: KubeObject): RouteDestination[] {
  const out: RouteDestination[] = [];
  for (const kind of ['tcp', 'tls', 'http']) for (const rule of (vs.spec?.[kind] ?? []) as { route?: RouteDestination[] }[]) out.push(...(rule.route ?? []));
  return out;
}

/**
 * The VirtualService analyzers (pkg/config/analysis/analyzers/virtualservice at 1.24.2):
 * destinationrules.go (IST0101 "host+subset in destinationrule"), gateways.go (IST0101
 * "gateway", and IST0132 since a missing Gateway has none of the hosts) and
 * conflictingmeshgatewayhosts.go (IST0109, one message per VirtualService sharing a mesh host).
 * Istio's Gateway kind is not served in this cluster, so every Gateway a VirtualService names
 * is one the API cannot return.
 */
function virtualServiceMessages(cluster: ClusterRuntime, namespaces: Set<string>): AnalysisMessage[] {
  const msgs: AnalysisMessage[] = [];
  const all = cluster.store.list('VirtualService');
  const subsets = new Set<string>();
  for (const dr of cluster.store.list('DestinationRule')) {
    for (const ss of (dr.spec?.subsets ?? []) as { name?: string }[]) subsets.add(`${resourceNameFromHost(dr.metadata.namespace ?? 'default', dr.spec?.host ?? '')}+${ss.name ?? ''}`);
  }
  for (const vs of all) {
    const ns = vs.metadata.namespace ?? 'default';
    if (!namespaces.has(ns)) continue;
    const origin = `VirtualService ${ns}/${vs.metadata.name}`;
    for (const r of routeDestinations(vs)) {
      const subset = r.destination?.subset;
      if (!subset) continue;
      const host = r.destination?.host ?? '';
      if (!subsets.has(`${resourceNameFromHost(ns, host)}+${subset}`)) msgs.push({ level: 'Error', code: 'IST0101', origin, text: `Referenced host+subset in destinationrule not found: "${host}+${subset}"` });
    }
    for (const gw of (vs.spec?.gateways ?? []) as string[]) {
      if (gw === 'mesh') continue;
      const full = gw.includes('/') ? gw : `${ns}/${gw}`;
      msgs.push({ level: 'Error', code: 'IST0101', origin, text: `Referenced gateway not found: "${gw}"` });
      msgs.push({ level: 'Warning', code: 'IST0132', origin, text: `one or more host [${((vs.spec?.hosts ?? []) as string[]).join(' ')}] defined in VirtualService ${ns}/${vs.metadata.name} not found in Gateway ${full}.` });
    }
  }
  // conflictingmeshgatewayhosts.go: the mesh-bound VirtualServices by scoped FQDN (exportTo)
  const byHost = new Map<string, KubeObject[]>();
  for (const vs of all) {
    const gws = (vs.spec?.gateways ?? []) as string[];
    if (gws.length && !gws.includes('mesh')) continue;
    const ns = vs.metadata.namespace ?? 'default';
    const exportTo = (vs.spec?.exportTo ?? []) as string[];
    const scopes = !exportTo.length || exportTo.includes('*') ? ['*'] : [...new Set(exportTo.map((e) => (e === '.' ? ns : e)))];
    for (const scope of scopes) {
      for (const h of (vs.spec?.hosts ?? []) as string[]) {
        const key = `${scope}/${analyzerFqdn(ns, h)}`;
        byHost.set(key, [...(byHost.get(key) ?? []), vs]);
      }
    }
  }
  const reported = new Set<string>();
  for (const [key, list0] of byHost) {
    const [scope, fqdn] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    const list = scope === '*' ? list0 : [...list0, ...(byHost.get(`*/${fqdn}`) ?? [])];
    if (list.length < 2) continue;
    const names = list.map((v) => `${v.metadata.namespace}/${v.metadata.name}`).sort().join(',');
    for (const vs of list) {
      const full = `${vs.metadata.namespace}/${vs.metadata.name}`;
      if (reported.has(full)) continue;
      reported.add(full);
      if (!namespaces.has(vs.metadata.namespace ?? 'default')) continue;
      msgs.push({ level: 'Error', code: 'IST0109', origin: `VirtualService ${full}`, text: `The VirtualServices ${names} associated with mesh gateway define the same host ${key} which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.` });
    }
  }
  return msgs;
}

/**
 * `istioctl analyze` (istioctl/pkg/analyze/analyze.go): the messages sorted by level, code and
 * resource and deduplicated (diag.Messages.SortedDedupedCopy), one a line on stdout as
 * `Level [CODE] (Kind ns/name) text`; an Error among them makes the command fail with
 * AnalyzerFoundIssuesError and exit code 79 (istioctl/cmd/sysexits.go ExitAnalyzerFoundIssues).
 */
function analyze(args: string[], ctx: CommandContext): RunResult {
  const f = parseFlags(args);
  if (f.bad) return fail(`Error: unknown flag: ${f.bad}\n`, 1);
  const cluster = ctx.cluster;
  const ns = f.namespace ?? contextNamespace(cluster, ctx);
  const namespaces = f.all ? cluster.store.list('Namespace').map((n) => n.metadata.name) : [ns];
  const target = f.all ? 'all namespaces' : `namespace: ${ns}`;
  const msgs: AnalysisMessage[] = [];
  const skip = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage', ISTIO_NAMESPACE]);
  for (const n of namespaces) {
    if (skip.has(n)) continue;
    const nsObj = cluster.store.get('Namespace', undefined, n);
    const injection = nsObj?.metadata.labels?.['istio-injection'];
    const rev = nsObj?.metadata.labels?.['istio.io/rev'];
    if (!injection && !rev) {
      msgs.push({ level: 'Info', code: 'IST0102', origin: `Namespace ${n}`, text: `The namespace is not enabled for Istio injection. Run 'kubectl label namespace ${n} istio-injection=enabled' to enable it, or 'kubectl label namespace ${n} istio-injection=disabled' to explicitly mark it as not needing injection.` });
      continue;
    }
    if (injection !== 'enabled' && !rev) continue;
    for (const p of cluster.store.list('Pod', n)) {
      const said = p.metadata.labels?.['sidecar.istio.io/inject'] ?? p.metadata.annotations?.['sidecar.istio.io/inject'];
      if (said === 'false' || p.spec?.hostNetwork || hasSidecar(p)) continue;
      msgs.push({ level: 'Warning', code: 'IST0103', origin: `Pod ${n}/${p.metadata.name}`, text: `The pod ${n}/${p.metadata.name} is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.` });
    }
  }
  msgs.push(...virtualServiceMessages(cluster, new Set(namespaces)));
  const lines = [...new Set(msgs
    .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.code.localeCompare(b.code) || a.origin.localeCompare(b.origin) || a.text.localeCompare(b.text))
    .map((m) => `${m.level} [${m.code}] (${m.origin}) ${m.text}`))];
  if (!lines.length) return { stdout: '\n', stderr: `✔ No validation issues found when analyzing ${target}.\n`, exitCode: 0 };
  if (msgs.some((m) => m.level === 'Error')) {
    const docs = `https://istio.io/v${ISTIO_VERSION.split('.').slice(0, 2).join('.')}/docs/reference/config/analysis`;
    return { stdout: lines.join('\n') + '\n', stderr: `Error: Analyzers found issues when analyzing ${target}.\nSee ${docs} for more information about causes and resolutions.\n`, exitCode: 79 };
  }
  return ok(lines.join('\n') + '\n');
}

// ---- the command -----------------------------------------------------------------------

function run(args: string[], ctx: CommandContext): RunResult {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') return ok(USAGE);
  switch (sub) {
    case 'install':
      return install(rest, ctx);
    case 'version':
      return versionCmd(rest, ctx);
    case 'proxy-status':
    case 'ps':
      return proxyStatus(rest, ctx);
    case 'experimental':
    case 'x':
    case 'exp':
      return experimental(rest, ctx);
    case 'analyze':
      return analyze(rest, ctx);
    case 'proxy-config':
    case 'pc':
      return proxyConfig(ctx.cluster, rest, contextNamespace(ctx.cluster, ctx));
    case 'authz':
      return fail('Error: (authz is experimental. Use `istioctl experimental authz`)\n', 1);
    default:
      if (NOT_SIMULATED.has(sub)) return notSimulated(sub);
      return unknownCommand(sub);
  }
}

export const istioctlCommand: CommandSpec = {
  name: 'istioctl',
  summary: 'Istio\'s command line: install the mesh, check proxies, describe a pod\'s mesh config',
  run,
  complete(args) {
    if (args.length <= 1) return ['analyze', 'experimental', 'install', 'proxy-config', 'proxy-status', 'version'].filter((w) => w.startsWith(args[0] ?? ''));
    if (args.length === 2 && (args[0] === 'proxy-config' || args[0] === 'pc')) return ['cluster', 'endpoint'].filter((w) => w.startsWith(args[1]));
    return [];
  },
};
