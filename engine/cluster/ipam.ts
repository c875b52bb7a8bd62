/**
 * IP address management: what the API server's Service allocators, the node-ipam
 * controller, a CNI's host-local IPAM and a cloud's load-balancer pool do.
 *
 * - Service ClusterIPs come from settings.serviceCIDR through a bitmap allocator like
 *   pkg/registry/core/service/ipallocator: index 0 is the first usable address (the
 *   `kubernetes` Service), dynamic allocation picks a random index from the upper band
 *   [offset, max) and scans forward for a free one (ServiceIPStaticSubrange, offset
 *   min(max(16, size/16), 256)), falling back to the lower band.
 * - NodePorts come from 30000-32767 the same way (portallocator: offset min(max(16, size/32), 128)).
 * - Node podCIDRs: node i gets the i-th /24 of settings.podCIDR unless it names one.
 * - Pod IPs: host-local style — sequential from the node's podCIDR after the last one
 *   handed out, skipping the network address, .1 (the bridge gateway) and broadcast.
 * - LoadBalancer IPs: the first free address of settings.loadBalancerPool.
 * - Dual-stack (settings.serviceCIDRv6/podCIDRv6): a second Service allocator for IPv6 with
 *   the same bands (hostsPerNetwork: no broadcast to skip), the service REST storage's
 *   initIPFamilyFields (pkg/registry/core/service/storage/alloc.go) choosing ipFamilyPolicy,
 *   ipFamilies and clusterIPs, each node a /64 of the IPv6 Pod range, and host-local's second
 *   range giving every Pod an IPv6 address too.
 *
 * What is in use is derived from the store (so restore needs nothing but the objects);
 * the only state of its own is host-local's "last reserved IP" per node, snapshotted.
 */
import type { Cluster } from './cluster';
import type { SimModule } from './module';
import type { KubeObject } from './types';
import { keyOf, type Change } from './store';
import { fe, go, type FieldError } from './fielderrors';
import { cidrContains, cidrSize, cidrText, formatIPv4, isIPv4, parseCidr, parseIPv4, type Cidr } from './ipv4';
import { cidr6Contains, cidr6Text, formatIPv6, ipFamilyOf, isIPv6, lastAddress6, parseCidr6, parseIPv6, type Cidr6 } from './ipv6';
import { isArray, isObject } from './types';

export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

/**
 * A Service port as validation leaves it for allocation: an object whose protocol is one of
 * the supported ones and whose port is valid (a number, or a string of digits num() accepted);
 * its nodePort is whatever the manifest holds until allocateService checks it.
 */
interface PortToAllocate {
  port?: number | string;
  protocol?: string;
  nodePort?: unknown;
}

/** A range the allocators hand out from (the scenario's service/pod CIDR, a load-balancer pool). */
function range(text: string): Cidr {
  const c = parseCidr(text);
  if (!c) throw new Error(`not an IPv4 range: ${text}`);
  return c;
}

/** calculateRangeOffset from the ipallocator / portallocator packages. */
function rangeOffset(size: number, min: number, max: number, step: number): number {
  if (size <= min) return 0;
  const offset = Math.floor(size / step);
  if (offset < min) return min;
  if (offset > max) return max;
  return offset;
}

export class Ipam implements SimModule {
  readonly name = 'ipam';
  readonly serviceCidr: Cidr;
  readonly podCidr: Cidr;
  /** ClusterIP → Service key. */
  private clusterIPs = new Map<string, string>();
  /** nodePort → Service key. */
  private nodePorts = new Map<number, string>();
  /** node name → set of pod IPs (numbers) in use there. */
  private podIPs = new Map<string, Set<number>>();
  /** pod key → [node, ip] (to release on delete). */
  private podIPOf = new Map<string, [string, number]>();
  private lbIPs = new Map<string, string>();
  private lastPodIP: Record<string, number> = {};
  /** Dual-stack: the IPv6 Service and Pod ranges, IPv6 pod addresses in use per node, host-local's last IPv6 per node (as text). */
  readonly serviceCidr6?: Cidr6;
  readonly podCidr6?: Cidr6;
  private podIPs6 = new Map<string, Set<bigint>>();
  private podIP6Of = new Map<string, [string, bigint]>();
  private lastPodIP6: Record<string, string> = {};
  private unsubscribe?: () => void;

