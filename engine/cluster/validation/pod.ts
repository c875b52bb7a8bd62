/**
 * Pods: containers (names, images, ports, probes), the pod spec (restart and DNS policy,
 * dnsConfig, nodeSelector) and what a Pod update may change. Follows pkg/apis/core/validation
 * (validateContainers, ValidatePodSpec, validatePodDNSConfig, ValidatePodUpdate).
 */
import type { KubeObject } from '../types';
import { fe, go, type FieldError } from '../fielderrors';
import { canonicalJson } from '../hash';
import { num, PROTOCOLS, type Obj } from './common';
import { validateLabels } from './meta';
import { isDNS1123Label, isDNS1123Subdomain, isIP, isValidPortName, isValidPortNum } from './names';

function validateContainers(containers: unknown, path: string, errs: FieldError[], hostNetwork: boolean): void {
  if (!Array.isArray(containers) || containers.length === 0) {
    errs.push(fe.required(path, ''));
    return;
  }
  const names = new Set<string>();
  containers.forEach((c: Obj, i) => {
    const p = `${path}[${i}]`;
    if (!c || typeof c !== 'object') {
      errs.push(fe.required(`${p}.name`, ''));
      return;
    }
    if (!c.name) errs.push(fe.required(`${p}.name`, ''));
    else {
      for (const m of isDNS1123Label(String(c.name))) errs.push(fe.invalid(`${p}.name`, go.str(String(c.name)), m));
      if (names.has(c.name)) errs.push(fe.duplicate(`${p}.name`, go.str(c.name)));
      names.add(c.name);
    }
    if (!c.image) errs.push(fe.required(`${p}.image`, ''));
    if (c.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)) {
      errs.push(fe.notSupported(`${p}.imagePullPolicy`, go.str(String(c.imagePullPolicy)), ['Always', 'IfNotPresent', 'Never']));
    }
    const portNames = new Set<string>();
    if (c.ports !== undefined && !Array.isArray(c.ports)) errs.push(fe.invalid(`${p}.ports`, go.any(c.ports), 'must be a list'));
    (Array.isArray(c.ports) ? c.ports : []).forEach((port: Obj, j: number) => {
      const pp = `${p}.ports[${j}]`;
      if (port?.name) {
        for (const m of isValidPortName(String(port.name))) errs.push(fe.invalid(`${pp}.name`, go.str(String(port.name)), m));
        if (portNames.has(port.name)) errs.push(fe.duplicate(`${pp}.name`, go.str(port.name)));
        portNames.add(port.name);
      }
      const cp = num(port?.containerPort);
      if (!port?.containerPort) errs.push(fe.required(`${pp}.containerPort`, ''));
      else for (const m of isValidPortNum(cp)) errs.push(fe.invalid(`${pp}.containerPort`, go.any(port.containerPort), m));
      if (port?.hostPort) for (const m of isValidPortNum(num(port.hostPort))) errs.push(fe.invalid(`${pp}.hostPort`, go.any(port.hostPort), m));
      if (hostNetwork && port?.hostPort && port.hostPort !== port.containerPort) {
        errs.push(fe.invalid(`${pp}.containerPort`, go.any(port.containerPort), 'must match `hostPort` when `hostNetwork` is true'));
      }
      if (!port?.protocol) errs.push(fe.required(`${pp}.protocol`, ''));
      else if (!PROTOCOLS.includes(port.protocol)) errs.push(fe.notSupported(`${pp}.protocol`, go.str(String(port.protocol)), PROTOCOLS));
    });
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      const pr = c[probe];
      if (!pr) continue;
      const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => pr[h]);
      if (handlers.length === 0) errs.push(fe.required(`${p}.${probe}`, 'must specify a handler type'));
      else if (handlers.length > 1) errs.push(fe.forbidden(`${p}.${probe}.${handlers[1]}`, 'may not specify more than 1 handler type'));
      const hp = pr.httpGet?.port ?? pr.tcpSocket?.port;
      if (hp !== undefined) {
        if (typeof hp === 'number') for (const m of isValidPortNum(hp)) errs.push(fe.invalid(`${p}.${probe}.${pr.httpGet ? 'httpGet' : 'tcpSocket'}.port`, go.int(hp), m));
        else for (const m of isValidPortName(String(hp))) errs.push(fe.invalid(`${p}.${probe}.${pr.httpGet ? 'httpGet' : 'tcpSocket'}.port`, go.str(String(hp)), m));
      }
    }
  });
}

