/**
 * The Endpoints and EndpointSlice controllers (kubernetes pkg/controller/endpoint and
 * pkg/controller/endpointslice): for every Service with a selector, the pods it selects
 * with their IPs, ready/serving/terminating conditions, node names and targetRefs, with
 * named targetPorts resolved per pod. Services without a selector get no managed
 * Endpoints (the `kubernetes` Service's are written by the API server — the system layer).
 *
 * Slice endpoints carry the zone of their pod's node (podToEndpoint: the node's
 * topology.kubernetes.io/zone label, read when the Service is synced — a node relabelled
 * later shows in a slice at its next sync, as upstream's node handler only feeds the
 * topology cache) and, for a Service with spec.trafficDistribution, the hints of
 * k8s.io/endpointslice trafficdist (v1.34): every ready endpoint gets forZones [its zone],
 * and with PreferSameNode also forNodes [its node]; not-ready ones get none. The
 * service.kubernetes.io/topology-mode annotation (Auto) takes precedence over the field
 * and asks for the topology cache's proportional hints (topology-cache.ts), with the
 * TopologyAwareHintsEnabled/Disabled events reconciler.go records on the Service; the
 * cache is fed every Node (added, deleted, readiness or zone label changed) and requeues
 * the Services some zone has become short of endpoints for (endpointslice_controller.go
 * checkNodeTopologyDistribution).
 *
 * Incremental: an index of Services by selector term and of pods by label lets a pod
 * change dirty only the Services that select it, and a Service change recompute only
 * itself.
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import { isKind, LABEL_TOPOLOGY_ZONE, type EndpointAddress, type Endpoints, type EndpointSlice, type EndpointSubset, type KubeObject, type Manifest, type Pod, type Service, type ServicePort, type SliceEndpoint, type SlicePort } from '../cluster/types';
import { keyOf, type Change, type KindStore } from '../cluster/store';
import { matchesMap } from '../cluster/labels';
import { ApiError } from '../cluster/api';
import { parseIPv4 } from '../cluster/ipv4';
import { ipFamilyOf, isIPv6, parseIPv6 } from '../cluster/ipv6';
import { isIPv4 } from '../cluster/validation';
import { OwnerIndex, splitKey } from './index-cache';
import { controllerRef, isPodReady, same } from './util';
import type { EventRecorder } from './events';
import { formatWithAddressType, isNodeReady, TOPOLOGY_AWARE_HINTS_DISABLED, TopologyCache, type HintedEndpoint, type TopologyEvent } from './topology-cache';

export const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** trafficdist's closeTrafficDistribution (PreferSameZone and PreferSameNode: PreferSameTrafficDistribution, on by default in v1.34). */
const CLOSE_TRAFFIC_DISTRIBUTION = new Set(['PreferClose', 'PreferSameZone', 'PreferSameNode']);
const MAX_ENDPOINTS_PER_SLICE = 100;
/** endpointslice_controller.go's event source. */
const SLICE_EVENT_SOURCE = { component: 'endpoint-slice-controller' };

/** ns → "k=v" → keys */
type TermIndex = Map<string, Map<string, Set<string>>>;

function addTerm(idx: TermIndex, ns: string, term: string, key: string): void {
  let m = idx.get(ns);
  if (!m) idx.set(ns, (m = new Map()));
  let s = m.get(term);
  if (!s) m.set(term, (s = new Set()));
  s.add(key);
}

function removeTerm(idx: TermIndex, ns: string, term: string, key: string): void {
  const s = idx.get(ns)?.get(term);
  if (!s) return;
  s.delete(key);
  if (s.size === 0) idx.get(ns)!.delete(term);
}

interface Address {
  ip: string;
  nodeName?: string;
  /** The node's topology.kubernetes.io/zone. */
  zone?: string;
  hostname?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  pod: Pod;
}

interface ResolvedPort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

interface PortSet {
  ports: ResolvedPort[];
  addresses: Address[];
}

export class EndpointsController implements SimModule {
  readonly name = 'endpoints-controller';
  private dirty = new Set<string>();
  /** Services by selector term (first term only is enough to find candidates). */
  private svcByTerm: TermIndex = new Map();
  private svcTerms = new Map<string, string[]>();
  /** Pods by label term. */
  private podsByTerm: TermIndex = new Map();
  private podTerms = new Map<string, string[]>();
  private unsubscribe?: () => void;
  /** last pod/service change per service (the last-change-trigger-time annotation) */
  private triggers = new Map<string, string>();
  /** The topology cache (created when the TopologyAwareHints feature gate is on, as it is by default). */
  private topology = new TopologyCache();