  constructor(private sim: Cluster) {
    this.serviceCidr = range(sim.settings.serviceCIDR);
    this.podCidr = range(sim.settings.podCIDR);
    if (sim.settings.serviceCIDRv6 && sim.settings.podCIDRv6) {
      this.serviceCidr6 = parseCidr6(sim.settings.serviceCIDRv6);
      this.podCidr6 = parseCidr6(sim.settings.podCIDRv6);
    }
  }

  /** Is the API server configured with a Service range of each family? */
  get dualStack(): boolean {
    return this.serviceCidr6 !== undefined;
  }

  init(): void {
    this.unsubscribe?.();
    this.clusterIPs.clear();
    this.nodePorts.clear();
    this.podIPs.clear();
    this.podIPOf.clear();
    this.podIPs6.clear();
    this.podIP6Of.clear();
    this.lbIPs.clear();
    for (const s of this.sim.store.iterate('Service')) this.trackService(s, undefined);
    for (const p of this.sim.store.iterate('Pod')) this.trackPod(p, undefined);
    this.unsubscribe = this.sim.store.subscribe((c) => this.onChange(c));
  }

  snapshot(): unknown {
    return this.dualStack ? { lastPodIP: this.lastPodIP, lastPodIP6: this.lastPodIP6 } : { lastPodIP: this.lastPodIP };
  }

  restore(data: unknown): void {
    const d = data as { lastPodIP?: Record<string, number>; lastPodIP6?: Record<string, string> } | undefined;
    this.lastPodIP = { ...(d?.lastPodIP ?? {}) };
    this.lastPodIP6 = { ...(d?.lastPodIP6 ?? {}) };
  }

  private onChange(c: Change): void {
    if (c.object.kind === 'Service') this.trackService(c.type === 'DELETED' ? undefined : c.object, c.old);
    else if (c.object.kind === 'Pod') this.trackPod(c.type === 'DELETED' ? undefined : c.object, c.old);
  }

  private trackService(obj: KubeObject | undefined, old: KubeObject | undefined): void {
    if (old) {
      const k = keyOf(old);
      for (const ip of old.spec?.clusterIPs ?? []) if (this.clusterIPs.get(ip) === k) this.clusterIPs.delete(ip);
      for (const p of old.spec?.ports ?? []) if (p?.nodePort && this.nodePorts.get(p.nodePort) === k) this.nodePorts.delete(p.nodePort);
      const hc = old.spec?.healthCheckNodePort;
      if (hc && this.nodePorts.get(hc) === k) this.nodePorts.delete(hc);
      for (const i of old.status?.loadBalancer?.ingress ?? []) if (i?.ip && this.lbIPs.get(i.ip) === k) this.lbIPs.delete(i.ip);
    }
    if (obj) {
      const k = keyOf(obj);
      for (const ip of obj.spec?.clusterIPs ?? []) if (ip && ip !== 'None') this.clusterIPs.set(ip, k);
      for (const p of obj.spec?.ports ?? []) if (p?.nodePort) this.nodePorts.set(p.nodePort, k);
      // the health check node port comes from the same allocator as the Service's nodePorts
      if (obj.spec?.healthCheckNodePort) this.nodePorts.set(obj.spec.healthCheckNodePort, k);
      for (const i of obj.status?.loadBalancer?.ingress ?? []) if (i?.ip) this.lbIPs.set(i.ip, k);
    }
  }

