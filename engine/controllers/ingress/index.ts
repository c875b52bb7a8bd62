/**
 * The ingress-nginx controller's control loop. It is active while a controller Deployment
 * (or DaemonSet) exists (image registry.k8s.io/ingress-nginx/controller — preinstalled by a scenario or
 * installed with `helm install`). Like the real controller started with
 * --publish-service, it writes the address of its Service into the status of every Ingress
 * it serves (the ADDRESS column of `kubectl get ingress`): the load balancer's address when
 * the Service has one, otherwise the addresses of the nodes its pods run on (what it
 * reports without a published LoadBalancer, e.g. a NodePort install).
 *
 * The request path (routing, TLS, canaries, rewrites, logs) is in proxy.ts; the rate-limit
 * buckets (ratelimit.ts) are this module's state.
 */
import type { Cluster } from '../../cluster/cluster';
import type { SimModule } from '../../cluster/module';
import type { EventRecorder } from '../events';
import type { KubeObject } from '../../cluster/types';
import { ApiError } from '../../cluster/api';
import { ofNginxClass, rejectedByStore, servedByNginx, tlsWarnings } from './proxy';
import { storeRejection } from './annotations';
import { storeConfig } from './config';
import type { ClusterRuntime } from '../runtime';
import { selectorMatches } from '../../dataplane/policy';
import { nodeByName, podInfo } from '../../dataplane/topology';
import type { RateLimitState } from './ratelimit';
import { renderNginxConf } from './nginxconf';
import { NGINX_IMAGE_FILES, NGINX_MIME_TYPES } from '../../hosts/nginx';
import type { HostRef } from '../../types';

/** The files in the controller's container: /etc/nginx/nginx.conf, rendered from its template (nginxconf.ts), and nginx's mime.types. */
function registerIngressFiles(cluster: ClusterRuntime): void {
  const isController = (h: HostRef) => {
    if (h.kind !== 'pod') return false;
    const pod = cluster.store.get('Pod', h.namespace, h.pod);
    const c = ((pod?.spec?.containers ?? []) as { name: string; image?: string }[]).find((x) => x.name === h.container) ?? pod?.spec?.containers?.[0];
    return CONTROLLER_IMAGE.test(c?.image ?? '');
  };
  cluster.fs.provide(isController, '/etc/nginx/nginx.conf', (h) => renderNginxConf(cluster, h.kind === 'pod' ? cluster.store.get('Pod', h.namespace, h.pod) : undefined));
  // nginx's conf/ files its `make install` puts beside nginx.conf (the same texts in 1.25.5 as in 1.27.3)
  cluster.fs.provide(isController, '/etc/nginx/mime.types', () => NGINX_MIME_TYPES);
  for (const f of ['/etc/nginx/fastcgi_params', '/etc/nginx/scgi_params', '/etc/nginx/uwsgi_params']) cluster.fs.provide(isController, f, () => NGINX_IMAGE_FILES[f]);
}

export { ingressServe, servedByNginx, CONTROLLER_CLASS } from './proxy';

const CONTROLLER_IMAGE = /(^|\/)ingress-nginx\/controller(:|@|$)|nginx-ingress-controller/;

function isControllerDeployment(d: KubeObject): boolean {
  return (d.spec?.template?.spec?.containers ?? []).some((c: { image?: string }) => CONTROLLER_IMAGE.test(c.image ?? ''));
}

/** The controller's workloads: a Deployment (the chart's default) or a DaemonSet (kind, bare metal). */
export function controllerDeployments(cluster: Cluster): KubeObject[] {
  return [...cluster.store.list('Deployment'), ...cluster.store.list('DaemonSet')].filter(isControllerDeployment);
}

/** The addresses the controller publishes for its Ingresses. */
export function publishedAddresses(cluster: Cluster): { ip?: string; hostname?: string }[] {
  const out: { ip?: string; hostname?: string }[] = [];
  for (const d of controllerDeployments(cluster)) {
    const ns = d.metadata.namespace ?? 'default';
    const labels: Record<string, string> = d.spec?.template?.metadata?.labels ?? {};
    const svcs = cluster.store.list('Service', ns).filter((s) => {
      const sel = s.spec?.selector as Record<string, string> | undefined;
      return sel && Object.keys(sel).length > 0 && selectorMatches({ matchLabels: sel }, labels) && (s.spec?.type === 'LoadBalancer' || s.spec?.type === 'NodePort');
    });
    const svc = svcs.find((s) => s.metadata.name.endsWith('-controller')) ?? svcs[0];
    const lb: { ip?: string; hostname?: string }[] = svc?.status?.loadBalancer?.ingress ?? [];
    if (lb.length) {
      for (const i of lb) out.push(i.ip ? { ip: i.ip } : { hostname: i.hostname });
      continue;
    }
    if (svc?.spec?.type === 'LoadBalancer') continue; // still <pending>: nothing to publish yet
    const sel = d.spec?.selector ?? {};
    const ips = new Set<string>();
    for (const p of cluster.store.list('Pod', ns)) {
      if (!selectorMatches(sel, p.metadata.labels ?? {})) continue;
      const info = podInfo(p);
      if (!info.running || !info.node) continue;
      const ip = nodeByName(cluster, info.node)?.ip;
      if (ip) ips.add(ip);
    }
    for (const ip of [...ips].sort()) out.push({ ip });
  }
  return out;
}

