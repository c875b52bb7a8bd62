import type { Simulation } from '../simulation';
import type { SimModule } from '../modules';

/** The control plane's controllers, in the order they reconcile. */
export function createControllers(_sim: Simulation): SimModule[] {
  return [];
}
