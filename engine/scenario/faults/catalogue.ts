/** Every fault a scenario may draw, by id. Adding one: a file beside this one and a line here. */
import type { Fault } from './types';
import { serviceSelector } from './service-selector';
import { targetPort } from './target-port';
import { readinessProbe } from './readiness-probe';
import { dnsEgressPolicy } from './dns-egress-policy';
import { appIngressPolicy } from './app-ingress-policy';
import { corednsScaledToZero } from './coredns-scaled-to-zero';
import { kubeServicesFlushed } from './kube-services-flushed';
import { ingressClass } from './ingress-class';
import { ingressBackendPort } from './ingress-backend-port';
import { ingressControllerScaledToZero } from './ingress-controller-scaled-to-zero';

export const FAULTS: readonly Fault[] = [
  serviceSelector,
  targetPort,
  readinessProbe,
  dnsEgressPolicy,
  appIngressPolicy,
  corednsScaledToZero,
  kubeServicesFlushed,
  ingressClass,
  ingressBackendPort,
  ingressControllerScaledToZero,
];

export function faultById(id: string): Fault | undefined {
  return FAULTS.find((f) => f.id === id);
}
