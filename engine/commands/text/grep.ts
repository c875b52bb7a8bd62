/**
 * `grep` (GNU grep 3.x, src/grep.c): -i -v -E -F -G -c -n -w -x -o -l -L -q -s -h -H
 * -m -A -B -C -e -f -r; `--` group separators between context blocks; exit 0 on a
 * match, 1 on none, 2 on trouble.
 */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, readOperand, pathOf } from './util';
import { Regex, RegexSyntaxError, RegexTooComplex, hasNode, literalNode, misusedClass, parsePosix, type Node } from '../../patterns';

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
    const trees: Node[] = [];
    for (const pat of patterns) {
      if (fixed) {
        trees.push(literalNode(pat));
        continue;
      }
      try {
        trees.push(parsePosix(pat, extended ? 'egrep' : 'grep').node);
      } catch (e) {
        if (e instanceof RegexSyntaxError) return { stdout: '', stderr: `grep: ${e.message}\n`, exitCode: 2 };
        throw e;
      }
      // gnulib dfa.c: `[:space:]` is an error unless POSIXLY_CORRECT
      const misused = misusedClass(pat);
      if (misused) return { stdout: '', stderr: `grep: ${misused}\n`, exitCode: 2 };
    }
    const re = patternMatcher(trees, {
      icase: o.has('i') && !o.has('I'),
      line: o.has('x'),
      word: o.has('w') && !o.has('x'),
      meter: ctx.shell.budget,
    });
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
        let hit: boolean;
        try {
          hit = re.test(line) !== invert;
        } catch (e) {
          if (e instanceof RegexTooComplex) return { stdout: out, stderr: err + 'grep: memory exhausted\n', exitCode: 2 };
          throw e;
        }
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
            if (!invert) for (const m of re.all(line)) if (m.end > m.start) out += prefix(i, ':') + line.slice(m.start, m.end) + '\n';
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

/**
 * All of grep's patterns as one matcher. GNU grep compiles patterns without
 * back-references into one automaton and each pattern with one on its own (a
 * back-reference is local to its pattern, dfasearch.c GEAcompile), then takes the
 * leftmost-longest match over all of them; -x and -w wrap each pattern as
 * `^(…)$` and "no word character on either side".
 */
function patternMatcher(trees: Node[], opts: { icase: boolean; line: boolean; word: boolean; meter: { step(n?: number): void } }) {
  const wrap = (n: Node): Node => {
    const g: Node = { t: 'group', n: 0, body: n };
    if (opts.line) return { t: 'cat', items: [{ t: 'assert', k: 'bot' }, g, { t: 'assert', k: 'eot' }] };
    if (opts.word) return { t: 'cat', items: [{ t: 'assert', k: 'nwprev' }, g, { t: 'assert', k: 'nwnext' }] };
    return n;
  };
  const hasBackref = (n: Node): boolean => hasNode(n, (x) => x.t === 'backref');
  const plain = trees.filter((t) => !hasBackref(t));
  const alone = trees.filter(hasBackref);
  const res: Regex[] = [];
  const ropts = { icase: opts.icase, longest: true, meter: opts.meter };
  if (plain.length) res.push(new Regex(wrap(plain.length === 1 ? plain[0] : { t: 'alt', items: plain.map((n) => ({ t: 'group', n: 0, body: n }) as Node) }), ropts));
  for (const t of alone) res.push(new Regex(wrap(t), ropts));
  const exec = (s: string, from: number) => {
    let best: { start: number; end: number } | null = null;
    for (const r of res) {
      const m = r.exec(s, from);
      if (m && (!best || m.start < best.start || (m.start === best.start && m.end > best.end))) best = m;
    }
    return best;
  };
  return {
    test: (s: string) => res.some((r) => r.test(s)),
    *all(s: string): Generator<{ start: number; end: number }> {
      if (res.length === 1) {
        yield* res[0].all(s);
        return;
      }
      let from = 0;
      while (from <= s.length) {
        const m = exec(s, from);
        if (!m) return;
        yield m;
        from = m.end > m.start ? m.end : m.end + 1;
      }
    },
  };
}
