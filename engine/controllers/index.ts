import type { Simulation } from '../simulation';
import type { SimModule } from '../modules';
import { Ipam } from '../cluster/ipam';
import { OwnerIndex } from './index-cache';
import { Scheduler } from './scheduler';
import { Kubelet } from './kubelet';
import { DaemonSetController, DeploymentController, ReplicaSetController, StatefulSetController } from './workloads';
import { EndpointsController } from './endpoints';
import { ServiceLBController } from './service-lb';
import { GarbageCollector } from './gc';
import { SystemLayer } from './system';
import { LogsModule } from './logs';
import { EventRecorder } from './events';

/**
 * The control plane's controllers, in the order they reconcile. The shared owner index
 * initialises with the first module; the system layer comes last among them so that
 * when it creates the cluster's own objects every controller is listening.
 */
export function createControllers(sim: Simulation): SimModule[] {
  const ipam = new Ipam(sim);
  const index = new OwnerIndex(sim);
  const indexModule: SimModule = { name: 'owner-index', init: () => index.init() };
  const controllers: SimModule[] = [
    ipam,
    indexModule,
    new GarbageCollector(sim, index),
    new DeploymentController(sim, index),
    new ReplicaSetController(sim, index),
    new StatefulSetController(sim, index),
    new DaemonSetController(sim, index),
    new Scheduler(sim),
    new Kubelet(sim),
    new ServiceLBController(sim, ipam),
    new EndpointsController(sim, index),
  ];
  return [...controllers, new EventRecorder(sim), new LogsModule(sim), new SystemLayer(sim, ipam, controllers)];
}
