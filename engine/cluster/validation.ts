/**
 * API validation and defaulting, with the API server's messages.
 *
 * Sources (kubernetes/kubernetes): pkg/apis/core/validation/validation.go (ValidatePod,
 * ValidateService, validateServicePort, ValidatePodTemplateSpec), pkg/apis/apps/validation
 * (ValidateDeploymentSpec, ValidatePodTemplateSpecForReplicaSet), pkg/apis/networking/
 * validation (ValidateNetworkPolicySpec, ValidateIPBlock, validateHTTPIngressPath,
 * validateIngressBackend), apimachinery pkg/util/validation (IsDNS1123Subdomain,
 * IsDNS1035Label, IsValidPortName, IsValidLabelValue), and the defaulters in
 * pkg/apis/{core,apps,networking}/v1/defaults.go plus the registry strategies (PrepareForCreate).
 */
import ipaddr from 'ipaddr.js';
import type { Cluster } from './cluster';
import type { KubeObject } from './types';
import { fe, go, goLabelSelector, goQuote, type FieldError } from './fielderrors';
import { matchesSelector, type LabelSelector } from './labels';
import { canonicalJson } from './hash';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// ---- apimachinery name and value checks ---------------------------------------------

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let s = msg + ' (e.g. ';
  examples.forEach((e, i) => {
    if (i > 0) s += ' or ';
    s += `'${e}', `;
  });
  return s + `regex used for validation is '${fmt}')`;
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + '(\\.' + DNS1123_LABEL_FMT + ')*';
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_RE = new RegExp('^' + DNS1123_LABEL_FMT + '$');
const DNS1123_SUBDOMAIN_RE = new RegExp('^' + DNS1123_SUBDOMAIN_FMT + '$');
const DNS1035_LABEL_RE = new RegExp('^' + DNS1035_LABEL_FMT + '$');
const WILDCARD_FMT = '\\*\\.' + DNS1123_SUBDOMAIN_FMT;
const WILDCARD_RE = new RegExp('^' + WILDCARD_FMT + '$');

export function isDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1123_LABEL_RE.test(v)) {
    errs.push(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN_RE.test(v)) {
    errs.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1035_LABEL_RE.test(v)) {
    errs.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  }
  return errs;
}

function isWildcardDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push('must be no more than 253 characters');
  if (!WILDCARD_RE.test(v)) {
    errs.push(regexError("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character", WILDCARD_FMT, '*.example.com'));
  }
  return errs;
}

