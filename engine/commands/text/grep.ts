/**
 * `grep` (GNU grep 3.x, src/grep.c): -i -v -E -F -G -c -n -w -x -o -l -L -q -s -h -H
 * -m -A -B -C -e -f -r; `--` group separators between context blocks; exit 0 on a
 * match, 1 on none, 2 on trouble.
 */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, readOperand, pathOf } from './util';
import { escapeRegex, translateRegex } from './regex';

const USAGE = 'Usage: grep [OPTION]... PATTERNS [FILE]...\n';
const HINT = "Try 'grep --help' for more information.\n";

export const grep: CommandSpec = {
  name: 'grep',
  summary: 'print lines that match patterns',
  run(args, ctx) {
    const p = getopt(args, {
      short: 'EFGPivwxcnoqshHlLm:A:B:C:e:f:rRzZab0123456789',
      long: {
        'extended-regexp': { key: 'E' }, 'fixed-strings': { key: 'F' }, 'basic-regexp': { key: 'G' }, 'perl-regexp': { key: 'P' }, 'ignore-case': { key: 'i' }, 'no-ignore-case': { key: 'I' },
        'invert-match': { key: 'v' }, 'word-regexp': { key: 'w' }, 'line-regexp': { key: 'x' }, count: { key: 'c' }, 'line-number': { key: 'n' }, 'only-matching': { key: 'o' },
        quiet: { key: 'q' }, silent: { key: 'q' }, 'no-messages': { key: 's' }, 'no-filename': { key: 'h' }, 'with-filename': { key: 'H' }, 'files-with-matches': { key: 'l' },
        'files-without-match': { key: 'L' }, 'max-count': { key: 'm', arg: true }, 'after-context': { key: 'A', arg: true }, 'before-context': { key: 'B', arg: true },
        context: { key: 'C', arg: true }, regexp: { key: 'e', arg: true }, file: { key: 'f', arg: true }, recursive: { key: 'r' }, color: { key: 'color', arg: 'optional' }, colour: { key: 'color', arg: 'optional' },
      },
    });
    if (isOptError(p)) {
      const first = p.error === 'invalid' ? `grep: invalid option -- '${p.opt}'\n` : p.error === 'missing' ? (p.opt.length === 1 ? `grep: option requires an argument -- '${p.opt}'\n` : `grep: option '--${p.opt}' requires an argument\n`) : p.error === 'unrecognized' ? `grep: unrecognized option '${p.opt}'\n` : `grep: option '${p.opt}' is ambiguous\n`;
      return { stdout: '', stderr: first + USAGE + HINT, exitCode: 2 };
    }
    const o = new Set<string>();
    const patterns: string[] = [];
    let max = Infinity, after = 0, before = 0;
    let context = false;
    let numContext = '';
    for (const [k, v] of p.opts) {
      if (/^\d$/.test(k)) {
        numContext += k;
        after = before = Number(numContext);
        context = true;
        continue;
      }
      numContext = '';
      if (k === 'e') patterns.push(v);
      else if (k === 'f') {
        const r = readOperand(ctx, 'grep', v);
        if (!r.ok) return { stdout: '', stderr: r.error, exitCode: 2 };
        patterns.push(...r.content.replace(/\n$/, '').split('\n'));
      } else if (k === 'm' || k === 'A' || k === 'B' || k === 'C') {
        if (!/^\d+$/.test(v)) {
          return { stdout: '', stderr: k === 'm' ? `grep: invalid max count\n` : `grep: ${v}: invalid context length argument\n`, exitCode: 2 };
        }
        const n = Number(v);
        if (k === 'm') max = n;
        if (k !== 'm') context = true;
        if (k === 'A' || k === 'C') after = n;
        if (k === 'B' || k === 'C') before = n;
      } else o.add(k);
    }
    const operands = [...p.operands];
    if (!p.opts.some(([k]) => k === 'e' || k === 'f')) {
      if (operands.length === 0) return { stdout: '', stderr: USAGE + HINT, exitCode: 2 };
      patterns.push(...operands.shift()!.split('\n'));
    }
    if (o.has('P')) return { stdout: '', stderr: 'grep: Perl matching not supported in a --disable-perl-regexp build\n', exitCode: 2 };
    const fixed = o.has('F');
    const extended = o.has('E');
    const sources: string[] = [];
    for (const pat of patterns) {
      if (fixed) sources.push(escapeRegex(pat));
      else {
        const t = translateRegex(pat, extended);
        if (!t.ok) return { stdout: '', stderr: `grep: ${t.error}\n`, exitCode: 2 };
        sources.push(t.source);
      }
    }
    let src = sources.map((s) => `(?:${s})`).join('|');
    if (o.has('x')) src = `^(?:${src})$`;
    else if (o.has('w')) src = `(?<![0-9A-Za-z_])(?:${src})(?![0-9A-Za-z_])`;
    const flags = o.has('i') && !o.has('I') ? 'i' : '';
    const re = new RegExp(src, flags);
    const reG = new RegExp(src, flags + 'g');
    const invert = o.has('v');

    const files = operands.length ? operands : [o.has('r') ? '.' : '-'];
    const expanded: string[] = [];
    let err = '';
    for (const f of files) {
      if (o.has('r') && f !== '-' && ctx.cluster.fs.isDir(ctx.host, pathOf(ctx, f))) {
        const walk = (dir: string, shown: string) => {
          for (const e of ctx.cluster.fs.list(ctx.host, dir) ?? []) {
            const s = shown === '.' && operands.length === 0 ? e.name : `${shown.replace(/\/$/, '')}/${e.name}`;
            if (e.type === 'dir') walk(e.path, s);
            else expanded.push(s);
          }
        };
        walk(pathOf(ctx, f), f);
      } else expanded.push(f);
    }
    const showNames = o.has('H') || (!o.has('h') && (expanded.length > 1 || o.has('r')));
    let out = '';
    let matchedAny = false;
    let trouble = false;
    for (const f of expanded) {
      const r = readOperand(ctx, 'grep', f);
      if (!r.ok) {
        if (!o.has('s')) err += r.error;
        trouble = true;
        continue;
      }
      const name = f === '-' ? '(standard input)' : f;
      const ls = r.content.split('\n');
      if (ls[ls.length - 1] === '') ls.pop();
      let count = 0;
      let lastPrinted = -1;
      let afterLeft = 0;
      const prefix = (i: number, sep: string) => (showNames ? name + sep : '') + (o.has('n') ? `${i + 1}${sep}` : '');
      let printedSomething = false;
      for (let i = 0; i < ls.length; i++) {
        const line = ls[i];
        const hit = re.test(line) !== invert;
        if (hit && count < max) {
          count++;
          matchedAny = true;
          if (o.has('q')) return { stdout: '', stderr: '', exitCode: 0 };
          if (o.has('c') || o.has('l') || o.has('L')) continue;
          if (context) {
            const from = Math.max(lastPrinted + 1, i - before);
            if (printedSomething && from > lastPrinted + 1) out += '--\n';
            for (let k = from; k < i; k++) out += prefix(k, '-') + ls[k] + '\n';
          }
          if (o.has('o')) {
            if (!invert) for (const m of line.matchAll(reG)) if (m[0] !== '') out += prefix(i, ':') + m[0] + '\n';
          } else out += prefix(i, ':') + line + '\n';
          printedSomething = true;
          lastPrinted = i;
          afterLeft = after;
        } else if (afterLeft > 0 && !o.has('c') && !o.has('l') && !o.has('L')) {
          if (count >= max && hit) break;
          out += prefix(i, '-') + line + '\n';
          lastPrinted = i;
          afterLeft--;
        } else if (count >= max) break;
      }
      if (o.has('c')) out += (showNames ? name + ':' : '') + count + '\n';
      if (o.has('l') && count > 0) out += name + '\n';
      if (o.has('L') && count === 0) out += name + '\n';
    }
    const code = trouble && !(o.has('q') && matchedAny) ? 2 : matchedAny ? 0 : 1;
    return { stdout: o.has('q') ? '' : out, stderr: err, exitCode: code };
  },
};
