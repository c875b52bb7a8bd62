/**
 * Object metadata, labels and label selectors: each kind's name rule, label keys and values,
 * annotations' shape, selector requirements. Follows apimachinery pkg/api/validation
 * (ValidateObjectMeta) and pkg/apis/meta/v1/validation (ValidateLabels, ValidateLabelSelector).
 */
import { isArray, isObject, member, type ObjectHeader } from '../types';
import { fe, go, type FieldError, type GoValue } from '../fielderrors';
import { goLoose, items } from './common';
import { validatePathSegmentName } from './rbac';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './names';

export function validateLabels(labels: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (labels === undefined || labels === null) return errs;
  if (!isObject(labels)) return [fe.invalid(field, go.any(labels), 'must be a map of string keys to string values')];
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) errs.push(fe.invalid(field, go.str(k), m));
    for (const m of isValidLabelValue(String(v ?? ''))) errs.push(fe.invalid(field, go.str(String(v ?? '')), m));
  }
  return errs;
}

/** ValidateLabelSelector on a manifest's selector: each requirement's operator, values and key, then matchLabels. */
export function validateLabelSelector(sel: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!sel) return errs;
  items(member(sel, 'matchExpressions')).forEach((r, i) => {
    const p = `${field}.matchExpressions[${i}]`;
    const operator = member(r, 'operator');
    const values = member(r, 'values');
    const count = member(values, 'length');
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (!values || count === 0) errs.push(fe.required(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values && Number(count) > 0) errs.push(fe.forbidden(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
        break;
      default:
        errs.push(fe.invalid(`${p}.operator`, go.str(String(operator)), 'not a valid selector operator'));
    }
    const key = String(member(r, 'key') ?? '');
    for (const m of isQualifiedName(key)) errs.push(fe.invalid(`${p}.key`, go.str(key), m));
  });
  errs.push(...validateLabels(member(sel, 'matchLabels'), `${field}.matchLabels`));
  return errs;
}

/**
 * A label map as labels.ts and go.stringMap take it: the manifest's keys, each value as
 * String() prints it (label values are strings; validateLabels reports those that are not).
 */
export function stringMapOf(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  return Object.fromEntries(Object.keys(v).map((k) => [k, String(member(v, k))]));
}

/** How many terms a manifest's selector has: matchLabels' keys and matchExpressions' requirements. */
export function selectorTerms(sel: unknown): number {
  return Object.keys(member(sel, 'matchLabels') ?? {}).length + items(member(sel, 'matchExpressions')).length;
}

/**
 * goLabelSelector (fielderrors.ts) for a manifest's selector: a key, operator or value
 * that is not a string prints as JSON (a number bare), as these messages always have.
 */
export function goSelector(sel: unknown): GoValue {
  const matchLabels = member(sel, 'matchLabels');
  const matchExpressions = member(sel, 'matchExpressions');
  const ml = matchLabels ? go.stringMap(stringMapOf(matchLabels)).text : 'map[string]string(nil)';
  const me = matchExpressions
    ? `[]v1.LabelSelectorRequirement{${items(matchExpressions)
        .map((r) => {
          const values = member(r, 'values');
          const vs = values === undefined || values === null ? go.strings(null) : goLoose.strings(isArray(values) ? values : [values]);
          return `v1.LabelSelectorRequirement{Key:${goLoose.str(member(r, 'key')).text}, Operator:${goLoose.str(member(r, 'operator')).text}, Values:${vs.text}}`;
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return go.raw(`v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`);
}

type NameCheck = (v: string) => string[];

const NAME_CHECK: Record<string, NameCheck> = {
  Namespace: isDNS1123Label,
  Service: isDNS1035Label,
  // minimalNameRequirements (pkg/apis/rbac/validation): `system:node-proxier` is a valid name
  Role: validatePathSegmentName,
  ClusterRole: validatePathSegmentName,
  RoleBinding: validatePathSegmentName,
  ClusterRoleBinding: validatePathSegmentName,
};

/** ValidateObjectMeta: the name (checked per kind), labels and annotations. */
export function validateObjectMeta(obj: ObjectHeader, errs: FieldError[]): void {
  const m = obj.metadata;
  if (!m.name) {
    errs.push(fe.required('metadata.name', 'name or generateName is required'));
  } else {
    const check = NAME_CHECK[obj.kind] ?? isDNS1123Subdomain;
    for (const msg of check(m.name)) errs.push(fe.invalid('metadata.name', go.str(m.name), msg));
  }
  errs.push(...validateLabels(m.labels, 'metadata.labels'));
  const annotations: unknown = m.annotations;
  if (annotations !== undefined && (typeof annotations !== 'object' || isArray(annotations))) {
    errs.push(fe.invalid('metadata.annotations', go.any(annotations), 'must be a map of string keys to string values'));
  } else if (isObject(annotations)) {
    // ValidateAnnotations: keys and values together at most TotalAnnotationSizeLimitB
    let total = 0;
    for (const [k, v] of Object.entries(annotations)) total += utf8Length(k) + utf8Length(String(v ?? ''));
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(fe.tooLong('metadata.annotations', TOTAL_ANNOTATION_SIZE_LIMIT_B));
  }
}

/** apimachinery pkg/api/validation/objectmeta.go TotalAnnotationSizeLimitB: 256 kB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

/** Go's len() of a string: its UTF-8 bytes. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
