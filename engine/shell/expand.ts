/**
 * Word expansion, in bash's order (bash(1) EXPANSION): brace expansion, tilde expansion,
 * parameter and variable expansion, arithmetic expansion and command substitution (left
 * to right), word splitting, pathname expansion (globs on the host's VFS), quote removal.
 * The interpreter owns the state (the frame, `$(…)` subshells); this file owns the words.
 */
import type { ClusterRuntime } from '../controllers/runtime';
import type { ShellFlavour } from '../hosts/hosts';
import { homeOf, resolvePath } from '../hosts/vfs';
import { evalArith, ArithError } from './arith';
import type { Frame, IO } from './interpreter';
import type { Budget } from './budget';
import { Glob } from '../patterns';

/** What expansion reads and writes in the shell running it (the Interpreter). */
export interface ExpansionHost {
  readonly frame: Frame;
  readonly flavour: ShellFlavour;
  readonly cluster: ClusterRuntime;
  /** `bash` or `sh`, as error messages name the shell. */
  readonly name: string;
  /** The running command line's budget: brace expansion charges a step per word. */
  readonly budget: Budget;
  setVar(name: string, value: string): void;
  /** `$(…)`: runs the text in a subshell and returns its output minus trailing newlines. */
  commandSubst(src: string, io: IO): string;
}

/** Thrown to unwind an expansion error (`bad substitution`): the command fails with status 1. */
export class ExpansionError extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
  }
}

type Piece = { text: string; kind: 'q' | 'lit' | 'exp' };

export class WordExpander {
  constructor(readonly sh: ExpansionHost) {}

  /** Expands a word into fields: parameter/command/arithmetic expansion, splitting, globs. */
  expandWord(raw: string, io: IO): string[] {
    const words = raw.includes('{') ? braceExpand(raw, 0, this.sh.budget) : [raw];
    const out: string[] = [];
    for (const w of words) out.push(...this.assembleFields(this.expandPieces(w, io, false)));
    return out;
  }

  /** Expands a word without splitting or globbing (assignments, `<<<`, `case`). */
  expandSingle(raw: string, io: IO, assignment = false): string {
    let src = raw;
    let prefix = '';
    if (assignment && (src === '~' || src.startsWith('~/'))) {
      prefix = homeOf(this.sh.frame.host) === '/' ? '/' : this.home();
      src = src.slice(1);
      if (prefix === '/' && src.startsWith('/')) prefix = '';
    }
    return prefix + this.expandPieces(src, io, false).map((p) => p.text).join('');
  }

  /** Expands a here-document body: `$…`, `` `…` `` and `\$ \` \\` escapes; quotes stay. */
  expandHeredoc(body: string, io: IO): string {
    return this.expandPieces(body, io, true).map((p) => p.text).join('');
  }

  home(): string {
    return this.sh.frame.vars.HOME ?? homeOf(this.sh.frame.host);
  }

  expandPieces(raw: string, io: IO, heredoc: boolean): Piece[] {
    const out: Piece[] = [];
    let i = 0;
    const n = raw.length;
    if (!heredoc && raw[0] === '~' && (n === 1 || raw[1] === '/')) {
      out.push({ text: this.home(), kind: 'q' });
      i = 1;
    }
    let lit = '';
    const flush = () => {
      if (lit) out.push({ text: lit, kind: heredoc ? 'q' : 'lit' });
      lit = '';
    };
    while (i < n) {
      const c = raw[i];
      if (c === '\\') {
        if (heredoc) {
          const d = raw[i + 1];
          if (d === '$' || d === '`' || d === '\\') {
            lit += d;
            i += 2;
          } else if (d === '\n') i += 2;
          else {
            lit += c;
            i++;
          }
          continue;
        }
        flush();
        if (i + 1 < n) out.push({ text: raw[i + 1], kind: 'q' });
        i += 2;
        continue;
      }
      if (c === "'" && !heredoc) {
        flush();
        const end = raw.indexOf("'", i + 1);
        const stop = end < 0 ? n : end;
        out.push({ text: raw.slice(i + 1, stop), kind: 'q' });
        i = stop + 1;
        continue;
      }
      if (c === '"' && !heredoc) {
        flush();
        i++;
        let text = '';
        let any = true;
        while (i < n && raw[i] !== '"') {
          const d = raw[i];
          if (d === '\\' && i + 1 < n) {
            const e = raw[i + 1];
            if (e === '$' || e === '`' || e === '"' || e === '\\') text += e;
            else if (e !== '\n') text += d + e;
            i += 2;
          } else if (d === '$' || d === '`') {
            const r = this.expandDollar(raw, i, io);
            text += r.text;
            i = r.end;
          } else {
            text += d;
            i++;
          }
        }
        i++;
        if (any) out.push({ text, kind: 'q' });
        any = false;
        continue;
      }
      if (c === '$' && raw[i + 1] === "'" && !heredoc) {
        flush();
        const r = ansiC(raw, i + 2);
        out.push({ text: r.text, kind: 'q' });
        i = r.end;
        continue;
      }
      if (c === '$' || c === '`') {
        const r = this.expandDollar(raw, i, io);
        if (r.literal) {
          lit += r.text;
        } else {
          flush();
          out.push({ text: r.text, kind: heredoc ? 'q' : 'exp' });
        }
        i = r.end;
        continue;
      }
      lit += c;
      i++;
    }
    flush();
    return out;
  }

