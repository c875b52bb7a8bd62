/**
 * Values derived from the live cluster: what a question task's answer must be, or what
 * a field must equal. Never typed into a lesson — always computed when checked.
 */
import type { Simulation } from '../simulation';
import { resourceFor } from '../cluster/resources';
import type { Check, Derived, LabelSelector } from './types';
import { describeRef, getPath, show, matchesSelector, parseSelector } from './query';
import { originHost, readyEndpoints, ruleProbability, explainNoEndpoints } from './cluster-facts';
import { lookup } from './net';
import { hostResolvConf, ndotsOf } from '../controllers/dns/resolver';
import { findNode, nodeCniFiles, nodeNamespace, podInterface, podNamespace } from '../controllers/cni';
import { lookupRoute, routeSource } from '../dataplane/netns';
import { findPod } from '../dataplane/topology';
import { podListeners } from '../dataplane/apps';
import { chainRuleCount, proxyChains } from './proxy-facts';

export interface DerivedValue {
  /** The value, as the learner would type it (the form the real tool prints). */
  value?: string;
  /** Other spellings that are equally right (e.g. kube-proxy's written probability). */
  alternatives?: string[];
  /** Any one of these is right (e.g. one of a Service's endpoints). */
  oneOf?: string[];
  /** Compare numerically with this tolerance (for probabilities). */
  numeric?: boolean;
  /** Why the value cannot be derived right now (learner terms). */
  reason?: string;
  /** The raw value, for structural comparison in field checks. */
  raw?: unknown;
}

export function nsOf(kind: string, namespace?: string): string | undefined {
  const info = resourceFor(kind);
  if (info && !info.namespaced) return undefined;
  return namespace ?? 'default';
}

