/**
 * ConfigMaps and Secrets: data, binaryData and stringData are maps whose keys are valid
 * config keys, and a kubernetes.io/tls Secret carries tls.crt and tls.key. Follows
 * pkg/apis/core/validation (ValidateConfigMap, ValidateSecret, IsConfigMapKey).
 */
import { fe, go, type FieldError } from '../fielderrors';
import { isArray } from '../types';
import type { JsonObject, UncheckedObject } from './common';
import { regexError } from './names';

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
  if (obj.kind === 'Secret' && obj.type === 'kubernetes.io/tls') {
    const d: JsonObject = { ...(obj.data ?? {}), ...(obj.stringData ?? {}) };
    if (d['tls.crt'] === undefined) errs.push(fe.required('data[tls.crt]', ''));
    if (d['tls.key'] === undefined) errs.push(fe.required('data[tls.key]', ''));
  }
}