  /** Expands `$…` or `` `…` `` at raw[i]; returns the text and where the expansion ends. */
  expandDollar(raw: string, i: number, io: IO): { text: string; end: number; literal?: boolean } {
    const c = raw[i];
    if (c === '`') {
      let j = i + 1;
      let inner = '';
      while (j < raw.length && raw[j] !== '`') {
        if (raw[j] === '\\' && j + 1 < raw.length && '$`\\'.includes(raw[j + 1])) {
          inner += raw[j + 1];
          j += 2;
        } else inner += raw[j++];
      }
      return { text: this.sh.commandSubst(inner, io), end: j + 1 };
    }
    const next = raw[i + 1];
    if (next === '(' && raw[i + 2] === '(') {
      const end = matchParen(raw, i + 1);
      const closeInner = end - 2;
      if (raw[closeInner] === ')') {
        const expr = raw.slice(i + 3, closeInner);
        const expanded = this.expandPieces(expr, io, true).map((p) => p.text).join('');
        try {
          const v = evalArith(expanded, (k) => this.getVar(k), (k, v) => this.sh.setVar(k, v));
          return { text: String(v), end };
        } catch (e) {
          if (e instanceof ArithError) throw new ExpansionError(`${this.sh.name}: ${e.message}\n`);
          throw e;
        }
      }
    }
    if (next === '(') {
      const end = matchParen(raw, i + 1);
      return { text: this.sh.commandSubst(raw.slice(i + 2, end - 1), io), end };
    }
    if (next === '{') {
      let j = i + 2;
      let level = 1;
      while (j < raw.length) {
        if (raw[j] === '\\') j++;
        else if (raw[j] === '{') level++;
        else if (raw[j] === '}' && --level === 0) break;
        j++;
      }
      const inner = raw.slice(i + 2, j);
      return { text: this.paramExpansion(inner, io), end: j + 1 };
    }
    if (next !== undefined && /[A-Za-z_]/.test(next)) {
      let j = i + 1;
      while (j < raw.length && /[A-Za-z0-9_]/.test(raw[j])) j++;
      const name = raw.slice(i + 1, j);
      const v = this.getVar(name);
      if (v === undefined && this.sh.frame.options?.nounset) throw new ExpansionError(`${this.sh.name}: ${name}: unbound variable\n`);
      return { text: v ?? '', end: j };
    }
    if (next !== undefined && /[0-9?$#@*!\-]/.test(next)) {
      return { text: this.special(next), end: i + 2 };
    }
    return { text: '$', end: i + 1, literal: true };
  }

  special(c: string): string {
    const f = this.sh.frame;
    switch (c) {
      case '?':
        return String(f.lastExit);
      case '$':
        return String(this.pid());
      case '#':
        return String(f.positional.length);
      case '@':
      case '*':
        return f.positional.join(' ');
      case '!':
        return '';
      case '-':
        return this.sh.flavour === 'busybox' ? 'i' : 'himBHs';
      case '0':
        return f.argv0;
      default:
        return f.positional[Number(c) - 1] ?? '';
    }
  }

  pid(): number {
    // Deterministic: a container's shell is an early process; the workstation's a later one.
    return this.sh.frame.host.kind === 'pod' ? 7 : this.sh.frame.host.kind === 'node' ? 2381 : 4242;
  }

  getVar(name: string): string | undefined {
    if (name === 'BASH_REMATCH') return this.sh.frame.rematch?.[0];
    if (name === 'PWD') return this.sh.frame.cwd;
    if (name === 'OLDPWD') return this.sh.frame.oldpwd;
    if (name === 'RANDOM') return String(this.sh.cluster.rng.int(32768));
    return this.sh.frame.vars[name];
  }

  paramExpansion(inner: string, io: IO): string {
    const bad = () => new ExpansionError(`${this.sh.name}: \${${inner}}: bad substitution\n`);
    const element = /^(#?)BASH_REMATCH\[([^\]]*)\]$/.exec(inner);
    if (element) {
      const list = this.sh.frame.rematch ?? [];
      const [, count, index] = element;
      if (index === '@' || index === '*') return count ? String(list.length) : list.join(' ');
      let n: number;
      try {
        n = evalArith(this.expandSingle(index, io), (k) => this.getVar(k), (k, v) => this.sh.setVar(k, v));
      } catch {
        throw bad();
      }
      const v = list[n < 0 ? list.length + n : n] ?? '';
      return count ? String([...v].length) : v;
    }
    if (inner.startsWith('#') && inner.length > 1) {
      const name = inner.slice(1);
      if (!/^([A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!])$/.test(name)) throw bad();
      const v = /^[A-Za-z_]/.test(name) ? this.getVar(name) ?? '' : this.special(name);
      return String([...v].length);
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!-])(.*)$/s.exec(inner);
    if (!m) throw bad();
    const [, name, rest] = m;
    const value = /^[A-Za-z_]/.test(name) ? this.getVar(name) : /^[0-9]+$/.test(name) ? (name === '0' ? this.sh.frame.argv0 : this.sh.frame.positional[Number(name) - 1]) : this.special(name);
    if (rest === '') return value ?? '';
    const op = /^(:-|:=|:\+|:\?|-|=|\+|\?|##|#|%%|%|\/\/|\/)(.*)$/s.exec(rest);
    if (!op) throw bad();
    const [, o, wordRaw] = op;
    const word = () => this.expandSingle(wordRaw, io);
    const unsetOrNull = value === undefined || value === '';
    switch (o) {
      case ':-':
        return unsetOrNull ? word() : value!;
      case '-':
        return value === undefined ? word() : value;
      case ':=':
      case '=':
        if (o === ':=' ? unsetOrNull : value === undefined) {
          const w = word();
          this.sh.setVar(name, w);
          return w;
        }
        return value!;
      case ':+':
        return unsetOrNull ? '' : word();
      case '+':
        return value === undefined ? '' : word();
      case ':?':
      case '?':
        if (o === ':?' ? unsetOrNull : value === undefined) {
          const w = word();
          throw new ExpansionError(`${this.sh.name}: ${name}: ${w || 'parameter null or not set'}\n`);
        }
        return value!;
      case '#':
      case '##':
      case '%':
      case '%%': {
        // one scan of an automaton (patterns/glob.ts), not a RegExp tried on every split of the value
        const v = value ?? '';
        const g = new Glob(this.patternOf(wordRaw, io), this.sh.budget);
        const longest = o.length === 2;
        if (o[0] === '#') {
          const k = g.prefix(v, longest);
          return k < 0 ? v : v.slice(k);
        }
        const k = g.suffix(v, longest);
        return k < 0 ? v : v.slice(0, k);
      }
      case '/':
      case '//': {
        const v = value ?? '';
        // ${v/#pat/rep} and ${v/%pat/rep} anchor the pattern at the start or the end
        const anchor = o === '/' && (wordRaw[0] === '#' || wordRaw[0] === '%') ? wordRaw[0] : '';
        const body = anchor ? wordRaw.slice(1) : wordRaw;
        const slash = findUnescaped(body, '/');
        const pat = this.patternOf(slash < 0 ? body : body.slice(0, slash), io);
        const rep = slash < 0 ? '' : this.expandSingle(body.slice(slash + 1), io);
        if (pat === '') return anchor === '#' ? rep + v : anchor === '%' ? v + rep : v;
        const g = new Glob(pat, this.sh.budget);
        if (anchor === '#') {
          const k = g.prefix(v, true);
          return k < 0 ? v : rep + v.slice(k);
        }
        if (anchor === '%') {
          const k = g.suffix(v, true);
          return k < 0 ? v : v.slice(0, k) + rep;
        }
        let out = '';
        let from = 0;
        while (from <= v.length) {
          const m = g.find(v, from);
          if (!m) break;
          out += v.slice(from, m.start) + rep;
          if (m.end > m.start) from = m.end;
          else {
            out += v.slice(m.start, m.start + 1);
            from = m.start + 1;
          }
          if (o === '/') break;
        }
        return out + v.slice(from);
      }
    }
    throw bad();
  }

  /** The right-hand side of `[[ s =~ re ]]`: expansions applied, quoted parts matched literally (bash quotes them for regcomp). */
  regexOf(raw: string, io: IO): string {
    return this.expandPieces(raw, io, false)
      .map((p) => (p.kind === 'q' ? p.text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&') : p.text))
      .join('');
  }

  /** BASH_REMATCH after `=~`: the match and its groups, or empty when it failed. */
  setRematch(groups: string[]): void {
    this.sh.frame.rematch = groups;
  }

  /** A `case` pattern: expansions applied, quoted parts matched literally. */
  patternOf(raw: string, io: IO): string {
    return this.expandPieces(raw, io, false)
      .map((p) => (p.kind === 'q' ? p.text.replace(/[*?[\]\\]/g, '\\$&') : p.text))
      .join('');
  }

  assembleFields(pieces: Piece[]): string[] {
    type Field = { text: string; pattern: string; glob: boolean };
    const fields: Field[] = [];
    let cur: Field | null = null;
    const ensure = () => (cur ??= { text: '', pattern: '', glob: false });
    const close = () => {
      if (cur) fields.push(cur);
      cur = null;
    };
    for (const p of pieces) {
      if (p.kind === 'q') {
        const f = ensure();
        f.text += p.text;
        f.pattern += p.text.replace(/[*?[\]\\]/g, '\\$&');
      } else if (p.kind === 'lit') {
        const f = ensure();
        f.text += p.text;
        f.pattern += p.text;
        if (/[*?[]/.test(p.text)) f.glob = true;
      } else {
        const parts = p.text.split(/[ \t\n]+/);
        for (let k = 0; k < parts.length; k++) {
          if (k > 0) close();
          if (parts[k] === '') continue;
          const f = ensure();
          f.text += parts[k];
          f.pattern += parts[k];
          if (/[*?[]/.test(parts[k])) f.glob = true;
        }
      }
    }
    close();
    const out: string[] = [];
    for (const f of fields) {
      if (f.glob) {
        const matches = this.glob(f.pattern);
        if (matches.length) {
          out.push(...matches);
          continue;
        }
      }
      out.push(f.text);
    }
    return out;
  }

  /** Pathname expansion against the virtual filesystem (sorted; hidden files need a leading dot). */
  glob(pattern: string): string[] {
    const fs = this.sh.cluster.fs;
    const host = this.sh.frame.host;
    const absolute = pattern.startsWith('/');
    const parts = pattern.split('/').filter((x, k) => x !== '' || k === 0);
    let results: { shown: string; path: string }[] = [{ shown: absolute ? '/' : '', path: absolute ? '/' : this.sh.frame.cwd }];
    const start = absolute ? 1 : 0;
    for (let k = start; k < parts.length; k++) {
      const part = parts[k];
      const next: typeof results = [];
      const join = (a: string, b: string) => (a === '' ? b : a.endsWith('/') ? a + b : `${a}/${b}`);
      if (!/(^|[^\\])[*?[]/.test(part)) {
        const lit = part.replace(/\\(.)/g, '$1');
        for (const r of results) {
          const p = resolvePath(r.path, lit);
          if (fs.exists(host, p)) next.push({ shown: join(r.shown, lit), path: p });
        }
      } else {
        const g = new Glob(part, this.sh.budget);
        for (const r of results) {
          const entries = fs.list(host, r.path);
          if (!entries) continue;
          for (const e of entries) {
            if (e.name.startsWith('.') && !part.startsWith('.')) continue;
            if (g.matches(e.name)) next.push({ shown: join(r.shown, e.name), path: resolvePath(r.path, e.name) });
          }
        }
      }
      results = next;
      if (results.length === 0) return [];
    }
    return results.map((r) => r.shown).sort();
  }
}

export function traceQuote(w: string): string {
  if (w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}

/**
 * Brace expansion (bash manual §3.5.1), done first and on the raw word: `a{b,c}d`,
 * `{1..5}`, `{a..e}`, `{01..10}`, `{1..10..2}`; quoted braces and `${…}` are left alone.
 */
export function braceExpand(raw: string, depth = 0, budget?: Budget): string[] {
  if (depth > 20) return [raw];
  // scanning and copying a long word is work too: a step per 100 characters, so 10,000
  // characters of `{a,b}` (2^20 words of 10 KB before the depth limit) stop the line
  // instead of filling the heap; words under 100 characters cost nothing more
  budget?.step(Math.floor(raw.length / 100));
  // find the first unquoted `{` that has a matching `}` with a top-level `,` or `..`
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      continue;
    }
    if (c !== '{' || raw[i - 1] === '$') continue;
    let level = 0;
    let q: string | null = null;
    const commas: number[] = [];
    let end = -1;
    for (let j = i; j < raw.length; j++) {
      const d = raw[j];
      if (q) {
        if (d === q) q = null;
        else if (d === '\\' && q === '"') j++;
        continue;
      }
      if (d === '\\') {
        j++;
        continue;
      }
      if (d === "'" || d === '"') q = d;
      else if (d === '{') level++;
      else if (d === '}') {
        level--;
        if (level === 0) {
          end = j;
          break;
        }
      } else if (d === ',' && level === 1) commas.push(j);
    }
    if (end < 0) return [raw];
    const pre = raw.slice(0, i);
    const post = raw.slice(end + 1);
    const body = raw.slice(i + 1, end);
    let items: string[] | null = null;
    if (commas.length) {
      items = [];
      let start = i + 1;
      for (const k of [...commas, end]) {
        items.push(raw.slice(start, k));
        start = k + 1;
      }
    } else {
      const m = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body) ?? /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.(-?\d+))?$/.exec(body);
      if (m) {
        const numeric = /\d/.test(m[1]);
        const a = numeric ? Number(m[1]) : m[1].charCodeAt(0);
        const b = numeric ? Number(m[2]) : m[2].charCodeAt(0);
        const step = Math.abs(Number(m[3] ?? 1)) || 1;
        const width = numeric && (/^-?0\d/.test(m[1]) || /^-?0\d/.test(m[2])) ? Math.max(m[1].length, m[2].length) : 0;
        // the words are charged before they exist: `{1..1000000000}` stops the line, not the tab
        budget?.step(Math.floor(Math.abs(b - a) / step) + 1);
        items = [];
        for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) {
          items.push(numeric ? (width ? (v < 0 ? '-' + String(-v).padStart(width - 1, '0') : String(v).padStart(width, '0')) : String(v)) : String.fromCharCode(v));
        }
      }
    }
    if (!items) {
      // not an expansion: keep this brace literal and look further on
      const rest = braceExpand(raw.slice(i + 1), depth + 1, budget);
      return rest.map((r) => raw.slice(0, i + 1) + r);
    }
    const out: string[] = [];
    for (const it of items) {
      const words = braceExpand(pre + it + post, depth + 1, budget);
      // a learner's {1..1000}{1..1000}{1..1000} stops the line when the words outgrow its budget
      if (depth === 0) budget?.step(words.length);
      for (const x of words) out.push(x);
    }
    return out;
  }
  return [raw];
}

/** Index just past the `)` matching the `(` at raw[open], skipping quotes. */
export function matchParen(raw: string, open: number): number {
  let level = 0;
  let i = open;
  while (i < raw.length) {
    const c = raw[i];
    if (c === '\\') i += 2;
    else if (c === "'") {
      const e = raw.indexOf("'", i + 1);
      i = e < 0 ? raw.length : e + 1;
    } else if (c === '"') {
      i++;
      while (i < raw.length && raw[i] !== '"') i += raw[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '(') {
      level++;
      i++;
    } else if (c === ')') {
      level--;
      i++;
      if (level === 0) return i;
    } else i++;
  }
  return raw.length;
}

export function findUnescaped(s: string, ch: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ch) return i;
  }
  return -1;
}

/** `$'…'` (ANSI-C quoting) starting after the opening quote. */
export function ansiC(raw: string, i: number): { text: string; end: number } {
  let text = '';
  while (i < raw.length && raw[i] !== "'") {
    if (raw[i] === '\\' && i + 1 < raw.length) {
      const e = raw[i + 1];
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"' };
      if (e in map) {
        text += map[e];
        i += 2;
      } else if (e === 'x') {
        const m = /^[0-9a-fA-F]{1,2}/.exec(raw.slice(i + 2));
        if (m) {
          text += String.fromCharCode(parseInt(m[0], 16));
          i += 2 + m[0].length;
        } else {
          text += '\\x';
          i += 2;
        }
      } else if (/[0-7]/.test(e)) {
        const m = /^[0-7]{1,3}/.exec(raw.slice(i + 1))!;
        text += String.fromCharCode(parseInt(m[0], 8));
        i += 1 + m[0].length;
      } else {
        text += '\\' + e;
        i += 2;
      }
    } else text += raw[i++];
  }
  return { text, end: i + 1 };
}
