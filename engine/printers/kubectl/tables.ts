/**
 * kubectl's server-side table columns, per kind — a port of
 * kubernetes/pkg/printers/internalversion/printers.go (AddHandlers: the column
 * definitions, and printPod, printService, printEndpoints, printEndpointSlice,
 * printIngress, printIngressClass, printNetworkPolicy, printNode, printDeployment,
 * printReplicaSet, printDaemonSet, printStatefulSet, printConfigMap, printSecret, printServiceAccount,
 * printNamespace; the RBAC kinds' in rbac.ts). Columns are data; each row function returns the cells in order.
 */
import type {
  ClusterRole,
  ClusterRoleBinding,
  ConfigMap,
  Container,
  ContainerStatus,
  DaemonSet,
  DaemonSetStatus,
  Deployment,
  DeploymentStatus,
  Endpoints,
  EndpointSlice,
  Event,
  Ingress,
  IngressClass,
  IngressRule,
  Kind,
  KindMap,
  KubeObject,
  Namespace,
  NetworkPolicy,
  Node,
  NodeSystemInfo,
  Pod,
  PodSpec,
  PodStatus,
  ReplicaSet,
  ReplicaSetStatus,
  Role,
  RoleBinding,
  Secret,
  ServiceAccount,
  Service,
  ServicePort,
  SliceEndpoint,
  SlicePort,
  StatefulSet,
} from '../../cluster/types';
import { humanDuration } from '../../cluster/clock';
import { formatLabels, formatLabelSelector, selectorString } from './labels';
import { ISTIO_TABLES } from '../istio/tables';
import { crdColumnsTable } from './crd-columns';
import { createdAt, subjectsStrings } from './rbac';

export interface PrintEnv {
  /** The virtual clock's now, in ms. */
  now: number;
}

/**
 * One kind's table. `row` is only called with objects of the kind it is registered for
 * in TABLES (tableFor looks it up by kind).
 */
export interface TableDef<T extends KubeObject = KubeObject> {
  columns: string[];
  /** Extra columns for -o wide (priority-1 columns in the server's table). */
  wide: string[];
  /** When priority-1 columns sit between the others (Event), the whole -o wide header. */
  wideAll?: string[];
  row(obj: T, env: PrintEnv, wide: boolean): string[];
}

/** printers.go translateTimestampSince */
export function translateTimestampSince(ts: string | null | undefined, now: number): string {
  if (!ts) return '<unknown>';
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now - t);
}

const n = (v: unknown): string => String(typeof v === 'number' ? v : 0);

