import type { Simulation } from '../../simulation';
import type { SimModule } from '../../modules';

export function createKubeProxyModules(_sim: Simulation): SimModule[] {
  return [];
}
