/**
 * The EndpointSlice controller's topology cache (k8s.io/endpointslice v0.34
 * topologycache: topologycache.go, sliceinfo.go, utils.go, event.go): the proportional
 * zone hints a Service annotated `service.kubernetes.io/topology-mode: Auto` (or the
 * deprecated `service.kubernetes.io/topology-aware-hints`) gets, and the events that say
 * why it gets none.
 *
 * SetNodes sums the allocatable CPU of every ready Node by its topology.kubernetes.io/zone
 * label (control-plane and master nodes are left out); one node without a zone or CPU, or
 * fewer than two zones, leaves the cache without ratios. AddHints gives each zone a share
 * of the Service's ready endpoints proportional to its CPU, within overloadThreshold
 * (20 %): every ready endpoint first gets its own zone as hint, then endpoints of zones
 * that have more than their share are handed to zones that have less.
 *
 * Go iterates its maps in random order; ties (getMost, the receiving zone an endpoint is
 * given to) are broken here by zone name, so a run is reproducible.
 */
import type { Node } from '../cluster/types';
import { LABEL_TOPOLOGY_ZONE } from '../cluster/types';

/** topologycache.go overloadThreshold. */
const OVERLOAD_THRESHOLD = 0.2;

/** event.go's messages. */
export const NO_ZONE_SPECIFIED = 'One or more endpoints do not have a zone specified';
export const NO_ALLOCATED_HINTS_FOR_ZONES = 'No hints allocated for zones';
export const TOPOLOGY_AWARE_HINTS_ENABLED = 'Topology Aware Hints has been enabled';
export const TOPOLOGY_AWARE_HINTS_DISABLED = 'Topology Aware Hints has been disabled';
export const INSUFFICIENT_NODE_INFO = 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes';
export const NODES_READY_IN_ONE_ZONE_ONLY = 'Nodes only ready in one zone';
export const INSUFFICIENT_NUMBER_OF_ENDPOINTS = 'Insufficient number of endpoints';
export const MIN_ALLOCATION_EXCEEDS_OVERLOAD_THRESHOLD = 'Unable to allocate minimum required endpoints to each zone without exceeding overload threshold';

/** event.go EventBuilder. */
export interface TopologyEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** The part of a slice endpoint the cache reads and writes. */
export interface HintedEndpoint {
  ready: boolean;
  zone?: string;
  /** hints.forZones names; undefined is no hints. */
  forZones?: string[];
}

/** sliceinfo.go SliceInfo: a Service's slices of one address type, as endpoint lists. */
export interface SliceInfo {
  serviceKey: string;
  addressType: string;
  /** Slices being created or updated: their hints are (re)computed. */
  toUpdate: HintedEndpoint[][];
  /** Slices left as they are: kept with their hints when these are still valid. */
  unchanged: HintedEndpoint[][];
}

interface Allocation {
  minimum: number;
  maximum: number;
  desired: number;
}

/** utils.go FormatWithAddressType. */
export function formatWithAddressType(s: string, addressType: string): string {
  return `${s}, addressType: ${addressType}`;
}

/** resource.Quantity.MilliValue of a CPU quantity (rounded up); 0 for none or a malformed one (Cpu() of a missing key is zero). */
export function cpuMilli(v: unknown): number {
  const m = /^([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)(?:(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+))?$/.exec(String(v ?? '').trim());
  if (!m) return 0;
  const n = Number(m[1]);
  const mult: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6 };
  const scale = m[2] ? mult[m[2]] : m[3] ? 10 ** Number(m[3]) : 1;
  return Math.ceil(Math.round(n * scale * 1000 * 1e6) / 1e6);
}

/** utils.go isNodeReady. */
export function isNodeReady(node: Node): boolean {
  const c = (node.status?.conditions ?? []).find((x) => x.type === 'Ready');
  return c?.status === 'True';
}

