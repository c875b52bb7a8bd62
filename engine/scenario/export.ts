/**
 * `exportScenario(sim)`: the current cluster as a scenario YAML — its settings plus the
 * objects a person created (not the system layer, not what controllers derived), with
 * server-set fields stripped. Allocations stay pinned (clusterIP, nodePorts,
 * spec.nodeName and, for bare Pods, status.podIP), so loading the export rebuilds the
 * same cluster. The playground's export and share link write it; `planRebuild` moves the
 * same objects onto another CNI or kube-proxy mode.
 */
import { stringify } from 'yaml';
import type { KindStore, ObjectStore } from '../cluster/store';
import type { ClusterSettings, CniName, KubeObject, Manifest, ProxyMode } from '../cluster/types';
import type { Scenario } from './load';
import { DEFAULT_EPOCH } from '../cluster/clock';
import { CNI_PLUGINS, cniPlugin } from '../controllers/cni';
import { DEFAULT_SETTINGS, isArray, isKind, isObject, member } from '../cluster/types';
import { RESOURCES } from '../cluster/resources';
import { SCENARIO_LEAD_MS } from '../cluster/api';
import { MANAGED_BY } from '../controllers/endpoints';

/** A part of a manifest being cleaned up: a JSON object. */
type JsonMap = Record<string, unknown>;

/** What an export reads: the scenario the cluster started from and the cluster now (a Simulation is one). */
export interface ExportSource {
  readonly scenario: Scenario;
  readonly settings: ClusterSettings;
  readonly store: ObjectStore;
}

/** Kinds only the cluster itself writes (kubelet, controllers, leader election, the event recorder, the CNI's agents). */
const CLUSTER_WRITTEN = new Set(['Node', 'Event', 'Lease', 'ControllerRevision', 'IPAMBlock', 'BlockAffinity', 'IPAMHandle', 'CiliumEndpoint', 'CiliumIdentity', 'CiliumNode']);
/** Namespaces every cluster has from the start: a scenario may name them, an export never needs to. */
const BUILTIN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/**
 * The one rule for "which objects did a person create" — the learner, an instructor, a
 * scenario's author or a command they ran (kubectl, helm) — as opposed to the system layer
 * and what controllers derive. The playground's export, its share link and its rebuild on
 * another CNI or proxy mode all read it.
 */
export function isAuthored(source: ExportSource, o: KubeObject): boolean {
  if (CLUSTER_WRITTEN.has(o.kind)) return false;
  // The system layer (and what the CNI plugin registers, such as Cilium's CRD) predates the scenario's objects.
  if (Date.parse(o.metadata.creationTimestamp) < source.scenario.startTime - SCENARIO_LEAD_MS) return false;
  if (o.metadata.deletionTimestamp) return false;
  if (o.kind === 'Namespace' && BUILTIN_NAMESPACES.has(o.metadata.name)) return false;
  // A controller's: a Deployment's ReplicaSet, a ReplicaSet's Pods, a Service's slices.
  if (o.metadata.ownerReferences?.some((r) => r.controller)) return false;
  // The root-CA publisher's copy, and the ServiceAccount controller's default, in every namespace.
  if (o.kind === 'ConfigMap' && o.metadata.name === 'kube-root-ca.crt') return false;
  if (o.kind === 'ServiceAccount' && o.metadata.name === 'default') return false;
  const store: KindStore = source.store;
  const ns = o.metadata.namespace;
  if (o.kind === 'EndpointSlice') {
    if (o.metadata.labels?.[MANAGED_BY]) return false;
    // The slices of a Service with a selector are the endpoint-slice controller's.
    const svc = store.get('Service', ns, o.metadata.labels?.['kubernetes.io/service-name'] ?? '');
    if (hasSelector(svc)) return false;
  }
  if (o.kind === 'Endpoints' && hasSelector(store.get('Service', ns, o.metadata.name))) return false;
  return true;
}

function hasSelector(svc: KubeObject | undefined): boolean {
  const sel = svc?.spec?.selector;
  return !!sel && typeof sel === 'object' && Object.keys(sel).length > 0;
}

/** The order an author writes a scenario in: namespaces and configuration, workloads, Services, policies; the rest in `kubectl api-resources` order. */
const KIND_ORDER = ['Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'Service', 'Endpoints', 'EndpointSlice', 'NetworkPolicy', 'CiliumNetworkPolicy', 'IngressClass', 'Ingress'];

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  if (i >= 0) return i;
  const r = RESOURCES.findIndex((info) => info.kind === kind);
  return KIND_ORDER.length + (r < 0 ? RESOURCES.length : r);
}

