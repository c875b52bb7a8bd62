/**
 * Services: type, ports, selector, session affinity, traffic policies and distribution, ExternalName,
 * clusterIPs (immutable once set), external IPs and source ranges. Follows
 * pkg/apis/core/validation (ValidateService, validateServicePort, ValidateServiceUpdate).
 */
import { isArray, member } from '../types';
import { fe, go, goQuote, type FieldError } from '../fielderrors';
import { externallyAccessible, fieldsOf, goLoose, isObjectLike, items, num, oneOf, PROTOCOLS, type UncheckedObject } from './common';
import { validateLabels } from './meta';
import { isCIDR, isDNS1123Label, isDNS1123Subdomain, isIP, isValidPortName, isValidPortNum } from './names';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
/** validateServiceTrafficDistribution's values with PreferSameTrafficDistribution on (beta, default on in v1.34). */
const TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameZone', 'PreferSameNode'];

/** ValidateServiceUpdate's upgrade/downgrade rules (on an update), then ValidateService (with validateServicePort). */
export function validateService(obj: UncheckedObject, old: UncheckedObject | undefined, errs: FieldError[]): void {
  const s = fieldsOf(obj.spec);
  const type = s.type;
  const headless = s.clusterIP === 'None';
  if (old) validateUpgradeDowngrade(s, fieldsOf(old.spec), errs);
  const ports = items(s.ports);
  // clusterIPs: each must be an IP (or None)
  if (type !== 'ExternalName' && isArray(s.clusterIPs)) {
    const clusterIPs = s.clusterIPs;
    clusterIPs.forEach((ip, i) => {
      const v = String(ip);
      if (v === 'None' && i === 0) return;
      if (!isIP(v)) errs.push(fe.invalid(`spec.clusterIPs[${i}]`, go.str(v), 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    });
    if (typeof s.clusterIP === 'string' && s.clusterIP !== '' && clusterIPs.length > 0 && clusterIPs[0] !== s.clusterIP) {
      errs.push(fe.invalid('spec.clusterIPs', goLoose.strings(clusterIPs), 'element [0] must match clusterIP'));
    }
  }
  if (type !== 'ExternalName') validateIPFamilyFields(s, errs);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(fe.required('spec.ports', ''));
  if (type === 'ExternalName') {
    if (isArray(s.clusterIPs) && s.clusterIPs.length > 0 && s.clusterIP !== '') errs.push(fe.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    const cname = String(s.externalName ?? '').replace(/\.$/, '');
    if (cname.length > 0) for (const m of isDNS1123Subdomain(cname)) errs.push(fe.invalid('spec.externalName', go.str(cname), m));
    else errs.push(fe.required('spec.externalName', ''));
  }
  const names = new Set<unknown>();
  ports.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    if (!isObjectLike(p)) {
      errs.push(fe.required(`${pp}.port`, ''));
      return;
    }
    if (ports.length > 1 && !p.name) errs.push(fe.required(`${pp}.name`, ''));
    else if (p.name) {
      for (const m of isDNS1123Label(String(p.name))) errs.push(fe.invalid(`${pp}.name`, go.str(String(p.name)), m));
      if (names.has(p.name)) errs.push(fe.duplicate(`${pp}.name`, goLoose.str(p.name)));
      names.add(p.name);
    }
    for (const m of isValidPortNum(num(p.port))) errs.push(fe.invalid(`${pp}.port`, go.any(p.port ?? 0), m));
    if (!p.protocol) errs.push(fe.required(`${pp}.protocol`, ''));
    else if (!oneOf(p.protocol, PROTOCOLS)) errs.push(fe.notSupported(`${pp}.protocol`, go.str(String(p.protocol)), PROTOCOLS));
    if (typeof p.targetPort === 'number') for (const m of isValidPortNum(p.targetPort)) errs.push(fe.invalid(`${pp}.targetPort`, go.int(p.targetPort), m));
    else if (typeof p.targetPort === 'string') for (const m of isValidPortName(p.targetPort)) errs.push(fe.invalid(`${pp}.targetPort`, go.str(p.targetPort), m));
  });
  if (s.selector !== undefined && s.selector !== null) errs.push(...validateLabels(s.selector, 'spec.selector'));
  if (!s.sessionAffinity) errs.push(fe.required('spec.sessionAffinity', ''));
  else if (!oneOf(s.sessionAffinity, ['ClientIP', 'None'])) errs.push(fe.notSupported('spec.sessionAffinity', go.str(String(s.sessionAffinity)), ['ClientIP', 'None']));
  if (s.sessionAffinity === 'ClientIP') {
    const t = member(member(s.sessionAffinityConfig, 'clientIP'), 'timeoutSeconds');
    if (typeof t !== 'number' || t <= 0 || t > 86400) errs.push(fe.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', go.any(t), 'must be greater than 0 and less than 86400'));
  }
  if (externallyAccessible(type)) {
    if (!s.externalTrafficPolicy) errs.push(fe.required('spec.externalTrafficPolicy', ''));
    else if (!oneOf(s.externalTrafficPolicy, TRAFFIC_POLICIES)) errs.push(fe.notSupported('spec.externalTrafficPolicy', go.str(String(s.externalTrafficPolicy)), TRAFFIC_POLICIES));
  } else if (s.externalTrafficPolicy) {
    errs.push(fe.invalid('spec.externalTrafficPolicy', go.str(String(s.externalTrafficPolicy)), 'may only be set for externally-accessible services'));
  }
  // validateServiceExternalTrafficPolicy's healthCheckNodePort half: where one is needed the
  // allocator (run before validation upstream) has already set or refused it
  const hcnp = s.healthCheckNodePort;
  if (!needsHealthCheck(s) && hcnp !== undefined && hcnp !== null && hcnp !== 0) {
    errs.push(fe.invalid('spec.healthCheckNodePort', goLoose.int(hcnp), "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  if (old && needsHealthCheck(s) && needsHealthCheck(fieldsOf(old.spec)) && (hcnp ?? 0) !== (fieldsOf(old.spec).healthCheckNodePort ?? 0)) {
    // validateServiceExternalTrafficFieldsUpdate
    errs.push(fe.forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  if (s.internalTrafficPolicy !== undefined && type !== 'ExternalName' && !oneOf(s.internalTrafficPolicy, TRAFFIC_POLICIES)) {
    errs.push(fe.notSupported('spec.internalTrafficPolicy', go.str(String(s.internalTrafficPolicy)), TRAFFIC_POLICIES));
  }
  if (typeof s.trafficDistribution === 'string' && !oneOf(s.trafficDistribution, TRAFFIC_DISTRIBUTIONS)) {
    errs.push(fe.notSupported('spec.trafficDistribution', go.str(s.trafficDistribution), TRAFFIC_DISTRIBUTIONS));
  }
  if (!type) errs.push(fe.required('spec.type', ''));
  else if (!oneOf(type, SERVICE_TYPES)) {
    errs.push(fe.notSupported('spec.type', go.str(String(type)), SERVICE_TYPES));
  }
  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (member(p, 'nodePort')) errs.push(fe.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const seenNodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const nodePort = member(p, 'nodePort');
    if (!nodePort) return;
    const key = `${String(member(p, 'protocol'))}/${String(nodePort)}`;
    if (seenNodePorts.has(key)) errs.push(fe.duplicate(`spec.ports[${i}].nodePort`, goLoose.int(nodePort)));
    seenNodePorts.add(key);
  });
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p) return;
    const protocol = String(member(p, 'protocol'));
    const port = String(member(p, 'port'));
    const key = `${protocol}/${port}`;
    if (seenPorts.has(key)) {
      errs.push(fe.duplicate(`spec.ports[${i}]`, go.raw(`core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`)));
    }
    seenPorts.add(key);
  });
  if (isArray(s.loadBalancerSourceRanges)) {
    if (type !== 'LoadBalancer') errs.push(fe.forbidden('spec.loadBalancerSourceRanges', 'may only be used when `type` is \'LoadBalancer\''));
    s.loadBalancerSourceRanges.forEach((r, i) => {
      if (!isCIDR(String(r).trim())) errs.push(fe.invalid(`spec.loadBalancerSourceRanges[${i}]`, go.str(String(r)), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    });
  }
  items(s.externalIPs).forEach((ip, i) => {
    if (!isIP(String(ip))) errs.push(fe.invalid(`spec.externalIPs[${i}]`, go.str(String(ip)), 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
}

/** A field.Invalid value of type *core.IPFamilyPolicy: the string, or "null" when unset. */
const policyValue = (p: unknown) => go.str(p === undefined || p === null ? 'null' : String(p));

/**
 * ValidateServiceUpdate before ValidateService (pkg/apis/core/validation/validation.go):
 * validateUpgradeDowngradeClusterIPs, then validateUpgradeDowngradeIPFamilies. A dual-stack
 * Service may gain or release its secondary clusterIP and family, never change the primary
 * (or, at equal length, any); releasing one needs ipFamilyPolicy SingleStack. Upstream reports
 * every changed family on ipFamilies[0] (Index(0) in the loop), which the aggregate dedups.
 */
function validateUpgradeDowngrade(s: Record<string, unknown>, was: Record<string, unknown>, errs: FieldError[]): void {
  if (s.type === 'ExternalName' || was.type === 'ExternalName') return;
  const oldIPs = items(was.clusterIPs);
  const newIPs = items(s.clusterIPs);
  const headless = s.clusterIP === 'None' || newIPs[0] === 'None';
  const wasHeadless = was.clusterIP === 'None' || oldIPs[0] === 'None';
  const singleStack = s.ipFamilyPolicy === 'SingleStack';
  // validateUpgradeDowngradeClusterIPs: headless to headless may not change either
  if (!(wasHeadless && headless)) {
    if (oldIPs.length === newIPs.length) {
      oldIPs.forEach((ip, i) => {
        if (ip !== newIPs[i]) errs.push(fe.invalid(`spec.clusterIPs[${i}]`, goLoose.strings(newIPs), 'may not change once set'));
      });
    } else if (oldIPs.length > newIPs.length) {
      if (newIPs.length > 0 && oldIPs[0] !== newIPs[0]) errs.push(fe.invalid('spec.clusterIPs[0]', goLoose.strings(newIPs), 'may not change once set'));
      if (newIPs.length === 1 && !singleStack) errs.push(fe.invalid('spec.ipFamilyPolicy', policyValue(s.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    } else if (oldIPs.length > 0 && oldIPs[0] !== newIPs[0]) {
      errs.push(fe.invalid('spec.clusterIPs[0]', goLoose.strings(newIPs), 'may not change once set'));
    }
  }
  // validateUpgradeDowngradeIPFamilies: headless Services, or a change to or from headless, may change families
  if (headless !== wasHeadless || headless) return;
  const oldFamilies = items(was.ipFamilies).map(String);
  const newFamilies = items(s.ipFamilies).map(String);
  const families = go.raw(`[]core.IPFamily{${newFamilies.map(goQuote).join(', ')}}`);
  if (oldFamilies.length === newFamilies.length) {
    oldFamilies.forEach((f, i) => {
      if (f !== newFamilies[i]) errs.push(fe.invalid('spec.ipFamilies[0]', families, 'may not change once set'));
    });
  } else if (oldFamilies.length > newFamilies.length) {
    if (newFamilies.length > 0 && newFamilies[0] !== oldFamilies[0]) errs.push(fe.invalid('spec.ipFamilies[0]', goLoose.strings(newIPs), 'may not change once set'));
    if (newFamilies.length === 1 && !singleStack) errs.push(fe.invalid('spec.ipFamilyPolicy', policyValue(s.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary ipFamily"));
  } else if (oldFamilies.length > 0 && newFamilies.length > 0 && newFamilies[0] !== oldFamilies[0]) {
    errs.push(fe.invalid('spec.ipFamilies[0]', goLoose.strings(newIPs), 'may not change once set'));
  }
}

/** apiservice.NeedsHealthCheck: a LoadBalancer with externalTrafficPolicy Local. */
export function needsHealthCheck(spec: Record<string, unknown>): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];

/**
 * ValidateServiceClusterIPsRelatedFields' checks on ipFamilies, ipFamilyPolicy and the
 * count and families of clusterIPs (pkg/apis/core/validation/validation.go).
 */
function validateIPFamilyFields(s: Record<string, unknown>, errs: FieldError[]): void {
  const families = items(s.ipFamilies);
  const seen = new Set<string>();
  families.forEach((f, i) => {
    const v = String(f);
    if (!IP_FAMILIES.includes(v)) errs.push(fe.notSupported(`spec.ipFamilies[${i}]`, go.str(v), IP_FAMILIES));
    if (seen.has(v)) errs.push(fe.duplicate(`spec.ipFamilies[${i}]`, go.str(v)));
    seen.add(v);
  });
  if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null && !IP_FAMILY_POLICIES.includes(String(s.ipFamilyPolicy))) {
    errs.push(fe.notSupported('spec.ipFamilyPolicy', go.str(String(s.ipFamilyPolicy)), IP_FAMILY_POLICIES));
  }
  const ips = items(s.clusterIPs).map(String);
  if (ips.length > 2) errs.push(fe.invalid('spec.clusterIPs', goLoose.strings(ips), 'may only hold up to 2 values'));
  if (ips.some((ip, i) => !(isIP(ip) || (i === 0 && ip === 'None')))) return;
  if (ips[0] === 'None' && ips.length > 1) {
    errs.push(fe.invalid('spec.clusterIPs', goLoose.strings(ips), "'None' must be the first and only value"));
    return;
  }
  if (ips.length === 2 && ips[0].includes(':') === ips[1].includes(':')) errs.push(fe.invalid('spec.clusterIPs', goLoose.strings(ips), 'may specify no more than one IP for each IP family'));
  if (ips.length > 0 && ips[0] !== 'None') {
    ips.forEach((ip, i) => {
      const fam = families[i];
      if (fam === 'IPv4' && ip.includes(':')) errs.push(fe.invalid(`spec.clusterIPs[${i}]`, go.str(ip), `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (fam === 'IPv6' && !ip.includes(':')) errs.push(fe.invalid(`spec.clusterIPs[${i}]`, go.str(ip), `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
}
