/**
 * Events (core/v1 Event), as the components record them through client-go's
 * EventRecorder: the scheduler (Scheduled, FailedScheduling), the kubelet (Pulling,
 * Pulled, Created, Started, Failed, BackOff, Killing), the workload controllers
 * (SuccessfulCreate, SuccessfulDelete, ScalingReplicaSet) and the service controller
 * (EnsuringLoadBalancer, EnsuredLoadBalancer).
 *
 * Every event passes the recording process's EventCorrelator first
 * (client-go tools/record/events_cache.go, v0.34), whose three caches are LRUs of
 * maxLruCacheEntries (4096) entries each:
 * - the aggregator: more than defaultAggregateMaxEvents (10) events that differ only in
 *   their message, within defaultAggregateIntervalInSeconds (600 s), become one event
 *   whose message reads `(combined from similar events): <latest message>`;
 * - the logger: a repeat of the same event (source, object, type, reason, message)
 *   patches the existing event's count and lastTimestamp instead of creating one;
 * - the spam filter: a token bucket per source and object (defaultSpamBurst 25, refilled
 *   at defaultSpamQPS, one every 300 s) drops what comes faster.
 * The API server stores each event with a lease of --event-ttl (1 h) from its last write,
 * so a days-old cluster shows none from its birth; the recorder re-creates an event whose
 * patch finds it expired (recordEvent's IsKeyNotFoundError path).
 *
 * Names are `<involvedObject.name>.<hex unix nanoseconds>` (client-go makeEvent).
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import type { Event, KubeObject } from '../cluster/types';
import { keyOf, type KindStore } from '../cluster/store';
import { splitKey } from './index-cache';

export const EVENT_TTL_MS = 3_600_000;

/** events_cache.go's constants. */
export const MAX_LRU_CACHE_ENTRIES = 4096;
const AGGREGATE_MAX_EVENTS = 10;
const AGGREGATE_INTERVAL_MS = 600_000;
const SPAM_BURST = 25;
const SPAM_QPS = 1 / 300;

export interface EventSource {
  component: string;
  host?: string;
}

/** A Map used as golang-lru's cache: a get or add makes the entry the newest; past `size` the oldest goes. */
class Lru<V> {
  readonly map = new Map<string, V>();
  constructor(private size = MAX_LRU_CACHE_ENTRIES) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  add(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
  get length(): number {
    return this.map.size;
  }
}

interface AggregateRecord {
  /** The messages seen in the current window (at most AGGREGATE_MAX_EVENTS - 1 are kept). */
  localKeys: string[];
  last: number;
}

interface EventLog {
  count: number;
  first: number;
  name: string;
}

/** flowcontrol's token bucket as the spam filter keeps it: tokens left at `last`. */
interface Bucket {
  tokens: number;
  last: number;
}

/** One process's EventCorrelator (a kubelet, the scheduler, kube-controller-manager…). */
class Correlator {
  readonly aggregator = new Lru<AggregateRecord>();
  readonly logger = new Lru<EventLog>();
  readonly spam = new Lru<Bucket>();
}

interface CorrelatorState {
  aggregator: [string, AggregateRecord][];
  logger: [string, EventLog][];
  spam: [string, Bucket][];
}

interface EventsState {
  seq: number;
  correlators?: Record<string, CorrelatorState>;
}

/** A min-heap of (expiry, event key): an entry per stored event, re-pushed when a write extended its lease. */
class ExpiryHeap {
  items: { at: number; key: string }[] = [];
  push(at: number, key: string): void {
    const a = this.items;
    a.push({ at, key });
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p].at < a[i].at || (a[p].at === a[i].at && a[p].key <= a[i].key)) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  peek(): { at: number; key: string } | undefined {
    return this.items[0];
  }
  pop(): void {
    const a = this.items;
    const last = a.pop()!;
    if (a.length === 0) return;
    a[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      const less = (x: number, y: number) => a[x].at < a[y].at || (a[x].at === a[y].at && a[x].key < a[y].key);
      if (l < a.length && less(l, m)) m = l;
      if (r < a.length && less(r, m)) m = r;
      if (m === i) break;
      [a[m], a[i]] = [a[i], a[m]];
      i = m;
    }
  }
}

/** The process whose broadcaster (and so whose correlator) records for `source`: kube-controller-manager's controllers share one. */
function processOf(source: EventSource): string {
  const component = /-controller$/.test(source.component) && source.component !== 'nginx-ingress-controller' ? 'kube-controller-manager' : source.component;
  return `${component}\u0000${source.host ?? ''}`;
}

export class EventRecorder implements SimModule {
  readonly name = 'events';
  private seq = 0;
  private correlators = new Map<string, Correlator>();
  /** event key → when its lease runs out (last write + TTL) */
  private leases = new Map<string, number>();
  private expiry = new ExpiryHeap();

  constructor(private cluster: Cluster) {}

  private get store(): KindStore {
    return this.cluster.store;
  }

  snapshot(): EventsState {
    const correlators: Record<string, CorrelatorState> = {};
    for (const [k, c] of this.correlators) {
      correlators[k] = { aggregator: [...c.aggregator.map], logger: [...c.logger.map], spam: [...c.spam.map] };
    }
    return { seq: this.seq, correlators };
  }

  restore(data: unknown): void {
    const d = data as EventsState | undefined;
    this.seq = d?.seq ?? 0;
    this.correlators.clear();
    for (const [k, s] of Object.entries(d?.correlators ?? {})) {
      const c = new Correlator();
      for (const [key, v] of s.aggregator ?? []) c.aggregator.add(key, v);
      for (const [key, v] of s.logger ?? []) c.logger.add(key, v);
      for (const [key, v] of s.spam ?? []) c.spam.add(key, v);
      this.correlators.set(k, c);
    }
  }