  constructor(private cluster: Cluster, private index: OwnerIndex, private events?: EventRecorder) {}

  private get store(): KindStore {
    return this.cluster.store;
  }

  init(): void {
    this.unsubscribe?.();
    this.svcByTerm.clear();
    this.svcTerms.clear();
    this.podsByTerm.clear();
    this.podTerms.clear();
    for (const s of this.store.iterate('Service')) {
      this.indexService(s, undefined);
      this.dirty.add(keyOf(s));
    }
    for (const p of this.store.iterate('Pod')) this.indexPod(p, undefined);
    this.topology = new TopologyCache();
    this.topology.setNodes(this.store.iterate('Node'));
    this.unsubscribe = this.cluster.store.subscribe((c) => this.onChange(c));
  }

  private indexService(s: Service | undefined, old: KubeObject | undefined): void {
    if (old) {
      const k = keyOf(old);
      for (const t of this.svcTerms.get(k) ?? []) removeTerm(this.svcByTerm, old.metadata.namespace!, t, k);
      this.svcTerms.delete(k);
    }
    if (s && s.spec?.selector && Object.keys(s.spec.selector).length) {
      const k = keyOf(s);
      const terms = Object.entries(s.spec.selector).map(([a, b]) => `${a}=${b}`);
      for (const t of terms) addTerm(this.svcByTerm, s.metadata.namespace!, t, k);
      this.svcTerms.set(k, terms);
    }
  }

  private indexPod(p: KubeObject | undefined, old: KubeObject | undefined): void {
    if (old) {
      const k = keyOf(old);
      for (const t of this.podTerms.get(k) ?? []) removeTerm(this.podsByTerm, old.metadata.namespace!, t, k);
      this.podTerms.delete(k);
    }
    if (p) {
      const k = keyOf(p);
      const terms = Object.entries(p.metadata.labels ?? {}).map(([a, b]) => `${a}=${b}`);
      for (const t of terms) addTerm(this.podsByTerm, p.metadata.namespace!, t, k);
      this.podTerms.set(k, terms);
    }
  }

  /** Services in `ns` whose selector matches `labels`. */
  private servicesSelecting(ns: string, labels: Record<string, string> | undefined): string[] {
    const out = new Set<string>();
    const m = this.svcByTerm.get(ns);
    if (!m || !labels) return [];
    for (const [a, b] of Object.entries(labels)) {
      for (const k of m.get(`${a}=${b}`) ?? []) {
        if (out.has(k)) continue;
        const [, sns, name] = splitKey(k);
        const svc = this.store.get('Service', sns, name);
        if (svc && matchesMap(svc.spec.selector, labels)) out.add(k);
      }
    }
    return [...out];
  }

