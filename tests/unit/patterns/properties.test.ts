/**
 * Properties of engine/patterns, checked against references on small inputs:
 * - POSIX ERE (the subset whose syntax JavaScript shares): `test` agrees with JavaScript's
 *   RegExp, and `exec` finds the leftmost-longest match a brute force finds;
 * - BRE back-references (the budgeted backtracker): `test` agrees with JavaScript;
 * - shell patterns: match, shortest/longest prefix and suffix, leftmost-longest find agree
 *   with a naive recursive matcher;
 * - lesson patterns with lookaheads (run reversed, as lookbehinds): agree with JavaScript.
 * And on big inputs the automata do work proportional to the input (counted, not timed).
 */
import { describe, expect, it } from 'vitest';
import { Glob, Regex, compileJsPattern, parsePosix } from '../../../engine/patterns';

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
type R = () => number;
const pick = <T,>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const str = (r: R, alphabet: string, max: number) => Array.from({ length: Math.floor(r() * (max + 1)) }, () => pick(r, [...alphabet])).join('');

/** A random ERE over a, b, c whose meaning is the same in POSIX and JavaScript (no anchors, no back-references). */
function ere(r: R, depth = 0): string {
  const atom = (): string => {
    const k = r();
    if (k < 0.45 || depth > 2) return pick(r, ['a', 'b', 'c', '.', '[ab]', '[^a]', '[b-c]']);
    return `(${ere(r, depth + 1)})`;
  };
  const piece = () => atom() + (r() < 0.4 ? pick(r, ['*', '+', '?', '{1,2}', '{2}', '{0,1}']) : '');
  const branch = () => Array.from({ length: 1 + Math.floor(r() * 3) }, piece).join('');
  return r() < 0.25 ? `${branch()}|${branch()}` : branch();
}

function bruteLongest(src: string, s: string): [number, number] | null {
  const whole = new RegExp(`^(?:${src})$`);
  for (let start = 0; start <= s.length; start++) for (let end = s.length; end >= start; end--) if (whole.test(s.slice(start, end))) return [start, end];
  return null;
}

describe('POSIX ERE against JavaScript', () => {
  it('test() agrees and exec() is leftmost-longest (1,000 random patterns × 5 subjects)', () => {
    const r = rng(13);
    for (let i = 0; i < 1000; i++) {
      const src = ere(r);
      const re = Regex.posix(src, 'egrep');
      const js = new RegExp(src);
      for (let k = 0; k < 5; k++) {
        const s = str(r, 'abcd', 7);
        const why = `${src} on ${JSON.stringify(s)}`;
        expect(re.test(s), why).toBe(js.test(s));
        const m = re.exec(s);
        expect(m && [m.start, m.end], why).toEqual(bruteLongest(src, s));
      }
    }
  });
});

describe('BRE back-references against JavaScript', () => {
  it('test() agrees (1,000 random patterns × 5 subjects)', () => {
    const r = rng(7);
    const atom = () => pick(r, ['a', 'b', '.', '[ab]']) + (r() < 0.4 ? '*' : '');
    const run = (n: number) => Array.from({ length: n }, atom).join('');
    for (let i = 0; i < 1000; i++) {
      const pre = run(Math.floor(r() * 2));
      const group = run(1 + Math.floor(r() * 2));
      const mid = run(Math.floor(r() * 2));
      const post = run(Math.floor(r() * 2));
      const bre = `${pre}\\(${group}\\)${mid}\\1${post}`;
      const js = new RegExp(`${pre}(${group})${mid}\\1${post}`);
      const re = Regex.posix(bre, 'grep');
      expect(re.backtracks).toBe(true);
      for (let k = 0; k < 5; k++) {
        const s = str(r, 'abc', 8);
        expect(re.test(s), `${bre} on ${JSON.stringify(s)}`).toBe(js.test(s));
      }
    }
  });
});

/** A naive shell-pattern matcher: the reference (exponential, fine on 8 characters). */
function naive(p: string, s: string): boolean {
  if (p === '') return s === '';
  const c = p[0];
  if (c === '*') {
    for (let k = 0; k <= s.length; k++) if (naive(p.slice(1), s.slice(k))) return true;
    return false;
  }
  if (s === '') return false;
  if (c === '?') return naive(p.slice(1), s.slice(1));
  if (c === '\\') return s[0] === p[1] && naive(p.slice(2), s.slice(1));
  if (c === '[') {
    const end = p.indexOf(']', 2);
    let body = p.slice(1, end);
    const neg = body[0] === '!';
    if (neg) body = body.slice(1);
    return body.includes(s[0]) !== neg && naive(p.slice(end + 1), s.slice(1));
  }
  return s[0] === c && naive(p.slice(1), s.slice(1));
}

