/**
 * kubectl's -o yaml and -o json serialisation.
 *
 * -o json: k8s.io/cli-runtime/pkg/printers/json.go — json.MarshalIndent(obj, "", "    ")
 * of an unstructured object: Go's encoding/json sorts map keys and escapes <, >, & and
 * U+2028/U+2029.
 * -o yaml: k8s.io/cli-runtime/pkg/printers/yaml.go — sigs.k8s.io/yaml (JSON → go-yaml v2):
 * keys sorted with go-yaml's keyList.Less, sequences not indented under their key,
 * strings quoted only when a plain scalar would resolve to another type (then "double
 * quotes") or the emitter cannot write them plain (then 'single quotes'), multi-line
 * strings as literal blocks (`|`, `|-`, `|+`), plain scalars folded at column 80.
 */
import { isArray, isObject } from '../../cluster/types';

// ---- JSON ---------------------------------------------------------------------------------

const GO_ESCAPE = /[<>&\u2028\u2029]/;

function goJsonString(s: string): string {
  const j = JSON.stringify(s);
  if (!GO_ESCAPE.test(s)) return j;
  return j.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function goNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(v);
}

function writeGoJson(v: unknown, indent: string, level: number, out: string[], sorted = true): void {
  if (v === null || v === undefined) {
    out.push('null');
    return;
  }
  if (typeof v === 'string') {
    out.push(goJsonString(v));
    return;
  }
  if (typeof v === 'number') {
    out.push(goNumber(v));
    return;
  }
  if (typeof v === 'boolean') {
    out.push(v ? 'true' : 'false');
    return;
  }
  const pad = '\n' + indent.repeat(level + 1);
  const end = '\n' + indent.repeat(level);
  if (isArray(v)) {
    if (v.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      out.push(i === 0 ? pad : ',' + pad);
      writeGoJson(v[i], indent, level + 1, out, sorted);
    }
    out.push(end, ']');
    return;
  }
  // an object (a JSON value has nothing else left; anything else prints as an empty one)
  const o = isObject(v) ? v : {};
  const keys = Object.keys(o).filter((k) => o[k] !== undefined);
  if (sorted) keys.sort();
  if (keys.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{');
  for (let i = 0; i < keys.length; i++) {
    out.push(i === 0 ? pad : ',' + pad, goJsonString(keys[i]), ': ');
    writeGoJson(o[keys[i]], indent, level + 1, out, sorted);
  }
  out.push(end, '}');
}

/** json.MarshalIndent(v, "", indent) of a decoded JSON value. */
export function toGoJson(v: unknown, indent = '    ', level = 0): string {
  const out: string[] = [];
  writeGoJson(v, indent, level, out);
  return out.join('');
}

/** json.MarshalIndent of a typed Go value: its fields in the order given (a struct's), not sorted. */
export function toGoJsonOrdered(v: unknown, indent = '    '): string {
  const out: string[] = [];
  writeGoJson(v, indent, 0, out, false);
  return out.join('');
}

/** What `kubectl get -o json` prints for one object or a List. */
export function printJson(v: unknown): string {
  return toGoJson(v) + '\n';
}

// ---- YAML ---------------------------------------------------------------------------------

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

/** go-yaml v2 keyList.Less for string keys. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai].charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

function sortKeys(keys: string[]): string[] {
  return keys.sort((x, y) => (goYamlKeyLess(x, y) ? -1 : goYamlKeyLess(y, x) ? 1 : 0));
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const BOOLS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF']);

/** Would go-yaml's resolve() read this plain scalar as something other than a string? */
function resolvesNonString(s: string): boolean {
  if (NULLS.has(s) || BOOLS.has(s)) return true;
  if (['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN'].includes(s)) return true;
  const c = s[0];
  if (!(isDigit(c) || c === '-' || c === '+' || c === '.')) return false;
  const plain = s.replace(/_/g, '');
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(plain)) return true;
  if (/^[-+]?0[0-7]+$/.test(plain)) return true;
  if (/^[-+]?0x[0-9a-fA-F]+$/.test(plain)) return true;
  if (/^[-+]?0b[01]+$/.test(plain)) return true;
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return true;
  // base 60 floats (1:20) and timestamps
  if (/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/.test(s)) return true;
  if (/^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$/.test(s)) return true;
  return false;
}

/** yaml_emitter_analyze_scalar → can the emitter write it plain (block context), or single-quoted? */
function analyze(s: string): { plain: boolean; single: boolean; multiline: boolean } {
  if (s === '') return { plain: false, single: true, multiline: false };
  let blockIndicators = false;
  let special = false;
  let lineBreaks = false;
  let leadingSpace = false;
  let trailingSpace = false;
  let spaceBreak = false;
  let breakSpace = false;
  if (s.startsWith('---') || s.startsWith('...')) blockIndicators = true;
  const chars = [...s];
  let precededByWS = true;
  let prevSpace = false;
  let prevBreak = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const next = chars[i + 1];
    const followedByWS = next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ((ch === '?' || ch === ':' || ch === '-') && followedByWS) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWS) blockIndicators = true;
      if (ch === '#' && precededByWS) blockIndicators = true;
    }
    const code = ch.codePointAt(0)!;
    const printable = code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0x7e) || code === 0x85 || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) || code >= 0x10000;
    if (!printable || code === 0xfeff) special = true;
    if (ch === '\n' || ch === '\r') lineBreaks = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (ch === '\n' || ch === '\r') {
      if (i === 0) leadingSpace = true; // leading_break
      if (i === chars.length - 1) trailingSpace = true; // trailing_break
      if (prevSpace) spaceBreak = true;
      prevBreak = true;
      prevSpace = false;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWS = ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
  }
  let plain = true;
  let single = true;
  if (leadingSpace || trailingSpace) plain = false;
  if (spaceBreak || special) {
    plain = false;
    single = false;
  }
  if (lineBreaks) plain = false;
  if (blockIndicators) plain = false;
  if (breakSpace) single = false;
  return { plain, single, multiline: lineBreaks };
}

