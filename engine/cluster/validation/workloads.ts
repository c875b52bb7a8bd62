/**
 * Deployments, ReplicaSets, StatefulSets and DaemonSets: replicas, the immutable selector,
 * the pod template, update strategies. Follows pkg/apis/apps/validation (ValidateDeploymentSpec,
 * ValidateStatefulSetSpec/Update, …) and core's ValidatePodTemplateSpecForReplicaSet.
 */
import type { KubeObject } from '../types';
import { fe, go, goLabelSelector, type FieldError } from '../fielderrors';
import { matchesSelector, type LabelSelector } from '../labels';
import type { Obj } from './common';
import { validateLabelSelector, validateLabels } from './meta';
import { validatePodSpec } from './pod';

/**
 * ValidatePodTemplateSpecForReplicaSet: the template's labels match the selector, its pod
 * spec is valid, it restarts Always and has no activeDeadlineSeconds (every workload kind).
 */
export function validatePodTemplateSpecForReplicaSet(spec: Obj, errs: FieldError[], kind: string, requireAlways = true): void {
  const t = spec.template;
  if (!t || typeof t !== 'object') {
    errs.push(fe.required('spec.template', ''));
    return;
  }
  const sel = spec.selector as LabelSelector | undefined;
  const labels = t.metadata?.labels as Record<string, string> | undefined;
  if (sel && (Object.keys(sel.matchLabels ?? {}).length || (sel.matchExpressions ?? []).length) && !matchesSelector(sel, labels ?? {})) {
    errs.push(fe.invalid('spec.template.metadata.labels', go.stringMap(labels ?? null), '`selector` does not match template `labels`'));
  }
  errs.push(...validateLabels(labels, 'spec.template.metadata.labels'));
  validatePodSpec(t.spec, 'spec.template.spec', errs);
  if (requireAlways && t.spec && t.spec.restartPolicy !== 'Always' && ['Always', 'OnFailure', 'Never'].includes(t.spec.restartPolicy)) {
    errs.push(fe.notSupported('spec.template.spec.restartPolicy', go.str(String(t.spec.restartPolicy)), ['Always']));
  }
  if (t.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(fe.forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind} is not Supported`));
  }
}

/** Deployments, ReplicaSets, StatefulSets and DaemonSets: replicas, selector, template, strategy. */
export function validateWorkload(obj: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  const spec = (obj.spec ?? {}) as Obj;
  if (obj.kind !== 'DaemonSet') {
    const r = spec.replicas;
    if (typeof r !== 'number' || !Number.isInteger(r)) errs.push(fe.invalid('spec.replicas', go.any(r), 'must be an integer'));
    else if (r < 0) errs.push(fe.invalid('spec.replicas', go.int(r), 'must be greater than or equal to 0'));
  }
  const sel = spec.selector as LabelSelector | undefined;
  if (!sel) errs.push(fe.required('spec.selector', ''));
  else {
    errs.push(...validateLabelSelector(sel, 'spec.selector'));
    if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
      errs.push(fe.invalid('spec.selector', goLabelSelector(sel), `empty selector is invalid for ${obj.kind === 'Deployment' ? 'deployment' : obj.kind === 'DaemonSet' ? 'daemonset' : obj.kind === 'StatefulSet' ? 'statefulset' : 'replicaset'}`));
    }
    if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(sel)) {
      errs.push(fe.invalid('spec.selector', goLabelSelector(sel), 'field is immutable'));
    }
  }
  validatePodTemplateSpecForReplicaSet(spec, errs, obj.kind);
  if (obj.kind === 'Deployment') {
    const st = spec.strategy ?? {};
    if (!['Recreate', 'RollingUpdate'].includes(st.type)) errs.push(fe.notSupported('spec.strategy.type', go.str(String(st.type)), ['Recreate', 'RollingUpdate']));
    if (st.type === 'Recreate' && st.rollingUpdate) errs.push(fe.forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\''));
    if (st.type === 'RollingUpdate' && st.rollingUpdate) {
      const ms = st.rollingUpdate.maxSurge;
      const mu = st.rollingUpdate.maxUnavailable;
      const isZero = (v: unknown) => v === 0 || v === '0%' || v === '0';
      if (isZero(ms) && isZero(mu)) errs.push(fe.invalid('spec.strategy.rollingUpdate.maxUnavailable', go.any(mu), 'may not be 0 when `maxSurge` is 0'));
    }
  }
  if (obj.kind === 'StatefulSet') {
    if (old) {
      const strip = (s: Obj) => JSON.stringify({ ...s, replicas: 0, template: 0, updateStrategy: 0, minReadySeconds: 0, persistentVolumeClaimRetentionPolicy: 0, ordinals: 0 });
      if (strip(spec) !== strip(old.spec ?? {})) {
        errs.push(fe.forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
      }
    }
    if (!['OrderedReady', 'Parallel'].includes(spec.podManagementPolicy)) {
      errs.push(fe.notSupported('spec.podManagementPolicy', go.str(String(spec.podManagementPolicy)), ['OrderedReady', 'Parallel']));
    }
  }
}
