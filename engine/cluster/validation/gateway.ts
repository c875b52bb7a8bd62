/**
 * The Gateway API kinds (gateway.networking.k8s.io, bundle v1.6.1 as Envoy Gateway v1.9.0's
 * chart installs it: charts/gateway-helm/charts/crds/crds/gatewayapi-crds.yaml). A custom
 * resource is checked by its CRD's OpenAPI schema (required fields, enums, patterns,
 * bounds — structural errors say `in body should …`) and its CEL rules
 * (x-kubernetes-validations, whose message is printed as given, on the value "object");
 * defaults are the schema's `default:` values, applied by the API server on create and update.
 * Only the fields the simulation reads are modelled.
 */
import { fe, go, type FieldError } from '../fielderrors';
import { fieldsOf, isObjectLike, items, type JsonObject, type UncheckedObject } from './common';

export const GATEWAY_KINDS = ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant'];

const HOSTNAME = '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const HOSTNAME_RE = new RegExp(HOSTNAME);
const PENDING = (type: string) => ({ lastTransitionTime: '1970-01-01T00:00:00Z', message: 'Waiting for controller', reason: 'Pending', status: 'Unknown', type });

function defaultParentRefs(spec: JsonObject): void {
  for (const p of items(spec.parentRefs)) if (isObjectLike(p)) {
    p.group ??= 'gateway.networking.k8s.io';
    p.kind ??= 'Gateway';
  }
}

function defaultBackendRefs(rule: JsonObject): void {
  for (const b of items(rule.backendRefs)) if (isObjectLike(b)) {
    b.group ??= '';
    b.kind ??= 'Service';
    b.weight ??= 1;
  }
}

/** The CRDs' `default:` values for the fields the simulation reads. */
export function defaultGatewayApi(obj: UncheckedObject, old: UncheckedObject | undefined): void {
  const spec = isObjectLike(obj.spec) ? obj.spec : undefined;
  switch (obj.kind) {
    case 'GatewayClass':
      obj.status = old?.status ?? { conditions: [PENDING('Accepted')] };
      break;
    case 'Gateway':
      obj.status = old?.status ?? { conditions: [PENDING('Accepted'), PENDING('Programmed')] };
      for (const l of items(spec?.listeners)) if (isObjectLike(l)) {
        l.allowedRoutes ??= { namespaces: { from: 'Same' } };
        const ar = fieldsOf(l.allowedRoutes);
        if (isObjectLike(l.allowedRoutes) && ar.namespaces === undefined) l.allowedRoutes.namespaces = { from: 'Same' };
        const ns = fieldsOf(ar.namespaces);
        if (isObjectLike(ar.namespaces) && ns.from === undefined) ar.namespaces.from = 'Same';
        if (isObjectLike(l.tls)) {
          l.tls.mode ??= 'Terminate';
          for (const c of items(l.tls.certificateRefs)) if (isObjectLike(c)) {
            c.group ??= '';
            c.kind ??= 'Secret';
          }
        }
      }
      break;
    case 'HTTPRoute':
    case 'GRPCRoute': {
      if (old) obj.status = old.status;
      else delete obj.status;
      if (!spec) break;
      defaultParentRefs(spec);
      if (obj.kind === 'GRPCRoute') {
        for (const r of items(spec.rules)) if (isObjectLike(r)) defaultBackendRefs(r);
        break;
      }
      spec.rules ??= [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }];
      for (const r of items(spec.rules)) if (isObjectLike(r)) {
        r.matches ??= [{ path: { type: 'PathPrefix', value: '/' } }];
        for (const m of items(r.matches)) if (isObjectLike(m)) {
          m.path ??= { type: 'PathPrefix', value: '/' };
          if (isObjectLike(m.path)) {
            m.path.type ??= 'PathPrefix';
            m.path.value ??= '/';
          }
          for (const h of items(m.headers)) if (isObjectLike(h)) h.type ??= 'Exact';
          for (const q of items(m.queryParams)) if (isObjectLike(q)) q.type ??= 'Exact';
        }
        defaultBackendRefs(r);
      }
      break;
    }
  }
}

/** `spec.x in body should match '…'` — an OpenAPI pattern failure. */
function pattern(field: string, value: string, re: string): FieldError {
  return fe.invalid(field, go.str(value), `${field} in body should match '${re}'`);
}

function cel(field: string, message: string): FieldError {
  return fe.invalid(field, go.str('object'), message);
}

function required(obj: JsonObject, key: string, field: string, errs: FieldError[]): boolean {
  if (obj[key] === undefined || obj[key] === null) {
    errs.push(fe.required(`${field}.${key}`, ''));
    return false;
  }
  return true;
}

function enumOf(v: unknown, field: string, values: string[], errs: FieldError[]): void {
  if (v !== undefined && !values.includes(String(v))) errs.push(fe.notSupported(field, go.any(v), values));
}

