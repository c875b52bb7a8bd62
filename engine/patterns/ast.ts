/**
 * The one syntax tree every pattern dialect parses into (POSIX BRE/ERE as GNU grep, sed,
 * gawk and bash read them; JavaScript syntax for lesson checks), and its printing as RE2
 * syntax for re2js. Nodes carry code points, never source text, so no dialect's escaping
 * leaks into another's.
 */

/** Word constituents for `\b`, `\<`, `\>`, `\w` and `grep -w` (the C locale's `[[:alnum:]_]`). */
export const WORD = '0-9A-Za-z_';

export type AssertKind =
  | 'bot' // start of the subject (`^` outside multiline mode, GNU `` \` ``)
  | 'eot' // end of the subject (`$`, GNU `\'`)
  | 'bol' // start of a line (sed's M flag)
  | 'eol' // end of a line (sed's M flag)
  | 'wordb' // `\b`
  | 'nwordb' // `\B`
  | 'wbeg' // GNU `\<`: a word starts here
  | 'wend' // GNU `\>`: a word ends here
  | 'nwprev' // the previous character is not a word constituent (grep -w's left edge)
  | 'nwnext'; // the next character is not a word constituent (grep -w's right edge)

export type Node =
  | { t: 'lit'; cp: number }
  /** Any character; `nl: false` leaves out line terminators (JavaScript's `.`). */
  | { t: 'any'; nl: boolean }
  /** A bracket expression: code point ranges plus named POSIX classes (`alpha`, `word`…). */
  | { t: 'set'; neg: boolean; ranges: [number, number][]; classes: string[] }
  | { t: 'assert'; k: AssertKind }
  /** A group; `n` > 0 captures as group n. */
  | { t: 'group'; n: number; body: Node }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  /** `max` -1 is unbounded. */
  | { t: 'rep'; min: number; max: number; body: Node; lazy: boolean }
  | { t: 'backref'; n: number }
  /** JavaScript lookaround (grading patterns only). */
  | { t: 'look'; behind: boolean; neg: boolean; body: Node };

export const EMPTY: Node = { t: 'cat', items: [] };

