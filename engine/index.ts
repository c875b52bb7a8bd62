/** The engine's public API. The UI, the CLI and the lesson checker import from here only. */
export { Simulation, createSimulation, SNAPSHOT_VERSION, MAX_SESSIONS } from './simulation';
export type { SimSnapshot, SimulationOptions, HistoryEntry } from './simulation';
export { loadScenario, ScenarioError } from './scenario/load';
export type { Scenario } from './scenario/load';
export type { Execution } from './shell/shell';
export type { KubeObject, ClusterSettings, CniName, ProxyMode } from './cluster/types';
export * from './types';
