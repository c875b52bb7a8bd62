/**
 * POSIX regular expressions as the GNU tools read them, parsed into `ast.ts` nodes.
 *
 * The parser follows gnulib/glibc `lib/regcomp.c` (peek_token, parse_reg_exp,
 * parse_branch, parse_expression, parse_sub_exp, parse_dup_op, parse_bracket_exp) driven
 * by the same syntax bits the tools pass (`lib/regex.h`):
 *
 * - grep -G  RE_SYNTAX_GREP  = (POSIX_BASIC | NEWLINE_ALT) & ~(CONTEXT_INVALID_DUP | DOT_NOT_NULL)
 * - grep -E  RE_SYNTAX_EGREP = (POSIX_EXTENDED | INVALID_INTERVAL_ORD | NEWLINE_ALT) & ~(CONTEXT_INVALID_OPS | DOT_NOT_NULL)
 * - sed      POSIX_BASIC, sed -E POSIX_EXTENDED & ~UNMATCHED_RIGHT_PAREN_ORD (sed/regexp.c, POSIXLY_EXTENDED)
 * - gawk     RE_SYNTAX_GNU_AWK (POSIX_EXTENDED | BACKSLASH_ESCAPE_IN_LISTS | INVALID_INTERVAL_ORD) & ~(CONTEXT_INDEP_OPS | CONTEXT_INVALID_OPS),
 *            after gawk's own escape processing (re.c make_regexp: `\y` word boundary, `\/`, octal)
 * - bash =~  regcomp(REG_EXTENDED): POSIX_EXTENDED
 *
 * so that context rules (`*` at the start is a literal in BRE, `^` only anchors at the
 * start of a BRE or after `\(`/`\|`, `a{1` is literal for egrep and an error for sed -E)
 * and the error texts (regcomp.c's `__re_error_msgid`) are GNU's.
 */
import { EMPTY, POSIX_CLASSES, type AssertKind, type Node } from './ast';

/** regcomp.c `__re_error_msgid`, the texts grep, sed and gawk print. */
export const REG_ERRORS = {
  BADPAT: 'Invalid regular expression',
  ECOLLATE: 'Invalid collation character',
  ECTYPE: 'Invalid character class name',
  EESCAPE: 'Trailing backslash',
  ESUBREG: 'Invalid back reference',
  EBRACK: 'Unmatched [, [^, [:, [., or [=',
  EPAREN: 'Unmatched ( or \\(',
  EBRACE: 'Unmatched \\{',
  BADBR: 'Invalid content of \\{\\}',
  ERANGE: 'Invalid range end',
  BADRPT: 'Invalid preceding regular expression',
  EEND: 'Premature end of regular expression',
  ESIZE: 'Regular expression too big',
  ERPAREN: 'Unmatched ) or \\)',
} as const;

export class RegexSyntaxError extends Error {}

export type Dialect = 'grep' | 'egrep' | 'sed' | 'sed-E' | 'awk' | 'bash';

interface Syntax {
  /** ERE: `(`, `|`, `{`, `+`, `?` are operators unescaped (RE_NO_BK_PARENS…, !RE_BK_PLUS_QM). */
  extended: boolean;
  contextIndepOps: boolean;
  contextInvalidOps: boolean;
  contextInvalidDup: boolean;
  unmatchedRParenOrd: boolean;
  invalidIntervalOrd: boolean;
  noBackrefs: boolean;
  escapeInLists: boolean;
  newlineAlt: boolean;
}

const SYNTAX: Record<Dialect, Syntax> = {
  grep: { extended: false, contextIndepOps: false, contextInvalidOps: false, contextInvalidDup: false, unmatchedRParenOrd: false, invalidIntervalOrd: false, noBackrefs: false, escapeInLists: false, newlineAlt: true },
  egrep: { extended: true, contextIndepOps: true, contextInvalidOps: false, contextInvalidDup: false, unmatchedRParenOrd: true, invalidIntervalOrd: true, noBackrefs: false, escapeInLists: false, newlineAlt: true },
  sed: { extended: false, contextIndepOps: false, contextInvalidOps: false, contextInvalidDup: true, unmatchedRParenOrd: false, invalidIntervalOrd: false, noBackrefs: false, escapeInLists: false, newlineAlt: false },
  'sed-E': { extended: true, contextIndepOps: true, contextInvalidOps: true, contextInvalidDup: false, unmatchedRParenOrd: false, invalidIntervalOrd: false, noBackrefs: false, escapeInLists: false, newlineAlt: false },
  awk: { extended: true, contextIndepOps: false, contextInvalidOps: false, contextInvalidDup: false, unmatchedRParenOrd: false, invalidIntervalOrd: true, noBackrefs: true, escapeInLists: true, newlineAlt: false },
  bash: { extended: true, contextIndepOps: true, contextInvalidOps: true, contextInvalidDup: false, unmatchedRParenOrd: false, invalidIntervalOrd: false, noBackrefs: false, escapeInLists: false, newlineAlt: false },
};

