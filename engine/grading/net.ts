/**
 * The grading room's window onto the network rooms: the packet's walk and the resolver
 * (engine/dataplane/walk.ts). Checks go through these and nothing else, so a
 * reachability check sees exactly what `curl` would: the live rules, policies and
 * endpoints. `reach` leaves no trace and restores the random stream, so checking after
 * every command never changes what the learner sees next.
 */
import type { Simulation } from '../simulation';
import type { HostRef } from '../types';
import type { Protocol, Resolution, WalkResult } from '../dataplane/packet';
import { reach, resolveName } from '../dataplane/walk';
import { httpExchange, parseUrl } from '../commands/net/traffic/http';

/** What the packet walk says about one connection attempt. */
export interface ReachOutcome {
  outcome: WalkResult['outcome'];
  /** Why it was not delivered, in learner terms. */
  reason?: string;
}

export function walk(sim: Simulation, from: HostRef, to: string, port: number, proto: Protocol): ReachOutcome {
  const r = reach(sim.cluster, from, to, port, proto);
  return { outcome: r.outcome, reason: r.allowed ? undefined : r.reason };
}

/**
 * A name looked up from a host, as its resolver would — leaving no mark: the random
 * stream, CoreDNS's counters (query ids, the loadbalance plugin's round-robin turn),
 * conntrack (the query's entry would be found, and its NAT reused, by the learner's next
 * query on the same tuple) and the trace list are put back, so the learner's next
 * `nslookup` prints what it would have.
 */
export function lookup(sim: Simulation, host: HostRef, name: string): Resolution {
  const saved = sim.rng.state();
  const dnsState = sim.cluster.dns.snapshot();
  const conntrack = sim.cluster.serviceProxy.saveConntrack();
  const traces = { counter: sim.traceCounter, length: sim.traces.length };
  try {
    return resolveName(sim.cluster, host, name).resolution;
  } finally {
    sim.rng.setState(saved);
    sim.cluster.dns.restore(structuredClone(dnsState));
    sim.cluster.serviceProxy.restoreConntrack(conntrack);
    sim.traceCounter = traces.counter;
    sim.traces.length = traces.length;
  }
}

/** What one HTTP request got: the response's status and body, or why there was none. */
export interface HttpOutcome {
  status?: number;
  body?: string;
  /** No response: the name did not resolve, the connection failed, or TLS/mesh refused it. */
  failure?: string;
}

/**
 * One HTTP GET from a host, as curl makes it (commands/net/traffic/http.ts: the packet's
 * walk, then the server, the Ingress controller or the mesh) — leaving no mark: the random
 * stream, conntrack, CoreDNS's counters, the server's access log, ingress-nginx's rate-limit
 * buckets and the trace list are put back, and no trace reaches the UI.
 */
export function httpGet(sim: Simulation, host: HostRef, url: string, headers: [string, string][] = []): HttpOutcome {
  const parsed = parseUrl(url);
  if ('error' in parsed) return { failure: `${url} is not a URL curl accepts` };
  const rt = sim.cluster;
  const saved = sim.rng.state();
  const dnsState = structuredClone(rt.dns.snapshot());
  const logs = structuredClone(rt.logs.snapshot());
  const limits = structuredClone(rt.ingress.limits);
  const conntrack = rt.serviceProxy.saveConntrack();
  const traces = { counter: sim.traceCounter, length: sim.traces.length };
  const recordTrace = sim.recordTrace;
  sim.recordTrace = (t) => ({ ...t, id: 0 });
  rt.flows?.pause();
  try {
    const hostHeader = headers.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? (parsed.explicitPort ? `${parsed.host}:${parsed.port}` : parsed.host);
    const req = { method: 'GET', path: parsed.path, headers: [['Host', hostHeader], ['User-Agent', 'curl/8.5.0'], ['Accept', '*/*'], ...headers.filter(([k]) => k.toLowerCase() !== 'host')] as [string, string][], body: '', scheme: parsed.scheme };
    const ex = httpExchange(rt, host, parsed, req, { command: `curl ${url}` });
    const c = ex.conn;
    if (c.outcome !== 'delivered') return { failure: c.outcome === 'nxdomain' ? `${parsed.host} does not resolve` : `the connection to ${parsed.host} port ${parsed.port} ${c.outcome === 'refused' ? 'is refused' : c.outcome === 'timeout' ? 'times out' : 'fails'}${c.reason ? ` (${c.reason})` : ''}` };
    if (ex.reset) return { failure: 'the server resets the connection' };
    if (ex.tlsError) return { failure: 'the server does not speak TLS' };
    const r = ex.response;
    if (!r || r.empty) return { failure: 'the server closes the connection without an answer' };
    return { status: r.status, body: r.body };
  } finally {
    rt.flows?.resume();
    sim.recordTrace = recordTrace;
    sim.rng.setState(saved);
    rt.dns.restore(dnsState);
    rt.logs.restore(logs);
    if (limits) rt.ingress.limits = limits;
    rt.serviceProxy.restoreConntrack(conntrack);
    sim.traceCounter = traces.counter;
    sim.traces.length = traces.length;
  }
}
