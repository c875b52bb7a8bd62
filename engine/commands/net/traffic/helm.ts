/**
 * helm 3 on the workstation, for the charts the course installs: ingress-nginx
 * (chart 4.12.0, controller v1.12.0 — current at the simulation's epoch, January 2025) from
 * its repository, and Envoy Gateway's gateway-helm (v1.9.0) from its OCI registry.
 * Repositories live where helm keeps them (~/.config/helm/repositories.yaml on the
 * workstation's filesystem); a release is what helm stores in the cluster — a Secret
 * `sh.helm.release.v1.NAME.vN` of type helm.sh/release.v1 in the release's namespace — so
 * both survive snapshots with the rest of the state. `helm install` creates through the API
 * server what the chart's templates create; its NOTES are the chart's templates/NOTES.txt.
 */
import type { CommandOutcome } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import type { ClusterRuntime } from '../../../controllers/runtime';
import type { KubeObject, Manifest } from '../../../cluster/types';
import { parse, stringify } from 'yaml';
import { sha256 } from '../../../cluster/hash';
import { gatewayHelmCrds, gatewayHelmNotes, renderGatewayHelm } from './gateway-helm';

const HOME = '/home/learner';
const REPO_FILE = `${HOME}/.config/helm/repositories.yaml`;

interface Repo {
  name: string;
  url: string;
}

/** The chart repositories the simulated internet serves, and their charts. */
const KNOWN_REPOS: Record<string, { charts: Record<string, { version: string; appVersion: string; description: string }> }> = {
  'https://kubernetes.github.io/ingress-nginx': {
    charts: { 'ingress-nginx': { version: '4.12.0', appVersion: '1.12.0', description: 'Ingress controller for Kubernetes using NGINX as a reverse proxy and load balancer' } },
  },
};

/**
 * Charts served from OCI registries (`helm install NAME oci://REGISTRY/REPO --version V`): the
 * tags each has. Without --version helm takes the highest semver tag that is not a pre-release.
 */
const OCI_CHARTS: Record<string, { chart: string; tags: Record<string, { version: string; appVersion: string }> }> = {
  'docker.io/envoyproxy/gateway-helm': { chart: 'gateway-helm', tags: { 'v1.9.0': { version: 'v1.9.0', appVersion: 'v1.9.0' } } },
};

function readRepos(cluster: ClusterRuntime): Repo[] {
  const text = cluster.fs.read({ kind: 'workstation' }, REPO_FILE);
  if (!text) return [];
  try {
    const doc = parse(text) as { repositories?: Repo[] };
    return doc?.repositories ?? [];
  } catch {
    return [];
  }
}

function writeRepos(cluster: ClusterRuntime, repos: Repo[]): void {
  const doc = {
    apiVersion: '',
    generated: '0001-01-01T00:00:00Z',
    repositories: repos.map((r) => ({ caFile: '', certFile: '', insecure_skip_tls_verify: false, keyFile: '', name: r.name, pass_credentials_all: false, password: '', url: r.url, username: '' })),
  };
  cluster.fs.write({ kind: 'workstation' }, REPO_FILE, stringify(doc));
}