/** layoutContainerCells: container names and images, comma-joined. */
function containerCells(containers: { name: string; image?: string }[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}

// ---- Pod ----------------------------------------------------------------------------------

function isRestartableInit(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

/** printPod's STATUS/READY/RESTARTS derivation. */
export function podSummary(pod: Pod, now: number): { ready: string; reason: string; restarts: string } {
  const spec: Partial<PodSpec> = pod.spec ?? {};
  const status: PodStatus = pod.status ?? {};
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestart = 0;
  let lastRestartableInitRestart = 0;
  const phase: string = status.phase ?? '';
  let reason: string = phase;
  if (status.reason) reason = status.reason;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const inits = new Map<string, Container>();
  for (const c of spec.initContainers ?? []) {
    inits.set(c.name, c);
    if (isRestartableInit(c)) totalContainers++;
  }
  let initializing = false;
  const initStatuses: ContainerStatus[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    restarts += cs.restartCount ?? 0;
    const lt = cs.lastState?.terminated?.finishedAt;
    if (lt && Date.parse(lt) > lastRestart) lastRestart = Date.parse(lt);
    if (isRestartableInit(inits.get(cs.name))) {
      restartableInitRestarts += cs.restartCount ?? 0;
      if (lt && Date.parse(lt) > lastRestartableInitRestart) lastRestartableInitRestart = Date.parse(lt);
    }
    const term = cs.state?.terminated;
    const wait = cs.state?.waiting;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (isRestartableInit(inits.get(cs.name)) && cs.started) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      else reason = 'Init:' + term.reason;
    } else if (wait && wait.reason && wait.reason !== 'PodInitializing') {
      reason = 'Init:' + wait.reason;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }
  const initializedTrue = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const css: ContainerStatus[] = status.containerStatuses ?? [];
    for (let i = css.length - 1; i >= 0; i--) {
      const cs = css[i];
      restarts += cs.restartCount ?? 0;
      const lt = cs.lastState?.terminated?.finishedAt;
      if (lt && Date.parse(lt) > lastRestart) lastRestart = Date.parse(lt);
      const st = cs.state ?? {};
      if (st.waiting && st.waiting.reason) reason = st.waiting.reason;
      else if (st.terminated && st.terminated.reason) reason = st.terminated.reason;
      else if (st.terminated) reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode ?? 0}`;
      else if (cs.ready && st.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCond = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = readyCond ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart > 0) restartsStr = `${restarts} (${humanDuration(now - lastRestart)} ago)`;
  return { ready: `${readyContainers}/${totalContainers}`, reason, restarts: restartsStr };
}

export function podIP(pod: Pod): string {
  const ips = pod.status?.podIPs;
  if (Array.isArray(ips) && ips.length > 0 && ips[0].ip) return ips[0].ip;
  return pod.status?.podIP ?? '';
}

const podTable: TableDef<Pod> = {
  columns: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
  wide: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
  row(pod, env, wide) {
    const s = podSummary(pod, env.now);
    const cells = [pod.metadata.name, s.ready, s.reason, s.restarts, translateTimestampSince(pod.metadata.creationTimestamp, env.now)];
    if (wide) {
      const gates = pod.spec?.readinessGates ?? [];
      let rg = '<none>';
      if (gates.length > 0) {
        let t = 0;
        for (const g of gates) {
          const c = (pod.status?.conditions ?? []).find((x) => x.type === g.conditionType);
          if (c && c.status === 'True') t++;
        }
        rg = `${t}/${gates.length}`;
      }
      cells.push(podIP(pod) || '<none>', pod.spec?.nodeName || '<none>', pod.status?.nominatedNodeName || '<none>', rg);
    }
    return cells;
  },
};

// ---- Service ------------------------------------------------------------------------------

const loadBalancerWidth = 16;

/** A Service's or an Ingress's status.loadBalancer (the two types share these fields). */
interface LoadBalancerAddresses {
  ingress?: { ip?: string; hostname?: string }[];
}

/** loadBalancerStatusStringer: a sorted set of ingress IPs/hostnames, cut at 16 chars unless wide. */
export function loadBalancerStatusStringer(lb: LoadBalancerAddresses | undefined, wide: boolean): string {
  const set = new Set<string>();
  for (const ing of lb?.ingress ?? []) {
    if (ing.ip) set.add(ing.ip);
    else if (ing.hostname) set.add(ing.hostname);
  }
  let r = [...set].sort().join(',');
  if (!wide && r.length > loadBalancerWidth) r = r.slice(0, loadBalancerWidth - 3) + '...';
  return r;
}

export function getServiceExternalIP(svc: Service, wide: boolean): string {
  const ext: string[] = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length > 0 ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lbIps = loadBalancerStatusStringer(svc.status?.loadBalancer, wide);
      if (ext.length > 0) {
        const res: string[] = [];
        if (lbIps.length > 0) res.push(...lbIps.split(','));
        res.push(...ext);
        return res.join(',');
      }
      return lbIps.length > 0 ? lbIps : '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
  }
  return '<unknown>';
}

/** makePortString: `80/TCP`, `80:30080/TCP`, comma-joined. */
export function makePortString(ports: ServicePort[] | undefined): string {
  return (ports ?? [])
    .map((p) => ((p.nodePort ?? 0) > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`))
    .join(',');
}

const serviceTable: TableDef<Service> = {
  columns: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
  wide: ['SELECTOR'],
  row(svc, env, wide) {
    const ips: string[] | undefined = svc.spec?.clusterIPs;
    const internal = ips && ips.length > 0 ? ips[0] : svc.spec?.clusterIP ? svc.spec.clusterIP : '<none>';
    const ports = makePortString(svc.spec?.ports) || '<none>';
    const cells = [svc.metadata.name, svc.spec?.type ?? 'ClusterIP', internal, getServiceExternalIP(svc, wide), ports, translateTimestampSince(svc.metadata.creationTimestamp, env.now)];
    if (wide) cells.push(formatLabels(svc.spec?.selector));
    return cells;
  },
};

// ---- Endpoints / EndpointSlice ------------------------------------------------------------

function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** formatEndpoints(endpoints, nil): up to 3 `ip:port`, then ` + N more...`. */
export function formatEndpoints(ep: Endpoints, ports?: Set<string>): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    const sp = ss.ports ?? [];
    if (sp.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of sp) {
      if (!ports || ports.has(port.name ?? '')) {
        count += addrs.length;
        for (const a of addrs) {
          if (list.length === max) {
            more = true;
            break;
          }
          list.push(joinHostPort(a.ip, port.port));
        }
      }
    }
  }
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<none>' : ret;
}

