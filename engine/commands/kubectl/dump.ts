/**
 * kubectl cluster-info dump (k8s.io/kubectl v0.34.2 pkg/cmd/clusterinfo/clusterinfo_dump.go).
 *
 * Run(): the NodeList, then for each namespace — kube-system and the context's namespace by
 * default (twice kube-system when that is the context's), `--namespaces a,b`, or every
 * Namespace with `--all-namespaces` — its EventList, ReplicationControllerList, ServiceList,
 * DaemonSetList, DeploymentList, ReplicaSetList and PodList, then each Pod's logs: for every
 * init container then container, "==== START logs for container %s of pod %s/%s ====", the
 * log (or "Request log error: %s" when the kubelet has none to give), "==== END …".
 *
 * The lists come from the typed clients (corev1client, appsv1client) and print through
 * PrintFlags with the type setter, default output json: json.MarshalIndent(list, "", "    ")
 * of the typed list — kind and apiVersion set on the list, none on its items, every field in
 * its Go struct's order (cluster/openapi/struct-order.ts) — and managedFields dropped
 * (OmitManagedFieldsPrinter, no --show-managed-fields). `-o yaml` goes through sigs.k8s.io/yaml,
 * keys sorted. With --output-directory each goes to its own file (nodes.json,
 * NS/events.json…, NS/POD/logs.txt) under that directory on the machine kubectl runs on, and
 * stdout says "Cluster info dumped to DIR".
 */
import type { CommandOutcome } from '../../types';
import type { KubeObject, Pod } from '../../cluster/types';
import { serverOrder } from '../../cluster/openapi/struct-order';
import { normalizePath } from '../../hosts/vfs';
import { printYaml, toGoJsonOrdered } from '../../printers/kubectl';
import { flagBool, flagString, type FlagDef } from './flags';
import { KubectlError, type Kctx } from './common';
import { kubeletDown } from './exec';

export const DUMP_FLAGS: FlagDef[] = [
  { long: 'output-directory', type: 'string' },
  { long: 'namespaces', type: 'strings' },
  { long: 'all-namespaces', short: 'A', type: 'bool' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'pod-running-timeout', type: 'string' },
  { long: 'show-managed-fields', type: 'bool' },
  { long: 'allow-missing-template-keys', type: 'bool' },
];

/** The flags only `dump` has (cluster-info itself answers them as unknown). */
export const DUMP_ONLY = ['output-directory', 'namespaces', 'all-namespaces', 'output', 'pod-running-timeout', 'show-managed-fields', 'allow-missing-template-keys'];

