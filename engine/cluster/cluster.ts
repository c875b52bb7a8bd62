/**
 * The control plane's shared state, as every controller and node agent sees it: the
 * settings, the virtual clock, the seeded random stream, the object store and the API
 * server in front of it. The composition root (engine/simulation.ts) builds one and hands
 * it to each module with that module's own collaborators; nothing reaches past it for
 * the whole simulation.
 */
import type { VirtualClock } from './clock';
import type { Rng } from './rng';
import type { ObjectStore } from './store';
import type { ApiServer } from './api';
import type { ClusterSettings } from './types';

export interface Cluster {
  /** The seed the random stream started from (tools that derive ids from it, like dig's). */
  readonly seed: number;
  readonly settings: ClusterSettings;
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly store: ObjectStore;
  readonly api: ApiServer;
  /** Runs every controller to a fixed point (the API server calls it after each write). */
  reconcile(): void;
  /** Moves the virtual clock, stopping wherever a controller has something due. */
  advance(ms: number): void;
}
