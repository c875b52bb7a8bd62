/** The engine's public API. The UI, the CLI and the lesson checker import from here only. */
export { Simulation, createSimulation, SNAPSHOT_VERSION } from './simulation';
export type { SimSnapshot, SimulationOptions, HistoryEntry } from './simulation';
export { loadScenario, ScenarioError } from './scenario/load';
export type { Scenario } from './scenario/load';
export type { Execution } from './shell/shell';
export type { KubeObject, ClusterSettings, CniName, ProxyMode } from './cluster/types';
export * from './types';
/** kubectl explain's schemas load on first use; a front door that answers synchronously loads them first. */
export { loadOpenApi } from './cluster/openapi';
