/**
 * Ingresses and IngressClasses: backends, hosts (DNS names or wildcards, never IPs), TLS
 * hosts, HTTP paths and pathTypes. Follows pkg/apis/networking/validation (ValidateIngressSpec,
 * validateHTTPIngressPath, validateIngressBackend, ValidateIngressClass).
 */
import { member } from '../types';
import { fe, go, type FieldError } from '../fielderrors';
import { fieldsOf, items, num, type UncheckedObject } from './common';
import { isDNS1035Label, isDNS1123Subdomain, isIP, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain } from './names';

/** validateIngressBackend: exactly one of a resource or a service (name, and a port name or number). */
function validateIngressBackend(b: unknown, path: string, errs: FieldError[]): void {
  const resource = member(b, 'resource');
  const service = member(b, 'service');
  if (resource && service) errs.push(fe.invalid(path, go.str(''), 'cannot set both resource and service backends'));
  else if (resource) {
    if (!member(resource, 'kind')) errs.push(fe.required(`${path}.resource.kind`, ''));
    if (!member(resource, 'name')) errs.push(fe.required(`${path}.resource.name`, ''));
  } else if (service) {
    const name = member(service, 'name');
    if (!name) errs.push(fe.required(`${path}.service.name`, ''));
    else for (const m of isDNS1035Label(String(name))) errs.push(fe.invalid(`${path}.service.name`, go.str(String(name)), m));
    const portName = member(member(service, 'port'), 'name');
    const portNumber = member(member(service, 'port'), 'number');
    if (portName && portNumber) errs.push(fe.invalid(path, go.str(''), 'cannot set both port name & port number'));
    else if (portName) for (const m of isValidPortName(String(portName))) errs.push(fe.invalid(`${path}.service.port.name`, go.str(String(portName)), m));
    else if (portNumber) for (const m of isValidPortNum(num(portNumber))) errs.push(fe.invalid(`${path}.service.port.number`, go.any(portNumber), m));
    else errs.push(fe.required(`${path}.service.port`, 'port name or number is required'));
  } else errs.push(fe.invalid(path, go.str(''), 'resource or service backend is required'));
}

/** ValidateIngressSpec: rules or a default backend, the class name, TLS hosts, rule hosts and HTTP paths. */
export function validateIngress(obj: UncheckedObject, errs: FieldError[]): void {
  const s = fieldsOf(obj.spec);
  const rules = items(s.rules);
  if (rules.length === 0 && !s.defaultBackend) {
    errs.push(fe.invalid('spec', go.raw('[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  }
  if (s.defaultBackend) validateIngressBackend(s.defaultBackend, 'spec.defaultBackend', errs);
  if (s.ingressClassName !== undefined) for (const m of isDNS1123Subdomain(String(s.ingressClassName))) errs.push(fe.invalid('spec.ingressClassName', go.str(String(s.ingressClassName)), m));
  items(s.tls).forEach((t, i) => {
    items(member(t, 'hosts')).forEach((h, j) => {
      const host = String(h);
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of msgs) errs.push(fe.invalid(`spec.tls[${i}].hosts[${j}]`, go.str(host), m));
    });
  });
  rules.forEach((r, i) => {
    const rp = `spec.rules[${i}]`;
    const ruleHost = member(r, 'host');
    if (ruleHost) {
      const host = String(ruleHost);
      if (isIP(host)) errs.push(fe.invalid(`${rp}.host`, go.str(host), 'must be a DNS name, not an IP address'));
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of msgs) errs.push(fe.invalid(`${rp}.host`, go.str(host), m));
    }
    const http = member(r, 'http');
    if (!http) return;
    const paths = items(member(http, 'paths'));
    if (paths.length === 0) errs.push(fe.required(`${rp}.http.paths`, ''));
    paths.forEach((p, j) => {
      const pp = `${rp}.http.paths[${j}]`;
      const pathType = member(p, 'pathType');
      if (!pathType) {
        errs.push(fe.required(`${pp}.pathType`, 'pathType must be specified'));
        return;
      }
      const path = String(member(p, 'path') ?? '');
      if (pathType === 'Exact' || pathType === 'Prefix') {
        if (!path.startsWith('/')) errs.push(fe.invalid(`${pp}.path`, go.str(path), 'must be an absolute path'));
        if (path.length > 0) {
          for (const seq of ['//', '/./', '/../', '%2f', '%2F']) if (path.includes(seq)) errs.push(fe.invalid(`${pp}.path`, go.str(path), `must not contain '${seq}'`));
          for (const suf of ['/..', '/.']) if (path.endsWith(suf)) errs.push(fe.invalid(`${pp}.path`, go.str(path), `cannot end with '${suf}'`));
        }
      } else if (pathType === 'ImplementationSpecific') {
        if (path.length > 0 && !path.startsWith('/')) errs.push(fe.invalid(`${pp}.path`, go.str(path), 'must be an absolute path'));
      } else {
        errs.push(fe.notSupported(`${pp}.pathType`, go.str(String(pathType)), ['Exact', 'ImplementationSpecific', 'Prefix']));
      }
      validateIngressBackend(member(p, 'backend'), `${pp}.backend`, errs);
    });
  });
}

/** ValidateIngressClass: the controller is required. */
export function validateIngressClass(obj: UncheckedObject, errs: FieldError[]): void {
  if (!member(obj.spec, 'controller')) errs.push(fe.required('spec.controller', ''));
}
