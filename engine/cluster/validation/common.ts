/**
 * Small pieces the defaulters and the per-kind rules share: the types of a decoded manifest
 * and the guards that narrow its fields, integer decoding, the supported protocols
 * (core.Protocol), service.ExternallyAccessible (pkg/api/service/util), and the Go
 * formatting of values whose type the manifest got wrong.
 */
import { go, type GoValue } from '../fielderrors';
import { isArray, type ObjectHeader } from '../types';

/** A decoded JSON object: its fields are whatever the learner wrote, each still to be checked. */
export type JsonObject = Record<string, unknown>;

/**
 * An object on its way into the store, as defaulting and validation take it: the header
 * (apiVersion, kind, metadata) is the API server's; spec, status and every other field are
 * the manifest's, unchecked. Every stored object (KubeObject) is one.
 */
export interface UncheckedObject extends ObjectHeader {
  [field: string]: unknown;
}

/**
 * `typeof v === 'object' && v !== null`: the guard the defaulters and validators put before
 * reading or writing a manifest's fields. Arrays pass it, as they always have (a container
 * written as a list is an object without a name or an image): their fields are read and
 * written by name like any object's.
 */
export function isObjectLike(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null;
}

/** A field read as an object: the value itself when it is one, else no fields (a string, number or boolean has none of a manifest's). */
export function fieldsOf(v: unknown): JsonObject {
  return isObjectLike(v) ? v : {};
}

/** `Array.isArray(v) ? v : []`: a list field's items, none when it is not a list. */
export function items(v: unknown): unknown[] {
  return isArray(v) ? v : [];
}

/** `list.includes(v)` for a value of unknown type: only a string can be one of them. */
export function oneOf(v: unknown, list: readonly string[]): boolean {
  return typeof v === 'string' && list.includes(v);
}

/** A number, or a string of digits (as JSON's int-or-string fields decode), else NaN. */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
}

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function externallyAccessible(type: unknown): boolean {
  return type === 'NodePort' || type === 'LoadBalancer';
}

/**
 * go.str, go.strings and go.int for a manifest value that may not have its field's type:
 * goQuote is JSON.stringify, so a string prints quoted and a number or boolean bare, and an
 * int prints with String() — what the messages have always shown for such values.
 */
export const goLoose = {
  str: (v: unknown): GoValue => go.raw(JSON.stringify(v)),
  strings: (a: readonly unknown[]): GoValue => go.raw(`[]string{${a.map((v) => JSON.stringify(v)).join(', ')}}`),
  int: (v: unknown): GoValue => go.raw(String(v)),
};
