/**
 * The bounded fallback: a backtracking matcher over `ast.ts` nodes for what no linear
 * engine can do — back-references (`\(a*\)\1`, POSIX BRE and GNU ERE) and counts over
 * RE2's limit of 1000. It finds POSIX's leftmost-longest match by trying every path
 * from the leftmost start and keeping the longest, which is exponential in the worst
 * case, so every node it visits is counted and charged to a Meter: the shell's line
 * budget, which ends the command line with its `netlab: stopped after …` message, as it
 * ends `while true`. Recursion deeper than the JavaScript stack allows ends it too
 * (`RegexTooComplex`), as glibc's matcher gives up with REG_ESPACE.
 */
import { POSIX_CLASSES, type AssertKind, type Node } from './ast';

export interface Meter {
  /** `n` units of work; throws to stop the caller when the budget is spent. */
  step(n?: number): void;
}

/** The pattern needs more memory (stack) than the matcher has: grep says "memory exhausted". */
export class RegexTooComplex extends Error {
  constructor() {
    super('memory exhausted');
  }
}

/** Node visits charged as one step of the line budget (a visit costs ~50 ns, a step ~1 µs). */
export const VISITS_PER_STEP = 16;

const isWordCp = (cp: number | undefined) => cp !== undefined && ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f);

function fold(cp: number): number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  const s = String.fromCodePoint(cp);
  const l = s.toLowerCase();
  return [...l].length === 1 ? l.codePointAt(0)! : cp;
}

function inSet(n: Extract<Node, { t: 'set' }>, cp: number, icase: boolean): boolean {
  const test = (c: number) => {
    for (const [a, b] of n.ranges) if (c >= a && c <= b) return true;
    for (const cls of n.classes) for (const [a, b] of POSIX_CLASSES[cls] ?? []) if (c >= a && c <= b) return true;
    return false;
  };
  let hit = test(cp);
  if (!hit && icase) {
    const s = String.fromCodePoint(cp);
    for (const v of [s.toLowerCase(), s.toUpperCase()]) if ([...v].length === 1 && test(v.codePointAt(0)!)) hit = true;
  }
  return hit !== n.neg;
}

export interface BacktrackMatch {
  start: number;
  end: number;
  /** [start1, end1, start2, end2, …]; -1 for a group that did not take part. */
  groups: number[];
}

export class Backtracker {
  private visits = 0;
  private s = '';
  private caps: number[] = [];

  constructor(
    private readonly root: Node,
    private readonly ngroups: number,
    private readonly icase: boolean,
    private readonly meter: Meter,
  ) {}

  private cpAt(i: number): number | undefined {
    return i < this.s.length ? this.s.codePointAt(i) : undefined;
  }

  private prevCp(i: number): number | undefined {
    if (i <= 0) return undefined;
    const c = this.s.charCodeAt(i - 1);
    if (c >= 0xdc00 && c <= 0xdfff && i >= 2) return this.s.codePointAt(i - 2);
    return c;
  }

  private assert(k: AssertKind, i: number): boolean {
    const len = this.s.length;
    const pw = isWordCp(this.prevCp(i));
    const nw = isWordCp(this.cpAt(i));
    switch (k) {
      case 'bot':
        return i === 0;
      case 'eot':
        return i === len;
      case 'bol':
        return i === 0 || this.s[i - 1] === '\n';
      case 'eol':
        return i === len || this.s[i] === '\n';
      case 'wordb':
        return pw !== nw;
      case 'nwordb':
        return pw === nw;
      case 'wbeg':
        return !pw && nw;
      case 'wend':
        return pw && !nw;
      case 'nwprev':
        return !pw;
      case 'nwnext':
        return !nw;
    }
  }

  private tick(): void {
    if (++this.visits >= VISITS_PER_STEP) {
      this.visits = 0;
      this.meter.step(1);
    }
  }

