/**
 * API validation and defaulting, with the API server's messages.
 * (Filled in by the cluster room: names, Services, selectors, NetworkPolicy, Ingress.)
 */
import type { Simulation } from '../simulation';
import type { KubeObject } from './types';

export function defaultObject(_sim: Simulation, _obj: KubeObject, _old: KubeObject | undefined): void {}

export function validateObject(_sim: Simulation, _obj: KubeObject, _old: KubeObject | undefined): void {}