function bounds(v: unknown, field: string, min: number, max: number, errs: FieldError[]): void {
  if (typeof v !== 'number') return;
  if (v < min) errs.push(fe.invalid(field, go.int(v), `${field} in body should be greater than or equal to ${min}`));
  if (v > max) errs.push(fe.invalid(field, go.int(v), `${field} in body should be less than or equal to ${max}`));
}

function hostnames(list: unknown, field: string, errs: FieldError[]): void {
  items(list).forEach((h, i) => {
    if (typeof h === 'string' && !HOSTNAME_RE.test(h)) errs.push(pattern(`${field}[${i}]`, h, HOSTNAME));
  });
}

function validateGateway(spec: JsonObject, errs: FieldError[]): void {
  required(spec, 'gatewayClassName', 'spec', errs);
  if (!required(spec, 'listeners', 'spec', errs)) return;
  const listeners = items(spec.listeners).map(fieldsOf);
  const names = new Set<string>();
  let dupName = false;
  const combos = new Set<string>();
  let dupCombo = false;
  listeners.forEach((l, i) => {
    const at = `spec.listeners[${i}]`;
    required(l, 'name', at, errs);
    required(l, 'port', at, errs);
    required(l, 'protocol', at, errs);
    bounds(l.port, `${at}.port`, 1, 65535, errs);
    if (typeof l.hostname === 'string' && !HOSTNAME_RE.test(l.hostname)) errs.push(pattern(`${at}.hostname`, l.hostname, HOSTNAME));
    if (names.has(String(l.name))) dupName = true;
    names.add(String(l.name));
    const combo = `${l.port}/${l.protocol}/${l.hostname ?? ''}`;
    if (combos.has(combo)) dupCombo = true;
    combos.add(combo);
    const tls = isObjectLike(l.tls) ? l.tls : undefined;
    if (tls && tls.mode === 'Terminate' && items(tls.certificateRefs).length === 0 && tls.options === undefined) errs.push(cel(`${at}.tls`, 'certificateRefs or options must be specified when mode is Terminate'));
  });
  if (listeners.some((l) => ['HTTP', 'TCP', 'UDP'].includes(String(l.protocol)) && l.tls !== undefined)) errs.push(cel('spec.listeners', "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"));
  if (listeners.some((l) => l.protocol === 'HTTPS' && fieldsOf(l.tls).mode !== undefined && fieldsOf(l.tls).mode !== 'Terminate')) errs.push(cel('spec.listeners', 'tls mode must be Terminate for protocol HTTPS'));
  if (dupName) errs.push(cel('spec.listeners', 'Listener name must be unique within the Gateway'));
  if (dupCombo) errs.push(cel('spec.listeners', 'Combination of port, protocol and hostname must be unique for each listener'));
}

const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;

function validatePath(path: JsonObject, at: string, errs: FieldError[]): void {
  const type = String(path.type ?? 'PathPrefix');
  const value = String(path.value ?? '/');
  if (!['Exact', 'PathPrefix', 'RegularExpression'].includes(type)) {
    errs.push(fe.notSupported(`${at}.type`, go.str(type), ['Exact', 'PathPrefix', 'RegularExpression']));
    errs.push(cel(at, "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']"));
    return;
  }
  if (type === 'RegularExpression') return;
  const when = " when type one of ['Exact', 'PathPrefix']";
  if (!value.startsWith('/')) errs.push(cel(at, `value must be an absolute path and start with '/'${when}`));
  for (const bad of ['//', '/./', '/../', '%2f', '%2F', '#']) if (value.includes(bad)) errs.push(cel(at, `must not contain '${bad}'${when}`));
  if (value.endsWith('/..')) errs.push(cel(at, `must not end with '/..'${when}`));
  else if (value.endsWith('/.')) errs.push(cel(at, `must not end with '/.'${when}`));
  if (!PATH_CHARS.test(value)) errs.push(cel(at, "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']"));
}

const FILTER_TYPES = ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'RequestRedirect', 'URLRewrite', 'ExtensionRef', 'CORS', 'ExternalAuth'];
const FILTER_FIELD: Record<string, string> = { RequestHeaderModifier: 'requestHeaderModifier', ResponseHeaderModifier: 'responseHeaderModifier', RequestRedirect: 'requestRedirect', URLRewrite: 'urlRewrite', RequestMirror: 'requestMirror' };

