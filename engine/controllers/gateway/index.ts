/**
 * Envoy Gateway's control loop (github.com/envoyproxy/gateway v1.9.0). It runs while the
 * chart's `envoy-gateway` Deployment has an available replica (installed with
 * `helm install eg oci://docker.io/envoyproxy/gateway-helm`). Each reconcile:
 *
 * - accepts its GatewayClasses (status Accepted, "Valid GatewayClass");
 * - gives every Gateway of an accepted class its Envoy: a Deployment and a LoadBalancer
 *   Service named `envoy-<namespace>-<name>-<hash>` in the controller's namespace
 *   (internal/infrastructure/kubernetes/proxy), owned by the GatewayClass, the Service's
 *   ports one per listener port (`http-80` → container port 10080);
 * - writes the Gateway's status as internal/gatewayapi/status/gateway.go does: addresses
 *   from the Service's load balancer, Accepted, Programmed ("Address assigned to the Gateway,
 *   1/1 envoy replicas available" once the Envoy Deployment is available), and per listener
 *   Programmed/Accepted/ResolvedRefs with attachedRoutes;
 * - writes each route's status.parents (Accepted, ResolvedRefs) for the parentRefs that name
 *   its Gateways.
 *
 * The translation is translate.ts; what Envoy does with a request is proxy.ts.
 */
import type { Cluster } from '../../cluster/cluster';
import type { SimModule } from '../../cluster/module';
import type { KubeObject, Manifest } from '../../cluster/types';
import { ApiError } from '../../cluster/api';
import type { Listener } from '../../dataplane/apps';
import type { PodInfo } from '../../dataplane/topology';
import { translate, type Condition, type Translation } from './translate';
import {
  CONTROLLER_NAME,
  ENVOY_APP_LABELS,
  ENVOY_IMAGE,
  ENVOY_READINESS_PORT,
  ENVOY_STATS_PORT,
  GATEWAY_GROUP,
  GATEWAY_IMAGE,
  OWNING_GATEWAY_NAME,
  OWNING_GATEWAY_NAMESPACE,
  listenerPortName,
  proxyName,
} from './names';

export { CONTROLLER_NAME, EG_VERSION, proxyName } from './names';

const GATEWAY_IMAGE_RE = /(^|\/)envoyproxy\/gateway(:|@|$)/;

/** The running controller: its Deployment's namespace, or undefined when none is available. */
export function controllerNamespace(cluster: Cluster): string | undefined {
  for (const d of cluster.store.list('Deployment')) {
    const containers = (d.spec?.template?.spec?.containers ?? []) as { image?: string; args?: string[] }[];
    if (!containers.some((c) => GATEWAY_IMAGE_RE.test(c.image ?? '') && (c.args ?? []).includes('server'))) continue;
    if ((d.status?.availableReplicas ?? 0) > 0) return d.metadata.namespace;
  }
  return undefined;
}

/** Kubernetes' metav1.Condition as the controller writes it (MergeConditions keeps the transition time of an unchanged status). */
function merged(old: Record<string, unknown>[] | undefined, next: Condition[], generation: number, now: string): Record<string, unknown>[] {
  return next.map((c) => {
    const prev = (old ?? []).find((o) => o.type === c.type);
    const lastTransitionTime = prev && prev.status === c.status && prev.lastTransitionTime !== '1970-01-01T00:00:00Z' ? prev.lastTransitionTime : now;
    return { lastTransitionTime, message: c.message, observedGeneration: generation, reason: c.reason, status: c.status, type: c.type };
  });
}

