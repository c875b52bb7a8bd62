/**
 * Defaulting: what the API server fills in before validation — the v1 defaulters
 * (pkg/apis/{core,apps,networking}/v1/defaults.go), the admission plugins a kubeadm
 * cluster runs (ServiceAccount, DefaultTolerationSeconds, Priority) and PrepareForCreate/Update.
 */
import { GATEWAY_KINDS, defaultGatewayApi } from './gateway';
import { defaultRbac } from './rbac';
import { defaultCustomResource } from './crddefaults';
import { resourceFor } from '../resources';
import type { Cluster } from '../cluster';
import { isArray, member } from '../types';
import { externallyAccessible, fieldsOf, isObjectLike, items, type JsonObject, type UncheckedObject } from './common';

/** k8s.io/kubernetes/pkg/apis/core/v1/defaults.go SetDefaults_Container + registry: imagePullPolicy. */
function defaultPullPolicy(image: string): string {
  const ref = image.includes('@') ? image.slice(0, image.indexOf('@')) : image;
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', lastSlash + 1);
  if (image.includes('@')) return 'IfNotPresent';
  if (colon < 0) return 'Always';
  return ref.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * A probe as decoding and SetDefaults_Probe (pkg/apis/core/v1/defaults.go) leave it. The
 * int32 fields are plain `int32 ,omitempty`: null and 0 both decode to 0, which the
 * defaulter replaces (timeoutSeconds 1, periodSeconds 10, successThreshold 1,
 * failureThreshold 3) and the encoder omits (initialDelaySeconds has no default).
 * `terminationGracePeriodSeconds` is a pointer: null leaves it unset.
 */
function defaultProbe(p: unknown): void {
  if (!isObjectLike(p)) return;
  const unset = (v: unknown) => v === undefined || v === null || v === 0;
  if (unset(p.initialDelaySeconds)) delete p.initialDelaySeconds;
  if (unset(p.timeoutSeconds)) p.timeoutSeconds = 1;
  if (unset(p.periodSeconds)) p.periodSeconds = 10;
  if (unset(p.successThreshold)) p.successThreshold = 1;
  if (unset(p.failureThreshold)) p.failureThreshold = 3;
  if (p.terminationGracePeriodSeconds === null) delete p.terminationGracePeriodSeconds;
  if (isObjectLike(p.httpGet)) p.httpGet.scheme ??= 'HTTP';
}

function defaultContainer(c: unknown): void {
  if (!isObjectLike(c)) return;
  if (typeof c.image === 'string' && c.image) c.imagePullPolicy ??= defaultPullPolicy(c.image);
  if (isArray(c.ports)) for (const p of c.ports) if (isObjectLike(p)) p.protocol ??= 'TCP';
  c.resources ??= {};
  const res = c.resources;
  if (isObjectLike(res) && isObjectLike(res.limits)) {
    // SetDefaults_ResourceRequirements: requests default to limits
    res.requests = { ...res.limits, ...(res.requests ?? {}) };
  }
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  defaultProbe(c.readinessProbe);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.startupProbe);
  if (isArray(c.env)) {
    for (const e of c.env) {
      const fieldRef = member(member(e, 'valueFrom'), 'fieldRef');
      if (isObjectLike(fieldRef)) fieldRef.apiVersion ??= 'v1';
    }
  }
}

/** SetDefaults_PodSpec (shared by Pods and pod templates). */
function defaultPodSpec(spec: unknown): void {
  if (!isObjectLike(spec)) return;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  if (spec.hostNetwork) {
    // SetDefaults_PodSpec: host-network pods default container ports' hostPort to containerPort
    for (const c of [...items(spec.containers), ...items(spec.initContainers)]) {
      for (const p of items(member(c, 'ports'))) if (isObjectLike(p) && p.hostPort === undefined && p.containerPort !== undefined) p.hostPort = p.containerPort;
    }
  }
  if (isArray(spec.containers)) spec.containers.forEach(defaultContainer);
  if (isArray(spec.initContainers)) spec.initContainers.forEach(defaultContainer);
  if (isArray(spec.volumes)) {
    for (const v of spec.volumes) {
      for (const source of ['configMap', 'secret', 'projected']) {
        const s = member(v, source);
        if (isObjectLike(s)) s.defaultMode ??= 420;
      }
    }
  }
}

/**
 * `[...(v ?? [])]` for a list field: an array's items, a string's characters (as spreading
 * one gives), nothing for any other value.
 */
function spreadItems(v: unknown): unknown[] {
  return typeof v === 'string' ? [...v] : items(v);
}

