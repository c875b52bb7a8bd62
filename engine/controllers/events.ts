/**
 * Events (core/v1 Event), as the components record them through client-go's
 * EventRecorder: the scheduler (Scheduled, FailedScheduling), the kubelet (Pulling,
 * Pulled, Created, Started, Failed, BackOff, Killing), the workload controllers
 * (SuccessfulCreate, SuccessfulDelete, ScalingReplicaSet) and the service controller
 * (EnsuringLoadBalancer, EnsuredLoadBalancer). Repeats of the same event on the same
 * object are aggregated (count, lastTimestamp), and events expire after an hour like
 * the API server's --event-ttl=1h, so a days-old cluster shows none from its birth.
 *
 * Names are `<involvedObject.name>.<hex unix nanoseconds>` (client-go makeEvent).
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import { isKind, type Event, type KubeObject } from '../cluster/types';
import { keyOf, type Change, type KindStore } from '../cluster/store';
import { splitKey } from './index-cache';

export const EVENT_TTL_MS = 3_600_000;

export interface EventSource {
  component: string;
  host?: string;
}

export class EventRecorder implements SimModule {
  readonly name = 'events';
  private seq = 0;
  /** aggregation key → event key */
  private byKey = new Map<string, string>();
  /** event keys in creation order (for expiry) */
  private queue: { at: number; key: string }[] = [];
  private unsubscribe?: () => void;

  constructor(private cluster: Cluster) {}

  private get store(): KindStore {
    return this.cluster.store;
  }

  snapshot(): unknown {
    return { seq: this.seq };
  }

  restore(data: unknown): void {
    this.seq = (data as { seq?: number } | undefined)?.seq ?? 0;
  }

  init(): void {
    this.unsubscribe?.();
    this.byKey.clear();
    this.queue = [];
    const all = [...this.store.iterate('Event')].sort((a, b) => stamp(a) - stamp(b) || (a.metadata.name < b.metadata.name ? -1 : 1));
    for (const e of all) {
      this.byKey.set(aggKey(e.involvedObject.uid, e.reason, e.message, e.source?.component), keyOf(e));
      this.queue.push({ at: stamp(e), key: keyOf(e) });
    }
    this.unsubscribe = this.cluster.store.subscribe((c: Change) => {
      if (c.type === 'DELETED' && isKind(c.object, 'Event')) this.byKey.delete(aggKey(c.object.involvedObject?.uid, c.object.reason, c.object.message, c.object.source?.component));
    });
  }

  /** Drops events older than the TTL. */
  reconcile(): boolean {
    const cutoff = this.cluster.clock.now() - EVENT_TTL_MS;
    let wrote = false;
    while (this.queue.length && this.queue[0].at < cutoff) {
      const { key } = this.queue.shift()!;
      const [, ns, name] = splitKey(key);
      const e = this.store.get('Event', ns, name);
      if (e && stamp(e) < cutoff) {
        this.store.remove('Event', ns, name);
        wrote = true;
      } else if (e) this.queue.push({ at: stamp(e), key });
    }
    return wrote;
  }

  /** Records an event about `obj` (at `at`, default now). */
  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, fieldPath?: string, at?: number): void {
    const ms = at ?? this.cluster.clock.now();
    if (ms < this.cluster.clock.now() - EVENT_TTL_MS) return;
    const iso = this.cluster.clock.iso(ms);
    const agg = aggKey(obj.metadata.uid, reason, message, source.component);
    const existing = this.byKey.get(agg);
    if (existing) {
      const [, ns, name] = splitKey(existing);
      const e = this.store.get('Event', ns, name);
      if (e) {
        this.cluster.api.updateStatus({ ...e, metadata: { ...e.metadata }, count: (e.count ?? 1) + 1, lastTimestamp: iso });
        this.queue.push({ at: ms, key: existing });
        return;
      }
    }
    this.seq++;
    // UnixNano of the moment, with a deterministic sub-millisecond part
    const nanos = BigInt(ms) * 1_000_000n + BigInt((this.seq * 7919) % 1_000_000);
    const ns = obj.metadata.namespace ?? 'default';
    const name = `${obj.metadata.name}.${nanos.toString(16)}`;
    const e = {
      apiVersion: 'v1',
      kind: 'Event' as const,
      metadata: { creationTimestamp: iso, name, namespace: ns },
      count: 1,
      eventTime: null,
      firstTimestamp: iso,
      involvedObject: {
        apiVersion: obj.apiVersion,
        ...(fieldPath ? { fieldPath } : {}),
        kind: obj.kind,
        name: obj.metadata.name,
        ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
        resourceVersion: obj.metadata.resourceVersion,
        uid: obj.metadata.uid,
      },
      lastTimestamp: iso,
      message,
      reason,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      type,
    };
    // the recorder's POST, without the general create path's defaulting and validation
    // (everything here is well-formed); an event for a vanished namespace is dropped
    const nsObj = this.store.get('Namespace', undefined, ns);
    if (!nsObj && this.cluster.store.count('Namespace') > 0) return;
    if (nsObj?.metadata.deletionTimestamp) return;
    const created: Event = { ...e, metadata: { ...e.metadata, resourceVersion: this.cluster.store.nextResourceVersion(), uid: this.cluster.api.uid() } };
    this.cluster.store.put(created);
    this.byKey.set(agg, keyOf(created));
    this.queue.push({ at: ms, key: keyOf(created) });
  }
}

/** When the event last happened (ms); NaN if it has no lastTimestamp. */
function stamp(e: Event): number {
  return Date.parse(e.lastTimestamp ?? '');
}

function aggKey(uid: string | undefined, reason: string | undefined, message: string | undefined, component: string | undefined): string {
  return `${uid}\u0000${reason}\u0000${message}\u0000${component}`;
}
