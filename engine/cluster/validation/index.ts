/**
 * The API server's entry points (cluster/api.ts calls defaultObject, then validationErrors)
 * and the name checks other modules use. validationErrors dispatches by kind, as each
 * registry strategy calls its pkg/apis/{core,apps,networking}/validation function.
 */
import type { Cluster } from '../cluster';
import type { FieldError } from '../fielderrors';
import type { UncheckedObject } from './common';
import { validateConfigData } from './config';
import { GATEWAY_KINDS, validateGatewayApi } from './gateway';
import { validateIngress, validateIngressClass } from './ingress';
import { validateObjectMeta } from './meta';
import { validateNetworkPolicy } from './networkpolicy';
import { validatePod } from './pod';
import { validateService } from './service';
import { RBAC_KINDS, validateRbac } from './rbac';
import { validateWorkload } from './workloads';
import { validateCustomResource } from './crdschema';
import { resourceFor } from '../resources';

export { defaultObject } from './defaults';
export { decodeError } from './decode';
export { isCIDR, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isIP, isIPv4, isValidPortName, isValidPortNum } from './names';

/**
 * Returns every field error for `obj` (an update when `old` is given), in the API server's order.
 * `sim`'s store gives a custom resource's CRD (its schema); no other rule needs cluster state.
 */
export function validationErrors(sim: Pick<Cluster, 'rng'> & Partial<Pick<Cluster, 'store'>>, obj: UncheckedObject, old: UncheckedObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  validateObjectMeta(obj, errs);
  if (old && obj.metadata.resourceVersion && old.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) {
    // handled as a Conflict by the API layer
  }
  switch (obj.kind) {
    case 'Pod':
      validatePod(obj, old, errs);
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      validateWorkload(obj, old, errs);
      break;
    case 'Service':
      validateService(obj, old, errs);
      break;
    case 'NetworkPolicy':
      validateNetworkPolicy(obj, errs);
      break;
    case 'Ingress':
      validateIngress(obj, errs);
      break;
    case 'ConfigMap':
    case 'Secret':
      validateConfigData(obj, errs);
      break;
    case 'IngressClass':
      validateIngressClass(obj, errs);
      break;
  }
  if (GATEWAY_KINDS.includes(obj.kind)) validateGatewayApi(obj, errs);
  else {
    // another custom resource: its CRD's schema (required fields, enums)
    const crd = resourceFor(obj.kind)?.crd;
    if (crd && sim.store) validateCustomResource(obj, sim.store.get('CustomResourceDefinition', undefined, crd), errs);
  }
  if (RBAC_KINDS.includes(obj.kind)) validateRbac(obj, old, errs);
  return errs;
}
