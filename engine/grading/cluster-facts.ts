/**
 * What the checks need to know about Services, endpoints and Pods, read from the
 * object store the way the cluster's own controllers would read it, and explained in
 * learner terms when something is missing.
 */
import type { Simulation } from '../simulation';
import type { Pod, Service } from '../cluster/types';
import type { KindStore } from '../cluster/store';
import type { HostRef } from '../types';
import type { LabelSelector, Origin, Target } from './types';
import { formatSelector, matchesSelector, parseSelector, podReady } from './query';
import { isIPv4 } from '../cluster/ipv4';
import { canonicalIPv6, isIPv6 } from '../cluster/ipv6';

export interface ReadyEndpoint {
  ip: string;
  ports: { name?: string; port: number; protocol?: string }[];
}

/**
 * The ready endpoints of a Service: from its EndpointSlices (label
 * kubernetes.io/service-name), or from the Endpoints object when no slice exists.
 */
export function readyEndpoints(sim: Simulation, namespace: string, service: string): ReadyEndpoint[] {
  const store: KindStore = sim.store;
  const out: ReadyEndpoint[] = [];
  const slices = store.list('EndpointSlice', namespace).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service);
  if (slices.length > 0) {
    const seen = new Set<string>();
    for (const s of slices) {
      const ports = (s.ports ?? []).map((p) => ({ name: p.name, port: p.port ?? 0, protocol: p.protocol }));
      for (const ep of s.endpoints ?? []) {
        if (ep.conditions?.ready === false) continue;
        for (const ip of ep.addresses ?? []) {
          if (seen.has(ip)) continue;
          seen.add(ip);
          out.push({ ip, ports });
        }
      }
    }
    return out;
  }
  const eps = store.get('Endpoints', namespace, service);
  for (const subset of eps?.subsets ?? []) {
    for (const a of subset.addresses ?? []) out.push({ ip: a.ip, ports: subset.ports ?? [] });
  }
  return out;
}

/** Why a Service has no ready endpoints, in words a learner can act on. */
export function explainNoEndpoints(sim: Simulation, namespace: string, name: string): string {
  const store: KindStore = sim.store;
  const svc = store.get('Service', namespace, name);
  const the = namespace === 'default' ? `the Service ${name}` : `the Service ${name} (namespace ${namespace})`;
  if (!svc) return `${the} does not exist`;
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) {
    return `${the} has no endpoints: it has no selector, so nothing fills its endpoints automatically`;
  }
  const reqs = parseSelector(selector);
  const pods = store.list('Pod', namespace).filter((p) => matchesSelector(p.metadata.labels, reqs));
  const sel = formatSelector(selector);
  if (pods.length === 0) {
    // What the Pods carry under the selector's own keys: `app=web, app=api`.
    const keys = reqs.map((r) => r.key);
    const seen = new Set<string>();
    for (const p of store.list('Pod', namespace)) {
      for (const k of keys) if (p.metadata.labels?.[k] !== undefined) seen.add(`${k}=${p.metadata.labels[k]}`);
    }
    const shown = [...seen].sort();
    const hint = shown.length ? ` (Pods in ${namespace} have ${shown.slice(0, 5).join(', ')}${shown.length > 5 ? ', …' : ''})` : '';
    return `${the} has no endpoints: its selector ${sel} matches no Pod${hint}`;
  }
  const ready = pods.filter(podReady);
  if (ready.length === 0) {
    return `${the} has no endpoints: its selector ${sel} matches ${pods.length} Pod${pods.length === 1 ? '' : 's'}, but none is Ready yet`;
  }
  return `${the} has no ready endpoints yet (its selector ${sel} matches ${ready.length} ready Pod${ready.length === 1 ? '' : 's'}; the endpoints controller has not caught up)`;
}

export function podsMatching(sim: Simulation, namespace: string, selector: LabelSelector): Pod[] {
  const store: KindStore = sim.store;
  const reqs = parseSelector(selector);
  return store.list('Pod', namespace).filter((p) => matchesSelector(p.metadata.labels, reqs));
}