/** ingress-nginx's controller: publishes the load balancer address into each Ingress it serves, with its Sync events. */
export class IngressNginx implements SimModule {
  readonly name = 'ingress-nginx';
  /** limit_req buckets (ratelimit.ts), kept across snapshots. */
  limits: RateLimitState = { buckets: {} };
  private seen = -1;
  /** Ingress uid → the generation the controller last synced (for its "Sync" events). */
  private synced: Record<string, number> = {};
  /** The TLS warnings last written to the controller's log (written again when they change). */
  private warned = '';
  /** uid/resourceVersion of the Ingress versions whose rejection the store has logged */
  private rejected: string[] = [];
  /** uid → the last version of each Ingress the store accepted (proxy.ts controllerIngresses) */
  accepted: Record<string, KubeObject> = {};

  constructor(private cluster: ClusterRuntime, private events: EventRecorder) {
    registerIngressFiles(cluster);
    cluster.api.validatingAdmission.push((obj) => this.checkIngress(obj));
  }

  /**
   * The controller's validating admission webhook (--validating-webhook; the chart's
   * ValidatingWebhookConfiguration "validate.nginx.ingress.kubernetes.io"):
   * controller.go CheckIngress — Ingresses of other classes and deleted ones pass, a
   * `*-snippet` annotation is refused while allow-snippet-annotations is off, then the
   * annotations must parse (annotations.go Extract: the risk level, invalid values).
   * The webhook answers only while a controller pod is ready (an endpoint of the admission
   * Service); the call failing when none is (failurePolicy Fail: "failed calling webhook")
   * and the rendered file's `nginx -t` are not simulated here: such writes pass.
   */
  private checkIngress(obj: KubeObject): void {
    if (obj.kind !== 'Ingress' || obj.metadata.deletionTimestamp) return;
    const hooked = controllerDeployments(this.cluster).some(
      (d) =>
        (d.spec?.template?.spec?.containers ?? []).some((c: { args?: string[] }) => (c.args ?? []).some((a) => a === '--validating-webhook' || a.startsWith('--validating-webhook='))) &&
        this.cluster.store.list('Pod', d.metadata.namespace ?? 'default').some((pod) => selectorMatches(d.spec?.selector ?? {}, pod.metadata.labels ?? {}) && podInfo(pod).ready),
    );
    if (!hooked || !ofNginxClass(this.cluster, obj)) return;
    const cfg = storeConfig(this.cluster);
    const deny = (msg: string) => {
      throw new ApiError('BadRequest', `admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: ${msg}`, 400);
    };
    for (const key of Object.keys(obj.metadata.annotations ?? {})) {
      if (!cfg.allowSnippetAnnotations && key.endsWith('-snippet')) deny(`${key} annotation cannot be used. Snippet directives are disabled by the Ingress administrator`);
    }
    const why = obj.metadata.annotations ? storeRejection(obj, cfg, { secret: (ns, name) => this.cluster.store.get('Secret', ns, name) }) : undefined;
    if (why) deny(why);
  }

  snapshot(): unknown {
    return { buckets: structuredClone(this.limits.buckets), synced: { ...this.synced }, warned: this.warned, rejected: [...this.rejected], accepted: { ...this.accepted } };
  }

  restore(data: unknown): void {
    const d = data as (RateLimitState & { synced?: Record<string, number>; warned?: string; rejected?: string[]; accepted?: Record<string, KubeObject> }) | undefined;
    this.accepted = { ...(d?.accepted ?? {}) };
    this.warned = d?.warned ?? '';
    this.rejected = [...(d?.rejected ?? [])];
    this.limits.buckets = structuredClone(d?.buckets ?? {});
    this.synced = { ...(d?.synced ?? {}) };
  }

