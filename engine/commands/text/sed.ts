/**
 * `sed [-nEr] [-i] [-e SCRIPT]... [SCRIPT] [FILE]...` (GNU sed 4.x): addresses (N, $,
 * /re/, ranges, `!`), commands s (g p N i flags, & and \1…\9), p d q Q = a i c y n N
 * h H g G x { }. Error texts follow GNU's `sed: -e expression #1, char N: …`.
 */
import type { CommandSpec } from '../../shell/command';
import { pathOf, readOperand } from './util';
import { Regex, RegexSyntaxError, RegexTooComplex, type Meter, type Span } from '../../patterns';

type Addr = { kind: 'line'; n: number } | { kind: 'last' } | { kind: 're'; re: Regex } | { kind: 'step'; first: number; step: number };

interface Cmd {
  a1?: Addr;
  a2?: Addr;
  negate: boolean;
  name: string;
  // s
  re?: Regex;
  rep?: string;
  global?: boolean;
  nth?: number;
  print?: boolean;
  text?: string;
  // y
  from?: string;
  to?: string;
  // { }
  block?: Cmd[];
  exitCode?: number;
  active?: boolean;
  endLine?: number;
}

class SedError extends Error {}

function compile(script: string, extended: boolean, exprNo: number, meter: Meter): Cmd[] {
  let i = 0;
  const fail = (msg: string, at = i): never => {
    throw new SedError(`sed: -e expression #${exprNo}, char ${at}: ${msg}\n`);
  };
  // sed/regexp.c compile_rx_1: POSIX_BASIC or POSIX_EXTENDED syntax, I for RE_ICASE, M for newline anchors
  const mkRe = (src: string, flags: string): Regex => {
    try {
      return Regex.posix(src, extended ? 'sed-E' : 'sed', { icase: flags.includes('i'), multiline: flags.includes('m'), meter });
    } catch (e) {
      if (e instanceof RegexSyntaxError) fail(e.message);
      throw e;
    }
  };
  const readDelimited = (delim: string, what: string): string => {
    let out = '';
    while (i < script.length && script[i] !== delim) {
      if (script[i] === '\\' && i + 1 < script.length) {
        if (script[i + 1] === delim) out += delim;
        else if (script[i + 1] === 'n') out += '\\n';
        else out += script.slice(i, i + 2);
        i += 2;
      } else if (script[i] === '\n' && what !== 'rep') fail(`unterminated address regex`);
      else out += script[i++];
    }
    if (i >= script.length) fail(what === 'addr' ? 'unterminated address regex' : `unterminated \`${what}' command`);
    i++;
    return out;
  };
  const addr = (): Addr | undefined => {
    const c = script[i];
    if (c === '$') {
      i++;
      return { kind: 'last' };
    }
    if (c !== undefined && /\d/.test(c)) {
      const m = /^(\d+)(~(\d+))?/.exec(script.slice(i))!;
      i += m[0].length;
      if (m[2]) return { kind: 'step', first: Number(m[1]), step: Number(m[3]) };
      if (Number(m[1]) === 0) fail('invalid usage of line address 0');
      return { kind: 'line', n: Number(m[1]) };
    }
    if (c === '/' || c === '\\') {
      let delim = '/';
      if (c === '\\') {
        delim = script[i + 1];
        i++;
      }
      i++;
      const src = readDelimited(delim, 'addr');
      let flags = '';
      while (script[i] === 'I' || script[i] === 'M') {
        if (script[i] === 'I') flags += 'i';
        i++;
      }
      return { kind: 're', re: mkRe(src, flags) };
    }
    return undefined;
  };
  const parseBlock = (inBlock: boolean): Cmd[] => {
    const cmds: Cmd[] = [];
    for (;;) {
      while (i < script.length && /[\s;]/.test(script[i])) i++;
      if (i >= script.length) {
        if (inBlock) fail('unmatched `{\'', 0);
        return cmds;
      }
      if (script[i] === '#') {
        while (i < script.length && script[i] !== '\n') i++;
        continue;
      }
      const cmd: Cmd = { negate: false, name: '' };
      cmd.a1 = addr();
      if (cmd.a1 && script[i] === ',') {
        i++;
        cmd.a2 = addr();
        if (!cmd.a2) fail('unexpected `,\'');
      }
      while (script[i] === ' ') i++;
      if (script[i] === '!') {
        cmd.negate = true;
        i++;
        while (script[i] === ' ') i++;
      }
      if (i >= script.length) fail('missing command');
      const name = script[i++];
      cmd.name = name;
      switch (name) {
        case '}':
          if (!inBlock) fail('unexpected `}\'');
          return cmds;
        case '{':
          cmd.block = parseBlock(true);
          break;
        case 's': {
          const delim = script[i++];
          if (delim === undefined || delim === '\n' || delim === '\\') fail('unterminated `s\' command');
          const re = readDelimited(delim, 's');
          const rep = readDelimited(delim, 's');
          let flags = '';
          cmd.global = false;
          while (i < script.length && !/[\s;}#]/.test(script[i])) {
            const f = script[i++];
            if (f === 'g') cmd.global = true;
            else if (f === 'p') cmd.print = true;
            else if (f === 'i' || f === 'I') flags += 'i';
            else if (/\d/.test(f)) {
              const m = /^\d*/.exec(script.slice(i))!;
              cmd.nth = Number(f + m[0]);
              i += m[0].length;
            } else if (f === 'm' || f === 'M') flags += 'm';
            else fail('unknown option to `s\'');
          }
          cmd.re = re === '' ? undefined : mkRe(re, flags);
          cmd.rep = rep;
          break;
        }
        case 'y': {
          const delim = script[i++];
          const from = readDelimited(delim, 'y').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
          const to = readDelimited(delim, 'y').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
          if ([...from].length !== [...to].length) fail('strings for `y\' command are different lengths');
          cmd.from = from;
          cmd.to = to;
          break;
        }
        case 'a':
        case 'i':
        case 'c': {
          while (script[i] === ' ') i++;
          if (script[i] === '\\') {
            i++;
            if (script[i] === '\n') i++;
          }
          let text = '';
          while (i < script.length && script[i] !== '\n') {
            if (script[i] === '\\' && i + 1 < script.length) {
              text += script[i + 1] === 'n' ? '\n' : script[i + 1];
              i += 2;
            } else text += script[i++];
          }
          if (text === '' ) fail('expected \\ after `a\', `c\' or `i\'');
          cmd.text = text;
          break;
        }
        case 'q':
        case 'Q': {
          const m = /^\s*(\d+)/.exec(script.slice(i));
          if (m) {
            cmd.exitCode = Number(m[1]);
            i += m[0].length;
          }
          break;
        }
        case 'p': case 'd': case 'D': case '=': case 'n': case 'N': case 'h': case 'H': case 'g': case 'G': case 'x': case 'P': case 'l':
          break;
        default:
          fail(`unknown command: \`${name}'`, i);
      }
      cmds.push(cmd);
    }
  };
  return parseBlock(false);
}

