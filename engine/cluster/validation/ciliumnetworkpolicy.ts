/**
 * CiliumNetworkPolicy (cilium.io/v2): what the CRD's OpenAPI schema lets the API server
 * accept (pkg/k8s/apis/cilium.io/client/crds/v2/ciliumnetworkpolicies.yaml, generated from
 * the kubebuilder markers of pkg/policy/api): a port is a number up to 65535 or a port name
 * (the PortProtocol.Port pattern), a protocol one of the L4Proto enum, an entity one of the
 * Entity enum, an endpoint selector a label selector. Errors read as the structural schema
 * validator writes them.
 */
import { member } from '../types';
import { fe, go, type FieldError } from '../fielderrors';
import { items, type UncheckedObject } from './common';
import { validateLabelSelector } from './meta';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ICMP', 'ICMPV6', 'VRRP', 'IGMP', 'ANY'];
const ENTITIES = ['all', 'world', 'cluster', 'host', 'init', 'ingress', 'unmanaged', 'remote-node', 'health', 'none', 'kube-apiserver'];
const PORT_PATTERN = '^(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})|([a-zA-Z0-9]-?)*[a-zA-Z](-?[a-zA-Z0-9])*$';
const PORT_RE = new RegExp(PORT_PATTERN);

/** Selector keys may carry a label source (`k8s:`, `any:`, `reserved:`…): the key is validated without it. */
function selector(sel: unknown, path: string): FieldError[] {
  if (!sel || typeof sel !== 'object') return validateLabelSelector(sel, path);
  const s = sel as { matchLabels?: Record<string, unknown>; matchExpressions?: { key?: string }[] };
  const strip = (k: string) => k.replace(/^(k8s|any|reserved|cidr|fqdn|container|unspec):/, '');
  const matchLabels = s.matchLabels && typeof s.matchLabels === 'object' ? Object.fromEntries(Object.entries(s.matchLabels).map(([k, v]) => [strip(k), v])) : s.matchLabels;
  const matchExpressions = Array.isArray(s.matchExpressions) ? s.matchExpressions.map((e) => (e && typeof e.key === 'string' ? { ...e, key: strip(e.key) } : e)) : s.matchExpressions;
  return validateLabelSelector({ ...s, matchLabels, matchExpressions }, path);
}

function validatePorts(portRules: unknown, path: string, errs: FieldError[]): void {
  items(portRules).forEach((pr, i) => {
    items(member(pr, 'ports')).forEach((p, j) => {
      const pp = `${path}[${i}].ports[${j}]`;
      const port = member(p, 'port');
      if (port === undefined) errs.push(fe.required(`${pp}.port`, ''));
      else if (!PORT_RE.test(String(port))) errs.push(fe.invalid(`${pp}.port`, go.str(String(port)), `${pp}.port in body should match '${PORT_PATTERN}'`));
      const proto = member(p, 'protocol');
      if (proto !== undefined && !PROTOCOLS.includes(String(proto))) errs.push(fe.notSupported(`${pp}.protocol`, go.str(String(proto)), PROTOCOLS));
    });
  });
}

function validateRules(rules: unknown, dir: 'ingress' | 'egress', path: string, errs: FieldError[]): void {
  const from = dir === 'ingress' ? 'from' : 'to';
  items(rules).forEach((r, i) => {
    const rp = `${path}[${i}]`;
    items(member(r, `${from}Endpoints`)).forEach((s, j) => errs.push(...selector(s, `${rp}.${from}Endpoints[${j}]`)));
    items(member(r, `${from}Entities`)).forEach((e, j) => {
      if (!ENTITIES.includes(String(e))) errs.push(fe.notSupported(`${rp}.${from}Entities[${j}]`, go.str(String(e)), ENTITIES));
    });
    validatePorts(member(r, 'toPorts'), `${rp}.toPorts`, errs);
  });
}

function validateSpec(spec: unknown, path: string, errs: FieldError[]): void {
  const sel = member(spec, 'endpointSelector');
  if (sel !== undefined) errs.push(...selector(sel, `${path}.endpointSelector`));
  else if (member(spec, 'nodeSelector') === undefined) errs.push(fe.required(`${path}.endpointSelector`, ''));
  for (const dir of ['ingress', 'egress'] as const) {
    validateRules(member(spec, dir), dir, `${path}.${dir}`, errs);
    validateRules(member(spec, `${dir}Deny`), dir, `${path}.${dir}Deny`, errs);
  }
}

export function validateCiliumNetworkPolicy(obj: UncheckedObject, errs: FieldError[]): void {
  const spec = member(obj, 'spec');
  const specs = member(obj, 'specs');
  if (spec === undefined && specs === undefined) errs.push(fe.required('spec', ''));
  if (spec !== undefined) validateSpec(spec, 'spec', errs);
  items(specs).forEach((s, i) => validateSpec(s, `specs[${i}]`, errs));
}