function validateFilters(list: unknown, at: string, errs: FieldError[]): void {
  const filters = items(list).map(fieldsOf);
  filters.forEach((f, i) => {
    const fat = `${at}[${i}]`;
    if (!required(f, 'type', fat, errs)) return;
    enumOf(f.type, `${fat}.type`, FILTER_TYPES, errs);
    for (const [type, field] of Object.entries(FILTER_FIELD)) {
      if (f.type === type && f[field] === undefined) errs.push(cel(fat, `filter.${field} must be specified for ${type} filter.type`));
      if (f.type !== type && f[field] !== undefined) errs.push(cel(fat, `filter.${field} must be nil if the filter.type is not ${type}`));
    }
    for (const field of ['requestRedirect', 'urlRewrite']) {
      const p = fieldsOf(fieldsOf(f[field]).path);
      if (!isObjectLike(fieldsOf(f[field]).path)) continue;
      enumOf(p.type, `${fat}.${field}.path.type`, ['ReplaceFullPath', 'ReplacePrefixMatch'], errs);
      if (p.type === 'ReplaceFullPath' && p.replaceFullPath === undefined) errs.push(cel(`${fat}.${field}.path`, "replaceFullPath must be specified when type is set to 'ReplaceFullPath'"));
      if (p.type === 'ReplacePrefixMatch' && p.replacePrefixMatch === undefined) errs.push(cel(`${fat}.${field}.path`, "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'"));
    }
    enumOf(fieldsOf(f.requestRedirect).scheme, `${fat}.requestRedirect.scheme`, ['http', 'https'], errs);
  });
  for (const t of ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite']) {
    if (filters.filter((f) => f.type === t).length > 1) errs.push(cel(at, `${t} filter cannot be repeated`));
  }
  if (filters.some((f) => f.type === 'RequestRedirect') && filters.some((f) => f.type === 'URLRewrite')) errs.push(cel(at, 'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both'));
}

function validateBackendRefs(list: unknown, at: string, errs: FieldError[]): void {
  items(list).map(fieldsOf).forEach((b, i) => {
    const bat = `${at}[${i}]`;
    required(b, 'name', bat, errs);
    bounds(b.weight, `${bat}.weight`, 0, 1000000, errs);
    bounds(b.port, `${bat}.port`, 1, 65535, errs);
    if ((b.group ?? '') === '' && (b.kind ?? 'Service') === 'Service' && b.port === undefined) errs.push(cel(bat, 'Must have port for Service reference'));
  });
}

function validateHTTPRoute(spec: JsonObject, errs: FieldError[]): void {
  hostnames(spec.hostnames, 'spec.hostnames', errs);
  items(spec.parentRefs).map(fieldsOf).forEach((p, i) => required(p, 'name', `spec.parentRefs[${i}]`, errs));
  items(spec.rules).map(fieldsOf).forEach((r, i) => {
    const at = `spec.rules[${i}]`;
    items(r.matches).map(fieldsOf).forEach((m, j) => {
      const mat = `${at}.matches[${j}]`;
      if (isObjectLike(m.path)) validatePath(m.path, `${mat}.path`, errs);
      items(m.headers).map(fieldsOf).forEach((h, k) => {
        required(h, 'name', `${mat}.headers[${k}]`, errs);
        required(h, 'value', `${mat}.headers[${k}]`, errs);
        enumOf(h.type, `${mat}.headers[${k}].type`, ['Exact', 'RegularExpression'], errs);
      });
      items(m.queryParams).map(fieldsOf).forEach((q, k) => {
        required(q, 'name', `${mat}.queryParams[${k}]`, errs);
        required(q, 'value', `${mat}.queryParams[${k}]`, errs);
        enumOf(q.type, `${mat}.queryParams[${k}].type`, ['Exact', 'RegularExpression'], errs);
      });
      enumOf(m.method, `${mat}.method`, ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'], errs);
    });
    validateFilters(r.filters, `${at}.filters`, errs);
    validateBackendRefs(r.backendRefs, `${at}.backendRefs`, errs);
    if (items(r.filters).some((f) => fieldsOf(f).type === 'RequestRedirect') && items(r.backendRefs).length > 0) errs.push(cel(at, 'RequestRedirect filter must not be used together with backendRefs'));
  });
}

/** The CRD schema's and CEL rules' errors for a Gateway API object. */
export function validateGatewayApi(obj: UncheckedObject, errs: FieldError[]): void {
  const spec = fieldsOf(obj.spec);
  if (obj.spec === undefined && obj.kind !== 'ReferenceGrant') {
    errs.push(fe.required('spec', ''));
    return;
  }
  switch (obj.kind) {
    case 'GatewayClass':
      if (required(spec, 'controllerName', 'spec', errs) && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$/.test(String(spec.controllerName))) {
        errs.push(pattern('spec.controllerName', String(spec.controllerName), "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$"));
      }
      break;
    case 'Gateway':
      validateGateway(spec, errs);
      break;
    case 'HTTPRoute':
      validateHTTPRoute(spec, errs);
      break;
    case 'GRPCRoute':
      hostnames(spec.hostnames, 'spec.hostnames', errs);
      items(spec.rules).map(fieldsOf).forEach((r, i) => validateBackendRefs(r.backendRefs, `spec.rules[${i}].backendRefs`, errs));
      break;
    case 'ReferenceGrant':
      if (required(spec, 'from', 'spec', errs)) items(spec.from).map(fieldsOf).forEach((f, i) => {
        required(f, 'group', `spec.from[${i}]`, errs);
        required(f, 'kind', `spec.from[${i}]`, errs);
        required(f, 'namespace', `spec.from[${i}]`, errs);
      });
      required(spec, 'to', 'spec', errs);
      break;
  }
}