  private trackPod(obj: KubeObject | undefined, old: KubeObject | undefined): void {
    if (old) {
      const k = keyOf(old);
      const had = this.podIPOf.get(k);
      if (had) {
        this.podIPs.get(had[0])?.delete(had[1]);
        this.podIPOf.delete(k);
      }
    }
    if (old) {
      const had6 = this.podIP6Of.get(keyOf(old));
      if (had6) {
        this.podIPs6.get(had6[0])?.delete(had6[1]);
        this.podIP6Of.delete(keyOf(old));
      }
    }
    const v6 = (obj?.status?.podIPs as { ip?: string }[] | undefined)?.find((p) => p?.ip && isIPv6(p.ip))?.ip;
    if (obj && v6 && !obj.spec?.hostNetwork && obj.spec?.nodeName) {
      const node = obj.spec.nodeName as string;
      const n = parseIPv6(v6)!;
      let set = this.podIPs6.get(node);
      if (!set) this.podIPs6.set(node, (set = new Set()));
      set.add(n);
      this.podIP6Of.set(keyOf(obj), [node, n]);
    }
    if (obj && !obj.spec?.hostNetwork && obj.spec?.nodeName && obj.status?.podIP && isIPv4(obj.status.podIP)) {
      const node = obj.spec.nodeName as string;
      const n = parseIPv4(obj.status.podIP)!;
      let set = this.podIPs.get(node);
      if (!set) this.podIPs.set(node, (set = new Set()));
      set.add(n);
      this.podIPOf.set(keyOf(obj), [node, n]);
    }
  }

  // ---- Services ---------------------------------------------------------------------

  /** The address at `index` of the service range (0 → the `kubernetes` Service). */
  serviceIP(index: number): string {
    return formatIPv4(this.serviceCidr.network + 1 + index);
  }

  private serviceMax(): number {
    return Math.max(0, cidrSize(this.serviceCidr) - 2);
  }

  private allocateRandomIP(): string | undefined {
    const max = this.serviceMax();
    const offset = rangeOffset(cidrSize(this.serviceCidr), 16, 256, 16);
    const tryBand = (lo: number, hi: number): string | undefined => {
      if (hi <= lo) return undefined;
      const start = lo + this.sim.rng.int(hi - lo);
      for (let i = 0; i < hi - lo; i++) {
        const idx = lo + ((start - lo + i) % (hi - lo));
        const ip = this.serviceIP(idx);
        if (!this.clusterIPs.has(ip)) return ip;
      }
      return undefined;
    };
    return tryBand(offset, max) ?? tryBand(0, Math.min(offset, max));
  }

  private allocateRandomPort(): number | undefined {
    const size = NODE_PORT_MAX - NODE_PORT_MIN + 1;
    const offset = rangeOffset(size, 16, 128, 32);
    const tryBand = (lo: number, hi: number): number | undefined => {
      if (hi <= lo) return undefined;
      const start = lo + this.sim.rng.int(hi - lo);
      for (let i = 0; i < hi - lo; i++) {
        const port = NODE_PORT_MIN + lo + ((start - lo + i) % (hi - lo));
        if (!this.nodePorts.has(port)) return port;
      }
      return undefined;
    };
    return tryBand(offset, size) ?? tryBand(0, offset);
  }

