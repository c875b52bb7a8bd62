/**
 * kubectl create — k8s.io/kubectl/pkg/cmd/create: -f FILE, and the generators
 * namespace, deployment, service clusterip|nodeport|loadbalancer|externalname,
 * configmap and secret generic|tls. Objects match what the generators build.
 */
import { x509KeyPair } from '../../tls/keypair';
import type { CommandOutcome } from '../../types';
import type { Container, IngressBackend, IngressRule, IngressSpec, KubeObject, Manifest, ServicePort, ServiceSpec } from '../../cluster/types';
import { resourceFor } from '../../cluster/resources';
import { flagBool, flagInt, flagString, flagStrings, type FlagDef } from './flags';
import { addSourceToErr, apiRequest, checkManifest, errorText, kindPrefix, KubectlError, loadManifests, readFile, type Kctx, fieldManager, writeOptions } from './common';
import { printGeneric, parseOutput } from './get';
import { LAST_APPLIED } from './apply';
import { compactJsonSorted, withGoZeroValues, type GeneratedObject } from './util';
import { forbidden } from './impersonate';
import { renderVerbHelp } from './help';
import { HELP_TEXTS } from './help-texts';
import { createClusterRole, createClusterRoleBinding, createRole, createRoleBinding, RBAC_CREATE_FLAGS, type Generated } from './create-rbac';

export const CREATE_FLAGS: FlagDef[] = [
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'recursive', short: 'R', type: 'bool' },
  { long: 'image', type: 'strings' },
  { long: 'replicas', short: 'r', type: 'int' },
  { long: 'port', type: 'int' },
  { long: 'tcp', type: 'strings' },
  { long: 'node-port', type: 'int' },
  { long: 'clusterip', type: 'string' },
  { long: 'external-name', type: 'string' },
  { long: 'from-literal', type: 'strings' },
  { long: 'from-file', type: 'strings' },
  { long: 'from-env-file', type: 'strings' },
  { long: 'cert', type: 'string' },
  { long: 'key', type: 'string' },
  { long: 'type', type: 'string' },
  { long: 'dry-run', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'save-config', type: 'bool' },
  { long: 'validate', type: 'string', noOptDefVal: 'strict' },
  { long: 'edit', type: 'bool' },
  { long: 'append-hash', type: 'bool' },
  { long: 'field-manager', type: 'string' },
  { long: 'rule', type: 'strings' },
  { long: 'class', type: 'string' },
  { long: 'default-backend', type: 'string' },
  { long: 'annotation', type: 'strings' },
  ...RBAC_CREATE_FLAGS,
];

/**
 * create_ingress.go (kubectl v0.34): Validate matches each --rule against ruleRegex (`host`
 * of [\w*.-], a path that must start with `/`, `=svc:port` of [\w-], optional `,tls[=secret]`;
 * anchored at the start only), then buildIngressRules / buildTLSRules / buildHTTPIngressPath
 * split the rule as they do: a trailing `*` makes the path a Prefix, rules of one host share
 * it, a TLS entry per secret collects its hosts once.
 */
const INGRESS_RULE = /^([\w*\-.]*)(\/.*)=([\w-]+):([\w-]+)(,(tls)=?([\w-]+)?)?/;