  init(): void {
    this.leases.clear();
    this.expiry = new ExpiryHeap();
    for (const e of this.store.iterate('Event')) this.lease(keyOf(e), stamp(e));
  }

  /** Sizes of what the recorder keeps beside the store (the soak test reads them). */
  sizes(): Record<string, number> {
    let aggregator = 0;
    let logger = 0;
    let spam = 0;
    for (const c of this.correlators.values()) {
      aggregator += c.aggregator.length;
      logger += c.logger.length;
      spam += c.spam.length;
    }
    return { correlators: this.correlators.size, aggregator, logger, spam, leases: this.leases.size, expiryQueue: this.expiry.items.length };
  }

  private lease(key: string, writtenAt: number): void {
    const at = (Number.isFinite(writtenAt) ? writtenAt : this.cluster.clock.now()) + EVENT_TTL_MS;
    const had = this.leases.get(key);
    this.leases.set(key, at);
    // one heap entry per event: a later write only moves its lease, found when the old entry surfaces
    if (had === undefined) this.expiry.push(at, key);
  }

  /** Drops events whose lease ran out. */
  reconcile(): boolean {
    const now = this.cluster.clock.now();
    let wrote = false;
    for (let top = this.expiry.peek(); top && top.at <= now; top = this.expiry.peek()) {
      this.expiry.pop();
      const at = this.leases.get(top.key);
      if (at === undefined) continue;
      if (at > now) {
        this.expiry.push(at, top.key);
        continue;
      }
      this.leases.delete(top.key);
      const [, ns, name] = splitKey(top.key);
      if (this.store.remove('Event', ns, name)) wrote = true;
    }
    return wrote;
  }

  private correlator(source: EventSource): Correlator {
    const k = processOf(source);
    let c = this.correlators.get(k);
    if (!c) this.correlators.set(k, (c = new Correlator()));
    return c;
  }

  /** Records an event about `obj` (at `at`, default now). */
  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, fieldPath?: string, at?: number): void {
    const ms = at ?? this.cluster.clock.now();
    if (ms < this.cluster.clock.now() - EVENT_TTL_MS) return;
    const ns = obj.metadata.namespace ?? 'default';
    // the broadcaster drops an event for a namespace that is gone or going
    const nsObj = this.store.get('Namespace', undefined, ns);
    if (!nsObj && this.cluster.store.count('Namespace') > 0) return;
    if (nsObj?.metadata.deletionTimestamp) return;
    const c = this.correlator(source);
    const object = [source.component, source.host ?? '', obj.kind, obj.metadata.namespace ?? '', obj.metadata.name, obj.metadata.uid, obj.apiVersion, type].join('\u0000');

    // EventAggregate: the 10th distinct message within 10 minutes turns into the combined event
    const aggregateKey = `${object}\u0000${reason}`;
    let record = c.aggregator.get(aggregateKey);
    if (!record || ms - record.last > AGGREGATE_INTERVAL_MS) record = { localKeys: [], last: ms };
    if (!record.localKeys.includes(message)) record.localKeys.push(message);
    record.last = ms;
    let eventKey = `${aggregateKey}\u0000${fieldPath ?? ''}\u0000${message}`;
    let shown = message;
    if (record.localKeys.length >= AGGREGATE_MAX_EVENTS) {
      record.localKeys.shift();
      eventKey = aggregateKey;
      shown = `(combined from similar events): ${message}`;
    }
    c.aggregator.add(aggregateKey, record);

    // eventObserve: a known key is a repeat of that event
    const seen = c.logger.get(eventKey);
    const log: EventLog = seen ? { ...seen, count: seen.count + 1 } : { count: 1, first: ms, name: '' };
    if (!seen) {
      this.seq++;
      // UnixNano of the moment, with a deterministic sub-millisecond part
      const nanos = BigInt(ms) * 1_000_000n + BigInt((this.seq * 7919) % 1_000_000);
      log.name = `${obj.metadata.name}.${nanos.toString(16)}`;
    }
    c.logger.add(eventKey, log);

    // the spam filter: a token bucket per source and object
    const b = c.spam.get(object) ?? { tokens: SPAM_BURST, last: ms };
    const tokens = Math.min(SPAM_BURST, b.tokens + (Math.max(0, ms - b.last) / 1000) * SPAM_QPS);
    const filtered = tokens < 1;
    c.spam.add(object, { tokens: filtered ? tokens : tokens - 1, last: ms });
    if (filtered) return;

    const iso = this.cluster.clock.iso(ms);
    const existing = this.store.get('Event', ns, log.name);
    if (existing && seen) {
      this.cluster.api.updateStatus({ ...existing, metadata: { ...existing.metadata }, count: log.count, lastTimestamp: iso, message: shown });
      this.lease(keyOf(existing), ms);
      return;
    }
    const first = this.cluster.clock.iso(log.first);
    const e: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { creationTimestamp: iso, name: log.name, namespace: ns, resourceVersion: this.cluster.store.nextResourceVersion(), uid: this.cluster.api.uid() },
      count: log.count,
      eventTime: null,
      firstTimestamp: first,
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
      message: shown,
      reason,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      type,
    };
    // the recorder's POST, without the general create path's defaulting and validation
    // (everything here is well-formed)
    this.cluster.store.put(e);
    this.lease(keyOf(e), ms);
  }
}

/** When the event was last written (ms); NaN if it has no lastTimestamp. */
function stamp(e: Event): number {
  return Date.parse(e.lastTimestamp ?? '');
}