export function validatePodSpec(spec: Obj | undefined, path: string, errs: FieldError[]): void {
  if (!spec || typeof spec !== 'object') {
    errs.push(fe.required(`${path}.containers`, ''));
    return;
  }
  validateContainers(spec.containers, `${path}.containers`, errs, !!spec.hostNetwork);
  if (spec.initContainers !== undefined) {
    if (Array.isArray(spec.initContainers) && spec.initContainers.length > 0) validateContainers(spec.initContainers, `${path}.initContainers`, errs, !!spec.hostNetwork);
  }
  const rp = spec.restartPolicy;
  if (rp === '') errs.push(fe.required(`${path}.restartPolicy`, ''));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) errs.push(fe.notSupported(`${path}.restartPolicy`, go.str(String(rp)), ['Always', 'OnFailure', 'Never']));
  const dp = spec.dnsPolicy;
  if (!['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'].includes(dp)) {
    errs.push(fe.notSupported(`${path}.dnsPolicy`, go.str(String(dp)), ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']));
  }
  const dc = spec.dnsConfig;
  if (dp === 'None') {
    if (!dc) errs.push(fe.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
    else if (!Array.isArray(dc.nameservers) || dc.nameservers.length === 0) {
      errs.push(fe.required(`${path}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
    }
  }
  if (dc && typeof dc === 'object') {
    const ns = Array.isArray(dc.nameservers) ? dc.nameservers.map(String) : [];
    if (ns.length > 3) errs.push(fe.invalid(`${path}.dnsConfig.nameservers`, go.strings(ns), 'must not have more than 3 nameservers'));
    ns.forEach((n: string, i: number) => {
      if (!isIP(n)) errs.push(fe.invalid(`${path}.dnsConfig.nameservers[${i}]`, go.str(n), 'must be valid IP address'));
    });
    const searches = Array.isArray(dc.searches) ? dc.searches.map(String) : [];
    if (searches.length > 32) errs.push(fe.invalid(`${path}.dnsConfig.searches`, go.strings(searches), 'must not have more than 32 search paths'));
    searches.forEach((s: string, i: number) => {
      for (const m of isDNS1123Subdomain(s.replace(/\.$/, ''))) errs.push(fe.invalid(`${path}.dnsConfig.searches[${i}]`, go.str(s), m));
    });
    (Array.isArray(dc.options) ? dc.options : []).forEach((o: Obj, i: number) => {
      if (!o?.name) errs.push(fe.required(`${path}.dnsConfig.options[${i}]`, 'Option.Name must not be empty'));
    });
  }
  if (spec.nodeSelector !== undefined) errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    // allowed (treated as 1) since 1.27; nothing to report
  }
}

/** ValidatePodCreate, and ValidatePodUpdate (only a few fields may change on a Pod). */
export function validatePod(obj: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  if (old) {
    // ValidatePodUpdate: only images, activeDeadlineSeconds, tolerations (additions) and
    // terminationGracePeriodSeconds may change
    const strip = (s: Obj) => {
      const c = structuredClone(s ?? {}) as Obj;
      for (const ct of [...(c.containers ?? []), ...(c.initContainers ?? [])]) if (ct) delete ct.image;
      delete c.activeDeadlineSeconds;
      delete c.tolerations;
      delete c.terminationGracePeriodSeconds;
      if (!old.spec?.nodeName) delete c.nodeName;
      return canonicalJson(c);
    };
    if (strip(obj.spec) !== strip(old.spec)) {
      errs.push(fe.forbidden('spec', 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'));
    }
    return;
  }
  validatePodSpec(obj.spec, 'spec', errs);
}