  private onChange(c: Change): void {
    const o = c.object;
    const now = this.cluster.clock.iso();
    if (isKind(o, 'Service')) {
      this.indexService(c.type === 'DELETED' ? undefined : o, c.old);
      const k = keyOf(o);
      if (c.type !== 'DELETED') {
        this.dirty.add(k);
        if (!c.old || !same(c.old.spec, o.spec)) this.triggers.set(k, now);
      } else this.triggers.delete(k);
    } else if (isKind(o, 'Pod')) {
      this.indexPod(c.type === 'DELETED' ? undefined : o, c.old);
      // c.old has the same key, so it is a Pod too
      if (c.old && isKind(c.old, 'Pod') && c.type !== 'DELETED' && !this.endpointRelevantChange(c.old, o)) return;
      const ns = o.metadata.namespace!;
      const keys = new Set([...this.servicesSelecting(ns, o.metadata.labels), ...(c.old ? this.servicesSelecting(ns, c.old.metadata.labels) : [])]);
      for (const k of keys) {
        this.dirty.add(k);
        this.triggers.set(k, now);
      }
    } else if (isKind(o, 'Node')) {
      // addNode / updateNode (readiness or zone label changed) / deleteNode
      const old = c.old && isKind(c.old, 'Node') ? c.old : undefined;
      if (c.type === 'MODIFIED' && old && isNodeReady(old) === isNodeReady(o) && old.metadata.labels?.[LABEL_TOPOLOGY_ZONE] === o.metadata.labels?.[LABEL_TOPOLOGY_ZONE]) return;
      this.topology.setNodes(this.store.iterate('Node'));
      for (const k of this.topology.getOverloadedServices()) this.dirty.add(`Service/${k}`);
    } else if ((o.kind === 'Endpoints' || o.kind === 'EndpointSlice') && c.type === 'DELETED') {
      // someone deleted a managed object: recreate it
      const svcName = o.kind === 'Endpoints' ? o.metadata.name : o.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svcName && (o.kind === 'Endpoints' || o.metadata.labels?.[MANAGED_BY] === SLICE_CONTROLLER)) this.dirty.add(`Service/${o.metadata.namespace}/${svcName}`);
    }
  }

  /** Only IP, readiness, node, labels, deletion and container ports matter to endpoints. */
  private endpointRelevantChange(a: Pod, b: Pod): boolean {
    return (
      a.status?.podIP !== b.status?.podIP ||
      isPodReady(a) !== isPodReady(b) ||
      a.spec?.nodeName !== b.spec?.nodeName ||
      a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp ||
      a.status?.phase !== b.status?.phase ||
      !same(a.metadata.labels, b.metadata.labels)
    );
  }

  reconcile(): boolean {
    if (this.dirty.size === 0) return false;
    const keys = [...this.dirty].sort();
    this.dirty.clear();
    const before = this.cluster.store.revision;
    for (const k of keys) this.syncService(k);
    return this.cluster.store.revision !== before;
  }

  /** Pods a Service selects (through the label index: the rarest term's postings, filtered). */
  private selectedPods(svc: Service): Pod[] {
    const ns = svc.metadata.namespace!;
    // syncService checked the selector is there
    const sel = svc.spec.selector ?? {};
    const m = this.podsByTerm.get(ns);
    if (!m) return [];
    let smallest: Set<string> | undefined;
    for (const [a, b] of Object.entries(sel)) {
      const s = m.get(`${a}=${b}`);
      if (!s) return [];
      if (!smallest || s.size < smallest.size) smallest = s;
    }
    const out: Pod[] = [];
    for (const k of smallest ?? []) {
      const [, pns, name] = splitKey(k);
      const p = this.store.get('Pod', pns, name);
      if (p && matchesMap(sel, p.metadata.labels)) out.push(p);
    }
    return out;
  }

  private syncService(key: string): void {
    const [, ns, name] = splitKey(key);
    const svc = this.store.get('Service', ns, name);
    if (!svc || !svc.spec?.selector || Object.keys(svc.spec.selector).length === 0 || svc.spec.type === 'ExternalName') {
      // no selector: nothing managed (remove what we managed before)
      if (svc) this.removeManagedSlices(svc);
      return;
    }
    const pods = this.selectedPods(svc);
    // one set of slices per IP family the Service has (getAddressTypesForService), the
    // Endpoints object for its primary family (podToEndpointAddressForService)
    const families = serviceFamilies(svc);
    const byFamily = families.map((family) => this.portSets(svc, pods, family));
    this.writeEndpoints(svc, byFamily[0]);
    this.writeSlices(svc, families.map((family, i) => ({ family, groups: byFamily[i] })));
  }

  /** The Service's endpoints of one address family, grouped by their resolved port set. */
  private portSets(svc: Service, pods: Pod[], family: 'IPv4' | 'IPv6'): PortSet[] {
    const publishNotReady = !!svc.spec.publishNotReadyAddresses;
    const groups = new Map<string, PortSet>();
    for (const pod of pods) {
      const ip = podIPOfFamily(pod, family);
      if (!ip || !pod.spec?.nodeName) continue;
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      const ports = (svc.spec.ports ?? []).map((sp): ResolvedPort | undefined => {
        const port = resolveTargetPort(sp, pod);
        return port === undefined ? undefined : { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) };
      }).filter((p): p is ResolvedPort => !!p);
      if ((svc.spec.ports ?? []).length > 0 && ports.length === 0) continue;
      const gk = JSON.stringify(ports);
      let g = groups.get(gk);
      if (!g) groups.set(gk, (g = { ports, addresses: [] }));
      const terminating = !!pod.metadata.deletionTimestamp;
      const ready = isPodReady(pod);
      const zone = this.store.get('Node', undefined, pod.spec.nodeName)?.metadata.labels?.[LABEL_TOPOLOGY_ZONE];
      g.addresses.push({
        ip,
        nodeName: pod.spec.nodeName,
        ...(zone ? { zone } : {}),
        hostname: pod.spec.hostname && pod.spec.subdomain === svc.metadata.name ? pod.spec.hostname : undefined,
        // k8s.io/endpointslice utils.go podToEndpoint (v1.34): serving is the Pod's own
        // readiness; only ready is forced by publishNotReadyAddresses
        ready: publishNotReady || (ready && !terminating),
        serving: ready,
        terminating,
        pod,
      });
    }
    return [...groups.values()].map((g) => ({ ...g, addresses: g.addresses.sort(byIP) })).sort((a, b) => (JSON.stringify(a.ports) < JSON.stringify(b.ports) ? -1 : 1));
  }

  private trigger(svc: Service): string {
    return this.triggers.get(keyOf(svc)) ?? svc.metadata.creationTimestamp;
  }

  private writeEndpoints(svc: Service, groups: PortSet[]): void {
    const ns = svc.metadata.namespace!;
    const subsets: EndpointSubset[] = [];
    for (const g of groups) {
      const ready = g.addresses.filter((a) => a.ready);
      const notReady = g.addresses.filter((a) => !a.ready && !a.terminating);
      if (ready.length === 0 && notReady.length === 0) continue;
      const sub: EndpointSubset = {};
      if (ready.length) sub.addresses = ready.map(epAddress);
      if (notReady.length) sub.notReadyAddresses = notReady.map(epAddress);
      sub.ports = g.ports.map((p) => ({ ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}), ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol }));
      subsets.push(sub);
    }
    // endpoints_controller.go (1.33+): the Service's labels, plus LabelManagedBy = ControllerName
    // so the API server knows its own writes (and skips its warnings), plus the headless mark.
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' };
    if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const existing = this.store.get('Endpoints', ns, svc.metadata.name);
    if (existing && same(existing.subsets ?? [], subsets) && same(existing.metadata.labels ?? {}, labels)) return;
    const annotations = { 'endpoints.kubernetes.io/last-change-trigger-time': this.trigger(svc) };
    if (existing) {
      const next: Endpoints = { ...existing, metadata: { ...existing.metadata, annotations, labels } };
      if (subsets.length) next.subsets = subsets;
      else delete next.subsets;
      this.cluster.api.updateStatus(next);
    } else {
      const m: Manifest = { apiVersion: 'v1', kind: 'Endpoints', metadata: { annotations, ...(Object.keys(labels).length ? { labels } : {}), name: svc.metadata.name, namespace: ns } };
      if (subsets.length) m.subsets = subsets;
      this.create(m);
    }
  }

  private create(m: Manifest): void {
    try {
      this.cluster.api.create(m, { reconcile: false });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private managedSlices(svc: Service): EndpointSlice[] {
    return this.index.dependantObjects(svc.metadata.uid, 'EndpointSlice').filter((s) => s.metadata.labels?.[MANAGED_BY] === SLICE_CONTROLLER);
  }

  private removeManagedSlices(svc: Service): void {
    for (const s of this.managedSlices(svc)) this.store.remove('EndpointSlice', s.metadata.namespace, s.metadata.name);
  }

  private writeSlices(svc: Service, perFamily: { family: 'IPv4' | 'IPv6'; groups: PortSet[] }[]): void {
    const ns = svc.metadata.namespace!;
    const existing = this.managedSlices(svc).sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : a.metadata.creationTimestamp > b.metadata.creationTimestamp ? 1 : a.metadata.name < b.metadata.name ? -1 : 1));
    // desired slices: per address type, one per port set, at most 100 endpoints each; a
    // Service with no endpoints still gets one empty slice per family (its ports listed)
    const desired: { addressType: 'IPv4' | 'IPv6'; ports: SlicePort[]; endpoints: SliceEndpoint[] }[] = [];
    const hints = hintsFor(svc);
    for (const { family, groups } of perFamily) {
      const before = desired.length;
      for (const g of groups) {
        const eps = g.addresses.map((a) => sliceEndpoint(a, hints));
        for (let i = 0; i < Math.max(1, eps.length); i += MAX_ENDPOINTS_PER_SLICE) {
          desired.push({ addressType: family, ports: g.ports.map((p) => ({ ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}), name: p.name, port: p.port, protocol: p.protocol })), endpoints: eps.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
        }
      }
      if (desired.length === before) desired.push({ addressType: family, ports: [], endpoints: [] });
    }
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), [MANAGED_BY]: SLICE_CONTROLLER, [SERVICE_NAME_LABEL]: svc.metadata.name };
    if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const unused = [...existing];
    // reuse a slice of the family with the same ports (or any spare one of the family) so names stay stable
    const plan = desired.map((want) => {
      let idx = unused.findIndex((s) => s.addressType === want.addressType && same(s.ports ?? [], want.ports));
      if (idx < 0) idx = unused.findIndex((s) => s.addressType === want.addressType);
      return { want, slice: idx >= 0 ? unused.splice(idx, 1)[0] : undefined };
    });
    const events = this.topologyHints(svc, plan, labels);
    for (const { want, slice: s } of plan) {
      const annotations = { 'endpoints.kubernetes.io/last-change-trigger-time': this.trigger(svc) };
      if (s) {
        if (same(s.endpoints ?? [], want.endpoints) && same(s.ports ?? [], want.ports) && same(s.metadata.labels, labels)) continue;
        const next: EndpointSlice = {
          ...s,
          metadata: { ...s.metadata, annotations, generation: (s.metadata.generation ?? 1) + 1, labels },
          endpoints: want.endpoints.length ? want.endpoints : null,
        };
        if (want.ports.length) next.ports = want.ports;
        else delete next.ports;
        this.cluster.api.updateStatus(next);
      } else {
        // a Service with nothing to route to still gets a placeholder slice (endpoints: null)
        this.create({
          addressType: want.addressType,
          apiVersion: 'discovery.k8s.io/v1',
          endpoints: want.endpoints.length ? want.endpoints : null,
          kind: 'EndpointSlice',
          metadata: { annotations, generateName: `${svc.metadata.name}-`, generation: 1, labels, namespace: ns, ownerReferences: [controllerRef(svc)] },
          ...(want.ports.length ? { ports: want.ports } : {}),
        });
      }
    }
    for (const s of unused) this.store.remove('EndpointSlice', s.metadata.namespace, s.metadata.name);
    for (const e of events) this.events?.record(svc, e.type, e.reason, e.message, SLICE_EVENT_SOURCE);
  }

  /**
   * reconciler.go reconcileByAddressType's hints step, per address type: with the
   * topology-mode annotation the topology cache's AddHints; without it, a Service whose
   * hints the cache had populated is told they are disabled, and the trafficDistribution
   * hints (already on the desired endpoints) stay. A slice whose endpoints are unchanged
   * but for hints is an "unchanged" slice of SliceInfo: AddHints keeps its hints if they
   * are still valid.
   */
  private topologyHints(svc: Service, plan: { want: { addressType: string; ports: SlicePort[]; endpoints: SliceEndpoint[] }; slice?: EndpointSlice }[], labels: Record<string, string>): TopologyEvent[] {
    const serviceKey = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const auto = topologyHintsRequested(svc);
    const events: TopologyEvent[] = [];
    for (const addressType of [...new Set(plan.map((p) => p.want.addressType))]) {
      const items = plan.filter((p) => p.want.addressType === addressType);
      if (!auto) {
        if (this.topology.hasPopulatedHints(serviceKey)) events.push({ type: 'Warning', reason: 'TopologyAwareHintsDisabled', message: formatWithAddressType(TOPOLOGY_AWARE_HINTS_DISABLED, addressType) });
        this.topology.removeHints(serviceKey, addressType);
        continue;
      }
      const views = items.map(({ want, slice }) => {
        const old = slice?.endpoints ?? [];
        const unchanged = !!slice && same(slice.ports ?? [], want.ports) && same(slice.metadata.labels, labels) && same(old.map(withoutHints), want.endpoints.map(withoutHints));
        const eps: HintedEndpoint[] = want.endpoints.map((e, i) => ({ ready: !!e.conditions?.ready, ...(e.zone ? { zone: e.zone } : {}), ...(unchanged && old[i].hints?.forZones ? { forZones: old[i].hints!.forZones!.map((z) => z.name) } : {}) }));
        return { want, unchanged, eps };
      });
      events.push(...this.topology.addHints({ serviceKey, addressType, toUpdate: views.filter((v) => !v.unchanged).map((v) => v.eps), unchanged: views.filter((v) => v.unchanged).map((v) => v.eps) }));
      for (const v of views) {
        v.want.endpoints = v.want.endpoints.map((e, i) => {
          const { addresses, conditions, ...rest } = withoutHints(e);
          const z = v.eps[i].forZones;
          // the keys in sliceEndpoint's order
          return { addresses, conditions, ...(z ? { hints: { forZones: z.map((name) => ({ name })) } } : {}), ...rest };
        });
      }
    }
    return events;
  }
}