const BEST_WIDTH = 80;

function doubleQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).toUpperCase().padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** Writes a scalar that starts at `column` (after "key: "); continuation lines get `indent`. */
function wrapWords(text: string, column: number, indent: number): string {
  let out = '';
  let col = column;
  const chars = [...text];
  let prevSpace = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === ' ') {
      if (!prevSpace && col > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== ' ') {
        out += '\n' + ' '.repeat(indent);
        col = indent;
      } else {
        out += ch;
        col++;
      }
      prevSpace = true;
    } else {
      out += ch;
      col++;
      prevSpace = false;
    }
  }
  return out;
}

function scalar(v: unknown, column: number, indent: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goNumber(v);
  const s = String(v);
  if (s.includes('\n')) {
    return '\0LITERAL';
  }
  if (resolvesNonString(s)) return doubleQuote(s);
  const a = analyze(s);
  if (a.plain) return wrapWords(s, column, indent);
  if (a.single) return "'" + wrapWords(s.replace(/'/g, "''"), column + 1, indent) + "'";
  return doubleQuote(s);
}

function literal(s: string, indent: number): string {
  const chomp = !s.endsWith('\n') ? '-' : s.endsWith('\n\n') ? '+' : '';
  const indicator = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  const pad = ' '.repeat(indent);
  return `|${indicator}${chomp}\n` + body.split('\n').map((l) => (l === '' ? '' : pad + l)).join('\n') + '\n';
}

/** A JSON array or object: what YAML writes as a collection rather than a scalar. */
type Collection = unknown[] | Record<string, unknown>;

function isCollection(v: unknown): v is Collection {
  return isArray(v) || isObject(v);
}

function isEmptyCollection(v: unknown): boolean {
  if (isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).filter((k) => v[k] !== undefined).length === 0;
}

function emitValue(v: unknown, indent: number, column: number): string {
  // value after "key:" or "- "; returns text starting right after the separator, ending in \n
  if (isCollection(v)) {
    if (isEmptyCollection(v)) return ' ' + (isArray(v) ? '[]' : '{}') + '\n';
    return '\n' + emitNode(v, indent);
  }
  const s = scalar(v, column + 1, indent);
  if (s === '\0LITERAL') return ' ' + literal(String(v), indent);
  return ' ' + s + '\n';
}

function emitNode(v: Collection, indent: number): string {
  const pad = ' '.repeat(indent);
  if (isArray(v)) {
    let out = '';
    for (const item of v) {
      if (isCollection(item) && !isEmptyCollection(item)) {
        // "- " then the first line of the nested node inline
        const inner = emitNode(item, indent + 2);
        out += pad + '- ' + inner.slice(indent + 2);
      } else if (isCollection(item)) {
        out += pad + '- ' + (isArray(item) ? '[]' : '{}') + '\n';
      } else {
        const s = scalar(item, indent + 2, indent + 2);
        out += pad + '-' + (s === '\0LITERAL' ? ' ' + literal(String(item), indent + 2) : ' ' + s + '\n');
      }
    }
    return out;
  }
  let out = '';
  const keys = sortKeys(Object.keys(v).filter((k) => v[k] !== undefined));
  for (const k of keys) {
    const keyText = scalarKey(k);
    const val = v[k];
    if (isArray(val) && val.length > 0) {
      out += pad + keyText + ':\n' + emitNode(val, indent);
    } else {
      out += pad + keyText + ':' + emitValue(val, indent + 2, indent + keyText.length + 1);
    }
  }
  return out;
}

function scalarKey(k: string): string {
  if (resolvesNonString(k)) return doubleQuote(k);
  const a = analyze(k);
  if (a.plain) return k;
  if (a.single) return "'" + k.replace(/'/g, "''") + "'";
  return doubleQuote(k);
}

/** What `kubectl get -o yaml` prints for one object (or a List). */
export function printYaml(v: unknown): string {
  if (isCollection(v) && !isEmptyCollection(v)) return emitNode(v, 0);
  if (isEmptyCollection(v)) return (isArray(v) ? '[]' : '{}') + '\n';
  const s = scalar(v, 0, 0);
  return (s === '\0LITERAL' ? literal(String(v), 2) : s + '\n');
}
