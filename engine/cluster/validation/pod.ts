/**
 * Pods: containers (names, images, ports, probes), the pod spec (restart and DNS policy,
 * dnsConfig, nodeSelector) and what a Pod update may change. Follows pkg/apis/core/validation
 * (validateContainers, ValidatePodSpec, validatePodDNSConfig, ValidatePodUpdate).
 */
import { isArray, member } from '../types';
import { fe, go, type FieldError } from '../fielderrors';
import { canonicalJson } from '../hash';
import { goLoose, isObjectLike, items, num, oneOf, PROTOCOLS, type UncheckedObject } from './common';
import { validateLabels } from './meta';
import { isDNS1123Label, isDNS1123Subdomain, isIP, isValidPortName, isValidPortNum } from './names';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];

function validateContainers(containers: unknown, path: string, errs: FieldError[], hostNetwork: boolean): void {
  if (!isArray(containers) || containers.length === 0) {
    errs.push(fe.required(path, ''));
    return;
  }
  const names = new Set<unknown>();
  containers.forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!isObjectLike(c)) {
      errs.push(fe.required(`${p}.name`, ''));
      return;
    }
    if (!c.name) errs.push(fe.required(`${p}.name`, ''));
    else {
      for (const m of isDNS1123Label(String(c.name))) errs.push(fe.invalid(`${p}.name`, go.str(String(c.name)), m));
      if (names.has(c.name)) errs.push(fe.duplicate(`${p}.name`, goLoose.str(c.name)));
      names.add(c.name);
    }
    if (!c.image) errs.push(fe.required(`${p}.image`, ''));
    if (c.imagePullPolicy !== undefined && !oneOf(c.imagePullPolicy, PULL_POLICIES)) {
      errs.push(fe.notSupported(`${p}.imagePullPolicy`, go.str(String(c.imagePullPolicy)), PULL_POLICIES));
    }
    const portNames = new Set<unknown>();
    if (c.ports !== undefined && !isArray(c.ports)) errs.push(fe.invalid(`${p}.ports`, go.any(c.ports), 'must be a list'));
    items(c.ports).forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      const name = member(port, 'name');
      if (name) {
        for (const m of isValidPortName(String(name))) errs.push(fe.invalid(`${pp}.name`, go.str(String(name)), m));
        if (portNames.has(name)) errs.push(fe.duplicate(`${pp}.name`, goLoose.str(name)));
        portNames.add(name);
      }
      const containerPort = member(port, 'containerPort');
      const hostPort = member(port, 'hostPort');
      const protocol = member(port, 'protocol');
      const cp = num(containerPort);
      if (!containerPort) errs.push(fe.required(`${pp}.containerPort`, ''));
      else for (const m of isValidPortNum(cp)) errs.push(fe.invalid(`${pp}.containerPort`, go.any(containerPort), m));
      if (hostPort) for (const m of isValidPortNum(num(hostPort))) errs.push(fe.invalid(`${pp}.hostPort`, go.any(hostPort), m));
      if (hostNetwork && hostPort && hostPort !== containerPort) {
        errs.push(fe.invalid(`${pp}.containerPort`, go.any(containerPort), 'must match `hostPort` when `hostNetwork` is true'));
      }
      if (!protocol) errs.push(fe.required(`${pp}.protocol`, ''));
      else if (!oneOf(protocol, PROTOCOLS)) errs.push(fe.notSupported(`${pp}.protocol`, go.str(String(protocol)), PROTOCOLS));
    });
    // validateContainers: validateLivenessProbe, validateReadinessProbe, validateStartupProbe, in that order
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const pr = c[probe];
      if (!pr) continue;
      const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => member(pr, h));
      if (handlers.length === 0) errs.push(fe.required(`${p}.${probe}`, 'must specify a handler type'));
      else if (handlers.length > 1) errs.push(fe.forbidden(`${p}.${probe}.${handlers[1]}`, 'may not specify more than 1 handler type'));
      const httpGet = member(pr, 'httpGet');
      const hp = member(httpGet, 'port') ?? member(member(pr, 'tcpSocket'), 'port');
      if (hp !== undefined) {
        const field = `${p}.${probe}.${httpGet ? 'httpGet' : 'tcpSocket'}.port`;
        if (typeof hp === 'number') for (const m of isValidPortNum(hp)) errs.push(fe.invalid(field, go.int(hp), m));
        else for (const m of isValidPortName(String(hp))) errs.push(fe.invalid(field, go.str(String(hp)), m));
      }
      validateProbeTiming(pr, `${p}.${probe}`, probe, errs);
    }
  });
}

/** apimachinery pkg/api/validation IsNegativeErrorMsg. */
const IS_NEGATIVE = 'must be greater than or equal to 0';

/**
 * The rest of pkg/apis/core/validation validateProbe (after validateHandler) and what
 * validateLivenessProbe / validateReadinessProbe / validateStartupProbe add (v1.34):
 *
 *   ValidateNonnegativeField(int64(probe.InitialDelaySeconds), fldPath.Child("initialDelaySeconds"))
 *   … TimeoutSeconds, PeriodSeconds, SuccessThreshold, FailureThreshold, in that order
 *   TerminationGracePeriodSeconds != nil && <= 0: Invalid …, "must be greater than 0"
 *   liveness, startup: SuccessThreshold != 1: Invalid …, "must be 1"
 *   readiness: TerminationGracePeriodSeconds != nil: Invalid …, "must not be set for readinessProbes"
 *
 * Runs after defaulting (zeros are already 1, 10, 1, 3) and decoding (every value here is
 * an integer or absent), as on the API server.
 */
