/**
 * Decoding: what the API server rejects before defaulting or validation ever see the
 * object, because the request body does not fit the Go types. kubectl sends the manifest
 * as JSON; the server decodes it into the typed object with sigs.k8s.io/json (a fork of
 * encoding/json, whose UnmarshalTypeError it reuses), and a value of the wrong JSON type,
 * or a number that overflows its integer field, fails there:
 *
 *   json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32
 *   json: cannot unmarshal string into Go struct field Probe.spec.containers.readinessProbe.initialDelaySeconds of type int32
 *   json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string
 *
 * (decode.go literalStore: "string", "bool", "number <literal>" when ParseInt fails or
 * OverflowInt, plain "number" into a string or bool; object/array: "object", "array"; null
 * leaves the zero value, no error. addErrorContext names the innermost struct and the JSON
 * field names from the root, without list indexes or map keys.) The first such error is
 * the one reported (saveError keeps the first); an IntOrString's own UnmarshalJSON fails
 * at once and that error wins. kubectl marshals the manifest from a map, so keys arrive
 * sorted.
 *
 * The handler wraps it (k8s.io/apiserver/pkg/endpoints/handlers/rest.go transformDecodeError):
 *   errors.NewBadRequest(fmt.Sprintf("%s in version %q cannot be handled as a %s: %v", gvk.Kind, gvk.Version, objGVK.Kind, baseErr))
 *
 * A strategic merge patch takes another road (handlers/patch.go applyPatchToObject):
 * the patched map is converted with runtime.DefaultUnstructuredConverter, which converts
 * any integer into any integer kind (reflect's Convert: 3000000000 becomes int32
 * -1294967296, validation then rejects it) and a whole float likewise, and fails on other
 * kinds with `cannot convert <from> to <to>` or, for a string into a number,
 * `unrecognized type: int32`. convertUnstructured follows it.
 *
 * The schema below holds the typed fields of the kinds the engine acts on (k8s.io/api
 * core/v1 and apps/v1 types.go, v0.34): every field a learner types that the engine reads.
 */
import { isArray } from '../types';
import { isObjectLike, type UncheckedObject } from './common';

type Scalar = 'int32' | 'int64' | 'string' | 'bool' | 'intstr' | 'bytes';

/** A Go type: a scalar, a struct (its Go name and JSON fields), a slice or a map of one. */
type GoType = Scalar | { struct: string; fields: Record<string, GoType> } | { list: GoType } | { map: GoType };

const struct = (name: string, fields: Record<string, GoType>): GoType => ({ struct: name, fields });
const list = (of: GoType): GoType => ({ list: of });
const map = (of: GoType): GoType => ({ map: of });

const OBJECT_META = struct('ObjectMeta', {
  annotations: map('string'),
  generateName: 'string',
  labels: map('string'),
  name: 'string',
  namespace: 'string',
});

const PROBE = struct('Probe', {
  exec: struct('ExecAction', { command: list('string') }),
  failureThreshold: 'int32',
  grpc: struct('GRPCAction', { port: 'int32', service: 'string' }),
  httpGet: struct('HTTPGetAction', { host: 'string', path: 'string', port: 'intstr', scheme: 'string' }),
  initialDelaySeconds: 'int32',
  periodSeconds: 'int32',
  successThreshold: 'int32',
  tcpSocket: struct('TCPSocketAction', { host: 'string', port: 'intstr' }),
  terminationGracePeriodSeconds: 'int64',
  timeoutSeconds: 'int32',
});

const CONTAINER = struct('Container', {
  args: list('string'),
  command: list('string'),
  env: list(struct('EnvVar', { name: 'string', value: 'string' })),
  image: 'string',
  imagePullPolicy: 'string',
  livenessProbe: PROBE,
  name: 'string',
  ports: list(struct('ContainerPort', { containerPort: 'int32', hostIP: 'string', hostPort: 'int32', name: 'string', protocol: 'string' })),
  readinessProbe: PROBE,
  startupProbe: PROBE,
  workingDir: 'string',
});

const POD_SPEC = struct('PodSpec', {
  activeDeadlineSeconds: 'int64',
  containers: list(CONTAINER),
  dnsPolicy: 'string',
  ephemeralContainers: list(CONTAINER),
  hostNetwork: 'bool',
  hostname: 'string',
  initContainers: list(CONTAINER),
  nodeName: 'string',
  nodeSelector: map('string'),
  priority: 'int32',
  restartPolicy: 'string',
  schedulerName: 'string',
  serviceAccountName: 'string',
  subdomain: 'string',
  terminationGracePeriodSeconds: 'int64',
});

