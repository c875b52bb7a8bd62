/**
 * A compiled regular expression that cannot freeze the tab.
 *
 * Linear by default: the tree is printed as RE2 syntax and run by re2js (a pure
 * JavaScript port of RE2: lazy DFA for yes/no, Pike VM/one-pass/bit-state for positions,
 * LONGEST_MATCH for POSIX's leftmost-longest rule, lookbehinds for GNU's `\<` `\>`). Only
 * what RE2 cannot express — back-references and counts over 1000 — goes to the bounded
 * backtracker, which charges the caller's Meter (the line budget) for every step; a
 * linear superset (each back-reference replaced by what its group could match) still
 * rules out most subjects in linear time first.
 *
 * Both engines also charge the Meter per character scanned, so that a command that asks
 * for many searches over a long subject (`${v//x/y}`, gsub in a loop) is bounded as well.
 */
import { RE2JS, type Matcher } from 're2js';
import { EMPTY, NEEDS_LOOKBEHIND, NotLinear, groupCount, hasNode, toRE2, toSafeJs, type Node } from './ast';
import { Backtracker, type Meter } from './backtrack';
import { parsePosix, type Dialect } from './posix';

export type { Meter } from './backtrack';

/** A match: `groups[2k]`, `groups[2k+1]` are group k's bounds (k = 0 is the whole match), -1 when it did not take part. */
export interface Span {
  start: number;
  end: number;
  groups: number[];
}

export interface RegexOptions {
  icase?: boolean;
  /** re2js's default is leftmost-first (Perl, JavaScript); POSIX tools want leftmost-longest. */
  longest?: boolean;
  meter?: Meter;
}

/** Characters scanned per Meter step: re2js scans a few characters per nanosecond, so this keeps a step near a microsecond's work. */
const CHARS_PER_STEP = 4096;

/** When no budget is given (a check run outside any command line), this many steps end a backtracking match. */
const DEFAULT_STEPS = 1_000_000;

export class RegexStepLimit extends Error {
  constructor() {
    super('regular expression needs too many steps');
  }
}

function defaultMeter(): Meter {
  let left = DEFAULT_STEPS;
  return {
    step(n = 1) {
      left -= n;
      if (left < 0) throw new RegexStepLimit();
    },
  };
}

/** Each back-reference replaced by a copy of its group's body, or by `.*` when that body has assertions: a linear superset. */
function superset(n: Node, groups: Map<number, Node>): Node {
  switch (n.t) {
    case 'backref': {
      const g = groups.get(n.n);
      if (!g || hasNode(g, (x) => x.t === 'assert' || x.t === 'backref' || x.t === 'look')) return { t: 'rep', min: 0, max: -1, body: { t: 'any', nl: true }, lazy: false };
      return { t: 'group', n: 0, body: superset(g, groups) };
    }
    case 'group':
      return { t: 'group', n: n.n, body: superset(n.body, groups) };
    case 'rep':
      return { ...n, body: superset(n.body, groups) };
    case 'look':
      return { ...n, body: superset(n.body, groups) };
    case 'cat':
    case 'alt':
      return { t: n.t, items: n.items.map((x) => superset(x, groups)) };
    default:
      return n;
  }
}

function groupBodies(n: Node, into = new Map<number, Node>()): Map<number, Node> {
  hasNode(n, (x) => {
    if (x.t === 'group' && x.n > 0) into.set(x.n, x.body);
    return false;
  });
  return into;
}

function compileRE2(node: Node, opts: RegexOptions): RE2JS {
  const lookbehind = hasNode(node, (x) => (x.t === 'assert' && NEEDS_LOOKBEHIND.has(x.k)) || x.t === 'look');
  const flags = (opts.longest ? RE2JS.LONGEST_MATCH : 0) | (opts.icase ? RE2JS.CASE_INSENSITIVE : 0) | (lookbehind ? RE2JS.LOOKBEHINDS : 0);
  try {
    return RE2JS.compile(toRE2(node), flags);
  } catch (e) {
    if (e instanceof NotLinear) throw e;
    // RE2's own limits (program size, nested counts): the backtracker can still try, within the budget
    throw new NotLinear((e as Error).message);
  }
}

export class Regex {
  readonly groups: number;
  /** True when matching may backtrack (back-references): the caller's budget bounds it. */
  readonly backtracks: boolean;
  private readonly re2?: RE2JS;
  /** A JavaScript RegExp when the pattern gives it nothing to backtrack on (`toSafeJs`). */
  private readonly js?: RegExp;
  private readonly filter?: RE2JS;
  private readonly bt?: Backtracker;
  private pending = 0;
  private meter: Meter;