/** Go's time.ANSIC, as helm prints LAST DEPLOYED: `Wed Jan 15 09:00:00 2025`. */
function ansic(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

interface ReleaseInfo {
  name: string;
  namespace: string;
  revision: number;
  updated: number;
  status: string;
  chart: string;
  appVersion: string;
  objects: { kind: string; namespace?: string; name: string }[];
  /** The chart's rendered NOTES.txt, as the release record keeps it (release.Info.Notes). */
  notes?: string;
}

/** base64 of the record's UTF-8 bytes (the chart NOTES may hold any character; btoa takes Latin-1 only). */
function toBase64(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

function fromBase64(b64: string): string {
  const bin = atob(b64);
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

function releases(cluster: ClusterRuntime): ReleaseInfo[] {
  const out: ReleaseInfo[] = [];
  for (const s of cluster.store.list('Secret')) {
    if (s.type !== 'helm.sh/release.v1' || s.metadata.labels?.owner !== 'helm') continue;
    try {
      const rel = JSON.parse(s.data?.release ? fromBase64(s.data.release) : '{}') as ReleaseInfo;
      if (rel.name) out.push(rel);
    } catch {
      // not ours
    }
  }
  return out;
}

function setValue(values: Record<string, unknown>, path: string, raw: string): void {
  const keys = path.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, '.'));
  let cur = values as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) {
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  const v: unknown = raw === 'true' ? true : raw === 'false' ? false : /^\d+$/.test(raw) ? Number(raw) : raw;
  cur[keys[keys.length - 1]] = v;
}

function mergeInto(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(from)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && into[k] && typeof into[k] === 'object') mergeInto(into[k] as Record<string, unknown>, v as Record<string, unknown>);
    else into[k] = v;
  }
}

function get(values: Record<string, unknown>, path: string): unknown {
  let cur: unknown = values;
  for (const k of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

/** The objects the ingress-nginx chart renders (the subset the simulated API serves). */
function renderIngressNginx(release: string, ns: string, values: Record<string, unknown>, chart: { version: string; appVersion: string }): Manifest[] {
  const fullname = release.includes('ingress-nginx') ? release : `${release}-ingress-nginx`;
  const name = `${fullname}-controller`;
  const svcType = (get(values, 'controller.service.type') as string) ?? 'LoadBalancer';
  const replicas = (get(values, 'controller.replicaCount') as number) ?? 1;
  const className = (get(values, 'controller.ingressClassResource.name') as string) ?? 'nginx';
  const isDefault = get(values, 'controller.ingressClassResource.default') === true;
  const etp = get(values, 'controller.service.externalTrafficPolicy') as string | undefined;
  const labels = {
    'helm.sh/chart': `ingress-nginx-${chart.version}`,
    'app.kubernetes.io/name': 'ingress-nginx',
    'app.kubernetes.io/instance': release,
    'app.kubernetes.io/version': chart.appVersion,
    'app.kubernetes.io/part-of': 'ingress-nginx',
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/component': 'controller',
  };
  const selector = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': release, 'app.kubernetes.io/component': 'controller' };
  const annotations = { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': ns };
  const svcSpec: Record<string, unknown> = {
    type: svcType,
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
    ports: [
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', appProtocol: 'http', ...(get(values, 'controller.service.nodePorts.http') ? { nodePort: Number(get(values, 'controller.service.nodePorts.http')) } : {}) },
      { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https', appProtocol: 'https', ...(get(values, 'controller.service.nodePorts.https') ? { nodePort: Number(get(values, 'controller.service.nodePorts.https')) } : {}) },
    ],
    selector,
  };
  if (etp && svcType !== 'ClusterIP') svcSpec.externalTrafficPolicy = etp;
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels, annotations }, data: { 'allow-snippet-annotations': 'false' } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: className, labels, annotations: { ...annotations, ...(isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {}) } }, spec: { controller: 'k8s.io/ingress-nginx' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: `${name}-admission`, namespace: ns, labels, annotations }, spec: { type: 'ClusterIP', ports: [{ name: 'https-webhook', port: 443, targetPort: 'webhook', appProtocol: 'https' }], selector } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels, annotations }, spec: svcSpec },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels, annotations },
      spec: {
        replicas,
        revisionHistoryLimit: 10,
        selector: { matchLabels: selector },
        minReadySeconds: 0,
        template: {
          metadata: { labels: { ...labels } },
          spec: {
            dnsPolicy: 'ClusterFirst',
            containers: [
              {
                name: 'controller',
                image: `registry.k8s.io/ingress-nginx/controller:v${chart.appVersion}`,
                imagePullPolicy: 'IfNotPresent',
                args: ['/nginx-ingress-controller', `--publish-service=$(POD_NAMESPACE)/${name}`, '--election-id=' + name + '-leader', `--controller-class=k8s.io/ingress-nginx`, `--ingress-class=${className}`, `--configmap=$(POD_NAMESPACE)/${name}`, `--validating-webhook=:8443`, ...extraArgs(get(values, 'controller.extraArgs'))],
                ports: [
                  { name: 'http', containerPort: 80, protocol: 'TCP' },
                  { name: 'https', containerPort: 443, protocol: 'TCP' },
                  { name: 'webhook', containerPort: 8443, protocol: 'TCP' },
                ],
                readinessProbe: { httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10 },
                livenessProbe: { httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10 },
              },
            ],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            serviceAccountName: fullname,
            terminationGracePeriodSeconds: 300,
          },
        },
      },
    },
  ];
}