/** listWithMoreString */
function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

export function formatDiscoveryPorts(ports: SlicePort[] | undefined): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const p of ports ?? []) {
    if (list.length < max) {
      let s = '*';
      if (p.port !== undefined && p.port !== null) s = String(p.port);
      else if (p.name !== undefined && p.name !== null) s = p.name;
      list.push(s);
    } else if (list.length === max) more = true;
    count++;
  }
  return listWithMore(list, more, count, max);
}

export function formatDiscoveryEndpoints(endpoints: SliceEndpoint[] | null | undefined): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const e of endpoints ?? []) {
    for (const a of e.addresses ?? []) {
      if (list.length < max) list.push(a);
      else if (list.length === max) more = true;
      count++;
    }
  }
  return listWithMore(list, more, count, max);
}

const endpointsTable: TableDef<Endpoints> = {
  columns: ['NAME', 'ENDPOINTS', 'AGE'],
  wide: [],
  row: (ep, env) => [ep.metadata.name, formatEndpoints(ep), translateTimestampSince(ep.metadata.creationTimestamp, env.now)],
};

const endpointSliceTable: TableDef<EndpointSlice> = {
  columns: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
  wide: [],
  row: (s, env) => [s.metadata.name, s.addressType ?? '', formatDiscoveryPorts(s.ports), formatDiscoveryEndpoints(s.endpoints), translateTimestampSince(s.metadata.creationTimestamp, env.now)],
};

// ---- Ingress / IngressClass / NetworkPolicy -----------------------------------------------

function formatHosts(rules: IngressRule[] | undefined): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  const rs = rules ?? [];
  for (const r of rs) {
    if (list.length === max) more = true;
    if (!more && r.host) list.push(r.host);
  }
  if (list.length === 0) return '*';
  const ret = list.join(',');
  if (more) return `${ret} + ${rs.length - max} more...`;
  return ret;
}

const ingressTable: TableDef<Ingress> = {
  columns: ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
  wide: [],
  row: (ing, env, wide) => [
    ing.metadata.name,
    ing.spec?.ingressClassName ?? '<none>',
    formatHosts(ing.spec?.rules),
    loadBalancerStatusStringer(ing.status?.loadBalancer, wide),
    (ing.spec?.tls ?? []).length !== 0 ? '80, 443' : '80',
    translateTimestampSince(ing.metadata.creationTimestamp, env.now),
  ],
};

const ingressClassTable: TableDef<IngressClass> = {
  columns: ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE'],
  wide: [],
  row(ic, env) {
    let params = '<none>';
    const p = ic.spec?.parameters;
    if (p) {
      let kind = p.kind;
      if (p.apiGroup) kind = `${kind}.${p.apiGroup}`;
      params = `${kind}/${p.name}`;
    }
    return [ic.metadata.name, ic.spec?.controller ?? '', params, translateTimestampSince(ic.metadata.creationTimestamp, env.now)];
  },
};

const networkPolicyTable: TableDef<NetworkPolicy> = {
  columns: ['NAME', 'POD-SELECTOR', 'AGE'],
  wide: [],
  row: (np, env) => [np.metadata.name, formatLabelSelector(np.spec?.podSelector), translateTimestampSince(np.metadata.creationTimestamp, env.now)],
};

// ---- Node / Namespace / ConfigMap / Secret ------------------------------------------------

export function findNodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