/** An endpoint as EndpointsEqualBeyondHash compares it: hints aside. */
function withoutHints(e: SliceEndpoint): Omit<SliceEndpoint, 'hints'> {
  const { hints: _drop, ...rest } = e;
  void _drop;
  return rest;
}

function byIP(a: Address, b: Address): number {
  if (isIPv6(a.ip) && isIPv6(b.ip)) {
    const na = parseIPv6(a.ip)!;
    const nb = parseIPv6(b.ip)!;
    return na < nb ? -1 : na > nb ? 1 : a.pod.metadata.uid < b.pod.metadata.uid ? -1 : 1;
  }
  const na = isIPv4(a.ip) ? parseIPv4(a.ip)! : 0;
  const nb = isIPv4(b.ip) ? parseIPv4(b.ip)! : 0;
  return na - nb || (a.pod.metadata.uid < b.pod.metadata.uid ? -1 : 1);
}

/** The address families a Service's endpoints are published in: its ipFamilies (IPv4 when unset). */
function serviceFamilies(svc: Service): ('IPv4' | 'IPv6')[] {
  const fams = (svc.spec.ipFamilies ?? []).filter((f): f is 'IPv4' | 'IPv6' => f === 'IPv4' || f === 'IPv6');
  return fams.length ? fams : ['IPv4'];
}