/** The objects a person created (isAuthored), kind by kind in KIND_ORDER, then by namespace and name. */
export function userObjects(source: ExportSource): KubeObject[] {
  const out: KubeObject[] = [];
  for (const info of RESOURCES) for (const o of source.store.list(info.kind)) if (isAuthored(source, o)) out.push(o);
  const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  return out.sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A stored object as a manifest: no uid, resourceVersion, timestamps, generation or status. */
export function stripServerFields(o: KubeObject): Manifest {
  const m = structuredClone(o);
  const meta: JsonMap = m.metadata;
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'ownerReferences']) delete meta[k];
  if (meta.generateName && meta.name) delete meta.generateName;
  // a manifest without a namespace lands in default, as `kubectl apply` puts it
  if (meta.namespace === 'default') delete meta.namespace;
  const annotations = m.metadata.annotations;
  if (annotations) {
    delete annotations['deployment.kubernetes.io/revision'];
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    // what the Calico CNI plugin writes on a Pod it wires (cni.projectcalico.org/containerID, podIP, podIPs)
    for (const k of Object.keys(annotations)) if (k.startsWith('cni.projectcalico.org/')) delete annotations[k];
    if (Object.keys(annotations).length === 0) delete m.metadata.annotations;
  }
  const ns = isKind(m, 'Namespace') ? m : undefined;
  if (ns) {
    const labels = ns.metadata.labels;
    delete labels?.['kubernetes.io/metadata.name'];
    if (labels && Object.keys(labels).length === 0) delete ns.metadata.labels;
    delete ns.spec;
  }
  const pod = isKind(m, 'Pod') ? m : undefined;
  const podIP = pod?.status?.podIP;
  delete m.status;
  if (pod && podIP && !pod.spec?.hostNetwork) pod.status = { podIP };
  // name first, as authors write it (kubectl create writes labels first)
  const { name, namespace, labels, annotations: notes, ...rest } = m.metadata;
  m.metadata = { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}), ...(notes ? { annotations: notes } : {}), ...rest };
  if (pod?.spec) {
    // what admission added comes back by itself
    const spec = pod.spec;
    const sa = (spec.volumes ?? []).filter((v) => String(v.name).startsWith('kube-api-access-')).map((v) => v.name);
    spec.volumes = (spec.volumes ?? []).filter((v) => !sa.includes(v.name));
    if (spec.volumes.length === 0) delete spec.volumes;
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      c.volumeMounts = (c.volumeMounts ?? []).filter((vm) => !sa.includes(vm.name));
      if (c.volumeMounts.length === 0) delete c.volumeMounts;
    }
  }
  return m;
}

/** Drops `key` from `o` when it holds the value the API server would default it to. */
function dropIf(o: unknown, key: string, value: unknown): void {
  if (isObject(o) && JSON.stringify(o[key]) === JSON.stringify(value)) delete o[key];
}

/** The object under `key`, if that is one. */
function mapAt(o: unknown, key: string): JsonMap | undefined {
  const v = member(o, key);
  return isObject(v) ? v : undefined;
}

/** The list under `key` (none when absent). */
function listAt(o: unknown, key: string): unknown[] {
  const v = member(o, key);
  return isArray(v) ? v : [];
}

function stripContainerDefaults(c: JsonMap): void {
  dropIf(c, 'terminationMessagePath', '/dev/termination-log');
  dropIf(c, 'terminationMessagePolicy', 'File');
  dropIf(c, 'resources', {});
  const img = String(c.image ?? '');
  const tag = img.includes('@') ? 'digest' : img.slice(img.lastIndexOf('/') + 1).includes(':') ? img.slice(img.lastIndexOf(':') + 1) : '';
  dropIf(c, 'imagePullPolicy', tag === 'digest' ? 'IfNotPresent' : tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent');
  for (const p of listAt(c, 'ports')) dropIf(p, 'protocol', 'TCP');
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const pr = c[probe];
    if (!pr) continue;
    dropIf(pr, 'timeoutSeconds', 1);
    dropIf(pr, 'periodSeconds', 10);
    dropIf(pr, 'successThreshold', 1);
    dropIf(pr, 'failureThreshold', 3);
    dropIf(member(pr, 'httpGet'), 'scheme', 'HTTP');
  }
}