function podHost(pod: Pod, container?: string): HostRef {
  const c = container ?? pod.spec?.containers?.[0]?.name ?? pod.metadata.name;
  return { kind: 'pod', namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name, container: c };
}

/** Turns an Origin into the host a probe runs from, or explains why there is none. */
export function originHost(sim: Simulation, from: Origin): { host?: HostRef; label: string; reason?: string } {
  const store: KindStore = sim.store;
  if ('workstation' in from) return { host: { kind: 'workstation' }, label: 'your workstation' };
  if ('node' in from) {
    const node = store.get('Node', undefined, from.node);
    if (!node) return { label: `node ${from.node}`, reason: `there is no node ${from.node}` };
    return { host: { kind: 'node', node: from.node }, label: `node ${from.node}` };
  }
  const ns = from.namespace ?? 'default';
  if ('pod' in from) {
    const pod = store.get('Pod', ns, from.pod);
    if (!pod) return { label: `Pod ${from.pod}`, reason: `there is no Pod ${from.pod} in namespace ${ns}` };
    if (pod.status?.phase !== 'Running') return { label: `Pod ${from.pod}`, reason: `the Pod ${from.pod} is not running yet` };
    return { host: podHost(pod, from.container), label: `Pod ${from.pod}` };
  }
  if ('selector' in from) {
    const sel = formatSelector(from.selector);
    const pods = podsMatching(sim, ns, from.selector);
    const running = pods.filter((p) => p.status?.phase === 'Running');
    if (running.length === 0) {
      return { label: `a Pod with ${sel}`, reason: pods.length ? `no Pod with labels ${sel} in namespace ${ns} is running yet` : `there is no Pod with labels ${sel} in namespace ${ns}` };
    }
    return { host: podHost(running[0]), label: `Pod ${running[0].metadata.name} (${sel})` };
  }
  const running = store.list('Pod', ns).filter((p) => p.status?.phase === 'Running' && !p.spec?.hostNetwork);
  if (running.length === 0) return { label: `a Pod in namespace ${ns}`, reason: `there is no running Pod in namespace ${ns}` };
  return { host: podHost(running[0]), label: `Pod ${running[0].metadata.name} in namespace ${ns}` };
}

/** Turns a Target into an address to dial, or explains why there is none. */
export function targetAddress(sim: Simulation, to: Target): { ip?: string; label: string; reason?: string; service?: { namespace: string; name: string } } {
  const store: KindStore = sim.store;
  if ('ip' in to) return { ip: to.ip, label: to.ip };
  const ns = to.namespace ?? 'default';
  if ('service' in to) {
    const svc = store.get('Service', ns, to.service);
    const label = ns === 'default' ? `the Service ${to.service}` : `the Service ${to.service}.${ns}`;
    if (!svc) return { label, reason: `there is no Service ${to.service} in namespace ${ns}` };
    // a dual-stack Service is dialled at its IPv4 ClusterIP, the address a Pod's resolver sorts first (RFC 6724, unique-local IPv6)
    const ip = ((svc.spec?.clusterIPs ?? []) as string[]).find((x) => isIPv4(x)) ?? svc.spec?.clusterIP;
    if (!ip || ip === 'None') return { label, reason: `${label} has no ClusterIP to connect to` };
    return { ip, label, service: { namespace: ns, name: to.service } };
  }
  if ('pod' in to) {
    const pod = store.get('Pod', ns, to.pod);
    if (!pod) return { label: `Pod ${to.pod}`, reason: `there is no Pod ${to.pod} in namespace ${ns}` };
    if (!pod.status?.podIP) return { label: `Pod ${to.pod}`, reason: `the Pod ${to.pod} has no IP yet` };
    return { ip: pod.status.podIP, label: `Pod ${to.pod}` };
  }
  const sel = formatSelector(to.selector);
  const pods = podsMatching(sim, ns, to.selector).filter((p) => p.status?.podIP);
  if (pods.length === 0) return { label: `a Pod with ${sel}`, reason: `there is no Pod with labels ${sel} in namespace ${ns} that has an IP` };
  return { ip: pods[0].status?.podIP, label: `Pod ${pods[0].metadata.name} (${sel})` };
}

