import type { Simulation } from '../../simulation';
import type { SimModule } from '../../modules';

export function createIngressModules(_sim: Simulation): SimModule[] {
  return [];
}
