/**
 * Lesson authors' patterns (tasks.yaml `history.pattern`, `field.matches`) are written in
 * JavaScript syntax, lookaheads included (`^iptables\b(?=.*-t\s*nat)(?=.*-L)`), and run
 * after every command over everything the learner typed. A JavaScript RegExp backtracks:
 * `^kubectl\b.*\bexec\b.*\bclient\b…` over one 7.6 KB command took seconds to minutes.
 *
 * Here the pattern is parsed into `ast.ts` nodes and run by re2js in linear time. RE2 has
 * no lookaheads, but re2js has linear lookbehinds, so a pattern with lookaheads is
 * reversed (`reverse` in ast.ts) and its reversal tested on the reversed subject.
 * Back-references, and lookaheads mixed with lookbehinds, have no linear form: such a
 * pattern is refused with a message (`npm run lessons:check` reports it).
 */
import { RE2JS } from 're2js';
import { hasNode, reverse, stripCaptures, toRE2, type AssertKind, type Node } from './ast';

export class PatternError extends Error {}

const JS_SPACE: [number, number][] = [[0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]];
const DIGIT: [number, number][] = [[0x30, 0x39]];

function classEscape(c: string): { neg: boolean; ranges: [number, number][]; classes: string[] } | null {
  switch (c) {
    case 'd':
    case 'D':
      return { neg: c === 'D', ranges: DIGIT, classes: [] };
    case 'w':
    case 'W':
      return { neg: c === 'W', ranges: [], classes: ['word'] };
    case 's':
    case 'S':
      return { neg: c === 'S', ranges: JS_SPACE, classes: [] };
  }
  return null;
}

const CONTROL: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13, '0': 0 };

class JsParser {
  private i = 0;
  private ngroups = 0;
  constructor(private readonly s: string) {}

  private peek(k = 0): string {
    return this.s[this.i + k] ?? '';
  }

  parse(): Node {
    const n = this.alt();
    if (this.i < this.s.length) throw new PatternError(`unexpected ${this.peek()}`);
    return n;
  }

  private alt(): Node {
    const items = [this.seq()];
    while (this.peek() === '|') {
      this.i++;
      items.push(this.seq());
    }
    return items.length === 1 ? items[0] : { t: 'alt', items };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0] : { t: 'cat', items };
  }

  private quantified(atom: Node): Node {
    for (;;) {
      const c = this.peek();
      let min: number, max: number;
      if (c === '*') [min, max] = [0, -1];
      else if (c === '+') [min, max] = [1, -1];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i));
        if (!m) return atom;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
        this.i += m[0].length - 1;
      } else return atom;
      this.i++;
      let lazy = false;
      if (this.peek() === '?') {
        lazy = true;
        this.i++;
      }
      atom = { t: 'rep', min, max, body: atom, lazy };
    }
  }

  private atom(): Node {
    const c = this.s[this.i++];
    switch (c) {
      case '^':
        return { t: 'assert', k: 'bot' };
      case '$':
        return { t: 'assert', k: 'eot' };
      case '.':
        return { t: 'any', nl: false };
      case '(': {
        let node: Node;
        if (this.s.startsWith('?:', this.i)) {
          this.i += 2;
          node = { t: 'group', n: 0, body: this.alt() };
        } else if (/^\?<?[=!]/.test(this.s.slice(this.i))) {
          const behind = this.peek(1) === '<';
          this.i += behind ? 2 : 1;
          const neg = this.s[this.i++] === '!';
          node = { t: 'look', behind, neg, body: this.alt() };
        } else {
          if (this.s.startsWith('?<', this.i)) this.i = this.s.indexOf('>', this.i) + 1;
          const n = ++this.ngroups;
          node = { t: 'group', n, body: this.alt() };
        }
        if (this.s[this.i++] !== ')') throw new PatternError('unterminated group');
        return node;
      }
      case '[':
        return this.bracket();
      case '\\':
        return this.escape(false) as Node;
      default: {
        const cp = this.s.codePointAt(this.i - 1)!;
        if (cp > 0xffff) this.i++;
        return { t: 'lit', cp };
      }
    }
  }

  /** After a backslash; inside a class `\b` is a backspace and assertions do not exist. */
  private escape(inClass: boolean): Node | { cls: NonNullable<ReturnType<typeof classEscape>> } {
    const e = this.s[this.i++];
    const cls = classEscape(e);
    if (cls) return inClass ? { cls } : { t: 'set', ...cls };
    if (!inClass && (e === 'b' || e === 'B')) return { t: 'assert', k: (e === 'b' ? 'wordb' : 'nwordb') as AssertKind };
    if (inClass && e === 'b') return { t: 'lit', cp: 8 };
    if (e in CONTROL && !(e === '0' && /\d/.test(this.peek()))) return { t: 'lit', cp: CONTROL[e] };
    if (e === 'x' && /^[0-9a-fA-F]{2}/.test(this.s.slice(this.i))) {
      this.i += 2;
      return { t: 'lit', cp: parseInt(this.s.slice(this.i - 2, this.i), 16) };
    }
    if (e === 'u' && /^[0-9a-fA-F]{4}/.test(this.s.slice(this.i))) {
      this.i += 4;
      return { t: 'lit', cp: parseInt(this.s.slice(this.i - 4, this.i), 16) };
    }
    if (e === 'c' && /^[A-Za-z]/.test(this.peek())) return { t: 'lit', cp: this.s.charCodeAt(this.i++) % 32 };
    if (!inClass && (/[1-9]/.test(e) || (e === 'k' && this.peek() === '<'))) {
      throw new PatternError('back-references need a backtracking matcher; rewrite the pattern without them');
    }
    this.i--;
    const cp = this.s.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return { t: 'lit', cp };
  }

  private bracket(): Node {
    let neg = false;
    if (this.peek() === '^') {
      neg = true;
      this.i++;
    }
    const ranges: [number, number][] = [];
    const classes: string[] = [];
    const single = (): number | null => {
      if (this.peek() === '\\') {
        this.i++;
        const e = this.escape(true);
        if ('cls' in e) {
          if (e.cls.neg) throw new PatternError('negated class escapes inside [...] are not supported');
          ranges.push(...e.cls.ranges);
          classes.push(...e.cls.classes);
          return null;
        }
        return (e as { cp: number }).cp;
      }
      const cp = this.s.codePointAt(this.i)!;
      this.i += cp > 0xffff ? 2 : 1;
      return cp;
    };
    while (this.i < this.s.length && this.peek() !== ']') {
      const a = single();
      if (a === null) continue;
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.i++;
        const b = single();
        if (b === null) {
          ranges.push([a, a], [0x2d, 0x2d]);
          continue;
        }
        ranges.push([a, b]);
      } else ranges.push([a, a]);
    }
    if (this.s[this.i++] !== ']') throw new PatternError('unterminated character class');
    return { t: 'set', neg, ranges, classes };
  }
}