const RE_DUP_MAX = 0x7fff;

const isComma = (t: { k: string; cp?: number }) => t.k === 'char' && t.cp === 0x2c;

type Tok =
  | { k: 'char'; cp: number }
  | { k: 'end' }
  | { k: 'alt' }
  | { k: 'star' }
  | { k: 'plus' }
  | { k: 'qmark' }
  | { k: 'open' }
  | { k: 'close' }
  | { k: 'opendup' }
  | { k: 'closedup' }
  | { k: 'bracket' }
  | { k: 'period' }
  | { k: 'anchor'; a: AssertKind }
  | { k: 'backref'; n: number }
  | { k: 'class'; neg: boolean; name: 'word' | 'space' }
  | { k: 'backslash' };

/** gawk's regexp escapes (re.c make_regexp) and sed's (compile.c convert_number/normalize_text) that stand for one character. */
const CHAR_ESCAPES: Partial<Record<Dialect, Record<string, number>>> = {
  awk: { n: 10, t: 9, r: 13, f: 12, v: 11, a: 7, b: 8, '/': 0x2f, '"': 0x22 },
  sed: { n: 10, t: 9, r: 13, f: 12, v: 11, a: 7 },
  'sed-E': { n: 10, t: 9, r: 13, f: 12, v: 11, a: 7 },
};

class Parser {
  private i = 0;
  private tok: Tok = { k: 'end' };
  private tokLen = 0;
  private nsub = 0;
  private completed = new Set<number>();
  private readonly syn: Syntax;
  private readonly cps: number[];

  constructor(
    src: string,
    private readonly dialect: Dialect,
    private readonly multiline = false,
  ) {
    this.syn = SYNTAX[dialect];
    this.cps = Array.from(src, (c) => c.codePointAt(0)!);
  }

  private fail(code: keyof typeof REG_ERRORS): never {
    throw new RegexSyntaxError(REG_ERRORS[code]);
  }

  private ch(k: number): string {
    const c = this.cps[k];
    return c === undefined ? '' : String.fromCodePoint(c);
  }

