/**
 * kubectl describe — a port of k8s.io/kubectl/pkg/describe/describe.go: describePod,
 * describeService, describeEndpoints, describeNode, DeploymentDescriber, IngressDescriber
 * (describeIngressV1), describeNetworkPolicy, ConfigMap, Secret, Namespace, ReplicaSet,
 * EndpointSlice. Output goes through a PrefixWriter (LEVEL_n = 2n spaces) and one
 * tabwriter (minwidth 0, padding 2) as tabbedString does.
 */
import {
  isKind,
  member,
  type ConfigMap,
  type Container,
  type ContainerState,
  type ContainerStatus,
  type DaemonSet,
  type DaemonSetStatus,
  type Deployment,
  type DeploymentStatus,
  type Endpoints,
  type EndpointSlice,
  type EnvVarSource,
  type Event,
  type Ingress,
  type IngressBackend,
  type IntOrString,
  type KubeObject,
  type Namespace,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type Node,
  type NodeStatus,
  type NodeSystemInfo,
  type Pod,
  type PodIP,
  type PodSpec,
  type PodStatus,
  type PodTemplateSpec,
  type Probe,
  type ReplicaSet,
  type ReplicaSetStatus,
  type ResourceRequirements,
  type Secret,
  type ServiceAccount,
  type Role,
  type ClusterRole,
  type RoleBinding,
  type ClusterRoleBinding,
  type Service,
  type Taint,
  type Toleration,
  type Volume,
} from '../../cluster/types';
import type { KindStore } from '../../cluster/store';
import { resourceFor } from '../../cluster/resources';
import { tabwrite, DESCRIBE_OPTS } from './tabwriter';
import { printableRules, ruleCells } from './rbac';
import { findNodeRoles, podIP, reportingControllerOf, translateTimestampSince } from './tables';
import { formatLabels, formatLabelSelector, selectorString, labelSelectorMatches } from './labels';

export interface DescribeEnv {
  now: number;
  store: KindStore;
}

class PrefixWriter {
  buf = '';
  write(level: number, text: string): void {
    this.buf += '  '.repeat(level) + text;
  }
  line(text: string): void {
    this.buf += text + '\n';
  }
}

const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

/** time.RFC1123Z: `Wed, 15 Jan 2025 09:00:00 +0000` */
export function rfc1123z(ts: string | undefined): string {
  if (!ts) return '';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** metav1.Time.String(): Go's default time format. */
function goTimeString(ts: string | undefined): string {
  if (!ts) return '0001-01-01 00:00:00 +0000 UTC';
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`;
}

function printLabelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | undefined, indent = '\t'): void {
  w.write(0, `${title}:${indent}`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) {
    w.line('<none>');
    return;
  }
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, indent);
    w.write(0, `${k}=${labels![k]}\n`);
  });
}

function shorten(s: string, max: number): string {
  if (s.length > max) return s.slice(0, max) + '...';
  return s;
}

function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {}).filter((k) => !SKIP_ANNOTATIONS.has(k)).sort();
  if (keys.length === 0) {
    w.line('<none>');
    return;
  }
  const indent = '\t';
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, indent);
    const value = annotations![k].replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else w.write(0, `${k}: ${value}\n`);
  });
}

function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: Toleration[] | undefined): void {
  w.write(0, `${title}:\t`);
  const ts = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  if (ts.length === 0) {
    w.line('<none>');
    return;
  }
  ts.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(0, s + '\n');
  });
}

function printTaintsMultiline(w: PrefixWriter, title: string, taints: Taint[] | undefined): void {
  w.write(0, `${title}:\t`);
  const ts = taints ?? [];
  if (ts.length === 0) {
    w.line('<none>');
    return;
  }
  // printTaintsMultilineWithIndent: sorted by "effect,key" (NoExecute, NoSchedule, PreferNoSchedule)
  const cmpKey = (t: Taint) => `${t.effect},${t.key}`;
  const sorted = [...ts].sort((a, b) => (cmpKey(a) < cmpKey(b) ? -1 : cmpKey(a) > cmpKey(b) ? 1 : 0));
  sorted.forEach((t, i) => {
    if (i > 0) w.write(0, '\t');
    w.write(0, `${t.key}${t.value ? '=' + t.value : ''}:${t.effect}\n`);
  });
}

/** Events(namespace).Search(obj): events whose involvedObject is this object (nodes match by name). */
function eventsFor(env: DescribeEnv, obj: KubeObject): Event[] {
  const out: Event[] = [];
  for (const e of env.store.iterate('Event')) {
    const io = e.involvedObject ?? {};
    if (io.kind !== obj.kind || io.name !== obj.metadata.name) continue;
    if (obj.metadata.namespace && (io.namespace ?? e.metadata.namespace) !== obj.metadata.namespace) continue;
    if (obj.kind !== 'Node' && io.uid && io.uid !== obj.metadata.uid) continue;
    out.push(e);
  }
  // event.SortableEvents: by lastTimestamp (a stable sort over the list order)
  out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  out.sort((a, b) => Date.parse(a.lastTimestamp ?? a.eventTime ?? '') - Date.parse(b.lastTimestamp ?? b.eventTime ?? ''));
  return out;
}

/** DescribeEvents */
function describeEvents(w: PrefixWriter, env?: DescribeEnv, obj?: KubeObject): void {
  const events = env && obj ? eventsFor(env, obj) : [];
  if (events.length === 0) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of events) {
    const first = e.eventTime ? translateTimestampSince(e.eventTime, env!.now) : translateTimestampSince(e.firstTimestamp, env!.now);
    let interval = first;
    if (e.series) interval = `${translateTimestampSince(e.series.lastObservedTime, env!.now)} (x${e.series.count} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${translateTimestampSince(e.lastTimestamp, env!.now)} (x${e.count} over ${first})`;
    const source = e.source?.component || e.reportingComponent || reportingControllerOf(e) || '';
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${String(e.message ?? '').trim()}\n`);
  }
}

// ---- containers ---------------------------------------------------------------------------

