import type { Simulation } from '../../simulation';
import type { SimModule } from '../../modules';

export function createDnsModules(_sim: Simulation): SimModule[] {
  return [];
}