  /** peek_token: the token at i (its length in tokLen), `caretHere` is RE_CARET_ANCHORS_HERE. */
  private peek(caretHere = false): Tok {
    const s = this.syn;
    const i = this.i;
    this.tokLen = 1;
    if (i >= this.cps.length) {
      this.tokLen = 0;
      return { k: 'end' };
    }
    const c = this.ch(i);
    if (c === '\\') {
      if (i + 1 >= this.cps.length) return { k: 'backslash' };
      this.tokLen = 2;
      const c2 = this.ch(i + 1);
      const cp2 = this.cps[i + 1];
      const esc = CHAR_ESCAPES[this.dialect]?.[c2];
      if (this.dialect === 'awk') {
        if (/[0-7]/.test(c2)) {
          let j = i + 1;
          let v = 0;
          while (j < this.cps.length && j < i + 4 && /[0-7]/.test(this.ch(j))) v = v * 8 + Number(this.ch(j++));
          this.tokLen = j - i;
          return { k: 'char', cp: v };
        }
        if (c2 === 'y') return { k: 'anchor', a: 'wordb' };
        if (c2 === 'b') return { k: 'char', cp: 8 };
      }
      if (esc !== undefined) return { k: 'char', cp: esc };
      switch (c2) {
        case '|':
          return s.extended ? { k: 'char', cp: cp2 } : { k: 'alt' };
        case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
          return s.noBackrefs ? { k: 'char', cp: cp2 } : { k: 'backref', n: Number(c2) };
        case '<':
          return { k: 'anchor', a: 'wbeg' };
        case '>':
          return { k: 'anchor', a: 'wend' };
        case 'b':
          return { k: 'anchor', a: 'wordb' };
        case 'B':
          return { k: 'anchor', a: 'nwordb' };
        case 'w':
        case 'W':
          return { k: 'class', neg: c2 === 'W', name: 'word' };
        case 's':
        case 'S':
          return { k: 'class', neg: c2 === 'S', name: 'space' };
        case '`':
          return { k: 'anchor', a: 'bot' };
        case "'":
          return { k: 'anchor', a: 'eot' };
        case '(':
          return s.extended ? { k: 'char', cp: cp2 } : { k: 'open' };
        case ')':
          return s.extended ? { k: 'char', cp: cp2 } : { k: 'close' };
        case '+':
          return s.extended ? { k: 'char', cp: cp2 } : { k: 'plus' };
        case '?':
          return s.extended ? { k: 'char', cp: cp2 } : { k: 'qmark' };
        case '{':
          return s.extended ? { k: 'char', cp: cp2 } : { k: 'opendup' };
        case '}':
          return s.extended ? { k: 'char', cp: cp2 } : { k: 'closedup' };
        default:
          return { k: 'char', cp: cp2 };
      }
    }
    const cp = this.cps[i];
    switch (c) {
      case '\n':
        return s.newlineAlt ? { k: 'alt' } : { k: 'char', cp };
      case '|':
        return s.extended ? { k: 'alt' } : { k: 'char', cp };
      case '*':
        return { k: 'star' };
      case '+':
        return s.extended ? { k: 'plus' } : { k: 'char', cp };
      case '?':
        return s.extended ? { k: 'qmark' } : { k: 'char', cp };
      case '{':
        return s.extended ? { k: 'opendup' } : { k: 'char', cp };
      case '}':
        return s.extended ? { k: 'closedup' } : { k: 'char', cp };
      case '(':
        return s.extended ? { k: 'open' } : { k: 'char', cp };
      case ')':
        return s.extended ? { k: 'close' } : { k: 'char', cp };
      case '[':
        return { k: 'bracket' };
      case '.':
        return { k: 'period' };
      case '^':
        if (!s.extended && !caretHere && i !== 0 && !(s.newlineAlt && this.ch(i - 1) === '\n')) return { k: 'char', cp };
        return { k: 'anchor', a: this.multiline ? 'bol' : 'bot' };
      case '$':
        if (!s.extended && i + 1 !== this.cps.length) {
          const save = this.i;
          this.i = i + 1;
          const next = this.peek();
          this.i = save;
          this.tokLen = 1;
          if (next.k !== 'alt' && next.k !== 'close') return { k: 'char', cp };
        }
        return { k: 'anchor', a: this.multiline ? 'eol' : 'eot' };
      default:
        return { k: 'char', cp };
    }
  }

  /** The current token (a method, so TypeScript does not keep a narrowing across fetches). */
  private cur(): Tok {
    return this.tok;
  }

  private fetch(caretHere = false): void {
    this.tok = this.peek(caretHere);
    this.i += this.tokLen;
  }

  parse(): { node: Node; groups: number } {
    this.fetch(true);
    const node = this.regExp(0);
    return { node: node ?? EMPTY, groups: this.nsub };
  }

  private regExp(nest: number): Node | null {
    const first = this.branch(nest);
    if (this.tok.k !== 'alt') return first;
    const items: Node[] = [first ?? EMPTY];
    while (this.tok.k === 'alt') {
      this.fetch(true);
      const t = this.tok.k;
      if (t !== 'alt' && t !== 'end' && (nest === 0 || t !== 'close')) items.push(this.branch(nest) ?? EMPTY);
      else items.push(EMPTY);
    }
    return { t: 'alt', items };
  }

  private branch(nest: number): Node | null {
    const items: Node[] = [];
    const first = this.expression(nest);
    if (first) items.push(first);
    while (this.tok.k !== 'alt' && this.tok.k !== 'end' && (nest === 0 || this.tok.k !== 'close')) {
      const e = this.expression(nest);
      if (e) items.push(e);
    }
    if (items.length === 0) return null;
    return items.length === 1 ? items[0] : { t: 'cat', items };
  }