export const POSIX_CLASSES: Record<string, [number, number][]> = {
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  digit: [[0x30, 0x39]],
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  upper: [[0x41, 0x5a]],
  lower: [[0x61, 0x7a]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  print: [[0x20, 0x7e]],
  graph: [[0x21, 0x7e]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
};

/** Thrown by the printer when RE2 cannot express a node; the caller falls back to the bounded backtracker. */
export class NotLinear extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

export function hasNode(n: Node, pred: (n: Node) => boolean): boolean {
  if (pred(n)) return true;
  switch (n.t) {
    case 'group':
    case 'rep':
    case 'look':
      return hasNode(n.body, pred);
    case 'cat':
    case 'alt':
      return n.items.some((x) => hasNode(x, pred));
    default:
      return false;
  }
}

export function groupCount(n: Node): number {
  let max = 0;
  hasNode(n, (x) => {
    if (x.t === 'group' && x.n > max) max = x.n;
    return false;
  });
  return max;
}

const hex = (cp: number) => `\\x{${cp.toString(16)}}`;

function lit(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x20 || cp === 0x5f) return String.fromCodePoint(cp);
  return hex(cp);
}

function setText(n: Extract<Node, { t: 'set' }>): string {
  if (n.ranges.length === 0 && n.classes.length === 0) return n.neg ? '(?s:.)' : '[^\\x00-\\x{10ffff}]';
  let body = '';
  for (const [a, b] of n.ranges) body += a === b ? hex(a) : `${hex(a)}-${hex(b)}`;
  for (const c of n.classes) body += `[:${c}:]`;
  return `[${n.neg ? '^' : ''}${body}]`;
}

const ASSERT_RE2: Record<AssertKind, string> = {
  bot: '^',
  eot: '$',
  bol: '(?m:^)',
  eol: '(?m:$)',
  wordb: '\\b',
  nwordb: '\\B',
  wbeg: `\\b(?<![${WORD}])`,
  wend: `\\b(?<=[${WORD}])`,
  nwprev: `(?<![${WORD}])`,
  nwnext: `(?:\\b(?<=[${WORD}])|\\B(?<![${WORD}]))`,
};

/** Assertions RE2 can only express with re2js's lookbehinds (which need the LOOKBEHINDS flag). */
export const NEEDS_LOOKBEHIND: ReadonlySet<AssertKind> = new Set<AssertKind>(['wbeg', 'wend', 'nwprev', 'nwnext']);

/** RE2 limits counted repetition to 1000 (and nested counts to a product of 1000). */
const MAX_COUNT = 1000;

/** The node as RE2 syntax. Throws NotLinear for what RE2 has no linear form of (back-references, lookaheads, huge counts). */
export function toRE2(n: Node): string {
  switch (n.t) {
    case 'lit':
      return lit(n.cp);
    case 'any':
      return n.nl ? '(?s:.)' : '[^\\n\\r\\x{2028}\\x{2029}]';
    case 'set':
      return setText(n);
    case 'assert':
      return ASSERT_RE2[n.k];
    case 'group':
      return n.n > 0 ? `(${toRE2(n.body)})` : `(?:${toRE2(n.body)})`;
    case 'cat':
      return n.items.map((x) => (x.t === 'alt' ? `(?:${toRE2(x)})` : toRE2(x))).join('');
    case 'alt':
      return n.items.map(toRE2).join('|');
    case 'rep': {
      if (n.min > MAX_COUNT || n.max > MAX_COUNT) {
        // x{2500} is x{1000}x{1000}x{500} (and x{0,2500} is x{0,1000}x{0,1000}x{0,500}) when x captures nothing
        if (hasNode(n.body, (x) => x.t === 'group' && x.n > 0)) throw new NotLinear('repetition count over 1000');
        const parts: Node[] = [];
        const chunks = (count: number, exact: boolean) => {
          for (let left = count; left > 0; left -= MAX_COUNT) {
            const t = Math.min(left, MAX_COUNT);
            parts.push({ t: 'rep', min: exact ? t : 0, max: t, body: n.body, lazy: n.lazy });
          }
        };
        chunks(n.min, true);
        if (n.max === -1) parts.push({ t: 'rep', min: 0, max: -1, body: n.body, lazy: n.lazy });
        else chunks(n.max - n.min, false);
        return parts.map(toRE2).join('');
      }
      const body = toRE2(n.body);
      const atom = n.body.t === 'lit' || n.body.t === 'set' || n.body.t === 'any' || n.body.t === 'group' ? body : `(?:${body})`;
      const op = n.min === 0 && n.max === -1 ? '*' : n.min === 1 && n.max === -1 ? '+' : n.min === 0 && n.max === 1 ? '?' : n.max === -1 ? `{${n.min},}` : n.min === n.max ? `{${n.min}}` : `{${n.min},${n.max}}`;
      return atom + op + (n.lazy ? '?' : '');
    }
    case 'backref':
      throw new NotLinear('back-reference');
    case 'look':
      if (!n.behind) throw new NotLinear('lookahead');
      return `(?<${n.neg ? '!' : '='}${toRE2(stripCaptures(n.body))})`;
  }
}

/** The same tree with every capturing group made non-capturing (re2js's lookbehinds must be captureless). */
export function stripCaptures(n: Node): Node {
  switch (n.t) {
    case 'group':
      return { t: 'group', n: 0, body: stripCaptures(n.body) };
    case 'rep':
      return { ...n, body: stripCaptures(n.body) };
    case 'look':
      return { ...n, body: stripCaptures(n.body) };
    case 'cat':
    case 'alt':
      return { t: n.t, items: n.items.map(stripCaptures) };
    default:
      return n;
  }
}

/**
 * The tree that matches the reversed strings: `rev(s)` matches `reverse(n)` exactly when
 * `s` matches `n`. Lookaheads become lookbehinds, which re2js runs in linear time; this is
 * how lesson patterns written with `(?=…)` stay linear. Captures are dropped (a test only
 * needs yes or no). Not defined for back-references.
 */
export function reverse(n: Node): Node {
  switch (n.t) {
    case 'assert': {
      const swap: Partial<Record<AssertKind, AssertKind>> = { bot: 'eot', eot: 'bot', bol: 'eol', eol: 'bol', wbeg: 'wend', wend: 'wbeg', nwprev: 'nwnext', nwnext: 'nwprev' };
      return { t: 'assert', k: swap[n.k] ?? n.k };
    }
    case 'group':
      return { t: 'group', n: 0, body: reverse(n.body) };
    case 'cat':
      return { t: 'cat', items: n.items.map(reverse).reverse() };
    case 'alt':
      return { t: 'alt', items: n.items.map(reverse) };
    case 'rep':
      return { ...n, body: reverse(n.body) };
    case 'look':
      return { t: 'look', behind: !n.behind, neg: n.neg, body: reverse(n.body) };
    default:
      return n;
  }
}

const JS_ASSERT: Record<AssertKind, string> = {
  bot: '^',
  eot: '$',
  bol: '(?<=^|\\n)',
  eol: '(?=$|\\n)',
  wordb: '\\b',
  nwordb: '\\B',
  wbeg: `(?<![${WORD}])(?=[${WORD}])`,
  wend: `(?<=[${WORD}])(?![${WORD}])`,
  nwprev: `(?<![${WORD}])`,
  nwnext: `(?![${WORD}])`,
};

/**
 * The node as a JavaScript RegExp source (flag `u`) when JavaScript cannot backtrack on
 * it: no repetition and no alternation, so at each start there is one way to match,
 * checked in time proportional to the pattern (`grep DNAT`, `grep -w web`, `^-A KUBE`).
 * V8's literal search makes these several times faster than any automaton in JavaScript.
 * Null for anything else.
 */
export function toSafeJs(n: Node): string | null {
  switch (n.t) {
    case 'lit':
      return `\\u{${n.cp.toString(16)}}`;
    case 'any':
      return n.nl ? '[^]' : '.';
    case 'set': {
      const body = n.ranges.map(([a, b]) => (a === b ? `\\u{${a.toString(16)}}` : `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`)).join('') + n.classes.map((c) => (POSIX_CLASSES[c] ?? []).map(([a, b]) => `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`).join('')).join('');
      if (body === '') return n.neg ? '[^]' : '[]';
      return `[${n.neg ? '^' : ''}${body}]`;
    }
    case 'assert':
      return JS_ASSERT[n.k];
    case 'group': {
      const b = toSafeJs(n.body);
      return b === null ? null : n.n > 0 ? `(${b})` : `(?:${b})`;
    }
    case 'cat': {
      let out = '';
      for (const x of n.items) {
        const b = toSafeJs(x);
        if (b === null) return null;
        out += b;
      }
      return out;
    }
    default:
      return null;
  }
}
