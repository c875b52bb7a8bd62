/**
 * CoreDNS's mutable state: the zone serial (the kubernetes plugin's Serial() is the time
 * of the last Service/EndpointSlice change it saw) and a query counter that seeds message
 * ids and EDNS cookies. Both round-trip through snapshots.
 */
import type { ClusterRuntime } from '../runtime';
import type { Cluster } from '../../cluster/cluster';
import type { SimModule } from '../../cluster/module';
import { parseCorefile } from './corefile';

export interface DnsStateData {
  serial: number;
  queries: number;
  /** Answers the loadbalance plugin has shuffled (drives its round-robin). */
  shuffles?: number;
  /** Queries the log plugin has logged (seeds their client port and id). */
  logged?: number;
  /** The last Corefile CoreDNS loaded: a changed one that fails to parse leaves it running (plugin/reload). */
  loaded?: string;
}

export class DnsModule implements SimModule {
  readonly name = 'dns';
  state: DnsStateData;
  private unsubscribe?: () => void;

  constructor(private cluster: Cluster) {
    this.state = { serial: Math.floor(cluster.clock.now() / 1000), queries: 0 };
  }

  init(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.cluster.store.subscribe((c) => {
      const k = c.object.kind;
      if (k === 'Service' || k === 'EndpointSlice' || k === 'Namespace') this.state.serial = Math.floor(this.cluster.clock.now() / 1000);
      if (k === 'ConfigMap' && c.object.metadata.namespace === 'kube-system' && c.object.metadata.name === 'coredns') {
        const text = (c.object.data as Record<string, string> | undefined)?.Corefile;
        // the reload plugin's Restart keeps the running instance when the new file does not load
        if (text !== undefined && !parseCorefile(text).error) this.state.loaded = text;
      }
    });
  }

  snapshot(): unknown {
    return { ...this.state };
  }

  restore(data: unknown): void {
    if (data && typeof data === 'object') this.state = { ...(data as DnsStateData) };
  }
}

export function dnsState(cluster: ClusterRuntime): DnsStateData {
  return cluster.dns.state;
}

/** The next query number (message ids and cookies derive from it). */
export function nextQueryNumber(cluster: ClusterRuntime): number {
  const s = dnsState(cluster);
  s.queries += 1;
  return s.queries;
}

/** The loadbalance plugin's turn: how far to rotate an answer's address records. */
export function nextShuffle(cluster: ClusterRuntime): number {
  const s = dnsState(cluster);
  s.shuffles = (s.shuffles ?? 0) + 1;
  return s.shuffles - 1;
}
