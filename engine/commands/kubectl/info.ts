/**
 * kubectl api-resources, cluster-info, version and config (current-context,
 * get-contexts, view) — derived from the simulated API server's resource table and the
 * cluster's settings.
 */
import type { CommandOutcome } from '../../types';
import { RESOURCES, apiVersionOf, isServed } from '../../cluster/resources';
import { printYaml, printJson, tabwrite, TABLE_OPTS, rowsToText } from '../../printers/kubectl';
import { KUSTOMIZE_VERSION, versionInfo } from '../../cluster/release';
import { flagBool, flagString, type FlagDef } from './flags';
import { KubectlError, type Kctx } from './common';
import { currentContext, loadKubeconfig, saveKubeconfig, type Kubeconfig } from './kubeconfig';
import { DUMP_FLAGS, DUMP_ONLY, runClusterInfoDump } from './dump';

export const INFO_FLAGS: Record<string, FlagDef[]> = {
  'api-resources': [
    { long: 'namespaced', type: 'bool' },
    { long: 'api-group', type: 'string' },
    { long: 'output', short: 'o', type: 'string' },
    { long: 'no-headers', type: 'bool' },
    { long: 'sort-by', type: 'string' },
    { long: 'verbs', type: 'strings' },
    { long: 'cached', type: 'bool' },
    { long: 'categories', type: 'strings' },
  ],
  'cluster-info': DUMP_FLAGS,
  version: [
    { long: 'client', type: 'bool' },
    { long: 'output', short: 'o', type: 'string' },
  ],
  config: [
    { long: 'current', type: 'bool' },
    { long: 'output', short: 'o', type: 'string' },
    { long: 'minify', type: 'bool' },
    { long: 'raw', type: 'bool' },
    { long: 'flatten', type: 'bool' },
    { long: 'no-headers', type: 'bool' },
  ],
};

const CATEGORIES: Record<string, string[]> = {
  Pod: ['all'],
  Service: ['all'],
  DaemonSet: ['all'],
  Deployment: ['all'],
  ReplicaSet: ['all'],
  StatefulSet: ['all'],
};

export function runApiResources(k: Kctx): CommandOutcome {
  let list = RESOURCES.filter((r) => isServed(r, k.store));
  if (k.flags.values.has('namespaced')) {
    const want = flagBool(k.flags, 'namespaced');
    list = list.filter((r) => r.namespaced === want);
  }
  const group = flagString(k.flags, 'api-group');
  if (group !== undefined) list = list.filter((r) => r.group === group);
  const sortBy = flagString(k.flags, 'sort-by');
  if (sortBy === 'name') list.sort((a, b) => (a.plural < b.plural ? -1 : 1));
  else if (sortBy === 'kind') list.sort((a, b) => (a.kind < b.kind ? -1 : 1));
  else if (sortBy !== undefined) throw new KubectlError(`error: --sort-by accepts only name or kind`);
  const output = flagString(k.flags, 'output');
  if (output === 'name') return { stdout: list.map((r) => (r.group ? `${r.plural}.${r.group}` : r.plural) + '\n').join(''), stderr: '', exitCode: 0 };
  const wide = output === 'wide';
  if (output !== undefined && !wide) throw new KubectlError(`error: --output ${output} is not available`);
  const rows: string[][] = [];
  if (!flagBool(k.flags, 'no-headers')) rows.push(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])]);
  for (const r of list) {
    const row = [r.plural, r.shortNames.join(','), apiVersionOf(r), String(r.namespaced), r.kind];
    if (wide) row.push(`[${r.verbs.join(' ')}]`, (CATEGORIES[r.kind] ?? []).join(','));
    rows.push(row);
  }
  return { stdout: tabwrite(rowsToText(rows), TABLE_OPTS), stderr: '', exitCode: 0 };
}

export function apiServerURL(k: Kctx): string {
  const nodes = k.cluster.settings.nodes;
  const cp = nodes.find((n) => n.role === 'control-plane') ?? nodes[0];
  return `https://${cp.ip}:6443`;
}