function notes(release: string, ns: string, svcType: string): string {
  const fullname = release.includes('ingress-nginx') ? release : `${release}-ingress-nginx`;
  const name = `${fullname}-controller`;
  let s = 'The ingress-nginx controller has been installed.\n';
  if (svcType.includes('NodePort')) {
    s += `Get the application URL by running these commands:\n  export HTTP_NODE_PORT=$(kubectl get service --namespace ${ns} ${name} --output jsonpath="{.spec.ports[0].nodePort}")\n  export HTTPS_NODE_PORT=$(kubectl get service --namespace ${ns} ${name} --output jsonpath="{.spec.ports[1].nodePort}")\n  export NODE_IP="$(kubectl get nodes --output jsonpath="{.items[0].status.addresses[1].address}")"\n\n  echo "Visit http://\${NODE_IP}:\${HTTP_NODE_PORT} to access your application via HTTP."\n  echo "Visit https://\${NODE_IP}:\${HTTPS_NODE_PORT} to access your application via HTTPS."\n`;
  } else if (svcType.includes('LoadBalancer')) {
    s += `It may take a few minutes for the load balancer IP to be available.\nYou can watch the status by running 'kubectl get service --namespace ${ns} ${name} --output wide --watch'\n`;
  } else if (svcType.includes('ClusterIP')) {
    s += `Get the application URL by running these commands:\n  export POD_NAME="$(kubectl get pods --namespace ${ns} --selector app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/instance=${release},app.kubernetes.io/component=controller --output jsonpath="{.items[0].metadata.name}")"\n  kubectl port-forward --namespace ${ns} "\${POD_NAME}" 8080:80\n  echo "Visit http://127.0.0.1:8080 to access your application."\n`;
  }
  s += `
An example Ingress that makes use of the controller:
  apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: example
    namespace: foo
  spec:
    ingressClassName: nginx
    rules:
      - host: www.example.com
        http:
          paths:
            - pathType: Prefix
              backend:
                service:
                  name: exampleService
                  port:
                    number: 80
              path: /
    # This section is only required if TLS is to be enabled for the Ingress
    tls:
      - hosts:
        - www.example.com
        secretName: example-tls

If TLS is enabled for the Ingress, a Secret containing the certificate and key must also be provided:

  apiVersion: v1
  kind: Secret
  metadata:
    name: example-tls
    namespace: foo
  data:
    tls.crt: <base64 encoded cert>
    tls.key: <base64 encoded key>
  type: kubernetes.io/tls
`;
  return s;
}

function errorOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** helm's list table: uitable cells padded to the column width, separated by a tab. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('\t').replace(/\s+$/, '') + '\n').join('');
}

function goTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}000000 +0000 UTC`;
}

const USAGE = 'Error: unknown command "%s" for "helm"\nRun \'helm --help\' for usage.\n';

/** The chart's `range $key, $value := .Values.controller.extraArgs`: sorted keys, `--key` alone for an empty value. */
function extraArgs(v: unknown): string[] {
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v as Record<string, unknown>)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, x]) => (x === '' || x === null ? `--${k}` : `--${k}=${String(x)}`));
}

export const helmCommand: CommandSpec = {
  name: 'helm',
  summary: 'The Kubernetes package manager',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const cluster = ctx.cluster;
    let namespace: string | undefined;
    let allNs = false;
    let createNs = false;
    const sets: [string, string][] = [];
    const valueFiles: string[] = [];
    let upgradeInstall = false;
    let version: string | undefined;
    let repoUrl: string | undefined;
    const pos: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-n' || a === '--namespace') namespace = args[++i];
      else if (a.startsWith('--namespace=')) namespace = a.slice(12);
      else if (a === '-A' || a === '--all-namespaces') allNs = true;
      else if (a === '--create-namespace') createNs = true;
      else if (a === '--set' || a === '--set-string') {
        const kv = args[++i] ?? '';
        for (const part of kv.split(/,(?![^{]*})/)) {
          const eq = part.indexOf('=');
          if (eq > 0) sets.push([part.slice(0, eq), part.slice(eq + 1)]);
        }
      } else if (a === '-f' || a === '--values') valueFiles.push(args[++i] ?? '');
      else if (a.startsWith('--values=')) valueFiles.push(a.slice(9));
      else if (a === '-i' || a === '--install') upgradeInstall = true;
      else if (a === '--wait' || a === '--atomic' || a === '--debug' || a === '--dry-run' || a === '--reuse-values') continue;
      else if (a === '--version') version = args[++i];
      else if (a.startsWith('--version=')) version = a.slice(10);
      else if (a === '--repo') repoUrl = args[++i] ?? '';
      else if (a.startsWith('--repo=')) repoUrl = a.slice(7);
      else if (a === '--timeout' || a === '--kube-context') i++;
      else if (a.startsWith('--') && a.includes('=')) continue;
      else if (a.startsWith('-') && a.length > 1) return { stdout: '', stderr: `Error: unknown flag: ${a}\n`, exitCode: 1 };
      else pos.push(a);
    }
    const ns = namespace ?? 'default';
    const [verb, ...rest] = pos;
    switch (verb) {
      case 'repo': {
        const [sub, name, url] = rest;
        const repos = readRepos(cluster);
        if (sub === 'add') {
          if (!name || !url) return { stdout: '', stderr: `Error: "helm repo add" requires 2 arguments\n\nUsage:  helm repo add [NAME] [URL] [flags]\n`, exitCode: 1 };
          const u = url.replace(/\/$/, '');
          const existing = repos.find((r) => r.name === name);
          if (existing) {
            if (existing.url === u) return { stdout: `"${name}" already exists with the same configuration, skipping\n`, stderr: '', exitCode: 0 };
            return { stdout: '', stderr: `Error: repository name (${name}) already exists, please specify a different name\n`, exitCode: 1 };
          }
          if (!KNOWN_REPOS[u]) return { stdout: '', stderr: `Error: looks like "${url}" is not a valid chart repository or cannot be reached: failed to fetch ${u}/index.yaml : 404 Not Found\n`, exitCode: 1 };
          writeRepos(cluster, [...repos, { name, url: u }]);
          return { stdout: `"${name}" has been added to your repositories\n`, stderr: '', exitCode: 0 };
        }
        if (sub === 'update' || sub === 'up') {
          if (repos.length === 0) return { stdout: '', stderr: 'Error: no repositories found. You must add one before updating\n', exitCode: 1 };
          let out = 'Hang tight while we grab the latest from your chart repositories...\n';
          for (const r of repos) out += `...Successfully got an update from the "${r.name}" chart repository\n`;
          out += 'Update Complete. ⎈Happy Helming!⎈\n';
          return { stdout: out, stderr: '', exitCode: 0 };
        }
        if (sub === 'list' || sub === 'ls') {
          if (repos.length === 0) return { stdout: '', stderr: 'Error: no repositories to show\n', exitCode: 1 };
          return { stdout: table([['NAME', 'URL'], ...repos.map((r) => [r.name, r.url])]), stderr: '', exitCode: 0 };
        }
        if (sub === 'remove' || sub === 'rm') {
          if (!repos.some((r) => r.name === name)) return { stdout: '', stderr: `Error: no repo named "${name}" found\n`, exitCode: 1 };
          writeRepos(cluster, repos.filter((r) => r.name !== name));
          return { stdout: `"${name}" has been removed from your repositories\n`, stderr: '', exitCode: 0 };
        }
        return { stdout: '', stderr: `Error: unknown command "${sub ?? ''}" for "helm repo"\n`, exitCode: 1 };
      }
      case 'search': {
        const term = rest[1] ?? '';
        const rows: string[][] = [['NAME', 'CHART VERSION', 'APP VERSION', 'DESCRIPTION']];
        for (const r of readRepos(cluster)) {
          for (const [chart, info] of Object.entries(KNOWN_REPOS[r.url]?.charts ?? {})) {
            if (`${r.name}/${chart}`.includes(term)) rows.push([`${r.name}/${chart}`, info.version, info.appVersion, info.description.length > 50 ? info.description.slice(0, 47) + '...' : info.description]);
          }
        }
        if (rows.length === 1) return { stdout: 'No results found\n', stderr: '', exitCode: 0 };
        return { stdout: table(rows), stderr: '', exitCode: 0 };
      }
      case 'install':
      case 'upgrade': {
        const [release, chartRef] = rest;
        if (!release || !chartRef) return { stdout: '', stderr: `Error: "helm ${verb}" requires 2 arguments\n`, exitCode: 1 };
        const fail = (msg: string) => ({ stdout: '', stderr: `Error: ${verb === 'install' ? 'INSTALLATION' : 'UPGRADE'} FAILED: ${msg}\n`, exitCode: 1 });
        let pulled = '';
        let oci: { chart: string; ref: string } | undefined;
        if (chartRef.startsWith('oci://')) {
          const ref = chartRef.slice(6).replace(/\/$/, '');
          const known = OCI_CHARTS[ref];
          if (!known) return fail(`${ref}:${version ?? 'latest'}: not found`);
          const tag = version ?? Object.keys(known.tags).sort().pop()!;
          if (!known.tags[tag]) return fail(`${ref}:${tag}: not found`);
          oci = { chart: known.chart, ref };
          // helm's registry client reports the pull on stderr; the manifest digest here is a
          // stand-in derived from the reference (the simulation has no registry to ask)
          pulled = `Pulled: ${ref}:${tag}\nDigest: sha256:${sha256(`${ref}:${tag}`)}\n`;
          version = tag;
        }
        const [repoName, chartName] = oci ? ['', oci.chart] : chartRef.includes('/') && repoUrl === undefined ? chartRef.split('/') : ['', chartRef];
        // --repo URL: the chart straight from that repository, without `helm repo add`
        // (action.ChartPathOptions.RepoURL: repo.FindChartInRepoURL fetches URL/index.yaml)
        if (repoUrl !== undefined && !oci) {
          const u = repoUrl.replace(/\/$/, '');
          if (!KNOWN_REPOS[u]) return fail(`looks like "${repoUrl}" is not a valid chart repository or cannot be reached: failed to fetch ${u}/index.yaml : 404 Not Found`);
          if (!KNOWN_REPOS[u].charts[chartName]) return fail(`chart "${chartName}" not found in ${u} repository`);
        }
        const repo = repoUrl !== undefined && !oci ? { name: '', url: repoUrl.replace(/\/$/, '') } : readRepos(cluster).find((r) => r.name === repoName);
        if (!repo && !oci) return { stdout: '', stderr: repoName ? `Error: ${verb === 'install' ? 'INSTALLATION' : 'UPGRADE'} FAILED: repo ${repoName} not found\n` : `Error: ${verb === 'install' ? 'INSTALLATION' : 'UPGRADE'} FAILED: failed to download "${chartRef}"\n`, exitCode: 1 };
        const chart = oci ? OCI_CHARTS[oci.ref].tags[version!] : KNOWN_REPOS[repo!.url]?.charts[chartName];
        if (!chart) return fail(`chart "${chartName}" matching  not found in ${repoName} index. (try 'helm repo update'): no chart name found`);
        const existing = releases(cluster).find((r) => r.name === release && r.namespace === ns);
        if (existing && verb === 'install') return fail('cannot re-use a name that is still in use');
        if (!existing && verb === 'upgrade' && !upgradeInstall) return { stdout: '', stderr: `Error: UPGRADE FAILED: "${release}" has no deployed releases\n`, exitCode: 1 };
        if (!cluster.store.get('Namespace', undefined, ns)) {
          if (!createNs) return fail(`create: failed to create: namespaces "${ns}" not found`);
          try {
            cluster.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
          } catch (e) {
            return fail(errorOf(e));
          }
        }
        const values: Record<string, unknown> = {};
        // -f files first, then --set on top (helm's precedence).
        for (const f of valueFiles) {
          const path = f.startsWith('/') ? f : `${ctx.cwd.replace(/\/$/, '')}/${f}`;
          const text = cluster.fs.read(ctx.host, path);
          if (text === undefined) return { stdout: '', stderr: `Error: open ${f}: no such file or directory\n`, exitCode: 1 };
          try {
            mergeInto(values, (parse(text) ?? {}) as Record<string, unknown>);
          } catch (e) {
            return { stdout: '', stderr: `Error: failed to parse ${f}: ${errorOf(e).split('\n')[0]}\n`, exitCode: 1 };
          }
        }
        for (const [k, v] of sets) setValue(values, k, v);
        if (oci?.chart === 'gateway-helm') {
          // crds/ first, outside the release: created when absent, never upgraded or deleted by helm
          for (const crd of gatewayHelmCrds()) {
            if (cluster.store.get('CustomResourceDefinition', undefined, crd.metadata!.name as string)) continue;
            try {
              cluster.api.create(crd, { reconcile: false });
            } catch (e) {
              return fail(errorOf(e));
            }
          }
        }
        const manifests = oci?.chart === 'gateway-helm' ? renderGatewayHelm(release, ns, chart) : renderIngressNginx(release, ns, values, chart);
        const created: ReleaseInfo['objects'] = [];
        for (const m of manifests) {
          try {
            const cur = cluster.store.get(m.kind!, m.metadata?.namespace as string | undefined, m.metadata!.name as string);
            if (cur) {
              const next = { ...structuredClone(cur), ...structuredClone(m), metadata: { ...cur.metadata, ...(m.metadata as object) } } as KubeObject;
              if (m.kind === 'Service') next.spec = { ...cur.spec, ...(m.spec as object), clusterIP: cur.spec?.clusterIP, clusterIPs: cur.spec?.clusterIPs };
              cluster.api.update(next);
            } else cluster.api.create(m);
            created.push({ kind: m.kind!, namespace: m.metadata?.namespace as string | undefined, name: m.metadata!.name as string });
          } catch (e) {
            return fail(errorOf(e));
          }
        }
        const revision = (existing?.revision ?? 0) + 1;
        const now = cluster.clock.now();
        const svcType = (get(values, 'controller.service.type') as string) ?? 'LoadBalancer';
        const chartNotes = oci?.chart === 'gateway-helm' ? gatewayHelmNotes(release, ns) : notes(release, ns, svcType);
        const info: ReleaseInfo = { name: release, namespace: ns, revision, updated: now, status: 'deployed', chart: `${chartName}-${chart.version}`, appVersion: chart.appVersion, objects: created, notes: chartNotes };
        if (existing) {
          try {
            cluster.api.delete('Secret', ns, `sh.helm.release.v1.${release}.v${existing.revision}`);
          } catch {
            // already gone
          }
        }
        cluster.api.create({
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'helm.sh/release.v1',
          metadata: { name: `sh.helm.release.v1.${release}.v${revision}`, namespace: ns, labels: { name: release, owner: 'helm', status: 'deployed', version: String(revision) } },
          data: { release: toBase64(JSON.stringify(info)) },
        });
        const head = verb === 'upgrade' ? (existing ? `Release "${release}" has been upgraded. Happy Helming!\n` : `Release "${release}" does not exist. Installing it now.\n`) : '';
        return { stdout: `${head}NAME: ${release}\nLAST DEPLOYED: ${ansic(now)}\nNAMESPACE: ${ns}\nSTATUS: deployed\nREVISION: ${revision}\nTEST SUITE: None\nNOTES:\n${chartNotes}`, stderr: pulled, exitCode: 0 };
      }
      case 'list':
      case 'ls': {
        const rels = releases(cluster).filter((r) => allNs || r.namespace === ns).sort((a, b) => (a.name < b.name ? -1 : 1));
        const rows = [['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION'], ...rels.map((r) => [r.name, r.namespace, String(r.revision), goTime(r.updated), r.status, r.chart, r.appVersion])];
        return { stdout: table(rows), stderr: '', exitCode: 0 };
      }
      case 'status': {
        // cmd/helm/status.go: the release's record as install printed it (statusPrinter: NAME, LAST
        // DEPLOYED in time.ANSIC, NAMESPACE, STATUS, REVISION, "TEST SUITE: None" without test hooks, NOTES)
        const [release] = rest;
        if (rest.length !== 1) return { stdout: '', stderr: `Error: "helm status" requires 1 argument\n\nUsage:  helm status RELEASE_NAME [flags]\n`, exitCode: 1 };
        const rel = releases(cluster).find((r) => r.name === release && r.namespace === ns);
        if (!rel) return { stdout: '', stderr: 'Error: release: not found\n', exitCode: 1 };
        return { stdout: `NAME: ${rel.name}\nLAST DEPLOYED: ${ansic(rel.updated)}\nNAMESPACE: ${rel.namespace}\nSTATUS: ${rel.status}\nREVISION: ${rel.revision}\nTEST SUITE: None\n${rel.notes ? `NOTES:\n${rel.notes}` : ''}`, stderr: '', exitCode: 0 };
      }
      case 'uninstall':
      case 'delete':
      case 'un': {
        const [release] = rest;
        if (!release) return { stdout: '', stderr: `Error: "helm uninstall" requires at least 1 argument\n\nUsage:  helm uninstall RELEASE_NAME [...] [flags]\n`, exitCode: 1 };
        const rel = releases(cluster).find((r) => r.name === release && r.namespace === ns);
        if (!rel) return { stdout: '', stderr: `Error: uninstall: Release not loaded: ${release}: release: not found\n`, exitCode: 1 };
        for (const o of [...rel.objects].reverse()) {
          try {
            cluster.api.delete(o.kind, o.namespace, o.name);
          } catch {
            // already deleted by hand
          }
        }
        try {
          cluster.api.delete('Secret', ns, `sh.helm.release.v1.${release}.v${rel.revision}`);
        } catch {
          // gone
        }
        return { stdout: `release "${release}" uninstalled\n`, stderr: '', exitCode: 0 };
      }
      case 'version':
        return { stdout: 'version.BuildInfo{Version:"v3.16.4", GitCommit:"7877b45b63f95635153b29a42c0c2f4273ec45ca", GitTreeState:"clean", GoVersion:"go1.22.7"}\n', stderr: '', exitCode: 0 };
      case undefined:
        return { stdout: 'The Kubernetes package manager\n\nUsage:\n  helm [command]\n', stderr: '', exitCode: 0 };
      default:
        return { stdout: '', stderr: USAGE.replace('%s', verb), exitCode: 1 };
    }
  },
};
