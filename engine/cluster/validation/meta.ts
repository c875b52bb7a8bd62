/**
 * Object metadata, labels and label selectors: each kind's name rule, label keys and values,
 * annotations' shape, selector requirements. Follows apimachinery pkg/api/validation
 * (ValidateObjectMeta) and pkg/apis/meta/v1/validation (ValidateLabels, ValidateLabelSelector).
 */
import type { KubeObject } from '../types';
import { fe, go, type FieldError } from '../fielderrors';
import type { LabelSelector } from '../labels';
import type { Obj } from './common';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './names';

export function validateLabels(labels: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (labels === undefined || labels === null) return errs;
  if (typeof labels !== 'object' || Array.isArray(labels)) return [fe.invalid(field, go.any(labels), 'must be a map of string keys to string values')];
  for (const [k, v] of Object.entries(labels as Obj)) {
    for (const m of isQualifiedName(k)) errs.push(fe.invalid(field, go.str(k), m));
    for (const m of isValidLabelValue(String(v ?? ''))) errs.push(fe.invalid(field, go.str(String(v ?? '')), m));
  }
  return errs;
}

export function validateLabelSelector(sel: LabelSelector | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!sel) return errs;
  (sel.matchExpressions ?? []).forEach((r, i) => {
    const p = `${field}.matchExpressions[${i}]`;
    switch (r.operator) {
      case 'In':
      case 'NotIn':
        if (!r.values || r.values.length === 0) errs.push(fe.required(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (r.values && r.values.length > 0) errs.push(fe.forbidden(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
        break;
      default:
        errs.push(fe.invalid(`${p}.operator`, go.str(String(r.operator)), 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(String(r.key ?? ''))) errs.push(fe.invalid(`${p}.key`, go.str(String(r.key ?? '')), m));
  });
  errs.push(...validateLabels(sel.matchLabels, `${field}.matchLabels`));
  return errs;
}

type NameCheck = (v: string) => string[];

const NAME_CHECK: Record<string, NameCheck> = {
  Namespace: isDNS1123Label,
  Service: isDNS1035Label,
};

/** ValidateObjectMeta: the name (checked per kind), labels and annotations. */
export function validateObjectMeta(obj: KubeObject, errs: FieldError[]): void {
  const m = obj.metadata;
  if (!m.name) {
    errs.push(fe.required('metadata.name', 'name or generateName is required'));
  } else {
    const check = NAME_CHECK[obj.kind] ?? isDNS1123Subdomain;
    for (const msg of check(m.name)) errs.push(fe.invalid('metadata.name', go.str(m.name), msg));
  }
  errs.push(...validateLabels(m.labels, 'metadata.labels'));
  if (m.annotations !== undefined && (typeof m.annotations !== 'object' || Array.isArray(m.annotations))) {
    errs.push(fe.invalid('metadata.annotations', go.any(m.annotations), 'must be a map of string keys to string values'));
  }
}