function sameStatus(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class EnvoyGateway implements SimModule {
  readonly name = 'envoy-gateway';
  /** Changes to the store since the last reconcile (a delete does not move store.revision). */
  private changes = 1;
  private seen = 0;
  private last?: Translation;
  private lastChange = 0;
  private unsubscribe?: () => void;
  /** Route key → the resourceVersion and translated parents this controller last reconciled (bounded by the routes that exist). */
  private routeSeen = new Map<string, { rv: string; sig: string }>();

  constructor(private cluster: Cluster) {}

  sizes(): Record<string, number> {
    return { routeSeen: this.routeSeen.size };
  }

  init(): void {
    this.unsubscribe?.();
    this.routeSeen.clear();
    this.changes++;
    this.unsubscribe = this.cluster.store.subscribe(() => {
      this.changes++;
    });
  }

  /** The translation of the current objects (cached until the store changes). */
  current(): Translation {
    if (this.last && this.lastChange === this.changes) return this.last;
    this.last = translate(this.cluster);
    this.lastChange = this.changes;
    return this.last;
  }

  /**
   * The sockets an Envoy pod opened from the configuration Envoy Gateway sent it over xDS:
   * one per programmed listener port (the container port), none while no controller runs.
   */
  listeners(pod: PodInfo): Listener[] {
    const labels = pod.obj.metadata.labels ?? {};
    const gwName = labels[OWNING_GATEWAY_NAME];
    const gwNs = labels[OWNING_GATEWAY_NAMESPACE];
    if (!gwName || !gwNs || labels['app.kubernetes.io/managed-by'] !== 'envoy-gateway' || !pod.running) return [];
    const envoy = (pod.obj.status?.containerStatuses ?? []).find((c: { name: string; state?: Record<string, unknown> }) => c.name === 'envoy');
    if (!envoy?.state || !('running' in envoy.state)) return [];
    const t = this.current().gateways.get(`${gwNs}/${gwName}`);
    if (!t) return [];
    return t.envoy.map((el) => ({ port: el.containerPort, proto: 'tcp', container: 'envoy', app: 'envoy-gateway', tls: el.protocol === 'HTTPS', description: `envoy (Gateway ${gwNs}/${gwName}, ${listenerPortName(el.protocol, el.port)})`, params: { gateway: `${gwNs}/${gwName}`, port: String(el.port) } }));
  }

  reconcile(): boolean {
    const cluster = this.cluster;
    if (this.changes === this.seen) return false;
    this.seen = this.changes;
    let wrote = false;
    const ns = controllerNamespace(cluster);
    if (ns !== undefined && cluster.store.count('GatewayClass') > 0) {
      const t = this.current();
      const now = cluster.clock.iso();
      for (const [name, c] of t.classes) {
        const gc = cluster.store.get('GatewayClass', undefined, name)!;
        const status = { ...(gc.status ?? {}), conditions: merged(gc.status?.conditions, [c], gc.metadata.generation ?? 1, now) };
        if (stripTimes(gc.status) !== stripTimes(status)) {
          cluster.api.updateStatus({ ...structuredClone(gc), status });
          wrote = true;
        }
      }
      const live = new Set<string>();
      for (const [key, g] of t.gateways) {
        const name = proxyName(g.gateway.metadata.namespace ?? 'default', g.gateway.metadata.name);
        live.add(name);
        wrote = this.ensureProxy(ns, g.gateway, g.listeners.filter((l) => l.programmed).map((l) => ({ port: l.port, protocol: l.protocol }))) || wrote;
        wrote = this.writeGatewayStatus(key, g, ns, name, now) || wrote;
      }
      for (const [key, { route, parents }] of t.routes) {
        const cur = cluster.store.get(route.kind, route.metadata.namespace, route.metadata.name);
        if (!cur) continue;
        // unchanged since this controller last looked at it: nothing to write
        const sig = JSON.stringify(parents);
        const seen = this.routeSeen.get(key);
        if (seen && seen.rv === cur.metadata.resourceVersion && seen.sig === sig) continue;
        const others = ((cur.status?.parents ?? []) as { controllerName?: string }[]).filter((p) => p.controllerName !== CONTROLLER_NAME);
        const gen = cur.metadata.generation ?? 1;
        const mine = parents.map((p) => {
          const prev = ((cur.status?.parents ?? []) as { parentRef: unknown; conditions: Record<string, unknown>[] }[]).find((x) => sameStatus(x.parentRef, p.parentRef));
          return { conditions: merged(prev?.conditions, p.conditions, gen, now), controllerName: CONTROLLER_NAME, parentRef: p.parentRef };
        });
        const status = { parents: [...others, ...mine] };
        let rv = cur.metadata.resourceVersion;
        if (stripTimes(cur.status) !== stripTimes(status)) {
          rv = cluster.api.updateStatus({ ...structuredClone(cur), status }).metadata.resourceVersion;
          wrote = true;
        }
        this.routeSeen.set(key, { rv, sig });
      }
      for (const key of this.routeSeen.keys()) if (!t.routes.has(key)) this.routeSeen.delete(key);
      // Envoy resources of Gateways that are gone (or whose class is no longer ours)
      for (const d of cluster.store.list('Deployment', ns)) {
        const labels = d.metadata.labels ?? {};
        if (labels['app.kubernetes.io/managed-by'] !== 'envoy-gateway' || labels['app.kubernetes.io/component'] !== 'proxy' || live.has(d.metadata.name)) continue;
        wrote = this.remove('Deployment', ns, d.metadata.name) || wrote;
        wrote = this.remove('Service', ns, d.metadata.name) || wrote;
      }
    }
    return wrote;
  }

  private remove(kind: string, ns: string, name: string): boolean {
    try {
      this.cluster.api.delete(kind, ns, name, { reconcile: false });
      return true;
    } catch (e) {
      if (e instanceof ApiError) return false;
      throw e;
    }
  }

  /** The Envoy Deployment and Service of one Gateway (resource_provider.go), created or brought up to date. */
  private ensureProxy(ns: string, gw: KubeObject, ports: { port: number; protocol: string }[]): boolean {
    const cluster = this.cluster;
    const name = proxyName(gw.metadata.namespace ?? 'default', gw.metadata.name);
    const gc = cluster.store.get('GatewayClass', undefined, gw.spec?.gatewayClassName);
    const labels = { ...ENVOY_APP_LABELS, [OWNING_GATEWAY_NAME]: gw.metadata.name, [OWNING_GATEWAY_NAMESPACE]: gw.metadata.namespace ?? 'default' };
    const ownerReferences = gc ? [{ apiVersion: `${GATEWAY_GROUP}/v1`, kind: 'GatewayClass', name: gc.metadata.name, uid: gc.metadata.uid }] : undefined;
    let wrote = false;
    if (!cluster.store.get('Deployment', ns, name)) {
      const deploy: Manifest = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: ns, labels, ownerReferences },
        spec: {
          replicas: 1,
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
          selector: { matchLabels: labels },
          strategy: { type: 'RollingUpdate' },
          template: {
            metadata: { annotations: { 'prometheus.io/path': '/stats/prometheus', 'prometheus.io/port': String(ENVOY_STATS_PORT), 'prometheus.io/scrape': 'true' }, labels },
            spec: {
              automountServiceAccountToken: false,
              containers: [
                {
                  name: 'envoy',
                  image: ENVOY_IMAGE,
                  imagePullPolicy: 'IfNotPresent',
                  command: ['envoy'],
                  args: ['--service-cluster', `${gw.metadata.namespace}/${gw.metadata.name}`, '--service-node', '$(ENVOY_POD_NAME)', '--log-level', 'warn', '--cpuset-threads', '--drain-strategy', 'immediate', '--drain-time-s', '60'],
                  env: [
                    { name: 'ENVOY_POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
                    { name: 'ENVOY_POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
                  ],
                  ports: [
                    { containerPort: ENVOY_STATS_PORT, name: 'metrics', protocol: 'TCP' },
                    { containerPort: ENVOY_READINESS_PORT, name: 'readiness', protocol: 'TCP' },
                  ],
                  readinessProbe: { httpGet: { path: '/ready', port: ENVOY_READINESS_PORT, scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 1 },
                  startupProbe: { httpGet: { path: '/ready', port: ENVOY_READINESS_PORT, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 30 },
                },
                {
                  name: 'shutdown-manager',
                  image: GATEWAY_IMAGE,
                  imagePullPolicy: 'IfNotPresent',
                  command: ['envoy-gateway'],
                  args: ['envoy', 'shutdown-manager'],
                  readinessProbe: { httpGet: { path: '/shutdown/ready', port: 19002, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
                },
              ],
              serviceAccountName: name,
              terminationGracePeriodSeconds: 360,
            },
          },
        },
      };
      cluster.api.create(deploy, { reconcile: false });
      wrote = true;
    }
    const svcPorts = ports
      .filter((p, i) => ports.findIndex((q) => q.port === p.port) === i)
      .map((p) => ({ name: listenerPortName(p.protocol, p.port), port: p.port, protocol: 'TCP', targetPort: p.port < 1024 ? p.port + 10000 : p.port }));
    const svc = cluster.store.get('Service', ns, name);
    if (!svc) {
      if (svcPorts.length) {
        cluster.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels, ownerReferences }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: svcPorts, selector: labels, sessionAffinity: 'None' } }, { reconcile: false });
        wrote = true;
      }
    } else {
      const have = ((svc.spec?.ports ?? []) as { name?: string; port: number; targetPort?: unknown }[]).map((p) => `${p.name}/${p.port}/${p.targetPort}`).join(',');
      const want = svcPorts.map((p) => `${p.name}/${p.port}/${p.targetPort}`).join(',');
      if (have !== want && svcPorts.length) {
        const next = structuredClone(svc);
        const old = (svc.spec?.ports ?? []) as { port: number; nodePort?: number }[];
        next.spec.ports = svcPorts.map((p) => ({ ...p, ...(old.find((o) => o.port === p.port)?.nodePort ? { nodePort: old.find((o) => o.port === p.port)!.nodePort } : {}) }));
        cluster.api.update(next, { reconcile: false });
        wrote = true;
      }
    }
    return wrote;
  }

  private writeGatewayStatus(key: string, g: Translation['gateways'] extends Map<string, infer V> ? V : never, ns: string, proxy: string, now: string): boolean {
    const cluster = this.cluster;
    const [gwNs, gwName] = key.split('/');
    const cur = cluster.store.get('Gateway', gwNs, gwName);
    if (!cur) return false;
    const svc = cluster.store.get('Service', ns, proxy);
    const deploy = cluster.store.get('Deployment', ns, proxy);
    const addresses = ((svc?.status?.loadBalancer?.ingress ?? []) as { ip?: string; hostname?: string }[]).map((i) => (i.ip ? { type: 'IPAddress', value: i.ip } : { type: 'Hostname', value: i.hostname }));
    const invalid = g.listeners.filter((l) => l.conditions.some((c) => c.type === 'Accepted' && c.status === 'False')).map((l) => l.name);
    const accepted: Condition = invalid.length === g.listeners.length && g.listeners.length > 0
      ? { type: 'Accepted', status: 'False', reason: 'ListenersNotValid', message: `No listeners are valid: ${invalid.join(', ')}` }
      : { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'The Gateway has been scheduled by Envoy Gateway' };
    let programmed: Condition;
    const available = deploy?.status?.availableReplicas ?? 0;
    if (addresses.length === 0) programmed = { type: 'Programmed', status: 'False', reason: 'AddressNotAssigned', message: 'No addresses have been assigned to the Gateway' };
    else if (available > 0) programmed = { type: 'Programmed', status: 'True', reason: 'Programmed', message: `Address assigned to the Gateway, ${available}/${deploy?.status?.replicas ?? 0} envoy replicas available` };
    else programmed = { type: 'Programmed', status: 'False', reason: 'NoResources', message: 'Envoy replicas unavailable' };
    const gen = cur.metadata.generation ?? 1;
    const oldListeners = (cur.status?.listeners ?? []) as { name: string; conditions?: Record<string, unknown>[] }[];
    const status: Record<string, unknown> = {
      ...(addresses.length ? { addresses } : {}),
      conditions: merged(cur.status?.conditions, [accepted, programmed], gen, now),
      listeners: g.listeners.map((l) => ({
        attachedRoutes: l.attachedRoutes,
        conditions: merged(oldListeners.find((o) => o.name === l.name)?.conditions, l.conditions, gen, now),
        name: l.name,
        supportedKinds: ['HTTP', 'HTTPS'].includes(l.protocol) ? [{ group: GATEWAY_GROUP, kind: 'HTTPRoute' }, { group: GATEWAY_GROUP, kind: 'GRPCRoute' }] : [],
      })),
    };
    if (stripTimes(cur.status) === stripTimes(status)) return false;
    cluster.api.updateStatus({ ...structuredClone(cur), status });
    return true;
  }
}

/** A status as text without its transition times, to tell a real change from a rewrite. */
function stripTimes(s: unknown): string {
  return JSON.stringify(s ?? {}, (k, v) => (k === 'lastTransitionTime' ? undefined : v));
}
