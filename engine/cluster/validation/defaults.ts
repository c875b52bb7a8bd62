/**
 * Defaulting: what the API server fills in before validation — the v1 defaulters
 * (pkg/apis/{core,apps,networking}/v1/defaults.go), the admission plugins a kubeadm
 * cluster runs (ServiceAccount, DefaultTolerationSeconds, Priority) and PrepareForCreate/Update.
 */
import type { Cluster } from '../cluster';
import type { KubeObject } from '../types';
import { externallyAccessible, type Obj } from './common';

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

/**
 * Defaults a manifest the way the API server does before validation: the versioned
 * defaulters plus each registry strategy's PrepareForCreate/PrepareForUpdate. Writes
 * into `obj`.
 */
export function defaultObject(sim: Pick<Cluster, 'rng'>, obj: KubeObject, old: KubeObject | undefined): void {
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
