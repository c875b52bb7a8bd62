import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import type { Ipam } from '../cluster/ipam';
import { OwnerIndex } from './index-cache';
import { Scheduler } from './scheduler';
import { Kubelet } from './kubelet';
import { DaemonSetController, DeploymentController, ReplicaSetController, StatefulSetController } from './workloads';
import { EndpointsController } from './endpoints';
import { ServiceLBController } from './service-lb';
import { GarbageCollector } from './gc';
import { PodGarbageCollector } from './podgc';
import { SystemLayer } from './system';
import { LogsModule } from './logs';
import { EventRecorder } from './events';
import { ClusterRoleAggregationController } from './rbac/aggregation';
import { NamespaceDefaultsController } from './serviceaccounts';
import { LeaseController } from './leases';
import { NodeLifecycleController } from './nodelifecycle';

export interface ControlPlane {
  /** In reconcile order. */
  modules: SimModule[];
  events: EventRecorder;
  logs: LogsModule;
  /** The kubelets: systemctl on a node stops and starts them. */
  kubelet: Kubelet;
}

/**
 * The control plane's controllers, in the order they reconcile (the IP allocator first).
 * The shared owner index initialises with the first of them; the system layer comes last
 * so that when it creates the cluster's own objects every controller is listening.
 */
export function createControlPlane(cluster: Cluster, ipam: Ipam): ControlPlane {
  const index = new OwnerIndex(cluster);
  const indexModule: SimModule = { name: 'owner-index', init: () => index.init() };
  const events = new EventRecorder(cluster);
  const logs = new LogsModule(cluster);
  const kubelet = new Kubelet(cluster, ipam, events);
  const controllers: SimModule[] = [
    ipam,
    indexModule,
    new GarbageCollector(cluster, index),
    new PodGarbageCollector(cluster),
    new DeploymentController(cluster, index, events),
    new ReplicaSetController(cluster, index, events),
    new StatefulSetController(cluster, index, events),
    new DaemonSetController(cluster, index, events),
    new Scheduler(cluster, events),
    kubelet,
    new ServiceLBController(cluster, ipam, events),
    new EndpointsController(cluster, index, events),
    new NamespaceDefaultsController(cluster),
    new ClusterRoleAggregationController(cluster),
    new LeaseController(cluster, kubelet),
    new NodeLifecycleController(cluster, kubelet, events),
  ];
  return { modules: [...controllers, events, logs, new SystemLayer(cluster, ipam, controllers, kubelet)], events, logs, kubelet };
}