/** etcd's key order within a namespace: by name. */
function byName(a: KubeObject, b: KubeObject): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export function runClusterInfoDump(k: Kctx): CommandOutcome {
  const format = flagString(k.flags, 'output') ?? 'json';
  if (format !== 'json' && format !== 'yaml') {
    const allowed = ['json', 'yaml', 'name', 'go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file'];
    if (allowed.some((f) => format === f || format.startsWith(`${f}=`))) throw new KubectlError(`error: cluster-info dump -o ${format} is not simulated here (json and yaml are)`);
    throw new KubectlError(`error: unable to match a printer suitable for the output format "${format}", allowed formats are: ${allowed.join(',')}`);
  }
  const showManaged = flagBool(k.flags, 'show-managed-fields');
  const ext = format === 'yaml' ? '.yaml' : '.json';
  const dir = flagString(k.flags, 'output-directory') ?? '';
  const toFiles = dir !== '' && dir !== '-';
  const revision = String(k.cluster.store.revision);
  let stdout = '';
  const files: [string, string][] = [];
  const emit = (file: string, text: string) => {
    if (toFiles) files.push([file, text]);
    else stdout += text;
  };

  const list = (kind: string, apiVersion: string, items: KubeObject[]): string => {
    const typed = items.map((o) => {
      const ordered = serverOrder(o as unknown as Record<string, unknown>);
      const item: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(ordered)) if (key !== 'kind' && key !== 'apiVersion') item[key] = v;
      if (!showManaged && item.metadata && typeof item.metadata === 'object') {
        const { managedFields: _drop, ...meta } = item.metadata as Record<string, unknown>;
        void _drop;
        item.metadata = meta;
      }
      return item;
    });
    const doc = { kind: `${kind}List`, apiVersion, metadata: { resourceVersion: revision }, items: typed };
    return format === 'yaml' ? printYaml(doc) : toGoJsonOrdered(doc) + '\n';
  };

  emit(`nodes${ext}`, list('Node', 'v1', k.store.list('Node').sort(byName)));

  let namespaces: string[];
  if (flagBool(k.flags, 'all-namespaces')) namespaces = k.store.list('Namespace').sort(byName).map((n) => n.metadata.name);
  else {
    const given = (k.flags.values.get('namespaces') as string[] | undefined) ?? [];
    namespaces = given.length ? given : ['kube-system', k.namespace];
  }
  for (const ns of namespaces) {
    const inNs = (kind: string) => k.store.list(kind, ns).sort(byName);
    emit(`${ns}/events${ext}`, list('Event', 'v1', inNs('Event')));
    // ReplicationControllers are never created in the simulated cluster: the list is empty
    emit(`${ns}/replication-controllers${ext}`, list('ReplicationController', 'v1', []));
    emit(`${ns}/services${ext}`, list('Service', 'v1', inNs('Service')));
    emit(`${ns}/daemonsets${ext}`, list('DaemonSet', 'apps/v1', inNs('DaemonSet')));
    emit(`${ns}/deployments${ext}`, list('Deployment', 'apps/v1', inNs('Deployment')));
    emit(`${ns}/replicasets${ext}`, list('ReplicaSet', 'apps/v1', inNs('ReplicaSet')));
    const pods = inNs('Pod') as Pod[];
    emit(`${ns}/pods${ext}`, list('Pod', 'v1', pods));
    for (const pod of pods) {
      let text = '';
      for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
        text += `==== START logs for container ${c.name} of pod ${ns}/${pod.metadata.name} ====\n`;
        text += containerLog(k, pod, c.name);
        text += `==== END logs for container ${c.name} of pod ${ns}/${pod.metadata.name} ====\n`;
      }
      emit(`${ns}/${pod.metadata.name}/logs.txt`, text);
    }
  }
  if (!toFiles) return { stdout, stderr: '', exitCode: 0 };

  // os.MkdirAll then os.Create for each file, relative to kubectl's working directory
  const fs = k.cluster.fs;
  const host = k.ctx.host;
  const root = normalizePath(dir.startsWith('/') ? dir : `${k.ctx.cwd}/${dir}`);
  for (const [file, text] of files) {
    const full = normalizePath(`${root}/${file}`);
    const parent = full.slice(0, full.lastIndexOf('/')) || '/';
    if (!fs.isDir(host, parent) && !fs.mkdir(host, parent, true)) throw new KubectlError(`error: mkdir ${parent}: not a directory`);
    if (fs.isDir(host, full)) throw new KubectlError(`error: open ${full}: is a directory`);
    fs.write(host, full, text);
  }
  return { stdout: `Cluster info dumped to ${dir}\n`, stderr: '', exitCode: 0 };
}

/** One container's log as the API server's pods/log answers it, or the error the dump writes in its place. */
function containerLog(k: Kctx, pod: Pod, container: string): string {
  const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((s) => s.name === container);
  if (!pod.spec?.nodeName || !status || (status.state?.waiting && !status.lastState?.terminated)) {
    const reason = status?.state?.waiting?.reason ?? 'ContainerCreating';
    return `Request log error: container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}\n`;
  }
  const down = kubeletDown(k, pod);
  if (down) return `Request log error: Get "https://${down.endpoint}/containerLogs/${pod.metadata.namespace}/${pod.metadata.name}/${container}": ${down.error}\n`;
  const v = k.cluster.logs?.read?.(pod.metadata.namespace ?? 'default', pod.metadata.name, container);
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map((l) => (l.endsWith('\n') ? l : l + '\n')).join('');
  return v;
}
