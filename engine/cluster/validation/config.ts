/**
 * ConfigMaps and Secrets: data, binaryData and stringData are maps whose keys are valid
 * config keys, and a kubernetes.io/tls Secret carries tls.crt and tls.key. Follows
 * pkg/apis/core/validation (ValidateConfigMap, ValidateSecret, IsConfigMapKey).
 */
import { fe, go, type FieldError } from '../fielderrors';
import { isArray } from '../types';
import type { JsonObject, UncheckedObject } from './common';
import { regexError } from './names';
import { utf8Length } from './meta';

/** pkg/apis/core/types.go MaxSecretSize: 1 MiB, the most a ConfigMap's or a Secret's data may hold. */
export const MAX_SECRET_SIZE = 1024 * 1024;

/** How many bytes a base64 value decodes to ([]byte fields travel as base64 in JSON). */
function base64Length(v: string): number {
  const s = v.replace(/=+$/, '');
  return Math.floor((s.length * 3) / 4);
}

/** ValidateConfigMap / ValidateSecret: key names, the maps' shape, a TLS Secret's two keys. */
export function validateConfigData(obj: UncheckedObject, errs: FieldError[]): void {
  const keyRe = /^[-._a-zA-Z0-9]+$/;
  for (const field of ['data', 'binaryData', 'stringData']) {
    const d = obj[field];
    if (d === undefined || d === null) continue;
    if (typeof d !== 'object' || isArray(d)) {
      errs.push(fe.invalid(field, go.any(d), 'must be a map of string keys to string values'));
      continue;
    }
    for (const k of Object.keys(d)) {
      if (k.length > 253) errs.push(fe.invalid(field, go.str(k), 'must be no more than 253 characters'));
      if (!keyRe.test(k)) errs.push(fe.invalid(field, go.str(k), regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", '[-._a-zA-Z0-9]+', 'key.name', 'KEY_NAME', 'key-name')));
    }
  }
  // ValidateConfigMap sums data and binaryData and reports on the root path (printed `[]`);
  // ValidateSecret sums data (stringData already merged into it by conversion) on `data`
  let total = 0;
  const sum = (field: string, bytes: (v: string) => number) => {
    const d = obj[field];
    if (d && typeof d === 'object' && !isArray(d)) for (const v of Object.values(d)) total += bytes(String(v ?? ''));
  };
  if (obj.kind === 'ConfigMap') {
    sum('data', utf8Length);
    sum('binaryData', base64Length);
    if (total > MAX_SECRET_SIZE) errs.push(fe.tooLong('[]', MAX_SECRET_SIZE));
  } else {
    sum('data', base64Length);
    sum('stringData', utf8Length);
    if (total > MAX_SECRET_SIZE) errs.push(fe.tooLong('data', MAX_SECRET_SIZE));
  }
  if (obj.kind === 'Secret' && obj.type === 'kubernetes.io/tls') {
    const d: JsonObject = { ...(obj.data ?? {}), ...(obj.stringData ?? {}) };
    if (d['tls.crt'] === undefined) errs.push(fe.required('data[tls.crt]', ''));
    if (d['tls.key'] === undefined) errs.push(fe.required('data[tls.key]', ''));
  }
}