export function derive(sim: Simulation, d: Derived): DerivedValue {
  if ('value' in d) return { value: String(d.value), raw: d.value };
  if ('field' in d) {
    const { kind, name, path } = d.field;
    const ns = nsOf(kind, d.field.namespace);
    const obj = sim.store.get(resourceFor(kind)?.kind ?? kind, ns, name);
    if (!obj) return { reason: `${describeRef(kind, name, ns)} does not exist` };
    const v = getPath(obj, path);
    if (v === undefined) return { reason: `${describeRef(kind, name, ns)} has no ${path}` };
    return { value: show(v), raw: v };
  }
  if ('count' in d) {
    const kind = resourceFor(d.count.kind)?.kind ?? d.count.kind;
    const ns = nsOf(kind, d.count.namespace);
    const objs = countObjects(sim, kind, ns, d.count.selector);
    return { value: String(objs.length), raw: objs.length, numeric: true };
  }
  if ('endpoints' in d) {
    const ns = d.endpoints.namespace ?? 'default';
    const n = readyEndpoints(sim, ns, d.endpoints.service).length;
    return { value: String(n), raw: n, numeric: true };
  }
  if ('probability' in d) {
    const ns = d.probability.namespace ?? 'default';
    const rule = d.probability.rule ?? 1;
    const n = readyEndpoints(sim, ns, d.probability.service).length;
    if (n === 0) return { reason: explainNoEndpoints(sim, ns, d.probability.service) };
    const p = ruleProbability(n, rule);
    if (!p) {
      return { reason: rule >= n ? `with ${n} endpoint${n === 1 ? '' : 's'}, rule ${rule} is the last jump and has no probability: it catches everything left` : `there is no rule ${rule}` };
    }
    return { value: p.printed, alternatives: [p.written], numeric: true, raw: Number(p.printed) };
  }
  if ('endpoint' in d) {
    const ns = d.endpoint.namespace ?? 'default';
    const eps = readyEndpoints(sim, ns, d.endpoint.service);
    if (eps.length === 0) return { reason: explainNoEndpoints(sim, ns, d.endpoint.service) };
    const all = eps.flatMap((e) => (e.ports.length ? e.ports.map((p) => `${e.ip}:${p.port}`) : [e.ip])).sort(compareIpPort);
    return { value: all[0], oneOf: all, raw: all };
  }
  if ('setting' in d) {
    const settings: Record<string, unknown> = { ...sim.settings };
    const v = settings[d.setting.name];
    if (v === undefined) return { reason: `the cluster has no setting ${d.setting.name}` };
    // kube-proxy's empty IPVS scheduler means round robin (pkg/proxy/ipvs: defaultScheduler = "rr").
    const value = d.setting.name === 'ipvsScheduler' && v === '' ? 'rr' : String(v);
    return { value, raw: value };
  }
  if ('resolve' in d) {
    const o = originHost(sim, d.resolve.from);
    if (!o.host) return { reason: o.reason };
    const r = lookup(sim, o.host, d.resolve.name);
    if (r.addresses.length === 0) return { reason: `${d.resolve.name} does not resolve from ${o.label} (${r.rcode})` };
    const sorted = [...r.addresses].sort();
    return { value: sorted.join(', '), raw: sorted };
  }
  if ('veth' in d || 'gateway' in d || 'route' in d || 'neighbor' in d) return podWiring(sim, d);
  if ('resolvConf' in d) {
    const ns = d.resolvConf.namespace ?? 'default';
    const pod = sim.store.get('Pod', ns, d.resolvConf.pod);
    if (!pod) return { reason: `the Pod ${d.resolvConf.pod}${ns === 'default' ? '' : ` (namespace ${ns})`} does not exist` };
    const container = String((pod.spec?.containers as { name: string }[] | undefined)?.[0]?.name ?? '');
    const conf = hostResolvConf(sim.cluster, { kind: 'pod', namespace: ns, pod: d.resolvConf.pod, container });
    if (d.resolvConf.part === 'nameserver') {
      if (!conf.nameservers.length) return { reason: `the Pod ${d.resolvConf.pod}'s resolv.conf lists no nameserver` };
      return { value: conf.nameservers[0], oneOf: conf.nameservers, raw: conf.nameservers[0] };
    }
    if (d.resolvConf.part === 'search') return { value: conf.search.join(' '), raw: conf.search };
    const n = ndotsOf(conf);
    return { value: String(n), raw: n, numeric: true };
  }
  if ('ready' in d) {
    const ns = d.ready.namespace ?? 'default';
    const pod = sim.store.get('Pod', ns, d.ready.pod);
    if (!pod) return { reason: `the Pod ${d.ready.pod}${ns === 'default' ? '' : ` (namespace ${ns})`} does not exist` };
    // kubectl's printPod: ready container statuses over the spec's containers
    const total = (pod.spec?.containers ?? []).length;
    const ready = (pod.status?.containerStatuses ?? []).filter((c: { ready?: boolean }) => c.ready).length;
    return { value: `${ready}/${total}`, raw: `${ready}/${total}` };
  }
  if ('listener' in d) {
    const ns = d.listener.namespace ?? 'default';
    const the = `the Pod ${d.listener.pod}${ns === 'default' ? '' : ` (namespace ${ns})`}`;
    const info = findPod(sim.cluster, ns, d.listener.pod);
    if (!info) return { reason: `${the} does not exist or has no IP yet` };
    const proto = d.listener.protocol ?? 'tcp';
    const l = podListeners(info).find((x) => x.port === d.listener.port && x.proto === proto);
    if (!l) return { reason: `nothing in ${the} listens on ${proto} port ${d.listener.port}` };
    return { value: l.container, raw: l.container };
  }
  if ('proxyChain' in d) {
    const c = proxyChains(sim, d.proxyChain);
    if (!c.names) return { reason: c.reason };
    // Several endpoints (on one node): any one of their chains is right; so is nftables' `endpoint-HASH` alone.
    return { value: c.names[0], oneOf: c.names, alternatives: c.short, raw: c.names.length === 1 ? c.names[0] : c.names };
  }
  if ('ruleCount' in d) {
    const r = chainRuleCount(sim, d.ruleCount);
    if (r.count === undefined) return { reason: r.reason };
    return { value: String(r.count), raw: r.count, numeric: true };
  }
  if ('cniConfig' in d) {
    if (!findNode(sim.cluster, d.cniConfig.node)) return { reason: `there is no node ${d.cniConfig.node}` };
    // the runtime loads the first network configuration in lexical order (libcni ConfFiles + sort)
    const [path] = Object.keys(nodeCniFiles(sim.cluster, d.cniConfig.node)).filter((f) => f.startsWith('/etc/cni/net.d/')).sort();
    if (!path) return { reason: `${d.cniConfig.node} has no CNI configuration in /etc/cni/net.d/` };
    const name = path.slice('/etc/cni/net.d/'.length);
    return { value: name, alternatives: [path], raw: name };
  }
  return { reason: 'unknown derived value' };
}