const TEMPLATE = struct('PodTemplateSpec', { metadata: OBJECT_META, spec: POD_SPEC });

const LABEL_SELECTOR = struct('LabelSelector', {
  matchExpressions: list(struct('LabelSelectorRequirement', { key: 'string', operator: 'string', values: list('string') })),
  matchLabels: map('string'),
});

/** Each kind's top-level fields the engine reads (metadata is the same for all). */
const KINDS: Record<string, GoType> = {
  Pod: struct('Pod', { metadata: OBJECT_META, spec: POD_SPEC }),
  Deployment: struct('Deployment', {
    metadata: OBJECT_META,
    spec: struct('DeploymentSpec', {
      minReadySeconds: 'int32',
      paused: 'bool',
      progressDeadlineSeconds: 'int32',
      replicas: 'int32',
      revisionHistoryLimit: 'int32',
      selector: LABEL_SELECTOR,
      strategy: struct('DeploymentStrategy', { rollingUpdate: struct('RollingUpdateDeployment', { maxSurge: 'intstr', maxUnavailable: 'intstr' }), type: 'string' }),
      template: TEMPLATE,
    }),
  }),
  ReplicaSet: struct('ReplicaSet', {
    metadata: OBJECT_META,
    spec: struct('ReplicaSetSpec', { minReadySeconds: 'int32', replicas: 'int32', selector: LABEL_SELECTOR, template: TEMPLATE }),
  }),
  StatefulSet: struct('StatefulSet', {
    metadata: OBJECT_META,
    spec: struct('StatefulSetSpec', {
      minReadySeconds: 'int32',
      podManagementPolicy: 'string',
      replicas: 'int32',
      revisionHistoryLimit: 'int32',
      selector: LABEL_SELECTOR,
      serviceName: 'string',
      template: TEMPLATE,
      updateStrategy: struct('StatefulSetUpdateStrategy', { rollingUpdate: struct('RollingUpdateStatefulSetStrategy', { maxUnavailable: 'intstr', partition: 'int32' }), type: 'string' }),
    }),
  }),
  DaemonSet: struct('DaemonSet', {
    metadata: OBJECT_META,
    spec: struct('DaemonSetSpec', {
      minReadySeconds: 'int32',
      revisionHistoryLimit: 'int32',
      selector: LABEL_SELECTOR,
      template: TEMPLATE,
      updateStrategy: struct('DaemonSetUpdateStrategy', { rollingUpdate: struct('RollingUpdateDaemonSet', { maxSurge: 'intstr', maxUnavailable: 'intstr' }), type: 'string' }),
    }),
  }),
  Service: struct('Service', {
    metadata: OBJECT_META,
    spec: struct('ServiceSpec', {
      clusterIP: 'string',
      clusterIPs: list('string'),
      externalIPs: list('string'),
      externalName: 'string',
      externalTrafficPolicy: 'string',
      healthCheckNodePort: 'int32',
      internalTrafficPolicy: 'string',
      loadBalancerSourceRanges: list('string'),
      ports: list(struct('ServicePort', { appProtocol: 'string', name: 'string', nodePort: 'int32', port: 'int32', protocol: 'string', targetPort: 'intstr' })),
      publishNotReadyAddresses: 'bool',
      selector: map('string'),
      sessionAffinity: 'string',
      sessionAffinityConfig: struct('SessionAffinityConfig', { clientIP: struct('ClientIPConfig', { timeoutSeconds: 'int32' }) }),
      trafficDistribution: 'string',
      type: 'string',
    }),
  }),
  ConfigMap: struct('ConfigMap', { binaryData: map('bytes'), data: map('string'), metadata: OBJECT_META }),
  Secret: struct('Secret', { data: map('bytes'), metadata: OBJECT_META, stringData: map('string'), type: 'string' }),
};

const RANGE: Record<'int32' | 'int64', readonly [number, number]> = {
  int32: [-2147483648, 2147483647],
  int64: [-9223372036854775808, 9223372036854775807],
};