  reconcile(): boolean {
    const cluster = this.cluster;
    if (cluster.store.revision === this.seen) return false;
    let wrote = false;
    // the store's copies: every Ingress version Extract accepts replaces the last one
    const present = new Set<string>();
    if (controllerDeployments(cluster).length > 0) {
      for (const ing of cluster.store.iterate('Ingress')) {
        present.add(ing.metadata.uid);
        if (ofNginxClass(cluster, ing) && !rejectedByStore(cluster, ing)) this.accepted[ing.metadata.uid] = ing;
      }
    }
    for (const uid of Object.keys(this.accepted)) if (!present.has(uid)) delete this.accepted[uid];
    if (cluster.store.count('Ingress') > 0 && controllerDeployments(cluster).length > 0) {
      const addrs = publishedAddresses(cluster);
      const want = JSON.stringify(addrs);
      const live = new Set<string>();
      for (const ing of cluster.store.list('Ingress')) {
        if (!servedByNginx(cluster, ing)) continue;
        live.add(ing.metadata.uid);
        const gen = ing.metadata.generation ?? 1;
        if (this.synced[ing.metadata.uid] !== gen) {
          // The controller queues a sync for every new or changed Ingress it serves.
          this.synced[ing.metadata.uid] = gen;
          this.syncEvent(ing);
          wrote = true;
        }
        const have = JSON.stringify(ing.status?.loadBalancer?.ingress ?? []);
        if (have === want) continue;
        const next = structuredClone(cluster.store.get('Ingress', ing.metadata.namespace, ing.metadata.name)!);
        next.status = { ...(next.status ?? {}), loadBalancer: addrs.length ? { ingress: addrs } : {} };
        cluster.api.updateStatus(next);
        // ...and once more when its status changes (kubectl describe shows "(x2 over …)").
        this.syncEvent(next);
        wrote = true;
      }
      for (const uid of Object.keys(this.synced)) if (!live.has(uid)) delete this.synced[uid];
      this.logTlsWarnings();
      this.logRejections();
    }
    this.seen = cluster.store.revision;
    return wrote;
  }

  /**
   * store.go:938 `klog.Error(err)` for every version of an Ingress of the controller's class
   * whose annotations Extract refuses (annotations.ts storeRejection): the store keeps no copy.
   */
  private logRejections(): void {
    const cfg = storeConfig(this.cluster);
    const lines: string[] = [];
    for (const ing of this.cluster.store.list('Ingress')) {
      if (!ing.metadata.annotations || !ofNginxClass(this.cluster, ing)) continue;
      const why = storeRejection(ing, cfg, { secret: (ns, name) => this.cluster.store.get('Secret', ns, name) });
      const key = `${ing.metadata.uid}/${ing.metadata.resourceVersion}`;
      if (!why || this.rejected.includes(key)) continue;
      this.rejected.push(key);
      lines.push(why);
    }
    if (!lines.length) return;
    this.klog('E', lines.map((msg) => ['store.go:938', msg]));
  }

  /** klog lines (pid 7 in the controller image) on every running controller pod. */
  private klog(level: 'E' | 'W', entries: [string, string][]): void {
    const pods = controllerDeployments(this.cluster).flatMap((d) => this.cluster.store.list('Pod', d.metadata.namespace ?? 'default').filter((pod) => selectorMatches(d.spec?.selector ?? {}, pod.metadata.labels ?? {}) && podInfo(pod).running));
    const now = this.cluster.clock.now();
    const d = new Date(now);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    for (const pod of pods) {
      entries.forEach(([file, msg], i) => {
        const micros = ((now % 1000) * 1000 + 412093 + i * 13) % 1_000_000;
        const line = `${level}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(micros, 6)}       7 ${file}] ${msg}`;
        this.cluster.logs.append(pod.metadata.namespace ?? 'default', pod.metadata.name, 'controller', line);
      });
    }
  }

  /** klog warnings (W…, pid 7 in the controller image) for TLS hosts served with the default certificate. */
  private logTlsWarnings(): void {
    const warnings = tlsWarnings(this.cluster);
    const text = JSON.stringify(warnings);
    if (text === this.warned) return;
    const pods = controllerDeployments(this.cluster).flatMap((d) => this.cluster.store.list('Pod', d.metadata.namespace ?? 'default').filter((pod) => selectorMatches(d.spec?.selector ?? {}, pod.metadata.labels ?? {}) && podInfo(pod).running));
    if (!pods.length) return; // written by the first running controller pod's first sync
    this.warned = text;
    const now = this.cluster.clock.now();
    const d = new Date(now);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    for (const pod of pods) {
      warnings.forEach(([file, msg], i) => {
        const micros = ((now % 1000) * 1000 + 865907 + i * 11) % 1_000_000;
        const line = `W${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(micros, 6)}       7 ${file}] ${msg}`;
        this.cluster.logs.append(pod.metadata.namespace ?? 'default', pod.metadata.name, 'controller', line);
      });
    }
  }

  /** What the controller's event recorder says on every sync of an Ingress it serves. */
  private syncEvent(ing: KubeObject): void {
    this.events.record(ing, 'Normal', 'Sync', 'Scheduled for sync', { component: 'nginx-ingress-controller' });
  }
}
