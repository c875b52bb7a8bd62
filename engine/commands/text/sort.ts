/**
 * `sort [-nrufbhVs] [-t SEP] [-k POS1[,POS2]]... [-o FILE] [FILE]...` (coreutils src/sort.c):
 * keys per field with their own modifiers, the whole-line last-resort comparison, -u by keys.
 */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, pathOf, readOperand, usageError } from './util';

interface Key {
  sf: number;
  sc: number;
  ef: number;
  ec: number;
  opts: Set<string>;
}

function parseKey(spec: string): Key | string {
  const m = /^(\d+)(?:\.(\d+))?([bdfghinMrRV]*)(?:,(\d+)(?:\.(\d+))?([bdfghinMrRV]*))?$/.exec(spec);
  if (!m) return `sort: invalid number at field start: invalid count at start of '${spec}'\n`;
  const sf = Number(m[1]);
  if (sf === 0) return `sort: field number is zero: invalid field specification '${spec}'\n`;
  if (m[2] !== undefined && Number(m[2]) === 0) return `sort: character offset is zero: invalid field specification '${spec}'\n`;
  return { sf, sc: m[2] ? Number(m[2]) : 1, ef: m[4] ? Number(m[4]) : Infinity, ec: m[5] ? Number(m[5]) : 0, opts: new Set([...(m[3] ?? ''), ...(m[6] ?? '')]) };
}

/** Start offsets of fields: with -t, split on the separator; otherwise a field is blanks then non-blanks. */
function fieldBounds(line: string, sep: string | undefined): [number, number][] {
  const out: [number, number][] = [];
  if (sep !== undefined) {
    let start = 0;
    for (;;) {
      const k = line.indexOf(sep, start);
      if (k < 0) {
        out.push([start, line.length]);
        return out;
      }
      out.push([start, k]);
      start = k + sep.length;
    }
  }
  let i = 0;
  while (i < line.length) {
    const start = i;
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') i++;
    out.push([start, i]);
  }
  if (out.length === 0) out.push([0, 0]);
  return out;
}

function keyText(line: string, k: Key, sep: string | undefined, skipBlanks: boolean): string {
  const f = fieldBounds(line, sep);
  const sfI = k.sf - 1;
  if (sfI >= f.length) return '';
  let s = f[sfI][0];
  if (skipBlanks) while (s < line.length && (line[s] === ' ' || line[s] === '\t')) s++;
  s = Math.min(s + k.sc - 1, sfI < f.length ? line.length : s);
  let e: number;
  if (k.ef === Infinity || k.ef - 1 >= f.length) e = line.length;
  else if (k.ec === 0) e = f[k.ef - 1][1];
  else {
    let es = f[k.ef - 1][0];
    if (k.opts.has('b')) while (es < line.length && (line[es] === ' ' || line[es] === '\t')) es++;
    e = Math.min(es + k.ec, f[k.ef - 1][1]);
  }
  return e > s ? line.slice(s, e) : '';
}

function numPrefix(s: string): number {
  const m = /^\s*(-?\d*\.?\d+|-?\d+\.?)/.exec(s.replace(/,/g, ''));
  return m ? Number(m[1]) : 0;
}

function humanNum(s: string): number {
  const m = /^\s*(-?\d*\.?\d+)([KMGTPEZY]?)/i.exec(s);
  if (!m) return 0;
  const order = ' KMGTPEZY'.indexOf(m[2].toUpperCase());
  return Number(m[1]) * 1024 ** Math.max(0, order);
}