/** The pod's address of one family (status.podIPs; podIP when the list is absent). */
function podIPOfFamily(pod: Pod, family: 'IPv4' | 'IPv6'): string | undefined {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips.find((ip) => ipFamilyOf(ip) === family);
}

function epAddress(a: Address): EndpointAddress {
  return {
    ...(a.hostname ? { hostname: a.hostname } : {}),
    ip: a.ip,
    ...(a.nodeName ? { nodeName: a.nodeName } : {}),
    targetRef: { kind: 'Pod', name: a.pod.metadata.name, namespace: a.pod.metadata.namespace, uid: a.pod.metadata.uid },
  };
}

/** Which hints a Service's ready endpoints get (reconciler.go canUseTrafficDistribution → trafficdist.ReconcileHints). */
type HintMode = 'none' | 'zone' | 'zone+node';

function hintsFor(svc: Service): HintMode {
  const td = svc.spec.trafficDistribution;
  if (!td || !CLOSE_TRAFFIC_DISTRIBUTION.has(td) || topologyHintsRequested(svc)) return 'none';
  return td === 'PreferSameNode' ? 'zone+node' : 'zone';
}

/** reconciler.go hintsEnabled: the topology-mode annotation (or the deprecated one) set to Auto. */
function topologyHintsRequested(svc: Service): boolean {
  const a = svc.metadata.annotations ?? {};
  const v = a['service.kubernetes.io/topology-mode'] ?? a['service.kubernetes.io/topology-aware-hints'];
  return v === 'Auto' || v === 'auto';
}