function qosClass(spec: JsonObject): string {
  const containers = [...spreadItems(spec.containers), ...spreadItems(spec.initContainers)];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = member(member(c, 'resources'), 'requests') ?? {};
    const lim = member(member(c, 'resources'), 'limits') ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (member(lim, r) === undefined || String(member(req, r) ?? member(lim, r)) !== String(member(lim, r))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function defaultServicePorts(spec: JsonObject): void {
  if (!isArray(spec.ports)) return;
  for (const p of spec.ports) {
    if (!isObjectLike(p)) continue;
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
    else if (typeof p.targetPort === 'string' && /^\d+$/.test(p.targetPort)) p.targetPort = Number(p.targetPort);
  }
}

/**
 * Defaults a manifest the way the API server does before validation: the versioned
 * defaulters plus each registry strategy's PrepareForCreate/PrepareForUpdate. Writes
 * into `obj`. A spec that is not an object is left as it is, for validation to report.
 */
export function defaultObject(sim: Pick<Cluster, 'rng' | 'settings'> & Partial<Pick<Cluster, 'store'>>, obj: UncheckedObject, old: UncheckedObject | undefined): void {
  /** A field of the stored object's spec (this is an update). */
  const was = (field: string): unknown => member(old?.spec, field);
  if (GATEWAY_KINDS.includes(obj.kind)) defaultGatewayApi(obj, old);
  // a custom resource: its CRD's schema defaults (those above are the ones the controllers read, for a CRD without its schema)
  const crd = resourceFor(obj.kind)?.crd;
  if (crd && sim.store) defaultCustomResource(obj, sim.store.get('CustomResourceDefinition', undefined, crd));
  defaultRbac(obj);
  switch (obj.kind) {
    case 'Namespace': {
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      obj.spec = { finalizers: ['kubernetes'], ...(isObjectLike(obj.spec) ? obj.spec : {}) };
      obj.status = old?.status ?? { phase: 'Active' };
      break;
    }
    case 'Pod': {
      obj.spec ??= {};
      const s = obj.spec;
      if (!isObjectLike(s)) {
        if (old) obj.status = old.status;
        break;
      }
      const mirror = obj.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined;
      if (!old && !mirror) {
        // ServiceAccount admission: the default service account and its token volume
        s.serviceAccountName ??= s.serviceAccount ?? 'default';
        s.serviceAccount = s.serviceAccountName;
      }
      if (!old) {
        // plugin/pkg/admission/serviceaccount shouldAutomount: the Pod's preference wins, then the
        // ServiceAccount's automountServiceAccountToken, else true
        const sa = typeof s.serviceAccountName === 'string' ? sim.store?.get('ServiceAccount', obj.metadata.namespace ?? 'default', s.serviceAccountName) : undefined;
        const automount = typeof s.automountServiceAccountToken === 'boolean' ? s.automountServiceAccountToken : (sa as { automountServiceAccountToken?: unknown } | undefined)?.automountServiceAccountToken !== false;
        if (!mirror && automount && isArray(s.containers)) {
          const volumes = isArray(s.volumes) ? s.volumes : [];
          s.volumes = volumes;
          let vol = volumes.find((v) => {
            const name = member(v, 'name');
            return typeof name === 'string' && name.startsWith('kube-api-access-');
          });
          if (!vol) {
            vol = serviceAccountVolume(`kube-api-access-${sim.rng.kubeString(5)}`);
            volumes.push(vol);
          }
          for (const c of [...items(s.initContainers), ...s.containers]) {
            if (!isObjectLike(c)) continue;
            const mounts = isArray(c.volumeMounts) ? c.volumeMounts : [];
            c.volumeMounts = mounts;
            if (!mounts.some((m) => member(m, 'mountPath') === '/var/run/secrets/kubernetes.io/serviceaccount')) {
              mounts.push({ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: member(vol, 'name'), readOnly: true });
            }
          }
        }
        // DefaultTolerationSeconds admission
        const tolerations = isArray(s.tolerations) ? s.tolerations : [];
        s.tolerations = tolerations;
        for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
          const tolerated = tolerations.some((t) => {
            const tkey = member(t, 'key');
            const effect = member(t, 'effect');
            return (tkey === key || !tkey) && (effect === 'NoExecute' || !effect);
          });
          if (!tolerated) tolerations.push({ effect: 'NoExecute', key, operator: 'Exists', tolerationSeconds: 300 });
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
        const status = { phase: 'Pending', qosClass: qosClass(s) };
        obj.status = isObjectLike(pinned) ? { ...status, ...pinned } : status;
      } else {
        obj.status = old.status;
      }
      break;
    }
    case 'Service': {
      obj.spec ??= {};
      const s = obj.spec;
      if (!isObjectLike(s)) break;
      s.type ??= 'ClusterIP';
      if (old && was('type') !== 'ExternalName' && s.type === 'ExternalName') {
        // dropTypeDependentFields: leaving ClusterIP behind releases the IPs it held
        const same = (s.clusterIP === undefined || s.clusterIP === was('clusterIP')) && (s.clusterIPs === undefined || JSON.stringify(s.clusterIPs) === JSON.stringify(was('clusterIPs')));
        if (same) {
          delete s.clusterIP;
          delete s.clusterIPs;
          delete s.ipFamilies;
          delete s.ipFamilyPolicy;
        }
        for (const p of items(s.ports)) if (isObjectLike(p) && items(was('ports')).some((o) => member(o, 'nodePort') === p.nodePort)) delete p.nodePort;
        if (s.externalTrafficPolicy === was('externalTrafficPolicy')) delete s.externalTrafficPolicy;
        if (s.internalTrafficPolicy === was('internalTrafficPolicy')) delete s.internalTrafficPolicy;
      }
      s.sessionAffinity ??= 'None';
      if (s.sessionAffinity === 'ClientIP') {
        s.sessionAffinityConfig ??= { clientIP: { timeoutSeconds: 10800 } };
        const config = s.sessionAffinityConfig;
        if (isObjectLike(config)) {
          config.clientIP ??= { timeoutSeconds: 10800 };
          if (isObjectLike(config.clientIP)) config.clientIP.timeoutSeconds ??= 10800;
        }
      }
      defaultServicePorts(s);
      if (s.type !== 'ExternalName') {
        s.internalTrafficPolicy ??= 'Cluster';
        if (s.clusterIP !== undefined && (!isArray(s.clusterIPs) || s.clusterIPs.length === 0)) s.clusterIPs = s.clusterIP ? [s.clusterIP] : undefined;
        if (old && s.clusterIP === undefined && s.clusterIPs === undefined) {
          // an update that omits clusterIP keeps the allocated one (PrepareForUpdate)
          s.clusterIP = was('clusterIP');
          s.clusterIPs = was('clusterIPs');
        }
        if (old && typeof s.clusterIP === 'string' && isArray(s.clusterIPs) && s.clusterIPs[0] !== s.clusterIP && member(was('clusterIPs'), '0') === s.clusterIPs[0]) {
          s.clusterIPs = [s.clusterIP, ...s.clusterIPs.slice(1)];
        }
        // a dual-stack cluster's families and policy are chosen with the ClusterIPs (Ipam.allocateClusterIPs)
        if (!sim.settings.serviceCIDRv6) {
          s.ipFamilies ??= ['IPv4'];
          s.ipFamilyPolicy ??= 'SingleStack';
        }
      } else {
        delete s.internalTrafficPolicy;
      }
      if (externallyAccessible(s.type)) {
        s.externalTrafficPolicy ??= 'Cluster';
        if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true;
        if (old && isArray(s.ports)) {
          // keep allocated nodePorts on update when the manifest omits them
          const oldPorts = items(was('ports'));
          for (const p of s.ports) {
            if (isObjectLike(p) && !p.nodePort) {
              const match = oldPorts.find((o) => {
                const prev = fieldsOf(o);
                return prev.nodePort && ((p.name && prev.name === p.name) || (prev.port === p.port && prev.protocol === p.protocol));
              });
              if (match) p.nodePort = member(match, 'nodePort');
            }
          }
        }
      } else if (old && externallyAccessible(was('type')) && isArray(s.ports)) {
        // dropTypeDependentFields: leaving NodePort/LoadBalancer releases node ports
        for (const p of s.ports) if (isObjectLike(p) && items(was('ports')).some((o) => member(o, 'nodePort') === p.nodePort)) delete p.nodePort;
        if (s.externalTrafficPolicy === was('externalTrafficPolicy')) delete s.externalTrafficPolicy;
      }
      if (old) {
        // healthCheckNodePort (service storage's patchAllocatedValues, then the strategy's
        // dropTypeDependentFields): kept when still needed and omitted, dropped when no
        // longer needed and left as it was
        const neededHC = was('type') === 'LoadBalancer' && was('externalTrafficPolicy') === 'Local';
        const needsHC = s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
        if (neededHC && needsHC && !s.healthCheckNodePort) s.healthCheckNodePort = was('healthCheckNodePort');
        if (neededHC && !needsHC && (s.healthCheckNodePort ?? 0) === (was('healthCheckNodePort') ?? 0)) delete s.healthCheckNodePort;
      }
      obj.status = old?.status ?? { loadBalancer: {} };
      if (old && was('type') === 'LoadBalancer' && s.type !== 'LoadBalancer') obj.status = { loadBalancer: {} };
      break;
    }
    case 'Deployment': {
      obj.spec ??= {};
      const s = obj.spec;
      if (!isObjectLike(s)) break;
      s.replicas ??= 1;
      s.revisionHistoryLimit ??= 10;
      s.progressDeadlineSeconds ??= 600;
      s.strategy ??= { type: 'RollingUpdate' };
      const strategy = s.strategy;
      if (isObjectLike(strategy)) {
        strategy.type ??= 'RollingUpdate';
        if (strategy.type === 'RollingUpdate') {
          strategy.rollingUpdate ??= {};
          const ru = strategy.rollingUpdate;
          if (isObjectLike(ru)) {
            ru.maxSurge ??= '25%';
            ru.maxUnavailable ??= '25%';
          }
        }
      }
      defaultTemplate(s);
      obj.status = old?.status ?? {};
      break;
    }
    case 'ReplicaSet': {
      obj.spec ??= {};
      const s = obj.spec;
      if (!isObjectLike(s)) break;
      s.replicas ??= 1;
      defaultTemplate(s);
      obj.status = old?.status ?? { replicas: 0 };
      break;
    }
    case 'StatefulSet': {
      obj.spec ??= {};
      const s = obj.spec;
      if (!isObjectLike(s)) break;
      s.replicas ??= 1;
      s.podManagementPolicy ??= 'OrderedReady';
      s.revisionHistoryLimit ??= 10;
      s.updateStrategy ??= { type: 'RollingUpdate' };
      if (isObjectLike(s.updateStrategy) && s.updateStrategy.type === 'RollingUpdate') s.updateStrategy.rollingUpdate ??= { partition: 0 };
      s.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      defaultTemplate(s);
      obj.status = old?.status ?? { replicas: 0, availableReplicas: 0 };
      break;
    }
    case 'DaemonSet': {
      obj.spec ??= {};
      const s = obj.spec;
      if (!isObjectLike(s)) break;
      s.revisionHistoryLimit ??= 10;
      s.updateStrategy ??= { type: 'RollingUpdate' };
      if (isObjectLike(s.updateStrategy) && s.updateStrategy.type === 'RollingUpdate') {
        s.updateStrategy.rollingUpdate ??= {};
        const ru = s.updateStrategy.rollingUpdate;
        if (isObjectLike(ru)) {
          ru.maxSurge ??= 0;
          ru.maxUnavailable ??= 1;
        }
      }
      defaultTemplate(s);
      obj.status = old?.status ?? { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
      break;
    }
    case 'NetworkPolicy': {
      obj.spec ??= {};
      const s = obj.spec;
      if (!isObjectLike(s)) break;
      s.podSelector ??= {};
      for (const dir of ['ingress', 'egress']) {
        const rules = s[dir];
        if (!isArray(rules)) continue;
        for (const rule of rules) for (const p of items(member(rule, 'ports'))) if (isObjectLike(p)) p.protocol ??= 'TCP';
      }
      if (!isArray(s.policyTypes) || s.policyTypes.length === 0) {
        const types = ['Ingress'];
        if (isArray(s.egress) && s.egress.length > 0) types.push('Egress');
        s.policyTypes = types;
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
      for (const sub of items(obj.subsets)) for (const p of items(member(sub, 'ports'))) if (isObjectLike(p)) p.protocol ??= 'TCP';
      break;
    }
    case 'EndpointSlice': {
      for (const p of items(obj.ports)) if (isObjectLike(p)) p.protocol ??= 'TCP';
      break;
    }
    case 'Node': {
      obj.status ??= {};
      break;
    }
  }
}

function defaultTemplate(s: JsonObject): void {
  const t = s.template;
  if (isObjectLike(t)) {
    t.metadata ??= {};
    // a null creationTimestamp decodes to the zero time, which apimachinery v0.34 omits (omitzero)
    if (isObjectLike(t.metadata) && t.metadata.creationTimestamp === null) delete t.metadata.creationTimestamp;
    t.spec ??= {};
    defaultPodSpec(t.spec);
  }
}

function serviceAccountVolume(name: string): JsonObject {
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