  /**
   * The service REST storage's allocation step (create and update): fills in
   * spec.clusterIP(s) and nodePorts, or returns the field errors the API server reports.
   */
  allocateService(svc: KubeObject, old: KubeObject | undefined): FieldError[] {
    const errs: FieldError[] = [];
    const s = svc.spec;
    const key = keyOf(svc);
    if (s.type === 'ExternalName') {
      delete s.clusterIP;
      delete s.clusterIPs;
      delete s.ipFamilies;
      delete s.ipFamilyPolicy;
      for (const p of s.ports ?? []) if (p) delete p.nodePort;
      return errs;
    }
    const selectorless = !(isObject(s.selector) && Object.keys(s.selector).length > 0);
    if (!this.dualStack && !(s.clusterIP === 'None' && selectorless)) {
      // initIPFamilyFields on a single-stack (IPv4) cluster
      if (s.ipFamilyPolicy === 'RequireDualStack') errs.push(fe.invalid('spec.ipFamilyPolicy', go.str('RequireDualStack'), 'this cluster is not configured for dual-stack services'));
      (isArray(s.ipFamilies) ? s.ipFamilies : []).forEach((f: unknown, i: number) => {
        if (f !== 'IPv4') errs.push(fe.invalid(`spec.ipFamilies[${i}]`, go.str(String(f)), 'not configured on this cluster'));
      });
      if (errs.length) return errs;
    }
    if (this.dualStack) {
      errs.push(...this.allocateClusterIPs(svc, old));
    } else if (s.clusterIP === 'None') {
      s.clusterIPs = ['None'];
    } else if (s.clusterIP) {
      const ip = String(s.clusterIP);
      const owner = this.clusterIPs.get(ip);
      if (!(old && owner === key)) {
        const n = isIPv4(ip) ? parseIPv4(ip)! : -1;
        const inRange = n > this.serviceCidr.network && n < this.serviceCidr.network + cidrSize(this.serviceCidr) - 1;
        if (!inRange) {
          errs.push(fe.invalid('spec.clusterIPs', go.strings([ip]), `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${cidrText(this.serviceCidr)}`));
        } else if (owner && owner !== key) {
          errs.push(fe.invalid('spec.clusterIPs', go.strings([ip]), `failed to allocate IP ${ip}: provided IP is already allocated`));
        }
      }
      s.clusterIPs = [ip];
    } else {
      const ip = this.allocateRandomIP();
      if (!ip) {
        errs.push(fe.invalid('spec.clusterIPs', go.strings([]), 'failed to allocate a serviceIP: range is full'));
      } else {
        s.clusterIP = ip;
        s.clusterIPs = [ip];
        // reserve now so the next allocation in the same transaction does not reuse it
      }
    }
    if (s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false)) {
      const mine = new Set<number>();
      const ports: PortToAllocate[] = s.ports ?? [];
      ports.forEach((p, i) => {
        if (!p) return;
        const field = `spec.ports[${i}].nodePort`;
        if (p.nodePort) {
          const np = Number(p.nodePort);
          const owner = this.nodePorts.get(np);
          if (np < NODE_PORT_MIN || np > NODE_PORT_MAX) {
            errs.push(fe.invalid(field, go.int(np), `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`));
          } else if (owner && owner !== key) {
            errs.push(fe.invalid(field, go.int(np), 'provided port is already allocated'));
          } else if (mine.has(np) && !ports.some((q, j) => j < i && q?.nodePort === np && q?.port === p.port && q?.protocol !== p.protocol)) {
            // duplicates inside one Service are reported by validation
          }
          mine.add(np);
          return;
        }
        // a port number served over two protocols shares one nodePort (e.g. DNS 53 TCP+UDP)
        const twin = ports.find((q) => q !== p && q?.port === p.port && q?.protocol !== p.protocol && q?.nodePort);
        if (twin) {
          p.nodePort = twin.nodePort;
          return;
        }
        const np = this.allocateRandomPortExcluding(mine);
        if (np === undefined) errs.push(fe.invalid(field, go.int(0), 'failed to allocate a nodePort: range is full'));
        else {
          p.nodePort = np;
          mine.add(np);
        }
      });
    }
    if (errs.length && !old) {
      // nothing was committed: allocations are only recorded when the object is stored
    }
    return errs;
  }

  /**
   * The health check node port of a LoadBalancer Service with externalTrafficPolicy Local
   * (alloc.go allocHealthCheckNodePort, updateHealthCheckNodePort): allocated when the
   * Service comes to need one (a requested port is reserved), kept while it does; released
   * with the Service's other ports when the store no longer holds it. Returns the error the
   * API server wraps in an InternalError, or undefined. Call after allocateService.
   */
  allocateHealthCheckNodePort(svc: KubeObject, old: KubeObject | undefined): string | undefined {
    const s = svc.spec;
    const needs = (x: KubeObject | undefined): boolean => x?.spec?.type === 'LoadBalancer' && x?.spec?.externalTrafficPolicy === 'Local';
    if (!needs(svc) || (old && needs(old))) return undefined;
    const taken = new Set<number>();
    for (const p of s.ports ?? []) if (p?.nodePort) taken.add(Number(p.nodePort));
    const requested = s.healthCheckNodePort;
    if (requested) {
      const np = Number(requested);
      const owner = this.nodePorts.get(np);
      if (np < NODE_PORT_MIN || np > NODE_PORT_MAX) return `failed to allocate requested HealthCheck NodePort ${np}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`;
      if ((owner && owner !== keyOf(svc)) || taken.has(np)) return `failed to allocate requested HealthCheck NodePort ${np}: provided port is already allocated`;
      return undefined;
    }
    const np = this.allocateRandomPortExcluding(taken);
    if (np === undefined) return 'failed to allocate a HealthCheck NodePort 0: range is full';
    s.healthCheckNodePort = np;
    return undefined;
  }

  // ---- dual-stack Services (pkg/registry/core/service/storage/alloc.go) ----------------

  /** The address at `index` of the IPv6 service range (0 → network + 1). */
  serviceIP6(index: number): string {
    return formatIPv6(this.serviceCidr6!.network + 1n + BigInt(index));
  }

  /** hostsPerNetwork for IPv6 (2^bits - 1: the network address is skipped, there is no broadcast) and calculateRangeOffset. */
  private allocateRandomIP6(taken: Set<string>): string | undefined {
    const c = this.serviceCidr6!;
    const size = 2 ** (128 - c.prefix);
    const max = size - 1;
    const offset = rangeOffset(size, 16, 256, 16);
    const tryBand = (lo: number, hi: number): string | undefined => {
      if (hi <= lo) return undefined;
      const start = lo + this.sim.rng.int(hi - lo);
      for (let i = 0; i < hi - lo; i++) {
        const ip = this.serviceIP6(lo + ((start - lo + i) % (hi - lo)));
        if (!this.clusterIPs.has(ip) && !taken.has(ip)) return ip;
      }
      return undefined;
    };
    return tryBand(offset, max) ?? tryBand(0, Math.min(offset, max));
  }

  /** Is `ip` a usable address of the family's Service range, and the range's text. */
  private inServiceRange(ip: string): [boolean, string] {
    if (ipFamilyOf(ip) === 'IPv6') {
      const c = this.serviceCidr6!;
      const n = parseIPv6(ip);
      return [n !== undefined && n > c.network && n <= lastAddress6(c) && cidr6Contains(c, n), cidr6Text(c)];
    }
    const n = isIPv4(ip) ? parseIPv4(ip)! : -1;
    return [n > this.serviceCidr.network && n < this.serviceCidr.network + cidrSize(this.serviceCidr) - 1, cidrText(this.serviceCidr)];
  }

  /**
   * initIPFamilyFields then allocClusterIPs for a cluster with both families: defaults
   * ipFamilyPolicy (SingleStack; RequireDualStack for a headless Service without a
   * selector; an update keeps the old one), checks the policy against clusterIPs and
   * ipFamilies, infers families from given IPs, appends the second family for
   * PreferDualStack/RequireDualStack, then allocates or checks one ClusterIP per family.
   */
  private allocateClusterIPs(svc: KubeObject, old: KubeObject | undefined): FieldError[] {
    const s = svc.spec;
    const key = keyOf(svc);
    const errs: FieldError[] = [];
    const strs = (v: unknown): string[] => (isArray(v) ? v.map(String) : []);
    const was = old?.spec;
    // isMatchingPreferDualStackClusterIPFields: an unchanged PreferDualStack Service stays as it is
    if (old && was?.ipFamilyPolicy === 'PreferDualStack' && s.ipFamilyPolicy === 'PreferDualStack' && JSON.stringify(s.clusterIPs) === JSON.stringify(was.clusterIPs) && JSON.stringify(s.ipFamilies) === JSON.stringify(was.ipFamilies)) {
      return errs;
    }
    const hasSelector = isObject(s.selector) && Object.keys(s.selector).length > 0;
    if (s.ipFamilyPolicy === undefined || s.ipFamilyPolicy === null) {
      if (old && was?.ipFamilyPolicy) s.ipFamilyPolicy = was.ipFamilyPolicy;
      else if (s.clusterIP === 'None' && !hasSelector) s.ipFamilyPolicy = 'RequireDualStack';
      else s.ipFamilyPolicy = 'SingleStack';
    }
    if (s.clusterIP === 'None') s.clusterIPs = ['None'];
    let ips = strs(s.clusterIPs);
    let families = strs(s.ipFamilies);
    const policyValue = go.str(String(s.ipFamilyPolicy));
    if (old && s.ipFamilyPolicy === 'SingleStack') {
      if (JSON.stringify(ips) === JSON.stringify(strs(was?.clusterIPs)) && ips.length > 1) ips = ips.slice(0, 1);
      if (JSON.stringify(families) === JSON.stringify(strs(was?.ipFamilies)) && families.length > 1) families = families.slice(0, 1);
    } else if (old) {
      if (ips.length < strs(was?.clusterIPs).length) errs.push(fe.invalid('spec.ipFamilyPolicy', policyValue, "must be 'SingleStack' to release the secondary cluster IP"));
      if (families.length < strs(was?.ipFamilies).length) errs.push(fe.invalid('spec.ipFamilyPolicy', policyValue, "must be 'SingleStack' to release the secondary IP family"));
    }
    if (s.ipFamilyPolicy === 'SingleStack') {
      if (ips.length === 2) errs.push(fe.invalid('spec.ipFamilyPolicy', policyValue, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
      if (families.length === 2) errs.push(fe.invalid('spec.ipFamilyPolicy', policyValue, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
    for (let i = 0; i < ips.length && ips[i] !== 'None'; i++) if (i >= families.length) families.push(ipFamilyOf(ips[i]));
    if (errs.length) return errs;
    const other = (f: string): string => (f === 'IPv4' ? 'IPv6' : 'IPv4');
    if (s.clusterIP === 'None' && !hasSelector) {
      if (families.length === 0) families = ['IPv4'];
      if (families.length < 2 && s.ipFamilyPolicy !== 'SingleStack') families.push(other(families[0]));
      s.ipFamilies = families;
      return errs;
    }
    if (families.length === 0) families = ['IPv4'];
    if (s.ipFamilyPolicy !== 'SingleStack' && families.length === 1) families.push(other(families[0]));
    s.ipFamilies = families;
    if (s.clusterIP === 'None') {
      s.clusterIPs = ['None'];
      return errs;
    }
    const out: string[] = [];
    const taken = new Set<string>();
    families.forEach((family, i) => {
      const given = ips[i];
      if (given) {
        const ip = family === 'IPv6' ? formatIPv6(parseIPv6(given) ?? 0n) : given;
        const owner = this.clusterIPs.get(ip);
        if (!(old && owner === key)) {
          const [inRange, text] = this.inServiceRange(ip);
          if (!inRange) errs.push(fe.invalid('spec.clusterIPs', go.strings([given]), `failed to allocate IP ${given}: the provided IP (${given}) is not in the valid range. The range of valid IPs is ${text}`));
          else if (owner && owner !== key) errs.push(fe.invalid('spec.clusterIPs', go.strings([given]), `failed to allocate IP ${given}: provided IP is already allocated`));
        }
        out.push(given);
        return;
      }
      const ip = family === 'IPv6' ? this.allocateRandomIP6(taken) : this.allocateRandomIP();
      if (!ip) errs.push(fe.invalid('spec.clusterIPs', go.strings([]), 'failed to allocate a serviceIP: range is full'));
      else {
        taken.add(ip);
        out.push(ip);
      }
    });
    if (!errs.length) {
      s.clusterIPs = out;
      s.clusterIP = out[0];
    }
    return errs;
  }

  private allocateRandomPortExcluding(exclude: Set<number>): number | undefined {
    for (let attempt = 0; attempt < 8; attempt++) {
      const p = this.allocateRandomPort();
      if (p === undefined) return undefined;
      if (!exclude.has(p)) return p;
    }
    for (let p = NODE_PORT_MIN; p <= NODE_PORT_MAX; p++) if (!this.nodePorts.has(p) && !exclude.has(p)) return p;
    return undefined;
  }

  /** The Service holding `ip`, if any (`Service/ns/name`). */
  clusterIPOwner(ip: string): string | undefined {
    return this.clusterIPs.get(ip);
  }

  nodePortOwner(port: number): string | undefined {
    return this.nodePorts.get(port);
  }

  // ---- LoadBalancer pool ------------------------------------------------------------

  /** The first free address of settings.loadBalancerPool, or undefined (the Service stays <pending>). */
  allocateLoadBalancerIP(requested?: string): string | undefined {
    const pools = this.sim.settings.loadBalancerPool ?? [];
    const ranges: Cidr[] = [];
    for (const p of pools) {
      try {
        ranges.push(range(p.includes('/') ? p : `${p}/32`));
      } catch {
        // an unparsable pool entry hands out nothing
      }
    }
    if (requested) {
      if (isIPv4(requested) && ranges.some((r) => cidrContains(r, requested)) && !this.lbIPs.has(requested)) return requested;
      return undefined;
    }
    for (const r of ranges) {
      // a /32 pool is one address; larger pools skip network and broadcast like MetalLB's avoidBuggyIPs
      const first = cidrSize(r) > 2 ? r.network + 1 : r.network;
      const last = cidrSize(r) > 2 ? r.network + cidrSize(r) - 2 : r.network + cidrSize(r) - 1;
      for (let n = first; n <= last; n++) {
        const ip = formatIPv4(n);
        if (!this.lbIPs.has(ip)) return ip;
      }
    }
    return undefined;
  }

  // ---- nodes and pods ---------------------------------------------------------------

  /** The i-th /24 of the cluster pod CIDR (node-ipam's allocation for node i). */
  nodePodCIDR(index: number): string {
    const bits = Math.max(this.podCidr.prefix, 24);
    const size = 2 ** (32 - bits);
    return `${formatIPv4(this.podCidr.network + index * size)}/${bits}`;
  }

  /** The next free /24 for a node created without one (after those already taken). */
  nextNodePodCIDR(): string {
    const taken = new Set<string>();
    for (const n of this.sim.store.iterate('Node')) if (n.spec?.podCIDR) taken.add(n.spec.podCIDR);
    for (let i = 0; i < 65536; i++) {
      const c = this.nodePodCIDR(i);
      if (!taken.has(c)) return c;
    }
    return this.nodePodCIDR(0);
  }

  /** The i-th /64 of the cluster's IPv6 Pod range (node-ipam's --node-cidr-mask-size-ipv6=64). */
  nodePodCIDR6(index: number): string | undefined {
    const c = this.podCidr6;
    if (!c) return undefined;
    const bits = Math.max(c.prefix, 64);
    return cidr6Text({ network: c.network + (BigInt(index) << BigInt(128 - bits)), prefix: bits });
  }

  /** The next free IPv6 /64 for a node created without one. */
  nextNodePodCIDR6(): string | undefined {
    if (!this.podCidr6) return undefined;
    const taken = new Set<string>();
    for (const n of this.sim.store.iterate('Node')) for (const c of (n.spec?.podCIDRs ?? []) as string[]) taken.add(c);
    for (let i = 0; i < 65536; i++) {
      const c = this.nodePodCIDR6(i)!;
      if (!taken.has(c)) return c;
    }
    return this.nodePodCIDR6(0);
  }

  /**
   * host-local's second range (the IPv6 /64 of the node): the next address after the last
   * one reserved, skipping the network address and the gateway (::1, the bridge's).
   */
  allocatePodIPv6(node: string, podCIDR: string): string | undefined {
    const c = parseCidr6(podCIDR);
    if (!c) return undefined;
    const used = this.podIPs6.get(node) ?? new Set<bigint>();
    const first = c.network + 2n;
    const last = lastAddress6(c);
    const prev = this.lastPodIP6[node] !== undefined ? parseIPv6(this.lastPodIP6[node]) : undefined;
    let n = prev !== undefined && prev >= first && prev < last ? prev + 1n : first;
    for (let i = 0; i < 65536; i++, n = n >= last ? first : n + 1n) {
      if (!used.has(n)) {
        this.lastPodIP6[node] = formatIPv6(n);
        return formatIPv6(n);
      }
    }
    return undefined;
  }

  /**
   * host-local IPAM: the next address after the last one reserved on this node,
   * wrapping around, skipping the network address, the gateway (.1) and broadcast.
   */
  allocatePodIP(node: string, podCIDR: string): string | undefined {
    let c: Cidr;
    try {
      c = range(podCIDR);
    } catch {
      return undefined;
    }
    const used = this.podIPs.get(node) ?? new Set<number>();
    const first = c.network + 2;
    const last = c.network + cidrSize(c) - 2;
    if (last < first) return undefined;
    const span = last - first + 1;
    const prev = this.lastPodIP[node];
    let start = prev !== undefined && prev >= first && prev <= last ? prev + 1 : first;
    if (start > last) start = first;
    for (let i = 0; i < span; i++) {
      const n = first + ((start - first + i) % span);
      if (!used.has(n)) {
        this.lastPodIP[node] = n;
        return formatIPv4(n);
      }
    }
    return undefined;
  }
}