export function nodeStatus(node: Node): string {
  const status: string[] = [];
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeAddress(node: Node, type: string): string {
  const a = (node.status?.addresses ?? []).find((x) => x.type === type);
  return a ? a.address : '<none>';
}

const nodeTable: TableDef<Node> = {
  columns: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
  wide: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
  row(node, env, wide) {
    const info: Partial<NodeSystemInfo> = node.status?.nodeInfo ?? {};
    const cells = [node.metadata.name, nodeStatus(node), findNodeRoles(node).join(',') || '<none>', translateTimestampSince(node.metadata.creationTimestamp, env.now), info.kubeletVersion ?? ''];
    if (wide) {
      cells.push(nodeAddress(node, 'InternalIP'), nodeAddress(node, 'ExternalIP'), info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>');
    }
    return cells;
  },
};

const namespaceTable: TableDef<Namespace> = {
  columns: ['NAME', 'STATUS', 'AGE'],
  wide: [],
  row: (ns, env) => [ns.metadata.name, ns.status?.phase ?? '', translateTimestampSince(ns.metadata.creationTimestamp, env.now)],
};

const configMapTable: TableDef<ConfigMap> = {
  columns: ['NAME', 'DATA', 'AGE'],
  wide: [],
  row: (cm, env) => [cm.metadata.name, String(Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length), translateTimestampSince(cm.metadata.creationTimestamp, env.now)],
};

const secretTable: TableDef<Secret> = {
  columns: ['NAME', 'TYPE', 'DATA', 'AGE'],
  wide: [],
  row: (s, env) => [s.metadata.name, s.type ?? 'Opaque', String(Object.keys(s.data ?? {}).length), translateTimestampSince(s.metadata.creationTimestamp, env.now)],
};

/** printServiceAccount: the number of (legacy token) Secrets listed in .secrets. */
const serviceAccountTable: TableDef<ServiceAccount> = {
  columns: ['NAME', 'SECRETS', 'AGE'],
  wide: [],
  row: (sa, env) => [sa.metadata.name, String((sa.secrets ?? []).length), translateTimestampSince(sa.metadata.creationTimestamp, env.now)],
};

// ---- workloads ----------------------------------------------------------------------------

const deploymentTable: TableDef<Deployment> = {
  columns: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(d, env, wide) {
    const st: DeploymentStatus = d.status ?? {};
    const desired = d.spec?.replicas ?? 1;
    const cells = [d.metadata.name, `${st.readyReplicas ?? 0}/${desired}`, n(st.updatedReplicas), n(st.availableReplicas), translateTimestampSince(d.metadata.creationTimestamp, env.now)];
    if (wide) cells.push(...containerCells(d.spec?.template?.spec?.containers), selectorString(d.spec?.selector));
    return cells;
  },
};

const replicaSetTable: TableDef<ReplicaSet> = {
  columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(rs, env, wide) {
    const st: Partial<ReplicaSetStatus> = rs.status ?? {};
    const cells = [rs.metadata.name, String(rs.spec?.replicas ?? 1), n(st.replicas), n(st.readyReplicas), translateTimestampSince(rs.metadata.creationTimestamp, env.now)];
    if (wide) cells.push(...containerCells(rs.spec?.template?.spec?.containers), selectorString(rs.spec?.selector));
    return cells;
  },
};

const daemonSetTable: TableDef<DaemonSet> = {
  columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(ds, env, wide) {
    const st: Partial<DaemonSetStatus> = ds.status ?? {};
    const cells = [
      ds.metadata.name,
      n(st.desiredNumberScheduled),
      n(st.currentNumberScheduled),
      n(st.numberReady),
      n(st.updatedNumberScheduled),
      n(st.numberAvailable),
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      translateTimestampSince(ds.metadata.creationTimestamp, env.now),
    ];
    if (wide) cells.push(...containerCells(ds.spec?.template?.spec?.containers), selectorString(ds.spec?.selector));
    return cells;
  },
};

const statefulSetTable: TableDef<StatefulSet> = {
  columns: ['NAME', 'READY', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES'],
  row(ss, env, wide) {
    const cells = [ss.metadata.name, `${ss.status?.readyReplicas ?? 0}/${ss.spec?.replicas ?? 1}`, translateTimestampSince(ss.metadata.creationTimestamp, env.now)];
    if (wide) cells.push(...containerCells(ss.spec?.template?.spec?.containers));
    return cells;
  },
};

// ---- Event --------------------------------------------------------------------------------

/** printEvent: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE (wide adds SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME). */
/**
 * An Event's `reportingController` key. kubectl's printer reads the Go field
 * ReportingController, whose JSON name is reportingComponent; this port also honours a
 * literal reportingController key, which the core/v1 type does not declare.
 */
export function reportingControllerOf(e: Event): unknown {
  return 'reportingController' in e ? e.reportingController : undefined;
}

const eventTable: TableDef<Event> = {
  columns: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
  wide: [],
  wideAll: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'],
  row(e, env, wide) {
    const first = e.firstTimestamp ? translateTimestampSince(e.firstTimestamp, env.now) : translateTimestampSince(e.eventTime, env.now);
    let last = e.lastTimestamp ? translateTimestampSince(e.lastTimestamp, env.now) : first;
    let count: number | undefined = e.count ?? 0;
    if (e.series) {
      last = translateTimestampSince(e.series.lastObservedTime, env.now);
      count = e.series.count;
    } else if (count === 0) count = 1;
    const io = e.involvedObject ?? {};
    const target = io.name ? `${String(io.kind ?? '').toLowerCase()}/${io.name}` : String(io.kind ?? '').toLowerCase();
    const message = String(e.message ?? '').trim();
    if (!wide) return [last, e.type ?? '', e.reason ?? '', target, message];
    const component = e.source?.component || reportingControllerOf(e) || e.reportingComponent || '';
    const instance = e.source?.host || e.reportingInstance || '';
    const source = instance ? `${component}, ${instance}` : String(component);
    return [last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', source, message, first, String(count), e.metadata.name];
  },
};

// ---- RBAC ---------------------------------------------------------------------------------

/** printRole / printClusterRole: NAME, CREATED AT (RFC 3339, UTC). */
const roleTable: TableDef<Role | ClusterRole> = {
  columns: ['NAME', 'CREATED AT'],
  wide: [],
  row: (r) => [r.metadata.name, createdAt(r.metadata.creationTimestamp)],
};

/** printRoleBinding / printClusterRoleBinding: NAME, ROLE (`Kind/name`), AGE; -o wide adds the subjects. */
const roleBindingTable: TableDef<RoleBinding | ClusterRoleBinding> = {
  columns: ['NAME', 'ROLE', 'AGE'],
  wide: ['USERS', 'GROUPS', 'SERVICEACCOUNTS'],
  row(b, env, wide) {
    const cells = [b.metadata.name, `${b.roleRef.kind}/${b.roleRef.name}`, translateTimestampSince(b.metadata.creationTimestamp, env.now)];
    if (wide) cells.push(...subjectsStrings(b.subjects).map((xs) => xs.join(', ')));
    return cells;
  },
};

/** The default table for kinds without a handler (kubectl's NAME/AGE fallback). */
export const defaultTable: TableDef = {
  columns: ['NAME', 'AGE'],
  wide: [],
  row: (o, env) => [o.metadata.name, translateTimestampSince(o.metadata.creationTimestamp, env.now)],
};

const BY_KIND: { [K in Kind]: TableDef<KindMap[K]> } = {
  Pod: podTable,
  Service: serviceTable,
  Endpoints: endpointsTable,
  EndpointSlice: endpointSliceTable,
  Ingress: ingressTable,
  IngressClass: ingressClassTable,
  NetworkPolicy: networkPolicyTable,
  Node: nodeTable,
  Namespace: namespaceTable,
  ConfigMap: configMapTable,
  Secret: secretTable,
  ServiceAccount: serviceAccountTable,
  Deployment: deploymentTable,
  ReplicaSet: replicaSetTable,
  DaemonSet: daemonSetTable,
  StatefulSet: statefulSetTable,
  Event: eventTable,
  Role: roleTable,
  ClusterRole: roleTable,
  RoleBinding: roleBindingTable,
  ClusterRoleBinding: roleBindingTable,
};

/** CiliumNetworkPolicy's additionalPrinterColumns (pkg/k8s/apis/cilium.io/v2 types.go): Age, then Valid from status.conditions. */
const ciliumNetworkPolicyTable: TableDef = {
  columns: ['NAME', 'AGE', 'VALID'],
  wide: [],
  row: (p, env) => [p.metadata.name, translateTimestampSince(p.metadata.creationTimestamp, env.now), ((p.status?.conditions ?? []) as { type: string; status: string }[]).find((c) => c.type === 'Valid')?.status ?? '<none>'],
};

/** printComponentStatus: the Healthy condition's status, message and error; no AGE. */
const componentStatusTable: TableDef = {
  columns: ['NAME', 'STATUS', 'MESSAGE', 'ERROR'],
  wide: [],
  row(cs) {
    const cond = ((cs.conditions ?? []) as { type?: string; status?: string; message?: string; error?: string }[]).find((c) => c.type === 'Healthy');
    const status = !cond ? 'Unknown' : cond.status === 'True' ? 'Healthy' : 'Unhealthy';
    return [cs.metadata.name, status, cond?.message ?? '', cond?.error ?? ''];
  },
};

/** printers.go printLease: Name, Holder (empty when unset), Age. */
const leaseTable: TableDef = {
  columns: ['NAME', 'HOLDER', 'AGE'],
  wide: [],
  row: (l, env) => [l.metadata.name, typeof l.spec?.holderIdentity === 'string' ? l.spec.holderIdentity : '', translateTimestampSince(l.metadata.creationTimestamp, env.now)],
};

/** The tables by kind; a kind's `row` takes that kind (method parameters are checked bivariantly, so each fits TableDef). */
export const TABLES: Record<string, TableDef> = { ...BY_KIND, ComponentStatus: componentStatusTable, Lease: leaseTable, CiliumNetworkPolicy: ciliumNetworkPolicyTable, ...ISTIO_TABLES };

export function tableFor(kind: string): TableDef {
  return TABLES[kind] ?? crdColumnsTable(kind) ?? defaultTable;
}