/**
 * Every address of a target, as it is now (a history check's `to`): a Pod's podIPs, each
 * Pod's of a selector, a Service's clusterIPs, or the ip. IPv6 ones in canonical form.
 */
export function targetAddresses(sim: Simulation, to: Target): { ips: Set<string>; label: string } {
  const store: KindStore = sim.store;
  const out = new Set<string>();
  const add = (ip: unknown) => {
    if (typeof ip === 'string' && ip && ip !== 'None') out.add(canonicalAddress(ip));
  };
  const podIps = (pod: Pod | undefined) => {
    add(pod?.status?.podIP);
    for (const x of (pod?.status?.podIPs ?? []) as { ip?: string }[]) add(x.ip);
  };
  if ('ip' in to) {
    add(to.ip);
    return { ips: out, label: to.ip };
  }
  const ns = to.namespace ?? 'default';
  if ('service' in to) {
    const svc = store.get('Service', ns, to.service);
    add(svc?.spec?.clusterIP);
    for (const ip of (svc?.spec?.clusterIPs ?? []) as string[]) add(ip);
    return { ips: out, label: ns === 'default' ? `the Service ${to.service}` : `the Service ${to.service}.${ns}` };
  }
  if ('pod' in to) {
    podIps(store.get('Pod', ns, to.pod));
    return { ips: out, label: `the Pod ${to.pod}` };
  }
  for (const pod of podsMatching(sim, ns, to.selector)) podIps(pod);
  return { ips: out, label: `a Pod with ${formatSelector(to.selector)}` };
}

/** An address as a target set holds it: IPv6 canonical (RFC 5952), IPv4 as written. */
export function canonicalAddress(ip: string): string {
  return isIPv6(ip) ? canonicalIPv6(ip) : ip;
}

/**
 * The `--probability` kube-proxy puts on the rule-th (1-based) of n endpoint jumps, as
 * `iptables-save` prints it back. kube-proxy writes `fmt.Sprintf("%0.10f", 1.0/n)` for
 * the remaining n (pkg/proxy/iptables/proxier.go, computeProbability); the kernel's
 * xt_statistic stores it as lround(p × 2^31) and iptables prints `%.11f` of that over
 * 2^31 (iptables extensions/libxt_statistic.c). So 1/3 reads back as 0.33333333349.
 */
export function ruleProbability(endpointCount: number, rule: number): { written: string; printed: string } | undefined {
  if (rule < 1 || rule >= endpointCount) return undefined;
  const remaining = endpointCount - rule + 1;
  const written = (1 / remaining).toFixed(10);
  const stored = Math.round(Number(written) * 0x80000000);
  const printed = (stored / 0x80000000).toFixed(11);
  return { written, printed };
}

/** A Service a DNS name refers to (`web`, `web.ns`, `web.ns.svc`, `web.ns.svc.cluster.local`), seen from a namespace. */
export function serviceForName(sim: Simulation, name: string, fromNamespace: string): Service | undefined {
  const store: KindStore = sim.store;
  const domain = sim.settings.clusterDomain;
  const n = name.replace(/\.$/, '');
  const parts = n.split('.');
  let svc: string | undefined;
  let ns = fromNamespace;
  if (parts.length === 1) svc = parts[0];
  else if (parts.length === 2) [svc, ns] = parts;
  else if (parts.length === 3 && parts[2] === 'svc') [svc, ns] = parts;
  else if (n.endsWith(`.svc.${domain}`) && parts.length === 3 + domain.split('.').length) [svc, ns] = parts;
  if (!svc) return undefined;
  return store.get('Service', ns, svc);
}