/** reflect.Type.String() of a Go type as the messages name it. */
function typeName(t: GoType): string {
  if (typeof t === 'string') return t === 'intstr' ? 'intstr.IntOrString' : t === 'bytes' ? '[]uint8' : t;
  if ('struct' in t) return `v1.${t.struct}`;
  if ('list' in t) return `[]${typeName(t.list)}`;
  return `map[string]${typeName(t.map)}`;
}

/** The JSON kind of a value as UnmarshalTypeError.Value names it (numbers without their literal). */
function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  return isArray(v) ? 'array' : 'object';
}

/** A JSON number as Go's encoder writes it (kubectl's body): integers in full, 'e' notation from 1e21. */
function numberText(n: number): string {
  return String(n);
}

interface DecodeFailure {
  value: string;
  type: string;
  struct: string;
  field: string;
  /** An IntOrString's UnmarshalJSON failed: returned at once, it wins over a saved error. */
  abort?: boolean;
}

/**
 * Walks `v` as encoding/json decodes it into `t`: the first failure (in sorted key order),
 * with its context (the innermost struct and the field path from the root).
 */
function walk(v: unknown, t: GoType, ctx: { struct: string; field: string }, out: { first?: DecodeFailure }): DecodeFailure | undefined {
  if (v === null || v === undefined) return undefined;
  const fail = (value: string, type: string, abort = false): DecodeFailure | undefined => {
    const f = { value, type, struct: ctx.struct, field: ctx.field, abort };
    if (abort) return f;
    if (!out.first) out.first = f;
    return undefined;
  };
  if (typeof t === 'string') {
    switch (t) {
      case 'string':
        return typeof v === 'string' ? undefined : fail(jsonKind(v), 'string');
      case 'bytes':
        // []byte takes a base64 string; anything else is a type error
        return typeof v === 'string' ? undefined : fail(jsonKind(v), '[]uint8');
      case 'bool':
        return typeof v === 'boolean' ? undefined : fail(jsonKind(v), 'bool');
      case 'int32':
      case 'int64': {
        if (typeof v !== 'number') return fail(jsonKind(v), t);
        const [lo, hi] = RANGE[t];
        return Number.isInteger(v) && v >= lo && v <= hi ? undefined : fail(`number ${numberText(v)}`, t);
      }
      case 'intstr': {
        // IntOrString.UnmarshalJSON: a string is StrVal, anything else json.Unmarshal into int32
        if (typeof v === 'string') return undefined;
        if (typeof v === 'number') return Number.isInteger(v) && v >= RANGE.int32[0] && v <= RANGE.int32[1] ? undefined : fail(`number ${numberText(v)}`, 'int32', true);
        return fail(jsonKind(v), 'int32', true);
      }
    }
  }
  if ('struct' in t) {
    if (!isObjectLike(v) || isArray(v)) return fail(jsonKind(v), typeName(t));
    for (const k of Object.keys(v).sort()) {
      const ft = t.fields[k];
      if (!ft) continue;
      const r = walk(v[k], ft, { struct: t.struct, field: ctx.field ? `${ctx.field}.${k}` : k }, out);
      if (r) return r;
    }
    return undefined;
  }
  if ('list' in t) {
    if (!isArray(v)) return fail(jsonKind(v), typeName(t));
    for (const item of v) {
      const r = walk(item, t.list, ctx, out);
      if (r) return r;
    }
    return undefined;
  }
  if (!isObjectLike(v) || isArray(v)) return fail(jsonKind(v), typeName(t));
  for (const k of Object.keys(v).sort()) {
    const r = walk(v[k], t.map, ctx, out);
    if (r) return r;
  }
  return undefined;
}

function failureText(f: DecodeFailure): string {
  return f.struct || f.field
    ? `json: cannot unmarshal ${f.value} into Go struct field ${f.struct}.${f.field} of type ${f.type}`
    : `json: cannot unmarshal ${f.value} into Go value of type ${f.type}`;
}

/** encoding/json's error for `obj` decoded into its kind's Go type, or undefined when it decodes. */
export function unmarshalError(obj: UncheckedObject): string | undefined {
  const t = KINDS[obj.kind];
  if (!t) return undefined;
  const out: { first?: DecodeFailure } = {};
  const aborted = walk(obj, t, { struct: '', field: '' }, out);
  const f = aborted ?? out.first;
  return f ? failureText(f) : undefined;
}

