/**
 * Ingresses and IngressClasses: backends, hosts (DNS names or wildcards, never IPs), TLS
 * hosts, HTTP paths and pathTypes. Follows pkg/apis/networking/validation (ValidateIngressSpec,
 * validateHTTPIngressPath, validateIngressBackend, ValidateIngressClass).
 */
import type { KubeObject } from '../types';
import { fe, go, type FieldError } from '../fielderrors';
import { num, type Obj } from './common';
import { isDNS1035Label, isDNS1123Subdomain, isIP, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain } from './names';

/** validateIngressBackend: exactly one of a resource or a service (name, and a port name or number). */
function validateIngressBackend(b: Obj | undefined, path: string, errs: FieldError[]): void {
  const hasRes = !!b?.resource;
  const hasSvc = !!b?.service;
  if (hasRes && hasSvc) errs.push(fe.invalid(path, go.str(''), 'cannot set both resource and service backends'));
  else if (hasRes) {
    if (!b!.resource.kind) errs.push(fe.required(`${path}.resource.kind`, ''));
    if (!b!.resource.name) errs.push(fe.required(`${path}.resource.name`, ''));
  } else if (hasSvc) {
    const svc = b!.service as Obj;
    if (!svc.name) errs.push(fe.required(`${path}.service.name`, ''));
    else for (const m of isDNS1035Label(String(svc.name))) errs.push(fe.invalid(`${path}.service.name`, go.str(String(svc.name)), m));
    const hasName = !!svc.port?.name;
    const hasNum = !!svc.port?.number;
    if (hasName && hasNum) errs.push(fe.invalid(path, go.str(''), 'cannot set both port name & port number'));
    else if (hasName) for (const m of isValidPortName(String(svc.port.name))) errs.push(fe.invalid(`${path}.service.port.name`, go.str(String(svc.port.name)), m));
    else if (hasNum) for (const m of isValidPortNum(num(svc.port.number))) errs.push(fe.invalid(`${path}.service.port.number`, go.any(svc.port.number), m));
    else errs.push(fe.required(`${path}.service.port`, 'port name or number is required'));
  } else errs.push(fe.invalid(path, go.str(''), 'resource or service backend is required'));
}

/** ValidateIngressSpec: rules or a default backend, the class name, TLS hosts, rule hosts and HTTP paths. */
export function validateIngress(obj: KubeObject, errs: FieldError[]): void {
  const s = (obj.spec ?? {}) as Obj;
  const rules: Obj[] = Array.isArray(s.rules) ? s.rules : [];
  if (rules.length === 0 && !s.defaultBackend) {
    errs.push(fe.invalid('spec', go.raw('[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  }
  if (s.defaultBackend) validateIngressBackend(s.defaultBackend, 'spec.defaultBackend', errs);
  if (s.ingressClassName !== undefined) for (const m of isDNS1123Subdomain(String(s.ingressClassName))) errs.push(fe.invalid('spec.ingressClassName', go.str(String(s.ingressClassName)), m));
  (Array.isArray(s.tls) ? s.tls : []).forEach((t: Obj, i: number) => {
    (Array.isArray(t?.hosts) ? t.hosts : []).forEach((h: unknown, j: number) => {
      const host = String(h);
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of msgs) errs.push(fe.invalid(`spec.tls[${i}].hosts[${j}]`, go.str(host), m));
    });
  });
  rules.forEach((r, i) => {
    const rp = `spec.rules[${i}]`;
    if (r?.host) {
      const host = String(r.host);
      if (isIP(host)) errs.push(fe.invalid(`${rp}.host`, go.str(host), 'must be a DNS name, not an IP address'));
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of msgs) errs.push(fe.invalid(`${rp}.host`, go.str(host), m));
    }
    if (!r?.http) return;
    const paths: Obj[] = Array.isArray(r.http.paths) ? r.http.paths : [];
    if (paths.length === 0) errs.push(fe.required(`${rp}.http.paths`, ''));
    paths.forEach((p, j) => {
      const pp = `${rp}.http.paths[${j}]`;
      if (!p?.pathType) {
        errs.push(fe.required(`${pp}.pathType`, 'pathType must be specified'));
        return;
      }
      const path = String(p.path ?? '');
      if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
        if (!path.startsWith('/')) errs.push(fe.invalid(`${pp}.path`, go.str(path), 'must be an absolute path'));
        if (path.length > 0) {
          for (const seq of ['//', '/./', '/../', '%2f', '%2F']) if (path.includes(seq)) errs.push(fe.invalid(`${pp}.path`, go.str(path), `must not contain '${seq}'`));
          for (const suf of ['/..', '/.']) if (path.endsWith(suf)) errs.push(fe.invalid(`${pp}.path`, go.str(path), `cannot end with '${suf}'`));
        }
      } else if (p.pathType === 'ImplementationSpecific') {
        if (path.length > 0 && !path.startsWith('/')) errs.push(fe.invalid(`${pp}.path`, go.str(path), 'must be an absolute path'));
      } else {
        errs.push(fe.notSupported(`${pp}.pathType`, go.str(String(p.pathType)), ['Exact', 'ImplementationSpecific', 'Prefix']));
      }
      validateIngressBackend(p.backend, `${pp}.backend`, errs);
    });
  });
}

/** ValidateIngressClass: the controller is required. */
export function validateIngressClass(obj: KubeObject, errs: FieldError[]): void {
  if (!obj.spec?.controller) errs.push(fe.required('spec.controller', ''));
}
