/**
 * Field errors as apimachinery's pkg/util/validation/field reports them, and the Go
 * value formatting (`%#v`) the messages embed: `Invalid value: []string{"10.0.0.5"}`,
 * `map[string]string{"app":"web"}`, a bare `80` for integers, `"Web_1"` for strings.
 */

/** metav1.CauseType values, as they appear in Status.details.causes[].reason. */
export type CauseType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const TYPE_TEXT: Record<CauseType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** A Go value already rendered the way `%#v` / `%q` / `%v` would print it. */
export class GoValue {
  constructor(readonly text: string) {}
}

export interface FieldError {
  type: CauseType;
  field: string;
  /** Absent for Required/Forbidden/TooLong/Internal, which print no value. */
  value?: GoValue;
  detail: string;
}

/** field.Error.ErrorBody(): what follows `field: ` in a message, and a cause's message. */
export function errorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  if (!['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError'].includes(e.type)) {
    s += ': ' + (e.value ? e.value.text : 'null');
  }
  if (e.detail) s += ': ' + e.detail;
  return s;
}

/** field.Error.Error(): `spec.ports[0].nodePort: Invalid value: 80: provided port …`. */
export function errorText(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** utilerrors.NewAggregate(errs).Error(): one message, or `[a, b]` with duplicates dropped. */
export function aggregate(errs: FieldError[]): string {
  const seen: string[] = [];
  for (const e of errs) {
    const t = errorText(e);
    if (!seen.includes(t)) seen.push(t);
  }
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}

// ---- Go formatting ----------------------------------------------------------------

const GO_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
// strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's %q for a string (strconv.Quote): \a…\v named, other control bytes \xNN, other unprintable runes \uNNNN or \UNNNNNNNN. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const named = GO_ESCAPES[ch];
    if (named) {
      out += named;
      continue;
    }
    const c = ch.codePointAt(0)!;
    if ((c >= 0x20 && c < 0x7f) || (c > 0x7f && PRINTABLE.test(ch))) out += ch;
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c < 0x10000) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + '"';
}

export const go = {
  str: (s: string) => new GoValue(goQuote(s)),
  int: (n: number) => new GoValue(String(n)),
  bool: (b: boolean) => new GoValue(String(b)),
  strings: (a: string[] | undefined | null) => new GoValue(a == null ? '[]string(nil)' : `[]string{${a.map(goQuote).join(', ')}}`),
  stringMap: (m: Record<string, string> | undefined | null) =>
    new GoValue(m == null ? 'map[string]string(nil)' : `map[string]string{${Object.keys(m).sort().map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`).join(', ')}}`),
  raw: (text: string) => new GoValue(text),
  /** A value whose Go type we do not model precisely: strings quoted, numbers bare. */
  any: (v: unknown) => {
    if (typeof v === 'string') return new GoValue(goQuote(v));
    if (typeof v === 'number' || typeof v === 'boolean') return new GoValue(String(v));
    if (v === null || v === undefined) return new GoValue('null');
    return new GoValue(JSON.stringify(v));
  },
};

/** metav1.LabelSelector as %#v prints it (used by "field is immutable" on selectors). */
export function goLabelSelector(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): GoValue {
  if (!sel) return go.raw('null');
  const ml = sel.matchLabels ? go.stringMap(sel.matchLabels).text : 'map[string]string(nil)';
  const me = sel.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions
        .map((r) => `v1.LabelSelectorRequirement{Key:${goQuote(r.key)}, Operator:${goQuote(r.operator)}, Values:${go.strings(r.values ?? null).text}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return go.raw(`v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`);
}

// ---- constructors (field.Invalid, field.Required, …) --------------------------------

export const fe = {
  invalid: (field: string, value: GoValue, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail }),
  required: (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail }),
  duplicate: (field: string, value: GoValue): FieldError => ({ type: 'FieldValueDuplicate', field, value, detail: '' }),
  notSupported: (field: string, value: GoValue, supported: string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field,
    value,
    detail: supported.length ? 'supported values: ' + supported.map(goQuote).join(', ') : '',
  }),
  /** field.TooLong (apimachinery v0.34): no value shown, `may not be more than N bytes`. */
  tooLong: (field: string, max: number): FieldError => ({ type: 'FieldValueTooLong', field, detail: `may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}` }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({ type: 'FieldValueTooMany', field, value: go.int(actual), detail: `must have at most ${max} items` }),
};
