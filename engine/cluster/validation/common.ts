/**
 * Small pieces the defaulters and the per-kind rules share: the loose object type of a
 * decoded manifest, integer decoding, the supported protocols (core.Protocol) and
 * service.ExternallyAccessible (pkg/api/service/util).
 */

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A number, or a string of digits (as JSON's int-or-string fields decode), else NaN. */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
}

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function externallyAccessible(type: string): boolean {
  return type === 'NodePort' || type === 'LoadBalancer';
}
