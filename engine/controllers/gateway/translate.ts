/**
 * Envoy Gateway's translator, in small: Gateway API objects → each Gateway's listener
 * states, each route's status per parentRef, and the Envoy configuration its proxy serves
 * (one HTTP listener per port, virtual hosts by domain, routes in precedence order).
 * Follows internal/gatewayapi (listener.go, route.go, validate.go, sort.go) of v1.9.0:
 *
 * - A GatewayClass is ours when spec.controllerName is gateway.envoyproxy.io/gatewayclass-controller;
 *   with several, the oldest is accepted (MsgOlderGatewayClassExists for the others).
 * - A route attaches to a Gateway's listeners through parentRefs (sectionName, port), the
 *   listener's allowedRoutes (namespaces From Same | All | Selector), and a hostname
 *   intersection (Gateway API's rules: a listener without a hostname takes the route's).
 * - backendRefs resolve to Services (a port that exists on them); another namespace needs a
 *   ReferenceGrant there. An unresolved backend keeps its share of the weight and answers 500.
 * - Routes inside a virtual host sort as XdsIRRoutes.Less: Exact > RegularExpression >
 *   PathPrefix, then the longer path, then (as the Gateway API's HTTPRouteRule precedence
 *   asks) a method match, then more header matches (more Exact ones), then more query
 *   matches; ties keep the routes' order (oldest HTTPRoute first, then namespace/name).
 */
import { secretKeyPair } from '../../tls/serve';
import type { Cluster } from '../../cluster/cluster';
import type { KubeObject } from '../../cluster/types';
import { selectorMatches } from '../../dataplane/policy';
import { CONTROLLER_NAME, GATEWAY_GROUP, clusterName, containerPort, routeName } from './names';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export interface PathMatch {
  type: 'Exact' | 'PathPrefix' | 'RegularExpression';
  value: string;
}

export interface ValueMatch {
  type: 'Exact' | 'RegularExpression';
  name: string;
  value: string;
}

export interface Filter {
  type: string;
  requestHeaderModifier?: HeaderModifier;
  responseHeaderModifier?: HeaderModifier;
  requestRedirect?: { scheme?: string; hostname?: string; port?: number; statusCode?: number; path?: PathModifier };
  urlRewrite?: { hostname?: string; path?: PathModifier };
}

export interface HeaderModifier {
  set?: { name: string; value: string }[];
  add?: { name: string; value: string }[];
  remove?: string[];
}

export interface PathModifier {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
  replaceFullPath?: string;
  replacePrefixMatch?: string;
}

export interface Backend {
  namespace: string;
  name: string;
  port?: number;
  weight: number;
  /** Why the backend is invalid (the ResolvedRefs message), when it is. */
  error?: { reason: string; message: string };
  filters: Filter[];
}

export interface XdsRoute {
  /** The xDS route name (%ROUTE_NAME%). */
  name: string;
  /** The Envoy cluster (%UPSTREAM_CLUSTER%). */
  cluster: string;
  route: KubeObject;
  rule: number;
  match: number;
  path: PathMatch;
  headers: ValueMatch[];
  queryParams: ValueMatch[];
  method?: string;
  filters: Filter[];
  backends: Backend[];
}

export interface VirtualHost {
  /** `www.example.com`, `*.example.com` or `*`. */
  domain: string;
  routes: XdsRoute[];
}

export interface TlsCertificate {
  /** The listener hostname the certificate serves (undefined: any SNI). */
  hostname?: string;
  secret: KubeObject;
}

/** One Envoy listener: the Gateway listeners sharing a port. */
export interface EnvoyListener {
  port: number;
  containerPort: number;
  protocol: 'HTTP' | 'HTTPS';
  virtualHosts: VirtualHost[];
  certificates: TlsCertificate[];
}

export interface ListenerState {
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
  attachedRoutes: number;
  conditions: Condition[];
  programmed: boolean;
  secret?: KubeObject;
}

export interface RouteParentStatus {
  parentRef: Record<string, unknown>;
  conditions: Condition[];
}

export interface GatewayTranslation {
  gateway: KubeObject;
  listeners: ListenerState[];
  envoy: EnvoyListener[];
}