/** The version part of apiVersion (`apps/v1` → `v1`). */
export function versionOf(obj: UncheckedObject): string {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  return apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
}

/**
 * transformDecodeError's message for `obj`, or undefined when its body decodes. The caller
 * (cluster/api.ts) raises it as a BadRequest, before defaulting.
 */
export function decodeError(obj: UncheckedObject): string | undefined {
  const err = unmarshalError(obj);
  if (!err) return undefined;
  return `${obj.kind} in version "${versionOf(obj)}" cannot be handled as a ${obj.kind}: ${err}`;
}

/** Go's integer conversion of `n` to `bits` bits, two's complement (reflect.Value.Convert). */
function wrapInt(n: number, type: 'int32' | 'int64'): number {
  if (type === 'int64') return n;
  // int64(f) first for a float (amd64 gives the minimum int64 for anything out of range: low 32 bits 0)
  const i = Number.isSafeInteger(n) ? BigInt(n) : Math.abs(n) >= 2 ** 63 ? -(2n ** 63n) : BigInt(Math.trunc(n));
  return Number(BigInt.asIntN(32, i));
}

/**
 * runtime.DefaultUnstructuredConverter.FromUnstructured on a patched object: returns the
 * object with integers converted as Go converts them, or the converter's error.
 */
export function convertUnstructured(obj: UncheckedObject): { object: UncheckedObject } | { error: string } {
  const t = KINDS[obj.kind];
  if (!t) return { object: obj };
  let error: string | undefined;
  const conv = (v: unknown, ty: GoType): unknown => {
    if (error || v === null || v === undefined) return v;
    if (typeof ty === 'string') {
      const from = typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'int64' : 'float64') : isArray(v) ? '[]interface {}' : 'map[string]interface {}';
      switch (ty) {
        case 'string':
        case 'bytes':
          if (typeof v === 'string') return v;
          break;
        case 'bool':
          if (typeof v === 'boolean') return v;
          break;
        case 'int32':
        case 'int64':
          if (typeof v === 'number' && Number.isInteger(v)) return wrapInt(v, ty);
          if (typeof v === 'number') {
            error = `cannot convert float64 to ${ty}`;
            return v;
          }
          break;
        case 'intstr':
          // IntOrString converts through its own JSON: a whole number is IntVal
          if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v) && v >= RANGE.int32[0] && v <= RANGE.int32[1])) return v;
          error = `json: cannot unmarshal ${typeof v === 'number' ? `number ${numberText(v)}` : jsonKind(v)} into Go value of type int32`;
          return v;
      }
      // string → number and the like are not convertible: the kind switch ends in "unrecognized type"
      error = typeof v === 'string' || typeof v === 'boolean' ? `unrecognized type: ${ty === 'bytes' ? 'slice' : ty}` : `cannot convert ${from} to ${ty}`;
      return v;
    }
    if ('struct' in ty) {
      if (!isObjectLike(v) || isArray(v)) {
        error = `cannot restore struct from: ${isArray(v) ? 'slice' : typeof v === 'number' ? 'int64' : typeof v}`;
        return v;
      }
      const out: Record<string, unknown> = { ...v };
      for (const k of Object.keys(v)) if (ty.fields[k]) out[k] = conv(v[k], ty.fields[k]);
      return out;
    }
    if ('list' in ty) {
      if (!isArray(v)) {
        error = `cannot restore slice from ${isObjectLike(v) ? 'map' : typeof v === 'number' ? 'int64' : typeof v}`;
        return v;
      }
      return v.map((x) => conv(x, ty.list));
    }
    if (!isObjectLike(v) || isArray(v)) {
      error = `cannot restore map from ${isArray(v) ? 'slice' : typeof v === 'number' ? 'int64' : typeof v}`;
      return v;
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = conv(v[k], ty.map);
    return out;
  };
  const object = conv(obj, t) as UncheckedObject;
  return error ? { error } : { object };
}

/**
 * fmt's %+v of a decoded JSON map, as the strategic-merge patch error shows the patch:
 * `map[spec:map[replicas:3000000000]]` (keys sorted, strings bare, lists in brackets).
 */
export function goMapText(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (isArray(v)) return `[${v.map(goMapText).join(' ')}]`;
  if (isObjectLike(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goMapText(v[k])}`).join(' ')}]`;
  return String(v);
}