  private expression(nest: number): Node | null {
    const s = this.syn;
    let tree: Node | null;
    const tok = this.tok;
    switch (tok.k) {
      case 'char':
        tree = { t: 'lit', cp: tok.cp };
        break;
      case 'open':
        tree = this.subExp(nest + 1);
        break;
      case 'bracket':
        tree = this.bracket();
        break;
      case 'backref':
        if (!this.completed.has(tok.n)) this.fail('ESUBREG');
        tree = { t: 'backref', n: tok.n };
        break;
      case 'opendup':
        if (s.contextInvalidDup) this.fail('BADRPT');
      // falls through
      case 'star':
      case 'plus':
      case 'qmark':
        if (s.contextInvalidOps) this.fail('BADRPT');
        if (s.contextIndepOps) {
          this.fetch();
          return this.expression(nest);
        }
      // falls through
      case 'close':
        if (tok.k === 'close' && !s.unmatchedRParenOrd) this.fail('ERPAREN');
      // falls through
      case 'closedup':
        tree = { t: 'lit', cp: this.literalOf(tok) };
        break;
      case 'anchor':
        this.fetch();
        return { t: 'assert', k: tok.a };
      case 'period':
        tree = { t: 'any', nl: true };
        break;
      case 'class':
        tree = { t: 'set', neg: tok.neg, ranges: [], classes: [tok.name] };
        break;
      case 'alt':
      case 'end':
        return null;
      case 'backslash':
        this.fail('EESCAPE');
    }
    this.fetch();
    while (this.tok.k === 'star' || this.tok.k === 'plus' || this.tok.k === 'qmark' || this.tok.k === 'opendup') {
      const r = this.dupOp(tree);
      if (r === 'literal') break;
      tree = r;
      if (s.contextInvalidDup && (this.tok.k === 'star' || this.tok.k === 'opendup')) this.fail('BADRPT');
    }
    return tree;
  }

  /** The character an operator token stands for when the syntax makes it ordinary. */
  private literalOf(tok: Tok): number {
    const text: Partial<Record<Tok['k'], string>> = { star: '*', plus: '+', qmark: '?', opendup: '{', closedup: '}', close: ')' };
    return text[tok.k]!.codePointAt(0)!;
  }

  private subExp(nest: number): Node {
    const n = ++this.nsub;
    this.fetch(true);
    let body: Node | null = null;
    if (this.tok.k !== 'close') {
      body = this.regExp(nest);
      if (this.cur().k !== 'close') this.fail('EPAREN');
    }
    this.completed.add(n);
    return { t: 'group', n, body: body ?? EMPTY };
  }

  /** fetch_number: digits up to `,` or the closing brace; -1 none, -2 invalid. */
  private fetchNumber(): number {
    let num = -1;
    for (;;) {
      this.fetch();
      const t = this.tok;
      if (t.k === 'end') return -2;
      if (t.k === 'closedup' || (t.k === 'char' && t.cp === 0x2c)) break;
      const d = t.k === 'char' && t.cp >= 0x30 && t.cp <= 0x39 ? t.cp - 0x30 : -1;
      num = d < 0 || num === -2 ? -2 : num === -1 ? d : Math.min(RE_DUP_MAX + 1, num * 10 + d);
    }
    return num;
  }

  /** parse_dup_op; 'literal' when an invalid interval is an ordinary `{` (RE_INVALID_INTERVAL_ORD). */
  private dupOp(elem: Node | null): Node | 'literal' {
    const startI = this.i;
    let min: number, max: number;
    if (this.cur().k === 'opendup') {
      let start = this.fetchNumber();
      let end = 0;
      if (start === -1) {
        if (isComma(this.cur())) start = 0;
        else this.fail('BADBR');
      }
      if (start !== -2) end = this.cur().k === 'closedup' ? start : isComma(this.cur()) ? this.fetchNumber() : -2;
      if (start === -2 || end === -2) {
        if (!this.syn.invalidIntervalOrd) this.fail(this.cur().k === 'end' ? 'EBRACE' : 'BADBR');
        // roll back: the `{` is an ordinary character
        this.i = startI;
        this.tok = { k: 'char', cp: 0x7b };
        return 'literal';
      }
      if ((end !== -1 && start > end) || this.cur().k !== 'closedup') this.fail('BADBR');
      if (RE_DUP_MAX < (end === -1 ? start : end)) this.fail('ESIZE');
      min = start;
      max = end;
    } else {
      min = this.cur().k === 'plus' ? 1 : 0;
      max = this.cur().k === 'qmark' ? 1 : -1;
    }
    this.fetch();
    if (elem === null) return EMPTY;
    if (min === 0 && max === 0) return EMPTY;
    return { t: 'rep', min, max, body: elem, lazy: false };
  }

