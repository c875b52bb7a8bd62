/**
 * Decoding: what the API server rejects before defaulting or validation ever see the
 * object, because the request body does not fit the Go types. kubectl sends the manifest
 * as JSON; the server decodes it into the typed object with sigs.k8s.io/json (a fork of
 * encoding/json, whose UnmarshalTypeError it reuses), and a value of the wrong JSON type,
 * or a number that overflows its integer field, fails there:
 *
 *   json: cannot unmarshal string into Go struct field Probe.spec.containers.readinessProbe.initialDelaySeconds of type int32
 *   json: cannot unmarshal number 2147483648 into Go struct field Probe.spec.containers.readinessProbe.periodSeconds of type int32
 *
 * (decode.go literalStore: "string", "bool", "number <literal>" when ParseInt fails or
 * OverflowInt; object/array: "object", "array"; null leaves the zero value, no error.
 * addErrorContext names the innermost struct and the JSON field names from the root,
 * without list indexes.) The first such error is the one reported (saveError keeps the
 * first), and kubectl marshals the manifest from a map, so keys arrive sorted.
 *
 * The handler wraps it (k8s.io/apiserver/pkg/endpoints/handlers/rest.go transformDecodeError):
 *   errors.NewBadRequest(fmt.Sprintf("%s in version %q cannot be handled as a %s: %v", gvk.Kind, gvk.Version, objGVK.Kind, baseErr))
 *
 * Only the typed fields a learner types into that the engine acts on are checked here:
 * the probes' integers (core/v1 Probe: int32 initialDelaySeconds … failureThreshold,
 * *int64 terminationGracePeriodSeconds, GRPCAction.port int32), in every pod spec the
 * API serves (a Pod's, a workload's template), and a Service's *string trafficDistribution.
 */
import { isArray } from '../types';
import { isObjectLike, type UncheckedObject } from './common';

const INT32: readonly [number, number] = [-2147483648, 2147483647];
const INT64: readonly [number, number] = [-9223372036854775808, 9223372036854775807];

/** core/v1 Probe's integer fields, sorted as kubectl's JSON arrives. */
const PROBE_INTS: readonly [string, 'int32' | 'int64'][] = [
  ['failureThreshold', 'int32'],
  ['initialDelaySeconds', 'int32'],
  ['periodSeconds', 'int32'],
  ['successThreshold', 'int32'],
  ['terminationGracePeriodSeconds', 'int64'],
  ['timeoutSeconds', 'int32'],
];

/** Container's probe fields, sorted. */
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/** UnmarshalTypeError.Value for a JSON value stored into an integer field, or undefined when it fits. */
function intMismatch(v: unknown, type: 'int32' | 'int64'): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v !== 'number') return undefined;
  const [lo, hi] = type === 'int32' ? INT32 : INT64;
  if (Number.isInteger(v) && v >= lo && v <= hi) return undefined;
  return `number ${String(v)}`;
}

/** The first decode error of a pod spec's probes, as encoding/json words it. */
function podSpecError(spec: unknown, path: string): string | undefined {
  if (!isObjectLike(spec)) return undefined;
  // "containers" < "ephemeralContainers" < "initContainers"
  for (const list of ['containers', 'ephemeralContainers', 'initContainers']) {
    const cs = spec[list];
    if (!isArray(cs)) continue;
    for (const c of cs) {
      if (!isObjectLike(c)) continue;
      for (const probe of PROBES) {
        const p = c[probe];
        if (!isObjectLike(p) || isArray(p)) continue;
        const fieldPath = `${path}.${list}.${probe}`;
        const grpc = p.grpc;
        // "grpc" sorts before every integer field of the probe
        if (isObjectLike(grpc) && !isArray(grpc)) {
          const bad = intMismatch(grpc.port, 'int32');
          if (bad) return `json: cannot unmarshal ${bad} into Go struct field GRPCAction.${fieldPath}.grpc.port of type int32`;
        }
        for (const [f, type] of PROBE_INTS) {
          const bad = intMismatch(p[f], type);
          if (bad) return `json: cannot unmarshal ${bad} into Go struct field Probe.${fieldPath}.${f} of type ${type}`;
        }
      }
    }
  }
  return undefined;
}

/** UnmarshalTypeError.Value for a JSON value stored into a string field, or undefined when it fits. */
function stringMismatch(v: unknown): string | undefined {
  if (v === undefined || v === null || typeof v === 'string') return undefined;
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return isArray(v) ? 'array' : 'object';
}

/** A Service's *string spec.trafficDistribution (the one Service field decoding checks here). */
function serviceSpecError(spec: unknown): string | undefined {
  if (!isObjectLike(spec)) return undefined;
  const bad = stringMismatch(spec.trafficDistribution);
  return bad ? `json: cannot unmarshal ${bad} into Go struct field ServiceSpec.spec.trafficDistribution of type string` : undefined;
}

/** Kinds whose pod template is at spec.template.spec. */
const TEMPLATED = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

/**
 * transformDecodeError's message for `obj`, or undefined when its body decodes. The caller
 * (cluster/api.ts) raises it as a BadRequest, before defaulting.
 */
export function decodeError(obj: UncheckedObject): string | undefined {
  let err: string | undefined;
  if (obj.kind === 'Pod') err = podSpecError(obj.spec, 'spec');
  else if (obj.kind === 'Service') err = serviceSpecError(obj.spec);
  else if (TEMPLATED.has(obj.kind) && isObjectLike(obj.spec)) {
    const t = obj.spec.template;
    if (isObjectLike(t)) err = podSpecError(t.spec, 'spec.template.spec');
  }
  if (!err) return undefined;
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  return `${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: ${err}`;
}