function sliceEndpoint(a: Address, hints: HintMode): SliceEndpoint {
  // preferCloseHeuristic.update: ready endpoints only; a zone hint needs a zone, a node hint a node
  const forZones = hints !== 'none' && a.ready && a.zone ? [{ name: a.zone }] : undefined;
  const forNodes = hints === 'zone+node' && a.ready && a.nodeName ? [{ name: a.nodeName }] : undefined;
  return {
    addresses: [a.ip],
    conditions: { ready: a.ready, serving: a.serving, terminating: a.terminating },
    ...(forZones || forNodes ? { hints: { ...(forNodes ? { forNodes } : {}), ...(forZones ? { forZones } : {}) } } : {}),
    ...(a.hostname ? { hostname: a.hostname } : {}),
    ...(a.nodeName ? { nodeName: a.nodeName } : {}),
    targetRef: { kind: 'Pod', name: a.pod.metadata.name, namespace: a.pod.metadata.namespace, uid: a.pod.metadata.uid },
    ...(a.zone ? { zone: a.zone } : {}),
  };
}

/** podutil.FindPort: a numeric targetPort as is; a named one looked up in the pod's containers. */
export function resolveTargetPort(sp: ServicePort, pod: Pod): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(String(tp))) return Number(tp);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === tp && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
    }
  }
  return undefined;
}