  /** parse_bracket_exp; `i` is just after the `[`. */
  private bracket(): Node {
    const cps = this.cps;
    const s = this.syn;
    let j = this.i;
    const at = (k: number) => (k < cps.length ? String.fromCodePoint(cps[k]) : '');
    if (j >= cps.length) this.fail('BADPAT');
    let neg = false;
    if (at(j) === '^') {
      neg = true;
      j++;
      if (j >= cps.length) this.fail('BADPAT');
    }
    const ranges: [number, number][] = [];
    const classes: string[] = [];
    type Elem = { kind: 'char'; cp: number } | { kind: 'class'; name: string } | { kind: 'equiv'; cp: number } | { kind: 'coll'; cp: number };
    let first = true;
    // One element at j (parse_bracket_element); advances j.
    const element = (acceptHyphen: boolean): Elem => {
      const c = at(j);
      if (c === '[' && j + 1 < cps.length && (at(j + 1) === '.' || at(j + 1) === '=' || at(j + 1) === ':')) {
        const kind = at(j + 1);
        let k = j + 2;
        let name = '';
        for (;;) {
          if (k >= cps.length) this.fail('EBRACK');
          if (at(k) === kind && at(k + 1) === ']') break;
          name += at(k);
          k++;
          if (name.length > 32) this.fail('EBRACK');
        }
        j = k + 2;
        if (kind === ':') {
          if (!(name in POSIX_CLASSES) || name === 'word') this.fail('ECTYPE');
          return { kind: 'class', name };
        }
        const named: Record<string, string> = { space: ' ', tab: '\t', hyphen: '-', period: '.', slash: '/', backslash: '\\', 'left-square-bracket': '[', 'right-square-bracket': ']', NUL: '\0' };
        const text = [...name].length === 1 ? name : named[name];
        if (text === undefined || text === '') this.fail('ECOLLATE');
        return { kind: kind === '=' ? 'equiv' : 'coll', cp: text.codePointAt(0)! };
      }
      if (c === '\\' && s.escapeInLists && j + 1 < cps.length) {
        const e = at(j + 1);
        const esc = CHAR_ESCAPES[this.dialect]?.[e];
        j += 2;
        return { kind: 'char', cp: esc ?? e.codePointAt(0)! };
      }
      if (c === '-' && !acceptHyphen) {
        // a '-' that is not first and not last: POSIX leaves it undefined, glibc accepts "--" as a range start only
        if (at(j + 1) !== ']') this.fail('ERANGE');
      }
      j++;
      return { kind: 'char', cp: cps[j - 1] };
    };
    for (;;) {
      if (j >= cps.length) this.fail('EBRACK');
      if (at(j) === ']' && !first) break;
      const start = element(first);
      first = false;
      if (j >= cps.length) this.fail('EBRACK');
      let isRange = false;
      if (start.kind !== 'class' && start.kind !== 'equiv' && at(j) === '-') {
        if (j + 1 >= cps.length) this.fail('EBRACK');
        if (at(j + 1) !== ']') {
          isRange = true;
          j++;
        }
      }
      if (isRange) {
        const end = element(true);
        if (end.kind === 'class' || end.kind === 'equiv') this.fail('ERANGE');
        const a = (start as { cp: number }).cp, b = end.cp;
        if (a > b) this.fail('ERANGE');
        ranges.push([a, b]);
      } else if (start.kind === 'class') classes.push(start.name);
      else ranges.push([start.cp, start.cp]);
    }
    this.i = j + 1;
    return { t: 'set', neg, ranges, classes };
  }
}

/**
 * grep's extra check (gnulib dfa.c parse_bracket_exp via dfawarn, an error unless
 * POSIXLY_CORRECT): a bracket expression written `[:space:]` instead of `[[:space:]]`.
 */
export function misusedClass(src: string): string | null {
  const m = /(^|[^\\[])\[(:[a-z]+:)\]/.exec(src);
  if (!m) return null;
  return `character class syntax is [[${m[2]}]], not [${m[2]}]`;
}

/**
 * Parses `src` in a dialect. Throws RegexSyntaxError with regcomp's text. `multiline`
 * (sed's M flag, RE_NEWLINE… newline_anchor) makes `^` and `$` match at line breaks too.
 */
export function parsePosix(src: string, dialect: Dialect, opts: { multiline?: boolean } = {}): { node: Node; groups: number } {
  return new Parser(src, dialect, !!opts.multiline).parse();
}
