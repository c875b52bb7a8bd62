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
 * stream, CoreDNS's counters (query ids, the loadbalance plugin's round-robin turn) and
 * the trace list are put back, so the learner's next `nslookup` prints what it would have.
 */
export function lookup(sim: Simulation, host: HostRef, name: string): Resolution {
  const saved = sim.rng.state();
  const dnsState = sim.cluster.dns.snapshot();
  const traces = { counter: sim.traceCounter, length: sim.traces.length };
  try {
    return resolveName(sim.cluster, host, name).resolution;
  } finally {
    sim.rng.setState(saved);
    sim.cluster.dns.restore(structuredClone(dnsState));
    sim.traceCounter = traces.counter;
    sim.traces.length = traces.length;
  }
}