function ingressFromFlags(k: Kctx, name: string): Manifest {
  const rules = flagStrings(k.flags, 'rule');
  const annotations = flagStrings(k.flags, 'annotation');
  const def = flagString(k.flags, 'default-backend') ?? '';
  if (!def && rules.length === 0) throw new KubectlError('error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)');
  for (const r of rules) if (!INGRESS_RULE.test(r)) throw new KubectlError(`error: rule ${r} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
  for (const a of annotations) if (!a.includes('=')) throw new KubectlError(`error: annotation ${a} is invalid and should be in format key=[value]`);
  if (def && def.split(':').length !== 2) throw new KubectlError('error: default-backend should be in format servicename:serviceport');
  // parseServiceBackendPort: intstr.Parse (strconv.Atoi, else a name)
  const backendOf = (service: string): IngressBackend => {
    const [svc, port = ''] = service.split(':');
    const n = /^[+-]?\d+$/.test(port) ? Number(port) : NaN;
    return { service: { name: svc, port: Number.isSafeInteger(n) && Math.abs(n) < 2 ** 31 ? { number: n } : { name: port } } };
  };
  const spec: IngressSpec = {};
  const cls = flagString(k.flags, 'class');
  if (cls) spec.ingressClassName = cls;
  if (def) spec.defaultBackend = backendOf(def);
  // buildTLSRules
  const tls: { hosts?: string[]; secretName?: string }[] = [];
  const hostSeen = new Set<string>();
  for (const r of rules) {
    const parts = r.split(',');
    if (parts.length !== 2) continue;
    const host = r.split('/')[0];
    const secretParts = parts[1].split('=');
    const secret = secretParts.length > 1 ? secretParts[1] : '';
    if (hostSeen.has(host)) continue;
    hostSeen.add(host);
    const idx = tls.findIndex((t) => (t.secretName ?? '') === secret);
    if (idx > -1) {
      tls[idx].hosts = [...(tls[idx].hosts ?? []), host];
      continue;
    }
    const entry: { hosts?: string[]; secretName?: string } = {};
    if (host) entry.hosts = [host];
    if (secret) entry.secretName = secret;
    if (entry.hosts || entry.secretName) tls.push(entry);
  }
  // buildIngressRules and buildHTTPIngressPath
  const byHost: (IngressRule & { http: { paths: NonNullable<IngressRule['http']>['paths'] } })[] = [];
  for (const r of rules) {
    const removeTLS = r.split(',')[0];
    const slash = removeTLS.indexOf('/');
    const host = removeTLS.slice(0, slash);
    const [pathPart, service] = removeTLS.slice(slash + 1).split('=');
    let path = '/' + pathPart;
    let pathType = 'Exact';
    if (path.endsWith('*')) {
      pathType = 'Prefix';
      path = path.slice(0, -1);
    }
    const entry = { backend: backendOf(service), path, pathType };
    const existing = byHost.find((x) => (x.host ?? '') === host);
    if (existing) existing.http.paths.push(entry);
    else byHost.push(host ? { host, http: { paths: [entry] } } : { http: { paths: [entry] } });
  }
  if (tls.length > 0) spec.tls = tls;
  if (byHost.length > 0) spec.rules = byHost;
  const meta: { name: string; annotations?: Record<string, string> } = { name };
  if (annotations.length) meta.annotations = Object.fromEntries(annotations.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta, spec };
}

export { base64 } from './util';
import { base64 } from './util';

/** The container name kubectl derives from an image: `registry/x/nginx:1.25` → `nginx`. */
export function containerNameFromImage(image: string): string {
  let s = image.split('@')[0];
  const slash = s.lastIndexOf('/');
  if (slash >= 0) s = s.slice(slash + 1);
  const colon = s.indexOf(':');
  if (colon >= 0) s = s.slice(0, colon);
  return s.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function needName(args: string[], what: string): string {
  const name = args[0];
  if (!name) throw new KubectlError(`error: exactly one NAME is required, got 0\nSee 'kubectl create ${what} -h' for help and examples`);
  if (args.length > 1) throw new KubectlError(`error: exactly one NAME is required, got ${args.length}\nSee 'kubectl create ${what} -h' for help and examples`);
  return name;
}

function dryRun(k: Kctx): string {
  const d = flagString(k.flags, 'dry-run');
  if (d === undefined || d === 'none') return '';
  if (d === 'server') return ' (server dry run)';
  if (d === 'client' || d === 'true' || d === '') return ' (dry run)';
  throw new KubectlError(`error: Invalid dry-run value (${d}). Must be "none", "server", or "client".`);
}

/** Sends one generated object (or prints it for -o / --dry-run), as the generators' Run does. */
function submit(k: Kctx, m: Manifest, source = ''): { stdout: string; stderr: string; exitCode: number } {
  const info = resourceFor(String(m.kind))!;
  const suffix = dryRun(k);
  const output = flagString(k.flags, 'output');
  if (flagBool(k.flags, 'save-config')) {
    const copy = structuredClone(m);
    // the generators and checkManifest leave metadata an object
    const metadata = copy.metadata!;
    const annotations: Record<string, string> = (metadata.annotations = { ...(metadata.annotations ?? {}) });
    const annotation = compactJsonSorted(m) + '\n';
    annotations[LAST_APPLIED] = annotation;
    m = copy;
  }
  let created: KubeObject | GeneratedObject | Manifest = m;
  if (!suffix || suffix.includes('server')) {
    const denied = forbidden(k, info, 'create', '', info.namespaced ? String(m.metadata?.namespace || k.namespace) : '');
    if (denied) throw addSourceToErr('creating', source, denied);
  }
  if (!suffix || suffix.includes('server')) {
    // a server dry run is the same request with ?dryRun=All: defaulted, allocated and validated, not stored
    try {
      created = k.cluster.api.create(m, { namespace: info.namespaced ? m.metadata?.namespace || k.namespace : undefined, fieldManager: fieldManager(k, 'kubectl-create'), dryRun: !!suffix, ...writeOptions(k) });
    } catch (e) {
      throw addSourceToErr('creating', source, e);
    }
  } else created = withGoZeroValues(m);
  if (output) {
    const mode = parseOutput(output, 'create');
    if (mode.t !== 'table') return { stdout: printGeneric(mode, [created], true, false), stderr: '', exitCode: 0 };
  }
  return { stdout: `${kindPrefix(info)}/${m.metadata?.name} created${suffix}\n`, stderr: '', exitCode: 0 };
}

/** A generator whose Validate warned (create role's non-standard verbs): the warnings come first. */
function submitGenerated(k: Kctx, g: Generated): { stdout: string; stderr: string; exitCode: number } {
  try {
    const r = submit(k, g.manifest);
    return { ...r, stderr: g.stderr + r.stderr };
  } catch (e) {
    return { stdout: '', stderr: g.stderr + errorText(e), exitCode: e instanceof KubectlError ? e.code : 1 };
  }
}

function createFromFiles(k: Kctx, files: string[]): CommandOutcome {
  let stdout = '';
  let stderr = '';
  for (const sm of loadManifests(k, files, flagBool(k.flags, 'recursive'))) {
    try {
      apiRequest(k, checkManifest(k, sm));
      const r = submit(k, sm.manifest, sm.source);
      stdout += r.stdout;
    } catch (e) {
      stderr += errorText(e);
    }
  }
  return { stdout, stderr, exitCode: stderr ? 1 : 0 };
}

function parseLiteral(s: string): [string, string] {
  const i = s.indexOf('=');
  if (i <= 0) throw new KubectlError(`error: invalid literal source ${s}, expected key=value`);
  return [s.slice(0, i), s.slice(i + 1)];
}

function collectData(k: Kctx): Record<string, string> {
  const data: Record<string, string> = {};
  for (const lit of flagStrings(k.flags, 'from-literal')) {
    const [key, v] = parseLiteral(lit);
    if (key in data) throw new KubectlError(`error: cannot add key ${key}, another key by that name already exists in Data for ConfigMap "${k.flags.positional[1] ?? ''}"`);
    data[key] = v;
  }
  for (const spec of flagStrings(k.flags, 'from-file')) {
    const eq = spec.indexOf('=');
    const key = eq >= 0 ? spec.slice(0, eq) : spec.split('/').pop()!;
    const path = eq >= 0 ? spec.slice(eq + 1) : spec;
    const content = readFile(k, path);
    if (content === undefined) throw new KubectlError(`error: error reading ${path}: no such file or directory`);
    data[key] = content;
  }
  for (const path of flagStrings(k.flags, 'from-env-file')) {
    const content = readFile(k, path);
    if (content === undefined) throw new KubectlError(`error: open ${path}: no such file or directory`);
    for (const line of content.split('\n')) {
      const t = line.trim();
      if (!t || t.startsWith('#')) continue;
      const [key, v] = parseLiteral(t);
      data[key] = v;
    }
  }
  return data;
}

function parsePortSpec(spec: string): { port: number; target: number | string } {
  const [a, b] = spec.split(':');
  const port = Number(a);
  if (!/^\d+$/.test(a)) throw new KubectlError(`error: strconv.Atoi: parsing "${a}": invalid syntax`);
  if (b === undefined) return { port, target: port };
  return { port, target: /^\d+$/.test(b) ? Number(b) : b };
}

export function runCreate(k: Kctx): CommandOutcome {
  const files = flagStrings(k.flags, 'filename');
  const [sub, ...rest] = k.flags.positional;
  if (!sub) {
    if (files.length > 0) return createFromFiles(k, files);
    throw new KubectlError("error: must specify one of -f and -k\n");
  }
  switch (sub) {
    case 'namespace':
    case 'ns': {
      const name = needName(rest, 'namespace');
      return submit(k, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
    // create_serviceaccount.go: `kubectl create serviceaccount NAME` (alias sa)
    case 'serviceaccount':
    case 'sa': {
      const name = needName(rest, 'serviceaccount');
      return submit(k, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
    }
    case 'role':
      return submitGenerated(k, createRole(k, needName(rest, 'role')));
    case 'clusterrole':
      return submitGenerated(k, createClusterRole(k, needName(rest, 'clusterrole')));
    case 'rolebinding':
      return submitGenerated(k, createRoleBinding(k, needName(rest, 'rolebinding')));
    case 'clusterrolebinding':
      // cobra checks the required --clusterrole before the command runs
      if (!flagString(k.flags, 'clusterrole')) throw new KubectlError('error: required flag(s) "clusterrole" not set');
      return submitGenerated(k, createClusterRoleBinding(k, needName(rest, 'clusterrolebinding')));
    case 'deployment':
    case 'deploy': {
      const name = needName(rest, 'deployment');
      const images = flagStrings(k.flags, 'image');
      if (images.length === 0) throw new KubectlError('error: required flag(s) "image" not set');
      // after `--`: the containers' command (create_deployment.go: Command: o.Command, and its Validate)
      const command = k.flags.afterDash ?? [];
      if (images.length > 1 && command.length > 0) throw new KubectlError('error: cannot specify multiple --image options and command');
      const port = flagInt(k.flags, 'port');
      if (port !== undefined && images.length > 1) throw new KubectlError('error: cannot expose multiple containers');
      const containers = images.map((image) => {
        const c: Container = { image, name: containerNameFromImage(image) };
        if (command.length > 0) c.command = [...command];
        if (port !== undefined && port >= 0) c.ports = [{ containerPort: port }];
        return c;
      });
      return submit(k, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { labels: { app: name }, name },
        spec: {
          replicas: flagInt(k.flags, 'replicas') ?? 1,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers } },
        },
      });
    }
    case 'service':
    case 'svc': {
      const [type, ...names] = rest;
      const types: Record<string, string> = { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer', externalname: 'ExternalName' };
      if (!type || !types[type]) return noSubcommand('create service', rest);
      const name = needName(names, `service ${type}`);
      if (!DNS1123.test(name)) throw new KubectlError(`error: invalid name "${name}"`);
      const svcType = types[type];
      const tcp = flagStrings(k.flags, 'tcp').flatMap((x) => x.split(','));
      const clusterIP = flagString(k.flags, 'clusterip');
      if (svcType !== 'ExternalName' && tcp.length === 0 && clusterIP !== 'None') throw new KubectlError('error: at least one tcp port specifier must be provided');
      const ports: ServicePort[] = tcp.map((spec) => {
        const p = parsePortSpec(spec);
        const port: ServicePort = { name: `${p.port}-${p.target}`, port: p.port, protocol: 'TCP', targetPort: p.target };
        const np = flagInt(k.flags, 'node-port');
        if (svcType === 'NodePort' && np !== undefined && np > 0) port.nodePort = np;
        return port;
      });
      const spec: ServiceSpec = { type: svcType };
      if (ports.length > 0) spec.ports = ports;
      if (svcType === 'ExternalName') {
        const ext = flagString(k.flags, 'external-name');
        if (!ext) throw new KubectlError('error: external name must be specified');
        spec.externalName = ext;
      } else spec.selector = { app: name };
      if (clusterIP !== undefined) spec.clusterIP = clusterIP;
      return submit(k, { apiVersion: 'v1', kind: 'Service', metadata: { labels: { app: name }, name }, spec });
    }
    case 'ingress':
    case 'ing':
      return submit(k, ingressFromFlags(k, needName(rest, 'ingress')));
    case 'configmap':
    case 'cm': {
      const name = needName(rest, 'configmap');
      const data = collectData(k);
      const m: Manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } };
      if (Object.keys(data).length > 0) m.data = data;
      return submit(k, m);
    }
    case 'secret': {
      const [type, ...names] = rest;
      if (type === 'generic') {
        const name = needName(names, 'secret generic');
        const data = collectData(k);
        const m: Manifest = { apiVersion: 'v1', kind: 'Secret', metadata: { name } };
        const stype = flagString(k.flags, 'type');
        if (stype) m.type = stype;
        if (Object.keys(data).length > 0) m.data = Object.fromEntries(Object.entries(data).map(([key, v]) => [key, base64(v)]));
        return submit(k, m);
      }
      if (type === 'tls') {
        const name = needName(names, 'secret tls');
        const cert = flagString(k.flags, 'cert');
        const key = flagString(k.flags, 'key');
        if (!cert || !key) throw new KubectlError('error: key and cert must be specified');
        const certData = readFile(k, cert);
        if (certData === undefined) throw new KubectlError(`error: open ${cert}: no such file or directory`);
        const keyData = readFile(k, key);
        if (keyData === undefined) throw new KubectlError(`error: open ${key}: no such file or directory`);
        // create_secret_tls.go: tls.X509KeyPair(certBytes, keyBytes) must load them.
        const pair = x509KeyPair(certData, keyData);
        if ('error' in pair) throw new KubectlError(`error: failed to load key pair ${pair.error}`);
        return submit(k, { apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'kubernetes.io/tls', data: { 'tls.crt': base64(certData), 'tls.key': base64(keyData) } });
      }
      if (type === 'docker-registry') throw new KubectlError('error: docker-registry secrets are not modeled by this simulated cluster');
      return noSubcommand('create secret', rest);
    }
    default:
      // CreateOptions.Complete: cobra hands a non-root command's unknown words over as arguments
      throw new KubectlError(`error: Unexpected args: [${[sub, ...rest].join(' ')}]\nSee 'kubectl create -h' for help and examples`);
  }
}

/**
 * `kubectl create service|secret` with no known type: cmdutil.DefaultSubCommandRun —
 * RequireNoArguments' usage error for extra words, else the command's help on stderr, exit 1.
 */
function noSubcommand(path: string, args: string[]): CommandOutcome {
  if (args.length) throw new KubectlError(`error: unknown command "${args.join(' ')}"\nSee 'kubectl ${path} -h' for help and examples`);
  const h = HELP_TEXTS[path];
  return { stdout: '', stderr: h ? renderVerbHelp(path, h) : '', exitCode: 1 };
}
