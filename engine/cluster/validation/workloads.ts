/**
 * Deployments, ReplicaSets, StatefulSets and DaemonSets: replicas, the immutable selector,
 * the pod template, update strategies. Follows pkg/apis/apps/validation (ValidateDeploymentSpec,
 * ValidateStatefulSetSpec/Update, …) and core's ValidatePodTemplateSpecForReplicaSet.
 */
import { member } from '../types';
import { fe, go, type FieldError } from '../fielderrors';
import { fieldsOf, isObjectLike, oneOf, type JsonObject, type UncheckedObject } from './common';
import { matchesSelector } from '../labels';
import { goSelector, selectorTerms, stringMapOf, validateLabelSelector, validateLabels } from './meta';
import { validatePodSpec } from './pod';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

/**
 * ValidatePodTemplateSpecForReplicaSet: the template's labels match the selector, its pod
 * spec is valid, it restarts Always and has no activeDeadlineSeconds (every workload kind).
 */
export function validatePodTemplateSpecForReplicaSet(spec: JsonObject, errs: FieldError[], kind: string, requireAlways = true): void {
  const t = spec.template;
  if (!isObjectLike(t)) {
    errs.push(fe.required('spec.template', ''));
    return;
  }
  const sel = spec.selector;
  const labels = member(t.metadata, 'labels');
  if (sel && selectorTerms(sel) > 0 && !matchesSelector(sel, labels)) {
    errs.push(fe.invalid('spec.template.metadata.labels', go.stringMap(stringMapOf(labels) ?? null), '`selector` does not match template `labels`'));
  }
  errs.push(...validateLabels(labels, 'spec.template.metadata.labels'));
  validatePodSpec(t.spec, 'spec.template.spec', errs);
  const restartPolicy = member(t.spec, 'restartPolicy');
  if (requireAlways && t.spec && restartPolicy !== 'Always' && oneOf(restartPolicy, RESTART_POLICIES)) {
    errs.push(fe.notSupported('spec.template.spec.restartPolicy', go.str(String(restartPolicy)), ['Always']));
  }
  if (member(t.spec, 'activeDeadlineSeconds') !== undefined) {
    errs.push(fe.forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind} is not Supported`));
  }
}

/** Deployments, ReplicaSets, StatefulSets and DaemonSets: replicas, selector, template, strategy. */
export function validateWorkload(obj: UncheckedObject, old: UncheckedObject | undefined, errs: FieldError[]): void {
  const raw = obj.spec ?? {};
  const spec = fieldsOf(raw);
  if (obj.kind !== 'DaemonSet') {
    const r = spec.replicas;
    if (typeof r !== 'number' || !Number.isInteger(r)) errs.push(fe.invalid('spec.replicas', go.any(r), 'must be an integer'));
    else if (r < 0) errs.push(fe.invalid('spec.replicas', go.int(r), 'must be greater than or equal to 0'));
  }
  if (!spec.selector) errs.push(fe.required('spec.selector', ''));
  else {
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (selectorTerms(spec.selector) === 0) {
      errs.push(fe.invalid('spec.selector', goSelector(spec.selector), `empty selector is invalid for ${obj.kind === 'Deployment' ? 'deployment' : obj.kind === 'DaemonSet' ? 'daemonset' : obj.kind === 'StatefulSet' ? 'statefulset' : 'replicaset'}`));
    }
    if (old && JSON.stringify(member(old.spec, 'selector')) !== JSON.stringify(spec.selector)) {
      errs.push(fe.invalid('spec.selector', goSelector(spec.selector), 'field is immutable'));
    }
  }
  validatePodTemplateSpecForReplicaSet(spec, errs, obj.kind);
  if (obj.kind === 'Deployment') {
    const st = fieldsOf(spec.strategy);
    if (!oneOf(st.type, ['Recreate', 'RollingUpdate'])) errs.push(fe.notSupported('spec.strategy.type', go.str(String(st.type)), ['Recreate', 'RollingUpdate']));
    if (st.type === 'Recreate' && st.rollingUpdate) errs.push(fe.forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\''));
    if (st.type === 'RollingUpdate' && st.rollingUpdate) {
      const ms = member(st.rollingUpdate, 'maxSurge');
      const mu = member(st.rollingUpdate, 'maxUnavailable');
      const isZero = (v: unknown) => v === 0 || v === '0%' || v === '0';
      if (isZero(ms) && isZero(mu)) errs.push(fe.invalid('spec.strategy.rollingUpdate.maxUnavailable', go.any(mu), 'may not be 0 when `maxSurge` is 0'));
    }
  }
  // ValidateNonnegativeField on the counts each spec has (decoding has made them integers):
  // minReadySeconds, revisionHistoryLimit, StatefulSet partitions; a Deployment's progress
  // deadline must also outlast minReadySeconds (apps/validation ValidateDeploymentSpec)
  const int = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  const nonNegative = (field: string, v: number | undefined) => {
    if (v !== undefined && v < 0) errs.push(fe.invalid(field, go.int(v), 'must be greater than or equal to 0'));
  };
  const minReady = int(spec.minReadySeconds);
  nonNegative('spec.minReadySeconds', minReady);
  if (obj.kind !== 'ReplicaSet') nonNegative('spec.revisionHistoryLimit', int(spec.revisionHistoryLimit));
  if (obj.kind === 'Deployment') {
    const deadline = int(spec.progressDeadlineSeconds);
    nonNegative('spec.progressDeadlineSeconds', deadline);
    if (deadline !== undefined && deadline <= (minReady ?? 0)) errs.push(fe.invalid('spec.progressDeadlineSeconds', go.int(deadline), 'must be greater than minReadySeconds'));
  }
  if (obj.kind === 'StatefulSet') nonNegative('spec.updateStrategy.rollingUpdate.partition', int(member(member(spec.updateStrategy, 'rollingUpdate'), 'partition')));
  if (obj.kind === 'StatefulSet') {
    if (old) {
      const strip = (s: object) => JSON.stringify({ ...s, replicas: 0, template: 0, updateStrategy: 0, minReadySeconds: 0, persistentVolumeClaimRetentionPolicy: 0, ordinals: 0 });
      if (strip(raw) !== strip(old.spec ?? {})) {
        errs.push(fe.forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
      }
    }
    if (!oneOf(spec.podManagementPolicy, ['OrderedReady', 'Parallel'])) {
      errs.push(fe.notSupported('spec.podManagementPolicy', go.str(String(spec.podManagementPolicy)), ['OrderedReady', 'Parallel']));
    }
  }
}