function expandRep(rep: string, m: Span, subject: string): string {
  const group = (k: number) => (m.groups[2 * k] >= 0 ? subject.slice(m.groups[2 * k], m.groups[2 * k + 1]) : '');
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i];
    if (c === '\\' && i + 1 < rep.length) {
      const e = rep[++i];
      if (/\d/.test(e)) out += group(Number(e));
      else if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === '&') out += '&';
      else out += e;
    } else if (c === '&') out += group(0);
    else out += c;
  }
  return out;
}

export const sed: CommandSpec = {
  name: 'sed',
  summary: 'stream editor for filtering and transforming text',
  run(args, ctx) {
    const scripts: string[] = [];
    const files: string[] = [];
    let quiet = false;
    let extended = false;
    let inPlace = false;
    for (let k = 0; k < args.length; k++) {
      const a = args[k];
      if (a === '--') {
        files.push(...args.slice(k + 1));
        break;
      }
      if (a === '-e' || a === '--expression') {
        if (k + 1 >= args.length) return { stdout: '', stderr: "sed: option requires an argument -- 'e'\nUsage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n", exitCode: 1 };
        scripts.push(args[++k]);
      } else if (a.startsWith('--expression=')) scripts.push(a.slice(13));
      else if (a === '-n' || a === '--quiet' || a === '--silent') quiet = true;
      else if (a === '-E' || a === '-r' || a === '--regexp-extended') extended = true;
      else if (a === '-i' || a.startsWith('--in-place') || /^-i/.test(a)) inPlace = true;
      else if (/^-[nEr]+$/.test(a)) {
        if (a.includes('n')) quiet = true;
        if (a.includes('E') || a.includes('r')) extended = true;
      } else if (/^-e./.test(a)) scripts.push(a.slice(2));
      else if (a.startsWith('-') && a.length > 1) {
        return { stdout: '', stderr: `sed: invalid option -- '${a[1]}'\nUsage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n`, exitCode: 1 };
      } else files.push(a);
    }
    if (scripts.length === 0) {
      if (files.length === 0) return { stdout: '', stderr: 'Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n', exitCode: 1 };
      scripts.push(files.shift()!);
    }
    let program: Cmd[];
    try {
      program = scripts.flatMap((s, k) => compile(s, extended, k + 1, ctx.shell.budget));
    } catch (e) {
      if (e instanceof SedError) return { stdout: '', stderr: e.message, exitCode: 1 };
      throw e;
    }
    if (inPlace && files.length === 0) return { stdout: '', stderr: 'sed: no input files\n', exitCode: 1 };

    let err = '';
    const inputs: { name: string; text: string }[] = [];
    for (const f of files.length ? files : ['-']) {
      const r = readOperand(ctx, 'sed', f);
      if (!r.ok) err += r.error.replace(/^sed: (.*): /, "sed: can't read $1: ");
      else inputs.push({ name: f, text: r.content });
    }
    let lastRe: Regex | undefined;
    const runStream = (text: string): { out: string; quit?: number; err?: string } => {
      try {
        return runStreamUnguarded(text);
      } catch (e) {
        // a back-reference too deep for the matcher: gnulib's xalloc_die
        if (e instanceof RegexTooComplex) return { out: '', err: 'sed: memory exhausted\n', quit: 4 };
        throw e;
      }
    };
    const runStreamUnguarded = (text: string): { out: string; quit?: number } => {
      const lines = text === '' ? [] : text.split('\n');
      const endsNl = text.endsWith('\n');
      if (endsNl) lines.pop();
      let out = '';
      let hold = '';
      let lineNo = 0;
      let idx = 0;
      for (const c of program) c.active = false;
      const matches = (a: Addr, ps: string): boolean => {
        if (a.kind === 'line') return lineNo === a.n;
        if (a.kind === 'last') return idx === lines.length;
        if (a.kind === 'step') return a.step <= 0 ? lineNo === a.first : lineNo >= a.first && (lineNo - a.first) % a.step === 0;
        lastRe = a.re;
        return a.re.test(ps);
      };
      const selected = (c: Cmd, ps: string): boolean => {
        let sel: boolean;
        if (!c.a1) sel = true;
        else if (!c.a2) sel = matches(c.a1, ps);
        else if (c.active) {
          if (c.a2.kind === 'line') {
            sel = true;
            if (lineNo >= c.a2.n) c.active = false;
          } else {
            sel = true;
            if (matches(c.a2, ps)) c.active = false;
          }
        } else if (matches(c.a1, ps)) {
          sel = true;
          c.active = !(c.a2.kind === 'line' && c.a2.n <= lineNo);
        } else sel = false;
        return sel !== c.negate;
      };
      while (idx < lines.length) {
        let ps = lines[idx++];
        lineNo++;
        let append = '';
        let deleted = false;
        let quit: number | undefined;
        let quitSilently = false;
        const exec = (cmds: Cmd[]): boolean => {
          for (const c of cmds) {
            if (!selected(c, ps)) continue;
            switch (c.name) {
              case '{':
                if (!exec(c.block!)) return false;
                break;
              case 's': {
                const re = c.re ?? lastRe;
                if (!re) break;
                // sed/execute.c do_subst: walk the matches, replace the nth (and with g every one from there)
                let count = 0;
                let changed = false;
                let result = '';
                let copied = 0;
                for (const m of re.all(ps)) {
                  count++;
                  if (c.nth ? count === c.nth || (c.global && count > c.nth) : c.global || count === 1) {
                    result += ps.slice(copied, m.start) + expandRep(c.rep!, m, ps);
                    copied = m.end;
                    changed = true;
                    if (!c.global) break;
                  }
                }
                if (changed) ps = result + ps.slice(copied);
                if (changed && c.print) out += ps + '\n';
                break;
              }
              case 'p':
                out += ps + '\n';
                break;
              case 'P':
                out += ps.split('\n')[0] + '\n';
                break;
              case 'd':
                deleted = true;
                return false;
              case 'D': {
                const nl = ps.indexOf('\n');
                if (nl < 0) {
                  deleted = true;
                  return false;
                }
                ps = ps.slice(nl + 1);
                break;
              }
              case '=':
                out += lineNo + '\n';
                break;
              case 'a':
                append += c.text + '\n';
                break;
              case 'i':
                out += c.text + '\n';
                break;
              case 'c':
                if (!c.a2 || !c.active) out += c.text + '\n';
                deleted = true;
                return false;
              case 'y': {
                const from = [...c.from!], to = [...c.to!];
                ps = [...ps].map((ch) => {
                  const k = from.indexOf(ch);
                  return k >= 0 ? to[k] : ch;
                }).join('');
                break;
              }
              case 'q':
                quit = c.exitCode ?? 0;
                return false;
              case 'Q':
                quit = c.exitCode ?? 0;
                quitSilently = true;
                return false;
              case 'n':
                if (!quiet) out += ps + '\n';
                if (idx >= lines.length) {
                  deleted = true;
                  quit = 0;
                  quitSilently = true;
                  return false;
                }
                ps = lines[idx++];
                lineNo++;
                break;
              case 'N':
                if (idx >= lines.length) return true;
                ps += '\n' + lines[idx++];
                lineNo++;
                break;
              case 'h':
                hold = ps;
                break;
              case 'H':
                hold += '\n' + ps;
                break;
              case 'g':
                ps = hold;
                break;
              case 'G':
                ps += '\n' + hold;
                break;
              case 'x':
                [ps, hold] = [hold, ps];
                break;
              case 'l':
                out += ps.replace(/\\/g, '\\\\').replace(/\t/g, '\\t') + '$\n';
                break;
            }
          }
          return true;
        };
        exec(program);
        const lastLine = idx >= lines.length;
        if (!deleted && !quiet && !quitSilently) out += ps + (lastLine && !endsNl ? '' : '\n');
        else if (!deleted && quit !== undefined && !quiet && !quitSilently) out += ps + '\n';
        out += append;
        if (quit !== undefined) return { out, quit };
      }
      return { out };
    };
    if (inPlace) {
      for (const inp of inputs) {
        const r = runStream(inp.text);
        if (r.err) return { stdout: '', stderr: err + r.err, exitCode: 4 };
        ctx.cluster.fs.write(ctx.host, pathOf(ctx, inp.name), r.out);
      }
      return { stdout: '', stderr: err, exitCode: err ? 2 : 0 };
    }
    const joined = inputs.map((x, k) => (k < inputs.length - 1 && x.text !== '' && !x.text.endsWith('\n') ? x.text + '\n' : x.text)).join('');
    const r = runStream(joined);
    if (r.err) return { stdout: r.out, stderr: err + r.err, exitCode: 4 };
    return { stdout: r.out, stderr: err, exitCode: r.quit ?? (err ? 2 : 0) };
  },
};