/** How a Pod is plugged into its node, read from the namespaces the CNI plugin wired. */
function podWiring(sim: Simulation, d: Extract<Derived, { veth: unknown } | { gateway: unknown } | { route: unknown } | { neighbor: unknown }>): DerivedValue {
  const ref = 'veth' in d ? d.veth : 'gateway' in d ? d.gateway : 'neighbor' in d ? d.neighbor : d.route;
  const ns = ref.namespace ?? 'default';
  const pod = sim.store.get('Pod', ns, ref.pod);
  const the = `the Pod ${ref.pod}${ns === 'default' ? '' : ` (namespace ${ns})`}`;
  if (!pod) return { reason: `${the} does not exist` };
  if (pod.spec?.hostNetwork) return { reason: `${the} uses its node's network (hostNetwork): it has no veth pair of its own` };
  if (!pod.status?.podIP || !pod.spec?.nodeName) return { reason: `${the} has no IP address yet` };
  if ('veth' in d) {
    const iface = podInterface(sim.cluster, pod);
    if (!iface) return { reason: `${the} has no network namespace yet` };
    // the name as `ip link` lists it on the node, with or without its @ifN
    return { value: iface.hostVeth, alternatives: [`${iface.hostVeth}@if${iface.ifindex}`], raw: iface.hostVeth };
  }
  if ('gateway' in d || 'neighbor' in d) {
    const podNs = podNamespace(sim.cluster, pod);
    const via = podNs?.routes.find((r) => r.dst === 'default')?.via;
    if ('gateway' in d) {
      if (!via) return { reason: `${the} has no default route` };
      return { value: via, raw: via };
    }
    const ip = d.neighbor.ip ?? via;
    const mac = podNs?.neighbors.find((n) => n.ip === ip)?.lladdr;
    if (!ip || !mac) return { reason: `${the} has no neighbour entry for ${ip ?? 'its gateway'}` };
    return { value: mac, raw: mac };
  }
  const node = nodeNamespace(sim.cluster, d.route.node);
  if (!node) return { reason: `there is no node ${d.route.node}` };
  // longest prefix match, as `ip route get` asks the kernel
  const route = lookupRoute(node, pod.status.podIP);
  const best = { dev: route?.type === 'blackhole' ? undefined : route?.dev };
  if (!route || !best.dev) return { reason: `${d.route.node} has no route to ${pod.status.podIP}` };
  if (d.route.part === 'src') {
    const src = routeSource(node, route, pod.status.podIP);
    if (!src) return { reason: `${d.route.node} has no address to send from toward ${pod.status.podIP}` };
    return { value: src, raw: src };
  }
  return { value: best.dev, raw: best.dev };
}

function countObjects(sim: Simulation, kind: string, ns: string | undefined, selector: LabelSelector | undefined) {
  const all = sim.store.list(kind, ns);
  if (selector === undefined) return all;
  const reqs = parseSelector(selector);
  return all.filter((o) => matchesSelector(o.metadata.labels, reqs));
}

function compareIpPort(a: string, b: string): number {
  const key = (s: string) => s.split(/[.:]/).map((x) => x.padStart(5, '0')).join('.');
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

/** Does a learner's answer match a derived value? Trims, ignores case and a trailing dot; numbers compare numerically. */
export function answerMatches(given: string, expected: DerivedValue): boolean {
  if (expected.value === undefined) return false;
  const norm = (s: string) => s.trim().replace(/^["']|["']$/g, '').replace(/\.$/, '').toLowerCase();
  const g = norm(given);
  const forms = [expected.value, ...(expected.alternatives ?? []), ...(expected.oneOf ?? [])].map(norm);
  if (forms.includes(g)) return true;
  // A list answer in any order: "10.244.1.5, 10.244.2.3"
  if (expected.value.includes(',') && !expected.oneOf) {
    const a = g.split(/[\s,]+/).filter(Boolean).sort().join(',');
    const b = norm(expected.value).split(/[\s,]+/).filter(Boolean).sort().join(',');
    if (a === b) return true;
  }
  if (expected.numeric) {
    let n = Number(g);
    const frac = g.match(/^(\d+)\s*\/\s*(\d+)$/);
    if (frac) n = Number(frac[1]) / Number(frac[2]);
    if (g.endsWith('%')) n = Number(g.slice(0, -1)) / 100;
    const e = Number(expected.value);
    if (Number.isFinite(n) && Number.isFinite(e)) {
      // Probabilities: accept any answer rounded to at least 3 decimals (or an exact fraction).
      return Math.abs(n - e) <= (Number.isInteger(e) ? 0 : 0.0005 + 1e-12);
    }
  }
  return false;
}

/** The value a question task's check compares the learner's answer with (`answer:`, or `predict.answer`), searched through `all`/`any`. */
export function answerOf(check: Check): Derived | undefined {
  const o = check as { answer?: Derived; predict?: { answer: Derived }; all?: Check[]; any?: Check[] };
  if (o.answer) return o.answer;
  if (o.predict) return o.predict.answer;
  for (const list of [o.all, o.any]) for (const c of list ?? []) {
    const found = answerOf(c);
    if (found) return found;
  }
  return undefined;
}
