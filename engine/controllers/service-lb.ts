/**
 * A simulated cloud controller's service controller: LoadBalancer Services get an
 * address from settings.loadBalancerPool in status.loadBalancer.ingress (with ipMode
 * VIP, as 1.30+ API servers default it). An empty pool leaves them <pending>, like a
 * bare-metal cluster without MetalLB. spec.loadBalancerIP is honoured when it is in the pool.
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import { isKind } from '../cluster/types';
import { keyOf, type Change, type KindStore } from '../cluster/store';
import type { Ipam } from '../cluster/ipam';
import { splitKey } from './index-cache';
import { withStatus } from './util';
import type { EventRecorder } from './events';

export class ServiceLBController implements SimModule {
  readonly name = 'service-lb-controller';
  private dirty = new Set<string>();
  private unsubscribe?: () => void;

  constructor(
    private cluster: Cluster,
    private ipam: Ipam,
    private events: EventRecorder,
  ) {}

  private get store(): KindStore {
    return this.cluster.store;
  }

  init(): void {
    this.unsubscribe?.();
    this.pending.clear();
    for (const s of this.store.iterate('Service')) if (s.spec?.type === 'LoadBalancer') this.dirty.add(keyOf(s));
    this.unsubscribe = this.cluster.store.subscribe((c) => this.onChange(c));
  }

  private pending = new Set<string>();

  private onChange(c: Change): void {
    if (!isKind(c.object, 'Service')) return;
    // the previous version of the same Service
    const old = c.old && isKind(c.old, 'Service') ? c.old : undefined;
    const freed = c.type === 'DELETED' ? c.object.status?.loadBalancer?.ingress?.length : old?.status?.loadBalancer?.ingress?.length && !c.object.status?.loadBalancer?.ingress?.length;
    if (freed) for (const k of this.pending) this.dirty.add(k); // an address went back to the pool: retry the waiting ones
    if (c.type === 'DELETED') {
      this.pending.delete(keyOf(c.object));
      return;
    }
    if (c.object.spec?.type === 'LoadBalancer' && !c.object.status?.loadBalancer?.ingress?.length) this.dirty.add(keyOf(c.object));
  }

  reconcile(): boolean {
    if (this.dirty.size === 0) return false;
    let wrote = false;
    for (const k of [...this.dirty].sort()) {
      this.dirty.delete(k);
      const [, ns, name] = splitKey(k);
      const svc = this.store.get('Service', ns, name);
      if (!svc || svc.spec?.type !== 'LoadBalancer' || svc.status?.loadBalancer?.ingress?.length) continue;
      const ip = this.ipam.allocateLoadBalancerIP(svc.spec.loadBalancerIP || undefined);
      if (!ip) {
        this.pending.add(k);
        continue;
      }
      this.pending.delete(k);
      this.events.record(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer', { component: 'service-controller' });
      const next = this.cluster.api.updateStatus(withStatus(svc, { ...(svc.status ?? {}), loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } }));
      this.events.record(next, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer', { component: 'service-controller' });
      wrote = true;
    }
    return wrote;
  }
}
