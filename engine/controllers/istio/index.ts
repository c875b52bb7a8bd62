/**
 * Istio in sidecar mode, as far as the cluster's state goes: whether the control plane is
 * installed and running, the sidecar injector (istiod's mutating webhook, registered with
 * the API server here and answering only while istiod has a ready Pod), and the proxies
 * istiod pushes configuration to (what `istioctl proxy-status` lists).
 *
 * The request path through the sidecars (capture, mTLS, routing, retries, faults) is in
 * proxy.ts; the install manifests in install.ts; the injection template in inject.ts; the
 * nat table istio-init writes in iptables.ts.
 */
import type { Cluster } from '../../cluster/cluster';
import type { ClusterRuntime } from '../runtime';
import type { SimModule } from '../../cluster/module';
import type { KubeObject } from '../../cluster/types';
import { ApiError } from '../../cluster/api';
import { podInfo } from '../../dataplane/topology';
import { RESOURCES, isServed } from '../../cluster/resources';
import { INJECTOR_CONFIGMAP, ISTIO_NAMESPACE, ISTIO_VERSION } from './install';
import { hasSidecar, injectionWanted, injectSidecar } from './inject';
import { IstioConnections } from './logs';

export { ISTIO_VERSION, ISTIO_NAMESPACE } from './install';

/** istiod's Pods that are Ready (the webhook and xDS answer only from these). */
export function istiodPods(cluster: Cluster): KubeObject[] {
  return cluster.store.list('Pod', ISTIO_NAMESPACE).filter((p) => p.metadata.labels?.app === 'istiod' && podInfo(p).ready && !p.metadata.deletionTimestamp);
}

/** Is the injection webhook installed (istioctl install wrote its config)? */
export function injectorInstalled(cluster: Cluster): boolean {
  return !!cluster.store.get('ConfigMap', ISTIO_NAMESPACE, INJECTOR_CONFIGMAP);
}

/** A Pod's running Envoy: a sidecar's or a gateway's istio-proxy container whose process runs. */
export function proxyRunning(pod: KubeObject): boolean {
  const st = (pod.status?.containerStatuses ?? []).find((c: { name: string }) => c.name === 'istio-proxy');
  return !!st?.state?.running && podInfo(pod).running;
}

/** Every proxy connected to istiod: injected Pods and the gateways, running. */
export function meshProxies(cluster: Cluster): KubeObject[] {
  return cluster.store.list('Pod').filter((p) => (hasSidecar(p) || (p.metadata.namespace === ISTIO_NAMESPACE && /gateway$/.test(p.metadata.labels?.istio ?? ''))) && proxyRunning(p));
}

/** The service account a Pod's certificate names: spiffe://cluster.local/ns/NS/sa/SA. */
export function spiffeId(pod: KubeObject): string {
  return `spiffe://cluster.local/ns/${pod.metadata.namespace ?? 'default'}/sa/${pod.spec?.serviceAccountName ?? 'default'}`;
}

/**
 * The control plane's module: it owns the injection webhook. The injector is a webhook with
 * failurePolicy Fail, so once installed a Pod create in a selected namespace fails while no
 * istiod Pod is ready — the API server cannot reach https://istiod.istio-system.svc:443/inject.
 */
export class IstioMesh implements SimModule {
  readonly name = 'istio';
  readonly version = ISTIO_VERSION;

  /** the proxies' XDS streams, which istiod logs as they open and close */
  private connections: IstioConnections;
  private unsubscribe?: () => void;

  constructor(private cluster: ClusterRuntime) {
    cluster.api.mutatingAdmission.push((obj) => this.admit(obj));
    this.connections = new IstioConnections(cluster);
  }

  init(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.cluster.store.subscribe((c) => {
      if (c.object.kind === 'Pod') this.connections.changed(c);
    });
  }

  snapshot(): unknown {
    return this.connections.snapshot();
  }

  restore(data: unknown): void {
    this.connections.restore(data);
  }

  sizes(): Record<string, number> {
    return this.connections.sizes();
  }

  /**
   * The apiextensions server's finalizer: deleting a CustomResourceDefinition deletes every
   * object of its kind (`kubectl delete crd virtualservices.networking.istio.io`).
   */
  reconcile(): boolean {
    // three kinds, one map lookup each: cheap enough for every pass (a removal does not move the store's revision)
    const store = this.cluster.store;
    let wrote = false;
    for (const info of RESOURCES) {
      if (!info.crd || isServed(info, store) || store.count(info.kind) === 0) continue;
      for (const o of store.list(info.kind)) {
        this.cluster.api.delete(info.kind, o.metadata.namespace, o.metadata.name, { reconcile: false });
        wrote = true;
      }
    }
    return wrote;
  }

  private admit(obj: KubeObject): boolean {
    if (obj.kind !== 'Pod' || !injectorInstalled(this.cluster)) return false;
    const ns = this.cluster.store.get('Namespace', undefined, obj.metadata.namespace ?? 'default');
    if (!injectionWanted(obj, ns?.metadata.labels)) return false;
    if (istiodPods(this.cluster).length === 0) {
      const svc = this.cluster.store.get('Service', ISTIO_NAMESPACE, 'istiod');
      const ip = svc?.spec?.clusterIP ?? '';
      throw new ApiError('InternalError', `Internal error occurred: failed calling webhook "namespace.sidecar-injector.istio.io": failed to call webhook: Post "https://istiod.${ISTIO_NAMESPACE}.svc:443/inject?timeout=10s": ${svc ? `dial tcp ${ip}:443: connect: connection refused` : `service "istiod" not found`}`, 500);
    }
    injectSidecar(obj);
    return true;
  }
}