/**
 * kubectl cluster-info (pkg/cmd/clusterinfo/clusterinfo.go, v1.34): plain text (the
 * go-colortext colours went in v1.32); a load-balanced Service links every port
 * (`http://IP:PORT ` each, trailing space included).
 */
export function runClusterInfo(k: Kctx): CommandOutcome {
  if (k.flags.positional[0] === 'dump') return runClusterInfoDump(k);
  // the dump's flags are its own: cluster-info itself has none of them
  const own = k.flags.seen.find((f) => DUMP_ONLY.includes(f));
  if (own) throw new KubectlError(`error: unknown flag: --${own}\nSee 'kubectl cluster-info --help' for usage.\n`);
  const host = apiServerURL(k);
  const line = (name: string, link: string) => `${name} is running at ${link}\n`;
  let out = line('Kubernetes control plane', host);
  for (const svc of k.store.list('Service', 'kube-system')) {
    if (svc.metadata.labels?.['kubernetes.io/cluster-service'] !== 'true') continue;
    let link: string;
    const ing = svc.status?.loadBalancer?.ingress ?? [];
    if (ing.length > 0) {
      const ip = ing[0].ip || ing[0].hostname;
      link = (svc.spec?.ports ?? []).map((p) => `http://${ip}:${p.port} `).join('');
    } else {
      let name = svc.metadata.name;
      const ports = svc.spec?.ports ?? [];
      if (ports.length > 0) {
        const p = ports[0];
        const scheme = p.name === 'https' || p.port === 443 ? 'https' : '';
        name = [scheme, svc.metadata.name, p.name ?? ''].filter((x, i) => i === 1 || x !== '').join(':');
        if (!scheme && p.name) name = `${svc.metadata.name}:${p.name}`;
      }
      link = `${host}/api/v1/namespaces/${svc.metadata.namespace}/services/${name}/proxy`;
    }
    out += line(svc.metadata.labels?.['kubernetes.io/name'] ?? svc.metadata.name, link);
  }
  out += "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";
  return { stdout: out, stderr: '', exitCode: 0 };
}

/**
 * kubectl version (k8s.io/kubectl pkg/cmd/version/version.go, v1.34): Validate refuses
 * arguments and any -o but yaml/json; -o json is json.MarshalIndent of the Version struct
 * (field order, two spaces), -o yaml is sigs.k8s.io/yaml (keys sorted); both go through
 * Fprintln, so the YAML ends in a blank line. Client and server are the same release here,
 * so there is no version-skew warning.
 */
export function runVersion(k: Kctx): CommandOutcome {
  const v = k.cluster.settings.kubernetesVersion;
  const client = flagBool(k.flags, 'client');
  const output = flagString(k.flags, 'output');
  if (k.flags.positional.length > 0) throw new KubectlError(`error: extra arguments: [${k.flags.positional.join(' ')}]`);
  if (output !== undefined && output !== '' && output !== 'yaml' && output !== 'json') throw new KubectlError(`error: --output must be 'yaml' or 'json'`);
  if (output === 'json' || output === 'yaml') {
    const doc: Record<string, unknown> = { clientVersion: versionInfo(v, false), kustomizeVersion: KUSTOMIZE_VERSION };
    if (!client) doc.serverVersion = versionInfo(v, true);
    return { stdout: output === 'json' ? JSON.stringify(doc, null, 2) + '\n' : printYaml(doc) + '\n', stderr: '', exitCode: 0 };
  }
  let out = `Client Version: ${v}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`;
  if (!client) out += `Server Version: ${v}\n`;
  return { stdout: out, stderr: '', exitCode: 0 };
}

