/**
 * `exportScenario(sim)`: the current cluster as a scenario YAML — its settings plus the
 * objects a person created (not the system layer, not what controllers derived), with
 * server-set fields stripped. Allocations stay pinned (clusterIP, nodePorts,
 * spec.nodeName and, for bare Pods, status.podIP), so loading the export rebuilds the
 * same cluster. The playground's recorder turns a session into a lesson scenario with it.
 */
import { stringify } from 'yaml';
import type { KindStore, ObjectStore } from '../cluster/store';
import type { ClusterSettings, Manifest } from '../cluster/types';
import type { Scenario } from './load';
import type { KubeObject } from '../cluster/types';
import { DEFAULT_SETTINGS, isArray, isKind, isObject, member } from '../cluster/types';
import { RESOURCES } from '../cluster/resources';
import { SCENARIO_LEAD_MS } from '../cluster/api';
import { MANAGED_BY } from '../controllers/endpoints';

/** A part of a manifest being cleaned up: a JSON object. */
type JsonMap = Record<string, unknown>;

/** Objects that belong to the person who built the cluster, in `kubectl api-resources` order. */
/** What an export reads: the scenario the cluster started from and the cluster now (a Simulation is one). */
export interface ExportSource {
  readonly scenario: Scenario;
  readonly settings: ClusterSettings;
  readonly store: ObjectStore;
}

export function userObjects(cluster: ExportSource): KubeObject[] {
  const systemBefore = cluster.scenario.startTime - SCENARIO_LEAD_MS;
  const out: KubeObject[] = [];
  for (const info of RESOURCES) {
    for (const o of cluster.store.list(info.kind)) {
      if (Date.parse(o.metadata.creationTimestamp) < systemBefore) continue;
      if (o.kind === 'Node' || o.kind === 'Event') continue;
      if (o.metadata.ownerReferences?.some((r) => r.controller)) continue;
      if (o.metadata.deletionTimestamp) continue;
      if (o.kind === 'EndpointSlice' && o.metadata.labels?.[MANAGED_BY]) continue;
      // made in every namespace by the service account controller and the root CA publisher
      if ((o.kind === 'ServiceAccount' && o.metadata.name === 'default') || (o.kind === 'ConfigMap' && o.metadata.name === 'kube-root-ca.crt')) continue;
      if (o.kind === 'Endpoints') {
        const store: KindStore = cluster.store;
        const svc = store.get('Service', o.metadata.namespace, o.metadata.name);
        if (svc && svc.spec?.selector && Object.keys(svc.spec.selector).length) continue;
      }
      out.push(o);
    }
  }
  return out;
}

/** A stored object as a manifest: no uid, resourceVersion, timestamps, generation or status. */
export function stripServerFields(o: KubeObject): Manifest {
  const m = structuredClone(o);
  const meta: JsonMap = m.metadata;
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'ownerReferences']) delete meta[k];
  if (meta.generateName && meta.name) delete meta.generateName;
  const annotations = m.metadata.annotations;
  if (annotations) {
    delete annotations['deployment.kubernetes.io/revision'];
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
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
      break;
    case 'Secret':
      dropIf(m, 'type', 'Opaque');
      break;
  }
  return m;
}

/** The settings that differ from the defaults. */
function settingsDiff(cluster: ExportSource): JsonMap {
  const s: JsonMap = { ...cluster.settings };
  const d: JsonMap = { ...DEFAULT_SETTINGS };
  const out: JsonMap = {};
  for (const k of Object.keys(s)) if (JSON.stringify(s[k]) !== JSON.stringify(d[k])) out[k] = s[k];
  return out;
}

export function exportScenario(source: ExportSource): string {
  const doc: JsonMap = {};
  const cluster = settingsDiff(source);
  if (Object.keys(cluster).length) doc.cluster = cluster;
  if (source.scenario.startTime !== undefined) doc.startTime = new Date(source.scenario.startTime).toISOString().replace(/\.000Z$/, 'Z');
  doc.objects = userObjects(source).map((o) => stripDefaults(stripServerFields(o)));
  if (source.scenario.files && Object.keys(source.scenario.files).length) doc.files = source.scenario.files;
  return stringify(doc, { lineWidth: 0 });
}