export function isValidPortNum(p: number): string[] {
  return Number.isInteger(p) && p >= 1 && p <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** IANA_SVC_NAME (named container ports, named targetPorts). */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port[0] === '-' || port[port.length - 1] === '-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

const LABEL_VALUE_FMT = '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?';
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';

function isValidLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!new RegExp('^' + LABEL_VALUE_FMT + '$').test(v)) {
    errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

function isQualifiedName(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  let name = v;
  if (parts.length === 2) {
    const [prefix, n] = parts;
    name = n;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push('prefix part ' + m);
  } else if (parts.length > 2) {
    return [regexError("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc') + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !new RegExp('^' + QUALIFIED_NAME_FMT + '$').test(name)) {
    errs.push('name part ' + regexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc'));
  }
  return errs;
}

function validateLabels(labels: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (labels === undefined || labels === null) return errs;
  if (typeof labels !== 'object' || Array.isArray(labels)) return [fe.invalid(field, go.any(labels), 'must be a map of string keys to string values')];
  for (const [k, v] of Object.entries(labels as Obj)) {
    for (const m of isQualifiedName(k)) errs.push(fe.invalid(field, go.str(k), m));
    for (const m of isValidLabelValue(String(v ?? ''))) errs.push(fe.invalid(field, go.str(String(v ?? '')), m));
  }
  return errs;
}

function validateLabelSelector(sel: LabelSelector | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!sel) return errs;
  (sel.matchExpressions ?? []).forEach((r, i) => {
    const p = `${field}.matchExpressions[${i}]`;
    switch (r.operator) {
      case 'In':
      case 'NotIn':
        if (!r.values || r.values.length === 0) errs.push(fe.required(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (r.values && r.values.length > 0) errs.push(fe.forbidden(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
        break;
      default:
        errs.push(fe.invalid(`${p}.operator`, go.str(String(r.operator)), 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(String(r.key ?? ''))) errs.push(fe.invalid(`${p}.key`, go.str(String(r.key ?? '')), m));
  });
  errs.push(...validateLabels(sel.matchLabels, `${field}.matchLabels`));
  return errs;
}

const IPV4_RE = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** A dotted-quad IPv4 address (no leading zeros, each part ≤ 255), as netip.ParseAddr accepts. */
export function isIPv4(s: string): boolean {
  const m = IPV4_RE.exec(s);
  return !!m && +m[1] <= 255 && +m[2] <= 255 && +m[3] <= 255 && +m[4] <= 255;
}

export function isIP(s: string): boolean {
  return isIPv4(s) || (s.includes(':') && ipaddr.IPv6.isValid(s));
}

export function isCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || !isIP(ip)) return false;
  return Number(bits) <= (isIPv4(ip) ? 32 : 128);
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
}

// ---- object metadata -----------------------------------------------------------------

type NameCheck = (v: string) => string[];

const NAME_CHECK: Record<string, NameCheck> = {
  Namespace: isDNS1123Label,
  Service: isDNS1035Label,
};

function validateMeta(obj: KubeObject, errs: FieldError[]): void {
  const m = obj.metadata;
  if (!m.name) {
    errs.push(fe.required('metadata.name', 'name or generateName is required'));
  } else {
    const check = NAME_CHECK[obj.kind] ?? isDNS1123Subdomain;
    for (const msg of check(m.name)) errs.push(fe.invalid('metadata.name', go.str(m.name), msg));
  }
  errs.push(...validateLabels(m.labels, 'metadata.labels'));
  if (m.annotations !== undefined && (typeof m.annotations !== 'object' || Array.isArray(m.annotations))) {
    errs.push(fe.invalid('metadata.annotations', go.any(m.annotations), 'must be a map of string keys to string values'));
  }
}

// ---- defaulting ----------------------------------------------------------------------

/** k8s.io/kubernetes/pkg/apis/core/v1/defaults.go SetDefaults_Container + registry: imagePullPolicy. */
function defaultPullPolicy(image: string): string {
  const ref = image.includes('@') ? image.slice(0, image.indexOf('@')) : image;
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', lastSlash + 1);
  if (image.includes('@')) return 'IfNotPresent';
  if (colon < 0) return 'Always';
  return ref.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Obj | undefined): void {
  if (!p || typeof p !== 'object') return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet && typeof p.httpGet === 'object') p.httpGet.scheme ??= 'HTTP';
}

function defaultContainer(c: Obj): void {
  if (!c || typeof c !== 'object') return;
  if (typeof c.image === 'string' && c.image) c.imagePullPolicy ??= defaultPullPolicy(c.image);
  if (Array.isArray(c.ports)) for (const p of c.ports) if (p && typeof p === 'object') p.protocol ??= 'TCP';
  c.resources ??= {};
  if (c.resources.limits && typeof c.resources.limits === 'object') {
    // SetDefaults_ResourceRequirements: requests default to limits
    c.resources.requests = { ...c.resources.limits, ...(c.resources.requests ?? {}) };
  }
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  defaultProbe(c.readinessProbe);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.startupProbe);
  if (Array.isArray(c.env)) {
    for (const e of c.env) {
      if (e?.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
    }
  }
}

/** SetDefaults_PodSpec (shared by Pods and pod templates). */
function defaultPodSpec(spec: Obj): void {
  if (!spec || typeof spec !== 'object') return;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  if (spec.hostNetwork) {
    // SetDefaults_PodSpec: host-network pods default container ports' hostPort to containerPort
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const p of c?.ports ?? []) if (p && p.hostPort === undefined && p.containerPort !== undefined) p.hostPort = p.containerPort;
    }
  }
  if (Array.isArray(spec.containers)) spec.containers.forEach(defaultContainer);
  if (Array.isArray(spec.initContainers)) spec.initContainers.forEach(defaultContainer);
  if (Array.isArray(spec.volumes)) {
    for (const v of spec.volumes) {
      if (v?.configMap) v.configMap.defaultMode ??= 420;
      if (v?.secret) v.secret.defaultMode ??= 420;
      if (v?.projected) v.projected.defaultMode ??= 420;
    }
  }
}

function qosClass(spec: Obj): string {
  const containers: Obj[] = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || String(req[r] ?? lim[r]) !== String(lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function defaultServicePorts(spec: Obj): void {
  if (!Array.isArray(spec.ports)) return;
  for (const p of spec.ports) {
    if (!p || typeof p !== 'object') continue;
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
    else if (typeof p.targetPort === 'string' && /^\d+$/.test(p.targetPort)) p.targetPort = Number(p.targetPort);
  }
}

function externallyAccessible(type: string): boolean {
  return type === 'NodePort' || type === 'LoadBalancer';
}

/**
 * Defaults a manifest the way the API server does before validation: the versioned
 * defaulters plus each registry strategy's PrepareForCreate/PrepareForUpdate. Writes
 * into `obj`.
 */
export function defaultObject(sim: Cluster, obj: KubeObject, old: KubeObject | undefined): void {
  const spec = (obj.spec && typeof obj.spec === 'object' ? obj.spec : undefined) as Obj | undefined;
  switch (obj.kind) {
    case 'Namespace': {
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      obj.spec = { finalizers: ['kubernetes'], ...(spec ?? {}) };
      obj.status = old?.status ?? { phase: 'Active' };
      break;
    }
    case 'Pod': {
      obj.spec ??= {};
      const s = obj.spec as Obj;
      const mirror = obj.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined;
      if (!old && !mirror) {
        // ServiceAccount admission: the default service account and its token volume
        s.serviceAccountName ??= s.serviceAccount ?? 'default';
        s.serviceAccount = s.serviceAccountName;
      }
      if (!old) {
        if (!mirror && s.automountServiceAccountToken !== false && Array.isArray(s.containers)) {
          s.volumes = Array.isArray(s.volumes) ? s.volumes : [];
          let vol = s.volumes.find((v: Obj) => typeof v?.name === 'string' && v.name.startsWith('kube-api-access-'));
          if (!vol) {
            vol = serviceAccountVolume(`kube-api-access-${sim.rng.kubeString(5)}`);
            s.volumes.push(vol);
          }
          for (const c of [...(s.initContainers ?? []), ...s.containers]) {
            if (!c || typeof c !== 'object') continue;
            c.volumeMounts = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
            if (!c.volumeMounts.some((m: Obj) => m?.mountPath === '/var/run/secrets/kubernetes.io/serviceaccount')) {
              c.volumeMounts.push({ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: vol.name, readOnly: true });
            }
          }
        }
        // DefaultTolerationSeconds admission
        s.tolerations = Array.isArray(s.tolerations) ? s.tolerations : [];
        for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
          if (!s.tolerations.some((t: Obj) => (t?.key === key || !t?.key) && (t.effect === 'NoExecute' || !t.effect))) {
            s.tolerations.push({ effect: 'NoExecute', key, operator: 'Exists', tolerationSeconds: 300 });
          }
        }
        s.enableServiceLinks ??= true;
        s.preemptionPolicy ??= 'PreemptLowerPriority';
        // Priority admission: the built-in classes
        s.priority ??= s.priorityClassName === 'system-node-critical' ? 2000001000 : s.priorityClassName === 'system-cluster-critical' ? 2000000000 : 0;
      }
      defaultPodSpec(s);
      if (!old) {
        // podStrategy.PrepareForCreate: status is the server's
        const pinned = obj.status;
        obj.status = { phase: 'Pending', qosClass: qosClass(s) };
        if (pinned && typeof pinned === 'object') obj.status = { ...obj.status, ...(pinned as Obj) };
      } else {
        obj.status = old.status;
      }
      break;
    }
    case 'Service': {
      obj.spec ??= {};
      const s = obj.spec as Obj;
      s.type ??= 'ClusterIP';
      if (old && old.spec?.type !== 'ExternalName' && s.type === 'ExternalName') {
        // dropTypeDependentFields: leaving ClusterIP behind releases the IPs it held
        const same = (s.clusterIP === undefined || s.clusterIP === old.spec?.clusterIP) && (s.clusterIPs === undefined || JSON.stringify(s.clusterIPs) === JSON.stringify(old.spec?.clusterIPs));
        if (same) {
          delete s.clusterIP;
          delete s.clusterIPs;
          delete s.ipFamilies;
          delete s.ipFamilyPolicy;
        }
        for (const p of Array.isArray(s.ports) ? s.ports : []) if (p && old.spec?.ports?.some((o: Obj) => o.nodePort === p.nodePort)) delete p.nodePort;
        if (s.externalTrafficPolicy === old.spec?.externalTrafficPolicy) delete s.externalTrafficPolicy;
        if (s.internalTrafficPolicy === old.spec?.internalTrafficPolicy) delete s.internalTrafficPolicy;
      }
      s.sessionAffinity ??= 'None';
      if (s.sessionAffinity === 'ClientIP') {
        s.sessionAffinityConfig ??= { clientIP: { timeoutSeconds: 10800 } };
        s.sessionAffinityConfig.clientIP ??= { timeoutSeconds: 10800 };
        s.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
      }
      defaultServicePorts(s);
      if (s.type !== 'ExternalName') {
        s.internalTrafficPolicy ??= 'Cluster';
        if (s.clusterIP !== undefined && (!Array.isArray(s.clusterIPs) || s.clusterIPs.length === 0)) s.clusterIPs = s.clusterIP ? [s.clusterIP] : undefined;
        if (old && s.clusterIP === undefined && s.clusterIPs === undefined) {
          // an update that omits clusterIP keeps the allocated one (PrepareForUpdate)
          s.clusterIP = old.spec?.clusterIP;
          s.clusterIPs = old.spec?.clusterIPs;
        }
        if (old && typeof s.clusterIP === 'string' && Array.isArray(s.clusterIPs) && s.clusterIPs[0] !== s.clusterIP && old.spec?.clusterIPs?.[0] === s.clusterIPs[0]) {
          s.clusterIPs = [s.clusterIP, ...s.clusterIPs.slice(1)];
        }
        if (s.clusterIP !== 'None') {
          s.ipFamilies ??= ['IPv4'];
          s.ipFamilyPolicy ??= 'SingleStack';
        } else {
          s.ipFamilies ??= ['IPv4'];
          s.ipFamilyPolicy ??= 'SingleStack';
        }
      } else {
        delete s.internalTrafficPolicy;
      }
      if (externallyAccessible(s.type)) {
        s.externalTrafficPolicy ??= 'Cluster';
        if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true;
        if (old && Array.isArray(s.ports)) {
          // keep allocated nodePorts on update when the manifest omits them
          const oldPorts: Obj[] = old.spec?.ports ?? [];
          for (const p of s.ports) {
            if (p && !p.nodePort) {
              const match = oldPorts.find((o) => o.nodePort && ((p.name && o.name === p.name) || (o.port === p.port && o.protocol === p.protocol)));
              if (match) p.nodePort = match.nodePort;
            }
          }
        }
      } else if (old && externallyAccessible(old.spec?.type) && Array.isArray(s.ports)) {
        // dropTypeDependentFields: leaving NodePort/LoadBalancer releases node ports
        for (const p of s.ports) if (p && old.spec.ports?.some((o: Obj) => o.nodePort === p.nodePort)) delete p.nodePort;
        if (s.externalTrafficPolicy === old.spec.externalTrafficPolicy) delete s.externalTrafficPolicy;
      }
      obj.status = old?.status ?? { loadBalancer: {} };
      if (old && old.spec?.type === 'LoadBalancer' && s.type !== 'LoadBalancer') obj.status = { loadBalancer: {} };
      break;
    }
    case 'Deployment': {
      obj.spec ??= {};
      const s = obj.spec as Obj;
      s.replicas ??= 1;
      s.revisionHistoryLimit ??= 10;
      s.progressDeadlineSeconds ??= 600;
      s.strategy ??= { type: 'RollingUpdate' };
      s.strategy.type ??= 'RollingUpdate';
      if (s.strategy.type === 'RollingUpdate') {
        s.strategy.rollingUpdate ??= {};
        s.strategy.rollingUpdate.maxSurge ??= '25%';
        s.strategy.rollingUpdate.maxUnavailable ??= '25%';
      }
      defaultTemplate(s);
      obj.status = old?.status ?? {};
      break;
    }
    case 'ReplicaSet': {
      obj.spec ??= {};
      const s = obj.spec as Obj;
      s.replicas ??= 1;
      defaultTemplate(s);
      obj.status = old?.status ?? { replicas: 0 };
      break;
    }
    case 'StatefulSet': {
      obj.spec ??= {};
      const s = obj.spec as Obj;
      s.replicas ??= 1;
      s.podManagementPolicy ??= 'OrderedReady';
      s.revisionHistoryLimit ??= 10;
      s.updateStrategy ??= { type: 'RollingUpdate' };
      if (s.updateStrategy.type === 'RollingUpdate') s.updateStrategy.rollingUpdate ??= { partition: 0 };
      s.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      defaultTemplate(s);
      obj.status = old?.status ?? { replicas: 0, availableReplicas: 0 };
      break;
    }
    case 'DaemonSet': {
      obj.spec ??= {};
      const s = obj.spec as Obj;
      s.revisionHistoryLimit ??= 10;
      s.updateStrategy ??= { type: 'RollingUpdate' };
      if (s.updateStrategy.type === 'RollingUpdate') {
        s.updateStrategy.rollingUpdate ??= {};
        s.updateStrategy.rollingUpdate.maxSurge ??= 0;
        s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
      }
      defaultTemplate(s);
      obj.status = old?.status ?? { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
      break;
    }
    case 'NetworkPolicy': {
      obj.spec ??= {};
      const s = obj.spec as Obj;
      s.podSelector ??= {};
      for (const dir of ['ingress', 'egress']) {
        if (!Array.isArray(s[dir])) continue;
        for (const rule of s[dir]) for (const p of rule?.ports ?? []) if (p && typeof p === 'object') p.protocol ??= 'TCP';
      }
      if (!Array.isArray(s.policyTypes) || s.policyTypes.length === 0) {
        s.policyTypes = ['Ingress'];
        if (Array.isArray(s.egress) && s.egress.length > 0) s.policyTypes.push('Egress');
      }
      break;
    }
    case 'Ingress': {
      obj.status = old?.status ?? { loadBalancer: {} };
      break;
    }
    case 'Secret': {
      obj.type ??= 'Opaque';
      break;
    }
    case 'Endpoints': {
      for (const sub of obj.subsets ?? []) for (const p of sub?.ports ?? []) if (p) p.protocol ??= 'TCP';
      break;
    }
    case 'EndpointSlice': {
      for (const p of obj.ports ?? []) if (p) p.protocol ??= 'TCP';
      break;
    }
    case 'Node': {
      obj.status ??= {};
      break;
    }
  }
}

function defaultTemplate(s: Obj): void {
  if (s.template && typeof s.template === 'object') {
    s.template.metadata ??= {};
    s.template.metadata.creationTimestamp ??= null;
    s.template.spec ??= {};
    defaultPodSpec(s.template.spec);
  }
}

function serviceAccountVolume(name: string): Obj {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
      ],
    },
  };
}

// ---- validation ----------------------------------------------------------------------

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateContainers(containers: unknown, path: string, errs: FieldError[], hostNetwork: boolean): void {
  if (!Array.isArray(containers) || containers.length === 0) {
    errs.push(fe.required(path, ''));
    return;
  }
  const names = new Set<string>();
  containers.forEach((c: Obj, i) => {
    const p = `${path}[${i}]`;
    if (!c || typeof c !== 'object') {
      errs.push(fe.required(`${p}.name`, ''));
      return;
    }
    if (!c.name) errs.push(fe.required(`${p}.name`, ''));
    else {
      for (const m of isDNS1123Label(String(c.name))) errs.push(fe.invalid(`${p}.name`, go.str(String(c.name)), m));
      if (names.has(c.name)) errs.push(fe.duplicate(`${p}.name`, go.str(c.name)));
      names.add(c.name);
    }
    if (!c.image) errs.push(fe.required(`${p}.image`, ''));
    if (c.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)) {
      errs.push(fe.notSupported(`${p}.imagePullPolicy`, go.str(String(c.imagePullPolicy)), ['Always', 'IfNotPresent', 'Never']));
    }
    const portNames = new Set<string>();
    if (c.ports !== undefined && !Array.isArray(c.ports)) errs.push(fe.invalid(`${p}.ports`, go.any(c.ports), 'must be a list'));
    (Array.isArray(c.ports) ? c.ports : []).forEach((port: Obj, j: number) => {
      const pp = `${p}.ports[${j}]`;
      if (port?.name) {
        for (const m of isValidPortName(String(port.name))) errs.push(fe.invalid(`${pp}.name`, go.str(String(port.name)), m));
        if (portNames.has(port.name)) errs.push(fe.duplicate(`${pp}.name`, go.str(port.name)));
        portNames.add(port.name);
      }
      const cp = num(port?.containerPort);
      if (!port?.containerPort) errs.push(fe.required(`${pp}.containerPort`, ''));
      else for (const m of isValidPortNum(cp)) errs.push(fe.invalid(`${pp}.containerPort`, go.any(port.containerPort), m));
      if (port?.hostPort) for (const m of isValidPortNum(num(port.hostPort))) errs.push(fe.invalid(`${pp}.hostPort`, go.any(port.hostPort), m));
      if (hostNetwork && port?.hostPort && port.hostPort !== port.containerPort) {
        errs.push(fe.invalid(`${pp}.containerPort`, go.any(port.containerPort), 'must match `hostPort` when `hostNetwork` is true'));
      }
      if (!port?.protocol) errs.push(fe.required(`${pp}.protocol`, ''));
      else if (!PROTOCOLS.includes(port.protocol)) errs.push(fe.notSupported(`${pp}.protocol`, go.str(String(port.protocol)), PROTOCOLS));
    });
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      const pr = c[probe];
      if (!pr) continue;
      const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => pr[h]);
      if (handlers.length === 0) errs.push(fe.required(`${p}.${probe}`, 'must specify a handler type'));
      else if (handlers.length > 1) errs.push(fe.forbidden(`${p}.${probe}.${handlers[1]}`, 'may not specify more than 1 handler type'));
      const hp = pr.httpGet?.port ?? pr.tcpSocket?.port;
      if (hp !== undefined) {
        if (typeof hp === 'number') for (const m of isValidPortNum(hp)) errs.push(fe.invalid(`${p}.${probe}.${pr.httpGet ? 'httpGet' : 'tcpSocket'}.port`, go.int(hp), m));
        else for (const m of isValidPortName(String(hp))) errs.push(fe.invalid(`${p}.${probe}.${pr.httpGet ? 'httpGet' : 'tcpSocket'}.port`, go.str(String(hp)), m));
      }
    }
  });
}