/** A compiled lesson pattern: `test` runs in time linear in the subject. */
export interface LinearPattern {
  test(s: string): boolean;
}

const cache = new Map<string, LinearPattern>();

/** Compiles a JavaScript-syntax pattern; throws PatternError (with V8's own text for syntax errors). */
export function compileJsPattern(src: string): LinearPattern {
  const hit = cache.get(src);
  if (hit) return hit;
  try {
    // syntax only: V8 compiles lazily and never runs it here
    new RegExp(src);
  } catch (e) {
    throw new PatternError((e as Error).message);
  }
  const node = new JsParser(src).parse();
  const ahead = hasNode(node, (x) => x.t === 'look' && !x.behind);
  const behind = hasNode(node, (x) => x.t === 'look' && x.behind);
  if (ahead && behind) throw new PatternError('lookaheads and lookbehinds in one pattern have no linear-time form; use one kind');
  let p: LinearPattern;
  try {
    if (ahead) {
      const re = RE2JS.compile(toRE2(stripCaptures(reverse(node))), RE2JS.LOOKBEHINDS);
      p = { test: (s) => re.test(Array.from(s).reverse().join('')) };
    } else {
      const re = RE2JS.compile(toRE2(node), behind ? RE2JS.LOOKBEHINDS : 0);
      p = { test: (s) => re.test(s) };
    }
  } catch (e) {
    throw new PatternError((e as Error).message);
  }
  if (cache.size > 256) cache.clear();
  cache.set(src, p);
  return p;
}

/**
 * ingress-nginx's `location ~* "^PATH"` (use-regex, rewrite-target): the learner's Ingress
 * path, anchored and case-insensitive, matched in linear time with its capture groups
 * (`$1`…) for the rewrite. Returns null on no match, or when the pattern has no linear
 * form (nginx's PCRE would take it; the simulator refuses rather than backtrack).
 */
export function matchPrefixPattern(src: string, subject: string): string[] | null {
  let re: RE2JS;
  try {
    new RegExp(src);
    const node = new JsParser(src).parse();
    if (hasNode(node, (x) => x.t === 'look')) return null;
    re = RE2JS.compile('^(?:' + toRE2(node) + ')', RE2JS.CASE_INSENSITIVE);
  } catch {
    return null;
  }
  const m = re.matcher(subject);
  if (!m.find(0)) return null;
  const out: string[] = [];
  for (let g = 0; g <= m.groupCount(); g++) out.push(m.group(g) ?? '');
  return out;
}