  /** Matches `n` at `i`, then the continuation; true stops the whole search. */
  private m(n: Node, i: number, k: (j: number) => boolean): boolean {
    this.tick();
    switch (n.t) {
      case 'lit': {
        const c = this.cpAt(i);
        if (c === undefined) return false;
        if (c !== n.cp && !(this.icase && fold(c) === fold(n.cp))) return false;
        return k(i + (c > 0xffff ? 2 : 1));
      }
      case 'any': {
        const c = this.cpAt(i);
        if (c === undefined || (!n.nl && (c === 10 || c === 13 || c === 0x2028 || c === 0x2029))) return false;
        return k(i + (c > 0xffff ? 2 : 1));
      }
      case 'set': {
        const c = this.cpAt(i);
        if (c === undefined || !inSet(n, c, this.icase)) return false;
        return k(i + (c > 0xffff ? 2 : 1));
      }
      case 'assert':
        return this.assert(n.k, i) && k(i);
      case 'group': {
        if (n.n === 0) return this.m(n.body, i, k);
        const at = 2 * (n.n - 1);
        const os = this.caps[at], oe = this.caps[at + 1];
        const ok = this.m(n.body, i, (j) => {
          const ps = this.caps[at], pe = this.caps[at + 1];
          this.caps[at] = i;
          this.caps[at + 1] = j;
          if (k(j)) return true;
          this.caps[at] = ps;
          this.caps[at + 1] = pe;
          return false;
        });
        if (!ok) {
          this.caps[at] = os;
          this.caps[at + 1] = oe;
        }
        return ok;
      }
      case 'cat': {
        const items = n.items;
        const step = (idx: number, j: number): boolean => (idx === items.length ? k(j) : this.m(items[idx], j, (x) => step(idx + 1, x)));
        return step(0, i);
      }
      case 'alt':
        for (const item of n.items) if (this.m(item, i, k)) return true;
        return false;
      case 'rep': {
        if (n.body.t === 'lit' || n.body.t === 'any' || n.body.t === 'set') {
          // one character per round (`a*`, `.*`, `[^:]*`): take the longest run, then give back one at a time, without recursing per character
          const ends = [i];
          let j = i;
          const one = n.body;
          while (n.max === -1 || ends.length - 1 < n.max) {
            this.tick();
            const c = this.cpAt(j);
            if (c === undefined) break;
            const ok = one.t === 'lit' ? c === one.cp || (this.icase && fold(c) === fold(one.cp)) : one.t === 'any' ? one.nl || !(c === 10 || c === 13 || c === 0x2028 || c === 0x2029) : inSet(one, c, this.icase);
            if (!ok) break;
            j += c > 0xffff ? 2 : 1;
            ends.push(j);
          }
          for (let count = ends.length - 1; count >= n.min; count--) if (k(ends[count])) return true;
          return false;
        }
        const loop = (count: number, j: number): boolean => {
          if (n.max === -1 || count < n.max) {
            // an iteration that matched nothing cannot help once the minimum is met (and would loop forever)
            if (this.m(n.body, j, (x) => (x === j && count >= n.min ? false : loop(count + 1, x)))) return true;
          }
          return count >= n.min && k(j);
        };
        return loop(0, i);
      }
      case 'backref': {
        const at = 2 * (n.n - 1);
        const gs = this.caps[at], ge = this.caps[at + 1];
        if (gs < 0 || ge < 0) return false;
        const len = ge - gs;
        if (i + len > this.s.length) return false;
        for (let d = 0; d < len; d++) {
          const a = this.s.charCodeAt(gs + d), b = this.s.charCodeAt(i + d);
          if (a !== b && !(this.icase && fold(a) === fold(b))) return false;
        }
        return k(i + len);
      }
      case 'look': {
        if (n.behind) throw new Error('lookbehind is not supported with back-references');
        const saved = this.caps.slice();
        const hit = this.m(n.body, i, () => true);
        this.caps = saved;
        return hit !== n.neg && k(i);
      }
    }
  }

  /** POSIX leftmost-longest match at or after `from`. */
  exec(s: string, from: number): BacktrackMatch | null {
    this.s = s;
    try {
      for (let start = from; start <= s.length; start++) {
        if (start > from && start < s.length) {
          const c = s.charCodeAt(start);
          if (c >= 0xdc00 && c <= 0xdfff) continue;
        }
        this.caps = new Array(2 * this.ngroups).fill(-1);
        let best = -1;
        let bestCaps: number[] = [];
        this.m(this.root, start, (j) => {
          if (j > best) {
            best = j;
            bestCaps = this.caps.slice();
          }
          return j === s.length;
        });
        if (best >= 0) return { start, end: best, groups: bestCaps };
      }
      return null;
    } catch (e) {
      if (e instanceof RangeError) throw new RegexTooComplex();
      throw e;
    }
  }
}