function versionCmp(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '', y = pb[i] ?? '';
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const d = Number(x) - Number(y);
      if (d) return d;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const sort: CommandSpec = {
  name: 'sort',
  summary: 'sort lines of text files',
  run(args, ctx) {
    const p = getopt(args, {
      short: 'bcdfghik:Mmno:rRst:uVz',
      long: { 'ignore-leading-blanks': { key: 'b' }, 'ignore-case': { key: 'f' }, 'numeric-sort': { key: 'n' }, 'human-numeric-sort': { key: 'h' }, reverse: { key: 'r' }, unique: { key: 'u' }, key: { key: 'k', arg: true }, 'field-separator': { key: 't', arg: true }, output: { key: 'o', arg: true }, stable: { key: 's' }, 'version-sort': { key: 'V' }, 'general-numeric-sort': { key: 'g' } },
    });
    if (isOptError(p)) return usageError('sort', p, undefined, 2);
    const global = new Set<string>();
    const keys: Key[] = [];
    let sep: string | undefined;
    let output: string | undefined;
    for (const [k, v] of p.opts) {
      if (k === 'k') {
        const key = parseKey(v);
        if (typeof key === 'string') return { stdout: '', stderr: key, exitCode: 2 };
        keys.push(key);
      } else if (k === 't') {
        if (v.length !== 1) return { stdout: '', stderr: v === '' ? 'sort: empty tab\n' : `sort: multi-character tab '${v}'\n`, exitCode: 2 };
        sep = v;
      } else if (k === 'o') output = v;
      else global.add(k);
    }
    let text = '';
    for (const f of p.operands.length ? p.operands : ['-']) {
      const r = readOperand(ctx, 'sort', f);
      if (!r.ok) return { stdout: '', stderr: r.error.replace(/^sort: (.*): No such/, 'sort: cannot read: $1: No such'), exitCode: 2 };
      text += r.content;
      if (r.content && !r.content.endsWith('\n')) text += '\n';
    }
    const ls = text.split('\n');
    ls.pop();
    const compareBy = (a: string, b: string, opts: Set<string>): number => {
      let x = a, y = b;
      if (opts.has('b')) {
        x = x.replace(/^\s+/, '');
        y = y.replace(/^\s+/, '');
      }
      if (opts.has('d')) {
        x = x.replace(/[^A-Za-z0-9 \t]/g, '');
        y = y.replace(/[^A-Za-z0-9 \t]/g, '');
      }
      let c: number;
      if (opts.has('n') || opts.has('g')) c = numPrefix(x) - numPrefix(y);
      else if (opts.has('h')) c = humanNum(x) - humanNum(y);
      else if (opts.has('V')) c = versionCmp(x, y);
      else if (opts.has('f')) c = cmpStr(x.toUpperCase(), y.toUpperCase());
      else c = cmpStr(x, y);
      return opts.has('r') ? -c : c;
    };
    const effective = keys.map((k) => {
      const own = [...k.opts].filter((o) => o !== 'b');
      return { key: k, opts: own.length ? new Set(k.opts) : new Set([...global, ...k.opts]) };
    });
    const cmpKeys = (a: string, b: string): number => {
      if (effective.length === 0) return compareBy(a, b, global);
      for (const { key, opts } of effective) {
        const c = compareBy(keyText(a, key, sep, opts.has('b')), keyText(b, key, sep, opts.has('b')), opts);
        if (c) return c;
      }
      return 0;
    };
    const lastResort = !global.has('s') && !global.has('u');
    const full = (a: string, b: string) => {
      const c = cmpKeys(a, b);
      if (c || !lastResort) return c;
      const d = cmpStr(a, b);
      return global.has('r') ? -d : d;
    };
    const sorted = ls.map((l, i) => ({ l, i })).sort((a, b) => full(a.l, b.l) || a.i - b.i).map((x) => x.l);
    let result = sorted;
    if (global.has('u')) {
      result = [];
      for (const l of sorted) if (result.length === 0 || cmpKeys(result[result.length - 1], l) !== 0) result.push(l);
    }
    const out = result.length ? result.join('\n') + '\n' : '';
    if (output !== undefined) {
      ctx.cluster.fs.write(ctx.host, pathOf(ctx, output), out);
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    return { stdout: out, stderr: '', exitCode: 0 };
  },
};