function validatePodSpec(spec: Obj | undefined, path: string, errs: FieldError[]): void {
  if (!spec || typeof spec !== 'object') {
    errs.push(fe.required(`${path}.containers`, ''));
    return;
  }
  validateContainers(spec.containers, `${path}.containers`, errs, !!spec.hostNetwork);
  if (spec.initContainers !== undefined) {
    if (Array.isArray(spec.initContainers) && spec.initContainers.length > 0) validateContainers(spec.initContainers, `${path}.initContainers`, errs, !!spec.hostNetwork);
  }
  const rp = spec.restartPolicy;
  if (rp === '') errs.push(fe.required(`${path}.restartPolicy`, ''));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) errs.push(fe.notSupported(`${path}.restartPolicy`, go.str(String(rp)), ['Always', 'OnFailure', 'Never']));
  const dp = spec.dnsPolicy;
  if (!['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'].includes(dp)) {
    errs.push(fe.notSupported(`${path}.dnsPolicy`, go.str(String(dp)), ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']));
  }
  const dc = spec.dnsConfig;
  if (dp === 'None') {
    if (!dc) errs.push(fe.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
    else if (!Array.isArray(dc.nameservers) || dc.nameservers.length === 0) {
      errs.push(fe.required(`${path}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
    }
  }
  if (dc && typeof dc === 'object') {
    const ns = Array.isArray(dc.nameservers) ? dc.nameservers.map(String) : [];
    if (ns.length > 3) errs.push(fe.invalid(`${path}.dnsConfig.nameservers`, go.strings(ns), 'must not have more than 3 nameservers'));
    ns.forEach((n: string, i: number) => {
      if (!isIP(n)) errs.push(fe.invalid(`${path}.dnsConfig.nameservers[${i}]`, go.str(n), 'must be valid IP address'));
    });
    const searches = Array.isArray(dc.searches) ? dc.searches.map(String) : [];
    if (searches.length > 32) errs.push(fe.invalid(`${path}.dnsConfig.searches`, go.strings(searches), 'must not have more than 32 search paths'));
    searches.forEach((s: string, i: number) => {
      for (const m of isDNS1123Subdomain(s.replace(/\.$/, ''))) errs.push(fe.invalid(`${path}.dnsConfig.searches[${i}]`, go.str(s), m));
    });
    (Array.isArray(dc.options) ? dc.options : []).forEach((o: Obj, i: number) => {
      if (!o?.name) errs.push(fe.required(`${path}.dnsConfig.options[${i}]`, 'Option.Name must not be empty'));
    });
  }
  if (spec.nodeSelector !== undefined) errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    // allowed (treated as 1) since 1.27; nothing to report
  }
}

function validatePod(obj: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  if (old) {
    // ValidatePodUpdate: only images, activeDeadlineSeconds, tolerations (additions) and
    // terminationGracePeriodSeconds may change
    const strip = (s: Obj) => {
      const c = structuredClone(s ?? {}) as Obj;
      for (const ct of [...(c.containers ?? []), ...(c.initContainers ?? [])]) if (ct) delete ct.image;
      delete c.activeDeadlineSeconds;
      delete c.tolerations;
      delete c.terminationGracePeriodSeconds;
      if (!old.spec?.nodeName) delete c.nodeName;
      return canonicalJson(c);
    };
    if (strip(obj.spec) !== strip(old.spec)) {
      errs.push(fe.forbidden('spec', 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'));
    }
    return;
  }
  validatePodSpec(obj.spec, 'spec', errs);
}

function validateTemplate(spec: Obj, errs: FieldError[], kind: string, requireAlways = true): void {
  const t = spec.template;
  if (!t || typeof t !== 'object') {
    errs.push(fe.required('spec.template', ''));
    return;
  }
  const sel = spec.selector as LabelSelector | undefined;
  const labels = t.metadata?.labels as Record<string, string> | undefined;
  if (sel && (Object.keys(sel.matchLabels ?? {}).length || (sel.matchExpressions ?? []).length) && !matchesSelector(sel, labels ?? {})) {
    errs.push(fe.invalid('spec.template.metadata.labels', go.stringMap(labels ?? null), '`selector` does not match template `labels`'));
  }
  errs.push(...validateLabels(labels, 'spec.template.metadata.labels'));
  validatePodSpec(t.spec, 'spec.template.spec', errs);
  if (requireAlways && t.spec && t.spec.restartPolicy !== 'Always' && ['Always', 'OnFailure', 'Never'].includes(t.spec.restartPolicy)) {
    errs.push(fe.notSupported('spec.template.spec.restartPolicy', go.str(String(t.spec.restartPolicy)), ['Always']));
  }
  if (t.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(fe.forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind} is not Supported`));
  }
}

function validateWorkload(obj: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  const spec = (obj.spec ?? {}) as Obj;
  if (obj.kind !== 'DaemonSet') {
    const r = spec.replicas;
    if (typeof r !== 'number' || !Number.isInteger(r)) errs.push(fe.invalid('spec.replicas', go.any(r), 'must be an integer'));
    else if (r < 0) errs.push(fe.invalid('spec.replicas', go.int(r), 'must be greater than or equal to 0'));
  }
  const sel = spec.selector as LabelSelector | undefined;
  if (!sel) errs.push(fe.required('spec.selector', ''));
  else {
    errs.push(...validateLabelSelector(sel, 'spec.selector'));
    if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
      errs.push(fe.invalid('spec.selector', goLabelSelector(sel), `empty selector is invalid for ${obj.kind === 'Deployment' ? 'deployment' : obj.kind === 'DaemonSet' ? 'daemonset' : obj.kind === 'StatefulSet' ? 'statefulset' : 'replicaset'}`));
    }
    if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(sel)) {
      errs.push(fe.invalid('spec.selector', goLabelSelector(sel), 'field is immutable'));
    }
  }
  validateTemplate(spec, errs, obj.kind);
  if (obj.kind === 'Deployment') {
    const st = spec.strategy ?? {};
    if (!['Recreate', 'RollingUpdate'].includes(st.type)) errs.push(fe.notSupported('spec.strategy.type', go.str(String(st.type)), ['Recreate', 'RollingUpdate']));
    if (st.type === 'Recreate' && st.rollingUpdate) errs.push(fe.forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\''));
    if (st.type === 'RollingUpdate' && st.rollingUpdate) {
      const ms = st.rollingUpdate.maxSurge;
      const mu = st.rollingUpdate.maxUnavailable;
      const isZero = (v: unknown) => v === 0 || v === '0%' || v === '0';
      if (isZero(ms) && isZero(mu)) errs.push(fe.invalid('spec.strategy.rollingUpdate.maxUnavailable', go.any(mu), 'may not be 0 when `maxSurge` is 0'));
    }
  }
  if (obj.kind === 'StatefulSet') {
    if (old) {
      const strip = (s: Obj) => JSON.stringify({ ...s, replicas: 0, template: 0, updateStrategy: 0, minReadySeconds: 0, persistentVolumeClaimRetentionPolicy: 0, ordinals: 0 });
      if (strip(spec) !== strip(old.spec ?? {})) {
        errs.push(fe.forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
      }
    }
    if (!['OrderedReady', 'Parallel'].includes(spec.podManagementPolicy)) {
      errs.push(fe.notSupported('spec.podManagementPolicy', go.str(String(spec.podManagementPolicy)), ['OrderedReady', 'Parallel']));
    }
  }
}

function validateService(sim: Cluster, obj: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  const s = (obj.spec ?? {}) as Obj;
  const type = s.type;
  const headless = s.clusterIP === 'None';
  const ports: Obj[] = Array.isArray(s.ports) ? s.ports : [];
  // clusterIPs: each must be an IP (or None)
  if (type !== 'ExternalName' && Array.isArray(s.clusterIPs)) {
    s.clusterIPs.forEach((ip: unknown, i: number) => {
      const v = String(ip);
      if (v === 'None' && i === 0) return;
      if (!isIP(v)) errs.push(fe.invalid(`spec.clusterIPs[${i}]`, go.str(v), 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    });
    if (typeof s.clusterIP === 'string' && s.clusterIP !== '' && s.clusterIPs.length > 0 && s.clusterIPs[0] !== s.clusterIP) {
      errs.push(fe.invalid('spec.clusterIPs', go.strings(s.clusterIPs), 'element [0] must match clusterIP'));
    }
  }
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(fe.required('spec.ports', ''));
  if (type === 'ExternalName') {
    if (Array.isArray(s.clusterIPs) && s.clusterIPs.length > 0 && s.clusterIP !== '') errs.push(fe.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    const cname = String(s.externalName ?? '').replace(/\.$/, '');
    if (cname.length > 0) for (const m of isDNS1123Subdomain(cname)) errs.push(fe.invalid('spec.externalName', go.str(cname), m));
    else errs.push(fe.required('spec.externalName', ''));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    if (!p || typeof p !== 'object') {
      errs.push(fe.required(`${pp}.port`, ''));
      return;
    }
    if (ports.length > 1 && !p.name) errs.push(fe.required(`${pp}.name`, ''));
    else if (p.name) {
      for (const m of isDNS1123Label(String(p.name))) errs.push(fe.invalid(`${pp}.name`, go.str(String(p.name)), m));
      if (names.has(p.name)) errs.push(fe.duplicate(`${pp}.name`, go.str(p.name)));
      names.add(p.name);
    }
    for (const m of isValidPortNum(num(p.port))) errs.push(fe.invalid(`${pp}.port`, go.any(p.port ?? 0), m));
    if (!p.protocol) errs.push(fe.required(`${pp}.protocol`, ''));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(fe.notSupported(`${pp}.protocol`, go.str(String(p.protocol)), PROTOCOLS));
    if (typeof p.targetPort === 'number') for (const m of isValidPortNum(p.targetPort)) errs.push(fe.invalid(`${pp}.targetPort`, go.int(p.targetPort), m));
    else if (typeof p.targetPort === 'string') for (const m of isValidPortName(p.targetPort)) errs.push(fe.invalid(`${pp}.targetPort`, go.str(p.targetPort), m));
  });
  if (s.selector !== undefined && s.selector !== null) errs.push(...validateLabels(s.selector, 'spec.selector'));
  if (!s.sessionAffinity) errs.push(fe.required('spec.sessionAffinity', ''));
  else if (!['ClientIP', 'None'].includes(s.sessionAffinity)) errs.push(fe.notSupported('spec.sessionAffinity', go.str(String(s.sessionAffinity)), ['ClientIP', 'None']));
  if (s.sessionAffinity === 'ClientIP') {
    const t = s.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (typeof t !== 'number' || t <= 0 || t > 86400) errs.push(fe.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', go.any(t), 'must be greater than 0 and less than 86400'));
  }
  if (externallyAccessible(type)) {
    if (!s.externalTrafficPolicy) errs.push(fe.required('spec.externalTrafficPolicy', ''));
    else if (!['Cluster', 'Local'].includes(s.externalTrafficPolicy)) errs.push(fe.notSupported('spec.externalTrafficPolicy', go.str(String(s.externalTrafficPolicy)), ['Cluster', 'Local']));
  } else if (s.externalTrafficPolicy) {
    errs.push(fe.invalid('spec.externalTrafficPolicy', go.str(String(s.externalTrafficPolicy)), 'may only be set for externally-accessible services'));
  }
  if (s.internalTrafficPolicy !== undefined && type !== 'ExternalName' && !['Cluster', 'Local'].includes(s.internalTrafficPolicy)) {
    errs.push(fe.notSupported('spec.internalTrafficPolicy', go.str(String(s.internalTrafficPolicy)), ['Cluster', 'Local']));
  }
  if (!type) errs.push(fe.required('spec.type', ''));
  else if (!['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'].includes(type)) {
    errs.push(fe.notSupported('spec.type', go.str(String(type)), ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']));
  }
  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p?.nodePort) errs.push(fe.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const seenNodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p?.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (seenNodePorts.has(key)) errs.push(fe.duplicate(`spec.ports[${i}].nodePort`, go.int(p.nodePort)));
    seenNodePorts.add(key);
  });
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p) return;
    const key = `${p.protocol}/${p.port}`;
    if (seenPorts.has(key)) {
      errs.push(fe.duplicate(`spec.ports[${i}]`, go.raw(`core.ServicePort{Name:"", Protocol:${goQuote(String(p.protocol))}, AppProtocol:(*string)(nil), Port:${p.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`)));
    }
    seenPorts.add(key);
  });
  if (Array.isArray(s.loadBalancerSourceRanges)) {
    if (type !== 'LoadBalancer') errs.push(fe.forbidden('spec.loadBalancerSourceRanges', 'may only be used when `type` is \'LoadBalancer\''));
    s.loadBalancerSourceRanges.forEach((r: unknown, i: number) => {
      if (!isCIDR(String(r).trim())) errs.push(fe.invalid(`spec.loadBalancerSourceRanges[${i}]`, go.str(String(r)), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    });
  }
  (Array.isArray(s.externalIPs) ? s.externalIPs : []).forEach((ip: unknown, i: number) => {
    if (!isIP(String(ip))) errs.push(fe.invalid(`spec.externalIPs[${i}]`, go.str(String(ip)), 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  if (old) {
    // validateUpgradeDowngradeClusterIPs: a set clusterIP may not change
    const wasExt = old.spec?.type === 'ExternalName';
    if (type !== 'ExternalName' && !wasExt && !(old.spec?.clusterIP === 'None' && headless)) {
      const oldIPs: string[] = old.spec?.clusterIPs ?? [];
      const newIPs: string[] = Array.isArray(s.clusterIPs) ? s.clusterIPs : [];
      if (oldIPs.length === newIPs.length) {
        oldIPs.forEach((ip, i) => {
          if (ip !== newIPs[i]) errs.push(fe.invalid(`spec.clusterIPs[${i}]`, go.strings(newIPs), 'may not change once set'));
        });
      } else if (newIPs.length > 0 && oldIPs[0] !== newIPs[0]) {
        errs.push(fe.invalid('spec.clusterIPs[0]', go.strings(newIPs), 'may not change once set'));
      }
    }
  }
  void sim;
}

function validatePeer(peer: Obj, path: string, errs: FieldError[]): void {
  let n = 0;
  if (peer?.podSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (peer?.namespaceSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (peer?.ipBlock) {
    n++;
    const b = peer.ipBlock as Obj;
    const bp = `${path}.ipBlock`;
    if (!b.cidr) errs.push(fe.required(`${bp}.cidr`, ''));
    else if (!isCIDR(String(b.cidr))) errs.push(fe.invalid(`${bp}.cidr`, go.str(String(b.cidr)), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    else {
      const [net, bits] = ipaddr.parseCIDR(String(b.cidr));
      (Array.isArray(b.except) ? b.except : []).forEach((ex: unknown, i: number) => {
        const ep = `${bp}.except[${i}]`;
        const e = String(ex);
        if (!isCIDR(e)) {
          errs.push(fe.invalid(ep, go.str(e), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
          return;
        }
        const [eip, ebits] = ipaddr.parseCIDR(e);
        if (eip.kind() !== net.kind() || !eip.match(net, bits) || bits >= ebits) errs.push(fe.invalid(ep, go.str(e), 'must be a strict subset of `cidr`'));
      });
    }
  }
  if (n === 0) errs.push(fe.required(path, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock) errs.push(fe.forbidden(path, 'may not specify both ipBlock and another peer'));
}

function validateNetworkPolicy(obj: KubeObject, errs: FieldError[]): void {
  const s = (obj.spec ?? {}) as Obj;
  errs.push(...validateLabelSelector(s.podSelector, 'spec.podSelector'));
  for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    (Array.isArray(s[dir]) ? s[dir] : []).forEach((rule: Obj, i: number) => {
      const rp = `spec.${dir}[${i}]`;
      (Array.isArray(rule?.ports) ? rule.ports : []).forEach((port: Obj, j: number) => {
        const pp = `${rp}.ports[${j}]`;
        if (port?.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) {
          errs.push(fe.notSupported(`${pp}.protocol`, go.str(String(port.protocol)), ['TCP', 'UDP', 'SCTP']));
        }
        if (port?.port !== undefined && port.port !== null) {
          if (typeof port.port === 'number') {
            for (const m of isValidPortNum(port.port)) errs.push(fe.invalid(`${pp}.port`, go.int(port.port), m));
            if (port.endPort !== undefined) {
              if (port.endPort < port.port) errs.push(fe.invalid(`${pp}.endPort`, go.int(port.port), 'must be greater than or equal to `port`'));
              for (const m of isValidPortNum(num(port.endPort))) errs.push(fe.invalid(`${pp}.endPort`, go.any(port.endPort), m));
            }
          } else {
            if (port.endPort !== undefined) errs.push(fe.invalid(`${pp}.endPort`, go.any(port.endPort), 'may not be specified when `port` is non-numeric'));
            for (const m of isValidPortName(String(port.port))) errs.push(fe.invalid(`${pp}.port`, go.str(String(port.port)), m));
          }
        } else if (port?.endPort !== undefined) {
          errs.push(fe.invalid(`${pp}.endPort`, go.any(port.endPort), 'may not be specified when `port` is not specified'));
        }
      });
      (Array.isArray(rule?.[peers]) ? rule[peers] : []).forEach((peer: Obj, j: number) => validatePeer(peer, `${rp}.${peers}[${j}]`, errs));
    });
  }
  const types: unknown[] = Array.isArray(s.policyTypes) ? s.policyTypes : [];
  if (types.length > 2) errs.push(fe.invalid('spec.policyTypes', go.raw(`&[]networking.PolicyType{${types.map((t) => goQuote(String(t))).join(', ')}}`), 'may not specify more than two policyTypes'));
  else types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(fe.notSupported(`spec.policyTypes[${i}]`, go.str(String(t)), ['Ingress', 'Egress']));
  });
}

function validateIngressBackend(b: Obj | undefined, path: string, errs: FieldError[]): void {
  const hasRes = !!b?.resource;
  const hasSvc = !!b?.service;
  if (hasRes && hasSvc) errs.push(fe.invalid(path, go.str(''), 'cannot set both resource and service backends'));
  else if (hasRes) {
    if (!b!.resource.kind) errs.push(fe.required(`${path}.resource.kind`, ''));
    if (!b!.resource.name) errs.push(fe.required(`${path}.resource.name`, ''));
  } else if (hasSvc) {
    const svc = b!.service as Obj;
    if (!svc.name) errs.push(fe.required(`${path}.service.name`, ''));
    else for (const m of isDNS1035Label(String(svc.name))) errs.push(fe.invalid(`${path}.service.name`, go.str(String(svc.name)), m));
    const hasName = !!svc.port?.name;
    const hasNum = !!svc.port?.number;
    if (hasName && hasNum) errs.push(fe.invalid(path, go.str(''), 'cannot set both port name & port number'));
    else if (hasName) for (const m of isValidPortName(String(svc.port.name))) errs.push(fe.invalid(`${path}.service.port.name`, go.str(String(svc.port.name)), m));
    else if (hasNum) for (const m of isValidPortNum(num(svc.port.number))) errs.push(fe.invalid(`${path}.service.port.number`, go.any(svc.port.number), m));
    else errs.push(fe.required(`${path}.service.port`, 'port name or number is required'));
  } else errs.push(fe.invalid(path, go.str(''), 'resource or service backend is required'));
}

function validateIngress(obj: KubeObject, errs: FieldError[]): void {
  const s = (obj.spec ?? {}) as Obj;
  const rules: Obj[] = Array.isArray(s.rules) ? s.rules : [];
  if (rules.length === 0 && !s.defaultBackend) {
    errs.push(fe.invalid('spec', go.raw('[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  }
  if (s.defaultBackend) validateIngressBackend(s.defaultBackend, 'spec.defaultBackend', errs);
  if (s.ingressClassName !== undefined) for (const m of isDNS1123Subdomain(String(s.ingressClassName))) errs.push(fe.invalid('spec.ingressClassName', go.str(String(s.ingressClassName)), m));
  (Array.isArray(s.tls) ? s.tls : []).forEach((t: Obj, i: number) => {
    (Array.isArray(t?.hosts) ? t.hosts : []).forEach((h: unknown, j: number) => {
      const host = String(h);
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of msgs) errs.push(fe.invalid(`spec.tls[${i}].hosts[${j}]`, go.str(host), m));
    });
  });
  rules.forEach((r, i) => {
    const rp = `spec.rules[${i}]`;
    if (r?.host) {
      const host = String(r.host);
      if (isIP(host)) errs.push(fe.invalid(`${rp}.host`, go.str(host), 'must be a DNS name, not an IP address'));
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of msgs) errs.push(fe.invalid(`${rp}.host`, go.str(host), m));
    }
    if (!r?.http) return;
    const paths: Obj[] = Array.isArray(r.http.paths) ? r.http.paths : [];
    if (paths.length === 0) errs.push(fe.required(`${rp}.http.paths`, ''));
    paths.forEach((p, j) => {
      const pp = `${rp}.http.paths[${j}]`;
      if (!p?.pathType) {
        errs.push(fe.required(`${pp}.pathType`, 'pathType must be specified'));
        return;
      }
      const path = String(p.path ?? '');
      if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
        if (!path.startsWith('/')) errs.push(fe.invalid(`${pp}.path`, go.str(path), 'must be an absolute path'));
        if (path.length > 0) {
          for (const seq of ['//', '/./', '/../', '%2f', '%2F']) if (path.includes(seq)) errs.push(fe.invalid(`${pp}.path`, go.str(path), `must not contain '${seq}'`));
          for (const suf of ['/..', '/.']) if (path.endsWith(suf)) errs.push(fe.invalid(`${pp}.path`, go.str(path), `cannot end with '${suf}'`));
        }
      } else if (p.pathType === 'ImplementationSpecific') {
        if (path.length > 0 && !path.startsWith('/')) errs.push(fe.invalid(`${pp}.path`, go.str(path), 'must be an absolute path'));
      } else {
        errs.push(fe.notSupported(`${pp}.pathType`, go.str(String(p.pathType)), ['Exact', 'ImplementationSpecific', 'Prefix']));
      }
      validateIngressBackend(p.backend, `${pp}.backend`, errs);
    });
  });
}

function validateConfigData(obj: KubeObject, errs: FieldError[]): void {
  const keyRe = /^[-._a-zA-Z0-9]+$/;
  for (const field of ['data', 'binaryData', 'stringData']) {
    const d = obj[field];
    if (d === undefined || d === null) continue;
    if (typeof d !== 'object' || Array.isArray(d)) {
      errs.push(fe.invalid(field, go.any(d), 'must be a map of string keys to string values'));
      continue;
    }
    for (const k of Object.keys(d)) {
      if (k.length > 253) errs.push(fe.invalid(field, go.str(k), 'must be no more than 253 characters'));
      if (!keyRe.test(k)) errs.push(fe.invalid(field, go.str(k), regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", '[-._a-zA-Z0-9]+', 'key.name', 'KEY_NAME', 'key-name')));
    }
  }
  if (obj.kind === 'Secret' && obj.type === 'kubernetes.io/tls') {
    const d = { ...(obj.data ?? {}), ...(obj.stringData ?? {}) };
    if (d['tls.crt'] === undefined) errs.push(fe.required('data[tls.crt]', ''));
    if (d['tls.key'] === undefined) errs.push(fe.required('data[tls.key]', ''));
  }
}

/** Returns every field error for `obj` (an update when `old` is given), in the API server's order. */
export function validationErrors(sim: Cluster, obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  validateMeta(obj, errs);
  if (old && obj.metadata.resourceVersion && old.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) {
    // handled as a Conflict by the API layer
  }
  switch (obj.kind) {
    case 'Pod':
      validatePod(obj, old, errs);
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      validateWorkload(obj, old, errs);
      break;
    case 'Service':
      validateService(sim, obj, old, errs);
      break;
    case 'NetworkPolicy':
      validateNetworkPolicy(obj, errs);
      break;
    case 'Ingress':
      validateIngress(obj, errs);
      break;
    case 'ConfigMap':
    case 'Secret':
      validateConfigData(obj, errs);
      break;
    case 'IngressClass':
      if (!obj.spec?.controller) errs.push(fe.required('spec.controller', ''));
      break;
  }
  return errs;
}
