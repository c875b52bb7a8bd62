import type { Simulation } from '../../simulation';
import type { SimModule } from '../../modules';

export function createCniModules(_sim: Simulation): SimModule[] {
  return [];
}
