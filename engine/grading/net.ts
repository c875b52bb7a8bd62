/**
 * The grading room's window onto the network rooms: the packet's walk
 * (engine/dataplane/walk.ts) and the cluster DNS resolver (engine/controllers/dns).
 * Checks go through these and nothing else, so a reachability check sees exactly what
 * `curl` would: the live rules, policies and endpoints.
 */
import type { Simulation } from '../simulation';
import type { HostRef } from '../types';
import type { Protocol, Resolution, WalkResult } from '../dataplane/packet';

export type Reach = (sim: Simulation, from: HostRef, to: string, port: number, proto: Protocol) => WalkResult;
export type Resolve = (sim: Simulation, host: HostRef, name: string, opts?: Record<string, unknown>) => Resolution;

let reachImpl: Reach | undefined;
let resolveImpl: Resolve | undefined;

/** The network rooms register their implementations here (see engine/grading/index.ts). */
export function provideNetwork(impl: { reach?: Reach; resolve?: Resolve }): void {
  if (impl.reach) reachImpl = impl.reach;
  if (impl.resolve) resolveImpl = impl.resolve;
}

export class NetworkUnavailable extends Error {}

export function walk(sim: Simulation, from: HostRef, to: string, port: number, proto: Protocol): WalkResult {
  if (!reachImpl) throw new NetworkUnavailable('the packet walk (engine/dataplane/walk.ts) is not available in this build');
  return reachImpl(sim, from, to, port, proto);
}

export function lookup(sim: Simulation, host: HostRef, name: string): Resolution {
  if (!resolveImpl) throw new NetworkUnavailable('the DNS resolver (engine/controllers/dns) is not available in this build');
  return resolveImpl(sim, host, name, {});
}