export interface Translation {
  /** Accepted GatewayClasses by name, and the conditions of every class that names our controller. */
  classes: Map<string, Condition>;
  gateways: Map<string, GatewayTranslation>;
  /** Route key (`Kind/ns/name`) → one status per parentRef that names one of our Gateways. */
  routes: Map<string, { route: KubeObject; parents: RouteParentStatus[] }>;
}

const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute'];

function byAge(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The GatewayClasses that name Envoy Gateway's controller, with their Accepted condition. */
export function classConditions(cluster: Cluster): Map<string, Condition> {
  const out = new Map<string, Condition>();
  const ours = cluster.store.list('GatewayClass').filter((c) => c.spec?.controllerName === CONTROLLER_NAME).sort(byAge);
  ours.forEach((c, i) => {
    out.set(
      c.metadata.name,
      i === 0
        ? { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Valid GatewayClass' }
        : { type: 'Accepted', status: 'False', reason: 'OlderGatewayClassExists', message: 'Invalid GatewayClass: another older GatewayClass with the same Spec.Controller exists' },
    );
  });
  return out;
}

/** Is there a ReferenceGrant in `toNs` letting `fromKind` objects of `fromNs` reference `toKind` `toName`? */
export function referenceGranted(cluster: Cluster, fromGroup: string, fromKind: string, fromNs: string, toGroup: string, toKind: string, toNs: string, toName: string): boolean {
  return cluster.store.list('ReferenceGrant', toNs).some((g) => {
    const from = (g.spec?.from ?? []) as { group?: string; kind?: string; namespace?: string }[];
    const to = (g.spec?.to ?? []) as { group?: string; kind?: string; name?: string }[];
    return from.some((f) => (f.group ?? '') === fromGroup && f.kind === fromKind && f.namespace === fromNs) && to.some((t) => (t.group ?? '') === toGroup && t.kind === toKind && (!t.name || t.name === toName));
  });
}

/** Gateway API hostname intersection: the more specific of the two, or undefined when they do not meet. */
export function intersect(listener: string | undefined, route: string): string | undefined {
  if (!listener) return route;
  if (listener === route) return route;
  const covers = (wild: string, host: string) => wild.startsWith('*.') && host.endsWith(wild.slice(1)) && host.length > wild.length - 1;
  if (covers(listener, route)) return route;
  if (covers(route, listener)) return listener;
  return undefined;
}

function cond(type: string, ok: boolean, reason: string, message: string): Condition {
  return { type, status: ok ? 'True' : 'False', reason, message };
}

/** Error2ConditionMsg: capitalised, ending in a period. */
function conditionMsg(s: string): string {
  const t = s.charAt(0).toUpperCase() + s.slice(1);
  return t.endsWith('.') ? t : `${t}.`;
}

/** validateBackendRef + validateBackendService: the first reason a backendRef cannot be used. */
function resolveBackend(cluster: Cluster, route: KubeObject, ref: Record<string, unknown>): { reason: string; message: string } | undefined {
  const ns = (ref.namespace as string | undefined) ?? route.metadata.namespace ?? 'default';
  const group = (ref.group as string | undefined) ?? '';
  const kind = (ref.kind as string | undefined) ?? 'Service';
  const name = String(ref.name ?? '');
  if (group !== '' || kind !== 'Service') return { reason: 'InvalidKind', message: `Group is invalid, only the core API group (specified by omitting the group field or setting it to an empty string), multicluster.x-k8s.io and gateway.envoyproxy.io are supported` };
  if (ns !== route.metadata.namespace && !referenceGranted(cluster, GATEWAY_GROUP, route.kind, route.metadata.namespace ?? 'default', '', 'Service', ns, name)) {
    return { reason: 'RefNotPermitted', message: `Backend ref to Service ${ns}/${name} not permitted by any ReferenceGrant.` };
  }
  if (ref.port === undefined) return { reason: 'PortNotSpecified', message: 'A valid port number corresponding to a port on the Service must be specified' };
  const svc = cluster.store.get('Service', ns, name);
  if (!svc) return { reason: 'BackendNotFound', message: `service ${ns}/${name} not found` };
  const ports = (svc.spec?.ports ?? []) as { port: number; protocol?: string }[];
  if (!ports.some((p) => p.port === ref.port && (p.protocol ?? 'TCP') === 'TCP')) return { reason: 'PortNotFound', message: `TCP Port ${ref.port} not found on Service ${ns}/${name}` };
  return undefined;
}

function namespaceAllowed(cluster: Cluster, gw: KubeObject, l: Record<string, unknown>, routeNs: string): boolean {
  const ns = ((l.allowedRoutes as Record<string, unknown> | undefined)?.namespaces ?? { from: 'Same' }) as { from?: string; selector?: { matchLabels?: Record<string, string> } };
  const from = ns.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNs === gw.metadata.namespace;
  if (from === 'Selector') {
    const nsObj = cluster.store.get('Namespace', undefined, routeNs);
    return !!nsObj && !!ns.selector && selectorMatches(ns.selector, nsObj.metadata.labels ?? {});
  }
  return false;
}

function kindAllowed(l: Record<string, unknown>, kind: string): boolean {
  const kinds = ((l.allowedRoutes as Record<string, unknown> | undefined)?.kinds ?? []) as { group?: string; kind: string }[];
  if (kinds.length) return kinds.some((k) => k.kind === kind && (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP);
  return l.protocol === 'HTTP' || l.protocol === 'HTTPS';
}

/** The certificate Secret of an HTTPS listener, or the listener's ResolvedRefs failure. */
function listenerCertificate(cluster: Cluster, gw: KubeObject, l: Record<string, unknown>): { secret?: KubeObject; error?: string } {
  const refs = ((l.tls as Record<string, unknown> | undefined)?.certificateRefs ?? []) as { name: string; namespace?: string; kind?: string; group?: string }[];
  const gwNs = gw.metadata.namespace ?? 'default';
  for (const [i, ref] of refs.entries()) {
    const ns = ref.namespace ?? gwNs;
    if (ns !== gwNs && !referenceGranted(cluster, GATEWAY_GROUP, 'Gateway', gwNs, '', 'Secret', ns, ref.name)) {
      return { error: `certificate refs ${i}: Certificate ref to secret ${ns}/${ref.name} not permitted by any ReferenceGrant.` };
    }
    const secret = cluster.store.get('Secret', ns, ref.name);
    if (!secret) return { error: `certificate refs ${i}: Secret ${ns}/${ref.name} does not exist.` };
    if (secret.type !== 'kubernetes.io/tls' || !secret.data?.['tls.crt'] || !secret.data?.['tls.key']) return { error: `certificate refs ${i}: Secret ${ns}/${ref.name} must contain tls.crt and tls.key.` };
    // internal/gatewayapi validateTLSSecretsData: the pair must load as Go's tls.X509KeyPair
    const pair = secretKeyPair(cluster, ns, ref.name);
    if ('error' in pair) {
      const why = /failed to find any PEM data in certificate input/.test(pair.error) ? 'unable to decode pem data in tls.crt' : /failed to find any PEM data in key input/.test(pair.error) ? 'unable to decode pem data in tls.key' : `unable to validate certificate in tls.crt: ${pair.error}`;
      return { error: `certificate refs ${i}: ${ns}/${ref.name} must contain valid tls.crt and tls.key, ${why}` };
    }
    return { secret };
  }
  return { error: 'Listener must have at least 1 TLS certificate ref' };
}

function compareRoutes(a: XdsRoute, b: XdsRoute): number {
  // XdsIRRoutes.Less, sorted in reverse: the most specific first
  const rank = (r: XdsRoute) => (r.path.type === 'Exact' ? 3 : r.path.type === 'RegularExpression' ? 2 : 1);
  if (rank(a) !== rank(b)) return rank(b) - rank(a);
  const len = (r: XdsRoute) => (r.path.type === 'PathPrefix' && r.path.value === '/' ? 0 : r.path.value.length);
  if (len(a) !== len(b)) return len(b) - len(a);
  // the Gateway API's order puts a method match next (sort.go itself skips it)
  if (!!a.method !== !!b.method) return a.method ? -1 : 1;
  if (a.headers.length !== b.headers.length) return b.headers.length - a.headers.length;
  const exact = (l: ValueMatch[]) => l.filter((m) => m.type === 'Exact').length;
  if (exact(a.headers) !== exact(b.headers)) return exact(b.headers) - exact(a.headers);
  if (a.queryParams.length !== b.queryParams.length) return b.queryParams.length - a.queryParams.length;
  return exact(b.queryParams) - exact(a.queryParams);
}

/** Translates every Gateway of an accepted Envoy Gateway class, and the routes attached to them. */
export function translate(cluster: Cluster): Translation {
  const classes = classConditions(cluster);
  const out: Translation = { classes, gateways: new Map(), routes: new Map() };
  const gateways = cluster.store
    .list('Gateway')
    .filter((g) => classes.get(g.spec?.gatewayClassName)?.status === 'True')
    .sort(byAge);
  const routes = ROUTE_KINDS.flatMap((k) => cluster.store.list(k)).sort(byAge);
  for (const gw of gateways) {
    const gwNs = gw.metadata.namespace ?? 'default';
    const specListeners = (gw.spec?.listeners ?? []) as Record<string, unknown>[];
    const states: ListenerState[] = specListeners.map((l) => {
      const base = { name: String(l.name), port: Number(l.port), protocol: String(l.protocol), hostname: l.hostname as string | undefined, attachedRoutes: 0 };
      if (!['HTTP', 'HTTPS'].includes(base.protocol)) {
        return { ...base, programmed: false, conditions: [cond('Programmed', false, 'Invalid', 'Listener is invalid, see other Conditions for details.'), cond('Accepted', false, 'UnsupportedProtocol', `Protocol ${base.protocol} is unsupported, must be HTTP, HTTPS, TCP, UDP or TLS.`)] };
      }
      if (base.protocol === 'HTTPS') {
        const cert = listenerCertificate(cluster, gw, l);
        if (cert.error) {
          return {
            ...base,
            programmed: false,
            conditions: [cond('Programmed', false, 'Invalid', 'Listener is invalid, see other Conditions for details.'), cond('Accepted', true, 'Accepted', 'Listener has been successfully translated'), cond('ResolvedRefs', false, 'InvalidCertificateRef', cert.error)],
          };
        }
        return { ...base, programmed: true, secret: cert.secret, conditions: listenerOk() };
      }
      return { ...base, programmed: true, conditions: listenerOk() };
    });
    const envoy = new Map<number, EnvoyListener>();
    for (const s of states) {
      if (!s.programmed) continue;
      const el = envoy.get(s.port) ?? { port: s.port, containerPort: containerPort(s.port), protocol: s.protocol as 'HTTP' | 'HTTPS', virtualHosts: [], certificates: [] };
      if (s.secret) el.certificates.push({ hostname: s.hostname, secret: s.secret });
      envoy.set(s.port, el);
    }
    const vhost = (el: EnvoyListener, domain: string): VirtualHost => {
      let v = el.virtualHosts.find((x) => x.domain === domain);
      if (!v) el.virtualHosts.push((v = { domain, routes: [] }));
      return v;
    };

    for (const route of routes) {
      const routeNs = route.metadata.namespace ?? 'default';
      const parentRefs = (route.spec?.parentRefs ?? []) as Record<string, unknown>[];
      for (const pr of parentRefs) {
        if ((pr.kind ?? 'Gateway') !== 'Gateway' || (pr.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP) continue;
        if (pr.name !== gw.metadata.name || ((pr.namespace as string | undefined) ?? routeNs) !== gwNs) continue;
        const key = `${route.kind}/${routeNs}/${route.metadata.name}`;
        const entry = out.routes.get(key) ?? { route, parents: [] };
        out.routes.set(key, entry);
        const conditions: Condition[] = [];
        entry.parents.push({ parentRef: pr, conditions });
        const named = specListeners
          .map((l, i) => ({ l, s: states[i] }))
          .filter(({ l }) => (pr.sectionName === undefined || l.name === pr.sectionName) && (pr.port === undefined || l.port === pr.port));
        if (named.length === 0) {
          conditions.push(cond('Accepted', false, 'NoMatchingParent', 'No listeners match this parent ref'));
          continue;
        }
        const allowed = named.filter(({ l }) => kindAllowed(l, route.kind) && namespaceAllowed(cluster, gw, l, routeNs));
        if (allowed.length === 0) {
          conditions.push(cond('Accepted', false, 'NotAllowedByListeners', 'No listeners included by this parent ref allowed this attachment.'));
          continue;
        }
        // backends, per rule
        const rules = (route.spec?.rules ?? []) as Record<string, unknown>[];
        let resolved: Condition | undefined;
        const ruleBackends = rules.map((rule, ri) =>
          ((rule.backendRefs ?? []) as Record<string, unknown>[]).map((b, bi): Backend => {
            const err = resolveBackend(cluster, route, b);
            if (err && !resolved) resolved = cond('ResolvedRefs', false, err.reason, conditionMsg(`failed to process route rule ${ri} backendRef ${bi}: ${err.message}`));
            return {
              namespace: (b.namespace as string | undefined) ?? routeNs,
              name: String(b.name ?? ''),
              port: b.port as number | undefined,
              weight: typeof b.weight === 'number' ? b.weight : 1,
              error: err,
              filters: (b.filters ?? []) as Filter[],
            };
          }),
        );
        const routeHosts = (route.spec?.hostnames ?? []) as string[];
        let attached = false;
        for (const { l, s } of allowed) {
          const hosts = routeHosts.length ? routeHosts.map((h) => intersect(l.hostname as string | undefined, h)).filter((h): h is string => !!h) : [(l.hostname as string | undefined) ?? '*'];
          if (hosts.length === 0) continue;
          attached = true;
          s.attachedRoutes++;
          const el = envoy.get(s.port);
          if (!el || !s.programmed) continue;
          for (const host of hosts) {
            const v = vhost(el, host);
            rules.forEach((rule, ri) => {
              const matches = (route.kind === 'HTTPRoute' ? (rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }]) : grpcMatches(rule)) as Record<string, unknown>[];
              matches.forEach((m, mi) => {
                v.routes.push({
                  name: routeName(route.kind, routeNs, route.metadata.name, ri, mi, host),
                  cluster: clusterName(route.kind, routeNs, route.metadata.name, ri),
                  route,
                  rule: ri,
                  match: mi,
                  path: (m.path ?? { type: 'PathPrefix', value: '/' }) as PathMatch,
                  headers: (m.headers ?? []) as ValueMatch[],
                  queryParams: (m.queryParams ?? []) as ValueMatch[],
                  method: m.method as string | undefined,
                  filters: (rule.filters ?? []) as Filter[],
                  backends: ruleBackends[ri],
                });
              });
            });
          }
        }
        if (!attached) {
          conditions.push(cond('Accepted', false, 'NoMatchingListenerHostname', `There were no hostname intersections between the ${route.kind} and this parent ref's Listener(s).`));
        } else {
          conditions.push(cond('Accepted', true, 'Accepted', 'Route is accepted'));
        }
        conditions.push(resolved ?? cond('ResolvedRefs', true, 'ResolvedRefs', 'Resolved all the Object references for the Route'));
      }
    }
    for (const el of envoy.values()) for (const v of el.virtualHosts) v.routes = stableSort(v.routes, compareRoutes);
    out.gateways.set(`${gwNs}/${gw.metadata.name}`, { gateway: gw, listeners: states, envoy: [...envoy.values()] });
  }
  return out;
}

/**
 * A GRPCRoute's matches as the HTTP/2 paths they stand for (gRPC calls are POST
 * /<service>/<method>): service and method → that exact path, a service alone → its
 * prefix, a method alone → any service's method.
 */
function grpcMatches(rule: Record<string, unknown>): Record<string, unknown>[] {
  const ms = (rule.matches ?? []) as { method?: { service?: string; method?: string }; headers?: ValueMatch[] }[];
  if (ms.length === 0) return [{ path: { type: 'PathPrefix', value: '/' } }];
  return ms.map((m) => {
    const svc = m.method?.service;
    const meth = m.method?.method;
    const path = svc && meth ? { type: 'Exact', value: `/${svc}/${meth}` } : svc ? { type: 'PathPrefix', value: `/${svc}` } : meth ? { type: 'RegularExpression', value: `/[^/]+/${meth}` } : { type: 'PathPrefix', value: '/' };
    return { path, headers: (m.headers ?? []).map((h) => ({ ...h, type: h.type ?? 'Exact' })) };
  });
}

function listenerOk(): Condition[] {
  return [
    cond('Programmed', true, 'Programmed', 'Sending translated listener configuration to the data plane'),
    cond('Accepted', true, 'Accepted', 'Listener has been successfully translated'),
    cond('ResolvedRefs', true, 'ResolvedRefs', 'Listener references have been resolved'),
  ];
}

function stableSort<T>(list: T[], cmp: (a: T, b: T) => number): T[] {
  return list.map((v, i) => ({ v, i })).sort((a, b) => cmp(a.v, b.v) || a.i - b.i).map((x) => x.v);
}