function validateProbeTiming(pr: unknown, path: string, probe: string, errs: FieldError[]): void {
  const int = (f: string): number | undefined => {
    const v = member(pr, f);
    return typeof v === 'number' ? v : undefined;
  };
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    const v = int(f);
    if (v !== undefined && v < 0) errs.push(fe.invalid(`${path}.${f}`, go.int(v), IS_NEGATIVE));
  }
  const grace = int('terminationGracePeriodSeconds');
  if (grace !== undefined && grace <= 0) errs.push(fe.invalid(`${path}.terminationGracePeriodSeconds`, go.int(grace), 'must be greater than 0'));
  if (probe === 'readinessProbe') {
    if (grace !== undefined) errs.push(fe.invalid(`${path}.terminationGracePeriodSeconds`, go.int(grace), 'must not be set for readinessProbes'));
  } else {
    const success = int('successThreshold');
    if (success !== undefined && success !== 1) errs.push(fe.invalid(`${path}.successThreshold`, go.int(success), 'must be 1'));
  }
}

export function validatePodSpec(spec: unknown, path: string, errs: FieldError[]): void {
  if (!isObjectLike(spec)) {
    errs.push(fe.required(`${path}.containers`, ''));
    return;
  }
  validateContainers(spec.containers, `${path}.containers`, errs, !!spec.hostNetwork);
  if (spec.initContainers !== undefined) {
    if (isArray(spec.initContainers) && spec.initContainers.length > 0) validateContainers(spec.initContainers, `${path}.initContainers`, errs, !!spec.hostNetwork);
  }
  const rp = spec.restartPolicy;
  if (rp === '') errs.push(fe.required(`${path}.restartPolicy`, ''));
  else if (!oneOf(rp, RESTART_POLICIES)) errs.push(fe.notSupported(`${path}.restartPolicy`, go.str(String(rp)), RESTART_POLICIES));
  const dp = spec.dnsPolicy;
  if (!oneOf(dp, DNS_POLICIES)) {
    errs.push(fe.notSupported(`${path}.dnsPolicy`, go.str(String(dp)), DNS_POLICIES));
  }
  const dc = spec.dnsConfig;
  if (dp === 'None') {
    if (!dc) errs.push(fe.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
    else {
      const nameservers = member(dc, 'nameservers');
      if (!isArray(nameservers) || nameservers.length === 0) {
        errs.push(fe.required(`${path}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
      }
    }
  }
  if (isObjectLike(dc)) {
    const ns = items(dc.nameservers).map(String);
    if (ns.length > 3) errs.push(fe.invalid(`${path}.dnsConfig.nameservers`, go.strings(ns), 'must not have more than 3 nameservers'));
    ns.forEach((n, i) => {
      if (!isIP(n)) errs.push(fe.invalid(`${path}.dnsConfig.nameservers[${i}]`, go.str(n), 'must be valid IP address'));
    });
    const searches = items(dc.searches).map(String);
    if (searches.length > 32) errs.push(fe.invalid(`${path}.dnsConfig.searches`, go.strings(searches), 'must not have more than 32 search paths'));
    searches.forEach((s, i) => {
      for (const m of isDNS1123Subdomain(s.replace(/\.$/, ''))) errs.push(fe.invalid(`${path}.dnsConfig.searches[${i}]`, go.str(s), m));
    });
    items(dc.options).forEach((o, i) => {
      if (!member(o, 'name')) errs.push(fe.required(`${path}.dnsConfig.options[${i}]`, 'Option.Name must not be empty'));
    });
  }
  if (spec.nodeSelector !== undefined) errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  // ValidatePodSpec: activeDeadlineSeconds within validation.InclusiveRangeError(1, math.MaxInt32)
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number' && (deadline < 1 || deadline > 2147483647)) {
    errs.push(fe.invalid(`${path}.activeDeadlineSeconds`, go.int(deadline), 'must be between 1 and 2147483647, inclusive'));
  }
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    // allowed (treated as 1) since 1.27; nothing to report
  }
}

/** ValidatePodCreate, and ValidatePodUpdate (only a few fields may change on a Pod). */
export function validatePod(obj: UncheckedObject, old: UncheckedObject | undefined, errs: FieldError[]): void {
  if (old) {
    // ValidatePodUpdate: only images, activeDeadlineSeconds, tolerations (additions) and
    // terminationGracePeriodSeconds may change
    const strip = (s: unknown) => {
      const c = structuredClone(s ?? {});
      if (isObjectLike(c)) {
        for (const ct of [...items(c.containers), ...items(c.initContainers)]) if (isObjectLike(ct)) delete ct.image;
        delete c.activeDeadlineSeconds;
        delete c.tolerations;
        delete c.terminationGracePeriodSeconds;
        if (!member(old.spec, 'nodeName')) delete c.nodeName;
      }
      return canonicalJson(c);
    };
    if (strip(obj.spec) !== strip(old.spec)) {
      errs.push(fe.forbidden('spec', 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'));
    }
    return;
  }
  validatePodSpec(obj.spec, 'spec', errs);
  // validateContainerOnlyForPod: a Pod's images (not a template's) carry no surrounding whitespace
  for (const list of ['containers', 'initContainers']) {
    items(member(obj.spec, list)).forEach((c, i) => {
      const image = member(c, 'image');
      if (typeof image === 'string' && image.trim() !== image) errs.push(fe.invalid(`spec.${list}[${i}].image`, go.str(image), 'must not have leading or trailing whitespace'));
    });
  }
}
