/**
 * Every subsystem that keeps derived state (controllers, kube-proxy, DNS, CNI, the
 * dataplane's counters) is a module. The simulation runs their `reconcile` to a fixed
 * point after each change and carries their `snapshot` through persistence.
 */
import type { Simulation } from './simulation';
import { createControllers } from './controllers';
import { createNetworkModules } from './controllers/network';
import { createKubectlModules } from './commands/kubectl/module';

export interface SimModule {
  name: string;
  /** Called once after construction (and after restore). */
  init?(): void;
  /** Re-derive what changed; return true if it wrote to the object store. */
  reconcile?(): boolean;
  /** The virtual clock moved by `ms`. */
  tick?(ms: number): void;
  /** The next virtual time this module has something scheduled (advance() stops there). */
  nextDue?(): number | undefined;
  /** JSON-serialisable mutable state that is not in the object store. */
  snapshot?(): unknown;
  restore?(data: unknown): void;
}

export function createModules(sim: Simulation): SimModule[] {
  return [...createControllers(sim), ...createNetworkModules(sim), ...createKubectlModules(sim)];
}