describe('shell patterns against a naive matcher', () => {
  it('matches, prefix, suffix and find agree (1,500 random patterns × 4 subjects)', () => {
    const r = rng(42);
    for (let i = 0; i < 1500; i++) {
      const p = Array.from({ length: 1 + Math.floor(r() * 5) }, () => pick(r, ['a', 'b', 'c', '*', '*', '?', '[ab]', '[!a]', '\\*'])).join('');
      const g = new Glob(p);
      for (let k = 0; k < 4; k++) {
        const s = str(r, 'abc*', 8);
        const why = `${p} on ${JSON.stringify(s)}`;
        expect(g.matches(s), why).toBe(naive(p, s));
        const prefixes = [...Array(s.length + 1).keys()].filter((n) => naive(p, s.slice(0, n)));
        expect(g.prefix(s, false), why).toBe(prefixes.length ? prefixes[0] : -1);
        expect(g.prefix(s, true), why).toBe(prefixes.length ? prefixes[prefixes.length - 1] : -1);
        const suffixes = [...Array(s.length + 1).keys()].filter((n) => naive(p, s.slice(n)));
        expect(g.suffix(s, true), why).toBe(suffixes.length ? suffixes[0] : -1);
        expect(g.suffix(s, false), why).toBe(suffixes.length ? suffixes[suffixes.length - 1] : -1);
        let want: { start: number; end: number } | null = null;
        for (let a = 0; a <= s.length && !want; a++) for (let b = s.length; b >= a; b--) if (naive(p, s.slice(a, b))) {
          want = { start: a, end: b };
          break;
        }
        expect(g.find(s, 0), why).toEqual(want);
      }
    }
  });
  it('a 200,000-character value costs one pass: work is counted, at most characters × states', () => {
    let steps = 0;
    const meter = { step: (n = 1) => void (steps += n) };
    const v = 'ab'.repeat(100_000);
    const g = new Glob('*a*b*c*x', meter);
    expect(g.suffix(v, true)).toBe(-1);
    expect(g.prefix(v, true)).toBe(-1);
    expect(g.find(v, 0)).toBe(null);
    // each scan charges (live states + 1) per character, 4,096 to a step: 3 scans × 200,000 × 6 / 4,096 ≈ 880
    expect(steps).toBeLessThanOrEqual(Math.ceil((3 * v.length * 6) / 4096) + 3);
    expect(steps).toBeGreaterThan(0);
  });
});

describe('lesson patterns against JavaScript', () => {
  it('patterns with lookaheads, anchors and \\b agree (1,000 random patterns × 5 subjects)', () => {
    const r = rng(99);
    const atom = (d: number): string => {
      const k = r();
      if (k < 0.5 || d > 1) return pick(r, ['a', 'b', ' ', '.', '\\s', '\\b', '[ab]', '[^ ]', 'a*', '.*', '\\w+']);
      if (k < 0.7) return `(?=${seq(d + 1)})`;
      if (k < 0.8) return `(?!${seq(d + 1)})`;
      return `(${seq(d + 1)}|${seq(d + 1)})`;
    };
    const seq = (d: number) => Array.from({ length: 1 + Math.floor(r() * 3) }, () => atom(d)).join('');
    for (let i = 0; i < 1000; i++) {
      const src = (r() < 0.5 ? '^' : '') + seq(0) + (r() < 0.3 ? '$' : '');
      const p = compileJsPattern(src);
      const js = new RegExp(src);
      for (let k = 0; k < 5; k++) {
        const s = str(r, 'ab ', 8);
        expect(p.test(s), `${src} on ${JSON.stringify(s)}`).toBe(js.test(s));
      }
    }
  });
  it('refuses what has no linear form, with a reason', () => {
    expect(() => compileJsPattern('(a)\\1')).toThrow(/back-references/);
    expect(() => compileJsPattern('(?<=a)b(?=c)')).toThrow(/lookaheads and lookbehinds/);
    expect(() => compileJsPattern('(')).toThrow(/Unterminated group/);
  });
});

describe('parse trees follow regcomp.c context rules', () => {
  it.each([
    ['*a', 'grep', 'a leading * is literal in a BRE'],
    ['\\(*a\\)', 'grep', 'so is one after \\('],
    ['a\\|*b', 'grep', 'and after \\|'],
  ])('%s (%s): %s', (src, dialect) => {
    const lits = JSON.stringify(parsePosix(src, dialect as 'grep').node).match(/"cp":42/g);
    expect(lits?.length).toBe(1);
  });
  it('egrep skips a leading repetition operator; sed -E refuses it; awk takes it literally', () => {
    expect(Regex.posix('*a', 'egrep').test('a')).toBe(true);
    expect(() => Regex.posix('*a', 'sed-E')).toThrow('Invalid preceding regular expression');
    expect(Regex.posix('*a', 'awk').test('a')).toBe(false);
    expect(Regex.posix('*a', 'awk').test('*a')).toBe(true);
  });
});
