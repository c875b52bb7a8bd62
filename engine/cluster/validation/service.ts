/**
 * Services: type, ports, selector, session affinity, traffic policies, ExternalName,
 * clusterIPs (immutable once set), external IPs and source ranges. Follows
 * pkg/apis/core/validation (ValidateService, validateServicePort, ValidateServiceUpdate).
 */
import type { KubeObject } from '../types';
import { fe, go, goQuote, type FieldError } from '../fielderrors';
import { externallyAccessible, num, PROTOCOLS, type Obj } from './common';
import { validateLabels } from './meta';
import { isCIDR, isDNS1123Label, isDNS1123Subdomain, isIP, isValidPortName, isValidPortNum } from './names';

/** ValidateService (with validateServicePort), and ValidateServiceUpdate's clusterIP rule. */
export function validateService(obj: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  const s = (obj.spec ?? {}) as Obj;
  const type = s.type;
  const headless = s.clusterIP === 'None';
  const ports: Obj[] = Array.isArray(s.ports) ? s.ports : [];
  // clusterIPs: each must be an IP (or None)
  if (type !== 'ExternalName' && Array.isArray(s.clusterIPs)) {
    s.clusterIPs.forEach((ip: unknown, i: number) => {
      const v = String(ip);
      if (v === 'None' && i === 0) return;
      if (!isIP(v)) errs.push(fe.invalid(`spec.clusterIPs[${i}]`, go.str(v), 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    });
    if (typeof s.clusterIP === 'string' && s.clusterIP !== '' && s.clusterIPs.length > 0 && s.clusterIPs[0] !== s.clusterIP) {
      errs.push(fe.invalid('spec.clusterIPs', go.strings(s.clusterIPs), 'element [0] must match clusterIP'));
    }
  }
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(fe.required('spec.ports', ''));
  if (type === 'ExternalName') {
    if (Array.isArray(s.clusterIPs) && s.clusterIPs.length > 0 && s.clusterIP !== '') errs.push(fe.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    const cname = String(s.externalName ?? '').replace(/\.$/, '');
    if (cname.length > 0) for (const m of isDNS1123Subdomain(cname)) errs.push(fe.invalid('spec.externalName', go.str(cname), m));
    else errs.push(fe.required('spec.externalName', ''));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    if (!p || typeof p !== 'object') {
      errs.push(fe.required(`${pp}.port`, ''));
      return;
    }
    if (ports.length > 1 && !p.name) errs.push(fe.required(`${pp}.name`, ''));
    else if (p.name) {
      for (const m of isDNS1123Label(String(p.name))) errs.push(fe.invalid(`${pp}.name`, go.str(String(p.name)), m));
      if (names.has(p.name)) errs.push(fe.duplicate(`${pp}.name`, go.str(p.name)));
      names.add(p.name);
    }
    for (const m of isValidPortNum(num(p.port))) errs.push(fe.invalid(`${pp}.port`, go.any(p.port ?? 0), m));
    if (!p.protocol) errs.push(fe.required(`${pp}.protocol`, ''));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(fe.notSupported(`${pp}.protocol`, go.str(String(p.protocol)), PROTOCOLS));
    if (typeof p.targetPort === 'number') for (const m of isValidPortNum(p.targetPort)) errs.push(fe.invalid(`${pp}.targetPort`, go.int(p.targetPort), m));
    else if (typeof p.targetPort === 'string') for (const m of isValidPortName(p.targetPort)) errs.push(fe.invalid(`${pp}.targetPort`, go.str(p.targetPort), m));
  });
  if (s.selector !== undefined && s.selector !== null) errs.push(...validateLabels(s.selector, 'spec.selector'));
  if (!s.sessionAffinity) errs.push(fe.required('spec.sessionAffinity', ''));
  else if (!['ClientIP', 'None'].includes(s.sessionAffinity)) errs.push(fe.notSupported('spec.sessionAffinity', go.str(String(s.sessionAffinity)), ['ClientIP', 'None']));
  if (s.sessionAffinity === 'ClientIP') {
    const t = s.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (typeof t !== 'number' || t <= 0 || t > 86400) errs.push(fe.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', go.any(t), 'must be greater than 0 and less than 86400'));
  }
  if (externallyAccessible(type)) {
    if (!s.externalTrafficPolicy) errs.push(fe.required('spec.externalTrafficPolicy', ''));
    else if (!['Cluster', 'Local'].includes(s.externalTrafficPolicy)) errs.push(fe.notSupported('spec.externalTrafficPolicy', go.str(String(s.externalTrafficPolicy)), ['Cluster', 'Local']));
  } else if (s.externalTrafficPolicy) {
    errs.push(fe.invalid('spec.externalTrafficPolicy', go.str(String(s.externalTrafficPolicy)), 'may only be set for externally-accessible services'));
  }
  if (s.internalTrafficPolicy !== undefined && type !== 'ExternalName' && !['Cluster', 'Local'].includes(s.internalTrafficPolicy)) {
    errs.push(fe.notSupported('spec.internalTrafficPolicy', go.str(String(s.internalTrafficPolicy)), ['Cluster', 'Local']));
  }
  if (!type) errs.push(fe.required('spec.type', ''));
  else if (!['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'].includes(type)) {
    errs.push(fe.notSupported('spec.type', go.str(String(type)), ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']));
  }
  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p?.nodePort) errs.push(fe.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const seenNodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p?.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (seenNodePorts.has(key)) errs.push(fe.duplicate(`spec.ports[${i}].nodePort`, go.int(p.nodePort)));
    seenNodePorts.add(key);
  });
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p) return;
    const key = `${p.protocol}/${p.port}`;
    if (seenPorts.has(key)) {
      errs.push(fe.duplicate(`spec.ports[${i}]`, go.raw(`core.ServicePort{Name:"", Protocol:${goQuote(String(p.protocol))}, AppProtocol:(*string)(nil), Port:${p.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`)));
    }
    seenPorts.add(key);
  });
  if (Array.isArray(s.loadBalancerSourceRanges)) {
    if (type !== 'LoadBalancer') errs.push(fe.forbidden('spec.loadBalancerSourceRanges', 'may only be used when `type` is \'LoadBalancer\''));
    s.loadBalancerSourceRanges.forEach((r: unknown, i: number) => {
      if (!isCIDR(String(r).trim())) errs.push(fe.invalid(`spec.loadBalancerSourceRanges[${i}]`, go.str(String(r)), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    });
  }
  (Array.isArray(s.externalIPs) ? s.externalIPs : []).forEach((ip: unknown, i: number) => {
    if (!isIP(String(ip))) errs.push(fe.invalid(`spec.externalIPs[${i}]`, go.str(String(ip)), 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  if (old) {
    // validateUpgradeDowngradeClusterIPs: a set clusterIP may not change
    const wasExt = old.spec?.type === 'ExternalName';
    if (type !== 'ExternalName' && !wasExt && !(old.spec?.clusterIP === 'None' && headless)) {
      const oldIPs: string[] = old.spec?.clusterIPs ?? [];
      const newIPs: string[] = Array.isArray(s.clusterIPs) ? s.clusterIPs : [];
      if (oldIPs.length === newIPs.length) {
        oldIPs.forEach((ip, i) => {
          if (ip !== newIPs[i]) errs.push(fe.invalid(`spec.clusterIPs[${i}]`, go.strings(newIPs), 'may not change once set'));
        });
      } else if (newIPs.length > 0 && oldIPs[0] !== newIPs[0]) {
        errs.push(fe.invalid('spec.clusterIPs[0]', go.strings(newIPs), 'may not change once set'));
      }
    }
  }
}