function stripPodSpecDefaults(spec: JsonMap | undefined, pod: boolean): void {
  if (!spec) return;
  dropIf(spec, 'dnsPolicy', 'ClusterFirst');
  dropIf(spec, 'restartPolicy', 'Always');
  dropIf(spec, 'schedulerName', 'default-scheduler');
  dropIf(spec, 'securityContext', {});
  dropIf(spec, 'terminationGracePeriodSeconds', 30);
  for (const c of [...listAt(spec, 'containers'), ...listAt(spec, 'initContainers')]) if (isObject(c)) stripContainerDefaults(c);
  if (pod) {
    dropIf(spec, 'enableServiceLinks', true);
    dropIf(spec, 'preemptionPolicy', 'PreemptLowerPriority');
    dropIf(spec, 'priority', 0);
    if (spec.serviceAccountName === 'default') {
      delete spec.serviceAccountName;
      delete spec.serviceAccount;
    }
    if (spec.serviceAccount === spec.serviceAccountName) delete spec.serviceAccount;
    const tolerations = listAt(spec, 'tolerations').filter((t) => !(member(t, 'operator') === 'Exists' && member(t, 'effect') === 'NoExecute' && member(t, 'tolerationSeconds') === 300 && (member(t, 'key') === 'node.kubernetes.io/not-ready' || member(t, 'key') === 'node.kubernetes.io/unreachable')));
    spec.tolerations = tolerations;
    if (tolerations.length === 0) delete spec.tolerations;
  }
}

