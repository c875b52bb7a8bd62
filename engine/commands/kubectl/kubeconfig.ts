/**
 * The learner's kubeconfig: ~/.kube/config (or $KUBECONFIG) on the workstation, written
 * as YAML the first time `kubectl config` changes it and read by every kubectl run for
 * the current context's namespace — so `kubectl config set-context --current
 * --namespace=dev` persists with the files, as it does on a real machine.
 */
import type { KindStore } from '../../cluster/store';
import { parse } from 'yaml';
import type { ClusterRuntime } from '../../controllers/runtime';
import type { CommandContext } from '../../shell/command';
import { printYaml } from '../../printers/kubectl/serialize';
import { isObject } from '../../cluster/types';
import { KubectlError } from './common';
import { base64 } from './util';
import { KUBEADM_CLUSTER_NAME } from '../../hosts/kubeadm';
import { KUBEADM_ADMIN } from '../../cluster/rbac/authorizer';

export interface NamedContext {
  name: string;
  context: { cluster: string; user: string; namespace?: string };
}

export interface Kubeconfig {
  apiVersion: string;
  kind: string;
  clusters: { name: string; cluster: Record<string, string> }[];
  contexts: NamedContext[];
  'current-context': string;
  preferences: Record<string, unknown>;
  users: { name: string; user: Record<string, string> }[];
}

export function apiServerURLOf(cluster: ClusterRuntime): string {
  const nodes = cluster.settings.nodes;
  const cp = nodes.find((n) => n.role === 'control-plane') ?? nodes[0];
  return `https://${cp.ip}:6443`;
}

function pem(kind: string, seed: string): string {
  return base64(`-----BEGIN ${kind}-----\n${base64(seed).replace(/=+$/, '')}\n-----END ${kind}-----\n`);
}

/**
 * The workstation's kubeconfig: a copy of kubeadm's admin.conf, as `kubeadm init` tells one to
 * make (`cp -i /etc/kubernetes/admin.conf $HOME/.kube/config`): cluster `kubernetes`, user
 * `kubernetes-admin`, context `kubernetes-admin@kubernetes` (kubeadm's kubeconfig phase).
 */
export function defaultKubeconfig(cluster: ClusterRuntime): Kubeconfig {
  const name = KUBEADM_CLUSTER_NAME;
  const user = KUBEADM_ADMIN.name;
  const context = `${user}@${name}`;
  // the cluster CA kubeadm wrote, which the root CA publisher also hands every namespace
  const store: KindStore = cluster.store;
  const ca = store.get('ConfigMap', 'kube-system', 'kube-root-ca.crt')?.data?.['ca.crt'];
  return {
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': ca ? base64(ca) : pem('CERTIFICATE', `${name} ca`), server: apiServerURLOf(cluster) }, name }],
    contexts: [{ context: { cluster: name, user }, name: context }],
    'current-context': context,
    kind: 'Config',
    preferences: {},
    users: [{ name: user, user: { 'client-certificate-data': pem('CERTIFICATE', `${user} admin`), 'client-key-data': pem('RSA PRIVATE KEY', `${user} admin key`) } }],
  };
}

export function kubeconfigPath(ctx: CommandContext): string {
  return ctx.env?.KUBECONFIG?.split(':')[0] || '/home/learner/.kube/config';
}

/** Reads the kubeconfig (the installer's default when the file does not exist). */
export function loadKubeconfig(cluster: ClusterRuntime, ctx: CommandContext): Kubeconfig {
  if (ctx.host.kind !== 'workstation') return defaultKubeconfig(cluster);
  const path = kubeconfigPath(ctx);
  const text = cluster.fs.read(ctx.host, path);
  if (text === undefined) return defaultKubeconfig(cluster);
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new KubectlError(`error: error loading config file "${path}": yaml: ${(e as Error).message.split('\n')[0]}`);
  }
  // The file as the learner wrote it: lists are taken only if they are lists and what is
  // missing is defaulted; the values are otherwise used as they are, unchecked (a
  // malformed entry fails where `kubectl config` reads it, as it always has).
  const file: Partial<Kubeconfig> = isObject(doc) ? doc : {};
  return {
    apiVersion: file.apiVersion ?? 'v1',
    kind: file.kind ?? 'Config',
    clusters: Array.isArray(file.clusters) ? file.clusters : [],
    contexts: Array.isArray(file.contexts) ? file.contexts : [],
    'current-context': file['current-context'] ?? '',
    preferences: file.preferences ?? {},
    users: Array.isArray(file.users) ? file.users : [],
  };
}

export function saveKubeconfig(cluster: ClusterRuntime, ctx: CommandContext, cfg: Kubeconfig): void {
  const path = kubeconfigPath(ctx);
  cluster.fs.mkdir(ctx.host, path.slice(0, path.lastIndexOf('/')), true);
  cluster.fs.write(ctx.host, path, printYaml(cfg));
}

export function currentContext(cfg: Kubeconfig): NamedContext | undefined {
  return cfg.contexts.find((c) => c.name === cfg['current-context']);
}

/** The namespace kubectl uses without -n: the current context's, else "default". */
export function contextNamespace(cluster: ClusterRuntime, ctx: CommandContext): string {
  try {
    return currentContext(loadKubeconfig(cluster, ctx))?.context?.namespace || 'default';
  } catch {
    return 'default';
  }
}
