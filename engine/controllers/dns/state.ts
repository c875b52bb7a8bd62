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
  /**
   * The ConfigMap's Corefile over time ([virtual ms, text]; '' when absent): a CoreDNS
   * container reads the file when it starts, so a run's start (and its crash) follows the text
   * of that moment, whatever the ConfigMap says later. Replaced, never mutated (snapshots share it).
   */
  history?: [number, string][];
}

/** How many Corefile versions the history keeps (older runs' starts are long over). */
const HISTORY_MAX = 32;

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
        if (text !== undefined && c.type !== 'DELETED' && !parseCorefile(text).error) this.state.loaded = text;
        const now = this.cluster.clock.now();
        let h = this.state.history ?? [];
        // the text before the first change seen: in effect since the beginning
        if (!h.length && c.old) h = [[0, String((c.old.data as Record<string, string> | undefined)?.Corefile ?? '')]];
        this.state.history = [...h, [now, c.type === 'DELETED' ? '' : String(text ?? '')] as [number, string]].slice(-HISTORY_MAX);
      }
    });
  }

  snapshot(): unknown {
    return { ...this.state, ...(this.state.history ? { history: this.state.history.map(([t, x]) => [t, x]) } : {}) };
  }

  restore(data: unknown): void {
    if (data && typeof data === 'object') {
      const d = data as DnsStateData;
      this.state = { ...d, ...(d.history ? { history: d.history.map(([t, x]): [number, string] => [t, x]) } : {}) };
    }
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