function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const scheme = String(p.httpGet.scheme ?? 'HTTP').toLowerCase();
    const host = p.httpGet.host ?? '';
    const port = p.httpGet.port !== undefined ? String(p.httpGet.port) : '';
    const hostPort = port ? (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`) : host;
    return `http-get ${scheme}://${hostPort}${p.httpGet.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeStatus(w: PrefixWriter, name: string, state: ContainerState | undefined): void {
  if (state?.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(2, `${name}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(2, `${name}:\tWaiting\n`);
}

function describeResources(w: PrefixWriter, r: ResourceRequirements | undefined): void {
  if (!r) return;
  for (const [title, list] of [['Limits', r.limits], ['Requests', r.requests]] as const) {
    const quantities = list ?? {};
    const keys = Object.keys(quantities).sort();
    if (keys.length === 0) continue;
    w.write(2, `${title}:\n`);
    for (const k of keys) w.write(3, `${k}:\t${quantities[k]}\n`);
  }
}

/** EnvValueRetriever: the value a downward-API field resolves to in this pod. */
function podFieldValue(pod: Pod | undefined, path: string): string {
  if (!pod) return '';
  const ann = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (ann) return String((ann[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[ann[2]] ?? '');
  let v: unknown = pod;
  for (const part of path.split('.')) v = member(v, part);
  if (path === 'spec.serviceAccountName' && v === undefined) v = pod.spec?.serviceAccountName;
  return v === undefined || v === null ? '' : String(v);
}

function envValueFrom(name: string, vf: EnvVarSource, pod?: Pod): string {
  if (vf.fieldRef) return `${name}:\t${podFieldValue(pod, vf.fieldRef.fieldPath)} (${vf.fieldRef.apiVersion ?? 'v1'}:${vf.fieldRef.fieldPath})\n`;
  if (vf.resourceFieldRef) return `${name}:\t${vf.resourceFieldRef.resource}\n`;
  if (vf.secretKeyRef) return `${name}:\t<set to the key '${vf.secretKeyRef.key}' in secret '${vf.secretKeyRef.name}'>\tOptional: ${vf.secretKeyRef.optional === true}\n`;
  if (vf.configMapKeyRef) return `${name}:\t<set to the key '${vf.configMapKeyRef.key}' of config map '${vf.configMapKeyRef.name}'>\tOptional: ${vf.configMapKeyRef.optional === true}\n`;
  return `${name}:\t\n`;
}

function describeContainers(w: PrefixWriter, label: string, containers: Container[], statuses: ContainerStatus[] | undefined, space: string, pod?: Pod): void {
  const byName = new Map<string, ContainerStatus>();
  for (const s of statuses ?? []) byName.set(s.name, s);
  if (containers.length === 0) {
    w.write(0, `${space}${label}: <none>\n`);
    return;
  }
  w.write(0, `${space}${label}:\n`);
  for (const c of containers) {
    const st = byName.get(c.name);
    const nameIndent = space ? ' ' : '';
    w.write(1, `${nameIndent}${c.name}:\n`);
    if (st) w.write(2, `Container ID:\t${st.containerID ?? ''}\n`);
    w.write(2, `Image:\t${c.image ?? ''}\n`);
    if (st) w.write(2, `Image ID:\t${st.imageID ?? ''}\n`);
    const ports = c.ports ?? [];
    // describeContainerPorts / describeContainerHostPorts (kubectl v1.34): a named port says its name
    const named = (s: string, name: string | undefined) => (name ? `${s} (${name})` : s);
    const portString = ports.map((p) => named(`${p.containerPort}/${p.protocol ?? 'TCP'}`, p.name)).join(', ');
    if (portString.includes(',')) w.write(2, `Ports:\t${portString}\n`);
    else w.write(2, `Port:\t${portString || '<none>'}\n`);
    const hostPortString = ports.map((p) => named(`${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`, p.name)).join(', ');
    if (hostPortString.includes(',')) w.write(2, `Host Ports:\t${hostPortString}\n`);
    else w.write(2, `Host Port:\t${hostPortString || '<none>'}\n`);
    if (c.restartPolicy) w.write(2, `Restart Policy:\t${c.restartPolicy}\n`);
    if ((c.command ?? []).length > 0) {
      w.write(2, 'Command:\n');
      for (const x of c.command ?? []) for (const s of String(x).split('\n')) w.write(3, `${s}\n`);
    }
    if ((c.args ?? []).length > 0) {
      w.write(2, 'Args:\n');
      for (const x of c.args ?? []) for (const s of String(x).split('\n')) w.write(3, `${s}\n`);
    }
    if (st) {
      describeStatus(w, 'State', st.state);
      if (st.lastState?.terminated) describeStatus(w, 'Last State', st.lastState);
      w.write(2, `Ready:\t${st.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${st.restartCount ?? 0}\n`);
    }
    describeResources(w, c.resources);
    if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    if ((c.envFrom ?? []).length > 0) {
      w.write(2, 'Environment Variables from:\n');
      for (const ef of c.envFrom ?? []) {
        const from = ef.configMapRef ? 'ConfigMap' : 'Secret';
        const name = (ef.configMapRef ?? ef.secretRef)?.name;
        const optional = (ef.configMapRef ?? ef.secretRef)?.optional === true;
        if (ef.prefix) w.write(3, `${name}\t${from} with prefix '${ef.prefix}'\tOptional: ${optional}\n`);
        else w.write(3, `${name}\t${from}\tOptional: ${optional}\n`);
      }
    }
    const env = c.env ?? [];
    w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
    for (const e of env) {
      if (!e.valueFrom) {
        String(e.value ?? '').split('\n').forEach((s, i) => {
          if (i === 0) w.write(3, `${e.name}:\t${s}\n`);
          else w.write(3, `\t${s}\n`);
        });
      } else w.write(3, envValueFrom(e.name, e.valueFrom, pod));
    }
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : 1));
    w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of mounts) {
      const flags = [m.readOnly ? 'ro' : 'rw'];
      if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
      w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
    }
  }
}

function describeVolumes(w: PrefixWriter, volumes: Volume[] | undefined, space: string): void {
  const vs = volumes ?? [];
  if (vs.length === 0) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  for (const v of vs) {
    const nameIndent = space ? ' ' : '';
    w.write(1, `${nameIndent}${v.name}:\n`);
    if (v.emptyDir) {
      w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`);
    } else if (v.configMap) {
      w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name}\n    Optional:\t${v.configMap.optional === true}\n`);
    } else if (v.secret) {
      w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName}\n    Optional:\t${v.secret.optional === true}\n`);
    } else if (v.hostPath) {
      w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type === undefined || v.hostPath.type === null ? '<none>' : v.hostPath.type}\n`);
    } else if (v.persistentVolumeClaim) {
      w.write(2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`);
    } else if (v.projected) {
      w.write(2, `Type:\tProjected (a volume that contains injected data from multiple sources)\n`);
      // printProjectedVolumeSource (kubectl v1.34): Optional as a bool, false when unset
      for (const src of v.projected.sources ?? []) {
        if (src.secret) w.write(2, `SecretName:\t${src.secret.name}\n    Optional:\t${src.secret.optional === true}\n`);
        else if (src.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
        else if (src.configMap) w.write(2, `ConfigMapName:\t${src.configMap.name}\n    Optional:\t${src.configMap.optional === true}\n`);
        else if (src.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${src.serviceAccountToken.expirationSeconds ?? 3600}\n`);
      }
    } else {
      w.write(2, `<unknown>\n`);
    }
  }
}

/** qos.GetPodQOS, simplified to the three classes from requests and limits. */
function podQOS(pod: Pod): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const cs: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = cs.length > 0;
  for (const c of cs) {
    const req: Record<string, string> = c.resources?.requests ?? {};
    const lim: Record<string, string> = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined) guaranteed = false;
      else if (req[r] !== undefined && String(req[r]) !== String(lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function controllerOf(obj: KubeObject): string {
  const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

export function describePod(pod: Pod, env: DescribeEnv): string {
  const w = new PrefixWriter();
  const spec: Partial<PodSpec> = pod.spec ?? {};
  const status: PodStatus = pod.status ?? {};
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace}\n`);
  if (spec.priority !== undefined) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  if (!spec.nodeName) w.write(0, 'Node:\t<none>\n');
  else w.write(0, `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n`);
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  printLabelsMultiline(w, 'Labels', pod.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${translateTimestampSince(pod.metadata.deletionTimestamp, env.now)})\n`);
    w.write(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 30}s\n`);
  } else w.write(0, `Status:\t${status.phase ?? ''}\n`);
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  w.write(0, `IP:\t${status.podIP ?? podIP(pod)}\n`);
  const ips: PodIP[] = status.podIPs ?? (status.podIP ? [{ ip: status.podIP }] : []);
  if (ips.length === 0) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const ctl = controllerOf(pod);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if ((spec.initContainers ?? []).length > 0) describeContainers(w, 'Init Containers', spec.initContainers ?? [], status.initContainerStatuses, '', pod);
  describeContainers(w, 'Containers', spec.containers ?? [], status.containerStatuses, '', pod);
  // describe.go: an EphemeralContainer's EphemeralContainerCommon printed as a Container
  if ((spec.ephemeralContainers ?? []).length > 0) describeContainers(w, 'Ephemeral Containers', spec.ephemeralContainers ?? [], status.ephemeralContainerStatuses, '', pod);
  if ((spec.readinessGates ?? []).length > 0) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates ?? []) {
      const c = (status.conditions ?? []).find((x) => x.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${c?.status ?? '<none>'} \n`);
    }
  }
  if ((status.conditions ?? []).length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of status.conditions ?? []) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, spec.volumes, '');
  w.write(0, `QoS Class:\t${podQOS(pod)}\n`);
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, 'Tolerations', spec.tolerations);
  describeEvents(w, env, pod);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

// ---- Service / Endpoints / EndpointSlice --------------------------------------------------

function joinHostPort(host: string, port: number | undefined): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** describe.go formatEndpointSlices(endpointSlices, ports): ready endpoints only, 3 then ` + N more...`. */
export function formatEndpointSlices(slices: EndpointSlice[], ports?: Set<string>): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const s of slices) {
    const eps = s.endpoints ?? [];
    const sp = s.ports ?? [];
    if (sp.length === 0) {
      for (const e of eps) {
        if (list.length === max) more = true;
        const ready = e.conditions?.ready === undefined || e.conditions?.ready === null || e.conditions.ready;
        if (!ready) continue;
        if (!more) list.push(e.addresses[0]);
        count++;
      }
    } else {
      for (const port of sp) {
        if (!ports || ports.has(port.name ?? '')) {
          for (const e of eps) {
            if (list.length === max) more = true;
            const ready = e.conditions?.ready === undefined || e.conditions?.ready === null || e.conditions.ready;
            if (!ready) continue;
            if (!more) list.push(joinHostPort(e.addresses[0], port.port));
            count++;
          }
        }
      }
    }
  }
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret;
}

function slicesFor(env: DescribeEnv, namespace: string | undefined, service: string): EndpointSlice[] {
  return env.store.list('EndpointSlice', namespace).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service);
}

export function describeService(svc: Service, env: DescribeEnv): string {
  const w = new PrefixWriter();
  const spec = svc.spec ?? {};
  const slices = slicesFor(env, svc.metadata.namespace, svc.metadata.name);
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace}\n`);
  printLabelsMultiline(w, 'Labels', svc.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? 'ClusterIP'}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  const families = spec.ipFamilies ?? [];
  w.write(0, `IP Families:\t${families.length > 0 ? families.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  const ips: string[] = spec.clusterIPs ?? [];
  w.write(0, `IPs:\t${ips.length > 0 ? ips.join(',') : '<none>'}\n`);
  const externalIPs = spec.externalIPs ?? [];
  if (externalIPs.length > 0) w.write(0, `External IPs:\t${externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  // buildIngressString: an IP with its ipMode (VIP, Proxy), else the hostname
  if (ingress.length > 0) w.write(0, `LoadBalancer Ingress:\t${ingress.map((i) => (i.ip ? (i.ipMode ? `${i.ip} (${i.ipMode})` : i.ip) : i.hostname ?? '')).join(', ')}\n`);
  for (const sp of spec.ports ?? []) {
    const name = sp.name || '<unset>';
    const proto = sp.protocol ?? 'TCP';
    w.write(0, `Port:\t${name}\t${sp.port}/${proto}\n`);
    const tp = sp.targetPort ?? sp.port;
    w.write(0, `TargetPort:\t${tp}/${proto}\n`);
    if (sp.nodePort) w.write(0, `NodePort:\t${name}\t${sp.nodePort}/${proto}\n`);
    w.write(0, `Endpoints:\t${formatEndpointSlices(slices, new Set([sp.name ?? '']))}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  const sourceRanges = spec.loadBalancerSourceRanges ?? [];
  if (sourceRanges.length > 0) w.write(0, `LoadBalancer Source Ranges:\t${sourceRanges.join(',')}\n`);
  // kubectl v1.34 (#131491)
  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== null) w.write(0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
  describeEvents(w, env, svc);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

export function describeEndpoints(ep: Endpoints, env?: DescribeEnv): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ep.metadata.name}\n`);
  w.write(0, `Namespace:\t${ep.metadata.namespace}\n`);
  printLabelsMultiline(w, 'Labels', ep.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', ep.metadata.annotations);
  w.write(0, 'Subsets:\n');
  for (const ss of ep.subsets ?? []) {
    w.write(1, `Addresses:\t${(ss.addresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
    w.write(1, `NotReadyAddresses:\t${(ss.notReadyAddresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
    if ((ss.ports ?? []).length > 0) {
      w.write(1, 'Ports:\n');
      w.write(2, 'Name\tPort\tProtocol\n');
      w.write(2, '----\t----\t--------\n');
      for (const p of ss.ports ?? []) w.write(2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? 'TCP'}\n`);
    }
    w.write(0, '\n');
  }
  describeEvents(w, env, ep);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

/**
 * describeEndpointSliceV1 (k8s.io/kubectl v0.34 pkg/describe): per endpoint its addresses,
 * Ready, hostname, targetRef (only when set), node and zone. Topology hints are not
 * described; `-o yaml` shows them.
 */
export function describeEndpointSlice(s: EndpointSlice, env?: DescribeEnv): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${s.metadata.name}\n`);
  w.write(0, `Namespace:\t${s.metadata.namespace}\n`);
  printLabelsMultiline(w, 'Labels', s.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', s.metadata.annotations);
  w.write(0, `AddressType:\t${s.addressType ?? ''}\n`);
  const ports = s.ports ?? [];
  if (ports.length === 0) w.write(0, 'Ports: <unset>\n');
  else {
    w.write(0, 'Ports:\n');
    w.write(1, 'Name\tPort\tProtocol\n');
    w.write(1, '----\t----\t--------\n');
    for (const p of ports) w.write(1, `${p.name ? p.name : '<unset>'}\t${p.port ?? '<unset>'}\t${p.protocol ?? ''}\n`);
  }
  const eps = s.endpoints ?? [];
  if (eps.length === 0) w.write(0, 'Endpoints: <none>\n');
  else {
    w.write(0, 'Endpoints:\n');
    for (const e of eps) {
      w.write(1, `- Addresses:\t${(e.addresses ?? []).join(', ') || '<none>'}\n`);
      w.write(2, 'Conditions:\n');
      const b = (v: unknown) => (v === undefined || v === null ? '<unset>' : String(v));
      w.write(3, `Ready:\t${b(e.conditions?.ready)}\n`);
      w.write(2, `Hostname:\t${e.hostname ?? '<unset>'}\n`);
      if (e.targetRef) w.write(2, `TargetRef:\t${e.targetRef.kind}/${e.targetRef.name}\n`);
      w.write(2, `NodeName:\t${e.nodeName ?? '<unset>'}\n`);
      w.write(2, `Zone:\t${e.zone ?? '<unset>'}\n`);
    }
  }
  describeEvents(w, env, s);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

// ---- Node ---------------------------------------------------------------------------------

/** A resource.Quantity reduced to what describe needs: parse, add, print canonically. */
interface Quantity {
  /** value in milli-units */
  milli: number;
  binary: boolean;
}

const BIN: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DEC: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

function parseQuantity(v: unknown): Quantity {
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(String(v ?? '0'));
  if (!m) return { milli: 0, binary: false };
  const n = Number(m[1]);
  if (m[2] in BIN) return { milli: n * BIN[m[2]] * 1000, binary: true };
  return { milli: n * (DEC[m[2]] ?? 1) * 1000, binary: false };
}

function quantityString(q: Quantity): string {
  if (q.milli === 0) return '0';
  if (q.milli % 1000 !== 0) return `${q.milli}m`;
  const v = q.milli / 1000;
  if (q.binary) {
    for (const s of ['Ti', 'Gi', 'Mi', 'Ki']) if (v % BIN[s] === 0) return `${v / BIN[s]}${s}`;
    return String(v);
  }
  for (const s of ['T', 'G', 'M', 'k']) if (v % DEC[s] === 0) return `${v / DEC[s]}${s}`;
  return String(v);
}

function podRequests(pod: Pod, kind: 'requests' | 'limits', r: string): Quantity {
  const out: Quantity = { milli: 0, binary: r === 'memory' };
  for (const c of pod.spec?.containers ?? []) {
    const v = c.resources?.[kind]?.[r];
    if (v !== undefined) {
      const q = parseQuantity(v);
      out.milli += q.milli;
      out.binary = q.binary || out.milli === q.milli ? q.binary : out.binary;
    }
  }
  return out;
}

export function describeNode(node: Node, env: DescribeEnv): string {
  const w = new PrefixWriter();
  const status: NodeStatus = node.status ?? {};
  const info: Partial<NodeSystemInfo> = status.nodeInfo ?? {};
  w.write(0, `Name:\t${node.metadata.name}\n`);
  const roles = findNodeRoles(node);
  w.write(0, `Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}\n`);
  printLabelsMultiline(w, 'Labels', node.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', node.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}\n`);
  printTaintsMultiline(w, 'Taints', node.spec?.taints);
  w.write(0, `Unschedulable:\t${node.spec?.unschedulable === true}\n`);
  // describe.go describeNode: the node's Lease from kube-node-lease, each time RFC1123Z or <unset>
  const lease = env.store.get('Lease', 'kube-node-lease', node.metadata.name);
  if (!lease) {
    w.write(0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${node.metadata.name}" not found\n`);
  } else {
    const leaseTime = (v: unknown) => (typeof v === 'string' && v ? rfc1123z(v) : '<unset>');
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${typeof lease.spec?.holderIdentity === 'string' ? lease.spec.holderIdentity : '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${leaseTime(lease.spec?.acquireTime)}\n`);
    w.write(1, `RenewTime:\t${leaseTime(lease.spec?.renewTime)}\n`);
  }
  if ((status.conditions ?? []).length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of status.conditions ?? []) {
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(0, 'Addresses:\n');
  for (const a of status.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  const printList = (list: Record<string, string>) => {
    for (const k of Object.keys(list).sort()) w.write(0, `  ${k}:\t${list[k]}\n`);
  };
  const capacity = status.capacity ?? {};
  const allocatable = status.allocatable ?? {};
  if (Object.keys(capacity).length > 0) {
    w.write(0, 'Capacity:\n');
    printList(capacity);
  }
  if (Object.keys(allocatable).length > 0) {
    w.write(0, 'Allocatable:\n');
    printList(allocatable);
  }
  w.write(0, 'System Info:\n');
  w.write(0, `  Machine ID:\t${info.machineID ?? ''}\n`);
  w.write(0, `  System UUID:\t${info.systemUUID ?? ''}\n`);
  w.write(0, `  Boot ID:\t${info.bootID ?? ''}\n`);
  w.write(0, `  Kernel Version:\t${info.kernelVersion ?? ''}\n`);
  w.write(0, `  OS Image:\t${info.osImage ?? ''}\n`);
  w.write(0, `  Operating System:\t${info.operatingSystem ?? ''}\n`);
  w.write(0, `  Architecture:\t${info.architecture ?? ''}\n`);
  w.write(0, `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ''}\n`);
  w.write(0, `  Kubelet Version:\t${info.kubeletVersion ?? ''}\n`);
  w.write(0, `  Kube-Proxy Version:\t${info.kubeProxyVersion ?? ''}\n`);
  if (node.spec?.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  const podCIDRs = node.spec?.podCIDRs ?? [];
  if (podCIDRs.length > 0) w.write(0, `PodCIDRs:\t${podCIDRs.join(',')}\n`);
  if (node.spec?.providerID) w.write(0, `ProviderID:\t${node.spec.providerID}\n`);
  const pods: Pod[] = [];
  for (const p of env.store.iterate('Pod')) {
    if (p.spec?.nodeName === node.metadata.name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed') pods.push(p);
  }
  pods.sort((a, b) => (a.metadata.namespace! + '/' + a.metadata.name < b.metadata.namespace! + '/' + b.metadata.name ? -1 : 1));
  const alloc: Record<string, string> = Object.keys(allocatable).length > 0 ? allocatable : capacity;
  const cpuAlloc = parseQuantity(alloc.cpu ?? 0).milli;
  const memAlloc = parseQuantity(alloc.memory ?? 0).milli;
  const pct = (v: number, total: number) => (total > 0 ? Math.trunc((v / total) * 100) : 0);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const tot = { cr: 0, cl: 0, mr: 0, ml: 0 };
  for (const p of pods) {
    const cr = podRequests(p, 'requests', 'cpu');
    const cl = podRequests(p, 'limits', 'cpu');
    const mr = podRequests(p, 'requests', 'memory');
    const ml = podRequests(p, 'limits', 'memory');
    tot.cr += cr.milli;
    tot.cl += cl.milli;
    tot.mr += mr.milli;
    tot.ml += ml.milli;
    w.write(
      1,
      `${p.metadata.namespace}\t${p.metadata.name}\t\t${quantityString(cr)} (${pct(cr.milli, cpuAlloc)}%)\t${quantityString(cl)} (${pct(cl.milli, cpuAlloc)}%)\t${quantityString(mr)} (${pct(mr.milli, memAlloc)}%)\t${quantityString(ml)} (${pct(ml.milli, memAlloc)}%)\t${translateTimestampSince(p.metadata.creationTimestamp, env.now)}\n`,
    );
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  w.write(1, `cpu\t${quantityString({ milli: tot.cr, binary: false })} (${pct(tot.cr, cpuAlloc)}%)\t${quantityString({ milli: tot.cl, binary: false })} (${pct(tot.cl, cpuAlloc)}%)\n`);
  w.write(1, `memory\t${quantityString({ milli: tot.mr, binary: true })} (${pct(tot.mr, memAlloc)}%)\t${quantityString({ milli: tot.ml, binary: true })} (${pct(tot.ml, memAlloc)}%)\n`);
  w.write(1, 'ephemeral-storage\t0 (0%)\t0 (0%)\n');
  for (const ext of Object.keys(alloc).filter((x) => x.startsWith('hugepages-')).sort()) w.write(1, `${ext}\t0 (0%)\t0 (0%)\n`);
  describeEvents(w, env, node);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

// ---- Deployment / ReplicaSet --------------------------------------------------------------

function describePodTemplate(w: PrefixWriter, t: PodTemplateSpec | undefined): void {
  w.write(0, 'Pod Template:\n');
  if (!t) {
    w.write(1, '<unset>');
    return;
  }
  printLabelsMultiline(w, '  Labels', t.metadata?.labels);
  if (Object.keys(t.metadata?.annotations ?? {}).length > 0) printAnnotationsMultiline(w, '  Annotations', t.metadata?.annotations);
  const spec: Partial<PodSpec> = t.spec ?? {};
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if ((spec.initContainers ?? []).length > 0) describeContainers(w, 'Init Containers', spec.initContainers ?? [], undefined, '  ');
  describeContainers(w, 'Containers', spec.containers ?? [], undefined, '  ');
  describeVolumes(w, spec.volumes, '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations);
}

/**
 * polymorphichelpers/history.go printTemplate: DescribePodTemplate through a bare
 * PrefixWriter (no tabwriter, so the tabs stay), as `rollout history --revision=N` prints it.
 */
export function podTemplateText(t: PodTemplateSpec | undefined): string {
  const w = new PrefixWriter();
  describePodTemplate(w, t);
  return w.buf;
}

function replicaSetsOf(d: Deployment, env: DescribeEnv): ReplicaSet[] {
  return env.store.list('ReplicaSet', d.metadata.namespace).filter((rs) => (rs.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === d.metadata.uid) || ((rs.metadata.ownerReferences ?? []).some((r) => r.kind === 'Deployment' && r.name === d.metadata.name)));
}

function printReplicaSetsByLabels(rss: ReplicaSet[]): string {
  if (rss.length === 0) return '<none>';
  return rss.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`).join(', ');
}

function intOrPercent(v: IntOrString | undefined, dflt: string): string {
  return v === undefined || v === null ? dflt : String(v);
}

export function describeDeployment(d: Deployment, env: DescribeEnv): string {
  const w = new PrefixWriter();
  const spec = d.spec ?? {};
  const st: DeploymentStatus = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  printLabelsMultiline(w, 'Labels', d.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', d.metadata.annotations);
  w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
  w.write(0, `Replicas:\t${spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  const strategy = spec.strategy ?? { type: 'RollingUpdate' };
  w.write(0, `StrategyType:\t${strategy.type ?? 'RollingUpdate'}\n`);
  w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  if ((strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const ru = strategy.rollingUpdate ?? {};
    w.write(0, `RollingUpdateStrategy:\t${intOrPercent(ru.maxUnavailable, '25%')} max unavailable, ${intOrPercent(ru.maxSurge, '25%')} max surge\n`);
  }
  describePodTemplate(w, spec.template);
  if ((st.conditions ?? []).length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of st.conditions ?? []) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  const rss = replicaSetsOf(d, env);
  const tmplHash = JSON.stringify(spec.template ?? {});
  const isNew = (rs: ReplicaSet) => {
    const t: PodTemplateSpec = structuredClone(rs.spec?.template ?? {});
    if (t.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
    return JSON.stringify(t) === tmplHash;
  };
  const newRS = rss.find(isNew);
  const old = rss.filter((rs) => rs !== newRS && (rs.spec?.replicas ?? 0) > 0);
  w.write(0, `OldReplicaSets:\t${printReplicaSetsByLabels(old)}\n`);
  w.write(0, `NewReplicaSet:\t${printReplicaSetsByLabels(newRS ? [newRS] : [])}\n`);
  describeEvents(w, env, d);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

export function describeReplicaSet(rs: ReplicaSet, env: DescribeEnv): string {
  const w = new PrefixWriter();
  const spec = rs.spec ?? {};
  const st: Partial<ReplicaSetStatus> = rs.status ?? {};
  const pods = env.store.list('Pod', rs.metadata.namespace).filter((p) => (p.metadata.ownerReferences ?? []).some((r) => r.kind === 'ReplicaSet' && r.name === rs.metadata.name));
  const count = (phase: string) => pods.filter((p) => p.status?.phase === phase).length;
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  printLabelsMultiline(w, 'Labels', rs.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', rs.metadata.annotations);
  const ctl = controllerOf(rs);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  w.write(0, `Replicas:\t${st.replicas ?? 0} current / ${spec.replicas ?? 1} desired\n`);
  w.write(0, `Pods Status:\t${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed\n`);
  describePodTemplate(w, spec.template);
  if ((st.conditions ?? []).length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of st.conditions ?? []) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  describeEvents(w, env, rs);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

/** DaemonSetDescriber (describeDaemonSet). */
export function describeDaemonSet(ds: DaemonSet, env: DescribeEnv): string {
  const w = new PrefixWriter();
  const st: Partial<DaemonSetStatus> = ds.status ?? {};
  const pods = env.store.list('Pod', ds.metadata.namespace).filter((p) => (p.metadata.ownerReferences ?? []).some((r) => r.kind === 'DaemonSet' && r.name === ds.metadata.name));
  const count = (phase: string) => pods.filter((p) => p.status?.phase === phase).length;
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Namespace:\t${ds.metadata.namespace}\n`);
  w.write(0, `Selector:\t${selectorString(ds.spec?.selector)}\n`);
  w.write(0, `Node-Selector:\t${formatLabels(ds.spec?.template?.spec?.nodeSelector)}\n`);
  printLabelsMultiline(w, 'Labels', ds.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', ds.metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${st.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${st.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed\n`);
  describePodTemplate(w, ds.spec?.template);
  describeEvents(w, env, ds);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

// ---- Ingress / NetworkPolicy --------------------------------------------------------------

function describeBackend(env: DescribeEnv, ns: string, backend: IngressBackend | undefined): string {
  if (backend?.service) {
    const b = backend.service;
    const port = b.port?.name ? b.port.name : String(b.port?.number ?? 0);
    const sb = `${b.name}:${port}`;
    const svc = env.store.get('Service', ns, b.name);
    if (!svc) return `${sb} (<error: services "${b.name}" not found>)`;
    let spName = '';
    for (const sp of svc.spec?.ports ?? []) {
      if (b.port?.number && b.port.number === sp.port) spName = sp.name ?? '';
      else if (b.port?.name && b.port.name === sp.name) spName = sp.name ?? '';
    }
    return `${sb} (${formatEndpointSlices(slicesFor(env, ns, b.name), new Set([spName]))})`;
  }
  if (backend?.resource) {
    const r = backend.resource;
    return `APIGroup: ${r.apiGroup ?? ''}, Kind: ${r.kind}, Name: ${r.name}`;
  }
  return '';
}

export function describeIngress(ing: Ingress, env: DescribeEnv): string {
  const w = new PrefixWriter();
  const spec = ing.spec ?? {};
  const ns = ing.metadata.namespace ?? 'default';
  w.write(0, `Name:\t${ing.metadata.name}\n`);
  printLabelsMultiline(w, 'Labels', ing.metadata.labels);
  w.write(0, `Namespace:\t${ns}\n`);
  const set = new Set<string | undefined>();
  for (const i of ing.status?.loadBalancer?.ingress ?? []) set.add(i.ip || i.hostname);
  w.write(0, `Address:\t${[...set].sort().join(',')}\n`);
  w.write(0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`);
  if (!spec.defaultBackend) w.write(0, 'Default backend:\t<default>\n');
  else w.write(0, `Default backend:\t${describeBackend(env, ns, spec.defaultBackend)}\n`);
  if ((spec.tls ?? []).length > 0) {
    w.write(0, 'TLS:\n');
    for (const t of spec.tls ?? []) {
      if (!t.secretName) w.write(1, `SNI routes ${(t.hosts ?? []).join(',')}\n`);
      else w.write(1, `${t.secretName} terminates ${(t.hosts ?? []).join(',')}\n`);
    }
  }
  w.write(0, 'Rules:\n  Host\tPath\tBackends\n');
  w.write(1, '----\t----\t--------\n');
  let count = 0;
  for (const r of spec.rules ?? []) {
    if (!r.http) continue;
    count++;
    w.write(1, `${r.host || '*'}\t\n`);
    for (const p of r.http.paths ?? []) w.write(2, `\t${p.path ?? ''} \t${describeBackend(env, ns, p.backend)}\n`);
  }
  if (count === 0) w.write(1, `*\t*\t${describeBackend(env, ns, spec.defaultBackend)}\n`);
  printAnnotationsMultiline(w, 'Annotations', ing.metadata.annotations);
  describeEvents(w, env, ing);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

function printPeers(w: PrefixWriter, peers: NetworkPolicyPeer[] | undefined, indent: string, word: 'From' | 'To', anyText: string): void {
  if (!peers || peers.length === 0) {
    w.write(0, `${indent}${word}: <any> (${anyText})\n`);
    return;
  }
  for (const p of peers) {
    w.write(0, `${indent}${word}:\n`);
    if (p.podSelector && p.namespaceSelector) {
      w.write(1, `${indent}NamespaceSelector: ${formatLabelSelector(p.namespaceSelector)}\n`);
      w.write(1, `${indent}PodSelector: ${formatLabelSelector(p.podSelector)}\n`);
    } else if (p.podSelector) w.write(1, `${indent}PodSelector: ${formatLabelSelector(p.podSelector)}\n`);
    else if (p.namespaceSelector) w.write(1, `${indent}NamespaceSelector: ${formatLabelSelector(p.namespaceSelector)}\n`);
    else if (p.ipBlock) {
      w.write(1, `${indent}IPBlock:\n`);
      w.write(2, `${indent}CIDR: ${p.ipBlock.cidr}\n`);
      w.write(2, `${indent}Except: ${(p.ipBlock.except ?? []).join(', ')}\n`);
    }
  }
}

/** An ingress rule's `from` or an egress rule's `to`, as `peers` picks it. */
function printRules<R extends { ports?: NetworkPolicyPort[] }>(w: PrefixWriter, rules: R[], indent: string, dir: 'ingress' | 'egress', peers: (r: R) => NetworkPolicyPeer[] | undefined): void {
  if (rules.length === 0) {
    w.write(0, `${indent}<none> (Selected pods are isolated for ${dir} connectivity)\n`);
    return;
  }
  rules.forEach((r, i) => {
    const ports = r.ports ?? [];
    if (ports.length === 0) w.write(0, `${indent}To Port: <any> (traffic allowed to all ports)\n`);
    // describe.go printNetworkPolicySpecIngressFrom/EgressTo: an endPort makes it a range
    else for (const p of ports) w.write(0, p.endPort === undefined ? `${indent}To Port: ${p.port ?? '<nil>'}/${p.protocol ?? 'TCP'}\n` : `${indent}To Port Range: ${p.port ?? '<nil>'}-${p.endPort}/${p.protocol ?? 'TCP'}\n`);
    if (dir === 'ingress') printPeers(w, peers(r), indent, 'From', 'traffic not restricted by source');
    else printPeers(w, peers(r), indent, 'To', 'traffic not restricted by destination');
    if (i !== rules.length - 1) w.write(0, `${indent}----------\n`);
  });
}

export function describeNetworkPolicy(np: NetworkPolicy): string {
  const w = new PrefixWriter();
  const spec = np.spec ?? {};
  w.write(0, `Name:\t${np.metadata.name}\n`);
  w.write(0, `Namespace:\t${np.metadata.namespace}\n`);
  w.write(0, `Created on:\t${goTimeString(np.metadata.creationTimestamp)}\n`);
  printLabelsMultiline(w, 'Labels', np.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', np.metadata.annotations);
  w.write(0, 'Spec:\n');
  w.write(1, 'PodSelector: ');
  const ps = spec.podSelector ?? {};
  if (Object.keys(ps.matchLabels ?? {}).length === 0 && (ps.matchExpressions ?? []).length === 0) {
    w.write(2, '<none> (Allowing the specific traffic to all pods in this namespace)\n');
  } else w.write(2, `${formatLabelSelector(ps)}\n`);
  let types: string[] | undefined = spec.policyTypes;
  if (!types || types.length === 0) {
    types = ['Ingress'];
    if ((spec.egress ?? []).length > 0) types.push('Egress');
  }
  if (types.includes('Ingress')) {
    w.write(1, 'Allowing ingress traffic:\n');
    printRules(w, spec.ingress ?? [], '    ', 'ingress', (r) => r.from);
  } else w.write(1, 'Not affecting ingress traffic\n');
  if (types.includes('Egress')) {
    w.write(1, 'Allowing egress traffic:\n');
    printRules(w, spec.egress ?? [], '    ', 'egress', (r) => r.to);
  } else w.write(1, 'Not affecting egress traffic\n');
  w.write(1, `Policy Types: ${types.join(', ')}\n`);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

// ---- ConfigMap / Secret / Namespace / others ----------------------------------------------

export function describeConfigMap(cm: ConfigMap, env?: DescribeEnv): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${cm.metadata.name}\n`);
  w.write(0, `Namespace:\t${cm.metadata.namespace}\n`);
  printLabelsMultiline(w, 'Labels', cm.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', cm.metadata.annotations);
  w.write(0, '\nData\n====\n');
  const data = cm.data ?? {};
  for (const k of Object.keys(data).sort()) {
    w.write(0, `${k}:\n----\n`);
    w.write(0, `${data[k]}\n`);
    w.write(0, '\n');
  }
  w.write(0, '\nBinaryData\n====\n');
  const binaryData = cm.binaryData ?? {};
  for (const k of Object.keys(binaryData).sort()) w.write(0, `${k}: ${Math.floor((String(binaryData[k]).length * 3) / 4)} bytes\n`);
  w.write(0, '\n');
  describeEvents(w, env, cm);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

function base64Len(s: string): number {
  const clean = s.replace(/\s/g, '');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - pad;
}

export function describeSecret(s: Secret): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${s.metadata.name}\n`);
  w.write(0, `Namespace:\t${s.metadata.namespace}\n`);
  printLabelsMultiline(w, 'Labels', s.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', s.metadata.annotations);
  w.write(0, `\nType:\t${s.type ?? 'Opaque'}\n`);
  w.write(0, '\nData\n====\n');
  const data = s.data ?? {};
  for (const k of Object.keys(data).sort()) w.write(0, `${k}:\t${base64Len(String(data[k]))} bytes\n`);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

/**
 * describeServiceAccount: its secrets by kind under fixed-width headers (sorted as the
 * headers are: image pull, mountable, tokens), then the events.
 */
export function describeServiceAccount(sa: ServiceAccount, env?: DescribeEnv): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${sa.metadata.name}\n`);
  w.write(0, `Namespace:\t${sa.metadata.namespace}\n`);
  printLabelsMultiline(w, 'Labels', sa.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', sa.metadata.annotations);
  const sections: [string, string[]][] = [
    ['Image pull secrets:', (sa.imagePullSecrets ?? []).map((s) => s.name ?? '')],
    ['Mountable secrets: ', (sa.secrets ?? []).map((s) => s.name ?? '')],
    ['Tokens:            ', []],
  ];
  for (const [head, names] of sections) {
    if (names.length === 0) {
      w.write(0, `${head}\t<none>\n`);
      continue;
    }
    names.forEach((n, i) => w.write(0, `${i === 0 ? head : '                   '}\t${n}\n`));
  }
  describeEvents(w, env, sa);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

/** RoleDescriber / ClusterRoleDescriber: the rules broken down, compacted and sorted as kubectl's rbac util does. */
export function describeRole(role: Role | ClusterRole): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${role.metadata.name}\n`);
  printLabelsMultiline(w, 'Labels', role.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', role.metadata.annotations);
  w.write(0, 'PolicyRule:\n');
  w.write(1, 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n');
  w.write(1, '---------\t-----------------\t--------------\t-----\n');
  for (const r of printableRules(role.rules ?? [])) w.write(1, `${ruleCells(r)}\n`);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

/** RoleBindingDescriber / ClusterRoleBindingDescriber: the roleRef, then the subjects. */
export function describeRoleBinding(b: RoleBinding | ClusterRoleBinding): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${b.metadata.name}\n`);
  printLabelsMultiline(w, 'Labels', b.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', b.metadata.annotations);
  w.write(0, 'Role:\n');
  w.write(1, `Kind:\t${b.roleRef.kind}\n`);
  w.write(1, `Name:\t${b.roleRef.name}\n`);
  w.write(0, 'Subjects:\n');
  w.write(1, 'Kind\tName\tNamespace\n');
  w.write(1, '----\t----\t---------\n');
  for (const s of b.subjects ?? []) w.write(1, `${s.kind}\t${s.name}\t${s.namespace ?? ''}\n`);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

export function describeNamespace(ns: Namespace): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ns.metadata.name}\n`);
  printLabelsMultiline(w, 'Labels', ns.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', ns.metadata.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? 'Active'}\n`);
  w.write(0, '\nNo resource quota.\n');
  w.write(0, '\nNo LimitRange resource.\n');
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

export function describeGeneric(o: KubeObject, env?: DescribeEnv): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${o.metadata.name}\n`);
  if (o.metadata.namespace) w.write(0, `Namespace:\t${o.metadata.namespace}\n`);
  printLabelsMultiline(w, 'Labels', o.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', o.metadata.annotations);
  if (isKind(o, 'IngressClass')) {
    w.write(0, `Controller:\t${o.spec?.controller ?? ''}\n`);
  }
  describeEvents(w, env, o);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

/** fatih/camelcase Split: runs of lower case, of upper case (the last upper letter starts the next word), of digits. */
function camelSplit(s: string): string[] {
  const runs: string[] = [];
  let last = -1;
  for (const ch of s) {
    const cls = /[a-z]/.test(ch) ? 1 : /[A-Z]/.test(ch) ? 2 : /[0-9]/.test(ch) ? 3 : 4;
    if (cls === last) runs[runs.length - 1] += ch;
    else runs.push(ch);
    last = cls;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (/^[A-Z]+$/.test(runs[i]) && /^[a-z]+$/.test(runs[i + 1])) {
      runs[i + 1] = runs[i].slice(-1) + runs[i + 1];
      runs[i] = runs[i].slice(0, -1);
    }
  }
  return runs.filter((r) => r !== '');
}

/** describe.go smartLabelFor: `gatewayClassName` → `Gateway Class Name`, `apiVersion` → `API Version`. */
function smartLabelFor(field: string): string {
  if ([...field].some((ch) => !/\p{L}/u.test(ch) && ch !== '-')) return field;
  const acronyms = ['API', 'URL', 'UID', 'OSB', 'GUID'];
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (acronyms.includes(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

/** Go's %v of a JSON scalar. */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  return String(v);
}

/** describe.go printUnstructuredContent: fields sorted, maps and lists indented, scalars tab-aligned. */
function printUnstructuredContent(w: PrefixWriter, level: number, content: Record<string, unknown>, skipPrefix: string, skip: string[]): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const expr = `${skipPrefix}.${field}`;
    if (skip.includes(expr)) continue;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printUnstructuredContent(w, level + 1, value as Record<string, unknown>, expr, skip);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (child && typeof child === 'object' && !Array.isArray(child)) printUnstructuredContent(w, level + 1, child as Record<string, unknown>, expr, skip);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else {
      w.write(level, `${smartLabelFor(field)}:\t${goValue(value)}\n`);
    }
  }
}

/** describe.go genericDescriber: what kubectl describe prints for a custom resource. */
export function describeUnstructured(o: KubeObject, env?: DescribeEnv): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${o.metadata.name}\n`);
  w.write(0, `Namespace:\t${o.metadata.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', o.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', o.metadata.annotations);
  printUnstructuredContent(w, 0, o as unknown as Record<string, unknown>, '', ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
  describeEvents(w, env, o);
  return tabwrite(w.buf, DESCRIBE_OPTS);
}

export function describeObject(o: KubeObject, env: DescribeEnv): string {
  // kinds without a describer of their own (a Lease) get describe.go's genericDescriber, as custom resources do
  if (resourceFor(o.kind)?.crd || o.kind === 'Lease') return describeUnstructured(o, env);
  if (isKind(o, 'Pod')) return describePod(o, env);
  if (isKind(o, 'Service')) return describeService(o, env);
  if (isKind(o, 'Endpoints')) return describeEndpoints(o, env);
  if (isKind(o, 'EndpointSlice')) return describeEndpointSlice(o, env);
  if (isKind(o, 'Node')) return describeNode(o, env);
  if (isKind(o, 'Deployment')) return describeDeployment(o, env);
  if (isKind(o, 'ReplicaSet')) return describeReplicaSet(o, env);
  if (isKind(o, 'DaemonSet')) return describeDaemonSet(o, env);
  if (isKind(o, 'Ingress')) return describeIngress(o, env);
  if (isKind(o, 'NetworkPolicy')) return describeNetworkPolicy(o);
  if (isKind(o, 'ConfigMap')) return describeConfigMap(o, env);
  if (isKind(o, 'Secret')) return describeSecret(o);
  if (isKind(o, 'ServiceAccount')) return describeServiceAccount(o, env);
  if (isKind(o, 'Namespace')) return describeNamespace(o);
  if (isKind(o, 'Role') || isKind(o, 'ClusterRole')) return describeRole(o);
  if (isKind(o, 'RoleBinding') || isKind(o, 'ClusterRoleBinding')) return describeRoleBinding(o);
  return describeGeneric(o, env);
}

export { labelSelectorMatches };