/** Removes what defaulting would put back, so an exported scenario reads like hand-written manifests. */
export function stripDefaults(m: Manifest): Manifest {
  const spec = isObject(m.spec) ? m.spec : undefined;
  switch (m.kind) {
    case 'Pod':
      stripPodSpecDefaults(spec, true);
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet': {
      if (!spec) break;
      dropIf(spec, 'revisionHistoryLimit', 10);
      dropIf(spec, 'progressDeadlineSeconds', 600);
      dropIf(spec, 'strategy', { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
      dropIf(spec, 'podManagementPolicy', 'OrderedReady');
      dropIf(spec, 'updateStrategy', m.kind === 'DaemonSet' ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } : { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
      dropIf(spec, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
      const template = spec.template;
      const templateMeta = member(template, 'metadata');
      if (templateMeta) dropIf(templateMeta, 'creationTimestamp', null);
      stripPodSpecDefaults(mapAt(template, 'spec'), false);
      break;
    }
    case 'Service':
      if (!spec) break;
      dropIf(spec, 'sessionAffinity', 'None');
      dropIf(spec, 'internalTrafficPolicy', 'Cluster');
      dropIf(spec, 'externalTrafficPolicy', 'Cluster');
      dropIf(spec, 'ipFamilies', ['IPv4']);
      dropIf(spec, 'ipFamilyPolicy', 'SingleStack');
      dropIf(spec, 'allocateLoadBalancerNodePorts', true);
      dropIf(spec, 'type', 'ClusterIP');
      if (spec.clusterIP && JSON.stringify(spec.clusterIPs) === JSON.stringify([spec.clusterIP])) delete spec.clusterIPs;
      for (const p of listAt(spec, 'ports')) {
        dropIf(p, 'protocol', 'TCP');
        if (isObject(p) && p.targetPort === p.port) delete p.targetPort;
      }
      break;
    case 'NetworkPolicy':
      for (const dir of ['ingress', 'egress']) for (const r of listAt(spec, dir)) for (const p of listAt(r, 'ports')) dropIf(p, 'protocol', 'TCP');
      // the API server's default: Ingress, and Egress when the policy has egress rules
      dropIf(spec, 'policyTypes', listAt(spec, 'egress').length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
      break;
    case 'EndpointSlice':
      for (const p of listAt(m, 'ports')) dropIf(p, 'protocol', 'TCP');
      break;
    case 'Secret':
      dropIf(m, 'type', 'Opaque');
      break;
  }
  return m;
}

/** The settings that differ from the defaults (Cilium's kube-proxy replacement only when on). */
function settingsDiff(settings: ClusterSettings): JsonMap {
  const s: JsonMap = { ...settings };
  const d: JsonMap = { ...DEFAULT_SETTINGS };
  const out: JsonMap = {};
  for (const k of Object.keys(s)) if (s[k] !== undefined && JSON.stringify(s[k]) !== JSON.stringify(d[k])) out[k] = s[k];
  if (out.kubeProxyReplacement === false) delete out.kubeProxyReplacement;
  // a dual-stack cluster's ranges go back out as the pairs a scenario writes
  if (settings.podCIDRv6 && settings.serviceCIDRv6) {
    out.podCIDR = [settings.podCIDR, settings.podCIDRv6];
    out.serviceCIDR = [settings.serviceCIDR, settings.serviceCIDRv6];
    delete out.podCIDRv6;
    delete out.serviceCIDRv6;
  }
  return out;
}

/** The authored objects as an author writes them: no server-set fields, no defaults. */
export function authoredManifests(source: ExportSource): Manifest[] {
  return userObjects(source).map((o) => stripDefaults(stripServerFields(o)));
}

function scenarioText(settings: ClusterSettings, startTime: number, objects: Manifest[], files: Record<string, string>): string {
  const doc: JsonMap = {};
  const cluster = settingsDiff(settings);
  if (Object.keys(cluster).length) doc.cluster = cluster;
  if (startTime !== DEFAULT_EPOCH) doc.startTime = new Date(startTime).toISOString().replace(/\.000Z$/, 'Z');
  doc.objects = objects;
  if (Object.keys(files).length) doc.files = files;
  return stringify(doc, { lineWidth: 0 });
}

/**
 * The cluster as a scenario.yaml: the settings that differ from the defaults, the authored
 * objects, and `files` (the learner's files under ~, by default the scenario's own).
 */
export function exportScenario(source: ExportSource, files: Record<string, string> = source.scenario.files ?? {}): string {
  return scenarioText(source.settings, source.scenario.startTime, authoredManifests(source), files);
}

/** Which dataplane a cluster runs: its CNI plugin and kube-proxy's mode, or Cilium in kube-proxy's place. */
export interface Dataplane {
  cni: CniName;
  proxyMode: ProxyMode;
  kubeProxyReplacement?: boolean;
}

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

export interface DroppedObject extends ObjectRef {
  /** Why the new cluster cannot hold it, as the API server and the CNI have it. */
  reason: string;
}

export interface RebuildPlan {
  /** The scenario the new cluster is built from: these settings on the new dataplane, the kept objects, the files. */
  scenario: string;
  kept: ObjectRef[];
  dropped: DroppedObject[];
  /** The learner's files it carries (relative to ~). */
  files: string[];
  /** The CNI changes: Pods get their addresses from the new plugin's IPAM (bare Pods' addresses are not pinned). */
  readdressed: boolean;
}

function refOf(m: Manifest): ObjectRef {
  const namespaced = RESOURCES.find((r) => r.kind === m.kind)?.namespaced ?? true;
  return { kind: String(m.kind), ...(namespaced ? { namespace: String(m.metadata?.namespace ?? 'default') } : {}), name: String(m.metadata?.name ?? '') };
}

/**
 * The same authored objects on another dataplane (the playground's CNI and proxy-mode
 * switch). An object of a custom kind is kept only if the new cluster serves it: its CRD
 * is one the new CNI plugin registers, or one the learner installed (Cilium's
 * CiliumNetworkPolicy does not survive a move to Calico: the API server would answer
 * `no matches for kind`). On another CNI, bare Pods lose their pinned address: the new
 * plugin's IPAM hands out its own, as it does after a real migration. The new cluster's
 * scenario starts at the old one's present, so its clock goes on rather than back.
 */
export function planRebuild(source: ExportSource & { readonly clock: { now(): number } }, dataplane: Dataplane, files: Record<string, string> = source.scenario.files ?? {}): RebuildPlan {
  const settings: ClusterSettings = { ...source.settings, cni: dataplane.cni, proxyMode: dataplane.kubeProxyReplacement ? 'iptables' : dataplane.proxyMode };
  if (dataplane.kubeProxyReplacement && dataplane.cni === 'cilium') settings.kubeProxyReplacement = true;
  else delete settings.kubeProxyReplacement;
  const manifests = authoredManifests(source);
  const plugin = cniPlugin(settings);
  const crds = new Set([...(plugin.crds?.() ?? []).map((c) => String(c.metadata?.name)), ...manifests.filter((m) => m.kind === 'CustomResourceDefinition').map((m) => String(m.metadata?.name))]);
  const readdressed = settings.cni !== source.settings.cni;
  const kept: Manifest[] = [];
  const dropped: DroppedObject[] = [];
  for (const m of manifests) {
    const info = RESOURCES.find((r) => r.kind === m.kind);
    if (info?.crd && !crds.has(info.crd)) {
      const owner = Object.values(CNI_PLUGINS).find((p) => p.crds?.().some((c) => c.metadata?.name === info.crd));
      const why = owner ? `its CRD ${info.crd} comes with ${owner.displayName}, and ${plugin.displayName} does not install it` : `nothing installs its CRD ${info.crd}`;
      dropped.push({ ...refOf(m), reason: `no matches for kind "${m.kind}" in version "${m.apiVersion}": ${why}` });
      continue;
    }
    if (readdressed && m.kind === 'Pod' && isObject(m.status)) {
      delete m.status.podIP;
      if (Object.keys(m.status).length === 0) delete m.status;
    }
    kept.push(m);
  }
  // the new cluster starts now (on the whole second): its clock does not go back
  const now = Math.floor(source.clock.now() / 1000) * 1000;
  return { scenario: scenarioText(settings, now, kept, files), kept: kept.map(refOf), dropped, files: Object.keys(files).sort(), readdressed };
}