  constructor(readonly node: Node, opts: RegexOptions = {}) {
    this.groups = groupCount(node);
    this.meter = opts.meter ?? defaultMeter();
    const safe = toSafeJs(node);
    if (safe !== null) {
      this.js = new RegExp(safe, (opts.icase ? 'giu' : 'gu') + (this.groups > 0 ? 'd' : ''));
      this.backtracks = false;
      return;
    }
    let re2: RE2JS | undefined;
    try {
      re2 = compileRE2(node, opts);
    } catch (e) {
      if (!(e instanceof NotLinear)) throw e;
    }
    this.backtracks = !re2;
    if (re2) this.re2 = re2;
    else {
      const meter: Meter = { step: (n) => this.meter.step(n) };
      this.bt = new Backtracker(node, this.groups, !!opts.icase, meter);
      try {
        this.filter = compileRE2(superset(node, groupBodies(node)), { ...opts, longest: false });
      } catch {
        // no linear prefilter: every subject goes to the backtracker
      }
    }
  }

  /** Parses POSIX syntax (`posix.ts`) and compiles it leftmost-longest. Throws RegexSyntaxError. */
  static posix(src: string, dialect: Dialect, opts: Omit<RegexOptions, 'longest'> & { multiline?: boolean } = {}): Regex {
    return new Regex(parsePosix(src, dialect, opts).node, { ...opts, longest: true });
  }

  /** The budget the matcher charges from now on (a Regex compiled once and used by another command line). */
  useMeter(meter: Meter | undefined): this {
    if (meter) this.meter = meter;
    return this;
  }

  private charge(chars: number): void {
    this.pending += chars + 16;
    if (this.pending >= CHARS_PER_STEP) {
      const n = Math.floor(this.pending / CHARS_PER_STEP);
      this.pending -= n * CHARS_PER_STEP;
      this.meter.step(n);
    }
  }

  /** Does `s` contain a match? */
  test(s: string): boolean {
    this.charge(s.length);
    if (this.js) {
      this.js.lastIndex = 0;
      return this.js.test(s);
    }
    if (this.re2) return this.re2.test(s);
    if (this.filter && !this.filter.test(s)) return false;
    return this.bt!.exec(s, 0) !== null;
  }

  /** The leftmost-longest (or leftmost-first) match starting at or after `from`. */
  exec(s: string, from = 0): Span | null {
    return this.execWith(s, from, null);
  }

  /**
   * One search; `walk` carries re2js's Matcher from one search to the next in `all`, so
   * lookbehind state (`\<`, grep -w) is not rebuilt from the start of the subject each time.
   */
  private execWith(s: string, from: number, walk: { matcher?: Matcher } | null): Span | null {
    if (from > s.length) return null;
    const span = this.search(s, from, walk);
    // what the search scanned: up to the match, or to the end when there is none
    this.charge((span ? span.end : s.length) - from);
    return span;
  }

  private search(s: string, from: number, walk: { matcher?: Matcher } | null): Span | null {
    if (this.js) {
      this.js.lastIndex = from;
      const m = this.js.exec(s);
      if (!m) return null;
      const groups: number[] = [m.index, m.index + m[0].length];
      for (let g = 1; g <= this.groups; g++) groups.push(...(m.indices?.[g] ?? [-1, -1]));
      return { start: groups[0], end: groups[1], groups };
    }
    if (this.re2) {
      const m = walk ? (walk.matcher ??= this.re2.matcher(s)) : this.re2.matcher(s);
      if (!m.find(from)) return null;
      const groups: number[] = [];
      for (let g = 0; g <= this.groups; g++) groups.push(m.start(g), m.end(g));
      return { start: groups[0], end: groups[1], groups };
    }
    if (this.filter && from === 0 && !this.filter.test(s)) return null;
    const r = this.bt!.exec(s, from);
    return r ? { start: r.start, end: r.end, groups: [r.start, r.end, ...r.groups] } : null;
  }

  /**
   * Every match left to right, as GNU sed's `s///g`, gawk's gsub and grep -o walk them:
   * after a match the search goes on at its end, an empty match right where the previous
   * match ended is skipped, and after an empty match the search moves one character on.
   */
  *all(s: string): Generator<Span> {
    let from = 0;
    let prevEnd = -1;
    const walk = {};
    while (from <= s.length) {
      const m = this.execWith(s, from, walk);
      if (!m) return;
      if (m.start === m.end && m.start === prevEnd) {
        // GNU: an empty match adjacent to the previous match does not count
        if (m.start >= s.length) return;
        from = m.start + (s.codePointAt(m.start)! > 0xffff ? 2 : 1);
        continue;
      }
      yield m;
      prevEnd = m.end;
      if (m.end > m.start) from = m.end;
      else {
        if (m.end >= s.length) return;
        from = m.end + (s.codePointAt(m.end)! > 0xffff ? 2 : 1);
      }
    }
  }
}

/** A pattern that matches only the empty string (`grep -e ''` matches every line). */
export const EMPTY_NODE: Node = EMPTY;

/** A literal string as a tree (grep -F). */
export function literalNode(s: string): Node {
  return { t: 'cat', items: Array.from(s, (c) => ({ t: 'lit', cp: c.codePointAt(0)! }) as Node) };
}