/** topologycache.go hasExcludedLabels. */
function hasExcludedLabels(labels: Record<string, string> | undefined): boolean {
  if (!labels) return false;
  return 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class TopologyCache {
  private cpuRatiosByZone: Map<string, number> | undefined;
  private endpointsByService = new Map<string, Map<string, Map<string, number>>>();
  private hintsPopulatedByService = new Set<string>();

  /** topologycache.go SetNodes. */
  setNodes(nodes: Iterable<Node>): void {
    let cpuByZone = new Map<string, number>();
    let sufficientNodeInfo = true;
    let totalCPU = 0;
    for (const node of nodes) {
      if (hasExcludedLabels(node.metadata.labels)) continue;
      if (!isNodeReady(node)) continue;
      const nodeCPU = cpuMilli(node.status?.allocatable?.cpu);
      const zone = node.metadata.labels?.[LABEL_TOPOLOGY_ZONE];
      if (!zone || nodeCPU === 0) {
        cpuByZone = new Map();
        sufficientNodeInfo = false;
        break;
      }
      totalCPU += nodeCPU;
      cpuByZone.set(zone, (cpuByZone.get(zone) ?? 0) + nodeCPU);
    }
    if (totalCPU === 0 || !sufficientNodeInfo || cpuByZone.size < 2) {
      this.cpuRatiosByZone = undefined;
      return;
    }
    this.cpuRatiosByZone = new Map([...cpuByZone].sort(([a], [b]) => byName(a, b)).map(([zone, cpu]) => [zone, cpu / totalCPU]));
  }

  /** topologycache.go GetOverloadedServices: the Services some zone no longer has enough endpoints for. */
  getOverloadedServices(): string[] {
    const out: string[] = [];
    for (const [svc, byType] of this.endpointsByService) {
      for (const ezi of byType.values()) {
        if (serviceOverloaded(ezi, this.cpuRatiosByZone)) {
          out.push(svc);
          break;
        }
      }
    }
    return out.sort(byName);
  }

  hasPopulatedHints(serviceKey: string): boolean {
    return this.hintsPopulatedByService.has(serviceKey);
  }

  /** topologycache.go RemoveHints. */
  removeHints(serviceKey: string, addressType: string): void {
    const m = this.endpointsByService.get(serviceKey);
    m?.delete(addressType);
    if (m && m.size === 0) this.endpointsByService.delete(serviceKey);
    this.hintsPopulatedByService.delete(serviceKey);
  }

  private setHints(serviceKey: string, addressType: string, allocated: Map<string, number>): void {
    let m = this.endpointsByService.get(serviceKey);
    if (!m) this.endpointsByService.set(serviceKey, (m = new Map()));
    m.set(addressType, allocated);
    this.hintsPopulatedByService.add(serviceKey);
  }

  /** topologycache.go getAllocations: per zone, the minimum and maximum share of `numEndpoints`, or the event saying why there is none. */
  private getAllocations(numEndpoints: number): Map<string, Allocation> | TopologyEvent {
    const ratios = this.cpuRatiosByZone;
    const disabled = (message: string): TopologyEvent => ({ type: 'Warning', reason: 'TopologyAwareHintsDisabled', message });
    if (!ratios) return disabled(INSUFFICIENT_NODE_INFO);
    if (ratios.size < 2) return disabled(NODES_READY_IN_ONE_ZONE_ONLY);
    if (ratios.size > numEndpoints) return disabled(`${INSUFFICIENT_NUMBER_OF_ENDPOINTS} (${numEndpoints} endpoints, ${ratios.size} zones)`);
    let remainingMinEndpoints = numEndpoints;
    let minTotal = 0;
    const allocations = new Map<string, Allocation>();
    for (const [zone, ratio] of ratios) {
      const desired = ratio * numEndpoints;
      const minimum = Math.ceil(desired * (1 / (1 + OVERLOAD_THRESHOLD)));
      allocations.set(zone, { minimum, maximum: 0, desired: Math.max(desired, minimum) });
      minTotal += minimum;
      remainingMinEndpoints -= minimum;
      if (remainingMinEndpoints < 0) return disabled(`${MIN_ALLOCATION_EXCEEDS_OVERLOAD_THRESHOLD} (${numEndpoints} endpoints, ${ratios.size} zones)`);
    }
    for (const a of allocations.values()) a.maximum = a.minimum + numEndpoints - minTotal;
    return allocations;
  }

  /**
   * topologycache.go AddHints: writes forZones on the endpoints of `si` (in place) and
   * returns the events to record on the Service. Unchanged slices whose hints are still
   * valid keep them (sliceinfo.go getAllocatedHintsByZone); the others are recomputed.
   */
  addHints(si: SliceInfo): TopologyEvent[] {
    const totalEndpoints = [...si.toUpdate, ...si.unchanged].reduce((n, s) => n + s.filter((e) => e.ready).length, 0);
    const allocations = this.getAllocations(totalEndpoints);
    const events: TopologyEvent[] = [];
    if (!(allocations instanceof Map)) {
      events.push({ ...allocations, message: formatWithAddressType(allocations.message, si.addressType) });
      this.removeHints(si.serviceKey, si.addressType);
      removeHintsFromSlices(si);
      return events;
    }
    // sliceinfo.go getAllocatedHintsByZone
    const allocatedHintsByZone = new Map<string, number>();
    const stillUnchanged: HintedEndpoint[][] = [];
    for (const slice of si.unchanged) {
      const hintsByZone = getHintsByZone(slice, allocatedHintsByZone, allocations);
      if (!hintsByZone) si.toUpdate.push(slice);
      else {
        stillUnchanged.push(slice);
        for (const [zone, n] of hintsByZone) allocatedHintsByZone.set(zone, (allocatedHintsByZone.get(zone) ?? 0) + n);
      }
    }
    si.unchanged = stillUnchanged;

    // step 1: every ready endpoint is hinted for its own zone
    for (const slice of si.toUpdate) {
      for (const e of slice) {
        if (!e.ready) {
          e.forZones = undefined;
          continue;
        }
        if (!e.zone) {
          events.push({ type: 'Warning', reason: 'TopologyAwareHintsDisabled', message: formatWithAddressType(NO_ZONE_SPECIFIED, si.addressType) });
          this.removeHints(si.serviceKey, si.addressType);
          removeHintsFromSlices(si);
          return events;
        }
        allocatedHintsByZone.set(e.zone, (allocatedHintsByZone.get(e.zone) ?? 0) + 1);
        e.forZones = [e.zone];
      }
    }
    // steps 2 and 3: zones over their share give endpoints to zones under it
    const [givingZones, receivingZones] = getGivingAndReceivingZones(allocations, allocatedHintsByZone);
    const redistributions = redistributeHints(si.toUpdate, givingZones, receivingZones);
    for (const [zone, diff] of redistributions) allocatedHintsByZone.set(zone, (allocatedHintsByZone.get(zone) ?? 0) + diff);

    if (allocatedHintsByZone.size === 0) {
      events.push({ type: 'Warning', reason: 'TopologyAwareHintsDisabled', message: formatWithAddressType(NO_ALLOCATED_HINTS_FOR_ZONES, si.addressType) });
      this.removeHints(si.serviceKey, si.addressType);
      removeHintsFromSlices(si);
      return events;
    }
    const hintsEnabled = this.hasPopulatedHints(si.serviceKey);
    this.setHints(si.serviceKey, si.addressType, allocatedHintsByZone);
    if (!hintsEnabled) events.push({ type: 'Normal', reason: 'TopologyAwareHintsEnabled', message: formatWithAddressType(TOPOLOGY_AWARE_HINTS_ENABLED, si.addressType) });
    return events;
  }
}

/** utils.go RemoveHintsFromSlices. */
export function removeHintsFromSlices(si: SliceInfo): void {
  for (const slice of [...si.toUpdate, ...si.unchanged]) for (const e of slice) e.forZones = undefined;
}

/** utils.go serviceOverloaded. */
function serviceOverloaded(ezi: Map<string, number>, zoneRatios: Map<string, number> | undefined): boolean {
  if (ezi.size === 0) return false;
  if (!zoneRatios || zoneRatios.size === 0) return true;
  let totalEndpoints = 0;
  for (const n of ezi.values()) totalEndpoints += n;
  for (const [zone, ratio] of zoneRatios) {
    const svcEndpoints = ezi.get(zone);
    if (svcEndpoints === undefined) return true;
    const minEndpoints = Math.ceil(totalEndpoints * ratio * (1 / (1 + OVERLOAD_THRESHOLD)));
    if (svcEndpoints < minEndpoints) return true;
  }
  return false;
}

/** utils.go getHintsByZone: a slice's hints per zone, or undefined when they must be recomputed. */
function getHintsByZone(slice: HintedEndpoint[], allocated: Map<string, number>, allocations: Map<string, Allocation>): Map<string, number> | undefined {
  const hintsByZone = new Map<string, number>();
  for (const e of slice) {
    if (!e.ready) continue;
    if (!e.forZones || e.forZones.length === 0) return undefined;
    for (const zone of e.forZones) {
      if (!allocations.has(zone)) return undefined;
      hintsByZone.set(zone, (hintsByZone.get(zone) ?? 0) + 1);
    }
  }
  for (const [zone, n] of hintsByZone) {
    const a = allocations.get(zone);
    if (!a || n + (allocated.get(zone) ?? 0) > a.maximum) return undefined;
  }
  return hintsByZone;
}

/** utils.go getMost (the first zone by name among equals). */
function getMost(zones: Map<string, number>): [string, number] {
  let zone = '';
  let num = 0;
  for (const z of [...zones.keys()].sort(byName)) {
    const n = zones.get(z)!;
    if (n > num) {
      zone = z;
      num = n;
    }
  }
  return [zone, num];
}

/** utils.go getGivingAndReceivingZones. */
function getGivingAndReceivingZones(allocations: Map<string, Allocation>, allocated: Map<string, number>): [Map<string, number>, Map<string, number>] {
  const givingDesired = new Map<string, number>();
  const receivingDesired = new Map<string, number>();
  for (const [zone, a] of allocations) {
    const hints = allocated.get(zone) ?? 0;
    if (hints > a.desired) givingDesired.set(zone, hints - a.desired);
    else if (hints < a.desired) receivingDesired.set(zone, a.desired - hints);
  }
  const giving = new Map<string, number>();
  const receiving = new Map<string, number>();
  for (;;) {
    const [gz, toGive] = getMost(givingDesired);
    const [rz, toReceive] = getMost(receivingDesired);
    if (gz === '' || rz === '' || (toGive < 1 && toReceive < 1) || toGive < 0.5 || toReceive < 0.5) break;
    giving.set(gz, (giving.get(gz) ?? 0) + 1);
    givingDesired.set(gz, toGive - 1);
    receiving.set(rz, (receiving.get(rz) ?? 0) + 1);
    receivingDesired.set(rz, toReceive - 1);
  }
  return [giving, receiving];
}

/** utils.go redistributeHints: endpoints of giving zones re-hinted for receiving ones (by zone name). */
function redistributeHints(slices: HintedEndpoint[][], giving: Map<string, number>, receiving: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const slice of slices) {
    for (const e of slice) {
      if (!e.ready) {
        e.forZones = undefined;
        continue;
      }
      if (giving.size === 0 || receiving.size === 0) return out;
      if (!e.zone) continue;
      const numToGive = giving.get(e.zone);
      if (numToGive === undefined || numToGive <= 0) continue;
      for (const rz of [...receiving.keys()].sort(byName)) {
        const numToReceive = receiving.get(rz)!;
        if (numToReceive <= 0) continue;
        e.forZones = [rz];
        if (numToGive === 1) giving.delete(e.zone);
        else giving.set(e.zone, numToGive - 1);
        if (numToReceive === 1) receiving.delete(rz);
        else receiving.set(rz, numToReceive - 1);
        out.set(rz, (out.get(rz) ?? 0) + 1);
        out.set(e.zone, (out.get(e.zone) ?? 0) - 1);
        break;
      }
    }
  }
  return out;
}