export function runConfig(k: Kctx): CommandOutcome {
  const [sub, ...args] = k.flags.positional;
  const cfg = loadKubeconfig(k.cluster, k.ctx);
  const current = cfg['current-context'];
  switch (sub) {
    case 'current-context':
      if (!current) throw new KubectlError('error: current-context is not set');
      return { stdout: `${current}\n`, stderr: '', exitCode: 0 };
    case 'get-contexts': {
      let ctxs = cfg.contexts;
      if (args[0]) {
        ctxs = ctxs.filter((c) => c.name === args[0]);
        if (ctxs.length === 0) throw new KubectlError(`error: context ${args[0]} not found`);
      }
      if (flagString(k.flags, 'output') === 'name') return { stdout: ctxs.map((c) => `${c.name}\n`).join(''), stderr: '', exitCode: 0 };
      const rows = [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']];
      for (const c of ctxs) rows.push([c.name === current ? '*' : '', c.name, c.context?.cluster ?? '', c.context?.user ?? '', c.context?.namespace ?? '']);
      return { stdout: tabwrite(rowsToText(flagBool(k.flags, 'no-headers') ? rows.slice(1) : rows), TABLE_OPTS), stderr: '', exitCode: 0 };
    }
    case 'get-clusters':
      return { stdout: 'NAME\n' + cfg.clusters.map((c) => `${c.name}\n`).join(''), stderr: '', exitCode: 0 };
    case 'get-users':
      return { stdout: 'NAME\n' + cfg.users.map((u) => `${u.name}\n`).join(''), stderr: '', exitCode: 0 };
    case 'use-context':
    case 'use': {
      if (!args[0]) throw new KubectlError("error: Unexpected args: []\nSee 'kubectl config use-context -h' for help and examples");
      if (!cfg.contexts.some((c) => c.name === args[0])) throw new KubectlError(`error: no context exists with the name: "${args[0]}"`);
      cfg['current-context'] = args[0];
      saveKubeconfig(k.cluster, k.ctx, cfg);
      return { stdout: `Switched to context "${args[0]}".\n`, stderr: '', exitCode: 0 };
    }
    case 'set-context': {
      const useCurrent = flagBool(k.flags, 'current');
      const name = useCurrent ? current : args[0];
      if (!name) throw new KubectlError("error: you must specify a non-empty context name or --current\nSee 'kubectl config set-context -h' for help and examples");
      let entry = cfg.contexts.find((c) => c.name === name);
      const created = !entry;
      if (!entry) {
        entry = { context: { cluster: '', user: '' }, name };
        cfg.contexts.push(entry);
      }
      // the -n/--namespace flag is kubectl's global one here; set-context reads it as the context's namespace
      const ns = flagString(k.flags, 'namespace');
      if (ns !== undefined) {
        if (ns === '') delete entry.context.namespace;
        else entry.context.namespace = ns;
      }
      const cluster = flagString(k.flags, 'cluster');
      if (cluster !== undefined) entry.context.cluster = cluster;
      const user = flagString(k.flags, 'user');
      if (user !== undefined) entry.context.user = user;
      saveKubeconfig(k.cluster, k.ctx, cfg);
      return { stdout: `Context "${name}" ${created ? 'created' : 'modified'}.\n`, stderr: '', exitCode: 0 };
    }
    case 'view': {
      const raw = flagBool(k.flags, 'raw');
      let doc: Kubeconfig = structuredClone(cfg);
      if (flagBool(k.flags, 'minify')) {
        const c = currentContext(doc);
        if (!c) throw new KubectlError('error: current-context must exist in order to minify');
        doc = { ...doc, contexts: [c], clusters: doc.clusters.filter((x) => x.name === c.context.cluster), users: doc.users.filter((x) => x.name === c.context.user) };
      }
      if (!raw) {
        for (const c of doc.clusters) for (const key of Object.keys(c.cluster ?? {})) if (key.endsWith('-data')) c.cluster[key] = 'DATA+OMITTED';
        for (const u of doc.users) for (const key of Object.keys(u.user ?? {})) if (key.endsWith('-data')) u.user[key] = key === 'client-key-data' ? 'DATA+OMITTED' : 'DATA+OMITTED';
      }
      return { stdout: flagString(k.flags, 'output') === 'json' ? printJson(doc) : printYaml(doc), stderr: '', exitCode: 0 };
    }
    case undefined:
      throw new KubectlError("error: Required resource not specified.\nSee 'kubectl config -h' for help and examples");
    default:
      throw new KubectlError(`error: unknown command "${sub}" for "kubectl config"\nSee 'kubectl config -h' for help and examples`);
  }
}
