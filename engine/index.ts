/** The engine's public API. The UI, the CLI and the lesson checker import from here only. */
export { Simulation, createSimulation, SNAPSHOT_VERSION, MAX_SESSIONS } from './simulation';
export type { SimSnapshot, SimulationOptions, HistoryEntry, RunDetail } from './simulation';
export { loadScenario, ScenarioError } from './scenario/load';
export type { Scenario } from './scenario/load';
export type { Execution } from './shell/shell';
export type { KubeObject, ClusterSettings, CniName, ProxyMode } from './cluster/types';
export * from './types';

import type { Simulation as Sim } from './simulation';
import { reachabilityMatrix, type ReachabilityMatrix, type ReachabilityOptions } from './dataplane/reachability';
export type { ReachabilityMatrix, ReachabilityOptions, ReachabilityCell, ReachabilityPod, PolicyView } from './dataplane/reachability';
export { DEFAULT_MAX_PODS } from './dataplane/reachability';

/**
 * Who may reach whom (Pods × Pods on one port), each cell the real walk under the current CNI,
 * run without side effects: no trace, no conntrack entry, no rule counter, no Hubble flow, the
 * random stream put back, the clock still. With each NetworkPolicy's selected Pods and directions.
 */
export function reachability(sim: Sim, opts: ReachabilityOptions = {}): ReachabilityMatrix {
  return reachabilityMatrix(sim.cluster, opts);
}
/** kubectl explain's schemas load on first use; a front door that answers synchronously loads them first. */
export { loadOpenApi } from './cluster/openapi';
